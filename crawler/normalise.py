"""Normalisers for triage's pre-extraction: free text (or host metadata) in, one canonical value out.

Each function here answers one question about a piece of text -- "which anatomy
does it name?", "what total size does it state?", "is access open or on
request?" -- and returns the value in the type ``docs/fields.md`` fixes, or
``None`` / ``[]`` when the text does not say. They are pure and small so each
can be tested on its own, including its negatives; ``crawler.extraction``
decides which sentence to ask and keeps the evidence.

The rules are deliberately conservative: the evaluation counts an invented
value as worse than a missing one, so every pattern needs an explicit cue
(a number with a unit, an acquisition verb next to a year, a vendor name
next to a model, ...) and ambiguous wording yields nothing. A few functions
decide from a whole ``Candidate`` (weights, code, access); they return a
``Verdict`` carrying the snippet they decided on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from crawler.models import Candidate
from crawler.vocab import ANATOMY, anatomy_terms

# -- shared pieces ---------------------------------------------------------------------------

WORD_NUMBERS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_WORD_NUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))

# A count as people write it: 12,400 / 10 300 / 1.2k / 2 million / 640.
NUM = (
    r"(?<![\w.,/-])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?)"
    r"(?:(?:\s?(?:thousand|million))|[kKM])?(?![\w%])"
)


class Verdict(NamedTuple):
    """A value decided from several pieces of a record, with the snippet it rests on."""

    value: object
    evidence: str


def parse_number(text: str) -> int | None:
    """``"12,400"`` -> 12400, ``"1.2k"`` -> 1200, ``"10 300"`` -> 10300, ``"three"`` -> 3; else None.

    A decimal without a multiplier ("4.1") is not a count.
    """
    text = text.strip()
    if text.lower() in WORD_NUMBERS:
        return WORD_NUMBERS[text.lower()]
    match = re.fullmatch(r"([\d.,\s\u00a0\u202f]+?)\s?(thousand|million|[kKM])?", text)
    if not match:
        return None
    digits, mult = match.group(1), (match.group(2) or "").lower()
    factor = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}.get(mult, 1)
    digits = re.sub(r"[,\s\u00a0\u202f]", "", digits)
    try:
        value = float(digits)
    except ValueError:
        return None
    if factor == 1 and "." in digits:
        return None
    number = value * factor
    return int(round(number)) if number >= 0 else None


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


# -- anatomy ---------------------------------------------------------------------------------

# Phrases of ML/engineering prose that the anatomy vocabulary would read as body parts.
_ANATOMY_NOISE = _any(
    [
        r"hand[- ]?(?:crafted|engineered|made|labell?ed|annotated|drawn|written|picked|tuned|held)",
        r"hands[- ]on", r"by hand", r"at hand", r"on the (?:one|other) hand", r"second[- ]hand",
        r"heart of", r"echo (?:state|times?|chambers?)", r"\bARM\b", r"arm64", r"robot(?:ic)? arms?",
        r"mechanical arms?",
        r"arms race",
        r"neur(?:on|ons|onal)\b",
        r"mouse (?:click|button|pointer|cursor|wheel|over)",
        r"(?:an|my|our|your|bird'?s?[- ]) ?eyes? (?:on|view)\b", r"eye[- ](?:catching|tracking|ball)",
        r"bottle ?neck", r"elbow (?:method|curve|point)", r"leg ?room", r"hip[- ]hop",
        r"(?:covid(?:-19)?|coronavirus|sars-cov-2) pandemic", r"by eye", r"naked eye",
        # a department or clinic names where the data came from, not the organ imaged
        r"(?:department|dept\.?|division|school|society|college|faculty|institute) of (?:\w+ )?(?:\b[a-z]{0,20}ology|"
        r"obstetrics|gyn\w+|"
        r"urology|cardiology|neurology|radiology|dermatology|ophthalmology|hepatology|gastroenterology)",
        r"(?:paediatric |pediatric )?(?:\b[a-z]{0,20}ology|obstetrics|gyn\w+cology|cardio(?:logy|"
        r"vascular)|neuro\w*) (?:clinics?|departments?|"
        r"units?|wards?|services?|cent(?:er|re)s?|hospitals?|practices?|societ(?:y|ies)|journals?|residents?|fellows?)",
        # specialists who scanned or annotated ("two paediatric urologists"), not the organ imaged
        r"\b[a-z]*olog(?:ist|ists)\b",
        # a structure named by a limb word: "femoral nerve block", "femoral trochlear cartilage", "Achilles tendon"
        r"\bfemoral(?=[\w\s,-]{0,30}\b(?:nerves?|blocks?|cartilage|trochle\w*|condyl\w*|head|neck))",
        r"\bachilles(?=[\w\s/,-]{0,25}\btendons?)",
        r"\btrans-?abdominal(?:ly)?\b",
    ]
)
# Named bodies and lists of dataset names: "Society for Fetal Urology", "Department of Internal Medicine,
# Hypertension and Vascular Diseases", "fine-tuned on six datasets (BUSI, TN3K, Open Kidney, CUBS)".
_ANATOMY_NAMES = re.compile(
    r"\b(?:Society|Department|Dept\.?|Division|School|Faculty|College|Institute|Association|Federation|Foundation|"
    r"Journal)\s+(?:of|for)\s+(?:(?:[A-Z][\w'-]*|and|&|the)(?:,?\s+|$))+"
    r"|\bdata ?sets?\s*\((?:[^()]*,){2,}[^()]*\)",
)
# A specific term whose words would also hit a generic one ("carotid artery" is not "blood vessels" too).
_ANATOMY_SUBSUMED = re.compile(r"(?<=carotid)[ -]arter(?:y|ies)", re.I)


ANATOMY_ORDER = tuple(ANATOMY)


# Terms that stay beside "fetus": the mother's organs and the kind of subject. Any other organ
# named in a fetal record is the fetus's (fetal brain, fetal heart, fetal abdomen), and the
# figures and the catalogue file it under fetus (``crawler.vocab.anatomy_groups`` does the same).
_BESIDE_FETUS = {"fetus", "cervix", "ovary", "phantom", "non-human"}


def fold_fetal(terms: list[str]) -> list[str]:
    """Fold fetal organs into "fetus": ["fetus", "brain", "cervix"] -> ["fetus", "cervix"]."""
    if "fetus" not in terms:
        return terms
    return [t for t in terms if t in _BESIDE_FETUS]


def anatomy(text: str) -> list[str]:
    """Canonical anatomy terms (``crawler.vocab.ANATOMY`` keys) the text names, without prose false hits."""
    if not text:
        return []
    cleaned = _NAMED_MUSCLE.sub(lambda m: "muscle".ljust(len(m.group(0))), text)
    cleaned = _NAMED_VESSEL.sub(lambda m: "vein".ljust(len(m.group(0))), cleaned)
    cleaned = _ANATOMY_NAMES.sub(lambda m: " " * len(m.group(0)), cleaned)
    cleaned = _ANATOMY_NOISE.sub(lambda m: " " * len(m.group(0)), cleaned)
    cleaned = _ANATOMY_SUBSUMED.sub(lambda m: " " * len(m.group(0)), cleaned)
    return fold_fetal(anatomy_terms(cleaned))


# Muscles named by their anatomical names are "muscle" (a limb is added only where the region is named);
# "gastrocnemius" would otherwise read as gastro-intestinal.
_NAMED_MUSCLE = re.compile(
    r"\b(?:gastrocnemius|soleus|quadriceps|rectus femoris|vastus (?:lateralis|medialis|intermedius)|biceps|triceps|"
    r"deltoid|supraspinatus|infraspinatus|tibialis anterior|rectus abdominis|multifidus|trapezius|masseter)\b",
    re.I,
)


# Vessels named by their anatomical names that the vocabulary's generic words miss.
_NAMED_VESSEL = re.compile(r"\b(?:(?:inferior|superior) )?vena cava\b|\bjugular\b|\bportal vein\b|\bIVC\b")


# A general term beside a specific one that it contains: the carotid is a vessel, the liver and the
# kidneys are in the abdomen. The record's terms name what was imaged most precisely.
_SUBSUMES = {
    "blood vessels": ("carotid artery",),
    "abdomen": ("liver", "kidney", "gallbladder", "pancreas", "bladder", "ovary", "prostate"),
}


def fold_general(terms: list[str]) -> list[str]:
    """Drop a general term when a more specific one it covers is there: ["carotid artery", "blood vessels"]."""
    return [t for t in terms if not any(s in terms for s in _SUBSUMES.get(t, ()))]


# -- scanning mode ---------------------------------------------------------------------------

SCANNING_MODES = ("2D freehand", "2D standard planes", "2D+t", "3D", "3D reconstructed from 2D")

_MODE_VIDEO = _any(
    [
        r"\b2D\s*\+\s*(?:t|time)\b",
        r"\bvideos?\b(?! (?:tutorial|demo|demonstration|abstract|presentation|lecture|of the (?:method|app|tool)))",
        r"\bvideo[- ]?clips?\b",
        r"(?<![A-Z])\bclips\b",
        r"\bcine(?:[- ]?loops?|s)?\b",
        r"\b(?:image|frame|ultrasound|US|B-mode|temporal|echocardiograph\w*|video) sequences?\b",
        r"\bsequences? of (?:\w+ )?(?:images|frames)\b",
        r"\bframe rate\b|\bframes per second\b|\b\d+\s?fps\b",
        r"\b(?:half-|full |cine |cardiac[- ]cycle |echo )sequences?\b|\bsequences? (?:of|over|covering) (?:the )?(?:full |whole "
        r"|entire )?(?:cardiac )?cycles?\b",
        r"\bsweeps?\b",
    ]
)
_MODE_VIDEO_NOISE = re.compile(r"youtube|demo video|video (?:tutorial|demo)|watch the video|\bCLIP\b", re.I)
_MODE_3D = _any(
    [
        r"\b(?:3D|4D|3-D|4-D|three-dimensional)[- ](?:ultrasound|US\b|volumes?|scans?|probes?|transducers?|"
        r"acquisitions?|images?|imaging|echocardiograph\w*|TEE|TRUS|TVUS|data|sonograph\w*|matrix)",
        r"\bvolumetric (?:ultrasound|images?|imaging|data|scans?|acquisitions?)\b",
        r"\b(?:3D|4D) (?:and|/) (?:3D|4D)\b",
        r"\bmatrix[- ]array (?:probe|transducer)s?\b",
        r"\b(?:3D|4D) (?:probe|transducer)s?\b", r"\b3D\s*\+\s*t(?:ime)?\b", r"\bmatrix (?:probe|transducer)s?\b",
        r"\bultrasound volumes\b", r"\b4D\b(?![- ]?(?:CT|MRI?|flow|printing))",
    ]
)
_MODE_3D_NOISE = re.compile(r"3D (?:CNN|U-?Net|convolution\w*|network|model|Slicer|print\w*|ResNet)", re.I)
_MODE_RECON_TRACK = re.compile(
    r"\btrack(?:ed|ing)\b|\bfree-?hand\b|\bsweeps?\b|\bpose\b|\belectromagnetic\b|\boptical(?:ly)? track", re.I
)
_MODE_RECON_VOL = re.compile(
    r"\breconstruct\w*\b|\bcompound\w*\b|\bvolume reconstruction\b|into (?:a )?(?:3D )?volumes?\b", re.I
)
_MODE_RECON_EXPLICIT = re.compile(
    r"3D (?:volumes? )?reconstruct\w* from (?:tracked )?(?:freehand )?2D|2D[- ]to[- ]3D",
    re.I,
)
_MODE_PLANES = _any(
    [
        r"(?<!non-)(?<!non )\bstandard(?:i[sz]ed)?(?: (?:scan(?:ning)?|imaging|diagnostic|biometr\w*|anatomical))?[- ]"
        r"(?:planes?|views?)\b",
        r"\bbiometr(?:y|ic) planes?\b",
        r"\b(?:trans-?thalamic|trans-?ventricular|trans-?cerebell\w*|mid-?sagittal) planes?\b",
        r"\btrans-?thalamic\W+trans-?cerebell\w*",
        r"\bdiagnostic planes?\b",
        # images sorted by the plane they show: "fetal anatomical planes", "6 plane classes"
        r"\b(?:anatomical|fetal|brain|cardiac|abdominal|obstetric) planes\b", r"\bplane classes\b",
    ]
)
_MODE_FREEHAND = re.compile(
    r"\b(?:2D )?free-?hand(?: 2D)?(?: (?:scan\w*|acquisitions?|imaging|ultrasound|sweeps?))?\b",
    re.I,
)


_MODE_HINT = re.compile(
    r"\b(?:2D|3D|4D|3-D|4-D|three-dimensional|video|clip|cine|sequence|frame|fps|volum|matrix|track|free-?hand|sweep|"
    r"reconstruct|compound|standard|biometr|plane|view|trans-?thalamic)",
    re.I,
)


def mentions_scanning_mode(text: str) -> bool:
    """A cheap check that the text uses any word a scanning mode is stated with."""
    return bool(_MODE_HINT.search(text or ""))


def scanning_modes(text: str) -> list[str]:
    """The spec's scanning modes the text states, in canonical order; [] when none is stated."""
    if not text:
        return []
    found: set[str] = set()
    recon = bool(_MODE_RECON_EXPLICIT.search(text)) or (
        bool(_MODE_RECON_TRACK.search(text))
        and bool(_MODE_RECON_VOL.search(text))
        and bool(re.search(r"\b3D\b|\bvolume|\bthree-dimensional", text, re.I))
    )
    if recon:
        found.add("3D reconstructed from 2D")
    video_text = _MODE_VIDEO_NOISE.sub(" ", text)
    if recon:
        video_text = re.sub(r"\bsweeps?\b", " ", video_text, flags=re.I)  # the sweeps are the reconstruction's input
    if _MODE_VIDEO.search(video_text):
        found.add("2D+t")
    three_d = _MODE_3D.search(_MODE_3D_NOISE.sub(" ", text))
    if three_d and not (recon and not re.search(r"3D (?:probe|transducer)|matrix|4D|volumetric", text, re.I)):
        found.add("3D")
    if _MODE_PLANES.search(text):
        found.add("2D standard planes")
    if _MODE_FREEHAND.search(text) and not recon:
        found.add("2D freehand")
    return [mode for mode in SCANNING_MODES if mode in found]


# -- access ----------------------------------------------------------------------------------

_AR_TEXT = _any(
    [
        r"\bavailable (?:(?:up)?on|by|via|after|through)(?: a)?(?: (?:reasonable|formal|written|justified))? request",
        r"\b(?:up)?on (?:reasonable |formal |written )?request\b",
        r"\brequest(?:ing)? (?:for )?access\b",
        r"\baccess (?:is|can be) (?:granted|requested|provided) (?:to|upon|after|on)",
        r"\bapply(?:ing)? for access\b", r"\bapplication form\b",
        r"\b(?:data|research|end[- ]user|institutional) (?:use |usage |sharing |access |transfer )?agreement\b",
        r"\b(?:use|usage|sharing|access|transfer) agreement\b", r"\bDUA\b",
        r"\bregistration (?:is )?required\b", r"\b(?:must|need to|have to|should) (?:first )?(?:register|sign|apply)\b",
        r"\bregister (?:to|before|in order to) (?:download|access|obtain)\b",
        r"\bcredentialed (?:access|users?)\b", r"\bcredentialing\b",
        r"\b(?:contact|e-?mail|write to) (?:the )?(?:corresponding |first |last )?(?:authors?|us|"
        r"owners?|maintainers?|PI)\b"
        r"[^.]{0,60}\b(?:obtain|access|request|download|get)\b",
        r"\b(?:obtain|access|request|download|get)\b[^.]{0,40}\b(?:contact|e-?mail) (?:the )?(?:corresponding "
        r")?(?:authors?|us)\b",
        r"\bfill (?:in|out) (?:the|this|a) (?:\w+ )?(?:form|application)\b", r"\bgated\b",
        r"\baccept (?:the )?(?:\w+[- ])?(?:terms|conditions|license agreement)\b[^.]{0,40}\b(?:access|download)\b",
    ]
)
_OA_TEXT = _any(
    [
        r"\b(?:is|are) (?:made )?(?:publicly|freely|openly) (?:available|accessible|downloadable)\b",
        r"\bpublicly available\b",
        r"\bfreely available\b",
        r"\bopen[- ]access\b(?! (?:journal|article|paper|publication))",
        r"\bcan be (?:freely )?downloaded\b",
        r"\bdownload (?:it|the (?:full )?(?:data(?:set)?|images|files)) (?:from|at|here|via)\b",
        r"\bavailable (?:for download|to download)\b",
        r"\bavailable (?:at|on|from) (?:https?://|www\.|zenodo|figshare|kaggle|mendeley|github|hugging ?face|"
        r"google drive)",
        r"\b(?:openly|publicly|freely) (?:released|shared|distributed|downloadable)\b",
        r"\b(?:released|deposited|published|shared|hosted) (?:openly |publicly )?(?:on|at|via|through|in) (?:https?://|www\.|"
        r"zenodo|figshare|kaggle|mendeley|github|hugging ?face|dryad|osf)",
        r"\bno registration\b",
    ]
)
_NOT_PUBLIC = re.compile(
    r"\bnot (?:publicly |openly |freely )?(?:available|accessible|shared|released|redistributable)\b",
    re.I,
)
_HOST_ACCESS = {
    "open": "OA", "public": "OA", "restricted": "AR", "embargoed": "AR", "closed": "AR", "gated": "AR",
}
# Hosts whose access flag is about the data itself (GitHub's is repo visibility, OpenAlex's the paper's).
DATA_HOSTS = ("zenodo", "huggingface", "kaggle")


