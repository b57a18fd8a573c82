"""Replay: one local fake of all six APIs, serving a recorded corpus.

``sonocat discover --replay DIR`` runs discovery without a network: this module
serves a recording on ``127.0.0.1`` and the real source clients talk to it as
they would to the real hosts. The benchmark uses it with ``latency`` and the
real per-minute ``limits``; the crash/resume test kills a replayed run mid-way.

The corpus is a directory with one JSON file per source, ``<source>.json``:
a list of ``RawRecord`` payloads exactly as that source's ``search`` builds
them (a missing file = no items)::

    github.json       {"item": <search item>, "readme": str | None, "topics": [...],
                       "releases": [<release as github.py keeps it>]}
    zenodo.json       {"item": <record>}
    kaggle.json       {"type": "dataset" | "model", "item": <ApiDataset | ApiModel as listed>,
                       "metadata": <DatasetInfo | ApiModel | None>}
    huggingface.json  {"type": "dataset" | "model", "item": <list item with siblings>,
                       "card": <README.md text> | None}
    openalex.json     {"item": <work>}
    scholar.json      {"item": <scholarly Publication dict>}   (rendered back into
                       Scholar's result-page HTML; ``gsrank``, ``url_scholarbib`` and
                       ``url_add_sclib`` depend on the page a row lands on)

Each API is mounted under its own prefix (``ReplayServer.base_urls()``):
``/github/api/v3`` (the GitHub Enterprise layout PyGithub needs), ``/zenodo``,
``/kaggle``, ``/huggingface``, ``/openalex``; Scholar under ``/scholar``.
scholarly hard-codes ``https://scholar.google.com``, so ``scholar_transport()``
gives an httpx transport that sends that host's requests here and passes every
other request through unchanged (the orchestrator hands one transport to every
httpx-based source).

Each fake answers in the real envelope, applies the request's own parameters
and pages the real way:

* text: every word of the search text (quotes ignored, a plural ``s`` ignored)
  must be a word of the item's searchable text (title, name, description,
  README, card, abstract, keywords; the real Hub's ``search`` looks at repo ids
  only, so the Hugging Face fake finds more than the Hub would);
* GitHub: ``in:``, ``topic:``, ``created:``/``pushed:`` ranges, ``language:``,
  ``user:``/``org:``, ``fork:``, ``archived:``, ``stars:``; ``per_page`` (max
  100), ``Link`` next/last/prev/first on the server's own host, ``total_count``,
  422 past the first 1,000 results; ``/repos/{o}/{r}`` (+ ``/readme`` base64
  wrapped at 60, ``/topics``, ``/releases``), 404 when absent, ETag/304;
* Zenodo: a small query-string language in ``q`` (words, phrases, AND/OR/NOT,
  ``field:[A TO B]`` on created/updated/publication_date, ``field:value``),
  ``type``/``subtype``, ``sort``, ``size`` (25 anonymous, 100 with a token, else
  400), ``links.next``, ``hits.total``, 400 past 10,000 hits;
* Kaggle: the RPC dialect (POST ``/v1/{service}/{method}``): ListDatasets
  (``page``, newest update first), GetDatasetMetadata, ListModels
  (``pageToken``), GetModel; 404 ``{"code": 404}`` for unknown refs;
* Hugging Face: ``/api/datasets`` and ``/api/models`` (``search``, ``author``,
  ``filter``, ``sort``/``direction``, ``limit``, ``full``, ``cardData``), a
  ``Link: <...&cursor=...>; rel="next"`` header, cards at
  ``[datasets/]{id}/raw/{rev}/README.md`` (404 "Entry not found" without one);
* OpenAlex: ``/works`` with ``search``, ``filter`` (publication/created/updated
  date bounds, ``type``, ``publication_year``, ``*.search``, ``is_oa``),
  ``per-page`` (1-200), ``cursor`` paging with ``meta.next_cursor``, ``page``;
* Scholar: ``/scholar?q=&as_ylo=&as_yhi=&start=`` as the HTML scholarly 1.7.11
  parses, ten rows a page and a next-page link while more remain.

``latency`` is slept before every answer. ``limits`` maps a source to requests
per minute (for GitHub the search bucket; ``"github:core"`` the others); past
it, within a sliding 60 s window, the answer is the real API's: GitHub 403
"API rate limit exceeded" with ``X-RateLimit-Remaining: 0`` and the reset
epoch, Zenodo/OpenAlex/Hugging Face 429 with their headers, Kaggle 429
``{"code":429,"message":"TooManyRequests"}``, Scholar 429 with Google's
"unusual traffic" page. Successful answers carry each API's usual rate-limit
headers. ``requests`` counts requests per source; ``log`` keeps every one.
Authentication is never checked (``SECRETS`` are stand-ins), but a token still
changes what the real API would change (GitHub's nominal limits, Zenodo's
page-size cap).
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import html
import json
import logging
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit

import httpx

from crawler.errors import InputError

log = logging.getLogger(__name__)

SOURCES: tuple[str, ...] = ("github", "zenodo", "kaggle", "huggingface", "openalex", "scholar")
DEMO = Path(__file__).resolve().parent / "data" / "demo"
SCHOLAR_HOST = "scholar.google.com"
GITHUB_CORE = "github:core"  # the ``limits`` key of GitHub's non-search endpoints
WINDOW = 60.0  # seconds: ``limits`` are per minute, counted over a sliding window
HISTORY = 86_400.0  # seconds of request times kept for the nominal rate-limit headers

# Stand-in credentials: Kaggle is the one source that will not run without any.
# They are not real and the server never checks them; real tokens are not sent here.
SECRETS: dict[str, str] = {"KAGGLE_USERNAME": "replay", "KAGGLE_KEY": "replay-stand-in-not-a-real-key"}


# -- the corpus --------------------------------------------------------------------------------


def resolve(path: str | Path) -> Path:
    """``"demo"``: the bundled recording; otherwise the directory given, which must hold one."""
    if str(path) == "demo":
        return DEMO
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise InputError(f"replay: {directory} is not a directory (give a recording directory, or 'demo')")
    if not any((directory / f"{name}.json").is_file() for name in SOURCES):
        expected = ", ".join(f"{name}.json" for name in SOURCES)
        raise InputError(f"replay: {directory} holds no recording (expected one or more of {expected})")
    return directory


def _is_obj(value: Any) -> bool:
    return isinstance(value, dict)


_CHECKS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "github": (
        '{"item": {"id", "full_name", ...}, "readme", "topics", "releases"}',
        lambda p: _is_obj(p.get("item")) and p["item"].get("id") is not None
        and isinstance(p["item"].get("full_name"), str) and isinstance(p.get("releases", []), list),
    ),
    "zenodo": (
        '{"item": {"id", "metadata", ...}}',
        lambda p: _is_obj(p.get("item")) and p["item"].get("id") is not None,
    ),
    "kaggle": (
        '{"type": "dataset" | "model", "item": {"ref", ...}, "metadata"}',
        lambda p: p.get("type") in ("dataset", "model") and _is_obj(p.get("item"))
        and isinstance(p["item"].get("ref"), str) and "/" in p["item"]["ref"],
    ),
    "huggingface": (
        '{"type": "dataset" | "model", "item": {"id", ...}, "card"}',
        lambda p: p.get("type") in ("dataset", "model") and _is_obj(p.get("item"))
        and isinstance(p["item"].get("id"), str),
    ),
    "openalex": ('{"item": {"id", ...}}', lambda p: _is_obj(p.get("item")) and isinstance(p["item"].get("id"), str)),
    "scholar": (
        '{"item": {"bib": {"title", ...}, ...}}',
        lambda p: _is_obj(p.get("item")) and _is_obj(p["item"].get("bib")) and bool(p["item"]["bib"].get("title")),
    ),
}


def load_corpus(directory: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Every ``<source>.json`` of a recording, checked; a missing file is an empty list."""
    directory = Path(directory)
    corpus: dict[str, list[dict[str, Any]]] = {}
    for name in SOURCES:
        path = directory / f"{name}.json"
        if not path.is_file():
            corpus[name] = []
            continue
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"replay: cannot read {path}: {exc}") from exc
        if not isinstance(entries, list):
            raise InputError(f"replay: {path} must hold a JSON list of {name} payloads")
        shape, check = _CHECKS[name]
        for index, entry in enumerate(entries):
            if not _is_obj(entry) or not check(entry):
                raise InputError(f"replay: {path} entry {index} is not a {name} payload {shape}")
        corpus[name] = entries
    return corpus


