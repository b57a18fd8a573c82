"""The fake Kaggle API, under ``/kaggle``: the RPC dialect (POST ``/v1/{service}/{method}``).

ListDatasets (``page``, newest update first), GetDatasetMetadata, ListModels
(``pageToken``), GetModel; 404 ``{"code": 404}`` for unknown refs. Past its
limit, 429 ``{"code":429,"message":"TooManyRequests"}``.
"""

from __future__ import annotations

import json
from typing import Any

from .api import _API, Quota, Reply, Request, _int, _offset, _token, json_reply
from .corpus import _is_obj, has_all, terms, words

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
