"""The built-in sources, by name. Imported lazily so one broken optional
library cannot take the others down."""

from __future__ import annotations

import importlib

from crawler.errors import ConfigError
from sources.base import Source

BUILTINS: tuple[tuple[str, str], ...] = (
    ("github", "sources.github:GitHubSource"),
    ("zenodo", "sources.zenodo:ZenodoSource"),
    ("kaggle", "sources.kaggle:KaggleSource"),
    ("scholar", "sources.scholar:ScholarSource"),
    ("huggingface", "sources.huggingface:HuggingFaceSource"),
    ("openalex", "sources.openalex:OpenAlexSource"),
)
NAMES: tuple[str, ...] = tuple(name for name, _ in BUILTINS)


def check_names(names: list[str] | tuple[str, ...]) -> None:
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise ConfigError(f"unknown source {', '.join(unknown)}; known sources: {', '.join(NAMES)}")


def get(name: str) -> type[Source]:
    check_names([name])
    module_name, _, attr = dict(BUILTINS)[name].partition(":")
    return getattr(importlib.import_module(module_name), attr)
