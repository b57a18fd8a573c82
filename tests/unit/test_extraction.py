"""Pre-extraction: values typed as docs/fields.md says, each with verbatim evidence and its record."""

from __future__ import annotations

from typing import Any

import pytest

from crawler import fields as contract
from crawler.extraction import COMMON_KEYS, DATASET_KEYS, MODEL_KEYS, extract, read
from crawler.models import Candidate, FieldValue, FileInfo
from crawler.rubric import load
from crawler.vocab import ANATOMY

RUBRIC = load()

# -- fixtures written for these tests ----------------------------------------------------------

THYROID_README = """\
<p align="center"><img src="assets/logo.png" width="300"></p>

# ThyroScan-2K

[![License: CC BY-NC 4.0](https://img.shields.io/badge/License-CC%20BY--NC%204.0-lightgrey.svg)](https://creativecommons.org/licenses/by-nc/4.0/)
[![arXiv](https://img.shields.io/badge/arXiv-2401.01234-b31b1b.svg)](https://arxiv.org/abs/2401.01234)

ThyroScan-2K is a public dataset of **2,034 thyroid ultrasound images** from 812 patients with pixel-level nodule \
masks and TI-RADS categories, intended for benchmarking computer-aided diagnosis systems.

## News
- 2024-03-01: v1.1 released with corrected masks.

## Data acquisition

The images were retrospectively collected between January 2017 and December 2021 at the Department of Ultrasound, \
First Affiliated Hospital of Sun Yat-sen University, Guangzhou, China, and at Peking Union Medical College Hospital.
Images were acquired with two ultrasound machines (GE Logiq E9 and Philips EPIQ 7) using linear array transducers \
(L12-5, 5-12 MHz) with patients in the supine position.
All examinations were performed by 4 sonographers with more than 5 years of experience in thyroid imaging.
Patients were aged 18 to 85 years (mean 46.2), 612 women and 200 men.

## Annotation

Each nodule was manually delineated by two radiologists using ITK-SNAP following the ACR TI-RADS lexicon.
Disagreements were resolved by a senior radiologist, and the final masks were obtained by consensus.
Each sample consists of one B-mode image (PNG) and its binary mask.

## Splits

| Split | Images |
|-------|--------|
| Train | 1,424 |
| Val   | 203 |
| Test  | 407 |

Splits are patient-level: no patient appears in more than one split.

## Download

The dataset is available on Zenodo: https://doi.org/10.5281/zenodo.1234567 . Metadata (age, sex, TI-RADS, \
FNA result, pixel spacing) are provided in `metadata.csv`.

## Ethics

The study was approved by the Ethics Committee of the First Affiliated Hospital of Sun Yat-sen University \
and informed consent was waived.

## License

This dataset is released under the CC BY-NC 4.0 license. Commercial use is not permitted.

## Citation

```bibtex
@inproceedings{li2023thyroscan,
  title={ThyroScan-2K},
  author={Li, Wei and Zhang, Min},
  year={2023}
}
```

## Acknowledgements
This work was supported by the National Natural Science Foundation of China (No. 62001234).
"""

MODEL_README = """\
# SegBUS: prompt-free lesion segmentation in breast ultrasound

![PyTorch](https://img.shields.io/badge/PyTorch-2.0-red)

Official PyTorch implementation of "SegBUS: prompt-free lesion segmentation in breast ultrasound".

## News
* [ ] Release pretrained weights
* [x] Release training code

## Installation
```bash
pip install torch==2.0.1 torchvision
```

## Datasets
We train and evaluate on BUSI and UDIAT. Download BUSI from https://scholar.cu.edu.eg/?q=afahmy/pages/dataset.

## Training
```
python train.py --lr 1e-4 --epochs 200 --batch_size 8
```
The model is trained with the AdamW optimizer and a Dice loss on one NVIDIA A100 GPU.

## Pretrained weights
The pretrained weights will be released upon acceptance.

## Acknowledgement
This code is based on [SAM](https://github.com/facebookresearch/segment-anything). We thank the authors.
"""

# Types of docs/fields.md, by key.
TEXT = str
FIELD_TYPES: dict[str, Any] = {
    "name": str, "link": list, "anatomy": list, "scanning_mode": list, "multimodal_text_image": bool,
    "total_size": int, "split_sizes": str, "task_category": str, "geography": list, "acquisition_years": str,
    "other_imaging_metadata": str, "machines": str, "centres": str, "access": str, "devices": str,
    "acquisition_protocol": str, "institution": str, "acquirer_characteristics": str, "split_characteristics": str,
    "sample_definition": str, "operator_count": int, "annotation_method": str, "annotator_instructions": str,
    "annotation_description": str, "annotation_merging": str, "application_cases": str, "ethics_statement": (str, bool),
    "data_usage_agreement": str, "challenge": str, "imaging_modalities": str, "context_information": str,
    "subject_details": str, "doppler": bool, "b_mode": bool, "training_data_public": bool, "weights_public": bool,
    "code_shared": bool, "training_details": bool, "study_objective": bool, "funding_statement": bool,
    "competing_interests": bool, "authorship": bool, "author_contributions": bool, "code_availability_statement": bool,
    "software_citations": bool, "task": str, "training_datasets": list, "framework": str, "licence": str, "doi": str,
    "description": str, "version": str,
}


