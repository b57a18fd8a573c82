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


def test_paper_that_only_promises_code_is_excluded_but_ranked_above_silence() -> None:
    # a promise shares nothing now (not open source yet); it still ranks above a paper that says nothing
    promise = judge(cand("openalex", "Automated liver segmentation in ultrasound with deep learning",
                         "A U-Net was trained on 500 liver ultrasound images. Code will be made available upon "
                         "acceptance."))
    silent = judge(cand("openalex", "Automated liver segmentation in ultrasound with deep learning",
                        "A U-Net was trained on 500 liver ultrasound images."))
    assert excluded(promise)
    assert has_reason(promise, "only promises a release")
    assert silent.relevance < promise.relevance


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
    assert any(re.search(r"\(-\d+\.\d\)$", r) and "distance sensor" in r for r in scored)


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
    assert has_reason(placeholder, "placeholder")


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


# -- negation, asides and what a record says it is not ---------------------------------------------


def test_negated_release_is_not_a_release() -> None:
    j = judge(cand("openalex", "Convolutional network for gallbladder polyp detection on ultrasound",
                   "A CNN detected polyps on 6,200 gallbladder ultrasound images from two centres (AUC 0.90). "
                   "The images and code are not publicly available because of hospital policy."))
    assert excluded(j)
    assert not has_reason(j, "states or links a release")


def test_code_released_while_data_is_withheld_is_a_model() -> None:
    j = judge(cand("openalex", "Contrastive pretraining for lung ultrasound B-line scoring",
                   "We pretrain an encoder on 18,000 unlabelled lung ultrasound clips. Our implementation is "
                   "available at https://github.com/example/lus-clr. Patient data cannot be shared."))
    assert kept(j, "model")


def test_paper_building_a_dataset_but_releasing_only_code_is_a_model() -> None:
    j = judge(cand("openalex", "Sweep-level pretraining for obstetric ultrasound",
                   "We assemble a new pretraining dataset of 40,000 obstetric sweeps from three hospitals and "
                   "propose a video transformer. Source code and trained weights are available at "
                   "https://github.com/example/sweep-pt."))
    assert kept(j, "model")


def test_paper_with_data_behind_an_agreement_is_a_restricted_dataset() -> None:
    j = judge(cand("openalex", "A multi-centre dataset of paediatric hip ultrasound",
                   "We introduce a dataset of 3,000 hip ultrasound images of 900 infants with alpha-angle "
                   "landmarks. Researchers can obtain it after signing a data use agreement."))
    assert kept(j, "dataset")
    assert not has_reason(j, "only on request")


def test_weights_that_are_only_promised_do_not_count_as_mentioned() -> None:
    j = judge(gh("lab/ovarian-us-cls", "Ovarian mass classification in ultrasound. Trained checkpoints will be "
                                       "released after publication."))
    assert not has_reason(j, "mentions weights")


def test_ultrasound_named_once_in_a_record_about_another_modality_is_an_aside() -> None:
    j = judge(cand("huggingface", "lab/spine-ct-vertebra-seg",
                   "# spine-ct-vertebra-seg\nnnU-Net model for vertebra segmentation in spine CT. The team "
                   "tried ultrasound once.", "model",
                   files=[FileInfo("checkpoint_final.pth")], extra={"weight_files": ["checkpoint_final.pth"]}))
    assert excluded(j)
    assert has_reason(j, "aside")


def test_future_work_on_ultrasound_is_in_passing() -> None:
    j = judge(gh("lab/knee-xray-oa-grading", "Knee osteoarthritis grading on radiographs with a ResNet.\n\nFuture "
                                            "work: port the model to musculoskeletal ultrasound and POCUS clips.",
                 files=[FileInfo("klg.pt")], extra={"weight_assets": ["klg.pt"]}))
    assert excluded(j)
    assert has_reason(j, "passing")


def test_statement_that_a_model_is_mri_only_makes_its_ultrasound_mention_an_aside() -> None:
    j = judge(gh("lab/liver-fat-quant", "Liver fat quantification network (PyTorch). Ultrasound support was planned "
                                        "but dropped: this release is MRI-only. Weights in releases.",
                 files=[FileInfo("fatnet.pt")], extra={"weight_assets": ["fatnet.pt"]}))
    assert excluded(j)


