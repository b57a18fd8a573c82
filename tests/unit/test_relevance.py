"""crawler.relevance.judge: relevance, kind and reasons on hand-built Candidates.

Each case is written here, in its own words, for one rule: a hard-negative
category, a host and kind of true positive, a trap (an awesome-list full of
the right words, an MRI dataset that names ultrasound once, "US" as the United
States), a kind decision, or a property of the score (bounds, monotonicity,
speed).
"""

from __future__ import annotations

import re
import time

import pytest

from crawler import relevance
from crawler.models import Candidate, FileInfo, Judgement
from crawler.relevance import THRESHOLD, judge

DEFAULT_HINT = {"github": "software", "scholar": "publication", "openalex": "article"}


def cand(source: str, title: str, text: str = "", kind_hint: str | None = None, **kw: object) -> Candidate:
    hint = kind_hint if kind_hint is not None else DEFAULT_HINT.get(source)
    url = kw.pop("url", f"https://{source}.example/{title.replace(' ', '-')}")
    return Candidate(source=source, native_id="1", url=str(url), title=title, text=text, kind_hint=hint, **kw)  # type: ignore[arg-type]


def gh(title: str, text: str = "", **kw: object) -> Candidate:
    return cand("github", title, text, **kw)


def excluded(j: Judgement) -> bool:
    return j.relevance < THRESHOLD and j.kind == "other"


def kept(j: Judgement, kind: str) -> bool:
    return j.relevance >= THRESHOLD and j.kind == kind


def has_reason(j: Judgement, fragment: str) -> bool:
    return any(fragment.lower() in r.lower() for r in j.reasons)


# -- hard negatives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "candidate",
    [
        gh("maker/arduino-ultrasonic-distance",
           "Measures distance with an HC-SR04 ultrasonic sensor on an Arduino Uno and prints it to a 16x2 LCD."),
        gh("kit/esp32-parking-sensor", "Ultrasonic parking assistant: ESP32 + JSN-SR04T waterproof sensor, buzzer."),
        gh("bot/obstacle-avoiding-robot",
           "Raspberry Pi robot car that avoids obstacles with an ultrasonic sensor and two servo motors."),
        gh("maker/ultrasonic-sensor"),  # title only
        gh("x/csb", "基于STM32的超声波测距模块，使用 HC-SR04 超声波传感器，OLED 显示距离。"),
    ],
    ids=["arduino", "esp32-parking", "raspberry-robot", "title-only", "chinese-ranging"],
)
def test_ultrasonic_distance_sensors_are_excluded(candidate: Candidate) -> None:
    j = judge(candidate)
    assert excluded(j)
    assert j.relevance < 0.02


def test_distance_sensor_reason_names_the_category() -> None:
    j = judge(gh("maker/arduino-ultrasonic-distance", "HC-SR04 ultrasonic sensor with Arduino."))
    assert has_reason(j, "hard negative: distance sensor")
    assert has_reason(j, "hc-sr04")


def test_industrial_ndt_is_excluded_even_with_deep_learning() -> None:
    j = judge(gh("lab/weld-flaw-cnn",
                 "A CNN detects flaws in phased-array ultrasonic testing (PAUT) B-scans of steel welds. "
                 "PyTorch, python train.py, 4,000 annotated scans."))
    assert excluded(j)
    assert has_reason(j, "industrial NDT")


def test_ndt_dataset_on_zenodo_is_excluded() -> None:
    j = judge(cand("zenodo", "Ultrasonic C-scan dataset of CFRP composite panels",
                   "600 ultrasonic C-scans of carbon fibre laminates with artificial delaminations, for "
                   "non-destructive testing research.", "dataset"))
    assert excluded(j)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("x/ultrasonic-flow-meter", "Transit-time ultrasonic flowmeter firmware for water pipes."),
        ("x/ultrasonic-cleaner-controller", "Timer and power control for an ultrasonic cleaner bath."),
        ("x/acoustic-levitator", "Build an acoustic levitation rig with 40 kHz transducers."),
    ],
)
def test_flow_meters_cleaning_and_levitation_are_excluded(title: str, text: str) -> None:
    j = judge(gh(title, text))
    assert excluded(j)


def test_sonochemistry_dataset_using_the_word_ultrasound_is_excluded() -> None:
    j = judge(cand("zenodo", "Ultrasound-assisted extraction of anthocyanins from berry pomace",
                   "Yields of 48 ultrasound-assisted extraction runs at three power levels; HPLC tables.", "dataset"))
    assert excluded(j)
    assert has_reason(j, "sonochemistry")


