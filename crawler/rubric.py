"""The scoring rubric as data: loaded from ``crawler/data/rubric.toml``.

Keys, labels, tiers of importance, weights, tier thresholds and model
criteria live in that file, not in code, so curators can revise them; every
score records ``id@version`` of the rubric that produced it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from crawler.errors import ConfigError


@dataclass(frozen=True)
class Characteristic:
    key: str
    label: str
    tier: str  # "high" | "low"
    weight: int


@dataclass(frozen=True)
class Tier:
    name: str
    min: float


@dataclass(frozen=True)
class DatasetRubric:
    id: str
    version: str
    characteristics: tuple[Characteristic, ...]
    tiers: tuple[Tier, ...]  # highest first
    placeholders: frozenset[str]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.characteristics)

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.characteristics)


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str


@dataclass(frozen=True)
class ModelRubric:
    id: str
    version: str
    criteria: tuple[Criterion, ...]
    yes_values: frozenset[str]
    placeholders: frozenset[str]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)


@dataclass(frozen=True)
class Rubric:
    dataset: DatasetRubric
    model: ModelRubric
    model_descriptive: tuple[str, ...]
    shared_descriptive: tuple[str, ...]
    scanning_modes: tuple[str, ...]
    model_tasks: tuple[str, ...]

    def keys_for(self, kind: str) -> tuple[str, ...]:
        """Every canonical key an entry of ``kind`` may hold, scored ones first."""
        if kind == "dataset":
            return self.dataset.keys + self.shared_descriptive
        if kind == "model":
            keys = self.model.keys + self.model_descriptive + self.shared_descriptive
            return tuple(dict.fromkeys(keys))
        raise ValueError(f"unknown kind {kind!r}")


def parse(data: dict) -> Rubric:
    try:
        ds = data["dataset"]
        weights = ds["weights"]
        placeholders = frozenset(p.strip().lower() for p in ds["placeholders"])
        dataset = DatasetRubric(
            id=ds["id"],
            version=str(ds["version"]),
            characteristics=tuple(
                Characteristic(c["key"], c["label"], c["tier"], int(weights[c["tier"]]))
                for c in ds["characteristics"]
            ),
            tiers=tuple(sorted((Tier(t["name"], float(t["min"])) for t in ds["tiers"]), key=lambda t: -t.min)),
            placeholders=placeholders,
        )
        md = data["model"]
        model = ModelRubric(
            id=md["id"],
            version=str(md["version"]),
            criteria=tuple(Criterion(c["key"], c["label"]) for c in md["criteria"]),
            yes_values=frozenset(v.lower() for v in md["yes_values"]),
            placeholders=placeholders,
        )
        desc = data["descriptive"]
        return Rubric(
            dataset=dataset,
            model=model,
            model_descriptive=tuple(desc["model"]),
            shared_descriptive=tuple(desc["both"]),
            scanning_modes=tuple(desc["scanning_modes"]),
            model_tasks=tuple(desc["model_tasks"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"rubric file is invalid: {exc!r}") from exc


def load(path: Path | None = None) -> Rubric:
    if path is not None:
        return parse(tomllib.loads(path.read_text(encoding="utf-8")))
    return _default()


def default_path() -> str:
    return str(resources.files("crawler") / "data" / "rubric.toml")


@lru_cache(maxsize=1)
def _default() -> Rubric:
    text = (resources.files("crawler") / "data" / "rubric.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))
