"""The review service: two people before anything enters the catalogue.

Every rule lives here, whatever the front end (terminal or browser):

* Reviewers are named accounts, ``curator`` or ``admin``, passwords hashed
  with Argon2.
* Screening: two distinct reviewers vote include or exclude (exclude with a
  reason from a fixed list). Votes are blind until both are in. Two includes
  pass (``included``), two excludes reject (``rejected``, kept with reasons),
  a disagreement is a ``conflict`` that only someone who did not vote resolves.
* Field verification: a value reaches the catalogue only when two distinct
  people stand behind it. Setting or correcting a value makes its author the
  first person; confirming a value someone else set (or the machine
  extracted) counts as one person; a machine value counts as no one. A
  confirmation counts only for the value as it was when confirmed: a later
  correction needs a new confirmation by someone other than its author.
* Promotion: once screening passed and every filled value has two people, the
  candidate becomes a catalogue entry (or, for an update, changes the known
  entry, the old values kept in history), scored with the current rubric.
  Exactly once: the check and the write share one ``BEGIN IMMEDIATE``
  transaction, so two processes confirming the last value at the same moment
  promote once.
* Every action is a row in ``review_actions``; triggers write the audit log;
  neither can be updated or deleted.

Forbidden actions raise ``ReviewError`` (an ``InputError``) and change nothing.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crawler import catalogue as catalogue_service
from crawler import fields as field_contract
from crawler.db import Database
from crawler.errors import InputError, NotFoundError
from crawler.rubric import Rubric

ROLES = ("curator", "admin")
EXCLUDE_REASONS = ("not_ultrasound", "not_public", "not_dataset_or_model", "duplicate", "other")
MACHINE = "machine"
# Candidates a reviewer may still screen; the rest have been decided.
SCREENABLE = frozenset({"queued", "excluded", "known", "update", "screening"})
DECIDED = frozenset({"rejected", "promoted", "merged"})
REVIEW_STATES = ("screening", "conflict", "included", "rejected", "promoted")

_hasher = PasswordHasher()


class ReviewError(InputError):
    """A forbidden review action: refused, nothing changed."""


# -- reviewers ---------------------------------------------------------------------------------


def add_reviewer(db: Database, name: str, password: str, now: str, *, admin: bool = False) -> dict[str, Any]:
    name = name.strip()
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise InputError("a reviewer name is letters, digits, '-', '_' or '.'")
    if name.lower() in {MACHINE, "triage", "paper", "unknown", "admin"}:
        raise InputError(f"{name!r} is reserved")
    if len(password) < 8:
        raise InputError("a password has at least 8 characters")
    role = "admin" if admin else "curator"
    with db.transaction():
        db.add_reviewer(name, role, _hasher.hash(password), now)
    return {"name": name, "role": role}


def authenticate(db: Database, name: str, password: str) -> dict[str, Any] | None:
    row = db.reviewer(name)
    if row is None:
        _hasher.hash(password)  # same cost whether or not the name exists
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return {"name": row["name"], "role": row["role"]}


def reviewer(db: Database, name: str) -> dict[str, Any]:
    row = db.reviewer(name)
    if row is None:
        raise ReviewError(f"no reviewer named {name!r}; add one with `sonocat reviewer add {name}`")
    return {"name": row["name"], "role": row["role"]}


# -- reading a candidate -----------------------------------------------------------------------


@dataclass
class FieldState:
    key: str
    value: Any
    evidence: str | None
    source: str | None
    unit: str | None
    entered_by: str
    entered_at: str
    confirmed_by: list[str]

    @property
    def people(self) -> list[str]:
        first = [] if self.entered_by == MACHINE else [self.entered_by]
        return first + [p for p in self.confirmed_by if p not in first]

    @property
    def verified(self) -> bool:
        return len(set(self.people)) >= 2


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_states(db: Database, candidate_id: int) -> dict[str, FieldState]:
    current = db.candidate_fields([candidate_id]).get(candidate_id, {})
    actions = db.actions(candidate_id)
    confirms = [a for a in actions if a["action"] == "confirm"]
    last_change = {a["key"]: a["id"] for a in actions if a["action"] in ("edit", "clear") and a["key"]}
    out = {}
    for key, row in current.items():
        encoded = _encode(row["value"])
        confirmed = []
        for action in confirms:
            # a confirmation counts for this value only if made after it was set
            if (action["key"] == key and _encode(action["value"]) == encoded and action["at"] >= row["entered_at"]
                    and action["id"] > last_change.get(key, 0)):
                if action["id"] and action["reviewer"] not in confirmed:
                    confirmed.append(action["reviewer"])
        out[key] = FieldState(
            key=key, value=row["value"], evidence=row["evidence"], source=row["source"], unit=row["unit"],
            entered_by=row["entered_by"], entered_at=row["entered_at"], confirmed_by=confirmed,
        )
    return out


def votes(db: Database, candidate_id: int) -> list[dict[str, Any]]:
    return [
        {"reviewer": a["reviewer"], "decision": a["decision"], "reason": a["reason"], "note": a["note"], "at": a["at"]}
        for a in db.actions(candidate_id, "screen")
    ]


def show(db: Database, candidate_id: int, viewer: str | None = None) -> dict[str, Any]:
    """Everything about a candidate a reviewer may see (other people's votes stay hidden until both are in)."""
    cand = db.get_candidate(candidate_id)
    cast = votes(db, candidate_id)
    both_in = len(cast) >= 2
    visible = [v for v in cast if both_in or (viewer is not None and v["reviewer"] == viewer)]
    resolutions = db.actions(candidate_id, "resolve")
    records = db.candidate_records([candidate_id]).get(candidate_id, [])
    states = field_states(db, candidate_id)
    entry = None
    if cand["catalogue_entry_id"]:
        entry = db.get_entry(cand["catalogue_entry_id"])
    return {
        "id": cand["id"],
        "kind": cand["kind"],
        "title": cand["title"],
        "status": cand["status"],
        "relevance": cand["relevance"],
        "reasons": cand["reasons"],
        "first_seen": cand["first_seen"],
        "catalogue_match": {"id": entry["id"], "name": entry["name"]} if entry else None,
        "promoted_entry_id": cand.get("promoted_entry_id"),
        "uncertain": cand["uncertain"],
        "records": [
            {"id": r["id"], "source": r["source"], "native_id": r["native_id"], "url": r["url"]} for r in records
        ],
        "votes": visible,
        "votes_cast": len(cast),
        "votes_hidden": len(cast) - len(visible),
        "resolution": (
            {"reviewer": resolutions[-1]["reviewer"], "decision": resolutions[-1]["decision"]} if resolutions else None
        ),
        "fields": {
            key: {
                "value": st.value, "evidence": st.evidence, "source": st.source, "unit": st.unit,
                "entered_by": st.entered_by, "entered_at": st.entered_at, "confirmed_by": st.confirmed_by,
                "verified": st.verified,
            }
            for key, st in states.items()
        },
        "unverified": sorted(k for k, st in states.items() if not st.verified),
    }


def allowed_actions(db: Database, candidate_id: int, name: str) -> list[str]:
    """What ``name`` may do now on this candidate (the web shows these and no others)."""
    cand = db.get_candidate(candidate_id)
    reviewer(db, name)
    cast = votes(db, candidate_id)
    voters = {v["reviewer"] for v in cast}
    out = []
    if cand["status"] in SCREENABLE and name not in voters and len(cast) < 2:
        out.append("screen")
    if cand["status"] == "conflict" and name not in voters:
        out.append("resolve")
    if cand["status"] not in DECIDED:
        out += ["edit", "duplicate"]
        if any(_can_confirm(st, name) for st in field_states(db, candidate_id).values()):
            out.append("verify")
        if len(db.candidate_records([candidate_id]).get(candidate_id, [])) > 1:
            out.append("split")
    return out


def _can_confirm(state: FieldState, name: str) -> bool:
    return state.entered_by != name and name not in state.confirmed_by


# -- actions -----------------------------------------------------------------------------------


def _open(db: Database, candidate_id: int) -> dict[str, Any]:
    cand = db.get_candidate(candidate_id)
    if cand["status"] in DECIDED:
        raise ReviewError(f"candidate {candidate_id} is {cand['status']}; nothing more can be done to it")
    return cand


def _act(db: Database, candidate_id: int, name: str, action: str, now: str, **values: Any) -> None:
    row = {"candidate_id": candidate_id, "reviewer": name, "action": action, "at": now}
    for key in ("decision", "reason", "note", "key"):
        if values.get(key) is not None:
            row[key] = values[key]
    if "value" in values:
        row["value"] = _encode(values["value"])
    db.add_action(row)


def _set_status(db: Database, candidate_id: int, status: str, name: str, now: str, **extra: Any) -> None:
    db.update_candidate(candidate_id, {"status": status, "status_by": name, "updated_at": now, **extra})


def screen(
    db: Database, rubric: Rubric, candidate_id: int, name: str, decision: str, now: str,
    *, reason: str | None = None, note: str | None = None,
) -> dict[str, Any]:
    if decision not in ("include", "exclude"):
        raise ReviewError("a screening vote is include or exclude")
    if decision == "exclude":
        reason = reason or "other"
        if reason not in EXCLUDE_REASONS:
            raise ReviewError(f"unknown exclusion reason {reason!r}; reasons: {', '.join(EXCLUDE_REASONS)}")
    elif reason is not None:
        raise ReviewError("a reason goes with --exclude")
    with db.transaction():
        reviewer(db, name)
        cand = _open(db, candidate_id)
        cast = votes(db, candidate_id)
        if any(v["reviewer"] == name for v in cast):
            raise ReviewError(f"{name} has already voted on candidate {candidate_id}")
        if len(cast) >= 2 or cand["status"] not in SCREENABLE:
            raise ReviewError(f"candidate {candidate_id} already has its two screening votes ({cand['status']})")
        _act(db, candidate_id, name, "screen", now, decision=decision, reason=reason, note=note)
        cast = votes(db, candidate_id)
        if len(cast) == 1:
            _set_status(db, candidate_id, "screening", name, now)
        else:
            decisions = {v["decision"] for v in cast}
            status = "conflict" if len(decisions) == 2 else ("included" if decisions == {"include"} else "rejected")
            _set_status(db, candidate_id, status, name, now)
            if status == "included":
                _maybe_promote(db, rubric, candidate_id, now, actor=name)
    return show(db, candidate_id, name)


def resolve(db: Database, rubric: Rubric, candidate_id: int, name: str, decision: str, now: str) -> dict[str, Any]:
    if decision not in ("include", "exclude"):
        raise ReviewError("a resolution is include or exclude")
    with db.transaction():
        reviewer(db, name)
        cand = db.get_candidate(candidate_id)
        if cand["status"] != "conflict":
            raise ReviewError(f"candidate {candidate_id} is {cand['status']}, not in conflict")
        if name in {v["reviewer"] for v in votes(db, candidate_id)}:
            raise ReviewError(f"{name} voted on candidate {candidate_id}; a third reviewer or an admin resolves it")
        _act(db, candidate_id, name, "resolve", now, decision=decision)
        _set_status(db, candidate_id, "included" if decision == "include" else "rejected", name, now)
        if decision == "include":
            _maybe_promote(db, rubric, candidate_id, now, actor=name)
    return show(db, candidate_id, name)


def edit(
    db: Database, rubric: Rubric, candidate_id: int, name: str, now: str,
    *, set_values: Iterable[tuple[str, str]] = (), clear: Iterable[str] = (), evidence: str | None = None,
) -> dict[str, Any]:
    """Set or correct values (``--set KEY=VALUE``) and clear others; the editor becomes their first person."""
    set_values, clear = list(set_values), list(clear)
    if not set_values and not clear:
        raise ReviewError("nothing to edit: give --set KEY=VALUE or --clear KEY")
    with db.transaction():
        reviewer(db, name)
        cand = _open(db, candidate_id)
        kind = cand["kind"] if cand["kind"] in ("dataset", "model") else "dataset"
        parsed = [(key, field_contract.parse_value(key, text, kind, rubric)) for key, text in set_values]
        for key in clear:
            field_contract.check_key(key, kind, rubric)
        current = db.candidate_fields([candidate_id]).get(candidate_id, {})
        missing = [k for k in clear if k not in current]
        if missing:
            raise ReviewError(f"nothing to clear: {', '.join(missing)} has no value")
        for key, value in parsed:
            old = current.get(key)
            db.set_candidate_field(
                candidate_id, key,
                {
                    "value": value,
                    "evidence": evidence or (old["evidence"] if old and old["value"] == value else None)
                    or f"entered by {name}",
                    "source": f"reviewer:{name}",
                    "unit": old["unit"] if old and key == "total_size" else None,
                },
                name, now,
            )
            _act(db, candidate_id, name, "edit", now, key=key, value=value)
        for key in clear:
            db.delete_candidate_field(candidate_id, key)
            _act(db, candidate_id, name, "clear", now, key=key, value=current[key]["value"])
        _touch(db, candidate_id, now)
        _maybe_promote(db, rubric, candidate_id, now, actor=name)
    return show(db, candidate_id, name)


def verify(db: Database, rubric: Rubric, candidate_id: int, name: str, now: str) -> dict[str, Any]:
    """Confirm every current value ``name`` did not set and has not yet confirmed."""
    with db.transaction():
        reviewer(db, name)
        _open(db, candidate_id)
        states = field_states(db, candidate_id)
        if not states:
            raise ReviewError(f"candidate {candidate_id} has no values to verify")
        todo = [st for st in states.values() if _can_confirm(st, name)]
        if not todo:
            raise ReviewError(
                f"nothing for {name} to verify on candidate {candidate_id}: "
                "every value was set or already confirmed by them; someone else must verify"
            )
        for st in todo:
            _act(db, candidate_id, name, "confirm", now, key=st.key, value=st.value)
        _touch(db, candidate_id, now)
        _maybe_promote(db, rubric, candidate_id, now, actor=name)
    return show(db, candidate_id, name)


def mark_duplicate(
    db: Database, rubric: Rubric, candidate_id: int, name: str, now: str,
    *, of_candidate: int | None = None, of_entry: int | None = None,
) -> dict[str, Any]:
    if (of_candidate is None) == (of_entry is None):
        raise ReviewError("mark a duplicate of exactly one candidate or one catalogue entry")
    with db.transaction():
        reviewer(db, name)
        _open(db, candidate_id)
        if of_candidate is not None:
            if of_candidate == candidate_id:
                raise ReviewError("a candidate cannot duplicate itself")
            _open(db, of_candidate)
            mine = db.candidate_records([candidate_id]).get(candidate_id, [])
            theirs = db.candidate_records([of_candidate]).get(of_candidate, [])
            for record in mine:
                db.attach_record(record["id"], of_candidate)
            _act(
                db, candidate_id, name, "duplicate", now, note=f"candidate:{of_candidate}",
                value={"records": [_ref(r) for r in mine], "into": [_ref(r) for r in theirs]},
            )
            _set_status(db, candidate_id, "merged", name, now, merged_into=of_candidate)
        else:
            db.get_entry(of_entry)
            _act(db, candidate_id, name, "duplicate", now, note=f"entry:{of_entry}")
            _set_status(db, candidate_id, "known", name, now, catalogue_entry_id=of_entry)
    return show(db, candidate_id, name)


def split(db: Database, candidate_id: int, name: str, record_refs: list[str], now: str) -> dict[str, Any]:
    """Move the named records (``source:native_id``) out into a new candidate of their own."""
    with db.transaction():
        reviewer(db, name)
        cand = _open(db, candidate_id)
        records = db.candidate_records([candidate_id]).get(candidate_id, [])
        by_ref = {_ref(r): r for r in records}
        unknown = [ref for ref in record_refs if ref not in by_ref]
        if unknown:
            raise ReviewError(f"candidate {candidate_id} holds no record {', '.join(unknown)}")
        if not record_refs or len(set(record_refs)) >= len(records):
            raise ReviewError("a split moves some of the candidate's records, not none and not all")
        moved = [by_ref[ref] for ref in dict.fromkeys(record_refs)]
        new_id = db.insert_candidate(
            {
                "kind": cand["kind"], "title": f"{cand['title']} (split)", "status": "queued", "status_by": name,
                "relevance": cand["relevance"], "reasons": json.dumps([f"split from candidate {candidate_id} by {name}"]),
                "match_reasons": "[]", "uncertain": "[]", "first_seen": min(r["first_seen"] for r in moved),
                "created_at": now, "updated_at": now,
            }
        )
        for record in moved:
            db.attach_record(record["id"], new_id)
        kept = [ref for ref in by_ref if ref not in set(record_refs)]
        _act(
            db, candidate_id, name, "split", now, note=f"moved {', '.join(record_refs)} to candidate:{new_id}",
            value={"moved": list(dict.fromkeys(record_refs)), "kept": kept, "to": new_id},
        )
        _touch(db, candidate_id, now)
    return {"from": show(db, candidate_id, name), "to": show(db, new_id, name)}


def _ref(record: dict[str, Any]) -> str:
    return f"{record['source']}:{record['native_id']}"


def _touch(db: Database, candidate_id: int, now: str) -> None:
    db.update_candidate(candidate_id, {"updated_at": now})


# -- promotion ---------------------------------------------------------------------------------


def _maybe_promote(db: Database, rubric: Rubric, candidate_id: int, now: str, *, actor: str | None = None) -> int | None:
    """Promote when screening passed and every value has two people. Call inside a transaction."""
    cand = db.get_candidate(candidate_id)
    if cand["status"] != "included":
        return None
    states = field_states(db, candidate_id)
    if not states or not all(st.verified for st in states.values()):
        return None
    if "name" not in states:
        return None  # an entry needs a confirmed name
    people = sorted({p for st in states.values() for p in st.people})
    kind = cand["kind"] if cand["kind"] in ("dataset", "model") else "dataset"
    if cand["catalogue_entry_id"]:
        entry_id = cand["catalogue_entry_id"]
        db.update_entry(entry_id, {"updated_at": now, "reviewed_at": now})
    else:
        existing = db.find_entry(kind, str(states["name"].value))
        if existing is not None:
            raise ReviewError(
                f"the catalogue already has a {kind} named {states['name'].value!r} (entry {existing['id']}); "
                f"mark candidate {candidate_id} as its duplicate or correct the name"
            )
        entry_id = db.insert_entry(
            {
                "kind": kind, "name": str(states["name"].value), "provenance": "review", "paper_refs": None,
                "reference_text": None, "paper_tier": None, "paper_sonomqs": None, "unverifiable": 0,
                "created_at": now, "updated_at": now, "reviewed_at": now,
            }
        )
    for key, st in states.items():
        db.set_characteristic(
            entry_id, key, st.value,
            evidence=st.evidence,
            evidence_source=_evidence_source(db, candidate_id, st.source),
            entered_by=" + ".join(st.people),
            entered_at=now,
        )
    values = db.values_by_entry().get(entry_id, {})
    entry = db.get_entry(entry_id)
    result = catalogue_service.score_values(kind, values, rubric, unverifiable=bool(entry["unverifiable"]))
    db.add_score(entry_id, result.as_dict(), now)
    db.update_candidate(
        candidate_id,
        {"status": "promoted", "status_by": actor or (people[-1] if people else "review"), "promoted_entry_id": entry_id,
         "updated_at": now},
    )
    return entry_id


def _evidence_source(db: Database, candidate_id: int, source: str | None) -> str | None:
    """The URL of the record a value was read from (``source:native_id`` → its page)."""
    if not source or source.startswith("reviewer:"):
        return source
    for record in db.candidate_records([candidate_id]).get(candidate_id, []):
        if f"{record['source']}:{record['native_id']}" == source:
            return record["url"] or source
    return source


# -- lists and statistics ----------------------------------------------------------------------


def next_for(db: Database, name: str, skip: frozenset[int] | set[int] = frozenset()) -> int | None:
    """The most relevant candidate ``name`` may act on (resolve, screen or verify), ``skip`` aside."""
    reviewer(db, name)
    for status in ("conflict", "screening", "queued", "update", "included"):
        for cand in db.candidates(status=status):
            if cand["id"] in skip:
                continue
            acts = allowed_actions(db, cand["id"], name)
            if status == "included" and "verify" in acts:
                return cand["id"]
            if {"screen", "resolve"} & set(acts):
                return cand["id"]
    return None


def history(db: Database, candidate_id: int, viewer: str | None = None) -> list[dict[str, Any]]:
    """The audit trail of a candidate; a lone screening vote stays blind here too (its author aside)."""
    db.get_candidate(candidate_id)
    rows = db.audit(f"candidate:{candidate_id}")
    if len(votes(db, candidate_id)) >= 2:
        return rows
    return [{**r, "after": None} if r["action"] == "review.screen" and r["actor"] != viewer else r for r in rows]


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    if math.isclose(expected, 1.0):
        return 1.0 if math.isclose(observed, 1.0) else 0.0
    return round((observed - expected) / (1 - expected), 4)


def stats(db: Database) -> dict[str, Any]:
    actions = db.actions()
    by_candidate: dict[int, list[dict]] = defaultdict(list)
    for a in actions:
        by_candidate[a["candidate_id"]].append(a)
    pairs = []
    for acts in by_candidate.values():
        screens = [a["decision"] for a in acts if a["action"] == "screen"]
        if len(screens) >= 2:
            pairs.append((screens[0], screens[1]))
    # field agreement: of the values a second person acted on, how many did they change?
    second_acts = changed = 0
    machine_total: Counter[str] = Counter()
    machine_kept: Counter[str] = Counter()
    for cand_id, acts in by_candidate.items():
        people_on_key: dict[str, set[str]] = defaultdict(set)
        for a in acts:
            if a["action"] not in ("edit", "confirm", "clear") or not a["key"]:
                continue
            before = people_on_key[a["key"]]
            if before and a["reviewer"] not in before:
                second_acts += 1
                changed += a["action"] in ("edit", "clear")
            before.add(a["reviewer"])
    machine_values = _machine_values(db)
    final = {cid: fields for cid, fields in db.candidate_fields().items()}
    promoted = {c["id"] for c in db.candidates(status="promoted")}
    for (cand_id, key), value in machine_values.items():
        if cand_id not in promoted:
            continue
        machine_total[key] += 1
        held = final.get(cand_id, {}).get(key)
        machine_kept[key] += held is not None and _encode(held["value"]) == value
    per_reviewer: dict[str, Counter[str]] = defaultdict(Counter)
    for a in actions:
        per_reviewer[a["reviewer"]][a["action"]] += 1
    return {
        "screening": {
            "pairs": len(pairs),
            "cohen_kappa": cohen_kappa(pairs),
            "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else None,
        },
        "fields": {
            "second_person_actions": second_acts,
            "changed_by_second_person": changed,
            "agreement": round(1 - changed / second_acts, 4) if second_acts else None,
        },
        "machine_accuracy": {
            "overall": round(sum(machine_kept.values()) / sum(machine_total.values()), 4) if machine_total else None,
            "per_field": {k: round(machine_kept[k] / machine_total[k], 4) for k in sorted(machine_total)},
        },
        "reviewers": {name: dict(counts) for name, counts in sorted(per_reviewer.items())},
        "candidates": db.candidate_counts(),
    }


def _machine_values(db: Database) -> dict[tuple[int, str], str]:
    """The last value the machine put in each candidate field (from the audit log)."""
    out: dict[tuple[int, str], str] = {}
    for row in db.audit():
        if row["action"] == "candidate.field" and row["actor"] == MACHINE and row["after"] is not None:
            target = row["target"].removeprefix("candidate:")
            cand, _, key = target.partition("/")
            out[(int(cand), key)] = _encode(json.loads(row["after"]))
    return out


def queue(db: Database, *, status: str | None = None, kind: str | None = None, source: str | None = None) -> list[dict]:
    """The review queue, most relevant first (used by `review list`); the web pages through ``db.queue_page``."""
    if not source:
        return db.candidates(status=status, kind=kind)
    rows, total = db.queue_page(status=status, kind=kind, source=source, limit=-1)
    return rows