"""The recording a replay serves, and the text and date matching every fake shares.

A recording is a directory with one JSON file per source, ``<source>.json``:
a list of ``RawRecord`` payloads exactly as that source's ``search`` builds
them (a missing file = no items)::

    github.json       {"item": <search item>, "readme": str | None, "topics": [...],
                       "releases": [<release as github.py keeps it>]}
    zenodo.json       {"item": <record>}
    kaggle.json       {"type": "dataset" | "model", "item": <ApiDataset | ApiModel as listed>,
                       "metadata": <DatasetInfo | ApiModel | None>}
    huggingface.json  {"type": "dataset" | "model", "item": <list item with siblings>,
                       "card": <README.md text> | None}
    openalex.json     {"item": <work>}
    scholar.json      {"item": <scholarly Publication dict>}   (rendered back into
                       Scholar's result-page HTML; ``gsrank``, ``url_scholarbib`` and
                       ``url_add_sclib`` depend on the page a row lands on)

``resolve`` finds a recording (``"demo"`` is the bundled one, kept in
``sources/data/demo`` as package data); ``load_corpus`` reads and checks it.

Search text is matched the same way by every fake: every word of the search
text (quotes ignored, a plural ``s`` ignored) must be a word of the item's
searchable text (title, name, description, README, card, abstract, keywords;
the real Hub's ``search`` looks at repo ids only, so the Hugging Face fake finds
more than the Hub would). ``Span`` and ``_number_test`` read the date and number
ranges of the query languages.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.errors import InputError

# -- the corpus --------------------------------------------------------------------------------

SOURCES: tuple[str, ...] = ("github", "zenodo", "kaggle", "huggingface", "openalex", "scholar")
DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"  # sources/data/demo, shipped as package data


def resolve(path: str | Path) -> Path:
    """``"demo"``: the bundled recording; otherwise the directory given, which must hold one."""
    if str(path) == "demo":
        return DEMO
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise InputError(f"replay: {directory} is not a directory (give a recording directory, or 'demo')")
    if not any((directory / f"{name}.json").is_file() for name in SOURCES):
        expected = ", ".join(f"{name}.json" for name in SOURCES)
        raise InputError(f"replay: {directory} holds no recording (expected one or more of {expected})")
    return directory


def _is_obj(value: Any) -> bool:
    return isinstance(value, dict)


_CHECKS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "github": (
        '{"item": {"id", "full_name", ...}, "readme", "topics", "releases"}',
        lambda p: _is_obj(p.get("item")) and p["item"].get("id") is not None
        and isinstance(p["item"].get("full_name"), str) and isinstance(p.get("releases", []), list),
    ),
    "zenodo": (
        '{"item": {"id", "metadata", ...}}',
        lambda p: _is_obj(p.get("item")) and p["item"].get("id") is not None,
    ),
    "kaggle": (
        '{"type": "dataset" | "model", "item": {"ref", ...}, "metadata"}',
        lambda p: p.get("type") in ("dataset", "model") and _is_obj(p.get("item"))
        and isinstance(p["item"].get("ref"), str) and "/" in p["item"]["ref"],
    ),
    "huggingface": (
        '{"type": "dataset" | "model", "item": {"id", ...}, "card"}',
        lambda p: p.get("type") in ("dataset", "model") and _is_obj(p.get("item"))
        and isinstance(p["item"].get("id"), str),
    ),
    "openalex": ('{"item": {"id", ...}}', lambda p: _is_obj(p.get("item")) and isinstance(p["item"].get("id"), str)),
    "scholar": (
        '{"item": {"bib": {"title", ...}, ...}}',
        lambda p: _is_obj(p.get("item")) and _is_obj(p["item"].get("bib")) and bool(p["item"]["bib"].get("title")),
    ),
}


def load_corpus(directory: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Every ``<source>.json`` of a recording, checked; a missing file is an empty list."""
    directory = Path(directory)
    corpus: dict[str, list[dict[str, Any]]] = {}
    for name in SOURCES:
        path = directory / f"{name}.json"
        if not path.is_file():
            corpus[name] = []
            continue
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"replay: cannot read {path}: {exc}") from exc
        if not isinstance(entries, list):
            raise InputError(f"replay: {path} must hold a JSON list of {name} payloads")
        shape, check = _CHECKS[name]
        for index, entry in enumerate(entries):
            if not _is_obj(entry) or not check(entry):
                raise InputError(f"replay: {path} entry {index} is not a {name} payload {shape}")
        corpus[name] = entries
    return corpus


