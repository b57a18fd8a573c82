"""Normalisers: one question about a piece of text, one canonical value, nothing when it is not said."""

from __future__ import annotations

import pytest

from crawler import normalise as norm
from crawler.models import Candidate, FileInfo


def _candidate(**kwargs) -> Candidate:
    base = {"source": "github", "native_id": "1", "url": "https://github.com/lab/repo", "title": "lab/repo"}
    base.update(kwargs)
    return Candidate(**base)


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,400", 12400),
        ("1.2k", 1200),
        ("10 300", 10300),
        ("2 million", 2_000_000),
        ("640", 640),
        ("three", 3),
        ("4.1", None),  # a decimal is not a count
        ("", None),
        ("abc", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert norm.parse_number(text) == value


# -- anatomy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Breast lesion segmentation in B-mode images", ["breast"]),
        ("apical four-chamber echocardiography", ["heart"]),
        ("common carotid artery intima-media thickness", ["carotid artery"]),  # not "blood vessels" too
        ("Fetal head circumference from second-trimester scans", ["fetus"]),
        ("fetal brain, fetal abdomen and maternal cervix planes", ["fetus", "cervix"]),  # fetal organs fold in
        ("thyroid nodules and neck lymph nodes", ["thyroid", "neck"]),
        ("a breast phantom made of gelatin", ["breast", "phantom"]),
    ],
)
def test_anatomy_terms(text: str, terms: list[str]) -> None:
    assert norm.anatomy(text) == terms


@pytest.mark.parametrize(
    "text",
    [
        "We compare hand-crafted features with deep features.",
        "Attention is the heart of the method.",
        "The bottleneck has 512 neurons.",
        "Runs on an ARM processor with a mouse click.",
        "Data collection paused during the COVID-19 pandemic.",
        "Sonographers read the scans by eye.",
        "Images from a paediatric urology clinic were exported.",
        "The network backbone is a ResNet; see training/testing scripts.",
        "",
    ],
)
def test_anatomy_ignores_ml_prose(text: str) -> None:
    assert norm.anatomy(text) == []


def test_fold_fetal_keeps_maternal_and_subject_terms() -> None:
    assert norm.fold_fetal(["fetus", "heart", "cervix", "phantom"]) == ["fetus", "cervix", "phantom"]
    assert norm.fold_fetal(["heart", "lung"]) == ["heart", "lung"]


# -- scanning modes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        ("10,030 echocardiography videos", ["2D+t"]),
        ("apical cine loops at 50 fps", ["2D+t"]),
        ("3D ultrasound volumes of the prostate from a matrix probe", ["3D"]),
        ("4D fetal heart acquisitions", ["3D"]),
        ("Tracked freehand sweeps were compounded into 3D volumes.", ["3D reconstructed from 2D"]),
        ("Images of the transthalamic and transcerebellar planes", ["2D standard planes"]),
        ("standard planes used for biometry", ["2D standard planes"]),
        ("2D freehand scanning of the forearm", ["2D freehand"]),
        ("B-mode video clips and standard-plane stills", ["2D standard planes", "2D+t"]),
    ],
)
def test_scanning_modes(text: str, modes: list[str]) -> None:
    assert norm.scanning_modes(text) == modes


@pytest.mark.parametrize(
    "text",
    [
        "A 3D CNN segments each 2D image.",
        "Watch the YouTube video demo of the app.",
        "We fine-tune CLIP on image-text pairs.",
        "Images were exported as PNG.",
        "",
    ],
)
def test_scanning_modes_not_stated(text: str) -> None:
    assert norm.scanning_modes(text) == []


# -- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host_access", "source", "value", "evidence"),
    [
        ("open", "zenodo", "OA", "access_right: open"),
        ("restricted", "zenodo", "AR", "access_right: restricted"),
        ("embargoed", "zenodo", "AR", "access_right: embargoed"),
        ("gated", "huggingface", "AR", "access: gated"),
        ("open", "huggingface", "OA", "access: open"),
        ("open", "kaggle", "OA", "access: open"),
    ],
)
def test_access_from_host_flag(host_access: str, source: str, value: str, evidence: str) -> None:
    assert norm.access("", host_access, source) == norm.Verdict(value, evidence)


def test_access_ignores_repo_visibility_and_paper_open_access() -> None:
    # a public GitHub repo or an open-access paper says nothing about the data
    assert norm.access("", "open", "github") is None
    assert norm.access("", "open", "openalex") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The dataset is available on request from the corresponding author.", "AR"),
        ("Data are available upon reasonable request.", "AR"),
        ("Users must sign a data use agreement before download.", "AR"),
        ("Credentialed access is required on PhysioNet.", "AR"),
        ("Please fill in the application form to request access.", "AR"),
        ("Registration is required to download the images.", "AR"),
        ("Apply for access through the consortium portal.", "AR"),
        ("The data are publicly available at https://zenodo.org/records/1.", "OA"),
        ("The images are freely available for research.", "OA"),
        ("This is an open access dataset.", "OA"),
        ("The dataset is publicly available upon request.", "AR"),  # a request route wins
    ],
)
def test_access_from_text(text: str, value: str) -> None:
    verdict = norm.access(text)
    assert verdict is not None and verdict.value == value
    assert verdict.evidence in text