# -- text, dates and numbers shared by the fakes -----------------------------------------------

_WORD = re.compile(r"[0-9a-z]+")
_TAG = re.compile(r"<[^>]+>")


def _norm(word: str) -> str:
    # "datasets" finds "dataset" and the reverse; "us", "class", "mass" keep their s
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words(*values: Any) -> set[str]:
    """The normalised words of strings, lists and dicts (values only), HTML tags dropped."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            text = html.unescape(_TAG.sub(" ", value)) if "<" in value else value
            found.update(_norm(w) for w in _WORD.findall(text.lower()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.add(str(value))

    for value in values:
        walk(value)
    return found


def terms(text: str) -> list[str]:
    """The words a search text asks for (quotes and punctuation ignored)."""
    return [_norm(w) for w in _WORD.findall((text or "").lower())]


def has_all(wanted: list[str], haystack: set[str]) -> bool:
    return all(w in haystack for w in wanted)


def _instant(value: Any) -> datetime | None:
    """An item's timestamp (ISO date or date-time, ``Z`` or offset or naive = UTC) as UTC."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass(frozen=True)
class Span:
    """A set of instants ``[lo, hi)``; ``None`` = open. Day bounds cover whole UTC days."""

    lo: datetime | None = None
    hi: datetime | None = None

    def __contains__(self, when: datetime | None) -> bool:
        if when is None:
            return False
        return (self.lo is None or when >= self.lo) and (self.hi is None or when < self.hi)

    @staticmethod
    def bound(text: str, *, upper: bool, inclusive: bool) -> datetime | None:
        """One end of a range; ``*`` is open. A day ``D`` as an inclusive upper bound means "until D ends"."""
        text = text.strip()
        if text in ("*", ""):
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            start = datetime.fromisoformat(text).replace(tzinfo=UTC)
            after = start + timedelta(days=1)
            if upper:
                return after if inclusive else start
            return start if inclusive else after
        when = _instant(text)
        if when is None:
            raise ValueError(f"not a date: {text!r}")
        if upper:
            return when + timedelta(microseconds=1) if inclusive else when
        return when if inclusive else when + timedelta(microseconds=1)

    @classmethod
    def between(cls, lo: str, hi: str, *, lo_inclusive: bool = True, hi_inclusive: bool = True) -> Span:
        return cls(
            cls.bound(lo, upper=False, inclusive=lo_inclusive), cls.bound(hi, upper=True, inclusive=hi_inclusive)
        )

    @classmethod
    def github(cls, expr: str) -> Span:
        """GitHub's ``>=D``, ``>D``, ``<=D``, ``<D``, ``A..B`` (``*`` open) and ``D``."""
        for op, lo_incl in ((">=", True), (">", False)):
            if expr.startswith(op):
                return cls.between(expr[len(op):], "*", lo_inclusive=lo_incl)
        for op, hi_incl in (("<=", True), ("<", False)):
            if expr.startswith(op):
                return cls.between("*", expr[len(op):], hi_inclusive=hi_incl)
        if ".." in expr:
            lo, _, hi = expr.partition("..")
            return cls.between(lo, hi)
        return cls.between(expr, expr)


