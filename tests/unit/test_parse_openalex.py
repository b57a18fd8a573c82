"""OpenAlexSource.parse on every fixture work: pure, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crawler.models import Candidate, RawRecord
from sources.openalex import abstract_from_index, parse_work, work_id

FIXTURES = Path(__file__).parent.parent / "fixtures" / "openalex"


def works(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["results"]


def parse(work: dict[str, Any]) -> Candidate:
    native_id = work_id(work["id"])
    assert native_id
    raw = RawRecord(
        source="openalex",
        native_id=native_id,
        url=work["doi"] or work["primary_location"]["landing_page_url"],
        payload={"item": work},
        updated_at=work["updated_date"],
    )
    return parse_work(raw)


def test_article() -> None:
    c = parse(works("works_page1.json")[0])
    assert c.native_id == "W4396521101"
    assert c.title == "An open multi-centre lung ultrasound video dataset for B-line detection"
    assert c.text == "We release a lung ultrasound dataset"
    assert c.kind_hint == "article"
    assert c.doi == "10.1016/j.ultrasmedbio.2024.01.001"
    assert c.concept_doi is None
    assert c.links == ["https://doi.org/10.1016/j.ultrasmedbio.2024.01.001"]
    assert c.licence == "cc-by"
    assert c.access == "open"
    assert c.authors == ["Maria Lopez"]
    assert c.keywords == ["Lung ultrasound"]
    assert c.year == 2024
    assert c.created == "2024-05-15"
    assert c.updated == "2024-09-30T06:12:44.123456"
    assert c.extra["venue"] == "Ultrasound in Medicine & Biology"
    assert c.extra["cited_by_count"] == 5


def test_dataset_work_doi_is_lowercased() -> None:
    c = parse(works("works_page1.json")[1])
    assert c.kind_hint == "dataset"
    assert c.doi == "10.5281/zenodo.11187654"
    assert c.links == ["https://doi.org/10.5281/zenodo.11187654", "https://zenodo.org/records/11187654"]
    assert c.authors == ["Giulia Rossi", "Min-jun Kim"]
    assert c.text.startswith("B-mode ultrasound images of 412 thyroid nodules")
    assert c.extra["cited_by_count"] == 0


def test_closed_preprint_without_doi_takes_urls_from_the_abstract() -> None:
    c = parse(works("works_page2.json")[0])
    assert c.kind_hint == "preprint"
    assert c.doi is None
    assert c.access == "closed"
    assert c.licence is None
    assert c.keywords == []
    assert c.links == [
        "https://www.medrxiv.org/content/10.1101/2025.01.01.25000001v1",
        "https://huggingface.co/example/echo-fm",
        "https://github.com/example/echo-fm",
    ]
    assert c.year == 2025
    assert c.extra["venue"] == "medRxiv (Cold Spring Harbor Laboratory)"


def test_abstract_is_rebuilt_in_position_order() -> None:
    index = {"dataset": [3, 6], "An": [0], "open": [1], "ultrasound": [2], "and": [4], "a": [5]}
    assert abstract_from_index(index) == "An open ultrasound dataset and a dataset"
    assert abstract_from_index(None) == ""
    assert abstract_from_index({"<jats:p>Lung": [0], "ultrasound</jats:p>": [1]}) == "Lung ultrasound"


def test_work_id() -> None:
    assert work_id("https://openalex.org/W4396521101") == "W4396521101"
    assert work_id("W1") == "W1"
    assert work_id("https://openalex.org/A5000000001") is None
    assert work_id(None) is None


def test_parse_tolerates_a_sparse_work() -> None:
    raw = RawRecord(source="openalex", native_id="W1", url="https://openalex.org/W1", payload={"item": {"id": "W1"}})
    c = parse_work(raw)
    assert (c.title, c.text, c.links, c.doi, c.access, c.year) == ("", "", [], None, None, None)