@pytest.mark.parametrize(
    "text", ["We trained a U-Net on breast images.", "Published in an open access journal.", "The data are not publicly available.", ""]
)
def test_access_not_stated(text: str) -> None:
    assert norm.access(text) is None


# -- licences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "spdx"),
    [
        ("cc-by-4.0", "CC-BY-4.0"),
        ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0"),
        ("cc-zero", "CC0-1.0"),
        ("mit", "MIT"),
        ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"),
        ("Attribution 4.0 International (CC BY 4.0)", "CC-BY-4.0"),
        ("Attribution-NonCommercial-ShareAlike 4.0 International", "CC-BY-NC-SA-4.0"),
        ("CC0: Public Domain", "CC0-1.0"),
        ("CC0-1.0", "CC0-1.0"),
        ("Database: Open Database, Contents: Database Contents", "ODbL-1.0"),
        ("license:cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("apache-2.0", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("GPL-3.0", "GPL-3.0-only"),
        ("GPL 2", "GPL-2.0-only"),
        ("LGPL-2.1", "LGPL-2.1-only"),
        ("BSD-3-Clause", "BSD-3-Clause"),
        ("CC BY-SA 3.0", "CC-BY-SA-3.0"),
        ("Community Data License Agreement - Permissive - Version 1.0", "CDLA-Permissive-1.0"),
        ("openrail", "OpenRAIL"),
        ("cc-by", "CC-BY"),  # OpenAlex gives no version: keep the name, do not guess 4.0
        ("World Bank Dataset Terms of Use", "World Bank Dataset Terms of Use"),  # no SPDX id: its own name
    ],
)
def test_licence_spellings(spelling: str, spdx: str) -> None:
    assert norm.licence(spelling) == spdx


@pytest.mark.parametrize(
    "spelling",
    ["other", "unknown", "Other (specified in description)", "Data files © Original Authors", "NOASSERTION", "", None],
)
def test_licence_not_a_licence(spelling: str | None) -> None:
    assert norm.licence(spelling) is None


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("This dataset is released under the CC BY-NC 4.0 license.", "CC-BY-NC-4.0"),
        ("License: MIT", "MIT"),
        ("Distributed under the Apache License, Version 2.0.", "Apache-2.0"),
        ("We thank MIT for hosting the workshop.", None),  # a name without a grant
    ],
)
def test_licence_in_text(text: str, spdx: str | None) -> None:
    assert norm.licence_in_text(text) == spdx


# -- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("12,400 images", (12400, "images")),
        ("1.2k videos", (1200, "videos")),
        ("10 300 echocardiogram videos", (10300, "videos")),
        ("collected from 600 patients", (600, "patients")),
        ("780 images collected from 600 women", (780, "images")),  # samples beat the people they came from
        ("A total of 2,000 images from 500 patients", (2000, "images")),
        ("780 images: 437 benign, 210 malignant and 133 normal", (780, "images")),
        ("The dataset is a collection of 2,034 thyroid ultrasound images", (2034, "images")),
        ("4,812 lung ultrasound clips", (4812, "videos")),
        ("10,000 frames extracted from 300 videos", (10000, "frames")),
        ("150 3D volumes", (150, "volumes")),
        ("320 cine-loops", (320, "videos")),
    ],
)
def test_size(text: str, size: tuple[int, str]) -> None:
    assert norm.size(text) == size


@pytest.mark.parametrize(
    "text",
    [
        "images resized to 512 x 512 images",  # a resolution
        "437 benign images, 210 malignant images and 133 normal images",  # per-class counts, no total
        "The training set of 500 images",  # a split, not the whole
        "trained for 100 epochs",
        "published in 2019",
        "each sample is one image with its mask",
        "Patients were 612 women and 200 men.",  # a sex breakdown
        "",
    ],
)
def test_size_not_a_total(text: str) -> None:
    assert norm.size(text) is None


def test_best_size_prefers_images_over_patients_across_sentences() -> None:
    sentences = ["Scans come from 812 patients.", "In total 2,034 images are provided."]
    assert norm.best_size(sentences) == (1, 2034, "images")