def github(text: str, **kwargs: Any) -> Candidate:
    base: dict[str, Any] = {
        "source": "github", "native_id": "4242", "url": "https://github.com/lab/ThyroScan-2K", "title": "lab/ThyroScan-2K",
        "text": text, "kind_hint": "software", "access": "open", "authors": ["lab"],
    }
    base.update(kwargs)
    return Candidate(**base)


def assert_contract(candidate: Candidate, fields: dict[str, FieldValue], kind: str) -> None:
    """Every value typed per docs/fields.md, with verbatim evidence (or "key: value" metadata) and the record."""
    allowed = set((DATASET_KEYS if kind == "dataset" else MODEL_KEYS) + COMMON_KEYS)
    assert set(fields) <= allowed
    for key, field in fields.items():
        expected = FIELD_TYPES[key]
        if key == "ethics_statement":
            expected = str if kind == "dataset" else bool
        assert isinstance(field.value, expected), (key, field.value)
        assert not isinstance(field.value, bool) or expected is bool, key
        assert field.value not in ("", [], None), key
        assert field.source == f"{candidate.source}:{candidate.native_id}"
        assert 0 < len(field.evidence) <= 320, key
        is_metadata = field.evidence.split(":", 1)[0] in {
            "title", "url", "links", "license", "access_right", "access", "doi", "version", "latest release",
            "current version", "release assets", "files", "repository", "authors", "keywords", "subtitle",
            "pipeline_tag", "library_name", "framework", "model instances", "resource_type",
        }
        assert is_metadata or field.evidence in candidate.text, (key, field.evidence)
        if key == "total_size":
            assert field.unit in {"images", "videos", "volumes", "patients", "frames", "sequences"}
        else:
            assert field.unit is None
        if isinstance(field.value, list):
            assert all(isinstance(v, str) for v in field.value)
        if key in set(RUBRIC.keys_for(kind)):
            assert contract.validate(key, field.value, kind, RUBRIC) == field.value, key
        if key == "anatomy":
            assert set(field.value) <= set(ANATOMY)
        if key == "framework":
            assert field.value in contract.FRAMEWORKS
        if key in {"task", "task_category"}:
            assert set(field.value.split(", ")) <= set(contract.TASKS)


# -- reading markdown --------------------------------------------------------------------------


def test_read_masks_badges_images_and_code_but_keeps_offsets() -> None:
    doc = read(THYROID_README)
    assert len(doc.masked) == len(THYROID_README)
    cleaned = " ".join(s.clean for s in doc.segments)
    assert "img.shields.io" not in cleaned and "logo.png" not in cleaned
    assert "@inproceedings" not in cleaned  # fenced bibtex is code
    for seg in doc.segments:
        assert THYROID_README[seg.start : seg.end].strip()
    assert "https://arxiv.org/abs/2401.01234" in doc.urls  # link targets stay available


def test_read_sections_headings_and_sentences() -> None:
    doc = read(THYROID_README)
    headings = [s.clean for s in doc.segments if s.heading]
    assert headings[:3] == ["ThyroScan-2K", "News", "Data acquisition"]
    acquisition = [s for s in doc.segments if s.section == "data acquisition" and not s.heading]
    assert len(acquisition) == 4  # four sentences, hard-wrapped lines joined
    assert acquisition[1].clean.startswith("Images were acquired with two ultrasound machines")


