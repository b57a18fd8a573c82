"""Relevance and kind: is a record a public ultrasound imaging dataset or an open deep-learning model?

Owns triage's first decision for every staged record. ``judge(candidate)`` is pure
and returns a ``Judgement``: a score in [0, 1], a kind (``dataset`` | ``model`` |
``other``) and the reasons that fired. Reasons are stored and shown to curators,
so every piece of evidence that moves the score is named, with its points.

The model is a transparent, hand-weighted logistic score. No weights are learned
(curators must be able to see why a record was kept or dropped, and the rules
must hold on hosts and writing styles the labelled corpus does not contain)::

    z = BIAS + U + R + H + N          relevance = 1 / (1 + exp(-z))

Every term is a sum of named contributions, in log-odds points:

* ``U``, **ultrasound imaging evidence**, capped at ``U_CAP``. Unambiguous terms
  (ultrasound, sonography, echocardiography, B-mode, POCUS, CEUS, hypoechoic,
  transvaginal, machine names such as Voluson, known dataset names such as BUSI or
  CAMUS, a few other languages) in the title, the keywords, the first
  ``HEAD_CHARS`` of the text, and the rest (which counts less). "US" counts only
  where the sentence makes it ultrasound ("breast US images", "ultrasound (US)",
  a "thyroid-us" slug). Words used for something other than imaging
  ("ultrasound-assisted extraction", "focused ultrasound") and mentions in
  passing ("unlike ultrasound", "CT or ultrasound") are left out. Ambiguous words
  (Doppler, probe, transducer, elastography) count only beside anatomy
  (``crawler.vocab``) or clinical words. A record with no imaging term gets -2
  ("no ultrasound imaging terms").
* ``R``, **resource evidence**: the stronger of dataset evidence ``D`` and model
  evidence ``M``, plus 0.3 of the weaker, capped at ``R_CAP``. ``D`` covers stated
  sizes ("780 images"), annotations, splits, "we introduce a dataset", links to
  data repositories, data files, data licences and access on request. ``M`` covers
  deep-learning words, frameworks, training or inference code, "official
  implementation", weights that are mentioned, weights that are attached
  (release assets, hub files) and hub metadata. An imaging task (segmentation,
  classification, ...) adds to both. When nothing ties the record to ultrasound,
  ``R`` is capped at ``R_CAP_NO_US``: a rich model of something else is still
  something else.
* ``H``, **the host**. A Kaggle, Hugging Face or Zenodo dataset or model record
  *is* a hosted resource (+1.5), and a GitHub repository is code (+0.4). A
  publication is relevant only if it releases something: a link in its text to
  GitHub, Zenodo, Kaggle, HF, figshare, PhysioNet, grand-challenge and similar
  hosts, or a statement that code or data "is available". The penalty is -6 when
  it releases nothing, -2.5 for data "on request", and -2 for a release that is
  only promised or a dataset introduced without a link.
* ``N``, **hard negatives**. Each is a named category with its own weight, halved
  when it fires only deep in a long text. The categories are: ultrasonic distance
  sensors and maker boards; industrial NDT; flow meters, cleaning, welding,
  levitation and sonochemistry; bat echolocation and bioacoustics; sonar;
  music apps and data over sound; end-user apps; teaching tools; hardware;
  therapeutic ultrasound (HIFU, neuromodulation); "US" meaning the United States
  (applied only when nothing says ultrasound, so data from a US hospital is not
  penalised); another modality dominant ("MRI-only: ..."); simulators and
  beamforming toolboxes with no learned model or data; awesome-lists and link
  lists; surveys and reviews; course material; review, poster and erratum host
  types; hosted "ultrasound" datasets with no images (trial spreadsheets);
  placeholder repositories; and texts that describe neither data nor a model.

Calibration: a rich true positive reaches z > 4 (relevance > 0.98). A hard
negative stays below z = -4 (< 0.02). A paper that releases nothing, however
well it matches, stays below 0.06. A thin but plausible record (a repository
named "thyroid-ultrasound-segmentation" with an empty README, or a title-only
Kaggle dataset) lands at 0.2-0.6 and goes to curators, because text that states
nothing is not evidence against the record. ``THRESHOLD`` sits just below that
band. Recall comes first: a curator dismisses a record in seconds, but a record
excluded by mistake is lost.

Kind: the host's own type is a strong prior. Kaggle, HF and Zenodo say dataset or
model; Zenodo software and GitHub lean model. The content can overrule it:

* a repository that introduces and links data is a dataset, even when it ships
  baseline code;
* a Zenodo software record, or a Kaggle "dataset", that holds only weight files
  is a model;
* a paper is what it releases: "we introduce a dataset ... available at" makes it
  a dataset, and code or weights make it a model.

Records below the threshold are ``other``.

Performance: patterns are compiled once, with a first-character prefilter (see
``_prefiltered``). Text is read in two bounded slices, the head and a tail up to
``TAIL_CHARS``, so the work per record is linear and bounded: about 2 ms for an
abstract and under 0.1 s for a 200 kB README.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.links import find_urls, normalise_url
from crawler.models import Candidate, Judgement
from crawler.vocab import ANATOMY

# -- constants of the model ------------------------------------------------------------------

THRESHOLD = 0.15
"""Below this score a record is excluded automatically (kept, reversible).

Chosen for recall: the thinnest plausible records (a repository whose name says
ultrasound and nothing else, a title-only hosted dataset) score about 0.2-0.6;
hard negatives score below 0.02, papers that release nothing below 0.06, tools
that describe neither data nor a model below 0.1. 0.15 keeps the first for
curators and drops the rest."""

BIAS = -4.5
U_CAP = 4.5
R_CAP = 4.5
R_CAP_NO_US = 1.5
HEAD_CHARS = 3000  # title + first part of the text: what the record is *about*
LEAD_CHARS = 300  # the opening sentence(s): a description's or abstract's own summary
TAIL_CHARS = 15_000  # deeper README text counts less, and is not scanned past this
TAIL_FACTOR = 0.5  # a hard negative found only in the tail weighs half

_CASELESS = re.IGNORECASE


def _rx(pattern: str, flags: int = _CASELESS) -> re.Pattern[str]:
    return _prefiltered(re.compile(pattern, flags))


def _cs(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A case-sensitive pattern (acronyms: "US", "CT", "CAMUS")."""
    return _rx(pattern, flags)


# -- a speed-up for word-list patterns -----------------------------------------------------------
# Patterns here are long alternations that start with \b; Python's engine then tries every
# alternative at every position. Prefixing the set of possible first characters as a lookahead
# lets it skip most positions in C (about 2x on READMEs). The set is read from the parsed pattern
# (re._parser, CPython's own parser); whenever it cannot be determined the pattern is used as is,
# so matches are never changed (tests/unit/test_relevance.py checks this).
_FOLDS = {"k": "\u212a", "s": "\u017f", "i": "\u0130\u0131"}  # non-ASCII letters IGNORECASE folds to k, s, i