def access_from_text(text: str) -> Verdict | None:
    """OA/AR from wording alone; a request route beats "publicly available" in the same text."""
    if not text:
        return None
    ar = _AR_TEXT.search(text)
    if ar:
        return Verdict("AR", ar.group(0))
    oa = _OA_TEXT.search(text)
    if oa and not _NOT_PUBLIC.search(text[max(0, oa.start() - 40) : oa.end() + 40]):
        return Verdict("OA", oa.group(0))
    return None


def access(text: str = "", host_access: str | None = None, source: str | None = None) -> Verdict | None:
    """"OA" or "AR": a data host's own access flag first (Zenodo access_right, HF gated, Kaggle), then text cues."""
    flag = (host_access or "").strip().lower()
    if source in DATA_HOSTS and flag in _HOST_ACCESS:
        label = "access_right" if source == "zenodo" else "access"
        return Verdict(_HOST_ACCESS[flag], f"{label}: {flag}")
    return access_from_text(text)


# -- licence ---------------------------------------------------------------------------------

_LICENCE_NONE = re.compile(
    r"^(?:other|unknown|none|no ?license|no ?licence|not specified|noassertion|proprietary|"
    r"other \(specified in description\)|data files ©.*|data files \(c\).*|custom|see (?:description|"
    r"readme|license).*)$",
    re.I,
)
_CC_PARTS = {"by": "BY", "sa": "SA", "nc": "NC", "nd": "ND"}


def _cc(text: str) -> str | None:
    """CC licences in any spelling: cc-by-nc-sa-4.0, CC BY-NC-SA 4.0, Attribution-NonCommercial 4.0 International."""
    low = text.lower()
    if re.search(r"\bcc[- ]?0\b|cc[- ]zero|public domain dedication|creative commons zero|\bcc0\b", low):
        return "CC0-1.0"
    if re.search(r"odc[- ]?by|open data commons attribution", low):
        return "ODC-By-1.0"
    if re.search(r"\bpddl\b|public domain dedication and licen", low):
        return "PDDL-1.0"
    words = re.sub(r"[^a-z0-9.]+", " ", low)
    long_form = {
        "attribution": "by", "noncommercial": "nc", "non commercial": "nc", "sharealike": "sa", "share alike": "sa",
        "noderivatives": "nd", "noderivs": "nd", "no derivatives": "nd",
    }
    parts: list[str] = []
    cc_form = re.search(r"\bcc[ -]?((?:by|nc|sa|nd)(?:[ -](?:by|nc|sa|nd))*)\b", low.replace("_", "-"))
    if cc_form:
        parts = re.split(r"[ -]", cc_form.group(1))
    elif "attribution" in words and ("creative commons" in low or "international" in low or re.search(r"\d\.\d", low)):
        parts = [code for phrase, code in long_form.items() if phrase in words]
    if not parts or "by" not in parts:
        return None
    order = [p for p in ("by", "nc", "nd", "sa") if p in parts]
    version = re.search(r"\b([1-4])\.0\b|\b([1-4])(?:\.0)?\s*(?:international|generic|unported)", low)
    body = "CC-" + "-".join(_CC_PARTS[p] for p in order)
    if version:
        return f"{body}-{version.group(1) or version.group(2)}.0"
    return body  # a versionless CC licence (OpenAlex "cc-by") has no SPDX id: keep its own name


_SPDX = [
    (r"^mit(?: license)?$|^expat$", "MIT"),
    (r"^apache(?:[- ]?license)?[- ,]*(?:version )?2(?:\.0)?$", "Apache-2.0"),
    (r"^(?:a?gpl|lgpl)", None),  # handled below
    (r"^bsd[- ]?3[- ]?clause(?:[- ]new(?: or revised)?)?(?: license)?$|^bsd-3$|^new bsd", "BSD-3-Clause"),
    (r"^bsd[- ]?3[- ]?clause[- ]clear$", "BSD-3-Clause-Clear"),
    (r"^bsd[- ]?2[- ]?clause(?:[- ]simplified)?(?: license)?$|^simplified bsd", "BSD-2-Clause"),
    (r"^mpl[- ]?2(?:\.0)?$|^mozilla public license 2\.0$", "MPL-2.0"),
    (r"^unlicen[sc]e$|^the unlicense$", "Unlicense"),
    (r"^isc$", "ISC"),
    (r"^wtfpl$", "WTFPL"),
    (r"^zlib$", "Zlib"),
    (r"^bsl-1\.0$|^boost", "BSL-1.0"),
    (r"^epl-2\.0$", "EPL-2.0"),
    (r"^afl-3\.0$", "AFL-3.0"),
    (r"^artistic-2\.0$", "Artistic-2.0"),
    (r"^ecl-2\.0$", "ECL-2.0"),
    (r"^eupl-1\.[12]$", None),
    (r"^odbl(?:-1\.0)?$|open database license|database: open database, contents: database contents", "ODbL-1.0"),
    (
        r"^cdla[- ]permissive[- ]?1(?:\.0)?$|community data license agreement.{0,5}permissive.{0,12}1\.0",
        "CDLA-Permissive-1.0",
    ),
    (
        r"^cdla[- ]permissive[- ]?2(?:\.0)?$|community data license agreement.{0,5}permissive.{0,12}2\.0",
        "CDLA-Permissive-2.0",
    ),
    (r"^cdla[- ]sharing[- ]?1(?:\.0)?$|community data license agreement.{0,5}sharing.{0,12}1\.0", "CDLA-Sharing-1.0"),
    (r"^openrail$", "OpenRAIL"),
    (r"^openrail\+\+$", "OpenRAIL++"),
    (r"^creativeml-openrail-m$", "CreativeML-OpenRAIL-M"),
    (r"^bigscience-openrail-m$", "BigScience-OpenRAIL-M"),
    (r"^bigcode-openrail-m$", "BigCode-OpenRAIL-M"),
]


def _gpl(low: str) -> str | None:
    match = re.match(
        r"^(a|l)?gpl(?:[- ]?v?|[- ]license[- ]v?|[- ]version[- ]?)?([123])(?:\.[01])?(-only|-or-later|\+)?$", low
    )
    if not match:
        match = re.match(r"^gnu (affero |lesser )?general public licen[cs]e(?: v| version |-)?([123])?(?:\.0)?", low)
        if not match:
            return None
        prefix = {"affero ": "A", "lesser ": "L"}.get(match.group(1) or "", "")
        version = match.group(2)
        return f"{prefix}GPL-{version}.0-only" if version else None
    prefix = (match.group(1) or "").upper()
    version = match.group(2)
    if prefix == "L" and version == "2":
        version_str = "2.1"
    else:
        version_str = f"{version}.0"
    suffix = "-or-later" if match.group(3) in ("-or-later", "+") else "-only"
    return f"{prefix}GPL-{version_str}{suffix}"


def licence(text: str | None) -> str | None:
    """An SPDX id from the spellings Zenodo, Kaggle, Hugging Face, GitHub and OpenAlex use.

    "other", "unknown", "Other (specified in description)" and "Data files © Original Authors"
    give None; a named licence without an SPDX id keeps its own name.
    """
    if not text:
        return None
    raw = " ".join(str(text).split()).strip().strip(".")
    low = raw.lower().removeprefix("license:").removeprefix("licence:").strip().replace("licence", "license")
    if not low or _LICENCE_NONE.match(low):
        return None
    if low in {"cc", "creative commons"}:
        return None  # which Creative Commons licence is not said
    gpl = _gpl(low)
    if gpl:
        return gpl
    for pattern, spdx in _SPDX:
        if re.search(pattern, low):
            if spdx is None:
                return raw
            return spdx
    cc = _cc(low)
    if cc:
        return cc
    return raw


_LICENCE_SENTENCE = re.compile(
    r"\b(?:licen[sc]ed|released|distributed|published|available|shared|provided|made available) under\b"
    r"|\blicen[sc]e\s*:|\bunder (?:the|a) [^.]{0,40}licen[sc]e\b",
    re.I,
)
_LICENCE_NAMES = re.compile(
    r"\bCC[- ]?BY(?:[- ](?:NC|SA|ND))*(?:[- ]\d\.0)?(?: International)?\b|\bCC0(?:[- ]1\.0)?\b|"
    r"Creative Commons [A-Za-z -]{0,60}?\d\.0(?: International)?|Creative Commons Zero|"
    r"\bMIT(?: [Ll]icen[sc]e)?\b|\bApache(?: [Ll]icen[sc]e)?(?:,? (?:[Vv]ersion )?2\.0)?\b|"
    r"\b(?:A|L)?GPL[- ]?v?[23](?:\.0)?(?:-only|-or-later|\+)?\b|\bGNU (?:Affero |Lesser )?General "
    r"Public Licen[sc]e(?: v?\d(?:\.0)?)?|"
    r"\bBSD[- ][23][- ]Clause\b|\bODbL\b|\bOpen Database License\b",
)


def licence_in_text(text: str) -> str | None:
    """A licence the text grants ("licensed under CC BY-NC-SA 4.0", "License: MIT"), as SPDX; else None."""
    if not text or not (_LICENCE_SENTENCE.search(text) or _UNDER_LICENCE.search(text)):
        return None
    match = _LICENCE_NAMES.search(text)
    return licence(match.group(0)) if match else None


_UNDER_LICENCE = re.compile(r"\bunder (?:the |a )?(?:CC[- ]|Creative Commons|MIT\b|Apache|(?:A|L)?GPL|BSD|ODbL)", re.I)
# A versioned Creative Commons name is a licence wherever it stands: "(open, CC BY 4.0)", "CC BY-NC 4.0."
_CC_NAMED = re.compile(
    r"\bCC[- ]?BY(?:[- ](?:NC|SA|ND))*[- ]\d\.0\b|\bCC0(?:[- ]1\.0)?\b|"
    r"Creative Commons [A-Za-z -]{0,60}?\d\.0(?: International)?"
)


def cc_named(text: str) -> str | None:
    """A Creative Commons licence named with its version anywhere in the text, as SPDX; else None."""
    match = _CC_NAMED.search(text or "")
    return licence(match.group(0)) if match else None


# Licences made for code; on a dataset's repository they cover the scripts, not the data.
SOFTWARE_LICENCES = re.compile(r"^(?:MIT|Apache-|(?:A|L)?GPL-|BSD-|MPL-|ISC|Unlicense|EPL-|Zlib|BSL-|WTFPL|Artistic-|AFL-)")


# -- sizes -----------------------------------------------------------------------------------

_UNIT_MAP = [
    (r"images?|pictures|photographs|slices", "images"),
    (r"frames?", "frames"),
    (r"videos?|clips?|cine[- ]?loops?|cines|loops", "videos"),
    (r"volumes?", "volumes"),
    (r"sequences?|sweeps?", "sequences"),
    # a recording is a video; a 3D one (or a volumetric acquisition) is a volume -- see ``_unit``
    (r"recordings?|acquisitions?", "videos"),
    (
        r"patients?|subjects?|participants?|volunteers?|individuals?|(?:pregnant )?women|cases?|infants?|children|"
        r"neonates?|newborns?|f(?:o)?etuses|pregnancies|men|males|females|boys|girls|adults",
        "patients",
    ),
]
_SEX_WORD = re.compile(r"^(?:(?:pregnant )?women|men|males?|females?|boys|girls)$", re.I)
_UNIT_RANK = {"images": 0, "videos": 0, "volumes": 0, "sequences": 1, "frames": 2, "patients": 3}
_UNIT_WORD = "|".join(p for p, _ in _UNIT_MAP)
_QUAL_STOP = (
    r"of|from|per|in|on|with|and|or|to|for|by|each|at|the|a|an|were|are|was|is|have|has|had|which|that|"
    r"these|those|than|more|less|over|under|into|between|after|before|x|epochs?|classes|categories|types"
)
# Qualifiers between a count and its unit: "3,011 transvaginal B-mode and colour Doppler ultrasound images",
# "160 3D+t transthoracic echocardiography recordings", "Five volumetric (3D) intraoperative acquisitions".
_QUAL_WORD = rf"(?:(?!(?:{_QUAL_STOP})\b)(?:[234]D(?:\+t)?(?![\w+])|\([234]D\)|[A-Za-z][\w'+/-]*))"
_SIZE_NUM = rf"(?:{NUM}|(?-i:\b(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Tt]welve|[Tt]wenty)\b))"
_SIZE_RE = re.compile(
    rf"(?P<num>{_SIZE_NUM})\s+(?P<qual>(?:{_QUAL_WORD}\s+(?:(?:and|or|&)\s+(?={_QUAL_WORD}\s))?){{0,6}}?)"
    rf"(?P<unit>{_UNIT_WORD})\b",
    re.I,
)
_SPLIT_QUAL = re.compile(r"\b(?:train(?:ing)?|val(?:idation)?|test(?:ing)?|held[- ]out|hold[- ]out)\b", re.I)
_TOTAL_CUE = re.compile(
    r"(?:a total of|in total|total(?:ling|ing)?|overall|altogether|all together)\W*(?:\w+\W+){0,2}$",
    re.I,
)
# "from 600 patients", "images of 200 patients": where the samples came from, not the samples.
# A bare "of" only counts after a sample noun ("a dataset of 2,034 images" is the total).
_SOURCE_CUE = re.compile(
    r"(?:\bfrom|\bacross|\bamong|\bwithin|\bbelonging to|\bcovering|\bspanning|\bderived from|\bextracted from|"
    r"\b(?:images?|frames|videos?|clips|scans|volumes|recordings|sequences|examinations|exams)\s+(?:\w+\s+){0,2}?(?:of|"
    r"in))"
    r"\s+(?:a total of\s+|the\s+|approximately\s+|about\s+|over\s+|more than\s+)?$",
    re.I,
)
_SUBSET_CUE = re.compile(
    r"(?:\bincluding|\bof which|\bof them|\bamong (?:them|which|these)|\be\.g\.|\bsuch as|\bsubset of|"
    r"\bonly|\bexcluding|"
    r"\baugmented(?: to)?|\bper|\beach|\bup to|\bat least|\bremaining|\bfirst|\blast|\bremoved|\bexcluded|\bdiscarded|"
    r"\baverage(?: of)?|\bmean(?: of)?|\bmedian(?: of)?|\b(?:fold|sample|portion|part|fraction|subgroup)"
    r" of)\s+(?:\w+\s+){0,1}$",
    re.I,
)
_PER_AFTER = re.compile(
    r"^\W*(?:per|each|for each|in each|from each)\s+(?:class|category|patient|subject|video|case|sequence|volume|"
    r"participant|group|label)\b|^[ \t]*(?:were|are|was|have been|had been)?\s*(?:excluded|removed|"
    r"discarded|augmented)",
    re.I,
)
_SPLIT_AFTER = re.compile(
    r"^[ \t]*(?:(?!which\b|that\b)\w+\s+){0,2}?(?:(?:are |were |is |was )?(?:used |kept |reserved |set aside |"
    r"allocated |assigned )?(?:for|in|as)|forms?|formed|make up|makes up|constitutes?) "
    r"(?:the )?(?:training|validation|testing|test|train)\b",
    re.I,
)
# A count given as a field: "Image count: 6,323", "| clips | 2,310 (3-6 s each) |", "Videos: 480".
_KEYED_SIZE = re.compile(
    rf"(?:^|\|)\s*(?:total\s+|number of\s+)?(?P<unit>{_UNIT_WORD})\s*(?:count|number|total)?\s*[:|=]\s*(?P<num>{NUM})"
    r"(?![\d.,]*\s*(?:%|x\b|×|px|MB|GB|per\b|/))",
    re.I,
)
_SPLIT_BEFORE = re.compile(
    r"\b(?:train(?:ing)?|val(?:idation)?|test(?:ing)?)(?:\s+(?:set|split|subset|cohort|partition|data(?:set)?))?"
    r"\s*(?:\(\s*n\s*=|[:=]|of|has|had|with|contains?|contained|includes?|included|comprises?|comprising|"
    r"consists? of)?\s*$",
    re.I,
)
_CLASS_WORDS = re.compile(
    r"\b(?:benign|malignant|normal|abnormal|healthy|diseased|positive|negative|class|classes|categor\w+|grades?)\b",
    re.I,
)


class SizeMention(NamedTuple):
    number: int
    unit: str
    start: int
    end: int
    total: bool  # "a total of", "in total"
    source: bool  # "from 600 patients": where the samples came from, not the samples
    split: bool  # a train/val/test part, not the whole


def _unit(word: str, qual: str = "") -> str | None:
    word = word.lower()
    volumetric = re.search(r"\b(?:3D|4D|three-dimensional|volumetric)", qual, re.I)
    if re.fullmatch(r"recordings?|acquisitions?", word):
        if volumetric:
            return "volumes"
        return "videos" if word.startswith("recording") else None
    for pattern, unit in _UNIT_MAP:
        if re.fullmatch(pattern, word):
            return unit
    return None


def size_mentions(text: str) -> list[SizeMention]:
    """Every "<number> [qualifiers] <unit>" in the text, with what kind of count each one is."""
    out: list[SizeMention] = []
    for match in _KEYED_SIZE.finditer(text or ""):
        number, unit = parse_number(match.group("num")), _unit(match.group("unit"))
        if number and unit:
            out.append(SizeMention(number, unit, match.start(), match.end(), True, False, False))
    for match in _SIZE_RE.finditer(text or ""):
        number = parse_number(match.group("num"))
        unit = _unit(match.group("unit"), match.group("qual"))
        if number is None or unit is None or number == 0:
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 60]
        if match.group("num")[:1].isalpha() and not re.search(
            r"(?:^|\b(?:of|contains?|comprises?|includes?|provides?|consists? of|total of|releases?|present))\W*$",
            before,
            re.I,
        ):
            continue  # "two videos per patient": a number word counts only where it sizes the whole
        # "512 x 512 images", "2 x 3 cm", a range "2-400 images" or a year "in 2019"
        if re.search(r"(?:\d\s*[x×*]\s*|[x×]\s*)$", before) or re.search(r"\d\s*[-–]\s*$", before):
            continue
        year_like = 1950 <= number <= 2100 and not match.group("qual").strip()
        if year_like and re.search(r"\b(?:in|since|year|from)\s+$", before):
            continue
        qual = match.group("qual")
        split = bool(_SPLIT_QUAL.search(qual)) or bool(_SPLIT_AFTER.match(after)) or bool(_SPLIT_BEFORE.search(before))
        if _SUBSET_CUE.search(before) or _PER_AFTER.match(after) or re.search(r"%|\bpercent\b", match.group(0)):
            continue
        if re.search(r"^[ \t]*(?:per|/)\s*(?:second|s\b|minute)", after):
            continue
        out.append(
            SizeMention(
                number=number,
                unit=unit,
                start=match.start(),
                end=match.end(),
                total=bool(_TOTAL_CUE.search(before)) or bool(re.match(r"\s*(?:in )?total\b", after, re.I)),
                source=bool(_SOURCE_CUE.search(before)),
                split=split,
            )
        )
    return out


