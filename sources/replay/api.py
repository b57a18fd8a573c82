"""What passes between the server and a fake API, and the helpers the fakes share.

The server turns each HTTP request into a ``Request`` (path below the source's
mount, parsed parameters, lower-case headers) and hands it to that source's
``_API``, which answers with a ``Reply``. ``Quota`` is where the request left
its rate-limit bucket; a fake turns it into its own headers and its own
"too many requests" answer. Parameter integers, opaque page tokens and stable
fake ids are here because several fakes page or mint ids the same way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote, urlencode


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


def _stable_id(*parts: str) -> int:
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:12], 16) % 900_000_000 + 100_000_000


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