def _first_chars(items: list[tuple[object, object]]) -> set[str] | None:
    try:
        from re import _constants as sc  # noqa: PLC0415 - CPython internals, guarded by the caller
    except ImportError:  # pragma: no cover - other Python implementations
        return None
    out: set[str] = set()
    for op, av in items:
        if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):
            continue  # zero-width: the next item decides
        if op is sc.LITERAL:
            return {chr(av)}  # type: ignore[arg-type]
        if op is sc.IN:
            for iop, iav in av:  # type: ignore[attr-defined]
                if iop is sc.LITERAL:
                    out.add(chr(iav))
                elif iop is sc.RANGE and iav[1] - iav[0] < 64:
                    out.update(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return None
            return out
        if op is sc.BRANCH:
            for branch in av[1]:  # type: ignore[index]
                sub = _first_chars(list(branch))
                if sub is None:
                    return None
                out |= sub
            return out
        if op is sc.SUBPATTERN:
            return _first_chars(list(av[3]))  # type: ignore[index]
        if op in (sc.MAX_REPEAT, sc.MIN_REPEAT, getattr(sc, "POSSESSIVE_REPEAT", None)):
            lo, _hi, item = av  # type: ignore[misc]
            return None if lo == 0 else _first_chars(list(item))
        return None
    return None  # the pattern can match the empty string


def _prefiltered(rx: re.Pattern[str]) -> re.Pattern[str]:
    try:
        from re import _parser  # noqa: PLC0415

        first = _first_chars(list(_parser.parse(rx.pattern, rx.flags)))
    except Exception:  # noqa: BLE001 - an optimisation only: fall back to the plain pattern
        return rx
    if not first:
        return rx
    chars: set[str] = set()
    for ch in first:  # both cases always: scoped (?i:...) groups may fold case
        chars |= {ch, ch.lower(), ch.upper(), *_FOLDS.get(ch.lower(), "")}
    cls = "".join(sorted("\\" + c if c in "]\\^-[" else c for c in chars))
    return re.compile(f"(?=[{cls}])(?:{rx.pattern})", rx.flags)


# -- vocabularies ------------------------------------------------------------------------------

# Unambiguous medical-ultrasound vocabulary (several languages: READMEs are not all English).
STRONG_US = _rx(
    r"\bultra[- ]?sound\w*|\bultrasonograph\w*|\bsonograph\w*|\bsonogram\w*|\bsonologist\w*"
    r"|\becho[- ]?cardiogra\w*|\bechocardio\w*|\b(?:trans(?:thoracic|o?esophageal)) echo\w*|\bechograph\w*"
    r"|\becograf\w*|\bultraschall\w*|\bultrass[oô]\w*|\bsonoelastograph\w*|\bshear[- ]wave elastograph\w*"
    r"|\bB[- ]?mode\b|\b(?:hypo|hyper|an|iso)echoic\b|\bechogenic\w*|\bechotexture\b|\bnuchal translucency\b"
    r"|\bapical (?:four|4|two|2|three|3)[- ]chamber\b|\bB-lines?\b|\bsonographer\w*|\bsonoanatom\w*"
    r"|\btrans(?:vaginal|rectal|labial|perineal)\b|\bendovaginal\b"
    # ultrasound machines and research scanners: naming one says how the images were made
    r"|\bVoluson\w*|\bLOGIQ\w*|\bAcuson\w*|\bEPIQ\b|\biU22\b|\bAffiniti\b|\bAplio\w*|\bMyLab\w*"
    r"|\bButterfly iQ\w*|\bClarius\b|\bSonoSite\w*|\bVerasonics\b|\bUltrasonix\b|\bTelemed\b|\bAloka\b"
    r"|\bSamsung Medison\b|\bbk ?(?:3000|5000|Medical)\b|\bVivid (?:E|S|T|iq)\d*\b"
    r"|超声(?!波)"
)
# The word "ultrasound" used for something other than imaging: subtracted from the imaging count.
NON_IMAGING_US = _rx(
    r"\bultra(?:sound|sonic)[- ](?:assisted|mediated|triggered|responsive|induced|treated|irradiat\w*|pre-?treat\w*"
    r"|treatment|bath|stimulation|neuro-?modulation|therapy|energy|power|cavitation|extraction|cleaning|welding"
    r"|homogeni[sz]\w*|processing of)\b"
    r"|\b(?:focused|therapeutic|low-intensity|high-intensity|transcranial|pulsed|power)\s+ultra(?:sound|sonic)\b"
    r"|\bultrasound (?:neuro)?modulation\b"
)
# Acronyms of ultrasound techniques: case-sensitive so that "lus" or "tee" in prose do not count.
STRONG_US_ACRONYM = _cs(r"\b(?:POCUS|CEUS|LUS|TRUS|IVUS|EUS|ABUS|ABVS|TVUS|TTE|TEE|USG|iUS|HHUS)\b")
# Medical "US" abbreviation, only in contexts where it cannot be the United States.
US_ABBREV = _cs(
    r"\bUS[- ](?i:images?|imaging|scans?|scanning|videos?|frames?|sequences?|clips?|exams?|examinations?"
    r"|probes?|transducers?|data(?:sets?)?|volumes?|features?|reports?|findings?|guided|based|elastography"
    r"|modality|screening|segmentation|classification|sweeps?|acquisitions?|views?|planes?|machines?|devices?"
    r"|scanners?|systems?)\b"
    r"|(?i:\b(?:breast|thyroid|fetal|foetal|obstetric|prenatal|lung|liver|hepatic|kidney|renal|abdominal|pelvic"
    r"|transvaginal|transabdominal|transrectal|carotid|vascular|musculoskeletal|msk|cardiac|neonatal|cranial"
    r"|ocular|scrotal|testicular|prostate|endoscopic|intravascular|point-of-care|handheld|hand-held|portable"
    r"|diagnostic|conventional|gr[ae]y-?scale|contrast-enhanced|freehand|free-hand|intraoperative"
    r"|b-mode|doppler|2-?d|3-?d|4-?d)\s+)US\b"
)
# Lower-case "us" in repository slugs ("thyroid-us-seg", "us-segmentation") read as words.
SLUG_US = _rx(
    r"\b(?:breast|thyroid|fetal|foetal|lung|liver|kidney|renal|cardiac|carotid|prostate|ovarian|nerve|muscle"
    r"|abdominal|pocus|bmode|b mode)\s+us\b|\bus\s+(?:seg|segmentation|classification|detection|dataset|images?"
    r"|imaging|video|videos|scans?|report|reports|probe|sim2real)\b"
)
SLUG_WORD_US = _rx(r"\bus\b")
US_DEFINED = _rx(r"\b(?:ultra[- ]?sound|ultrasonography|sonography)(?: imaging| images?)?\s*\(US\)")
BARE_US = _cs(r"\bUS\b")
# Ambiguous: medical only with a clinical context next to them.
MEDIUM_US = _rx(
    r"\bdoppler\b|\belastograph\w*|\btransducers?\b|\bprobes?\b|\bultrasonic (?:images?|imaging|video|scans?)"
    r"|\bcine[- ]?loops?\b|\bstandard planes?\b"
    r"|超声波|超音波"
)
ULTRASONIC = _rx(r"\bultrasonic\w*")

# Well-known ultrasound datasets/models: naming one is imaging evidence even in a bare title.
KNOWN_NAMES = _cs(
    # distinctive names match in any case (repository slugs are lower-case) ...
    r"(?i:\b(?:busi|busis|bus-?bra|busv|breast-lesions-usg|udiat|hc18|ddti|tn3k|tn5000|tdid|covidx-us|fpus23"
    r"|acouslic(?:-ai)?|fallmud|lepset|usfm|uscl|mimicknet|echonet\w*|camus[- ]?challenge))\b"
    # ... names that are also ordinary words only as their authors capitalise them
    r"|\b(?:CAMUS|CUBS|CACTUS|CETUS|ReMIND|RESECT|SAMUS|TMED|BrEaST)\b"
)

CLINICAL = _rx(
    r"\bpatients?\b|\bclinic\w*|\bclinician\w*|\bhospital\w*|\bradiolog\w+|\blesions?\b|\btumou?rs?\b"
    r"|\bnodules?\b|\bcancer\w*|\bcarcinoma\w*|\bmalignan\w+|\bbenign\b|\bdiagnos\w+|\bpatholog\w+"
    r"|\bdiseases?\b|\b[BTO]I?-?RADS\b|\bcysts?\b|\bmedical\b|\bhealthcare\b|\bphysician\w*|\bscreening\b"
    r"|\banatom\w+|\bgestational\b|\btrimester\b|\bejection fraction\b"
)
TASKS = _rx(
    r"\bsegment\w*|\bclassif\w*|\bdetect\w*|\blocali[sz]\w*|\bregistration\b|\breconstruct\w*|\bdenois\w*"
    r"|\bsuper[- ]resolution\b|\bbiometr\w*|\btracking\b|\breport generation\b|\bcaptioning\b"
    r"|\bquality assessment\b|\bplane (?:detection|classification|identification|recognition)\b|\bdespeckl\w*"
)

# crawler.vocab's anatomy patterns, compiled the same way but prefiltered (they run on every record)
_ANATOMY = tuple(
    (term, _prefiltered(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I))) for term, (_, pattern) in ANATOMY.items()
)


def anatomy_terms(text: str) -> list[str]:
    """Canonical anatomy terms in ``text`` (as ``crawler.vocab.anatomy_terms``)."""
    return [term for term, rx in _ANATOMY if rx.search(text)]


# -- dataset evidence --------------------------------------------------------------------------

