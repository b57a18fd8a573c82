"""GitHubSource.parse and the pure query helpers, on the fixtures in tests/fixtures/github."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.models import FileInfo, RawRecord
from sources.github import (
    build_q,
    dois_in,
    parse_record,
    pick_doi,
    search_variants,
    split_window,
    urls_in,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "github"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def readme(name: str) -> str:
    return base64.b64decode(load(f"readme_{name}")["content"]).decode("utf-8")


def item(search_fixture: str, name: str) -> dict[str, Any]:
    return next(i for i in load(search_fixture)["items"] if i["name"] == name)


def raw(it: dict[str, Any], **enrichments: Any) -> RawRecord:
    return RawRecord(
        source="github",
        native_id=str(it["id"]),
        url=it["html_url"],
        payload={"item": it, **enrichments},
        updated_at=it["pushed_at"],
    )


def test_parse_model_repository_with_release_weights() -> None:
    it = item("search_repositories", "breast-us-seg")
    record = raw(
        it,
        readme=readme("breast-us-seg"),
        topics=load("topics_breast-us-seg")["names"],
        releases=load("releases_breast-us-seg"),
    )

    c = parse_record(record)

    assert c.source == "github" and c.native_id == "734512901"
    assert c.url == "https://github.com/echolab-demo/breast-us-seg"
    assert c.title == "echolab-demo/breast-us-seg"
    assert c.kind_hint == "software"
    assert c.text.startswith(it["description"] + "\n\n# breast-us-seg\n")
    assert c.licence == "MIT"
    assert c.access == "open"
    assert c.keywords == ["breast-ultrasound", "medical-imaging", "segmentation", "ultrasound", "unet"]
    assert c.authors == ["echolab-demo"]
    assert c.created == "2024-01-09T14:02:11Z" and c.year == 2024
    assert c.updated == "2024-10-30T19:44:03Z"
    assert c.version == "v1.0"  # the newest stable release, not the newer release candidate
    download = "https://github.com/echolab-demo/breast-us-seg/releases/download"
    assert c.files == [
        FileInfo("unet_busi.onnx", 124001022, f"{download}/v1.1-rc1/unet_busi.onnx"),
        FileInfo("unet_busi.pt", 124873216, f"{download}/v1.0/unet_busi.pt"),
        FileInfo("config.yaml", 1432, f"{download}/v1.0/config.yaml"),
    ]
    assert c.doi is None and c.links == []
    assert c.extra == {
        "stars": 87,
        "forks": 12,
        "language": "Python",
        "archived": False,
        "fork": False,
        "releases": 2,
        "pushed_at": "2024-10-30T19:44:03Z",
        "weight_assets": ["unet_busi.onnx", "unet_busi.pt"],
    }


def test_parse_repository_without_readme_licence_or_releases() -> None:
    it = item("search_repositories", "echonet-lite")

    c = parse_record(raw(it, readme=None, topics=it["topics"], releases=[]))

    assert c.title == "someuser/echonet-lite"
    assert c.text == "Lightweight echocardiography ejection-fraction regressor"
    assert c.licence is None
    assert c.version is None and c.files == []
    assert c.keywords == ["echocardiography", "ultrasound"]
    assert c.links == []  # homepage is null
    assert c.extra["language"] == "Jupyter Notebook" and c.extra["releases"] == 0


def test_parse_dataset_repository_with_doi_badge_and_links() -> None:
    it = item("search_repositories_more", "us-thyroid-nodules")

    c = parse_record(raw(it, readme=readme("us-thyroid-nodules"), topics=it["topics"], releases=[]))

    assert c.licence is None  # spdx_id NOASSERTION
    assert c.doi == "10.5281/zenodo.7654321"
    assert c.extra["dois"] == ["10.5281/zenodo.7654321", "10.1016/j.media.2025.103412"]
    assert c.extra["archived"] is True
    assert c.links == [
        "https://thyro-lab.org/datasets/tn-us",  # homepage first
        "https://data.thyro-lab.org/tn-us",  # description, sentence full stop dropped
        "https://zenodo.org/badge/DOI/10.5281/zenodo.7654321.svg",
        "https://doi.org/10.5281/zenodo.7654321",
        "https://img.shields.io/badge/License-CC%20BY%204.0-lightgrey.svg",
        "https://creativecommons.org/licenses/by/4.0/",
        "https://zenodo.org/records/7654321",
        "https://thyro-lab.org/tn-us/terms",
    ]
    assert "2,100 B-mode images" in c.text


def test_parse_an_unchanged_record_uses_the_item_alone() -> None:
    it = item("search_repositories", "breast-us-seg")

    record = RawRecord("github", str(it["id"]), it["html_url"], {"item": it}, it["pushed_at"], unchanged=True)

    c = parse_record(record)

    assert c.keywords == it["topics"]
    assert c.files == [] and c.version is None and c.extra["releases"] == 0
    assert c.text == it["description"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.123.svg)](https://doi.org/10.5281/zenodo.123)",
            ["10.5281/zenodo.123"],
        ),
        ("Cite: https://doi.org/10.1016/S0140-6736(20)30183-5).", ["10.1016/s0140-6736(20)30183-5"]),
        ("doi:10.1000/XYZ123.", ["10.1000/xyz123"]),
        (
            "[![DOI](https://img.shields.io/badge/DOI-x-blue)](https://doi.org/10.1234/ABC) and 10.5555/other",
            ["10.1234/abc", "10.5555/other"],
        ),
        ("version 10.2 of the model, see https://zenodo.org/badge/latestdoi/734512901", []),
    ],
)
def test_dois_in(text: str, expected: list[str]) -> None:
    assert dois_in(text) == expected


def test_pick_doi_prefers_the_zenodo_archive() -> None:
    assert pick_doi(["10.1016/j.media.2025.103412", "10.5281/zenodo.9"]) == "10.5281/zenodo.9"
    assert pick_doi(["10.1016/j.media.2025.103412"]) == "10.1016/j.media.2025.103412"
    assert pick_doi([]) is None


def test_urls_in_trims_punctuation_and_deduplicates() -> None:
    text = "See (https://a.org/x), https://a.org/x. and [b](https://b.org/p_(1)) <https://c.org/q?x=1&y=2>!"
    assert urls_in([text, None, "https://b.org/p_(1)"]) == [
        "https://a.org/x",
        "https://b.org/p_(1)",
        "https://c.org/q?x=1&y=2",
    ]


def test_search_variants_and_query_text() -> None:
    assert search_variants("ultrasound") == ["ultrasound in:name,description,topics,readme", "topic:ultrasound"]
    assert search_variants("  public  ultrasound datasets ") == [
        "public ultrasound datasets in:name,description,topics,readme",
        "topic:public-ultrasound-datasets",
    ]
    assert build_q("topic:x", date(2025, 9, 1), date(2020, 1, 1), date(2020, 6, 30)) == (
        "topic:x pushed:>=2025-09-01 created:2020-01-01..2020-06-30"
    )
    assert build_q("x in:name", None, None, None) == "x in:name"


def test_split_window_halves_until_a_single_day() -> None:
    today = date(2025, 10, 21)
    halves = split_window(None, None, today)
    assert halves is not None
    (lo1, hi1), (lo2, hi2) = halves
    assert lo1 == date(2007, 10, 1) and hi2 == today
    assert (lo2 - hi1).days == 1  # contiguous, no day lost or counted twice
    assert split_window(date(2020, 1, 1), date(2020, 1, 2), today) == [
        (date(2020, 1, 1), date(2020, 1, 1)),
        (date(2020, 1, 2), date(2020, 1, 2)),
    ]
    assert split_window(date(2020, 1, 1), date(2020, 1, 1), today) is None
