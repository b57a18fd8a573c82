"""The fake Hugging Face Hub API, under ``/huggingface``.

``/api/datasets`` and ``/api/models`` (``search``, ``author``, ``filter``,
``sort``/``direction``, ``limit``, ``full``, ``cardData``), a
``Link: <...&cursor=...>; rel="next"`` header, repository info at
``/api/{datasets|models}/{id}``, cards at ``[datasets/]{id}/raw/{rev}/README.md``
(404 "Entry not found" without one). Answers carry the ``RateLimit`` and
``RateLimit-Policy`` headers; past the limit, 429.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .api import _API, Quota, Reply, Request, _int, _offset, _token, json_reply, text_reply
from .corpus import has_all, terms, words

HF_MAX_LIMIT = 1000
_HF_LIST = re.compile(r"^/api/(datasets|models)/?$")
_HF_INFO = re.compile(r"^/api/(datasets|models)/([^/]+/[^/]+)/?$")
_HF_CARD = re.compile(r"^/(datasets/)?([^/]+/[^/]+)/(?:raw|resolve)/[^/]+/README\.md$")
_HF_SORTS = {"lastModified": "lastModified", "last_modified": "lastModified", "createdAt": "createdAt",
             "created_at": "createdAt", "downloads": "downloads", "likes": "likes",
             "trendingScore": "trendingScore", "trending_score": "trendingScore"}


def _hf_text(payload: dict[str, Any]) -> set[str]:
    item = payload["item"]
    return words(item.get("id"), item.get("description"), item.get("tags"), item.get("cardData"),
                 item.get("pipeline_tag"), payload.get("card"))


class _HuggingFace(_API):
    name = "huggingface"

    def nominal(self, bucket: str, req: Request) -> tuple[int, float]:
        return (1000 if req.authenticated else 500), 300.0  # API calls per 5-minute window

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        return {
            "RateLimit": f'"api";r={quota.remaining};t={quota.reset_seconds}',
            "RateLimit-Policy": f'"fixed window";"api";q={quota.limit};w={int(quota.window)}',
        }

    def limited(self, req: Request, quota: Quota) -> Reply:
        message = ("You have exceeded our rate limit for API calls. Retry after the window resets, "
                   "or log in / upgrade for a higher quota.")
        return json_reply(429, {"error": message}, self.quota_headers(req, quota))

    def answer(self, req: Request) -> Reply:
        if req.method not in ("GET", "HEAD"):
            return json_reply(405, {"error": "Method not allowed"})
        match = _HF_LIST.match(req.path)
        if match:
            return self._list(req, match.group(1)[:-1])
        match = _HF_INFO.match(req.path)
        if match:
            payload = self._find(match.group(1)[:-1], match.group(2))
            if payload is None:
                return json_reply(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            return json_reply(200, payload["item"])
        match = _HF_CARD.match(req.path)
        if match:
            payload = self._find("dataset" if match.group(1) else "model", match.group(2))
            if payload is None:
                return json_reply(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            card = payload.get("card")
            if not isinstance(card, str):
                return text_reply(404, "Entry not found", "text/plain; charset=utf-8",
                                  {"X-Error-Code": "EntryNotFound"})
            return text_reply(200, card, "text/plain; charset=utf-8",
                              {"ETag": f'"{hashlib.sha1(card.encode()).hexdigest()}"'})
        return json_reply(404, {"error": "Sorry, we can't find the page you are looking for."})

    def _find(self, kind: str, repo_id: str) -> dict[str, Any] | None:
        lowered = repo_id.lower()
        return next((p for p in self.records if p["type"] == kind and p["item"]["id"].lower() == lowered), None)

    def _list(self, req: Request, kind: str) -> Reply:
        limit = _int(req.arg("limit"), HF_MAX_LIMIT)
        limit = min(HF_MAX_LIMIT, max(1, limit))
        cursor = req.arg("cursor")
        start = _offset(cursor) if cursor else 0
        if start is None:
            return json_reply(400, {"error": "Invalid cursor"})
        wanted = terms(req.arg("search") or "")
        author = (req.arg("author") or "").lower()
        tags = [t for value in req.args("filter") for t in value.split(",") if t]
        hits = [
            p for p in self.records
            if p["type"] == kind
            and has_all(wanted, _hf_text(p))
            and (not author or str(p["item"].get("author") or p["item"]["id"].partition("/")[0]).lower() == author)
            and all(t in (p["item"].get("tags") or []) for t in tags)
        ]
        sort = req.arg("sort")
        if sort:
            key = _HF_SORTS.get(sort)
            if key is None:
                return json_reply(400, {"error": f'"sort" must be one of {", ".join(sorted(set(_HF_SORTS.values())))}'})
            hits.sort(key=lambda p: p["item"].get(key) or 0 if key in ("downloads", "likes", "trendingScore")
                      else str(p["item"].get(key) or ""), reverse=req.arg("direction") != "1")
        full = (req.arg("full") or "").lower() in ("true", "1")
        card_data = (req.arg("cardData") or "").lower() in ("true", "1") or "cardData" in req.args("expand")
        chunk = hits[start : start + limit]
        items = [self._shape(p["item"], kind, full=full, card_data=card_data) for p in chunk]
        headers = {}
        if start + limit < len(hits):
            params = req.with_param("cursor", _token(start + limit))
            headers["Link"] = f'<{req.url(req.path, params)}>; rel="next"'
        return json_reply(200, items, headers)

    @staticmethod
    def _shape(item: dict[str, Any], kind: str, *, full: bool, card_data: bool) -> dict[str, Any]:
        """What a listing shows: files only with ``full``; a model's card data only when asked."""
        shaped = dict(item)
        if not full:
            shaped.pop("siblings", None)
        if not (card_data or (full and kind == "dataset")):
            shaped.pop("cardData", None)
        return shaped
