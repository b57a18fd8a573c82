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
* ``raw_records``: every hit a source returned, keyed by (source, native id),
  with its raw payload, content hash, first/last seen; ``needs_triage`` is set
  when a record is new or its content changed.
* ``runs`` / ``run_sources``: one row per discovery run, and per source in it
  the figures (requests, hits, new, changed, unchanged, errors, duration,
  final state and reason).
* ``source_state``: each source's watermark, advanced only by a complete run.
* ``query_progress``: per (source, query) the cursor after the last staged
  page, so a killed run resumes where it stopped.
* ``record_triage``: triage's verdict on each raw record (relevance, kind,
  reasons, the fields it extracted with evidence, and the identity keys used
  for entity resolution), for the content hash it judged.
* ``candidates``: one row per resource found (records of the same resource on
  several hosts fold into one), with status (queued, excluded, known, update,
  merged, and the review states), relevance, reasons and catalogue match.
* ``candidate_records``: which raw records each candidate holds.
* ``candidate_fields``: the candidate's pre-extracted characteristic values,
  with evidence and the record each came from.
* ``reviewers``: named accounts (curator or admin) with hashed passwords.
* ``review_actions``: one row per (candidate, reviewer, action): screening
  votes, resolutions, edits, confirmations, duplicate marks, splits. Append-only.
* ``audit_log``: every change, written by triggers (who, what, before, after,
  when). Append-only: triggers refuse UPDATE and DELETE on both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
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
RAW_RECORDS = "raw_records"
RUNS = "runs"
RUN_SOURCES = "run_sources"
SOURCE_STATE = "source_state"
QUERY_PROGRESS = "query_progress"
RECORD_TRIAGE = "record_triage"
CANDIDATES = "candidates"
CANDIDATE_RECORDS = "candidate_records"
CANDIDATE_FIELDS = "candidate_fields"
REVIEWERS = "reviewers"
REVIEW_ACTIONS = "review_actions"
AUDIT_LOG = "audit_log"

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


@migrations()
def m002_staging(db: sqlite_utils.Database) -> None:
    db[RUNS].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "state": str,  # running | ok | partial | failed | nothing | interrupted
            "trigger": str,  # manual | schedule | replay
            "options": str,  # JSON: sources, since, full
            "pid": int,
        },
        pk="id",
        not_null={"started_at", "state"},
    )
    db[RUN_SOURCES].create(
        {
            "run_id": int,
            "source": str,
            "state": str,  # running | ok | partial | failed | skipped
            "reason": str,
            "since": str,
            "requests": int,
            "hits": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "errors": int,
            "duration": float,
            "started_at": str,
            "finished_at": str,
        },
        pk=("run_id", "source"),
        foreign_keys=[("run_id", RUNS, "id")],
        defaults={"requests": 0, "hits": 0, "new": 0, "changed": 0, "unchanged": 0, "errors": 0},
    )
    db[RAW_RECORDS].create(
        {
            "id": int,
            "source": str,
            "native_id": str,
            "url": str,
            "payload": str,  # JSON, as fetched
            "content_hash": str,
            "source_updated_at": str,
            "fetched_at": str,
            "first_seen": str,
            "last_seen": str,
            "first_run_id": int,
            "last_run_id": int,
            "changed_run_id": int,
            "needs_triage": int,
        },
        pk="id",
        not_null={"source", "native_id", "payload", "content_hash", "first_seen", "last_seen"},
        defaults={"needs_triage": 1},
    )
    db[RAW_RECORDS].create_index(["source", "native_id"], unique=True)
    db[RAW_RECORDS].create_index(["needs_triage"])
    db[SOURCE_STATE].create(
        {"source": str, "watermark": str, "last_ok_run_id": int, "updated_at": str},
        pk="source",
    )
    db[QUERY_PROGRESS].create(
        {
            "source": str,
            "query": str,  # "kind:text"
            "window": str,  # the `since` the progress belongs to ("" = full crawl)
            "run_id": int,
            "cursor": str,
            "pages": int,
            "done": int,
            "updated_at": str,
        },
        pk=("source", "query"),
    )


