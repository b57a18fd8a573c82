"""A discovery run killed with SIGKILL mid-way loses nothing and stages nothing twice.

A real `sonocat discover --replay demo` subprocess (the replay server lives in
it, so the kill takes the "network" down too) is killed once records start
landing; a second run resumes and the result equals a clean, uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

FAST_CONFIG = "\n".join(
    f"[sources.{name}]\nper_minute = 100000\nmax_retries = 1\n"
    for name in ("github", "zenodo", "kaggle", "scholar", "huggingface", "openalex")
)


def discover(db: Path, cwd: Path, latency: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--db", str(db), "discover", "--replay", "demo",
         "--replay-latency", str(latency)],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "SONOCAT_DB": "", "SONOCAT_CONFIG": ""},
    )


def staged(db: Path) -> list[tuple[str, str]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT source, native_id FROM raw_records ORDER BY source, native_id").fetchall()
    except sqlite3.OperationalError:
        return []  # tables not created yet


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "sonocat.toml").write_text(FAST_CONFIG)
    return tmp_path


def test_sigkill_mid_run_then_rerun_equals_a_clean_run(workdir: Path) -> None:
    clean_db = workdir / "clean.db"
    assert discover(clean_db, workdir, latency=0.0).wait(timeout=300) == 0
    expected = staged(clean_db)
    assert len(expected) > 40

    db = workdir / "killed.db"
    proc = discover(db, workdir, latency=0.15)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(staged(db)) < 8:
        time.sleep(0.05)
    partial = staged(db)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert 8 <= len(partial) < len(expected), "the kill must land mid-run"

    assert discover(db, workdir, latency=0.0).wait(timeout=300) == 0
    after = staged(db)
    assert after == expected  # nothing lost
    assert len(after) == len(set(after))  # nothing twice
    with sqlite3.connect(db) as conn:
        states = [row[0] for row in conn.execute("SELECT state FROM runs ORDER BY id")]
        first_seen_run = dict(
            conn.execute("SELECT source || ':' || native_id, first_run_id FROM raw_records").fetchall()
        )
    assert states == ["interrupted", "ok"]
    # what the killed run had staged was kept, not fetched and inserted again
    assert sum(1 for run in first_seen_run.values() if run == 1) >= len(partial)