# "780 images: 437 benign, ..." / "780 images, of which ...": the first count is the total of a breakdown.
_BREAKDOWN_FOLLOWS = re.compile(
    r"\s*(?:[:(\u2014]|,? (?:of which|including|comprising|consisting of|namely|divided into|split into))"
)


def _sentence_candidates(text: str) -> list[SizeMention]:
    """Mentions that can stand for the whole dataset, resolving per-class lists in one sentence."""
    mentions = [m for m in size_mentions(text) if not m.split]
    def unit_word(m: SizeMention) -> str:
        found = _SIZE_RE.match(text, m.start)
        return found.group("unit") if found else ""

    sexed = [m for m in mentions if _SEX_WORD.match(unit_word(m))]
    if len(sexed) >= 2:
        mentions = [m for m in mentions if m not in sexed]  # "612 women and 200 men" splits the cohort by sex
    chosen: list[SizeMention] = []
    by_unit: dict[str, list[SizeMention]] = {}
    for mention in mentions:
        by_unit.setdefault(mention.unit, []).append(mention)
    for unit_mentions in by_unit.values():
        if len(unit_mentions) == 1:
            chosen.append(unit_mentions[0])
            continue
        totals = [m for m in unit_mentions if m.total]
        if totals:
            chosen.append(totals[0])
            continue
        first = unit_mentions[0]
        follow = text[first.end : first.end + 25]
        if _BREAKDOWN_FOLLOWS.match(follow):
            chosen.append(first)
            continue
        non_source = [m for m in unit_mentions if not m.source]
        if len(non_source) == 1 and not _CLASS_WORDS.search(text):
            chosen.append(non_source[0])
        # otherwise several counts of one unit with no total: a per-class list; say nothing
    return sorted(chosen, key=lambda m: m.start)


def best_size(sentences: Sequence[str]) -> tuple[int, int, str] | None:
    """``(sentence index, number, unit)`` of the dataset's total over several sentences, or None."""
    ranked: list[tuple[tuple[int, int, int, int, int], int, SizeMention]] = []
    for index, sentence in enumerate(sentences):
        for order, mention in enumerate(_sentence_candidates(sentence)):
            # "from 300 videos" names where frames came from; patients are always "from", so no penalty there
            penalty = 3 if mention.source and mention.unit != "patients" else 0
            key = (_UNIT_RANK[mention.unit] + penalty, int(not mention.total), index, order, 0)
            ranked.append((key, index, mention))
    if not ranked:
        return None
    _, index, mention = min(ranked, key=lambda item: item[0])
    return index, mention.number, mention.unit


_SAMPLE_COUNT = re.compile(
    rf"{NUM}\s+(?:[\w/+-]+\s+){{0,4}}?(?:images?|frames?|videos?|clips?|cine[- ]?loops?|volumes?|sequences?|sweeps?|"
    r"recordings?|scans|nodules|lesions|masses|tumou?rs|studies|examinations|exams)\b",
    re.I,
)


def counts_samples(text: str) -> bool:
    """Whether the text counts samples other than people (images, videos, lesions, ...), in any part of the data.

    Where it does, a count of patients is where the samples came from, not the dataset's total.
    """
    return bool(_SAMPLE_COUNT.search(text or ""))


def size(text: str) -> tuple[int, str] | None:
    """The dataset's total as stated: ``(12400, "images")``; images/videos/volumes before patients."""
    found = best_size([text or ""])
    return (found[1], found[2]) if found else None


# -- train / val / test sizes -----------------------------------------------------------------

