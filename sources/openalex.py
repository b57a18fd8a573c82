"""OpenAlex: the works search API (``GET {base_url}/works``).

Owns the OpenAlex client: ``search=<query>`` with cursor paging (``cursor=*``,
then ``meta.next_cursor``) until the cursor is null, a page is empty, or a page
is shorter than ``per-page`` (OpenAlex has nothing after it, and a list call
costs credits). Works are complete in the list, so no follow-up request is made.

* ``per-page`` = ``page_size``, at most 200.
* Date window: ``filter=from_publication_date:D`` with D = ``since``. Without
  ``since`` no filter is sent, unless ``options.from_date`` sets a floor
  (e.g. "2022-01-01", where the paper's model search starts); with both, the
  later date wins. ``options.date_filter`` swaps the filter name (e.g.
  ``from_created_date``, which OpenAlex reserves for API-key holders); a work
  *published* before ``since`` but indexed after it is therefore missed by the
  default, by design of the public filters.
* Polite pool: ``options.mailto`` is sent as ``mailto=``. The optional secret
  ``OPENALEX_API_KEY`` is sent as ``api_key=`` (OpenAlex has required a key for
  more than test-sized daily usage since February 2026).
* 429s carry ``X-RateLimit-Reset`` = seconds until midnight UTC; the
  ``HttpClient`` waits that long (or stops at the budget).

Payload: ``{"item": <work verbatim>}``. ``native_id`` = the W-id,
``updated_at`` = ``updated_date``. The cursor is JSON ``{"cursor": next_cursor}``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar

from bs4 import BeautifulSoup

from crawler.errors import ConfigError, MalformedResponse
from crawler.models import Candidate, Page, Query, RawRecord
from sources.common import bare_doi
from sources.base import SourceContext
from sources.http import HttpClient

log = logging.getLogger(__name__)

MAX_PER_PAGE = 200
DEFAULT_DATE_FILTER = "from_publication_date"

_URL = re.compile(r"https?://[^\s<>\"'\])}]+")


class OpenAlexSource:
    """Searches OpenAlex works; see the module docstring."""

    name: ClassVar[str] = "openalex"

    def __init__(self, ctx: SourceContext, *, api_key: str | None = None) -> None:
        self.ctx = ctx
        options = ctx.settings.options
        self.per_page = max(1, min(ctx.settings.page_size, MAX_PER_PAGE))
        self.mailto = str(options.get("mailto") or "").strip() or None
        self.api_key = api_key
        self.date_filter = str(options.get("date_filter") or DEFAULT_DATE_FILTER)
        self.from_date = _parse_date(options.get("from_date"))
        self.base_url = (ctx.settings.base_url or "https://api.openalex.org").rstrip("/")
        self.http: HttpClient = ctx.http(base_url=self.base_url)
        if not api_key:
            log.info("openalex: no OPENALEX_API_KEY; anonymous use is limited to a small daily allowance")

    @classmethod
    def from_context(cls, ctx: SourceContext) -> OpenAlexSource:
        return cls(ctx, api_key=ctx.secrets.get("OPENALEX_API_KEY") or None)

    @property
    def requests(self) -> int:
        return self.http.requests

    def close(self) -> None:
        self.http.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]:
        next_cursor: str | None = _load_cursor(cursor)
        params = self._params(query, since)
        while next_cursor is not None:
            body = self._fetch(params, next_cursor)
            results = body["results"]
            records = [self._record(work) for work in results]
            next_cursor = body["meta"].get("next_cursor") or None
            if not results or len(results) < self.per_page:
                next_cursor = None
            yield Page(records=records, cursor=None if next_cursor is None else json.dumps({"cursor": next_cursor}))

    def _params(self, query: Query, since: date | None) -> dict[str, Any]:
        params: dict[str, Any] = {"search": " ".join(query.text.split()), "per-page": self.per_page}
        floor = max((d for d in (since, self.from_date) if d is not None), default=None)
        if floor is not None:
            params["filter"] = f"{self.date_filter}:{floor.isoformat()}"
        if self.mailto:
            params["mailto"] = self.mailto
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def _fetch(self, params: dict[str, Any], cursor: str) -> dict[str, Any]:
        body = self.http.get_json("/works", params={**params, "cursor": cursor})
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("results"), list)
            or not isinstance(body.get("meta"), dict)
        ):
            raise MalformedResponse("openalex: /works answered without meta and a results list", source=self.name)
        return body

    def _record(self, work: Any) -> RawRecord:
        native_id = work_id(work.get("id")) if isinstance(work, dict) else None
        if not native_id:
            raise MalformedResponse("openalex: a work has no W-id", source=self.name)
        location = work.get("primary_location") or {}
        url = work.get("doi") or location.get("landing_page_url") or f"https://openalex.org/{native_id}"
        updated_at = work.get("updated_date")
        known = self.ctx.known_version(native_id)
        return RawRecord(
            source=self.name,
            native_id=native_id,
            url=url,
            payload={"item": work},
            updated_at=updated_at,
            unchanged=updated_at is not None and known == updated_at,
        )

    # -- parse --------------------------------------------------------------------------------

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        return parse_work(raw)


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"sources.openalex.from_date must be YYYY-MM-DD, not {value!r}") from exc


def _load_cursor(cursor: str | None) -> str:
    if not cursor:
        return "*"
    try:
        value = json.loads(cursor)["cursor"]
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedResponse(f"openalex: cannot resume from cursor {cursor!r}", source="openalex") from exc
    if not isinstance(value, str) or not value:
        raise MalformedResponse(f"openalex: cannot resume from cursor {cursor!r}", source="openalex")
    return value


# -- pure helpers used by parse ---------------------------------------------------------------


def work_id(value: Any) -> str | None:
    """``W4396521101`` from ``https://openalex.org/W4396521101`` (or the bare id)."""
    if not isinstance(value, str):
        return None
    match = re.search(r"\b(W\d+)$", value.strip(), flags=re.IGNORECASE)
    return match.group(1).upper() if match else None


