"""KaggleSource.parse on the fixtures: pure, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crawler.models import FileInfo, RawRecord
from sources.base import SourceContext, SourceSettings
from sources.kaggle import KaggleSource, urls_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kaggle"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def source() -> KaggleSource:
    ctx = SourceContext(settings=SourceSettings(name="kaggle"), secrets={"KAGGLE_API_TOKEN": "t"})
    return KaggleSource.from_context(ctx)


def dataset_record(index: int, metadata: str | None, page: str = "datasets_page1") -> RawRecord:
    item = fixture(page)["datasets"][index]
    info = fixture(metadata)["info"] if metadata else None
    return RawRecord(
        source="kaggle",
        native_id=f"dataset:{item['ref']}",
        url=item["url"],
        payload={"type": "dataset", "item": item, "metadata": info},
        updated_at=item["lastUpdated"],
    )


def model_record(item: dict[str, Any], metadata: dict[str, Any] | None = None) -> RawRecord:
    return RawRecord(
        source="kaggle",
        native_id=f"model:{item['ref']}",
        url=item["url"],
        payload={"type": "model", "item": item, "metadata": metadata},
        updated_at=item["publishTime"],
    )


def test_dataset_with_metadata() -> None:
    candidate = source().parse(dataset_record(0, "metadata_busi"))
    assert candidate.source == "kaggle"
    assert candidate.native_id == "dataset:someuser/breast-ultrasound-images-busi"
    assert candidate.url == "https://www.kaggle.com/datasets/someuser/breast-ultrasound-images-busi"
    assert candidate.title == "Breast Ultrasound Images (BUSI)"
    assert candidate.text.startswith("## About Dataset\nBreast ultrasound images collected in 2018")
    assert candidate.kind_hint == "dataset"
    assert candidate.links == [
        "https://doi.org/10.1016/j.dib.2019.104863",
        "https://scholar.cu.edu.eg/?q=afahmy/pages/dataset",
    ]
    assert candidate.doi == "10.34740/kaggle/dsv/2735012"
    assert candidate.licence == "CC0: Public Domain"
    assert candidate.access == "open"
    assert candidate.keywords == ["healthcare", "image", "ultrasound"]
    assert candidate.authors == ["Someuser"]
    assert candidate.updated == "2024-03-05T14:22:10.123Z"
    assert candidate.version == "2"
    assert candidate.files == []
    assert candidate.extra == {
        "subtitle": "780 breast ultrasound images with masks (benign/malignant/normal)",
        "downloads": 15230,
        "votes": 410,
        "views": 91380,
        "usability": 0.875,
        "kernels": 12,
        "total_bytes": 203456789,
    }


def test_dataset_without_metadata_falls_back_to_the_subtitle() -> None:
    candidate = source().parse(dataset_record(0, None))
    assert candidate.text == "780 breast ultrasound images with masks (benign/malignant/normal)"
    assert candidate.links == []
    assert candidate.doi is None
    assert candidate.keywords == ["healthcare", "image"]


def test_dataset_files_and_angle_bracket_links() -> None:
    candidate = source().parse(dataset_record(1, "metadata_thyroid"))
    assert candidate.files == [
        FileInfo(
            name="masks.zip",
            size=10485760,
            url="https://www.kaggle.com/datasets/thyroid-lab/thyroid-nodule-ultrasound/data?select=masks.zip",
        )
    ]
    assert candidate.links == ["https://github.com/haifangong/TRFE-Net-for-thyroid-nodule-segmentation"]
    assert candidate.authors == ["Thyroid Lab"]


def test_licence_falls_back_to_the_metadata_licences_and_private_is_restricted() -> None:
    record = dataset_record(0, "metadata_fetal", page="datasets_page2")
    record.payload["item"]["licenseName"] = ""
    record.payload["item"]["isPrivate"] = True
    candidate = source().parse(record)
    assert candidate.licence == "CC-BY-4.0"
    assert candidate.access == "restricted"
    assert candidate.links == ["https://hc18.grand-challenge.org/"]


def test_model_from_the_list_item() -> None:
    item = fixture("models_page1")["models"][0]
    candidate = source().parse(model_record(item))
    assert candidate.native_id == "model:someorg/fetal-us-plane-classifier"
    assert candidate.title == "Fetal Ultrasound Standard-Plane Classifier"
    assert candidate.kind_hint == "model"
    assert candidate.text.startswith("# Model card\nClassifies fetal ultrasound frames")
    assert candidate.links == ["https://zenodo.org/records/3904280"]
    assert candidate.licence == "Apache 2.0"
    assert candidate.access == "open"
    assert candidate.keywords == ["medicine"]
    assert candidate.authors == ["someorg"]
    assert candidate.created == "2024-07-01T10:00:00.000Z"
    assert candidate.updated is None
    assert candidate.year == 2024
    assert candidate.files == [
        FileInfo(
            name="pyTorch/default",
            size=16777216,
            url="https://www.kaggle.com/models/someorg/fetal-us-plane-classifier/pyTorch/default/1",
        )
    ]
    assert candidate.extra == {
        "subtitle": "EfficientNet-B0 fine-tuned on fetal planes",
        "instances": 1,
        "frameworks": ["pyTorch"],
        "fine_tunable": True,
    }


def test_model_completed_by_get_model() -> None:
    item = fixture("models_page1")["models"][1]
    candidate = source().parse(model_record(item, fixture("get_model_echonet")))
    assert candidate.text.startswith("# EchoNet EF\nPredicts ejection fraction.")
    assert candidate.links == ["https://github.com/echonet/dynamic"]
    assert candidate.licence == "MIT"
    assert [f.name for f in candidate.files] == ["tensorFlow2/v1"]


def test_model_without_description_uses_the_subtitle() -> None:
    item = fixture("models_page1")["models"][1]
    candidate = source().parse(model_record(item))
    assert candidate.text == "Ejection fraction from echocardiography video"
    assert candidate.licence is None
    assert candidate.files == []


def test_urls_in_strips_markdown_and_punctuation() -> None:
    text = "See [paper](https://a.org/x). Also <https://b.org/y>, and https://a.org/x again; end https://c.org/z."
    assert urls_in([text]) == ["https://a.org/x", "https://b.org/y", "https://c.org/z"]
    assert urls_in([text], exclude=["https://b.org/y"]) == ["https://a.org/x", "https://c.org/z"]