SIZE = _rx(
    r"\b\d[\d,.]*\s*(?:k\b\s*)?(?:[a-z-]+\s+){0,3}?"
    r"(?:images|videos|volumes|frames|patients|subjects|cases|scans|sequences|clips|cine[- ]?loops|recordings"
    r"|examinations|exams|studies|participants|women|pregnancies|fetuses|infants|neonates|nodules|lesions"
    r"|masks|sweeps|volunteers)\b"
    r"|\b(?:images|videos|volumes|frames|patients|subjects|cases|scans|sequences|clips|recordings)\s*\(\s*(?:n\s*=\s*)?\d[\d,.]*\s*\)"
)
ANNOTATION = _rx(
    r"\bannotat\w+|\bground[- ]truth\b|\bmasks?\b|\bmanual(?:ly)? (?:label|delineat|segment|annotat|outlin)\w*"
    r"|\bdelineat\w+|\bbounding[- ]box\w*|\blabell?ed\b|\blabels?\b|\blandmarks?\b(?![- ]?(?:guided|based))|\bcontours?\b"
)
SPLIT = _rx(
    r"\btrain(?:ing)?\s*/\s*(?:val(?:idation)?|test)\b|\b(?:training|validation|test(?:ing)?) (?:sets?|splits?|subsets?)\b"
    r"|\bsplits?\b|\bhold-?out\b|\bfolds?\b"
)
DATASET_INTRO = _rx(
    r"\b(?:we|this (?:paper|work|study|article|repository|repo|record|project|page)|here we|herein|our)\s+"
    r"(?:\w+\s+){0,3}?(?:introduce|present|release|publish|provide|share|describe|contribute|collect(?:ed)?"
    r"|curate[ds]?|construct(?:ed)?|build|built|create[ds]?|make|makes|contains|hosts|is)\s+"
    r"(?:[\w-]+\s+){0,6}?(?:data ?sets?|databases?|benchmarks?|corpus|corpora|image collection|data collection)\b"
    r"|\b(?:this|the|our) (?:data ?set|database|collection|corpus)\s+(?:\w+\s+){0,2}?"
    r"(?:contains|consists|comprises|includes|is composed|provides|was (?:collected|acquired|built|created)"
    r"|has been (?:collected|acquired|created)|can be downloaded|is (?:publicly |freely |openly )?available)"
    r"|\bdata descriptor\b|\bdataset description\b|\bdata (?:records|description)\b"
)
TITLE_DATA = _rx(
    r"\bdata ?sets?\b|\bdatabases?\b|\bdatabank\b|\bbenchmark\b|\bcorpus\b|\bcollection\b|\bimages\b|\bvideos\b"
    r"|\bvolumes\b|\bscans\b|\brecordings\b|\bcohort\b"
)
DATA_LICENCE = _rx(r"\bCC[- ]?BY\b|\bCC0\b|\bcreative commons\b|\bODbL\b|\bCDLA\b|\bPDDL\b|\bCC-BY-NC\w*")
ON_REQUEST = _rx(
    r"\b(?:available|access\w*|provided|obtain\w*|shared)\s+(?:\w+\s+){0,5}?(?:up)?on (?:reasonable |written )?request\b"
    r"|\bdata (?:use|usage|sharing|access) agreement\b|\bDUA\b|\bcredentialed\b|\bregistration (?:is )?required\b"
    r"|\brequest access\b|\baccess request\b|\bgated (?:dataset|access|repository)\b"
)
DATA_EXT = (
    ".zip", ".tar", ".tar.gz", ".tgz", ".gz", ".7z", ".rar", ".nii", ".nii.gz", ".mha", ".mhd", ".nrrd", ".dcm",
    ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".avi", ".mp4", ".mov", ".mat", ".csv", ".npy", ".npz",
    ".parquet", ".arrow", ".xlsx", ".hdf5", ".h5",
)
WEIGHT_EXT = (".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".keras", ".onnx", ".safetensors", ".pb", ".tflite", ".bin",
              ".pkl", ".params", ".caffemodel", ".weights", ".engine")

# Hosts: a link to one of these means data or code has a public home.
DATA_HOSTS = (
    "zenodo.org", "figshare.com", "kaggle.com", "physionet.org", "grand-challenge.org", "data.mendeley.com",
    "mendeley.com", "osf.io", "dataverse", "datadryad.org", "cancerimagingarchive.net", "synapse.org",
    "drive.google.com", "dropbox.com", "onedrive.live.com", "1drv.ms", "pan.baidu.com", "box.com",
    "aimi.stanford.edu", "stanfordaimi.azurewebsites.net", "ieee-dataport.org", "openneuro.org", "ukbiobank",
    "doi.org/10.5281", "doi.org/10.6084", "doi.org/10.17632", "doi.org/10.13026", "doi.org/10.7937",
    "doi.org/10.5061", "doi.org/10.7910", "doi.org/10.57967",
)
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeocean.com", "huggingface.co", "gitee.com",
              "sourceforge.net")
# Hosts written without a scheme in abstracts and snippets ("code: github.com/org/repo").
BARE_HOST = _rx(
    r"(?<![\w./@-])(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|zenodo\.org|kaggle\.com|huggingface\.co"
    r"|figshare\.com|osf\.io|physionet\.org|[\w-]+\.grand-challenge\.org|data\.mendeley\.com|gitee\.com)/\S+"
)

# -- model evidence ----------------------------------------------------------------------------

DEEP = _rx(
    r"\bdeep[- ]learning\b|\bneural[- ]net\w*|\bconvolutional\b|\bnn-?U-?Net\b|\bU-?Net\w*|\bV-?Net\b"
    r"|\btransformers?\b|\bResNe[tX]\w*|\bDenseNet\w*|\bEfficientNet\w*|\bMobileNet\w*|\bDeepLab\w*"
    r"|\bgenerative adversarial\b|\bdiffusion models?\b|\bauto-?encoders?\b|\battention (?:module|mechanism|gate"
    r"|block)s?\b|\bself-supervised\b|\bfoundation models?\b|\bsegment anything\b|\bMedSAM\b|\bpre-?trained\b"
    r"|\bfine-?tun\w+|\bSegFormer\b|\bMask2Former\b|\bdeep (?:neural|network|model)s?\b|\bbackbone\b"
    r"|\bencoder-decoder\b|\bmulti-?task learning\b|\bsemi-?supervised\b|\bcontrastive learning\b"
    # acronyms and model names that are also words ("clip", "sam", "swing", "inception") only as written
    r"|(?-i:\bCNNs?\b|\bViT\b|\bSwin\b|\bVGG\w*|\bInception-?v\d\b|\bYOLO\w*|\bR-?CNN\b|\bGANs?\b|\bLSTM\b"
    r"|\bSAM\d?\b|\bMamba\b|\bDINO\w*|\bCLIP\b|\bMAE\b|\bGNNs?\b)"
)
ML = _rx(r"\bmachine learning\b|\brandom forest\b|\bSVM\b|\bXGBoost\b|\bradiomics\b|\bartificial intelligence\b|\bAI\b"
         r"|\bmodels?\b|\bnetworks?\b|\bclassifiers?\b")