# -- text, dates and numbers shared by the fakes -----------------------------------------------

_WORD = re.compile(r"[0-9a-z]+")
_TAG = re.compile(r"<[^>]+>")


def _norm(word: str) -> str:
    # "datasets" finds "dataset" and the reverse; "us", "class", "mass" keep their s
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words(*values: Any) -> set[str]:
    """The normalised words of strings, lists and dicts (values only), HTML tags dropped."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            text = html.unescape(_TAG.sub(" ", value)) if "<" in value else value
            found.update(_norm(w) for w in _WORD.findall(text.lower()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.add(str(value))

    for value in values:
        walk(value)
    return found


def terms(text: str) -> list[str]:
    """The words a search text asks for (quotes and punctuation ignored)."""
    return [_norm(w) for w in _WORD.findall((text or "").lower())]


def has_all(wanted: list[str], haystack: set[str]) -> bool:
    return all(w in haystack for w in wanted)


def _instant(value: Any) -> datetime | None:
    """An item's timestamp (ISO date or date-time, ``Z`` or offset or naive = UTC) as UTC."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass(frozen=True)
class Span:
    """A set of instants ``[lo, hi)``; ``None`` = open. Day bounds cover whole UTC days."""

    lo: datetime | None = None
    hi: datetime | None = None

    def __contains__(self, when: datetime | None) -> bool:
        if when is None:
            return False
        return (self.lo is None or when >= self.lo) and (self.hi is None or when < self.hi)

    @staticmethod
    def bound(text: str, *, upper: bool, inclusive: bool) -> datetime | None:
        """One end of a range; ``*`` is open. A day ``D`` as an inclusive upper bound means "until D ends"."""
        text = text.strip()
        if text in ("*", ""):
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            start = datetime.fromisoformat(text).replace(tzinfo=UTC)
            after = start + timedelta(days=1)
            if upper:
                return after if inclusive else start
            return start if inclusive else after
        when = _instant(text)
        if when is None:
            raise ValueError(f"not a date: {text!r}")
        if upper:
            return when + timedelta(microseconds=1) if inclusive else when
        return when if inclusive else when + timedelta(microseconds=1)

    @classmethod
    def between(cls, lo: str, hi: str, *, lo_inclusive: bool = True, hi_inclusive: bool = True) -> Span:
        return cls(
            cls.bound(lo, upper=False, inclusive=lo_inclusive), cls.bound(hi, upper=True, inclusive=hi_inclusive)
        )

    @classmethod
    def github(cls, expr: str) -> Span:
        """GitHub's ``>=D``, ``>D``, ``<=D``, ``<D``, ``A..B`` (``*`` open) and ``D``."""
        for op, lo_incl in ((">=", True), (">", False)):
            if expr.startswith(op):
                return cls.between(expr[len(op):], "*", lo_inclusive=lo_incl)
        for op, hi_incl in (("<=", True), ("<", False)):
            if expr.startswith(op):
                return cls.between("*", expr[len(op):], hi_inclusive=hi_incl)
        if ".." in expr:
            lo, _, hi = expr.partition("..")
            return cls.between(lo, hi)
        return cls.between(expr, expr)


def _number_test(expr: str) -> Callable[[float], bool]:
    """GitHub's numeric qualifiers: ``>=n``, ``>n``, ``<=n``, ``<n``, ``a..b``, ``n``."""
    expr = expr.strip()
    for op, test in ((">=", float.__ge__), ("<=", float.__le__), (">", float.__gt__), ("<", float.__lt__)):
        if expr.startswith(op):
            bound = float(expr[len(op):])
            return lambda v, test=test, bound=bound: test(float(v), bound)
    if ".." in expr:
        lo, _, hi = expr.partition("..")
        low = -math.inf if lo in ("*", "") else float(lo)
        high = math.inf if hi in ("*", "") else float(hi)
        return lambda v: low <= float(v) <= high
    exact = float(expr)
    return lambda v: float(v) == exact
