"""Google Scholar through scholarly 1.7.11: one publication search per query.

This module owns sonocat's only Scholar client. scholarly is a process-wide
singleton with its own httpx sessions, retry loops and sleeps: 60-120 s after
a 403, an endless wait-and-retry loop on a DOS captcha, a Selenium browser for
a human to solve a captcha. A nightly run must never hang on any of that, so
each search runs scholarly in a worker thread and, for that search only,
patches scholarly so that

* every sleep it takes (``time.sleep`` in ``_navigator`` / ``_proxy_generator``)
  goes through a deadline-aware, interruptible sleep built on ``ctx.sleep`` and
  ``ctx.clock``: a wait that would pass the budget ends the search with
  ``RateLimited`` when Scholar was refusing us, else ``BudgetExceeded``;
* a captcha fails fast with ``RateLimited`` instead of looking for a browser;
* the httpx sessions it builds count requests (``requests``), keep to
  ``per_minute`` and use ``ctx.transport`` when one is given (tests, replay).

The calling thread waits on the worker's queue no longer than the budget
(``ctx.deadline``, else ``budget_seconds`` from the start of the search), so a
search ends on time even while a request hangs. The worker restores scholarly
as it leaves (before ``search`` returns, unless a request is still stuck; a
lock keeps the next search waiting until then). Scholar's host is fixed by
scholarly (``https://scholar.google.com``): ``base_url`` cannot move it.

Records: ``native_id`` = Scholar's cluster id (the row's ``data-cid``, read
back from ``url_scholarbib``), ``url`` = the title link, ``updated_at`` = the
publication year (Scholar shows no modification time), ``payload`` =
``{"item": <scholarly's Publication dict, enums as their string values>}``.
There are no follow-up requests, so ``known_version`` is never consulted.
Cursor: ``{"start": N}``, the result offset of the next Scholar page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import Any, ClassVar
from urllib.parse import quote, unquote

import httpx

from crawler.errors import (
    BudgetExceeded,
    MalformedResponse,
    NotConfigured,
    RateLimited,
    SourceError,
    TransientError,
)
from crawler.links import clean_url, find_dois, find_links
from crawler.models import Candidate, Page, Query, RawRecord
from sources.base import SourceContext
from sources.http import RateLimiter

try:
    from scholarly import DOSException, MaxTriesExceededException
    from scholarly import _navigator, _proxy_generator
    from scholarly import scholarly as _scholarly
    from scholarly._navigator import Navigator
except ImportError as exc:  # e.g. bibtexparser 2.x removed what scholarly 1.7.11 imports
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

log = logging.getLogger(__name__)

NAME = "scholar"
HOST = "https://scholar.google.com"
PAGE_ROWS = 10  # Scholar's page size; ``start`` moves in steps of 10
POLL = 0.2  # real seconds between the caller's budget checks
JOIN_GRACE = 1.0  # real seconds the caller gives the worker to wind down
BLOCKED = "Google Scholar blocked the request"
DOS_MARKER = 'class="rc-doscaptcha-body"'  # the substring scholarly itself tests

# scholarly is one object per process and this module patches it: one search at a time.
_LOCK = threading.Lock()


class _Abort(BaseException):
    """Ends the worker from inside scholarly.

    A ``BaseException`` on purpose: scholarly's fetch loop catches ``Exception``
    and retries, which would swallow a budget stop or a captcha.
    """

    def __init__(self, error: SourceError) -> None:
        super().__init__(str(error))
        self.error = error


class _TimeShim:
    """Stands in for the ``time`` module inside scholarly; only ``sleep`` differs."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self.sleep = sleep

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class _HttpxShim:
    """Stands in for ``httpx`` inside scholarly; only ``Client`` differs."""

    def __init__(self, client: Callable[..., httpx.Client]) -> None:
        self.Client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(httpx, name)