def test_bat_echolocation_recordings_are_excluded() -> None:
    j = judge(cand("zenodo", "Ultrasonic recordings of bat echolocation calls",
                   "8,000 full-spectrum recordings of bat calls of 15 species from AudioMoth detectors, with "
                   "species labels.", "dataset"))
    assert excluded(j)
    assert has_reason(j, "bioacoustics")


def test_rodent_ultrasonic_vocalisations_are_excluded() -> None:
    j = judge(gh("lab/usv-detector",
                 "Deep learning detector of mouse ultrasonic vocalizations (USVs) in spectrograms. PyTorch."))
    assert excluded(j)


def test_sonar_images_are_excluded() -> None:
    j = judge(cand("kaggle", "Forward-looking sonar debris segmentation",
                   "1,900 sonar images of underwater debris with segmentation masks; train/val/test splits.",
                   "dataset"))
    assert excluded(j)
    assert has_reason(j, "sonar")


def test_ultrasonic_music_player_is_excluded() -> None:
    j = judge(gh("ultrasonic/ultrasonic",
                 "Free and open-source music player for Android: a Subsonic and Airsonic client with playlists."))
    assert excluded(j)
    assert has_reason(j, "audio app")


def test_data_over_sound_is_excluded() -> None:
    j = judge(gh("x/ultrasonic-messaging",
                 "Send short messages between phones over near-ultrasonic audio (data-over-sound)."))
    assert excluded(j)


@pytest.mark.parametrize(
    "candidate",
    [
        cand("kaggle", "US Census Demographic Data",
             "Population and income for every US county from the American Community Survey.", "dataset"),
        cand("huggingface", "quant/us-stocks-daily", "Daily closing prices of US stocks on NYSE and NASDAQ.",
             "dataset"),
        gh("pol/US-Election-2020", "County-level results of the 2020 US presidential election, with a random forest."),
    ],
    ids=["census", "stocks", "election"],
)
def test_us_meaning_united_states_is_excluded(candidate: Candidate) -> None:
    j = judge(candidate)
    assert excluded(j)
    assert j.relevance < 0.02


def test_united_states_reason_is_given() -> None:
    j = judge(cand("kaggle", "US Census Demographic Data", "Population of US counties by year.", "dataset"))
    assert has_reason(j, "'US' means United States")


def test_us_as_ultrasound_in_clinical_text_is_not_penalised() -> None:
    j = judge(cand("zenodo", "Breast US images with lesion masks",
                   "600 breast US images from 150 patients, with expert masks of benign and malignant lesions.",
                   "dataset"))
    assert kept(j, "dataset")
    assert j.relevance > 0.9
    assert not has_reason(j, "United States")


def test_data_from_a_us_hospital_is_not_penalised() -> None:
    base = "Thyroid ultrasound images of 400 patients with nodule masks."
    plain = judge(cand("zenodo", "Thyroid ultrasound nodules", base, "dataset"))
    us = judge(cand("zenodo", "Thyroid ultrasound nodules", base + " Collected at a hospital in the United States.",
                    "dataset"))
    assert us.relevance == pytest.approx(plain.relevance, abs=0.01)


def test_mri_dataset_mentioning_ultrasound_in_passing_is_excluded() -> None:
    j = judge(cand("zenodo", "Prostate MRI segmentation dataset",
                   "T2-weighted MRI volumes of 200 patients with gland masks. Unlike ultrasound, MRI gives "
                   "excellent soft-tissue contrast. Scans were acquired on 3T MRI systems.", "dataset"))
    assert excluded(j)
    assert has_reason(j, "MRI-only")


def test_ct_repository_mentioning_ultrasound_once_is_excluded() -> None:
    j = judge(gh("lab/lung-nodule-ct",
                 "3D CNN for lung nodule detection in chest CT. CT volumes from LIDC; computed tomography "
                 "preprocessing; works for CT only, and ultrasound support is not planned. python train.py"))
    assert excluded(j)
    assert has_reason(j, "CT-only")


def test_general_medical_toolkit_listing_ultrasound_among_modalities_is_excluded() -> None:
    j = judge(gh("lab/medseg-toolkit",
                 "PyTorch toolkit for CT and MRI segmentation. Supports CT, MRI or ultrasound inputs. CT organ "
                 "models, MRI bias-field correction, nnU-Net style training with python train.py."))
    assert excluded(j)


def test_mri_and_ultrasound_registration_dataset_is_relevant() -> None:
    j = judge(cand("zenodo", "Brain MRI and intra-operative ultrasound registration dataset",
                   "Pre-operative MRI and intra-operative ultrasound volumes of 23 patients with landmarks for "
                   "MRI-to-ultrasound registration.", "dataset"))
    assert kept(j, "dataset")


