"""Small pure helpers several source clients share: dates, de-duplication, URLs in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from crawler.errors import SourceError

_URL = re.compile(r"https?://[^\s<>\"'`)\]}|]+", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def day(value: Any) -> date | None:
    """The date of an ISO timestamp string, or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def older(value: Any, since: date | None) -> bool:
    """True when the timestamp is known and before ``since`` (incremental runs stop there)."""
    when = day(value)
    return since is not None and when is not None and when < since


def status_of(exc: SourceError) -> int | None:
    return exc.status if isinstance(exc.status, int) else None


def unique(values: Iterable[Any], *, casefold: bool = False) -> list[str]:
    """Non-empty strings, stripped, first occurrence kept (case-insensitively with ``casefold``)."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        text = value.strip()
        key = text.lower() if casefold else text
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out


def urls_in(texts: Iterable[str | None], exclude: Iterable[str] = ()) -> list[str]:
    """Every http(s) URL in the texts, in order, without duplicates or trailing punctuation."""
    skip = set(exclude)
    found: list[str] = []
    for text in texts:
        for match in _URL.finditer(text or ""):
            url = match.group(0).rstrip(".,;:!?*_~")
            if url not in skip and url not in found:
                found.append(url)
    return found


def compact(values: dict[str, Any]) -> dict[str, Any]:
    """The entries with a value (None, "" and [] dropped)."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def bare_doi(value: Any) -> str | None:
    """``10.xxxx/...`` in lower case, from a bare DOI, ``doi:`` or a doi.org URL."""
    if not isinstance(value, str):
        return None
    match = _DOI.search(value.strip())
    return match.group(0).rstrip(".,;").lower() if match else None
