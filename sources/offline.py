"""The raw record a source would stage for a payload, built without the network.

Each source builds ``RawRecord`` (native id, page URL, version marker) from an
API item inside its ``search``; this module reaches the same builders for a
payload already in hand, so a recorded or labelled corpus can be staged and
triaged exactly as live discovery would stage it (``bench/triage_eval.py``,
``sonocat stage``). The follow-up requests a builder might make are never
made: every item is reported as already known, then the full payload is put
back.
"""

from __future__ import annotations

from typing import Any

from crawler.errors import InputError
from crawler.models import RawRecord
from sources import registry
from sources.base import SourceContext, SourceSettings
from sources.scholar import publication_record


def _version(source: str, item: dict[str, Any]) -> str | None:
    if source == "github":
        return item.get("pushed_at") or item.get("updated_at")
    if source == "kaggle":
        return item.get("lastUpdated") or item.get("updateTime") or item.get("publishTime")
    if source == "huggingface":
        return item.get("lastModified")
    return None


class RecordBuilder:
    """Builds raw records for payloads of one source; reuse it for many payloads."""

    def __init__(self, source: str) -> None:
        registry.check_names([source])
        self.name = source
        self._version: str | None = None
        settings = SourceSettings(name=source)
        ctx = SourceContext(settings=settings, known_version=lambda _native_id: self._version)
        cls = registry.get(source)
        if source == "scholar":
            self._source = None
        elif source in ("kaggle", "huggingface"):
            self._source = cls(ctx, ctx.http())  # the client is never used: every version is "known"
        else:
            self._source = cls(ctx)

    def build(self, payload: dict[str, Any]) -> RawRecord:
        item = payload.get("item") if isinstance(payload, dict) else None
        if not isinstance(item, dict):
            raise InputError(f"{self.name}: a payload is an object with an 'item'")
        self._version = _version(self.name, item)
        src = self._source
        if self.name == "scholar":
            raw = publication_record(item)
        elif self.name == "kaggle":
            raw = src._dataset_record(item) if payload.get("type") == "dataset" else src._model_record(item)
        elif self.name == "huggingface":
            raw = src._record(payload.get("type") or "model", item)
        else:
            raw = src._record(item)
        raw.payload = payload
        raw.unchanged = False
        return raw

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