class _SharedTransport(httpx.BaseTransport):
    """``ctx.transport`` for scholarly's sessions; scholarly closes a session at every retry."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self.transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport.handle_request(request)

    def close(self) -> None:
        pass  # the context owns it


def _chained(error: SourceError, cause: BaseException) -> SourceError:
    error.__cause__ = cause
    error.__suppress_context__ = True
    return error


class ScholarSource:
    """Publication search on Google Scholar; one ``Page`` per Scholar page."""

    name: ClassVar[str] = NAME

    def __init__(self, ctx: SourceContext, *, max_pages: int = 20) -> None:
        self.ctx = ctx
        self.max_pages = max_pages
        self.limiter = RateLimiter(ctx.settings.per_minute, clock=ctx.clock)
        self._requests = 0
        self._active: _Search | None = None

    @classmethod
    def from_context(cls, ctx: SourceContext) -> ScholarSource:
        if _IMPORT_ERROR is not None:
            raise NotConfigured(
                f"scholar: scholarly 1.7.11 cannot be imported ({_IMPORT_ERROR}); it needs bibtexparser<2",
                source=NAME,
            )
        try:
            max_pages = int(ctx.settings.options.get("max_pages", 20))
        except (TypeError, ValueError):
            max_pages = 0
        if max_pages < 1:
            raise NotConfigured("scholar: max_pages must be a positive integer", source=NAME)
        base_url = ctx.settings.base_url.rstrip("/")
        if base_url and base_url != HOST:
            log.warning("scholar: base_url %s is ignored; scholarly always talks to %s", base_url, HOST)
        return cls(ctx, max_pages=max_pages)

    @property
    def requests(self) -> int:
        return self._requests

    def close(self) -> None:
        if self._active is not None:
            self._active.stop.set()

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]:
        start = _start_from(cursor)
        if start // PAGE_ROWS >= self.max_pages:
            return
        run = _Search(self, query.text, since.year if since else None, start)
        thread = threading.Thread(target=run.work, name="scholar-search", daemon=True)
        self._active = run
        thread.start()
        pending: tuple[list[RawRecord], int] | None = None  # held until we know whether it is the last
        try:
            for kind, value in self._messages(run, thread):
                if kind == "page":
                    if pending is not None:
                        yield Page(pending[0], cursor=_cursor(pending[1]))
                    pending = value
                elif kind == "done":
                    yield Page(pending[0] if pending else [], cursor=None)
                    return
                else:
                    if pending is not None:
                        yield Page(pending[0], cursor=_cursor(pending[1]))
                    raise value
        finally:
            run.stop.set()
            if not run.abandoned:
                thread.join(JOIN_GRACE)
            if thread.is_alive():
                log.warning("scholar: a request is still running; scholarly is restored when it ends")
            self._active = None

    def _messages(self, run: _Search, thread: threading.Thread) -> Iterator[tuple[str, Any]]:
        """The worker's messages, ending with one "done" or "error"; never waits past the budget."""
        while True:
            remaining = run.remaining()
            if remaining <= 0:
                run.stop.set()
                thread.join(JOIN_GRACE)
                run.abandoned = True
                while True:  # what the worker managed to post before it stopped
                    try:
                        message = run.queue.get_nowait()
                    except queue.Empty:
                        break
                    yield message
                    if message[0] != "page":
                        return
                yield "error", BudgetExceeded(f"{NAME}: time budget used up", source=NAME)
                return
            try:
                message = run.queue.get(timeout=min(POLL, remaining))
            except queue.Empty:
                if not thread.is_alive() and run.queue.empty():
                    yield "error", SourceError(f"{NAME}: the search stopped without a result", source=NAME)
                    return
                continue
            yield message
            if message[0] != "page":
                return

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        item = raw.payload.get("item") or {}
        bib = item.get("bib") or {}
        title = " ".join(str(bib.get("title") or "").split())
        abstract = " ".join(str(bib.get("abstract") or "").split())
        pages = [u for u in (_absolute(item.get("pub_url")), _absolute(item.get("eprint_url"))) if u]
        dois = [d for u in pages for d in find_dois(unquote(u))] + find_dois(title) + find_dois(abstract)
        links = _dedupe(
            pages
            + find_links(title)
            + find_links(abstract)
            + _bare_urls(title)
            + _bare_urls(abstract)
            + [f"https://doi.org/{d}" for d in dois]
        )
        authors = bib.get("author") or []
        if isinstance(authors, str):  # filled publications carry "A and B"
            authors = authors.split(" and ")
        venue = bib.get("venue")
        return Candidate(
            source=raw.source,
            native_id=raw.native_id,
            url=raw.url,
            title=title,
            text=abstract,
            kind_hint="publication",
            links=links,
            doi=dois[0] if dois else None,
            authors=[a.strip() for a in authors if a and a.strip()],
            year=_year(bib.get("pub_year")),
            extra={
                "venue": None if venue in (None, "", "NA") else venue,
                "num_citations": item.get("num_citations", 0),
                "gsrank": item.get("gsrank"),
            },
        )