@migrations()
def m003_triage(db: sqlite_utils.Database) -> None:
    db[RECORD_TRIAGE].create(
        {
            "raw_record_id": int,
            "content_hash": str,
            "relevance": float,
            "kind": str,
            "reasons": str,  # JSON list
            "fields": str,  # JSON {key: {value, evidence, source, unit}}
            "identity": str,  # JSON {name, title, keys, refs, is_publication}
            "triaged_at": str,
        },
        pk="raw_record_id",
        foreign_keys=[("raw_record_id", RAW_RECORDS, "id")],
    )
    db[CANDIDATES].create(
        {
            "id": int,
            "kind": str,
            "title": str,
            "status": str,
            "status_by": str,  # "triage", or the reviewer who last set it
            "relevance": float,
            "reasons": str,  # JSON list
            "catalogue_entry_id": int,
            "match_reasons": str,  # JSON list
            "uncertain": str,  # JSON list of [record, other, reason]
            "merged_into": int,
            "first_seen": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("catalogue_entry_id", ENTRIES, "id")],
        not_null={"kind", "status", "created_at", "updated_at"},
    )
    db[CANDIDATES].create_index(["status", "relevance"])
    db[CANDIDATE_RECORDS].create(
        {"raw_record_id": int, "candidate_id": int},
        pk="raw_record_id",
        foreign_keys=[("raw_record_id", RAW_RECORDS, "id"), ("candidate_id", CANDIDATES, "id")],
    )
    db[CANDIDATE_RECORDS].create_index(["candidate_id"])
    db[CANDIDATE_FIELDS].create(
        {
            "candidate_id": int,
            "key": str,
            "value": str,  # JSON
            "evidence": str,
            "source": str,  # "<source>:<native_id>"
            "unit": str,
            "entered_by": str,  # "machine" for triage's pre-extraction
            "entered_at": str,
        },
        pk=("candidate_id", "key"),
        foreign_keys=[("candidate_id", CANDIDATES, "id")],
    )


@migrations()
def m004_review(db: sqlite_utils.Database) -> None:
    db[REVIEWERS].create(
        {"id": int, "name": str, "role": str, "password_hash": str, "created_at": str},
        pk="id",
        not_null={"name", "role", "password_hash", "created_at"},
    )
    db[REVIEWERS].create_index(["name"], unique=True)
    db[REVIEW_ACTIONS].create(
        {
            "id": int,
            "candidate_id": int,
            "reviewer": str,
            "action": str,  # screen | resolve | edit | clear | confirm | duplicate | split
            "decision": str,  # include | exclude (screen, resolve)
            "reason": str,
            "note": str,
            "key": str,
            "value": str,  # JSON of the value set or confirmed
            "at": str,
        },
        pk="id",
        foreign_keys=[("candidate_id", CANDIDATES, "id")],
        not_null={"candidate_id", "reviewer", "action", "at"},
    )
    db[REVIEW_ACTIONS].create_index(["candidate_id", "action"])
    db[AUDIT_LOG].create(
        {"id": int, "at": str, "actor": str, "action": str, "target": str, "before": str, "after": str},
        pk="id",
    )
    db[CANDIDATES].add_column("promoted_entry_id", int)
    db[ENTRIES].add_column("reviewed_at", str)
    now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    for table in (REVIEW_ACTIONS, AUDIT_LOG):
        for event in ("UPDATE", "DELETE"):
            db.execute(
                f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            )
    db.execute(
        f"""CREATE TRIGGER audit_review_action AFTER INSERT ON {REVIEW_ACTIONS} BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.at, NEW.reviewer, 'review.' || NEW.action, 'candidate:' || NEW.candidate_id, NULL,
                    json_object('decision', NEW.decision, 'reason', NEW.reason, 'note', NEW.note,
                                'key', NEW.key, 'value', NEW.value));
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_candidate_status AFTER UPDATE OF status ON {CANDIDATES}
            WHEN OLD.status IS NOT NEW.status BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (coalesce(NEW.updated_at, {now}), coalesce(NEW.status_by, 'triage'), 'candidate.status',
                    'candidate:' || NEW.id, OLD.status, NEW.status);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_candidate_field_insert AFTER INSERT ON {CANDIDATE_FIELDS} BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.entered_at, NEW.entered_by, 'candidate.field',
                    'candidate:' || NEW.candidate_id || '/' || NEW.key, NULL, NEW.value);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_candidate_field_update AFTER UPDATE ON {CANDIDATE_FIELDS}
            WHEN OLD.value IS NOT NEW.value OR OLD.entered_by IS NOT NEW.entered_by BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.entered_at, NEW.entered_by, 'candidate.field',
                    'candidate:' || NEW.candidate_id || '/' || NEW.key, OLD.value, NEW.value);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_candidate_field_delete AFTER DELETE ON {CANDIDATE_FIELDS} BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES ({now}, 'unknown', 'candidate.field.cleared',
                    'candidate:' || OLD.candidate_id || '/' || OLD.key, OLD.value, NULL);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_entry_insert AFTER INSERT ON {ENTRIES} BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.created_at, NEW.provenance, 'entry.created', 'entry:' || NEW.id, NULL,
                    json_object('kind', NEW.kind, 'name', NEW.name));
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_characteristic AFTER UPDATE ON {CHARACTERISTICS}
            WHEN OLD.value IS NOT NEW.value BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.entered_at, NEW.entered_by, 'entry.characteristic',
                    'entry:' || NEW.entry_id || '/' || NEW.key, OLD.value, NEW.value);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER audit_reviewer AFTER INSERT ON {REVIEWERS} BEGIN
            INSERT INTO {AUDIT_LOG} (at, actor, action, target, before, after)
            VALUES (NEW.created_at, 'admin', 'reviewer.added', 'reviewer:' || NEW.name, NULL,
                    json_object('role', NEW.role));
        END"""
    )


