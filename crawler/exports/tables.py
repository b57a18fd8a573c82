"""The catalogue as tables: ``entries`` (one row per entry) and ``characteristics`` (long form).

Both are written as CSV and as JSON, in a fixed order (entries by id,
characteristics by entry id then key), so two exports of the same catalogue
are byte-identical.

JSON keeps every value in its type of docs/fields.md (lists as arrays, sizes
as integers, yes/no as booleans). CSV has one spelling per type, which
``decode_cell`` reads back: a list is its items joined with ``" | "`` (no
canonical term and no found URL contains ``|``), a boolean is ``true`` /
``false``, an absent value is the empty cell. The long form says each value's
type in its ``type`` column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crawler import catalogue
from crawler.db import Database
from crawler.fields import value_type

LIST_SEPARATOR = " | "

# Column name -> value type ("text", "int", "float", "bool", "list"), in file order.
ENTRY_COLUMNS: dict[str, str] = {
    "id": "int",
    "kind": "text",
    "name": "text",
    "anatomy": "list",
    "anatomy_groups": "list",
    "total_size": "int",
    "access": "text",
    "task": "text",
    "tier": "text",
    "score": "float",
    "computed_tier": "text",
    "published_tier": "text",
    "published_sonomqs": "float",
    "rubric": "text",
    "licence": "text",
    "doi": "text",
    "link": "list",
    "description": "text",
    "version": "text",
    "provenance": "text",
    "paper_refs": "text",
    "reference_text": "text",
    "unverifiable": "bool",
    "created_at": "text",
    "updated_at": "text",
    "reviewed_at": "text",
}
CHARACTERISTIC_COLUMNS: dict[str, str] = {
    "entry_id": "int",
    "kind": "text",
    "entry_name": "text",
    "key": "text",
    "type": "text",
    "value": "typed",  # decoded with the row's own ``type``
    "evidence": "text",
    "evidence_source": "text",
    "entered_by": "text",
    "entered_at": "text",
}


def entry_rows(db: Database) -> list[dict[str, Any]]:
    """One row per entry, by id: the catalogue summary plus the entry's kept-not-scored fields.

    ``task`` is a model's task or a dataset's task category (both canonical task names).
    """
    summaries = {row["id"]: row for row in catalogue.list_entries(db)}
    values = db.values_by_entry()
    rows = []
    for entry in sorted(db.entries(), key=lambda e: e["id"]):
        summary = summaries[entry["id"]]
        own = values.get(entry["id"], {})
        row = {
            **{k: summary.get(k) for k in ENTRY_COLUMNS if k in summary},
            "task": own.get("task") or own.get("task_category"),
            "licence": own.get("licence"),
            "doi": own.get("doi"),
            "link": own.get("link") or [],
            "description": own.get("description"),
            "version": own.get("version"),
            "paper_refs": entry["paper_refs"],
            "reference_text": entry["reference_text"],
            "unverifiable": bool(entry["unverifiable"]),
            "created_at": entry["created_at"],
            "updated_at": entry["updated_at"],
            "reviewed_at": entry.get("reviewed_at"),
        }
        # An empty text is an absent value, as in CSV.
        rows.append({column: None if row.get(column) == "" else row.get(column) for column in ENTRY_COLUMNS})
    return rows


def characteristic_rows(db: Database) -> list[dict[str, Any]]:
    """Every characteristic of every entry, with its evidence and who entered it, by entry id then key."""
    rows = []
    for row in db.all_characteristics():
        rows.append(
            {
                **{k: row[k] for k in CHARACTERISTIC_COLUMNS if k in row},
                "type": _type_of(row["key"], row["kind"], row["value"]),
            }
        )
    return [{column: row.get(column) for column in CHARACTERISTIC_COLUMNS} for row in rows]


def _type_of(key: str, kind: str, value: Any) -> str:
    """The key's type (crawler.fields), unless the stored value is of another one."""
    declared = value_type(key, kind)
    if isinstance(value, list):
        actual = "list"
    elif isinstance(value, bool):
        actual = "bool"
    elif isinstance(value, int):
        actual = "int"
    elif isinstance(value, float):
        actual = "float"
    else:
        actual = "text"
    return declared if declared == actual or (declared == "enum" and actual == "text") else actual


def encode_cell(value: Any) -> str:
    """A value's CSV spelling (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def decode_cell(text: str, kind: str) -> Any:
    """Read a CSV cell back as a value of type ``kind`` (text, enum, int, float, bool, list)."""
    if text == "":
        return [] if kind == "list" else None
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        return text == "true"
    if kind == "list":
        return text.split(LIST_SEPARATOR)
    return text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([encode_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def read_csv(text: str, columns: Mapping[str, str]) -> list[dict[str, Any]]:
    """Parse a CSV written by ``to_csv`` back into typed rows (``typed`` columns use the row's ``type``)."""
    out = []
    for raw in csv.DictReader(io.StringIO(text)):
        row: dict[str, Any] = {}
        for column, kind in columns.items():
            if kind == "typed":
                continue
            row[column] = decode_cell(raw[column], kind)
        for column, kind in columns.items():
            if kind == "typed":
                row[column] = decode_cell(raw[column], row.get("type") or "text")
        out.append({column: row[column] for column in columns})
    return out


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def tables(db: Database) -> dict[str, tuple[list[dict[str, Any]], dict[str, str]]]:
    """Each table's rows and columns, by table name."""
    return {
        "entries": (entry_rows(db), ENTRY_COLUMNS),
        "characteristics": (characteristic_rows(db), CHARACTERISTIC_COLUMNS),
    }