@pytest.mark.parametrize(
    "candidate",
    [
        gh("lab/hifu-thermal-sim", "Simulates HIFU thermal ablation with k-Wave: pressure field and thermal dose."),
        cand("openalex", "Transcranial focused ultrasound neuromodulation of human motor cortex",
             "We stimulated 20 participants with transcranial focused ultrasound. Code is available at "
             "https://github.com/lab/tfus."),
    ],
    ids=["hifu", "neuromodulation"],
)
def test_therapeutic_ultrasound_is_excluded(candidate: Candidate) -> None:
    j = judge(candidate)
    assert excluded(j)
    assert has_reason(j, "therapeutic ultrasound")


@pytest.mark.parametrize(
    "candidate",
    [
        gh("lab/pyus-sim", "Python ultrasound simulator and beamforming toolbox: delay-and-sum, plane-wave "
                           "compounding, synthetic aperture, a Field II wrapper."),
        cand("zenodo", "BeamLab: an ultrasound beamforming toolbox",
             "MATLAB toolbox for ultrasound beamforming with delay-and-sum and coherence factor; Field II "
             "simulation scripts.", "software"),
    ],
    ids=["github", "zenodo-software"],
)
def test_simulators_and_beamforming_toolboxes_are_excluded(candidate: Candidate) -> None:
    j = judge(candidate)
    assert excluded(j)
    assert has_reason(j, "simulator/beamforming")


def test_learned_beamformer_is_not_treated_as_a_toolbox() -> None:
    j = judge(gh("lab/deep-beamformer",
                 "Deep learning beamforming for ultrasound plane-wave imaging: a CNN replaces delay-and-sum. "
                 "PyTorch training code (python train.py) and pretrained weights."))
    assert kept(j, "model")
    assert not has_reason(j, "simulator/beamforming")


def test_awesome_list_full_of_the_right_words_is_excluded() -> None:
    items = "\n".join(
        f"- [Breast ultrasound U-Net {i}](https://github.com/a/repo{i}) deep learning segmentation dataset"
        for i in range(40)
    )
    j = judge(gh("someone/awesome-ultrasound-deep-learning",
                 "A curated list of deep learning for ultrasound imaging: papers, datasets and code.\n" + items))
    assert excluded(j)
    assert has_reason(j, "awesome-list")
    assert has_reason(j, "link list")


def test_link_list_without_awesome_in_the_name_is_penalised() -> None:
    items = "\n".join(f"- [Paper {i}](https://arxiv.org/abs/2401.{i:05d}) ultrasound segmentation" for i in range(30))
    j = judge(gh("someone/ultrasound-papers", "Papers on ultrasound deep learning.\n" + items))
    assert has_reason(j, "link list")
    assert excluded(j)


def test_survey_paper_is_excluded_even_with_a_github_link() -> None:
    j = judge(cand("openalex", "Deep learning for medical ultrasound image analysis: a survey",
                   "This survey reviews deep learning methods for ultrasound segmentation and classification. "
                   "A list of papers is at https://github.com/x/us-papers."))
    assert excluded(j)
    assert has_reason(j, "survey / review")


def test_openalex_review_type_is_penalised() -> None:
    j = judge(cand("openalex", "Artificial intelligence in obstetric ultrasound",
                   "We summarise AI applications in fetal ultrasound. Code is available at github.com/x/y.",
                   "review"))
    assert excluded(j)
    assert has_reason(j, "review article")


def test_course_notes_are_excluded() -> None:
    j = judge(gh("prof/ultrasound-physics-course", "Lecture notes and homework for the ultrasound physics course."))
    assert excluded(j)
    assert has_reason(j, "course")


def test_clinical_tabular_data_on_zenodo_is_excluded() -> None:
    j = judge(cand("zenodo", "Ultrasound-guided versus landmark-guided radial artery cannulation: trial data",
                   "De-identified data of a randomized trial in 120 patients: success rate and time to "
                   "cannulation. Spreadsheet and SPSS file.", "dataset",
                   files=[FileInfo("trial.sav"), FileInfo("trial.xlsx")]))
    assert excluded(j)
    assert has_reason(j, "no image data described")


def test_ultrasound_viewer_without_data_or_model_is_excluded() -> None:
    text = ("A desktop viewer for ultrasound DICOM files written in C++ with Qt. It plays cine loops, "
            "measures distances and exports frames to PNG. Build it with CMake on Linux or Windows. ") * 2
    j = judge(gh("lab/ultrasound-dicom-viewer", text, extra={"language": "C++"}))
    assert excluded(j)
    assert has_reason(j, "describes neither a dataset nor a learned model")


