"""The database: schema, migrations and every SQL statement sonocat runs.

One SQLite file (``catalogue.db`` by default) in WAL mode. The schema is
built by sqlite-utils ``Migrations``; opening an older database upgrades it,
and a file that is not a sonocat database is refused before anything is
written to it.

Tables (names are the constants below):

* ``sonocat_meta``: key/value facts about the file (application marker).
* ``entries``: catalogue entries, kind ``dataset`` or ``model``, with the
  paper's published tier / SonoMQS and reference kept beside our own data.
* ``characteristics``: one row per (entry, characteristic key): JSON value,
  evidence text, evidence source, who entered it and when.
* ``characteristic_history``: old characteristic rows, filled by triggers
  whenever a value is replaced or removed (nothing is lost).
* ``scores``: every score ever computed, with the rubric id and version.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.errors import DatabaseError, NotASonocatDatabase, NotFoundError

APPLICATION_ID = 0x536F6E6F  # "Sono"
SQLITE_MAGIC = b"SQLite format 3\x00"

META = "sonocat_meta"
ENTRIES = "entries"
CHARACTERISTICS = "characteristics"
CHARACTERISTIC_HISTORY = "characteristic_history"
SCORES = "scores"

migrations = Migrations("sonocat")


@migrations()
def m001_catalogue(db: sqlite_utils.Database) -> None:
    db[META].create({"key": str, "value": str}, pk="key")
    db[ENTRIES].create(
        {
            "id": int,
            "kind": str,
            "name": str,
            "provenance": str,  # "paper-2025-09" for the baseline, "review" for promoted entries
            "paper_refs": str,
            "reference_text": str,
            "paper_tier": str,
            "paper_sonomqs": float,
            "unverifiable": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"kind", "name", "provenance", "created_at", "updated_at"},
        defaults={"unverifiable": 0},
    )
    db.execute(f"CREATE UNIQUE INDEX idx_entries_kind_name ON {ENTRIES} (kind, lower(name))")
    db[CHARACTERISTICS].create(
        {
            "entry_id": int,
            "key": str,
            "value": str,  # JSON
            "evidence": str,
            "evidence_source": str,
            "entered_by": str,
            "entered_at": str,
        },
        pk=("entry_id", "key"),
        foreign_keys=[("entry_id", ENTRIES, "id")],
        not_null={"value", "entered_by", "entered_at"},
    )
    db[CHARACTERISTIC_HISTORY].create(
        {
            "id": int,
            "entry_id": int,
            "key": str,
            "value": str,
            "evidence": str,
            "evidence_source": str,
            "entered_by": str,
            "entered_at": str,
            "replaced_at": str,
        },
        pk="id",
    )
    db[CHARACTERISTIC_HISTORY].create_index(["entry_id", "key"])
    history_insert = f"""
        INSERT INTO {CHARACTERISTIC_HISTORY}
            (entry_id, key, value, evidence, evidence_source, entered_by, entered_at, replaced_at)
        VALUES (OLD.entry_id, OLD.key, OLD.value, OLD.evidence, OLD.evidence_source,
                OLD.entered_by, OLD.entered_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));"""
    db.execute(
        f"""CREATE TRIGGER characteristics_history_update AFTER UPDATE ON {CHARACTERISTICS}
            WHEN OLD.value IS NOT NEW.value OR OLD.evidence IS NOT NEW.evidence
            BEGIN {history_insert} END"""
    )
    db.execute(
        f"""CREATE TRIGGER characteristics_history_delete AFTER DELETE ON {CHARACTERISTICS}
            BEGIN {history_insert} END"""
    )
    db[SCORES].create(
        {
            "id": int,
            "entry_id": int,
            "rubric_id": str,
            "rubric_version": str,
            "score": float,
            "tier": str,
            "completed": str,  # JSON list of keys
            "missing": str,  # JSON list of keys
            "computed_at": str,
        },
        pk="id",
        foreign_keys=[("entry_id", ENTRIES, "id")],
    )
    db[SCORES].create_index(["entry_id", "id"])


class Database:
    """The sonocat database. Every SQL statement lives in this class."""

    def __init__(self, conn: sqlite_utils.Database, path: Path) -> None:
        self.db = conn
        self.path = path

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> Database:
        """Open (and upgrade) the database at ``path``.

        With ``create=False`` a missing file is an error that says how to make
        one. A file that is not SQLite, or SQLite belonging to another
        application, raises ``NotASonocatDatabase`` and is left untouched.
        """
        path = Path(path)
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a database file")
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise DatabaseError(f"no catalogue at {path}; run `sonocat init` first (or pass --db PATH)")
        if exists:
            _check_is_sonocat(path)
        try:
            conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn)
            if not exists:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
            db[META].upsert({"key": "application", "value": "sonocat"}, pk="key")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def transaction(self):  # noqa: ANN201 - a context manager
        return self.db.atomic()

    # -- entries -----------------------------------------------------------

    def find_entry(self, kind: str, name: str) -> dict | None:
        rows = list(
            self.db.query(f"SELECT * FROM {ENTRIES} WHERE kind = ? AND lower(name) = lower(?)", [kind, name])
        )
        return rows[0] if rows else None

    def insert_entry(self, row: dict[str, Any]) -> int:
        return self.db[ENTRIES].insert(row).last_pk

    def get_entry(self, entry_id: int) -> dict:
        rows = list(self.db.query(f"SELECT * FROM {ENTRIES} WHERE id = ?", [entry_id]))
        if not rows:
            raise NotFoundError(f"no catalogue entry with id {entry_id}")
        return rows[0]

    def entries_named(self, name: str) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM {ENTRIES} WHERE lower(name) = lower(?) ORDER BY kind, id", [name]))

    def entries(self, kind: str | None = None) -> list[dict]:
        sql = f"SELECT * FROM {ENTRIES}"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        return list(self.db.query(sql + " ORDER BY kind, id", params))

    def count_entries(self) -> int:
        return self.db[ENTRIES].count

    # -- characteristics ---------------------------------------------------

    def set_characteristic(
        self,
        entry_id: int,
        key: str,
        value: Any,
        *,
        evidence: str | None,
        evidence_source: str | None,
        entered_by: str,
        entered_at: str,
    ) -> bool:
        """Insert or replace one value; returns True when something changed."""
        encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        current = list(
            self.db.query(
                f"SELECT value, evidence, evidence_source FROM {CHARACTERISTICS} WHERE entry_id = ? AND key = ?",
                [entry_id, key],
            )
        )
        if current and (current[0]["value"], current[0]["evidence"], current[0]["evidence_source"]) == (
            encoded,
            evidence,
            evidence_source,
        ):
            return False
        self.db.execute(
            f"""INSERT INTO {CHARACTERISTICS}
                (entry_id, key, value, evidence, evidence_source, entered_by, entered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(entry_id, key) DO UPDATE SET
                    value = excluded.value, evidence = excluded.evidence,
                    evidence_source = excluded.evidence_source,
                    entered_by = excluded.entered_by, entered_at = excluded.entered_at""",
            [entry_id, key, encoded, evidence, evidence_source, entered_by, entered_at],
        )
        return True

    def characteristics(self, entry_id: int) -> list[dict]:
        rows = self.db.query(f"SELECT * FROM {CHARACTERISTICS} WHERE entry_id = ? ORDER BY rowid", [entry_id])
        return [{**row, "value": json.loads(row["value"])} for row in rows]

    def values_by_entry(self, kind: str | None = None) -> dict[int, dict[str, Any]]:
        sql = f"SELECT c.entry_id, c.key, c.value FROM {CHARACTERISTICS} c JOIN {ENTRIES} e ON e.id = c.entry_id"
        params: list[Any] = []
        if kind:
            sql += " WHERE e.kind = ?"
            params.append(kind)
        out: dict[int, dict[str, Any]] = {}
        for row in self.db.query(sql, params):
            out.setdefault(row["entry_id"], {})[row["key"]] = json.loads(row["value"])
        return out

    def characteristic_history(self, entry_id: int) -> list[dict]:
        rows = self.db.query(
            f"SELECT * FROM {CHARACTERISTIC_HISTORY} WHERE entry_id = ? ORDER BY id", [entry_id]
        )
        return [{**row, "value": json.loads(row["value"])} for row in rows]

    # -- scores ------------------------------------------------------------

    def add_score(self, entry_id: int, result: dict[str, Any], computed_at: str) -> None:
        rubric_id, _, version = result["rubric"].partition("@")
        self.db[SCORES].insert(
            {
                "entry_id": entry_id,
                "rubric_id": rubric_id,
                "rubric_version": version,
                "score": result["score"],
                "tier": result["tier"],
                "completed": json.dumps(result["completed"]),
                "missing": json.dumps(result["missing"]),
                "computed_at": computed_at,
            }
        )

    def latest_scores(self) -> dict[int, dict]:
        rows = self.db.query(
            f"""SELECT s.* FROM {SCORES} s
                JOIN (SELECT entry_id, max(id) AS id FROM {SCORES} GROUP BY entry_id) last ON last.id = s.id"""
        )
        return {row["entry_id"]: _decode_score(row) for row in rows}

    def score_history(self, entry_id: int) -> list[dict]:
        rows = self.db.query(f"SELECT * FROM {SCORES} WHERE entry_id = ? ORDER BY id", [entry_id])
        return [_decode_score(row) for row in rows]


def _decode_score(row: dict) -> dict:
    return {
        **row,
        "rubric": f"{row['rubric_id']}@{row['rubric_version']}",
        "completed": json.loads(row["completed"]),
        "missing": json.loads(row["missing"]),
    }


def _check_is_sonocat(path: Path) -> None:
    """Refuse, without writing, anything that is not a sonocat database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    if not header.startswith(SQLITE_MAGIC):
        raise NotASonocatDatabase(f"{path} is not a SQLite database; refusing to touch it")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id == APPLICATION_ID:
        return
    # Read-only look inside: another application's database has tables but no marker.
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            marker = None
            if META in tables:
                found = conn.execute(f"SELECT value FROM {META} WHERE key = 'application'").fetchone()
                marker = found[0] if found else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotASonocatDatabase(f"{path} is not a readable SQLite database ({exc}); refusing to touch it") from exc
    if marker == "sonocat" or not tables:
        return
    raise NotASonocatDatabase(
        f"{path} is a SQLite database of another application (tables: {', '.join(sorted(tables)[:5])}); "
        "refusing to touch it"
    )