def test_negated_ultrasound_mention_does_not_count() -> None:
    j = judge(gh("lab/retina-vessel-net", "Retinal vessel segmentation in fundus photographs; no ultrasound "
                                          "involved. Checkpoints in releases.",
                 files=[FileInfo("vessels.pt")], extra={"weight_assets": ["vessels.pt"]}))
    assert excluded(j)


def test_microscopy_is_another_modality_but_ultrasound_localisation_microscopy_is_not() -> None:
    cells = judge(gh("lab/organoid-seg", "Organoid segmentation in brightfield microscopy with a U-Net. Nothing "
                                         "to do with ultrasound. Weights in releases.",
                     files=[FileInfo("org.pt")], extra={"weight_assets": ["org.pt"]}))
    ulm = judge(cand("zenodo", "Ultrasound localization microscopy of the rat brain",
                     "In vivo ultrasound localization microscopy acquisitions of 12 rats, beamformed IQ frames "
                     "and microbubble tracks.", "dataset", files=[FileInfo("ulm.zip")]))
    assert excluded(cells)
    assert kept(ulm, "dataset")


def test_text_that_says_it_is_not_medical_is_excluded() -> None:
    j = judge(cand("kaggle", "Pipe wall ultrasound B-scans", "B-scans of 300 steel pipe sections for corrosion "
                             "mapping with a CNN. Industrial ultrasound, not medical.", "dataset"))
    assert excluded(j)
    assert has_reason(j, "not medical imaging")


def test_non_medical_operators_scanning_patients_is_not_a_non_medical_record() -> None:
    j = judge(cand("zenodo", "Cardiac POCUS clips recorded by paramedics",
                   "900 cardiac ultrasound clips recorded by non-medical staff (paramedics) with a handheld probe, "
                   "with view labels.", "dataset", files=[FileInfo("clips.zip")]))
    assert kept(j, "dataset")
    assert not has_reason(j, "not medical imaging")


# -- text-only report corpora and language models ------------------------------------------------


def test_report_corpus_that_says_it_has_no_images_is_excluded() -> None:
    j = judge(cand("zenodo", "Obstetric ultrasound report corpus",
                   "25,000 anonymised obstetric ultrasound reports in Spanish for clinical NLP. The corpus "
                   "contains no images.", "dataset", files=[FileInfo("reports.jsonl")]))
    assert excluded(j)
    assert has_reason(j, "no images")


def test_language_model_for_ultrasound_reports_without_images_is_excluded() -> None:
    j = judge(cand("huggingface", "lab/sono-report-ner",
                   "# sono-report-ner\nBioBERT token classifier tagging organs and measurements in free-text "
                   "sonography reports.", "model", files=[FileInfo("model.safetensors")],
                   extra={"weight_files": ["model.safetensors"]}))
    assert excluded(j)
    assert has_reason(j, "language processing")


def test_counted_reports_without_images_are_a_text_corpus() -> None:
    j = judge(cand("kaggle", "Liver Ultrasound Reports", "12,500 liver ultrasound reports with steatosis grade, "
                                                         "as a CSV.", "dataset", files=[FileInfo("reports.csv")]))
    assert excluded(j)
    assert has_reason(j, "counts report texts")


def test_images_paired_with_reports_are_an_imaging_dataset() -> None:
    j = judge(cand("huggingface", "lab/carotid-us-captions",
                   "# carotid-us-captions\n4,300 carotid ultrasound images, each with the free-text report "
                   "sentence describing it; for captioning and LLM-based report generation.", "dataset",
                   files=[FileInfo("data/train-00000.parquet")]))
    assert kept(j, "dataset")


def test_no_images_of_a_subgroup_is_not_a_text_only_statement() -> None:
    j = judge(cand("zenodo", "Achilles tendon ultrasound images", "640 ultrasound images of 80 runners; the set "
                             "contains no images of injured tendons.", "dataset", files=[FileInfo("tendon.zip")]))
    assert kept(j, "dataset")
    assert not has_reason(j, "holds no images")