def test_read_keeps_link_text_and_splits_lists_and_tables() -> None:
    doc = read("Intro text here.\n\n* [Download](https://x.org/d.zip) the data\n* second item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    cleaned = [s.clean for s in doc.segments]
    assert "Download the data" in cleaned and "second item" in cleaned
    assert "1 | 2" in cleaned and not any("---" in c for c in cleaned)


def test_read_checkbox_items() -> None:
    doc = read("- [ ] Release weights\n- [x] Release code\n")
    assert [(s.clean, s.checkbox) for s in doc.segments] == [("Release weights", " "), ("Release code", "x")]


def test_read_does_not_split_on_abbreviations_or_decimals() -> None:
    doc = read("Images (e.g. liver, kidney) were taken at 3.5 MHz by Dr. Smith et al. in Oslo. Next sentence here.")
    assert [s.clean for s in doc.segments][-1] == "Next sentence here."
    assert len(doc.segments) == 2


# -- datasets ----------------------------------------------------------------------------------


def test_dataset_readme_fields() -> None:
    candidate = github("A thyroid ultrasound dataset\n\n" + THYROID_README)
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    value = {k: v.value for k, v in fields.items()}
    assert value["name"] == "ThyroScan-2K"
    assert value["link"][:2] == ["https://github.com/lab/ThyroScan-2K", "https://doi.org/10.5281/zenodo.1234567"]
    assert value["anatomy"] == ["thyroid"]
    assert (value["total_size"], fields["total_size"].unit) == (2034, "images")
    assert value["split_sizes"] == "train 1424 / val 203 / test 407"
    assert value["task_category"] == "Classification, Segmentation"
    assert value["geography"] == ["China"]
    assert value["acquisition_years"] == "2017-2021"
    assert value["machines"] == "multiple" and value["centres"] == "multiple"
    assert value["access"] == "OA"
    assert "GE Logiq E9" in value["devices"]
    assert "pixel spacing" in value["other_imaging_metadata"]
    assert "First Affiliated Hospital of Sun Yat-sen University" in value["institution"]
    assert "5 years of experience" in value["acquirer_characteristics"]
    assert value["operator_count"] == 4
    assert "patient-level" in value["split_characteristics"]
    assert "one B-mode image" in value["sample_definition"]
    assert "manually delineated by two radiologists" in value["annotation_method"]
    assert "ACR TI-RADS lexicon" in value["annotator_instructions"]
    assert "consensus" in value["annotation_merging"]
    assert "benchmarking" in value["application_cases"]
    assert "Ethics Committee" in value["ethics_statement"]
    assert "Commercial use is not permitted" in value["data_usage_agreement"]
    assert "aged 18 to 85 years" in value["subject_details"]
    assert value["b_mode"] is True
    assert value["licence"] == "CC-BY-NC-4.0"
    assert value["doi"] == "10.5281/zenodo.1234567"
    # the GitHub one-liner is too short to be a summary; the first real paragraph is
    assert value["description"].startswith("ThyroScan-2K is a public dataset of 2,034 thyroid ultrasound images")
    # not stated: left out, never guessed
    for key in ("doppler", "multimodal_text_image", "challenge", "scanning_mode", "version", "imaging_modalities"):
        assert key not in fields


def test_funding_country_and_news_are_not_data_facts() -> None:
    text = (
        "Lung ultrasound frames for B-line scoring.\n\n## Acknowledgements\n"
        "Funded by the National Natural Science Foundation of China.\n\n## News\n* 2023: Accepted at MICCAI 2023."
    )
    fields = extract(github(text), "dataset")
    assert "geography" not in fields and "acquisition_years" not in fields


def test_zenodo_dataset_metadata_and_evidence() -> None:
    candidate = Candidate(
        source="zenodo", native_id="13377650", url="https://zenodo.org/records/13377650",
        title="Multi-centre lung ultrasound video clips for B-line detection",
        text="4,812 lung ultrasound clips (convex and linear probes, handheld devices) from five emergency departments "
        "with frame-level B-line annotations. Access is granted to researchers under a data use agreement.",
        kind_hint="dataset", doi="10.5281/zenodo.13377650", concept_doi="10.5281/zenodo.13377649",
        links=["https://zenodo.org/records/13377650", "https://doi.org/10.5281/zenodo.13377650",
               "https://doi.org/10.5281/zenodo.13377649"],
        licence="cc-by-4.0", access="restricted", version="1.0", authors=["Rossi, Giulia"],
    )
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert fields["access"].value == "AR" and fields["access"].evidence == "access_right: restricted"
    assert fields["total_size"].value == 4812 and fields["total_size"].unit == "videos"
    assert fields["scanning_mode"].value == ["2D+t"]
    assert fields["centres"].value == "multiple"
    assert fields["anatomy"].value == ["lung"]
    assert fields["task_category"].value == "Detection"
    assert fields["licence"].value == "CC-BY-4.0" and fields["licence"].evidence == "license: cc-by-4.0"
    assert fields["doi"].value == "10.5281/zenodo.13377650"
    assert "https://doi.org/10.5281/zenodo.13377649" in fields["link"].value  # the concept DOI too
    assert "data use agreement" in fields["data_usage_agreement"].value
    assert fields["version"].value == "1.0"
    assert fields["name"].value == candidate.title


def test_kaggle_mirror_links_the_original_record() -> None:
    candidate = Candidate(
        source="kaggle", native_id="dataset:mirrors/bus-seg", url="https://www.kaggle.com/datasets/mirrors/bus-seg",
        title="Breast Ultrasound Lesion Segmentation (BUS-Seg v2)",
        text="Mirror of **BUS-Seg v2**, a breast ultrasound dataset.\n\n"
        "Original record and citation: https://doi.org/10.5281/zenodo.14839211\nBaselines: https://github.com/lab/bus-baseline",
        licence="CC BY 4.0", access="open", version="2", extra={"subtitle": "1,240 breast ultrasound images with masks"},
    )
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert fields["link"].value == [candidate.url, "https://doi.org/10.5281/zenodo.14839211"]  # not the baseline code
    assert (fields["total_size"].value, fields["total_size"].evidence) == (1240, "subtitle: 1,240 breast ultrasound images with masks")
    assert fields["access"].value == "OA"
    assert fields["licence"].value == "CC-BY-4.0"
    assert fields["description"].value == "Mirror of BUS-Seg v2, a breast ultrasound dataset."


def test_hf_gated_dataset_is_on_request() -> None:
    candidate = Candidate(
        source="huggingface", native_id="dataset:echo/lv", url="https://huggingface.co/datasets/echo/lv", title="echo/lv",
        text="# Apical LV\n\n500 apical four-chamber echocardiography videos with left-ventricle masks. "
        "Access is gated: accept the research-use terms on this page.",
        access="gated", licence="other",
    )
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert fields["name"].value == "lv"
    assert fields["access"].value == "AR"
    assert "licence" not in fields  # "other" is not a licence
    assert fields["total_size"].value == 500 and fields["total_size"].unit == "videos"
    assert "accept the research-use terms" in fields["data_usage_agreement"].value


def test_challenge_doppler_and_context() -> None:
    text = (
        "EchoLoop holds 1,200 apical cine loops acquired at Oslo University Hospital, Norway, between 2015 and 2018 "
        "using a GE Vivid E95 scanner. Frame rate was 50-70 fps.\n"
        "The data were released for the EchoLoop Segmentation Challenge at MICCAI 2021 (https://echoloop.grand-challenge.org).\n"
        "No Doppler recordings are included."
    )
    candidate = Candidate(source="zenodo", native_id="1", url="https://zenodo.org/records/1", title="EchoLoop", text=text,
                          access="open")
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert "EchoLoop Segmentation Challenge" in fields["challenge"].value
    assert fields["doppler"].value is False
    assert fields["context_information"].value == "Frame rate was 50-70 fps."
    assert fields["geography"].value == ["Norway"]
    assert fields["machines"].value == "single"  # one machine named in the acquisition sentence, nothing else
    assert fields["acquisition_years"].value == "2015-2018"
    assert fields["scanning_mode"].value == ["2D+t"]


def test_paper_record_of_a_dataset() -> None:
    candidate = Candidate(
        source="openalex", native_id="W1", url="https://doi.org/10.1038/s41597-025-04711-2",
        title="BUS-Seg: a multi-centre breast ultrasound dataset for lesion segmentation",
        text="We describe BUS-Seg, a public breast ultrasound imaging dataset of 1,240 B-mode images with expert lesion "
        "masks from three hospitals. The data are available at https://doi.org/10.5281/zenodo.14839211 and baseline "
        "code at https://github.com/lab/bus-baseline.",
        doi="10.1038/s41597-025-04711-2", licence="cc-by", access="open", authors=["A. Author"],
    )
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert fields["access"].value == "OA"  # from the text; OpenAlex's flag is the paper's
    assert "https://doi.org/10.5281/zenodo.14839211" in fields["link"].value
    assert "https://github.com/lab/bus-baseline" not in fields["link"].value
    assert fields["total_size"].value == 1240
    assert fields["centres"].value == "multiple"
    assert "licence" not in fields  # OpenAlex's licence is the article's; the abstract grants none for the data
    assert fields["doi"].value == "10.5281/zenodo.14839211"  # the data's own DOI the paper gives, not the article's


def test_sparse_record_states_almost_nothing() -> None:
    candidate = Candidate(source="scholar", native_id="abc", url="https://example.org/paper", title="Thyroid nodules",
                          text="We study ultrasound of thyroid nodules.")
    fields = extract(candidate, "dataset")
    assert_contract(candidate, fields, "dataset")
    assert set(fields) == {"name", "link", "anatomy", "description"}


def test_empty_text_and_unknown_kind() -> None:
    candidate = Candidate(source="github", native_id="9", url="https://github.com/a/b", title="a/b")
    assert set(extract(candidate, "dataset")) == {"name", "link"}
    assert extract(candidate, "other") == {}


def test_github_doi_only_from_a_badge() -> None:
    cited = github("A breast dataset.\n\nBased on https://doi.org/10.5281/zenodo.999 (the original data).",
                   doi="10.5281/zenodo.999")
    assert "doi" not in extract(cited, "model")
    badged = github("[![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.777.svg)](https://doi.org/10.5281/zenodo.777)\n\n"
                    "Code for a breast lesion classifier.")
    fields = extract(badged, "model")
    assert fields["doi"].value == "10.5281/zenodo.777"
    assert fields["doi"].evidence in badged.text


def test_version_from_text_not_from_software_versions() -> None:
    fields = extract(github("A kidney dataset.\n\nThis is dataset version 2.1 of the release."), "dataset")
    assert fields["version"].value == "2.1"
    assert "version" not in extract(github("A kidney dataset.\n\nRequires Python version 3.8."), "dataset")


# -- models ------------------------------------------------------------------------------------


def test_model_readme_fields() -> None:
    candidate = github("Prompt-free lesion segmentation for breast ultrasound\n\n" + MODEL_README,
                       url="https://github.com/lab/SegBUS", title="lab/SegBUS", licence="Apache-2.0")
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    value = {k: v.value for k, v in fields.items()}
    assert value["name"] == "SegBUS"
    assert value["link"] == ["https://github.com/lab/SegBUS"]
    assert value["weights_public"] is False and "upon acceptance" in fields["weights_public"].evidence
    assert value["code_shared"] is True
    assert value["training_data_public"] is True
    assert value["training_datasets"] == ["BUSI", "UDIAT"]
    assert value["training_details"] is True
    assert "study_objective" not in value  # "Official PyTorch implementation of <title>" states no aim
    assert value["task"] == "Segmentation"
    assert value["anatomy"] == ["breast"]
    assert value["framework"] == "PyTorch"
    assert value["licence"] == "Apache-2.0"
    for key in ("funding_statement", "competing_interests", "author_contributions", "software_citations", "ethics_statement"):
        assert key not in fields
    assert "total_size" not in fields  # a model has no dataset characteristics


def test_model_release_asset_weights() -> None:
    candidate = github("Keras TI-RADS classifier for thyroid nodules.\n\nWeights: `tirads_resnet50.h5` (release v1.0).",
                       files=[FileInfo("tirads_resnet50.h5", 9, "https://github.com/a/b/releases/download/v1.0/tirads_resnet50.h5")],
                       version="v1.0")
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    assert fields["weights_public"].value is True
    assert fields["weights_public"].evidence == "release assets: tirads_resnet50.h5"
    assert fields["framework"].value == "Keras"
    assert fields["task"].value == "Classification"
    assert fields["version"].value == "v1.0"


def test_model_todo_weights_without_files_is_false() -> None:
    candidate = github("Lung B-line detector.\n\n## TODO\n- [ ] Release the model checkpoints\n")
    assert extract(candidate, "model")["weights_public"].value is False


def test_hf_model_siblings_and_library() -> None:
    candidate = Candidate(
        source="huggingface", native_id="model:echo/ef-vit", url="https://huggingface.co/echo/ef-vit", title="echo/ef-vit",
        text="# ef-vit\n\nA VideoMAE model fine-tuned to estimate left-ventricular ejection fraction from apical "
        "four-chamber echocardiography clips.\n\n* Code: https://github.com/echo/ef-vit\n",
        files=[FileInfo("README.md"), FileInfo("config.json"), FileInfo("model.safetensors")],
        licence="apache-2.0", extra={"library_name": "transformers", "pipeline_tag": "video-classification"},
    )
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    assert fields["weights_public"].value is True and fields["weights_public"].evidence == "files: model.safetensors"
    assert fields["code_shared"].value is True
    assert "code_availability_statement" not in fields  # "Code: <url>" links the code; it is no statement
    assert fields["task"].value == "Estimation"  # the text, not the exported head's pipeline tag
    assert "framework" not in fields  # "transformers" runs PyTorch, TensorFlow and JAX weights: not stated
    assert fields["anatomy"].value == ["heart"]
    assert fields["link"].value == ["https://huggingface.co/echo/ef-vit", "https://github.com/echo/ef-vit"]


def test_hf_model_dataset_tags_name_the_training_data() -> None:
    candidate = Candidate(
        source="huggingface", native_id="model:a/busnet", url="https://huggingface.co/a/busnet", title="a/busnet",
        text="# busnet\n\nBreast lesion classifier.", keywords=["image-classification", "dataset:someone/BUSI"],
    )
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    assert fields["training_datasets"].value == ["BUSI"]
    assert fields["training_data_public"].value is True
    assert fields["training_datasets"].evidence == "keywords: dataset:someone/BUSI"


def test_kaggle_model_instances_are_downloadable() -> None:
    candidate = Candidate(
        source="kaggle", native_id="model:a/fetal-planes", url="https://www.kaggle.com/models/a/fetal-planes",
        title="Fetal Plane Classifier", kind_hint="model",
        text="Classifies fetal ultrasound frames into six standard planes.\n"
        "Trained on https://www.kaggle.com/datasets/a/fetal-ultrasound-planes\nCode: https://github.com/a/fetal-net",
        files=[FileInfo("pyTorch/default")], licence="MIT", extra={"frameworks": ["pyTorch"]},
    )
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    assert fields["weights_public"].value is True
    assert fields["framework"].value == "PyTorch"
    assert fields["training_data_public"].value is True
    assert fields["anatomy"].value == ["fetus"]
    assert "training_datasets" not in fields  # a link is not a dataset name


def test_paper_record_of_a_model() -> None:
    candidate = Candidate(
        source="openalex", native_id="W2", url="https://doi.org/10.48550/arxiv.2512.04417",
        title="Video transformers estimate ejection fraction from echocardiography",
        text="We fine-tune a VideoMAE model on apical four-chamber echocardiography clips to estimate ejection fraction. "
        "Weights are released at https://huggingface.co/echo/ef-vit. This work was funded by the Research Council of "
        "Norway. The authors declare no competing interests.",
        doi="10.48550/arxiv.2512.04417", authors=["Mette Andersen", "Priya Raman"], licence="cc-by",
    )
    fields = extract(candidate, "model")
    assert_contract(candidate, fields, "model")
    assert fields["weights_public"].value is True
    assert fields["authorship"].value is True and fields["authorship"].evidence == "authors: Mette Andersen, Priya Raman"
    assert "study_objective" not in fields  # "we fine-tune X to estimate Y" describes the method, states no aim
    assert fields["funding_statement"].value is True
    assert fields["competing_interests"].value is True
    assert fields["doi"].value == "10.48550/arxiv.2512.04417"
    assert "code_shared" not in fields  # nothing said about code
    assert "https://huggingface.co/echo/ef-vit" in fields["link"].value


@pytest.mark.parametrize(
    ("text", "key", "value", "evidence"),
    [
        ("A breast model.\n\n## Pretrained weights\nDownload [here](https://drive.google.com/file/d/x).\n",
         "weights_public", True, "Download [here](https://drive.google.com/file/d/x)."),
        ("A breast model.\n\n## Pretrained weights\nComing soon.\n", "weights_public", False, "Coming soon."),
        ("A breast model.\n\nDownload the SAM ViT-B checkpoint from https://x.org/sam_vit_b.pth into checkpoints/.\n",
         "weights_public", None, None),
        ("A lung model.\n\n## Code\nAvailable at https://github.com/a/b.\n", "code_shared", True,
         "Available at https://github.com/a/b."),
    ],
)
def test_weights_and_code_read_their_heading(text: str, key: str, value: bool | None, evidence: str | None) -> None:
    candidate = Candidate(source="openalex", native_id="W9", url="https://doi.org/10.1/x", title="A model", text=text)
    fields = extract(candidate, "model")
    if value is None:
        assert key not in fields
    else:
        assert (fields[key].value, fields[key].evidence) == (value, evidence)


def test_model_private_training_data_is_false() -> None:
    candidate = github("EF regression from echo videos.\n\nTraining data are not redistributable; see the paper.")
    assert extract(candidate, "model")["training_data_public"].value is False


def test_github_authorship_needs_named_authors() -> None:
    # a repository owner is an account, not an author statement
    assert "authorship" not in extract(github("A liver steatosis grader."), "model")
    named = github("A liver steatosis grader.\n\nAuthors: Jane Doe, John Roe\n")
    assert extract(named, "model")["authorship"].value is True


@pytest.mark.parametrize("kind", ["dataset", "model"])
def test_description_skips_badges_and_headings(kind: str) -> None:
    text = "[![CI](https://img.shields.io/x.svg)](https://ci)\n\n# Title\n\n" + "A long paragraph about thyroid data. " * 30
    fields = extract(github(text), kind)
    description = fields["description"].value
    assert description.startswith("A long paragraph about thyroid data.")
    assert len(description) <= 500 and "shields" not in description


# -- rules added for field accuracy (examples written for these tests) -------------------------


def zen(text: str, **kwargs: Any) -> Candidate:
    base: dict[str, Any] = {
        "source": "zenodo", "native_id": "77", "url": "https://zenodo.org/records/77", "title": "Wrist scans",
        "text": text, "access": "open",
    }
    base.update(kwargs)
    return Candidate(**base)


def test_one_named_site_and_one_machine_are_single() -> None:
    fields = extract(zen("1,300 wrist images acquired at Tampere University Hospital, Finland, with a Canon Aplio i700."),
                     "dataset")
    assert fields["centres"].value == "single"
    assert fields["machines"].value == "single"
    assert "Tampere University Hospital" in fields["institution"].value


def test_several_sites_beat_a_single_model_and_a_passing_single_site() -> None:
    text = ("Earlier work used single-centre cohorts. Our 2,000 clips come from three hospitals in Kenya; the clips "
            "from Nairobi were recorded with a Clarius C3.")
    fields = extract(zen(text), "dataset")
    assert fields["centres"].value == "multiple"
    assert "machines" not in fields  # one model named for data from several sites does not cover all of it


def test_two_named_hospitals_in_one_sentence_are_multiple() -> None:
    text = "Images were collected at Alder Hey Children's Hospital and at Leeds General Infirmary."
    assert extract(zen(text), "dataset")["centres"].value == "multiple"


def test_place_line_names_the_institution() -> None:
    text = "Elastography frames of liver lesions, 612 images with masks.\nRadiology Unit, University of Malta, Malta."
    fields = extract(zen(text), "dataset")
    assert fields["centres"].value == "single"
    assert "University of Malta" in fields["institution"].value


def test_patients_are_not_the_total_when_images_are_counted_only_per_class() -> None:
    text = "Images of 420 patients: 300 normal images and 180 abnormal images."
    assert "total_size" not in extract(zen(text), "dataset")


def test_a_record_holding_one_part_is_sized_by_it() -> None:
    fields = extract(zen("Training portion of a challenge: 2,440 training images of the neck from 61 subjects."),
                     "dataset")
    assert (fields["total_size"].value, fields["total_size"].unit) == (2440, "images")
    assert "split_sizes" not in fields  # one part is not a split


def test_split_table_under_its_header_rule() -> None:
    text = "# Data\n\n| split | patients | clips |\n|---|---|---|\n| train | 90 | 1,800 |\n| val | 10 | 200 |\n" \
           "| test | 20 | 410 |\n"
    fields = extract(github(text), "dataset")
    assert fields["split_sizes"].value == "train 1800 / val 200 / test 410"


def test_github_dataset_access_and_licence() -> None:
    plain = github("Small dataset of 200 knee images in `data/`.", licence="MIT")
    fields = extract(plain, "dataset")
    assert fields["access"].value == "OA"  # a public repository's data, nothing restricting it
    assert "licence" not in fields  # MIT covers the scripts, not the images
    stated = extract(github("Knee images in `data/`. Images: CC BY 4.0.", licence=None), "dataset")
    assert stated["licence"].value == "CC-BY-4.0"
    clash = extract(github("Knee images on Zenodo (open, CC BY 4.0).", licence="Apache-2.0"), "dataset")
    assert "licence" not in clash  # the repository's licence and the data's disagree
    content = extract(github("Knee images in `data/`.", licence="CC-BY-SA-4.0"), "dataset")
    assert content["licence"].value == "CC-BY-SA-4.0"


def test_paper_licence_is_the_articles() -> None:
    paper = Candidate(source="scholar", native_id="s1", url="https://x.org/p", title="A knee dataset",
                      text="We release 900 knee images at https://zenodo.org/records/5 under CC0.", licence="cc-by")
    fields = extract(paper, "dataset")
    assert fields["licence"].value == "CC0-1.0"  # the abstract's grant for the data, not the article's cc-by
    assert "https://zenodo.org/records/5" in fields["link"].value


def test_github_dataset_doi_from_its_data_line() -> None:
    text = "Loaders for SpineScan.\n\nData (Zenodo, all versions): https://doi.org/10.5281/zenodo.999001\n"
    assert extract(github(text), "dataset")["doi"].value == "10.5281/zenodo.999001"


def test_links_from_original_site_and_bare_host_urls() -> None:
    mirror = Candidate(source="kaggle", native_id="dataset:a/b", url="https://www.kaggle.com/datasets/a/b",
                       title="Hip", text="Re-upload for notebooks. Original site: http://hip-lab.example.edu/data")
    assert "http://hip-lab.example.edu/data" in extract(mirror, "dataset")["link"].value
    paper = Candidate(source="scholar", native_id="s2", url="https://x.org/p", title="Hip",
                      text="the clips are available on Kaggle (kaggle.com/datasets/hiplab/hip-clips)")
    assert "https://kaggle.com/datasets/hiplab/hip-clips" in extract(paper, "dataset")["link"].value


def test_foundation_model_task_and_detector_task() -> None:
    fm = github("A self-supervised foundation model for ultrasound, evaluated on classification and segmentation.",
                title="lab/SonoBase")
    assert extract(fm, "model")["task"].value == "Pre-training / Foundation Model"
    titled = github("Weights and code.", title="A foundation model for ultrasound segmentation")
    assert extract(titled, "model")["task"].value == "Segmentation, Pre-training / Foundation Model"
    det = github("A detector that localises the median nerve in wrist clips.", title="lab/nervefinder")
    assert extract(det, "model")["task"].value == "Detection"


def test_training_data_own_name_and_evaluation_data() -> None:
    text = ("We propose KidNet, a kidney segmentation network trained on the public RenalUS dataset. "
            "Public evaluation data: the Kidney-Test-7 dataset (https://zenodo.org/records/3).")
    fields = extract(github(text, title="lab/KidNet"), "model")
    assert fields["training_datasets"].value == ["RenalUS"]
    assert fields["training_data_public"].value is True
    own = github("Trained on our own ICU clips, which cannot be shared.", title="lab/ivc")
    fields = extract(own, "model")
    assert "training_datasets" not in fields and fields["training_data_public"].value is False
    mixed = github("Trained on the FooUS dataset + in-house data.", title="lab/mix")
    assert extract(mixed, "model")["training_data_public"].value is True  # a public dataset is among them


@pytest.mark.parametrize(
    ("text", "key", "phrase"),
    [
        ("Scans were made with a Vscan Air by trained midwives in rural clinics.", "acquirer_characteristics",
         "trained midwives"),
        ("Each exam followed a four-zone scanning protocol.", "acquisition_protocol", "four-zone scanning protocol"),
        ("Fluid labels were assigned by two emergency physicians.", "annotation_method", "two emergency physicians"),
        ("Ethics: Helsinki University Hospital board, ref 12/2022.", "ethics_statement", "Helsinki University Hospital"),
        ("Use is bound by the end-user agreement of the hospital.", "data_usage_agreement", "end-user agreement"),
        ("Frames come from 140 postmenopausal women.", "subject_details", "postmenopausal women"),
        ("Files were split into train and test by patient.", "split_characteristics", "by patient"),
        # what one sample is: an image with what comes with it
        ("Each image has a lesion mask.", "sample_definition", "lesion mask"),
        ("Each volume comes with a spine mask and the Cobb angle.", "sample_definition", "Cobb angle"),
        ("Each frame is paired with the biopsy result.", "sample_definition", "biopsy result"),
        # what the labels are: classes, grades, scores, named label kinds
        ("Scans were labelled healthy or steatotic by hepatologists.", "annotation_description", "healthy or steatotic"),
        ("Each clip is graded 0-3 by two readers.", "annotation_description", "graded 0-3"),
        ("Images are divided into 4 classes: A, B, C and D.", "annotation_description", "4 classes"),
        ("Classes: normal (120), cyst (64), stone (72).", "annotation_description", "cyst (64)"),
        ("It comes with effusion labels for every video.", "annotation_description", "effusion labels"),
        ("Includes manual tendon segmentations.", "annotation_description", "tendon segmentations"),
        ("500 labelled images (fibrosis vs. no fibrosis) and 900 unlabelled.", "annotation_description", "vs. no fibrosis"),
        ("Results are given per ewe (empty / single / twins).", "annotation_description", "empty / single"),
        # how the labels were made: by experts, by a reading protocol, from a reference test, in a tool
        ("Videos come with expert manual tracings of the left atrium.", "annotation_method", "expert manual tracings"),
        ("Lesions went through a two-reader annotation protocol.", "annotation_method", "two-reader annotation"),
        ("Labels from core-needle biopsy (benign / malignant).", "annotation_method", "core-needle biopsy"),
        ("Scans graded using shear-wave elastography as reference.", "annotation_method", "as reference"),
        ("Outlines were drawn in ITK-SNAP.", "annotation_method", "ITK-SNAP"),
        # what the data is for
        ("For plaque grading research.", "application_cases", "plaque grading research"),
        ("Unlabelled frames are added to support self-supervised learning.", "application_cases", "self-supervised"),
    ],
)
def test_dataset_text_cues(text: str, key: str, phrase: str) -> None:
    fields = extract(zen("Shoulder ultrasound images. " + text), "dataset")
    assert phrase in fields[key].value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Images were acquired at a clinic with a Clarius L15.", "acquisition_protocol"),  # acquiring is no protocol
        ("Annotators: three sonographers with 8 years of experience.", "acquirer_characteristics"),  # annotators
        ("Each site used its own scanner.", "sample_definition"),  # a site is no sample
        ("Frames were labelled by two radiologists.", "annotation_description"),  # who labelled, not what
        ("All labels were checked twice.", "annotation_description"),  # "all labels" names no label
        ("For research purposes only.", "application_cases"),  # a condition of use, not an application
        ("Includes manual tendon segmentations.", "annotation_method"),  # what the labels are, not who made them
        ("Tumours were confirmed by biopsy.", "annotation_method"),  # the diagnosis, not how labels were made
        ("Frames from 300 patients.", "subject_details"),  # a count says nothing about who they are
        ("Patient-level metadata: age and sex.", "split_characteristics"),  # no split in sight
        ("This is not the 2D CAMUS challenge data.", "challenge"),
        ("Images were stored with manual masks.", "annotation_method"),  # says neither who nor how many
    ],
)
def test_dataset_text_cues_not_stated(text: str, key: str) -> None:
    assert key not in extract(zen("Shoulder ultrasound images. " + text), "dataset")


