"""Entity resolution: fold raw records of one resource into one candidate, and find known ones.

Pure (plain data in, plain data out, no DB, no clock). Triage calls
``resolve(items, catalogue)`` after judging every record's relevance and kind;
the result says which records are one resource, which catalogue entry (if any)
that resource already is, why, and which look-alike pairs a curator must decide.

Interface::

    Item(id, kind, name, title, keys, refs, is_publication)   one judged record
    CatalogueEntry(entry_id, kind, name, aliases, keys)       one catalogue entry
    Cluster(ids, catalogue_match, match_reasons, uncertain)   one resolved resource
    resolve(items, catalogue) -> list[Cluster]                every item in exactly one cluster
    item_from(candidate, kind, ...) -> Item                   from a parsed ``Candidate``
    item_keys(candidate) -> (keys, refs)                      own identifiers vs mentioned links
    catalogue_entry_from(entry_id, kind, name, values) -> CatalogueEntry

Keys and refs are ``crawler.links.normalise_url`` strings (``doi:…``, ``github:o/r``,
``zenodo:N``, ``kaggle:datasets/o/s`` …); ``canonical_key`` folds the spellings of
one identifier together (``zenodo:N`` = ``doi:10.5281/zenodo.N``, an arXiv DOI =
``arxiv:ID``, figshare/Mendeley version DOIs = their unversioned DOI).

Evidence, strongest first (each accepted edge is a union in a union-find):

1. Identity keys. Two records sharing a key (DOI, concept DOI, normalised own
   URL) are one resource whatever their kinds: a Scholar hit whose link is a
   GitHub repo, the same Zenodo record found twice, two Zenodo versions with one
   concept DOI, the paper record of a data DOI. Never vetoed; applies to records
   of kind "other" too.
2. Reference links (A's text/metadata mentions B's key), only between relevant
   records of the SAME kind (a model is not its training data), and only from
   records whose refs resolve to at most ``MAX_REF_TARGETS`` records/entries
   (an awesome-list or survey linking fifty resources says nothing about one):
   * a publication links one resource of its kind ("code/data available at"):
     merged; when it links several, only those named in its title, the others
     flagged;
   * a resource cites a publication: merged when the resource's name is in the
     publication's title or equals its acronym (the paper's official code);
     otherwise flagged when it is the only paper of its kind the resource cites;
   * a publication cites a publication: merged only under the same title (one
     paper, two records), never flagged (papers cite papers);
   * a resource cites a resource (Kaggle mirror citing the Zenodo DOI, a README
     pointing at its data): merged when the names agree (same core, or one core
     plus only descriptive words: anatomy, task, "challenge", "split" …);
     otherwise ("extends BUSI", "BUSI-2 builds on BUSI", a renamed copy)
     flagged uncertain, not merged. Mirrors by several owners are fine here.
3. Names. Lower-cased, split on non-alphanumerics, stripped of packaging and
   copy words (dataset, data, images, ultrasound, US, official, pytorch, code,
   repo, v1, version, mirror, weights, checkpoint, preprocessed …): the rest is
   the *core*. Records of the same kind merge when a core is identical (joined,
   or as a sorted token list) and the name is *specific*: it has a token that is
   neither a domain word (the list below, anatomy of ``crawler.vocab``) nor a
   version/number, and that token has 4+ characters, or letters and digits
   ("HC18"), or there are two such tokens, or it is a short acronym with another
   core word ("CMU-Net", "Deep MTJ"; a bare "CCA" is not specific). Datasets also merge
   when the cores agree apart from descriptive words and what remains is
   specific ("BUSI segmentation" = "BUSI"; markers such as "3D", "lite",
   "pediatric" or numbers are never descriptive). In large runs
   a token found in very many distinct names ("center", "scale") counts as a
   domain word too (``common_tokens``). Version and number markers stay in the
   core, so "BUSI" / "BUSI-2", "CAMUS" / "CAMUS-LV 3D", "USFM" / "USFM-lite"
   differ; such look-alikes (one core inside the other, or half the tokens
   shared including a specific one) are flagged, never merged. Acronyms in
   parentheses and short prefixes before ':' (" - ", " | ") are extra name forms
   (aliases). A name made only of domain words ("Knee Ultrasound Image
   Dataset") is a topic many uploads share: records never merge on it
   (identical long spellings are flagged). A name merge is vetoed, and flagged,
   when it would put records of one host with different owners (alice/CAMUS,
   bob/CAMUS) or of two different known entries into one cluster. Records of
   kind "other" never merge by name or reference (a US-census repo named like a
   dataset must not absorb it). Publications whose titles are spelled
   identically with ``MIN_TITLE_WORDS``+ words are one paper (preprint and
   journal version, OpenAlex and Scholar), however generic the words.

Blocking (100k records in about 5 s of one core): identical cores meet in hash
groups (joined core, sorted tokens, exact spelling) instead of pairwise
comparison; look-alike flagging compares only records sharing an informative
token or a 4-character core prefix, skipping blocks larger than ``MAX_BLOCK``;
catalogue entries are found through dicts of their keys and names and the same
token/prefix blocks for look-alikes.

Catalogue (known) matching, per cluster, strongest evidence wins: a shared key
with an entry of the cluster's kind (a key of an entry of another kind, such as
the dataset "CCA" whose link is the MI-SegNet code repo, is flagged instead); a
member citing an entry key with agreeing names; the same name or alias with the
same kind. Name-only matches are flagged, not made, when the entry's name is
all domain words ("Thyroid", "Ultrasound Elastography") unless spelled
identically with 4+ words (or 3 with two core words: "Breast Ultrasound Images
Dataset" matches its Kaggle namesake); when a dataset entry's name is a bare
acronym of at most 4 letters ("CCA", "UCLA": the paper labelled unnamed data by
place or anatomy; an acronym backed by the entry's full name, "TMED", matches);
and when the entry's repository on the record's host has another owner. Several
equally strong entries: no match, all flagged.

Curators' decisions outrank everything: ``resolve(..., keep_apart=[(a, b)])``
never lets records a and b end in one cluster (a split), ``keep_together``
joins them (a duplicate mark).

Output: clusters ordered by their smallest member id; member ids sorted; reasons
in the order the edges were accepted; uncertain pairs deduplicated and capped
per record (``MAX_FLAGS_PER_ITEM``) so a common name does not bury a curator.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from crawler.links import find_links, normalise_url
from crawler.models import Candidate
from crawler.vocab import ANATOMY

RELEVANT_KINDS = ("dataset", "model")

# A record whose refs resolve to more records/entries than this is a list or survey: its refs are ignored.
MAX_REF_TARGETS = 5
# ... and one that mentions this many resource-like links (resolved or not) is one too.
MAX_RESOURCE_REFS = 30
# A key held by more records than this is no identifier (a bad extraction: a home page, a journal):
# it merges nothing.
MAX_KEY_HOLDERS = 50
# Look-alike blocks larger than this are common words, not names: not compared pairwise.
MAX_BLOCK = 60
MAX_FLAGS_PER_ITEM = 5
# Two publications whose titles are spelled identically with at least this many words are one paper.
MIN_TITLE_WORDS = 6
# A token in more than max(COMMON_MIN, COMMON_SHARE x distinct names) distinct names is a word, not a name.
COMMON_MIN = 100
COMMON_SHARE = 0.002
PUBLICATION_SOURCES = ("openalex", "scholar")

# ---------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class Item:
    """One raw record to resolve, already judged by triage.

    ``keys`` identify the record's own resource (its normalised URL, DOI, concept
    DOI, concept record); ``refs`` are the normalised links it merely mentions.
    """

    id: str  # "<source>:<native_id>"
    kind: str  # "dataset" | "model" | "other"
    name: str
    title: str
    keys: frozenset[str]
    refs: frozenset[str] = frozenset()
    is_publication: bool = False


@dataclass(frozen=True)
class CatalogueEntry:
    entry_id: int
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()


@dataclass
class Cluster:
    ids: list[str]
    catalogue_match: int | None = None
    match_reasons: list[str] = field(default_factory=list)
    uncertain: list[tuple[str, str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# keys

_ZENODO_KEY = re.compile(r"^zenodo:(\d+)$")
_ARXIV_DOI = re.compile(r"^doi:10\.48550/arxiv\.(.+)$")
# figshare and Mendeley Data mint one DOI per version: ".v2" / ".2" after the concept DOI.
_VERSIONED_DOI = re.compile(r"^(doi:10\.6084/m9\.figshare\.\d+)\.v\d+$|^(doi:10\.17632/[a-z0-9]+)\.\d+$")
_RESOURCE_PREFIXES = ("doi:", "arxiv:", "github:", "zenodo:", "kaggle:", "hf:")


_RESPELT = ("zenodo:", "doi:10.48550/", "doi:10.6084/", "doi:10.17632/")


def canonical_key(key: str) -> str:
    """One spelling per identifier, so that a DOI and a record URL of one Zenodo record meet."""
    key = key.strip()
    if not key.startswith(_RESPELT):
        return key
    match = _ZENODO_KEY.match(key)
    if match:
        return f"doi:10.5281/zenodo.{match.group(1)}"
    match = _ARXIV_DOI.match(key)
    if match:
        return f"arxiv:{match.group(1)}"
    match = _VERSIONED_DOI.match(key)
    if match:
        return match.group(1) or match.group(2)
    return key


# Home pages of hosts and indexes: many resources live there, so their bare address names none.
PLATFORM_HOSTS = frozenset(
    "github.com gitlab.com zenodo.org kaggle.com huggingface.co doi.org dx.doi.org arxiv.org openalex.org "
    "scholar.google.com figshare.com data.mendeley.com physionet.org drive.google.com dropbox.com "
    "sciencedirect.com ieeexplore.ieee.org link.springer.com nature.com researchgate.net pubmed.ncbi.nlm.nih.gov "
    "ncbi.nlm.nih.gov biorxiv.org medrxiv.org grand-challenge.org paperswithcode.com youtube.com".split()
)


def is_identifier(key: str) -> bool:
    """A key that can name one resource: ``doi:…``, ``github:o/r`` …, a URL with a path, a project's own
    site; not the bare address of a hosting platform ("github.com")."""
    if not key:
        return False
    scheme, colon, rest = key.partition(":")
    if colon and scheme.isalpha() and "." not in scheme and rest:
        return True  # doi:, arxiv:, github:, zenodo:, kaggle:, hf:
    host, slash, path = key.partition("/")
    if (slash and path.strip("/")) or "?" in host:
        return True
    return "." in host and host not in PLATFORM_HOSTS


def _canonical_keys(keys: frozenset[str]) -> frozenset[str]:
    # most keys are canonical already (item_from and catalogue_entry_from make them so): check cheaply
    for key in keys:
        if key.startswith(_RESPELT) or key[-1:].isspace() or "/" not in key:
            return frozenset(k for k in map(canonical_key, keys) if is_identifier(k))
    return keys


def _own_removed(refs: frozenset[str], keys: frozenset[str]) -> frozenset[str]:
    return refs if refs.isdisjoint(keys) else refs - keys


def _norm(url: str) -> str:
    return canonical_key(normalise_url(url))


def _doi_key(doi: str | None) -> str | None:
    return _norm(f"https://doi.org/{doi}") if doi else None


def item_keys(candidate: Candidate) -> tuple[frozenset[str], frozenset[str]]:
    """``(own identifiers, mentioned links)`` of a parsed record, by what each source's fields mean.

    * Zenodo: the record URL, DOI, concept DOI and concept record are its own;
      related identifiers and description links are mentions.
    * OpenAlex / Scholar: the DOI and the locations from metadata (landing page,
      PDF, Scholar's title link) are the paper's own; URLs in the title or
      abstract are mentions (so is a Scholar DOI read only from the snippet).
    * GitHub: the repo URL only; a DOI in the README (even a badge) may be the
      data it uses or the paper it implements, so it is a mention.
    * Kaggle: the page and the Kaggle-minted DOI; Hugging Face: the repo and a
      Hub-minted DOI (10.57967/…); any other card DOI is a mention.
    """
    own: set[str] = set()
    mentioned: set[str] = set()
    if candidate.url:
        own.add(_norm(candidate.url))
    source = candidate.source
    doi = _doi_key(candidate.doi)
    concept = _doi_key(candidate.concept_doi)
    links = [_norm(u) for u in candidate.links if u]
    if source == "zenodo":
        own.update(k for k in (doi, concept) if k)
        recid = candidate.extra.get("concept_recid")
        if recid:
            own.add(canonical_key(f"zenodo:{recid}"))
        mentioned.update(links)
    elif source in PUBLICATION_SOURCES:
        in_text = {_norm(u) for u in find_links(f"{candidate.title}\n{candidate.text}")}
        if doi:
            # OpenAlex's DOI is the work's; Scholar's may have been read from the snippet
            (mentioned if source == "scholar" and doi in in_text else own).add(doi)
        for key in links:
            (mentioned if key in in_text else own).add(key)
    elif source == "github":
        mentioned.update(links)
        if doi:
            mentioned.add(doi)
        mentioned.update(k for k in (_doi_key(d) for d in candidate.extra.get("dois") or []) if k)
    elif source == "huggingface":
        if doi:
            (own if doi.startswith("doi:10.57967/") else mentioned).add(doi)
        mentioned.update(links)
    else:  # kaggle and any later host: its own DOI is minted for the record
        if doi:
            own.add(doi)
        mentioned.update(links)
    own = {k for k in own if is_identifier(k)}
    mentioned = {k for k in mentioned if is_identifier(k)}
    return frozenset(own), frozenset(mentioned - own)


def item_name(candidate: Candidate) -> str:
    """The ``name`` of docs/fields.md: GitHub/Hugging Face the part after ``owner/``, else the title."""
    title = candidate.title.strip()
    if candidate.source in ("github", "huggingface") and "/" in title:
        return title.rsplit("/", 1)[1]
    return title


def is_publication(candidate: Candidate) -> bool:
    hint = (candidate.kind_hint or "").lower()
    if candidate.source == "scholar":
        return True
    if candidate.source == "openalex":
        return hint not in {"dataset", "software"}  # OpenAlex also indexes DataCite data/software
    if candidate.source == "zenodo":
        return hint in {"publication", "poster", "presentation"}
    return False


def item_from(candidate: Candidate, kind: str) -> Item:
    """An ``Item`` from a parsed record and triage's kind (dataset, model or other)."""
    keys, refs = item_keys(candidate)
    return Item(
        id=f"{candidate.source}:{candidate.native_id}",
        kind=kind,
        name=item_name(candidate),
        title=candidate.title,
        keys=keys,
        refs=refs,
        is_publication=is_publication(candidate),
    )


def catalogue_entry_from(entry_id: int, kind: str, name: str, values: Mapping[str, Any]) -> CatalogueEntry:
    """A ``CatalogueEntry`` from an entry's characteristic values (``link`` list, ``doi``).

    Values may be bare (``{"link": [...]}``) or wrapped (``{"link": {"value": [...]}}``).
    The aliases are the acronyms the name itself gives ("… Dataset (TMED)" → "TMED").
    """

    def bare(value: Any) -> Any:
        return value.get("value") if isinstance(value, Mapping) else value

    keys: set[str] = set()
    links = bare(values.get("link"))
    if isinstance(links, str):
        links = [links]
    for url in links or []:
        if isinstance(url, str) and url.strip():
            keys.add(_norm(url))
    keys = {k for k in keys if is_identifier(k)}
    doi = bare(values.get("doi"))
    if isinstance(doi, str) and doi.strip():
        keys.add(_doi_key(doi.strip()) or "")
    keys.discard("")
    aliases = tuple(a for a in _alias_strings(name) if a.lower() != name.lower())
    return CatalogueEntry(entry_id=entry_id, kind=kind, name=name, aliases=aliases, keys=frozenset(keys))


# ---------------------------------------------------------------------------------------------
# names

# Packaging words: they say how a resource is shipped, not which resource it is.
DROP = frozenset(
    "dataset datasets data database databases db images image imgs img ultrasound ultrasounds ultrasonic "
    "ultrasonography sonography sonographic us the a an of for and in on with from to by at v1 v1.0 version "
    "official pytorch tensorflow keras implementation implementations code codes repo repository github "
    "source "
    # copies: a mirror, the weights or a cleaned-up upload of a resource are that resource
    "mirror copy reupload weights weight checkpoint checkpoints pretrained preprocessed resized cleaned "
    "masks".split()
)
# Domain words: common to many resource names, so a name made only of them names nothing in particular.
GENERIC = frozenset(
    "breast thyroid liver kidney kidneys renal lung lungs heart cardiac fetal fetus foetal obstetric "
    "obstetrics prostate brain carotid muscle muscles knee nerve nerves ovary ovarian gallbladder pancreas "
    "abdominal abdomen cervix cervical skin eye spine bladder vessel vessels vascular artery arteries "
    "tumor tumour tumors tumours cancer lesion lesions nodule nodules covid covid19 pneumonia appendicitis "
    "echocardiography echocardiogram echocardiograms echo elastography doppler bmode b mode ceus "
    "segmentation classification detection diagnosis localization localisation tracking registration "
    "reconstruction generation enhancement estimation prediction recognition synthesis denoising "
    "medical clinical deep learning machine neural network networks net model models ai cnn unet "
    "transformer based using automatic automated analysis benchmark challenge video videos frame frames "
    "scan scans clip clips cine sequence sequences volume volumes imaging normal abnormal benign malignant "
    "multi multimodal open public new large small simple review survey editorial correction erratum letter "
    "comment reply overview tutorial study case report toolkit toolbox tool tools framework library "
    "pipeline demo example examples experiments test train training 2d 3d 4d photos pictures "
    "hospital patients patient human adult pediatric paediatric point care pocus annotated labeled labelled "
    "awesome list collection resources paper papers loops quality assessment biometry measurement "
    "screening view views plane planes standard freehand probe sonographer center centre "
    "multicenter multicentre scale".split()
)
# Extra words that describe a copy of a resource without making it another one (mirror compatibility).
DESCRIPTIVE = (
    GENERIC
    | frozenset(
        "kaggle split splits processed clean raw full complete original gt ground truth mask annotation "
        "annotations label labels png jpg jpeg dicom nifti npy subset".split()
    )
) - frozenset("2d 3d 4d pediatric paediatric adult new large small".split())
# Words that make a name another resource even when everything else is shared.
MARKERS = frozenset("lite plus pro mini tiny base large small extended expanded ii iii iv next 2d 3d 4d".split())

_TOKEN = re.compile(r"[a-z0-9]+")
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_SEGMENT_SPLIT = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
_ACRONYM_WORD = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z0-9]|[A-Za-z]+\d|[a-z]+[A-Z]")