def abstract_from_index(index: Any) -> str:
    """Rebuild the abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not isinstance(index, dict):
        return ""
    placed = sorted(
        (position, word)
        for word, positions in index.items()
        for position in (positions or [])
        if isinstance(position, int)
    )
    text = " ".join(word for _, word in placed)
    if "<" in text and ">" in text:  # some abstracts carry JATS/HTML tags
        text = " ".join(BeautifulSoup(text, "html.parser").get_text(" ").split())
    return text


def _dedupe(urls: Iterable[Any]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for url in urls:
        if isinstance(url, str) and url and url not in seen:
            seen.add(url)
            out.append(url)
    return out


def _keyword(entry: Any) -> str | None:
    if isinstance(entry, dict):
        return entry.get("display_name") or entry.get("keyword")
    return entry if isinstance(entry, str) else None


def parse_work(raw: RawRecord) -> Candidate:
    """Pure: a staged OpenAlex work to a ``Candidate``."""
    work: dict[str, Any] = raw.payload.get("item") or {}
    primary = work.get("primary_location") or {}
    best = work.get("best_oa_location") or {}
    open_access = work.get("open_access") or {}
    source = primary.get("source") or {}
    abstract = abstract_from_index(work.get("abstract_inverted_index"))
    doi = bare_doi(work.get("doi"))
    is_oa = open_access.get("is_oa")
    year = work.get("publication_year")
    extra = {
        key: value
        for key, value in {
            "venue": source.get("display_name"),
            "cited_by_count": work.get("cited_by_count"),
            "oa_status": open_access.get("oa_status"),
            "publication_date": work.get("publication_date"),
            "openalex_id": work.get("id"),
        }.items()
        if value is not None
    }
    return Candidate(
        source=raw.source,
        native_id=raw.native_id,
        url=raw.url,
        title=str(work.get("title") or work.get("display_name") or ""),
        text=abstract,
        kind_hint=work.get("type"),
        links=_dedupe(
            [
                f"https://doi.org/{doi}" if doi else None,
                primary.get("landing_page_url"),
                primary.get("pdf_url"),
                open_access.get("oa_url"),
                best.get("landing_page_url"),
                best.get("pdf_url"),
                *(url.rstrip(".,;:!?") for url in _URL.findall(abstract)),
            ]
        ),
        doi=doi,
        licence=primary.get("license") or best.get("license"),
        access=None if is_oa is None else ("open" if is_oa else "closed"),
        keywords=[k for k in (_keyword(e) for e in work.get("keywords") or []) if k],
        authors=[
            str(a["author"]["display_name"])
            for a in work.get("authorships") or []
            if isinstance(a, dict) and isinstance(a.get("author"), dict) and a["author"].get("display_name")
        ],
        created=work.get("created_date"),
        updated=work.get("updated_date"),
        year=year if isinstance(year, int) else None,
        extra=extra,
    )