def _number_test(expr: str) -> Callable[[float], bool]:
    """GitHub's numeric qualifiers: ``>=n``, ``>n``, ``<=n``, ``<n``, ``a..b``, ``n``."""
    expr = expr.strip()
    for op, test in ((">=", float.__ge__), ("<=", float.__le__), (">", float.__gt__), ("<", float.__lt__)):
        if expr.startswith(op):
            bound = float(expr[len(op):])
            return lambda v, test=test, bound=bound: test(float(v), bound)
    if ".." in expr:
        lo, _, hi = expr.partition("..")
        low = -math.inf if lo in ("*", "") else float(lo)
        high = math.inf if hi in ("*", "") else float(hi)
        return lambda v: low <= float(v) <= high
    exact = float(expr)
    return lambda v: float(v) == exact


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _token(offset: int) -> str:
    """An opaque page token / cursor for ``offset``."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _offset(token: str) -> int | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError):
        return None
    return offset if offset >= 0 else None


def _http_date(value: Any) -> str | None:
    when = _instant(value)
    return email.utils.format_datetime(when, usegmt=True) if when else None


# -- requests, replies, quotas -----------------------------------------------------------------


@dataclass
class Request:
    """One request, as a fake sees it: ``path`` is below the source's mount."""

    method: str
    path: str
    params: list[tuple[str, str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    base: str  # the absolute URL of this source's mount

    def arg(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def args(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]

    def url(self, path: str, params: list[tuple[str, str]]) -> str:
        query = urlencode(params, quote_via=quote, safe=",:*")
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    def with_param(self, name: str, value: str, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """The request's parameters with ``name`` set to ``value`` (in place, else appended)."""
        out: list[tuple[str, str]] = []
        placed = False
        for key, old in self.params:
            if key in drop:
                continue
            if key == name:
                if not placed:
                    out.append((key, value))
                    placed = True
                continue
            out.append((key, old))
        if not placed:
            out.append((name, value))
        return out

    @property
    def authenticated(self) -> bool:
        return bool(self.headers.get("authorization"))


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, data: Any, headers: Mapping[str, str] | None = None) -> Reply:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def text_reply(status: int, text: str, content_type: str, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, text.encode("utf-8"), {"Content-Type": content_type, **(headers or {})})


@dataclass(frozen=True)
class Quota:
    """Where a request left its rate-limit bucket."""

    allowed: bool
    limit: int
    remaining: int
    used: int
    reset_in: float  # seconds until a slot frees up
    window: float  # seconds the limit is counted over
    enforced: bool  # from ``limits`` (else the API's nominal figures, for the headers only)

    @property
    def reset_epoch(self) -> int:
        return math.ceil(time.time() + self.reset_in)

    @property
    def reset_seconds(self) -> int:
        return max(1, math.ceil(self.reset_in))


@dataclass(frozen=True)
class Logged:
    """One request in ``ReplayServer.log``."""

    at: float  # wall-clock epoch of arrival
    source: str
    method: str
    path: str  # as received, query string included
    status: int
    seconds: float  # until the answer was ready, latency included


# -- the fakes ---------------------------------------------------------------------------------


class _API:
    """One fake API: its records, its routes and its rate-limit manners."""

    name: ClassVar[str] = ""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def bucket(self, req: Request) -> str | None:
        """The rate-limit bucket a request counts against (None: not counted)."""
        return self.name

    def nominal(self, bucket: str, req: Request) -> tuple[int, float] | None:
        """The API's own limit and window, for headers when ``limits`` sets none."""
        return None

    def answer(self, req: Request) -> Reply:
        raise NotImplementedError

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        return {}

    def limited(self, req: Request, quota: Quota) -> Reply:
        return json_reply(429, {"message": "Too Many Requests"}, self.quota_headers(req, quota))


# GitHub ----------------------------------------------------------------------------------------

REAL_GITHUB = "https://api.github.com"
GITHUB_PREFIX = "/api/v3"
SEARCH_CAP = 1000
_GH_DOCS = "https://docs.github.com/rest"
_GH_QUALIFIER = re.compile(r"^(-?)([a-z_]+):(.+)$")
_GH_REPO = re.compile(r"^/repos/([^/]+)/([^/]+)(?:/(readme|topics|releases))?/?$")
_GH_QUALIFIERS = {"in", "topic", "created", "pushed", "language", "user", "org", "fork", "archived", "stars", "is"}


@dataclass
class _GitHubQuery:
    """A repository search ``q``: free words and the qualifiers the fake understands."""

    words: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)  # in:
    tests: list[Callable[[dict[str, Any]], bool]] = field(default_factory=list)
    forks: str = "false"  # "false" (GitHub's default) | "true" | "only"

    @classmethod
    def parse(cls, q: str) -> _GitHubQuery:
        query = cls()
        for token in re.findall(r'"[^"]*"|\S+', q):
            if token in ("AND", "OR", "NOT"):
                continue  # GitHub's boolean words: the fake reads every term as AND
            match = _GH_QUALIFIER.match(token)
            if not match or match.group(2) not in _GH_QUALIFIERS:
                query.words += terms(token)
                continue
            negate, key, value = match.group(1) == "-", match.group(2), match.group(3).strip('"')
            if key == "in":
                query.fields |= {part.strip().lower() for part in value.split(",") if part.strip()}
            elif key == "fork":
                query.forks = value.lower()
            else:
                test = cls._qualifier(key, value)
                query.tests.append((lambda p, t=test: not t(p)) if negate else test)
        return query

    @staticmethod
    def _qualifier(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
        lowered = value.lower()
        if key in ("created", "pushed"):
            span = Span.github(value)
            return lambda p: _instant(p["item"].get(f"{key}_at")) in span
        if key == "topic":
            return lambda p: lowered in {t.lower() for t in _gh_topics(p)}
        if key == "language":
            return lambda p: str(p["item"].get("language") or "").lower() == lowered
        if key in ("user", "org"):
            return lambda p: str((p["item"].get("owner") or {}).get("login") or "").lower() == lowered
        if key == "archived":
            return lambda p: bool(p["item"].get("archived")) == (lowered == "true")
        if key == "stars":
            test = _number_test(value)
            return lambda p: test(float(p["item"].get("stargazers_count") or 0))
        if key == "is":  # is:public, is:private, is:archived, is:template ...
            flag = {"public": "private", "template": "is_template"}.get(lowered, lowered)
            return lambda p: bool(p["item"].get(flag)) != (lowered == "public")
        raise ValueError(key)

    def match(self, payload: dict[str, Any]) -> bool:
        item = payload["item"]
        is_fork = bool(item.get("fork"))
        if (self.forks == "false" and is_fork) or (self.forks == "only" and not is_fork):
            return False
        if not all(test(payload) for test in self.tests):
            return False
        if not self.words:
            return True
        fields = self.fields or {"name", "description", "topics"}
        text: set[str] = set()
        if "name" in fields:
            text |= words(item.get("name"))
        if "description" in fields:
            text |= words(item.get("description"))
        if "topics" in fields:
            text |= words(_gh_topics(payload))
        if "readme" in fields:
            text |= words(payload.get("readme"))
        return has_all(self.words, text)


def _gh_topics(payload: dict[str, Any]) -> list[str]:
    topics = payload["item"].get("topics")
    if not isinstance(topics, list):
        topics = payload.get("topics")
    return [str(t) for t in topics or []]


def _link_header(req: Request, path: str, page: int, last: int) -> str | None:
    """GitHub's ``Link``: next/last after this page, first/prev before it."""
    rels = []
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    if page > 1:
        rels += [("first", 1), ("prev", min(page - 1, last))]
    if not rels:
        return None
    return ", ".join(f'<{req.url(path, req.with_param("page", str(n)))}>; rel="{rel}"' for rel, n in rels)


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _stable_id(*parts: str) -> int:
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:12], 16) % 900_000_000 + 100_000_000


class _GitHub(_API):
    name = "github"

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__(records)
        self.by_name = {str(p["item"]["full_name"]).lower(): p for p in records}

    def bucket(self, req: Request) -> str | None:
        path = req.path.removeprefix(GITHUB_PREFIX)
        if path.startswith("/rate_limit"):
            return None  # GET /rate_limit does not count against any limit
        return "github" if path.startswith("/search/") else GITHUB_CORE

    def nominal(self, bucket: str, req: Request) -> tuple[int, float]:
        if bucket == "github":
            return (30 if req.authenticated else 10), 60.0
        return (5000 if req.authenticated else 60), 3600.0

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(quota.limit),
            "X-RateLimit-Remaining": str(quota.remaining),
            "X-RateLimit-Reset": str(quota.reset_epoch),
            "X-RateLimit-Used": str(quota.used),
            "X-RateLimit-Resource": "search" if self.bucket(req) == "github" else "core",
        }

    def limited(self, req: Request, quota: Quota) -> Reply:
        who = "user ID 1" if req.authenticated else "127.0.0.1"
        message = (
            f"API rate limit exceeded for {who}. (But here's the good news: Authenticated requests get a "
            "higher rate limit. Check out the documentation for more details.)"
            if not req.authenticated
            else f"API rate limit exceeded for {who}."
        )
        body = {"message": message, "documentation_url": f"{_GH_DOCS}/overview/rate-limits-for-the-rest-api"}
        return json_reply(403, body, self._headers(self.quota_headers(req, quota)))

    @staticmethod
    def _headers(extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            **(extra or {}),
        }

    def _error(self, status: int, message: str, doc: str, **extra: Any) -> Reply:
        return json_reply(status, {"message": message, **extra, "documentation_url": f"{_GH_DOCS}/{doc}",
                                   "status": str(status)}, self._headers())

    def _rewrite(self, req: Request, value: Any) -> Any:
        """A recorded body with ``https://api.github.com`` pointing at this server (PyGithub insists)."""
        return json.loads(json.dumps(value).replace(REAL_GITHUB, req.base + GITHUB_PREFIX))

    def answer(self, req: Request) -> Reply:
        if not req.path.startswith(GITHUB_PREFIX + "/"):
            return self._error(404, "Not Found", "overview")
        path = req.path[len(GITHUB_PREFIX):]
        if req.method not in ("GET", "HEAD"):
            return self._error(404, "Not Found", "overview")
        if path.rstrip("/") == "/search/repositories":
            return self._search(req)
        if path.rstrip("/") == "/rate_limit":
            return self._rate_limit(req)
        match = _GH_REPO.match(path)
        if not match:
            return self._error(404, "Not Found", "overview")
        payload = self.by_name.get(f"{match.group(1)}/{match.group(2)}".lower())
        if payload is None:
            return self._error(404, "Not Found", "repos/repos#get-a-repository")
        what = match.group(3)
        if what == "readme":
            return self._readme(req, payload)
        if what == "topics":
            return self._cached(req, {"names": _gh_topics(payload)}, payload)
        if what == "releases":
            return self._releases(req, payload)
        item = self._rewrite(req, payload["item"])
        item.pop("score", None)
        return self._cached(req, item, payload)

    def _search(self, req: Request) -> Reply:
        q = (req.arg("q") or "").strip()
        if not q:
            return self._error(422, "Validation Failed", "search/search#search-repositories",
                               errors=[{"resource": "Search", "field": "q", "code": "missing"}])
        per_page = min(100, max(1, _int(req.arg("per_page"), 30)))
        page = max(1, _int(req.arg("page"), 1))
        if (page - 1) * per_page >= SEARCH_CAP:
            return self._error(422, "Only the first 1000 search results are available", "search/search")
        try:
            query = _GitHubQuery.parse(q)
        except ValueError:
            return self._error(422, "Validation Failed", "search/search#search-repositories",
                               errors=[{"resource": "Search", "field": "q", "code": "invalid"}])
        hits = [p for p in self.records if query.match(p)]
        sort, order = req.arg("sort"), (req.arg("order") or "desc")
        keys = {"stars": "stargazers_count", "forks": "forks_count", "updated": "updated_at"}
        if sort in keys:
            hits.sort(key=lambda p: p["item"].get(keys[sort]) or 0, reverse=order != "asc")
        served = hits[:SEARCH_CAP]
        items = []
        for payload in served[(page - 1) * per_page : page * per_page]:
            item = self._rewrite(req, payload["item"])
            item.setdefault("score", 1.0)
            items.append(item)
        body = {"total_count": len(hits), "incomplete_results": False, "items": items}
        headers = self._headers({"Cache-Control": "no-cache"})
        last = max(1, math.ceil(len(served) / per_page))
        link = _link_header(req, GITHUB_PREFIX + "/search/repositories", page, last)
        if link:
            headers["Link"] = link
        return json_reply(200, body, headers)

    def _cached(self, req: Request, body: Any, payload: dict[str, Any]) -> Reply:
        """A repository endpoint: ETag and Last-Modified, 304 on a matching If-None-Match."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        etag = f'W/"{hashlib.sha256(data).hexdigest()[:40]}"'
        headers = self._headers({"ETag": etag, "Cache-Control": "private, max-age=60, s-maxage=60"})
        modified = _http_date(payload["item"].get("pushed_at") or payload["item"].get("updated_at"))
        if modified:
            headers["Last-Modified"] = modified
        if req.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers)
        return Reply(200, data, {"Content-Type": "application/json; charset=utf-8", **headers})

    def _readme(self, req: Request, payload: dict[str, Any]) -> Reply:
        text = payload.get("readme")
        if not isinstance(text, str):
            return self._error(404, "Not Found", "repos/contents#get-a-repository-readme")
        item = payload["item"]
        full, branch = item["full_name"], item.get("default_branch") or "main"
        raw = text.encode("utf-8")
        encoded = base64.b64encode(raw).decode("ascii")
        sha = _blob_sha(raw)
        api = f"{req.base}{GITHUB_PREFIX}/repos/{full}"
        links = {
            "self": f"{api}/contents/README.md?ref={branch}",
            "git": f"{api}/git/blobs/{sha}",
            "html": f"https://github.com/{full}/blob/{branch}/README.md",
        }
        body = {
            "name": "README.md",
            "path": "README.md",
            "sha": sha,
            "size": len(raw),
            "url": links["self"],
            "html_url": links["html"],
            "git_url": links["git"],
            "download_url": f"https://raw.githubusercontent.com/{full}/{branch}/README.md",
            "type": "file",
            "content": "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60)),
            "encoding": "base64",
            "_links": links,
        }
        return self._cached(req, body, payload)

    def _releases(self, req: Request, payload: dict[str, Any]) -> Reply:
        per_page = min(100, max(1, _int(req.arg("per_page"), 30)))
        page = max(1, _int(req.arg("page"), 1))
        releases = [self._release(req, payload, r) for r in payload.get("releases") or [] if _is_obj(r)]
        releases.sort(key=lambda r: r.get("published_at") or r.get("created_at") or "", reverse=True)
        reply = self._cached(req, releases[(page - 1) * per_page : page * per_page], payload)
        path = f"{GITHUB_PREFIX}/repos/{payload['item']['full_name']}/releases"
        link = _link_header(req, path, page, max(1, math.ceil(len(releases) / per_page)))
        if link:
            reply.headers["Link"] = link
        return reply

    def _release(self, req: Request, payload: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
        """A full release object from the fields github.py keeps."""
        item = payload["item"]
        full = item["full_name"]
        owner = item.get("owner") or {}
        author = {k: owner.get(k) for k in ("login", "id", "node_id", "avatar_url", "url", "html_url", "type")}
        tag = str(kept.get("tag_name") or "")
        release_id = _stable_id(full, "release", tag)
        api = f"{REAL_GITHUB}/repos/{full}"
        published = kept.get("published_at") or kept.get("created_at")
        assets = []
        for asset in kept.get("assets") or []:
            if not _is_obj(asset):
                continue
            asset_id = _stable_id(full, tag, str(asset.get("name")))
            assets.append({
                "url": f"{api}/releases/assets/{asset_id}",
                "id": asset_id,
                "node_id": "RA_" + base64.b64encode(str(asset_id).encode()).decode().rstrip("="),
                "name": asset.get("name"),
                "label": "",
                "uploader": author,
                "content_type": asset.get("content_type") or "application/octet-stream",
                "state": "uploaded",
                "size": asset.get("size") or 0,
                "download_count": asset.get("download_count") or 0,
                "created_at": published,
                "updated_at": published,
                "browser_download_url": asset.get("browser_download_url"),
            })
        release = {
            "url": f"{api}/releases/{release_id}",
            "assets_url": f"{api}/releases/{release_id}/assets",
            "upload_url": f"https://uploads.github.com/repos/{full}/releases/{release_id}/assets{{?name,label}}",
            "html_url": kept.get("html_url") or f"https://github.com/{full}/releases/tag/{tag}",
            "id": release_id,
            "node_id": "RE_" + base64.b64encode(str(release_id).encode()).decode().rstrip("="),
            "tag_name": tag,
            "target_commitish": item.get("default_branch") or "main",
            "name": kept.get("name"),
            "draft": bool(kept.get("draft")),
            "prerelease": bool(kept.get("prerelease")),
            "created_at": kept.get("created_at") or published,
            "published_at": published,
            "author": author,
            "assets": assets,
            "tarball_url": f"{api}/tarball/{tag}",
            "zipball_url": f"{api}/zipball/{tag}",
            "body": kept.get("body"),
        }
        return self._rewrite(req, release)

    def _rate_limit(self, req: Request) -> Reply:
        now = int(time.time())
        search = {"limit": self.nominal("github", req)[0], "used": 0, "remaining": self.nominal("github", req)[0],
                  "reset": now + 60}
        core = {"limit": self.nominal(GITHUB_CORE, req)[0], "used": 0, "remaining": self.nominal(GITHUB_CORE, req)[0],
                "reset": now + 3600}
        return json_reply(200, {"resources": {"core": core, "search": search}, "rate": core}, self._headers())


# Zenodo ----------------------------------------------------------------------------------------

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


# Kaggle ----------------------------------------------------------------------------------------

KAGGLE_MAX_RESULTS = 10_000  # later pages come back empty
_KAGGLE_ROUTES = {
    "/v1/datasets.DatasetApiService/ListDatasets": "_list_datasets",
    "/v1/datasets.DatasetApiService/GetDatasetMetadata": "_dataset_metadata",
    "/v1/models.ModelApiService/ListModels": "_list_models",
    "/v1/models.ModelApiService/GetModel": "_get_model",
}


def _kaggle_text(payload: dict[str, Any]) -> set[str]:
    item, meta = payload["item"], payload.get("metadata") or {}
    tags = [t.get("name") for t in item.get("tags") or [] if _is_obj(t)]
    return words(item.get("title"), item.get("subtitle"), item.get("description"), tags,
                 meta.get("title"), meta.get("subtitle"), meta.get("description"), meta.get("keywords"))


def _kaggle_model_time(item: dict[str, Any]) -> str:
    return str(item.get("updateTime") or item.get("publishTime") or "")


class _Kaggle(_API):
    name = "kaggle"

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__(records)
        self.datasets = [p for p in records if p["type"] == "dataset"]
        self.models = [p for p in records if p["type"] == "model"]

    def limited(self, req: Request, quota: Quota) -> Reply:
        return json_reply(429, {"code": 429, "message": "TooManyRequests"})

    def answer(self, req: Request) -> Reply:
        path = req.path.removeprefix("/api")  # non-production hosts put /api before /v1
        method = _KAGGLE_ROUTES.get(path)
        if method is None:
            return json_reply(404, {"code": 404, "message": "Not found"})
        if req.method != "POST":
            return json_reply(405, {"code": 405, "message": "Method not allowed"})
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            return json_reply(400, {"code": 400, "message": "Invalid JSON in request body"})
        if not isinstance(body, dict):
            return json_reply(400, {"code": 400, "message": "Request body must be a JSON object"})
        return getattr(self, method)(body)

    def _find(self, pool: list[dict[str, Any]], owner: Any, slug: Any) -> dict[str, Any] | None:
        ref = f"{owner}/{slug}".lower()
        return next((p for p in pool if p["item"]["ref"].lower() == ref), None)

    def _list_datasets(self, body: dict[str, Any]) -> Reply:
        wanted = terms(str(body.get("search") or ""))
        user = str(body.get("user") or "").lower()
        page = max(1, _int(body.get("page"), 1))
        size = max(1, _int(body.get("pageSize"), 20) or 20)
        hits = [p for p in self.datasets
                if has_all(wanted, _kaggle_text(p))
                and (not user or str(p["item"].get("ownerRef") or "").lower() == user)]
        sort = str(body.get("sortBy") or "DATASET_SORT_BY_HOTTEST")
        keys = {
            "DATASET_SORT_BY_UPDATED": lambda p: str(p["item"].get("lastUpdated") or ""),
            "DATASET_SORT_BY_PUBLISHED": lambda p: str(p["item"].get("lastUpdated") or ""),
            "DATASET_SORT_BY_VOTES": lambda p: p["item"].get("voteCount") or 0,
            "DATASET_SORT_BY_USABILITY": lambda p: p["item"].get("usabilityRating") or 0,
        }
        if sort in keys:
            hits.sort(key=keys[sort], reverse=True)
        start = (page - 1) * size
        chunk = [] if start >= KAGGLE_MAX_RESULTS else hits[start : min(start + size, KAGGLE_MAX_RESULTS)]
        return json_reply(200, {"datasets": [p["item"] for p in chunk], "nextPageToken": ""})

    def _dataset_metadata(self, body: dict[str, Any]) -> Reply:
        payload = self._find(self.datasets, body.get("ownerSlug"), body.get("datasetSlug"))
        if payload is None:
            return json_reply(404, {"code": 404, "message": "Not found"})
        info = payload.get("metadata")
        if not _is_obj(info):
            item = payload["item"]
            owner, _, slug = item["ref"].partition("/")
            info = {"datasetId": item.get("id"), "datasetSlug": slug, "ownerUser": owner, "title": item.get("title"),
                    "subtitle": item.get("subtitle"), "description": item.get("description") or "",
                    "isPrivate": bool(item.get("isPrivate")), "keywords": [], "licenses": [], "collaborators": [],
                    "data": []}
        return json_reply(200, {"info": info, "errorMessage": None})

    def _list_models(self, body: dict[str, Any]) -> Reply:
        wanted = terms(str(body.get("search") or ""))
        owner = str(body.get("owner") or "").lower()
        size = max(1, _int(body.get("pageSize"), 20) or 20)
        token = str(body.get("pageToken") or "")
        start = _offset(token) if token else 0
        if start is None:
            return json_reply(400, {"code": 400, "message": "Invalid page token"})
        hits = [p for p in self.models
                if has_all(wanted, _kaggle_text(p))
                and (not owner or str(p["item"].get("author") or "").lower() == owner)]
        sort = str(body.get("sortBy") or "LIST_MODELS_ORDER_BY_HOTNESS")
        keys = {
            "LIST_MODELS_ORDER_BY_UPDATE_TIME": lambda p: _kaggle_model_time(p["item"]),
            "LIST_MODELS_ORDER_BY_CREATE_TIME": lambda p: str(p["item"].get("publishTime") or ""),
            "LIST_MODELS_ORDER_BY_PUBLISH_TIME": lambda p: str(p["item"].get("publishTime") or ""),
        }
        if sort in keys:
            hits.sort(key=keys[sort], reverse=True)
        chunk = hits[start : start + size]
        following = _token(start + size) if start + size < len(hits) else ""
        return json_reply(200, {"models": [p["item"] for p in chunk], "nextPageToken": following,
                                "totalResults": len(hits)})

    def _get_model(self, body: dict[str, Any]) -> Reply:
        payload = self._find(self.models, body.get("ownerSlug"), body.get("modelSlug"))
        if payload is None:
            return json_reply(404, {"code": 404, "message": "Not found"})
        model = payload.get("metadata") if _is_obj(payload.get("metadata")) else payload["item"]
        return json_reply(200, model)


# Hugging Face ----------------------------------------------------------------------------------

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


# OpenAlex --------------------------------------------------------------------------------------

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


# Google Scholar --------------------------------------------------------------------------------

SCHOLAR_PAGE = 10
_CLUSTER = re.compile(r"info:([\w-]+):")
_SORRY = """<!doctype html><html><head><title>Sorry...</title></head><body>
<div style="max-width:400px"><h1>Our systems have detected unusual traffic from your computer network.</h1>
<p>This page checks to see if it's really you sending the requests, and not a robot.</p>
<form id="captcha-form" action="index" method="post"><div class="g-recaptcha"></div></form></div>
</body></html>"""


def _cluster_id(item: dict[str, Any]) -> str:
    match = _CLUSTER.search(str(item.get("url_scholarbib") or ""))
    if match:
        return match.group(1)
    digest = hashlib.sha1(str(item["bib"].get("title")).encode()).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def _host(url: Any) -> str:
    host = urlsplit(str(url or "")).hostname or ""
    return host.removeprefix("www.")


def _scholar_text(item: dict[str, Any]) -> set[str]:
    bib = item["bib"]
    return words(bib.get("title"), bib.get("abstract"), bib.get("venue"), bib.get("author"))


def _year_of(item: dict[str, Any]) -> int | None:
    year = str(item["bib"].get("pub_year") or "")
    return int(year) if year.isdigit() else None


def _scholar_row(item: dict[str, Any], rank: int) -> str:
    """One result row in the markup scholarly 1.7.11 parses back into ``item``."""
    e = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    bib = item["bib"]
    cid = _cluster_id(item)
    pub_url, eprint = item.get("pub_url"), item.get("eprint_url")
    host = _host(pub_url or eprint) or "scholar.google.com"
    authors = bib.get("author") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(" and ")]
    ids = list(item.get("author_id") or [])
    names = []
    for index, name in enumerate(authors):
        user = ids[index] if index < len(ids) else ""
        names.append(f'<a href="/citations?user={e(user)}&amp;hl=en&amp;oi=sra">{e(name)}</a>' if user else e(name))
    venue, year = bib.get("venue"), bib.get("pub_year")
    middle = ", ".join(str(v) for v in (venue, year) if v not in (None, "", "NA"))
    byline = " - ".join(part for part in (", ".join(names), e(middle) if middle else "", e(host)) if part)
    pdf = ""
    marker = ""
    if eprint:
        pdf = (f'<div class="gs_ggs gs_fl"><div class="gs_ggsd"><div class="gs_or_ggsm"><a href="{e(eprint)}" '
               f'data-clk="hl=en"><span class="gs_ctg2">[PDF]</span> {e(_host(eprint))}</a></div></div></div>')
        marker = '<span class="gs_ctc"><span class="gs_ct1">[PDF]</span><span class="gs_ct2">[PDF]</span></span> '
    title = e(bib["title"])
    if pub_url:
        title = f'<a id="{e(cid)}" href="{e(pub_url)}" data-clk="hl=en">{title}</a>'
    abstract = bib.get("abstract")
    snippet = f'<div class="gs_rs">{e(abstract)} \u2026</div>' if abstract else ""
    lower = ['<a href="javascript:void(0)" class="gs_or_sav gs_or_btn" role="button"><span class="gs_or_btn_lbl">'
             "Save</span></a>",
             '<a href="javascript:void(0)" class="gs_or_cit gs_or_btn" role="button">Cite</a>']
    citations = item.get("num_citations") or 0
    if citations:
        cited = item.get("citedby_url") or f"/scholar?cites={_stable_id(cid)}&as_sdt=2005&sciodt=0,5&hl=en"
        lower.append(f'<a href="{e(cited)}">Cited by {int(citations)}</a>')
    related = item.get("url_related_articles") or f"/scholar?q=related:{cid}:scholar.google.com/&hl=en&as_sdt=0,33"
    lower.append(f'<a href="{e(related)}">Related articles</a>')
    return (
        f'<div class="gs_r gs_or gs_scl" data-cid="{e(cid)}" data-did="{e(cid)}" data-lid="" data-aid="{e(cid)}" '
        f'data-rp="{rank}">{pdf}<div class="gs_ri"><h3 class="gs_rt">{marker}{title}</h3>'
        f'<div class="gs_a">{byline}</div>{snippet}<div class="gs_fl gs_flb">{" ".join(lower)}</div></div></div>'
    )


def scholar_page(items: list[dict[str, Any]], *, q: str, start: int, total: int, next_href: str | None) -> str:
    """A Google Scholar result page for ``items`` (ranks from ``start``)."""
    continue_to = quote(f"/scholar?q={quote_plus(q)}&hl=en&as_sdt=0,33", safe="/,")
    sva = (f"/citations?hl=en&amp;xsrf=&amp;continue={continue_to}&amp;citilm=1&amp;update_op=library_add"
           "&amp;info={id}&amp;ei=replay")
    rows = "\n".join(_scholar_row(item, start + i) for i, item in enumerate(items))
    if total:
        about = f'<div id="gs_ab_md"><div class="gs_ab_mdw">About {total:,} results (<b>0.04</b> sec)</div></div>'
    else:
        about = (f'<div class="gs_med"><p>Your search - <b>{html.escape(q)}</b> - did not match any articles.</p>'
                 "</div>")
    navigation = ""
    if next_href:
        navigation = (f'<div id="gs_n" role="navigation"><center><table><tr><td align="left" nowrap>'
                      f'<a href="{html.escape(next_href, quote=True)}"><span class="gs_ico gs_ico_nav_next"></span>'
                      '<b style="display:block;margin-left:53px">Next</b></a></td></tr></table></center></div>')
    return (
        "<!doctype html>\n<html><head><title>Google Scholar</title></head><body>\n"
        f'<div id="gs_res_glb" role="main" data-sva="{sva}"></div>\n{about}\n'
        f'<div id="gs_res_ccl_mid">\n{rows}\n</div>\n{navigation}\n</body></html>\n'
    )


class _Scholar(_API):
    name = "scholar"

    def limited(self, req: Request, quota: Quota) -> Reply:
        return text_reply(429, _SORRY, "text/html; charset=UTF-8", {"Retry-After": str(quota.reset_seconds)})

    def answer(self, req: Request) -> Reply:
        if req.path.rstrip("/") != "/scholar" or req.method not in ("GET", "HEAD"):
            return text_reply(404, "<html><body><h1>Not Found</h1></body></html>", "text/html; charset=UTF-8")
        if req.arg("output") == "cite" or (req.arg("q") or "").startswith(("info:", "related:")):
            return text_reply(404, "<html><body><h1>Not Found</h1></body></html>", "text/html; charset=UTF-8")
        q = req.arg("q") or ""
        wanted = terms(q)
        low, high = _int(req.arg("as_ylo"), 0), _int(req.arg("as_yhi"), 0)
        hits = []
        for payload in self.records:
            item = payload["item"]
            year = _year_of(item)
            if (low or high) and year is None:
                continue  # a year range hides undated results
            if (low and year < low) or (high and year > high):  # type: ignore[operator]
                continue
            if has_all(wanted, _scholar_text(item)):
                hits.append(item)
        if req.arg("scisbd"):
            hits.sort(key=lambda item: _year_of(item) or 0, reverse=True)
        start = max(0, _int(req.arg("start"), 0))
        chunk = hits[start : start + SCHOLAR_PAGE]
        next_href = None
        if start + SCHOLAR_PAGE < len(hits):
            params = [(k, v) for k, v in req.params if k != "start"]
            next_href = "/scholar?" + urlencode([("start", str(start + SCHOLAR_PAGE)), *params], safe=",:")
        page = scholar_page(chunk, q=q, start=start, total=len(hits), next_href=next_href)
        return text_reply(200, page, "text/html; charset=UTF-8")


_APIS: tuple[type[_API], ...] = (_GitHub, _Zenodo, _Kaggle, _HuggingFace, _OpenAlex, _Scholar)


# -- the server --------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], replay: ReplayServer) -> None:
        self.replay = replay
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections as with the real hosts
    server_version = "sonocat-replay"
    timeout = 30  # an idle kept-alive connection is dropped after this many seconds
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: _HTTPServer

    def _answer(self) -> None:
        length = _int(self.headers.get("Content-Length"), 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.replay.handle(self.command, self.path, headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if reply.status == 304 else str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD" and reply.status != 304:
            self.wfile.write(reply.body)

    do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        log.debug("replay: " + format, *args)


class ReplayServer:
    """The fake APIs on one local port; see the module docstring."""

    def __init__(
        self,
        corpus: Mapping[str, list[dict[str, Any]]],
        *,
        latency: float = 0.0,
        limits: Mapping[str, float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        limits = dict(limits or {})
        unknown = sorted(set(limits) - set(SOURCES) - {GITHUB_CORE})
        if unknown:
            raise InputError(f"replay: no limits for {', '.join(unknown)}; known: {', '.join(SOURCES)}, {GITHUB_CORE}")
        if latency < 0 or any(not value > 0 for value in limits.values()):
            raise InputError("replay: latency must be >= 0 and every limit > 0")
        self.latency = latency
        self.limits = limits
        self.apis: dict[str, _API] = {cls.name: cls(list(corpus.get(cls.name, []))) for cls in _APIS}
        self.requests: dict[str, int] = dict.fromkeys(SOURCES, 0)
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}
        self._httpd = _HTTPServer((host, port), self)
        self.host, self.port = str(self._httpd.server_address[0]), int(self._httpd.server_address[1])
        self.root = f"http://{self.host}:{self.port}"
        self._thread: threading.Thread | None = None
        self._transport: ReplayTransport | None = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-server", daemon=True
        )
        self._thread.start()
        log.info("replay: serving on %s", self.root)
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever, which must be running
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()
        if self._transport is not None:
            self._transport.shutdown()

    # -- what clients need ------------------------------------------------------------------

    def base_urls(self) -> dict[str, str]:
        """``settings.base_url`` per source (Scholar's host cannot move: see ``scholar_transport``)."""
        return {
            "github": f"{self.root}/github{GITHUB_PREFIX}",
            "zenodo": f"{self.root}/zenodo",
            "kaggle": f"{self.root}/kaggle",
            "huggingface": f"{self.root}/huggingface",
            "openalex": f"{self.root}/openalex",
        }

    def scholar_transport(self) -> ReplayTransport:
        """The transport that sends scholar.google.com here; shared, closed with the server."""
        if self._transport is None:
            self._transport = ReplayTransport(f"{self.root}/scholar")
        return self._transport

    def reset(self) -> None:
        """Forget counts, the log and every rate-limit window."""
        with self._lock:
            self.requests = dict.fromkeys(SOURCES, 0)
            self.log.clear()
            self._seen.clear()

    # -- answering --------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        arrived, started = time.time(), time.monotonic()
        parts = urlsplit(raw_path)
        match = re.match(r"^/([^/]+)(/.*)?$", parts.path)
        source = match.group(1) if match else ""
        api = self.apis.get(source)
        if api is None:
            reply = json_reply(404, {"message": f"replay: nothing is mounted at /{source}",
                                     "mounts": [f"/{name}" for name in SOURCES]})
            if self.latency:
                time.sleep(self.latency)
        else:
            request = Request(
                method=method,
                path=(match.group(2) if match else None) or "/",
                params=parse_qsl(parts.query, keep_blank_values=True),
                headers=headers,
                body=body,
                base=f"{self.root}/{source}",
            )
            with self._lock:
                self.requests[source] += 1
            bucket = api.bucket(request)
            quota = self._take(api, bucket, request) if bucket else None
            if self.latency:
                time.sleep(self.latency)
            if quota is not None and not quota.allowed:
                reply = api.limited(request, quota)
            else:
                try:
                    reply = api.answer(request)
                except Exception:  # noqa: BLE001 - a fake's bug must reach the client as a 500, not hang it
                    log.exception("replay: %s failed on %s %s", source, method, raw_path)
                    reply = json_reply(500, {"message": "replay server error"})
                if quota is not None and reply.status < 500:
                    reply.headers = {**api.quota_headers(request, quota), **reply.headers}
        with self._lock:
            self.log.append(Logged(arrived, source, method, raw_path, reply.status, time.monotonic() - started))
        return reply

    def _take(self, api: _API, bucket: str, req: Request) -> Quota:
        """Count the request in its bucket, unless ``limits`` says the bucket is full."""
        per_minute = self.limits.get(bucket)
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(bucket, deque())
            while seen and seen[0] <= now - HISTORY:
                seen.popleft()
            if per_minute is not None:
                limit, window, enforced = max(1, int(per_minute)), WINDOW, True
            else:
                nominal = api.nominal(bucket, req) or (0, WINDOW)
                limit, window, enforced = nominal[0], nominal[1], False
            recent = [t for t in seen if t > now - window]
            if enforced and len(recent) >= limit:
                return Quota(False, limit, 0, len(recent), recent[0] + window - now, window, True)
            seen.append(now)
            recent.append(now)
            used = len(recent)
            return Quota(True, limit, max(0, limit - used), used, recent[0] + window - now, window, enforced)


class ReplayTransport(httpx.BaseTransport):
    """Sends ``scholar.google.com`` to the replay server; passes every other request through.

    The orchestrator gives one transport to every httpx-based source, so only
    Scholar's traffic may change. Clients close their transport when they are
    done; this one is shared, so only the server's ``stop`` closes it.
    """

    def __init__(self, scholar_base: str) -> None:
        target = httpx.URL(scholar_base)
        self._scheme, self._host, self._port = target.scheme, target.host, target.port
        self._prefix = target.raw_path.rstrip(b"/")
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == SCHOLAR_HOST:
            url = httpx.URL(scheme=self._scheme, host=self._host, port=self._port,
                            raw_path=self._prefix + request.url.raw_path)
            headers = request.headers.copy()
            headers["Host"] = url.netloc.decode("ascii")
            request = httpx.Request(request.method, url, headers=headers, stream=request.stream,
                                    extensions=request.extensions)
        return self._inner.handle_request(request)

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        self._inner.close()


@contextmanager
def serve(
    directory: str | Path,
    *,
    latency: float = 0.0,
    limits: Mapping[str, float] | None = None,
    port: int = 0,
) -> Iterator[ReplayServer]:
    """Serve the recording in ``directory`` (or ``"demo"``) on 127.0.0.1 until the block ends."""
    server = ReplayServer(load_corpus(resolve(directory)), latency=latency, limits=limits, port=port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
