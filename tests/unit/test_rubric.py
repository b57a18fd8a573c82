"""The rubric file: the spec's canonical keys, weights, tiers and model criteria, exactly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crawler import rubric as rubric_module
from crawler.errors import ConfigError

HIGH_KEYS = (
    "name", "link", "anatomy", "scanning_mode", "multimodal_text_image", "total_size", "split_sizes",
    "task_category", "geography", "acquisition_years", "other_imaging_metadata", "machines", "centres", "access",
)
LOW_KEYS = (
    "devices", "acquisition_protocol", "institution", "acquirer_characteristics", "split_characteristics",
    "sample_definition", "operator_count", "annotation_method", "annotator_instructions",
    "annotation_description", "annotation_merging", "application_cases", "ethics_statement",
    "data_usage_agreement", "challenge", "imaging_modalities", "context_information", "subject_details",
    "doppler", "b_mode",
)
MODEL_KEYS = (
    "training_data_public", "weights_public", "code_shared", "training_details", "study_objective",
    "funding_statement", "ethics_statement", "competing_interests", "authorship", "author_contributions",
    "code_availability_statement", "software_citations",
)
MODEL_DESCRIPTIVE = ("name", "link", "task", "training_datasets", "anatomy", "framework")
SHARED_DESCRIPTIVE = ("licence", "doi", "description", "version")
MODEL_TASKS = (
    "Image Enhancement", "Generation", "Pre-training / Foundation Model", "Detection", "Segmentation",
    "Estimation", "Classification", "Post-processing", "Report Generation", "Scanning-Guide",
    "Explainability", "Reconstruction", "Registration",
)


@pytest.fixture(scope="module")
def rubric() -> rubric_module.Rubric:
    return rubric_module.load()


def test_dataset_high_tier_is_14_characteristics_of_weight_2(rubric: rubric_module.Rubric) -> None:
    high = [c for c in rubric.dataset.characteristics if c.tier == "high"]
    assert tuple(c.key for c in high) == HIGH_KEYS
    assert {c.weight for c in high} == {2}


def test_dataset_low_tier_is_20_characteristics_of_weight_1(rubric: rubric_module.Rubric) -> None:
    low = [c for c in rubric.dataset.characteristics if c.tier == "low"]
    assert tuple(c.key for c in low) == LOW_KEYS
    assert {c.weight for c in low} == {1}


def test_dataset_keys_order_and_total_weight(rubric: rubric_module.Rubric) -> None:
    assert rubric.dataset.keys == HIGH_KEYS + LOW_KEYS
    assert len(rubric.dataset.keys) == 34
    assert rubric.dataset.total_weight == 48
    assert all(c.label.strip() for c in rubric.dataset.characteristics)


def test_model_criteria_are_the_12_canonical_keys(rubric: rubric_module.Rubric) -> None:
    assert rubric.model.keys == MODEL_KEYS
    assert all(c.label.strip() for c in rubric.model.criteria)


def test_ids_and_versions(rubric: rubric_module.Rubric) -> None:
    assert rubric.dataset.id == "SonoDQS"
    assert rubric.model.id == "SonoMQS"
    assert rubric.dataset.version == "1.0"
    assert rubric.model.version == "1.0"
    assert rubric.dataset.ref == "SonoDQS@1.0"
    assert rubric.model.ref == "SonoMQS@1.0"


def test_tiers_highest_first_with_spec_bounds(rubric: rubric_module.Rubric) -> None:
    assert [(t.name, t.min) for t in rubric.dataset.tiers] == [
        ("diamond", 0.87),
        ("platinum", 0.77),
        ("gold", 0.67),
        ("silver", 0.57),
        ("bronze", 0.45),
        ("steel", 0.32),
        ("unrated", 0.0),
    ]


def test_placeholders_are_lowercase_and_include_the_usual(rubric: rubric_module.Rubric) -> None:
    placeholders = rubric.dataset.placeholders
    for text in ("", "nan", "n/a", "none", "unknown", "not specified", "not reported", "tbd", "[more information needed]"):
        assert text in placeholders
    assert all(p == p.strip().lower() for p in placeholders)
    assert "no" not in placeholders  # a recorded "No" is information


def test_descriptive_fields_scanning_modes_and_tasks(rubric: rubric_module.Rubric) -> None:
    assert rubric.model_descriptive == MODEL_DESCRIPTIVE
    assert rubric.shared_descriptive == SHARED_DESCRIPTIVE
    assert rubric.scanning_modes == ("2D freehand", "2D standard planes", "2D+t", "3D", "3D reconstructed from 2D")
    assert rubric.model_tasks[:13] == MODEL_TASKS
    assert "Localization" in rubric.model_tasks  # Table 2 uses it


def test_keys_for(rubric: rubric_module.Rubric) -> None:
    assert rubric.keys_for("dataset") == HIGH_KEYS + LOW_KEYS + SHARED_DESCRIPTIVE
    model = rubric.keys_for("model")
    assert model == MODEL_KEYS + MODEL_DESCRIPTIVE + SHARED_DESCRIPTIVE
    assert len(model) == len(set(model))
    with pytest.raises(ValueError):
        rubric.keys_for("software")


def test_default_path_is_the_packaged_file(rubric: rubric_module.Rubric) -> None:
    path = Path(rubric_module.default_path())
    assert path.name == "rubric.toml"
    assert rubric_module.load(path) == rubric


def test_a_curator_edit_is_picked_up(tmp_path: Path) -> None:
    data = tomllib.loads(Path(rubric_module.default_path()).read_text(encoding="utf-8"))
    data["dataset"]["version"] = "1.1"
    data["dataset"]["weights"]["high"] = 3
    edited = rubric_module.parse(data)
    assert edited.dataset.ref == "SonoDQS@1.1"
    assert edited.dataset.total_weight == 14 * 3 + 20


@pytest.mark.parametrize("remove", ["dataset", "model", "descriptive"])
def test_invalid_rubric_raises_config_error(remove: str) -> None:
    data = tomllib.loads(Path(rubric_module.default_path()).read_text(encoding="utf-8"))
    del data[remove]
    with pytest.raises(ConfigError, match="rubric file is invalid"):
        rubric_module.parse(data)


def test_invalid_rubric_file_raises_config_error(tmp_path: Path) -> None:
    path = tmp_path / "rubric.toml"
    path.write_text('[dataset]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        rubric_module.load(path)
