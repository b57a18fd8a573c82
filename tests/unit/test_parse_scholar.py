"""ScholarSource.parse and the record built from a scholarly Publication.

The Publications come from scholarly's own row parser run offline over the
Scholar-shaped fixture pages, so the payload is exactly what a search stores.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from scholarly.data_types import PublicationSource
from scholarly.publication_parser import PublicationParser

from crawler.models import RawRecord
from sources.base import SourceContext, SourceSettings
from sources.scholar import ScholarSource, cluster_id, publication_record

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scholar"


def publications(name: str) -> list[dict]:
    """scholarly's Publication dicts for the rows of one fixture page (no network)."""
    soup = BeautifulSoup((FIXTURES / name).read_text(encoding="utf-8"), "html.parser")
    nav = SimpleNamespace(publib=soup.find("div", id="gs_res_glb")["data-sva"])
    parser = PublicationParser(nav)
    rows = soup.find_all("div", class_="gs_r gs_or gs_scl")
    return [parser.get_publication(row, PublicationSource.PUBLICATION_SEARCH_SNIPPET) for row in rows]


@pytest.fixture(scope="module")
def source() -> ScholarSource:
    return ScholarSource.from_context(SourceContext(settings=SourceSettings(name="scholar")))


def records(name: str) -> list[RawRecord]:
    return [publication_record(pub) for pub in publications(name)]


def test_record_from_a_result_row() -> None:
    record = records("results_page_1.html")[0]
    assert record.source == "scholar"
    assert record.native_id == "Q1w2E3r4T5yJ"  # the row's data-cid
    assert record.url == "https://arxiv.org/abs/2405.01234"
    assert record.updated_at == "2024"
    item = json.loads(json.dumps(record.payload))["item"]  # JSON-serialisable, enum as its value
    assert item["source"] == "PUBLICATION_SEARCH_SNIPPET"
    assert item["bib"]["title"] == "A public benchmark dataset of fetal ultrasound standard planes"
    assert item["eprint_url"] == "https://arxiv.org/pdf/2405.01234"


def test_parse_first_page(source: ScholarSource) -> None:
    first, second = (source.parse(r) for r in records("results_page_1.html"))
    assert first.title == "A public benchmark dataset of fetal ultrasound standard planes"
    assert first.text.startswith("We release 12,400 ultrasound frames annotated by sonographers")
    assert first.kind_hint == "publication"
    assert first.authors == ["J Doe", "A Smith", "B Lee"]
    assert first.year == 2024
    assert first.links == ["https://arxiv.org/abs/2405.01234", "https://arxiv.org/pdf/2405.01234"]
    assert first.doi is None
    assert first.extra == {"venue": "arXiv preprint arXiv:2405.01234", "num_citations": 17, "gsrank": 1}
    assert second.extra == {"venue": "Ultrasound in Medicine & Biology", "num_citations": 64, "gsrank": 2}
    assert "  " not in second.text  # the snippet's stripped ellipsis leaves no double space


def test_parse_keeps_every_resource_link_and_the_doi(source: ScholarSource) -> None:
    candidate = source.parse(records("results_page_2.html")[0])
    assert candidate.links == [
        "https://onlinelibrary.wiley.com/doi/full/10.1002/JUM.16321",
        "https://www.mdpi.com/2306-5354/10/4/512/pdf",
        "https://github.com/echo-lab/echo-views",
        "https://doi.org/10.5281/zenodo.1234567",
        "https://zenodo.org/records/1234567",  # written without a scheme in the snippet
        "https://huggingface.co/datasets/echo-lab/views",
        "https://doi.org/10.1002/jum.16321",  # the DOI inside the title link
    ]
    assert candidate.doi == "10.1002/jum.16321"
    assert candidate.year == 2024
    assert candidate.extra["gsrank"] == 11


def test_citation_row_without_link_or_year(source: ScholarSource) -> None:
    record = records("results_page_2.html")[1]
    assert record.native_id == "P0o9I8u7Y6tJ"
    assert record.url == "https://scholar.google.com/scholar?q=info:P0o9I8u7Y6tJ:scholar.google.com/"
    assert record.updated_at is None  # Scholar showed no year ("NA")
    candidate = source.parse(record)
    assert candidate.title == "Thyroid ultrasound image collection"
    assert candidate.year is None
    assert candidate.links == []
    assert candidate.text == ""
    assert candidate.extra == {"venue": None, "num_citations": 0, "gsrank": 12}


def test_links_and_dois_in_text(source: ScholarSource) -> None:
    item = {
        "bib": {
            "title": "Weights at https://huggingface.co/org/us-seg)",
            "abstract": (
                "See kaggle.com/datasets/a/b, www.github.com/x/y. and DOI: 10.1016/J.ULTRAS.2023.107001."
            ),
            "author": "A One and B Two",
            "pub_year": "NA",
            "venue": "NA",
        },
        "pub_url": "https://doi.org/10.1016/j.ultras.2023.107001",
    }
    raw = RawRecord(source="scholar", native_id="x", url="u", payload={"item": item})
    candidate = source.parse(raw)
    assert candidate.links == [
        "https://doi.org/10.1016/j.ultras.2023.107001",
        "https://huggingface.co/org/us-seg",
        "https://kaggle.com/datasets/a/b",
        "https://www.github.com/x/y",
    ]
    assert candidate.doi == "10.1016/j.ultras.2023.107001"
    assert candidate.authors == ["A One", "B Two"]
    assert candidate.extra["venue"] is None


def test_cluster_id_falls_back_to_a_stable_hash() -> None:
    item = {"bib": {"title": " Some Title ", "pub_year": "2021"}}
    assert cluster_id(item) == cluster_id({"bib": {"title": "some title", "pub_year": "2021"}})
    assert cluster_id(item).startswith("sha1:")
    bib_url = "/scholar?hl=en&q=info:K8ZpoI6hZNoJ:scholar.google.com/"
    assert cluster_id({"url_scholarbib": bib_url}) == "K8ZpoI6hZNoJ"
