"""The database file: creation, WAL, migrations, refusing foreign files, history, upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from crawler.db import APPLICATION_ID, Database, migrations
from crawler.errors import DatabaseError, NotASonocatDatabase

FIXTURES = Path(__file__).parent.parent / "fixtures" / "db"
NOW = "2025-09-30T00:00:00Z"


def current_migrations() -> list[str]:
    """Every migration the code defines, in order (all pending on an empty database)."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


def query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def add_entry(db: Database, name: str = "Test Dataset", kind: str = "dataset") -> int:
    return db.insert_entry(
        {"kind": kind, "name": name, "provenance": "test", "created_at": NOW, "updated_at": NOW}
    )


# -- creating and opening -----------------------------------------------------------


def test_create_uses_wal_and_applies_every_migration(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        assert db.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.applied_migrations() == current_migrations()
        assert db.applied_migrations()[0] == "m001_catalogue"
    # WAL is a property of the file, and the application id marks it as ours
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert query(db_path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert query(db_path, "SELECT value FROM sonocat_meta WHERE key = 'application'") == [("sonocat",)]


def test_migrations_are_idempotent(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        first = db.applied_migrations()
        add_entry(db)
    with Database.open(db_path) as db:
        second = db.applied_migrations()
        assert db.count_entries() == 1
    with Database.open(db_path, create=True) as db:
        third = db.applied_migrations()
    assert first == second == third == current_migrations()
    assert query(db_path, "SELECT count(*) FROM _sqlite_migrations") == [(len(first),)]


def test_missing_file_without_create_says_run_init(db_path: Path) -> None:
    with pytest.raises(DatabaseError, match="sonocat init"):
        Database.open(db_path)
    assert not db_path.exists()
    assert sidecars(db_path) == []


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="directory"):
        Database.open(tmp_path, create=True)


def test_empty_file_is_initialised(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with Database.open(db_path, create=True) as db:
        assert db.applied_migrations() == current_migrations()
    assert query(db_path, "PRAGMA application_id") == [(APPLICATION_ID,)]


def test_text_file_is_refused_and_untouched(db_path: Path) -> None:
    db_path.write_text("name,anatomy\nBUSI,breast\n", encoding="utf-8")
    before = snapshot(db_path)
    for create in (False, True):
        with pytest.raises(NotASonocatDatabase, match="not a SQLite database"):
            Database.open(db_path, create=create)
    assert snapshot(db_path) == before
    assert sidecars(db_path) == []


def test_short_binary_file_is_refused_and_untouched(db_path: Path) -> None:
    db_path.write_bytes(b"\x00\x01\x02")
    before = snapshot(db_path)
    with pytest.raises(NotASonocatDatabase):
        Database.open(db_path, create=True)
    assert snapshot(db_path) == before


def test_sqlite_file_of_another_application_is_refused_and_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(str(db_path))
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('a.jpg')")
    conn.commit()
    conn.close()
    before = snapshot(db_path)
    for create in (False, True):
        with pytest.raises(NotASonocatDatabase, match="another application"):
            Database.open(db_path, create=create)
    assert snapshot(db_path) == before
    assert sidecars(db_path) == []
    assert query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("photos",)]


def test_sqlite_file_with_another_application_id_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(str(db_path))
    conn.execute("PRAGMA application_id = 42")
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY)")  # a name we use, but not ours
    conn.commit()
    conn.close()
    before = snapshot(db_path)
    with pytest.raises(NotASonocatDatabase):
        Database.open(db_path, create=True)
    assert snapshot(db_path) == before


# -- characteristics and their history ----------------------------------------------


def test_set_characteristic_reports_changes(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        entry_id = add_entry(db)
        kwargs = {"evidence": "README", "evidence_source": "github", "entered_by": "alice", "entered_at": NOW}
        assert db.set_characteristic(entry_id, "doppler", False, **kwargs) is True
        assert db.set_characteristic(entry_id, "doppler", False, **kwargs) is False
        assert db.characteristics(entry_id)[0]["value"] is False
        assert db.values_by_entry("dataset") == {entry_id: {"doppler": False}}
        assert db.values_by_entry("model") == {}
        assert db.characteristic_history(entry_id) == []


def test_history_trigger_records_the_old_value_when_replaced(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        entry_id = add_entry(db)
        db.set_characteristic(
            entry_id, "total_size", 100, evidence="paper", evidence_source="paper Table 1",
            entered_by="paper", entered_at="2025-01-01T00:00:00Z",
        )
        db.set_characteristic(
            entry_id, "total_size", 250, evidence="README v2", evidence_source="github",
            entered_by="bob", entered_at="2025-02-01T00:00:00Z",
        )
        history = db.characteristic_history(entry_id)
        assert len(history) == 1
        old = history[0]
        assert (old["key"], old["value"], old["evidence"], old["evidence_source"]) == (
            "total_size", 100, "paper", "paper Table 1",
        )
        assert (old["entered_by"], old["entered_at"]) == ("paper", "2025-01-01T00:00:00Z")
        assert old["replaced_at"]
        current = db.characteristics(entry_id)
        assert [(c["key"], c["value"], c["entered_by"]) for c in current] == [("total_size", 250, "bob")]
        # a third value adds a second history row
        db.set_characteristic(
            entry_id, "total_size", 300, evidence="README v3", evidence_source="github",
            entered_by="bob", entered_at="2025-03-01T00:00:00Z",
        )
        assert [h["value"] for h in db.characteristic_history(entry_id)] == [100, 250]


def test_entries_are_unique_per_kind_and_case_insensitive_name(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        add_entry(db, "KFGNet", "dataset")
        add_entry(db, "KFGNet", "model")
        assert db.find_entry("dataset", "kfgnet")["kind"] == "dataset"
        assert [e["kind"] for e in db.entries_named("KFGNET")] == ["dataset", "model"]
        with pytest.raises(sqlite3.IntegrityError):
            add_entry(db, "kfgnet", "dataset")


def test_scores_keep_history_and_latest(db_path: Path) -> None:
    with Database.open(db_path, create=True) as db:
        entry_id = add_entry(db)
        first = {"score": 0.5, "tier": "bronze", "rubric": "SonoDQS@1.0", "completed": ["name"], "missing": ["link"]}
        second = {**first, "score": 0.75, "tier": "gold"}
        db.add_score(entry_id, first, NOW)
        db.add_score(entry_id, second, NOW)
        assert [s["score"] for s in db.score_history(entry_id)] == [0.5, 0.75]
        latest = db.latest_scores()[entry_id]
        assert (latest["score"], latest["tier"], latest["rubric"], latest["completed"]) == (
            0.75, "gold", "SonoDQS@1.0", ["name"],
        )


# -- upgrading a database of an older schema ---------------------------------------


def test_fixture_is_an_m001_database() -> None:
    fixture = FIXTURES / "schema_m001.db"
    assert fixture.read_bytes().startswith(b"SQLite format 3\x00")
    assert not (FIXTURES / "schema_m001.db-wal").exists()


def test_upgrade_from_schema_m001(tmp_path: Path) -> None:
    fixture = FIXTURES / "schema_m001.db"
    original = fixture.read_bytes()
    path = tmp_path / "old.db"
    shutil.copyfile(fixture, path)
    assert query(path, "SELECT name FROM _sqlite_migrations ORDER BY id") == [("m001_catalogue",)]

    with Database.open(path) as db:
        assert db.applied_migrations() == current_migrations()
        entries = db.entries()
        assert [(e["id"], e["kind"], e["name"]) for e in entries] == [
            (1, "dataset", "Fixture Breast Dataset"),
            (2, "model", "Fixture Net"),
        ]
        assert entries[0]["paper_tier"] == "bronze"
        assert entries[1]["paper_sonomqs"] == 0.5
        assert {c["key"]: c["value"] for c in db.characteristics(1)} == {
            "name": "Fixture Breast Dataset",
            "anatomy": ["breast"],
            "total_size": 780,
            "access": "OA",
            "doppler": False,
        }
        assert {c["key"]: c["value"] for c in db.characteristics(2)} == {
            "name": "Fixture Net",
            "code_shared": True,
            "task": "Segmentation",
        }
        history = db.characteristic_history(1)
        assert [(h["key"], h["value"]) for h in history] == [("access", "AR")]
        latest = db.latest_scores()
        assert latest[1]["score"] == 9 / 48
        assert latest[1]["rubric"] == "SonoDQS@1.0"
        assert latest[2]["score"] == 1 / 12
        assert latest[2]["tier"] is None
        # the upgraded file still works: the trigger still fires
        db.set_characteristic(1, "access", "AR", evidence="e", evidence_source="s", entered_by="x", entered_at=NOW)
        assert [h["value"] for h in db.characteristic_history(1)] == ["AR", "OA"]

    with Database.open(path) as db:  # and opening it again changes nothing
        assert db.applied_migrations() == current_migrations()
    assert fixture.read_bytes() == original  # the committed fixture itself is never opened