FRAMEWORK = _rx(
    r"\bpytorch\b|\btorch\b|\btensorflow\b|\bkeras\b|\bmonai\b|\bjax\b|\bflax\b|\bpaddle\w*|\bmxnet\b"
    r"|\bscikit-learn\b|\bsklearn\b|\blightning\b|\btimm\b|\bdetectron2?\b|\bmmseg\w*|\bmmdet\w*|\bultralytics\b"
    r"|\bfastai\b|\bnnunet\w*"
)
TRAIN_CODE = _rx(
    r"\b(?:train|training|test|inference|predict|evaluate|eval|demo|main)\.py\b|\bpython3? \S*(?:train|infer|predict|test)\w*"
    r"|\btrain(?:ing)? (?:script|code|the model|a model|from scratch|your own)\b|\binference\b|--epochs?\b"
    r"|\btrain(?:ed|ing)? (?:and|&) (?:evaluat|test|validat)\w*|\bto train\b"
    r"|--batch[-_]size\b|--lr\b|\bepochs?\b|\blearning rate\b|\bbatch size\b|\boptimi[sz]er\b|\brequirements\.txt\b"
    r"|\bpip install\b|\bconda (?:env|create|activate)\b|\benvironment\.ya?ml\b|\bjupyter\b|\.ipynb\b"
)
# "Official PyTorch implementation of ...", "Code for our MICCAI paper": a research model's repository
PAPER_CODE = _rx(
    r"\bofficial (?:\w+ )?(?:implementation|code|repository|repo)\b|\bcode for:|\b(?:source )?code (?:for|of|accompanying) "
    r"(?:our|the|the paper|the article|the manuscript|\w+ \d{4})\b|\bimplementation of (?:our|the) (?:paper|method|model)\b"
    r"|\b(?:this|the) (?:repository|repo) (?:contains|provides|hosts) (?:the )?(?:code|implementation)\b"
)
WEIGHTS_TEXT = _rx(
    r"\bpre-?trained (?:weights|models?|checkpoints?)\b|\bcheckpoints?\b|\bmodel weights\b|\bweights? files?\b"
    r"|\bdownload (?:the |our )?(?:pre-?trained |trained )?(?:weights|models?|checkpoints?)\b|\bmodel zoo\b"
    r"|\btrained models?\b|\.(?:pth|pt|ckpt|onnx|safetensors|h5|hdf5|tflite)\b"
)
METRICS = _rx(r"\bDice\b|\bIoU\b|\bmIoU\b|\bAUC\b|\bAUROC\b|\baccuracy\b|\bF1\b|\bmAP\b|\bHausdorff\b|\bsensitivity\b")
PROMISE = _rx(
    r"\b(?:will|would) be (?:made )?(?:publicly |freely |openly )?(?:available|released|uploaded|published|shared|open-?sourced)"
    r"|\bupon (?:acceptance|publication)\b|\bcoming soon\b|\bto be released\b|\bstay tuned\b|\bunder construction\b"
    r"|\bafter (?:the )?(?:paper|manuscript) (?:is )?(?:accepted|published)\b|\bwill release\b"
)
RELEASE = _rx(
    r"\b(?:code|codes|source code|implementation|data|dataset|datasets|database|model|models|weights|checkpoints?"
    r"|software|toolbox|materials?|images)\s+(?:\w+\s+){0,5}?(?:is|are|has been|have been)\s+(?:made\s+)?"
    r"(?:publicly |freely |openly )?(?:available|released|accessible|downloadable|shared|open-?sourced|hosted)"
    r"|\b(?:we|our team)\s+(?:\w+\s+){0,2}?(?:release|released|publish|published|share|shared|open-?source|"
    r"open-?sourced|make|made|provide)\s+(?:\w+\s+){0,5}?(?:code|data|dataset|database|model|weights|publicly"
    r"|available|implementation)\b"
    r"|\bavailable (?:at|from|on|via|online|for download)\b|\bcan be (?:downloaded|accessed|found) (?:at|from|on|via)\b"
    r"|\bopen[- ]source[ds]?\b|\bgithub\b"
    # "... publicly available." on its own, not "on two publicly available datasets" (a use, not a release)
    r"|\b(?:publicly|freely|openly) (?:available|accessible|released)\b(?!\s+(?:[\w-]+\s+)?(?:data|datasets?|databases?"
    r"|benchmarks?|images|cohorts?|sources?|repositories|collections?|challenges?|models?)\b)"
)
TITLE_RELEASE = _rx(
    r"\b(?:open(?:[- ](?:access|source))?|public(?:ly available)?|freely available)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:data ?sets?|databases?|benchmarks?|corpus|collection|images|videos|code|models?|toolkit|library)\b"
)
TITLE_INTRO = _rx(
    r"^\s*(?:[\w-]+\s*:\s*)?(?:an?|the)\s+(?:[\w-]+\s+){0,6}?(?:data ?set|database|benchmark|image collection)\b"
    r"|\b(?:new|novel|large[- ]scale|annotated|multi-?cent(?:er|re)|open|public)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:data ?sets?|databases?|benchmarks?)\b"
)
ON_REQUEST_PAPER = _rx(r"\b(?:upon|on) (?:reasonable )?request\b")

# -- hard negatives ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Negative:
    """A named kind of noise: a label for curators, a weight, and the words that mean it."""

    label: str
    weight: float  # log-odds points subtracted when it fires in the title/head
    pattern: re.Pattern[str]
    title_only: bool = False  # fires only on the title (and keywords)


NEGATIVES: tuple[Negative, ...] = (
    Negative(
        "distance sensor",
        4.0,
        _rx(
            r"\bHC-?SR0?4\w*|\bJSN-?SR04T?\b|\bSRF0\d\b|\bmaxbotix\b|\bUS-?100\b"
            r"|\bultrasonic (?:distance |range |ranging |proximity |level )?(?:sensors?|modules?|ranging|rangefinders?)"
            r"|\bdistance (?:sensors?|measuring (?:sensor|device|system))\b|\brange ?finders?\b"
            r"|\bparking (?:sensors?|assist\w*)\b|\bobstacle[- ]avoid\w*|\bobstacle detect\w* (?:robot|car|sensor)"
            r"|\bsmart (?:dustbin|bin|cane|stick|blind stick|parking)\b|\bblind (?:stick|cane)\b|\bline follower\b"
            r"|\bwater level (?:sensor|monitor\w*|indicator)\b|\btank level\b|\bultrasonic (?:distance|ranging)\b"
            r"|\bdistance (?:using|with) (?:an )?ultrasonic\b|超声波传感器|超声波测距"
        ),
    ),
    Negative(
        "maker board (Arduino/ESP32/Raspberry Pi)",
        1.5,
        _rx(
            r"\barduino\w*|\besp32\b|\besp8266\b|\bnodemcu\b|\braspberry ?pi\b|\bmicro:?bit\b|\bstm32\w*|\battiny\w*"
            r"|\batmega\w*|\bmicrocontroller\w*|\bservo motors?\b|\brobot car\b|\bplatformio\b|\b\.ino\b"
        ),
    ),
    Negative(
        "industrial NDT / ultrasonic testing",
        3.0,
        _rx(
            r"\bnon[- ]?destructive (?:testing|evaluation|inspection|examination)\b|\bNDT\b|\bNDE\b"
            r"|\bultrasonic (?:testing|inspection|flaw|non-?destructive|NDT|C-scan)\w*|\bflaw detect\w*|\bwelds?\b"
            r"|\bwelding\b|\bTOFD\b|\bPAUT\b|\bphased[- ]array ultrasonic testing\b|\bthickness gaug\w*"
            r"|\bpipe(?:s|line)? (?:inspection|wall|corrosion)\b|\bcorrosion\b|\bcomposite (?:materials?|laminates?"
            r"|panels?|structures?|inspection)\b|\bCFRP\b|\bcarbon fib(?:er|re)\b|\bguided (?:ultrasonic )?waves?\b"
            r"|\blamb waves?\b|\bstructural health monitoring\b|\bacoustic emission\b|\bsteel\b|\bconcrete\b"
            r"|\brail(?:way)? (?:inspection|track|defect)\w*|\baerospace\b|\bturbine blades?\b"
        ),
    ),
    Negative(
        "flow meter / ultrasonic cleaning, welding, levitation or sonochemistry",
        3.0,
        _rx(
            r"\bflow ?meters?\b|\bflowmeters?\b|\bultrasonic (?:humidifier|cleaner|cleaning|welding|welder|bath"
            r"|cutting|machining|motor|horn|levitat\w*|pest|repell\w*|anemometer|atomi[sz]\w*|spray\w*|transit[- ]time)"
            r"|\banemometer\w*|\blevitat\w+|\bsonochem\w*|\bsonicat\w+|\bsonocrystalli\w*"
            r"|\bultra(?:sound|sonic)[- ]assisted (?:extraction|synthesis|treatment|process\w*|drying|freezing|cleaning)"
            r"|\bultra(?:sound|sonic) (?:pre-?)?treatment of\b|\bcavitation bubbles?\b|\bpest repell\w*"
            r"|\bmosquito repell\w*|\bultrasonic (?:food|milk|juice)\b|\bemulsification\b|\bnanoparticles? synthes\w*"
        ),
    ),
    Negative(
        "bat echolocation / bioacoustics",
        3.5,
        _rx(
            r"\bbats\b|\bbat (?:calls?|species|detectors?|echolocation|activity|acoustic\w*|passes|monitoring)\b"
            r"|\becholoca\w+|\bchiroptera\w*|\bbio-?acoustic\w*|\beco-?acoustic\w*|\bsoundscape\w*"
            r"|\bpassive acoustic monitoring\b|\baudiomoth\b|\bultrasonic vocali[sz]ations?\b|\bUSVs?\b"
            r"|\brodent vocali[sz]\w*|\bbird ?songs?\b|\bbird calls?\b|\bwhales?\b|\bdolphins?\b|\bcetacean\w*"
            r"|\binsect sounds?\b|\bfrog calls?\b|\bwildlife\b"
        ),
    ),
    Negative(
        "sonar / underwater acoustics",
        3.5,
        _rx(
            r"\bsonars?\b|\bside[- ]scan\b|\bmulti-?beam\b|\bechosounder\w*|\becho sounder\w*|\bhydrophones?\b"
            r"|\bunderwater\b|\bseabed\b|\bsea ?floor\b|\bbathymetr\w*|\bmarine (?:acoustics?|mammals?|vessels?)\b"
            r"|\bocean acoustics?\b|\bAUVs?\b|\bsubmarine\w*|\bfisheries acoustics?\b|\bfish schools?\b"
        ),
    ),
    Negative(
        "audio app or data-over-sound",
        3.5,
        _rx(
            r"\bsubsonic\b|\bairsonic\b|\bnavidrome\b|\bjellyfin\b|\bampache\b|\bmusic (?:player|streaming|server|client|app)"
            r"|\b(?:media|audio) player\b|\bscrobbl\w+|\bplaylists?\b|\bpodcasts?\b|\bdata[- ]over[- ]sound\b"
            r"|\bnear[- ]ultrasonic\b|\bultrasonic (?:communication|data transmission|modem|beacons?|chirps?|messag\w*"
            r"|transfer|networking|tokens?|pairing|watermark\w*|audio)\b|\bggwave\b|\bquiet\.js\b|\baudio (?:modem|beacons?"
            r"|watermark\w*)\b|\binaudible (?:sound|audio|signals?|tones?)\b|\bcross[- ]device tracking\b"
            r"|\bacoustic (?:data transmission|communication|modem)\b|\bspeakers? (?:and|to) microphones?\b"
        ),
    ),
    Negative(
        "end-user app (mobile/web/desktop)",
        1.5,
        _rx(r"\bandroid app\w*|\bios app\w*|\bmobile app\w*|\bkotlin\b|\bflutter\b|\breact native\b|\bswiftui\b"
            r"|\bweb app\w*|\bappointments?\b|\breminders?\b|\bbooking\b|\bclinic management\b|\bCRUD\b"),
    ),
    Negative(
        "teaching or training tool",
        2.0,
        _rx(r"\bfor (?:medical )?students\b|\beducational (?:tool|software|app|game|purposes)\b|\bteaching (?:tool|aid)\b"
            r"|\btraining simulator\b|\bsimulator for (?:training|teaching|education)\b|\bserious game\b"
            r"|\be-?learning\b"),
    ),
    Negative(
        "hardware / firmware",
        1.5,
        _rx(r"\bfirmware\b|\bFPGA\b|\bPCBs?\b|\bHDL\b|\bverilog\b|\bVHDL\b|\bschematics?\b|\bKiCad\b"
            r"|\bopen[- ]hardware\b|\bfront[- ]end board\b|\bpulser\b|\bADC\b"),
    ),
    Negative(
        "therapeutic ultrasound (HIFU, neuromodulation)",
        3.0,
        _rx(
            r"\bHIFU\b|\bhigh[- ]intensity focused ultrasound\b|\bfocused ultrasound\b|\bhistotripsy\b"
            r"|\bneuromodulat\w+|\bsonogenetic\w*|\btranscranial (?:focused )?ultrasound\b|\bultrasound (?:neuro)?stimulation\b"
            r"|\bblood[- ]brain barrier opening\b|\bBBB opening\b|\bsonoporation\b|\blithotripsy\b|\bsonodynamic\b"
            r"|\bsonothermal\b|\bultrasound[- ](?:mediated|triggered|responsive) (?:drug|gene)\b|\btherapeutic ultrasound\b"
            r"|\bultrasound therapy\b|\bthermal (?:ablation|dose)\b"
        ),
    ),
    Negative(
        "curated list (awesome-list)",
        5.0,
        _rx(r"\bawesome\b|\bcurated list\b|\bpapers? list\b|\blist of (?:papers|resources|datasets|repositories)\b"
            r"|\breading list\b|\bpaper ?collection\b|\bresources? (?:list|collection)\b|\bpapers\b|\bresources\b"),
        title_only=True,
    ),
    Negative(
        "survey / review",
        3.5,
        _rx(r"\bsurvey\b|\breview\b|\boverview\b|\bmeta-analys\w+|\bstate[- ]of[- ]the[- ]art\b|\bperspective\b"
            r"|\beditorial\b|\bcommentary\b|\btutorial\b|\bprimer\b|\bposition paper\b|\bconsensus statement\b"
            r"|\bguidelines?\b|\bpractical guide\b"),
        title_only=True,
    ),
    Negative(
        "course or teaching material",
        2.0,
        _rx(r"\bcourses?\b|\blectures?\b|\btextbook\b|\bhandbook\b|\bnotes\b|\bhomework\b|\bsyllabus\b"
            r"|\bcurriculum\b|\bworkshop materials?\b|\bcheat ?sheet\b|\bteaching\b|\beducation(?:al)? (?:module|resource)s?\b"),
        title_only=True,
    ),
)
# Text-level signs of the title-only categories (weaker: a model README may say "a curated list of ...").
LIST_TEXT = _rx(r"\ba curated list\b|\bawesome list\b|\bthis list\b|\bcontributions? (?:are )?welcome\b|\bpull requests? welcome\b")
REVIEW_TEXT = _rx(
    r"\b(?:this|our|the present) (?:systematic |scoping |narrative |comprehensive |literature )?(?:review|survey)\b"
    r"|\bwe (?:systematically )?(?:review|survey|summari[sz]e)\b|\bsystematic (?:literature )?review\b|\bPRISMA\b"
    r"|\bscoping review\b|\bliterature (?:review|search)\b"
)
LIST_ITEM = _cs(r"^\s*[-*+]\s*\[[^\]]+\]\(", re.M)

