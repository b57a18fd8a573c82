"""Reading the candidate queue: listing and the export contract other tools read.

The JSON export is an array of objects with ``id, kind, title, status,
relevance, reasons, records, catalogue_match, fields, first_seen`` (plus
``uncertain``, ``match_reasons`` and ``updated_at``); ``fields`` maps each
canonical key that has a value to ``{"value", "evidence", "source"}``
(``unit`` too for ``total_size``). Value types follow docs/fields.md.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from crawler.db import Database
from crawler.errors import InputError

STATUSES = ("queued", "excluded", "known", "update", "merged")
CSV_COLUMNS = (
    "id", "kind", "title", "status", "relevance", "reasons", "records", "catalogue_match_id",
    "catalogue_match_name", "first_seen",
)


def check_status(status: str | None, extra: tuple[str, ...] = ()) -> None:
    if status and status not in STATUSES + extra:
        raise InputError(f"unknown status {status!r}; statuses: {', '.join(STATUSES + extra)}")


def export(db: Database, *, status: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    rows = db.candidates(status=status, kind=kind)
    ids = [r["id"] for r in rows]
    records = db.candidate_records(ids) if ids else {}
    fields = db.candidate_fields(ids) if ids else {}
    entries = {e["id"]: e for e in db.entries()}
    out = []
    for row in rows:
        match = entries.get(row["catalogue_entry_id"]) if row["catalogue_entry_id"] else None
        out.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "title": row["title"],
                "status": row["status"],
                "relevance": row["relevance"],
                "reasons": row["reasons"],
                "records": [
                    {"source": r["source"], "native_id": r["native_id"], "url": r["url"]}
                    for r in records.get(row["id"], [])
                ],
                "catalogue_match": {"id": match["id"], "name": match["name"]} if match else None,
                "fields": {
                    key: {
                        "value": f["value"],
                        "evidence": f["evidence"],
                        "source": f["source"],
                        **({"unit": f["unit"]} if f["unit"] else {}),
                    }
                    for key, f in fields.get(row["id"], {}).items()
                },
                "first_seen": row["first_seen"],
                "updated_at": row["updated_at"],
                "match_reasons": row["match_reasons"],
                "uncertain": row["uncertain"],
                "merged_into": row["merged_into"],
            }
        )
    return out


def to_csv(items: list[dict[str, Any]]) -> str:
    keys: list[str] = []
    for item in items:
        keys.extend(k for k in item["fields"] if k not in keys)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(CSV_COLUMNS) + keys)
    for item in items:
        match = item["catalogue_match"] or {}
        row = [
            item["id"], item["kind"], item["title"], item["status"], item["relevance"],
            "; ".join(item["reasons"]),
            " ".join(f"{r['source']}:{r['native_id']}" for r in item["records"]),
            match.get("id", ""), match.get("name", ""), item["first_seen"],
        ]
        for key in keys:
            value = item["fields"].get(key, {}).get("value")
            row.append("" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        writer.writerow(row)
    return buffer.getvalue()
