"""The fake Zenodo records API, under ``/zenodo`` (``/api/records``, ``/api/records/{id}``).

A small query-string language in ``q`` (words, phrases, AND/OR/NOT,
``field:[A TO B]`` on created/updated/publication_date, ``field:value``),
``type``/``subtype``, ``sort``, ``size`` (25 anonymous, 100 with a token, else
400), ``links.next``, ``hits.total``, 400 past 10,000 hits. Past its limit, 429
with ``X-RateLimit-*`` and ``Retry-After``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .api import _API, Quota, Reply, Request, _int, json_reply
from .corpus import Span, _instant, _is_obj, has_all, terms, words

ZENODO_ANONYMOUS_SIZE = 25
ZENODO_AUTHENTICATED_SIZE = 100
ZENODO_MAX_RESULTS = 10_000
_ZENODO_DATES = {"created": "created", "updated": "updated", "modified": "modified",
                 "publication_date": "publication_date", "publicationdate": "publication_date"}
_ZENODO_SORTS: dict[str, tuple[Callable[[dict[str, Any]], Any], bool] | None] = {
    "bestmatch": None,
    "mostrecent": (lambda r: r.get("created") or "", True),
    "-mostrecent": (lambda r: r.get("created") or "", False),
    "newest": (lambda r: r.get("created") or "", True),
    "oldest": (lambda r: r.get("created") or "", False),
    "updated-desc": (lambda r: r.get("updated") or r.get("modified") or "", True),
    "updated-asc": (lambda r: r.get("updated") or r.get("modified") or "", False),
    "publication_date": (lambda r: (r.get("metadata") or {}).get("publication_date") or "", True),
    "-publication_date": (lambda r: (r.get("metadata") or {}).get("publication_date") or "", False),
    "mostviewed": (lambda r: (r.get("stats") or {}).get("views") or 0, True),
    "mostdownloaded": (lambda r: (r.get("stats") or {}).get("downloads") or 0, True),
    "version": (lambda r: str((r.get("metadata") or {}).get("version") or ""), True),
}
_ZQ_TOKEN = re.compile(
    r"""\s*(?:
      (?P<paren>[()])
    | (?P<range_field>[\w.]+):(?P<open>[\[{])\s*(?P<lo>[^\s\]}]+)\s+TO\s+(?P<hi>[^\s\]}]+)\s*(?P<close>[\]}])
    | (?P<field>[\w.]+):"(?P<field_phrase>[^"]*)"
    | (?P<field2>[\w.]+):(?P<field_word>[^\s()"]+)
    | "(?P<phrase>[^"]*)"
    | (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)

Predicate = Callable[[dict[str, Any]], bool]


class _QueryParser:
    """A tiny Elasticsearch query-string subset for Zenodo's ``q`` (implicit AND between terms)."""

    def __init__(self, q: str, text_of: Callable[[dict[str, Any]], set[str]],
                 field_of: Callable[[dict[str, Any], str], Any]) -> None:
        self.tokens: list[tuple[str, Any]] = []
        position = 0
        q = q.strip()
        while position < len(q):
            match = _ZQ_TOKEN.match(q, position)
            if not match or match.end() == position:
                raise ValueError(f"cannot read {q[position:]!r}")
            position = match.end()
            self.tokens.append(self._token(match))
        self.pos = 0
        self.text_of = text_of
        self.field_of = field_of

    @staticmethod
    def _token(match: re.Match[str]) -> tuple[str, Any]:
        g = match.groupdict()
        if g["paren"]:
            return (g["paren"], None)
        if g["range_field"]:
            return ("range", (g["range_field"], g["lo"], g["hi"], g["open"] == "[", g["close"] == "]"))
        if g["field"]:
            return ("field", (g["field"], g["field_phrase"]))
        if g["field2"]:
            return ("field", (g["field2"], g["field_word"]))
        if g["phrase"] is not None:
            return ("words", g["phrase"])
        word = g["word"]
        if word in ("AND", "OR", "NOT", "&&", "||"):
            return ({"&&": "AND", "||": "OR"}.get(word, word), None)
        return ("words", word)

    def parse(self) -> Predicate:
        if not self.tokens:
            return lambda record: True
        predicate = self._or()
        if self.pos != len(self.tokens):
            raise ValueError("unbalanced query")
        return predicate

    def _peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._peek() == "OR":
            self.pos += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda r, ps=parts: any(p(r) for p in ps))

    def _and(self) -> Predicate:
        parts = [self._not()]
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self.pos += 1
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else (lambda r, ps=parts: all(p(r) for p in ps))

    def _not(self) -> Predicate:
        if self._peek() == "NOT":
            self.pos += 1
            inner = self._not()
            return lambda r: not inner(r)
        return self._atom()

    def _atom(self) -> Predicate:
        if self.pos >= len(self.tokens):
            raise ValueError("query ends too early")
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "(":
            inner = self._or()
            if self._peek() != ")":
                raise ValueError("missing )")
            self.pos += 1
            return inner
        if kind == "range":
            name, lo, hi, lo_incl, hi_incl = value
            key = _ZENODO_DATES.get(name)
            if key is None:
                raise ValueError(f"no range on {name}")
            span = Span.between(lo, hi, lo_inclusive=lo_incl, hi_inclusive=hi_incl)
            return lambda r: _instant(self.field_of(r, key)) in span
        if kind == "field":
            name, text = value
            wanted = terms(text)
            return lambda r: has_all(wanted, words(self.field_of(r, name)))
        if kind == "words":
            negate = value.startswith("-") and len(value) > 1
            wanted = terms(value.lstrip("+-"))
            test: Predicate = lambda r: has_all(wanted, self.text_of(r))  # noqa: E731
            return (lambda r: not test(r)) if negate else test
        raise ValueError(f"unexpected {kind}")