US_STATES = _rx(
    r"\b(?:US|U\.S\.A?\.?|USA|United States|American)[- ]?(?:census|states?|count(?:y|ies)|stocks?|equit(?:y|ies)"
    r"|markets?|elections?|presidential|president|congress\w*|senat\w+|dollars?|economy|GDP|inflation|population"
    r"|cities|zip ?codes?|treasury|federal|government|patents?|airlines?|flights?|housing|real estate"
    r"|unemployment|labou?r|crime|traffic|politics|news|universities|immigration|highways?|energy|electricity"
    r"|retail|sales|companies|firms|military|navy|army|tax\w*|weather|income)\b"
    r"|\bUnited States\b|\bU\.S\.A?\b|\bUSD\b|\bS&P ?500\b|\bNASDAQ\b|\bNYSE\b|\bFIPS\b|\bcensus (?:tract|bureau|data)\b",
    0,
)

OTHER_MODALITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MRI", _cs(
        r"\bMRI\b|\bfMRI\b|\bMR (?i:images?|imaging|scans?|sequences?|volumes?)\b|(?i:\bmagnetic resonance\b)"
        r"|\bT[12][- ]?(?:w\b|weighted)|\bFLAIR\b|\bDWI\b|(?i:\bdiffusion[- ]weighted\b)")),
    ("CT", _cs(r"\bCT\b|\bCTA\b|\bCBCT\b|\bLDCT\b|(?i:\bcomputed tomograph\w*)")),
    ("X-ray", _cs(r"(?i:\bx-?rays?\b|\bradiograph\w*|\bmammogra\w+|\bfluoroscop\w+)|\bCXR\b|\bDXA\b")),
    ("PET", _cs(r"\bPET\b|\bSPECT\b|(?i:\bpositron emission\b)")),
    ("histopathology", _cs(r"(?i:\bhistopatholog\w*|\bwhole[- ]slide\b|\bH&E\b)|\bWSIs?\b")),
    ("fundus/OCT", _cs(r"(?i:\bfundus\b|\boptical coherence tomograph\w*|\bretinal images?\b)|\bOCT\b")),
    ("endoscopy", _cs(r"(?i:\b(?:endoscop|colonoscop|laparoscop)\w*+(?!\s+(?:ultraso|US\b|sonograph)))")),
    ("dermoscopy", _cs(r"(?i:\bdermoscop\w*|\bdermatoscop\w*)")),
)
# Images (or signals) as the data: a hosted "ultrasound" dataset without them is usually a trial's spreadsheet.
IMAGE_DATA = _rx(
    r"\bimag\w*|\bvideos?\b|\bframes?\b|\bvolumes?\b|\bscans?\b|\bcine\w*|\bdicom\b|\bnifti\b|\bpng\b|\bjpe?g\b"
    r"|\brecordings?\b|\bsweeps?\b|\bclips?\b|\bB[- ]?mode\b|\bRF (?:data|signals?)\b|\bradio[- ]?frequency\b"
    r"|\bsegmentation\b|\bmasks?\b|\bviews?\b|\bplanes?\b|\bsequences?\b|\bloops?\b|\.(?:png|jpg|nii|mha|dcm|avi|mp4)\b"
    r"|\bannotat\w+|\bground[- ]truth\b|\bB-lines?\b"
)
TABULAR = _rx(
    r"\bquestionnaires?\b|\bspreadsheets?\b|\bSPSS\b|\.sav\b|\bsurvey responses\b|\brandomi[sz]ed\b|\btrial\b"
    r"|\boutcomes?\b|\bstatistical analys\w+|\bcase report form\b|\bREDCap\b|\bclinical variables\b|\bR script\b"
)
# Ultrasound named in passing: contrasted with, or listed beside, another modality.
PASSING_US = _rx(
    r"\b(?:unlike|than|instead of|rather than|compared (?:to|with)|such as|e\.g\.,?|including|like)\s+"
    r"(?:\w+\s+)?(?:ultra[- ]?sound|sonography|ultrasonography)\b"
    r"|\b(?:MRI|CT|x-?rays?|PET|mammograph\w*|radiograph\w*|endoscop\w*)\s*(?:,|or\b|and\b|/)\s*"
    r"(?:[\w-]+\s*(?:,|or\b|and\b)\s*)?(?:ultra[- ]?sound|sonography|ultrasonography)\b"
    r"|\b(?:ultra[- ]?sound|sonography|ultrasonography)\s*(?:,|or\b|and\b|/)\s*(?:MRI|CT|x-?rays?|PET|mammograph\w*)"
)
SIMULATOR = _rx(
    r"\bk-?wave\b|\bfield ?ii\b|\bsimulat\w+|\bbeam-?form\w*|\bUSTB\b|\btoolbox\b|\bwave propagation\b|\bFDTD\b"
    r"|\bfinite[- ](?:difference|element)\b|\bdelay[- ]and[- ]sum\b|\bsynthetic aperture\b|\bray[- ]tracing\b"
    r"|\bacoustic field\b|\bpressure field\b|\bphantom design\b|\bsignal processing\b|\bsim\b"
)
PLACEHOLDER = _rx(r"\bcoming soon\b|\bunder construction\b|\bwork in progress\b|\bto be (?:released|updated|uploaded)\b"
                  r"|\bwill be (?:released|uploaded|updated|available)\b|\bstay tuned\b|\bTODO\b")


