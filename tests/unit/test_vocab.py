"""Anatomy vocabulary: splitting table cells, canonical terms, figure groups, and no false hits."""

from __future__ import annotations

import pytest

from crawler.vocab import ANATOMY, GROUP_ORDER, anatomy_groups, anatomy_terms, split_anatomy


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("Thyroid, Liver, and Carotid Artery", ["thyroid", "liver", "carotid artery"]),
        ("Hand & Wrist; Knee", ["hand", "wrist", "knee"]),
        ("Brain,  brain. ", ["brain"]),
        ("  Breast  ", ["breast"]),
        ("", []),
        ("Brandenburg", ["brandenburg"]),  # "and" only splits as a word
    ],
)
def test_split_anatomy(cell: str, items: list[str]) -> None:
    assert split_anatomy(cell) == items


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Breast", ["breast"]),
        ("echocardiography", ["heart"]),
        ("Fetal brain", ["fetus", "brain"]),
        ("carotid artery", ["carotid artery", "blood vessels"]),
        ("Brachial Plexus", ["nerve"]),
        ("kidneys", ["kidney"]),
        ("lung B-lines", ["lung"]),
        ("breast phantom", ["breast", "phantom"]),
    ],
)
def test_anatomy_terms(text: str, terms: list[str]) -> None:
    assert anatomy_terms(text) == terms


@pytest.mark.parametrize(
    "text",
    [
        "United States",
        "US",
        "microseconds",
        "ultrasound",
        "sonographer",
        "deep neural network",
        "relationship",
        "handheld probe",
        "computer vision",
        "ratio",
        "Brandenburg",
        "training, validation and testing sets",
    ],
)
def test_anatomy_terms_negatives(text: str) -> None:
    assert anatomy_terms(text) == []


@pytest.mark.parametrize(
    ("items", "groups"),
    [
        (["fetal brain"], ["fetal / obstetric"]),
        (["fetal heart", "maternal cervix"], ["fetal / obstetric"]),
        (["fetal liver", "fetal kidney", "fetal spine"], ["fetal / obstetric"]),
        (["fetal liver", "liver"], ["fetal / obstetric", "liver"]),
        (["thyroid", "liver", "carotid artery"], ["thyroid", "liver", "vascular"]),
        (["brachial plexus"], ["nerve"]),
        (["forearms"], ["musculoskeletal"]),
        (["something unheard of"], ["other"]),
        (["something unheard of", "breast"], ["breast"]),
        (["breast phantom"], ["breast", "phantom"]),
        ([], []),
    ],
)
def test_anatomy_groups(items: list[str], groups: list[str]) -> None:
    assert anatomy_groups(items) == groups


def test_every_term_group_is_in_the_figure_order() -> None:
    assert {group for group, _ in ANATOMY.values()} <= set(GROUP_ORDER)
    assert GROUP_ORDER[-1] == "other"
    assert len(GROUP_ORDER) == len(set(GROUP_ORDER))