# -- split sizes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The training set contains 700 images, the validation set 100 images and the test set 200 images.",
         "train 700 / val 100 / test 200"),
        ("700 images for training, 100 for validation and 200 for testing", "train 700 / val 100 / test 200"),
        ("700, 100 and 200 images for training, validation and testing", "train 700 / val 100 / test 200"),
        ("split into train/val/test sets of 700/100/200", "train 700 / val 100 / test 200"),
        ("800 training images and 200 test images", "train 800 / test 200"),
        ("Test set: 1,200 frames", "test 1200"),
        ("training cohort (n = 412) and validation cohort (n = 103)", "train 412 / val 103"),
    ],
)
def test_split_sizes(text: str, value: str) -> None:
    assert norm.split_sizes(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "70%/15%/15% train/val/test",  # proportions, not sizes
        "trained for 100 epochs with batch size 8",
        "we test 3 different models",
        "",
    ],
)
def test_split_sizes_not_stated(text: str) -> None:
    assert norm.split_sizes(text) is None


# -- years -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Images were acquired between 2018 and 2020.", "2018-2020"),
        ("collected from January 2015 to December 2017 at two hospitals", "2015-2017"),
        ("Data were collected in 2019.", "2019"),
        ("Between March and June 2019, 200 patients were recruited.", "2019"),
        ("1,240 B-mode images from three hospitals (2019-2023)", "2019-2023"),
        ("retrospectively collected during 2016–2017", "2016-2017"),
    ],
)
def test_years(text: str, value: str) -> None:
    assert norm.years(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Published in 2021.",
        "© 2022 The Authors",
        "Datasets released between 2015 and 2025 were reviewed.",
        "The challenge was held in 2019 at MICCAI.",
        "Version 2 uploaded in 2024.",
        "",
    ],
)
def test_years_not_acquisition(text: str) -> None:
    assert norm.years(text) is None


# -- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("collected at Cairo University Hospital, Egypt", ["Egypt"]),
        ("two centres in Spain and one in the UK", ["United Kingdom", "Spain"]),
        ("First Affiliated Hospital of Sun Yat-sen University, Guangzhou, China", ["China"]),
        ("from three Chinese hospitals", ["China"]),
        ("recruited in the United States of America", ["United States"]),
        ("scanned in Seoul, Republic of Korea", ["South Korea"]),
    ],
)
def test_countries(text: str, names: list[str]) -> None:
    assert sorted(norm.countries(text)) == sorted(names)


@pytest.mark.parametrize(
    "text",
    [
        "Supported by the National Natural Science Foundation of China.",  # a funder
        "Lung ultrasound clips from five US emergency departments",  # "US" is never a country here
        "Images were collected in Boston.",  # a city implies nothing
        "A guinea pig model in Georgia",
        "",
    ],
)
def test_countries_not_stated(text: str) -> None:
    assert norm.countries(text) == []


# -- tasks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "names"),
    [
        ("pixel-level lesion masks for segmentation", "dataset", ["Segmentation"]),
        ("benign vs malignant classification and lesion detection", "dataset", ["Classification", "Detection"]),
        ("images with TI-RADS categories", "dataset", ["Classification"]),
        ("MRI to ultrasound registration", "dataset", ["Registration"]),
        ("speckle reduction and super-resolution", "dataset", ["Image Enhancement"]),
        ("radiology report generation", "dataset", ["Report Generation"]),
        ("needle tracking in video", "dataset", ["Tracking"]),
        ("estimates the ejection fraction", "model", ["Estimation"]),
        ("a self-supervised foundation model", "model", ["Pre-training / Foundation Model"]),
        ("probe guidance for novice users", "model", ["Scanning-Guide"]),
        ("needle tracking in video", "model", []),  # Tracking is not one of the model tasks
    ],
)
def test_task(text: str, kind: str, names: list[str]) -> None:
    assert norm.task(text, kind) == names


@pytest.mark.parametrize(
    "text",
    [
        "Early detection of breast cancer saves lives.",
        "It is estimated that one in eight women is affected.",
        "Registration is required to download.",
        "",
    ],
)
def test_task_not_stated(text: str) -> None:
    assert norm.task(text, "dataset") == []


# -- framework ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "files", "name"),
    [
        ("pip install torch torchvision", [], "PyTorch"),
        ("import tensorflow as tf\nmodel = tf.keras.Model()", [], "TensorFlow"),
        ("A ResNet classifier (Keras)", [], "Keras"),
        ("Framework: MONAI 1.2 + PyTorch 2.1", [], "MONAI"),  # a "Framework:" line names the main one first
        ("Trained with PyTorch.", ["model_best.pth"], "PyTorch"),  # a mention, supported by the checkpoint format
        ("A Keras classifier.", ["tirads_resnet50.h5"], "Keras"),
        ("pip install ultralytics", [], "PyTorch"),  # a library that exists only on PyTorch states it
        ("Requires TensorFlow 2.x.", [], "TensorFlow"),
        ("import paddle", [], "PaddlePaddle"),
        ("from sklearn.ensemble import RandomForestClassifier", [], "scikit-learn"),
    ],
)
def test_framework(text: str, files: list[str], name: str) -> None:
    assert norm.framework(text, files) == name