class _Search:
    """One search: the worker thread's side (scholarly patched, pages posted to a queue)."""

    def __init__(self, source: ScholarSource, text: str, year_low: int | None, start: int) -> None:
        self.source = source
        self.ctx = source.ctx
        self.text = text
        self.year_low = year_low
        self.start = start
        # Without a deadline scholarly could wait out a DOS captcha forever: fall back to the budget.
        budget_end = self.ctx.clock() + self.ctx.settings.budget_seconds
        self.deadline = budget_end if self.ctx.deadline is None else self.ctx.deadline
        self.stop = threading.Event()
        self.abandoned = False  # the caller gave up waiting for this worker
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        self.blocked: str | None = None  # why Scholar refused the last response, if it did
        self.last_failure: str | None = None

    def remaining(self) -> float:
        return self.deadline - self.ctx.clock()

    # -- the worker ---------------------------------------------------------

    def work(self) -> None:
        outcome: tuple[str, Any] = ("done", None)
        try:
            with self._patched_scholarly():
                self._iterate()
        except _Abort as abort:
            outcome = ("error", abort.error)
        except SourceError as exc:
            outcome = ("error", exc)
        except MaxTriesExceededException as exc:
            outcome = ("error", _chained(self._gave_up(), exc))
        except DOSException as exc:
            outcome = ("error", _chained(RateLimited(f"{BLOCKED} (DOS captcha)", source=NAME), exc))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            message = f"{NAME}: the result page is not in the shape scholarly 1.7.11 parses ({exc!r})"
            outcome = ("error", _chained(MalformedResponse(message, source=NAME), exc))
        except Exception as exc:  # the library boundary: nothing else may escape the thread
            outcome = ("error", _chained(SourceError(f"{NAME}: scholarly failed: {exc!r}", source=NAME), exc))
        self._post(outcome, final=True)

    def _iterate(self) -> None:
        pubs = _scholarly.search_pubs(self.text, year_low=self.year_low, start_index=self.start)
        start = self.start
        rows: list[Mapping[str, Any]] = []
        while True:
            # Rows of the page already fetched (scholarly 1.7.11 internals): taking exactly
            # these never triggers the fetch of the next page.
            rows += [next(pubs) for _ in range(len(pubs._rows) - pubs._pos)]
            start += PAGE_ROWS
            self._post(("page", ([publication_record(row) for row in rows], start)))
            if start // PAGE_ROWS >= self.source.max_pages:
                return
            try:
                rows = [next(pubs)]  # fetches the next page, if the page links one
            except StopIteration:
                return

    def _post(self, message: tuple[str, Any], *, final: bool = False) -> None:
        while True:
            try:
                self.queue.put(message, timeout=POLL)
                return
            except queue.Full:
                if self.stop.is_set():
                    if final:
                        return
                    raise _Abort(BudgetExceeded(f"{NAME}: search stopped", source=NAME)) from None

    def _gave_up(self) -> SourceError:
        if self.blocked:
            return RateLimited(f"{BLOCKED} ({self.blocked}) on every try", source=NAME)
        return TransientError(
            f"{NAME}: Google Scholar could not be fetched (last: {self.last_failure or 'no response'})",
            source=NAME,
        )

    # -- what scholarly calls while patched -----------------------------------

    def sleep(self, seconds: float) -> None:
        if self.stop.is_set():
            raise _Abort(BudgetExceeded(f"{NAME}: search stopped", source=NAME))
        remaining = self.remaining()
        if seconds > remaining:
            if self.blocked:
                raise _Abort(RateLimited(
                    f"{BLOCKED} ({self.blocked}); waiting {seconds:.0f}s more would pass the time budget",
                    source=NAME,
                    wait=seconds,
                ))
            raise _Abort(BudgetExceeded(
                f"{NAME}: waiting {seconds:.0f}s would pass the time budget", source=NAME
            ))
        if seconds <= 0:
            return
        if self.ctx.sleep is time.sleep:  # real time: wait so that close() / the caller can cut it short
            if self.stop.wait(seconds):
                raise _Abort(BudgetExceeded(f"{NAME}: search stopped", source=NAME))
        else:
            self.ctx.sleep(seconds)

    def _captcha(self, *args: Any, **kwargs: Any) -> Any:
        raise _Abort(RateLimited(f"{BLOCKED} (captcha)", source=NAME))

    def _client(self, **kwargs: Any) -> httpx.Client:
        kwargs["event_hooks"] = {"request": [self._on_request], "response": [self._on_response]}
        if self.ctx.transport is not None:
            kwargs.setdefault("transport", _SharedTransport(self.ctx.transport))
        return httpx.Client(**kwargs)

    def _on_request(self, request: httpx.Request) -> None:
        if self.stop.is_set():
            raise _Abort(BudgetExceeded(f"{NAME}: search stopped", source=NAME))
        self.source.limiter.acquire()
        self.source._requests += 1
        self.last_failure = "no response: timed out or connection failed"

    def _on_response(self, response: httpx.Response) -> None:
        response.read()
        status = response.status_code
        if DOS_MARKER in response.text:
            self.blocked = "DOS captcha"
        elif status in (403, 429):
            self.blocked = f"HTTP {status}"
        elif status == 200:
            self.blocked = None
        self.last_failure = None if status == 200 else f"HTTP {status}"

    @contextmanager
    def _patched_scholarly(self) -> Iterator[None]:
        if not _LOCK.acquire(timeout=max(0.0, self.remaining())):
            raise BudgetExceeded(f"{NAME}: another Scholar search still holds scholarly", source=NAME)
        nav = Navigator()
        managers = (nav.pm1, nav.pm2)
        saved_modules = (_navigator.time, _proxy_generator.time, _proxy_generator.httpx)
        saved_nav = (nav._TIMEOUT, nav._max_retries)
        self.source.limiter.sleep = self.sleep
        try:
            shim = _TimeShim(self.sleep)
            _navigator.time = shim
            _proxy_generator.time = shim
            _proxy_generator.httpx = _HttpxShim(self._client)
            for manager in managers:  # never look for Chrome/Firefox: a captcha ends the search
                manager._handle_captcha2 = self._captcha
                manager._get_webdriver = self._captcha
            nav._TIMEOUT = self.ctx.settings.timeout
            nav._max_retries = self.ctx.settings.max_retries + 1
            nav.__dict__.pop("publib", None)  # a stale template from an earlier search
            nav._new_session(premium=True)  # fresh sessions with our hooks; also clears got_403
            nav._new_session(premium=False)
            yield
        finally:
            _navigator.time, _proxy_generator.time, _proxy_generator.httpx = saved_modules
            for manager in managers:
                manager.__dict__.pop("_handle_captcha2", None)
                manager.__dict__.pop("_get_webdriver", None)
            nav._TIMEOUT, nav._max_retries = saved_nav
            try:
                nav._new_session(premium=True)  # drop the hooked sessions
                nav._new_session(premium=False)
            except Exception:
                log.debug("scholar: could not renew scholarly's sessions", exc_info=True)
            _LOCK.release()