_PART = r"(?P<part>train(?:ing)?|val(?:idation)?|test(?:ing)?)"
_NOT_COUNT_AFTER = (
    r"(?!\s*(?:%|percent|epochs?|iterations?|steps?|times|folds?|x\b|×|px|pixels|mm|cm|ms|s\b|sec\w*|min\w*|hours?|"
    r"[MG]B|batch|classes|models?|runs?)|[.,]\d)"
)
_UNIT_OPT = rf"(?:\s+(?:\w+\s+){{0,2}}?(?:{_UNIT_WORD}|samples|examples|scans|exams|studies))?"
_SPLIT_PATTERNS = [
    # training set of 500 images / test: 200 / validation (n = 100)
    re.compile(
        rf"\b{_PART}(?:\s+(?:set|split|subset|cohort|partition|data(?:set)?|group))?\s*"
        rf"(?:\(\s*n\s*=\s*|\(\s*|[:=]\s*|\s+(?:of|has|had|with|contains?|contained|includes?|included|comprises?|"
        rf"comprised|consists? of|consisted of|including|comprising|is|are)\s+|\s+|\s*\|\s*)(?P<num>{NUM}){_NOT_COUNT_AFTER}"
        rf"(?={_UNIT_OPT}\s*(?:[,;/)|.(]|$|and\b|\n|(?:images?|frames?|videos?|volumes?|patients?|"
        rf"cases?|subjects?|samples)\b))",
        re.I,
    ),
    # 700 images for training / 200 were used for testing
    re.compile(
        rf"(?P<num>{NUM}){_NOT_COUNT_AFTER}{_UNIT_OPT}\s+(?:(?:are|were|is|was)\s+)?(?:(?:used|kept|reserved|allocated|"
        rf"assigned|selected|set aside|held out)\s+)?(?:for|to|in|as)\s+(?:the\s+)?"
        rf"(?P<part>training|train|validation|val|testing|test)\b",
        re.I,
    ),
    # 800 training images / 200 test cases
    re.compile(
        rf"(?P<num>{NUM})\s+(?P<part>training|train|validation|val|testing|test)\s+"
        rf"(?:{_UNIT_WORD}|set|samples|examples|scans)\b",
        re.I,
    ),
    # "99 training, 5 validation cases", "3,500 training, 500 validation and 1,000 test images"
    re.compile(
        rf"(?P<num>{NUM})\s+(?P<part>training|train|validation|val|testing|test)(?=\s*(?:,|and\b|/|;))",
        re.I,
    ),
    # "55 patients form the training set and 20 the test set"
    re.compile(
        rf"(?P<num>{NUM}){_UNIT_OPT}\s+(?:form|forms|formed|make up|makes up|constitute|constitutes)\s+the\s+"
        rf"(?P<part>training|train|validation|val|testing|test)\b",
        re.I,
    ),
    re.compile(
        rf"(?:,|\band)\s+(?P<num>{NUM})\s+(?:\w+\s+)?the\s+(?P<part>training|train|validation|val|testing|test)\s+set\b",
        re.I,
    ),
]
_SLASHED_PARTS = re.compile(
    r"\b(train(?:ing)?|val(?:idation)?|test(?:ing)?)\s*/\s*(train(?:ing)?|val(?:idation)?|test(?:ing)?)"
    r"(?:\s*/\s*(train(?:ing)?|val(?:idation)?|test(?:ing)?))?",
    re.I,
)
_SLASHED_NUMS = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)(?:\s*/\s*(?P<c>\d{1,3}(?:,\d{3})+|"
    r"\d+))?"
    r"(?![\d%]|\s*%|/)"
)
_LISTED = re.compile(
    rf"(?P<a>{NUM}){_UNIT_OPT}\s*,\s*(?P<b>{NUM}){_UNIT_OPT}\s*,?\s*and\s+(?P<c>{NUM}){_UNIT_OPT}\s+"
    r"(?:\w+\s+){0,3}?(?:for|in|as)\s+(?:the\s+)?(?P<p1>training|train|validation|testing|test),\s*"
    r"(?P<p2>training|train|validation|testing|test),?\s*and\s+(?P<p3>training|train|validation|testing|test)",
    re.I,
)


def _part_key(word: str) -> str:
    word = word.lower()
    if word.startswith("train"):
        return "train"
    if word.startswith("val"):
        return "val"
    return "test"


def split_parts(text: str) -> dict[str, int]:
    """The train/val/test counts one passage states, first mention of each part."""
    parts: dict[str, int] = {}
    if not text:
        return parts

    def put(name: str, raw: str) -> None:
        number = parse_number(raw)
        if number is not None and number > 0 and name not in parts:
            parts[name] = number

    for match in _LISTED.finditer(text):
        for num, part in (("a", "p1"), ("b", "p2"), ("c", "p3")):
            put(_part_key(match.group(part)), match.group(num))
    for words in _SLASHED_PARTS.finditer(text):
        window = text[max(0, words.start() - 60) : words.end() + 60]
        nums = _SLASHED_NUMS.search(window)
        if nums and not re.search(r"%", window[nums.end() : nums.end() + 2]):
            names = [w for w in words.groups() if w]
            values = [v for v in (nums.group("a"), nums.group("b"), nums.group("c")) if v]
            if len(names) == len(values):
                for name, value in zip(names, values):
                    put(_part_key(name), value)
    for pattern in _SPLIT_PATTERNS:
        for match in pattern.finditer(text):
            put(_part_key(match.group("part")), match.group("num"))
    return parts


_PART_CELL = re.compile(r"^\s*(train(?:ing)?|val(?:idation)?|test(?:ing)?)(?:\s+(?:set|split))?\s*$", re.I)


def split_table(rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """Train/val/test counts from a table with one row per part ("| train | 412 | 2,104 |").

    With several count columns, the header picks the sample unit (images before videos before patients),
    as for the total size.
    """
    parts: dict[str, int] = {}
    if len(rows) < 3:
        return parts
    header = [c.strip() for c in rows[0]]
    columns = [i for i, cell in enumerate(header) if _unit(re.sub(r"[^A-Za-z-]", "", cell))]
    if columns:
        column = min(columns, key=lambda i: _UNIT_RANK[_unit(re.sub(r"[^A-Za-z-]", "", header[i])) or "patients"])
    else:
        column = None
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        if not cells or not _PART_CELL.match(cells[0]):
            continue
        values = [cells[column]] if column is not None and column < len(cells) else cells[1:]
        for cell in values:
            number = parse_number(cell)
            if number:
                parts.setdefault(_part_key(_PART_CELL.match(cells[0]).group(1)), number)
                break
    return parts


def format_split(parts: dict[str, int]) -> str | None:
    ordered = [f"{name} {parts[name]}" for name in ("train", "val", "test") if name in parts]
    return " / ".join(ordered) or None


def split_sizes(text: str) -> str | None:
    """Canonical ``"train N / val N / test N"`` (the parts stated, in that order), or None."""
    return format_split(split_parts(text))


# -- acquisition years -----------------------------------------------------------------------

_YEAR = r"(?:19[89]\d|20[0-3]\d)"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?|\d{{1,2}}[/.]"
    rf"(?:\d{{1,2}}[/.])?)?"
    rf"(?P<Y>{_YEAR})(?:[-/.]\d{{1,2}}(?![\d]))?(?:[-/.]\d{{1,2}}(?![\d]))?"
)
_RANGE = re.compile(
    rf"(?<![\d/.-]){_DATE.replace('(?P<Y>', '(?P<y1>')}\s*(?:-|–|—|to|and|until|till|through|thru)\s*"
    rf"{_DATE.replace('(?P<Y>', '(?P<y2>')}(?![\d])",
    re.I,
)
_MONTH_RANGE = re.compile(rf"\b{_MONTH}\s*(?:-|–|to|and|until|through)\s*{_MONTH}\s+(?P<y>{_YEAR})\b", re.I)
_SINGLE = re.compile(rf"(?<![\d/.-]){_DATE}(?![\d])", re.I)
_ACQ_VERB = re.compile(
    r"\b(?:acquir\w*|collect\w*|record(?:ed|ing)|obtain\w*|scann\w*|gather\w*|enrol\w*|recruit\w*|examin\w*|"
    r"captur\w*|imaged|performed|underw\w*|retrospective\w*|prospective\w*|admitted|visited|treated|took place|"
    r"acquisition|screened|included|measured|sampled|taken)\b",
    re.I,
)
_PUB_CUE = re.compile(
    r"\b(?:publish\w*|publication|copyright|released?|accepted|submitted|preprint|proceedings|journal|updated?|"
    r"licen[cs]\w*|cit(?:e|ed|ation)|arxiv|conference|challenge|workshop|version|news|founded|established)\b|©",
    re.I,
)
_DATA_NOUN = re.compile(
    r"\b(?:images?|videos?|clips|scans?|volumes?|patients?|subjects?|participants?|women|cases|hospitals?|"
    r"cent(?:er|re)s?|"
    r"examinations?|exams?|recordings?|frames|data(?:set)?)\b",
    re.I,
)


def _near(text: str, start: int, end: int, pattern: re.Pattern[str], span: int = 90) -> bool:
    return bool(pattern.search(text[max(0, start - span) : end + span]))


# A year that is one item of a comma/semicolon list or a parenthesis in a sentence describing the data
# ("620 clips from 192 patients, Seoul (South Korea), 2022."): READMEs and cards list the acquisition
# period that way. Citations and venues are what else lists years, so their cues veto it.
_LIST_BEFORE = re.compile(r"(?:^|[,;(|]|\bin|\bduring)\s*$", re.I)
_LIST_AFTER = re.compile(r"^\s*(?:[.,;)|]|$)")
_YEAR_LABEL = re.compile(r"\b(?:years?|period|dates?|collection|acquisition|acquired|recorded|collected)\s*[:|]\s*$", re.I)
_CITED = re.compile(
    r"\(\s*[A-Z][\w'-]+(?: et al\.?| (?:and|&) [A-Z][\w'-]+)?,?\s*$|\bet al\b|\bpaper\b|\barticle\b|\bdoi\b|\barxiv\b|\bin press\b|\b[A-Z]{3,}\s*$|"
    r"\b(?:Nature|Science|Lancet|Radiology|Ultrasonics|IEEE|MICCAI|ISBI|CVPR|ICCV|ECCV|NeurIPS|TMI|MedIA)\b"
)
_DATA_COUNT = re.compile(
    r"\d[\d,.]*\s+(?:\w+[- ]){0,4}?(?:images?|videos?|clips|scans?|volumes?|patients|subjects|participants|women|"
    r"infants|children|cases|frames|recordings|sequences|examinations|exams|nodules|lesions)\b",
    re.I,
)


def _listed_year(text: str, start: int, end: int) -> bool:
    """A year written as a list item of a sentence that describes the data, with no citation around it."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 3]
    if _YEAR_LABEL.search(text[max(0, start - 30) : start]):
        return not _PUB_CUE.search(text)
    if not (_LIST_BEFORE.search(before) and _LIST_AFTER.match(after)):
        return False
    if _PUB_CUE.search(text) or _CITED.search(text[: start]) or _CITED.search(text[max(0, start - 20) : start]):
        return False
    return bool(_DATA_COUNT.search(text) or _DATA_NOUN.search(text) or countries(text))


def years(text: str) -> str | None:
    """"YYYY" or "YYYY-YYYY" when the text says when the data was acquired; never a publication year.

    The acquisition period is read from a sentence that acquires data ("collected ... between 2016 and
    2021", however far the verb is from the dates) or lists it beside the data ("803 infants, single
    centre (Sapporo, Japan), 2021-2024"); a year after a publication cue (published, released, ©,
    version, a venue) never counts.
    """
    if not text:
        return None
    acquisition = bool(_ACQ_VERB.search(text))
    for match in _RANGE.finditer(text):
        y1, y2 = int(match.group("y1")), int(match.group("y2"))
        if y2 < y1 or y2 - y1 > 40:
            continue
        before = text[max(0, match.start() - 25) : match.start()]
        if _PUB_CUE.search(before) or _CITED.search(text[max(0, match.start() - 20) : match.start()]):
            continue
        parenthetical = text[max(0, match.start() - 1) : match.start()] == "(" and _DATA_NOUN.search(text)
        governed = acquisition and not _PUB_CUE.search(text[max(0, match.start() - 60) : match.start()])
        if (
            _near(text, match.start(), match.end(), _ACQ_VERB)
            or governed
            or (parenthetical and not _PUB_CUE.search(text[max(0, match.start() - 40) : match.start()]))
            or _listed_year(text, match.start(), match.end())
        ):
            return f"{y1}" if y1 == y2 else f"{y1}-{y2}"
    for match in _MONTH_RANGE.finditer(text):
        published = _PUB_CUE.search(text[max(0, match.start() - 25) : match.start()])
        if (acquisition or _near(text, match.start(), match.end(), _ACQ_VERB)) and not published:
            return match.group("y")
    for match in _SINGLE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if _PUB_CUE.search(before):
            continue
        if _listed_year(text, match.start(), match.end()) or (
            acquisition and re.search(r"\(\s*$", before) and re.match(r"\s*\)", text[match.end() :])
            and not _PUB_CUE.search(text) and not _CITED.search(text[: match.start()])
        ):
            return match.group("Y")
        if re.search(r"(?:since|until|before|after|by|\(|,)\s*$", before):
            continue
        # the acquisition verb must govern this year: "collected in 2019", "in 2019, we recorded"
        window_before = re.split(r"[.;]\s", text[max(0, match.start() - 120) : match.start()])[-1]
        window_after = text[match.end() : match.end() + 60]
        if re.search(r"\b(?:in|during|throughout|over)\s+(?:the\s+(?:year|course of)\s+)?(?:\w+\s+)?$", before) and (
            _ACQ_VERB.search(window_before) or re.match(r"\W*(?:\w+\W+){0,4}?" + _ACQ_VERB.pattern, window_after, re.I)
        ):
            if not _PUB_CUE.search(window_before[-40:]):
                return match.group("Y")
    return None


# -- geography -------------------------------------------------------------------------------

# English short name -> other spellings. Ambiguous names (Georgia, Jordan, Chad, Niger, Guinea)
# are left out: a US state, a first name and a verb are more common in READMEs than the countries.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("United States of America", "United States", "USA", "U.S.A."),
    "United Kingdom": (
        "United Kingdom", "UK", "U.K.", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
    ),
    "China": ("China", "P.R. China", "PR China", "People's Republic of China", "Mainland China"),
    "Hong Kong": ("Hong Kong",),
    "Taiwan": ("Taiwan",),
    "South Korea": ("South Korea", "Republic of Korea", "Korea"),
    "Japan": ("Japan",), "India": ("India",), "Pakistan": ("Pakistan",), "Bangladesh": ("Bangladesh",),
    "Nepal": ("Nepal",), "Sri Lanka": ("Sri Lanka",), "Vietnam": ("Vietnam", "Viet Nam"), "Thailand": ("Thailand",),
    "Malaysia": ("Malaysia",), "Singapore": ("Singapore",), "Indonesia": ("Indonesia",),
    "Philippines": ("Philippines",),
    "Iran": ("Iran", "Islamic Republic of Iran"), "Iraq": ("Iraq",), "Saudi Arabia": ("Saudi Arabia",),
    "United Arab Emirates": ("United Arab Emirates", "UAE"), "Qatar": ("Qatar",), "Kuwait": ("Kuwait",),
    "Oman": ("Oman",),
    "Israel": ("Israel",), "Lebanon": ("Lebanon",), "Syria": ("Syria",), "Turkey": ("Turkey", "Türkiye", "Turkiye"),
    "Egypt": ("Egypt",), "Morocco": ("Morocco",), "Algeria": ("Algeria",), "Tunisia": ("Tunisia",), "Libya": ("Libya",),
    "Nigeria": ("Nigeria",), "Ghana": ("Ghana",), "Kenya": ("Kenya",), "Uganda": ("Uganda",), "Tanzania": ("Tanzania",),
    "Ethiopia": ("Ethiopia",), "Rwanda": ("Rwanda",), "Malawi": ("Malawi",), "Zambia": ("Zambia",),
    "Zimbabwe": ("Zimbabwe",), "Mozambique": ("Mozambique",), "South Africa": ("South Africa",),
    "Cameroon": ("Cameroon",),
    "Senegal": ("Senegal",), "Sudan": ("Sudan",),
    "Canada": ("Canada",), "Mexico": ("Mexico",), "Brazil": ("Brazil",), "Argentina": ("Argentina",),
    "Chile": ("Chile",),
    "Colombia": ("Colombia",), "Peru": ("Peru",), "Ecuador": ("Ecuador",), "Venezuela": ("Venezuela",),
    "Uruguay": ("Uruguay",),
    "Cuba": ("Cuba",),
    "Spain": ("Spain",), "Portugal": ("Portugal",), "France": ("France",), "Germany": ("Germany",), "Italy": ("Italy",),
    "Netherlands": ("Netherlands", "Holland"), "Belgium": ("Belgium",), "Switzerland": ("Switzerland",),
    "Austria": ("Austria",), "Ireland": ("Republic of Ireland", "Ireland"), "Denmark": ("Denmark",),
    "Norway": ("Norway",),
    "Sweden": ("Sweden",), "Finland": ("Finland",), "Iceland": ("Iceland",), "Poland": ("Poland",),
    "Czech Republic": ("Czech Republic", "Czechia"), "Slovakia": ("Slovakia",), "Hungary": ("Hungary",),
    "Romania": ("Romania",), "Bulgaria": ("Bulgaria",), "Greece": ("Greece",), "Croatia": ("Croatia",),
    "Serbia": ("Serbia",), "Slovenia": ("Slovenia",), "Ukraine": ("Ukraine",),
    "Russia": ("Russia", "Russian Federation"),
    "Belarus": ("Belarus",), "Lithuania": ("Lithuania",), "Latvia": ("Latvia",), "Estonia": ("Estonia",),
    "Luxembourg": ("Luxembourg",), "Cyprus": ("Cyprus",), "Malta": ("Malta",), "Kazakhstan": ("Kazakhstan",),
    "Australia": ("Australia",), "New Zealand": ("New Zealand",),
    "Sierra Leone": ("Sierra Leone",), "Liberia": ("Liberia",), "Côte d'Ivoire": ("Côte d'Ivoire", "Ivory Coast"),
    "Burkina Faso": ("Burkina Faso",), "Mali": ("Mali",), "Benin": ("Benin",), "Togo": ("Togo",),
    "Botswana": ("Botswana",), "Namibia": ("Namibia",), "Madagascar": ("Madagascar",), "Somalia": ("Somalia",),
    "Eritrea": ("Eritrea",), "Burundi": ("Burundi",), "Angola": ("Angola",), "Gabon": ("Gabon",),
    "Democratic Republic of the Congo": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "Mongolia": ("Mongolia",), "Afghanistan": ("Afghanistan",), "Myanmar": ("Myanmar",), "Cambodia": ("Cambodia",),
    "Laos": ("Laos",), "Bhutan": ("Bhutan",), "Brunei": ("Brunei",), "Bahrain": ("Bahrain",), "Yemen": ("Yemen",),
    "Palestine": ("Palestine",), "Armenia": ("Armenia",), "Azerbaijan": ("Azerbaijan",), "Uzbekistan": ("Uzbekistan",),
    "Kyrgyzstan": ("Kyrgyzstan",), "Tajikistan": ("Tajikistan",), "Moldova": ("Moldova",),
    "Bosnia and Herzegovina": ("Bosnia and Herzegovina",), "North Macedonia": ("North Macedonia",),
    "Albania": ("Albania",), "Montenegro": ("Montenegro",), "Kosovo": ("Kosovo",), "Bolivia": ("Bolivia",),
    "Paraguay": ("Paraguay",), "Costa Rica": ("Costa Rica",), "Panama": ("Panama",), "Guatemala": ("Guatemala",),
    "Honduras": ("Honduras",), "El Salvador": ("El Salvador",), "Nicaragua": ("Nicaragua",),
    "Dominican Republic": ("Dominican Republic",), "Jamaica": ("Jamaica",), "Haiti": ("Haiti",),
    "Trinidad and Tobago": ("Trinidad and Tobago",), "Fiji": ("Fiji",), "Papua New Guinea": ("Papua New Guinea",),
}
# Demonyms count only before a noun that places data: "Chinese hospitals", "Spanish women".
DEMONYMS = {
    "American": "United States", "British": "United Kingdom", "Chinese": "China", "Japanese": "Japan",
    "Korean": "South Korea", "Indian": "India", "Vietnamese": "Vietnam", "Iranian": "Iran", "Egyptian": "Egypt",
    "Spanish": "Spain", "French": "France", "German": "Germany", "Italian": "Italy", "Dutch": "Netherlands",
    "Belgian": "Belgium", "Swiss": "Switzerland", "Danish": "Denmark", "Norwegian": "Norway", "Swedish": "Sweden",
    "Finnish": "Finland", "Polish": "Poland", "Brazilian": "Brazil", "Mexican": "Mexico", "Canadian": "Canada",
    "Australian": "Australia", "Turkish": "Turkey", "Nigerian": "Nigeria", "Pakistani": "Pakistan",
    "Bangladeshi": "Bangladesh", "Saudi": "Saudi Arabia", "Portuguese": "Portugal", "Greek": "Greece",
    "Austrian": "Austria", "Taiwanese": "Taiwan", "Thai": "Thailand", "Malaysian": "Malaysia",
}
# One pass over the text for every spelling (longest first, so "Northern Ireland" is not also "Ireland").
_COUNTRY_OF = {alias: name for name, aliases in COUNTRIES.items() for alias in aliases}
_COUNTRY_RE = re.compile(
    r"(?<![\w.-])(?:" + "|".join(re.escape(a) for a in sorted(_COUNTRY_OF, key=len, reverse=True)) + r")(?![\w-])"
)
_COUNTRY_ORDER = {name: i for i, name in enumerate(COUNTRIES)}
_DEMONYM_RE = re.compile(
    r"\b(" + "|".join(DEMONYMS) + r")\s+(?:(?:\w+\s+){0,2})?(?:hospitals?|patients|population|cohorts?|women|men|"
    r"children|infants|cent(?:er|re)s|medical cent(?:er|re)s?|institutions?|subjects|participants|"
    r"volunteers|clinics?)\b"
)
# Sentences in which a country names a funder, a licence, a venue or an author's address, not the data.
_GEO_NOISE = re.compile(
    r"\b(?:fund\w*|grants?|foundation|sponsor\w*|supported by|licen[cs]\w*|copyright|journal|proceedings|conference|"
    r"et al\.?|affiliations?|e-?mail|contact|correspond\w*|univ\.? press|cite|citation|doi)\b|©",
    re.I,
)
_KOREA_NORTH = re.compile(r"North Korea|Democratic People's Republic of Korea")


_COMPANY = re.compile(
    r"\b(?:Inc|Ltd|GmbH|AG|Co|Corp|Corporation|LLC|S\.?A|B\.?V|Healthcare|Healthineers|Medical Systems|Electric|"
    r"Medison|Mindray|Esaote|Toshiba|Canon|Hitachi|Philips|Siemens|Samsung|SonoSite|Verasonics|Clarius|Telemed|"
    r"Butterfly|Fujifilm|manufactur\w*|Voluson|Logiq|Vivid|Acuson|Aplio)\b|\bGE\b",
)


def _in_company_address(text: str, start: int, end: int) -> bool:
    """"(General Electric, Austria)", "(Philips Healthcare, Best, the Netherlands)": where a scanner was made."""
    open_at = text.rfind("(", max(0, start - 80), start)
    close_at = text.find(")", end, end + 40)
    if open_at < 0 or close_at < 0 or ")" in text[open_at:start]:
        return False
    return bool(_COMPANY.search(text[open_at:close_at]))


def _inside_proper_name(text: str, start: int, end: int) -> bool:
    """"Beth Israel Deaconess", "National Taiwan University", "China Medical University": a name, not a place."""
    after = text[end : end + 30]
    return bool(re.match(r" (?!and\b|or\b)[A-Z][a-z]", after)) and not re.match(r" Biobank\b", after)


def countries(text: str) -> list[str]:
    """English short names of the countries the text names as where data came from ([] if none)."""
    if not text or _GEO_NOISE.search(text):
        return []
    found: list[str] = []
    for match in _COUNTRY_RE.finditer(text):
        name = _COUNTRY_OF[match.group(0)]
        start, end = match.start(), match.end()
        if name in found or _in_company_address(text, start, end) or _inside_proper_name(text, start, end):
            continue
        before = text[max(0, start - 4) : start]
        if name == "South Korea" and _KOREA_NORTH.search(text):
            continue
        if name in {"Mexico", "United Kingdom"} and re.search(r"New\s$", before):
            continue
        found.append(name)
    for match in _DEMONYM_RE.finditer(text):
        name = DEMONYMS[match.group(1)]
        if name not in found:
            found.append(name)
    return sorted(found, key=lambda n: _COUNTRY_ORDER.get(n, len(_COUNTRY_ORDER)))


# -- tasks -----------------------------------------------------------------------------------

DATASET_TASKS = (
    "Classification", "Segmentation", "Detection", "Estimation", "Registration", "Reconstruction", "Generation",
    "Image Enhancement", "Report Generation", "Localization", "Tracking",
)
MODEL_TASKS = DATASET_TASKS[:-1] + (
    "Pre-training / Foundation Model", "Post-processing", "Scanning-Guide", "Explainability",
)
_TASK_CUES: dict[str, re.Pattern[str]] = {
    "Report Generation": _any(
        [r"\breport generation\b", r"\bgenerat\w* (?:\w+ )?reports?\b", r"\b(?:image )?captioning\b"]
    ),
    "Classification": _any(
        [
            r"\bclassif\w*", r"\bcategori[sz]\w*", r"\b(?:plane|view|disease|lesion|pattern|gesture) recognition\b",
            r"\bbenign (?:vs\.?|versus|or|and|/) malignant\b", r"\bgrading\b", r"\bgraded\b",
            r"\b(?:BI-?RADS|TI-?RADS|O-?RADS|LI-?RADS|class|diagnostic|severity|disease|plane|view) (?:categor(?:y|"
            r"ies)|labels?|classes)\b",
            r"\bclass labels?\b", r"\blabell?ed as (?:benign|malignant|normal|abnormal|positive|negative)\b",
            r"\bstag(?:ing|es)\b(?! (?:of (?:the )?(?:pipeline|training|project)|one|two|1|2))",
            r"\b(?:severity|risk|quality|lung ultrasound) (?:scor(?:e|es|ing)|grad(?:e|es|ing))\b",
            # the labels name alternatives: "labelled healthy or PCOS", "labelled normal, borderline or definite RHD"
            r"\b(?:labell?ed|classified|categori[sz]ed|annotated)\s+(?:as\s+|into\s+)?(?:[\w-]+\s+){0,2}?[\w-]+"
            r"(?:,\s*(?:[\w-]+\s+){0,2}?[\w-]+)*,?\s+(?:or|vs\.?|versus)\s+[\w-]+",
            r"\blabell?ed for (?:the )?(?:presence of |absence of )?[\w-]+",
            # a class per image: "echogenicity class", "Gray-Weale class 1-4", "tear class + bounding box",
            # "Classes: normal (1,200), cyst (640)", "X/Y frame labels", "fracture labels"
            r"\bclass(?:es)?\s*(?:\d|[:(+&])",
            r"(?:\bwith|\band|\bplus|\+|,)\s+(?:an?\s+|the\s+|per-[\w]+\s+)?(?:[\w–-]+\s+){0,2}class(?:es)?\b",
            r"\b[\w-]+/[\w-]+ (?:[\w-]+ )?labels?\b",
            r"\b(?:fracture|lesion|disease|diagnos\w*|patholog\w*|histolog\w*|window|view|plane|severity|finding)"
            r" labels?\b",
            # a named grading scheme: "Graf type", "Bethesda category", "TI-RADS score", "METAVIR stage"
            r"(?-i:\b[A-Z][\w-]+)\s+(?:categor(?:y|ies)|types?|grades?|stages?)\b",
            r"\b(?:BI|TI|O|LI)-?RADS (?:scores?|grades?)\b",
        ]
    ),
    "Segmentation": _any(
        [
            r"\bsegment(?:ation|ations|ing|ed|s)?\b(?! of (?:the )?(?:video|time|population|market))",
            r"\b(?:lesion|pixel(?:-level|-wise)?|binary|segmentation|ground[- ]truth|manual|organ|"
            r"nodule|tumou?r) masks?\b",
            r"\bdelineat\w+", r"\bcontour(?:s|ing|ed)\b", r"\bpixel-(?:level|wise) (?:labels?|annotations?)\b",
        ]
    ),
    # "early detection of cancer" is clinical prose, not a detection task: the object detected must be named
    "Detection": _any(
        [
            r"\b(?:object|lesion|nodule|tumou?r|mass|polyp|needle|B-line|cyst|plane|structure|anomaly|"
            r"abnormality|fracture|stone|calculi|follicle|vessel|artifact|shadow|line|pleural|organ|"
            r"instance|defect)s? detection\b",
            r"\bdetection (?:task|benchmark|challenge|dataset|model|network|head|framework|and (?:classification|"
            r"segmentation))\b",
            r"\b(?:classification|segmentation),? and detection\b",
            r"\bdetectors?\b",
            r"\bbounding[- ]box(?:es)?\b",
            r"\bYOLO\w*",
            r"\bdetect(?:s|ing)? (?:\w+ ){0,2}(?:lesions?|nodules?|"
            r"tumou?rs?|masses|B-lines?|needles?|landmarks?|structures?|objects?|abnormalit\w+|fractures?|"
            r"stones?|follicles?)\b",
        ]
    ),
    "Estimation": _any(
        [
            r"\bestimat(?:ion|ions|es|ing|or)\b", r"\bregress(?:ion|es|ing)?\b",
            r"\bestimate (?:the )?(?:\w+[- ]){0,3}(?:fraction|age|weight|thickness|volume|circumference|length|size|"
            r"pressure|score|diameter|depth|area|strain)",
            r"\b(?:biometr\w+|automatic|automated) measurements?\b",
            r"\b(?:head|abdominal) circumference measurement\b",
            r"\bejection fraction\b", r"\bmeasur(?:es|ing) (?:the )?[A-Z]{2,5}\b",
            r"\b(?:thickness|length|diameter|circumference|volume|angle|distance|area|index) measurements?\b",
            r"\bcount(?:s|ing) (?:the )?(?:number of )?(?:[\w-]+ ){0,2}?[\w-]+s\b",
        ]
    ),
    "Registration": _any(
        [
            r"\b(?:image|rigid|deformable|non-?rigid|affine|multi-?modal|intra-?operative|mri?[- ]?(?:to[- ])?(?:us|"
            r"ultrasound)|"
            r"(?:us|ultrasound)[- ](?:to[- ])?(?:mri?|ct)|slice[- ]to[- ]volume|2D[- ](?:to[- ])?3D|"
            r"3D[- ](?:to[- ])?3D|volume) registration\b",
            r"\bregistration (?:task|challenge|benchmark|accuracy|error|methods?|algorithms?)\b",
            r"\b(?:for|evaluat\w+) (?:image )?registration\b",
        ]
    ),
    "Reconstruction": _any(
        [
            r"\b(?:image|3D|volume|volumetric|tomographic|freehand|sensorless) reconstruction\b",
            r"\breconstruction (?:task|benchmark|challenge)\b", r"\bbeamform\w*",
        ]
    ),
    "Generation": _any(
        [
            r"\b(?:image|data|video|ultrasound) (?:generation|synthesis)\b",
            r"\bgenerative (?:model\w*|task|adversarial)\b",
            r"\bsynthes[iz]\w* (?:of )?(?:realistic )?(?:ultrasound |US |B-mode )?(?:images|videos|frames)\b",
            r"\bdiffusion models?\b", r"\bGANs?\b",
            r"\b(?:latent|denoising|conditional|mask-conditioned|text-conditioned) diffusion\b",
        ]
    ),
    "Image Enhancement": _any(
        [
            r"\bdenois\w*",
            r"\bdespeckl\w*",
            r"\bspeckle (?:reduction|suppression|removal)\b",
            r"\bsuper-?resolution\b",
            r"\b(?:image|quality) enhancement\b",
            r"\benhanc\w+ (?:the )?(?:image )?quality\b",
            r"\bartifact (?:removal|reduction)\b",
            r"\b(?:image )?restoration\b",
        ]
    ),
    "Localization": _any([r"\blocali[sz]ation\b", r"\blocali[sz]e[sd]?\b"]),
    "Tracking": _any(
        [
            r"\b(?:motion|speckle|needle|object|landmark|point|tissue|lesion|feature|tool|instrument|junction|muscle|"
            r"tendon) tracking\b",
            r"\btracking (?:task|benchmark|challenge)\b",
        ]
    ),
    "Pre-training / Foundation Model": _any(
        [
            r"\bfoundation models?\b", r"\bself-supervised (?:pre-?training|representation learning|learning)\b",
            r"\bcontrastive (?:pre-?training|learning)\b", r"\bpre-?training (?:framework|method|strategy|approach)\b",
            r"\bmasked (?:image modell?ing|autoencoders?)\b",
        ]
    ),
    "Post-processing": _any([r"\bpost-?processing\b"]),
    "Scanning-Guide": _any(
        [
            r"\bscan(?:ning)? guid(?:ance|e)\b",
            r"\bprobe (?:guidance|navigation|positioning)\b",
            r"\bnavigat\w+ the probe\b",
            r"\brobotic (?:ultrasound )?(?:scanning|acquisition)\b", r"\bautonomous (?:ultrasound )?scanning\b",
        ]
    ),
    "Explainability": _any([r"\bexplainab\w+", r"\binterpretab\w+", r"\bXAI\b"]),
}
# What a dataset's annotations are says what it is annotated for; in a model's text a mask is often an input.
_DATASET_TASK_CUES: dict[str, re.Pattern[str]] = {
    "Segmentation": _any(
        [
            r"(?<!face )\bmasks?\b(?![- ]?(?:R-?CNN|ed\b))", r"\btracings?\b", r"\b(?:outlines?|polygons?)\b",
            r"\b(?:regions?|structures?) (?:annotations?|labels?)\b",
            r"\bannotations? of (?:the )?(?:[\w-]+ ){0,4}(?:regions?|structures?|boundar\w+)\b",
        ]
    ),
    "Estimation": _any(
        [
            # a quantity per image or video: "velocity labels", "thickness was measured"
            r"\b(?:velocit\w+|thickness|diameter|volume|angle|length|age|weight|area)\s+(?:labels?|values?|measurements?)\b",
            r"\b(?:thickness|diameter|volume|angle|length|area|velocit\w+|ratio)\b[^.;]{0,40}\b(?:were|was|are|is) "
            r"(?:measured|computed|calculated)\b",
            r"\b(?:angles?|thickness|diameters?|lengths?|velocit\w+)\s+(?:measured|computed|calculated)\b",
        ]
    ),
}
_TASK_NOISE = re.compile(r"\bit is estimated\b|\bestimated (?:that|to be)\b|\bearly detection of\b", re.I)


def task(text: str, kind: str = "dataset") -> list[str]:
    """Canonical task names the text names, in canonical order (dataset or model vocabulary)."""
    if not text:
        return []
    names = MODEL_TASKS if kind == "model" else DATASET_TASKS
    text = _TASK_NOISE.sub(" ", text)
    # "(Four-chamber Ultrasound Image Dataset for Fetal Cardiac Biometric Measurement)" is a name, not a task
    text = re.sub(r"\([^()]*\b(?:Dataset|Database|Data Set|Challenge|Benchmark)\b[^()]*\)", " ", text)
    found: set[str] = set()
    report = _TASK_CUES["Report Generation"].search(text)
    for name in names:
        cue = _TASK_CUES[name]
        if name == "Generation" and report:
            rest = _TASK_CUES["Report Generation"].sub(" ", text)
            if cue.search(rest):
                found.add(name)
            continue
        if cue.search(text):
            found.add(name)
    if kind != "model":
        found.update(name for name, cue in _DATASET_TASK_CUES.items() if cue.search(text))
    order = DATASET_TASKS + MODEL_TASKS[len(DATASET_TASKS) - 1 :]
    return [name for name in order if name in found and name in names]


# Topic tags name a task with a bare noun ("registration", "object-detection", "image_segmentation").
_TAG_TASKS = {
    "classification": "Classification", "segmentation": "Segmentation", "detection": "Detection",
    "registration": "Registration", "reconstruction": "Reconstruction", "estimation": "Estimation",
    "regression": "Estimation", "localization": "Localization", "localisation": "Localization",
    "tracking": "Tracking", "denoising": "Image Enhancement", "super-resolution": "Image Enhancement",
    "generation": "Generation", "captioning": "Report Generation", "report-generation": "Report Generation",
}


def task_from_tags(tags: Iterable[str], kind: str = "dataset") -> list[str]:
    """Canonical tasks named by topic tags (HF ``task_categories:*``, Zenodo/Kaggle keywords)."""
    found: set[str] = set()
    for tag in tags:
        value = tag.rpartition(":")[2].lower().replace("_", "-")
        if re.fullmatch(r"(?:landmark|keypoint|key-point)s?-(?:detection|localization|localisation)", value):
            continue  # landmarks are found to measure something; the tag names the technique, not the task
        words = [w for w in re.split(r"[\s-]+", value) if w]
        for word in words + [value]:
            if word in _TAG_TASKS:
                found.add(_TAG_TASKS[word])
        found.update(task(value.replace("-", " "), kind))
    names = MODEL_TASKS if kind == "model" else DATASET_TASKS
    order = DATASET_TASKS + MODEL_TASKS[len(DATASET_TASKS) - 1 :]
    return [name for name in order if name in found and name in names]


HF_PIPELINE_TASKS = {
    "image-classification": "Classification", "video-classification": "Classification",
    "zero-shot-image-classification": "Classification", "image-segmentation": "Segmentation",
    "mask-generation": "Segmentation", "object-detection": "Detection", "zero-shot-object-detection": "Detection",
    "text-to-image": "Generation", "unconditional-image-generation": "Generation", "image-to-video": "Generation",
    "depth-estimation": "Estimation",
}


# -- framework -------------------------------------------------------------------------------

FRAMEWORKS = ("PyTorch", "TensorFlow", "Keras", "JAX", "MONAI", "PaddlePaddle", "MXNet", "scikit-learn")
def _stated(imports: str, package: str, name: str, extra: str = "") -> re.Pattern[str]:
    """A framework stated, not merely mentioned: imported, required, installed, "implemented in X", "(X)", a badge."""
    return re.compile(
        rf"\b(?:import|from) (?:{imports})\b"
        rf"|^[ \t]*(?:{package})[ \t]*(?:[=<>~!]=|>|<|$)"
        rf"|pip install [^\n]*\b(?:{package})\b"
        rf"|\b(?:implemented|written|built|developed|based) (?:in|with|on|using) {name}\b"
        rf"|\b{name} (?:implementation|version|code)\b|\({name}\)|img\.shields\.io/badge/[^)\s]*{name}"
        rf"|\b(?:exported|converted|trained) (?:from|in|with) {name}\b|\ba {name} \d\b"
        + (f"|{extra}" if extra else ""),
        re.I | re.M,
    )


# name -> (stated, mentioned in passing)
_FRAMEWORK_CUES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "PyTorch": (
        # libraries that exist only on PyTorch state it when imported or installed
        _stated(
            "torch|timm|ultralytics|lightning|pytorch_lightning|nnunetv2|segmentation_models_pytorch|detectron2|mmseg|mmdet",
            "torch|torchvision|timm|ultralytics|lightning|pytorch-lightning|nnunetv2|segmentation-models-pytorch|detectron2",
            "PyTorch",
            r"\bpytorch[- ]lightning\b",
        ),
        re.compile(r"\bPyTorch\b", re.I),
    ),
    "TensorFlow": (
        _stated("tensorflow", "tensorflow|tensorflow-gpu", "TensorFlow"),
        re.compile(r"\bTensorFlow\b|\btf\.keras\b", re.I),
    ),
    "Keras": (_stated("keras", "keras", "Keras"), re.compile(r"\bKeras\b", re.I)),
    "JAX": (_stated("jax|flax", "jax|jaxlib|flax", "JAX"), re.compile(r"\bJAX\b|\bFlax\b")),
    "MONAI": (_stated("monai", "monai", "MONAI", r"\bMONAI (?:bundle|framework)\b"), re.compile(r"\bMONAI\b")),
    "PaddlePaddle": (
        _stated("paddle", "paddlepaddle|paddlepaddle-gpu", "PaddlePaddle", r"PaddleSeg|PaddleDetection|PaddleClas"),
        re.compile(r"\bPaddlePaddle\b|\bPaddle\b"),
    ),
    "MXNet": (_stated("mxnet", "mxnet", "MXNet", r"\bgluoncv\b"), re.compile(r"\bMXNet\b", re.I)),
    "scikit-learn": (
        _stated("sklearn", "scikit-learn", "scikit-learn"),
        re.compile(r"\bscikit-learn\b|\bsklearn\b", re.I),
    ),
}
_FRAMEWORK_LIBRARIES = {
    "pytorch": "PyTorch", "torch": "PyTorch", "timm": "PyTorch", "ultralytics": "PyTorch", "transformers": "PyTorch",
    "diffusers": "PyTorch", "pytorch-lightning": "PyTorch", "open_clip": "PyTorch", "nnunet": "PyTorch",
    "segmentation-models-pytorch": "PyTorch", "monai": "MONAI", "keras": "Keras", "tf-keras": "Keras",
    "tensorflow": "TensorFlow", "tensorflow2": "TensorFlow", "tflite": "TensorFlow", "tfjs": "TensorFlow",
    "jax": "JAX", "flax": "JAX", "paddlepaddle": "PaddlePaddle", "paddle": "PaddlePaddle", "paddlenlp": "PaddlePaddle",
    "mxnet": "MXNet", "gluon": "MXNet", "sklearn": "scikit-learn", "scikit-learn": "scikit-learn",
    "scikitlearn": "scikit-learn",
}
_FRAMEWORK_EXTENSIONS = [
    (re.compile(r"\.(?:pth|pt)(?:\.tar)?$|pytorch_model\.bin$", re.I), "PyTorch"),
    (re.compile(r"^tf_model\.h5$|\.pb$|\.tflite$|saved_model", re.I), "TensorFlow"),
    (re.compile(r"\.(?:h5|hdf5|keras)$", re.I), "Keras"),
    (re.compile(r"\.pdparams$|\.pdmodel$", re.I), "PaddlePaddle"),
    (re.compile(r"flax_model\.msgpack$", re.I), "JAX"),
    (re.compile(r"\.params$", re.I), "MXNet"),
    (re.compile(r"\.joblib$|\.pkl$", re.I), "scikit-learn"),
]


def framework_mention(name: str, text: str) -> re.Match[str] | None:
    """The first place the text states or mentions a framework (for evidence)."""
    strong, weak = _FRAMEWORK_CUES[name]
    return strong.search(text or "") or _VERSIONED[name].search(text or "") or weak.search(text or "")


def library_framework(name: str | None) -> str | None:
    """A framework from a host's library tag (HF ``library_name``, Kaggle instance framework)."""
    if not name:
        return None
    key = re.sub(r"[^a-z0-9_-]", "", name.lower())
    return _FRAMEWORK_LIBRARIES.get(key) or _FRAMEWORK_LIBRARIES.get(key.rstrip("0123456789"))


# "PyTorch 1.10" in a requirements list, "tensorflow>=2.4" in prose: a stated dependency.
_VERSIONED = {
    "PyTorch": re.compile(r"\b(?:PyTorch|torch)\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)", re.I),
    "TensorFlow": re.compile(
        r"\b(?:TensorFlow(?:-gpu)?|tf)\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)",
        re.I,
    ),
    "Keras": re.compile(r"\bKeras\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)", re.I),
    "MONAI": re.compile(r"\bMONAI\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)", re.I),
    "JAX": re.compile(r"\b(?:JAX|jaxlib|flax)\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)", re.I),
    "PaddlePaddle": re.compile(
        r"\bPaddlePaddle(?:-gpu)?\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)",
        re.I,
    ),
    "MXNet": re.compile(r"\bMXNet\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)", re.I),
    "scikit-learn": re.compile(
        r"\b(?:scikit-learn|sklearn)\s*(?:(?:[=<>~!]=|>|<)\s*|\s(?:v(?:ersion)?\s?)?)\d+\.(?:\d+|x)",
        re.I,
    ),
}


# A word every cue of the framework contains (imports, packages, names): its absence rules the framework out.
_FRAMEWORK_HINT = {
    "PyTorch": re.compile(r"torch|timm|ultralytics|lightning|nnunet|segmentation.models|detectron|mmseg|mmdet", re.I),
    "TensorFlow": re.compile(r"tensorflow|\btf\b", re.I),
    "Keras": re.compile(r"keras", re.I),
    "JAX": re.compile(r"jax|flax", re.I),
    "MONAI": re.compile(r"monai", re.I),
    "PaddlePaddle": re.compile(r"paddle", re.I),
    "MXNet": re.compile(r"mxnet|gluon", re.I),
    "scikit-learn": re.compile(r"scikit|sklearn", re.I),
}


def framework_votes(text: str, files: Iterable[str] = ()) -> dict[str, int]:
    """Weighted evidence per framework: stated/imported 3, mentioned 1, weight file extension 2."""
    votes: dict[str, int] = {}
    for name, (strong, weak) in _FRAMEWORK_CUES.items():
        if not _FRAMEWORK_HINT[name].search(text or ""):
            continue  # one cheap search rules most frameworks out
        strong_hits = len(strong.findall(text or "")) + len(_VERSIONED[name].findall(text or ""))
        score = 3 * strong_hits + max(0, len(weak.findall(text or "")) - strong_hits)
        if score:
            votes[name] = score
    for filename in files:
        for pattern, name in _FRAMEWORK_EXTENSIONS:
            if name not in votes:
                continue  # a file extension supports a framework the text names; alone it states nothing
            if pattern.search(filename.rsplit("/", 1)[-1]):
                classic_ml = re.search(r"sklearn|scikit|random.?forest|svm|xgboost", text or "", re.I)
                if name == "scikit-learn" and not classic_ml:
                    break  # a pickle is only a scikit-learn model when the text says so
                votes[name] = votes.get(name, 0) + 2
                break
    return votes


_FRAMEWORK_LINE = re.compile(r"^[ \t>*-]*(?:deep[- ]learning )?(?:framework|built with|implemented (?:in|with))\s*[:=]\s*(?P<rest>.+)$", re.I | re.M)


def framework(text: str, files: Iterable[str] = ()) -> str | None:
    """The main framework from requirements, imports, badges and prose (weight files only support it); None if unclear.

    A "Framework: X + Y" line names the main one first; otherwise two frameworks stated equally
    ("Keras/TensorFlow", "torch 2.1, monai 1.3") leave the main one unclear.
    """
    line = _FRAMEWORK_LINE.search(text or "")
    if line:
        named = [(m.start(), name) for name, (_, weak) in _FRAMEWORK_CUES.items() for m in [weak.search(line.group("rest"))] if m]
        if named:
            return min(named)[1]
    votes = framework_votes(text, files)
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    if ranked[0][1] < 2:
        return None  # a single passing mention ("unlike PyTorch ...") is not enough
    return ranked[0][0]


# -- machines, centres, operators ------------------------------------------------------------

_VENDOR_WORD = (
    r"(?:GE|Philips|Siemens|Samsung|Mindray|Esaote|Canon|Toshiba|Hitachi|Aloka|SonoSite|Sonosite|Butterfly|Clarius|"
    r"BK|Telemed|Alpinion|SonoScape|Chison|Wisonic|Konted|Terason|Verasonics)"
)
_COUNT_WORD = rf"(?:\d+|{_WORD_NUM}|several|multiple|various|different|many|numerous)"
_MACHINE_NOUN = (
    r"(?:ultrasound |US |imaging |scanning )?"
    r"(?:machines|scanners|devices|systems|units|platforms|vendors|manufacturers)"
)
_MULTI_MACHINE = _any(
    [
        rf"\b{_COUNT_WORD}\s+(?:different\s+|distinct\s+)?(?:\w+\s+){{0,2}}?{_MACHINE_NOUN}\b",
        r"\bmulti-?(?:vendor|device|machine|scanner|manufacturer)\b",
        r"\b(?:different|various|several|multiple) (?:ultrasound )?(?:vendors|manufacturers)\b",
        # "with Philips and GE machines": two vendors named for the scanners used
        rf"(?-i:\b{_VENDOR_WORD}\b(?:,\s*|\s+(?:and|or|&)\s+)(?:\w+\s+)?{_VENDOR_WORD}\b)[^.]{{0,30}}?"
        r"\b(?:machines|scanners|systems|devices|equipment)\b",
    ]
)
_SINGLE_MACHINE = _any(
    [
        r"\b(?:a|one) single (?:ultrasound |US )?(?:machine|scanner|device|system|unit)\b",
        r"\b(?:the )?same (?:ultrasound |US )?(?:machine|scanner|device|system|unit)\b",
        r"\bsingle[- ](?:vendor|device|machine|scanner)\b",
        r"\bone (?:ultrasound |US )?(?:machine|scanner|device|system)\b",
    ]
)
_CENTRE_NOUN = (
    r"(?:hospitals|cent(?:er|re)s|sites|institutions|clinics|medical cent(?:er|re)s|departments|institutes|"
    r"universities|health ?care (?:facilities|cent(?:er|re)s)|facilities|cohorts from \w+ countries|laborator(?:y|ies)|labs|"
    r"units|practices|EDs|ICUs|NICUs)"
)
# the singular: one place where data was collected
_SITE_NOUN = (
    r"(?:hospital|cent(?:er|re)|site|institution|clinic|laboratory|lab|unit|department|practice|ED|ICU|NICU|"
    r"facility|institute)"
)
_MULTI_CENTRE = _any(
    [
        rf"\b{_COUNT_WORD}\s+(?:different\s+|distinct\s+|independent\s+)?(?:\w+\s+){{0,3}}?{_CENTRE_NOUN}\b",
        r"\bmulti-?(?:cent(?:er|re|ric)|site|institution(?:al)?|hospital|national|center|centre)\b",
        r"\bmulticent(?:er|re|ric)\b",
        # "adds images from a second site": a second one implies the first
        rf"\b(?:a |the )?(?:second|third|another|additional) (?:\w+ )?{_SITE_NOUN}\b",
    ]
)
_SINGLE_CENTRE = _any(
    [
        rf"\bsingle[- ](?:[\w-]+ )?{_SITE_NOUN}\b",
        r"\bmonocent(?:er|re|ric)\b",
        rf"\b(?:a|one) single (?:[\w-]+ )?{_SITE_NOUN}\b",
        rf"\b(?:from|at|in) (?:only )?one (?:[\w-]+ )?{_SITE_NOUN}\b",
        # "collected at a tertiary hospital in China", "from a diagnostic centre in Pune": one unnamed site
        rf"\b(?:collected|acquired|recorded|obtained|gathered|scanned|imaged|recruited|enrolled|presenting|evaluated|"
        rf"treated|admitted|examined)\b[^.;]{{0,60}}?\b(?:at|from|in|to) (?:a|one) (?:(?!and\b|or\b)[\w'’-]+ ){{0,3}}?"
        rf"{_SITE_NOUN}\b(?! (?:and|or)\b)",
        rf"(?:^|[,;(]\s*)(?:a single|one|only one) (?:[\w'’-]+ ){{0,2}}?{_SITE_NOUN} (?:in|at)\b",
        rf"\bat (?:a|one) (?:(?!and\b|or\b)[\w'’-]+ ){{0,3}}?{_SITE_NOUN} in [A-Z]",
        rf"^\s*(?:site|centre|center|hospital)\s*[:|]\s*(?:a |one )?(?:[\w'’-]+ ){{0,3}}?{_SITE_NOUN}\b",
    ]
)


def _count_value(match_text: str) -> int | None:
    first = match_text.split()[0].lower()
    if first.isdigit():
        return int(first)
    return WORD_NUMBERS.get(first)


def machines_stated(text: str) -> str | None:
    """"multiple" / "single" only from explicit wording ("two ultrasound machines", "a single scanner")."""
    if not text:
        return None
    for match in _MULTI_MACHINE.finditer(text):
        count = _count_value(match.group(0))
        if count is None or count >= 2:
            return "multiple"
    if _SINGLE_MACHINE.search(text):
        return "single"
    return None


def machines(text: str) -> str | None:
    """"multiple" / "single" ultrasound machines when the text says so, or names two or more models."""
    stated = machines_stated(text)
    if stated:
        return stated
    models = device_models(text or "")
    if len(models) >= 2:
        return "multiple"
    return None


def centres(text: str) -> str | None:
    """"multiple" / "single" centres (hospitals, sites, institutions) when the text says so.

    Several sites stated anywhere beat a single one ("a single-centre study would ..., we pooled five
    hospitals"); one site counts when the text says so ("single-centre", "at a tertiary hospital in X").
    """
    if not text:
        return None
    for match in _MULTI_CENTRE.finditer(text):
        count = _count_value(match.group(0))
        if count is None or count >= 2:
            return "multiple"
    for match in _MULTI_CENTRE.finditer(text):
        if _count_value(match.group(0)) == 1:
            return "single"
    singles = _SINGLE_CENTRE.findall(text)
    if len(singles) == 1:
        return "single"
    return None


_OPERATOR_NOUN = (
    r"(?:sonographers?|operators?|radiologists?|physicians?|obstetricians?|clinicians?|cardiologists?|sonologists?|"
    r"doctors?|technicians?|technologists?|midwi(?:fe|ves)|examiners?|residents?|experts?|users?)"
)
_OPERATOR_AFTER_VERB = re.compile(
    rf"\b(?:acquired|scanned|collected|recorded|obtained|captured|performed|imaged|carried out)\b[^.;]{{0,80}}?\bby\s+"
    rf"(?P<n>\d+|{_WORD_NUM}|a single|one)\s+(?:\w+[- ]?){{0,3}}?\s*{_OPERATOR_NOUN}\b",
    re.I,
)
_OPERATOR_BEFORE_VERB = re.compile(
    rf"\b(?P<n>\d+|{_WORD_NUM})\s+(?:\w+[- ]?){{0,3}}?\s*{_OPERATOR_NOUN}\s+(?:\w+\s+){{0,2}}?"
    rf"(?:acquired|scanned|collected|recorded|obtained|captured|performed|imaged|carried out)\b",
    re.I,
)


def operator_count(text: str) -> int | None:
    """Number of operators who scanned ("scanned by 3 sonographers"); annotators do not count."""
    if not text:
        return None
    for pattern in (_OPERATOR_AFTER_VERB, _OPERATOR_BEFORE_VERB):
        match = pattern.search(text)
        if match:
            word = match.group("n").lower()
            if word in {"a single", "one"}:
                return 1
            value = int(word) if word.isdigit() else WORD_NUMBERS.get(word)
            if value and 0 < value < 1000:
                return value
    return None


# -- devices ---------------------------------------------------------------------------------

_MODEL_TOKEN = (
    r"(?:[ -]+(?!and\b|or\b|with\b|ultrasound\b|system\b|scanner\b|machine\b|probe\b|transducer\b)"
    r"[A-Z0-9][\w+-]*){0,2}"
)
_VENDOR_PATTERNS: list[tuple[str, str]] = [
    (
        "GE",
        rf"\b(?:GE(?: Healthcare| Medical Systems| Vingmed)?\s+)?"
        rf"(?:Voluson|LOGIQ|Logiq|Vivid|Vscan|Venue|Versana|Invenia){_MODEL_TOKEN}",
    ),
    ("GE", r"\bGE (?:Healthcare|Medical Systems|Vingmed|ultrasound)\b"),
    ("Philips", rf"\bPhilips(?: Healthcare| Medical Systems| Ultrasound)?{_MODEL_TOKEN}"),
    (
        "Philips",
        rf"\b(?:EPIQ|iU ?22|iU ?Elite|Affiniti|iE ?33|HD ?11|HD ?15|CX ?50|Lumify|ClearVue|Sparq){_MODEL_TOKEN}",
    ),
    ("Siemens", rf"\bSiemens(?: Healthineers| Healthcare| Medical(?: Solutions)?)?{_MODEL_TOKEN}"),
    ("Siemens", rf"\b(?:ACUSON|Acuson){_MODEL_TOKEN}"),
    ("Samsung", rf"\bSamsung(?: Medison)?{_MODEL_TOKEN}"),
    ("Samsung", rf"\b(?:HERA|RS85|RS80A|WS80A)\b{_MODEL_TOKEN}"),
    ("Mindray", rf"\b(?i:Mindray){_MODEL_TOKEN}"),
    ("Esaote", rf"\b(?:Esaote|MyLab){_MODEL_TOKEN}"),
    ("Canon", rf"\b(?i:Toshiba|Canon)(?: Medical(?: Systems)?)?\s+(?i:Aplio|Xario|Viamo|Nemio){_MODEL_TOKEN}"),
    ("Canon", rf"\b(?i:Aplio|Xario|Nemio){_MODEL_TOKEN}"),
    ("Hitachi", rf"\b(?:Hitachi|Aloka|ARIETTA|Arietta|Fujifilm Healthcare){_MODEL_TOKEN}"),
    ("SonoSite", rf"\b(?:Fujifilm )?(?i:SonoSite){_MODEL_TOKEN}"),
    ("Butterfly", r"\bButterfly (?:iQ\+?|iQ3|Network)"),
    ("Clarius", rf"\bClarius{_MODEL_TOKEN}"),
    # "BK Medical bk5000" is one machine: vendor and model in one match
    ("BK", r"\b(?:BK|bk) Medical(?:\s+(?:bk ?)?\d{4}\w*|\s+Flex Focus(?: \d+)?)?|\b(?:BK|bk) ?\d{4}\b|\bFlex Focus\b"),
    ("Verasonics", rf"\bVerasonics{_MODEL_TOKEN}"),
    ("SuperSonic", rf"\b(?:SuperSonic Imagine|Aixplorer){_MODEL_TOKEN}"),
    ("Telemed", rf"\bTelemed{_MODEL_TOKEN}"),
    ("Ultrasonix", rf"\b(?:Ultrasonix|SonixTouch|SonixTablet){_MODEL_TOKEN}"),
    ("Terason", rf"\bTerason{_MODEL_TOKEN}"),
    ("Alpinion", rf"\bAlpinion{_MODEL_TOKEN}"),
    ("SonoScape", rf"\b(?i:SonoScape){_MODEL_TOKEN}"),
    ("Chison", rf"\bChison{_MODEL_TOKEN}"),
    ("Zonare", rf"\bZonare{_MODEL_TOKEN}"),
    ("Interson", r"\bInterson\b"),
    ("Wisonic", rf"\bWisonic{_MODEL_TOKEN}"),
    ("Edan", r"\bEDAN\b"),
    ("Konted", r"\bKonted\b"),
    ("Vinno", rf"\bVINNO{_MODEL_TOKEN}"),
    ("Exo", r"\bExo Iris\b"),
]
_VENDOR_RES = [(vendor, re.compile(pattern)) for vendor, pattern in _VENDOR_PATTERNS]
_PROBE = _any(
    [
        r"\b(?:[CLPSVE]\d{1,2}-\d{1,2}[a-zA-Z]?\d?)\b(?=[^.]{0,40}\b(?:probe|transducer|array)|\s*(?:\w+\s+)"
        r"{0,2}(?:probe|transducer))",
        r"\b\d+(?:\.\d+)?\s*(?:-|–|to)\s*\d+(?:\.\d+)?\s*MHz\b",
        r"\b\d+(?:\.\d+)?\s*MHz\s+(?:\w+[- ]?){0,2}(?:probe|transducer|array)s?\b",
        r"\b(?:linear|convex|curvilinear|phased|sector|endocavit\w+|transvaginal|transrectal|micro-?convex|matrix|"
        r"hockey[- ]stick|intracavit\w+)(?:[- ]array)? (?:probes?|transducers?)\b",
    ]
)


# Every vendor or model word of ``_VENDOR_PATTERNS``: most sentences name none, and one search says so.
_VENDOR_HINT = re.compile(
    r"\b(?:GE|Voluson|LOGIQ|Vivid|Vscan|Venue|Versana|Invenia|Philips|EPIQ|iU|iE|HD|CX|Lumify|ClearVue|Sparq|Siemens|"
    r"ACUSON|Samsung|HERA|RS8|WS80|Mindray|Esaote|MyLab|Toshiba|Canon|Aplio|Xario|Nemio|Hitachi|Aloka|ARIETTA|"
    r"Fujifilm|SonoSite|Butterfly|Clarius|BK|bk\d|Flex Focus|Verasonics|SuperSonic|Aixplorer|Telemed|Ultrasonix|Sonix|"
    r"Terason|Alpinion|SonoScape|Chison|Zonare|Interson|Wisonic|EDAN|Konted|VINNO|Exo)",
    re.I,
)


def device_models(text: str) -> list[str]:
    """Distinct ultrasound machines named in the text ("GE Voluson E8", "Philips EPIQ 7"), vendor-prefixed."""
    if not text or not _VENDOR_HINT.search(text):
        return []
    found: list[str] = []
    taken: set[int] = set()  # character positions already inside a matched machine name
    for vendor, pattern in _VENDOR_RES:
        for match in pattern.finditer(text or ""):
            if match.start() in taken:
                continue
            taken.update(range(match.start(), match.end()))
            model = " ".join(match.group(0).split())
            key = f"{vendor}:{re.sub(r'[^a-z0-9]', '', model.lower())}"
            if not any(k.startswith(f"{vendor}:") and (k == key or k.endswith(key.split(':', 1)[1])) for k in found):
                found.append(key)
    # a vendor named alone next to one of its models is the same machine ("Philips" + "Philips EPIQ 7");
    # two models of one vendor ("LOGIQ E9" and "LOGIQ E9 Agile") are two machines
    out: list[str] = []
    for key in found:
        vendor, model = key.split(":", 1)
        bare = model in _BARE_VENDORS or model == re.sub(r"[^a-z0-9]", "", vendor.lower())
        if bare and any(o.startswith(f"{vendor}:") and o != key for o in found):
            continue
        out.append(key)
    return out


_BARE_VENDORS = {
    "ge", "gehealthcare", "gemedicalsystems", "philips", "philipshealthcare", "siemens", "siemenshealthineers",
    "samsung", "samsungmedison", "mindray", "canon", "toshiba", "hitachi", "aloka", "esaote", "sonosite", "bkmedical",
}


def names_device(text: str) -> bool:
    """Whether the text names an ultrasound machine or a transducer."""
    return bool(device_models(text)) or bool(_PROBE.search(text or ""))


def names_machine(text: str) -> bool:
    """Whether the text names an ultrasound machine (vendor or model)."""
    return bool(device_models(text))


def names_probe(text: str) -> bool:
    """Whether the text names a transducer (type, model or frequency)."""
    return bool(_PROBE.search(text or ""))


# -- booleans stated in text -----------------------------------------------------------------

_NEG = r"(?:no|without|not|excluding|excluded|exclude|except|never|neither|nor|lacks?)"
_DOPPLER = re.compile(
    r"\b(?:colou?r|power|spectral|pulsed[- ]wave|continuous[- ]wave|PW|CW|tissue)?[- ]?Doppler\b",
    re.I,
)
_DOPPLER_NEG = re.compile(
    rf"\b{_NEG}\b[^.;]{{0,40}}\bDoppler\b|\bDoppler\b[^.;]{{0,40}}\b(?:were|was|are|is|have been)\s+(?:excluded|"
    rf"removed|"
    r"discarded|not (?:included|used|available|acquired))\b|\bB-mode only\b|\bonly B-mode\b|"
    r"\bDoppler\s*[:=]\s*(?:none|no\b|n/?a\b|not (?:included|available))",
    re.I,
)
_BMODE = re.compile(
    r"\bB[- ]mode\b|\bbrightness[- ]mode\b|\bgr[ae]y[- ]?scale (?:ultrasound|images?|sonograph\w*|imaging)\b",
    re.I,
)
_BMODE_NEG = re.compile(
    rf"\b{_NEG}\b[^.;]{{0,30}}\bB[- ]mode\b|\bB[- ]mode\b[^.;]{{0,40}}\b(?:were|was|are|is)\s+(?:excluded|removed|not "
    r"(?:included|used|available))\b|\bDoppler only\b|\bonly Doppler\b",
    re.I,
)
_DOPPLER_NOT_IMAGING = re.compile(
    r"Doppler (?:shift|effect|radar|sensor|lidar|velocimetry of (?:wind|air))|\bkHz\b",
    re.I,
)


def doppler(text: str) -> bool | None:
    """True when Doppler images are included, False when the text excludes them, None otherwise."""
    if not text or not _DOPPLER.search(text) or _DOPPLER_NOT_IMAGING.search(text):
        return None
    if _DOPPLER_NEG.search(text):
        return False
    return True


def b_mode(text: str) -> bool | None:
    """True when B-mode images are included, False when the text excludes them, None otherwise."""
    if not text:
        return None
    if _BMODE_NEG.search(text):
        return False
    if _BMODE.search(text):
        return True
    return None


_MULTIMODAL_YES = _any(
    [
        r"\b(?:image|images|video)[- ](?:text|report|caption)(?:[- ]pairs?)\b",
        r"\b(?:paired|accompanied|together|along|annotated|provided) with (?:\w+[- ]){0,3}(?:reports?|captions?|"
        r"text(?:ual)? descriptions?|free[- ]text|narratives?|sentences)\b",
        r"\b(?:free[- ]text|radiology|ultrasound|diagnostic|clinical|sonograph\w*|medical|structured) reports?\b"
        r"(?=[^.]{0,80}\b(?:each|every|per|paired|corresponding|included|provided|accompan\w+|with)\b)",
        r"\b(?:each|every) (?:image|video|case|study|exam\w*) (?:\w+ ){0,3}(?:has|comes with|is paired with|with) "
        r"(?:a |an |its )?(?:\w+ ){0,2}(?:report|caption|description)\b",
        r"\bcaptions?\b(?! of (?:the )?fig)", r"\breport generation\b", r"\bimage captioning\b",
        r"\btext(?:ual)? (?:descriptions?|annotations?|reports?)\b",
    ]
)
_MULTIMODAL_NO = re.compile(
    r"\bno (?:text(?:ual)?|reports?|captions?|clinical (?:text|reports?))\b|\bwithout (?:any )?(?:text|"
    r"reports?|captions?)\b",
    re.I,
)
_FIGURE_CAPTION = re.compile(r"\bfigure captions?\b|\bcaption of (?:the )?fig", re.I)


def multimodal(text: str) -> bool | None:
    """True when images come with per-image text (reports, captions); False only when the text says none."""
    if not text:
        return None
    if _MULTIMODAL_NO.search(text):
        return False
    if _FIGURE_CAPTION.search(text):
        return None
    if _MULTIMODAL_YES.search(text):
        return True
    return None


# -- model criteria --------------------------------------------------------------------------

WEIGHT_EXTENSIONS = (
    ".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".keras", ".onnx", ".safetensors", ".bin", ".pkl", ".pb", ".tflite",
    ".pdparams", ".params", ".msgpack", ".gguf", ".npz", ".joblib",
)
ARCHIVE_EXTENSIONS = (".zip", ".tar", ".tar.gz", ".tgz", ".7z", ".gz")
_WEIGHT_WORDS = re.compile(
    r"\b(?:weights?|checkpoints?|ckpts?|pre-?trained (?:models?|networks?|nets?)|trained models?|model (?:files?|zoo)|"
    r"model parameters|pretrained)\b",
    re.I,
)
_WEIGHT_LINK_HOSTS = re.compile(
    r"(?:https?://)?(?:www\.)?(?:drive\.google\.com|docs\.google\.com/uc|dropbox\.com|zenodo\.org|doi\.org/10\.5281|"
    r"huggingface\.co|hf\.co|pan\.baidu\.com|onedrive\.live\.com|1drv\.ms|figshare\.com|mega\.nz|box\.com|"
    r"sharepoint\.com|mediafire\.com|github\.com/[^\s/]+/[^\s/]+/releases|"
    r"storage\.googleapis\.com|s3[.\w-]*\.amazonaws\.com|kaggle\.com/models|osf\.io|cloud\.tsinghua\.edu\.cn|"
    r"(?<![\w.-])[\w.-]+/[^\s]+\.(?:pth|pt|ckpt|h5|onnx|safetensors))[^\s)\]>\"']*",
    re.I,
)
_NOT_YET = re.compile(
    r"\b(?:will|would|shall|to) be (?:\w+ )?(?:released|available|made (?:publicly )?available|uploaded|"
    r"published|shared|provided|open-?sourced)\b|"
    r"\bcoming soon\b|\bsoon\b|\b(?:up)?on (?:paper )?acceptance\b|\bafter (?:the )?(?:paper is )?(?:accepted|"
    r"acceptance|publication)\b|"
    r"\b(?:available|provided|shared) (?:(?:up)?on|by) (?:reasonable )?request\b|"
    r"\b(?:up)?on (?:reasonable |justified |formal |written )?request\b|\bTODO\b|\bTBD\b|"
    r"\bnot (?:yet )?(?:publicly )?(?:available|released|provided|shared|public)\b|\bdo not (?:provide|"
    r"release|share)\b|"
    r"\bcannot (?:be )?(?:share|shared|release|released)\b|\bunder review\b|\bplan to release\b|\bin preparation\b|"
    r"\b(?:are|is) not included\b|"
    r"\bcontact (?:us|the authors?)\b",
    re.I,
)


def is_weight_file(name: str, text: str = "") -> bool:
    """A file that is a checkpoint: a weight extension, or an archive the text calls weights/checkpoints."""
    low = name.lower().rsplit("/", 1)[-1]
    if low.endswith(WEIGHT_EXTENSIONS):
        if low.endswith(".bin") and not re.search(r"model|weights?|ckpt|checkpoint|pytorch", low):
            return False
        if low.endswith(".pkl") and not re.search(r"model|weights?|ckpt|checkpoint|net|best|final", low):
            return False
        return True
    if low.endswith(ARCHIVE_EXTENSIONS):
        if re.search(r"weights?|ckpt|checkpoints?|pretrained|models?|fold|best", low):
            return True
        # the record calls what it ships weights, in a sentence that does not defer them
        sentences = re.split(r"(?<=[.!?])\s+|\n+", text or "")
        return any(_WEIGHT_WORDS.search(s) and not _NOT_YET.search(s) for s in sentences)
    return False


# Checkpoints a README asks users to fetch that belong to another model (a backbone, a foundation model).
_FOREIGN_WEIGHTS = re.compile(
    r"\b(?:SAM|segment[- ]anything|ImageNet|backbone|initiali[sz]\w*|encoder weights|DINO\w*|"
    r"BiomedCLIP|official (?:SAM )?checkpoint|from (?:Meta|OpenAI|Google)|(?:Meta|OpenAI)'s)\b",
    re.I,
)
_ANY_URL = re.compile(
    r"https?://\S+|(?<![\w/.@-])(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|io|co|net|edu|ai|ms|cn)/\S+", re.I
)
# "weights are hosted on / available at / released at <url>", "Weights: <url>", "(weights included ...)"
_OFFERED = re.compile(
    r"\b(?:available|hosted|released|provided|downloadable|shared|published|uploaded|included|attached)\b|"
    r"\bdownload\b|:\s*\S|\b(?:at|on|from|via)\s+(?:https?://|www\.|[\w-]+\.(?:com|org|io|co)/)",
    re.I,
)
_OWN_WEIGHTS = re.compile(r"\b(?:our|fine-?tuned|trained (?:on|with)|this (?:model|work|repo))\b", re.I)


def mentions_weights(text: str) -> bool:
    return bool(_WEIGHT_WORDS.search(text or ""))


_MODEL_HUB_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:huggingface\.co/(?!datasets/|spaces/|papers/|docs/|blog/)[\w.-]+/[\w.-]+|"
    r"kaggle\.com/models/[\w.-]+/[\w.-]+)",
    re.I,
)


