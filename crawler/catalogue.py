"""The catalogue service: load the baseline, list, show, count and (re)score entries.

Thin over ``crawler.db`` and the pure ``scoring``; the CLI and web layers call
these functions and only format what comes back.

An entry's *tier* is the one the public sees: the paper's published tier for
an entry still as the paper published it, our computed tier for an entry that
came through (or was updated by) two-person review. Both are always shown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crawler import baseline, scoring
from crawler.db import Database
from crawler.errors import InputError, NotFoundError
from crawler.rubric import Rubric
from crawler.vocab import GROUP_ORDER, anatomy_groups

TIER_ORDER = ("diamond", "platinum", "gold", "silver", "bronze", "steel", "unrated")


@dataclass
class InitResult:
    added: int
    existing: int
    scored: int


def score_values(kind: str, values: Mapping[str, Any], rubric: Rubric, *, unverifiable: bool = False):
    if kind == "dataset":
        return scoring.score_dataset(values, rubric.dataset, unverifiable=unverifiable)
    if kind == "model":
        return scoring.score_model(values, rubric.model)
    raise InputError(f"unknown kind {kind!r}; use dataset or model")


def init_catalogue(db: Database, rubric: Rubric, now: str) -> InitResult:
    """Load the paper's catalogue; entries already present are left as they are."""
    added = existing = 0
    with db.transaction():
        for item in baseline.load():
            if db.find_entry(item.kind, item.name):
                existing += 1
                continue
            entry_id = db.insert_entry(
                {
                    "kind": item.kind,
                    "name": item.name,
                    "provenance": baseline.PROVENANCE,
                    "paper_refs": item.paper_refs,
                    "reference_text": item.reference_text,
                    "paper_tier": item.paper_tier,
                    "paper_sonomqs": item.paper_sonomqs,
                    "unverifiable": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for key, fact in item.facts.items():
                db.set_characteristic(
                    entry_id,
                    key,
                    fact.value,
                    evidence=fact.evidence,
                    evidence_source=fact.source,
                    entered_by=baseline.ENTERED_BY,
                    entered_at=now,
                )
            added += 1
        scored = _score_missing(db, rubric, now)
    return InitResult(added=added, existing=existing, scored=scored)


def _score_missing(db: Database, rubric: Rubric, now: str) -> int:
    scores = db.latest_scores()
    values = db.values_by_entry()
    count = 0
    for entry in db.entries():
        if entry["id"] in scores:
            continue
        result = score_values(entry["kind"], values.get(entry["id"], {}), rubric, unverifiable=bool(entry["unverifiable"]))
        db.add_score(entry["id"], result.as_dict(), now)
        count += 1
    return count


def rescore(db: Database, rubric: Rubric, now: str) -> dict[str, int]:
    """Recompute every score with ``rubric``; a new row only where something changed."""
    changed = unchanged = 0
    with db.transaction():
        scores = db.latest_scores()
        values = db.values_by_entry()
        for entry in db.entries():
            result = score_values(
                entry["kind"], values.get(entry["id"], {}), rubric, unverifiable=bool(entry["unverifiable"])
            ).as_dict()
            last = scores.get(entry["id"])
            if last and all(last[k] == result[k] for k in ("score", "tier", "rubric", "completed", "missing")):
                unchanged += 1
                continue
            db.add_score(entry["id"], result, now)
            changed += 1
    return {"rescored": changed, "unchanged": unchanged}


def _public_tier(entry: Mapping[str, Any], computed: str | None) -> str | None:
    if entry["provenance"] == baseline.PROVENANCE and entry["kind"] == "dataset":
        return entry["paper_tier"]
    return computed


def _summary(entry: Mapping[str, Any], values: Mapping[str, Any], score: Mapping[str, Any] | None) -> dict[str, Any]:
    computed_tier = score["tier"] if score else None
    anatomy = values.get("anatomy") or []
    return {
        "id": entry["id"],
        "kind": entry["kind"],
        "name": entry["name"],
        "anatomy": anatomy,
        "anatomy_groups": anatomy_groups(anatomy) if anatomy else [],
        "total_size": values.get("total_size"),
        "access": values.get("access"),
        "task": values.get("task"),
        "tier": _public_tier(entry, computed_tier),
        "score": score["score"] if score else None,
        "computed_tier": computed_tier,
        "rubric": score["rubric"] if score else None,
        "published_tier": entry["paper_tier"],
        "published_sonomqs": entry["paper_sonomqs"],
        "provenance": entry["provenance"],
    }


def list_entries(
    db: Database, *, kind: str | None = None, tier: str | None = None, anatomy: str | None = None
) -> list[dict[str, Any]]:
    if tier and tier.lower() not in TIER_ORDER:
        raise InputError(f"unknown tier {tier!r}; tiers: {', '.join(TIER_ORDER)}")
    scores = db.latest_scores()
    values = db.values_by_entry(kind)
    out = []
    for entry in db.entries(kind):
        row = _summary(entry, values.get(entry["id"], {}), scores.get(entry["id"]))
        if tier and tier.lower() not in {row["tier"], row["computed_tier"]}:
            continue
        if anatomy:
            needle = anatomy.lower()
            haystack = row["anatomy"] + row["anatomy_groups"]
            if not any(needle in item for item in haystack):
                continue
        out.append(row)
    return out


def resolve_entry(db: Database, name_or_id: str, kind: str | None = None) -> dict[str, Any]:
    text = name_or_id.strip()
    if text.isdigit():
        entry = db.get_entry(int(text))
        if kind and entry["kind"] != kind:
            raise NotFoundError(f"entry {text} is a {entry['kind']}, not a {kind}")
        return entry
    matches = [e for e in db.entries_named(text) if not kind or e["kind"] == kind]
    if not matches:
        raise NotFoundError(f"no catalogue entry named {text!r}")
    if len(matches) > 1:
        options = ", ".join(f"{e['id']} ({e['kind']})" for e in matches)
        raise InputError(f"{text!r} names several entries: {options}; give the id or --kind")
    return matches[0]


def show_entry(db: Database, name_or_id: str, rubric: Rubric, kind: str | None = None) -> dict[str, Any]:
    entry = resolve_entry(db, name_or_id, kind)
    rows = db.characteristics(entry["id"])
    values = {row["key"]: row["value"] for row in rows}
    history = db.score_history(entry["id"])
    score = history[-1] if history else None
    order = {key: i for i, key in enumerate(rubric.keys_for(entry["kind"]))}
    characteristics = [
        {
            "key": row["key"],
            "value": row["value"],
            "evidence": row["evidence"],
            "evidence_source": row["evidence_source"],
            "entered_by": row["entered_by"],
            "entered_at": row["entered_at"],
        }
        for row in sorted(rows, key=lambda r: order.get(r["key"], len(order)))
    ]
    summary = _summary(entry, values, score)
    return {
        **summary,
        "paper_refs": entry["paper_refs"],
        "reference_text": entry["reference_text"],
        "unverifiable": bool(entry["unverifiable"]),
        "created_at": entry["created_at"],
        "updated_at": entry["updated_at"],
        "characteristics": characteristics,
        "score_detail": {
            "score": score["score"] if score else None,
            "tier": score["tier"] if score else None,
            "rubric": score["rubric"] if score else None,
            "completed": score["completed"] if score else [],
            "missing": score["missing"] if score else [],
            "computed_at": score["computed_at"] if score else None,
        },
        "score_history": [
            {k: s[k] for k in ("score", "tier", "rubric", "computed_at")} for s in history
        ],
    }


def stats(db: Database) -> dict[str, Any]:
    rows = list_entries(db)
    datasets = [r for r in rows if r["kind"] == "dataset"]
    models = [r for r in rows if r["kind"] == "model"]

    def ordered(counter: Counter, order: tuple[str, ...]) -> dict[str, int]:
        keys = [k for k in order if k in counter] + sorted(k for k in counter if k not in order)
        return {k: counter[k] for k in keys}

    return {
        "total": len(rows),
        "by_kind": {"dataset": len(datasets), "model": len(models)},
        # tiers, anatomy and access describe datasets; models have SonoMQS only
        "by_tier": tier_counts(r["tier"] for r in datasets),
        "by_computed_tier": tier_counts(r["computed_tier"] for r in datasets),
        "by_published_tier": tier_counts(r["published_tier"] for r in datasets),
        "by_anatomy_group": ordered(
            Counter(g for r in datasets for g in r["anatomy_groups"] or ["unknown"]), GROUP_ORDER
        ),
        "by_access": ordered(Counter(r["access"] or "unknown" for r in datasets), ("OA", "AR")),
        "models": {
            "by_task": dict(Counter(r["task"] or "unknown" for r in models).most_common()),
            "mean_sonomqs": _mean([r["score"] for r in models]),
            "mean_published_sonomqs": _mean([r["published_sonomqs"] for r in models]),
        },
    }


def tier_counts(tiers: Iterable[str | None]) -> dict[str, int]:
    """Every tier with its count (zeros included), plus ``unscored`` when any is missing."""
    counter = Counter(t or "unscored" for t in tiers)
    out = {t: counter.pop(t, 0) for t in TIER_ORDER}
    out.update(sorted(counter.items()))
    return out


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def load_score_input(text: str, kind: str, rubric: Rubric) -> dict[str, Any]:
    """Parse a what-if JSON object of characteristic key -> value, refusing unknown keys."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError("expected a JSON object of characteristic key -> value")
    known = set(rubric.keys_for(kind))
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown {kind} characteristic(s): {', '.join(unknown)}")
    return data
