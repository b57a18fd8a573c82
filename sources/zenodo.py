"""Zenodo: the records search API (``GET {base_url}/api/records``).

Owns the Zenodo client: one search per resource type (dataset, software,
model, publication) for every query, paged with ``page``/``size`` until
``links.next`` disappears, a page comes back empty, or the 10,000-hit deep
paging limit would be passed. Search hits are full records, so no follow-up
request is ever made.

* Auth is optional: ``ZENODO_TOKEN`` is sent as ``Authorization: Bearer``; it
  also lifts the page-size cap from 25 (anonymous) to 100. A larger
  ``page_size`` is clamped, because Zenodo answers 400 "Page size cannot be
  greater than 25" instead of clamping itself.
* ``since``: ``q`` gets ``(created:[D TO *] OR updated:[D TO *])``. ``created``
  is a field Zenodo maps explicitly; ``updated`` (a superset: every record
  created after D was also updated after D) passes through to the index
  unmapped and its live behaviour is unconfirmed, so the OR keeps new records
  even if ``updated`` were to match nothing.
* Multi-word query texts are sent as one quoted phrase; a text that already
  uses query syntax (quotes, ``field:``, AND/OR/NOT) is sent as written.
* ``base_url`` is configurable (sandbox: https://sandbox.zenodo.org); so are the
  resource types (``options.resource_types``, lower-case Zenodo ids).

Payload: ``{"item": <record verbatim>}``. ``updated_at`` = the record's
``updated`` (or ``modified``). The cursor is JSON ``{"type": i, "page": n}``:
resource-type index and the 1-based page to fetch next.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar

from bs4 import BeautifulSoup

from crawler.errors import MalformedResponse
from crawler.models import Candidate, FileInfo, Page, Query, RawRecord
from sources.common import bare_doi
from sources.base import SourceContext
from sources.http import HttpClient

log = logging.getLogger(__name__)

RESOURCE_TYPES: tuple[str, ...] = ("dataset", "software", "model", "publication")
ANONYMOUS_MAX_SIZE = 25
AUTHENTICATED_MAX_SIZE = 100
MAX_RESULTS = 10_000  # Zenodo refuses page * size beyond this ("Invalid pagination parameters")
SORT = "mostrecent"

_URL = re.compile(r"https?://[^\s<>\"'\])}]+")
_QUERY_SYNTAX = re.compile(r"[\":()\[\]]|\b(AND|OR|NOT)\b")
_BLOCK_TAGS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr")


class ZenodoSource:
    """Searches Zenodo records; see the module docstring."""

    name: ClassVar[str] = "zenodo"

    def __init__(self, ctx: SourceContext, *, token: str | None = None) -> None:
        self.ctx = ctx
        self.token = token
        cap = AUTHENTICATED_MAX_SIZE if token else ANONYMOUS_MAX_SIZE
        self.page_size = max(1, min(ctx.settings.page_size, cap))
        types = ctx.settings.options.get("resource_types", RESOURCE_TYPES)
        if isinstance(types, str):
            types = types.split(",")
        self.resource_types: tuple[str, ...] = tuple(t.strip().lower() for t in types if t.strip())
        self.base_url = (ctx.settings.base_url or "https://zenodo.org").rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else None
        self.http: HttpClient = ctx.http(base_url=self.base_url, headers=headers)

    @classmethod
    def from_context(cls, ctx: SourceContext) -> ZenodoSource:
        return cls(ctx, token=ctx.secrets.get("ZENODO_TOKEN") or None)

    @property
    def requests(self) -> int:
        return self.http.requests

    def close(self) -> None:
        self.http.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]:
        type_index, page = _load_cursor(cursor)
        q = build_q(query.text, since)
        # A full crawl searches each resource type on its own (deep result sets
        # stay under the 10,000-hit paging limit); an incremental window is
        # small, so one search over all types, filtered here, costs one request.
        searches: tuple[str | None, ...] = self.resource_types if since is None else (None,)
        while type_index < len(searches):
            resource_type = searches[type_index]
            body = self._fetch(q, resource_type, page)
            hits = body["hits"]["hits"]
            records = [self._record(hit) for hit in hits if resource_type or self._wanted(hit)]
            if self._has_next(body, page, len(hits)):
                type_index, page = type_index, page + 1
            else:
                type_index, page = type_index + 1, 1
            next_cursor = None if type_index >= len(searches) else _dump_cursor(type_index, page)
            yield Page(records=records, cursor=next_cursor)

    def _wanted(self, hit: Any) -> bool:
        metadata = hit.get("metadata") if isinstance(hit, dict) else None
        resource_type = (metadata or {}).get("resource_type") or {}
        return str(resource_type.get("type") or "").lower() in self.resource_types

    def _fetch(self, q: str, resource_type: str | None, page: int) -> dict[str, Any]:
        params: dict[str, Any] = {"q": q, "sort": SORT, "size": self.page_size, "page": page}
        if resource_type:
            params["type"] = resource_type
        body = self.http.get_json("/api/records", params=params)
        hits = body.get("hits") if isinstance(body, dict) else None
        if not isinstance(hits, dict) or not isinstance(hits.get("hits"), list):
            raise MalformedResponse(
                f"zenodo: /api/records answered without a hits.hits list (type={resource_type}, page={page})",
                source=self.name,
            )
        return body

    def _has_next(self, body: dict[str, Any], page: int, count: int) -> bool:
        if count == 0:
            return False
        links = body.get("links")
        if isinstance(links, dict):
            more = bool(links.get("next"))
        else:  # no link set: fall back on the total
            total = body["hits"].get("total")
            more = isinstance(total, int) and page * self.page_size < total
        if more and (page + 1) * self.page_size > MAX_RESULTS:
            log.warning(
                "zenodo: stopping at page %s: Zenodo serves only the first %s hits of a search",
                page,
                MAX_RESULTS,
            )
            return False
        return more

    def _record(self, hit: Any) -> RawRecord:
        if not isinstance(hit, dict) or hit.get("id") is None:
            raise MalformedResponse("zenodo: a search hit has no id", source=self.name)
        native_id = str(hit["id"])
        links = hit.get("links") if isinstance(hit.get("links"), dict) else {}
        url = links.get("self_html") or f"{self.base_url}/records/{native_id}"
        updated_at = hit.get("updated") or hit.get("modified")
        known = self.ctx.known_version(native_id)
        return RawRecord(
            source=self.name,
            native_id=native_id,
            url=url,
            payload={"item": hit},
            updated_at=updated_at,
            unchanged=updated_at is not None and known == updated_at,
        )

    # -- parse --------------------------------------------------------------------------------

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        return parse_record(raw)


def build_q(text: str, since: date | None) -> str:
    """The ``q`` parameter: the query text, plus a date range when ``since`` is given."""
    text = " ".join(text.split())
    if _QUERY_SYNTAX.search(text) or " " not in text:
        terms = text
    else:
        terms = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if since is None:
        return terms
    day = since.isoformat()
    window = f"(created:[{day} TO *] OR updated:[{day} TO *])"
    return f"({terms}) AND {window}" if terms else window


def _load_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 1
    try:
        data = json.loads(cursor)
        return int(data["type"]), max(1, int(data["page"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedResponse(f"zenodo: cannot resume from cursor {cursor!r}", source="zenodo") from exc


def _dump_cursor(type_index: int, page: int) -> str:
    return json.dumps({"type": type_index, "page": page})


# -- pure helpers used by parse ---------------------------------------------------------------


def html_to_text(html: str) -> str:
    """Sanitised description HTML to plain text, one paragraph per line."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.append("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)