@pytest.mark.parametrize(
    ("text", "files"),
    [
        ("", []),
        ("Unlike PyTorch ports, this is a C++ tool.", []),  # one passing mention
        ("", ["model.onnx"]),  # ONNX names no training framework
        ("import torch\nimport tensorflow", []),  # a tie
        ("from monai.networks.nets import UNet\nimport torch", []),  # MONAI on torch, stated equally: unclear
        ("", ["model_best.pth"]),  # a file extension alone states no framework
        ("Echo view classifier (Keras/TensorFlow)", []),
    ],
)
def test_framework_unclear(text: str, files: list[str]) -> None:
    assert norm.framework(text, files) is None


@pytest.mark.parametrize(
    ("tag", "name"),
    [("pytorch", "PyTorch"), ("transformers", "PyTorch"), ("keras", "Keras"), ("tensorFlow2", "TensorFlow"), ("", None)],
)
def test_library_framework(tag: str, name: str | None) -> None:
    assert norm.library_framework(tag) == name


# -- machines, centres, operators, devices -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Images were acquired with two ultrasound machines (GE Logiq E9 and Philips EPIQ 7).", "multiple"),
        ("We used several scanners from different vendors.", "multiple"),
        ("a multi-vendor dataset", "multiple"),
        ("All scans used a single ultrasound machine.", "single"),
        ("acquired on a GE Voluson E8 and a Samsung WS80A", "multiple"),
        ("acquired with a GE Voluson E8", None),  # one machine named is not a statement on its own
        ("Multiple transducers were used.", None),  # probes are not machines
        ("", None),
    ],
)
def test_machines(text: str, value: str | None) -> None:
    assert norm.machines(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("collected at three hospitals", "multiple"),
        ("a multicentre study", "multiple"),
        ("from five emergency departments", "multiple"),
        ("a single-centre retrospective cohort", "single"),
        ("recruited at one hospital", "single"),
        ("the hospital's PACS", None),
        ("", None),
    ],
)
def test_centres(text: str, value: str | None) -> None:
    assert norm.centres(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The patients were scanned by 3 sonographers.", 3),
        ("Two experienced sonographers acquired all images.", 2),
        ("All images were acquired by a single operator.", 1),
        ("Images were annotated by two radiologists.", None),  # annotators are not operators
        ("", None),
    ],
)
def test_operator_count(text: str, value: int | None) -> None:
    assert norm.operator_count(text) == value


def test_device_models_counts_distinct_machines() -> None:
    assert len(norm.device_models("GE Logiq E9 and Philips EPIQ 7")) == 2
    assert len(norm.device_models("a Philips EPIQ 7 (Philips Healthcare)")) == 1
    assert norm.device_models("no scanner named here") == []
    assert norm.names_device("L12-5 linear probe at 5-12 MHz")


# -- stated booleans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("B-mode and colour Doppler images", True),
        ("Power Doppler frames are included.", True),
        ("No Doppler images are included.", False),
        ("Doppler images were excluded.", False),
        ("gestures from the Doppler shift of a 20 kHz tone", None),  # not imaging
        ("Grey-scale images only.", None),
    ],
)
def test_doppler(text: str, value: bool | None) -> None:
    assert norm.doppler(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,240 B-mode images", True),
        ("grayscale ultrasound images", True),
        ("Only Doppler spectra are provided, no B-mode.", False),
        ("RF data only", None),
    ],
)
def test_b_mode(text: str, value: bool | None) -> None:
    assert norm.b_mode(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Each image is paired with its free-text radiology report.", True),
        ("image-text pairs with captions", True),
        ("No reports are provided.", False),
        ("Figure captions describe the pipeline.", None),
        ("Lesion masks are provided.", None),
    ],
)
def test_multimodal(text: str, value: bool | None) -> None:
    assert norm.multimodal(text) == value


# -- weights, code, criteria -------------------------------------------------------------------


def test_weights_public_release_asset() -> None:
    candidate = _candidate(files=[FileInfo("model_best.pth", 1, "https://github.com/lab/repo/releases/download/v1/model_best.pth")])
    verdict = norm.weights_public(candidate)
    assert verdict == norm.Verdict(True, "release assets: model_best.pth")


def test_weights_public_hf_siblings() -> None:
    candidate = _candidate(source="huggingface", native_id="model:a/b", files=[FileInfo("README.md"), FileInfo("model.safetensors")])
    assert norm.weights_public(candidate).value is True


def test_weights_public_linked_checkpoint() -> None:
    text = "Pretrained weights: https://drive.google.com/file/d/abc/view"
    assert norm.weights_public(_candidate(text=text)) == norm.Verdict(True, text)


