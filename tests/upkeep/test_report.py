"""``sonocat report``: the PRISMA-style flow, counted from the database.

The database is built the way sonocat builds it: the paper's catalogue, the
bundled demo recording staged (run 1) and triaged, a second recording with a
changed, a repeated and two new Zenodo records (run 2) triaged, reviewers
screening, rejecting, promoting and marking duplicates through the review
service, and one update candidate proposed by recheck. The expected numbers
are read back from the tables through ``Database`` accessors, independently of
``crawler.report``.
"""

from __future__ import annotations

import copy
import json
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawler import catalogue, recheck, report, runs, triage
from crawler import config as config_module
from crawler import rubric as rubric_module
from crawler.cli.report import report as report_command
from crawler.db import Database
from crawler.errors import InputError, NotFoundError
from crawler.report_svg import render_svg
from review_queue import service
from sources import replay

RUN1_AT = "2025-09-30T12:00:00Z"
RUN2_AT = "2025-10-05T12:00:00Z"
REVIEW_AT = "2025-10-06T00:00:00Z"
NOW = "2025-10-07T00:00:00Z"
PASSWORD = "correct horse"
DEMO_ZENODO = replay.resolve("demo") / "zenodo.json"


def second_recording(directory: Path) -> Path:
    """Zenodo only: three records as before, one changed, a new version of one, one new record."""
    payloads = json.loads(DEMO_ZENODO.read_text(encoding="utf-8"))
    changed = copy.deepcopy(payloads[3])
    changed["item"]["metadata"]["description"] += "<p>Version note: masks re-checked in 2025.</p>"
    new_version = copy.deepcopy(payloads[2])
    new_version["item"].update(id=99990001, recid="99990001", doi="10.5281/zenodo.99990001")
    new_version["item"]["metadata"]["doi"] = "10.5281/zenodo.99990001"
    new_version["item"]["metadata"]["version"] = "2.0"
    other = copy.deepcopy(payloads[8])
    other["item"].update(id=99990002, recid="99990002", conceptrecid="99990000", doi="10.5281/zenodo.99990002",
                         conceptdoi="10.5281/zenodo.99990000", title="Weld inspection ultrasound scans, part 2")
    other["item"]["metadata"].update(doi="10.5281/zenodo.99990002", title="Weld inspection ultrasound scans, part 2")
    directory.mkdir()
    (directory / "zenodo.json").write_text(
        json.dumps(payloads[:3] + [changed, new_version, other]), encoding="utf-8"
    )
    return directory


def screen_both(db: Database, rubric: Any, cid: int, first: tuple[str, str | None], second: tuple[str, str | None],
                at: str = REVIEW_AT) -> None:
    for name, (decision, reason) in zip(("amy", "bob"), (first, second)):
        service.screen(db, rubric, cid, name, decision, at, reason=reason)


@pytest.fixture(scope="module")
def flow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    path = base / "catalogue.db"
    rubric = rubric_module.load()
    with Database.open(path, create=True) as db:
        catalogue.init_catalogue(db, rubric, "2025-09-30T00:00:00Z")
    config = config_module.load(db=str(path), environ={}, home=base)
    runs.stage_recording(config, replay.resolve("demo"), now=lambda: RUN1_AT)
    with Database.open(path) as db:
        triage.run_triage(db, "2025-10-01T00:00:00Z")
        for name in ("amy", "bob", "cat"):
            service.add_reviewer(db, name, PASSWORD, "2025-10-01T00:00:00Z")
        queued = [c["id"] for c in sorted(db.candidates(status="queued"), key=lambda c: c["id"])]
        excluded = [c["id"] for c in sorted(db.candidates(status="excluded"), key=lambda c: c["id"])]
        promoted = queued[0]
        screen_both(db, rubric, promoted, ("include", None), ("include", None))
        service.verify(db, rubric, promoted, "amy", "2025-10-06T00:00:01Z")
        service.verify(db, rubric, promoted, "bob", "2025-10-06T00:00:02Z")
        screen_both(db, rubric, queued[1], ("exclude", "not_ultrasound"), ("exclude", "other"))
        screen_both(db, rubric, queued[2], ("include", None), ("exclude", "not_public"))  # conflict
        service.screen(db, rubric, queued[3], "amy", "include", REVIEW_AT)  # one vote: screening
        screen_both(db, rubric, queued[4], ("include", None), ("include", None))  # awaiting verification
        service.mark_duplicate(db, rubric, queued[5], "amy", REVIEW_AT, of_candidate=queued[6])
        screen_both(db, rubric, queued[7], ("exclude", "not_public"), ("exclude", "not_public"))
        service.screen(db, rubric, queued[8], "amy", "include", REVIEW_AT)
        service.mark_duplicate(db, rubric, queued[8], "bob", REVIEW_AT, of_entry=1)  # voted, then known
        screen_both(db, rubric, excluded[0], ("exclude", "not_dataset_or_model"), ("exclude", "not_dataset_or_model"))
        assert db.get_candidate(promoted)["status"] == "promoted"
        assert db.get_candidate(queued[2])["status"] == "conflict"
        # an update proposed by recheck: in the upkeep section, in no run's flow
        entry = db.get_entry(3)
        with db.transaction():
            recheck.propose(
                db, entry, db.values_by_entry()[3],
                [recheck.Finding("link", ["https://example.org/ddti"], "GET x: HTTP 301", "x", ["recheck: moved: x"],
                                 "moved")],
                REVIEW_AT, recheck.RecheckResult(),
            )
    runs.stage_recording(config, second_recording(base / "run2"), now=lambda: RUN2_AT)
    with Database.open(path) as db:
        triage.run_triage(db, "2025-10-05T13:00:00Z")
    return path


