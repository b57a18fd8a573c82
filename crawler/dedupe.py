"""Entity resolution: fold raw records of one resource into one candidate, and find known ones.

Pure (plain data in, plain data out, no DB, no clock). Triage calls
``resolve(items, catalogue)`` after judging every record's relevance and kind;
the result says which records are one resource, which catalogue entry (if any)
that resource already is, why, and which look-alike pairs a curator must decide.

Interface::

    Item(id, kind, name, title, keys, refs, is_publication,   one judged record
         aliases, source_refs, year)
    CatalogueEntry(entry_id, kind, name, aliases, keys)       one catalogue entry
    Cluster(ids, catalogue_match, match_reasons, uncertain)   one resolved resource
    resolve(items, catalogue) -> list[Cluster]                every item in exactly one cluster
    item_from(candidate, kind, ...) -> Item                   from a parsed ``Candidate``
    item_keys(candidate) -> (keys, refs)                      own identifiers vs mentioned links
    source_refs(candidate, kind) -> keys                      mentions cited as the copy's origin
    introduced_names(candidate) -> names                      names the text gives the resource
    catalogue_entry_from(entry_id, kind, name, values) -> CatalogueEntry

Keys and refs are ``crawler.links.normalise_url`` strings (``doi:…``, ``github:o/r``,
``zenodo:N``, ``kaggle:datasets/o/s`` …); ``canonical_key`` folds the spellings of
one identifier together (``zenodo:N`` = ``doi:10.5281/zenodo.N``, an arXiv DOI =
``arxiv:ID``, figshare/Mendeley version DOIs = their unversioned DOI).

Evidence, strongest first (each accepted edge is a union in a union-find):

1. Identity keys. Two records sharing a key (DOI, concept DOI, normalised own
   URL) are one resource whatever their kinds: a Scholar hit whose link is a
   GitHub repo, the same Zenodo record found twice, two Zenodo versions with one
   concept DOI, the paper record of a data DOI. Never vetoed (records of kind
   "other" too), except between two publication records whose titles share
   almost no word: an index attached the DOI to the wrong work; flagged.
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
     flagged uncertain, not merged. Mirrors by several owners are fine here;
   * provenance: a link the text cites as the copy's origin ("Original:
     <url>", "re-upload of …", "mirror of …", "downloaded from …", "credit";
     for models only copy words; ``source_refs``) merges a renamed copy with
     the resource, or with the data paper it cites, whatever the names, unless
     the copy's name is a look-alike of the origin's or carries a version or
     variant marker the origin lacks ("BUSI-2" citing BUSI: flagged). A record
     citing two resources as origins is a compilation: none counts;
   * packaging: one owner's repository and its Hugging Face (or Kaggle) copy
     linked either way, one name the other plus only size, backbone or format
     words ("x/tirads-vit" / "x/tirads-vit-base", "promus" / "promus-vitb14"),
     are one model; when the owner published several sizes, each is flagged.
     "lite", "v2", "3D" stay variant markers.
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
   domain word too (``common_tokens``); a CamelCase coinage ("EchoNet",
   "CardioNet") is never a domain word, whatever its letters spell. Version
   and number markers stay in the core, so "BUSI" / "BUSI-2", "CAMUS" / "CAMUS-LV 3D", "USFM" / "USFM-lite"
   differ; such look-alikes (one core inside the other, or half the tokens
   shared including a specific one) are flagged, never merged. Acronyms in
   parentheses and short prefixes before ':' (" - ", " | ") are extra name forms
   (aliases), and so are the names the record's text gives
   (``introduced_names``: a paper's "we introduce the X dataset" or "…: the X
   dataset and models", a README's title heading), which is how a paper
   titled without its dataset's name meets its data. A name made only of
   domain words ("Knee Ultrasound Image Dataset") is a topic many uploads share: records never merge on it
   (identical long spellings are flagged). A name merge is vetoed, and flagged,
   when it would put records of one host with different owners (alice/CAMUS,
   bob/CAMUS) or of two different known entries into one cluster. Records of
   kind "other" never merge by name or reference (a US-census repo named like a
   dataset must not absorb it). Publications whose titles are spelled
   identically with ``MIN_TITLE_WORDS``+ words are one paper (preprint and
   journal version, OpenAlex and Scholar), however generic the words; rows of
   two different indexes need only ``MIN_SHORT_TITLE_WORDS`` ("Dataset of
   breast ultrasound images"); never when their years are more than one apart.
   "Data set" is spelled "dataset" and a leading "the" is dropped.

Blocking (100k records against 10k entries in about 4 s on two cores, see
``bench/dedupe_bench.py``): identical cores meet in hash
groups (joined core, sorted tokens, exact spelling) instead of pairwise
comparison; look-alike flagging compares only records sharing an informative
token or a 4-character core prefix, skipping blocks larger than ``MAX_BLOCK``;
catalogue entries are found through dicts of their keys and names and the same
token/prefix blocks for look-alikes. From ``PARALLEL_MIN`` relevant records on, a
forked helper process (``crawler.parallel``) spells names and does the catalogue
look-ups and look-alike pairs on a second core; the output is the same either way.

Catalogue (known) matching, per cluster, strongest evidence wins: a shared key
with an entry of the cluster's kind (a key of an entry of another kind, such as
the dataset "CCA" whose link is the MI-SegNet code repo, is flagged instead); a
member citing an entry key with agreeing names; the same name or alias with the
same kind (also under the dataset's name without descriptive words,
"PCOSGen-train" = "PCOSGen", and a repository's "owner name", "echonet/dynamic"
= "EchoNet Dynamic"); a cited entry key counts with agreeing names or when
cited as the copy's origin. A record name that spells a coined one-word entry
name with separators ("echo_clip" = "EchoCLIP") matches it. Name-only matches
are flagged, not made, when the entry's name is all domain words ("Thyroid", "Ultrasound Elastography") unless spelled
identically with 4+ words (or 3 with two core words: "Breast Ultrasound Images
Dataset" matches its Kaggle namesake); when a dataset entry's name is a bare
acronym of at most 4 letters ("CCA", "UCLA": the paper labelled unnamed data by
place or anatomy; an acronym backed by the entry's full name, "TMED", matches);
and when the entry's repository on the record's host has another owner. Several
equally strong entries: no match, all flagged. Components matched to one entry
by a key, a cited key or a specific name are one resource and are merged (a
Kaggle copy known by its name and the paper known by its DOI); a match on a
generic long title alone ("Liver Ultrasound Scans") merges nothing, and two
components known only by name keep the owner veto.

Curators' decisions outrank everything: ``resolve(..., keep_apart=[(a, b)])``
never lets records a and b end in one cluster (a split), ``keep_together``
joins them (a duplicate mark).

Output: clusters ordered by their smallest member id; member ids sorted; reasons
in the order the edges were accepted; uncertain pairs deduplicated and capped
per record (``MAX_FLAGS_PER_ITEM``) so a common name does not bury a curator,
and dropped when later evidence put both records in one cluster.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain
from operator import attrgetter
from time import perf_counter
from typing import Any, NamedTuple

from crawler.links import find_links, normalise_url
from crawler.models import Candidate
from crawler.parallel import RECEIVE, Job, in_child
from crawler.vocab import ANATOMY

RELEVANT_KINDS = ("dataset", "model")
_NONE: frozenset[str] = frozenset()  # one shared empty set (CPython makes a new one per call)

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
# Two publications whose titles are spelled identically with at least this many words are one paper;
# from two different indexes (OpenAlex and Scholar rows of one paper) MIN_SHORT_TITLE_WORDS suffice.
MIN_TITLE_WORDS = 6
MIN_SHORT_TITLE_WORDS = 4
# A token in more than max(COMMON_MIN, COMMON_SHARE x distinct names) distinct names is a word, not a name.
COMMON_MIN = 100
COMMON_SHARE = 0.002
# With at least this many relevant records, a second process computes part of the per-record work
# (``crawler.parallel``); below it, starting one costs more than it saves.
PARALLEL_MIN = 20_000
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
    # names the record's own text gives the resource (a paper's "we introduce X", a README heading)
    aliases: tuple[str, ...] = ()
    # the refs the text cites as where this copy comes from ("Original: …", "mirror of …")
    source_refs: frozenset[str] = frozenset()
    year: int | None = None


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
    if source not in PUBLICATION_SOURCES and candidate.text:
        # hosts list the URLs of a text; a bare "arXiv:2103.10003" or DOI in a README is a mention too
        links += [_norm(u) for u in find_links(candidate.text)]
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
        aliases=introduced_names(candidate),
        source_refs=source_refs(candidate, kind) & refs,
        year=candidate.year,
    )


# -- what a record's own text says about its identity ------------------------------------------------
#
# Two kinds of per-record evidence are read from the text once, at triage (``triage.identity``), and
# stored with the record: the links it cites as the place it was copied from, and the names a paper
# (or a README heading) gives the resource.

# "Original: <url>", "a re-upload of …", "mirror of …", "all credit to …", "downloaded from …".
_SOURCE_CUE_DATA = re.compile(
    r"\b(?:mirror(?:ed|s|ing)?|cop(?:y|ies|ied)|re-?upload(?:ed|s)?|re-?shar(?:e|ed|ing)|re-?host(?:ed)?|"
    r"re-?distribut\w*|original(?:ly)?|(?<!open )(?<!open-)sources?|sourced|taken from|downloaded from|"
    r"obtained from|retrieved from|fetched from|credits?|courtesy)\b",
    re.I,
)
# A model's README credits borrowed code and backbones all the time: only copy words count there.
_SOURCE_CUE_MODEL = re.compile(
    r"\b(?:mirror(?:ed|s|ing)?|cop(?:y|ies|ied)|re-?upload(?:ed|s)?|re-?host(?:ed)?|"
    r"(?:original|official) (?:repo|repository|code|implementation|release|weights|checkpoints?|model))\b",
    re.I,
)
# A sentence saying the resource departs from what it cites is not a copy's provenance.
_DERIVED_CUE = re.compile(
    r"\b(?:deriv\w*|extend\w*|extension|based on|builds? (?:up)?on|built (?:up)?on|inspired|augment\w*|"
    r"combin\w*|merg\w*|compil\w*|aggregat\w*|in addition to|unlike|compar\w*|improv\w*|modif\w*|adapt\w*|"
    r"re-?annotat\w*|re-?label\w*|expand\w*|enlarg\w*|initiali[sz]\w*|fine-?tun\w*|pre-?train\w*|"
    r"backbone|follow-?up|successor|superset|new version|"
    r"(?:new|additional|our own|our|own) (?:annotations?|labels?|masks?|segmentations?))\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z*_#\[(])")
# A line listing several resources is a compilation's list of sources, not one copy's origin.
MAX_SOURCE_LINKS = 2


_BLOCK_START = re.compile(r"^(?:[*+-]\s|\d+[.)]\s|\||>)")


def _text_units(text: str) -> list[tuple[str, bool, bool]]:
    """(unit, is_heading, is_label) pieces: headings, list items, and paragraphs with their lines joined."""
    units: list[tuple[str, bool, bool]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            units.append((" ".join(current), False, False))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
            units.append(("", False, False))
            continue
        if stripped.startswith("#"):
            flush()
            units.append((stripped.lstrip("#").strip(), True, False))
            continue
        if _BLOCK_START.match(stripped):
            flush()
        if stripped.endswith(":") and len(stripped) < 60:
            flush()
            units.append((stripped, False, True))
            continue
        current.append(stripped)
    flush()
    return units


def source_refs(candidate: Candidate, kind: str) -> frozenset[str]:
    """The links the record's text cites as the resource it is a copy of.

    A sentence with a provenance word ("original", "source", "mirror",
    "re-upload", "downloaded from", "credit" …; for models only copy words:
    a model README credits borrowed code and backbones all the time) and no
    word of departure ("extends", "based on", "derived", "fine-tuned",
    "compiled from" …) makes its one or two links sources; so does a heading
    or a "Label:" line with such a word for the text under it. A sentence
    with more links is a compilation's list of sources. Plain data out:
    normalised keys, spelled as ``item_keys`` spells them.
    """
    text = candidate.text or ""
    if not text:
        return frozenset()
    cue = _SOURCE_CUE_MODEL if kind == "model" else _SOURCE_CUE_DATA
    found: set[str] = set()
    heading_cue = label_cue = seen_heading = False
    for unit, is_heading, is_label in _text_units(text):
        if is_heading:
            # a section heading ("## Source", "## Original data"), not the document's title ("# X (mirror)")
            heading_cue = (seen_heading and len(unit.split()) <= 5 and bool(cue.search(unit))
                           and not _DERIVED_CUE.search(unit))
            seen_heading = True
            label_cue = False
            continue
        if is_label:
            label_cue = bool(cue.search(unit)) and not _DERIVED_CUE.search(unit)
            continue
        if not unit:
            label_cue = False
            continue
        for sentence in _SENTENCE.split(unit):
            lowered = sentence.lower()
            if not any(marker in lowered for marker in ("http", "doi", "arxiv", "zenodo", "www.")):
                continue
            if _DERIVED_CUE.search(sentence) or not (heading_cue or label_cue or cue.search(sentence)):
                continue
            keys = {k for k in (_norm(u) for u in find_links(sentence)) if is_identifier(k)}
            if 0 < len(keys) <= MAX_SOURCE_LINKS:
                found.update(keys)
    return frozenset(found)


# "we introduce the CAMUS (…) dataset", "This article describes ATUS, a dataset of …",
# "We curated EchoNet-Pediatric, 7,643 videos …"
_NAME = r"(?P<name>[A-Za-z0-9][\w.+-]*[A-Za-z0-9+](?:\s+[A-Z0-9][\w.+-]*[A-Za-z0-9+]){0,2})"
_INTRO = re.compile(
    r"(?i:\b(?:we|this (?:paper|article|work|study|data article|data descriptor|report|letter)|here,? we)"
    r"\s+(?:\w+ly\s+)?(?:also\s+)?"
    r"(?:introduce[sd]?|present(?:s|ed)?|release[sd]?|describe[sd]?|propose[sd]?|curate[sd]?|publish(?:es|ed)?|"
    r"construct(?:s|ed)?|buil[dt]s?|create[sd]?|develop(?:s|ed)?|(?:make|made|makes) (?:publicly )?available)"
    r"\s+(?:the\s+|a\s+|an\s+|our\s+)?"
    r"(?:(?:new|novel|public|publicly available|open|open-source|open-access|large-scale|largest|first|"
    r"curated|annotated|multi-?cent(?:er|re)|benchmark)\s+){0,3})"
    + _NAME
    + r"(?=\s*[,.;:()\u2013\u2014]|\s*$|\s+(?i:dataset|database|data set|benchmark|corpus|collection|challenge|"
    r"cohort|model|network|framework|foundation|toolkit|which|that|with|containing|comprising|consisting|"
    r"a|an)\b)"
)
# "…: the EchoNet-Pediatric dataset and models", "The FOO database: …"
_TITLE_INTRO = re.compile(
    r"(?:^|[:\u2013\u2014]\s+|\s-\s+)(?i:the\s+|a\s+|an\s+)?" + _NAME
    + r"\s+(?i:dataset|database|data set|benchmark|corpus|challenge)\b"
)
_NOT_NAMES = frozenset(
    "github zenodo kaggle figshare huggingface hugging face python matlab pytorch tensorflow csv json hdf5 h5 api "
    "dicom nifti png jpg jpeg tiff npy npz mat onnx it this these those our their all readme todo wip faq "
    "cli gui gpu cuda ml dl ai nlp roi url doi note news update updates new warning license licence "
    "citation abstract overview introduction".split()
)
_ADJECTIVE_SUFFIX = re.compile(r"-(?:based|like|style|guided|driven|aware|enhanced|assisted|derived|specific)$", re.I)
# "MICCAI 2024", "CVPR 2022": a venue and a year, which many records share; not a resource's name
_VENUE = re.compile(r"\s*[A-Za-z][\w-]*\s+(?:19|20)\d\d\s*")
_MD_H1 = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_MARKUP = re.compile(r"[*_`]|!?\[([^\]]*)\]\([^)]*\)|<[^>]+>")


def _coined(name: str) -> bool:
    """A name someone coined ("CAMUS", "EchoNet-Pediatric", "TN5000"), not a phrase or a file format."""
    words = name.split()
    if not words or len(name) > 40 or _ADJECTIVE_SUFFIX.search(name):
        return False
    return any(_coined_word(w) for w in words if w.lower().strip(".,;:()") not in _NOT_NAMES)


_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")


def _coined_word(word: str) -> bool:
    """One word of a coined name: "CAMUS", "EchoNet", "HC18", "nnU-Net"; each hyphen part judged alone."""
    for part in re.split(r"[-_/.]", word.strip(".,;:()")):
        if not part:
            continue
        if _ACRONYM_WORD.fullmatch(part) or _CAMEL.search(part):
            return True
        if sum(ch.isupper() for ch in part) >= 2:
            return True
        if any(ch.isdigit() for ch in part) and any(ch.isalpha() for ch in part):
            return True  # "HC18", "TN5000"; not "2021–2023" or "1,200"
    return False


def introduced_names(candidate: Candidate) -> tuple[str, ...]:
    """Names the record's own text gives the resource it is about (extra name forms, at most four).

    * a publication: the name its abstract introduces ("we introduce the X
      dataset", "this article describes X, a …") and the one its title
      presents ("…: the X dataset and models"); only coined names (an
      acronym, CamelCase, letters with digits), so "we present a new
      dataset" or "we release DICOM files" give none, and not "X-based";
    * a repository or card: its first markdown heading (the project's title,
      often spelled better than the repository's slug) and the acronyms and
      "Name:" prefixes of that heading and of the opening line.
    """
    out: list[str] = []

    def add(name: str) -> None:
        name = name.strip(" .,;:*_`'\"#")
        if name and name not in out and name.lower() != (candidate.title or "").strip().lower():
            out.append(name)

    text = candidate.text or ""
    if is_publication(candidate):
        for match in _INTRO.finditer(text[:4000]):
            if _coined(match.group("name")):
                add(match.group("name"))
        for match in _TITLE_INTRO.finditer(candidate.title or ""):
            if _coined(match.group("name")):
                add(match.group("name"))
        return tuple(out[:4])
    heading = _MD_H1.search(text[:3000])
    if heading:
        line = _MARKUP.sub(r"\1", heading.group(1)).strip()
        if line and len(line.split()) <= 8 and ":" not in line:
            # "# CAMUS (mirror)", "# Open Kidney Ultrasound Data Set": the project's title. A heading
            # without a coined word counts only when it cannot be specific (it then matches by its
            # exact long spelling only): "# Getting Started Guide" names no resource.
            form = name_form(line)
            if _coined(line) or (not form.specific and form.words >= 4):
                add(line)
        if line and len(line) <= 120:
            for alias in _alias_strings(line):  # "# Breast Ultrasound Images Dataset (BUSI)"
                if _coined(alias) and not _VENUE.fullmatch(alias):
                    add(alias)
    # the opening line's "Name: tagline" (GitHub descriptions, Zenodo titles repeated in the text);
    # the parentheses of a sentence hold anything ("(29 MHz, ExactVu)", "(MICCAI 2024)"), not names
    first = text.lstrip().split("\n", 1)[0].strip() if text else ""
    head, colon, rest = _MARKUP.sub(r"\1", first).partition(":")
    if colon and rest.strip() and not first.startswith("#") and len(head.split()) <= 3 and _coined(head):
        if not _VENUE.fullmatch(head.strip()):
            add(head)
    return tuple(out[:4])


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
MARKERS = frozenset("lite plus pro mini tiny base large small extended expanded ii iii iv next 2d 3d 4d xl xxl".split())
# Domain words that are not descriptive of a copy: they name another cohort or dimension.
VARIANT_WORDS = GENERIC - DESCRIPTIVE

_TOKEN = re.compile(r"[a-z0-9]+")
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_SEGMENT_SPLIT = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
_ACRONYM_WORD = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z0-9]|[A-Za-z]+\d|[a-z]+[A-Z]")


_new_tuple = tuple.__new__  # NameForm from a plain tuple without the named tuple's Python-level __new__


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

    def __reduce__(self) -> tuple:
        # unpickled by tuple.__new__ (C) instead of the named tuple's Python-level __new__: a helper
        # process sends tens of thousands of forms (crawler.parallel)
        return _new_tuple, (NameForm, tuple(self))


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


def _join_data_set(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token in ("set", "sets") and out and out[-1] == "data":
            out[-1] = "data" + token
        else:
            out.append(token)
    return out


@lru_cache(maxsize=262144)
def name_form(text: str, alias: bool = False) -> NameForm:
    # 100k calls per large run: written for speed (no helper calls where a builtin does it)
    tokens = _TOKEN.findall((text if text.isascii() else _ascii(text)).lower())
    if "set" in tokens or "sets" in tokens:
        tokens = _join_data_set(tokens)  # "Data Set" is "Dataset"
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]  # "The Open Kidney Dataset" is spelled as "Open Kidney Dataset"
    # a CamelCase coinage ("EchoNet", "CardioNet") names something even when its letters spell a domain word
    coined = {w.lower() for w in _CAMEL_WORD.findall(text)} if _CAMEL.search(text) else ()
    core: list[str] = []
    informative: list[str] = []
    for token in tokens:
        role = _role(token)
        if role is not None:
            stem, identifies = role
            core.append(stem)
            if identifies or (coined and token in coined and not _is_marker(token)):
                informative.append(stem)
    squash = "".join(core)
    return _new_tuple(
        NameForm,
        (
            text,
            " ".join(tokens),
            len(tokens),
            tuple(core),
            squash,
            " ".join(sorted(core)) if len(core) > 1 else squash,
            tuple(informative),
            _is_specific(informative, core),
            alias,
        ),
    )


def without_common(form: NameForm, common: frozenset[str]) -> NameForm:
    """The form judged again with the corpus's common words ("center", "scale") as domain words."""
    if not common or not form.specific or common.isdisjoint(form.informative):
        return form
    informative = tuple([t for t in form.informative if t not in common])
    text, spelled, words, core, squash, signature, _, _, alias = form
    return _new_tuple(
        NameForm, (text, spelled, words, core, squash, signature, informative, _is_specific(informative, core), alias)
    )


def _looks_like_name(segment: str, single_word_ok: bool) -> bool:
    words = segment.split()
    if not words or len(words) > 3 or len(segment) > 40:
        return False
    if single_word_ok and len(words) == 1:
        return True
    return any(_coined_word(w) for w in words)


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
        form = name_form(text, True)  # positional: the cache's fast path
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
            return _descriptive(rest)  # "busisegmentation" = "busi" + "segmentation"
        return False
    return all(_descriptive(t) for t in extra)


@lru_cache(maxsize=65536)
def _descriptive(token: str) -> bool:
    """A word that says what a copy holds (a task, a split, a body part), never which variant it is."""
    if token in MARKERS or _has_digit(token):
        return False
    return token in DESCRIPTIVE or _ANATOMY_WORD.fullmatch(token) is not None


_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_variant_word(token: str) -> bool:
    """A marker or a word that makes a variant cohort ("pediatric", "adult", "3d"): never a copy's word."""
    return _is_marker(token) or token in VARIANT_WORDS


def _is_marker(token: str) -> bool:
    """A version, number or variant word ("2", "v2", "lite", "3d"); a year names an edition, not a variant."""
    if token in MARKERS:
        return True
    return _VERSION.fullmatch(token) is not None and not _YEAR.fullmatch(token)


# How the Hub packages one model: a size ("base", "large"), a backbone ("vitb14", "resnet50"), an input
# size or a file format. "lite", "v2", "3d" stay markers of another model (``MARKERS``).
_PACKAGING = re.compile(
    r"(?:base|large|small|tiny|huge|giant|medium|xl|xxl)"
    r"|(?:vit|deit|beit|swin|convnext|resnet|resnext|efficientnet|effnet|densenet|mobilenet|regnet|dinov?2?|clip)"
    r"[a-z]{0,2}\d{0,3}"
    r"|[bfhlsrp]\d{1,3}|patch\d{1,2}|224|256|384|448|512|fp16|fp32|bf16|int8|onnx|gguf|safetensors|timm|hf"
)


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def _squash_owner(owner: str) -> str:
    return _NOT_ALNUM.sub("", owner.lower())


def packaging_variant(a: NameForm, b: NameForm) -> bool:
    """One name is the other plus only packaging words ("tirads-vit" / "tirads-vit-base", "promus" /
    "promus-vitb14"). Only evidence together with one owner on both hosts and a link between them."""
    short, long_ = (a, b) if len(a.core) <= len(b.core) else (b, a)
    if not short.core or short.squash == long_.squash or len(short.squash) < 3:
        return False
    if long_.core[: len(short.core)] == short.core:
        extra = long_.core[len(short.core):]
        return bool(extra) and all(_PACKAGING.fullmatch(t) for t in extra)
    if long_.squash.startswith(short.squash):
        return _PACKAGING.fullmatch(long_.squash[len(short.squash):]) is not None
    return False


def variant_of(mine: Sequence[NameForm], theirs: Sequence[NameForm]) -> bool:
    """``mine`` names a variant of ``theirs``: look-alike names ("BUSI-2" / "BUSI"), or a version or
    variant word in my name that none of theirs has ("… v2", "… Pediatric" citing "…" as its
    original), also glued on ("FooPro", "ImagesXL")."""
    if any(look_alike(x, y) for x in mine for y in theirs):
        return True
    if not mine:
        return False
    tokens = {t for f in theirs for t in f.core} | {t for f in theirs for t in f.spelled.split()}
    for token in mine[0].core:
        if token in tokens:
            continue
        if _is_variant_word(token):
            return True
        if any(len(t) >= 2 and token.startswith(t) and _is_variant_word(token[len(t):]) for t in tokens):
            return True
    return False


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
    # each distinct name (sorted core) once, with the informative tokens of its first spelling: the
    # forms are walked backwards so that the first spelling is the last written (C loops: 100k names)
    backwards = list(chain.from_iterable(map(reversed, reversed(list(forms)))))
    seen = dict(zip(map(attrgetter("signature"), backwards), map(attrgetter("informative"), backwards)))
    df = Counter(chain.from_iterable(map(set, seen.values())))
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

    def conflict(self, a: int, b: int, *, owners: bool | tuple[str, ...] = True) -> str | None:
        """Why a and b must not be merged on weak evidence; ``owners`` only for name evidence (or the
        hosts named: one GitHub repository is one owner's code, whatever else agrees)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        ea, eb = self.entries.get(ra), self.entries.get(rb)
        if ea and eb and ea.isdisjoint(eb):
            return "they match different catalogue entries"
        oa, ob = self.owners.get(ra), self.owners.get(rb)
        if owners and oa and ob:
            for host in sorted({h for h, _ in oa}):
                if owners is not True and host not in owners:
                    continue
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

    def __init__(
        self, items: list[Item], catalogue: list[CatalogueEntry], timings: dict[str, float] | None = None
    ) -> None:
        self.timings = timings
        self._clock = perf_counter()
        self.items = sorted(items, key=lambda it: it.id)
        self.ids = [it.id for it in self.items]
        self.catalogue = sorted(catalogue, key=lambda e: e.entry_id)
        self.entry_by_id = {e.entry_id: e for e in self.catalogue}
        self.uf = _Components(len(self.items))
        self.relevant = [it.kind in RELEVANT_KINDS for it in self.items]
        # names only ever join relevant records: an irrelevant one needs none
        self.named = [i for i, rel in enumerate(self.relevant) if rel]
        self.parallel = len(self.named) >= PARALLEL_MIN
        self._title_forms: dict[int, NameForm] = {}
        self.edges: list[tuple[int, int, str]] = []  # accepted edges in order: the reasons
        self.flags: list[tuple[int, str, str]] = []  # (item index, other id, reason)
        self.flag_count: dict[int, int] = defaultdict(int)
        self.flagged_pairs: set[tuple[str, str]] = set()
        self.item_entry_keys: dict[int, list[tuple[str, int]]] = {}  # item -> (key, entry) it shares
        self.entry_refs: dict[int, list[tuple[int, str]]] = {}  # item -> (entry, key) it cites

    def index_keys(self) -> None:
        self.keys = [_canonical_keys(it.keys) for it in self.items]
        self.refs = [_own_removed(_canonical_keys(it.refs), keys) for it, keys in zip(self.items, self.keys)]
        self.source_refs = [
            _canonical_keys(it.source_refs) & refs if it.source_refs else _NONE
            for it, refs in zip(self.items, self.refs)
        ]
        self.entry_keys: dict[str, list[int]] = defaultdict(list)
        for entry in self.catalogue:
            for key in sorted({k for k in map(canonical_key, entry.keys) if is_identifier(k)}):
                self.entry_keys[key].append(entry.entry_id)

    # -- the helper process (crawler.parallel) ---------------------------------------------------------
    #
    # Forked once, at the start, while the heap is small (a later fork would make the parent pay a
    # page fault and copy for every page it writes afterwards). It spells two thirds of the names
    # (and the catalogue's) while this process spells the last third and draws the key edges; they
    # exchange forms, and then, with the repositories this process sends, the helper finds the
    # catalogue look-ups and look-alike pairs while this process draws the reference and name edges.
    # Both hold the same forms and compute the same common words, so the look-ups' indices agree.

    def shares(self) -> tuple[list[int], list[int]]:
        """(this process's relevant records, the helper's two thirds): one name's records go to one
        process, so each spells a shared name once."""
        mine: list[int] = []
        theirs: list[int] = []
        for i in self.named:
            (theirs if hash(self.items[i].name) % 3 else mine).append(i)
        return mine, theirs

    def spell(self, indices: list[int]) -> list[tuple[NameForm, ...]]:
        """Every record's forms, filled in for ``indices`` (the others empty)."""
        forms: list[tuple[NameForm, ...]] = [()] * len(self.items)
        for i, fs in zip(indices, _forms_of([self.items[i] for i in indices])):
            forms[i] = fs
        return forms

    def spell_entries(self) -> list[tuple[NameForm, ...]]:
        return [name_forms(e.name, "", tuple(e.aliases)) for e in self.catalogue]

    def helper(self, theirs: list[int]) -> Generator[Any, Any, None]:
        """The helper's side of the conversation (runs in the child, on its copy of this resolver)."""
        forms = self.spell(theirs)
        entry_forms = self.spell_entries()
        yield [forms[i] for i in theirs], entry_forms
        self.repos = yield RECEIVE
        mine: list[tuple[int, tuple[NameForm, ...]]] = yield RECEIVE
        for i, fs in mine:
            forms[i] = fs
        # the same forms give the same common words as in the parent
        self.adopt_forms(forms, entry_forms, common_tokens(forms + entry_forms))
        self.prepare_names()
        yield self.pure_names()

    def finish_forms(self, job: Job | None, theirs: list[int], forms: list[tuple[NameForm, ...]]) -> None:
        """Add the helper's share to this process's ``forms`` and take them (``adopt_forms``)."""
        entry_forms = None
        if job is not None:
            self.lap("identity keys and name forms")
            received = job.result()
            self.lap("waiting for the helper's name forms")
            if received is None:  # the helper failed: its share is done here
                spelled = self.spell(theirs)
                received = [spelled[i] for i in theirs], None
            theirs_forms, entry_forms = received
            for i, fs in zip(theirs, theirs_forms):
                forms[i] = fs
        if entry_forms is None:
            entry_forms = self.spell_entries()
        self.adopt_forms(forms, entry_forms, common_tokens(forms + entry_forms))
        self.lap("name forms and common words")

    def adopt_forms(
        self, forms: list[tuple[NameForm, ...]], entry_forms: list[tuple[NameForm, ...]], common: frozenset[str]
    ) -> None:
        """Take the forms, judged again with the run's common words (``common_tokens``)."""
        if common:
            adjusted: dict[tuple[NameForm, ...], tuple[NameForm, ...]] = {}  # records sharing a name share it
            for all_forms in (forms, entry_forms):
                for i, fs in enumerate(all_forms):
                    for f in fs:
                        if f.specific and not common.isdisjoint(f.informative):
                            new = adjusted.get(fs)
                            if new is None:
                                new = adjusted[fs] = tuple([without_common(g, common) for g in fs])
                            all_forms[i] = new
                            break
        self.common = common
        self.forms = forms
        self.entry_forms = {e.entry_id: fs for e, fs in zip(self.catalogue, entry_forms)}

    def lap(self, phase: str) -> None:
        """Record the seconds since the last lap under ``phase`` (only when asked: benchmarks)."""
        if self.timings is not None:
            now = perf_counter()
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self._clock
            self._clock = now

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

    def index_owners(self) -> None:
        """Per record, the (host, owner) of its namespaced keys (what the owner vetoes need; unions
        merge them per component) and the (owner, name) of its GitHub and Hub repositories."""
        self.repos: dict[int, list[tuple[str, str]]] = {}
        owners_of = self.uf.owners
        for i, keys in enumerate(self.keys):
            for key in keys:
                if key.startswith(_OWNED):
                    owner = _owner(key)
                    if owner:
                        owners_of[i] = owners_of.get(i, ()) + (owner,)
                        if owner[0] != "kaggle":
                            self.repos.setdefault(i, []).append((owner[1], key.rsplit("/", 1)[1]))

    def key_edges(self) -> None:
        holders: dict[str, list[int]] = defaultdict(list)
        entry_keys, entries_of = self.entry_keys, self.uf.entries
        for i, keys in enumerate(self.keys):
            for key in keys:
                holders[key].append(i)
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
        items = self.items
        for key in sorted(k for k, idx in holders.items() if 1 < len(idx) <= MAX_KEY_HOLDERS):
            idx = holders[key]
            for x in range(1, len(idx)):
                j = idx[x]
                partner = idx[0]
                if items[j].is_publication:
                    # two index rows of one paper carry its title; a DOI on two unrelated titles is the
                    # index's error (a DOI attached to the wrong work), not one paper
                    partner = next((i for i in idx[:x] if not self.titles_disagree(i, j)), -1)
                if partner < 0:
                    self.flag_pair(idx[0], j, f"{self.ids[idx[0]]} and {self.ids[j]} share {key} but their titles "
                                              "have nothing in common: a wrong identifier in an index?")
                else:
                    self.accept(partner, j, f"{self.ids[partner]} and {self.ids[j]} share {key}")

    def titles_disagree(self, i: int, j: int) -> bool:
        """Two publication records whose titles share almost no word: not one paper, whatever the DOI."""
        a, b = self.items[i], self.items[j]
        if not (a.is_publication and b.is_publication):
            return False
        # (before the name forms are done: only the core counts, which common words do not change)
        ta, tb = set(name_form(a.title or a.name).core), set(name_form(b.title or b.name).core)
        if len(ta) < 3 or len(tb) < 3:
            return False
        return 3 * len(ta & tb) < min(len(ta), len(tb))

    # -- 2. reference links -------------------------------------------------------------------------

    def ref_targets(self, i: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(items, entries) that record i's refs resolve to; empty when i is a list or survey."""
        refs = self.refs[i]
        if len(refs) > MAX_RESOURCE_REFS and sum(r.startswith(_RESOURCE_PREFIXES) for r in refs) > MAX_RESOURCE_REFS:
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
        packaging: list[tuple[int, int, str]] = []  # (short-named record, long-named record, why)
        for i in self.named:
            if not self.refs[i]:
                continue
            item = self.items[i]
            targets, entries = self.ref_targets(i)
            if entries:
                self.entry_refs[i] = entries
            if self.source_refs[i]:
                self.check_sources(i, targets, entries)
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
                elif verdict == "packaging":
                    short, long_ = (i, j) if len(self.forms[i][0].squash) <= len(self.forms[j][0].squash) else (j, i)
                    packaging.append((short, long_, why))
        # one owner's repository and its Hub copy ("x/tirads-vit" and "x/tirads-vit-base") are one model;
        # when the owner put several sizes on the Hub (base and large), each size is its own release
        partners: dict[int, set[int]] = defaultdict(set)
        for short, long_, _ in packaging:
            partners[short].add(long_)
        for short, long_, why in packaging:
            if len(partners[short]) > 1:
                self.flag_pair(short, long_, f"{why}, but the owner released several sizes: which one?")
                continue
            veto = self.uf.conflict(short, long_, owners=False)
            if veto:
                self.flag_pair(short, long_, f"{why} but {veto}")
            else:
                self.accept(short, long_, why)

    def check_sources(self, i: int, targets: list[tuple[int, str]], entries: list[tuple[int, str]]) -> None:
        """A copy has one origin: a record citing two resources as sources ("Sources: BUSI, UDIAT") is a
        compilation, so none of them is its origin (its links still count as plain mentions)."""
        resources = {ref for j, ref in targets if not self.items[j].is_publication} | {ref for _, ref in entries}
        if len(resources & self.source_refs[i]) > 1:
            self.source_refs[i] = _NONE

    def variant_clash(self, i: int, j: int) -> bool:
        """Record i's name is a variant of j's: look-alike names, or a version/variant marker j lacks."""
        return variant_of(self.forms[i], self.forms[j] + (self.title_form(j),))

    def owned_by_same(self, i: int, j: int) -> bool:
        """Records on two different hosts under one owner's name ("thyro-ai" on GitHub and the Hub)."""
        mine = {(h, _squash_owner(o)) for h, o in filter(None, map(_owner, self.keys[i]))}
        if not mine:
            return False
        theirs = {(h, _squash_owner(o)) for h, o in filter(None, map(_owner, self.keys[j]))}
        return any(o == p and h != q for h, o in mine for q, p in theirs if o)

    def ref_verdict(self, i: int, j: int, ref: str, n_resources: int, n_publications: int) -> tuple[str, str]:
        """("merge" | "flag" | "packaging" | "", reason) for record i mentioning record j's key ``ref``."""
        a, b = self.items[i], self.items[j]
        sourced = ref in self.source_refs[i]
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
            if sourced and not self.variant_clash(i, j):
                # "copy of the X dataset (Author et al., <doi>)": the paper that published the data
                return "merge", f"{a.id} cites {b.id} ({ref}) as the origin of its copy"
            if n_publications == 1:  # a README citing one paper: plausibly its own
                return "flag", f"{a.id} cites {b.id} ({ref}) whose title does not name it: its own paper or another?"
            return "", ""
        if _forms_compatible(self.forms[i], self.forms[j]):
            return "merge", f"{a.id} cites {ref} of {b.id} with a compatible name ({b.kind})"
        if sourced and not self.variant_clash(i, j):
            # "Original: <zenodo link>": a re-upload retitled by its uploader is still that resource
            return "merge", f"{a.id} cites {ref} of {b.id} as its original ({b.kind})"
        if (
            self.owned_by_same(i, j)
            and any(packaging_variant(x, y) for x in self.forms[i] for y in self.forms[j])
        ):
            return "packaging", (f"{a.id} and {b.id}: one owner's {b.kind} on two hosts, "
                                 f"names apart only by a size or backbone suffix ({ref})")
        return (
            "flag",
            f"{a.id} cites {ref} of {b.id} but the names differ "
            f"('{a.name}' / '{b.name}'): a derived or different {b.kind}?",
        )

    # -- 3. names -----------------------------------------------------------------------------------

    def prepare_names(self) -> None:
        """What the name edges and the catalogue look-ups share (pure, no union-find): the names of
        datasets without their descriptive words."""
        self.bases: dict[int, list[list[str]]] = {}  # dataset names without descriptive words, if shorter
        self.base_names: dict[int, list[str]] = {}  # the squashed names datasets group under apart from those
        for i, item in enumerate(self.items):
            if item.kind != "dataset":
                continue
            # "BUSI segmentation", "Thyroid TN3K": uploads of one dataset add what it is for
            for form in self.forms[i]:
                if not form.specific:
                    continue
                base = [t for t in form.core if t not in DESCRIPTIVE]
                if len(base) == len(form.core):
                    self.base_names.setdefault(i, []).append(form.squash)
                elif _is_specific([t for t in base if t in form.informative], base):
                    self.base_names.setdefault(i, []).append("".join(base))
                    self.bases.setdefault(i, []).append(base)

    def prepare_blocks(self) -> None:
        """The look-alike block keys of each specific name form of each record."""
        self.form_blocks: dict[int, list[tuple[NameForm, list[str]]]] = {}
        for i, forms in enumerate(self.forms):
            specific = [(f, _block_keys((f,))) for f in forms if f.specific]
            if specific:
                self.form_blocks[i] = specific

    def name_edges(self) -> None:
        # hash groups instead of pairwise comparison, one dict per (kind, comparison) keyed by strings
        # the forms already hold; insertion order (item id order) is deterministic
        groups: dict[tuple[str, str], dict[str, list[int]]] = {
            (kind, how): {} for kind in RELEVANT_KINDS for how in ("=", "~", "base", "generic", "title")
        }
        per_kind = {kind: tuple(groups[(kind, how)] for how in ("=", "~", "base", "generic", "title"))
                    for kind in RELEVANT_KINDS}
        base_names, items, forms = self.base_names, self.items, self.forms

        def add(group: dict[str, list[int]], value: str, i: int) -> None:
            members = group.get(value)
            if members is None:
                group[value] = [i]
            else:
                members.append(i)

        for i in self.named:
            item = items[i]
            same, sorted_same, base_same, generic, title = per_kind[item.kind]
            if item.is_publication:
                form = self.title_form(i)
                if form.words >= MIN_SHORT_TITLE_WORDS:
                    # one paper indexed twice (preprint and journal version, OpenAlex and Scholar)
                    add(title, form.spelled, i)
            for form in forms[i]:
                if form.specific:
                    add(same, form.squash, i)
                    if len(form.core) > 1:
                        add(sorted_same, form.signature, i)
                elif form.words >= 3 and exact_long(form, form):
                    add(generic, form.spelled, i)
            if i in base_names:
                for name in base_names[i]:
                    add(base_same, name, i)
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
                    self.merge_titles(kind, value, members)
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

    def same_paper(self, i: int, j: int) -> bool:
        """Identically titled publication records that can be one paper: a long title, or a short one
        on two different indexes; never years more than one apart (a preprint a year before its journal
        version is fine)."""
        a, b = self.items[i], self.items[j]
        if a.year and b.year and abs(a.year - b.year) > 1:
            return False
        return self.title_form(i).words >= MIN_TITLE_WORDS or a.id.split(":", 1)[0] != b.id.split(":", 1)[0]

    def merge_titles(self, kind: str, value: str, members: list[int]) -> None:
        placed: list[int] = []
        for m in members:
            partner = next((p for p in placed if self.same_paper(p, m)), None)
            if partner is None:
                if placed and self.uf.find(placed[0]) != self.uf.find(m):
                    self.flag_pair(placed[0], m, f"same publication title '{value}' ({kind}) but another "
                                                 "year or the same index: two papers?")
                placed.append(m)
                continue
            veto = self.uf.conflict(partner, m)
            if veto:
                self.flag_pair(partner, m, f"same publication title '{value}' ({kind}) but {veto}")
            else:
                self.accept(partner, m, f"{self.ids[partner]} and {self.ids[m]}: same publication title "
                                        f"'{value}' ({kind})")
            placed.append(m)

    def flag_generic_group(self, kind: str, value: str, members: list[int]) -> None:
        # "Knee Ultrasound Image Dataset" names a topic that many uploads share: a curator decides
        roots: dict[int, int] = {}
        for m in members:
            roots.setdefault(self.uf.find(m), m)
        heads = sorted(roots.values(), key=lambda m: self.ids[m])
        for m in heads[1 : MAX_FLAGS_PER_ITEM + 1]:
            self.flag_pair(heads[0], m, f"same generic name '{value}' ({kind}) and no shared link")

    def look_alike_pairs(self) -> list[tuple[int, int, int, int]]:
        """Pairs of records of one kind whose names look alike: (i, j, form of i, form of j), in block
        order. Pure (the union-find is consulted later), so a helper process can find them."""
        blocks: dict[str, dict[str, list[int]]] = {kind: {} for kind in RELEVANT_KINDS}
        for i, per_form in self.form_blocks.items():  # in item order
            by_key = blocks[self.items[i].kind]
            seen: set[str] = set()
            for _, keys in per_form:
                for key in keys:
                    if key not in seen:
                        seen.add(key)
                        by_key.setdefault(key, []).append(i)
        forms = self.forms
        pairs: list[tuple[int, int, int, int]] = []
        compared: set[tuple[int, int]] = set()
        for by_key in blocks.values():
            for members in by_key.values():
                if len(members) < 2 or len(members) > MAX_BLOCK:
                    continue
                for x, i in enumerate(members):
                    mine = forms[i]
                    for j in members[x + 1 :]:
                        if (i, j) in compared:
                            continue  # met in an earlier block: flagging it again would change nothing
                        compared.add((i, j))
                        theirs = forms[j]
                        if len(mine) == 1 and len(theirs) == 1:  # the usual case, without a generator
                            if look_alike(mine[0], theirs[0]):
                                pairs.append((i, j, 0, 0))
                            continue
                        pair = next(
                            ((a, b) for a, fi in enumerate(mine) for b, fj in enumerate(theirs) if look_alike(fi, fj)),
                            None,
                        )
                        if pair:
                            pairs.append((i, j, *pair))
        return pairs

    def look_alike_flags(self, pairs: list[tuple[int, int, int, int]]) -> None:
        find, forms = self.uf.find, self.forms
        for i, j, a, b in pairs:
            if find(i) != find(j):
                why = f"look-alike names '{forms[i][a].text}' / '{forms[j][b].text}' ({self.items[i].kind}): not merged"
                self.flag_pair(i, j, why)

    # -- catalogue ----------------------------------------------------------------------------------

    def index_entry_owners(self) -> None:
        self.entry_owners: dict[int, set[tuple[str, str]]] = {}
        for entry in self.catalogue:
            owners = {o for o in map(_owner, entry.keys) if o}
            if owners:
                self.entry_owners[entry.entry_id] = owners

    def build_entry_index(self) -> None:
        """The catalogue's names, look-alike blocks and name starts, for the look-ups."""
        # per kind: {squash, signature or spelling: [(entry, form)]} and {block key: [entry]}
        self.entry_names: dict[str, dict[str, list[tuple[int, NameForm]]]] = defaultdict(dict)
        self.entry_blocks: dict[str, dict[str, list[int]]] = defaultdict(dict)
        squashes: set[str] = set()
        for entry in self.catalogue:
            forms = self.entry_forms[entry.entry_id]
            names, blocks = self.entry_names[entry.kind], self.entry_blocks[entry.kind]
            for form in forms:
                for value in dict.fromkeys((form.squash, form.signature, form.spelled)):
                    names.setdefault(value, []).append((entry.entry_id, form))
            for key in _block_keys(forms):
                blocks.setdefault(key, []).append(entry.entry_id)
            squashes.update(f.squash for f in forms)
        self.entry_squashes = sorted(squashes)  # for "owner name" lookups: does any entry name begin so?

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
        if (
            not form.specific and entry_form.specific and len(entry_form.core) == 1 and len(form.core) >= 2
            and len(entry_form.squash) >= 6 and form.squash == entry_form.squash
        ):
            return True  # "echo_clip" / "Echo-CLIP" spell the coined "EchoCLIP" with a separator
        if not (form.specific and entry_form.specific):
            return False
        if entry.kind == "dataset" and not entry_form.alias and len(entry_form.core) == 1:
            token = entry_form.core[0]
            if len(token) <= 4 and not _has_digit(token):
                return False  # "UCLA", "CCA": labels for unnamed data, not names
        return True

    def lookup_forms(self, i: int) -> tuple[NameForm, ...]:
        """Extra spellings a record's name is looked up under in the catalogue (exact matches only).

        * a dataset's name without its descriptive words ("PCOSGen-train" is "PCOSGen", as
          "BUSI segmentation" is "BUSI" between records);
        * a repository's owner and name together ("echonet/dynamic" is "EchoNet Dynamic"):
          organisations often name the family and the repository the member.
        """
        names = self.entry_names.get(self.items[i].kind, {})
        out: list[NameForm] = []
        for base in self.bases.get(i, ()):
            if "".join(base) in names:
                out.append(name_form(" ".join(base), True))
        starts = self.entry_squashes
        for owner, repo in self.repos.get(i, ()):
            # cheap test first: some catalogue name must begin with the owner's name
            prefix = _squash_owner(owner)
            at = bisect_left(starts, prefix)
            if not prefix or at == len(starts) or not starts[at].startswith(prefix) or prefix in repo.lower():
                continue
            extra = name_form(f"{owner} {repo}", True)
            if extra.specific and extra.squash in names:
                out.append(extra)
        return tuple(out)

    def pure_names(self) -> tuple[list[tuple[int, bool, int, int, int | NameForm]], list[tuple[int, int, int, int]]]:
        """Everything of the name phases that needs no union-find: the catalogue look-ups and the
        look-alike pairs (a helper process's share)."""
        self.build_entry_index()
        self.prepare_blocks()
        return self.catalogue_hits(range(len(self.items))), self.look_alike_pairs()

    def catalogue_hits(self, indices: Iterable[int]) -> list[tuple[int, bool, int, int, int | NameForm]]:
        """Per relevant record: entries of its kind with the same name, and look-alike entries.

        Pure (no union-find), so a helper process can do it while the edges are drawn. Plain tuples
        (record, look-alike?, entry, index of the entry's form, index of the record's form or, for
        a look-up spelling (``lookup_forms``), that form) travel between processes cheaply."""
        hits: list[tuple[int, bool, int, int, int | NameForm]] = []
        entry_forms, form_blocks = self.entry_forms, self.form_blocks
        for i in indices:
            if not self.relevant[i]:
                continue
            kind = self.items[i].kind
            names, blocks = self.entry_names.get(kind, {}), self.entry_blocks.get(kind, {})
            own = self.forms[i]
            forms = own + self.lookup_forms(i) if i in self.bases or i in self.repos else own
            for f, form in enumerate(forms):
                squash, signature = form.squash, form.signature
                found: dict[int, NameForm] = {}
                for value in (squash, signature, form.spelled):
                    for entry_id, entry_form in names.get(value, ()):
                        if entry_id not in found and (
                            squash == entry_form.squash
                            or signature == entry_form.signature
                            or exact_long(form, entry_form)
                        ):
                            found[entry_id] = entry_form
                if found:
                    # a look-up spelling is not among the record's forms: it travels whole
                    mine = f if f < len(own) else form
                    for entry_id in sorted(found):
                        hits.append((i, False, entry_id, entry_forms[entry_id].index(found[entry_id]), mine))
            for form, keys in form_blocks.get(i, ()):
                found = {}
                for key in keys:
                    block = blocks.get(key, ())
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
                    f = own.index(form)
                    for entry_id in sorted(found):
                        hits.append((i, True, entry_id, entry_forms[entry_id].index(found[entry_id]), f))
        return hits

    def set_catalogue_hits(self, hits: list[tuple[int, bool, int, int, int | NameForm]]) -> None:
        self.name_hits: dict[int, list[tuple[int, NameForm, NameForm]]] = {}
        self.look_alike_hits: dict[int, list[tuple[int, NameForm, NameForm]]] = {}
        for i, look_alike_hit, entry_id, e, f in hits:
            form = self.forms[i][f] if isinstance(f, int) else f
            hit = (entry_id, self.entry_forms[entry_id][e], form)
            (self.look_alike_hits if look_alike_hit else self.name_hits).setdefault(i, []).append(hit)

    def match_catalogue(
        self, members: list[int]
    ) -> tuple[int | None, list[str], list[tuple[int, str, str]], int]:
        """(entry, reasons, flags, confidence): 3 a shared key, 2 a cited key, 1 a specific name, 0 a
        generic title or no match."""
        evidence = [
            m for m in members
            if m in self.item_entry_keys or m in self.entry_refs or m in self.name_hits or m in self.look_alike_hits
        ]
        if not evidence:
            return _NO_MATCH
        relevant = [m for m in members if self.relevant[m]]
        kinds = {self.items[m].kind for m in relevant if not self.items[m].is_publication}
        kinds = kinds or {self.items[m].kind for m in relevant}
        strength: dict[int, int] = {}
        coined: set[int] = set()  # entries matched by a specific name, not only a generic long title
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
                elif ref in self.source_refs[m] and not variant_of(self.forms[m], self.entry_forms[entry_id]):
                    add(entry_id, 2, f"{item.id} cites {ref} of entry {entry_id} '{entry.name}' as its original")
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
                    if form.specific and entry_form.specific:
                        coined.add(entry_id)
                else:
                    flags.append((m, f"entry:{entry_id}", f"same name as the short or generic entry name "
                                  f"'{entry_form.text}': needs a shared link"))
            for entry_id, entry_form, form in self.look_alike_hits.get(m, ()):
                why = f"look-alike of entry '{entry_form.text}' ('{form.text}'): not matched"
                flags.append((m, f"entry:{entry_id}", why))
        if not strength:
            return None, [], flags, 0
        best = max(strength.values())
        top = sorted(e for e, level in strength.items() if level == best)
        if len(top) > 1:
            # several entries equally strong: a name agreeing too breaks the tie, else the curator decides
            named = [e for e in top if any("same name" in r for r in reasons[e])] if best > 1 else []
            if len(named) != 1:
                for e in top:
                    flags.append((members[0], f"entry:{e}", f"matches {len(top)} entries equally: {reasons[e][0]}"))
                return None, [], flags, 0
            top = named
        chosen = top[0]
        # a match on a generic title alone ("Liver Ultrasound Scans") is a match, not proof of identity
        confidence = best if best > 1 or chosen in coined else 0
        return chosen, reasons[chosen], [f for f in flags if f[1] != f"entry:{chosen}"], confidence

    # -- assembly -----------------------------------------------------------------------------------

    def run(
        self, keep_apart: Iterable[tuple[str, str]] = (), keep_together: Iterable[tuple[str, str]] = ()
    ) -> list[Cluster]:
        lap = self.lap
        mine, theirs = self.shares() if self.parallel else (self.named, [])
        job = in_child(partial(self.helper, theirs)) if theirs else None
        if job is None:
            mine, theirs = self.named, []
        try:
            self.index_keys()
            self.index_owners()
            forms = self.spell(mine)
            if job is not None:
                # sent at once, so that the helper can start on the look-ups as soon as its own share is done
                job.send(self.repos)  # for the catalogue look-ups by "owner name"
                job.send([(i, forms[i]) for i in mine])
            self.mark_apart(keep_apart)
            self.key_edges()
            self.join_together(keep_together)
            self.finish_forms(job, theirs, forms)
            self.prepare_names()
            self.index_entry_owners()
            lap("name preparation")
            self.ref_edges()
            lap("reference links")
            self.name_edges()
            lap("name groups")
            found = job.result() if job is not None else None
            lap("waiting for the helper's look-ups")
        finally:
            if job is not None:
                job.close()
        hits, pairs = self.pure_names() if found is None else found
        self.look_alike_flags(pairs)
        self.set_catalogue_hits(hits)
        lap("look-alikes and catalogue look-ups")
        members = self.components()
        # only components holding some catalogue evidence can match: the others keep _NO_MATCH
        find = self.uf.find
        evidence = self.item_entry_keys.keys() | self.entry_refs.keys() | self.name_hits.keys()
        evidence |= self.look_alike_hits.keys()
        matches = {root: self.match_catalogue(members[root]) for root in sorted({find(i) for i in evidence})}
        joined = self.same_entry_edges(members, matches)
        self.lap("catalogue matches")
        if joined:
            # only the components that were joined change: regroup their records and match them again
            regrouped: dict[int, list[int]] = defaultdict(list)
            for old_root in joined:
                for i in members.pop(old_root):
                    regrouped[self.uf.find(i)].append(i)
                matches.pop(old_root, None)
            for root, idx in regrouped.items():
                idx.sort()
                members[root] = idx
                matches[root] = self.match_catalogue(idx)
        reasons: dict[int, list[str]] = defaultdict(list)
        for i, _, reason in self.edges:
            reasons[self.uf.find(i)].append(reason)
        flags: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        ids = self.ids
        for i, other, reason in self.flags:
            root = self.uf.find(i)
            j = bisect_left(ids, other)  # ids are sorted
            if j < len(ids) and ids[j] == other and self.uf.find(j) == root:
                continue  # later evidence joined the pair: nothing left for a curator to decide
            flags[root].append((ids[i], other, reason))
        clusters: list[Cluster] = []
        id_of = ids.__getitem__
        for root, idx in members.items():
            match, match_reasons, entry_flags, _ = matches.pop(root, _NO_MATCH)
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
            # idx ascending = ids sorted
            clusters.append(Cluster(list(map(id_of, idx)), match, reasons.get(root, []) + match_reasons, cluster_flags))
        clusters.sort(key=lambda c: c.ids[0])
        self.lap("clusters")
        return clusters

    def components(self) -> dict[int, list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.items)):
            members[self.uf.find(i)].append(i)
        return members

    def same_entry_edges(self, members: dict[int, list[int]], matches: dict[int, tuple]) -> list[int]:
        """Components matched to one catalogue entry are one resource (a Kaggle copy known by its name,
        the paper known by its DOI). A match is made only on unflagged evidence, so both are confident;
        a component known only by name keeps the owner veto of name evidence (alice/X, bob/X), and
        two GitHub repositories of different owners stay apart in any case (a fork, a re-implementation).
        Components without a relevant record take no part: kind "other" joins only by a shared key."""
        by_entry: dict[int, list[int]] = defaultdict(list)
        for root, (match, _, _, confidence) in matches.items():
            if match is not None and confidence > 0 and any(self.relevant[i] for i in members[root]):
                by_entry[match].append(root)
        joined: set[int] = set()
        for entry_id in sorted(by_entry):
            roots = by_entry[entry_id]
            if len(roots) < 2:
                continue
            roots.sort(key=lambda r: members[r][0])
            head = members[roots[0]][0]
            entry = self.entry_by_id[entry_id]
            for root in roots[1:]:
                other = members[root][0]
                name_only = matches[roots[0]][3] <= 1 or matches[root][3] <= 1
                veto = self.uf.conflict(head, other, owners=True if name_only else ("github",))
                if veto:
                    self.flag_pair(head, other, f"both match entry {entry_id} '{entry.name}' but {veto}")
                elif not self.uf.kept_apart(head, other):
                    self.accept(head, other, f"{self.ids[head]} and {self.ids[other]} both match entry "
                                             f"{entry_id} '{entry.name}'")
                    joined.update((roots[0], root))
        return sorted(joined)


_NO_MATCH: tuple[None, list[str], list[tuple[int, str, str]], int] = (None, [], [], 0)  # never mutated


def _forms_of(items: list[Item]) -> list[tuple[NameForm, ...]]:
    return [name_forms(it.name, it.title, tuple(it.aliases)) for it in items]


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
    timings: dict[str, float] | None = None,
) -> list[Cluster]:
    """Fold ``items`` into clusters (one per resource) and match each against ``catalogue``.

    Every item is in exactly one cluster; ids must be unique. See the module docstring for the rules.
    ``keep_apart`` / ``keep_together`` are curators' decisions about pairs of item ids (a split, a
    duplicate mark): they outrank all evidence, identity keys included; ids not among the items are
    ignored. ``timings``, if given, receives the seconds each phase took (for benchmarks).
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
        resolver = _Resolver(items, catalogue, timings)
        clusters = resolver.run(keep_apart, keep_together)
        freeing = perf_counter()
        del resolver  # frees the working state: measurable on large runs
        if timings is not None:
            timings["freeing the working state"] = perf_counter() - freeing
        return clusters
    finally:
        if collecting:
            gc.enable()