@pytest.mark.parametrize(
    "candidate",
    [
        gh("x/doppler-radar-har", "Human activity recognition from micro-Doppler radar signatures with a CNN."),
        gh("x/echo-server", "Minimal Go web framework (Echo). Health probe endpoints and transducer middleware."),
    ],
    ids=["doppler-radar", "echo-framework"],
)
def test_ambiguous_words_without_clinical_context_do_not_count(candidate: Candidate) -> None:
    assert excluded(judge(candidate))


# -- publications need a release --------------------------------------------------------------------

NO_RELEASE = ("We trained a CNN on 2,000 thyroid ultrasound images from 600 patients and reached an AUC of "
              "0.92 for malignant nodules, outperforming radiologists.")


def test_paper_that_releases_nothing_is_excluded() -> None:
    j = judge(cand("openalex", "Deep learning for thyroid nodule classification in ultrasound", NO_RELEASE))
    assert excluded(j)
    assert has_reason(j, "publication releases nothing")


def test_same_paper_with_a_code_link_is_a_model() -> None:
    j = judge(cand("openalex", "Deep learning for thyroid nodule classification in ultrasound",
                   NO_RELEASE + " Code is available at https://github.com/lab/thyroid-cnn."))
    assert kept(j, "model")
    assert j.relevance > 0.9
    assert has_reason(j, "paper links a code repository: github.com")


def test_paper_metadata_links_are_not_a_release() -> None:
    # OpenAlex lists the DOI, the publisher's page and the PDF: none of them releases anything
    j = judge(cand("openalex", "Deep learning for thyroid nodule classification in ultrasound", NO_RELEASE,
                   doi="10.1016/j.ultrasmedbio.2024.01.001",
                   links=["https://doi.org/10.1016/j.ultrasmedbio.2024.01.001",
                          "https://www.sciencedirect.com/science/article/pii/S0301562924000010",
                          "https://europepmc.org/articles/pmc1234567/pdf"]))
    assert excluded(j)


def test_scholar_snippet_with_a_bare_github_address_is_a_model() -> None:
    j = judge(cand("scholar", "SAMUS: adapting segment anything for clinical ultrasound segmentation",
                   "… we propose SAMUS for ultrasound image segmentation … code is available at "
                   "github.com/xianlin7/SAMUS …"))
    assert kept(j, "model")


def test_scholar_snippet_without_release_is_excluded() -> None:
    j = judge(cand("scholar", "Ultrasound assessment of fetal growth in twin pregnancies",
                   "… fetal biometry was measured with ultrasound in 300 twin pregnancies … growth discordance …"))
    assert excluded(j)


def test_paper_that_only_promises_code_goes_to_curators() -> None:
    j = judge(cand("openalex", "Automated liver segmentation in ultrasound with deep learning",
                   "A U-Net was trained on 500 liver ultrasound images. Code will be made available upon acceptance."))
    assert THRESHOLD <= j.relevance < 0.8
    assert has_reason(j, "only promises a release")


def test_data_on_request_is_not_a_public_release() -> None:
    j = judge(cand("openalex", "Deep learning grading of fatty liver on ultrasound",
                   "A CNN graded steatosis on 3,000 ultrasound images of 900 patients. The datasets are available "
                   "from the corresponding author on reasonable request."))
    assert has_reason(j, "data only on request")
    assert j.relevance < 0.5


def test_paper_introducing_a_dataset_with_a_download_is_a_dataset() -> None:
    j = judge(cand("openalex", "BUS-BRA: a breast ultrasound dataset for assessing computer-aided diagnosis",
                   "We introduce BUS-BRA, a public dataset of 1,875 breast ultrasound images from 1,064 patients "
                   "with BI-RADS labels and manual segmentation masks. The dataset is publicly available at "
                   "https://zenodo.org/records/8231412."))
    assert kept(j, "dataset")
    assert j.relevance > 0.95
    assert has_reason(j, "introduces/describes a dataset")


def test_dataset_paper_without_link_is_penalised_less_than_a_paper_releasing_nothing() -> None:
    intro = judge(cand("scholar", "A lung ultrasound video dataset for COVID-19",
                       "… we present a lung ultrasound dataset of 261 videos from 216 patients …"))
    nothing = judge(cand("scholar", "Lung ultrasound findings in COVID-19",
                         "… we describe lung ultrasound findings of 216 patients …"))
    assert intro.relevance > nothing.relevance