# The public, flat view of the catalogue that Datasette serves (one row per
# entry, refreshed by ``Database.refresh_public_table``), and its search index.
CATALOGUE_PUBLIC = "catalogue_public"
CATALOGUE_PUBLIC_FTS_COLUMNS = ("name", "description", "reference_text")


@migrations()
def m005_public_view(db: sqlite_utils.Database) -> None:
    db[CATALOGUE_PUBLIC].create(
        {
            "id": int,
            "kind": str,
            "name": str,
            "description": str,
            "anatomy": str,  # JSON list of canonical anatomy terms
            "anatomy_groups": str,  # JSON list
            "total_size": int,
            "access": str,
            "task": str,
            "tier": str,
            "tier_rank": int,  # 1 = diamond ... 7 = unrated, so the tier sorts
            "score": float,
            "computed_tier": str,
            "published_tier": str,
            "published_sonomqs": float,
            "licence": str,
            "doi": str,
            "link": str,
            "reference_text": str,
            "provenance": str,
            "reviewed_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"kind", "name"},
    )
    for column in ("kind", "tier", "access"):
        db[CATALOGUE_PUBLIC].create_index([column])
    # Triggers keep the index in step with every refresh of the table.
    db[CATALOGUE_PUBLIC].enable_fts(CATALOGUE_PUBLIC_FTS_COLUMNS, create_triggers=True)


# The last known state of every catalogue link ``sonocat recheck`` visits: what
# it answered, the validators for a conditional request, where it moved, and
# for a dead link the last URL that worked and when it died.
LINK_CHECKS = "link_checks"


@migrations()
def m006_link_checks(db: sqlite_utils.Database) -> None:
    db[LINK_CHECKS].create(
        {
            "entry_id": int,
            "url": str,
            "status": str,  # alive | moved | dead | error
            "http_status": int,
            "etag": str,
            "last_modified": str,
            "last_good_url": str,
            "checked_at": str,
            "died_at": str,
            "moved_to": str,
        },
        pk=("entry_id", "url"),
        foreign_keys=[("entry_id", ENTRIES, "id")],
        not_null={"status", "checked_at"},
    )
    db[LINK_CHECKS].create_index(["checked_at"])


@migrations()
def m007_queue_index(db: sqlite_utils.Database) -> None:
    # the review queue filters by kind and status and sorts by relevance: count and page from the index
    db[CANDIDATES].create_index(["kind", "status", "relevance"])


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
            marker = list(db.query(f"SELECT value FROM {META} WHERE key = 'application'"))
            if not marker or marker[0]["value"] != "sonocat":  # write only when missing: opening stays read-only
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

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction taken with BEGIN IMMEDIATE.

        Sources stage concurrently from several connections; a deferred
        transaction that reads before it writes can fail at once with
        "database is locked" instead of waiting. Nested calls use savepoints.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- meta ----------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        rows = list(self.db.query(f"SELECT value FROM {META} WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            f"INSERT INTO {META} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

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


    # -- staging -----------------------------------------------------------

    def record_versions(self, source: str) -> dict[str, str | None]:
        rows = self.db.query(f"SELECT native_id, source_updated_at FROM {RAW_RECORDS} WHERE source = ?", [source])
        return {row["native_id"]: row["source_updated_at"] for row in rows}

    def stage_record(self, record: dict[str, Any], run_id: int, now: str) -> str:
        """Upsert one raw record; returns "new", "changed" or "unchanged".

        ``record`` has source, native_id, url, payload (JSON text), content_hash,
        source_updated_at; with ``payload`` None only ``last_seen`` moves.
        """
        found = list(
            self.db.query(
                f"SELECT id, content_hash FROM {RAW_RECORDS} WHERE source = ? AND native_id = ?",
                [record["source"], record["native_id"]],
            )
        )
        if not found:
            if record["payload"] is None:
                return "unchanged"  # the source skipped a record we never stored: nothing to keep
            self.db.execute(
                f"""INSERT INTO {RAW_RECORDS}
                    (source, native_id, url, payload, content_hash, source_updated_at, fetched_at,
                     first_seen, last_seen, first_run_id, last_run_id, changed_run_id, needs_triage)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""",
                [
                    record["source"], record["native_id"], record["url"], record["payload"],
                    record["content_hash"], record["source_updated_at"], now, now, now, run_id, run_id, run_id,
                ],
            )
            return "new"
        row = found[0]
        if record["payload"] is None or row["content_hash"] == record["content_hash"]:
            self.db.execute(
                f"UPDATE {RAW_RECORDS} SET last_seen = ?, last_run_id = ? WHERE id = ?",
                [now, run_id, row["id"]],
            )
            return "unchanged"
        self.db.execute(
            f"""UPDATE {RAW_RECORDS} SET url = ?, payload = ?, content_hash = ?, source_updated_at = ?,
                fetched_at = ?, last_seen = ?, last_run_id = ?, changed_run_id = ?, needs_triage = 1
                WHERE id = ?""",
            [
                record["url"], record["payload"], record["content_hash"], record["source_updated_at"],
                now, now, run_id, run_id, row["id"],
            ],
        )
        return "changed"

    def raw_records(self, *, source: str | None = None, needs_triage: bool | None = None) -> list[dict]:
        clauses, params = [], []
        if source:
            clauses.append("source = ?")
            params.append(source)
        if needs_triage is not None:
            clauses.append("needs_triage = ?")
            params.append(1 if needs_triage else 0)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return list(self.db.query(f"SELECT * FROM {RAW_RECORDS}{where} ORDER BY id", params))

    def count_raw_records(self) -> int:
        return self.db[RAW_RECORDS].count

    # -- runs --------------------------------------------------------------

    def start_run(self, started_at: str, trigger: str, options: dict[str, Any], pid: int) -> int:
        return self.db[RUNS].insert(
            {
                "started_at": started_at,
                "state": "running",
                "trigger": trigger,
                "options": json.dumps(options),
                "pid": pid,
            }
        ).last_pk

    def finish_run(self, run_id: int, state: str, finished_at: str) -> None:
        self.db.execute(f"UPDATE {RUNS} SET state = ?, finished_at = ? WHERE id = ?", [state, finished_at, run_id])

    def mark_interrupted_runs(self, now: str) -> list[int]:
        """Runs still marked running when nobody holds the lock were killed."""
        ids = [row["id"] for row in self.db.query(f"SELECT id FROM {RUNS} WHERE state = 'running'")]
        with self.transaction():
            for run_id in ids:
                self.db.execute(
                    f"UPDATE {RUNS} SET state = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE id = ?",
                    [now, run_id],
                )
                self.db.execute(
                    f"""UPDATE {RUN_SOURCES} SET state = 'failed',
                        reason = coalesce(reason, 'run was interrupted'), finished_at = coalesce(finished_at, ?)
                        WHERE run_id = ? AND state = 'running'""",
                    [now, run_id],
                )
        return ids

    def save_run_source(self, row: dict[str, Any]) -> None:
        self.db[RUN_SOURCES].upsert(row, pk=("run_id", "source"))

    def runs(self, limit: int = 50) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM {RUNS} ORDER BY id DESC LIMIT ?", [limit]))

    def get_run(self, run_id: int) -> dict:
        rows = list(self.db.query(f"SELECT * FROM {RUNS} WHERE id = ?", [run_id]))
        if not rows:
            raise NotFoundError(f"no run with id {run_id}")
        return {**rows[0], "options": json.loads(rows[0]["options"] or "{}")}

    def run_sources(self, run_id: int) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM {RUN_SOURCES} WHERE run_id = ? ORDER BY source", [run_id]))

    def run_totals(self) -> dict[int, dict]:
        rows = self.db.query(
            f"""SELECT run_id, sum(requests) AS requests, sum(hits) AS hits, sum(new) AS new,
                       sum(changed) AS changed, sum(unchanged) AS unchanged, sum(errors) AS errors
                FROM {RUN_SOURCES} GROUP BY run_id"""
        )
        return {row["run_id"]: row for row in rows}

    # -- watermarks and resumable progress -----------------------------------

    def watermark(self, source: str) -> str | None:
        rows = list(self.db.query(f"SELECT watermark FROM {SOURCE_STATE} WHERE source = ?", [source]))
        return rows[0]["watermark"] if rows else None

    def set_watermark(self, source: str, watermark: str, run_id: int, now: str) -> None:
        self.db[SOURCE_STATE].upsert(
            {"source": source, "watermark": watermark, "last_ok_run_id": run_id, "updated_at": now}, pk="source"
        )

    def query_progress(self, source: str, window: str) -> dict[str, dict]:
        rows = self.db.query(
            f"SELECT * FROM {QUERY_PROGRESS} WHERE source = ? AND window = ?", [source, window]
        )
        return {row["query"]: row for row in rows}

    def save_query_progress(
        self, source: str, query: str, window: str, run_id: int, cursor: str | None, pages: int, done: bool, now: str
    ) -> None:
        self.db[QUERY_PROGRESS].upsert(
            {
                "source": source,
                "query": query,
                "window": window,
                "run_id": run_id,
                "cursor": cursor,
                "pages": pages,
                "done": 1 if done else 0,
                "updated_at": now,
            },
            pk=("source", "query"),
        )

    def clear_query_progress(self, source: str) -> None:
        self.db.execute(f"DELETE FROM {QUERY_PROGRESS} WHERE source = ?", [source])


    # -- triage ------------------------------------------------------------

    def records_to_triage(self, *, all_records: bool = False) -> list[dict]:
        where = "" if all_records else " WHERE needs_triage = 1"
        return list(
            self.db.query(
                f"SELECT id, source, native_id, url, payload, content_hash, first_seen FROM {RAW_RECORDS}{where} ORDER BY id"
            )
        )

    def save_record_triage(self, raw_record_id: int, row: dict[str, Any]) -> None:
        self.db.execute(
            f"""INSERT INTO {RECORD_TRIAGE}
                (raw_record_id, content_hash, relevance, kind, reasons, fields, identity, triaged_at)
                VALUES (:raw_record_id, :content_hash, :relevance, :kind, :reasons, :fields, :identity, :triaged_at)
                ON CONFLICT(raw_record_id) DO UPDATE SET content_hash = excluded.content_hash,
                    relevance = excluded.relevance, kind = excluded.kind, reasons = excluded.reasons,
                    fields = excluded.fields, identity = excluded.identity, triaged_at = excluded.triaged_at""",
            {"raw_record_id": raw_record_id, **row},
        )
        self.db.execute(f"UPDATE {RAW_RECORDS} SET needs_triage = 0 WHERE id = ?", [raw_record_id])

    def triaged_records(self) -> list[dict]:
        rows = self.db.query(
            f"""SELECT r.id, r.source, r.native_id, r.url, r.first_seen, t.relevance, t.kind, t.reasons,
                       t.fields, t.identity, c.candidate_id
                FROM {RAW_RECORDS} r JOIN {RECORD_TRIAGE} t ON t.raw_record_id = r.id
                LEFT JOIN {CANDIDATE_RECORDS} c ON c.raw_record_id = r.id
                ORDER BY r.id"""
        )
        return [
            {**row, "reasons": json.loads(row["reasons"]), "fields": json.loads(row["fields"]),
             "identity": json.loads(row["identity"])}
            for row in rows
        ]

    def insert_candidate(self, row: dict[str, Any]) -> int:
        return self.db[CANDIDATES].insert(row).last_pk

    def update_candidate(self, candidate_id: int, changes: dict[str, Any]) -> None:
        self.db[CANDIDATES].update(candidate_id, changes)

    def get_candidate(self, candidate_id: int) -> dict:
        rows = list(self.db.query(f"SELECT * FROM {CANDIDATES} WHERE id = ?", [candidate_id]))
        if not rows:
            raise NotFoundError(f"no candidate with id {candidate_id}")
        return _decode_candidate(rows[0])

    def candidates(self, *, status: str | None = None, kind: str | None = None) -> list[dict]:
        clauses, params = ["status != 'merged'"], []
        if status:
            clauses = ["status = ?"]
            params.append(status)
        if kind:
            clauses.append("kind = ?")
            params.append(kind)
        rows = self.db.query(
            f"SELECT * FROM {CANDIDATES} WHERE {' AND '.join(clauses)} ORDER BY relevance DESC, id", params
        )
        return [_decode_candidate(row) for row in rows]

    def queue_page(
        self, *, status: str | None = None, kind: str | None = None, source: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[list[dict], int]:
        """One page of the review queue (merged candidates only when asked for), most relevant
        first, and how many match in all; paging and counting stay in SQL."""
        clauses, params = ["c.status != 'merged'"], []
        if status:
            clauses = ["c.status = ?"]
            params.append(status)
        if kind:
            clauses.append("c.kind = ?")
            params.append(kind)
        if source:
            clauses.append(
                f"""c.id IN (SELECT cr.candidate_id FROM {CANDIDATE_RECORDS} cr
                            JOIN {RAW_RECORDS} r ON r.id = cr.raw_record_id WHERE r.source = ?)"""
            )
            params.append(source)
        where = " AND ".join(clauses)
        total = self.db.execute(f"SELECT count(*) FROM {CANDIDATES} c WHERE {where}", params).fetchone()[0]
        # sort and skip on (relevance, id) alone, then read only the page's rows
        rows = self.db.query(
            f"""SELECT c.* FROM {CANDIDATES} c JOIN (
                    SELECT c.id FROM {CANDIDATES} c WHERE {where}
                    ORDER BY c.relevance DESC, c.id LIMIT ? OFFSET ?) page ON page.id = c.id
                ORDER BY c.relevance DESC, c.id""",
            [*params, limit, offset],
        )
        return [_decode_candidate(row) for row in rows], total

    def attach_record(self, raw_record_id: int, candidate_id: int) -> None:
        self.db.execute(
            f"""INSERT INTO {CANDIDATE_RECORDS} (raw_record_id, candidate_id) VALUES (?, ?)
                ON CONFLICT(raw_record_id) DO UPDATE SET candidate_id = excluded.candidate_id""",
            [raw_record_id, candidate_id],
        )

    def candidate_records(self, candidate_ids: list[int] | None = None) -> dict[int, list[dict]]:
        sql = f"""SELECT c.candidate_id, r.id, r.source, r.native_id, r.url, r.payload, r.first_seen
                  FROM {CANDIDATE_RECORDS} c JOIN {RAW_RECORDS} r ON r.id = c.raw_record_id"""
        params: list[Any] = []
        if candidate_ids is not None:
            sql += f" WHERE c.candidate_id IN ({','.join('?' * len(candidate_ids))})"
            params = list(candidate_ids)
        out: dict[int, list[dict]] = {}
        for row in self.db.query(sql + " ORDER BY r.id", params):
            out.setdefault(row["candidate_id"], []).append(row)
        return out

    def set_candidate_field(self, candidate_id: int, key: str, field: dict[str, Any], entered_by: str, now: str) -> None:
        self.db.execute(
            f"""INSERT INTO {CANDIDATE_FIELDS}
                (candidate_id, key, value, evidence, source, unit, entered_by, entered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(candidate_id, key) DO UPDATE SET value = excluded.value, evidence = excluded.evidence,
                    source = excluded.source, unit = excluded.unit, entered_by = excluded.entered_by,
                    entered_at = excluded.entered_at""",
            [
                candidate_id, key, json.dumps(field["value"], ensure_ascii=False, sort_keys=True),
                field.get("evidence"), field.get("source"), field.get("unit"), entered_by, now,
            ],
        )

    def delete_machine_fields(self, candidate_id: int, keep: set[str]) -> None:
        rows = self.db.query(
            f"SELECT key FROM {CANDIDATE_FIELDS} WHERE candidate_id = ? AND entered_by = 'machine'", [candidate_id]
        )
        for row in list(rows):
            if row["key"] not in keep:
                self.db.execute(
                    f"DELETE FROM {CANDIDATE_FIELDS} WHERE candidate_id = ? AND key = ?", [candidate_id, row["key"]]
                )

    def candidate_fields(self, candidate_ids: list[int] | None = None) -> dict[int, dict[str, dict]]:
        sql = f"SELECT * FROM {CANDIDATE_FIELDS}"
        params: list[Any] = []
        if candidate_ids is not None:
            sql += f" WHERE candidate_id IN ({','.join('?' * len(candidate_ids))})"
            params = list(candidate_ids)
        out: dict[int, dict[str, dict]] = {}
        for row in self.db.query(sql + " ORDER BY rowid", params):
            out.setdefault(row["candidate_id"], {})[row["key"]] = {**row, "value": json.loads(row["value"])}
        return out


    def delete_candidate_field(self, candidate_id: int, key: str) -> None:
        self.db.execute(f"DELETE FROM {CANDIDATE_FIELDS} WHERE candidate_id = ? AND key = ?", [candidate_id, key])

    # -- review --------------------------------------------------------------

    def add_reviewer(self, name: str, role: str, password_hash: str, now: str) -> int:
        try:
            return self.db[REVIEWERS].insert(
                {"name": name, "role": role, "password_hash": password_hash, "created_at": now}
            ).last_pk
        except sqlite3.IntegrityError as exc:
            raise DatabaseError(f"a reviewer named {name!r} already exists") from exc

    def reviewer(self, name: str) -> dict | None:
        rows = list(self.db.query(f"SELECT * FROM {REVIEWERS} WHERE name = ?", [name]))
        return rows[0] if rows else None

    def reviewers(self) -> list[dict]:
        return list(self.db.query(f"SELECT id, name, role, created_at FROM {REVIEWERS} ORDER BY name"))

    def add_action(self, row: dict[str, Any]) -> int:
        return self.db[REVIEW_ACTIONS].insert(row).last_pk

    def actions(self, candidate_id: int | None = None, action: str | None = None) -> list[dict]:
        clauses, params = [], []
        if candidate_id is not None:
            clauses.append("candidate_id = ?")
            params.append(candidate_id)
        if action:
            clauses.append("action = ?")
            params.append(action)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.query(f"SELECT * FROM {REVIEW_ACTIONS}{where} ORDER BY id", params)
        return [{**row, "value": json.loads(row["value"]) if row["value"] is not None else None} for row in rows]

    def audit(self, target_prefix: str | None = None, limit: int | None = None) -> list[dict]:
        sql = f"SELECT * FROM {AUDIT_LOG}"
        params: list[Any] = []
        if target_prefix:
            sql += " WHERE target = ? OR target LIKE ?"
            params += [target_prefix, f"{target_prefix}/%"]
        sql += " ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return list(self.db.query(sql, params))

    def update_entry(self, entry_id: int, changes: dict[str, Any]) -> None:
        self.db[ENTRIES].update(entry_id, changes)

    def candidate_counts(self) -> dict[str, int]:
        rows = self.db.query(f"SELECT status, count(*) AS n FROM {CANDIDATES} GROUP BY status")
        return {row["status"]: row["n"] for row in rows}


    # -- site

    def site_characteristics(self) -> Iterator[tuple[int, list[dict]]]:
        """Every entry's characteristic rows (value decoded), streamed one entry at a time in id order.

        One query for the whole catalogue: the static site renders a page per
        entry without a query per entry and without holding every row at once.
        """
        current: int | None = None
        rows: list[dict] = []
        for row in self.db.query(f"SELECT * FROM {CHARACTERISTICS} ORDER BY entry_id, rowid"):
            if row["entry_id"] != current:
                if current is not None:
                    yield current, rows
                current, rows = row["entry_id"], []
            rows.append({**row, "value": json.loads(row["value"])})
        if current is not None:
            yield current, rows

    def site_values_of(self, key: str) -> dict[int, Any]:
        """One characteristic's decoded value for every entry that holds it."""
        rows = self.db.query(f"SELECT entry_id, value FROM {CHARACTERISTICS} WHERE key = ?", [key])
        return {row["entry_id"]: json.loads(row["value"]) for row in rows}

    def site_score_histories(self) -> dict[int, list[dict]]:
        """Every score row, oldest first, by entry."""
        out: dict[int, list[dict]] = {}
        for row in self.db.query(f"SELECT * FROM {SCORES} ORDER BY entry_id, id"):
            out.setdefault(row["entry_id"], []).append(_decode_score(row))
        return out

    def site_entry_reviewers(self) -> dict[int, list[dict]]:
        """Per catalogue entry, who reviewed the candidates promoted into it (actions, first and last date)."""
        rows = self.db.query(
            f"""SELECT c.promoted_entry_id AS entry_id, a.reviewer, count(*) AS actions,
                       min(a.at) AS first_at, max(a.at) AS last_at
                FROM {REVIEW_ACTIONS} a JOIN {CANDIDATES} c ON c.id = a.candidate_id
                WHERE c.promoted_entry_id IS NOT NULL
                GROUP BY c.promoted_entry_id, a.reviewer
                ORDER BY c.promoted_entry_id, first_at, a.reviewer"""
        )
        out: dict[int, list[dict]] = {}
        for row in rows:
            out.setdefault(row["entry_id"], []).append(row)
        return out

    # -- exports -------------------------------------------------------------

    def all_characteristics(self) -> list[dict]:
        """Every characteristic of every entry (value decoded), by entry id then key."""
        rows = self.db.query(
            f"""SELECT c.entry_id, e.kind, e.name AS entry_name, c.key, c.value, c.evidence, c.evidence_source,
                       c.entered_by, c.entered_at
                FROM {CHARACTERISTICS} c JOIN {ENTRIES} e ON e.id = c.entry_id
                ORDER BY c.entry_id, c.key"""
        )
        return [{**row, "value": json.loads(row["value"])} for row in rows]

    def refresh_public_table(self, rows: list[dict[str, Any]]) -> int:
        """Replace every row of the public table (its search index follows by trigger)."""
        with self.transaction():
            self.db.execute(f"DELETE FROM {CATALOGUE_PUBLIC}")
            if rows:
                self.db[CATALOGUE_PUBLIC].insert_all(rows)
        return self.db[CATALOGUE_PUBLIC].count

    def public_rows(self) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM {CATALOGUE_PUBLIC} ORDER BY id"))

    def search_public(self, text: str) -> list[dict]:
        """Full-text search of the public table (names, descriptions, references), best match first."""
        return list(self.db[CATALOGUE_PUBLIC].search(text))


    # -- report and recheck

    def report_runs(self, *, run_id: int | None = None, since: str | None = None) -> list[dict]:
        """Runs in id order: one run, the runs started on or after ``since``, or all."""
        clauses, params = [], []
        if run_id is not None:
            clauses.append("id = ?")
            params.append(run_id)
        if since:
            clauses.append("started_at >= ?")
            params.append(since)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return list(self.db.query(f"SELECT * FROM {RUNS}{where} ORDER BY id", params))

    def report_run_sources(self, run_ids: list[int]) -> list[dict]:
        return list(
            self.db.query(
                f"""SELECT * FROM {RUN_SOURCES} WHERE run_id IN (SELECT value FROM json_each(?))
                    ORDER BY run_id, source""",
                [json.dumps(run_ids)],
            )
        )

    def report_records(self, run_ids: list[int]) -> list[dict]:
        """Raw records first identified in these runs, with their candidate and its first record."""
        return list(
            self.db.query(
                f"""SELECT r.id, r.source, r.first_run_id, c.candidate_id,
                           (SELECT min(o.raw_record_id) FROM {CANDIDATE_RECORDS} o
                            WHERE o.candidate_id = c.candidate_id) AS first_record_id
                    FROM {RAW_RECORDS} r LEFT JOIN {CANDIDATE_RECORDS} c ON c.raw_record_id = r.id
                    WHERE r.first_run_id IN (SELECT value FROM json_each(?))
                    ORDER BY r.id""",
                [json.dumps(run_ids)],
            )
        )

    def report_candidates(self, candidate_ids: list[int]) -> list[dict]:
        return list(
            self.db.query(
                f"""SELECT id, kind, status, catalogue_entry_id, promoted_entry_id, created_at FROM {CANDIDATES}
                    WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id""",
                [json.dumps(candidate_ids)],
            )
        )

    def report_screen_votes(self, candidate_ids: list[int]) -> list[dict]:
        return list(
            self.db.query(
                f"""SELECT id, candidate_id, reviewer, decision, reason, at FROM {REVIEW_ACTIONS}
                    WHERE action = 'screen' AND candidate_id IN (SELECT value FROM json_each(?))
                    ORDER BY id""",
                [json.dumps(candidate_ids)],
            )
        )

    def recheck_candidates(self, *, entry_id: int | None = None, since: str | None = None) -> list[dict]:
        """Update candidates made by ``sonocat recheck``: linked to an entry, holding no raw record,
        their reasons written by recheck (``"recheck: ..."``)."""
        clauses = [
            "catalogue_entry_id IS NOT NULL",
            "reasons LIKE '[\"recheck:%'",
            f"NOT EXISTS (SELECT 1 FROM {CANDIDATE_RECORDS} r WHERE r.candidate_id = {CANDIDATES}.id)",
        ]
        params: list[Any] = []
        if entry_id is not None:
            clauses.append("catalogue_entry_id = ?")
            params.append(entry_id)
        if since:
            clauses.append("created_at >= ?")
            params.append(since)
        rows = self.db.query(f"SELECT * FROM {CANDIDATES} WHERE {' AND '.join(clauses)} ORDER BY id", params)
        return [_decode_candidate(row) for row in rows]

    def link_checks(self, entry_id: int | None = None) -> list[dict]:
        sql, params = f"SELECT * FROM {LINK_CHECKS}", []
        if entry_id is not None:
            sql += " WHERE entry_id = ?"
            params.append(entry_id)
        return list(self.db.query(sql + " ORDER BY entry_id, url", params))

    def save_link_check(self, row: dict[str, Any]) -> None:
        self.db[LINK_CHECKS].upsert(row, pk=("entry_id", "url"))


def _decode_candidate(row: dict) -> dict:
    return {
        **row,
        "reasons": json.loads(row["reasons"] or "[]"),
        "match_reasons": json.loads(row["match_reasons"] or "[]"),
        "uncertain": json.loads(row["uncertain"] or "[]"),
    }


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

