"""The discovery flow report: a PRISMA-2020-style count of what happened to every record.

Counts come from the database (``collect``), never typed by hand; ``flow`` is
pure: plain rows in, numbers out. A report holds one flow per run and one for
all the selected runs together (cumulative), each split by source.

Definitions (every number is a count of rows; the boxes of each level add up):

* **identified**: raw records the run(s) returned, ``run_sources.hits`` =
  new + changed + unchanged (a record returned by two queries counts twice).
* **previously identified**: the changed + unchanged hits: records first
  identified in an earlier run and followed in that run's flow.
* **new records**: raw records whose ``first_run_id`` is a selected run. Each
  is exactly one of:

  - **not yet triaged**: held by no candidate (triage has not run, or failed);
  - **duplicates removed**: folded into a candidate holding another, earlier
    record (the candidate's lowest record id is its first record);
  - **candidates**: the first record of its candidate. A candidate belongs to
    the run and the source of its first record.

* Candidates without a screening vote, by status: **excluded by automation**
  (``excluded``: below triage's relevance threshold), **known matches**
  (``known``), **updates** (``update``: a known entry with new facts),
  **awaiting screening** (``queued``), anything else under **other**.
* **screened**: candidates with at least one screening vote, by status:
  **screening in progress** (``screening``, ``conflict``), **excluded by
  reviewers** (``rejected``; each counted once under the reason most of its
  exclude votes gave, the earliest on a tie), **included, awaiting
  verification** (``included``: screening passed, values not yet confirmed by
  two people), **included** (``promoted``; of which *updates* changed a known
  entry and *new entries* created one), **marked duplicate** (a voted
  candidate later marked a duplicate: ``known`` or ``merged``).
* **upkeep**: update candidates ``sonocat recheck`` proposed (they come from
  no run), by status, with ``--since`` on their creation date.

Decisions are counted as they stand when the report is made.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.db import Database
from crawler.errors import InputError, NotFoundError

UNSCREENED = {"excluded": "excluded_by_automation", "known": "known_matches", "update": "updates",
              "queued": "awaiting_screening"}
IN_PROGRESS = frozenset({"screening", "conflict"})
DUPLICATE_MARKED = frozenset({"known", "merged"})
TOTAL = "all sources"


@dataclass
class Flow:
    """One column of the flow: the counts of one scope (a run or cumulative) and one source (or all)."""

    identified: int = 0
    new: int = 0  # run_sources.new: what the run said it created
    changed: int = 0
    unchanged: int = 0
    previously_identified: int = 0
    new_records: int = 0  # raw_records first identified here
    not_triaged: int = 0
    duplicates_removed: int = 0
    candidates: int = 0
    excluded_by_automation: int = 0
    known_matches: int = 0
    updates: int = 0
    awaiting_screening: int = 0
    other: dict[str, int] = field(default_factory=dict)
    screened: int = 0
    screening_in_progress: int = 0
    excluded_by_reviewers: int = 0
    exclusion_reasons: dict[str, int] = field(default_factory=dict)
    included_awaiting_verification: int = 0
    included: int = 0
    included_new_entries: int = 0
    included_updates: int = 0
    marked_duplicate: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Scope:
    """A flow for all sources and per source."""

    total: Flow
    sources: dict[str, Flow]

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total.as_dict(), "sources": {k: v.as_dict() for k, v in self.sources.items()}}


def exclusion_reason(votes: list[dict[str, Any]]) -> str:
    """The reason most exclude votes gave; the earliest vote's on a tie; ``other`` when none gave one."""
    reasons = [v.get("reason") or "other" for v in votes if v.get("decision") == "exclude"]
    if not reasons:
        return "other"
    counts = Counter(reasons)
    best = max(counts.values())
    return next(r for r in reasons if counts[r] == best)