@pytest.fixture
def db(flow_db: Path) -> Any:
    with Database.open(flow_db) as handle:
        yield handle


# -- expectations read from the tables ---------------------------------------------------------


def expected(db: Database, run_ids: list[int], source: str | None = None) -> dict[str, Any]:
    run_rows = [row for run_id in run_ids for row in db.run_sources(run_id) if source in (None, row["source"])]
    records = [r for r in db.raw_records(source=source) if r["first_run_id"] in run_ids]
    members = db.candidate_records()
    owner = {rec["id"]: cid for cid, recs in members.items() for rec in recs}
    first = {cid: min(rec["id"] for rec in recs) for cid, recs in members.items()}
    firsts = [owner[r["id"]] for r in records if r["id"] in owner and first[owner[r["id"]]] == r["id"]]
    votes: dict[int, list[dict]] = {}
    for action in db.actions(action="screen"):
        votes.setdefault(action["candidate_id"], []).append(action)
    status = {cid: db.get_candidate(cid) for cid in firsts}
    unscreened = Counter(status[c]["status"] for c in firsts if c not in votes)
    screened = Counter(status[c]["status"] for c in firsts if c in votes)
    reasons: Counter[str] = Counter()
    for cid in firsts:
        if cid in votes and status[cid]["status"] == "rejected":
            given = [v["reason"] for v in votes[cid] if v["decision"] == "exclude"]
            top = max(Counter(given).values())
            reasons[next(r for r in given if given.count(r) == top)] += 1
    return {
        "identified": sum(r["hits"] for r in run_rows),
        "previously_identified": sum(r["changed"] + r["unchanged"] for r in run_rows),
        "new_records": len(records),
        "not_triaged": sum(1 for r in records if r["id"] not in owner),
        "duplicates_removed": sum(1 for r in records if r["id"] in owner and first[owner[r["id"]]] != r["id"]),
        "candidates": len(firsts),
        "excluded_by_automation": unscreened["excluded"],
        "known_matches": unscreened["known"],
        "updates": unscreened["update"],
        "awaiting_screening": unscreened["queued"],
        "screened": sum(screened.values()),
        "screening_in_progress": screened["screening"] + screened["conflict"],
        "excluded_by_reviewers": screened["rejected"],
        "exclusion_reasons": dict(reasons),
        "included_awaiting_verification": screened["included"],
        "included": screened["promoted"],
        "marked_duplicate": screened["known"] + screened["merged"],
    }


def check_scope(db: Database, scope: dict[str, Any], run_ids: list[int]) -> None:
    for name, flow in [(None, scope["total"]), *scope["sources"].items()]:
        want = expected(db, run_ids, name)
        got = {key: flow[key] for key in want}
        assert got == want, name
        # the boxes of each level add up
        assert flow["identified"] == flow["previously_identified"] + flow["new"]
        assert flow["new"] == flow["new_records"]
        assert flow["new_records"] == flow["not_triaged"] + flow["duplicates_removed"] + flow["candidates"]
        assert flow["candidates"] == (
            flow["excluded_by_automation"] + flow["known_matches"] + flow["updates"] + flow["awaiting_screening"]
            + sum(flow["other"].values()) + flow["screened"]
        )
        assert flow["screened"] == (
            flow["screening_in_progress"] + flow["excluded_by_reviewers"] + flow["included_awaiting_verification"]
            + flow["included"] + flow["marked_duplicate"]
        )
        assert sum(flow["exclusion_reasons"].values()) == flow["excluded_by_reviewers"]
        assert flow["included"] == flow["included_new_entries"] + flow["included_updates"]