# -- other noise categories -----------------------------------------------------------------------


def test_airborne_ultrasound_machine_recordings_are_excluded() -> None:
    j = judge(cand("huggingface", "plantai/bearing-ultrasound-audio",
                   "# bearing-ultrasound-audio\nAirborne ultrasound recordings of gearbox bearings for predictive "
                   "maintenance; 2,000 clips labelled healthy or worn.", "dataset",
                   files=[FileInfo("data/train.parquet")]))
    assert excluded(j)
    assert has_reason(j, "machine acoustics")


def test_robot_with_ultrasound_sensors_is_excluded() -> None:
    j = judge(cand("kaggle", "Mobile robot corridor logs", "Readings of 16 ultrasound sensors on a mobile robot "
                                                           "driving along corridors.", "dataset"))
    assert excluded(j)


def test_study_guide_for_sonography_students_is_excluded() -> None:
    j = judge(gh("sono-edu/vascular-study-guide", "Vascular sonography study guide for students preparing for "
                                                  "the registry exam, with practice questions and Doppler basics."))
    assert excluded(j)


def test_catalogue_of_datasets_is_excluded() -> None:
    j = judge(cand("zenodo", "An inventory of open echocardiography datasets",
                   "A table of 48 public echocardiography datasets with links and licences. The table itself "
                   "holds no images.", "dataset", files=[FileInfo("inventory.xlsx")]))
    assert excluded(j)


def test_united_states_based_is_not_ultrasound() -> None:
    j = judge(cand("kaggle", "Hospital price transparency files", "Standard charges published by US-based "
                                                                  "hospitals in 2023.", "dataset"))
    assert excluded(j)


def test_transcranial_imaging_is_not_therapy() -> None:
    j = judge(cand("zenodo", "Transcranial ultrasound of the middle cerebral artery",
                   "Transcranial colour Doppler ultrasound videos of 60 stroke patients with vessel annotations.",
                   "dataset", files=[FileInfo("tcd.zip")]))
    assert kept(j, "dataset")
    assert not has_reason(j, "therapeutic")


def test_many_cues_of_one_category_weigh_more_than_one() -> None:
    one = judge(cand("zenodo", "Ultrasonic recordings", "Ultrasonic recordings of bats.", "dataset"))
    many = judge(cand("zenodo", "Ultrasonic recordings", "Ultrasonic recordings of bats: echolocation calls for "
                                                         "bioacoustics.", "dataset"))
    assert many.relevance < one.relevance


# -- placeholders -----------------------------------------------------------------------------------


def test_hub_repository_holding_only_its_card_and_a_promise_is_excluded() -> None:
    j = judge(cand("huggingface", "lab/kidney-us-seg", "# kidney-us-seg\nKidney segmentation in ultrasound. "
                                                       "Weights coming soon.", "model",
                   files=[FileInfo(".gitattributes"), FileInfo("README.md")]))
    assert excluded(j)
    assert has_reason(j, "only its card")


def test_hub_repository_with_weights_is_not_card_only() -> None:
    j = judge(cand("huggingface", "lab/kidney-us-seg", "# kidney-us-seg\nKidney segmentation in ultrasound.",
                   "model", files=[FileInfo("README.md"), FileInfo("model.safetensors")],
                   extra={"weight_files": ["model.safetensors"]}))
    assert kept(j, "model")
    assert not has_reason(j, "only its card")


def test_repository_with_runnable_code_and_promised_weights_is_not_a_placeholder() -> None:
    j = judge(gh("lab/fetal-heart-view", "Fetal heart view classification in ultrasound.\n\npip install -r "
                                         "requirements.txt\npython train.py --cfg configs/base.yaml\n\nWeights "
                                         "will be released soon."))
    assert kept(j, "model")
    assert not has_reason(j, "placeholder repository (")


def test_conference_paper_typed_as_book_chapter_is_not_penalised() -> None:
    j = judge(cand("openalex", "Plane detection in fetal ultrasound with a lightweight transformer",
                   "Code: https://github.com/example/plane-det", "book-chapter"))
    assert not has_reason(j, "book chapter")
    assert kept(j, "model")


