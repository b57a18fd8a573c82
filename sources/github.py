"""GitHub: repository search through PyGithub (``GET {base_url}/search/repositories``).

Owns the GitHub client: two searches per query, the follow-up requests for new
or changed repositories, GitHub's rate-limit rules and the 1,000-result cap.

* Searches per query text: ``"<text> in:name,description,topics,readme"`` and,
  on full crawls only, ``"topic:<text>"``, the topic being the text lower-cased with every run of
  other characters turned into ``-`` (``topic:ultrasound-deep-learning``):
  that is how GitHub spells multi-word topics. ``since`` adds
  ``pushed:>=YYYY-MM-DD`` (the last push; a new repository counts as pushed).
* The 1,000-result cap: when page 1 of a window reports ``total_count`` above
  1,000, the window is split in two ``created:A..B`` halves (from 2007-10-01,
  GitHub's oldest repositories, to today in UTC), recursively, and page 1 of
  the unsplit window is dropped (its items reappear in the halves). A single
  day still above 1,000 is paged to the cap with a warning. No page past
  ``ceil(1000 / per_page)`` is ever requested (GitHub answers 422).
* Follow-ups for each new or changed repository (``known_version(id)`` differs
  from ``pushed_at``): the README and the newest ``page_size`` releases.
  Topics come with every search item; ``GET .../topics`` is sent only when an
  item lacks them (older GitHub Enterprise). A README or release list that is
  gone (404, 409 empty repository, 410, 451, plain 403) is recorded as absent.
  A repository found twice in one run (both searches) is enriched once.
* Requests go through PyGithub's ``Requester`` (``Github.requester``, its
  documented way to call endpoints directly) rather than its object layer:
  ``PaginatedList.totalCount`` fetches page 1 again, and reading ``raw_data``
  of a listed release fetches that release again. This way each call is
  exactly one HTTP request (``retry=None``, no PyGithub sleeps), counted in
  ``requests``, and the JSON is kept verbatim.
* Politeness: search requests are spaced by ``per_minute`` (30/min with a
  token, 10 without), the others by ``core_per_minute`` (option, default 80:
  the 5,000/h core bucket). Rate limits (403 with ``X-RateLimit-Remaining: 0``
  or a rate-limit message, 429) wait as the headers say (``Retry-After``,
  else ``X-RateLimit-Reset``), else 60 s doubling per retry (the documented
  secondary-limit rule); 5xx, timeouts and connection errors back off 2, 4,
  8 ... s. No wait may pass the deadline (``BudgetExceeded``).
* ``GITHUB_TOKEN`` is optional (sent as ``Authorization: token ...``);
  ``base_url`` may be a GitHub Enterprise ``https://host/api/v3``.

Payload::

    {"item": <search item verbatim>,
     "readme": str | None,        # decoded README, first 200,000 characters (None: none, or over 1 MB)
     "topics": [str, ...],
     "releases": [{"tag_name", "name", "body", "published_at", "created_at", "draft",
                   "prerelease", "html_url",
                   "assets": [{"name", "size", "browser_download_url", "content_type",
                               "download_count"}]}]}

An ``unchanged`` record carries only ``item``. ``updated_at`` = ``pushed_at``.
The cursor is JSON ``{"variant": i, "slices": [[from, to], ...], "page": n}``:
the search variant, the ``created`` windows still to page (``null`` = open),
and the 1-based page of the first window to fetch next.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import requests
from github import Auth, Github
from github.GithubException import BadCredentialsException, GithubException, RateLimitExceededException

from crawler.errors import BudgetExceeded, MalformedResponse, RateLimited, SourceError, TransientError
from crawler.models import Candidate, FileInfo, Page, Query, RawRecord
from sources.base import SourceContext
from sources.http import USER_AGENT, RateLimiter, wait_from_headers

log = logging.getLogger(__name__)

NAME = "github"
DEFAULT_BASE_URL = "https://api.github.com"
SEARCH_CAP = 1000  # GitHub serves the first 1,000 results of a search, then 422
MAX_PER_PAGE = 100
FIRST_CREATED = date(2007, 10, 1)  # the oldest public repositories date from GitHub's 2007 beta
CORE_PER_MINUTE = 80.0  # 5,000 requests/hour with a token
SECONDARY_WAIT = 60.0  # "wait at least one minute" when a secondary limit gives no Retry-After
BACKOFF = 2.0
MAX_BACKOFF = 120.0
README_MAX_CHARS = 200_000
ABSENT = frozenset({403, 404, 409, 410, 451})  # a follow-up target that is gone, empty or blocked
WEIGHT_SUFFIXES = (".pt", ".pth", ".h5", ".hdf5", ".keras", ".onnx", ".ckpt", ".safetensors", ".pb", ".tflite")

T = TypeVar("T")


@dataclass
class _Cursor:
    variant: int = 0
    slices: list[tuple[date | None, date | None]] = field(default_factory=lambda: [(None, None)])
    page: int = 1

    def dump(self) -> str:
        slices = [[lo.isoformat() if lo else None, hi.isoformat() if hi else None] for lo, hi in self.slices]
        return json.dumps({"variant": self.variant, "slices": slices, "page": self.page})

    @classmethod
    def load(cls, cursor: str | None) -> _Cursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            slices = [(_iso_day(lo), _iso_day(hi)) for lo, hi in data["slices"]]
            if not slices:
                raise ValueError("no slices")
            return cls(variant=int(data["variant"]), slices=slices, page=max(1, int(data["page"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"github: cannot resume from cursor {cursor!r}", source=NAME) from exc


class GitHubSource:
    """Searches GitHub repositories; see the module docstring."""

    name: ClassVar[str] = NAME

    def __init__(self, ctx: SourceContext, *, token: str | None = None) -> None:
        settings = ctx.settings
        self.ctx = ctx
        self.per_page = max(1, min(settings.page_size, MAX_PER_PAGE))
        self.max_retries = settings.max_retries
        self.base_url = (settings.base_url or DEFAULT_BASE_URL).rstrip("/")
        self.gh = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.base_url,
            timeout=max(1, math.ceil(settings.timeout)),  # PyGithub insists on an int
            user_agent=USER_AGENT,
            per_page=self.per_page,
            retry=None,  # retries are ours: they must honour the deadline and the injected sleep
            seconds_between_requests=0,
            seconds_between_writes=0,
        )
        self.search_limiter = RateLimiter(settings.per_minute, clock=ctx.clock, sleep=self._sleep)
        core_per_minute = float(settings.options.get("core_per_minute", CORE_PER_MINUTE))
        self.core_limiter = RateLimiter(core_per_minute, clock=ctx.clock, sleep=self._sleep)
        self._requests = 0
        self._enriched: dict[str, tuple[str | None, dict[str, Any]]] = {}

    @classmethod
    def from_context(cls, ctx: SourceContext) -> GitHubSource:
        return cls(ctx, token=ctx.secrets.get("GITHUB_TOKEN") or None)

    @property
    def requests(self) -> int:
        return self._requests

    def close(self) -> None:
        self.gh.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]:
        variants = search_variants(query.text, full=since is None)
        state = _Cursor.load(cursor)
        while state.variant < len(variants):
            lo, hi = state.slices[0]
            q = build_q(variants[state.variant], since, lo, hi)
            headers, total, items = self._search_page(q, state.page)
            if state.page == 1 and total > SEARCH_CAP:
                halves = split_window(lo, hi, self._today())
                if halves:
                    log.info("github: %d results for %r; splitting into %s", total, q, halves)
                    state.slices[0:1] = halves
                    continue
                log.warning("github: %d results for %r in one day; only the first %d are served", total, q, SEARCH_CAP)
            records = [self._record(item) for item in items]
            if self._has_next(headers, total, len(items), state.page):
                state.page += 1
            else:
                state.slices.pop(0)
                state.page = 1
                if not state.slices:
                    state = _Cursor(variant=state.variant + 1)
            yield Page(records=records, cursor=state.dump() if state.variant < len(variants) else None)

    def _search_page(self, q: str, page: int) -> tuple[dict[str, Any], int, list[dict[str, Any]]]:
        params = {"q": q, "per_page": self.per_page, "page": page}
        headers, data = self._call(
            self.search_limiter,
            f"search {q!r} page {page}",
            lambda: self.gh.requester.requestJsonAndCheck("GET", "/search/repositories", parameters=params),
        )
        total = data.get("total_count") if isinstance(data, dict) else None
        items = data.get("items") if isinstance(data, dict) else None
        if (
            not isinstance(total, int)
            or not isinstance(items, list)
            or not all(isinstance(item, dict) and item.get("id") is not None for item in items)
        ):
            raise MalformedResponse(
                f"github: search {q!r} page {page} answered without total_count and items with ids", source=NAME
            )
        if data.get("incomplete_results"):
            log.info("github: search %r page %d timed out on GitHub's side; results may be incomplete", q, page)
        return headers, total, items

    def _has_next(self, headers: dict[str, Any], total: int, count: int, page: int) -> bool:
        # the count keeps us inside the 1,000 cap; Link (absent on one-page answers) catches a shrinking total
        if count == 0 or page * self.per_page >= min(total, SEARCH_CAP):
            return False
        link = headers.get("link")
        return 'rel="next"' in link if isinstance(link, str) else True

    def _today(self) -> date:
        return datetime.fromtimestamp(self.ctx.wall_clock(), tz=UTC).date()

    # -- one repository -----------------------------------------------------------------------

    def _record(self, item: dict[str, Any]) -> RawRecord:
        native_id = str(item["id"])
        version = item.get("pushed_at") or item.get("updated_at")
        record = RawRecord(
            source=NAME,
            native_id=native_id,
            url=item.get("html_url") or "",
            payload={"item": item},
            updated_at=version,
        )
        if version is not None and self.ctx.known_version(native_id) == version:
            record.unchanged = True
            return record
        cached = self._enriched.get(native_id)
        if cached is None or cached[0] != version:
            cached = (version, self._enrich(item))
            self._enriched[native_id] = cached
        record.payload.update(cached[1])
        return record

    def _enrich(self, item: dict[str, Any]) -> dict[str, Any]:
        name = item.get("full_name") or str(item["id"])
        repo_url = item.get("url") or f"/repos/{name}"
        readme = self._call(
            self.core_limiter,
            f"README of {name}",
            lambda: self.gh.requester.requestJsonAndCheck("GET", f"{repo_url}/readme"),
            absent_ok=True,
        )
        topics = item.get("topics")
        if not isinstance(topics, list):
            answer = self._call(
                self.core_limiter,
                f"topics of {name}",
                lambda: self.gh.requester.requestJsonAndCheck("GET", f"{repo_url}/topics"),
                absent_ok=True,
            )
            topics = _topic_names(name, answer[1] if answer else {"names": []})
        releases = self._call(
            self.core_limiter,
            f"releases of {name}",
            lambda: self.gh.requester.requestJsonAndCheck(
                "GET", f"{repo_url}/releases", parameters={"per_page": self.per_page}
            ),
            absent_ok=True,
        )
        return {
            "readme": _readme_text(name, readme[1]) if readme else None,
            "topics": topics,
            "releases": _releases(name, releases[1]) if releases else [],
        }

    # -- requests, retries, waits -------------------------------------------------------------

    def _call(
        self, limiter: RateLimiter, what: str, send: Callable[[], T], *, absent_ok: bool = False
    ) -> T | None:
        """Send one PyGithub request, retrying rate limits and transient failures.

        Returns None for a missing follow-up target when ``absent_ok``.
        """
        attempt = 0
        while True:
            if self.ctx.deadline is not None and self.ctx.clock() >= self.ctx.deadline:
                raise BudgetExceeded("github: time budget used up", source=NAME)
            limiter.acquire()
            self._requests += 1
            wait: float | None = None
            error: SourceError
            cause: BaseException
            try:
                return send()
            except BadCredentialsException as exc:
                raise SourceError(
                    "github: the token was rejected (401 Bad credentials); check GITHUB_TOKEN", source=NAME
                ) from exc
            except GithubException as exc:
                cause = exc
                headers = exc.headers or {}
                message = _message(exc)
                if _is_rate_limit(exc, headers):
                    wait = wait_from_headers(headers, self.ctx.wall_clock())
                    if wait is None or wait <= 0:  # secondary limit without Retry-After: a minute, doubling
                        wait = min(SECONDARY_WAIT * 2**attempt, 3600.0)
                    error = RateLimited(
                        f"github: rate limited on {what} (HTTP {exc.status}: {message})", source=NAME, wait=wait
                    )
                elif exc.status >= 500:
                    error = TransientError(f"github: HTTP {exc.status} on {what}", source=NAME)
                elif absent_ok and exc.status in ABSENT:
                    log.info("github: %s is absent (HTTP %s: %s)", what, exc.status, message)
                    return None
                elif exc.status == 422:
                    raise SourceError(f"github: {what} was refused (422 {message})", source=NAME) from exc
                else:
                    raise SourceError(f"github: HTTP {exc.status} on {what}: {message}", source=NAME) from exc
            except requests.Timeout as exc:
                error, cause = TransientError(f"github: {what} timed out ({exc})", source=NAME), exc
            except requests.RequestException as exc:
                error, cause = TransientError(f"github: {what} failed ({exc})", source=NAME), exc
            except (ValueError, TypeError, KeyError, AssertionError) as exc:
                # json.loads failed, or PyGithub met a body or URL it cannot handle
                raise MalformedResponse(
                    f"github: {what} returned an unusable response ({exc!r})", source=NAME
                ) from exc
            attempt += 1
            if attempt > self.max_retries:
                raise error from cause
            delay = wait if wait is not None else min(MAX_BACKOFF, BACKOFF * 2 ** (attempt - 1))
            log.info("github: %s; retry %d/%d in %.1fs", error, attempt, self.max_retries, delay)
            self._sleep(delay)

    def _sleep(self, seconds: float) -> None:
        deadline = self.ctx.deadline
        if deadline is not None and self.ctx.clock() + seconds > deadline:
            raise BudgetExceeded(f"github: waiting {seconds:.0f}s would pass the time budget", source=NAME)
        if seconds > 0:
            self.ctx.sleep(seconds)

    # -- parse --------------------------------------------------------------------------------

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        return parse_record(raw)


# -- pure helpers used by search --------------------------------------------------------------


def search_variants(text: str, *, full: bool = True) -> list[str]:
    """The searches run for one query text (see the module docstring).

    ``in:topics`` already finds repositories whose topics contain the words;
    the exact ``topic:`` variant is added on full crawls only, so an
    incremental run costs one search per query and window.
    """
    text = " ".join(text.split())
    variants = [f"{text} in:name,description,topics,readme"]
    topic = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if full and topic and len(topic) <= 50:  # GitHub topics are at most 50 characters
        variants.append(f"topic:{topic}")
    return variants


def build_q(variant: str, since: date | None, created_from: date | None, created_to: date | None) -> str:
    parts = [variant]
    if since is not None:
        parts.append(f"pushed:>={since.isoformat()}")
    if created_from is not None or created_to is not None:
        lo = created_from.isoformat() if created_from else "*"
        hi = created_to.isoformat() if created_to else "*"
        parts.append(f"created:{lo}..{hi}")
    return " ".join(parts)


def split_window(
    created_from: date | None, created_to: date | None, today: date
) -> list[tuple[date | None, date | None]] | None:
    """Two halves of a ``created`` window, or None when it is a single day."""
    lo = created_from or FIRST_CREATED
    hi = created_to or today
    if lo >= hi:
        return None
    mid = lo + (hi - lo) // 2
    return [(lo, mid), (mid + timedelta(days=1), hi)]


def _iso_day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"]
    return exc.message or ""


def _is_rate_limit(exc: GithubException, headers: dict[str, Any]) -> bool:
    if isinstance(exc, RateLimitExceededException) or exc.status == 429:
        return True
    if exc.status != 403:
        return False
    return str(headers.get("x-ratelimit-remaining")) == "0" or "retry-after" in headers


def _readme_text(name: str, data: Any) -> str | None:
    if not isinstance(data, dict):
        raise MalformedResponse(f"github: README of {name} is not a JSON object", source=NAME)
    if data.get("encoding") != "base64":  # files over 1 MB come with encoding "none" and no content
        return None
    try:
        text = base64.b64decode(str(data.get("content") or "")).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as exc:
        raise MalformedResponse(f"github: README of {name} is not valid base64", source=NAME) from exc
    return text[:README_MAX_CHARS]


def _topic_names(name: str, data: Any) -> list[str]:
    names = data.get("names") if isinstance(data, dict) else None
    if not isinstance(names, list):
        raise MalformedResponse(f"github: topics of {name} have no names list", source=NAME)
    return [str(n) for n in names]


def _releases(name: str, data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise MalformedResponse(f"github: releases of {name} are not a JSON list of objects", source=NAME)
    keys = ("tag_name", "name", "body", "published_at", "created_at", "draft", "prerelease", "html_url")
    asset_keys = ("name", "size", "browser_download_url", "content_type", "download_count")
    return [
        {
            **{k: release.get(k) for k in keys},
            "assets": [
                {k: asset.get(k) for k in asset_keys}
                for asset in release.get("assets") or []
                if isinstance(asset, dict)
            ],
        }
        for release in data
    ]


# -- pure helpers used by parse ---------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>\[\]{}|\\^`]+", re.IGNORECASE)
_DOI_BADGE = re.compile(  # zenodo.org/badge/DOI/10.x/y.svg, or [![DOI](any badge)](https://doi.org/10.x/y)
    r"(?:badge/DOI/|\[!\[DOI\]\([^)]*\)\]\(\s*https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s)\"'<>]+)", re.IGNORECASE
)
_TRAILING = ".,;:!?*_'\""
_IMAGE_SUFFIX = re.compile(r"\.(svg|png|gif|jpe?g)$", re.IGNORECASE)


def _trim(value: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a match."""
    while value:
        if value[-1] in _TRAILING:
            value = value[:-1]
        elif value[-1] == ")" and value.count(")") > value.count("("):
            value = value[:-1]
        else:
            break
    return value


