"""The review service, rule by rule: reviewers, blind double screening, two-person field
verification, promotion exactly once, duplicates and splits, the audit trail, agreement.

Candidates come from the bundled demo recording (staged and triaged like a real
run) or are built directly where a test needs exact control. Every forbidden
action is checked to raise ``ReviewError``/``InputError`` *and* leave every
review table exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from fractions import Fraction

import pytest

from crawler import triage
from crawler.db import Database
from crawler.errors import DatabaseError, InputError, NotFoundError
from review_queue import service
from review_queue.service import ReviewError

from .conftest import (
    ADMIN,
    PASSWORD,
    TRIAGED_AT,
    find_candidate,
    make_candidate,
    screen_in,
    snapshot,
    verify_by,
)

KIDNEY = "Kidney Ultrasound Images: Normal vs Hydronephrosis"  # a queued demo dataset, one Kaggle record
ECHO_VIT = "echo-ef-vit"  # a queued demo model folded from four records
ECHO_REGRESSOR = "Echocardiography EF Regressor"  # another demo model of the same task
BUS_SEG = "BUS-Seg v2"  # a demo dataset folded from seven records


def refused(db: Database, call, match: str | None = None, error: type[Exception] = ReviewError) -> None:
    """``call()`` raises ``error`` (matching ``match``) and changes nothing in the database."""
    before = snapshot(db)
    with pytest.raises(error, match=match):
        call()
    assert snapshot(db) == before


def status_changes(db: Database, candidate_id: int) -> list[tuple[str, str, str]]:
    return [
        (r["actor"], r["before"], r["after"])
        for r in db.audit(f"candidate:{candidate_id}")
        if r["action"] == "candidate.status"
    ]


# -- reviewers ---------------------------------------------------------------------------------


def test_reviewers_are_named_accounts_with_a_role_and_a_hashed_password(db: Database) -> None:
    rows = {r["name"]: r for r in db.reviewers()}
    assert {n: r["role"] for n, r in rows.items()} == {"ada": "admin", "amy": "curator", "bob": "curator", "cat": "curator"}
    stored = db.reviewer("amy")["password_hash"]
    assert PASSWORD not in stored and stored.startswith("$argon2")
    assert service.authenticate(db, "amy", PASSWORD) == {"name": "amy", "role": "curator"}
    assert service.authenticate(db, "amy", "wrong password") is None
    assert service.authenticate(db, "nobody", PASSWORD) is None
    assert service.reviewer(db, ADMIN) == {"name": "ada", "role": "admin"}


@pytest.mark.parametrize(
    ("name", "password", "match"),
    [
        ("dan", "short", "at least 8"),
        ("machine", PASSWORD, "reserved"),
        ("triage", PASSWORD, "reserved"),
        ("dan smith", PASSWORD, "letters, digits"),
        ("", PASSWORD, "letters, digits"),
    ],
)
def test_bad_reviewer_accounts_are_refused(db: Database, name: str, password: str, match: str) -> None:
    refused(db, lambda: service.add_reviewer(db, name, password, TRIAGED_AT), match, InputError)


def test_a_reviewer_name_is_taken_once(db: Database) -> None:
    refused(db, lambda: service.add_reviewer(db, "amy", PASSWORD, TRIAGED_AT), "already exists", DatabaseError)


def test_an_unknown_reviewer_cannot_act(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    refused(db, lambda: service.screen(db, rubric, cid, "nobody", "include", clock()), "no reviewer named")
    refused(db, lambda: service.verify(db, rubric, cid, "nobody", clock()), "no reviewer named")
    refused(db, lambda: service.edit(db, rubric, cid, "nobody", clock(), set_values=[("version", "2")]), "no reviewer")


# -- screening ---------------------------------------------------------------------------------


def test_votes_are_blind_until_both_are_in(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    mine = service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="not_public", note="login wall")
    assert mine["status"] == "screening"
    assert [(v["reviewer"], v["decision"], v["reason"]) for v in mine["votes"]] == [("amy", "exclude", "not_public")]

    for viewer in ("bob", None, ADMIN):
        seen = service.show(db, cid, viewer)
        assert seen["votes"] == [] and seen["votes_cast"] == 1 and seen["votes_hidden"] == 1
        assert "exclude" not in json.dumps(seen["votes"]) and "login wall" not in json.dumps(seen)
    assert service.show(db, cid, "amy")["votes"][0]["note"] == "login wall"

    both = service.screen(db, rubric, cid, "bob", "include", clock())
    for viewer in ("amy", "bob", "cat", None):
        seen = service.show(db, cid, viewer)
        assert seen["votes_hidden"] == 0
        assert {(v["reviewer"], v["decision"]) for v in seen["votes"]} == {("amy", "exclude"), ("bob", "include")}
    assert both["status"] == "conflict"


def test_history_does_not_reveal_a_pending_vote(db: Database, rubric, clock) -> None:
    """`review history` is the audit trail any reviewer can read: it must keep a lone vote blind too."""
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="not_public", note="login wall")
    text = json.dumps(service.history(db, cid))
    assert "exclude" not in text and "not_public" not in text and "login wall" not in text
    service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="other")
    text = json.dumps(service.history(db, cid))
    assert "not_public" in text and "login wall" in text  # both in: nothing hidden any more


def test_two_includes_pass(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    out = screen_in(db, rubric, cid, clock, "amy", "bob")
    assert out["status"] == "included"
    assert db.get_candidate(cid)["status"] == "included"
    assert [(a, b) for _, a, b in status_changes(db, cid)] == [("queued", "screening"), ("screening", "included")]


def test_two_excludes_reject_and_keep_the_candidate_with_reasons(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="duplicate", note="duplicate of candidate 12")
    out = service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="not_ultrasound")
    assert out["status"] == "rejected"
    kept = db.get_candidate(cid)
    assert kept["status"] == "rejected" and kept["title"] == KIDNEY
    assert db.candidate_fields([cid])[cid]  # values and records are kept too
    assert db.candidate_records([cid])[cid]
    assert [(v["reviewer"], v["reason"], v["note"]) for v in service.votes(db, cid)] == [
        ("amy", "duplicate", "duplicate of candidate 12"),
        ("bob", "not_ultrasound", None),
    ]
    assert any(c["id"] == cid for c in service.queue(db, status="rejected"))
    # a rejected candidate is decided: no more votes, edits or verifications
    refused(db, lambda: service.screen(db, rubric, cid, "cat", "include", clock()), "rejected")
    refused(db, lambda: service.verify(db, rubric, cid, "cat", clock()), "rejected")


def test_an_exclusion_without_a_reason_is_other(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "exclude", clock())
    assert service.votes(db, cid)[0]["reason"] == "other"


@pytest.mark.parametrize("reason", service.EXCLUDE_REASONS)
def test_every_reason_of_the_fixed_list_is_accepted(db: Database, rubric, clock, reason: str) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason=reason, note="free text")
    assert service.votes(db, cid)[0]["reason"] == reason


def test_the_reason_list_is_the_issues(db: Database) -> None:
    assert service.EXCLUDE_REASONS == ("not_ultrasound", "not_public", "not_dataset_or_model", "duplicate", "other")


def test_reasons_outside_the_list_and_bad_votes_are_refused(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    refused(db, lambda: service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="boring"), "unknown exclusion reason")
    refused(db, lambda: service.screen(db, rubric, cid, "amy", "include", clock(), reason="other"), "reason goes with")
    refused(db, lambda: service.screen(db, rubric, cid, "amy", "maybe", clock()), "include or exclude")


def test_the_same_reviewer_cannot_vote_twice(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    refused(db, lambda: service.screen(db, rubric, cid, "amy", "include", clock()), "already voted")
    refused(db, lambda: service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="other"), "already voted")


@pytest.mark.parametrize("second", ["include", "exclude"])
def test_a_third_vote_is_refused(db: Database, rubric, clock, second: str) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    service.screen(db, rubric, cid, "bob", second, clock())
    assert db.get_candidate(cid)["status"] == ("included" if second == "include" else "conflict")
    refused(db, lambda: service.screen(db, rubric, cid, "cat", "include", clock()), "two screening votes")
    refused(db, lambda: service.screen(db, rubric, cid, ADMIN, "exclude", clock()), "two screening votes")


def test_a_disagreement_is_a_conflict_that_no_voter_resolves(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    assert service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="not_public")["status"] == "conflict"
    assert "resolve" not in service.allowed_actions(db, cid, "amy")
    assert "resolve" in service.allowed_actions(db, cid, "cat")
    for voter in ("amy", "bob"):
        refused(db, lambda: service.resolve(db, rubric, cid, voter, "include", clock()), "a third reviewer or an admin")
    refused(db, lambda: service.resolve(db, rubric, cid, "cat", "perhaps", clock()), "include or exclude")
    out = service.resolve(db, rubric, cid, "cat", "exclude", clock())
    assert out["status"] == "rejected" and out["resolution"] == {"reviewer": "cat", "decision": "exclude"}
    assert status_changes(db, cid)[-1] == ("cat", "conflict", "rejected")
    # resolved once: nobody resolves again
    refused(db, lambda: service.resolve(db, rubric, cid, ADMIN, "include", clock()), "not in conflict")


def test_an_admin_resolves_a_conflict(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="other")
    service.screen(db, rubric, cid, "bob", "include", clock())
    out = service.resolve(db, rubric, cid, ADMIN, "include", clock())
    assert out["status"] == "included"
    assert [a["reviewer"] for a in db.actions(cid, "resolve")] == [ADMIN]


def test_an_admin_who_voted_does_not_resolve_their_own_conflict(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, ADMIN, "include", clock())
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="other")
    refused(db, lambda: service.resolve(db, rubric, cid, ADMIN, "include", clock()), "voted on candidate")
    assert service.resolve(db, rubric, cid, "bob", "include", clock())["status"] == "included"


def test_resolving_a_candidate_not_in_conflict_is_refused(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    refused(db, lambda: service.resolve(db, rubric, cid, "cat", "include", clock()), "not in conflict")


def test_the_kappa_input_is_the_votes_before_resolution(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="other")
    service.resolve(db, rubric, cid, "cat", "include", clock())
    assert [(v["reviewer"], v["decision"]) for v in service.votes(db, cid)] == [("amy", "include"), ("bob", "exclude")]
    assert service.stats(db)["screening"] == {"pairs": 1, "cohen_kappa": 0.0, "agreement": 0.0}


# -- field verification ------------------------------------------------------------------------


def test_a_machine_value_counts_as_no_one(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    screen_in(db, rubric, cid, clock)
    before = service.show(db, cid)
    assert before["fields"] and all(f["entered_by"] == "machine" and not f["verified"] for f in before["fields"].values())
    one = service.verify(db, rubric, cid, "cat", clock())
    assert one["status"] == "included" and one["promoted_entry_id"] is None
    assert all(f["confirmed_by"] == ["cat"] and not f["verified"] for f in one["fields"].values())
    assert sorted(one["unverified"]) == sorted(one["fields"])
    two = service.verify(db, rubric, cid, ADMIN, clock())
    assert all(f["confirmed_by"] == ["cat", ADMIN] and f["verified"] for f in two["fields"].values())
    assert two["status"] == "promoted"


def test_one_reviewer_confirming_twice_is_still_one_person(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Solo Set", "version": "1"})
    service.verify(db, rubric, cid, "amy", clock())
    refused(db, lambda: service.verify(db, rubric, cid, "amy", clock()), "already confirmed|nothing for amy")
    assert service.show(db, cid)["unverified"] == ["name", "version"]


def test_the_editor_is_the_first_person_and_cannot_confirm_their_own_value(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Liver Set", "version": "1"})
    out = service.edit(db, rubric, cid, "amy", clock(), set_values=[("version", "2")])
    assert out["fields"]["version"]["entered_by"] == "amy" and out["fields"]["version"]["value"] == "2"
    assert out["fields"]["version"]["confirmed_by"] == []
    mine = service.verify(db, rubric, cid, "amy", clock())  # confirms only the machine's name
    assert mine["fields"]["name"]["confirmed_by"] == ["amy"]
    assert mine["fields"]["version"]["confirmed_by"] == []
    assert [(a["key"], a["reviewer"]) for a in db.actions(cid, "confirm")] == [("name", "amy")]
    other = service.verify(db, rubric, cid, "bob", clock())
    assert other["fields"]["version"]["verified"] and other["fields"]["version"]["confirmed_by"] == ["bob"]
    assert other["fields"]["name"]["confirmed_by"] == ["amy", "bob"]  # the machine's name: amy and bob


def test_name_confirmed_by_two_reviewers_is_verified(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Liver Set"})
    verify_by(db, rubric, cid, clock, "amy", "bob")
    state = service.field_states(db, cid)["name"]
    assert state.people == ["amy", "bob"] and state.verified


def test_verify_by_the_only_author_is_refused(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Liver Set"})
    service.edit(db, rubric, cid, "amy", clock(), set_values=[("name", "Liver Set v2"), ("doppler", "no")])
    refused(db, lambda: service.verify(db, rubric, cid, "amy", clock()), "nothing for amy to verify")


def test_verify_with_no_values_is_refused(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {})
    refused(db, lambda: service.verify(db, rubric, cid, "amy", clock()), "no values to verify")


def test_a_correction_after_a_confirmation_needs_a_new_confirmation_by_someone_else(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {})
    service.edit(db, rubric, cid, "amy", clock(), set_values=[("name", "Thyroid Set"), ("total_size", "100")])
    assert service.verify(db, rubric, cid, "bob", clock())["fields"]["total_size"]["verified"]
    corrected = service.edit(db, rubric, cid, "amy", clock(), set_values=[("total_size", "120")])
    assert corrected["fields"]["total_size"]["confirmed_by"] == []
    assert not corrected["fields"]["total_size"]["verified"]
    refused(db, lambda: service.verify(db, rubric, cid, "amy", clock()), "nothing for amy")
    again = service.verify(db, rubric, cid, "bob", clock())
    assert again["fields"]["total_size"]["verified"] and again["fields"]["total_size"]["confirmed_by"] == ["bob"]


def test_a_confirmer_who_corrects_becomes_the_first_person_of_the_new_value(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Thyroid Set", "access": "OA"})
    service.verify(db, rubric, cid, "bob", clock())
    corrected = service.edit(db, rubric, cid, "bob", clock(), set_values=[("access", "ar")])
    assert corrected["fields"]["access"] == {**corrected["fields"]["access"], "value": "AR", "entered_by": "bob",
                                             "confirmed_by": [], "verified": False}
    # amy confirms bob's correction: two people (bob set it, amy confirmed it)
    out = service.verify(db, rubric, cid, "amy", clock())
    assert out["fields"]["access"]["verified"] and out["fields"]["access"]["confirmed_by"] == ["amy"]


def test_a_correction_within_the_same_second_still_needs_a_new_confirmation(db: Database, rubric) -> None:
    """The terminal stamps actions to the second: bob's old confirmation must not cover amy's later correction."""
    now = "2025-10-02T09:00:00Z"
    cid = make_candidate(db, {"name": "Thyroid Set"})
    service.edit(db, rubric, cid, "amy", now, set_values=[("version", "1.0")])
    assert service.verify(db, rubric, cid, "bob", now)["fields"]["version"]["verified"]
    service.edit(db, rubric, cid, "amy", now, set_values=[("version", "2.0")])
    back = service.edit(db, rubric, cid, "amy", now, set_values=[("version", "1.0")])
    assert back["fields"]["version"]["confirmed_by"] == []
    assert not back["fields"]["version"]["verified"]


def test_edit_parses_values_by_their_type(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Typed Set", "total_size": 10})
    out = service.edit(
        db, rubric, cid, "amy", clock(),
        set_values=[("total_size", "1,200"), ("doppler", "yes"), ("access", "oa"), ("anatomy", "Kidney, Liver"),
                    ("scanning_mode", "2D freehand; 3D")],
    )
    values = {k: f["value"] for k, f in out["fields"].items()}
    assert values == {"name": "Typed Set", "total_size": 1200, "doppler": True, "access": "OA",
                      "anatomy": ["kidney", "liver"], "scanning_mode": ["2D freehand", "3D"]}
    assert [(a["key"], a["value"]) for a in db.actions(cid, "edit")] == [
        ("total_size", 1200), ("doppler", True), ("access", "OA"), ("anatomy", ["kidney", "liver"]),
        ("scanning_mode", ["2D freehand", "3D"]),
    ]


@pytest.mark.parametrize(
    ("pairs", "match"),
    [
        ([("colour", "red")], "unknown dataset characteristic 'colour'"),
        ([("total_size", "abc")], "whole number"),
        ([("access", "maybe")], "access takes one of OA, AR"),
        ([("doppler", "perhaps")], "yes or no"),
        ([("scanning_mode", "4D")], "scanning_mode"),
        ([("version", "  ")], "empty value"),
        ([("weights_public", "yes")], "unknown dataset characteristic"),  # a model key on a dataset
        ([("version", "2.0"), ("total_size", "abc")], "whole number"),  # the good half is not kept either
    ],
)
def test_unknown_keys_and_wrong_types_are_refused_and_change_nothing(db: Database, rubric, clock, pairs, match) -> None:
    cid = find_candidate(db, KIDNEY)
    fields = db.candidate_fields([cid])[cid]
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), set_values=pairs), match, InputError)
    assert db.candidate_fields([cid])[cid] == fields


def test_model_values_are_checked_against_the_model_contract(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, ECHO_VIT)
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), set_values=[("weights_public", "sometimes")]),
            "yes or no", InputError)
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), set_values=[("total_size", "12")]),
            "unknown model characteristic", InputError)
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), set_values=[("framework", "Caffe")]),
            "framework takes one of", InputError)
    out = service.edit(db, rubric, cid, "amy", clock(), set_values=[("weights_public", "no"), ("framework", "jax")])
    assert out["fields"]["weights_public"]["value"] is False and out["fields"]["framework"]["value"] == "JAX"


def test_clearing_values(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Clear Set", "version": "1", "doppler": True})
    out = service.edit(db, rubric, cid, "amy", clock(), clear=["doppler"])
    assert "doppler" not in out["fields"] and "doppler" not in db.candidate_fields([cid])[cid]
    cleared = db.actions(cid, "clear")
    assert [(a["reviewer"], a["key"], a["value"]) for a in cleared] == [("amy", "doppler", True)]
    audit = [r for r in db.audit(f"candidate:{cid}") if r["action"] == "candidate.field.cleared"]
    assert [(r["target"], r["before"], r["after"]) for r in audit] == [(f"candidate:{cid}/doppler", "true", None)]
    # a cleared value needs no verification; the rest does
    assert service.show(db, cid)["unverified"] == ["name", "version"]
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), clear=["doppler"]), "nothing to clear")
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock(), clear=["colour"]), "unknown", InputError)
    refused(db, lambda: service.edit(db, rubric, cid, "amy", clock()), "nothing to edit")


def test_a_reviewer_value_is_never_overwritten_by_triage(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    service.edit(db, rubric, cid, "amy", clock(), set_values=[("version", "7")])
    triage.run_triage(db, clock(), all_records=True)
    field = db.candidate_fields([cid])[cid]["version"]
    assert (field["value"], field["entered_by"]) == ("7", "amy")


# -- promotion ---------------------------------------------------------------------------------


def test_promotion_waits_for_screening_even_when_every_value_is_verified(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    entries = db.count_entries()
    out = verify_by(db, rubric, cid, clock, "cat", ADMIN)
    assert out["unverified"] == [] and out["status"] == "queued" and out["promoted_entry_id"] is None
    assert service.screen(db, rubric, cid, "amy", "include", clock())["status"] == "screening"
    assert db.count_entries() == entries
    done = service.screen(db, rubric, cid, "bob", "include", clock())
    assert done["status"] == "promoted" and db.count_entries() == entries + 1


def test_promotion_waits_for_every_value(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    screen_in(db, rubric, cid, clock)
    service.edit(db, rubric, cid, "amy", clock(), set_values=[("doppler", "no")])
    out = verify_by(db, rubric, cid, clock, "amy", "bob")  # doppler: amy + bob; the rest: amy + bob
    assert out["status"] == "promoted"


def test_one_unverified_value_blocks_promotion(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    screen_in(db, rubric, cid, clock)
    verify_by(db, rubric, cid, clock, "amy")
    out = service.edit(db, rubric, cid, "bob", clock(), set_values=[("doppler", "no")])
    out = service.verify(db, rubric, cid, "bob", clock())
    assert out["unverified"] == ["doppler"] and out["status"] == "included"
    assert db.get_candidate(cid)["promoted_entry_id"] is None
    assert service.verify(db, rubric, cid, "amy", clock())["status"] == "promoted"


def test_a_rejected_candidate_is_never_promoted(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    entries = db.count_entries()
    verify_by(db, rubric, cid, clock, "cat", ADMIN)
    service.screen(db, rubric, cid, "amy", "exclude", clock(), reason="other")
    service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="other")
    assert db.get_candidate(cid)["status"] == "rejected" and db.count_entries() == entries


def test_promotion_creates_the_entry_with_values_evidence_sources_reviewers_and_score(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    fields = db.candidate_fields([cid])[cid]
    record_url = {f"{r['source']}:{r['native_id']}": r["url"] for r in db.candidate_records([cid])[cid]}
    screen_in(db, rubric, cid, clock, "amy", "bob")
    service.edit(db, rubric, cid, "cat", clock(), set_values=[("doppler", "no")], evidence="README: B-mode only")
    out = verify_by(db, rubric, cid, clock, "amy", "bob")
    assert out["status"] == "promoted"
    entry_id = out["promoted_entry_id"]
    entry = db.get_entry(entry_id)
    assert (entry["kind"], entry["name"], entry["provenance"]) == ("dataset", KIDNEY, "review")
    assert entry["reviewed_at"] is not None
    chars = {c["key"]: c for c in db.characteristics(entry_id)}
    assert set(chars) == set(fields) | {"doppler"}
    for key, field in fields.items():
        assert chars[key]["value"] == field["value"]
        assert chars[key]["evidence"] == field["evidence"]
        assert chars[key]["evidence_source"] == record_url[field["source"]]
        assert chars[key]["evidence_source"].startswith("https://")
        assert chars[key]["entered_by"] == "amy + bob"
    assert chars["doppler"]["value"] is False
    assert chars["doppler"]["evidence"] == "README: B-mode only"
    assert chars["doppler"]["evidence_source"] == "reviewer:cat"
    assert chars["doppler"]["entered_by"] == "cat + amy + bob"
    [score] = db.score_history(entry_id)
    assert score["rubric"] == "SonoDQS@1.0" and score["rubric"] == rubric.dataset.ref
    assert 0 < score["score"] and score["tier"]
    assert set(score["completed"]) >= {"name", "anatomy", "total_size"}
    cand = db.get_candidate(cid)
    assert (cand["status"], cand["promoted_entry_id"]) == ("promoted", entry_id)
    created = [r for r in db.audit(f"entry:{entry_id}") if r["action"] == "entry.created"]
    assert len(created) == 1


def test_a_model_is_promoted_with_the_model_rubric(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, ECHO_VIT)
    screen_in(db, rubric, cid, clock)
    out = verify_by(db, rubric, cid, clock, "cat", ADMIN)
    entry_id = out["promoted_entry_id"]
    assert db.get_entry(entry_id)["kind"] == "model"
    assert db.score_history(entry_id)[-1]["rubric"] == "SonoMQS@1.0"
    # each value keeps the page of the record it was read from (the demo model is folded from several)
    url_of = {f"{r['source']}:{r['native_id']}": r["url"] for r in db.candidate_records([cid])[cid]}
    assert len(url_of) > 1
    read_from = {k: f["source"] for k, f in db.candidate_fields([cid])[cid].items()}
    assert {c["key"]: c["evidence_source"] for c in db.characteristics(entry_id)} == {
        k: url_of[src] for k, src in read_from.items()
    }


def test_promotion_is_recorded_as_the_act_of_the_reviewer_who_completed_it(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Audit Set"})
    screen_in(db, rubric, cid, clock, "cat", ADMIN)
    service.verify(db, rubric, cid, "bob", clock())
    service.verify(db, rubric, cid, "amy", clock())  # amy's confirmation is the one that promotes
    assert status_changes(db, cid)[-1] == ("amy", "included", "promoted")
    assert db.get_candidate(cid)["status_by"] == "amy"


def test_promotion_by_the_deciding_vote_is_that_voters_act(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Vote Set"})
    verify_by(db, rubric, cid, clock, "amy", "bob")
    service.screen(db, rubric, cid, "cat", "include", clock())
    service.screen(db, rubric, cid, ADMIN, "include", clock())
    assert status_changes(db, cid)[-1] == (ADMIN, "included", "promoted")


def test_a_candidate_without_a_name_is_not_promoted(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"version": "1"})
    screen_in(db, rubric, cid, clock)
    assert verify_by(db, rubric, cid, clock)["status"] == "included"
    out = service.edit(db, rubric, cid, "cat", clock(), set_values=[("name", "Named Later")])
    assert out["status"] == "included"
    assert service.verify(db, rubric, cid, "amy", clock())["status"] == "promoted"


def test_promotion_happens_exactly_once(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    screen_in(db, rubric, cid, clock)
    entries = db.count_entries()
    out = verify_by(db, rubric, cid, clock, "amy", "bob")
    entry_id = out["promoted_entry_id"]
    assert db.count_entries() == entries + 1
    # a second attempt is impossible, whatever the route
    assert service._maybe_promote(db, rubric, cid, clock()) is None
    refused(db, lambda: service.verify(db, rubric, cid, "cat", clock()), "promoted; nothing more")
    refused(db, lambda: service.edit(db, rubric, cid, "cat", clock(), set_values=[("version", "9")]), "promoted")
    refused(db, lambda: service.screen(db, rubric, cid, "cat", "include", clock()), "promoted")
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "cat", clock(), of_entry=1), "promoted")
    other = find_candidate(db, ECHO_VIT)
    refused(db, lambda: service.mark_duplicate(db, rubric, other, "cat", clock(), of_candidate=cid), "promoted")
    assert service.allowed_actions(db, cid, "cat") == []
    assert db.count_entries() == entries + 1 and len(db.score_history(entry_id)) == 1
    assert [s for s in status_changes(db, cid) if s[2] == "promoted"] == [("bob", "included", "promoted")]


def test_a_name_clash_with_a_catalogue_entry_is_refused_clearly(db: Database, rubric, clock) -> None:
    existing = db.find_entry("dataset", "DDTI")
    cid = make_candidate(db, {"name": "ddti", "version": "2"})
    screen_in(db, rubric, cid, clock)
    service.verify(db, rubric, cid, "amy", clock())
    entries = db.count_entries()
    refused(db, lambda: service.verify(db, rubric, cid, "bob", clock()),
            rf"already has a dataset named 'ddti' \(entry {existing['id']}\).*duplicate")
    assert db.count_entries() == entries and db.get_candidate(cid)["status"] == "included"
    # the way out the message names works
    assert service.mark_duplicate(db, rubric, cid, "bob", clock(), of_entry=existing["id"])["status"] == "known"


def test_an_update_candidate_changes_the_known_entry_and_keeps_old_values(db: Database, rubric, clock) -> None:
    entry = db.find_entry("dataset", "DDTI")
    old = {c["key"]: c for c in db.characteristics(entry["id"])}
    assert "licence" not in old or old["licence"]["value"] != "CC-BY-4.0"
    old_total = old["total_size"]["value"]
    cid = make_candidate(
        db, {"name": "DDTI", "total_size": old_total + 1, "licence": "CC-BY-4.0"}, status="update", entry_id=entry["id"]
    )
    entries, scores = db.count_entries(), len(db.score_history(entry["id"]))
    screen_in(db, rubric, cid, clock)
    out = verify_by(db, rubric, cid, clock, "amy", "bob")
    assert out["status"] == "promoted" and out["promoted_entry_id"] == entry["id"]
    assert db.count_entries() == entries
    now = {c["key"]: c for c in db.characteristics(entry["id"])}
    assert now["total_size"]["value"] == old_total + 1 and now["total_size"]["entered_by"] == "amy + bob"
    assert now["licence"]["value"] == "CC-BY-4.0"
    assert set(now) >= set(old)  # keys the candidate did not carry stay as they were
    for key in set(old) - {"name", "total_size", "licence"}:
        assert now[key]["value"] == old[key]["value"] and now[key]["entered_by"] == old[key]["entered_by"]
    history = {(h["key"], json.dumps(h["value"]), h["entered_by"]) for h in db.characteristic_history(entry["id"])}
    assert ("total_size", json.dumps(old_total), old["total_size"]["entered_by"]) in history
    assert len(db.score_history(entry["id"])) == scores + 1
    assert db.get_entry(entry["id"])["reviewed_at"] is not None


# -- duplicates and splits ---------------------------------------------------------------------


def test_duplicate_of_a_candidate_moves_its_records_and_survives_triage(db: Database, rubric, clock) -> None:
    dup, target = find_candidate(db, ECHO_REGRESSOR), find_candidate(db, ECHO_VIT)
    dup_records = {r["id"] for r in db.candidate_records([dup])[dup]}
    target_records = {r["id"] for r in db.candidate_records([target])[target]}
    target_keys = set(db.candidate_fields([target])[target])
    out = service.mark_duplicate(db, rubric, dup, "amy", clock(), of_candidate=target)
    assert out["status"] == "merged" and db.get_candidate(dup)["merged_into"] == target
    assert dup not in db.candidate_records([dup])
    assert {r["id"] for r in db.candidate_records([target])[target]} == dup_records | target_records
    assert [(a["reviewer"], a["note"]) for a in db.actions(dup, "duplicate")] == [("amy", f"candidate:{target}")]
    assert status_changes(db, dup)[-1] == ("amy", "queued", "merged")

    triage.run_triage(db, clock())
    assert db.get_candidate(dup)["status"] == "merged"
    assert {r["id"] for r in db.candidate_records([target])[target]} == dup_records | target_records
    # the target still holds the facts its own records state
    assert set(db.candidate_fields([target])[target]) >= target_keys


def test_duplicate_of_a_catalogue_entry_makes_it_known_and_survives_triage(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, KIDNEY)
    entry = db.find_entry("dataset", "The Open Kidney Ultrasound Dataset")
    out = service.mark_duplicate(db, rubric, cid, "amy", clock(), of_entry=entry["id"])
    assert out["status"] == "known" and out["catalogue_match"] == {"id": entry["id"], "name": entry["name"]}
    assert db.actions(cid, "duplicate")[0]["note"] == f"entry:{entry['id']}"
    triage.run_triage(db, clock())
    after = db.get_candidate(cid)
    assert (after["status"], after["catalogue_entry_id"]) == ("known", entry["id"])


def test_bad_duplicate_marks_are_refused(db: Database, rubric, clock) -> None:
    cid, other = find_candidate(db, KIDNEY), find_candidate(db, ECHO_VIT)
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock()), "exactly one")
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock(), of_candidate=other, of_entry=1), "exactly one")
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock(), of_candidate=cid), "itself")
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock(), of_entry=999_999), "no catalogue entry", NotFoundError)
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock(), of_candidate=999_999), "no candidate", NotFoundError)
    service.mark_duplicate(db, rubric, other, "amy", clock(), of_candidate=find_candidate(db, ECHO_REGRESSOR))
    refused(db, lambda: service.mark_duplicate(db, rubric, cid, "amy", clock(), of_candidate=other), "merged")


def test_split_moves_records_to_a_new_candidate_that_triage_does_not_merge_back(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, BUS_SEG)
    records = db.candidate_records([cid])[cid]
    assert len(records) >= 3
    moving = records[-2:]
    staying = {r["id"] for r in records} - {r["id"] for r in moving}
    refs = [f"{r['source']}:{r['native_id']}" for r in moving]
    out = service.split(db, cid, "amy", refs, clock())
    new_id = out["to"]["id"]
    assert out["to"]["status"] == "queued" and new_id != cid
    assert {r["id"] for r in db.candidate_records([new_id])[new_id]} == {r["id"] for r in moving}
    assert {r["id"] for r in db.candidate_records([cid])[cid]} == staying
    assert db.actions(cid, "split")[0]["note"] == f"moved {', '.join(refs)} to candidate:{new_id}"

    triage.run_triage(db, clock())
    assert db.get_candidate(new_id)["status"] != "merged"
    assert {r["id"] for r in db.candidate_records([new_id]).get(new_id, [])} == {r["id"] for r in moving}
    assert {r["id"] for r in db.candidate_records([cid])[cid]} == staying


def test_bad_splits_are_refused(db: Database, rubric, clock) -> None:
    cid = find_candidate(db, BUS_SEG)
    refs = [f"{r['source']}:{r['native_id']}" for r in db.candidate_records([cid])[cid]]
    refused(db, lambda: service.split(db, cid, "amy", [], clock()), "not none and not all")
    refused(db, lambda: service.split(db, cid, "amy", refs, clock()), "not none and not all")
    refused(db, lambda: service.split(db, cid, "amy", ["zenodo:nope"], clock()), "holds no record zenodo:nope")
    single = find_candidate(db, KIDNEY)
    only = db.candidate_records([single])[single][0]
    refused(db, lambda: service.split(db, single, "amy", [f"{only['source']}:{only['native_id']}"], clock()), "not all")


# -- audit -------------------------------------------------------------------------------------


def test_every_action_is_in_the_audit_log_with_who_what_before_after_and_when(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Audited Set", "version": "1", "doppler": True}, records=2)
    t_screen1, t_screen2, t_resolve = clock(), clock(), clock()
    service.screen(db, rubric, cid, "amy", "include", t_screen1, note="looks right")
    service.screen(db, rubric, cid, "bob", "exclude", t_screen2, reason="not_public")
    service.resolve(db, rubric, cid, "cat", "include", t_resolve)
    t_edit = clock()
    service.edit(db, rubric, cid, "amy", t_edit, set_values=[("version", "2")], clear=["doppler"])
    t_confirm = clock()
    service.verify(db, rubric, cid, "bob", t_confirm)
    t_split = clock()
    service.split(db, cid, "cat", [f"zenodo:test-{cid}-1"], t_split)
    rows = db.audit(f"candidate:{cid}")
    by_action = {}
    for r in rows:
        by_action.setdefault(r["action"], []).append(r)

    actions = db.actions(cid)
    assert [a["action"] for a in actions] == ["screen", "screen", "resolve", "edit", "clear", "confirm", "confirm", "split"]
    logged = by_action["review.screen"] + by_action["review.resolve"] + by_action["review.edit"] + \
        by_action["review.clear"] + by_action["review.confirm"] + by_action["review.split"]
    assert len(logged) == len(actions)  # one audit row per action
    [s1, s2] = by_action["review.screen"]
    assert (s1["actor"], s1["at"], json.loads(s1["after"])["decision"], json.loads(s1["after"])["note"]) == \
        ("amy", t_screen1, "include", "looks right")
    assert (s2["actor"], s2["at"], json.loads(s2["after"])["reason"]) == ("bob", t_screen2, "not_public")
    assert (by_action["review.resolve"][0]["actor"], by_action["review.resolve"][0]["at"]) == ("cat", t_resolve)
    assert json.loads(json.loads(by_action["review.edit"][0]["after"])["value"]) == "2"
    assert [(r["actor"], r["at"]) for r in by_action["review.confirm"]] == [("bob", t_confirm)] * 2
    assert by_action["review.split"][0]["actor"] == "cat"
    # value changes carry before and after, and who
    [version] = [r for r in by_action["candidate.field"] if r["target"] == f"candidate:{cid}/version" and r["actor"] == "amy"]
    assert (version["before"], version["after"], version["at"]) == ('"1"', '"2"', t_edit)
    [cleared] = by_action["candidate.field.cleared"]
    assert (cleared["before"], cleared["after"]) == ("true", None)
    assert json.loads(by_action["review.clear"][0]["after"])["value"] == "true"  # the value removed, and by whom
    assert by_action["review.clear"][0]["actor"] == "amy"
    # status changes carry before and after, and who
    assert [(r["actor"], r["before"], r["after"], r["at"]) for r in by_action["candidate.status"]] == [
        ("amy", "queued", "screening", t_screen1),
        ("bob", "screening", "conflict", t_screen2),
        ("cat", "conflict", "included", t_resolve),
    ]
    assert service.history(db, cid) == rows


def test_reviewers_added_are_audited(db: Database) -> None:
    service.add_reviewer(db, "dan", PASSWORD, "2025-10-05T00:00:00Z", admin=True)
    [row] = db.audit("reviewer:dan")
    assert (row["action"], json.loads(row["after"]), row["at"]) == ("reviewer.added", {"role": "admin"}, "2025-10-05T00:00:00Z")
    assert PASSWORD not in json.dumps(db.audit())


@pytest.mark.parametrize("table", ["review_actions", "audit_log"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET at = 'x'", "DELETE FROM {table}"])
def test_the_action_rows_and_the_audit_log_are_append_only(db: Database, rubric, clock, table: str, statement: str) -> None:
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    before = snapshot(db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.db.execute(statement.format(table=table))
    # also through a plain connection that knows nothing of sonocat
    conn = sqlite3.connect(str(db.path))
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement.format(table=table))
    finally:
        conn.close()
    assert snapshot(db) == before


def test_nothing_is_deleted_by_review(db: Database, rubric, clock) -> None:
    counts = {t: len(rows) for t, rows in snapshot(db).items()}
    a, b = find_candidate(db, KIDNEY), find_candidate(db, ECHO_REGRESSOR)
    service.screen(db, rubric, a, "amy", "exclude", clock(), reason="other")
    service.screen(db, rubric, a, "bob", "exclude", clock(), reason="other")
    service.mark_duplicate(db, rubric, b, "amy", clock(), of_candidate=find_candidate(db, ECHO_VIT))
    after = {t: len(rows) for t, rows in snapshot(db).items()}
    for table in ("candidates", "candidate_records", "candidate_fields", "entries", "characteristics"):
        assert after[table] == counts[table], table


# -- agreement ---------------------------------------------------------------------------------


def test_cohens_kappa_on_a_known_set_of_votes(db: Database, rubric, clock) -> None:
    # amy votes first, bob second on eight candidates:
    #   (i,i) x3, (e,e) x2, (i,e) x2, (e,i) x1
    pairs = [("include", "include")] * 3 + [("exclude", "exclude")] * 2 + [("include", "exclude")] * 2 + \
        [("exclude", "include")]
    for n, (first, second) in enumerate(pairs):
        cid = make_candidate(db, {}, title=f"kappa {n}")
        service.screen(db, rubric, cid, "amy", first, clock())
        service.screen(db, rubric, cid, "bob", second, clock())
    # one candidate with a single vote does not count
    service.screen(db, rubric, make_candidate(db, {}, title="lone"), "amy", "include", clock())
    # by hand: observed agreement p_o = 5/8; amy includes 5/8, bob includes 4/8;
    # chance agreement p_e = 5/8*4/8 + 3/8*4/8 = 1/2; kappa = (p_o - p_e) / (1 - p_e) = 1/4
    p_o = Fraction(5, 8)
    p_e = Fraction(5, 8) * Fraction(4, 8) + Fraction(3, 8) * Fraction(4, 8)
    expected = (p_o - p_e) / (1 - p_e)
    assert expected == Fraction(1, 4)
    stats = service.stats(db)["screening"]
    assert stats["pairs"] == 8
    assert stats["cohen_kappa"] == pytest.approx(float(expected), abs=1e-4)
    assert stats["agreement"] == pytest.approx(0.625)
    # resolving the three conflicts leaves the kappa of the votes as cast
    for c in db.candidates(status="conflict"):
        service.resolve(db, rubric, c["id"], "cat", "include", clock())
    assert service.stats(db)["screening"]["cohen_kappa"] == pytest.approx(0.25, abs=1e-4)


def test_cohens_kappa_edge_cases() -> None:
    assert service.cohen_kappa([]) is None
    assert service.cohen_kappa([("include", "include")] * 4) == 1.0
    assert service.cohen_kappa([("include", "exclude"), ("exclude", "include")]) == pytest.approx(-1.0)


def test_field_agreement_is_the_share_of_values_the_second_person_changed(db: Database, rubric, clock) -> None:
    cid = make_candidate(db, {"name": "Agree Set", "version": "1", "licence": "MIT", "doppler": True})
    service.verify(db, rubric, cid, "amy", clock())  # first person on all four
    # bob is the second person on each: corrects version, clears doppler, confirms name and licence
    service.edit(db, rubric, cid, "bob", clock(), set_values=[("version", "2")], clear=["doppler"])
    service.verify(db, rubric, cid, "bob", clock())
    service.verify(db, rubric, cid, "amy", clock())  # amy again on version: not a second person
    fields = service.stats(db)["fields"]
    assert fields == {"second_person_actions": 4, "changed_by_second_person": 2, "agreement": 0.5}


def test_machine_accuracy_per_field_over_promoted_candidates(db: Database, rubric, clock) -> None:
    p1 = make_candidate(db, {"name": "Acc One", "version": "1", "licence": "MIT"})
    p2 = make_candidate(db, {"name": "Acc Two", "version": "3"})
    pending = make_candidate(db, {"name": "Acc Pending", "version": "5"})  # not promoted: not counted
    for cid in (p1, p2):
        screen_in(db, rubric, cid, clock)
    service.edit(db, rubric, p1, "amy", clock(), set_values=[("version", "1.1")])  # the machine was wrong
    verify_by(db, rubric, p1, clock, "amy", "bob")
    verify_by(db, rubric, p2, clock, "amy", "bob")
    service.verify(db, rubric, pending, "amy", clock())
    assert {db.get_candidate(c)["status"] for c in (p1, p2)} == {"promoted"}
    machine = service.stats(db)["machine_accuracy"]
    assert machine["per_field"] == {"licence": 1.0, "name": 1.0, "version": 0.5}
    assert machine["overall"] == pytest.approx(0.8)


def test_per_reviewer_counts(db: Database, rubric, clock) -> None:
    a = make_candidate(db, {"name": "Count Set", "version": "1"})
    b = make_candidate(db, {"name": "Count Two"})
    service.screen(db, rubric, a, "amy", "include", clock())
    service.screen(db, rubric, a, "bob", "exclude", clock(), reason="other")
    service.resolve(db, rubric, a, ADMIN, "include", clock())
    service.edit(db, rubric, a, "amy", clock(), set_values=[("version", "2")])
    service.verify(db, rubric, a, "bob", clock())
    service.mark_duplicate(db, rubric, b, "cat", clock(), of_candidate=a)
    reviewers = service.stats(db)["reviewers"]
    assert reviewers == {
        "ada": {"resolve": 1},
        "amy": {"screen": 1, "edit": 1},
        "bob": {"screen": 1, "confirm": 2},
        "cat": {"duplicate": 1},
    }


def test_stats_on_an_empty_review(db: Database) -> None:
    stats = service.stats(db)
    assert stats["screening"] == {"pairs": 0, "cohen_kappa": None, "agreement": None}
    assert stats["fields"]["agreement"] is None and stats["machine_accuracy"]["overall"] is None
    assert stats["reviewers"] == {} and stats["candidates"] == db.candidate_counts()
    assert stats["candidates"]["queued"] == len(service.queue(db, status="queued")) > 20


# -- the queue ---------------------------------------------------------------------------------


def test_next_offers_conflicts_first_and_never_a_candidate_the_reviewer_cannot_act_on(db: Database, rubric, clock) -> None:
    first = service.next_for(db, "amy")
    assert db.get_candidate(first)["status"] == "queued"
    cid = find_candidate(db, KIDNEY)
    service.screen(db, rubric, cid, "amy", "include", clock())
    service.screen(db, rubric, cid, "bob", "exclude", clock(), reason="other")
    assert service.next_for(db, "cat") == cid  # a conflict cat may resolve comes first
    assert service.next_for(db, "amy") != cid  # amy voted: not hers to resolve
    assert service.next_for(db, "cat", skip={cid}) != cid