def weights_statement(sentence: str) -> bool | None:
    """One sentence about weights: True when it links a downloadable checkpoint, False when it defers them."""
    if not sentence:
        return None
    if not _WEIGHT_WORDS.search(sentence):
        # "Model: https://huggingface.co/lab/net" -- a model hub page is the downloadable model
        hub_model = re.search(r"\bmodels?\b", sentence, re.I) and _MODEL_HUB_LINK.search(sentence)
        if hub_model and not _NOT_YET.search(sentence):
            return True
        return None
    if _NOT_YET.search(sentence):
        return False
    linked = _WEIGHT_LINK_HOSTS.search(sentence) or (_ANY_URL.search(sentence) and _OFFERED.search(sentence))
    if linked:
        prose = _ANY_URL.sub(" ", sentence)  # "huggingface.co/lab/echo-clip" names the repo, not a CLIP checkpoint
        if _FOREIGN_WEIGHTS.search(prose) and not _OWN_WEIGHTS.search(prose):
            return None  # "download the SAM ViT-B checkpoint / ImageNet backbone": someone else's weights
        return True
    return None


def weights_public(candidate: Candidate, sentences: Sequence[str] | None = None) -> Verdict | None:
    """Are the model's weights downloadable now? Files first (release assets, HF/Kaggle/Zenodo files), then links.

    True: a weight file is attached, or a sentence about weights links a checkpoint host.
    False: the text defers or withholds them ("upon acceptance", "on request", "TODO"). None: nothing said.
    """
    text = candidate.text or ""
    described = f"{candidate.title or ''}\n{text}" if candidate.source == "zenodo" else ""
    weight_files = [f for f in candidate.files if is_weight_file(f.name, described)]
    if candidate.source == "kaggle" and candidate.files and (candidate.kind_hint == "model"):
        # a Kaggle model instance is a downloadable model variation
        return Verdict(True, f"model instances: {', '.join(f.name for f in candidate.files[:5])}")
    if not weight_files:
        # an archive the text says holds the checkpoints ("Download Dataset501.zip (fold_0..4 checkpoints)")
        mentions = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if _WEIGHT_WORDS.search(s)]
        weight_files = [
            f for f in candidate.files
            if f.name.lower().endswith(ARCHIVE_EXTENSIONS) and any(f.name in m and not _NOT_YET.search(m) for m in mentions)
        ]
    if weight_files:
        label = {"github": "release assets", "huggingface": "files", "zenodo": "files"}.get(candidate.source, "files")
        return Verdict(True, f"{label}: {', '.join(f.name for f in weight_files[:5])}")
    deferred: str | None = None
    for sentence in sentences if sentences is not None else re.split(r"(?<=[.!?])\s+|\n+", text):
        verdict = weights_statement(sentence)
        if verdict is True:
            return Verdict(True, sentence)
        if verdict is False and deferred is None:
            deferred = sentence
    if deferred is not None:
        return Verdict(False, deferred)
    return None