def flow(
    run_sources: Iterable[dict[str, Any]],
    records: Iterable[dict[str, Any]],
    candidates: Iterable[dict[str, Any]],
    votes: Iterable[dict[str, Any]],
) -> Scope:
    """The flow of one scope from plain rows.

    ``run_sources``: rows of ``run_sources`` for the scope's runs; ``records``:
    raw records first identified in those runs (``id``, ``source``,
    ``candidate_id``, ``first_record_id``); ``candidates``: rows (``id``,
    ``status``, ``catalogue_entry_id``) of the candidates those records are the
    first record of; ``votes``: their screening votes (``candidate_id``,
    ``decision``, ``reason``, in order).
    """
    by_source: dict[str, Flow] = defaultdict(Flow)
    for row in run_sources:
        f = by_source[row["source"]]
        new, changed, unchanged = row.get("new") or 0, row.get("changed") or 0, row.get("unchanged") or 0
        f.identified += row.get("hits") or (new + changed + unchanged)
        f.new += new
        f.changed += changed
        f.unchanged += unchanged
        f.previously_identified += changed + unchanged
    cand_by_id = {c["id"]: c for c in candidates}
    votes_by_cand: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for vote in votes:
        votes_by_cand[vote["candidate_id"]].append(vote)
    for record in records:
        f = by_source[record["source"]]
        f.new_records += 1
        if record["candidate_id"] is None:
            f.not_triaged += 1
        elif record["first_record_id"] != record["id"]:
            f.duplicates_removed += 1
        else:
            f.candidates += 1
            cand = cand_by_id.get(record["candidate_id"])
            if cand is None:
                raise ValueError(f"candidate {record['candidate_id']} of record {record['id']} is missing")
            _place(f, cand, votes_by_cand.get(cand["id"], []))
    total = Flow()
    for f in by_source.values():
        _add(total, f)
    return Scope(total=total, sources={name: by_source[name] for name in sorted(by_source)})


def _place(f: Flow, cand: dict[str, Any], votes: list[dict[str, Any]]) -> None:
    status = cand["status"]
    if not votes:
        attr = UNSCREENED.get(status)
        if attr:
            setattr(f, attr, getattr(f, attr) + 1)
        else:
            f.other[status] = f.other.get(status, 0) + 1
        return
    f.screened += 1
    if status in IN_PROGRESS:
        f.screening_in_progress += 1
    elif status == "rejected":
        f.excluded_by_reviewers += 1
        reason = exclusion_reason(votes)
        f.exclusion_reasons[reason] = f.exclusion_reasons.get(reason, 0) + 1
    elif status == "included":
        f.included_awaiting_verification += 1
    elif status == "promoted":
        f.included += 1
        if cand.get("catalogue_entry_id"):
            f.included_updates += 1
        else:
            f.included_new_entries += 1
    else:  # a voted candidate later marked a duplicate (known / merged), or a status no rule knows yet
        f.marked_duplicate += 1


def _add(into: Flow, f: Flow) -> None:
    for name, value in asdict(f).items():
        if isinstance(value, dict):
            target = getattr(into, name)
            for key, n in value.items():
                target[key] = target.get(key, 0) + n
        else:
            setattr(into, name, getattr(into, name) + value)