@pytest.mark.parametrize(
    "text",
    [
        "The pretrained weights will be released upon acceptance.",
        "Checkpoints coming soon.",
        "Model weights are available on request.",
        "TODO: release weights",
    ],
)
def test_weights_deferred_is_false(text: str) -> None:
    assert norm.weights_public(_candidate(text=text)) == norm.Verdict(False, text)


def test_weights_files_beat_a_stale_promise() -> None:
    candidate = _candidate(text="Weights will be released soon.", files=[FileInfo("unet.pt")])
    assert norm.weights_public(candidate).value is True


def test_weights_not_said() -> None:
    assert norm.weights_public(_candidate(text="A U-Net for breast lesions.")) is None
    # a code archive is not a checkpoint, an ONNX-free README says nothing
    assert norm.weights_public(_candidate(files=[FileInfo("source-v1.zip")])) is None


@pytest.mark.parametrize(
    ("name", "text", "is_weight"),
    [
        ("model.safetensors", "", True),
        ("pytorch_model.bin", "", True),
        ("data.bin", "", False),
        ("weights_fold0.zip", "", True),
        ("echoseg_5fold.zip", "Five-fold nnU-Net weights.", True),
        ("dataset.zip", "", False),
        ("app.apk", "", False),
    ],
)
def test_is_weight_file(name: str, text: str, is_weight: bool) -> None:
    assert norm.is_weight_file(name, text) is is_weight


def test_code_shared() -> None:
    assert norm.code_shared(_candidate()).value is True  # a GitHub record is code
    paper = _candidate(source="openalex", native_id="W1", url="https://doi.org/10.1/x", text="Code: https://github.com/lab/net.")
    assert norm.code_shared(paper) == norm.Verdict(True, "Code: https://github.com/lab/net.")
    borrowed = _candidate(source="openalex", native_id="W2", text="Our code is based on https://github.com/MIC-DKFZ/nnUNet.")
    assert norm.code_shared(borrowed) is None
    withheld = _candidate(source="openalex", native_id="W3", text="Code will be released upon acceptance.")
    assert norm.code_shared(withheld).value is False
    assert norm.code_shared(_candidate(source="scholar", native_id="s", text="A study of thyroid nodules.")) is None


@pytest.mark.parametrize(
    ("key", "text", "present"),
    [
        ("training_details", "Adam optimizer with a learning rate of 1e-4 for 100 epochs", True),
        ("training_details", "trained on one NVIDIA A100", True),
        ("training_details", "A U-Net for lesions.", False),
        ("study_objective", "In this work, we propose a lightweight network.", False),  # a method, not an aim
        ("study_objective", "The aim of this study was to estimate EF.", True),
        ("study_objective", "Objective: to grade hip dysplasia automatically from infant scans.", True),
        ("study_objective", "This project aims to make thyroid triage reproducible.", True),
        ("study_objective", "Run python train.py.", False),
        ("funding_statement", "This work was funded by the Wellcome Trust.", True),
        ("funding_statement", "Supported by the National Institutes of Health.", True),
        ("funding_statement", "Supported by PyTorch 2.0 and CUDA 12.", False),
        ("ethics_statement", "Approved by the institutional review board.", True),
        ("ethics_statement", "Written informed consent was obtained.", True),
        ("competing_interests", "The authors declare no competing interests.", True),
        ("competing_interests", "Conflict of interest: none.", True),
        ("author_contributions", "Author contributions: A.B. wrote the code.", True),
        ("code_availability_statement", "The code is publicly available at https://github.com/a/b.", True),
        ("code_availability_statement", "Code: https://github.com/a/b", False),  # a link, not a statement
        ("code_availability_statement", "Our scripts and pretrained weights are released; code and data are "
         "openly available at https://gitlab.com/x/y.", True),
        ("code_availability_statement", "code available at https://github.com/a/b", True),
        ("code_availability_statement", "We trained a network.", False),
        ("software_citations", "implemented in PyTorch [23]", True),
        ("software_citations", "segmented with nnU-Net (Isensee et al., 2021)", True),
        ("software_citations", "implemented in PyTorch", False),
    ],
)
def test_criterion_statement(key: str, text: str, present: bool) -> None:
    assert norm.criterion_statement(key, text) is present