# -- true positives by host and kind ---------------------------------------------------------------


def test_github_model_repository_with_release_weights() -> None:
    j = judge(gh("lab/breast-ultrasound-segmentation",
                 "Breast lesion segmentation in ultrasound images with an attention U-Net.\n\n## Usage\n"
                 "pip install -r requirements.txt\npython train.py --epochs 100\nDice 0.82 on BUSI.",
                 files=[FileInfo("unet_busi.pth"), FileInfo("unet_udiat.pth")],
                 extra={"weight_assets": ["unet_busi.pth", "unet_udiat.pth"], "language": "Python"}))
    assert kept(j, "model")
    assert j.relevance > 0.97
    assert has_reason(j, "releases weights: 2 .pth release assets")


def test_github_dataset_repository() -> None:
    j = judge(gh("lab/fetal-head-us-dataset",
                 "This repository contains a dataset of 1,334 2D ultrasound images of the fetal head with manual "
                 "annotations of the head circumference, acquired at one hospital. Download the images from "
                 "https://zenodo.org/records/1327317. Licence: CC BY 4.0. Train/test split provided."))
    assert kept(j, "dataset")
    assert j.relevance > 0.95


def test_github_model_repository_that_points_to_its_training_data_stays_a_model() -> None:
    j = judge(gh("lab/echo-seg",
                 "# Echocardiography segmentation\nWe use the CAMUS dataset (500 patients). Download the dataset "
                 "from https://www.creatis.insa-lyon.fr/Challenge/camus/ and put it in data/. Train with "
                 "`python train.py`. Network: nnU-Net. Pretrained checkpoints are available."))
    assert kept(j, "model")


def test_huggingface_model_with_weights() -> None:
    j = judge(cand("huggingface", "lab/echo-ef-regressor",
                   "Regresses ejection fraction from apical 4-chamber echocardiography clips. Trained on "
                   "EchoNet-Dynamic.", "model",
                   files=[FileInfo("model.safetensors"), FileInfo("config.json")],
                   extra={"weight_files": ["model.safetensors"], "library_name": "pytorch"}))
    assert kept(j, "model")
    assert j.relevance > 0.9
    assert has_reason(j, "releases weights: 1 .safetensors hub files")


def test_huggingface_model_with_empty_card_named_after_a_known_dataset() -> None:
    j = judge(cand("huggingface", "user/busi-segformer", "", "model",
                   files=[FileInfo("model.safetensors")], extra={"weight_files": ["model.safetensors"]}))
    assert kept(j, "model")


def test_huggingface_dataset_with_slug_us() -> None:
    j = judge(cand("huggingface", "lab/thyroid-us", "Thyroid ultrasound images (3,500) with nodule masks.",
                   "dataset", licence="cc-by-4.0"))
    assert kept(j, "dataset")
    assert j.relevance > 0.9


def test_kaggle_dataset() -> None:
    j = judge(cand("kaggle", "Breast Ultrasound Images Dataset",
                   "780 breast ultrasound images in three classes (normal, benign, malignant) with ground truth "
                   "masks.", "dataset"))
    assert kept(j, "dataset")
    assert j.relevance > 0.95


def test_kaggle_dataset_described_only_in_its_subtitle() -> None:
    j = judge(cand("kaggle", "Thyroid nodules", "", "dataset",
                   extra={"subtitle": "Ultrasound images of thyroid nodules with TI-RADS labels"}))
    assert kept(j, "dataset")


def test_kaggle_model() -> None:
    j = judge(cand("kaggle", "EchoNet segmentation", "DeepLabV3 model that segments the left ventricle in "
                   "echocardiograms.", "model", extra={"frameworks": ["pytorch"]}))
    assert kept(j, "model")


def test_zenodo_dataset() -> None:
    j = judge(cand("zenodo", "Lung ultrasound videos of COVID-19 patients",
                   "This dataset contains 202 lung ultrasound videos (B-lines, consolidations) from 3 hospitals, "
                   "annotated by 2 physicians.", "dataset", licence="cc-by-4.0"))
    assert kept(j, "dataset")
    assert j.relevance > 0.97


def test_zenodo_model_record() -> None:
    j = judge(cand("zenodo", "nnU-Net weights for prostate segmentation in micro-ultrasound",
                   "Checkpoints (five folds) of nnU-Net trained on micro-ultrasound prostate scans.", "model",
                   files=[FileInfo("checkpoint_final.pth")]))
    assert kept(j, "model")


