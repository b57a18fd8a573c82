"""The fake OpenAlex API, under ``/openalex``: ``/works`` and ``/works/{id}``.

``search``, ``filter`` (publication/created/updated date bounds, ``type``,
``publication_year``, ``*.search``, ``is_oa``), ``per-page`` (1-200), ``cursor``
paging with ``meta.next_cursor``, ``page``. Answers carry the daily credit
headers; past the limit, 429.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from .api import _API, Quota, Reply, Request, _int, _offset, _token, json_reply
from .corpus import Span, _instant, _is_obj, _number_test, has_all, terms, words

OPENALEX_MAX_PER_PAGE = 200
OPENALEX_MAX_PAGED = 10_000
OPENALEX_DAILY_CREDITS = 100_000
OPENALEX_LIST_CREDITS = 10


def _abstract(index: Any) -> str:
    if not _is_obj(index):
        return ""
    placed = sorted((pos, word) for word, positions in index.items() for pos in positions or [] if isinstance(pos, int))
    return " ".join(word for _, word in placed)


def _openalex_text(work: dict[str, Any], *, title: bool = True, abstract: bool = True) -> set[str]:
    found: set[str] = set()
    if title:
        found |= words(work.get("title") or work.get("display_name"))
    if abstract:
        found |= words(_abstract(work.get("abstract_inverted_index")))
    return found


def _openalex_filter(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
    """One ``filter=key:value`` term; raises ValueError for what OpenAlex would refuse."""
    date_fields = {"publication_date": "publication_date", "created_date": "created_date",
                   "updated_date": "updated_date"}
    for prefix, upper in (("from_", False), ("to_", True)):
        if key.startswith(prefix) and key[len(prefix):] in date_fields:
            name = date_fields[key[len(prefix):]]
            span = Span.between("*", value) if upper else Span.between(value, "*")
            return lambda w: _instant(w.get(name)) in span
    if key == "type":
        negate = value.startswith("!")
        options = {v.lower() for v in value.lstrip("!").split("|")}
        return lambda w: (str(w.get("type") or "").lower() in options) != negate
    if key == "publication_year":
        test = _number_test(value.replace("-", "..") if re.fullmatch(r"\d{4}-\d{4}", value) else value)
        return lambda w: isinstance(w.get("publication_year"), int) and test(float(w["publication_year"]))
    if key in ("is_oa", "open_access.is_oa"):
        wanted = value.lower() == "true"
        return lambda w: bool((w.get("open_access") or {}).get("is_oa")) == wanted
    if key == "has_doi":
        wanted = value.lower() == "true"
        return lambda w: bool(w.get("doi")) == wanted
    searches = {"title.search": (True, False), "abstract.search": (False, True),
                "title_and_abstract.search": (True, True), "default.search": (True, True)}
    if key in searches:
        in_title, in_abstract = searches[key]
        wanted = terms(value)
        return lambda w: has_all(wanted, _openalex_text(w, title=in_title, abstract=in_abstract))
    raise ValueError(f"{key} is not a valid field")


class _OpenAlex(_API):
    name = "openalex"

    def nominal(self, bucket: str, req: Request) -> tuple[int, float]:
        return OPENALEX_DAILY_CREDITS, 86_400.0

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        if quota.enforced:
            limit, remaining, reset = quota.limit, quota.remaining, quota.reset_seconds
        else:  # the daily credit pool, reset at midnight UTC
            now = datetime.now(UTC)
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
            limit = OPENALEX_DAILY_CREDITS
            remaining = max(0, limit - OPENALEX_LIST_CREDITS * quota.used)
            reset = max(1, math.ceil((midnight - now).total_seconds()))
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Credits-Used": str(OPENALEX_LIST_CREDITS),
            "X-RateLimit-Reset": str(reset),
        }

    def limited(self, req: Request, quota: Quota) -> Reply:
        body = {"error": "Rate limit exceeded",
                "message": f"You have made more than {quota.limit} requests in a minute. Slow down and retry."}
        return json_reply(429, body, self.quota_headers(req, quota))

    @staticmethod
    def _error(message: str) -> Reply:
        return json_reply(400, {"error": "Invalid query parameters error.", "message": message})

    def answer(self, req: Request) -> Reply:
        if req.method not in ("GET", "HEAD"):
            return json_reply(405, {"error": "Method not allowed"})
        path = req.path.rstrip("/")
        if path == "/works":
            return self._works(req)
        match = re.fullmatch(r"/works/(W\d+)", path, flags=re.IGNORECASE)
        if match:
            for payload in self.records:
                if payload["item"]["id"].upper().endswith("/" + match.group(1).upper()):
                    return json_reply(200, payload["item"])
        return json_reply(404, {"error": "404 Not Found", "message": "The requested URL was not found."})

    def _works(self, req: Request) -> Reply:
        per_page = _int(req.arg("per-page", req.arg("per_page")), 25)
        if not 1 <= per_page <= OPENALEX_MAX_PER_PAGE:
            return self._error(f"per-page parameter must be between 1 and {OPENALEX_MAX_PER_PAGE}")
        tests = []
        for part in filter(None, (req.arg("filter") or "").split(",")):
            key, sep, value = part.partition(":")
            if not sep or not value:
                return self._error(f"filter {part!r} must be key:value")
            try:
                tests.append(_openalex_filter(key.strip(), value.strip()))
            except ValueError as exc:
                return self._error(str(exc))
        wanted = terms(req.arg("search") or "")
        hits = [p["item"] for p in self.records
                if has_all(wanted, _openalex_text(p["item"]) | words([k.get("display_name") for k in
                                                                      p["item"].get("keywords") or [] if _is_obj(k)]))
                and all(t(p["item"]) for t in tests)]
        sort = req.arg("sort")
        if sort:
            name, _, direction = sort.partition(":")
            hits.sort(key=lambda w: w.get(name) if w.get(name) is not None else "", reverse=direction == "desc")
        cursor = req.arg("cursor")
        if cursor is not None:
            start = 0 if cursor == "*" else _offset(cursor)
            if start is None:
                return self._error("cursor is invalid")
            page = None
            following = _token(start + per_page) if start + per_page < len(hits) else None
        else:
            page = _int(req.arg("page"), 1)
            if page < 1:
                return self._error("page must be a positive integer")
            if page * per_page > OPENALEX_MAX_PAGED:
                return self._error("Maximum results size of 10,000 records is exceeded. "
                                   "Cursor pagination is required for records beyond 10,000.")
            start, following = (page - 1) * per_page, None
        meta = {"count": len(hits), "db_response_time_ms": 7, "page": page, "per_page": per_page,
                "next_cursor": following, "groups_count": None}
        return json_reply(200, {"meta": meta, "results": hits[start : start + per_page], "group_by": []})
