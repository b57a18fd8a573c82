"""Fixtures for the review tests: a catalogue with the demo recording triaged, reviewers, a clock.

The demo database (paper catalogue + the bundled recording staged and
triaged, four reviewers added) is built once per session and copied for each
test to the shared ``db_path``, so the in-process CLI (``run_cli``) and the
service tests look at the same file. Minimal candidates are built directly
through ``Database`` methods where a test needs exact control.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from crawler import catalogue, triage
from crawler import config as config_module
from crawler import rubric as rubric_module
from crawler import runs
from crawler.db import Database
from crawler.rubric import Rubric
from review_queue import service
from sources import replay

TRIAGED_AT = "2025-10-01T00:00:00Z"
PASSWORD = "correct horse"
CURATORS = ("amy", "bob", "cat")
ADMIN = "ada"

# Tables a refused action must leave exactly as they were.
SNAPSHOT_TABLES = (
    "candidates", "candidate_records", "candidate_fields", "review_actions", "audit_log",
    "entries", "characteristics", "characteristic_history", "scores", "reviewers",
)


@pytest.fixture(scope="session")
def review_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Catalogue + demo recording staged and triaged + reviewers amy, bob, cat (curators), ada (admin)."""
    path = tmp_path_factory.mktemp("review-template") / "catalogue.db"
    rubric = rubric_module.load()
    with Database.open(path, create=True) as db:
        catalogue.init_catalogue(db, rubric, "2025-09-30T00:00:00Z")
    config = config_module.load(db=str(path), environ={})
    runs.stage_recording(config, replay.resolve("demo"), now=lambda: "2025-09-30T12:00:00Z")
    with Database.open(path) as db:
        triage.run_triage(db, TRIAGED_AT)
        for name in CURATORS:
            service.add_reviewer(db, name, PASSWORD, TRIAGED_AT)
        service.add_reviewer(db, ADMIN, PASSWORD, TRIAGED_AT, admin=True)
    return path


@pytest.fixture
def review_db(review_template: Path, db_path: Path) -> Path:
    """A private copy of the triaged demo database at ``db_path`` (where ``run_cli`` points)."""
    shutil.copyfile(review_template, db_path)
    return db_path


@pytest.fixture
def db(review_db: Path) -> Iterator[Database]:
    with Database.open(review_db) as handle:
        yield handle


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return rubric_module.load()


class Clock:
    """Strictly increasing UTC timestamps, one second apart, after triage ran."""

    def __init__(self, start: str = "2025-10-02T00:00:00Z") -> None:
        self.t = datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)

    def __call__(self) -> str:
        self.t += timedelta(seconds=1)
        return self.t.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def clock() -> Clock:
    return Clock()


# -- building candidates -----------------------------------------------------------------------


def make_candidate(
    db: Database,
    fields: dict[str, Any],
    *,
    kind: str = "dataset",
    title: str | None = None,
    status: str = "queued",
    entry_id: int | None = None,
    records: int = 1,
    now: str = TRIAGED_AT,
) -> int:
    """A candidate with machine-extracted ``fields`` and ``records`` raw records of its own."""
    title = title or str(fields.get("name", "Untitled candidate"))
    with db.transaction():
        candidate_id = db.insert_candidate(
            {
                "kind": kind, "title": title, "status": status, "status_by": "triage", "relevance": 0.9,
                "reasons": '["made by a test"]', "catalogue_entry_id": entry_id, "match_reasons": "[]",
                "uncertain": "[]", "first_seen": now, "created_at": now, "updated_at": now,
            }
        )
        refs = []
        for n in range(records):
            native_id = f"test-{candidate_id}-{n}"
            db.stage_record(
                {
                    "source": "zenodo", "native_id": native_id, "url": f"https://zenodo.org/records/{native_id}",
                    "payload": "{}", "content_hash": native_id, "source_updated_at": now,
                },
                0, now,
            )
            record_id = db.db.execute(
                "SELECT id FROM raw_records WHERE source = 'zenodo' AND native_id = ?", [native_id]
            ).fetchone()[0]
            db.attach_record(record_id, candidate_id)
            refs.append(f"zenodo:{native_id}")
        for key, value in fields.items():
            db.set_candidate_field(
                candidate_id, key,
                {"value": value, "evidence": f"the record says {key}", "source": refs[0] if refs else None},
                "machine", now,
            )
    return candidate_id


def screen_in(db: Database, rubric: Rubric, candidate_id: int, clock: Clock, *names: str) -> dict:
    out: dict = {}
    for name in names or ("amy", "bob"):
        out = service.screen(db, rubric, candidate_id, name, "include", clock())
    return out


def verify_by(db: Database, rubric: Rubric, candidate_id: int, clock: Clock, *names: str) -> dict:
    out: dict = {}
    for name in names or ("amy", "bob"):
        out = service.verify(db, rubric, candidate_id, name, clock())
    return out


def find_candidate(db: Database, title_start: str) -> int:
    found = [c["id"] for c in db.candidates() if (c["title"] or "").startswith(title_start)]
    assert len(found) == 1, f"expected one demo candidate titled {title_start!r}, found {found}"
    return found[0]


def snapshot(db_or_path: Database | Path) -> dict[str, list[tuple]]:
    """Every row of the tables a review action may touch."""
    if isinstance(db_or_path, Database):
        return _snapshot(db_or_path)
    with Database.open(db_or_path) as handle:
        return _snapshot(handle)


def _snapshot(db: Database) -> dict[str, list[tuple]]:
    return {
        table: [tuple(row) for row in db.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()]
        for table in SNAPSHOT_TABLES
    }