def test_openalex_dataset_work_from_figshare() -> None:
    j = judge(cand("openalex", "Thyroid ultrasound images with TI-RADS labels",
                   "The dataset contains 1,200 thyroid ultrasound images annotated by two radiologists.", "dataset",
                   doi="10.6084/m9.figshare.123", url="https://doi.org/10.6084/m9.figshare.123",
                   links=["https://doi.org/10.6084/m9.figshare.123"]))
    assert kept(j, "dataset")


def test_chinese_readme() -> None:
    j = judge(gh("lab/breast-seg", "乳腺超声图像分割，基于 U-Net 的 PyTorch 实现。运行 python train.py 训练。"))
    assert kept(j, "model")


def test_ultrasonic_images_in_medical_context_count() -> None:
    j = judge(cand("zenodo", "Fetal abdominal structures segmentation dataset using ultrasonic images",
                   "1,588 ultrasonic images of the fetal abdomen with masks of stomach, liver and umbilical vein.",
                   "dataset"))
    assert kept(j, "dataset")


# -- thin records: not stated is not negative -----------------------------------------------------


def test_title_only_repository_goes_to_curators() -> None:
    j = judge(gh("someone/thyroid-ultrasound-segmentation"))
    assert THRESHOLD <= j.relevance < 0.7
    assert j.kind == "model"


def test_title_only_kaggle_dataset_goes_to_curators_as_a_dataset() -> None:
    j = judge(cand("kaggle", "Fetal ultrasound", "", "dataset"))
    assert THRESHOLD <= j.relevance < 0.9
    assert j.kind == "dataset"


def test_title_only_repository_without_ultrasound_is_excluded() -> None:
    j = judge(gh("someone/my-project"))
    assert excluded(j)
    assert has_reason(j, "no ultrasound imaging terms")


def test_empty_candidate_is_handled() -> None:
    j = judge(Candidate(source="github", native_id="0", url="", title=""))
    assert excluded(j)


# -- kind decisions ---------------------------------------------------------------------------------


def test_zenodo_software_with_weight_files_is_a_model() -> None:
    j = judge(cand("zenodo", "Echocardiography segmentation code and weights",
                   "PyTorch code and pretrained weights for left-ventricle segmentation in echocardiography.",
                   "software", files=[FileInfo("weights.pth"), FileInfo("code.zip")]))
    assert kept(j, "model")


def test_zenodo_archive_of_a_github_release_is_read_as_a_slug() -> None:
    j = judge(cand("zenodo", "lab/breast-us-seg: v1.0.0", "First release.", "software"))
    assert kept(j, "model")


def test_kaggle_dataset_that_only_holds_a_checkpoint_is_a_model() -> None:
    j = judge(cand("kaggle", "Pretrained U-Net weights for breast ultrasound segmentation",
                   "U-Net checkpoint trained on breast ultrasound images; load it with PyTorch.", "dataset",
                   files=[FileInfo("unet_breast_us.pth")]))
    assert kept(j, "model")


def test_github_repository_with_training_code_but_dataset_words_is_a_model() -> None:
    j = judge(gh("lab/kaggle-ultrasound-nerve-segmentation",
                 "My solution to the Kaggle Ultrasound Nerve Segmentation competition (5,635 training images). "
                 "Keras U-Net, Dice 0.68. Run train.py."))
    assert kept(j, "model")


def test_kind_is_other_exactly_when_below_threshold() -> None:
    for c in (gh("maker/ultrasonic-sensor"), gh("lab/breast-ultrasound-unet", "U-Net for breast ultrasound.")):
        j = judge(c)
        assert (j.kind == "other") == (j.relevance < THRESHOLD)


# -- reasons --------------------------------------------------------------------------------------


def test_reasons_start_with_a_score_summary_and_end_with_the_kind() -> None:
    j = judge(cand("kaggle", "Breast Ultrasound Images Dataset", "780 breast ultrasound images with masks.",
                   "dataset"))
    assert j.reasons[0].startswith(f"score {j.relevance:.2f}:")
    assert j.reasons[-1].startswith("kind: dataset")


def test_scored_reasons_carry_signed_points() -> None:
    j = judge(gh("maker/arduino-ultrasonic-distance", "HC-SR04 ultrasonic sensor with Arduino."))
    scored = [r for r in j.reasons[1:-1] if re.search(r"\([+-]\d+\.\d\)$", r)]
    assert scored
    assert any(r.endswith("(-4.0)") and "distance sensor" in r for r in scored)


