"""The paper's Tables 1-2 as entries: counts, tiers, sizes, links and the documented quirks."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources

import pytest

from crawler import baseline
from crawler import rubric as rubric_module

PUBLISHED_TIERS = {"diamond": 1, "platinum": 5, "gold": 8, "silver": 12, "bronze": 29, "steel": 17}


@pytest.fixture(scope="module")
def entries() -> list[baseline.BaselineEntry]:
    return baseline.load()


@pytest.fixture(scope="module")
def datasets(entries: list[baseline.BaselineEntry]) -> list[baseline.BaselineEntry]:
    return [e for e in entries if e.kind == "dataset"]


@pytest.fixture(scope="module")
def models(entries: list[baseline.BaselineEntry]) -> list[baseline.BaselineEntry]:
    return [e for e in entries if e.kind == "model"]


def by_name(entries: list[baseline.BaselineEntry], name: str) -> baseline.BaselineEntry:
    found = [e for e in entries if e.name == name]
    assert len(found) == 1, f"{name!r}: {len(found)} entries"
    return found[0]


def csv_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("crawler") / "data" / "baseline" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_counts(entries: list[baseline.BaselineEntry], datasets, models) -> None:
    assert len(datasets) == 72
    assert len(models) == 55
    assert len(entries) == 127
    assert len(csv_rows("paper_models.csv")) == 56  # AAU-net is listed twice in Table 2


def test_aau_net_once(models: list[baseline.BaselineEntry]) -> None:
    assert [m.name for m in models].count("AAU-net") == 1
    assert len({m.name.lower() for m in models}) == 55


def test_duplicate_model_rows_fold_first_wins() -> None:
    text = (
        "name,public_training_dataset,public_weights,shared_code,task,paper_sonomqs,paper_refs,reference_text\n"
        "Net,yes,no,yes,Segmentation,0.5,1,first\n"
        "net,no,no,no,Detection,0.25,2,second\n"
    )
    parsed = baseline.parse_models(text)
    assert len(parsed) == 1
    assert parsed[0].paper_refs == "1"
    assert parsed[0].facts["task"].value == "Segmentation"
    assert parsed[0].facts["training_data_public"].value is True
    assert parsed[0].facts["weights_public"].value is False


def test_published_tiers(datasets: list[baseline.BaselineEntry]) -> None:
    assert Counter(d.paper_tier for d in datasets) == PUBLISHED_TIERS
    assert sum(PUBLISHED_TIERS.values()) == 72


def test_three_datasets_without_size(datasets: list[baseline.BaselineEntry]) -> None:
    without = {d.name for d in datasets if "total_size" not in d.facts}
    assert without == {"STU-Hospital", "mu-Reg", "Geometric Ultrasound Localization Microscopy"}


def test_sizes_are_integers_with_thousands_separators_removed(datasets: list[baseline.BaselineEntry]) -> None:
    fetal = by_name(datasets, "FETAL PLANES DB")
    assert fetal.facts["total_size"].value == 12400
    assert fetal.facts["access"].value == "OA"
    assert fetal.facts["anatomy"].value == [
        "fetus", "fetal abdomen", "fetal brain", "fetal femur", "fetal thorax", "maternal cervix",
    ]
    assert fetal.paper_tier == "gold"
    assert all(isinstance(d.facts["total_size"].value, int) for d in datasets if "total_size" in d.facts)


def test_kfgnet_is_a_dataset_and_a_model(datasets, models) -> None:
    assert by_name(datasets, "KFGNet").kind == "dataset"
    assert by_name(models, "KFGNet").kind == "model"


def test_link_from_reference_text_kaggle(datasets: list[baseline.BaselineEntry]) -> None:
    nerve = by_name(datasets, "Ultrasound Nerve Segmentation")
    assert nerve.facts["link"].value == ["https://kaggle.com/competitions/ultrasound-nerve-segmentation"]
    assert nerve.facts["link"].source == "paper Table 1"


def test_regensburg_doi_listed_once(datasets: list[baseline.BaselineEntry]) -> None:
    regensburg = by_name(datasets, "Regensburg Pediatric Appendicitis Dataset")
    assert regensburg.reference_text.count("10.5281/zenodo.7711412") == 2
    assert regensburg.facts["link"].value == ["https://doi.org/10.5281/zenodo.7711412"]
    assert regensburg.facts["doi"].value == "10.5281/zenodo.7711412"


def test_models_with_arxiv_ids_get_abs_links(models: list[baseline.BaselineEntry]) -> None:
    synthesis = by_name(models, "Ultrasound Fetal Brain Imaging Synthesis")
    assert synthesis.facts["link"].value == ["https://arxiv.org/abs/2304.03941"]
    assert synthesis.facts["link"].source == "paper Table 2"
    with_arxiv = [m for m in models if re.search(r"arxiv:\d{4}\.\d{4,5}", m.reference_text, re.I)]
    assert len(with_arxiv) == 8
    for model in with_arxiv:
        arxiv_id = re.search(r"arxiv:(\d{4}\.\d{4,5})", model.reference_text, re.I).group(1)
        assert f"https://arxiv.org/abs/{arxiv_id}" in model.facts["link"].value


def test_link_facts_carry_evidence(entries: list[baseline.BaselineEntry]) -> None:
    for entry in entries:
        if "link" in entry.facts:
            assert entry.facts["link"].evidence.startswith("links in the reference text: ")
            assert entry.facts["link"].value  # never an empty list


def test_pretraining_task_spelling_normalised(models: list[baseline.BaselineEntry]) -> None:
    assert "Pretraining / Foundation Model" in {r["task"] for r in csv_rows("paper_models.csv")}
    meta = by_name(models, "Meta-USCL")
    assert meta.facts["task"].value == "Pre-training / Foundation Model"
    tasks = Counter(m.facts["task"].value for m in models if "task" in m.facts)
    assert "Pretraining / Foundation Model" not in tasks
    assert tasks["Pre-training / Foundation Model"] == 5


def test_every_model_task_is_in_the_vocabulary(models: list[baseline.BaselineEntry]) -> None:
    vocabulary = set(rubric_module.load().model_tasks)
    for model in models:
        for task in model.facts["task"].value.split(", "):
            assert task in vocabulary, (model.name, task)


def test_model_facts_from_table_2(models: list[baseline.BaselineEntry]) -> None:
    synthesis = by_name(models, "Ultrasound Fetal Brain Imaging Synthesis")
    assert synthesis.facts["training_data_public"].value is True
    assert synthesis.facts["weights_public"].value is False
    assert synthesis.facts["code_shared"].value is True
    assert synthesis.paper_sonomqs == 0.69
    assert synthesis.facts["name"].source == "paper Table 2"
    assert by_name(models, "CMU-Net").paper_sonomqs == 0.67


def test_every_entry_has_its_name(entries: list[baseline.BaselineEntry]) -> None:
    for entry in entries:
        assert entry.facts["name"].value == entry.name
        assert entry.facts["name"].source in {"paper Table 1", "paper Table 2"}