_CODE_HOST = re.compile(
    r"(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|gitee\.com|codeberg\.org|gitlab\.[\w.]+|"
    r"kaggle\.com/code)/[\w.-]+/[\w.-]+",
    re.I,
)
_CODE_WORDS = re.compile(
    r"\b(?:code|codes|implementation|source|repository|repo|software|scripts?|toolkit|toolbox|package|github|gitlab)\b",
    re.I,
)
_CODE_NOT_OURS = re.compile(
    r"\b(?:based on|built (?:on|upon)|adapted from|borrowed from|forked from|thanks? to|inspired by|modified from|"
    r"following|we use|we used|uses|using|credit|derived from)\b",
    re.I,
)


_NO_CODE = re.compile(
    r"\bno (?:separate |public |accompanying )?(?:code|source code|repository|repo|GitHub)\b|\bcode (?:is|are) not "
    r"(?:publicly )?(?:available|released|shared)\b",
    re.I,
)


def code_statement(sentence: str) -> bool | None:
    """True when a sentence links the resource's code repository; False when it withholds the code."""
    if not sentence or not _CODE_WORDS.search(sentence):
        return None
    if _NO_CODE.search(sentence) and not _CODE_HOST.search(sentence):
        return False
    if re.search(r"\bcode\b", sentence, re.I) and _NOT_YET.search(sentence) and not _CODE_HOST.search(sentence):
        return False
    if _CODE_HOST.search(sentence) and not _CODE_NOT_OURS.search(sentence):
        return True
    return None