# Host types: Zenodo resource types, OpenAlex work types, Kaggle/HF dataset|model, GitHub software.
DATA_TYPES = frozenset({"dataset", "image", "video", "physicalobject"})
MODEL_TYPES = frozenset({"model"})
SOFTWARE_TYPES = frozenset({"software"})
PUBLICATION_SOURCES = frozenset({"openalex", "scholar"})
LOW_TYPES = {  # host types that are not primary research or a resource: label, penalty
    "review": ("review article", 3.5),
    "lesson": ("teaching material", 2.0),
    "presentation": ("presentation slides", 1.5),
    "poster": ("poster", 1.0),
    "editorial": ("editorial", 3.0),
    "letter": ("letter", 1.5),
    "erratum": ("erratum", 4.0),
    "paratext": ("paratext", 4.0),
    "book": ("book", 2.0),
    "book-chapter": ("book chapter", 2.0),
    "peer-review": ("peer review", 4.0),
    "libguides": ("library guide", 4.0),
    "retraction": ("retraction notice", 4.0),
}
HOST_NAMES = {"zenodo": "Zenodo", "kaggle": "Kaggle", "huggingface": "Hugging Face", "github": "GitHub",
              "openalex": "OpenAlex", "scholar": "Google Scholar"}
# .h5/.hdf5/.bin/.pkl hold weights in a model record and data in a data record
AMBIGUOUS_EXT = (".h5", ".hdf5", ".bin", ".pkl")


# -- evidence bookkeeping ------------------------------------------------------------------------


@dataclass
class _Evidence:
    """The reasons, in the order the rules fired; every scored one carries its points."""

    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, label: str) -> float:
        if points:
            self.reasons.append(f"{label} ({points:+.1f})")
        return points

    def note(self, label: str) -> None:
        self.reasons.append(label)


@dataclass(frozen=True)
class _Text:
    """The record's text in the slices the rules read (built once per record)."""

    title: str  # repository slugs with separators turned into spaces
    keywords: str
    head: str  # subtitle + the first HEAD_CHARS of the text: what the record is about
    tail: str  # the rest of the text up to TAIL_CHARS
    front: str  # title + keywords + head
    all: str  # front + tail
    full_len: int
    slug: bool  # the title is a repository slug (owner/name-with-dashes)


def _slices(c: Candidate) -> _Text:
    text = c.text or ""
    title = c.title or ""
    slug = c.source in {"github", "huggingface"}
    if slug:
        # "owner/breast-us_seg": separators are spaces to a reader; the owner is not the topic
        title = re.sub(r"[-_./]+", " ", title.partition("/")[2] or title)
    elif "/" in title or (" " not in title.strip() and re.search(r"\w[-_]\w", title)):
        # a Zenodo archive of a GitHub release ("lab/breast-us-seg: v1.0"), or a bare slug
        slug = True
        title = re.sub(r"(?<=\w)[-_./]+(?=\w)", " ", title)
    subtitle = " ".join(str(c.extra.get(k) or "") for k in ("subtitle", "pretty_name")).strip()
    keywords = " ".join(k.replace("-", " ") for k in c.keywords)
    head = f"{subtitle}\n{text[:HEAD_CHARS]}" if subtitle else text[:HEAD_CHARS]
    tail = text[HEAD_CHARS:TAIL_CHARS]
    front = f"{title}\n{keywords}\n{head}"
    return _Text(title, keywords, head, tail, front, f"{front}\n{tail}", len(text), slug)


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def _found(pattern: re.Pattern[str], text: str, limit: int = 3) -> list[str]:
    """Distinct matched words (lower-cased, at most ``limit``), to name in a reason."""
    out: list[str] = []
    for match in pattern.finditer(text):
        word = " ".join(match.group(0).split()).lower()
        if word not in out:
            out.append(word)
            if len(out) >= limit:
                break
    return out


def _hint(c: Candidate) -> str:
    return (c.kind_hint or "").lower()


def _is_publication(c: Candidate) -> bool:
    hint = _hint(c)
    if hint in DATA_TYPES | MODEL_TYPES | SOFTWARE_TYPES:
        return False  # OpenAlex indexes Zenodo/figshare datasets as works of type "dataset"
    return c.source in PUBLICATION_SOURCES or hint in {"publication", "article", "preprint"} or hint in LOW_TYPES


def _host_label(c: Candidate) -> str:
    host = HOST_NAMES.get(c.source, c.source)
    return f"{host} {c.kind_hint}" if c.kind_hint else host


def _ext(name: str) -> str:
    low = name.lower()
    for double in (".nii.gz", ".tar.gz"):
        if low.endswith(double):
            return double
    dot = low.rfind(".")
    return low[dot:] if dot >= 0 else low


# -- U: ultrasound imaging evidence --------------------------------------------------------------


@dataclass(frozen=True)
class _Imaging:
    points: float
    mentions: int  # imaging mentions anywhere, title counted twice, passing mentions left out
    title_terms: int
    passing: int


def _imaging(t: _Text, ev: _Evidence) -> _Imaging:
    us_defined = bool(US_DEFINED.search(t.all))

    def strong(text: str, slug: bool = False) -> int:
        n = max(0, _count(STRONG_US, text) - _count(NON_IMAGING_US, text))
        n += _count(STRONG_US_ACRONYM, text) + _count(KNOWN_NAMES, text)
        # "US" counts where its sentence makes it ultrasound, or everywhere once the text defines it
        n += _count(BARE_US, text) if us_defined else _count(US_ABBREV, text)
        return n + (_count(SLUG_US, text) if slug else 0)

    # mentions in passing ("unlike ultrasound", "MRI, CT or ultrasound") are not what the record is about
    passing_head, passing_tail = _count(PASSING_US, t.head), _count(PASSING_US, t.tail)
    n_head = max(0, strong(t.head) - passing_head)
    n_tail = max(0, strong(t.tail) - passing_tail)
    n_title = strong(t.title, t.slug)
    if t.slug and not n_title and (n_head or n_tail):
        # a slug's lone "us" ("lab/us-vqa") is ultrasound when the text is about ultrasound
        n_title = _count(SLUG_WORD_US, t.title)
    n_kw = strong(t.keywords, slug=True)
    lead = t.head.lstrip()[:LEAD_CHARS]
    n_lead = strong(lead) - _count(PASSING_US, lead) if n_head else 0
    anatomy = anatomy_terms(t.front)
    clinical = _found(CLINICAL, t.front)
    medium = _found(MEDIUM_US, t.front) if (anatomy or clinical) else []

    points = 0.0
    if n_title:
        points += ev.add(2.8, "ultrasound imaging terms in title")
    elif medium and MEDIUM_US.search(t.title):
        points += ev.add(1.5, "ultrasound-related term in title, with clinical context")
    if n_kw:
        points += ev.add(0.8, "ultrasound in keywords/topics")
    if n_head:
        points += ev.add(min(2.0, 0.9 + 0.3 * n_head), f"ultrasound imaging terms in text: {n_head} mentions")
        if n_lead > 0 and not n_title:
            points += ev.add(0.6, "ultrasound in the opening sentence")
    elif n_tail:
        points += ev.add(min(1.0, 0.4 + 0.2 * n_tail), f"ultrasound imaging terms only deep in text: {n_tail} mentions")
    if medium:
        # Doppler, probe, transducer, elastography: supporting words, or weak evidence on their own
        weight = 0.4 if points else min(1.5, 0.5 * len(medium))
        points += ev.add(weight, f"ultrasound-related terms with clinical context: {', '.join(medium)}")
    if points and anatomy:
        points += ev.add(0.5, f"anatomy: {', '.join(anatomy[:3])}")
    if points and clinical:
        points += ev.add(0.3, f"clinical context: {', '.join(clinical)}")
    if points > U_CAP:
        ev.note(f"ultrasound evidence capped at {U_CAP:+.1f}")
    if not points:
        ultrasonic = _found(ULTRASONIC, t.all, 1)
        why = (" (ultrasound only mentioned in passing)" if passing_head + passing_tail
               else f" ('{ultrasonic[0]}' without a clinical context)" if ultrasonic else "")
        points = ev.add(-2.0, f"no ultrasound imaging terms{why}")
    return _Imaging(min(points, U_CAP), 2 * n_title + n_kw + n_head + n_tail, n_title, passing_head + passing_tail)


