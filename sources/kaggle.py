"""Kaggle datasets and models, spoken in the RPC dialect of the current official client.

kaggle 2.2.5 / kagglesdk 0.1.38 send every call as ``POST {base}/v1/{service}/{method}``
with a camelCase JSON body (enums as full names). This module owns:

* ``ListDatasets``, sorted by update time, 1-based ``page``; Kaggle serves at most
  10,000 hits a query (pages past 500 x 20 come back empty);
* ``GetDatasetMetadata`` for the markdown description of a new or changed dataset
  (list items carry an empty one);
* ``ListModels``, sorted by update time, ``pageToken`` paging, and ``GetModel`` only
  when a new or changed model is listed without a description;
* authentication as ``crawler.config.load_secrets`` found it the kaggle CLI's way:
  ``KAGGLE_API_TOKEN`` as a Bearer token, else ``KAGGLE_USERNAME``/``KAGGLE_KEY`` as
  HTTP Basic. Without either the source is not configured.

Errors: besides HTTP statuses (handled by ``HttpClient``), a 200 JSON body with
``code >= 400`` (or ``{"error": {"code": ...}}``) is an error, as in kagglesdk.

Payload of each ``RawRecord``::

    {"type": "dataset" | "model",
     "item": <ApiDataset | ApiModel as listed>,
     "metadata": <DatasetInfo from GetDatasetMetadata | ApiModel from GetModel | None>}

``native_id`` is ``dataset:owner/slug`` or ``model:owner/slug``. Models carry no
update time in ``ApiModel``; their version marker is ``updateTime`` when present,
else ``publishTime``, and a ``since`` cut-off is only applied on ``updateTime``
(cutting on publish time would drop recently updated old models' neighbours).
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, ClassVar

from crawler.errors import (
    InputError,
    MalformedResponse,
    NotConfigured,
    RateLimited,
    SourceError,
    TransientError,
)
from crawler.models import Candidate, FileInfo, Page, Query, RawRecord
from sources.common import compact as _compact, day as _day, older as _older, status_of as _status, urls_in
from sources.common import unique
from sources.base import SourceContext
from sources.http import HttpClient

log = logging.getLogger(__name__)

LIST_DATASETS = "/v1/datasets.DatasetApiService/ListDatasets"
GET_DATASET_METADATA = "/v1/datasets.DatasetApiService/GetDatasetMetadata"
LIST_MODELS = "/v1/models.ModelApiService/ListModels"
GET_MODEL = "/v1/models.ModelApiService/GetModel"
MAX_RESULTS = 10_000  # 500 pages of 20; later pages are empty
SITE = "https://www.kaggle.com"
NO_CREDENTIALS = (
    "kaggle: no credentials (set KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY, or ~/.kaggle/kaggle.json)"
)

_KAGGLE_DOI = re.compile(r"\b10\.34740/kaggle/[^\s\"'<>)\]]+", re.IGNORECASE)


def auth_headers(secrets: Mapping[str, str]) -> dict[str, str]:
    """The Authorization header the kaggle CLI would send, or ``NotConfigured``."""
    token = secrets.get("KAGGLE_API_TOKEN", "").strip()
    if token:
        return {"Authorization": f"Bearer {token}"}
    username, key = secrets.get("KAGGLE_USERNAME", "").strip(), secrets.get("KAGGLE_KEY", "").strip()
    if username and key:
        basic = base64.b64encode(f"{username}:{key}".encode()).decode("ascii")
        return {"Authorization": f"Basic {basic}"}
    raise NotConfigured(NO_CREDENTIALS, source=KaggleSource.name)


class KaggleSource:
    name: ClassVar[str] = "kaggle"

    def __init__(self, ctx: SourceContext, http: HttpClient) -> None:
        self._ctx = ctx
        self._http = http
        self._page_size = ctx.settings.page_size

    @classmethod
    def from_context(cls, ctx: SourceContext) -> KaggleSource:
        return cls(ctx, ctx.http(headers=auth_headers(ctx.secrets)))

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
            if kind == "dataset":
                pages = self._datasets(query.text, since, int(state.get("page", 1)))
            else:
                pages = self._models(query.text, since, str(state.get("token", "")))
            for records, next_state in pages:
                resume = next_state or following
                yield Page(records=records, cursor=json.dumps(resume, sort_keys=True) if resume else None)
            state = following or {}

    def _datasets(self, text: str, since: date | None, page: int) -> Iterator[tuple[list[RawRecord], dict | None]]:
        while True:
            body = {
                "sortBy": "DATASET_SORT_BY_UPDATED",
                "tagIds": "",
                "search": text,
                "user": "",
                "page": page,
                "pageToken": "",
                "pageSize": self._page_size,
            }
            items = _items(self._call(LIST_DATASETS, body), "datasets")
            done = len(items) < self._page_size or page * self._page_size >= MAX_RESULTS
            records = []
            for item in items:
                if _older(item.get("lastUpdated"), since):
                    done = True
                    break
                records.append(self._dataset_record(item))
            log.debug("kaggle: datasets %r page %d: %d records", text, page, len(records))
            yield records, None if done else {"kind": "dataset", "page": page + 1}
            if done:
                return
            page += 1

    def _models(self, text: str, since: date | None, token: str) -> Iterator[tuple[list[RawRecord], dict | None]]:
        while True:
            body = {
                "search": text,
                "sortBy": "LIST_MODELS_ORDER_BY_UPDATE_TIME",
                "owner": "",
                "pageSize": self._page_size,
                "pageToken": token,
            }
            data = self._call(LIST_MODELS, body)
            items = _items(data, "models")
            token = str(data.get("nextPageToken") or "")
            done = not token or not items
            records = []
            for item in items:
                if _older(item.get("updateTime"), since):
                    done = True
                    break
                records.append(self._model_record(item))
            yield records, None if done else {"kind": "model", "token": token}
            if done:
                return

    def _dataset_record(self, item: dict[str, Any]) -> RawRecord:
        ref = item["ref"]
        native_id = f"dataset:{ref}"
        updated = item.get("lastUpdated") or None
        url = item.get("url") or f"{SITE}/datasets/{ref}"
        if updated is not None and self._ctx.known_version(native_id) == updated:
            payload = {"type": "dataset", "item": item, "metadata": None}
            return RawRecord(self.name, native_id, url, payload, updated_at=updated, unchanged=True)
        payload = {"type": "dataset", "item": item, "metadata": self._dataset_metadata(ref)}
        return RawRecord(self.name, native_id, url, payload, updated_at=updated)

    def _model_record(self, item: dict[str, Any]) -> RawRecord:
        ref = item["ref"]
        native_id = f"model:{ref}"
        updated = item.get("updateTime") or item.get("publishTime") or None
        url = item.get("url") or f"{SITE}/models/{ref}"
        if updated is not None and self._ctx.known_version(native_id) == updated:
            payload = {"type": "model", "item": item, "metadata": None}
            return RawRecord(self.name, native_id, url, payload, updated_at=updated, unchanged=True)
        metadata = None if item.get("description") else self._get_model(ref)
        payload = {"type": "model", "item": item, "metadata": metadata}
        return RawRecord(self.name, native_id, url, payload, updated_at=updated)

    def _dataset_metadata(self, ref: str) -> dict[str, Any] | None:
        owner, _, slug = ref.partition("/")
        data = self._optional_call(GET_DATASET_METADATA, {"ownerSlug": owner, "datasetSlug": slug})
        if data is None:
            return None
        if data.get("errorMessage"):
            log.info("kaggle: no metadata for %s: %s", ref, data["errorMessage"])
        info = data.get("info")
        return info if isinstance(info, dict) else None

    def _get_model(self, ref: str) -> dict[str, Any] | None:
        owner, _, slug = ref.partition("/")
        return self._optional_call(GET_MODEL, {"ownerSlug": owner, "modelSlug": slug})

    def _optional_call(self, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """A follow-up call whose 403/404 (deleted or private since listed) is not fatal."""
        try:
            return self._call(path, body)
        except SourceError as exc:
            if type(exc) is SourceError and _status(exc) in (403, 404):
                log.info("kaggle: %s", exc)
                return None
            raise

    def _call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = self._http.json(self._http.post(path, json=body))
        if not isinstance(data, dict):
            raise MalformedResponse(f"kaggle: {path} did not return a JSON object", source=self.name)
        _raise_for_body(path, data)
        return data

    # -- parse --------------------------------------------------------------------

    @staticmethod
    def parse(raw: RawRecord) -> Candidate:
        payload = raw.payload
        item = payload.get("item") or {}
        metadata = payload.get("metadata") or {}
        kind = payload.get("type") or raw.native_id.partition(":")[0]
        if kind == "model":
            return _parse_model(raw, item, metadata)
        return _parse_dataset(raw, item, metadata)


# -- helpers (pure) ---------------------------------------------------------------


def _decode_cursor(cursor: str | None, kinds: list[str]) -> dict[str, Any]:
    if not cursor:
        return {"kind": kinds[0]}
    try:
        state = json.loads(cursor)
    except ValueError as exc:
        raise InputError(f"kaggle: cursor {cursor!r} is not one this source wrote") from exc
    if not isinstance(state, dict) or state.get("kind") not in kinds:
        raise InputError(f"kaggle: cursor {cursor!r} does not fit a {'/'.join(kinds)} query")
    return state


def _raise_for_body(path: str, data: dict[str, Any]) -> None:
    error = data["error"] if isinstance(data.get("error"), dict) else data
    code = error.get("code")
    if not isinstance(code, int) or code < 400:
        return
    message = f"kaggle: HTTP {code} in the body from {path}: {error.get('message') or error.get('status') or ''}"
    if code == 429:
        raise RateLimited(message.rstrip(": "), source=KaggleSource.name)
    if code >= 500:
        raise TransientError(message.rstrip(": "), source=KaggleSource.name)
    raise SourceError(message.rstrip(": "), source=KaggleSource.name)


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    # proto3 JSON may omit an empty repeated field, so a missing key is an empty page
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("ref"), str) for i in items):
        raise MalformedResponse(f"kaggle: '{key}' is not a list of items with a 'ref'", source=KaggleSource.name)
    return items












def _tag_names(tags: Any) -> list[str]:
    if not isinstance(tags, list):
        return []
    return [t.get("name") or t.get("ref") for t in tags if isinstance(t, dict)]


def _kaggle_doi(*texts: str | None) -> str | None:
    for text in texts:
        match = _KAGGLE_DOI.search(text or "")
        if match:
            return match.group(0).rstrip(".,;:").lower()
    return None




def _parse_dataset(raw: RawRecord, item: dict[str, Any], info: dict[str, Any]) -> Candidate:
    description = info.get("description") or item.get("description") or ""
    subtitle = item.get("subtitle") or info.get("subtitle") or ""
    licences = [lic.get("name") for lic in info.get("licenses") or [] if isinstance(lic, dict)]
    files = [
        FileInfo(name=f.get("name") or "", size=f.get("totalBytes"), url=f.get("url") or None)
        for f in item.get("files") or []
        if isinstance(f, dict) and f.get("name")
    ]
    version = item.get("currentVersionNumber")
    return Candidate(
        source=raw.source,
        native_id=raw.native_id,
        url=raw.url,
        title=item.get("title") or info.get("title") or raw.native_id.partition(":")[2],
        text=description or subtitle,
        kind_hint="dataset",
        links=urls_in([subtitle, description], exclude=[raw.url]),
        doi=_kaggle_doi(description, subtitle),
        licence=item.get("licenseName") or next((name for name in licences if name), None),
        access="restricted" if item.get("isPrivate") or info.get("isPrivate") else "open",
        keywords=unique([*_tag_names(item.get("tags")), *(info.get("keywords") or [])], casefold=True),
        authors=unique([item.get("creatorName"), item.get("ownerName")], casefold=True),
        updated=item.get("lastUpdated") or None,
        version=str(version) if version else None,
        files=files,
        extra=_compact(
            {
                "subtitle": subtitle,
                "downloads": item.get("downloadCount", info.get("totalDownloads")),
                "votes": item.get("voteCount", info.get("totalVotes")),
                "views": item.get("viewCount", info.get("totalViews")),
                "usability": item.get("usabilityRating", info.get("usabilityRating")),
                "kernels": item.get("kernelCount"),
                "total_bytes": item.get("totalBytes"),
            }
        ),
    )


def _parse_model(raw: RawRecord, item: dict[str, Any], fetched: dict[str, Any]) -> Candidate:
    model = {**item, **{k: v for k, v in fetched.items() if v}}
    description = model.get("description") or ""
    subtitle = model.get("subtitle") or ""
    instances = [i for i in model.get("instances") or [] if isinstance(i, dict)]
    links = [link.get("url") for link in model.get("modelVersionLinks") or [] if isinstance(link, dict)]
    files = [
        FileInfo(
            name="/".join(str(p) for p in (i.get("framework"), i.get("slug")) if p) or str(i.get("id", "")),
            size=i.get("totalUncompressedBytes") or None,
            url=i.get("url") or i.get("downloadUrl") or None,
        )
        for i in instances
    ]
    created = model.get("publishTime") or None
    created_day = _day(created)
    return Candidate(
        source=raw.source,
        native_id=raw.native_id,
        url=raw.url,
        title=model.get("title") or raw.native_id.partition(":")[2],
        text=description or subtitle,
        kind_hint="model",
        links=urls_in([subtitle, description, model.get("provenanceSources"), *links], exclude=[raw.url]),
        doi=_kaggle_doi(description),
        licence=next((i["licenseName"] for i in instances if i.get("licenseName")), None),
        access="restricted" if model.get("isPrivate") else "open",
        keywords=unique(_tag_names(model.get("tags")), casefold=True),
        authors=unique([model.get("author")], casefold=True),
        created=created,
        updated=model.get("updateTime") or None,
        year=created_day.year if created_day else None,
        files=files,
        extra=_compact(
            {
                "subtitle": subtitle,
                "instances": len(instances),
                "frameworks": unique((i.get("framework") for i in instances), casefold=True),
                "fine_tunable": any(i.get("fineTunable") for i in instances) or None,
            }
        ),
    )
