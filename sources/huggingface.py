"""Hugging Face Hub datasets and models, newest change first, with their cards.

This module owns:

* ``GET {base}/api/datasets`` and ``GET {base}/api/models`` with ``search``,
  ``sort=lastModified``, ``direction=-1``, ``limit`` and ``full=true`` (files as
  ``siblings``, ``cardData``; models also need ``cardData=true``), paged by the
  ``Link: <...&cursor=...>; rel="next"`` header. The Hub has no "since" filter:
  paging stops at the first item whose ``lastModified`` is older than the cut-off;
* the card (``README.md``) of a new or changed repo: ``{base}/datasets/{id}/raw/main/README.md``
  or ``{base}/{id}/raw/main/README.md``; a missing card (404, or not among the
  listed files) or one behind a gate or private (401/403) is "no card", not an error;
* an optional ``HF_TOKEN`` sent as ``Authorization: Bearer``. Rate limiting (429 with
  ``RateLimit: "api";r=0;t=SECONDS``) is handled by ``HttpClient``.

Payload of each ``RawRecord``::

    {"type": "dataset" | "model", "item": <list item verbatim>, "card": <README text | None>}

``native_id`` is ``dataset:owner/name`` or ``model:owner/name``; ``updated_at`` is
the item's ``lastModified``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote

from crawler.errors import InputError, MalformedResponse, SourceError
from crawler.models import Candidate, FileInfo, Page, Query, RawRecord
from sources.common import compact as _compact, day as _day, older as _older, status_of as _status, unique as _unique, urls_in
from sources.base import SourceContext
from sources.http import HttpClient

log = logging.getLogger(__name__)

SITE = "https://huggingface.co"
LIST_PATHS = {"dataset": "/api/datasets", "model": "/api/models"}
NO_CARD_STATUSES = (401, 403, 404)
WEIGHT_SUFFIXES = (
    ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".keras", ".onnx", ".gguf", ".tflite", ".pb", ".msgpack",
)
TAG_NOISE = ("license:", "region:", "doi:", "arxiv:")

_HF_DOI = re.compile(r"\b10\.57967/hf/[^\s\"'<>)\]]+", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class HuggingFaceSource:
    name: ClassVar[str] = "huggingface"

    def __init__(self, ctx: SourceContext, http: HttpClient) -> None:
        self._ctx = ctx
        self._http = http
        self._page_size = ctx.settings.page_size

    @classmethod
    def from_context(cls, ctx: SourceContext) -> HuggingFaceSource:
        token = ctx.secrets.get("HF_TOKEN", "").strip()
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return cls(ctx, ctx.http(headers=headers))

    @property
    def requests(self) -> int:
        return self._http.requests

    def close(self) -> None:
        self._http.close()

    # -- search -------------------------------------------------------------------

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]:
        kinds = ["dataset", "model"] if query.kind == "any" else [query.kind]
        state = _decode_cursor(cursor, kinds)
        for index in range(kinds.index(state["kind"]), len(kinds)):
            kind = kinds[index]
            following = {"kind": kinds[index + 1]} if index + 1 < len(kinds) else None
            for records, next_url in self._pages(kind, query.text, since, state.get("url")):
                resume = {"kind": kind, "url": _below(next_url, self._ctx.settings.base_url)} if next_url else following
                yield Page(records=records, cursor=json.dumps(resume, sort_keys=True) if resume else None)
            state = following or {}

    def _pages(
        self, kind: str, text: str, since: date | None, url: str | None
    ) -> Iterator[tuple[list[RawRecord], str | None]]:
        while True:
            if url is None:
                params = {
                    "search": text,
                    "sort": "lastModified",
                    "direction": "-1",
                    "limit": str(self._page_size),
                    "full": "true",
                }
                if kind == "model":
                    params["cardData"] = "true"
                response = self._http.get(LIST_PATHS[kind], params=params)
            else:
                response = self._http.get(url)
            items = self._http.json(response)
            if not isinstance(items, list) or not all(
                isinstance(i, dict) and isinstance(i.get("id"), str) for i in items
            ):
                raise MalformedResponse(
                    f"huggingface: {response.request.url} did not return a list of repos", source=self.name
                )
            url = response.links.get("next", {}).get("url") or None
            records = []
            for item in items:
                if _older(item.get("lastModified"), since):
                    url = None
                    break
                records.append(self._record(kind, item))
            log.debug("huggingface: %s %r: %d records", kind, text, len(records))
            yield records, url
            if url is None:
                return

    def _record(self, kind: str, item: dict[str, Any]) -> RawRecord:
        repo_id = item["id"]
        native_id = f"{kind}:{repo_id}"
        url = f"{SITE}/datasets/{repo_id}" if kind == "dataset" else f"{SITE}/{repo_id}"
        updated = item.get("lastModified") or None
        if updated is not None and self._ctx.known_version(native_id) == updated:
            payload = {"type": kind, "item": item, "card": None}
            return RawRecord(self.name, native_id, url, payload, updated_at=updated, unchanged=True)
        payload = {"type": kind, "item": item, "card": self._card(kind, item)}
        return RawRecord(self.name, native_id, url, payload, updated_at=updated)

    def _card(self, kind: str, item: dict[str, Any]) -> str | None:
        siblings = item.get("siblings")
        if isinstance(siblings, list) and not any(
            isinstance(s, dict) and s.get("rfilename") == "README.md" for s in siblings
        ):
            return None  # the listing says there is no card: don't ask
        prefix = "/datasets" if kind == "dataset" else ""
        path = f"{prefix}/{item['id']}/raw/main/README.md"
        try:
            response = self._http.get(path, headers={"Accept": "text/markdown, text/plain, */*"})
        except SourceError as exc:
            if type(exc) is SourceError and _status(exc) in NO_CARD_STATUSES:
                log.info("huggingface: no card for %s %s (%s)", kind, item["id"], exc)
                return None
            raise
        return response.text

    # -- parse --------------------------------------------------------------------

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        payload = raw.payload
        item: dict[str, Any] = payload.get("item") or {}
        kind = payload.get("type") or raw.native_id.partition(":")[0]
        front, body = split_front_matter(payload.get("card") or "")
        card_data = item.get("cardData") if isinstance(item.get("cardData"), dict) else {}
        tags = [t for t in item.get("tags") or [] if isinstance(t, str)]
        description = item.get("description") if isinstance(item.get("description"), str) else ""
        siblings = [s for s in item.get("siblings") or [] if isinstance(s, dict) and s.get("rfilename")]
        files = [
            FileInfo(name=s["rfilename"], size=s.get("size"), url=f"{raw.url}/resolve/main/{quote(s['rfilename'])}")
            for s in siblings
        ]
        arxiv = [f"https://arxiv.org/abs/{t.partition(':')[2]}" for t in tags if t.startswith("arxiv:")]
        created = item.get("createdAt") or None
        created_day = _day(created)
        return Candidate(
            source=raw.source,
            native_id=raw.native_id,
            url=raw.url,
            title=item.get("id") or raw.native_id.partition(":")[2],
            text=body.strip() or description,
            kind_hint=kind,
            links=_with_extra(urls_in([front, body, description], exclude=[raw.url]), arxiv),
            doi=_doi(item, tags, card_data, front, body),
            licence=_licence(tags, card_data, front),
            access=_access(item),
            keywords=_unique(t for t in tags if not t.startswith(TAG_NOISE)),
            authors=_unique([item.get("author") or str(item.get("id", "")).partition("/")[0]]),
            created=created,
            updated=item.get("lastModified") or None,
            year=created_day.year if created_day else None,
            files=files,
            extra=_compact(
                {
                    "downloads": item.get("downloads"),
                    "likes": item.get("likes"),
                    "pipeline_tag": item.get("pipeline_tag"),
                    "library_name": item.get("library_name") or card_data.get("library_name"),
                    "gated": item.get("gated") or None,
                    "pretty_name": card_data.get("pretty_name"),
                    "weight_files": [f.name for f in files if f.name.lower().endswith(WEIGHT_SUFFIXES)],
                }
            ),
        )


# -- helpers (pure) ---------------------------------------------------------------


def split_front_matter(card: str) -> tuple[str, str]:
    """``(yaml_front_matter, markdown_body)`` of a model or dataset card."""
    match = _FRONT_MATTER.match(card)
    if not match:
        return "", card
    return match.group(1) or "", card[match.end():]


def _front_value(front: str, key: str) -> str | None:
    """A top-level scalar (or the first item of a top-level list) from YAML front matter."""
    match = re.search(rf"^{re.escape(key)}:[ \t]*(.*)$", front, re.MULTILINE)
    if not match:
        return None
    value = match.group(1).split(" #")[0].strip().strip("'\"")
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1].split(",")[0].strip().strip("'\"")
    if not value:
        item = re.match(r"\r?\n[ \t]*-[ \t]*([^\r\n#]+)", front[match.end():])
        value = item.group(1).strip().strip("'\"") if item else ""
    return value or None


def _decode_cursor(cursor: str | None, kinds: list[str]) -> dict[str, Any]:
    if not cursor:
        return {"kind": kinds[0]}
    try:
        state = json.loads(cursor)
    except ValueError as exc:
        raise InputError(f"huggingface: cursor {cursor!r} is not one this source wrote") from exc
    if not isinstance(state, dict) or state.get("kind") not in kinds:
        raise InputError(f"huggingface: cursor {cursor!r} does not fit a {'/'.join(kinds)} query")
    return state












def _licence(tags: list[str], card_data: dict[str, Any], front: str) -> str | None:
    for tag in tags:
        if tag.startswith("license:"):
            return tag.partition(":")[2] or None
    value = card_data.get("license")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v), None)
    if isinstance(value, str) and value:
        return value
    return _front_value(front, "license")


def _doi(item: dict[str, Any], tags: list[str], card_data: dict[str, Any], front: str, body: str) -> str | None:
    candidates: list[Any] = [t.partition(":")[2] for t in tags if t.startswith("doi:")]
    own = item.get("doi")
    candidates.append(own.get("id") if isinstance(own, dict) else own)
    candidates += [card_data.get("doi"), _front_value(front, "doi")]
    match = _HF_DOI.search(body)  # only a DOI the Hub minted is this repo's own
    candidates.append(match.group(0) if match else None)
    for value in candidates:
        if isinstance(value, str) and value.strip():
            doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.IGNORECASE)
            return doi.rstrip(".,;:").lower()
    return None


def _access(item: dict[str, Any]) -> str:
    if item.get("gated"):  # false | "auto" | "manual"
        return "gated"
    if item.get("private") or item.get("disabled"):
        return "restricted"
    return "open"




def _below(url: str, base: str) -> str:
    """``url`` relative to ``base`` when under it: a cursor must survive a moved host."""
    base = base.rstrip("/")
    return url[len(base):] if base and url.startswith(base + "/") else url


def _with_extra(found: list[str], extra: list[str]) -> list[str]:
    return found + [url for url in extra if url not in found]