# -- R: dataset and model evidence ----------------------------------------------------------------


@dataclass(frozen=True)
class _Resource:
    dataset: float  # D
    model: float  # M
    release: bool  # a public home (link, files) or an availability statement
    promise: bool  # "will be released upon acceptance"
    on_request: bool
    dataset_intro: bool  # the record introduces / describes a dataset
    weights: int  # weight files actually attached
    data_files: int
    code_link: bool
    data_link: bool
    trains: bool  # training / inference code is described


def _own_keys(c: Candidate) -> set[str]:
    own = {normalise_url(c.url)} if c.url else set()
    own |= {f"doi:{d.lower()}" for d in (c.doi, c.concept_doi) if d}
    return own


def _host_of(url: str) -> str:
    try:
        return urlsplit(url if "://" in url else f"https://{url}").netloc.lower().removeprefix("www.")
    except ValueError:
        return ""


def _host_match(url: str, hosts: Iterable[str]) -> str | None:
    host = _host_of(url)
    for h in hosts:
        if h.startswith("doi.org/"):
            if h in url.lower():
                return "data DOI"
        elif h in host:
            return h
    return None


def _link_hosts(c: Candidate, t: _Text, publication: bool) -> tuple[list[str], list[str]]:
    """Data and code hosts linked from the record (its own page and DOI excluded)."""
    own = _own_keys(c)
    in_text = find_urls(t.all) + [f"https://{m.group(0)}" for m in BARE_HOST.finditer(t.all)]
    # A publication's metadata links are publisher pages and PDFs, not releases: only its text counts,
    # and a code host in the metadata (which is never a landing page).
    meta = [u for u in c.links if not publication or _host_match(u, CODE_HOSTS)]
    data: list[str] = []
    code: list[str] = []
    for url in in_text + meta:
        if normalise_url(url) in own:
            continue
        if "huggingface.co/datasets/" in url.lower():
            host: str | None = "huggingface.co (datasets)"
            bucket = data
        elif host := _host_match(url, DATA_HOSTS):
            bucket = data
        elif host := _host_match(url, CODE_HOSTS):
            bucket = code
        else:
            continue
        if host not in bucket:
            bucket.append(host)
    return data, code


def _resource(c: Candidate, t: _Text, ev: _Evidence, publication: bool, imaging: bool) -> _Resource:
    front, everything, hint = t.front, t.all, _hint(c)
    data_hosts, code_hosts = _link_hosts(c, t, publication)

    weight_files = [f.name for f in c.files if f.name.lower().endswith(WEIGHT_EXT)]
    weight_files += [n for k in ("weight_assets", "weight_files") for n in c.extra.get(k) or []
                     if isinstance(n, str) and n not in weight_files]
    if hint in DATA_TYPES:
        weight_files = [w for w in weight_files if not w.lower().endswith(AMBIGUOUS_EXT)]
    data_files = [f.name for f in c.files if f.name.lower().endswith(DATA_EXT) and f.name not in weight_files]

    # -- D: dataset evidence
    d = 0.0
    sizes = _found(SIZE, front, 2)
    if sizes:
        d += ev.add(0.8, f"size stated: {'; '.join(sizes)}")
    annotations = _found(ANNOTATION, front)
    if annotations:
        d += ev.add(0.6, f"annotations: {', '.join(annotations)}")
    if SPLIT.search(front):
        d += ev.add(0.3, "train/val/test splits")
    intro = _found(DATASET_INTRO, front, 1)
    title_intro = (_found(TITLE_INTRO, t.title, 1) or _found(TITLE_RELEASE, t.title, 1)) if TITLE_DATA.search(
        t.title) else []
    if intro:
        d += ev.add(1.5, f"introduces/describes a dataset: '{intro[0][:60]}'")
    elif title_intro:
        d += ev.add(1.0, f"title announces a dataset: '{title_intro[0][:60]}'")
    title_data = _found(TITLE_DATA, t.title, 2)
    if title_data:
        d += ev.add(1.0, f"title names data: {', '.join(title_data)}")
    if data_hosts:
        d += ev.add(1.0, f"links a data repository: {', '.join(data_hosts[:3])}")
    if (c.licence and DATA_LICENCE.search(c.licence)) or DATA_LICENCE.search(front):
        d += ev.add(0.3, "data licence (Creative Commons/ODbL)")
    on_request = (c.access or "").lower() in {"restricted", "gated"} or bool(c.extra.get("gated")) or bool(
        ON_REQUEST.search(everything))
    if on_request:
        d += ev.add(0.5, "access on request / agreement")
    if data_files:
        exts = sorted({_ext(n) for n in data_files})
        d += ev.add(min(1.0, 0.4 + 0.1 * len(data_files)), f"data files: {len(data_files)} ({', '.join(exts[:4])})")

    # -- M: model evidence
    m = 0.0
    deep = _found(DEEP, front)
    if deep:
        m += ev.add(1.2 if len(deep) > 1 else 0.9, f"deep learning: {', '.join(deep)}")
    elif deep_tail := _found(DEEP, t.tail):
        m += ev.add(0.5, f"deep learning only deep in text: {', '.join(deep_tail)}")
    elif ml := _found(ML, front):
        m += ev.add(0.4, f"machine learning: {', '.join(ml)}")
    frameworks = _found(FRAMEWORK, everything)
    if frameworks:
        m += ev.add(0.6, f"framework: {', '.join(frameworks)}")
    hub = [str(x) for x in c.extra.get("frameworks") or []]
    hub += [str(c.extra[k]) for k in ("library_name", "pipeline_tag") if c.extra.get(k)]
    if hub:
        m += ev.add(0.6, f"hub model metadata: {', '.join(hub[:3])}")
    paper_code = _found(PAPER_CODE, front, 1)
    if paper_code:
        m += ev.add(0.8, f"code of a paper: '{paper_code[0][:50]}'")
    train_code = _found(TRAIN_CODE, everything)
    if train_code:
        m += ev.add(0.7, f"training/inference code: {', '.join(train_code)}")
    if weight_files:
        exts = sorted({_ext(n) for n in weight_files})
        where = {"github": "release assets", "huggingface": "hub files"}.get(c.source, "files")
        m += ev.add(1.5, f"releases weights: {len(weight_files)} {'/'.join(exts[:3])} {where}")
    elif weights_text := _found(WEIGHTS_TEXT, everything, 2):
        m += ev.add(0.7, f"mentions weights/checkpoints: {', '.join(weights_text)}")
    if METRICS.search(front):
        m += ev.add(0.3, "reports metrics")
    if code_hosts and c.source != "github":
        label = "paper links a code repository" if publication else "links a code repository"
        m += ev.add(1.0, f"{label}: {', '.join(code_hosts[:3])}")
    if c.extra.get("language") in {"Python", "Jupyter Notebook"}:
        m += ev.add(0.3, f"written in {c.extra['language']}")

    # -- shared: an imaging task implies annotated data or a model
    tasks = _found(TASKS, front, 2) if imaging else []
    if tasks:
        shared = ev.add(0.5, f"imaging task: {', '.join(tasks)}")
        d, m = d + shared, m + shared

    # a release statement followed by "on request" is not a public release
    stated = any(not ON_REQUEST_PAPER.search(everything, s.end(), s.end() + 80) for s in RELEASE.finditer(everything))
    return _Resource(
        dataset=d,
        model=m,
        release=bool(data_hosts or code_hosts or weight_files or stated or TITLE_RELEASE.search(t.title)),
        promise=bool(PROMISE.search(everything)),
        on_request=on_request,
        dataset_intro=bool(intro or title_intro),
        weights=len(weight_files),
        data_files=len(data_files),
        code_link=bool(code_hosts),
        data_link=bool(data_hosts),
        trains=bool(train_code),
    )