# -- records and parsing (pure) ----------------------------------------------------

_CLUSTER_ID = re.compile(r"info[:=]([\w-]+)")
# Resource links written without a scheme ("code: github.com/org/repo"); crawler.links finds the rest.
_BARE_URL = re.compile(
    r"(?<![\w./@-])(?:www\.)?(?:github\.com|gitlab\.com|zenodo\.org|kaggle\.com|huggingface\.co"
    r"|figshare\.com|osf\.io|physionet\.org)/[^\s<>\"'\u2026]+",
    re.IGNORECASE,
)


def publication_record(pub: Mapping[str, Any]) -> RawRecord:
    """The RawRecord for one scholarly Publication (a search-result row)."""
    item = _jsonable(dict(pub))
    bib = item.get("bib") or {}
    native_id = cluster_id(item)
    year = bib.get("pub_year")
    info = quote(f"info:{native_id}:scholar.google.com/", safe=":/")
    url = _absolute(item.get("pub_url")) or f"{HOST}/scholar?q={info}"
    return RawRecord(
        source=NAME,
        native_id=native_id,
        url=url,
        payload={"item": item},
        updated_at=str(year) if year and year != "NA" else None,
    )


def cluster_id(item: Mapping[str, Any]) -> str:
    """Scholar's cluster id (``data-cid``), else a hash of title and year."""
    for key in ("url_scholarbib", "url_add_sclib"):
        match = _CLUSTER_ID.search(str(item.get(key) or ""))
        if match:
            return match.group(1)
    bib = item.get("bib") or {}
    basis = f"{str(bib.get('title') or '').strip().lower()}|{bib.get('pub_year') or ''}"
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:20]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def _start_from(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        start = int(json.loads(cursor)["start"])
    except (ValueError, TypeError, KeyError) as exc:
        raise SourceError(f"{NAME}: cannot resume from cursor {cursor!r}", source=NAME) from exc
    if start < 0:
        raise SourceError(f"{NAME}: cannot resume from cursor {cursor!r}", source=NAME)
    return start


def _cursor(start: int) -> str:
    return json.dumps({"start": start})


def _year(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def _absolute(url: Any) -> str | None:
    if not url:
        return None
    url = str(url)
    return HOST + url if url.startswith("/") else url


def _bare_urls(text: str) -> list[str]:
    return [f"https://{clean_url(m.group(0))}" for m in _BARE_URL.finditer(text)]


def _dedupe(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))