def test_reasons_name_the_evidence() -> None:
    j = judge(cand("zenodo", "Carotid artery ultrasound frames", "B-mode frames of the carotid artery from 50 "
                   "volunteers, with intima-media masks.", "image"))
    assert has_reason(j, "ultrasound imaging terms in title")
    assert has_reason(j, "anatomy: carotid artery")
    assert has_reason(j, "size stated: 50 volunteers")
    assert has_reason(j, "hosted resource: Zenodo image")


# -- properties of the score ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "negative",
    [
        "It runs on an Arduino with an HC-SR04 distance sensor.",
        "It is used for ultrasonic testing of welds in steel pipes.",
        "Recordings include bat echolocation calls.",
        "Side-scan sonar data from underwater surveys are included.",
        "It also streams music from Subsonic servers.",
        "The device is used for HIFU thermal ablation.",
    ],
)
def test_adding_a_hard_negative_lowers_the_score(negative: str) -> None:
    base = "Deep learning segmentation of kidney ultrasound images. PyTorch, python train.py. 400 images."
    before = judge(gh("lab/kidney-us-seg", base))
    after = judge(gh("lab/kidney-us-seg", f"{base} {negative}"))
    assert after.relevance < before.relevance
    assert has_reason(after, "hard negative")


def test_adding_a_release_link_raises_a_papers_score() -> None:
    before = judge(cand("openalex", "Thyroid nodule classification in ultrasound", NO_RELEASE))
    after = judge(cand("openalex", "Thyroid nodule classification in ultrasound",
                       NO_RELEASE + " Data: https://doi.org/10.5281/zenodo.1234567"))
    assert after.relevance > before.relevance + 0.5


def test_more_evidence_raises_the_score() -> None:
    thin = judge(gh("lab/thyroid-ultrasound-segmentation"))
    rich = judge(gh("lab/thyroid-ultrasound-segmentation",
                    "Thyroid nodule segmentation in ultrasound images with a U-Net (PyTorch). python train.py. "
                    "Pretrained weights included.", files=[FileInfo("best.pth")]))
    assert rich.relevance > thin.relevance


def test_scores_stay_in_bounds() -> None:
    extreme = gh("lab/ultrasound", ("ultrasound breast U-Net PyTorch dataset images masks " * 400))
    for c in (extreme, gh("maker/ultrasonic-sensor", "HC-SR04 Arduino ESP32 sonar bat Subsonic " * 50)):
        j = judge(c)
        assert 0.0 <= j.relevance <= 1.0


def test_judge_is_pure() -> None:
    c = cand("kaggle", "Breast Ultrasound Images Dataset", "780 breast ultrasound images.", "dataset")
    assert judge(c) == judge(c)
    assert c.title == "Breast Ultrasound Images Dataset" and c.text == "780 breast ultrasound images."


def test_long_readme_is_judged_quickly() -> None:
    readme = ("## Section\nSome ultrasound text about breast images and a U-Net trained with PyTorch. " * 2500)
    started = time.perf_counter()
    j = judge(gh("lab/huge-readme", readme))
    assert time.perf_counter() - started < 2.0
    assert j.relevance > THRESHOLD


def test_prefiltered_patterns_match_exactly_like_plain_ones() -> None:
    sample = (
        "Breast US images (BUSI) and ultrasound-assisted extraction; MRI, CT or ultrasound. HC-SR04 Arduino. "
        "超声图像 超声波传感器 B-mode, b mode, CEUS, iUS, POCUS. The United States census. Ultrasonic testing "
        "of welds. nnU-Net, YOLOv8, best.pth, python train.py --epochs 5. 1,234 images (n = 52). "
        "Kelvin \u212a and long \u017f letters. https://github.com/a/b zenodo.org/records/1"
    )
    patterns = [v for v in vars(relevance).values() if isinstance(v, re.Pattern)]
    patterns += [n.pattern for n in relevance.NEGATIVES] + [rx for _, rx in relevance.OTHER_MODALITIES]
    prefiltered = 0
    for rx in patterns:
        match = re.fullmatch(r"\(\?=\[[^\]]*(?:\\.[^\]]*)*\]\)\(\?:(.*)\)", rx.pattern, re.S)
        if not match:
            continue
        prefiltered += 1
        plain = re.compile(match.group(1), rx.flags)
        assert [m.span() for m in rx.finditer(sample)] == [m.span() for m in plain.finditer(sample)], rx.pattern[:60]
    assert prefiltered > 20


# -- further rules ----------------------------------------------------------------------------------


def test_machine_names_and_transvaginal_count_as_ultrasound() -> None:
    j = judge(cand("zenodo", "3D transvaginal scans of the pelvic floor",
                   "Acquired with a Voluson E10 in 120 women at rest and during Valsalva; 4D volumes with levator "
                   "ani segmentations.", "dataset"))
    assert kept(j, "dataset")
    assert not has_reason(j, "no ultrasound imaging terms")


