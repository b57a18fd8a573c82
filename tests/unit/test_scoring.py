"""SonoDQS and SonoMQS as pure functions: the paper's worked example, tier bounds, placeholders."""

from __future__ import annotations

import math

import pytest

from crawler import rubric as rubric_module
from crawler.rubric import Characteristic, DatasetRubric, Tier
from crawler.scoring import is_filled, score_dataset, score_model, tier_for

RUBRIC = rubric_module.load()
DQS = RUBRIC.dataset
MQS = RUBRIC.model

HIGH = [c.key for c in DQS.characteristics if c.tier == "high"]
LOW = [c.key for c in DQS.characteristics if c.tier == "low"]


def filled(keys: list[str], value: object = "stated") -> dict[str, object]:
    return {key: value for key in keys}


# -- the paper's worked example --------------------------------------------


def test_worked_example_three_characteristics_scores_0_75() -> None:
    rubric = DatasetRubric(
        id="worked-example",
        version="0",
        characteristics=(
            Characteristic("high_one", "High one", "high", 2),
            Characteristic("low_one", "Low one", "low", 1),
            Characteristic("low_two", "Low two", "low", 1),
        ),
        tiers=(Tier("good", 0.7), Tier("poor", 0.0)),
        placeholders=frozenset({"", "n/a"}),
    )
    result = score_dataset({"high_one": "yes", "low_one": "B-mode", "low_two": "n/a"}, rubric)
    assert result.score == 0.75
    assert result.completed == ("high_one", "low_one")
    assert result.missing == ("low_two",)
    assert result.tier == "good"
    assert result.rubric == "worked-example@0"


# -- tier boundaries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        (1.0, "diamond"),
        (0.87, "diamond"),
        (0.8699, "platinum"),
        (0.77, "platinum"),
        (0.7699, "gold"),
        (0.67, "gold"),
        (0.6699, "silver"),
        (0.57, "silver"),
        (0.5699, "bronze"),
        (0.55, "bronze"),
        (0.50, "bronze"),  # the paper's gap 0.50-0.57 is bronze here
        (0.45, "bronze"),
        (0.4499, "steel"),
        (0.32, "steel"),
        (0.3199, "unrated"),
        (0.0, "unrated"),
    ],
)
def test_tier_boundaries(score: float, tier: str) -> None:
    assert tier_for(score, DQS) == tier


# -- what counts as completed -------------------------------------------------

PLACEHOLDERS = [
    "",
    "   ",
    "nan",
    "N/A",
    "n/a",
    "none",
    "Unknown",
    "Not specified",
    "not reported",
    "TBD",
    "[More Information Needed]",
    float("nan"),
    None,
    [],
    ["n/a"],
    ["", "Unknown"],
    {},
]


@pytest.mark.parametrize("value", PLACEHOLDERS, ids=repr)
def test_placeholders_count_as_missing(value: object) -> None:
    assert not is_filled(value, DQS.placeholders)
    result = score_dataset({"doppler": value}, DQS)
    assert "doppler" in result.missing
    assert "doppler" not in result.completed


@pytest.mark.parametrize("value", [False, True, "No", "no", 0, 0.0, "B-mode only", ["China"], {"train": 100}], ids=repr)
def test_recorded_values_count_including_no(value: object) -> None:
    assert is_filled(value, DQS.placeholders)
    result = score_dataset({"doppler": value}, DQS)
    assert "doppler" in result.completed


def test_doppler_false_is_completed_and_worth_one_point() -> None:
    with_false = score_dataset({"doppler": False}, DQS)
    assert with_false.score == 1 / 48
    assert with_false.completed == ("doppler",)


def test_missing_keys_count_as_missing() -> None:
    result = score_dataset({}, DQS)
    assert result.score == 0.0
    assert result.tier == "unrated"
    assert result.completed == ()
    assert result.missing == DQS.keys


def test_unverifiable_forces_unrated_even_at_full_score() -> None:
    values = filled(HIGH + LOW)
    assert score_dataset(values, DQS).tier == "diamond"
    result = score_dataset(values, DQS, unverifiable=True)
    assert result.score == 1.0
    assert result.tier == "unrated"


# -- SonoDQS with the real rubric ----------------------------------------------


@pytest.mark.parametrize(
    ("values", "points", "tier"),
    [
        (filled(HIGH + LOW), 48, "diamond"),
        (filled(HIGH), 28, "silver"),
        (filled(HIGH + LOW[:5]), 33, "gold"),
        (filled(HIGH[:13]), 26, "bronze"),
        (filled(HIGH[:10]), 20, "steel"),
        (filled(HIGH[:7]), 14, "unrated"),
        ({**filled(HIGH), HIGH[0]: "N/A", HIGH[5]: "N/A"}, 24, "bronze"),
        (filled(LOW), 20, "steel"),
        (filled(HIGH + LOW[:12]), 40, "platinum"),  # 0.8333
    ],
    ids=["all-34", "14-high", "14-high-5-low", "13-high", "10-high", "7-high", "14-high-2-na", "20-low", "14-high-12-low"],
)
def test_real_rubric_scores(values: dict[str, object], points: int, tier: str) -> None:
    result = score_dataset(values, DQS)
    assert result.score == points / 48
    assert result.tier == tier
    assert result.rubric == "SonoDQS@1.0"
    assert len(result.completed) + len(result.missing) == 34


def test_as_dict_is_plain_data() -> None:
    result = score_dataset(filled(HIGH), DQS).as_dict()
    assert result == {
        "score": 28 / 48,
        "tier": "silver",
        "rubric": "SonoDQS@1.0",
        "completed": HIGH,
        "missing": LOW,
    }


def test_unknown_keys_are_ignored_by_the_pure_scorer() -> None:
    assert score_dataset({"not_a_characteristic": "x"}, DQS).score == 0.0


# -- SonoMQS ----------------------------------------------------------------------


def test_sonomqs_all_yes_is_one_and_has_no_tier() -> None:
    result = score_model({key: "yes" for key in MQS.keys}, MQS)
    assert len(MQS.keys) == 12
    assert result.score == 1.0
    assert result.tier is None
    assert result.rubric == "SonoMQS@1.0"
    assert result.missing == ()


def test_sonomqs_six_yes_is_half() -> None:
    values = {key: ("yes" if i % 2 == 0 else "no") for i, key in enumerate(MQS.keys)}
    result = score_model(values, MQS)
    assert result.score == 0.5
    assert len(result.completed) == 6
    assert result.tier is None


@pytest.mark.parametrize("value", ["yes", "Yes", "YES", " yes ", True], ids=repr)
def test_sonomqs_yes_values(value: object) -> None:
    assert score_model({"code_shared": value}, MQS).completed == ("code_shared",)
    assert score_model({"code_shared": value}, MQS).score == 1 / 12


@pytest.mark.parametrize("value", ["no", "No", False, "n/a", "", None, "unknown", "maybe", 0], ids=repr)
def test_sonomqs_non_yes_values(value: object) -> None:
    result = score_model({"code_shared": value}, MQS)
    assert result.score == 0.0
    assert result.completed == ()
    assert "code_shared" in result.missing


def test_sonomqs_empty_is_zero() -> None:
    result = score_model({}, MQS)
    assert result.score == 0.0
    assert result.missing == MQS.keys
    assert not math.isnan(result.score)