def test_year_at_the_end_of_a_data_sentence_is_not_a_citation() -> None:
    fields = extract(zen("Bladder images collected from a urology clinic in Pune, India (2020)."), "dataset")
    assert fields["acquisition_years"].value == "2020"


def test_weights_link_after_a_masked_link_text() -> None:
    text = "Nodule segmenter.\n\n**Checkpoint**: [best.pth (Google Drive)](https://drive.google.com/file/d/abc/view)\n"
    fields = extract(github(text), "model")
    assert fields["weights_public"].value is True


def test_framework_from_host_tags() -> None:
    kaggle = Candidate(source="kaggle", native_id="model:a/b", url="https://www.kaggle.com/models/a/b", title="b",
                       kind_hint="model", text="A Keras EfficientNet fine-tuned on thyroid frames.",
                       files=[FileInfo("tensorFlow2/default")], extra={"frameworks": ["tensorFlow2"]})
    assert extract(kaggle, "model")["framework"].value == "Keras"
    hf = Candidate(source="huggingface", native_id="model:a/c", url="https://huggingface.co/a/c", title="a/c",
                   text="A thyroid classifier.", extra={"library_name": "timm"})
    assert "framework" not in extract(hf, "model")  # a library name, not the framework the card states


def test_github_repository_without_code() -> None:
    weights_only = github("nnU-Net weights for liver segmentation.", extra={"language": None})
    assert "code_shared" not in extract(weights_only, "model")
    with_code = github("A liver segmenter.", extra={"language": "Python"})
    assert extract(with_code, "model")["code_shared"].value is True


def test_long_readme_reads_only_its_first_part() -> None:
    body = "Breast ultrasound segmentation code. " + "An unrelated example line about usage and options. " * 4000
    fields = extract(github(body + "\n\nImages were acquired with a Samsung RS85."), "dataset")
    assert "machines" not in fields  # past the descriptive part a 200 kB README is examples and changelogs