def upkeep(candidates: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Recheck's update candidates by status."""
    rows = list(candidates)
    return {"proposed": len(rows), "by_status": dict(sorted(Counter(r["status"] for r in rows).items()))}


# -- from the database -----------------------------------------------------------------------


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InputError(f"--since must be a date YYYY-MM-DD, not {value!r}") from exc


def scope_from_db(db: Database, run_ids: list[int]) -> Scope:
    records = db.report_records(run_ids)
    first_ids = sorted({r["candidate_id"] for r in records if r["candidate_id"] and r["first_record_id"] == r["id"]})
    return flow(db.report_run_sources(run_ids), records, db.report_candidates(first_ids),
                db.report_screen_votes(first_ids))


def collect(db: Database, now: str, *, run_id: int | None = None, since: str | None = None) -> dict[str, Any]:
    """The report: per run and cumulative flows, per source, and recheck's upkeep, as plain data."""
    since = _since(since)
    if run_id is not None:
        db.get_run(run_id)  # NotFoundError for an unknown id
    runs = db.report_runs(run_id=run_id, since=since)
    if run_id is not None and not runs:
        raise NotFoundError(f"run {run_id} started before {since}")
    run_ids = [r["id"] for r in runs]
    per_run = [
        {
            "run": {k: run[k] for k in ("id", "started_at", "finished_at", "state", "trigger")},
            **scope_from_db(db, [run["id"]]).as_dict(),
        }
        for run in runs
    ]
    report = {
        "generated_at": now,
        "selection": {"run": run_id, "since": since, "runs": run_ids},
        "cumulative": scope_from_db(db, run_ids).as_dict(),
        "runs": per_run,
    }
    if run_id is None:
        report["upkeep"] = upkeep(db.recheck_candidates(since=since))
    return report


# -- text ------------------------------------------------------------------------------------

# (label, key, depth) for the tree; keys index a Flow dict.
ROWS: tuple[tuple[str, str, int], ...] = (
    ("Records identified", "identified", 0),
    ("previously identified (changed + unchanged)", "previously_identified", 1),
    ("new records", "new_records", 1),
    ("not yet triaged", "not_triaged", 2),
    ("duplicates removed", "duplicates_removed", 2),
    ("Candidates (unique resources)", "candidates", 0),
    ("excluded by automation", "excluded_by_automation", 1),
    ("known matches", "known_matches", 1),
    ("updates", "updates", 1),
    ("awaiting screening", "awaiting_screening", 1),
    ("Screened", "screened", 0),
    ("screening in progress", "screening_in_progress", 1),
    ("excluded by reviewers", "excluded_by_reviewers", 1),
    ("marked duplicate", "marked_duplicate", 1),
    ("Included, awaiting verification", "included_awaiting_verification", 0),
    ("Included (promoted)", "included", 0),
    ("new entries", "included_new_entries", 1),
    ("updates to known entries", "included_updates", 1),
)


def _scope_lines(scope: dict[str, Any]) -> list[str]:
    total = scope["total"]
    sources = scope["sources"]
    names = list(sources)
    label_width = 46
    header = f"{'':<{label_width}}{'total':>7}" + "".join(f"{n[:11]:>12}" for n in names)
    lines = [header]

    def row(label: str, depth: int, value: Any, per_source: list[Any]) -> None:
        text = f"{'  ' * depth}{label}"
        lines.append(f"{text:<{label_width}}{value:>7}" + "".join(f"{v:>12}" for v in per_source))

    for label, key, depth in ROWS:
        row(label, depth, total[key], [sources[n][key] for n in names])
        if key == "excluded_by_reviewers":
            for reason in sorted(total["exclusion_reasons"]):
                row(reason, depth + 1, total["exclusion_reasons"][reason],
                    [sources[n]["exclusion_reasons"].get(reason, 0) for n in names])
        if key == "awaiting_screening":
            for status in sorted(total["other"]):
                row(f"other: {status}", depth, total["other"][status],
                    [sources[n]["other"].get(status, 0) for n in names])
    return lines


def render_text(report: dict[str, Any]) -> str:
    sel = report["selection"]
    runs = report["runs"]
    if sel["run"] is not None:
        scope_name = f"run {sel['run']}"
    elif not runs:
        scope_name = "no runs"
    else:
        scope_name = f"runs {runs[0]['run']['id']}-{runs[-1]['run']['id']} ({len(runs)} runs)"
        if sel["since"]:
            scope_name += f" since {sel['since']}"
    lines = [f"Discovery flow: {scope_name}, as of {report['generated_at']}", ""]
    lines += _scope_lines(report["cumulative"])
    if sel["run"] is None and runs:
        lines += ["", "Per run:"]
        cols = (("identified", "ident"), ("new_records", "new"), ("duplicates_removed", "dupl"),
                ("candidates", "cand"), ("excluded_by_automation", "auto-ex"), ("screened", "screened"),
                ("excluded_by_reviewers", "rev-ex"), ("included", "included"))
        lines.append(f"{'run':>5} {'started':<20} {'state':<9}" + "".join(f"{h:>10}" for _, h in cols))
        for item in runs:
            run, total = item["run"], item["total"]
            lines.append(
                f"{run['id']:>5} {run['started_at'] or '':<20} {run['state'] or '':<9}"
                + "".join(f"{total[k]:>10}" for k, _ in cols)
            )
    up = report.get("upkeep")
    if up and up["proposed"]:
        states = ", ".join(f"{k} {v}" for k, v in up["by_status"].items())
        lines += ["", f"Catalogue upkeep: {up['proposed']} update candidates proposed by recheck ({states})"]
    return "\n".join(lines) + "\n"


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
