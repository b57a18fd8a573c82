"""What each page shows, assembled from the review service and public ``Database`` methods.

The routes stay thin: each calls one function here (or one service function)
and renders. Nothing here writes, and no SQL lives here: reads go through the
service or ``Database``'s own methods.
"""

from __future__ import annotations

import json
import math
from typing import Any

from crawler import catalogue as catalogue_service
from crawler.db import Database
from crawler.errors import SonocatError
from crawler.models import RawRecord
from crawler.rubric import Rubric
from review_queue import service
from review_queue.web import render
from sources import registry

PER_PAGE = 50
STATUSES = (
    "queued", "screening", "conflict", "included", "promoted", "rejected", "update", "known", "excluded", "merged",
)


def queue_page(
    db: Database, *, status: str | None, kind: str | None, source: str | None, page: int, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """One page of the review queue (most relevant first), the status counts and the page's record sources."""
    if source:
        registry.check_names([source])
    page = max(1, page)
    rows, total = _page(db, status, kind, source, page, per_page)
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        page = pages
        rows, total = _page(db, status, kind, source, page, per_page)
    records = db.candidate_records([r["id"] for r in rows]) if rows else {}
    for row in rows:
        row["sources"] = sorted({rec["source"] for rec in records.get(row["id"], [])})
    return {"rows": rows, "total": total, "page": page, "pages": pages, "counts": db.candidate_counts()}


def _page(
    db: Database, status: str | None, kind: str | None, source: str | None, page: int, per_page: int
) -> tuple[list[dict], int]:
    return db.queue_page(status=status, kind=kind, source=source, limit=per_page, offset=(page - 1) * per_page)


def record_text(record: dict[str, Any]) -> str:
    """A raw record's README / description / abstract, as its source parses it."""
    raw = RawRecord(
        source=record["source"], native_id=record["native_id"], url=record["url"] or "",
        payload=json.loads(record["payload"]),
    )
    return registry.get(record["source"]).parse(raw).text


def candidate_page(db: Database, rubric: Rubric, candidate_id: int, viewer: str) -> dict[str, Any]:
    """A candidate as ``viewer`` may see it, what they may do, and each record's text with its evidence marked."""
    data = service.show(db, candidate_id, viewer)
    allowed = service.allowed_actions(db, candidate_id, viewer)
    fields = data["fields"]
    records = []
    for record in db.candidate_records([candidate_id]).get(candidate_id, []):
        ref = f"{record['source']}:{record['native_id']}"
        snippets = [
            (f["evidence"], key) for key, f in fields.items()
            if f["evidence"] and (f["source"] == ref or (f["source"] or "").startswith("reviewer:"))
        ]
        try:
            body, marked = render.render_with_evidence(record_text(record), snippets)
            problem = None
        except (SonocatError, ValueError, KeyError, TypeError) as exc:
            body, marked, problem = None, [], f"cannot read this record's text: {exc}"
        records.append(
            {
                "ref": ref, "source": record["source"], "native_id": record["native_id"],
                "url": render.external_link(record["url"]), "url_text": record["url"],
                "body": body, "problem": problem, "marked": marked,
            }
        )
    kind = data["kind"] if data["kind"] in ("dataset", "model") else "dataset"
    return {
        "candidate": data,
        "allowed": set(allowed),
        "records": records,
        "keys": rubric.keys_for(kind),
        "exclude_reasons": service.EXCLUDE_REASONS,
    }


def catalogue_page(db: Database, *, kind: str | None, tier: str | None, anatomy: str | None) -> dict[str, Any]:
    rows = catalogue_service.list_entries(db, kind=kind, tier=tier, anatomy=anatomy)
    return {"rows": rows, "tiers": catalogue_service.TIER_ORDER}


def runs_page(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """Recent discovery runs, newest first, each with its per-source figures."""
    return [{**run, "sources": db.run_sources(run["id"])} for run in db.runs(limit)]