# -- the flow ------------------------------------------------------------------------------------


def test_cumulative_and_per_run_flows_equal_what_the_tables_say(db) -> None:
    data = report.collect(db, NOW)
    assert data["selection"]["runs"] == [1, 2]
    check_scope(db, data["cumulative"], [1, 2])
    for item in data["runs"]:
        check_scope(db, item, [item["run"]["id"]])
    total = data["cumulative"]["total"]
    # what the fixture did, as the report sees it
    assert total["included"] == 1 and total["included_new_entries"] == 1
    assert total["excluded_by_reviewers"] == 3
    assert total["exclusion_reasons"] == {"not_ultrasound": 1, "not_public": 1, "not_dataset_or_model": 1}
    assert total["screening_in_progress"] == 2 and total["included_awaiting_verification"] == 1
    assert total["marked_duplicate"] == 1
    assert total["not_triaged"] == 0 and total["duplicates_removed"] >= 1
    run2 = data["runs"][1]["sources"]["zenodo"]
    assert (run2["identified"], run2["new"], run2["changed"], run2["unchanged"]) == (6, 2, 1, 3)
    # the other sources ran in run 2 (their rows say so) and found nothing
    assert all(f["identified"] == f["new_records"] == 0 for s, f in data["runs"][1]["sources"].items() if s != "zenodo")


def test_the_per_run_flows_add_up_to_the_cumulative_one(db) -> None:
    data = report.collect(db, NOW)
    for key in ("identified", "new_records", "duplicates_removed", "candidates", "screened", "included"):
        assert sum(item["total"][key] for item in data["runs"]) == data["cumulative"]["total"][key]


def test_recheck_updates_are_counted_as_upkeep_not_in_a_run(db) -> None:
    data = report.collect(db, NOW)
    assert data["upkeep"] == {"proposed": 1, "by_status": {"update": 1}}
    assert all(item["total"]["updates"] == 0 for item in data["runs"])


def test_since_selects_runs_started_on_or_after_the_date(db) -> None:
    data = report.collect(db, NOW, since="2025-10-01")
    assert data["selection"]["runs"] == [2]
    check_scope(db, data["cumulative"], [2])
    assert data["cumulative"]["total"]["identified"] == 6
    assert data["upkeep"]["proposed"] == 1  # proposed 2025-10-06
    assert report.collect(db, NOW, since="2025-10-07")["upkeep"]["proposed"] == 0


def test_run_selects_one_run(db) -> None:
    data = report.collect(db, NOW, run_id=1)
    assert data["selection"]["runs"] == [1] and [r["run"]["id"] for r in data["runs"]] == [1]
    check_scope(db, data["cumulative"], [1])
    assert data["cumulative"] == {k: data["runs"][0][k] for k in ("total", "sources")}
    assert "upkeep" not in data


def test_bad_selections_are_refused(db) -> None:
    with pytest.raises(NotFoundError):
        report.collect(db, NOW, run_id=99)
    with pytest.raises(InputError):
        report.collect(db, NOW, since="last week")


def test_flow_from_plain_rows() -> None:
    rows = [{"source": "github", "hits": 5, "new": 4, "changed": 0, "unchanged": 1},
            {"source": "zenodo", "hits": 1, "new": 1, "changed": 0, "unchanged": 0}]
    records = [
        {"id": 1, "source": "github", "candidate_id": 10, "first_record_id": 1},
        {"id": 2, "source": "github", "candidate_id": 10, "first_record_id": 1},
        {"id": 3, "source": "github", "candidate_id": 11, "first_record_id": 3},
        {"id": 4, "source": "github", "candidate_id": None, "first_record_id": None},
        {"id": 5, "source": "zenodo", "candidate_id": 12, "first_record_id": 5},
    ]
    candidates = [{"id": 10, "status": "known"}, {"id": 11, "status": "promoted", "catalogue_entry_id": 7},
                  {"id": 12, "status": "rejected"}]
    votes = [{"candidate_id": 11, "decision": "include"}, {"candidate_id": 11, "decision": "include"},
             {"candidate_id": 12, "decision": "exclude", "reason": "duplicate"},
             {"candidate_id": 12, "decision": "exclude", "reason": "other"}]
    scope = report.flow(rows, records, candidates, votes)
    t = scope.total
    assert (t.identified, t.previously_identified, t.new_records, t.not_triaged, t.duplicates_removed) == (6, 1, 5, 1, 1)
    assert (t.candidates, t.known_matches, t.screened, t.included, t.included_updates) == (3, 1, 2, 1, 1)
    assert t.exclusion_reasons == {"duplicate": 1}  # a tie goes to the earliest vote
    assert scope.sources["zenodo"].excluded_by_reviewers == 1 and scope.sources["github"].excluded_by_reviewers == 0