class NameForm(NamedTuple):
    """One spelling of a name, prepared for comparison (a tuple: cheap to build 100k times)."""

    text: str
    spelled: str  # every lower-cased token, space-separated: "breast ultrasound images dataset"
    words: int  # how many tokens
    core: tuple[str, ...]  # tokens without packaging words
    squash: str  # the core joined without separators: "echonetdynamic"
    signature: str  # the sorted core tokens: "dynamic echonet"
    informative: tuple[str, ...]  # core tokens that are not domain words or bare numbers
    specific: bool  # the name can identify a resource on its own
    alias: bool  # an acronym / short title prefix, not the full name


def _stem(token: str) -> str:
    # "EchoNet Dynamics" vs "echonet-dynamic"; short acronyms ("BUSIS", "LOTUS") keep their s.
    if len(token) >= 6 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _has_digit(token: str) -> bool:
    return not token.isalpha()  # tokens are [a-z0-9]+


def _ascii(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_VERSION = re.compile(r"v?\d+(?:\.\d+)*")


# every anatomy pattern of crawler.vocab in one regex: one search per distinct token
_ANATOMY_WORD = re.compile("|".join(f"(?:{pattern})" for _, pattern in ANATOMY.values()), re.I)


@lru_cache(maxsize=65536)
def is_domain_word(token: str) -> bool:
    """A word many resource names share: the list above or a body part of ``crawler.vocab``."""
    return token in GENERIC or _ANATOMY_WORD.fullmatch(token) is not None


def _is_specific(informative: Sequence[str], core: Sequence[str]) -> bool:
    if not informative:
        return False
    if len(informative) >= 2 or not informative[0].isalpha():  # two names, or a letter+digit one
        return True
    # "CMU-Net", "Deep MTJ", "PAD-detection": a short acronym with another word is a coined name;
    # a bare "CCA" or "TED" is not
    return len(informative[0]) >= 4 or (len(informative[0]) >= 2 and len(core) >= 2)


@lru_cache(maxsize=65536)
def _token_role(token: str) -> tuple[str, bool] | None:
    """``None`` for a packaging word, else (the token as compared, whether it can identify)."""
    if token in DROP:
        return None
    stem = _stem(token)
    # version, number and variant markers ("lite", "plus") tell resources apart but identify none
    return stem, not (is_domain_word(stem) or stem in MARKERS or _VERSION.fullmatch(stem))


_role = _token_role  # a local alias keeps the hot loop below cheap


@lru_cache(maxsize=262144)
def name_form(text: str, alias: bool = False) -> NameForm:
    tokens = _TOKEN.findall(_ascii(text).lower())
    core: list[str] = []
    informative: list[str] = []
    for token in tokens:
        role = _role(token)
        if role is not None:
            core.append(role[0])
            if role[1]:
                informative.append(role[0])
    return NameForm(
        text,
        " ".join(tokens),
        len(tokens),
        tuple(core),
        "".join(core),
        " ".join(sorted(core)) if len(core) > 1 else "".join(core),
        tuple(informative),
        _is_specific(informative, core),
        alias,
    )


def without_common(form: NameForm, common: frozenset[str]) -> NameForm:
    """The form judged again with the corpus's common words ("center", "scale") as domain words."""
    if not common or not form.specific or common.isdisjoint(form.informative):
        return form
    informative = tuple(t for t in form.informative if t not in common)
    return form._replace(informative=informative, specific=_is_specific(informative, form.core))


def _looks_like_name(segment: str, single_word_ok: bool) -> bool:
    words = segment.split()
    if not words or len(words) > 3 or len(segment) > 40:
        return False
    if single_word_ok and len(words) == 1:
        return True
    return any(_ACRONYM_WORD.fullmatch(w.strip(".,;")) for w in words)


@lru_cache(maxsize=262144)
def _alias_strings(text: str) -> tuple[str, ...]:
    """Acronyms and short name prefixes a title gives: "Foo Bar (FB)", "FB: foo bar", "FB - foo bar"."""
    out: list[str] = []
    if "(" in text:
        for match in _PAREN.finditer(text):
            inner = match.group(1).strip()
            acronym_like = any(ch.isupper() or ch.isdigit() for ch in inner)
            if acronym_like and not inner.isdigit() and _looks_like_name(inner, False):
                out.append(inner)
    if ":" in text:
        head, _, rest = text.partition(":")
        if rest.strip() and _looks_like_name(head.strip(), True):
            out.append(head.strip())
    if "/" in text:
        # "alice/EchoSeg: v1.0.2" (Zenodo's GitHub archives), "owner/name" (Hub ids): the part after owner/
        head = text.split(":", 1)[0].strip()
        owner, slash, repo = head.partition("/")
        if slash and owner and repo and " " not in head and "/" not in repo:
            out.append(repo)
    if " -" in text or "|" in text or "–" in text or "—" in text:
        segments = [s.strip() for s in _SEGMENT_SPLIT.split(text) if s.strip()]
        if len(segments) > 1:
            out.extend(s for s in segments if _looks_like_name(s, False))
    if not out:
        return ()
    seen: list[str] = []
    for alias in out:
        if alias not in seen and alias != text:
            seen.append(alias)
    return tuple(seen)


@lru_cache(maxsize=262144)
def name_forms(name: str, title: str = "", aliases: tuple[str, ...] = ()) -> tuple[NameForm, ...]:
    """The main name plus its alias forms (acronyms, short title prefixes) with a non-empty core."""
    main = name_form(name)
    extra = aliases + _alias_strings(name)
    if title and title != name:
        extra += _alias_strings(title)
    if not extra:
        return (main,) if main.core else ()
    forms = [main]
    squashes = {main.squash}
    for text in extra:
        form = name_form(text, alias=True)
        if form.core and form.squash not in squashes:
            squashes.add(form.squash)
            forms.append(form)
    return tuple(f for f in forms if f.core)


def exact_long(a: NameForm, b: NameForm) -> bool:
    """Spelled identically and long enough to be a title rather than a topic."""
    return a.spelled == b.spelled and (a.words >= 4 or (a.words >= 3 and len(a.core) >= 2))


def _extra_tokens(a: NameForm, b: NameForm) -> list[str] | None:
    """Tokens the longer name adds when one core contains the other (as multisets), else None."""
    sa, sb = set(a.core), set(b.core)
    if not (sa <= sb or sb <= sa):
        return None
    ca, cb = Counter(a.core), Counter(b.core)
    if not ca - cb:
        return list((cb - ca).elements())
    if not cb - ca:
        return list((ca - cb).elements())
    return None


def look_alike(a: NameForm, b: NameForm) -> bool:
    """Similar but not identical specific names ("BUSI" / "BUSI-2", "USFM" / "USFM-lite")."""
    if not (a.specific and b.specific) or a.squash == b.squash or a.signature == b.signature:
        return False
    short, long_ = (a.squash, b.squash) if len(a.squash) <= len(b.squash) else (b.squash, a.squash)
    if len(short) >= 4 and short in long_:
        return True
    if not any(t in b.informative for t in a.informative):
        return False
    ca, cb = set(a.core), set(b.core)
    return 2 * len(ca & cb) >= len(ca | cb)


def compatible_copy(a: NameForm, b: NameForm) -> bool:
    """Names of a record and the record it cites that can be one resource (a mirror, a renamed copy).

    The link is the evidence here; the names only must not contradict it, so a
    generic name is fine as long as the two agree.
    """
    if not (a.core and b.core):
        return False
    if a.squash == b.squash or a.signature == b.signature:
        return True
    extra = _extra_tokens(a, b)
    if extra is None:
        short, long_ = sorted((a, b), key=lambda f: len(f.squash))
        if len(short.squash) >= 4 and long_.squash.startswith(short.squash):
            rest = long_.squash[len(short.squash):]
            return rest in DESCRIPTIVE and rest not in MARKERS  # "busisegmentation" = "busi" + "segmentation"
        return False
    return all(t in DESCRIPTIVE and t not in MARKERS and not _has_digit(t) for t in extra)


def named_in_title(resource: NameForm, title: NameForm, title_aliases: Iterable[NameForm]) -> bool:
    """The resource's name occurs in a publication's title (the paper's official code or data)."""
    if not resource.core:
        return False
    # the link is evidence already: an acronym equal to the title's (even a short one) names it
    if any(resource.squash == alias.squash or resource.signature == alias.signature for alias in title_aliases):
        return True
    if not (resource.specific or len(resource.core) >= 2):
        return False
    if set(resource.core) <= set(title.core):
        return True
    return len(resource.squash) >= 5 and resource.squash in title.squash


def _forms_compatible(xs: Iterable[NameForm], ys: Iterable[NameForm]) -> bool:
    ys = tuple(ys)
    return any(compatible_copy(x, y) for x in xs for y in ys)


# ---------------------------------------------------------------------------------------------
# resolution


def common_tokens(forms: Iterable[tuple[NameForm, ...]]) -> frozenset[str]:
    """Informative-looking tokens so frequent among this run's distinct names that they are words.

    The static domain vocabulary cannot list every English word that dataset
    names share ("center", "scale", "collection"); in a large run their
    frequency gives them away (a coined name such as "CAMUS" occurs in a few
    dozen distinct names at most). Small runs have none.
    """
    seen: set[str] = set()
    df: dict[str, int] = defaultdict(int)
    for fs in forms:
        for f in fs:
            if f.signature in seen:
                continue
            seen.add(f.signature)
            for t in set(f.informative):
                df[t] += 1
    threshold = max(COMMON_MIN, int(COMMON_SHARE * len(seen)))
    return frozenset(t for t, n in df.items() if n > threshold)


_OWNED = ("github:", "kaggle:", "hf:")


def _owner(key: str) -> tuple[str, str] | None:
    """``(host, owner)`` of a namespaced own key; hosts where one name can belong to many owners."""
    if key.startswith("github:"):
        return "github", key[7:].split("/", 1)[0]
    if key.startswith("kaggle:datasets/") or key.startswith("kaggle:models/"):
        parts = key.split("/")
        return "kaggle", parts[1] if len(parts) > 1 else ""
    if key.startswith("hf:"):
        parts = key[3:].split("/")
        return "hf", parts[1] if len(parts) > 1 else ""
    return None


class _Components:
    """Union-find over item indices, carrying what the vetoes need per component."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.owners: dict[int, tuple[tuple[str, str], ...]] = {}  # root -> (host, owner) pairs
        self.apart: dict[int, dict[int, int]] = {}  # root -> {curator constraint: sides held (1, 2 or 3)}
        self.entries: dict[int, set[int]] = {}
        self.size = [1] * n

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def conflict(self, a: int, b: int, *, owners: bool = True) -> str | None:
        """Why a and b must not be merged on weak evidence; ``owners`` only for name evidence."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        ea, eb = self.entries.get(ra), self.entries.get(rb)
        if ea and eb and ea.isdisjoint(eb):
            return "they match different catalogue entries"
        oa, ob = self.owners.get(ra), self.owners.get(rb)
        if owners and oa and ob:
            for host in sorted({h for h, _ in oa}):
                mine = {o for h, o in oa if h == host}
                theirs = {o for h, o in ob if h == host}
                if theirs and mine.isdisjoint(theirs):
                    return f"same name but different {host} owners and no shared link"
        return None

    def kept_apart(self, a: int, b: int) -> bool:
        """A curator split these two components' records: nothing may join them again."""
        pa, pb = self.apart.get(self.find(a)), self.apart.get(self.find(b))
        if not pa or not pb:
            return False
        return any(k in pb and (sides | pb[k]) == 3 for k, sides in pa.items())

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        ob = self.owners.pop(rb, None)
        if ob:
            self.owners[ra] = tuple(dict.fromkeys(self.owners.get(ra, ()) + ob))
        eb = self.entries.pop(rb, None)
        if eb:
            self.entries.setdefault(ra, set()).update(eb)
        pb = self.apart.pop(rb, None)
        if pb:
            pa = self.apart.setdefault(ra, {})
            for k, sides in pb.items():
                pa[k] = pa.get(k, 0) | sides
        return True


class _Resolver:
    """One run of ``resolve``: the phases in the order of the evidence's strength.

    Determinism: items are processed in id order and nothing that decides an
    edge, a veto or a capped flag iterates a set (string hashes vary between
    processes), so the output is the same in every process.
    """

    def __init__(self, items: list[Item], catalogue: list[CatalogueEntry]) -> None:
        self.items = sorted(items, key=lambda it: it.id)
        self.ids = [it.id for it in self.items]
        self.catalogue = sorted(catalogue, key=lambda e: e.entry_id)
        self.entry_by_id = {e.entry_id: e for e in self.catalogue}
        self.uf = _Components(len(self.items))
        self.relevant = [it.kind in RELEVANT_KINDS for it in self.items]
        self.keys = [_canonical_keys(it.keys) for it in self.items]
        self.refs = [_own_removed(_canonical_keys(it.refs), keys) for it, keys in zip(self.items, self.keys)]
        # names only ever join relevant records: an irrelevant one needs none
        forms = [name_forms(it.name, it.title) if rel else () for it, rel in zip(self.items, self.relevant)]
        entry_forms = [name_forms(e.name, "", tuple(e.aliases)) for e in self.catalogue]
        self.common = common = common_tokens(forms + entry_forms)
        if common:

            def adjust(fs: tuple[NameForm, ...]) -> tuple[NameForm, ...]:
                if all(not f.specific or common.isdisjoint(f.informative) for f in fs):
                    return fs
                return tuple(without_common(f, common) for f in fs)

            forms = [adjust(fs) for fs in forms]
            entry_forms = [adjust(fs) for fs in entry_forms]
        self.forms = forms
        self.entry_forms = {e.entry_id: fs for e, fs in zip(self.catalogue, entry_forms)}
        self._title_forms: dict[int, NameForm] = {}
        self.edges: list[tuple[int, int, str]] = []  # accepted edges in order: the reasons
        self.flags: list[tuple[int, str, str]] = []  # (item index, other id, reason)
        self.flag_count: dict[int, int] = defaultdict(int)
        self.flagged_pairs: set[tuple[str, str]] = set()
        self.entry_keys: dict[str, list[int]] = defaultdict(list)
        for entry in self.catalogue:
            for key in sorted({k for k in map(canonical_key, entry.keys) if is_identifier(k)}):
                self.entry_keys[key].append(entry.entry_id)
        self.item_entry_keys: dict[int, list[tuple[str, int]]] = {}  # item -> (key, entry) it shares
        self.entry_refs: dict[int, list[tuple[int, str]]] = {}  # item -> (entry, key) it cites

    def title_form(self, i: int) -> NameForm:
        form = self._title_forms.get(i)
        if form is None:
            item = self.items[i]
            form = name_form(item.title or item.name)
            if self.common:
                form = without_common(form, self.common)
            self._title_forms[i] = form
        return form

    # -- flags ----------------------------------------------------------------------------------

    def flag(self, i: int, other: str, reason: str) -> None:
        me = self.ids[i]
        pair = (me, other) if me < other else (other, me)
        if pair in self.flagged_pairs or self.flag_count[i] >= MAX_FLAGS_PER_ITEM:
            return
        self.flagged_pairs.add(pair)
        self.flag_count[i] += 1
        self.flags.append((i, other, reason))

    def flag_pair(self, i: int, j: int, reason: str) -> None:
        a, b = (i, j) if self.ids[i] < self.ids[j] else (j, i)
        self.flag(a, self.ids[b], reason)

    def accept(self, i: int, j: int, reason: str) -> None:
        if self.uf.kept_apart(i, j):
            return  # a curator's split outranks every machine evidence
        if self.uf.union(i, j):
            self.edges.append((i, j, reason))

    # -- 0. curators' decisions ---------------------------------------------------------------------

    def _pairs(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        known = set(self.ids)
        return sorted({(min(a, b), max(a, b)) for a, b in pairs if a in known and b in known and a != b})

    def mark_apart(self, keep_apart: Iterable[tuple[str, str]]) -> None:
        """Before any union: each split pair marks its two records as opposite sides of one constraint."""
        index = {item_id: i for i, item_id in enumerate(self.ids)}
        for k, (a, b) in enumerate(self._pairs(keep_apart)):
            for item_id, side in ((a, 1), (b, 2)):
                marks = self.uf.apart.setdefault(index[item_id], {})
                marks[k] = marks.get(k, 0) | side

    def join_together(self, keep_together: Iterable[tuple[str, str]]) -> None:
        index = {item_id: i for i, item_id in enumerate(self.ids)}
        for a, b in self._pairs(keep_together):
            self.accept(index[a], index[b], f"a curator marked {a} and {b} as one resource")

    # -- 1. identity keys ---------------------------------------------------------------------------

    def key_edges(self) -> None:
        holders: dict[str, list[int]] = defaultdict(list)
        entry_keys, owners_of, entries_of = self.entry_keys, self.uf.owners, self.uf.entries
        for i, keys in enumerate(self.keys):
            for key in keys:
                holders[key].append(i)
                # what the vetoes of weaker edges need, per record; unions merge it per component
                if key.startswith(_OWNED):
                    owner = _owner(key)
                    if owner:
                        owners_of[i] = owners_of.get(i, ()) + (owner,)
                if key in entry_keys:
                    self.item_entry_keys.setdefault(i, []).extend((key, e) for e in entry_keys[key])
            hits = self.item_entry_keys.get(i)
            if hits:
                hits.sort()
                kind = self.items[i].kind
                for _, entry_id in hits:
                    if self.entry_by_id[entry_id].kind == kind:
                        entries_of.setdefault(i, set()).add(entry_id)
        self.holders = holders
        for key in sorted(k for k, idx in holders.items() if 1 < len(idx) <= MAX_KEY_HOLDERS):
            idx = holders[key]
            for j in idx[1:]:
                self.accept(idx[0], j, f"{self.ids[idx[0]]} and {self.ids[j]} share {key}")

    # -- 2. reference links -------------------------------------------------------------------------

    def ref_targets(self, i: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(items, entries) that record i's refs resolve to; empty when i is a list or survey."""
        refs = self.refs[i]
        if sum(1 for r in refs if r.startswith(_RESOURCE_PREFIXES)) > MAX_RESOURCE_REFS:
            return [], []
        item_targets: dict[int, str] = {}
        entry_targets: dict[int, str] = {}
        for ref in sorted(refs):
            for j in self.holders.get(ref, ()):
                if j != i:
                    item_targets.setdefault(j, ref)
            for entry_id in self.entry_keys.get(ref, ()):
                entry_targets.setdefault(entry_id, ref)
        if len(item_targets) + len(entry_targets) > MAX_REF_TARGETS:
            return [], []
        return sorted(item_targets.items()), sorted(entry_targets.items())

    def ref_edges(self) -> None:
        for i, item in enumerate(self.items):
            if not self.refs[i] or not self.relevant[i]:
                continue
            targets, entries = self.ref_targets(i)
            if entries:
                self.entry_refs[i] = entries
            same_kind = [(j, ref) for j, ref in targets if self.items[j].kind == item.kind]
            n_publications = sum(1 for j, _ in same_kind if self.items[j].is_publication)
            n_resources = len(same_kind) - n_publications
            for j, ref in same_kind:
                if self.uf.find(i) == self.uf.find(j):
                    continue
                verdict, why = self.ref_verdict(i, j, ref, n_resources, n_publications)
                if verdict == "merge":
                    veto = self.uf.conflict(i, j, owners=False)  # mirrors by several users are fine
                    if veto:
                        self.flag_pair(i, j, f"{item.id} cites {ref} of {self.ids[j]} but {veto}")
                    else:
                        self.accept(i, j, why)
                elif verdict == "flag":
                    self.flag_pair(i, j, why)

    def ref_verdict(self, i: int, j: int, ref: str, n_resources: int, n_publications: int) -> tuple[str, str]:
        """("merge" | "flag" | "", reason) for record i mentioning record j's key ``ref`` (same kind)."""
        a, b = self.items[i], self.items[j]
        if a.is_publication and b.is_publication:
            # papers cite papers all the time; only the same paper under another record is one
            if _forms_compatible(self.forms[i], self.forms[j]):
                return "merge", f"{a.id} cites {ref} of {b.id}, the same title"
            return "", ""
        if a.is_publication:
            if n_resources == 1 or any(named_in_title(f, self.title_form(i), self.forms[i]) for f in self.forms[j]):
                return "merge", f"{a.id} (publication) links {b.id} ({ref}): the {b.kind} it releases"
            return "flag", f"{a.id} (publication) links several {b.kind}s; {b.id} ({ref}) is not named in its title"
        if b.is_publication:
            if any(named_in_title(f, self.title_form(j), self.forms[j]) for f in self.forms[i]):
                return "merge", f"{a.id} cites {b.id} ({ref}), the publication named after it"
            if n_publications == 1:  # a README citing one paper: plausibly its own
                return "flag", f"{a.id} cites {b.id} ({ref}) whose title does not name it: its own paper or another?"
            return "", ""
        if _forms_compatible(self.forms[i], self.forms[j]):
            return "merge", f"{a.id} cites {ref} of {b.id} with a compatible name ({b.kind})"
        return (
            "flag",
            f"{a.id} cites {ref} of {b.id} but the names differ "
            f"('{a.name}' / '{b.name}'): a derived or different {b.kind}?",
        )

    # -- 3. names -----------------------------------------------------------------------------------

    def name_edges(self) -> None:
        # hash groups instead of pairwise comparison, one dict per (kind, comparison) keyed by strings
        # the forms already hold; insertion order (item id order) is deterministic
        groups: dict[tuple[str, str], dict[str, list[int]]] = {
            (kind, how): {} for kind in RELEVANT_KINDS for how in ("=", "~", "base", "generic", "title")
        }
        for i, item in enumerate(self.items):
            if not self.relevant[i]:
                continue
            kind = item.kind
            same, sorted_same, base_same, generic, title = (
                groups[(kind, how)] for how in ("=", "~", "base", "generic", "title")
            )
            if item.is_publication and self.forms[i] and self.forms[i][0].words >= MIN_TITLE_WORDS:
                # one paper indexed twice (preprint and journal version, OpenAlex and Scholar)
                title.setdefault(self.forms[i][0].spelled, []).append(i)
            for form in self.forms[i]:
                if form.specific:
                    same.setdefault(form.squash, []).append(i)
                    if len(form.core) > 1:
                        sorted_same.setdefault(form.signature, []).append(i)
                    if kind == "dataset":
                        # "BUSI segmentation", "Thyroid TN3K": uploads of one dataset add what it is for
                        base = [t for t in form.core if t not in DESCRIPTIVE]
                        if len(base) == len(form.core):
                            base_same.setdefault(form.squash, []).append(i)
                        elif _is_specific([t for t in base if t in form.informative], base):
                            base_same.setdefault("".join(base), []).append(i)
                elif form.words >= 3 and exact_long(form, form):
                    generic.setdefault(form.spelled, []).append(i)
        for (kind, how), by_value in groups.items():
            for value, members in by_value.items():
                if len(members) < 2:
                    continue
                members = sorted(set(members))
                if len(members) < 2:
                    continue
                if how == "generic":
                    self.flag_generic_group(kind, value, members)
                elif how == "title":
                    self.merge_group(kind, value, members, "same publication title")
                elif how == "base":
                    self.merge_group(kind, value, members, "same name apart from descriptive words")
                else:
                    self.merge_group(kind, value, members)

    def merge_group(self, kind: str, value: str, members: list[int], how: str = "same name") -> None:
        # components in the group, the best evidenced (largest) first: it absorbs compatible others
        roots: dict[int, int] = {}
        for m in members:
            roots.setdefault(self.uf.find(m), m)
        if len(roots) < 2:
            return
        order = sorted(roots.items(), key=lambda rm: (-self.uf.size[rm[0]], self.ids[rm[1]]))
        head = order[0][1]
        for _, m in order[1:]:
            veto = self.uf.conflict(head, m)
            if veto:
                self.flag_pair(head, m, f"{how} '{value}' ({kind}) but {veto}")
            else:
                self.accept(head, m, f"{self.ids[head]} and {self.ids[m]}: {how} '{value}' ({kind})")

    def flag_generic_group(self, kind: str, value: str, members: list[int]) -> None:
        # "Knee Ultrasound Image Dataset" names a topic that many uploads share: a curator decides
        roots: dict[int, int] = {}
        for m in members:
            roots.setdefault(self.uf.find(m), m)
        heads = sorted(roots.values(), key=lambda m: self.ids[m])
        for m in heads[1 : MAX_FLAGS_PER_ITEM + 1]:
            self.flag_pair(heads[0], m, f"same generic name '{value}' ({kind}) and no shared link")

    def look_alike_flags(self) -> None:
        blocks: dict[str, dict[str, list[int]]] = {kind: {} for kind in RELEVANT_KINDS}
        self.form_blocks: dict[int, list[tuple[NameForm, list[str]]]] = {}
        for i, item in enumerate(self.items):
            if not self.relevant[i]:
                continue
            per_form = [(f, _block_keys((f,))) for f in self.forms[i] if f.specific]
            if not per_form:
                continue
            self.form_blocks[i] = per_form
            by_key = blocks[item.kind]
            seen: set[str] = set()
            for _, keys in per_form:
                for key in keys:
                    if key not in seen:
                        seen.add(key)
                        by_key.setdefault(key, []).append(i)
        find, forms = self.uf.find, self.forms
        for kind, by_key in blocks.items():
            for members in by_key.values():
                if len(members) < 2 or len(members) > MAX_BLOCK:
                    continue
                for x, i in enumerate(members):
                    root = find(i)
                    for j in members[x + 1 :]:
                        if find(j) == root:
                            continue
                        pair = next(((fi, fj) for fi in forms[i] for fj in forms[j] if look_alike(fi, fj)), None)
                        if pair:
                            why = f"look-alike names '{pair[0].text}' / '{pair[1].text}' ({kind}): not merged"
                            self.flag_pair(i, j, why)

    # -- catalogue ----------------------------------------------------------------------------------

    def build_entry_index(self) -> None:
        self.entry_names: dict[tuple[str, str], list[tuple[int, NameForm]]] = defaultdict(list)
        self.entry_blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.entry_owners: dict[int, set[tuple[str, str]]] = {}
        for entry in self.catalogue:
            owners = {o for o in map(_owner, entry.keys) if o}
            if owners:
                self.entry_owners[entry.entry_id] = owners
            forms = self.entry_forms[entry.entry_id]
            for form in forms:
                for value in dict.fromkeys((form.squash, form.signature, form.spelled)):
                    self.entry_names[(entry.kind, value)].append((entry.entry_id, form))
            for key in _block_keys(forms):
                self.entry_blocks[(entry.kind, key)].append(entry.entry_id)

    def other_owner(self, i: int, entry_id: int) -> str | None:
        """The host on which record i and the entry are different owners' (alice/CAMUS vs bob/CAMUS)."""
        entry_owners = self.entry_owners.get(entry_id)
        if not entry_owners:
            return None
        for host, owner in filter(None, map(_owner, self.keys[i])):
            on_host = {o for h, o in entry_owners if h == host}
            if on_host and owner not in on_host:
                return host
        return None

    def safe_entry_name(self, entry: CatalogueEntry, entry_form: NameForm, form: NameForm) -> bool:
        if exact_long(form, entry_form):
            return True
        if not (form.specific and entry_form.specific):
            return False
        if entry.kind == "dataset" and not entry_form.alias and len(entry_form.core) == 1:
            token = entry_form.core[0]
            if len(token) <= 4 and not _has_digit(token):
                return False  # "UCLA", "CCA": labels for unnamed data, not names
        return True

    def item_catalogue_hits(self) -> None:
        """Per relevant record: entries of its kind with the same name, and look-alike entries."""
        self.name_hits: dict[int, list[tuple[int, NameForm, NameForm]]] = {}
        self.look_alike_hits: dict[int, list[tuple[int, NameForm, NameForm]]] = {}
        names, blocks, entry_forms = self.entry_names, self.entry_blocks, self.entry_forms
        for i, item in enumerate(self.items):
            if not self.relevant[i]:
                continue
            kind = item.kind
            for form in self.forms[i]:
                hits: dict[int, NameForm] = {}
                for value in (form.squash, form.signature, form.spelled):
                    for entry_id, entry_form in names.get((kind, value), ()):
                        if entry_id not in hits and (
                            form.squash == entry_form.squash
                            or form.signature == entry_form.signature
                            or exact_long(form, entry_form)
                        ):
                            hits[entry_id] = entry_form
                if hits:
                    self.name_hits.setdefault(i, []).extend((e, ef, form) for e, ef in sorted(hits.items()))
            for form, keys in self.form_blocks.get(i, ()):
                found: dict[int, NameForm] = {}
                for key in keys:
                    block = blocks.get((kind, key), ())
                    if len(block) > MAX_BLOCK:
                        continue
                    for entry_id in block:
                        if entry_id in found:
                            continue
                        for candidate in entry_forms[entry_id]:
                            if look_alike(form, candidate):
                                found[entry_id] = candidate
                                break
                if found:
                    self.look_alike_hits.setdefault(i, []).extend((e, ef, form) for e, ef in sorted(found.items()))

    def match_catalogue(self, members: list[int]) -> tuple[int | None, list[str], list[tuple[int, str, str]]]:
        evidence = [
            m for m in members
            if m in self.item_entry_keys or m in self.entry_refs or m in self.name_hits or m in self.look_alike_hits
        ]
        if not evidence:
            return None, [], []
        relevant = [m for m in members if self.relevant[m]]
        kinds = {self.items[m].kind for m in relevant if not self.items[m].is_publication}
        kinds = kinds or {self.items[m].kind for m in relevant}
        strength: dict[int, int] = {}
        reasons: dict[int, list[str]] = defaultdict(list)
        flags: list[tuple[int, str, str]] = []

        def add(entry_id: int, level: int, reason: str) -> None:
            strength[entry_id] = max(strength.get(entry_id, 0), level)
            reasons[entry_id].append(reason)

        for m in evidence:
            item = self.items[m]
            for key, entry_id in self.item_entry_keys.get(m, ()):
                entry = self.entry_by_id[entry_id]
                if not kinds or entry.kind in kinds:
                    add(entry_id, 3, f"{item.id} shares {key} with entry {entry_id} '{entry.name}'")
                else:
                    flags.append((m, f"entry:{entry_id}", f"shares {key} with {entry.kind} entry '{entry.name}' "
                                  f"but is judged {'/'.join(sorted(kinds))}"))
            for entry_id, ref in self.entry_refs.get(m, ()):
                entry = self.entry_by_id[entry_id]
                if item.kind != entry.kind:
                    continue  # a model citing its training data's page is not that data
                if _forms_compatible(self.forms[m], self.entry_forms[entry_id]):
                    add(entry_id, 2, f"{item.id} cites {ref} of entry {entry_id} '{entry.name}' with a compatible name")
                elif not item.is_publication:
                    flags.append((m, f"entry:{entry_id}", f"cites {ref} of entry '{entry.name}' but the names differ"))
            for entry_id, entry_form, form in self.name_hits.get(m, ()):
                entry = self.entry_by_id[entry_id]
                other_owner = self.other_owner(m, entry_id)
                if other_owner:
                    flags.append((m, f"entry:{entry_id}", f"same name as entry '{entry_form.text}' but its "
                                  f"{other_owner} repository is another owner's and no link is shared"))
                elif self.safe_entry_name(entry, entry_form, form):
                    add(entry_id, 1, f"same name '{entry_form.text}' as entry {entry_id} ({entry.kind})")
                else:
                    flags.append((m, f"entry:{entry_id}", f"same name as the short or generic entry name "
                                  f"'{entry_form.text}': needs a shared link"))
            for entry_id, entry_form, form in self.look_alike_hits.get(m, ()):
                why = f"look-alike of entry '{entry_form.text}' ('{form.text}'): not matched"
                flags.append((m, f"entry:{entry_id}", why))
        if not strength:
            return None, [], flags
        best = max(strength.values())
        top = sorted(e for e, level in strength.items() if level == best)
        if len(top) > 1:
            # several entries equally strong: a name agreeing too breaks the tie, else the curator decides
            named = [e for e in top if any("same name" in r for r in reasons[e])] if best > 1 else []
            if len(named) != 1:
                for e in top:
                    flags.append((members[0], f"entry:{e}", f"matches {len(top)} entries equally: {reasons[e][0]}"))
                return None, [], flags
            top = named
        chosen = top[0]
        return chosen, reasons[chosen], [f for f in flags if f[1] != f"entry:{chosen}"]

    # -- assembly -----------------------------------------------------------------------------------

    def run(
        self, keep_apart: Iterable[tuple[str, str]] = (), keep_together: Iterable[tuple[str, str]] = ()
    ) -> list[Cluster]:
        self.mark_apart(keep_apart)
        self.key_edges()
        self.join_together(keep_together)
        self.ref_edges()
        self.name_edges()
        self.look_alike_flags()
        self.build_entry_index()
        self.item_catalogue_hits()
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.items)):
            members[self.uf.find(i)].append(i)
        reasons: dict[int, list[str]] = defaultdict(list)
        for i, _, reason in self.edges:
            reasons[self.uf.find(i)].append(reason)
        flags: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for i, other, reason in self.flags:
            flags[self.uf.find(i)].append((self.ids[i], other, reason))
        clusters: list[Cluster] = []
        for root, idx in members.items():
            match, match_reasons, entry_flags = self.match_catalogue(idx)
            cluster_flags = flags.get(root, [])
            if entry_flags:
                seen = {(a, b) for a, b, _ in cluster_flags}
                per_item = Counter(a for a, _, _ in cluster_flags)
                for m, other, reason in entry_flags:
                    pair = (self.ids[m], other)
                    if pair not in seen and per_item[pair[0]] < MAX_FLAGS_PER_ITEM:
                        seen.add(pair)
                        per_item[pair[0]] += 1
                        cluster_flags.append((pair[0], other, reason))
            clusters.append(
                Cluster(
                    ids=[self.ids[i] for i in idx],  # idx ascending = ids sorted
                    catalogue_match=match,
                    match_reasons=reasons.get(root, []) + match_reasons,
                    uncertain=cluster_flags,
                )
            )
        clusters.sort(key=lambda c: c.ids[0])
        return clusters


def _block_keys(forms: Iterable[NameForm]) -> list[str]:
    """Look-alike blocks of specific forms: informative tokens and a 4-character core prefix."""
    keys: list[str] = []
    for form in forms:
        if not form.specific:
            continue
        for token in form.informative:
            if len(token) >= 3 and token not in keys:
                keys.append(token)
        if len(form.squash) >= 4 and "^" + form.squash[:4] not in keys:
            keys.append("^" + form.squash[:4])
    return keys


def resolve(
    items: list[Item],
    catalogue: list[CatalogueEntry],
    *,
    keep_apart: Iterable[tuple[str, str]] = (),
    keep_together: Iterable[tuple[str, str]] = (),
) -> list[Cluster]:
    """Fold ``items`` into clusters (one per resource) and match each against ``catalogue``.

    Every item is in exactly one cluster; ids must be unique. See the module docstring for the rules.
    ``keep_apart`` / ``keep_together`` are curators' decisions about pairs of item ids (a split, a
    duplicate mark): they outrank all evidence, identity keys included; ids not among the items are
    ignored.
    """
    ids = [it.id for it in items]
    if len(set(ids)) != len(ids):
        raise ValueError("resolve: item ids must be unique")
    # Resolution allocates a few hundred thousand small tuples and sets that all stay alive
    # until it returns: the cyclic collector would rescan them again and again (about 40% of
    # the run time on 100k records) and could free nothing. Reference counting still frees.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Resolver(items, catalogue).run(keep_apart, keep_together)
    finally:
        if collecting:
            gc.enable()
