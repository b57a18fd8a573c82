"""SonoDQS and SonoMQS as pure functions of (values, rubric).

SonoDQS = sum of the weights of completed characteristics / sum of all weights.
A characteristic is completed when its value carries information: a recorded
"No" (``False``) counts, a placeholder such as "n/a" or "not reported" does
not. A curator's "unverifiable" flag forces the ``unrated`` tier.

SonoMQS = number of criteria answered "yes" / number of criteria; it has no
tiers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crawler.rubric import DatasetRubric, ModelRubric

# Scores are fractions such as 28/48; this absorbs float noise at tier bounds.
_EPS = 1e-9
UNRATED = "unrated"


@dataclass(frozen=True)
class ScoreResult:
    score: float
    tier: str | None
    rubric: str  # "id@version"
    completed: tuple[str, ...]
    missing: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "tier": self.tier,
            "rubric": self.rubric,
            "completed": list(self.completed),
            "missing": list(self.missing),
        }


def is_filled(value: Any, placeholders: frozenset[str]) -> bool:
    """True when ``value`` carries information (False and 0 do)."""
    if value is None:
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value.strip().lower() not in placeholders
    if isinstance(value, Mapping):
        return any(is_filled(v, placeholders) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(is_filled(v, placeholders) for v in value)
    return True


def is_yes(value: Any, yes_values: frozenset[str]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in yes_values
    return False


def tier_for(score: float, rubric: DatasetRubric) -> str:
    for tier in rubric.tiers:
        if score + _EPS >= tier.min:
            return tier.name
    return UNRATED


def score_dataset(values: Mapping[str, Any], rubric: DatasetRubric, *, unverifiable: bool = False) -> ScoreResult:
    completed, missing = [], []
    points = 0
    for characteristic in rubric.characteristics:
        if is_filled(values.get(characteristic.key), rubric.placeholders):
            completed.append(characteristic.key)
            points += characteristic.weight
        else:
            missing.append(characteristic.key)
    score = points / rubric.total_weight if rubric.total_weight else 0.0
    tier = UNRATED if unverifiable else tier_for(score, rubric)
    return ScoreResult(score, tier, rubric.ref, tuple(completed), tuple(missing))


def score_model(values: Mapping[str, Any], rubric: ModelRubric) -> ScoreResult:
    completed, missing = [], []
    for criterion in rubric.criteria:
        (completed if is_yes(values.get(criterion.key), rubric.yes_values) else missing).append(criterion.key)
    score = len(completed) / len(rubric.criteria) if rubric.criteria else 0.0
    return ScoreResult(score, None, rubric.ref, tuple(completed), tuple(missing))