# -- outputs ---------------------------------------------------------------------------------------


def test_text_output(db) -> None:
    data = report.collect(db, NOW)
    text = report.render_text(data)
    total = data["cumulative"]["total"]
    lines = text.splitlines()
    assert lines[0] == f"Discovery flow: runs 1-2 (2 runs), as of {NOW}"
    header = lines[2].split()
    assert header[0] == "total" and header[1:] == list(data["cumulative"]["sources"])
    identified = next(line for line in lines if line.startswith("Records identified"))
    assert identified.split()[2] == str(total["identified"])
    assert any(line.strip().startswith("not_public") for line in lines)
    assert "Per run:" in text and "Catalogue upkeep: 1 update candidates proposed by recheck (update 1)" in text


def test_svg_output_is_well_formed_and_carries_the_numbers(db) -> None:
    data = report.collect(db, NOW)
    svg = render_svg(data)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    total = data["cumulative"]["total"]
    assert f"Records identified (n = {total['identified']})" in texts
    assert f"Duplicates removed (n = {total['duplicates_removed']})" in texts
    assert f"Excluded by reviewers (n = {total['excluded_by_reviewers']})" in texts
    assert f"Included (n = {total['included']})" in texts
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 9  # background + 4 x 2 boxes


def test_svg_labels_are_escaped() -> None:
    scope = report.flow([{"source": "a<b&c", "hits": 1, "new": 1, "changed": 0, "unchanged": 0}],
                        [{"id": 1, "source": "a<b&c", "candidate_id": None, "first_record_id": None}], [], [])
    data = {"generated_at": NOW, "selection": {"run": None, "since": None, "runs": [1]},
            "cumulative": scope.as_dict(), "runs": []}
    svg = render_svg(data)
    assert "a&lt;b&amp;c: 1" in svg and "a<b&c" not in svg
    ET.fromstring(svg.encode("utf-8"))


def invoke(flow_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SONOCAT_CONFIG", raising=False)
    copy_path = tmp_path / "catalogue.db"
    shutil.copyfile(flow_db, copy_path)
    return CliRunner().invoke(report_command, ["--db", str(copy_path), *args], catch_exceptions=False)


def test_report_command_formats(flow_db, tmp_path, monkeypatch) -> None:
    as_json = invoke(flow_db, tmp_path, monkeypatch, "--format", "json", "--since", "2025-10-01")
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    assert data["selection"] == {"run": None, "since": "2025-10-01", "runs": [2]}
    text = invoke(flow_db, tmp_path, monkeypatch, "--run", "1")
    assert text.stdout.startswith("Discovery flow: run 1, as of ")
    out = tmp_path / "flow.svg"
    svg = invoke(flow_db, tmp_path, monkeypatch, "--format", "svg", "--output", str(out))
    assert svg.exit_code == 0 and ET.fromstring(out.read_bytes()).tag.endswith("svg")


def test_report_command_has_help() -> None:
    result = CliRunner().invoke(report_command, ["--help"])
    assert result.exit_code == 0 and "PRISMA-style discovery flow" in result.output
    for option in ("--run", "--since", "--format"):
        assert option in result.output


def test_registered_commands_when_the_cli_has_them(flow_db, run_cli, db_path) -> None:
    from crawler.cli import cli

    if "report" not in cli.commands or "recheck" not in cli.commands:
        pytest.skip("report/recheck are not registered in crawler.cli yet")
    shutil.copyfile(flow_db, db_path)
    result = run_cli("report", "--format", "json", "--run", "2")
    assert result.exit_code == 0 and json.loads(result.stdout)["selection"]["runs"] == [2]
    assert run_cli("recheck", "--help").exit_code == 0