# -- H: the host, and what a publication releases --------------------------------------------------


def _host(c: Candidate, res: _Resource, publication: bool, ev: _Evidence) -> float:
    hint, label = _hint(c), _host_label(c)
    if hint in DATA_TYPES or hint in MODEL_TYPES:
        return ev.add(1.5 if c.source in {"kaggle", "huggingface", "zenodo"} else 1.0, f"hosted resource: {label}")
    if hint in SOFTWARE_TYPES:
        return ev.add(0.4, f"host type: {label} (code)")
    if not publication:
        return 0.0
    if res.release:
        return ev.add(0.5, "publication states or links a release")
    if res.promise:
        return ev.add(-2.0, "publication only promises a release (not yet public)")
    if res.on_request:
        return ev.add(-2.5, "publication: data only on request, no public release")
    if res.dataset_intro:
        return ev.add(-2.0, "publication introduces a dataset but gives no link or availability statement")
    return ev.add(-6.0, "publication releases nothing: no code/data link or availability statement")


# -- N: hard negatives -------------------------------------------------------------------------


def _negatives(c: Candidate, t: _Text, img: _Imaging, res: _Resource, publication: bool, ev: _Evidence) -> float:
    total = 0.0
    title_kw = f"{t.title}\n{t.keywords}"
    hint = _hint(c)
    for neg in NEGATIVES:
        if neg.title_only:
            words = _found(neg.pattern, title_kw)
            if words:
                total += ev.add(-neg.weight, f"hard negative: {neg.label} ({', '.join(words)})")
            continue
        weight = neg.weight
        words = _found(neg.pattern, t.front)
        if not words:
            words = _found(neg.pattern, t.tail)
            weight *= TAIL_FACTOR
        if words:
            if len(words) == 1 and not neg.pattern.search(title_kw):
                weight *= 0.75  # one cue in the text is less sure than two, or one in the title
            total += ev.add(-round(weight, 2), f"hard negative: {neg.label} ({', '.join(words)})")

    list_items = len(LIST_ITEM.findall(t.all))
    if list_items >= 25 or LIST_TEXT.search(t.head):
        total += ev.add(-3.5 if list_items >= 25 else -2.5, f"hard negative: link list ({list_items} linked list items)")
    review = _found(REVIEW_TEXT, t.front, 1)
    if review and not res.dataset_intro:
        total += ev.add(-2.0, f"hard negative: review/survey text ('{review[0]}')")
    if hint in LOW_TYPES:
        label, weight = LOW_TYPES[hint]
        total += ev.add(-weight, f"hard negative: {label} ({_host_label(c)})")

    # "US" as the United States: only when nothing says ultrasound (data from a US hospital is fine)
    if not img.mentions and (states := _found(US_STATES, t.all, 2)):
        total += ev.add(-2.0, f"hard negative: 'US' means United States ({', '.join(states)})")

    # another modality dominant, ultrasound absent or in passing
    counts = {name: n for name, rx in OTHER_MODALITIES if (n := _count(rx, f"{t.title}\n{t.all}"))}
    other = "/".join(sorted(counts, key=lambda k: -counts[k])[:2])
    n_other = sum(counts.values())
    if n_other and not img.title_terms:
        if not img.mentions and img.passing:
            total += ev.add(-1.5, f"{other}-only: ultrasound mentioned only in passing "
                                  f"({img.passing} passing vs {n_other} {other} mentions)")
        elif not img.mentions:
            total += ev.add(-1.0, f"{other}-only: no ultrasound imaging terms")
        elif img.mentions <= 1 and n_other >= 2:
            total += ev.add(-3.0, f"{other}-only: ultrasound mentioned only once "
                                  f"({img.mentions + img.passing} ultrasound vs {n_other} {other} mentions)")
        elif any(rx.search(t.title) for _, rx in OTHER_MODALITIES) and n_other >= 2 * img.mentions:
            total += ev.add(-2.0, f"{other} dominant: {n_other} {other} vs {img.mentions} ultrasound mentions")

    # simulators / beamforming / physics toolboxes without a learned model or a data release
    sims = _found(SIMULATOR, t.front)
    if sims and (len(sims) >= 2 or SIMULATOR.search(t.title)) and res.model < 1.0 and hint not in DATA_TYPES and not (
            res.dataset_intro or res.data_link or res.dataset >= 1.5):
        total += ev.add(-2.5, f"hard negative: simulator/beamforming toolbox without learned model or data "
                              f"({', '.join(sims)})")

    # a hosted "ultrasound" dataset with no images in sight: trial tables, questionnaires, outcomes
    if hint in DATA_TYPES and not IMAGE_DATA.search(t.all + " ".join(f.name for f in c.files)):
        tabular = _found(TABULAR, t.all, 2)
        if tabular or t.full_len >= 200:
            total += ev.add(-4.5 if tabular else -2.0, "no image data described"
                            + (f": clinical/tabular records ({', '.join(tabular)})" if tabular else ""))
    # code or a tool described in some words, none of them about data or a learned model
    # (an empty README says nothing either way: not penalised)
    if (t.full_len >= 100 and res.dataset < 0.8 and res.model < 0.8 and not publication
            and hint not in DATA_TYPES | MODEL_TYPES):
        # the more it says without mentioning data or a model, the surer
        total += ev.add(-round(min(3.0, 1.0 + t.full_len / 150), 1), "describes neither a dataset nor a learned model")
    if c.source == "github" and t.full_len < 800 and not res.weights and PLACEHOLDER.search(t.all):
        total += ev.add(-1.0, "placeholder repository (code coming soon)")
    return total


# -- kind ------------------------------------------------------------------------------------------


def _kind(c: Candidate, res: _Resource, publication: bool) -> tuple[str, float, float]:
    """Dataset vs model: the content's evidence plus the host's prior."""
    hint = _hint(c)
    d, m = res.dataset, res.model
    if hint in DATA_TYPES:
        # people upload checkpoints as Kaggle/Zenodo "datasets": weights without data lean model
        d += 1.0 if res.weights and not res.data_files else 3.0
    elif hint in MODEL_TYPES:
        m += 3.0
    elif hint in SOFTWARE_TYPES:
        # code leans model (Zenodo software mostly archives GitHub releases of model code) ...
        m += 1.0 if c.source == "zenodo" else 0.5
        m += 1.0 if res.weights else 0.0
        m += 1.0 if res.trains else 0.0
    if res.dataset_intro:
        # ... but a repository or paper that introduces data is a dataset, even when it ships baseline code
        d += 1.5 if (publication or hint in SOFTWARE_TYPES) else 0.5
    if publication and res.data_link and not res.code_link:
        d += 0.5
    if publication and res.code_link and not res.data_link and not res.dataset_intro:
        m += 0.5
    return ("dataset" if d > m else "model"), d, m


# -- the verdict -----------------------------------------------------------------------------------


def judge(candidate: Candidate) -> Judgement:
    """Score one record's relevance, decide its kind and say why (pure)."""
    ev = _Evidence()
    t = _slices(candidate)
    publication = _is_publication(candidate)
    img = _imaging(t, ev)
    res = _resource(candidate, t, ev, publication, imaging=img.points > 0)
    strong, weak = max(res.dataset, res.model), min(res.dataset, res.model)
    r = strong + 0.3 * weak  # data and code together are surer than either alone
    if r > R_CAP:
        ev.note(f"resource evidence capped at {R_CAP:+.1f}")
        r = R_CAP
    if img.points <= 0 and r > R_CAP_NO_US:
        # a rich dataset or model that nothing ties to ultrasound is still not an ultrasound one
        ev.note(f"resource evidence capped at {R_CAP_NO_US:+.1f}: nothing ties it to ultrasound")
        r = R_CAP_NO_US
    h = _host(candidate, res, publication, ev)
    n = _negatives(candidate, t, img, res, publication, ev)
    z = BIAS + img.points + r + h + n
    relevance = 1.0 / (1.0 + math.exp(-z))
    kind, d_k, m_k = _kind(candidate, res, publication)
    if relevance < THRESHOLD:
        kind = "other"
        verdict = f"kind: other (below threshold {THRESHOLD})"
    else:
        verdict = f"kind: {kind} (dataset evidence {d_k:.1f} vs model evidence {m_k:.1f})"
    summary = (f"score {relevance:.2f}: ultrasound {img.points:+.1f}, resource {r:+.1f}, host {h:+.1f}, "
               f"negatives {n:+.1f}, base {BIAS:+.1f}")
    return Judgement(relevance=round(relevance, 4), kind=kind, reasons=[summary, *ev.reasons, verdict])