# -- training data -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The model was trained on BUSI and UDIAT.", ["BUSI", "UDIAT"]),
        ("We use the CAMUS dataset.", ["CAMUS"]),
        ("Fine-tuned on EchoNet-Dynamic.", ["EchoNet-Dynamic"]),
        ("Trained on BUS-Seg v2 (https://doi.org/10.5281/zenodo.1).", ["BUS-Seg v2"]),
        ("Training and evaluation code for the BUS-Seg v2 breast ultrasound dataset", ["BUS-Seg v2"]),
        ("Pre-trained on ImageNet and fine-tuned on HC18.", ["HC18"]),
        ("trained on 2,300 annotated frames", []),
        ("trained on an NVIDIA A100 with AdamW", []),
        ("", []),
    ],
)
def test_training_datasets(text: str, names: list[str]) -> None:
    assert norm.training_datasets(text) == names


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("We trained on the public BUSI dataset.", True),
        ("Training data: https://www.kaggle.com/datasets/a/b", True),
        ("The model was trained on a publicly available dataset.", True),
        ("Trained on our in-house dataset of 3,000 images.", False),
        ("Training data are not redistributable.", False),
        ("Trained on frames from https://doi.org/10.5281/zenodo.1 (restricted access, request via Zenodo).", None),
        ("A U-Net for breast lesions.", None),
    ],
)
def test_training_data_public(sentence: str, value: bool | None) -> None:
    assert norm.training_data_public(sentence) is value


# -- rules added for field accuracy (examples written for these tests) -------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the acquisition verb governs the whole sentence, however far from the dates
        ("Recordings were obtained with a Mindray Resona 7 and a curved array probe in the outpatient clinic of the "
         "regional hospital in Tartu, Estonia, in 2017–2019, during routine follow-up.", "2017-2019"),
        # a year listed beside the data, README style
        ("* 2,210 frames, 415 adults, Lisbon (Portugal), 2020", "2020"),
        ("years | 2015–2016", "2015-2016"),
        ("A review of abdominal scans (Mensah, 2021).", None),  # a citation's year
        ("Liver images collected at one centre in Accra (2021).", "2021"),
    ],
)
def test_years_read_from_the_sentence(text: str, value: str | None) -> None:
    assert norm.years(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Described in Nguyen et al., Ultrasonics 2022, 1,400 images.",  # a citation's year
        "Code for the MICCAI 2023 paper (1,100 images).",  # a venue's year
        "Released in 2024 as version 3 (800 clips).",
    ],
)
def test_years_never_from_a_citation_or_venue(text: str) -> None:
    assert norm.years(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Scans were recorded at a university hospital in Leuven.", "single"),
        ("All volumes come from one cardiology laboratory in Porto.", "single"),
        ("Images were collected at a regional hospital and a private clinic in Lyon.", None),
        ("Version 2 brings frames from a second centre.", "multiple"),
        ("500 clips from 4 ICUs in Chile.", "multiple"),
        ("Earlier tools were built on single-site data, but our images come from six hospitals.", "multiple"),
    ],
)
def test_centres_single_and_multiple_sites(text: str, value: str | None) -> None:
    assert norm.centres(text) == value


def test_device_models_vendor_spelling_and_variants() -> None:
    assert len(norm.device_models("a SONOSITE Edge and a mindray M9")) == 2
    assert len(norm.device_models("Vivid E95 and Vivid E95 Ultra Edition")) == 2  # two models of one vendor
    assert len(norm.device_models("a BK Medical bk3000 with a transperineal probe")) == 1
    assert norm.machines_stated("scanned on Siemens and Canon systems") == "multiple"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("thyroid nodules graded by three endocrinologists", ["thyroid"]),  # a specialist is not an organ
        ("kidney scans from the Department of Nephrology, Hypertension and Vascular Medicine", ["kidney"]),
        ("Society for Pediatric Urology grades of renal pelvis dilatation", ["kidney"]),
        ("ultrasound-guided femoral nerve block videos", ["nerve"]),
        ("cross-sections of the Achilles tendon", ["muscle"]),
        ("transabdominal scans of the ovaries", ["ovary"]),
        ("images of the soleus and tibialis anterior", ["muscle"]),
        ("collapsibility of the inferior vena cava", ["blood vessels"]),
        ("femoral vein compression study", ["blood vessels", "leg"]),  # a vessel named by its region keeps it
    ],
)
def test_anatomy_structures_and_names(text: str, terms: list[str]) -> None:
    assert norm.fold_general(norm.anatomy(text)) == terms


def test_fold_general_keeps_the_specific_term() -> None:
    assert norm.fold_general(["carotid artery", "blood vessels"]) == ["carotid artery"]
    assert norm.fold_general(["pancreas", "abdomen"]) == ["pancreas"]
    assert norm.fold_general(["abdomen", "heart"]) == ["abdomen", "heart"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("each clip is labelled present, absent or indeterminate by two readers", ["Classification"]),
        ("with a fibrosis class (F0-F4) per image", ["Classification"]),
        ("lesion outlines and a Bosniak category", ["Classification", "Segmentation"]),
        ("every frame carries a vessel mask", ["Segmentation"]),
        ("with tracings of the endocardial border", ["Segmentation"]),
        ("the fetal weight values measured at birth", ["Estimation"]),
        ("the nuchal thickness was measured by a midwife", ["Estimation"]),
        ("derived from the (Lung Ultrasound Segmentation Challenge Dataset)", []),  # a name, not a task
    ],
)
def test_dataset_task_from_annotations(text: str, names: list[str]) -> None:
    assert norm.task(text, "dataset") == names


