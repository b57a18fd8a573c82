"""``sonocat reviewer ...`` and ``sonocat review ...`` in-process, against the triaged demo database.

Every forbidden action must exit non-zero with one clear line on stderr, no
traceback, and leave the database exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.db import Database
from review_queue import service

from .conftest import ADMIN, TRIAGED_AT, find_candidate, make_candidate, snapshot

KIDNEY = "Kidney Ultrasound Images: Normal vs Hydronephrosis"
ECHO_VIT = "echo-ef-vit"
BUS_SEG = "BUS-Seg v2"


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def one_line_refusal(result, match: str) -> str:
    assert result.exit_code != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert match.lower() in lines[0].lower(), lines[0]
    return lines[0]


def candidate_id(path: Path, title: str) -> int:
    with Database.open(path) as db:
        return find_candidate(db, title)


def js(result) -> object:
    return json.loads(ok(result))


# -- reviewers ---------------------------------------------------------------------------------


def test_reviewer_add_and_list(run_cli, catalogue_db: Path) -> None:
    out = ok(run_cli("reviewer", "add", "zoe", "--password-stdin", input="a long password\n"))
    assert out.strip() == "reviewer zoe added (curator)"
    out = ok(run_cli("reviewer", "add", "root", "--admin", "--password-stdin", input="another password\n"))
    assert out.strip() == "reviewer root added (admin)"
    rows = js(run_cli("reviewer", "list", "--json"))
    assert [(r["name"], r["role"]) for r in rows] == [("root", "admin"), ("zoe", "curator")]
    assert all("password" not in key for r in rows for key in r)
    table = ok(run_cli("reviewer", "list"))
    assert "zoe" in table and "curator" in table and "root" in table and "admin" in table
    with Database.open(catalogue_db) as db:
        assert service.authenticate(db, "zoe", "a long password") == {"name": "zoe", "role": "curator"}
        assert service.authenticate(db, "zoe", "a long password\n") is None  # the newline is not part of it


def test_reviewer_add_asks_for_the_password_twice(run_cli, catalogue_db: Path) -> None:
    out = ok(run_cli("reviewer", "add", "zoe", input="a long password\na long password\n"))
    assert "reviewer zoe added (curator)" in out
    assert "a long password" not in out  # hidden input
    with Database.open(catalogue_db) as db:
        assert service.authenticate(db, "zoe", "a long password") is not None


@pytest.mark.parametrize(
    ("argv", "stdin", "match"),
    [
        (("reviewer", "add", "zoe", "--password-stdin"), "short\n", "at least 8 characters"),
        (("reviewer", "add", "zoe", "--password-stdin"), "\n", "at least 8 characters"),
        (("reviewer", "add", "amy", "--password-stdin"), "a long password\n", "already exists"),
        (("reviewer", "add", "machine", "--password-stdin"), "a long password\n", "reserved"),
    ],
)
def test_bad_reviewer_add_is_refused(run_cli, review_db: Path, argv, stdin, match) -> None:
    before = snapshot(review_db)
    one_line_refusal(run_cli(*argv, input=stdin), match)
    assert snapshot(review_db) == before


# -- the scriptable review commands ------------------------------------------------------------


def test_list_and_show(run_cli, review_db: Path) -> None:
    rows = js(run_cli("review", "list", "--status", "queued", "--json"))
    assert rows and {r["status"] for r in rows} == {"queued"}
    assert [r["relevance"] for r in rows] == sorted((r["relevance"] for r in rows), reverse=True)
    assert set(rows[0]) == {"id", "kind", "title", "status", "relevance", "catalogue_entry_id", "updated_at"}
    models = js(run_cli("review", "list", "--kind", "model", "--json"))
    assert models and {r["kind"] for r in models} == {"model"}
    table = ok(run_cli("review", "list", "--status", "queued"))
    assert f"{len(rows)} candidates" in table

    cid = candidate_id(review_db, KIDNEY)
    data = js(run_cli("review", "show", str(cid), "--json"))
    assert data["id"] == cid and data["title"] == KIDNEY and data["status"] == "queued"
    with Database.open(review_db) as db:
        fields = db.candidate_fields([cid])[cid]
        records = db.candidate_records([cid])[cid]
    assert {k: (f["value"], f["entered_by"], f["verified"]) for k, f in data["fields"].items()} == {
        k: (f["value"], "machine", False) for k, f in fields.items()
    }
    assert [r["url"] for r in data["records"]] == [r["url"] for r in records]
    assert data["unverified"] == sorted(fields)
    text = ok(run_cli("review", "show", str(cid)))
    assert KIDNEY in text and "total_size" in text and str(fields["total_size"]["value"]) in text


def test_screen_is_blind_on_the_terminal_too(run_cli, review_db: Path) -> None:
    cid = str(candidate_id(review_db, KIDNEY))
    out = ok(run_cli("review", "screen", cid, "--as", "amy", "--exclude", "--reason", "not_public", "--note", "login wall"))
    assert out.strip().startswith(f"candidate {cid}: screening")
    as_bob = js(run_cli("review", "show", cid, "--as", "bob", "--json"))
    assert as_bob["votes"] == [] and as_bob["votes_hidden"] == 1
    anon = js(run_cli("review", "show", cid, "--json"))
    assert anon["votes"] == [] and "login wall" not in json.dumps(anon)
    assert "1 hidden until both are in" in ok(run_cli("review", "show", cid, "--as", "bob"))
    as_amy = js(run_cli("review", "show", cid, "--as", "amy", "--json"))
    assert [(v["reviewer"], v["decision"], v["reason"], v["note"]) for v in as_amy["votes"]] == [
        ("amy", "exclude", "not_public", "login wall")
    ]
    ok(run_cli("review", "screen", cid, "--as", "bob", "--exclude", "--reason", "other"))
    both = js(run_cli("review", "show", cid, "--as", "cat", "--json"))
    assert both["status"] == "rejected" and len(both["votes"]) == 2


def test_history_keeps_a_lone_vote_blind(run_cli, review_db: Path) -> None:
    cid = str(candidate_id(review_db, KIDNEY))
    ok(run_cli("review", "screen", cid, "--as", "amy", "--exclude", "--reason", "not_public"))
    text = ok(run_cli("review", "history", cid, "--json"))
    assert "not_public" not in text and "exclude" not in text


def test_a_full_review_on_the_terminal_promotes_the_candidate(run_cli, review_db: Path) -> None:
    cid = str(candidate_id(review_db, KIDNEY))
    machine = js(run_cli("review", "show", cid, "--json"))["fields"]
    size = machine["total_size"]["value"] + 2000
    dropped = next(k for k in machine if k not in ("name", "total_size"))
    ok(run_cli("review", "screen", cid, "--as", "amy", "--include", "--note", "kidney images"))
    out = ok(run_cli("review", "screen", cid, "--as", "bob", "--include"))
    assert "included" in out and "still need a second person" in out
    out = ok(run_cli("review", "edit", cid, "--as", "amy", "--set", f"total_size={size:,}", "--set", "doppler=no",
                     "--clear", dropped, "--evidence", "README table"))
    assert "included" in out
    shown = js(run_cli("review", "show", cid, "--json"))
    assert shown["fields"]["total_size"]["value"] == size and shown["fields"]["total_size"]["entered_by"] == "amy"
    assert shown["fields"]["total_size"]["evidence"] == "README table"
    assert shown["fields"]["doppler"]["value"] is False and dropped not in shown["fields"]
    ok(run_cli("review", "verify", cid, "--as", "amy"))
    out = ok(run_cli("review", "verify", cid, "--as", "bob"))
    assert out.strip().startswith(f"candidate {cid}: promoted (catalogue entry ")
    data = js(run_cli("review", "show", cid, "--json"))
    entry_id = data["promoted_entry_id"]
    assert data["status"] == "promoted" and data["unverified"] == []
    entry = js(run_cli("catalogue", "show", str(entry_id), "--json"))
    assert json.dumps(entry).count(KIDNEY) >= 1
    history = js(run_cli("review", "history", cid, "--json"))
    actions = [r["action"] for r in history]
    assert actions.count("review.screen") == 2 and "review.edit" in actions and "review.clear" in actions
    assert ("included", "promoted") in [(r["before"], r["after"]) for r in history if r["action"] == "candidate.status"]
    table = ok(run_cli("review", "history", cid))
    assert "promoted" in table and "amy" in table and "bob" in table
    stats = js(run_cli("review", "stats", "--json"))
    assert stats["screening"]["pairs"] == 1 and stats["screening"]["cohen_kappa"] == 1.0
    assert stats["reviewers"]["amy"]["screen"] == 1 and stats["reviewers"]["bob"]["confirm"] >= 1
    assert stats["machine_accuracy"]["per_field"]["total_size"] == 0.0
    assert stats["machine_accuracy"]["per_field"]["name"] == 1.0
    text = ok(run_cli("review", "stats"))
    assert "Cohen's kappa 1.0" in text and "total_size: 0.0" in text and "amy:" in text


def test_resolve_on_the_terminal(run_cli, review_db: Path) -> None:
    cid = str(candidate_id(review_db, KIDNEY))
    ok(run_cli("review", "screen", cid, "--as", "amy", "--include"))
    assert "conflict" in ok(run_cli("review", "screen", cid, "--as", "bob", "--exclude"))
    assert "included" in ok(run_cli("review", "resolve", cid, "--as", ADMIN, "--include"))
    data = js(run_cli("review", "show", cid, "--json"))
    assert data["resolution"] == {"reviewer": ADMIN, "decision": "include"}


def test_duplicate_and_split_on_the_terminal(run_cli, review_db: Path) -> None:
    cid = candidate_id(review_db, BUS_SEG)
    data = js(run_cli("review", "show", str(cid), "--json"))
    ref = f"{data['records'][-1]['source']}:{data['records'][-1]['native_id']}"
    out = ok(run_cli("review", "split", str(cid), "--as", "amy", "--record", ref))
    new_id = int(out.strip().rsplit(" ", 1)[1])
    moved = js(run_cli("review", "show", str(new_id), "--json"))
    assert [f"{r['source']}:{r['native_id']}" for r in moved["records"]] == [ref]
    out = ok(run_cli("review", "duplicate", str(new_id), "--as", "bob", "--of", str(cid)))
    assert f"candidate {new_id}: merged" in out
    kidney = candidate_id(review_db, KIDNEY)
    with Database.open(review_db) as db:
        entry = db.find_entry("dataset", "The Open Kidney Ultrasound Dataset")
    out = ok(run_cli("review", "duplicate", str(kidney), "--as", "bob", "--of-entry", str(entry["id"])))
    assert f"candidate {kidney}: known" in out
    assert js(run_cli("review", "show", str(kidney), "--json"))["catalogue_match"]["id"] == entry["id"]


# -- forbidden actions -------------------------------------------------------------------------


def _conflict(db: Database, rubric, cid: int) -> None:
    service.screen(db, rubric, cid, "amy", "include", TRIAGED_AT)
    service.screen(db, rubric, cid, "bob", "exclude", TRIAGED_AT, reason="other")


def _included(db: Database, rubric, cid: int) -> None:
    service.screen(db, rubric, cid, "amy", "include", TRIAGED_AT)
    service.screen(db, rubric, cid, "bob", "include", TRIAGED_AT)


def _amy_set_everything(db: Database, rubric, cid: int) -> None:
    # amy confirms the machine's values and sets one of her own: nothing is left for her to verify
    service.verify(db, rubric, cid, "amy", TRIAGED_AT)
    service.edit(db, rubric, cid, "amy", TRIAGED_AT, set_values=[("doppler", "no")])


def _promoted(db: Database, rubric, cid: int) -> None:
    _included(db, rubric, cid)
    service.verify(db, rubric, cid, "amy", TRIAGED_AT)
    service.verify(db, rubric, cid, "bob", TRIAGED_AT)


FORBIDDEN = [
    # (setup, argv after "review" with {id}, what the message says)
    (_amy_set_everything, ("verify", "{id}", "--as", "amy"), "nothing for amy to verify"),
    (_included, ("screen", "{id}", "--as", "cat", "--include"), "already has its two screening votes"),
    (_conflict, ("screen", "{id}", "--as", ADMIN, "--exclude"), "already has its two screening votes"),
    (_conflict, ("resolve", "{id}", "--as", "amy", "--include"), "a third reviewer or an admin resolves it"),
    (_conflict, ("resolve", "{id}", "--as", "bob", "--exclude"), "a third reviewer or an admin resolves it"),
    (_included, ("screen", "{id}", "--as", "amy", "--include"), "amy has already voted"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "colour=red"), "unknown dataset characteristic 'colour'"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "total_size=abc"), "total_size takes a whole number"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "access=maybe"), "access takes one of OA, AR"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "doppler=perhaps"), "doppler takes yes or no"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "version=3", "--set", "doppler=perhaps"), "doppler takes yes or no"),
    (None, ("edit", "{id}", "--as", "amy", "--set", "version"), "--set takes KEY=VALUE"),
    (None, ("edit", "{id}", "--as", "amy", "--clear", "doppler"), "nothing to clear"),
    (None, ("edit", "{id}", "--as", "amy"), "nothing to edit"),
    (None, ("screen", "{id}", "--as", "amy", "--include", "--reason", "other"), "a reason goes with --exclude"),
    (None, ("screen", "{id}", "--as", "amy"), "give --include or --exclude"),
    (None, ("screen", "{id}", "--as", "nobody", "--include"), "no reviewer named 'nobody'"),
    (None, ("resolve", "{id}", "--as", "cat", "--include"), "not in conflict"),
    (None, ("screen", "999999", "--as", "amy", "--include"), "no candidate with id 999999"),
    (None, ("show", "999999"), "no candidate with id 999999"),
    (None, ("duplicate", "{id}", "--as", "amy"), "exactly one candidate or one catalogue entry"),
    (None, ("duplicate", "{id}", "--as", "amy", "--of", "{id}"), "cannot duplicate itself"),
    (None, ("split", "{id}", "--as", "amy", "--record", "zenodo:nope"), "holds no record zenodo:nope"),
    (_promoted, ("verify", "{id}", "--as", "cat"), "is promoted; nothing more can be done"),
    (_promoted, ("edit", "{id}", "--as", "cat", "--set", "version=2"), "is promoted; nothing more can be done"),
]


@pytest.mark.parametrize(("setup", "argv", "match"), FORBIDDEN, ids=[" ".join(f[1][:1] + f[1][2:]) for f in FORBIDDEN])
def test_forbidden_actions_are_refused_with_one_line_and_change_nothing(run_cli, review_db: Path, rubric, setup, argv, match) -> None:
    with Database.open(review_db) as db:
        # exact control: machine values name, version, total_size; two records
        cid = make_candidate(db, {"name": "Forbidden Set", "version": "1", "total_size": 10}, records=2)
        if setup is not None:
            setup(db, rubric, cid)
    before = snapshot(review_db)
    result = run_cli("review", *(a.format(id=cid) for a in argv))
    line = one_line_refusal(result, match)
    assert line.startswith("sonocat: error: ")
    assert snapshot(review_db) == before


def test_a_reason_outside_the_list_is_refused_by_the_terminal(run_cli, review_db: Path) -> None:
    cid = str(candidate_id(review_db, KIDNEY))
    before = snapshot(review_db)
    result = run_cli("review", "screen", cid, "--as", "amy", "--exclude", "--reason", "boring")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "'boring' is not one of" in result.stderr and "not_ultrasound" in result.stderr
    assert snapshot(review_db) == before


def test_a_name_clash_is_refused_on_the_terminal(run_cli, review_db: Path, rubric) -> None:
    with Database.open(review_db) as db:
        cid = make_candidate(db, {"name": "DDTI"})
        _included(db, rubric, cid)
        service.verify(db, rubric, cid, "amy", TRIAGED_AT)
    before = snapshot(review_db)
    one_line_refusal(run_cli("review", "verify", str(cid), "--as", "bob"), "already has a dataset named 'DDTI'")
    assert snapshot(review_db) == before


# -- interactive -------------------------------------------------------------------------------


def test_next_includes_the_top_candidate(run_cli, review_db: Path) -> None:
    with Database.open(review_db) as db:
        top = service.next_for(db, "amy")
        title = db.get_candidate(top)["title"]
    result = run_cli("review", "next", "--as", "amy", input="i\n\nn\n")
    out = ok(result)
    assert f"#{top}" in out and title[:20] in out
    assert "[i] include" in out and "[x] exclude" in out and "[v] verify" in out
    assert f"candidate {top}: screening" in out
    with Database.open(review_db) as db:
        assert [(v["reviewer"], v["decision"], v["note"]) for v in service.votes(db, top)] == [("amy", "include", None)]


def test_next_excludes_with_a_reason_and_note_then_moves_on(run_cli, review_db: Path) -> None:
    with Database.open(review_db) as db:
        first = service.next_for(db, "amy")
        second = service.next_for(db, "amy", {first})
    out = ok(run_cli("review", "next", "--as", "amy", input="x\nnot_public\nlogin wall\ny\ns\nq\n"))
    assert f"#{first}" in out and f"#{second}" in out
    with Database.open(review_db) as db:
        assert [(v["decision"], v["reason"], v["note"]) for v in service.votes(db, first)] == [
            ("exclude", "not_public", "login wall")
        ]
        assert service.votes(db, second) == []


def test_next_offers_a_third_reviewer_the_conflict_to_resolve(run_cli, review_db: Path, rubric) -> None:
    with Database.open(review_db) as db:
        cid = find_candidate(db, KIDNEY)
        _conflict(db, rubric, cid)
    out = ok(run_cli("review", "next", "--as", "cat", input="I\nn\n"))
    assert f"#{cid}" in out and "[I] resolve include" in out and "[i] include" not in out
    with Database.open(review_db) as db:
        assert db.get_candidate(cid)["status"] == "included"
        assert [a["reviewer"] for a in db.actions(cid, "resolve")] == ["cat"]


def test_next_edits_and_verifies(run_cli, review_db: Path) -> None:
    with Database.open(review_db) as db:
        top = service.next_for(db, "amy")
    out = ok(run_cli("review", "next", "--as", "amy", input="e\nversion\n9\ny\nq\n"))
    assert f"candidate {top}" in out
    with Database.open(review_db) as db:
        field = db.candidate_fields([top])[top]["version"]
        assert (field["value"], field["entered_by"]) == ("9", "amy")
    out = ok(run_cli("review", "next", "--as", "bob", input="v\nn\n"))
    with Database.open(review_db) as db:
        assert service.field_states(db, top)["version"].verified


def test_next_reports_a_refusal_without_stopping(run_cli, review_db: Path) -> None:
    with Database.open(review_db) as db:
        top = service.next_for(db, "amy")
    result = run_cli("review", "next", "--as", "amy", input="e\ntotal_size\nabc\nn\n")
    ok(result)
    assert "refused:" in result.stderr and "whole number" in result.stderr
    with Database.open(review_db) as db:
        assert db.actions(top) == []


def test_next_with_nothing_left(run_cli, catalogue_db: Path) -> None:
    ok(run_cli("reviewer", "add", "zoe", "--password-stdin", input="a long password\n"))
    assert "nothing waiting for zoe" in ok(run_cli("review", "next", "--as", "zoe"))