# -- kind: repositories that serve a dataset ---------------------------------------------------------


def test_repository_of_loaders_for_a_dataset_is_a_dataset() -> None:
    j = judge(gh("lab/thyroid-cine", "Data loaders and evaluation scripts for the ThyroCine thyroid ultrasound "
                                     "video dataset\n\nVideos: https://doi.org/10.5281/zenodo.7654321\n\nBaselines: "
                                     "ResNet-18 and a video Swin transformer (PyTorch)."))
    assert kept(j, "dataset")
    assert has_reason(j, "tools/loaders of a dataset")


def test_repository_described_as_a_dataset_is_a_dataset() -> None:
    j = judge(gh("lab/pocus-abdomen", "Emergency abdominal POCUS video dataset with free-fluid labels\n\n"
                                      "410 videos from 2 emergency departments, freely downloadable from `data/`. "
                                      "A PyTorch baseline classifier is in `baseline/`."))
    assert kept(j, "dataset")


def test_model_repository_that_names_its_training_dataset_stays_a_model() -> None:
    j = judge(gh("lab/camus-seg", "Code for training a U-Net on the CAMUS dataset\n\npython train.py --fold 1\n"
                                  "Checkpoints in releases.",
                 files=[FileInfo("unet.pt")], extra={"weight_assets": ["unet.pt"]}))
    assert kept(j, "model")
    assert not has_reason(j, "tools/loaders")


def test_lower_case_acronym_in_a_slug_counts_as_ultrasound() -> None:
    assert judge(gh("lab/ceus-liver-lesions")).relevance >= THRESHOLD


# -- empty, personal and information-only repositories ----------------------------------------------


def test_empty_repository_with_a_generic_name_is_excluded() -> None:
    assert excluded(judge(gh("someone/ultrasound-stuff")))
    assert excluded(judge(gh("team7/Ultrasound-Hack", "# Ultrasound-Hack\nhackathon weekend, unfinished")))


def test_empty_repository_with_a_specific_name_still_goes_to_curators() -> None:
    # anatomy + task in the name: plausible, and a curator dismisses it in seconds
    assert judge(gh("lab/carotid-ultrasound-segmentation")).relevance >= THRESHOLD


def test_personal_project_cue_lowers_the_score() -> None:
    plain = judge(gh("x/spleen-us", "Spleen ultrasound segmentation with a U-Net in PyTorch."))
    personal = judge(gh("x/spleen-us", "My first project: spleen ultrasound segmentation with a U-Net in PyTorch."))
    assert personal.relevance < plain.relevance
    assert has_reason(personal, "personal or hackathon")


def test_repository_that_promises_its_code_is_a_placeholder() -> None:
    j = judge(gh("lab/PlacentaNet", "PlacentaNet: placenta segmentation in 3D ultrasound (under review)\n\nOfficial "
                                    "repository. The source code will be published once the paper is accepted.\n\n"
                                    "| method | Dice |\n|---|---|\n| PlacentaNet | 0.86 |"))
    assert excluded(j)
    assert has_reason(j, "promises the code")


def test_unticked_release_checklist_is_a_placeholder() -> None:
    j = judge(gh("lab/EchoLLaVA", "EchoLLaVA: a vision-language assistant for echocardiography\n\n- [ ] release "
                                  "training code\n- [ ] release checkpoints\n- [ ] release demo"))
    assert excluded(j)


def test_promise_of_weights_only_keeps_a_repository_with_code() -> None:
    j = judge(gh("lab/us-bladder-volume", "Bladder volume estimation from 2D ultrasound sweeps.\n\n```bash\npython "
                                          "infer.py --sweep demo/\n```\nCheckpoints will be uploaded soon."))
    assert kept(j, "model")
    assert not has_reason(j, "promises the code")


def test_information_page_whose_code_cannot_be_shared_is_excluded() -> None:
    j = judge(gh("lab/HipSonoAI", "HipSonoAI: infant hip dysplasia grading from ultrasound (project page)\n\nA CNN "
                                  "trained on 9,000 Graf-standard images. The implementation is proprietary and "
                                  "cannot be made public; contact us for a collaboration."))
    assert excluded(j)
    assert has_reason(j, "cannot be shared")