def html_links(html: str) -> list[str]:
    """Every URL in an HTML fragment: ``href`` targets first, then URLs in the text."""
    if not html:
        return []
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True) if str(a["href"]).startswith(("http://", "https://"))]
    return hrefs + text_urls(soup.get_text(" "))


def text_urls(text: str) -> list[str]:
    return [url.rstrip(".,;:!?") for url in _URL.findall(text or "")]


def dedupe(urls: Iterable[str | None]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for url in urls:
        if url and url not in seen:
            seen.add(url)
            out.append(url)
    return out


def _related_url(related: Any) -> str | None:
    if not isinstance(related, dict):
        return None
    identifier = related.get("identifier")
    if not isinstance(identifier, str) or not identifier:
        return None
    scheme = str(related.get("scheme") or "").lower()
    if scheme == "doi" or (not scheme and bare_doi(identifier) and not identifier.startswith("http")):
        doi = bare_doi(identifier)
        return f"https://doi.org/{doi}" if doi else None
    if scheme == "arxiv":
        return f"https://arxiv.org/abs/{identifier.removeprefix('arXiv:')}"
    if identifier.startswith(("http://", "https://")):
        return identifier
    return None


def _licence(metadata: dict[str, Any]) -> str | None:
    licence = metadata.get("license")
    if isinstance(licence, dict):
        return licence.get("id") or licence.get("identifier") or None
    return licence or None


def _year(value: Any) -> int | None:
    if isinstance(value, str) and re.match(r"\d{4}", value):
        return int(value[:4])
    return None


def _files(record: dict[str, Any]) -> list[FileInfo]:
    files = []
    for entry in record.get("files") or []:
        if not isinstance(entry, dict):
            continue
        name = entry.get("key") or entry.get("filename")
        if not name:
            continue
        links = entry.get("links") if isinstance(entry.get("links"), dict) else {}
        size = entry.get("size", entry.get("filesize"))
        files.append(
            FileInfo(
                name=str(name),
                size=int(size) if isinstance(size, (int, float)) else None,
                url=links.get("self") or links.get("download"),
            )
        )
    return files


def parse_record(raw: RawRecord) -> Candidate:
    """Pure: a staged Zenodo record to a ``Candidate``."""
    record: dict[str, Any] = raw.payload.get("item") or {}
    metadata: dict[str, Any] = record.get("metadata") or {}
    links: dict[str, Any] = record.get("links") or {}
    description = metadata.get("description") or ""
    resource_type = metadata.get("resource_type") or {}
    doi = bare_doi(record.get("doi") or metadata.get("doi"))
    concept_doi = bare_doi(record.get("conceptdoi") or metadata.get("conceptdoi"))
    stats = record.get("stats") or {}
    extra = {
        key: value
        for key, value in {
            "resource_subtype": resource_type.get("subtype"),
            "concept_recid": record.get("conceptrecid"),
            "downloads": stats.get("downloads"),
            "views": stats.get("views"),
            "embargo_date": metadata.get("embargo_date"),
        }.items()
        if value is not None
    }
    return Candidate(
        source=raw.source,
        native_id=raw.native_id,
        url=raw.url,
        title=str(metadata.get("title") or record.get("title") or ""),
        text=html_to_text(description),
        kind_hint=resource_type.get("type"),
        links=dedupe(
            [
                links.get("self_html"),
                record.get("doi_url") or (f"https://doi.org/{doi}" if doi else None),
                f"https://doi.org/{concept_doi}" if concept_doi else None,
                *(_related_url(r) for r in metadata.get("related_identifiers") or []),
                *html_links(description),
            ]
        ),
        doi=doi,
        concept_doi=concept_doi,
        licence=_licence(metadata),
        access=metadata.get("access_right"),
        keywords=[str(k) for k in metadata.get("keywords") or []],
        authors=[str(c["name"]) for c in metadata.get("creators") or [] if isinstance(c, dict) and c.get("name")],
        created=record.get("created"),
        updated=record.get("updated") or record.get("modified"),
        year=_year(metadata.get("publication_date")),
        version=metadata.get("version"),
        files=_files(record),
        extra=extra,
    )
