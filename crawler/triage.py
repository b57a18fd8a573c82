"""Triage: staged raw records in, a short, de-duplicated, prioritised candidate queue out.

Ordered steps, run after each discovery run and on demand (``sonocat triage``):

1. every new or changed raw record is parsed by its source (pure), judged
   (``relevance.judge``: score, kind, reasons) and pre-extracted
   (``extraction.extract``: typed values with evidence);
2. entity resolution (``dedupe.resolve``) runs over every triaged record and
   the catalogue, folding records of one resource into one candidate and
   matching candidates to catalogue entries;
3. the clusters are reconciled with the candidates already in the database:
   new candidates are created, new records join the candidate of their
   resource, machine-owned fields and statuses are refreshed. Anything a
   reviewer has decided (a status set by a person, a value a person entered)
   is never overwritten.

Statuses set here: ``queued`` (awaiting review), ``excluded`` (below the
relevance threshold; kept, counted, reversible), ``known`` (matches a catalogue
entry), ``update`` (matches an entry and carries new facts for it), ``merged``
(folded into another candidate).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crawler import dedupe, extraction, relevance
from crawler.db import Database
from crawler.links import normalise_url
from crawler.models import KINDS, Candidate, FieldValue, RawRecord
from sources import registry

log = logging.getLogger(__name__)

MACHINE = "machine"
TRIAGE = "triage"
MACHINE_STATUSES = frozenset({"queued", "excluded", "known", "update", "merged"})
# Facts that make a match with a catalogue entry worth a curator's look.
UPDATE_KEYS = ("version", "weights_public", "access", "licence", "doi")
# Which host to believe first for a field, by candidate kind (data hosts for data facts).
HOST_PRIORITY = {
    "dataset": ("zenodo", "kaggle", "huggingface", "github", "openalex", "scholar"),
    "model": ("github", "huggingface", "kaggle", "zenodo", "openalex", "scholar"),
}
BATCH = 500


@dataclass
class TriageResult:
    triaged: int = 0
    failed: int = 0
    candidates_created: int = 0
    candidates_merged: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def record_ref(source: str, native_id: str) -> str:
    return f"{source}:{native_id}"


def identity(candidate: Candidate, fields: dict[str, FieldValue], kind: str) -> dict[str, Any]:
    """The identifiers entity resolution joins on, stored with the verdict.

    Own keys (a record's URL, DOI, concept DOI) and mentioned links are told
    apart by what each source's fields mean (``dedupe.item_keys``): a README
    citing the BUSI paper mentions that DOI, it does not own it. The text's
    own word on identity is kept too: the mentions it cites as where the copy
    comes from ("Original: …", ``dedupe.source_refs``), the names it gives the
    resource ("we introduce X", a README's title, ``dedupe.introduced_names``)
    and the year (two index rows of one paper agree on it).
    """
    keys, refs = dedupe.item_keys(candidate)
    name_field = fields.get("name")
    return {
        "name": str(name_field.value) if name_field else dedupe.item_name(candidate),
        "title": candidate.title,
        "keys": sorted(keys),
        "refs": sorted(refs),
        "is_publication": dedupe.is_publication(candidate),
        "kind": kind,
        "aliases": list(dedupe.introduced_names(candidate)),
        "source_refs": sorted(dedupe.source_refs(candidate, kind) & refs),
        "year": candidate.year,
    }


def curator_pairs(db: Database) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Record pairs curators kept apart (splits) or put together (duplicate marks); they outrank evidence."""
    apart: list[tuple[str, str]] = []
    together: list[tuple[str, str]] = []
    for action in db.actions(action="split"):
        moved, kept = (action["value"] or {}).get("moved", []), (action["value"] or {}).get("kept", [])
        apart += [(m, k) for m in moved for k in kept]
    for action in db.actions(action="duplicate"):
        value = action["value"] or {}
        together += [(a, b) for a in value.get("records", []) for b in value.get("into", [])]
    return apart, together


def judge_record(row: dict[str, Any]) -> dict[str, Any]:
    """Parse, judge and extract one raw record row; pure given the row."""
    raw = RawRecord(source=row["source"], native_id=row["native_id"], url=row["url"], payload=json.loads(row["payload"]))
    candidate = registry.get(row["source"]).parse(raw)
    verdict = relevance.judge(candidate)
    fields = extraction.extract(candidate, verdict.kind) if verdict.kind in KINDS else {}
    return {
        "content_hash": row["content_hash"],
        "relevance": verdict.relevance,
        "kind": verdict.kind,
        "reasons": json.dumps(verdict.reasons),
        "fields": json.dumps({k: _field_dict(v) for k, v in fields.items()}, ensure_ascii=False),
        "identity": json.dumps(identity(candidate, fields, verdict.kind), ensure_ascii=False),
    }


def _field_dict(value: FieldValue) -> dict[str, Any]:
    out = {"value": value.value, "evidence": value.evidence, "source": value.source}
    if value.unit:
        out["unit"] = value.unit
    return out


def run_triage(
    db: Database, now: str, *, all_records: bool = False, progress: Callable[[int, int], None] | None = None
) -> TriageResult:
    result = TriageResult()
    rows = db.records_to_triage(all_records=all_records)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        with db.transaction():
            for row in batch:
                try:
                    verdict = judge_record(row)
                except Exception as exc:  # noqa: BLE001 - one bad record must not stop triage
                    result.failed += 1
                    log.warning("cannot triage %s:%s: %s", row["source"], row["native_id"], exc)
                    continue
                db.save_record_triage(row["id"], {**verdict, "triaged_at": now})
                result.triaged += 1
        if progress:
            progress(min(start + BATCH, len(rows)), len(rows))
    with db.transaction():
        created, merged = reconcile(db, now)
    result.candidates_created, result.candidates_merged = created, merged
    result.by_status = dict(Counter(c["status"] for c in db.candidates()))
    return result


def catalogue_entries(db: Database) -> list[dedupe.CatalogueEntry]:
    values = db.values_by_entry()
    return [
        dedupe.catalogue_entry_from(e["id"], e["kind"], e["name"], values.get(e["id"], {})) for e in db.entries()
    ]


def reconcile(db: Database, now: str) -> tuple[int, int]:
    records = db.triaged_records()
    by_ref = {record_ref(r["source"], r["native_id"]): r for r in records}
    items = [
        dedupe.Item(
            id=ref,
            kind=r["kind"],
            name=r["identity"]["name"],
            title=r["identity"]["title"],
            keys=frozenset(r["identity"]["keys"]),
            refs=frozenset(r["identity"]["refs"]),
            is_publication=bool(r["identity"]["is_publication"]),
            aliases=tuple(r["identity"].get("aliases") or ()),
            source_refs=frozenset(r["identity"].get("source_refs") or ()),
            year=r["identity"].get("year"),
        )
        for ref, r in by_ref.items()
    ]
    entries = {e["id"]: e for e in db.entries()}
    values = db.values_by_entry()
    apart, together = curator_pairs(db)
    clusters = dedupe.resolve(items, catalogue_entries(db), keep_apart=apart, keep_together=together)
    existing = {c["id"]: c for c in db.candidates()}
    created = merged = 0
    for cluster in clusters:
        members = [by_ref[i] for i in cluster.ids]
        owners = sorted({m["candidate_id"] for m in members if m["candidate_id"]})
        # a candidate a person has acted on keeps its identity and its records
        reviewed = [o for o in owners if o in existing and _sticky(existing[o])]
        if reviewed:
            target = reviewed[0]  # a candidate under review keeps its identity
        elif owners:
            target = owners[0]
        else:
            target = None
        summary = summarise(members, cluster)
        if target is None:
            target = db.insert_candidate(
                {
                    "kind": summary["kind"], "title": summary["title"], "status": "queued", "status_by": TRIAGE,
                    "relevance": summary["relevance"], "reasons": json.dumps(summary["reasons"]),
                    "match_reasons": "[]", "uncertain": "[]", "first_seen": summary["first_seen"],
                    "created_at": now, "updated_at": now,
                }
            )
            created += 1
            current = db.get_candidate(target)
        else:
            current = existing.get(target) or db.get_candidate(target)
        for other in owners:
            if other != target and other not in reviewed and other in existing:
                db.update_candidate(other, {"status": "merged", "merged_into": target, "updated_at": now})
                existing[other]["status"] = "merged"
                merged += 1
        for member in members:
            if member["candidate_id"] is None or member["candidate_id"] != target and member["candidate_id"] not in reviewed:
                db.attach_record(member["id"], target)
        fields = merge_fields(members, summary["kind"])
        match = cluster.catalogue_match
        status = current["status"]
        if _sticky(current):
            match = current["catalogue_entry_id"]  # a person's duplicate mark or decision stands
        else:
            status = machine_status(summary, match, fields, values.get(match, {}) if match else {})
        db.update_candidate(
            target,
            {
                "kind": summary["kind"],
                "title": summary["title"],
                "status": status,
                "relevance": summary["relevance"],
                "reasons": json.dumps(summary["reasons"]),
                "catalogue_entry_id": match if match in entries else None,
                "match_reasons": json.dumps(cluster.match_reasons),
                "uncertain": json.dumps([list(u) for u in cluster.uncertain]),
                "first_seen": min(m["first_seen"] for m in members),
                "updated_at": now,
            },
        )
        current_fields = db.candidate_fields([target]).get(target, {})
        for key, value in fields.items():
            held = current_fields.get(key)
            if held and held["entered_by"] != MACHINE:
                continue  # a person's value is never overwritten by the machine
            db.set_candidate_field(target, key, value, MACHINE, now)
        db.delete_machine_fields(target, keep=set(fields))
    return created, merged


def _sticky(candidate: dict[str, Any]) -> bool:
    return candidate["status_by"] != TRIAGE or candidate["status"] not in MACHINE_STATUSES


def summarise(members: list[dict[str, Any]], cluster: Any) -> dict[str, Any]:
    relevant = [m for m in members if m["kind"] in KINDS]
    votes: Counter[str] = Counter()
    for m in relevant:
        votes[m["kind"]] += m["relevance"]
    kind = votes.most_common(1)[0][0] if votes else "other"
    best = max(members, key=lambda m: (m["kind"] == kind, m["relevance"], -m["id"]))
    reasons = list(best["reasons"])
    if len(members) > 1:
        hosts = ", ".join(sorted({m["source"] for m in members}))
        reasons.append(f"{len(members)} records folded into one candidate ({hosts})")
    return {
        "kind": kind,
        "title": best["identity"]["name"] or best["identity"]["title"],
        "relevance": round(max(m["relevance"] for m in members), 4),
        "reasons": reasons,
        "first_seen": min(m["first_seen"] for m in members),
    }


def merge_fields(members: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """One value per key: from the most relevant record on the most trusted host; links are unioned."""
    priority = HOST_PRIORITY.get(kind, HOST_PRIORITY["dataset"])
    ordered = sorted(
        (m for m in members if m["kind"] == kind),
        key=lambda m: (-m["relevance"], priority.index(m["source"]) if m["source"] in priority else 99, m["id"]),
    )
    fields: dict[str, dict[str, Any]] = {}
    for member in ordered:
        for key, value in member["fields"].items():
            if key == "link" and key in fields:
                seen = {normalise_url(u) for u in fields[key]["value"]}
                extra = [u for u in value["value"] if normalise_url(u) not in seen]
                if extra:
                    fields[key] = {**fields[key], "value": fields[key]["value"] + extra}
                continue
            fields.setdefault(key, value)
    return fields


def machine_status(
    summary: dict[str, Any], match: int | None, fields: dict[str, dict[str, Any]], entry_values: dict[str, Any]
) -> str:
    if match is not None:
        return "update" if new_facts(fields, entry_values) else "known"
    if summary["kind"] in KINDS and summary["relevance"] >= relevance.THRESHOLD:
        return "queued"
    return "excluded"


def new_facts(fields: dict[str, dict[str, Any]], entry_values: dict[str, Any]) -> list[str]:
    """Keys on which the candidate changes what the catalogue records (a new version, weights released…)."""
    changed = []
    for key in UPDATE_KEYS:
        if key not in fields:
            continue
        new, old = fields[key]["value"], entry_values.get(key)
        if key == "weights_public":
            if new is True and old is False:
                changed.append(key)
        elif old not in (None, "", []) and str(new).strip().lower() != str(old).strip().lower():
            changed.append(key)
    return changed