def urls_in(texts: Iterable[str | None]) -> list[str]:
    """Every absolute http(s) URL in the texts, in order, without duplicates."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _URL.finditer(text or ""):
            url = _trim(match.group(0))
            if len(url) > len("https://"):
                seen.setdefault(url, None)
    return list(seen)


def dois_in(text: str) -> list[str]:
    """DOIs in a README, bare and lower-case: DOI badges first, then in order of appearance."""
    found: dict[str, None] = {}
    for match in _DOI_BADGE.finditer(text):
        found.setdefault(_clean_doi(match.group(1)), None)
    for match in _DOI.finditer(text):
        found.setdefault(_clean_doi(match.group(0)), None)
    return [doi for doi in found if "/" in doi and not doi.endswith("/")]


def _clean_doi(value: str) -> str:
    value = _trim(value)
    value = _IMAGE_SUFFIX.sub("", value)  # zenodo.org/badge/DOI/10.5281/zenodo.123.svg
    return _trim(value).lower()


def pick_doi(dois: list[str]) -> str | None:
    """The repository's own DOI: a badge or Zenodo archive before a cited paper."""
    for doi in dois:
        if doi.startswith("10.5281/zenodo."):
            return doi
    return dois[0] if dois else None


def _latest_tag(releases: list[dict[str, Any]]) -> str | None:
    published = [r for r in releases if not r.get("draft") and r.get("tag_name")]
    stable = [r for r in published if not r.get("prerelease")] or published
    if not stable:
        return None
    return max(stable, key=lambda r: r.get("published_at") or r.get("created_at") or "")["tag_name"]


