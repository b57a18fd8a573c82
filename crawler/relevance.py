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
  ("ultrasound-assisted extraction", "focused ultrasound", "ultrasound reports",
  "ultrasound gel", "ultrasound wave propagation") and mentions in passing are
  left out: contrasted or listed ("unlike ultrasound", "CT or ultrasound"),
  denied ("not related to ultrasound", "ultrasound is not supported") or not
  done yet ("future work: ultrasound", an unticked "[ ] ultrasound" roadmap
  item). A record whose headline (title, or a repository's description line)
  names another modality, or that says "this model is MRI only", and that names
  ultrasound once is about that modality: the mention is an aside. Ambiguous
  words (Doppler, probe, transducer, elastography, sonographer) count only beside
  anatomy (``crawler.vocab``) or clinical words. A record with no imaging term
  gets -2 ("no ultrasound imaging terms").
* ``R``, **resource evidence**: the stronger of dataset evidence ``D`` and model
  evidence ``M``, plus 0.3 of the weaker, capped at ``R_CAP``. ``D`` covers stated
  sizes ("780 images"), annotations, splits, "we introduce a dataset", links to
  data repositories, data files, data licences and access on request. ``M`` covers
  deep-learning words, frameworks, training or inference code, "official
  implementation", weights that are mentioned (not denied, promised or "on
  request"), weights that are attached (release assets, hub files) and hub
  metadata. An imaging task (segmentation, classification, ...) adds to both.
  When nothing ties the record to ultrasound, ``R`` is capped at
  ``R_CAP_NO_US``: a rich model of something else is still something else. When
  nothing is released yet (the code itself is promised, or "cannot be shared",
  and no weights, links or runnable code are there), ``R`` is capped at 1: a
  description of a model that is not there is not a resource.
* ``H``, **the host**. A Kaggle, Hugging Face or Zenodo dataset or model record
  *is* a hosted resource (+1.5), and a GitHub repository is code (+0.4). A
  publication is relevant only if it releases something: a link in its text to
  GitHub, Zenodo, Kaggle, HF, figshare, PhysioNet, grand-challenge and similar
  hosts (or such a host named: "deposited in Mendeley Data"), or a statement
  that code or data "is available" that is neither denied ("not publicly
  available") nor a promise ("will be made publicly available"). The penalty is
  -6 when it releases nothing, -5 for a release that is only promised or only "on
  request" (nothing is open now; these still rank above papers that say nothing),
  and -2 for a dataset introduced without a link. Data behind an agreement or
  credentialed access (PhysioNet, a DUA) is restricted, not unreleased.
* ``N``, **hard negatives**. Each is a named category with its own weight, halved
  when it fires only deep in a long text, and weighing more when three different
  cues of it fire. The categories are: ultrasonic distance sensors, robots and
  maker boards; industrial NDT; flow meters, cleaning, welding, levitation and
  sonochemistry; airborne ultrasound and machine acoustics; bat echolocation and
  bioacoustics; sonar; music apps and data over sound; end-user apps; teaching
  tools; hardware; therapeutic ultrasound (HIFU, neuromodulation); statistics
  code of clinical studies; economics, commerce and administration; "US" meaning
  the United States (applied only when nothing says ultrasound, so data from a
  US hospital is not penalised); another modality dominant ("MRI-only: ...");
  simulators, beamforming and image-formation toolboxes with no learned model or
  data; awesome-lists, link lists and catalogues/indexes of datasets; surveys and
  reviews; course material (also when a repository's description says so);
  review, poster and erratum host types; hosted "ultrasound" datasets with no
  images (trial spreadsheets). Statements count too: a text that says it is not
  medical ("industrial ultrasound, not medical"), that it holds no images
  ("text only", "contains no images"), that counts report texts and no images,
  that processes report language (NER, LLMs) without images, or that ships
  neither data nor a model; a hub model whose pipeline is text or speech; a hub
  repository that holds only its card; a hosted model that is only "on request";
  placeholders that promise the code itself; information pages whose code
  "cannot be shared"; personal or hackathon projects; empty repositories with
  nothing specific in them; and texts that describe neither data nor a model.

Calibration: a rich true positive reaches z > 4 (relevance > 0.98). A hard
negative stays below z = -4 (< 0.02). A paper that releases nothing, however
well it matches, stays below 0.06; one that only promises, below 0.1. A thin but
plausible record (a repository named "thyroid-ultrasound-segmentation" with an
empty README, or a title-only Kaggle dataset) lands at 0.2-0.6 and goes to
curators, because text that states nothing is not evidence against the record;
an empty repository whose name says nothing specific ("someone/ultrasound")
lands just below the threshold. ``THRESHOLD`` sits just below the plausible
band. Recall comes first: a curator dismisses a record in seconds, but a record
excluded by mistake is lost.

Kind: the host's own type is a strong prior. Kaggle, HF and Zenodo say dataset or
model; Zenodo software and GitHub lean model. The content can overrule it:

* a repository that introduces and links data is a dataset, even when it ships
  baseline code; so is one whose description is a dataset's name ("Lung
  ultrasound video dataset with severity scores") or that holds a dataset's
  loaders and tools ("Loaders and splits for the X ultrasound dataset");
* a Zenodo software record, or a Kaggle "dataset", that holds only weight files
  is a model;
* a paper is what it releases: "we introduce a dataset ... available at" makes it
  a dataset, and code or weights make it a model; a paper that builds a dataset
  but says only its code and models are available is a model.

Records below the threshold are ``other``.

Performance: patterns are compiled once, with a first-character prefilter (see
``_prefiltered``). Text is read in two bounded slices, the head and a tail up to
``TAIL_CHARS``, so the work per record is linear and bounded: about 2 ms for an
abstract and under 0.1 s for a 200 kB README.
"""

from __future__ import annotations

import itertools
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
    r"\bultra[- ]?sound\w*|\bultrasonograph\w*|\bsonograph(?!er)\w*|\bsonogram\w*"
    r"|\becho[- ]?cardiogra\w*|\bechocardio\w*|\b(?:trans(?:thoracic|o?esophageal)) echo\w*|\bechograph\w*"
    r"|\becograf\w*|\bultraschall\w*|\bultrass[oô]\w*|\bsonoelastograph\w*|\bshear[- ]wave elastograph\w*"
    r"|\bB[- ]?mode\b|\b(?:hypo|hyper|an|iso)echoic\b|\bechogenic\w*|\bechotexture\b|\bnuchal translucency\b"
    r"|\bapical (?:four|4|two|2|three|3)[- ]chamber\b|\bB-lines?\b|\bsonoanatom\w*"
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
    r"|\b(?:focused|therapeutic|low-intensity|high-intensity|pulsed|power|industrial|airborne)\s+ultra(?:sound|sonic)\b"
    r"|\bultra(?:sound|sonic) (?:distance |range |proximity |parking )?sensors?\b"
    r"|\bultrasound (?:neuro)?modulation\b"
    # simulated physics and consumables, not images ("simulated ultrasound images" still count)
    r"|\bultra(?:sound|sonic) (?:wave )?(?:simulations?|propagation|wave propagation|fields?(?! of view)|beam patterns?)\b"
    r"|\bultrasound (?:gel|coupling gel|gel pads?)\b"
    # the report written after the exam, not the images ("ultrasound report generation" is an imaging task)
    r"|\b(?:ultra[- ]?sound|ultrasonograph(?:y|ic)|sonograph(?:y|ic)|echocardiograph(?:y|ic)) reports?\b(?! generation)"
)
# Acronyms of ultrasound techniques: case-sensitive so that "lus" or "tee" in prose do not count.
STRONG_US_ACRONYM = _cs(r"\b(?:POCUS|CEUS|LUS|TRUS|IVUS|EUS|ABUS|ABVS|TVUS|TTE|TEE|USG|iUS|HHUS)\b")
# Medical "US" abbreviation, only in contexts where it cannot be the United States.
US_ABBREV = _cs(
    r"\bUS[- ](?i:images?|imaging|scans?|scanning|videos?|frames?|sequences?|clips?|exams?|examinations?"
    r"|probes?|transducers?|data(?:sets?)?|volumes?|features?|reports?|findings?|guided|elastography"
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
# Acronyms of ultrasound techniques, lower-cased in repository slugs ("covid-lus", "abus-3d"): the distinctive ones
SLUG_ACRONYM = _rx(r"\b(?:pocus|ceus|trus|ivus|abus|abvs|tvus|lus)\b")
US_DEFINED = _rx(r"\b(?:ultra[- ]?sound|ultrasonography|sonography)(?: imaging| images?)?\s*\(US\)")
BARE_US = _cs(r"\bUS\b")
# Ambiguous: medical only with a clinical context next to them.
MEDIUM_US = _rx(
    r"\bdoppler\b|\belastograph\w*|\btransducers?\b|\bprobes?\b|\bultrasonic (?:images?|imaging|video|scans?)"
    r"|\bcine[- ]?loops?\b|\bstandard planes?\b"
    # the profession: "sonographers" scan patients, but wage tables and job boards name them too
    r"|\bsonographers?\b|\bsonologists?\b"
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
)
# Access through a procedure (a form, an agreement, an account): restricted (AR) data, but obtainable.
AGREEMENT = _rx(
    r"\bdata (?:use|usage|sharing|access|transfer) agreement\b|\bDUA\b|\bcredentialed\b|\bregistration (?:is )?required\b"
    r"|\brequest access\b|\baccess request\b|\bgated (?:dataset|access|repository)\b|\bresearch[- ]use agreement\b"
    r"|\b(?:licen[cs]e|user|end-user) agreement\b|\bsign(?:ing)? (?:a|the) (?:[\w-]+ )?agreement\b"
)
# A repository that serves a dataset: its loaders, tools or code ("Loaders and splits for the X dataset").
DATA_COMPANION = _rx(
    r"\b(?:data ?loaders?|loaders?|utilities|utils|tools?|toolkit|code|scripts?|starter (?:code|kit)|helpers?|API)\b"
    r"(?:(?!models?\b|network|weights|checkpoint|train)[^.\n]){0,40}?\bfor (?:the |our |a )?"
    r"(?:(?!(?:on|with|using|from|of|in|by|to|paper|trained|training)\b)[\w/()+-]+\s+){0,6}?"
    r"(?:data ?set|database|benchmark|image collection)\b"
)
# A description that *is* the name of a dataset ("Lung ultrasound video dataset with clinical scores"):
# "dataset" is the head noun, no "for", "on", "trained" before it.
HEADLINE_DATA = _rx(
    r"^\s*(?:(?!(?:for|on|with|using|from|of|in|into|to|by|via|trained|train\w*|code|implementation|segment\w*|classif\w*"
    r"|detect\w*|predict\w*|estimat\w*|generat\w*|register\w*|denois\w*|recogni[sz]\w*|track\w*|measur\w*|locali[sz]\w*"
    r"|label\w*|annotat\w*|convert\w*|process\w*|view\w*|read\w*|load\w*|analy[sz]\w*)\b)[\w/()+.'-]+[\s,:]+){0,8}?"
    r"(?:data ?set|database|benchmark|image collection|video collection|images|videos|scans|volumes|recordings|cine[- ]?loops"
    r"|sequences|clips)\b(?!\s*(?:loaders?|tools?|utilities|code|toolkit"
    r"|api|converters?|viewers?|builders?|generators?|scripts?|download\w*|management|creation|curation|processing"
    r"|preprocessing|augmentation|segmentation|classification|detection|analysis|experiments?)\b)"
)
ARCHIVE_EXT = (".zip", ".tar", ".tar.gz", ".tgz", ".gz", ".7z", ".rar")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".dcm", ".nii", ".nii.gz", ".mha", ".mhd", ".nrrd", ".avi",
             ".mp4", ".mov")
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
    # a data host named, not linked: "hosted on figshare", "access is granted through PhysioNet"
    r"|\b(?:hosted|deposited|archived|released|published|shared|distributed|available|accessible|downloadable|granted)"
    r"\b[^.\n]{0,30}?\b(?:on|in|at|via|through) (?:the )?(?:Zenodo|figshare|PhysioNet|Kaggle|Mendeley Data|OSF|Dryad"
    r"|Hugging ?Face|GitHub|GitLab|Synapse|TCIA|Cancer Imaging Archive|Grand[- ]Challenge|IEEE DataPort|Dataverse"
    r"|Stanford AIMI|OpenNeuro)\b"
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
_DATA_SUBJECT = re.compile(r"\b(?:data|datasets?|database|images|videos|scans|corpus|annotations)\b", re.I)
_CODE_SUBJECT = re.compile(r"\b(?:code|codes|implementation|models?|weights|checkpoints?|software|toolbox|github"
                           r"|open[- ]source\w*|scripts)\b", re.I)


# What a promise covers: the code itself, or only something else (weights, data, the citation, a demo)
PROMISED_CODE = re.compile(r"\b(?:code|codes|implementation|source|repository|repo|everything|scripts?|training|"
                           r"inference)\b", re.I)
PROMISED_OTHER = re.compile(r"\b(?:weights?|checkpoints?|models?|data|datasets?|paper|citation|bibtex|demo|docs?"
                            r"|documentation|website|results?|figures?|videos?|slides)\b", re.I)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or list item) around ``text[start:end]``."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("! ", 0, start))
    rights = [i for i in (text.find(". ", end), text.find("\n", end), text.find("! ", end)) if i >= 0]
    return text[left + 1:min(rights) if rights else len(text)]


def _released(text: str) -> frozenset[str]:
    """What the text says is available now: ``"data"``, ``"code"`` (code, models, weights), or ``"any"``.

    Statements that are denied ("data not publicly available") or that end in "on request" do not count.
    """
    out: set[str] = set()
    for m in RELEASE.finditer(text):
        if NEGATION_BEFORE.search(text, max(0, m.start() - 40), m.start()) or re.search(
                r"\bnot\b", m.group(0), re.I):
            continue
        if ON_REQUEST_PAPER.search(text, m.end(), m.end() + 80):
            continue
        if PROMISE.search(_sentence(text, m.start(), m.end())):  # "will be made publicly available upon acceptance"
            continue
        # the subject: the statement itself and the start of its sentence
        start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()), m.start() - 80) + 1
        clause = text[start:m.end()]
        kinds = {k for k, rx in (("data", _DATA_SUBJECT), ("code", _CODE_SUBJECT)) if rx.search(clause)}
        out |= kinds or {"any"}
    return frozenset(out)


# -- hard negatives ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Negative:
    """A named kind of noise: a label for curators, a weight, and the words that mean it."""

    label: str
    weight: float  # log-odds points subtracted when it fires in the title/head
    pattern: re.Pattern[str]
    title_only: bool = False  # fires only on the title (and keywords)
    headline: bool = False  # with title_only: also on a repository's description line (its second title)
    min_cues: int = 1  # distinct cues needed in the text before it fires


NEGATIVES: tuple[Negative, ...] = (
    Negative(
        "distance sensor",
        4.0,
        _rx(
            r"\bHC-?SR0?4\w*|\bJSN-?SR04T?\b|\bSRF0\d\b|\bmaxbotix\b|\bUS-?100\b"
            r"|\bultra(?:sonic|sound) (?:distance |range |ranging |proximity |level )?(?:sensors?|modules?|ranging|rangefinders?)"
            r"|\b(?:mobile|wheeled|wall[- ]following) robots?\b|\brobot(?:ic)? navigation\b|\bwall[- ]following\b"
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
        # machines and plants listened to in the ultrasonic band: audio, not images
        "airborne ultrasound / machine acoustics",
        3.0,
        _rx(
            r"\bairborne ultra(?:sound|sonic)\b|\b(?:air|gas|steam|vacuum|compressed[- ]air|refrigerant) leaks?\b"
            r"|\bleak detect\w*|\bpredictive maintenance\b|\bcondition monitoring\b|\bbearing (?:faults?|failures?|wear)\b"
            r"|\bmachinery\b|\bfactor(?:y|ies)\b|\bheterodyn\w*|\bpartial discharges?\b|\bmicrophones?\b"
            r"|\baudio\b|\bwav\b|\bsound (?:clips|events|samples)\b|\bbearings?\b|\bgearbox\w*"
        ),
    ),
    Negative(
        # statistics of a clinical study: regression scripts, not images or a learned imaging model
        "statistical analysis code of a clinical study",
        2.5,
        _rx(r"\bR scripts?\b|\blogistic regression\b|\bStata\b|\bSPSS\b|\bcox (?:regression|proportional|model)\w*"
            r"|\bkaplan[- ]meier\b|\brestricted cubic splines?\b|\bstatistical analysis (?:code|scripts?)\b"
            r"|\bsynthetic stand-?in\b|\bR Markdown\b|\bRmd\b"),
        min_cues=2,  # one ("compared with logistic regression") is a baseline in a model's README
    ),
    Negative(
        "economics, commerce or administration",
        3.0,
        _rx(r"\bwages?\b|\bsalar(?:y|ies)\b|\bemployment\b|\boccupation(?:al|s)\b|\bBLS\b|\bstock (?:prices?|market)\b"
            r"|\bprice transparency\b|\breimbursement\b|\bbilling\b|\bCPT codes?\b|\binsurance claims?\b"
            r"|\bamazon\b|\bcustomer reviews?\b|\bproduct (?:titles?|descriptions?|reviews?|listings?|categori[sz]ation)\b"
            r"|\be-?commerce\b|\bweb ?shops?\b|\bonline shops?\b|\bmarket (?:size|share|research|analysis)\b"
            # (not a learning-rate "scheduler")
            r"|\b(?:appointment|patient|exam|radiology) schedul\w+|\bwaiting (?:times?|lists?)\b|\bstaffing\b|\bworkforce\b"),
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
        _rx(r"\bfor (?:[\w-]+ ){0,2}?students\b|\beducational (?:tool|software|app|game|purposes)\b|\bteaching (?:tool|aid)\b"
            r"|\bstudy guides?\b|\bpractice (?:questions|exams?|quiz\w*)\b|\bexam (?:prep\w*|review)\b|\bboard exams?\b"
            r"|\blecture notes\b|\bcourse (?:materials?|notes|website|page)\b|\b(?:homework|lab|programming) exercises\b"
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
            r"|\bneuromodulat\w+|\bsonogenetic\w*|\btranscranial (?:focused|pulsed|low-intensity) ultrasound\b"
            r"|\btranscranial ultrasound (?:stimulation|neuromodulation|therapy)\b|\bultrasound (?:neuro)?stimulation\b"
            r"|\bblood[- ]brain barrier opening\b|\bBBB opening\b|\bsonoporation\b|\blithotripsy\b|\bsonodynamic\b"
            r"|\bsonothermal\b|\bultrasound[- ](?:mediated|triggered|responsive) (?:drug|gene)\b|\btherapeutic ultrasound\b"
            r"|\bultrasound therapy\b|\bthermal (?:ablation|dose)\b"
        ),
    ),
    Negative(
        "curated list (awesome-list)",
        5.0,
        _rx(r"\bawesome\b|\bcurated list\b|\bpapers? list\b|\blist of (?:papers|resources|datasets|repositories)\b"
            r"|\bcatalog(?:ue)?s? of\b|\binventory of\b|\bdirectory of\b|\bmetadata spreadsheet\b"
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
        headline=True,
    ),
    Negative(
        "course or teaching material",
        2.0,
        _rx(r"\bcourses?\b|\blectures?\b|\btextbook\b|\bhandbook\b|\bnotes\b|\bhomework\b|\bsyllabus\b"
            r"|\bstudy guides?\b|\bexam prep\w*|\bflash ?cards?\b|\bquestion bank\b|\bquiz\w*|\bassignments?\b|\bslides\b"
            r"|\bstep[- ]by[- ]step\b|\bwalk-?through\b|\bwalking through\b|\bexercises\b|\bMCQs?\b|\bmultiple[- ]choice\b"
            r"|\bboard exams?\b|\bexam questions\b"
            r"|\bcurriculum\b(?! learning)|\bworkshop materials?\b|\bcheat ?sheet\b|\bteaching\b|\beducation(?:al)? (?:module|resource)s?\b"),
        title_only=True,
        headline=True,
    ),
    Negative(
        "catalogue or index of datasets",
        5.0,
        _rx(r"\b(?:catalog(?:ue)?|index|inventory|directory|list|table|overview|registry) (?:\(\S+\) )?of (?:\d+ )?(?:[\w-]+ ){0,4}?"
            r"data ?sets\b|\bdata ?sets? (?:index|catalog(?:ue)?|inventory|directory|list|registry)\b"),
        title_only=True,
        headline=True,
    ),
)
# The text says there are no images: a corpus of report texts, a spreadsheet of links, a language model.
# ("no images were excluded" is about a selection, not the content.)
_WHAT_IMAGES = r"(?:(?:clinical|patient|medical|ultrasound|real|actual|raw|image|imaging)\s+)?"  # not "no duplicate images"
NO_IMAGES = _rx(
    rf"\b(?:contains?|includes?|holds?|has|have|with|ships?|there are)\s+no\s+{_WHAT_IMAGES}(?:images|image data"
    r"|imaging data|pixel data|scans|videos)\b(?!\s+(?:of|from|with|where|showing|in which|for|that|were|was))"
    r"|\bno (?:images?|image data|imaging data|scans) (?:are|is|were|was) (?:included|provided|shared|released|contained"
    r"|distributed|available)\b|\b(?:images|imaging data|scans) (?:are|is) not (?:included|provided|shared|released"
    r"|distributed|hosted|stored)\b|\btext[- ]only\b|\b(?:does|do|did) not (?:look at|use|see|include|contain|need) "
    r"(?:any )?(?:images|image data|pixels)\b|\bwithout (?:any )?images\b|\(no images\)"
    rf"|\bno {_WHAT_IMAGES}images\s*(?:[.;:,)\u2014\u2013]|-\s|$)"
)
# Language processing of report texts (reports without the images are not imaging data).
NLP_TEXT = _cs(
    r"(?i:\bnamed[- ]entit\w+|\brelation extraction\b|\blarge language models?\b|\blanguage models?\b|\bllama\w*"
    r"|\btokeni[sz]\w*|\bsummari[sz]\w*|\bfree[- ]text\b|\breport texts?\b|\bclinical notes\b|\bnatural language\b"
    r"|\binformation extraction\b|\btext classification\b|\bde-?identified (?:reports|texts?|notes)\b"
    r"|\bseq2seq\b|\btext[- ]to[- ]text\b|\btext generation\b|\b(?:impression|findings) sections?\b"
    r"|\bchat(?:bot)?s?\b|\bchat model\b|\binstruction[- ]tuned\b|\bquestion answering\b|\bconversational\b)"
    r"|\bT5\b|\bBART\b"
    r"|\bNER\b|\bNLP\b|\bLLMs?\b|\bLoRA\b|BERT(?:a\b|\b|-)|\bGPT-?\w*"  # BERT, BioClinicalBERT, RoBERTa
)
# Images named as the data ("12,000 images", "ultrasound videos"), the opposite of a text-only record.
IMAGE_UNITS = _rx(r"\bimages\b|\bvideos?\b|\bframes\b|\bvolumes\b|\bscans\b|\bclips\b|\bcine[- ]?loops?\b|\bexam(?:ination)?s\b"
                  r"|\bsweeps\b|\bsequences\b|\bB-mode\b|\bpixels?\b")
# Counted report texts ("40,000 de-identified reports"): with no images counted, a text corpus.
REPORT_COUNT = _rx(r"\b[0-9][\d,.]*\s*(?:k\b\s*)?(?:[\w-]+\s+){0,4}?(?:reports|report texts|texts|notes|sentences|documents"
                   r"|narratives|impressions)\b")
IMAGE_COUNT = _rx(r"\b[0-9][\d,.]*\s*(?:k\b\s*)?(?:[\w-]+\s+){0,3}?(?:images|videos|frames|volumes|scans|clips|cine[- ]?loops"
                  r"|sweeps|sequences)\b")
# Pictures themselves (not exams, which a text model may be about).
IMAGE_WORDS = _rx(r"\bimages?\b|\bvideos?\b|\bframes?\b|\bvolumes\b|\bclips\b|\bpixels?\b|\bB-mode\b|\bcine[- ]?loops?\b")
# The text says the record is not about medical imaging at all.
NOT_MEDICAL = _rx(
    # ("non-medical operators" scanning patients is a medical dataset: only non-medical *uses* count)
    r"\bnon-?medical (?:ultra(?:sound|sonic)|imaging|applications?|domains?|settings?|uses?|purposes)\b|\b(?:is|are|,|\u2014|-)\s*not (?:a |for )?medical(?: imaging| images| ultrasound| data)?\s*(?:[.;)]|$)"
    r"|\bnot (?:related|relevant) to (?:medical|clinical|(?:\w+-)?ultra(?:sound|sonography))\b|\bindustrial ultra(?:sound|sonic)\b"
    r"|\bnothing to do with (?:medical|clinical|(?:\w+-)?ultrasound)\b|\bnothing medical\b"
)
# "no datasets or trained models included": a tool that says it ships neither
SHIPS_NOTHING = _rx(
    r"\bno (?:data ?sets?|data|images)(?:,)? (?:or|nor|and|/) (?:any )?(?:pre-?)?(?:trained )?(?:models?|weights|checkpoints)\b"
    r"|\bno (?:pre-?)?(?:trained )?(?:models?|weights|checkpoints)(?:,)? (?:or|nor|and|/) (?:any )?(?:data ?sets?|data|images)\b"
    r"|\b(?:does|do) not (?:include|contain|ship|provide) (?:any )?(?:data|datasets|images) (?:or|nor|and) (?:any )?(?:trained )?"
    r"(?:models|weights)\b|\bneither (?:data|datasets?|images) nor (?:trained )?(?:models?|weights)\b"
    r"|\bno code\s*(?:[.;]|$)"
)
# "the implementation cannot be published", "neither the code, the weights nor the data can be shared"
NOT_SHARED = _rx(
    r"\b(?:code|implementation|source code|weights|model|models|checkpoints?|software)\b[^.\n]{0,50}?\b(?:cannot|can ?not"
    r"|can't|could not|will not|won't|may not) be (?:publicly )?(?:published|shared|released|distributed|made (?:public"
    r"|available)|open-?sourced|provided)\b|\bneither\b[^.\n]{0,80}?\bnor\b[^.\n]{0,60}?\bcan be (?:shared|published"
    r"|released|distributed)\b|\bnot downloadable\b|\b(?:is|are) not (?:publicly )?(?:released|shared|open-?sourced)\b"
)
# A word preceded in its clause by "no", "not", "without" is denied ("data not publicly available").
NEGATION_BEFORE = re.compile(r"\b(?:no|not|n't|without|neither|nor|never|cannot)\b[^.;:!?\n]{0,30}$", re.I)


def _affirmed(pattern: re.Pattern[str], text: str, limit: int = 3, promised: bool = True) -> list[str]:
    """Like ``_found``, leaving out matches that a negation earlier in their clause denies, and (with
    ``promised=False``) those that the rest of the sentence only promises ("weights will be released")."""
    out: list[str] = []
    for match in pattern.finditer(text):
        if NEGATION_BEFORE.search(text, max(0, match.start() - 40), match.start()):
            continue
        rest = text[match.end():match.end() + 80].partition(".")[0]
        if not promised and (PROMISE.search(rest) or ON_REQUEST_PAPER.search(rest)):
            continue
        word = " ".join(match.group(0).split()).lower()
        if word not in out:
            out.append(word)
            if len(out) >= limit:
                break
    return out


# One scan for all text-level categories: most records match none, and then none is read one by one.
NEGATIVE_GATE = _prefiltered(re.compile("|".join(f"(?:{n.pattern.pattern})" for n in NEGATIVES if not n.title_only),
                                        _CASELESS))
# Text-level signs of the title-only categories (weaker: a model README may say "a curated list of ...").
LIST_TEXT = _rx(r"\ba curated list\b|\bawesome list\b|\bthis list\b|\bcontributions? (?:are )?welcome\b|\bpull requests? welcome\b")
REVIEW_TEXT = _rx(
    r"\b(?:this|our|the present) (?:systematic |scoping |narrative |comprehensive |literature )?(?:review|survey)\b"
    r"|\bwe (?:systematically )?(?:review|survey|summari[sz]e|list|catalog(?:ue)?|compile[ds]?)\b"
    r"|\bsystematic (?:literature )?review\b|\bPRISMA\b"
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
    # not "ultrasound localization microscopy" (super-resolution ultrasound imaging)
    ("microscopy", _cs(r"(?i:(?<!locali[sz]ation )\bmicroscop\w*|\bfluorescen\w*|\bcell (?:nuclei|nucleus|segmentation)"
                       r"|\bnucle(?:us|i) segmentation)")),
)
# Images (or signals) as the data: a hosted "ultrasound" dataset without them is usually a trial's spreadsheet.
IMAGE_DATA = _rx(
    r"\bimag\w*|\bvideos?\b|\bframes?\b|\bvolumes?\b|\bscans?\b|\bcine\w*|\bdicom\b|\bnifti\b|\bpng\b|\bjpe?g\b"
    r"|\brecordings?\b|\bsweeps?\b|\bclips?\b|\bB[- ]?mode\b|\bRF (?:data|signals?)\b|\bradio[- ]?frequency\b"
    r"|\bsegmentation\b|\bmasks?\b|\bviews?\b|\bplanes?\b|\bsequences?\b|\bloops?\b|\.(?:png|jpg|nii|mha|dcm|avi|mp4)\b"
    r"|\bannotat\w+|\bground[- ]truth\b|\bB-lines?\b|\bvolumetric\b|\b[234]-?D\b|\bneuroimag\w*|\bacquisitions\b"
    r"|\b(?:nrrd|mhd|mha|nii)\b"
)
TABULAR = _rx(
    r"\bquestionnaires?\b|\bspreadsheets?\b|\bSPSS\b|\.sav\b|\bsurvey responses\b|\brandomi[sz]ed\b|\btrial\b"
    r"|\boutcomes?\b|\bstatistical analys\w+|\bcase report form\b|\bREDCap\b|\bclinical variables\b|\bR script\b"
)
# Ultrasound named in passing: contrasted with, listed beside another modality, or negated. Each match
# spans the ultrasound words it covers, so "unlike echocardiography and ultrasound" removes both.
_US_WORD = r"(?:ultra[- ]?sound\w*|sonograph\w*|ultrasonograph\w*|echocardiogra\w*)"
_US_LIST = rf"(?:\s*(?:,|and\b|or\b|/)\s*(?:[\w-]+\s+)?{_US_WORD})*"
PASSING_US = _rx(
    rf"\b(?:unlike|than|instead of|rather than|compared (?:to|with)|such as|e\.g\.,?|including|like)\s+"
    rf"(?:[\w-]+\s+)?{_US_WORD}{_US_LIST}"
    # negated: "not related to micro-ultrasound", "no ultrasound images are included", "without sonography"
    rf"|\b(?:not|no|nor|without|never)\s+(?:[\w-]+\s+){{0,3}}?(?:\w+-)?{_US_WORD}{_US_LIST}"
    # ... or denied after it: "endoscopic ultrasound (EUS) is a different modality and is not supported"
    rf"|{_US_WORD}(?:[^.\n]|\n(?!\n)){{0,60}}?\b(?:is|are)\s+not\s+(?:yet\s+)?(?:supported|included|mirrored|covered|provided"
    rf"|available|used|tested|hosted|part of)\b"
    # planned, not done: "Ultrasound support — planned", an unticked "[ ] Ultrasound" roadmap item
    rf"|{_US_WORD}[^.\n]{{0,60}}?(?:\bplanned\b|\bcoming soon\b|\bin progress\b|\bon the roadmap\b|\bTODO\b)"
    rf"|\[ \][^\n]{{0,40}}?{_US_WORD}[^\n]*"
    # future work and hypotheticals: "next steps: extend to lung ultrasound", "could be adapted to ultrasound"
    rf"|\b(?:next steps?|future work|future directions?|we plan|planned|roadmap|TODO|could (?:\w+ ){{0,3}}?be (?:adapted"
    rf"|extended|applied|transferred)|might (?:also )?work)\b[^.\n]{{0,80}}?{_US_WORD}[^.\n]*"
    rf"|\b(?:MRI|CT|x-?rays?|PET|mammograph\w*|radiograph\w*|endoscop\w*)\s*(?:,|or\b|and\b|/|\u2013)\s*"
    rf"(?:[\w-]+\s*(?:,|or\b|and\b)\s*)?{_US_WORD}"
    rf"|{_US_WORD}\s*(?:,|or\b|and\b|/)\s*(?:MRI|CT|x-?rays?|PET|mammograph\w*)"
)
# "MRI only", "CT-only": the text says which modality it is about
# (said of the record itself: "this model is MRI only", "trained only on CT"; not "unlike CT-only methods")
OTHER_ONLY = _cs(r"(?i:\b(?:is|are)\s+(?:\w+\s+){0,2}?)(?:MRI|MR|CT|PET|OCT|X-ray|x-ray|microscopy|histology|fundus)[- ]only\b"
                 r"|(?i:\b(?:uses?|used|trained|works?|supports?)\s+only\s+(?:on\s+|with\s+)?(?:MRI|CT|PET|x-rays?"
                 r"|microscopy)\b(?! and))")
SIMULATOR = _rx(
    r"\bk-?wave\b|\bfield ?ii\b|\bsimulat\w+|\bbeam-?form\w*|\bUSTB\b|\btoolbox\b|\bwave propagation\b|\bFDTD\b"
    r"|\bfinite[- ](?:difference|element)\b|\bdelay[- ]and[- ]sum\b|\bsynthetic aperture\b|\bray[- ]tracing\b"
    r"|\bacoustic field\b|\bpressure field\b|\bphantom design\b|\bsignal processing\b|\bsim\b"
    # image formation from RF data: processing chains, not learned models
    r"|\bimage formation\b|\benvelope detection\b|\bscan conversion\b|\blog compression\b|\bplane-?wave compounding\b"
    r"|\bDMAS\b|\bdelay[- ]multiply[- ]and[- ]sum\b|\bminimum variance\b|\bapodi[sz]ation\b|\bbeam patterns?\b"
)
PLACEHOLDER = _rx(r"\bcoming soon\b|\bunder construction\b|\bwork in progress\b|\bto be (?:released|updated|uploaded)\b"
                  r"|\bwill be (?:released|uploaded|updated|available)\b|\bstay tuned\b|\bTODO\b"
                  # an unticked release checklist: "- [ ] Release weights"
                  r"|\[ \]\s*(?:release|upload|add|publish|open-?source)\w*")
# Signs that code is actually there: commands, files, imports, code fences (read on the raw text).
RUNNABLE = _rx(
    r"\b(?:train|test|inference|infer|predict|demo|main|eval\w*|run\w*)\.py\b|\bpython3? (?:-m )?[\w./-]+"
    r"|\bpip install\b|\bconda (?:env|create|install)\b|\brequirements\.txt\b|\benvironment\.ya?ml\b|```"
    r"|\bipynb\b|\bsetup\.py\b|\bpyproject\.toml\b|^(?:import \w+|from [\w.]+ import)"
    # folders of code, and a README saying the repository holds the code
    r"|(?<![\w/.-])(?:src|scripts|models|notebooks|configs|baselines?|tools|lib)/"
    r"|\b(?:this|the) (?:repository|repo|project) (?:contains|provides|includes|holds) (?:the |our |all )?"
    r"(?:training |inference |evaluation |source )?code\b", re.I | re.M
)
# Training words: a model was (or can be) trained here, unlike a simulator's "model" of wave physics.
TRAINING = _rx(r"\btrain(?:ed|ing)\b|\bepochs?\b|\blearning rate\b|\bcheckpoints?\b|\bfine-?tun\w+|\bweights\b")
# A personal, class or hackathon repository.
PERSONAL = _rx(r"\bhackathon\b|\bmy (?:first |own |little )?(?:[\w-]+ ){0,3}?project\b|\bplayground\b"
               r"|\btoy (?:example|project|task|data)\b|\bran out of time\b|\b(?:class|course|semester|final) project\b"
               r"|\btest repo\w*|\blearning (?:pytorch|tensorflow|keras|deep learning)\b")
# Hub models whose task is text or speech, not images.
TEXT_PIPELINES = frozenset({
    "text-generation", "text2text-generation", "text-classification", "token-classification", "summarization",
    "translation", "question-answering", "fill-mask", "sentence-similarity", "zero-shot-classification",
    "table-question-answering", "automatic-speech-recognition", "text-to-speech", "text-to-audio", "conversational",
    "audio-classification",
})


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
    # conference proceedings (MICCAI, IPMI, ... in LNCS) are book chapters in OpenAlex and Crossref
    "book-chapter": ("book chapter", 0.0),
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
    headline: str  # title + the line that says what the record is (a repository's description, a subtitle)


# Markdown emphasis and inline code ("**362** videos", "`model.pt`") come between words and numbers.
MARKUP = re.compile(r"\*\*|__|`")


def _first_prose_line(text: str) -> str:
    """The first line that is prose, not a heading, badge, image, table or front matter."""
    for line in text[:2000].splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!", "<", "[", "|", "---", "```", "=")):
            return line[:300]
    return ""


def _slices(c: Candidate) -> _Text:
    text = MARKUP.sub("", c.text or "")
    title = c.title or ""
    slug = c.source in {"github", "huggingface"}
    if slug:
        # "owner/breast-us_seg": separators are spaces to a reader; the owner is not the topic
        title = re.sub(r"[-_./]+", " ", title.partition("/")[2] or title)
    elif "/" in title or (" " not in title.strip() and re.search(r"\w[-_]\w", title)):
        # a Zenodo archive of a GitHub release ("lab/breast-us-seg: v1.0"), or a bare slug
        slug = True
        title = re.sub(r"(?<=\w)[-_./]+(?=\w)", " ", title)
    if slug and text.startswith("#"):
        # a card or README that opens with its own name as a heading ("# breast-us-seg") says it twice
        first, _, rest = text.partition("\n")
        if re.sub(r"[\W_]+", " ", first).strip().lower() == re.sub(r"[\W_]+", " ", title).strip().lower():
            text = rest.lstrip("\n")
    subtitle = " ".join(str(c.extra.get(k) or "") for k in ("subtitle", "pretty_name")).strip()
    keywords = " ".join(k.replace("-", " ") for k in c.keywords)
    head = f"{subtitle}\n{text[:HEAD_CHARS]}" if subtitle else text[:HEAD_CHARS]
    tail = text[HEAD_CHARS:TAIL_CHARS]
    front = f"{title}\n{keywords}\n{head}"
    # a repository's one-line description (GitHub puts it first) or a card's first sentence: a second title
    lead_line = _first_prose_line(text) if slug else ""
    headline = "\n".join(part for part in (title, subtitle, lead_line) if part)
    return _Text(title, keywords, head, tail, front, f"{front}\n{tail}", len(text), slug, headline)


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


CARD_FILES = re.compile(r"(?:^|/)(?:readme(?:\.\w+)?|\.gitattributes|\.gitignore|licen[cs]e(?:\.\w+)?|citation\.cff"
                        r"|[\w.-]+\.md)$", re.I)


def _is_card_file(name: str) -> bool:
    return bool(CARD_FILES.search(name))


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


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _count_outside(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]) -> int:
    """Matches of ``pattern`` that do not start inside one of ``spans``."""
    if not spans:
        return _count(pattern, text)
    return sum(1 for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in spans))


def _imaging(t: _Text, ev: _Evidence) -> _Imaging:
    us_defined = bool(US_DEFINED.search(t.all))

    def strong(text: str, slug: bool = False, spans: list[tuple[int, int]] | None = None) -> int:
        # mentions in passing ("unlike ultrasound", "MRI, CT or ultrasound", "not for ultrasound") are not
        # what the record is about: words inside ``spans`` (such phrases) are not counted
        spans = spans or []
        n = max(0, _count_outside(STRONG_US, text, spans) - _count(NON_IMAGING_US, text))
        n += _count_outside(STRONG_US_ACRONYM, text, spans) + _count(KNOWN_NAMES, text)
        # "US" counts where its sentence makes it ultrasound, or everywhere once the text defines it
        n += _count(BARE_US, text) if us_defined else _count(US_ABBREV, text)
        return n + (_count(SLUG_US, text) + _count(SLUG_ACRONYM, text) if slug else 0)

    spans_head, spans_tail = _spans(PASSING_US, t.head), _spans(PASSING_US, t.tail)
    passing_head, passing_tail = len(spans_head), len(spans_tail)
    n_head = strong(t.head, spans=spans_head)
    n_tail = strong(t.tail, spans=spans_tail)
    n_title = strong(t.title, t.slug)
    if t.slug and not n_title and (n_head or n_tail):
        # a slug's lone "us" ("lab/us-vqa") is ultrasound when the text is about ultrasound
        n_title = _count(SLUG_WORD_US, t.title)
    n_kw = strong(t.keywords, slug=True)
    if n_title and not n_head + n_tail and (non_imaging := _found(NON_IMAGING_US, t.all, 1)):
        # the text says in which sense the title's "ultrasound" is meant ("airborne ultrasound recordings")
        ev.note(f"ultrasound in the title is meant as in the text: '{non_imaging[0]}'")
        n_title = 0
    lead = t.head.lstrip()[:LEAD_CHARS]
    n_lead = strong(lead, spans=_spans(PASSING_US, lead)) if n_head else 0
    # A record whose headline names another modality (or that says "MRI only") and that names ultrasound
    # once in its text is about that modality: the lone mention is an aside ("could also be done with
    # ultrasound"), however its sentence is phrased.
    if not n_title and not n_kw and n_head + n_tail:
        # (a slug is lower-case: "knee-mri-seg" names MRI as much as "Knee MRI segmentation" does)
        headline = f"{t.headline}\n{t.title.upper()}" if t.slug else t.headline
        other_headline = any(rx.search(headline) for _, rx in OTHER_MODALITIES)
        only = OTHER_ONLY.search(t.all)
        if (other_headline and n_head + n_tail <= 1) or (only and n_head + n_tail <= 2):
            ev.note(f"ultrasound named only as an aside ({n_head + n_tail} mention"
                    f"{'s' if n_head + n_tail > 1 else ''}) in a record about "
                    + (f"'{only.group(0)}'" if only else "another modality"))
            passing_head, passing_tail = passing_head + n_head, passing_tail + n_tail
            n_head = n_tail = n_lead = 0
    anatomy = anatomy_terms(t.front)
    clinical = _found(CLINICAL, t.front)
    medium = _found(MEDIUM_US, t.front) if (anatomy or clinical) and (n_title or n_kw or n_head or n_tail
                                                                   or not passing_head + passing_tail) else []

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
    released: frozenset[str]  # what availability statements name: "data", "code" (code, models, weights)
    agreement: bool  # access through an agreement, registration or credentialed access (not just "ask us")
    image_files: int  # image/volume/video files attached
    learned: bool  # deep learning, training words, weights or hub model metadata: a learned model is involved
    runnable: bool  # (read when code is promised or withheld) the text shows code anyway
    unreleased: bool  # code promised or withheld, and nothing (weights, links, runnable code) is there now
    code_promised: bool  # a promise or placeholder that covers the code itself
    withheld: str  # "the implementation cannot be published": the statement, or ""
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
    if hint in SOFTWARE_TYPES:  # a software record's archives hold its source code
        data_files = [n for n in data_files if not n.lower().endswith(ARCHIVE_EXT)]
    image_files = [n for n in data_files if n.lower().endswith(IMAGE_EXT)]

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
    # a repository whose description is the name of a dataset ("Lung ultrasound video dataset with scores")
    # or that holds the loaders/tools of one ("Loaders and splits for the X ultrasound dataset")
    companion = _found(DATA_COMPANION, t.headline, 1) or _found(DATA_COMPANION, t.head[:LEAD_CHARS], 1)
    headline = _found(HEADLINE_DATA, t.headline.partition("\n")[2], 1) if hint in SOFTWARE_TYPES else []
    if intro:
        d += ev.add(1.5, f"introduces/describes a dataset: '{intro[0][:60]}'")
    elif title_intro:
        d += ev.add(1.0, f"title announces a dataset: '{title_intro[0][:60]}'")
    elif companion:
        d += ev.add(1.5, f"tools/loaders of a dataset: '{companion[0][:60]}'")
    elif headline:
        d += ev.add(1.0, f"description names a dataset: '{headline[0][:60]}'")
    title_data = _found(TITLE_DATA, t.title, 2)
    if title_data:
        d += ev.add(1.0, f"title names data: {', '.join(title_data)}")
    if data_hosts:
        d += ev.add(1.0, f"links a data repository: {', '.join(data_hosts[:3])}")
    # an article's own licence (OpenAlex, Scholar) is the paper's, not a data licence
    if (c.licence and not publication and DATA_LICENCE.search(c.licence)) or DATA_LICENCE.search(front):
        d += ev.add(0.3, "data licence (Creative Commons/ODbL)")
    # "on request" is a promise; an agreement, registration or credentialed access is a way in (AR data)
    agreement = (c.access or "").lower() in {"restricted", "gated"} or bool(c.extra.get("gated")) or bool(
        AGREEMENT.search(everything))
    on_request = agreement or bool(ON_REQUEST.search(everything))
    if on_request:
        d += ev.add(0.5, "access on request / agreement")
    released = _released(everything)
    if "data" in released and "code" not in released:  # "code and data are available" leans neither way
        d += ev.add(0.6, "says the data is available")
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
    elif weights_text := _affirmed(WEIGHTS_TEXT, everything, 2, promised=False):
        m += ev.add(0.7, f"mentions weights/checkpoints: {', '.join(weights_text)}")
    if METRICS.search(front):
        m += ev.add(0.3, "reports metrics")
    if code_hosts and c.source != "github":
        # a paper's code link is its model's home; a software archive's link to its own repository says only
        # that code exists, which is model evidence only when something is learned
        label = "paper links a code repository" if publication else "links a code repository"
        learned = bool(deep or weight_files or hub or _found(TRAINING, front, 1))
        m += ev.add(1.0 if publication or learned else 0.3, f"{label}: {', '.join(code_hosts[:3])}")
    if c.extra.get("language") in {"Python", "Jupyter Notebook"}:
        m += ev.add(0.3, f"written in {c.extra['language']}")

    # -- shared: an imaging task implies annotated data or a model
    tasks = _found(TASKS, front, 2) if imaging else []
    if tasks:
        shared = ev.add(0.5, f"imaging task: {', '.join(tasks)}")
        d, m = d + shared, m + shared

    # Nothing to download now: the code itself is only promised ("code and weights will be released upon
    # acceptance", an unticked "[ ] release code"), or the text says it cannot be shared, and nothing shows code.
    code_promised = False
    for match in itertools.chain(PLACEHOLDER.finditer(everything), PROMISE.finditer(everything)):
        sentence = _sentence(everything, match.start(), match.end())
        if PROMISED_CODE.search(sentence) or not PROMISED_OTHER.search(sentence):
            code_promised = True
            break
    withheld = _found(NOT_SHARED, front, 1)
    # (read only when something is promised or withheld: is the code there anyway?)
    runnable = bool(code_promised or withheld) and (bool(RUNNABLE.search((c.text or "")[:TAIL_CHARS])) or bool(
        paper_code and re.search(r"implementation|code", paper_code[0])))
    unreleased = (not publication and not weight_files and not data_hosts and not code_hosts and not runnable
                  and (code_promised or bool(withheld)))
    return _Resource(
        dataset=d,
        model=m,
        release=bool(data_hosts or code_hosts or weight_files or released or TITLE_RELEASE.search(t.title)),
        released=released,
        agreement=agreement,
        image_files=len(image_files),
        learned=bool(deep or weight_files or hub or _found(TRAINING, front, 1)),
        runnable=runnable,
        unreleased=unreleased,
        code_promised=code_promised,
        withheld=withheld[0] if withheld else "",
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
    if res.agreement and (res.dataset_intro or res.dataset >= 1.5):
        # a dataset behind a data use agreement or registration is restricted (AR), not unreleased
        return ev.add(0.0, "publication: dataset available under an agreement / registration")
    # A promise or "ask the authors" shares nothing now: such papers rank just below the threshold,
    # above papers that say nothing at all, so a curator who looks past the threshold finds them first.
    if res.promise:
        return ev.add(-5.0, "publication only promises a release (not yet public)")
    if res.on_request:
        return ev.add(-5.0, "publication: data only on request, no public release")
    if res.dataset_intro:
        return ev.add(-2.0, "publication introduces a dataset but gives no link or availability statement")
    return ev.add(-6.0, "publication releases nothing: no code/data link or availability statement")


# -- N: hard negatives -------------------------------------------------------------------------


def _negatives(c: Candidate, t: _Text, img: _Imaging, res: _Resource, publication: bool, ev: _Evidence) -> float:
    total = 0.0
    title_kw = f"{t.title}\n{t.keywords}"
    headline_kw = f"{t.headline}\n{t.keywords}"
    hint = _hint(c)
    text_cues = bool(NEGATIVE_GATE.search(t.all))
    for neg in NEGATIVES:
        if not neg.title_only and not text_cues:
            continue
        if neg.title_only:
            words = _found(neg.pattern, headline_kw if neg.headline else title_kw)
            if words:
                total += ev.add(-neg.weight, f"hard negative: {neg.label} ({', '.join(words)})")
            continue
        weight = neg.weight
        words = _found(neg.pattern, t.front)
        if not words:
            words = _found(neg.pattern, t.tail)
            weight *= TAIL_FACTOR
        if len(words) < neg.min_cues:
            continue
        if words:
            if len(words) == 1 and not neg.pattern.search(title_kw):
                weight *= 0.75  # one cue in the text is less sure than two, or one in the title
            elif len(words) >= 3:
                weight *= 1.3  # three different cues of one category: no coincidence
            total += ev.add(-round(weight, 2), f"hard negative: {neg.label} ({', '.join(words)})")

    # What the record says it is not. Such statements belong to the description, so only the front is read.
    if not_medical := _found(NOT_MEDICAL, t.front, 1):  # "not medical imaging", "industrial ultrasound"
        total += ev.add(-3.0, f"hard negative: says it is not medical imaging ('{not_medical[0]}')")
    # ultrasound *reports* without their images: a text corpus or a language model, not imaging data
    no_images = _found(NO_IMAGES, t.front, 1)
    nlp = _found(NLP_TEXT, t.front)
    reports = _found(REPORT_COUNT, t.front, 1)
    if no_images or len(nlp) >= 2 or reports:
        # a record that also counts its images ("12,000 images") is penalised less: "text-only" may be a baseline
        counted = bool(res.image_files or _affirmed(IMAGE_COUNT, t.all, 1))
        if no_images:
            total += ev.add(-2.0 if counted else -5.0, f"hard negative: says it holds no images ('{no_images[0]}')")
        if not counted and not _affirmed(IMAGE_UNITS, t.all, 1):
            if len(nlp) >= 2:
                total += ev.add(-2.5, f"hard negative: language processing of report texts, no images "
                                      f"({', '.join(nlp)})")
            if reports:
                total += ev.add(-4.5, f"hard negative: counts report texts, no images ('{reports[0]}')")
    if ships_nothing := _found(SHIPS_NOTHING, t.front, 1):
        total += ev.add(-2.0, f"says it ships neither data nor a model ('{ships_nothing[0]}')")

    list_items = len(LIST_ITEM.findall(t.all))
    if list_items >= 25 or LIST_TEXT.search(t.head):
        total += ev.add(-3.5 if list_items >= 25 else -2.5, f"hard negative: link list ({list_items} linked list items)")
    review = _found(REVIEW_TEXT, t.front, 1)
    if review and not res.dataset_intro:
        total += ev.add(-2.0, f"hard negative: review/survey text ('{review[0]}')")
    if hint in LOW_TYPES and LOW_TYPES[hint][1]:
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
    if sims and (len(sims) >= 2 or SIMULATOR.search(t.title)) and not res.learned and hint not in DATA_TYPES and not (
            res.dataset_intro or res.data_link or res.dataset >= 1.5):
        total += ev.add(-3.5 if len(sims) >= 3 else -2.5, f"hard negative: simulator/beamforming toolbox without learned "
                                                          f"model or data ({', '.join(sims)})")

    # a hosted "ultrasound" dataset with no images in sight: trial tables, questionnaires, outcomes
    if hint in DATA_TYPES and not IMAGE_DATA.search(t.all + " ".join(f.name for f in c.files)):
        tabular = _found(TABULAR, t.all, 2)
        if tabular or t.full_len >= 80:
            total += ev.add(-4.5 if tabular else -2.0, "no image data described"
                            + (f": clinical/tabular records ({', '.join(tabular)})" if tabular else ""))
    # code or a tool described in some words, none of them about data or a learned model
    # (an empty README says nothing either way: not penalised)
    if (t.full_len >= 100 and res.dataset < 0.8 and res.model < 0.8 and not publication
            and hint not in DATA_TYPES | MODEL_TYPES):
        # the more it says without mentioning data or a model, the surer
        total += ev.add(-round(min(3.0, 1.0 + t.full_len / 150), 1), "describes neither a dataset nor a learned model")
    placeholder = not publication and not res.weights and PLACEHOLDER.search(t.all)
    card_only = bool(c.files) and all(_is_card_file(f.name) for f in c.files)
    if card_only and hint in MODEL_TYPES | DATA_TYPES:
        # a hub repository whose only files are its card and git metadata holds nothing to download yet
        weight = 5.0 if placeholder else 3.0 if t.full_len < 100 else 2.0  # an empty card says even less
        total += ev.add(-weight, "hosted repository holds only its card (no weights, code or data)"
                        + (" and promises them later" if placeholder else ""))
    elif res.unreleased and res.code_promised:
        # the code itself is only promised and nothing shows it: a placeholder (a repository that shows its code
        # and promises only the weights is "code without weights", and stays)
        total += ev.add(-4.0, "placeholder: promises the code, shows none")
    elif placeholder:
        ev.note("promises more (weights, data) but the code is there: not a placeholder")
    if res.unreleased and res.withheld:
        # an information page: "the implementation cannot be published", "not downloadable here"
        total += ev.add(-3.5, f"says its code/weights cannot be shared ('{res.withheld[:60]}')")
    elif hint in MODEL_TYPES and not res.weights and res.on_request and not res.agreement:
        total += ev.add(-3.0, "hosted model without weights, available only on request")
    if hint in MODEL_TYPES and str(c.extra.get("pipeline_tag") or "").lower() in TEXT_PIPELINES and not _affirmed(
            IMAGE_WORDS, t.all, 1):
        total += ev.add(-6.0, f"language/speech model (pipeline: {c.extra['pipeline_tag']}), no images")
    if personal := _found(PERSONAL, t.front, 1):
        total += ev.add(-1.5, f"personal or hackathon project ('{personal[0]}')")
    # a repository that says almost nothing, and nothing specific (no anatomy, task, data or known name):
    # an empty "ultrasound" project. A specific name ("thyroid-ultrasound-segmentation") stays for curators.
    if (c.source == "github" and t.full_len < 120 and not res.weights and not res.code_link and not res.data_link
            and not anatomy_terms(t.front) and not TASKS.search(t.front) and not TITLE_DATA.search(t.front)
            and not KNOWN_NAMES.search(t.front) and not SLUG_ACRONYM.search(t.title)
            # a named architecture ("ultrasound foundation model", "U-Net") is specific; "deep learning" is not
            and not [w for w in _found(DEEP, t.front, 5) if not w.startswith(("deep", "neural"))]):
        total += ev.add(-3.0, "says almost nothing, and nothing specific (empty project)")
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
    # a paper is what it releases: "code and pretrained models are available at ..." makes a paper that
    # also builds a dataset a model paper, unless the data is released too
    releases_code_only = publication and "code" in res.released and "data" not in res.released and not res.data_link
    if res.dataset_intro and not releases_code_only:
        # ... but a repository or paper that introduces data is a dataset, even when it ships baseline code
        d += 1.5 if (publication or hint in SOFTWARE_TYPES) else 0.5
    if publication and res.data_link and not res.code_link:
        d += 0.5
    if publication and (res.code_link or releases_code_only) and not res.data_link and (
            not res.dataset_intro or releases_code_only):
        m += 1.0 if releases_code_only else 0.5
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
    if res.unreleased and r > 1.0:
        # a description of a model that is not there is not a resource
        ev.note("resource evidence capped at +1.0: nothing is released yet")
        r = 1.0
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