def test_rich_model_of_something_else_is_excluded() -> None:
    j = judge(cand("huggingface", "google/vit-base-patch16-224",
                   "Vision Transformer (ViT) pre-trained on ImageNet-21k and fine-tuned on ImageNet.", "model",
                   files=[FileInfo("model.safetensors")],
                   extra={"weight_files": ["model.safetensors"], "pipeline_tag": "image-classification"}))
    assert excluded(j)
    assert has_reason(j, "nothing ties it to ultrasound")


def test_lone_us_in_a_slug_counts_when_the_text_is_about_ultrasound() -> None:
    about = judge(cand("huggingface", "lab/us-vqa", "Question answering on ultrasound images of 8 organs.", "dataset"))
    other = judge(cand("huggingface", "lab/us-vqa", "Question answering on street images of 8 cities.", "dataset"))
    assert has_reason(about, "ultrasound imaging terms in title")
    assert excluded(other)


def test_open_hardware_without_data_or_model_is_excluded() -> None:
    j = judge(gh("lab/open-ultrasound-board",
                 "Open hardware 64-channel ultrasound front-end: FPGA firmware, beamformer HDL and PCB files. "
                 "Produces B-mode images at 30 fps with a linear probe."))
    assert excluded(j)
    assert has_reason(j, "hardware / firmware")


def test_teaching_simulator_is_excluded() -> None:
    j = judge(gh("lab/ultrasound-unity-sim",
                 "Unity-based ultrasound training simulator for medical students: virtual probe and synthetic "
                 "B-mode rendering. Educational tool."))
    assert excluded(j)
    assert has_reason(j, "teaching or training tool")


def test_placeholder_repository_scores_lower_than_the_bare_title() -> None:
    bare = judge(gh("lab/breast-ultrasound-seg"))
    placeholder = judge(gh("lab/breast-ultrasound-seg", "Code coming soon."))
    assert placeholder.relevance < bare.relevance
    assert has_reason(placeholder, "placeholder repository")


def test_autogenerated_hub_card_is_a_model() -> None:
    card = ("This model is a fine-tuned version of nvidia/mit-b0 on the None dataset.\n- Loss: 0.12\n- Mean Iou: 0.71"
            "\n### Training hyperparameters\n- learning_rate: 6e-05\n- num_epochs: 50\n- Pytorch 2.1.0")
    j = judge(cand("huggingface", "user/segformer-b0-finetuned-breast-ultrasound", card, "model",
                   files=[FileInfo("model.safetensors")], extra={"weight_files": ["model.safetensors"]}))
    assert kept(j, "model")
    assert j.relevance > 0.95


def test_video_clips_are_not_clip_the_model() -> None:
    j = judge(cand("zenodo", "Echocardiography clips", "Each clip shows an apical four-chamber view; 500 clips.",
                   "dataset"))
    assert not has_reason(j, "deep learning")


def test_ecg_gated_acquisition_is_not_access_on_request() -> None:
    j = judge(cand("zenodo", "Cardiac ultrasound sequences", "ECG-gated acquisitions of 40 volunteers.", "dataset"))
    assert not has_reason(j, "access on request")


def test_hosted_research_scanner_data_is_not_a_simulator() -> None:
    j = judge(cand("zenodo", "Raw RF channel data of in vivo carotid acquisitions",
                   "Plane-wave RF channel data acquired with a Verasonics Vantage in 20 volunteers, for beamforming "
                   "research. MAT files.", "dataset", files=[FileInfo("rf_001.mat")]))
    assert kept(j, "dataset")
    assert not has_reason(j, "simulator/beamforming")


def test_ultrasound_fork_of_a_general_framework_is_relevant_but_the_framework_is_not() -> None:
    readme = ("nnU-Net adapts a U-Net segmentation pipeline to any dataset, for example computed tomography (CT) "
              "and MRI. Supports CT, MRI and other modalities. pip install nnunetv2; nnUNetv2_train. ") * 3
    assert kept(judge(gh("lab/nnUNet-breast-ultrasound", readme)), "model")
    assert excluded(judge(gh("MIC-DKFZ/nnUNet", readme)))


def test_official_implementation_phrase_is_model_evidence() -> None:
    j = judge(gh("lab/bus-boundary", "Official implementation of our MICCAI paper on breast lesion segmentation in "
                                     "ultrasound images."))
    assert kept(j, "model")
    assert has_reason(j, "code of a paper")
