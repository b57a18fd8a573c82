"""ZenodoSource.parse on every fixture record: pure, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.models import Candidate, FileInfo, RawRecord
from sources.zenodo import bare_doi, html_to_text, parse_record

FIXTURES = Path(__file__).parent.parent / "fixtures" / "zenodo"


def records(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["hits"]["hits"]


def parse(item: dict[str, Any]) -> Candidate:
    raw = RawRecord(
        source="zenodo",
        native_id=str(item["id"]),
        url=item["links"]["self_html"],
        payload={"item": item},
        updated_at=item["updated"],
    )
    return parse_record(raw)


def test_dataset_record() -> None:
    c = parse(records("dataset_page1.json")[0])
    assert c.title == "Thyroid Nodule Ultrasound Image Dataset (TN-US-2024)"
    assert c.text == "B-mode ultrasound images of 412 thyroid nodules with expert segmentation masks and TI-RADS labels."
    assert c.kind_hint == "dataset"
    assert c.doi == "10.5281/zenodo.11187654"
    assert c.concept_doi == "10.5281/zenodo.11187653"
    assert c.licence == "cc-by-4.0"
    assert c.access == "open"
    assert c.keywords == ["ultrasound", "thyroid", "segmentation", "medical imaging"]
    assert c.authors == ["Rossi, Giulia", "Kim, Min-jun"]
    assert c.created == "2024-05-14T08:31:07.552311+00:00"
    assert c.updated == "2024-05-14T08:31:09.201145+00:00"
    assert c.year == 2024
    assert c.version == "1.0"
    assert c.files == [
        FileInfo(
            name="TN-US-2024.zip",
            size=734003200,
            url="https://zenodo.org/api/records/11187654/files/TN-US-2024.zip/content",
        )
    ]
    assert c.links == [
        "https://zenodo.org/records/11187654",
        "https://doi.org/10.5281/zenodo.11187654",
        "https://doi.org/10.5281/zenodo.11187653",
    ]
    assert c.extra["downloads"] == 210


def test_embargoed_record_with_links_in_description() -> None:
    c = parse(records("dataset_page1.json")[1])
    assert c.access == "embargoed"
    assert c.licence == "cc-by-nc-4.0"
    assert c.text == "Mirror of the HC18 challenge data.\nOriginal: HC18.\nEmbargo until the paper is out."
    assert "https://hc18.grand-challenge.org/" in c.links
    assert c.files == []
    assert c.version == "v2"
    assert c.extra["embargo_date"] == "2025-01-01"


def test_restricted_record_without_licence() -> None:
    c = parse(records("dataset_page2.json")[0])
    assert c.access == "restricted"
    assert c.licence is None
    assert c.year == 2023


def test_software_record_related_identifiers_and_text_urls() -> None:
    c = parse(records("software_page1.json")[0])
    assert c.kind_hint == "software"
    assert c.licence == "mit"
    assert c.links == [
        "https://zenodo.org/records/14000004",
        "https://doi.org/10.5281/zenodo.14000004",
        "https://doi.org/10.5281/zenodo.14000003",
        "https://github.com/example/echo-seg/tree/v1.2.0",
        "https://doi.org/10.1038/s41586-020-2145-8",
        "https://arxiv.org/abs/2401.01234",
        "https://github.com/example/echo-seg",
    ]
    assert c.text.splitlines() == [
        "PyTorch code and pretrained weights for echocardiography segmentation.",
        "Code: https://github.com/example/echo-seg.",
        "Paper: arXiv",
    ]
    assert [f.name for f in c.files] == ["echo-seg-v1.2.0.zip", "weights.pt"]
    assert c.files[1].size == 104857600


def test_model_record() -> None:
    c = parse(records("model_page1.json")[0])
    assert c.kind_hint == "model"
    assert c.licence == "apache-2.0"
    assert c.files[0].name == "busi-classifier.onnx"


def test_parse_tolerates_a_sparse_record() -> None:
    raw = RawRecord(source="zenodo", native_id="1", url="https://zenodo.org/records/1", payload={"item": {"id": 1}})
    c = parse_record(raw)
    assert (c.title, c.text, c.links, c.doi, c.files, c.year) == ("", "", [], None, [], None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.5281/Zenodo.1", "10.5281/zenodo.1"),
        ("https://doi.org/10.5281/zenodo.1", "10.5281/zenodo.1"),
        ("doi:10.1000/XYZ.", "10.1000/xyz"),
        ("not a doi", None),
        (None, None),
    ],
)
def test_bare_doi(value: Any, expected: str | None) -> None:
    assert bare_doi(value) == expected


def test_html_to_text_keeps_paragraphs_and_inline_text_together() -> None:
    assert html_to_text("<p>A <em>bold</em> claim.</p><p>Second<br/>line</p>") == "A bold claim.\nSecond\nline"