def _year(value: Any) -> int | None:
    if isinstance(value, str) and re.match(r"\d{4}-", value):
        return int(value[:4])
    return None


def parse_record(raw: RawRecord) -> Candidate:
    payload = raw.payload
    item: dict[str, Any] = payload.get("item") or {}
    readme = payload.get("readme") or ""
    description = item.get("description") or ""
    topics = payload.get("topics")
    if not isinstance(topics, list):
        topics = item.get("topics") if isinstance(item.get("topics"), list) else []
    releases: list[dict[str, Any]] = payload.get("releases") or []
    licence = (item.get("license") or {}).get("spdx_id")
    owner = (item.get("owner") or {}).get("login")
    files = [
        FileInfo(name=str(asset.get("name")), size=asset.get("size"), url=asset.get("browser_download_url"))
        for release in releases
        for asset in release.get("assets") or []
        if asset.get("name")
    ]
    dois = dois_in(readme)
    extra: dict[str, Any] = {
        "stars": item.get("stargazers_count"),
        "forks": item.get("forks_count"),
        "language": item.get("language"),
        "archived": item.get("archived"),
        "fork": item.get("fork"),
        "releases": len(releases),
        "pushed_at": item.get("pushed_at"),
        "weight_assets": [f.name for f in files if f.name.lower().endswith(WEIGHT_SUFFIXES)],
    }
    if dois:
        extra["dois"] = dois
    return Candidate(
        source=raw.source,
        native_id=raw.native_id,
        url=raw.url or item.get("html_url") or "",
        title=item.get("full_name") or item.get("name") or raw.native_id,
        text="\n\n".join(part for part in (description.strip(), readme.strip()) if part),
        kind_hint="software",
        links=urls_in([item.get("homepage"), description, readme]),
        doi=pick_doi(dois),
        licence=licence if licence and licence != "NOASSERTION" else None,
        access="open" if item.get("visibility", "public") == "public" and not item.get("private") else None,
        keywords=[str(t) for t in topics],
        authors=[owner] if owner else [],
        created=item.get("created_at"),
        updated=item.get("pushed_at") or item.get("updated_at"),
        year=_year(item.get("created_at")),
        version=_latest_tag(releases),
        files=files,
        extra=extra,
    )
