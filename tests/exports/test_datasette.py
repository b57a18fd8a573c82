"""Datasette on catalogue.db with the shipped metadata: facets, full-text search, private accounts.

Datasette runs in-process (``Datasette(files=..., metadata=...)`` and its
``client``) on a copy of the loaded catalogue.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from datasette.app import Datasette

from crawler import catalogue
from crawler.db import CATALOGUE_PUBLIC, Database
from crawler.exports import datasette as public
from crawler.exports import refresh_public
from tests.exports import PROMOTED_VALUES, add_promoted_entry

TABLE_1_TIERS = {"diamond": 1, "platinum": 5, "gold": 8, "silver": 12, "bronze": 29, "steel": 17}


@pytest.fixture
def served_db(catalogue_db: Path) -> Path:
    """The loaded catalogue plus one promoted entry, its public table refreshed (file name: catalogue.db)."""
    add_promoted_entry(catalogue_db)
    with Database.open(catalogue_db) as db:
        refresh_public(db)
    return catalogue_db


def get(db_path: Path, path: str) -> tuple[int, str]:
    async def fetch() -> tuple[int, str]:
        ds = Datasette(files=[str(db_path)], metadata=public.load_metadata())
        response = await ds.client.get(path)
        return response.status_code, response.text

    return asyncio.run(fetch())


def get_json(db_path: Path, path: str) -> dict:
    status, text = get(db_path, path)
    assert status == 200, text[:500]
    return json.loads(text)


def facet_counts(data: dict, name: str) -> dict:
    return {item["value"]: item["count"] for item in data["facet_results"][name]["results"]}


def test_refresh_builds_one_flat_row_per_entry(served_db: Path) -> None:
    with Database.open(served_db) as db:
        rows = db.public_rows()
        listed = catalogue.list_entries(db)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in listed)
    fetal = next(r for r in rows if r["name"] == "FETAL PLANES DB")
    assert json.loads(fetal["anatomy"])[0] == "fetus"
    assert (fetal["tier"], fetal["tier_rank"], fetal["access"], fetal["kind"]) == ("gold", 3, "OA", "dataset")
    promoted = next(r for r in rows if r["provenance"] == "review")
    assert promoted["link"] == PROMOTED_VALUES["link"][0] and promoted["licence"] == "CC-BY-4.0"
    assert promoted["description"] == PROMOTED_VALUES["description"]


def test_refresh_replaces_rows_and_the_search_index_follows(served_db: Path) -> None:
    with Database.open(served_db) as db:
        assert [r["name"] for r in db.search_public("Spanish")] == [PROMOTED_VALUES["name"]]
        entry = db.find_entry("dataset", PROMOTED_VALUES["name"])
        db.set_characteristic(
            entry["id"], "description", "Images from a Portuguese hospital.", evidence=None, evidence_source=None,
            entered_by="alice + bob", entered_at="2025-11-01T00:00:00Z",
        )
        assert refresh_public(db) == 128
        assert db.search_public("Spanish") == []
        assert [r["name"] for r in db.search_public("Portuguese")] == [PROMOTED_VALUES["name"]]


def test_the_metadata_names_columns_and_tables_that_exist(served_db: Path) -> None:
    metadata = public.load_metadata()
    database = metadata["databases"][served_db.stem]
    table = database["tables"][CATALOGUE_PUBLIC]
    with Database.open(served_db) as db:
        columns = set(db.db[CATALOGUE_PUBLIC].columns_dict)
        tables = set(db.db.table_names())
    facets = {f if isinstance(f, str) else next(iter(f.values())) for f in table["facets"]}
    assert {"kind", "tier", "access", "anatomy"} <= facets <= columns
    assert set(table["sortable_columns"]) <= columns and set(table["columns"]) <= columns
    assert table["fts_table"] in tables and table["searchmode"] in {"raw", "escaped"}
    assert set(database["tables"]) <= tables
    assert metadata["title"] and metadata["license"] and metadata["source_url"]


def expected_tiers(db_path: Path) -> dict[str, int]:
    """The paper's Table 1 tiers, plus the promoted dataset's computed tier."""
    with Database.open(db_path) as db:
        promoted = next(r["tier"] for r in db.public_rows() if r["provenance"] == "review")
    expected = dict(TABLE_1_TIERS)
    expected[promoted] = expected.get(promoted, 0) + 1
    return expected


def test_datasette_serves_the_public_table_with_its_default_facets(served_db: Path) -> None:
    data = get_json(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json?_shape=objects&_size=5")
    assert data["filtered_table_rows_count"] == 128
    assert facet_counts(data, "kind") == {"dataset": 73, "model": 55}
    assert facet_counts(data, "tier") == expected_tiers(served_db)  # models have no tier
    assert facet_counts(data, "access") == {"OA": 60, "AR": 13}
    anatomy = facet_counts(data, "anatomy")  # an array facet: one count per anatomy term
    assert anatomy["breast"] == 9 and anatomy["thyroid"] == 8
    assert data["license"] == "CC BY 4.0" and data["source_url"] == "https://doi.org/10.1038/s41746-025-02162-4"


def test_datasette_reads_a_faceted_html_page(served_db: Path) -> None:
    status, html = get(served_db, f"/catalogue/{CATALOGUE_PUBLIC}?_facet=provenance&kind=dataset")
    assert status == 200
    assert "<h1" in html and "Catalogue" in html  # the table's title from the metadata
    assert 'class="facet-info' in html and "paper-2025-09" in html and "bronze" in html
    data = get_json(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json?_facet=provenance&kind=dataset&_shape=objects")
    assert facet_counts(data, "provenance") == {"paper-2025-09": 72, "review": 1}
    assert facet_counts(data, "tier") == expected_tiers(served_db)


def test_datasette_full_text_search(served_db: Path) -> None:
    data = get_json(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json?_search=echocardiography&_shape=objects")
    names = {row["name"] for row in data["rows"]}
    assert {"CAMUS", "Echocardiography (EchoNet-LVH)"} <= names
    data = get_json(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json?_search=Spanish+hospital&_shape=objects")
    assert [row["name"] for row in data["rows"]] == [PROMOTED_VALUES["name"]]
    # The default (escaped) search mode takes punctuation as text, not query syntax.
    data = get_json(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json?_search=mu-Reg&_shape=objects")
    assert "mu-Reg" in {row["name"] for row in data["rows"]}


def test_datasette_keeps_reviewer_accounts_private(served_db: Path) -> None:
    assert get(served_db, "/catalogue/reviewers.json")[0] == 403
    assert get(served_db, "/catalogue.json?sql=select+password_hash+from+reviewers")[0] == 403
    assert get(served_db, f"/catalogue/{CATALOGUE_PUBLIC}.json")[0] == 200
