"""The catalogue for Datasette: the flat ``catalogue_public`` table and its defaults.

``catalogue.db`` opens in Datasette as it is; what makes it pleasant is one
flat row per entry whose columns suit facets (``kind``, ``tier``, ``access``,
and ``anatomy`` as a JSON array for an array facet), and a full-text index on
names, descriptions and reference text. The table and its index are created
by the ``m005_public_view`` migration (sqlite-utils ``enable_fts`` with
triggers, so the index follows every change to the table); ``refresh``
rebuilds its rows from the catalogue. The export commands call it, and so
should anything that wants Datasette to show the current catalogue.

Serve it with the metadata shipped in the repository::

    sonocat export datasette
    datasette catalogue.db --metadata datasette/metadata.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crawler.catalogue import TIER_ORDER
from crawler.db import Database
from crawler.exports.tables import entry_rows

# The metadata file in the repository (a checkout, or the editable install of one).
METADATA_PATH = Path(__file__).resolve().parents[2] / "datasette" / "metadata.json"


def public_row(row: dict[str, Any]) -> dict[str, Any]:
    """One ``catalogue_public`` row from one row of ``tables.entry_rows``."""
    links = row.get("link") or []
    return {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "description": row.get("description"),
        "anatomy": json.dumps(row["anatomy"], ensure_ascii=False) if row.get("anatomy") else None,
        "anatomy_groups": json.dumps(row["anatomy_groups"], ensure_ascii=False) if row.get("anatomy_groups") else None,
        "total_size": row.get("total_size"),
        "access": row.get("access"),
        "task": row.get("task"),
        "tier": row.get("tier"),
        "tier_rank": TIER_ORDER.index(row["tier"]) + 1 if row.get("tier") in TIER_ORDER else None,
        "score": row.get("score"),
        "computed_tier": row.get("computed_tier"),
        "published_tier": row.get("published_tier"),
        "published_sonomqs": row.get("published_sonomqs"),
        "licence": row.get("licence"),
        "doi": row.get("doi"),
        "link": links[0] if links else None,
        "reference_text": row.get("reference_text"),
        "provenance": row.get("provenance"),
        "reviewed_at": row.get("reviewed_at"),
        "updated_at": row.get("updated_at"),
    }


def refresh(db: Database) -> int:
    """Rebuild ``catalogue_public`` (and by trigger its search index) from the catalogue; returns its row count."""
    return db.refresh_public_table([public_row(row) for row in entry_rows(db)])


def load_metadata(path: Path | None = None) -> dict[str, Any]:
    return json.loads((path or METADATA_PATH).read_text(encoding="utf-8"))
