"""Plain dataclasses passed between sources, pipeline steps and services.

Nothing here does I/O. ``RawRecord`` is what a source fetched (kept verbatim in
the staging table); ``Candidate`` is the source-neutral view that ``parse``
derives from it and that triage reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("dataset", "model")


@dataclass(frozen=True)
class Query:
    """One search a source runs: the text and what it is meant to find."""

    text: str
    kind: str = "any"  # "dataset" | "model" | "any"


@dataclass
class RawRecord:
    """One hit as fetched: ``payload`` is JSON-serialisable and source-specific.

    ``updated_at`` is the source's own modification marker (ISO 8601 time, or a
    version string) as listed in search results. When the source learns from
    ``SourceContext.known_version`` that this exact version is already staged it
    skips the expensive follow-up requests (README, card, metadata) and sets
    ``unchanged``: staging then only records that the item was seen again.
    """

    source: str
    native_id: str
    url: str
    payload: dict[str, Any]
    updated_at: str | None = None
    unchanged: bool = False


@dataclass
class Page:
    """A page of records and the opaque token to resume *after* it.

    ``cursor`` is None on the last page of a query.
    """

    records: list[RawRecord]
    cursor: str | None = None


@dataclass
class FileInfo:
    name: str
    size: int | None = None
    url: str | None = None


@dataclass
class Candidate:
    """A source-neutral view of one raw record (what ``Source.parse`` returns)."""

    source: str
    native_id: str
    url: str
    title: str
    text: str = ""  # README / description / card / abstract as plain text or markdown
    kind_hint: str | None = None  # the host's own type: dataset, model, software, publication
    links: list[str] = field(default_factory=list)  # every URL found in metadata and text
    doi: str | None = None
    concept_doi: str | None = None
    licence: str | None = None  # as the host spells it; triage maps it to SPDX
    access: str | None = None  # host's access hint: open, restricted, embargoed, gated, ...
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    created: str | None = None
    updated: str | None = None
    year: int | None = None
    version: str | None = None
    files: list[FileInfo] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # stars, downloads, venue, ...


@dataclass
class FieldValue:
    """One extracted characteristic: the value (typed as in docs/fields.md) and where it was read."""

    value: Any
    evidence: str  # the snippet the value was read from
    source: str  # "<source>:<native_id>" of the record
    unit: str | None = None  # total_size only: images, videos, volumes, patients, frames, sequences


@dataclass
class Judgement:
    """Triage's verdict on one record: how likely it is a public ultrasound dataset or model."""

    relevance: float  # 0..1
    kind: str  # "dataset" | "model" | "other"
    reasons: list[str] = field(default_factory=list)
