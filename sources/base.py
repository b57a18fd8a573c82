"""The Source protocol every API client implements, and what it is built from.

A source is one small class:

* ``name``: the same string in the database, the configuration and ``--source``;
* ``from_context(ctx)``: build it from settings and secrets, raising
  ``NotConfigured`` when it cannot run (missing credentials), never crashing;
* ``search(query, since, cursor)``: the I/O; yields ``Page`` objects whose
  ``cursor`` lets a killed run resume after the last completed page;
* ``parse(raw)``: pure, turns a ``RawRecord`` into a ``Candidate``;
* ``requests``: how many HTTP requests it has made so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol

import httpx

from crawler.models import Candidate, Page, Query, RawRecord
from sources.http import Clock, HttpClient, Sleep


@dataclass
class SourceSettings:
    """Per-source configuration, read once from sonocat.toml + defaults."""

    name: str
    enabled: bool = True
    base_url: str = ""
    per_minute: float = 30.0
    budget_seconds: float = 900.0
    page_size: int = 100
    timeout: float = 30.0
    max_retries: int = 4
    queries: list[Query] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceContext:
    """Everything a source may use: its settings, secrets, clock and transport.

    ``deadline`` is in ``clock`` time. ``transport`` lets tests (and the replay
    mode) swap the network for an httpx transport. ``known_version(native_id)``
    returns the ``updated_at`` already staged for that item (or None), so a
    source fetches READMEs / cards / metadata only for new or changed items.
    """

    settings: SourceSettings
    secrets: Mapping[str, str] = field(default_factory=dict)
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    wall_clock: Clock = time.time
    deadline: float | None = None
    transport: httpx.BaseTransport | None = None
    known_version: Callable[[str], str | None] = lambda native_id: None

    def http(self, *, base_url: str | None = None, headers: Mapping[str, str] | None = None) -> HttpClient:
        s = self.settings
        return HttpClient(
            source=s.name,
            base_url=s.base_url if base_url is None else base_url,
            headers=headers,
            timeout=s.timeout,
            per_minute=s.per_minute,
            max_retries=s.max_retries,
            deadline=self.deadline,
            sleep=self.sleep,
            clock=self.clock,
            wall_clock=self.wall_clock,
            transport=self.transport,
        )


class Source(Protocol):
    name: ClassVar[str]

    @classmethod
    def from_context(cls, ctx: SourceContext) -> Source: ...

    @property
    def requests(self) -> int: ...

    def search(self, query: Query, since: date | None, cursor: str | None = None) -> Iterator[Page]: ...

    @staticmethod
    def parse(raw: RawRecord) -> Candidate: ...

    def close(self) -> None: ...


SourceFactory = Callable[[SourceContext], Source]