_SOURCE_FILES = (
    ".zip", ".tar.gz", ".tgz", ".tar", ".7z", ".py", ".ipynb", ".r", ".m", ".jl", ".cpp", ".c", ".java", ".js", ".sh",
)


def code_shared(candidate: Candidate, sentences: Sequence[str] | None = None) -> Verdict | None:
    """Is the code public? A GitHub/GitLab record is code; others must link their repository as code."""
    if candidate.source == "github" and (candidate.extra.get("language") or "language" not in candidate.extra):
        return Verdict(True, f"repository: {candidate.url}")
    if candidate.source == "huggingface" and any(f.name.endswith((".py", ".ipynb")) for f in candidate.files):
        scripts = [f.name for f in candidate.files if f.name.endswith((".py", ".ipynb"))]
        return Verdict(True, ("files: " + ", ".join(scripts))[:300])
    if candidate.source == "zenodo" and (candidate.kind_hint or "").lower() == "software":
        # a software record holds code when it ships sources or an archive of them, not only a model file and an app
        sources = [
            f.name for f in candidate.files
            if f.name.lower().endswith(_SOURCE_FILES) and not is_weight_file(f.name)
        ]
        if sources:
            return Verdict(True, f"resource_type: software; files: {', '.join(sources[:5])}"[:300])
    withheld: str | None = None
    for sentence in sentences if sentences is not None else re.split(r"(?<=[.!?])\s+|\n+", candidate.text or ""):
        verdict = code_statement(sentence)
        if verdict is True:
            return Verdict(True, sentence)
        if verdict is False and withheld is None:
            withheld = sentence
    if withheld is not None:
        return Verdict(False, withheld)
    return None


# Cue patterns of the model criteria stated in text: the statement is present or it is not.
CRITERIA_CUES: dict[str, re.Pattern[str]] = {
    "training_details": _any(
        [
            r"\blearning[- ]rates?\b",
            r"\bbatch[- ]?sizes?\b",
            r"\b\d+\s+(?:training\s+)?epochs\b",
            r"\bepochs?\s*[:=]\s*\d+",
            r"\b(?:Adam|AdamW|SGD|RMSprop|Adagrad|Adadelta|LAMB|Lion) (?:optimi[sz]er|with|\(|was|is)\b",
            r"\boptimi[sz]er\b", r"\boptimi[sz]ed (?:with|using) (?:Adam|AdamW|SGD|RMSprop)\b",
            r"\b(?:cross[- ]entropy|dice|focal|bce|binary cross[- ]entropy|l1|l2|mse|tversky|hausdorff|"
            r"contrastive) loss\b",
            r"\bloss function\b", r"\btrained (?:for|over) \d+ (?:epochs|iterations|steps)\b",
            r"\b(?:trained|training) on (?:a |an |one |two |four |eight |\d+ ?x? ?)?(?:single )?(?:NVIDIA|"
            r"RTX|GTX|Tesla|"
            r"V100|A100|H100|A6000|TITAN|TPU)",
            r"--(?:lr|learning_rate|epochs|batch_size|batch-size)\b", r"\bweight decay\b", r"\bwarm-?up\b",
        ]
    ),
    # the aim stated as an aim: "The aim of this study was ...", "Purpose: To develop ...", "This work aims to ...";
    # "we propose X" introduces a method, it does not state an objective
    "study_objective": _any(
        [
            r"\b(?:the )?(?:aim|goal|objective|purpose)s? of (?:this|the|our|the present) (?:study|work|paper|"
            r"project|research|repository)\b",
            r"\b(?:this|our|the present) (?:study|work|paper|project|research) (?:aims?|aimed|seeks?|sought|investigates?|"
            r"investigated|evaluates?|evaluated)\b",
            r"^\W*(?:purpose|objectives?|aims?|goals?|background and (?:purpose|aims?|objectives?))\s*[:.-]\s*\w",
            r"\b(?:purpose|objectives?|aims?)\s*:\s*(?:to|we)\b",
            r"\bwe aim(?:ed)? to\b", r"\bin this (?:paper|work|study), we aim\b",
        ]
    ),
    "funding_statement": _any(
        [
            r"\bfund(?:ed|ing)\b(?! (?:rounds?|raising))",
            r"\bgrant (?:no\.?|number|agreement|#)",
            r"\bgrants?\b[^.]{0,40}\b\d{3,}",
            r"\bfinancial(?:ly)? support(?:ed)?\b",
            r"\bsupported (?:in part )?by (?:the |a |an )?(?:[\w-]+ ){0,6}(?:Foundation|Council|Fund|"
            r"Grants?|Programme|Program|"
            r"NIH|NSF|NSFC|Wellcome|EPSRC|ERC|Horizon|Agency|Ministry|Institutes? of Health|Research)\b",
            r"\backnowledge (?:the )?(?:financial |funding )?support\b",
        ]
    ),
    "ethics_statement": _any(
        [
            r"\bethic(?:s|al)? (?:committee|board|approval|review|clearance|statement|permission)\b", r"\bIRB\b",
            r"\binstitutional review board\b", r"\bREC (?:reference|approval)\b",
            r"\bapproved by (?:the )?(?:[\w'-]+ ){0,8}(?:committee|board|IRB)\b", r"\binformed consent\b",
            r"\bDeclaration of Helsinki\b",
            r"\bwaiv(?:ed|er) (?:of|the) (?:the )?(?:need for )?(?:informed )?consent\b",
        ]
    ),
    "competing_interests": _any(
        [
            r"\bcompeting (?:financial )?interests?\b",
            r"\bconflicts? of interests?\b",
            r"\bdeclare (?:no|that)\b[^.]{0,40}\binterest",
        ]
    ),
    "author_contributions": _any(
        [
            r"\bauthor(?:s'?|ship)? contributions?\b", r"\bcontributorship\b", r"\bCRediT\b",
            r"\bconceptuali[sz]ation\s*[:,]",
            r"\b[A-Z]\.\s?[A-Z]\.(?: and [A-Z]\.\s?[A-Z]\.)? (?:conceived|designed|wrote|supervised)\b",
        ]
    ),
    "code_availability_statement": _any(
        [
            r"\bcode availability\b", r"\bdata and code availability\b",
            r"\b(?:the |our |source |training |all )?code(?:s| base| and (?:[\w-]+ ){0,2}(?:weights|checkpoints?|"
            r"models?|data(?:sets?)?))? (?:is|are|will be|has been|have been) "
            r"(?:made )?(?:publicly |freely |openly )?(?:available|released|accessible|provided|published|"
            r"shared|hosted)\b",
            r"\bsource code (?:is|can be) (?:found|obtained|accessed|downloaded)\b",
            r"\b(?:code|implementation) (?:can be|is) found (?:at|on|in)\b",
            r"\bcode (?:is )?(?:publicly |freely |openly )?available (?:at|on|from|via|in)\b",
            r"\bwe (?:release|make|made|provide|share|publish) (?:our |the )?(?:source )?code\b",
        ]
    ),
}
_SOFTWARE = (
    r"PyTorch|TensorFlow|Keras|MONAI|nnU-?Net|scikit-learn|sklearn|ITK-?SNAP|3D Slicer|OpenCV|SimpleITK|Ultralytics|"
    r"MMSegmentation|MMDetection|Detectron2|timm|JAX|PaddlePaddle|NumPy|SciPy|Transformers|Segment Anything|SAM|"
    r"TorchIO|Lightning|ANTs|Elastix"
)
_SOFTWARE_CITATION = _any(
    [
        rf"\b(?:{_SOFTWARE})\b\s*(?:\[\d+(?:\s*[,–-]\s*\d+)*\]|\[@?[\w:-]+\]|\((?:[A-Z][\w-]+ et al\.?,? \d{{4}}|"
        rf"[A-Z][\w-]+,? \d{{4}}|\d{{4}})\)|\^\d+)",
        r"\btitle\s*=\s*[{\"][^}\"]{0,40}(?:PyTorch|TensorFlow|MONAI|nnU-?Net|Scikit-learn|Keras|SimpleITK|ITK-SNAP)",
        rf"\b(?:please )?(?:also )?cite (?:the )?(?:\w+ )?(?:{_SOFTWARE})\b",
    ]
)