def _zenodo_field(record: dict[str, Any], name: str) -> Any:
    metadata = record.get("metadata") or {}
    resource = metadata.get("resource_type") or {}
    fields = {
        "created": record.get("created"),
        "updated": record.get("updated") or record.get("modified"),
        "modified": record.get("modified") or record.get("updated"),
        "publication_date": metadata.get("publication_date"),
        "title": metadata.get("title") or record.get("title"),
        "description": metadata.get("description"),
        "keywords": metadata.get("keywords"),
        "creators.name": [c.get("name") for c in metadata.get("creators") or [] if _is_obj(c)],
        "doi": record.get("doi"),
        "type": resource.get("type"),
        "resource_type.type": resource.get("type"),
        "resource_type.subtype": resource.get("subtype"),
        "access_right": metadata.get("access_right"),
        "license.identifier": (metadata.get("license") or {}).get("id"),
        "recid": record.get("recid") or record.get("id"),
        "language": metadata.get("language"),
        "version": metadata.get("version"),
    }
    return fields.get(name, record.get(name))


def _zenodo_text(record: dict[str, Any]) -> set[str]:
    metadata = record.get("metadata") or {}
    return words(
        metadata.get("title") or record.get("title"),
        metadata.get("description"),
        metadata.get("keywords"),
        [c.get("name") for c in metadata.get("creators") or [] if _is_obj(c)],
    )


class _Zenodo(_API):
    name = "zenodo"

    def nominal(self, bucket: str, req: Request) -> tuple[int, float]:
        return 30, 60.0  # the documented search-endpoint limit

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(quota.limit),
            "X-RateLimit-Remaining": str(quota.remaining),
            "X-RateLimit-Reset": str(quota.reset_epoch),
        }

    def limited(self, req: Request, quota: Quota) -> Reply:
        headers = {**self.quota_headers(req, quota), "Retry-After": str(quota.reset_seconds)}
        message = f"Too many requests: {quota.limit} per 1 minute. Please slow down and retry later."
        return json_reply(429, {"message": message, "status": 429}, headers)

    @staticmethod
    def _error(status: int, message: str) -> Reply:
        return json_reply(status, {"message": message, "status": status})

    def answer(self, req: Request) -> Reply:
        if req.method not in ("GET", "HEAD"):
            return self._error(405, "The method is not allowed for the requested URL.")
        path = req.path.rstrip("/")
        if path == "/api/records":
            return self._search(req)
        match = re.fullmatch(r"/api/records/(\d+)", path)
        if match:
            for payload in self.records:
                if str(payload["item"].get("id")) == match.group(1):
                    record = payload["item"]
                    return json_reply(200, record, {"ETag": f'"{record.get("revision", 1)}"'})
            return self._error(404, "The persistent identifier does not exist.")
        return self._error(404, "The requested URL was not found on the server.")

    def _search(self, req: Request) -> Reply:
        cap = ZENODO_AUTHENTICATED_SIZE if req.authenticated else ZENODO_ANONYMOUS_SIZE
        size = _int(req.arg("size"), 25)
        page = _int(req.arg("page"), 1)
        if size < 1 or page < 1:
            return self._error(400, "Invalid pagination parameters.")
        if size > cap:
            hint = " Please use authenticated requests if you require larger page sizes." if cap < 100 else ""
            return self._error(400, f"Page size cannot be greater than {cap}.{hint}")
        if page * size > ZENODO_MAX_RESULTS:
            return self._error(400, "Invalid pagination parameters.")
        q = req.arg("q") or ""
        sort = req.arg("sort") or ("bestmatch" if q.strip() else "newest")
        if sort not in _ZENODO_SORTS:
            return self._error(400, f"Invalid sort option '{sort}'.")
        try:
            predicate = _QueryParser(q, _zenodo_text, _zenodo_field).parse()
        except ValueError as exc:
            return json_reply(400, {"message": "Invalid query string syntax.", "status": 400,
                                    "errors": [{"field": "q", "messages": [str(exc)]}]})
        kind, subtype = (req.arg("type") or "").lower(), (req.arg("subtype") or "").lower()
        hits = []
        for payload in self.records:
            record = payload["item"]
            resource = (record.get("metadata") or {}).get("resource_type") or {}
            if kind and str(resource.get("type") or "").lower() != kind:
                continue
            if subtype and str(resource.get("subtype") or "").lower() != subtype:
                continue
            if predicate(record):
                hits.append(record)
        order = _ZENODO_SORTS[sort]
        if order is not None:
            hits.sort(key=order[0], reverse=order[1])
        chunk = hits[(page - 1) * size : page * size]
        params = sorted({**dict(req.params), "size": str(size)}.items())

        def link(n: int) -> str:
            return req.url("/api/records", [(k, v) for k, v in params if k != "page"] + [("page", str(n))])

        links = {"self": link(page)}
        if page > 1:
            links["prev"] = link(page - 1)
        if page * size < len(hits) and (page + 1) * size <= ZENODO_MAX_RESULTS:
            links["next"] = link(page + 1)
        return json_reply(200, {"hits": {"hits": chunk, "total": len(hits)}, "aggregations": {}, "links": links})