def test_model_task_cues_that_annotations_do_not_share() -> None:
    assert norm.task("a denoiser conditioned on a mask", "model") == ["Image Enhancement"]  # a mask as input
    assert norm.task("latent diffusion for synthetic thyroid scans", "model") == ["Generation"]
    assert norm.task("staging of liver fibrosis", "model") == ["Classification"]
    assert norm.task("counts B-lines per intercostal space", "model") == ["Estimation"]
    assert norm.task("early detection of ovarian cancer matters", "model") == []


def test_task_from_tags() -> None:
    assert norm.task_from_tags(["registration", "task_categories:object-detection"]) == ["Detection", "Registration"]
    assert norm.task_from_tags(["keypoint-detection", "ultrasound"], "model") == []  # a technique, not the task
    assert norm.task_from_tags(["image_segmentation"]) == ["Segmentation"]


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("It holds 4,020 longitudinal and transverse shear-wave elastography images of 310 patients.", (4020, "images")),
        ("88 3D+t transoesophageal recordings", (88, "volumes")),
        ("Twelve volumetric (3D) neonatal acquisitions of the hip", (12, "volumes")),
        ("2,400 tracked ultrasound sweeps of the thigh", (2400, "sequences")),
        ("Video count: 1,150", (1150, "videos")),
        ("| frames | 9,800 (25 fps) |", (9800, "frames")),
        ("Adds 150 images (1,150 images total).", (1150, "images")),
    ],
)
def test_size_more_forms(text: str, size: tuple[int, str]) -> None:
    assert norm.size(text) == size


def test_size_number_words_only_where_they_size_the_whole() -> None:
    assert norm.size("each volunteer has three clips") is None
    assert norm.size("The collection contains six volumes.") == (6, "volumes")


def test_counts_samples() -> None:
    assert norm.counts_samples("benign 300 images and malignant 120 images")
    assert norm.counts_samples("1,050 lesions in 800 patients")
    assert not norm.counts_samples("from 800 patients")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The archive holds 410 training, 60 validation and 90 test volumes.", "train 410 / val 60 / test 90"),
        ("300 subjects make up the training set and 75 the test set.", "train 300 / test 75"),
        ("see TRAIN (5,100) / VAL (700) / TEST (800)", "train 5100 / val 700 / test 800"),
        ("split: train 900 / val 100 / test 250 (stratified)", "train 900 / val 100 / test 250"),
    ],
)
def test_split_sizes_more_forms(text: str, value: str) -> None:
    assert norm.split_sizes(text) == value


def test_split_table_takes_the_sample_column() -> None:
    rows = [["part", "subjects", "frames"], ["train", "50", "5,000"], ["val", "10", "900"], ["test", "12", "1,100"]]
    assert norm.split_table(rows) == {"train": 5000, "val": 900, "test": 1100}
    assert norm.split_table([["a", "b"], ["x", "1"]]) == {}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The recordings are openly released on Zenodo.", "OA"),
        ("All clips are hosted on https://figshare.com/x for anyone.", "OA"),
        ("Access follows the signing of a research use agreement.", "AR"),
        ("Download freely, no registration needed.", "OA"),
    ],
)
def test_access_more_forms(text: str, value: str) -> None:
    verdict = norm.access_from_text(text)
    assert verdict is not None and verdict.value == value


def test_licence_spellings_and_bare_cc_names() -> None:
    assert norm.licence("MIT licence") == "MIT"
    assert norm.licence_in_text("shared on Zenodo under CC BY-SA 4.0") == "CC-BY-SA-4.0"
    assert norm.cc_named("Files: PNG (open, CC BY-NC-ND 4.0).") == "CC-BY-NC-ND-4.0"
    assert norm.cc_named("a CC-licensed photo") is None
    assert norm.SOFTWARE_LICENCES.match("BSD-3-Clause") and not norm.SOFTWARE_LICENCES.match("CC-BY-4.0")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Fine-tuned on LiverUS + SteatoNet-DB.", ["LiverUS", "SteatoNet-DB"]),
        ("fine-tuned on four public datasets (FOO-1, BarScan, Open Spleen, QX9)", ["FOO-1", "BarScan", "Open Spleen", "QX9"]),
        ("We assemble PedHip-12k, a new hip ultrasound dataset of 12,000 frames.", ["PedHip-12k"]),
        ("pre-trained on the Bladder Volume Ultrasound Data Set", ["Bladder Volume Ultrasound Data Set"]),
        ("trained on 30k frames from the CLUST 2015 challenge", ["CLUST 2015"]),
        ("a fine-tuned version of google/vit-base on the bus4k breast dataset", ["bus4k"]),
        ("trained on our own NICU clips", []),  # a description of the authors' data, not a name
    ],
)
def test_training_datasets_more_forms(text: str, names: list[str]) -> None:
    assert norm.training_datasets(text) == names