def criterion_pattern(key: str) -> re.Pattern[str]:
    """The cue pattern of a model criterion."""
    return _SOFTWARE_CITATION if key == "software_citations" else CRITERIA_CUES[key]


def criterion_match(key: str, text: str) -> re.Match[str] | None:
    """Where a model criterion's statement (funding, ethics, ...) is in the text, or None."""
    pattern = _SOFTWARE_CITATION if key == "software_citations" else CRITERIA_CUES[key]
    return pattern.search(text or "")


def criterion_statement(key: str, text: str) -> bool:
    """Whether a model criterion's statement (funding, ethics, ...) is present in the text."""
    return criterion_match(key, text) is not None


# -- training datasets -----------------------------------------------------------------------

# Well-known public ultrasound datasets by their usual short names: a model trained on one of
# them was trained on public data. Names as the papers spell them; matched case-insensitively.
PUBLIC_DATASETS = (
    "BUSI", "UDIAT", "BUS-BRA", "BUSBRA", "BrEaST-Lesions", "BUSIS", "BUSV", "BUS-UCLM", "OASBUD", "STU-Hospital",
    "GDPH & SYSUCC", "CAMUS", "EchoNet-Dynamic", "EchoNet-Pediatric", "EchoNet-LVH", "TMED", "TMED-2", "CETUS",
    "MIMIC-IV-ECHO", "Unity Imaging", "CACTUS", "HC18", "FETAL_PLANES_DB", "FETAL PLANES DB", "FPUS23", "ACOUSLIC-AI",
    "PSFHS", "JNU-IFM", "DDTI", "TN3K", "TN5000", "TG3K", "Stanford Thyroid", "COVIDx-US", "COVID-BLUES", "POCOVID",
    "BEDLUS", "Open Kidney", "RESECT", "BITE", "ReMIND", "ReMIND2Reg", "CUBS", "Ultrasound Nerve Segmentation",
    "MicroSegNet", "mu-RegPro", "TUS-REC", "PCOSGen", "FALLMUD", "GBCU", "LEPset", "USenhance", "CUBDL", "PICMUS",
)
# Names are matched with their own capitalisation: "BUSI" is a dataset, "busy" and "breast" are words.
_PUBLIC_DATASET_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(n).replace(r"\ ", "[ _-]").replace(r"\-", "[ _-]?").replace("_", "[ _-]")
        for n in sorted(PUBLIC_DATASETS, key=len, reverse=True)
    )
    + r")(?![\w-])"
)
def is_public_dataset_name(name: str) -> bool:
    """Whether a name is one of the well-known public ultrasound datasets ("BUSI", "CAMUS", "EchoNet-Dynamic")."""
    return bool(_PUBLIC_DATASET_RE.fullmatch(name.strip()))


_GENERIC_NAME_WORDS = re.compile(
    r"^(?:the|a|an|our|their|this|these|those|its|we|it|public|private|publicly|available|in-house|own|local|large|"
    r"small|new|same|other|several|multiple|two|three|four|five|both|all|each|clinical|retrospective|\d[\d,.]*|"
    r"NVIDIA|GPUs?|CPU|TPU|RTX|GTX|Tesla|V100|A100|H100|Linux|Ubuntu|Windows|Python|PyTorch|TensorFlow|Keras|Colab|"
    r"Google|AWS|ImageNet-?\d*k?|COCO|MS-?COCO|JFT|Adam|AdamW|SGD|RMSprop|Dice|CE|BCE|MSE|Kaggle|Zenodo|GitHub|"
    r"Hugging ?Face|Docker|CUDA|Mac|macOS|CPUs|GPU|Slurm|DDP|LAION[\w-]*|Kinetics[\w-]*|CLIP|SAM|SA-1B|MICCAI|ISBI|CVPR|"
    r"IEEE|OpenAI|Meta|ViT[\w/-]*|ResNet[\w-]*)$",
    re.I,
)
# A dataset name: capitalised or digit-led tokens ("EchoNet-Dynamic", "Open Kidney Ultrasound"), a version or a
# year may follow ("USenhance 2023").
_NAME_TOKEN = r"(?:[A-Z0-9][\w.&+-]*[A-Za-z0-9]|[A-Z]|[a-z]+\d[\w-]*)(?:\s+(?:v\d+(?:\.\d+)?|(?:19|20)\d\d\b))?"
_NAME = rf"{_NAME_TOKEN}(?:[ -]{_NAME_TOKEN}){{0,4}}"
_NAME_JOIN = r"\s*(?:,|and|&|\+|as well as)\s*(?:the\s+)?(?:public\s+)?"
# Training, fine-tuning and pre-training data (a foundation model's pre-training corpus is its training data;
# a natural-image initialisation such as ImageNet is dropped as a generic name). Evaluation data is not.
_TRAINED_ON = re.compile(
    r"\b(?i:trained|fine-?tuned|re-?trained|pre-?trained|developed|learned|trained and (?:evaluated|tested|validated))"
    r"(?:\s+and\s+(?:evaluated|tested|validated))?\s+(?:\w+\s+){0,3}?(?:on|using|with)\s+(?:the\s+)?(?:public(?:ly "
    r"available)?\s+)?"
    rf"(?:(?:\w+\s+){{0,2}}?)(?P<names>{_NAME}(?:{_NAME_JOIN}{_NAME})*)",
)
# "six public ultrasound datasets (BUSI, TN3K, CAMUS, HC18, Open Kidney, CUBS)", "corpus (UltraCorpus-410k, private)"
_LISTED_DATASETS = re.compile(
    r"\b(?i:datasets?|data ?sets?|databases?|corpus|corpora|collections?|benchmarks?|challenge)\s*\((?P<names>[^()]{2,240})\)"
)
# "we build US30K, a large ultrasound dataset", "a new pretraining dataset, US-4, containing ...",
# "US30K: a collection of seven public ultrasound datasets"
_APPOSITIVE_DATASET = re.compile(
    rf"\b(?i:build|built|construct(?:ed)?|curated?|create[d]?|collect(?:ed)?|assembled?|introduce[d]?)\s+"
    rf"(?P<names>{_NAME}),\s+(?i:a|an)\s+[^.]{{0,80}}?\b(?i:dataset|database|corpus|collection)\b"
    rf"|\b(?i:dataset|database|corpus),\s+(?P<names2>{_NAME}),"
    rf"|^[ \t]*(?:\d+\.\s*)?(?P<names3>{_NAME})\s*:\s*(?i:a|an)\s+(?:[\w-]+\s+){{0,4}}?(?i:collection|dataset|database|corpus)\b",
    re.M,
)
_USE_DATASET = re.compile(
    r"\b(?i:we )?(?i:use|used|utili[sz]ed?|employ(?:ed)?|adopt(?:ed)?|train on|experiment(?:ed)? on|"
    r"conduct(?:ed)? experiments on)\s+"
    rf"(?:the\s+)?(?:public(?:ly available)?\s+)?(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_NAME})*)\s+"
    r"(?:datasets?|data ?sets?|database|corpus|cohort|benchmark|challenge data(?:set)?)\b",
)
_NAMED_DATASET = re.compile(
    rf"(?:\b(?i:the)\s+|\bon\s+|\bfor\s+|\bof\s+|\bfrom\s+)(?:(?i:public(?:ly available)?|open|large|new)\s+)?"
    rf"(?P<names>{_NAME})(?P<lower>(?:\s+[a-z][\w-]*){{0,3}})\s+(?P<noun>(?i:datasets?|data ?sets?|database|corpus|challenge))\b"
)
_DATA_LABEL = re.compile(
    r"^[ \t]*(?:training )?(?:data(?:set)?s?|corpus|training data)[ \t]*:[ \t]*(?P<names>[^,(\n:]{3,80}?)[ \t]*(?:,|"
    r"\(|https?://|$)",
    re.I | re.M,
)
_NAME_STOP_TAIL = re.compile(
    r"\s+(?:datasets?|data ?sets?|database|corpus|data|images|frames|videos|benchmark|challenge|cohort|set)$", re.I
)


def _clean_dataset_name(name: str) -> str | None:
    name = " ".join(name.split()).strip(" .,;:-*")
    # a snippet's next sentence or a host word glued on: "DDTI The code ...", "Kidney Stone Ultrasound Kaggle"
    name = re.sub(r"(?:\s+(?:The|This|These|We|Our|It|In|A|An|Code|Kaggle|Zenodo|GitHub|Hugging Face))+$", "", name)
    # "Open Kidney Ultrasound Data Set" is a title with "Data Set" in it; "the BUSI dataset" names "BUSI"
    titled = re.fullmatch(r"(?:[A-Z][\w-]*\s+){2,}(?:Dataset|Data Set|Database)", name)
    if not titled:
        name = _NAME_STOP_TAIL.sub("", name).strip(" .,;:-")
    if re.match(r"\d[\d,.]*[kKM]?(?:\s|$)", name):
        return None  # "40k B-mode frames", "30k": a count, not a name
    if not name or len(name) > 80 or _GENERIC_NAME_WORDS.match(name) or not re.search(r"[A-Za-z]", name):
        return None
    if _GENERIC_NAME_WORDS.match(re.sub(r"\s+(?:19|20)\d\d$", "", name)):
        return None  # "MICCAI 2023": a venue and its year
    first = name.split()[0]
    if _GENERIC_NAME_WORDS.match(first) and len(name.split()) == 1:
        return None
    if re.fullmatch(r"(?:NVIDIA|RTX|GTX|Tesla|TITAN)\b.*", name, re.I):
        return None
    return name


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b|\+|&(?!\s*SYSUCC)|\bas well as\b)\s*", names)
    out = []
    for part in parts:
        part = re.sub(r"^(?:the|public|publicly available)\s+", "", part.strip(), flags=re.I)
        cleaned = _clean_dataset_name(part)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


_DESCRIBED_DATA = re.compile(
    r"\b(?:our|own|their|in-house|private)\s+(?:own\s+)?(?P<name>[A-Z][\w-]*)\s+(?:clips|images|videos|scans|frames|"
    r"data|recordings|cases|patients)\b"
)


def training_datasets(text: str) -> list[str]:
    """Names of the datasets a model was trained on, as the text names them ([] when none is named)."""
    if not text:
        return []
    found: list[str] = []

    def words(name: str) -> str:
        return f" {' '.join(name.lower().split())} "

    def add(name: str) -> None:
        # one dataset named twice ("Kidney Ultrasound" inside "Open Kidney Ultrasound Data Set"): keep the longer
        if not name or any(words(name) in words(f) for f in found):
            return
        found[:] = [f for f in found if words(f) not in words(name)]
        found.append(name)

    for pattern in (_TRAINED_ON, _USE_DATASET, _NAMED_DATASET, _APPOSITIVE_DATASET):
        for match in pattern.finditer(text):
            names = next(g for g in match.groups() if g) if pattern is _APPOSITIVE_DATASET else match.group("names")
            if pattern is _NAMED_DATASET and not match.group("lower") and match.group("noun") in ("Dataset", "Data Set",
                                                                                               "Database"):
                names = f"{names} {match.group('noun')}"  # "the Regensburg Pediatric Appendicitis Dataset": its title
            for name in _split_names(names):
                add(name)
            if pattern is _APPOSITIVE_DATASET or pattern is _NAMED_DATASET:
                # "US30K: a collection of seven datasets (TN3K, DDTI, ...)": the members follow
                listed = _LISTED_DATASETS.search(text, match.start())
                if listed and listed.start() - match.end() < 60:
                    for name in _split_names(listed.group("names")):
                        add(name)
    for match in _LISTED_DATASETS.finditer(text):
        if re.search(r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|corpus)\b", text, re.I):
            for name in _split_names(match.group("names")):
                add(name)
    for match in _DATA_LABEL.finditer(text):
        name = _clean_dataset_name(match.group("names"))
        if name and not re.match(r"(?i)(?:see|available|download|the data|we|our|https?)\b", name):
            add(name)
    if re.search(r"\b(?:train\w*|fine-?tun\w*|dataset|data)\b", text, re.I):
        for match in _PUBLIC_DATASET_RE.finditer(text):
            add(match.group(0))
    # "our own ICU clips": an adjective of the authors' data, not a dataset's name
    described = {m.group("name").lower() for m in _DESCRIBED_DATA.finditer(text)}
    return [f for f in found if f.lower() not in described]


# Data withheld: "the clips cannot be shared", "(in-house, not public)", "data not shareable".
_WITHHELD_DATA = re.compile(
    r"\b(?:data(?:set)?|images|videos|clips|scans|frames|cohort|recordings)\b[^.;]{0,60}\b(?:cannot|can't|could not|may not|"
    r"will not) be (?:shared|released|made (?:publicly )?available|distributed|redistributed)\b|"
    r"\bnot shareable\b|\bin-house\b[^.;]{0,20}\bnot public\b|\bnot publicly (?:available|released|shared)\b|"
    r"\b(?:data(?:set)?|images|videos|clips|scans|frames)\s+(?:are|is|were|was)\s+not\s+(?:public|available|shared)\b",
    re.I,
)


def withholds_data(sentence: str) -> bool:
    """Whether a sentence says the data (images, clips, cohort) are not shared."""
    return bool(_WITHHELD_DATA.search(sentence or "")) and not re.search(r"\b(?:code|weights?|model)\b[^.;]{0,20}\b(?:cannot|not)\b", sentence or "", re.I)


def own_dataset(name: str, text: str = "") -> bool:
    """Whether a named dataset is the authors' own rather than an existing one they reference.

    Private ("our in-house X", "X, private"), gated ("X (request access)") or introduced here ("we build X, a
    large dataset", "a new database (X)") -- such a name does not show that the training data are public.
    """
    if re.search(r"\b(?:in-house|private|internal|proprietary)\b", name, re.I):
        return True
    n = re.escape(name)
    return bool(re.search(
        rf"\b(?:in-house|private|proprietary|internal|our|own)\s+(?:[\w-]+\s+){{0,3}}?\W*{n}\b"
        rf"(?!\W+(?:validation|test|training|train|split|subset|fold|challenge))|"
        rf"{n}\W{{0,3}}\s*(?:\(|,|dataset|data)\s*(?:[\w-]+\s+){{0,2}}?\(?(?:private|in-house|not public|proprietary|request)|"
        rf"\b(?:build|built|construct\w*|curate[ds]?|collect\w*|create[ds]?|introduce[ds]?|assemble[ds]?|present)\s+"
        rf"(?:a new [^.;]{{0,60}}?,\s*)?{n}\b|"
        rf"(?<![\w-]){n},\s+(?:a|an)\s+(?!collection of)[^.;]{{0,80}}\b(?:dataset|database|corpus)\b|"
        rf"\b(?:database|dataset|corpus)\s*\({n}\)",
        text,
        re.I,
    ))


_PRIVATE_DATA = re.compile(
    r"\b(?:in-house|private|proprietary|internal|institutional|non-public|our own)\s+(?:[\w-]+\s+){0,2}(?:data(?:set)?s?|"
    r"cohort|images|videos|clips|frames|corpus|database|collection)\b|"
    r"\b(?:training )?data (?:are|is) not (?:publicly )?(?:available|redistributable|shared|public)\b|"
    r"\bnot (?:be )?(?:redistributable|redistributed|shared publicly)\b",
    re.I,
)
_PUBLIC_DATA_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:kaggle\.com/(?:datasets|competitions|c)/|zenodo\.org/records?/|doi\.org/10\.(?:5281|"
    r"6084|7910|"
    r"13026|7937|17632|5061|18112|57967|34740)/|huggingface\.co/datasets/|figshare\.com|data\.mendeley\.com|"
    r"physionet\.org|"
    r"(?<![\w-])[\w-]+\.grand-challenge\.org|synapse\.org|cancerimagingarchive\.net|echonet\.github\.io|osf\.io|"
    r"humanheart-project\.creatis\.insa-lyon\.fr)[^\s)\]>\"']*",
    re.I,
)
_PUBLIC_DATA_PHRASE = re.compile(
    r"\bpublic(?:ly available)? (?:\w+ ){0,3}(?:data(?:set)?s?|corpus|database|benchmark)\b", re.I
)
_TRAIN_CONTEXT = re.compile(r"\b(?:train\w*|fine-?tun\w*|dataset|data|corpus)\b", re.I)


def training_data_public(sentence: str) -> bool | None:
    """One sentence about training data: True for a named public dataset or a public data link, False for private."""
    if not sentence:
        return None
    if withholds_data(sentence) and not _PUBLIC_DATASET_RE.search(sentence):
        return False
    if not _TRAIN_CONTEXT.search(sentence):
        return None
    if _PRIVATE_DATA.search(sentence) and not _PUBLIC_DATASET_RE.search(sentence):
        return False
    if re.search(r"\b(?:restricted|request|not (?:publicly )?available)\b", sentence, re.I):
        return None  # a linked but gated dataset: leave it to the curator
    if _PUBLIC_DATA_LINK.search(sentence) or (
        _PUBLIC_DATASET_RE.search(sentence) and re.search(r"\b(?:train\w*|fine-?tun\w*|use[sd]?|on)\b", sentence, re.I)
    ):
        return True
    if _PUBLIC_DATA_PHRASE.search(sentence):
        return True
    return None
