"""Promotion exactly once when two reviewers act at the same moment from two processes.

Two real processes (``multiprocessing`` with the spawn context, and the real
``sonocat`` command in subprocesses) are released together by a barrier or a
start file and confirm the last missing values of the same candidate. The race
is repeated on fresh candidates. Whatever the interleaving: one catalogue
entry, one ``promoted`` status change, and every confirmation either recorded
or refused with a clear message (nothing half-written, no "database is locked").
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler import rubric as rubric_module
from crawler.db import Database
from review_queue import service
from review_queue.service import ReviewError

from .conftest import ADMIN, make_candidate

ROUNDS = 10
CLI_ROUNDS = 3
RACE_TIMEOUT = 60


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _verify_worker(path: str, name: str, jobs, results, barrier) -> None:
    """Runs in a spawned process: for each candidate id, wait for the other process, then verify."""
    rubric = rubric_module.load()
    for candidate_id in iter(jobs.get, None):
        with Database.open(path) as db:
            barrier.wait(timeout=RACE_TIMEOUT)
            try:
                out = service.verify(db, rubric, candidate_id, name, _now())
                results.put((candidate_id, name, "ok", out["status"]))
            except ReviewError as exc:
                results.put((candidate_id, name, "refused", str(exc)))
            except Exception as exc:  # noqa: BLE001 - report anything else to the test
                results.put((candidate_id, name, "error", f"{type(exc).__name__}: {exc}"))


class Racers:
    """Two long-lived spawned processes, released together by a barrier for each race."""

    def __init__(self, path: Path, names: tuple[str, str]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(2)
        self.results = ctx.Queue()
        self.jobs = {name: ctx.Queue() for name in names}
        self.procs = [
            ctx.Process(target=_verify_worker, args=(str(path), name, self.jobs[name], self.results, self.barrier))
            for name in names
        ]
        for proc in self.procs:
            proc.start()

    def race(self, candidate_id: int) -> dict[str, tuple[str, str]]:
        for queue in self.jobs.values():
            queue.put(candidate_id)
        out = {}
        for _ in self.jobs:
            cid, name, outcome, detail = self.results.get(timeout=RACE_TIMEOUT)
            assert cid == candidate_id
            out[name] = (outcome, detail)
        return out

    def close(self) -> None:
        for queue in self.jobs.values():
            queue.put(None)
        for proc in self.procs:
            proc.join(timeout=RACE_TIMEOUT)
            if proc.is_alive():
                proc.terminate()
                proc.join()


def promotions(db: Database, candidate_id: int) -> list[dict]:
    return [
        r for r in db.audit(f"candidate:{candidate_id}")
        if r["action"] == "candidate.status" and r["after"] == "promoted"
    ]


def entries_named(db: Database, name: str) -> list[dict]:
    return db.entries_named(name)


def _split_authorship(db: Database, rubric, n: int, prefix: str) -> tuple[int, str]:
    """An included candidate: amy set its name, bob its version, nobody confirmed either.

    amy's verify confirms bob's version and bob's confirms amy's name: each is
    the last missing confirmation the other needs, so whichever commits second promotes.
    """
    name = f"{prefix} race set {n}"
    cid = make_candidate(db, {}, title=name)
    service.screen(db, rubric, cid, "cat", "include", "2025-10-02T00:00:01Z")
    service.screen(db, rubric, cid, ADMIN, "include", "2025-10-02T00:00:02Z")
    service.edit(db, rubric, cid, "amy", "2025-10-02T00:00:03Z", set_values=[("name", name)])
    service.edit(db, rubric, cid, "bob", "2025-10-02T00:00:04Z", set_values=[("version", "1.0")])
    assert service.show(db, cid)["unverified"] == ["name", "version"]
    return cid, name


def test_two_processes_confirming_the_last_values_promote_exactly_once(review_db: Path, rubric) -> None:
    with Database.open(review_db) as db:
        prepared = [_split_authorship(db, rubric, n, "mp") for n in range(ROUNDS)]
        entries_before = db.count_entries()
    racers = Racers(review_db, ("amy", "bob"))
    try:
        outcomes = [racers.race(cid) for cid, _ in prepared]
    finally:
        racers.close()
    with Database.open(review_db) as db:
        for (cid, name), outcome in zip(prepared, outcomes):
            # neither process was refused or failed: both confirmations went through
            assert {r: o for r, (o, _) in outcome.items()} == {"amy": "ok", "bob": "ok"}, outcome
            # exactly one of them saw the candidate complete and promoted it
            assert sorted(detail for _, detail in outcome.values()) == ["included", "promoted"], outcome
            confirms = sorted((a["reviewer"], a["key"]) for a in db.actions(cid, "confirm"))
            assert confirms == [("amy", "version"), ("bob", "name")]  # no lost action
            [promotion] = promotions(db, cid)
            cand = db.get_candidate(cid)
            assert cand["status"] == "promoted"
            [entry] = entries_named(db, name)
            assert cand["promoted_entry_id"] == entry["id"]
            assert len(db.score_history(entry["id"])) == 1
            assert {c["key"]: c["entered_by"] for c in db.characteristics(entry["id"])} == {
                "name": "amy + bob", "version": "bob + amy",
            }
        assert db.count_entries() == entries_before + ROUNDS


def test_two_processes_confirming_the_same_last_value_promote_once_and_refuse_the_late_one(review_db: Path, rubric) -> None:
    with Database.open(review_db) as db:
        prepared = []
        for n in range(ROUNDS):
            name = f"same race set {n}"
            cid = make_candidate(db, {"name": name, "version": "1"})
            service.screen(db, rubric, cid, "amy", "include", "2025-10-02T00:00:01Z")
            service.screen(db, rubric, cid, ADMIN, "include", "2025-10-02T00:00:02Z")
            service.verify(db, rubric, cid, "amy", "2025-10-02T00:00:03Z")  # one person on each value
            prepared.append((cid, name))
        entries_before = db.count_entries()
    racers = Racers(review_db, ("bob", "cat"))
    try:
        outcomes = [racers.race(cid) for cid, _ in prepared]
    finally:
        racers.close()
    with Database.open(review_db) as db:
        for (cid, name), outcome in zip(prepared, outcomes):
            assert sorted(o for o, _ in outcome.values()) == ["ok", "refused"], outcome
            [winner] = [r for r, (o, _) in outcome.items() if o == "ok"]
            [(_, message)] = [v for v in outcome.values() if v[0] == "refused"]
            assert outcome[winner][1] == "promoted"
            assert message == f"candidate {cid} is promoted; nothing more can be done to it"
            confirms = sorted((a["reviewer"], a["key"]) for a in db.actions(cid, "confirm"))
            assert confirms == sorted([("amy", "name"), ("amy", "version"), (winner, "name"), (winner, "version")])
            assert len(promotions(db, cid)) == 1
            assert len(entries_named(db, name)) == 1
        assert db.count_entries() == entries_before + ROUNDS


_CLI_RACER = """
import os, sys, time
from crawler.cli import main
ready, start = sys.argv[1], sys.argv[2]
open(ready, "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(start) and time.monotonic() < deadline:
    time.sleep(0.001)
main(sys.argv[3:])
"""


@pytest.mark.parametrize("round_", range(CLI_ROUNDS))
def test_two_sonocat_commands_at_once_promote_exactly_once(review_db: Path, rubric, tmp_path: Path, round_: int) -> None:
    with Database.open(review_db) as db:
        cid, name = _split_authorship(db, rubric, round_, "cli")
        entries_before = db.count_entries()
    start = tmp_path / f"go-{round_}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONOCAT_")}
    ready = {who: tmp_path / f"ready-{who}-{round_}" for who in ("amy", "bob")}
    procs = {
        who: subprocess.Popen(
            [sys.executable, "-c", _CLI_RACER, str(ready[who]), str(start),
             "--db", str(review_db), "review", "verify", str(cid), "--as", who],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
        )
        for who in ("amy", "bob")
    }
    deadline = time.monotonic() + RACE_TIMEOUT
    while not all(path.exists() for path in ready.values()) and time.monotonic() < deadline:
        time.sleep(0.01)  # both have imported sonocat and now poll for the start file
    start.touch()
    results = {who: (p.wait(timeout=RACE_TIMEOUT), *p.communicate()) for who, p in procs.items()}
    for who, (code, out, err) in results.items():
        assert code == 0 and err == "" and "Traceback" not in out, (who, code, out, err)
    lines = sorted(out.strip() for _, out, _ in results.values())
    assert any(line.startswith(f"candidate {cid}: promoted (catalogue entry ") for line in lines), lines
    assert any(line.startswith(f"candidate {cid}: included") for line in lines), lines
    with Database.open(review_db) as db:
        assert sorted((a["reviewer"], a["key"]) for a in db.actions(cid, "confirm")) == [("amy", "version"), ("bob", "name")]
        assert len(promotions(db, cid)) == 1
        assert len(entries_named(db, name)) == 1 and db.count_entries() == entries_before + 1