def test_hosted_model_without_weights_only_on_request_is_excluded() -> None:
    j = judge(cand("huggingface", "lab/liver-steatosis-grader",
                   "# liver-steatosis-grader\nGrades hepatic steatosis from liver ultrasound images. The trained "
                   "network is available on request to academic users.", "model",
                   files=[FileInfo(".gitattributes"), FileInfo("README.md")]))
    assert excluded(j)


def test_hub_card_pointing_to_code_elsewhere_is_kept() -> None:
    j = judge(cand("huggingface", "lab/fetal-brain-us-seg",
                   "# fetal-brain-us-seg\nFetal brain structure segmentation in ultrasound. Code and weights: "
                   "https://github.com/lab/fetal-brain-us-seg", "model", files=[FileInfo("README.md")]))
    assert kept(j, "model")


# -- teaching, catalogues, statistics, commerce, text models ---------------------------------------


def test_course_named_in_a_repository_description_is_teaching_material() -> None:
    j = judge(gh("uni/bme571", "Assignments and slides for an ultrasound imaging course: beamforming and Doppler "
                               "exercises in Jupyter."))
    assert excluded(j)
    assert has_reason(j, "course or teaching material")


def test_processing_walkthrough_without_a_learned_model_is_excluded() -> None:
    j = judge(gh("x/rf-pipeline", "Walkthrough of ultrasound image formation from RF: envelope detection, log "
                                  "compression and scan conversion, in a notebook."))
    assert excluded(j)


def test_exam_question_bank_is_excluded() -> None:
    j = judge(cand("kaggle", "Sonography registry exam questions", "2,400 multiple-choice questions on ultrasound "
                                                                   "physics and obstetrics, with answers.", "dataset"))
    assert excluded(j)


def test_index_of_datasets_is_excluded() -> None:
    j = judge(cand("huggingface", "hub/fetal-us-datasets-index", "# fetal-us-datasets-index\nAn index of 35 public "
                                                                 "fetal ultrasound datasets with links; images are "
                                                                 "not hosted here.", "dataset",
                   files=[FileInfo("index.csv")]))
    assert excluded(j)


def test_statistics_scripts_of_a_clinical_cohort_are_excluded() -> None:
    j = judge(gh("obstat/placenta-cohort", "SPSS syntax and R scripts for our placental ultrasound cohort: logistic "
                                           "regression and Kaplan-Meier curves. Data are not shared."))
    assert excluded(j)
    assert has_reason(j, "statistical analysis")


def test_sonographer_wages_are_not_ultrasound_imaging() -> None:
    j = judge(cand("kaggle", "Allied health salaries by state", "Median salary and employment of sonographers, "
                                                                "radiographers and nurses by state.", "dataset"))
    assert excluded(j)


def test_sonographers_who_acquired_images_do_not_hurt_a_dataset() -> None:
    j = judge(cand("zenodo", "Renal ultrasound images", "1,600 renal ultrasound images acquired by four "
                                                        "sonographers, with kidney masks.", "dataset",
                   files=[FileInfo("renal.zip")]))
    assert kept(j, "dataset")


def test_shop_data_naming_ultrasound_gel_is_excluded() -> None:
    j = judge(cand("huggingface", "shop/medical-catalogue", "# medical-catalogue\nProduct descriptions of a medical "
                                                            "web shop (ultrasound gel, gloves, syringes).", "dataset",
                   files=[FileInfo("products.csv")]))
    assert excluded(j)


def test_text_generation_model_about_ultrasound_appointments_is_excluded() -> None:
    j = judge(cand("huggingface", "clinic/us-prep-assistant", "# us-prep-assistant\nAnswers patients' questions "
                                                              "about preparing for a pelvic ultrasound.", "model",
                   files=[FileInfo("model.safetensors")],
                   extra={"weight_files": ["model.safetensors"], "pipeline_tag": "text-generation"}))
    assert excluded(j)
    assert has_reason(j, "language/speech model")