def test_own_dataset_is_no_evidence_of_public_data() -> None:
    prose = "We collect KneeSono-5, a cohort of 900 knee scans. Fine-tuned on our in-house ThyDB images."
    assert norm.own_dataset("KneeSono-5", prose)
    assert norm.own_dataset("ThyDB", prose)
    assert not norm.own_dataset("BUSI", "Trained on the BUSI dataset and our BUSI validation split.")


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Scans belong to the partner hospitals and cannot be shared.", False),
        ("The training frames are not public.", False),
        ("Weights are not public yet.", None),  # the weights, not the data
    ],
)
def test_training_data_withheld(sentence: str, value: bool | None) -> None:
    assert norm.training_data_public(sentence) is value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Checkpoints can be obtained on justified request to the first author.", False),
        ("Trained checkpoints are available at https://gitlab.com/lab/prostate-net.", True),
        ("model weights: osf.io/abcd1", True),
        ("The model weights are hosted at https://huggingface.co/lab/echo-clipper.", True),  # a repo name, not CLIP
        ("Download the SAM ViT-H checkpoint from https://dl.fbaipublicfiles.com/sam.pth first.", None),
        ("Model weights are not included in this archive.", False),
    ],
)
def test_weights_statement_more_forms(sentence: str, value: bool | None) -> None:
    assert norm.weights_statement(sentence) is value


def test_archive_named_as_checkpoints_is_weights() -> None:
    text = "Unzip fold_models.zip.\nThe release asset `trained_nets.tar.gz` contains the five checkpoints."
    assert norm.is_weight_file("trained_nets.tar.gz", text)
    assert not norm.is_weight_file("source-v1.zip", "Model weights will be shared after review.")


def test_code_statement_says_no_code() -> None:
    assert norm.code_statement("Published as a model file only; there is no public repository.") is False
    assert norm.code_statement("Training notebook: https://www.kaggle.com/code/user/train-net") is True


def test_zenodo_software_needs_sources() -> None:
    weights_only = Candidate(source="zenodo", native_id="1", url="u", title="t", kind_hint="software",
                             files=[FileInfo("net.tflite"), FileInfo("app.apk")])
    archive = Candidate(source="zenodo", native_id="2", url="u", title="t", kind_hint="software",
                        files=[FileInfo("lab/tool-v1.2.0.zip")])
    assert norm.code_shared(weights_only) is None
    assert norm.code_shared(archive).value is True


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Deep learning framework: Keras 2.15 on TensorFlow", "Keras"),
        ("pip install timm", "PyTorch"),
        ("The network was exported from PyTorch to ONNX.", "PyTorch"),
        ("Tested with PaddlePaddle 2.x.", "PaddlePaddle"),
    ],
)
def test_framework_more_forms(text: str, name: str) -> None:
    assert norm.framework(text) == name


@pytest.mark.parametrize(
    ("key", "text", "present"),
    [
        ("study_objective", "Purpose: To automate cervical length measurement.", True),
        ("study_objective", "We present a new U-Net.", False),
        ("code_availability_statement", "The code and trained checkpoints are freely available at https://x.org/y.", True),
        ("code_availability_statement", "The code and dataset are released at https://x.org/y.", True),
    ],
)
def test_criterion_statement_more_forms(key: str, text: str, present: bool) -> None:
    assert norm.criterion_statement(key, text) is present


def test_doppler_field_saying_none() -> None:
    assert norm.doppler("Doppler: none (grey-scale only)") is False
    assert norm.doppler("Doppler = no") is False


def test_countries_added_and_one_pass() -> None:
    assert set(norm.countries("two clinics in Burkina Faso and Sierra Leone")) == {"Burkina Faso", "Sierra Leone"}
    assert norm.countries("a hospital in Belfast, Northern Ireland") == ["United Kingdom"]
    assert norm.countries("New Mexico state clinics") == []


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        ("images sorted into 8 plane classes", ["2D standard planes"]),
        ("A4C views plus random non-standard views", []),
        ("full cardiac-cycle sequences per patient", ["2D+t"]),
        ("six blind sweeps per pregnancy", ["2D+t"]),
        ("tracked sweeps reconstructed into 3D volumes", ["3D reconstructed from 2D"]),
        ("52 3D+t acquisitions with a matrix probe", ["3D"]),
    ],
)
def test_scanning_modes_more_forms(text: str, modes: list[str]) -> None:
    assert norm.scanning_modes(text) == modes
