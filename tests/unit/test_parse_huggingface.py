"""HuggingFaceSource.parse on the fixtures: pure, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.models import FileInfo, RawRecord
from sources.base import SourceContext, SourceSettings
from sources.huggingface import HuggingFaceSource, split_front_matter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "huggingface"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def card(name: str) -> str:
    return (FIXTURES / f"{name}.md").read_text(encoding="utf-8")


def parse(kind: str, item: dict[str, Any], card_text: str | None = None):
    ctx = SourceContext(settings=SourceSettings(name="huggingface"))
    source = HuggingFaceSource.from_context(ctx)
    prefix = "datasets/" if kind == "dataset" else ""
    url = f"https://huggingface.co/{prefix}{item['id']}"
    raw = RawRecord(
        source="huggingface",
        native_id=f"{kind}:{item['id']}",
        url=url,
        payload={"type": kind, "item": item, "card": card_text},
        updated_at=item.get("lastModified"),
    )
    try:
        return source.parse(raw)
    finally:
        source.close()


def test_dataset_with_card() -> None:
    candidate = parse("dataset", fixture("datasets_page1")[0], card("card_thyroid"))
    assert candidate.source == "huggingface"
    assert candidate.native_id == "dataset:someorg/thyroid-ultrasound-seg"
    assert candidate.url == "https://huggingface.co/datasets/someorg/thyroid-ultrasound-seg"
    assert candidate.title == "someorg/thyroid-ultrasound-seg"
    assert candidate.text.startswith("# Thyroid ultrasound segmentation\n\n3,493 thyroid ultrasound images")
    assert "license:" not in candidate.text and "---" not in candidate.text
    assert candidate.kind_hint == "dataset"
    assert candidate.links == ["https://arxiv.org/abs/2301.01234", "https://github.com/someorg/thyroid-seg"]
    assert candidate.doi == "10.57967/hf/2987"
    assert candidate.licence == "cc-by-4.0"
    assert candidate.access == "open"
    assert candidate.keywords == [
        "task_categories:image-segmentation",
        "modality:image",
        "size_categories:1K<n<10K",
        "ultrasound",
        "medical",
    ]
    assert candidate.authors == ["someorg"]
    assert candidate.created == "2024-07-25T09:14:42.000Z"
    assert candidate.updated == "2024-09-02T16:03:11.000Z"
    assert candidate.year == 2024
    assert candidate.files[1] == FileInfo(
        name="README.md",
        size=None,
        url="https://huggingface.co/datasets/someorg/thyroid-ultrasound-seg/resolve/main/README.md",
    )
    assert [f.name for f in candidate.files] == [".gitattributes", "README.md", "data/train-00000-of-00001.parquet"]
    assert candidate.extra == {"downloads": 1834, "likes": 21, "pretty_name": "Thyroid Ultrasound Segmentation"}


def test_gated_dataset() -> None:
    candidate = parse("dataset", fixture("datasets_page1")[1], card("card_busi_gated"))
    assert candidate.access == "gated"
    assert candidate.licence == "other"
    assert candidate.extra["gated"] == "manual"
    assert candidate.text.startswith("# BUSI (gated copy)")
    assert candidate.links == ["https://scholar.cu.edu.eg/?q=afahmy/pages/dataset"]


def test_dataset_without_card_uses_the_description() -> None:
    candidate = parse("dataset", fixture("datasets_page2")[0], None)
    assert candidate.text == "Kidney ultrasound frames."
    assert candidate.licence is None
    assert candidate.doi is None
    assert candidate.keywords == ["ultrasound"]
    assert candidate.year == 2023


def test_model_with_weights() -> None:
    candidate = parse("model", fixture("models_page1")[0], card("card_echo"))
    assert candidate.native_id == "model:someorg/echo-ef-regressor"
    assert candidate.kind_hint == "model"
    assert candidate.text.startswith("# Echo EF regressor")
    assert candidate.licence == "apache-2.0"
    assert candidate.links == ["https://echonet.github.io/dynamic/"]
    assert candidate.keywords == ["pytorch", "echocardiography", "ultrasound"]
    assert FileInfo(
        name="model.safetensors", url="https://huggingface.co/someorg/echo-ef-regressor/resolve/main/model.safetensors"
    ) in candidate.files
    assert candidate.extra == {
        "downloads": 312,
        "likes": 9,
        "pipeline_tag": "image-classification",
        "library_name": "pytorch",
        "weight_files": ["model.safetensors"],
    }


def test_model_without_card_or_card_data() -> None:
    candidate = parse("model", fixture("models_page1")[1], None)
    assert candidate.text == ""
    assert candidate.licence is None
    assert candidate.extra["weight_files"] == ["saved_model.pb", "weights.h5"]
    assert candidate.extra["library_name"] == "keras"


def test_bare_list_item_as_in_the_api_sample() -> None:
    item = {
        "_id": "65f0c1d2e3f4a5b6c7d8e9f0",
        "id": "someorg/echo-ef-regressor",
        "private": True,
        "tags": ["ultrasound"],
        "lastModified": "2024-06-01T08:45:19.000Z",
    }
    candidate = parse("model", item, None)
    assert candidate.access == "restricted"
    assert candidate.authors == ["someorg"]
    assert candidate.files == [] and candidate.created is None and candidate.year is None


def test_licence_from_card_data_list_then_front_matter() -> None:
    item = {"id": "a/b", "tags": [], "cardData": {"license": ["mit", "apache-2.0"]}}
    assert parse("model", item).licence == "mit"
    item = {"id": "a/b", "tags": []}
    assert parse("model", item, "---\nlicense:\n  - cc-by-nc-4.0\n---\nbody").licence == "cc-by-nc-4.0"
    assert parse("model", item, "---\nlicense: 'openrail'  # comment\n---\nbody").licence == "openrail"


def test_doi_from_card_data_and_not_from_cited_papers() -> None:
    item = {"id": "a/b", "tags": [], "cardData": {"doi": "https://doi.org/10.57967/HF/0001"}}
    assert parse("dataset", item).doi == "10.57967/hf/0001"
    cited = "See our paper https://doi.org/10.1016/j.media.2020.101234."
    candidate = parse("dataset", {"id": "a/b", "tags": []}, cited)
    assert candidate.doi is None
    assert candidate.links == ["https://doi.org/10.1016/j.media.2020.101234"]


@pytest.mark.parametrize(
    ("text", "front", "body"),
    [
        ("# Title\nbody", "", "# Title\nbody"),
        ("---\nlicense: mit\n---\n# Title\n", "license: mit", "# Title\n"),
        ("---\r\nlicense: mit\r\n---\r\nbody", "license: mit", "body"),
        ("---\n---\nbody", "", "body"),
        ("---\nlicense: mit\n---", "license: mit", ""),
        ("text\n---\nnot: front\n---\n", "", "text\n---\nnot: front\n---\n"),
    ],
)
def test_split_front_matter(text: str, front: str, body: str) -> None:
    assert split_front_matter(text) == (front, body)