def test_image_to_text_model_is_not_a_language_model() -> None:
    j = judge(cand("huggingface", "lab/thyroid-us-captioner", "# thyroid-us-captioner\nWrites a findings sentence "
                                                              "for each thyroid ultrasound image.", "model",
                   files=[FileInfo("model.safetensors")],
                   extra={"weight_files": ["model.safetensors"], "pipeline_tag": "image-to-text"}))
    assert kept(j, "model")


# -- simulators, asides and release statements ------------------------------------------------------


def test_beamforming_library_archived_on_zenodo_is_excluded() -> None:
    j = judge(cand("zenodo", "lab/sonobeam: v0.9", "Source code of SonoBeam: delay-and-sum, minimum variance and "
                                                    "coherent plane-wave compounding for ultrasound.", "software",
                   files=[FileInfo("sonobeam-v0.9.zip")], links=["https://github.com/lab/sonobeam"]))
    assert excluded(j)
    assert not has_reason(j, "data files")


def test_simulation_inputs_are_not_ultrasound_images() -> None:
    j = judge(cand("zenodo", "Tissue property maps for ultrasound simulation", "Speed-of-sound and attenuation maps "
                                                                               "derived from 12 abdominal MRI "
                                                                               "scans, for ultrasound wave "
                                                                               "propagation studies.", "dataset",
                   files=[FileInfo("maps.zip")]))
    assert excluded(j)


def test_modality_denied_after_its_name_is_in_passing() -> None:
    j = judge(cand("huggingface", "mirror/retina-collection", "# retina-collection\nFundus and OCT images for "
                                                              "diabetic retinopathy. Ocular ultrasound is not "
                                                              "included.", "dataset",
                   files=[FileInfo("data/train.parquet")]))
    assert excluded(j)


def test_roadmap_item_for_ultrasound_is_in_passing() -> None:
    j = judge(gh("x/medseg-lite", "Lightweight CT/MRI segmentation framework (PyTorch).\n\nRoadmap:\n- [x] CT\n"
                                  "- [ ] ultrasound support",
                 files=[FileInfo("w.pt")], extra={"weight_assets": ["w.pt"]}))
    assert excluded(j)


def test_promised_public_availability_is_not_a_release() -> None:
    j = judge(cand("openalex", "Transformer-based carotid plaque classification in ultrasound",
                   "A transformer classified 5,000 carotid ultrasound images. The code will be made publicly "
                   "available upon acceptance."))
    assert excluded(j)
    assert has_reason(j, "only promises")


def test_data_host_named_without_a_link_is_a_release() -> None:
    j = judge(cand("openalex", "A dataset of ultrasound images of the median nerve",
                   "We collected 2,000 ultrasound images of the median nerve from 100 volunteers, with masks. "
                   "The images are deposited in Mendeley Data."))
    assert kept(j, "dataset")
    assert has_reason(j, "states or links a release")


def test_curriculum_learning_is_not_a_curriculum() -> None:
    j = judge(gh("lab/CLThyroid", "Curriculum learning for thyroid nodule classification in ultrasound (PyTorch)"))
    assert not has_reason(j, "course or teaching material")


def test_todo_about_ultrasound_is_in_passing() -> None:
    j = judge(gh("x/cxr-pneumonia", "Pneumonia detection on chest X-rays with a DenseNet.\n\nTODO: try lung ultrasound "
                                    "clips next.", files=[FileInfo("d.pt")], extra={"weight_assets": ["d.pt"]}))
    assert excluded(j)


def test_learning_rate_scheduler_and_a_regression_baseline_are_not_noise() -> None:
    j = judge(gh("lab/liver-us-fibrosis", "Liver fibrosis staging from ultrasound with a ResNet-34 (PyTorch).\n\n"
                                          "AdamW, cosine scheduler, 50 epochs. Compared with logistic regression on "
                                          "elastography values."))
    assert kept(j, "model")
    assert not has_reason(j, "hard negative")


def test_code_folder_shown_with_weights_withheld_is_code_without_weights() -> None:
    j = judge(gh("lab/neonatal-hip-us", "Neonatal hip ultrasound alpha-angle estimation. Training code in `src/`; "
                                        "the trained weights cannot be shared because of patient privacy."))
    assert kept(j, "model")
    assert not has_reason(j, "cannot be shared")
