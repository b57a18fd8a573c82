"""Pre-extraction with evidence: a Candidate's own text and metadata -> the catalogue's characteristics.

``extract(candidate, kind)`` fills, for a dataset, the 34 SonoDQS characteristics
and for a model the 12 SonoMQS criteria plus name, link, task, training
datasets, anatomy and framework -- and for both licence, doi, description and
version. Every value is typed as ``docs/fields.md`` says and carries the
snippet it was read from (copied from the text, or ``"key: value"`` for host
metadata) and the record it came from. What the record does not state is left
out: the evaluation counts an invented value as worse than a missing one.

This module owns how a record is read: READMEs, cards and descriptions are
markdown or HTML-turned-text, so ``Document`` masks badges, images, tags and
code blocks *in place* (same length, so every sentence keeps its offsets into
the original and the evidence stays a verbatim substring), splits the result
into headed sections, paragraphs and sentences, and keeps the URLs. Which
sentence answers which characteristic is decided by cue patterns here; what a
sentence *says* (a size, a country, a licence, ...) is decided by the small
normalisers in ``crawler.normalise``. Pure: no I/O, no clock.

Two habits run through the extractors: a statement of several (sites,
machines) anywhere beats a statement of one, because texts mention other
work's single-centre data in passing; and a long text is read for its first
``_CONTENT_MAX`` descriptive sentences, where every README, card and abstract
says what the resource is, so a 200 kB README costs well under a few seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler import normalise as norm
from crawler.links import DATA_DOI_PREFIXES, find_dois, find_urls, normalise_doi, normalise_url
from crawler.models import Candidate, FieldValue

EVIDENCE_MAX = 300
DESCRIPTION_MAX = 500

DATASET_KEYS = (
    "name", "link", "anatomy", "scanning_mode", "multimodal_text_image", "total_size", "split_sizes", "task_category",
    "geography", "acquisition_years", "other_imaging_metadata", "machines", "centres", "access", "devices",
    "acquisition_protocol", "institution", "acquirer_characteristics", "split_characteristics", "sample_definition",
    "operator_count", "annotation_method", "annotator_instructions", "annotation_description", "annotation_merging",
    "application_cases", "ethics_statement", "data_usage_agreement", "challenge", "imaging_modalities",
    "context_information", "subject_details", "doppler", "b_mode",
)
MODEL_CRITERIA = (
    "training_data_public", "weights_public", "code_shared", "training_details", "study_objective", "funding_statement",
    "ethics_statement", "competing_interests", "authorship", "author_contributions", "code_availability_statement",
    "software_citations",
)
MODEL_KEYS = MODEL_CRITERIA + ("name", "link", "task", "training_datasets", "anatomy", "framework")
COMMON_KEYS = ("licence", "doi", "description", "version")


# -- the document ----------------------------------------------------------------------------


@dataclass(eq=False)
class Segment:
    """One sentence (or heading, list item, table row) of the text, as offsets into the original."""

    start: int
    end: int
    clean: str  # markup removed, whitespace collapsed: what cue patterns and values read
    section: str  # the nearest heading above, lower-cased ("" before the first)
    block: int  # index of the paragraph / list / table it belongs to
    heading: bool = False
    checkbox: str | None = None  # " " or "x" for a markdown task-list item


@dataclass
class Document:
    raw: str
    masked: str
    segments: list[Segment] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)  # fenced code blocks (raw spans)
    urls: list[str] = field(default_factory=list)

    def evidence(self, start: int, end: int, focus: int | None = None) -> str:
        """The raw text of a span, at most ~300 characters (a window around ``focus`` when longer)."""
        text = self.raw[start:end].strip()
        if len(text) <= EVIDENCE_MAX:
            return text
        offset = self.raw.index(text, start) if text else start
        center = (focus if focus is not None else offset) - offset
        lo = max(0, min(center - EVIDENCE_MAX // 3, len(text) - EVIDENCE_MAX))
        return text[lo : lo + EVIDENCE_MAX].strip()

    def seg_evidence(self, seg: Segment, focus_text: str | None = None) -> str:
        focus = None
        if focus_text:
            at = self.raw.lower().find(focus_text.lower(), seg.start, seg.end)
            focus = at if at >= 0 else None
        return self.evidence(seg.start, seg.end, focus)


_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_INDENTED_CODE = re.compile(r"(?:^(?: {4}|\t)(?![-*+] |\d+[.)] )[^\n]*\n?){2,}", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Hugging Face card templates leave these where a section was not filled in.
_PLACEHOLDER = re.compile(r"\[More Information Needed\]|\{\{[^{}\n]*\}\}", re.I)
_LINKED_IMAGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|details|summary|blockquote|hr|section|center)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEF = re.compile(r"^[ \t]*\[[^\]\n]+\]:\s*\S+.*$", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+", re.M)
_SETEXT = re.compile(r"^[ \t]*(?:=+|-{3,})[ \t]*$", re.M)
_BULLET = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[( |x|X)\][ \t]+)?", re.M)
_EMPHASIS = re.compile(r"\*\*|__(?=\w)|(?<=\w)__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`|~~")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*$", re.M)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d+|#x[0-9a-f]+);", re.I)
_ENTITY_CHAR = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|fig|figs|eq|vs|approx|no|nos|dr|prof|inc|ltd|co|st|mr|ms|jr|ref|refs|cf|resp|incl|ca|"
    r"vol|pp|ed|eds|sec|tab|dept|univ|corp|est|al|mt|ph\.d|m\.d|u\.s|u\.k|v)\.|\b[A-Z]\.)$",
    re.I,
)


def _mask(chars: list[str], start: int, end: int, boundary: bool = False) -> None:
    """Blank ``chars[start:end]`` in place, keeping newlines; a boundary turns the first two into a paragraph break."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "
    if boundary and end - start >= 1:
        chars[start] = "\n"
        if end - start >= 2:
            chars[start + 1] = "\n"


def read(text: str) -> Document:
    """Mask markup in place and split the text into headed, blocked sentences."""
    raw = text or ""
    chars = list(raw)
    code: list[tuple[int, int]] = []
    headings: set[int] = set()  # line starts of headings
    bullets: dict[int, str | None] = {}  # line start -> checkbox state

    for match in _FENCE.finditer(raw):
        code.append((match.start(), match.end()))
        _mask(chars, match.start(), match.end())
    for match in _INDENTED_CODE.finditer(raw):
        if not any(s <= match.start() < e for s, e in code):
            code.append((match.start(), match.end()))
            _mask(chars, match.start(), match.end())

    def in_code(pos: int) -> bool:
        return any(s <= pos < e for s, e in code)

    def sub_mask(pattern: re.Pattern[str], boundary: bool = False) -> None:
        current = "".join(chars)
        for match in pattern.finditer(current):
            if not in_code(match.start()):
                _mask(chars, match.start(), match.end(), boundary)

    sub_mask(_HTML_COMMENT)
    sub_mask(_PLACEHOLDER)
    sub_mask(_LINKED_IMAGE)
    sub_mask(_IMAGE)
    sub_mask(_BLOCK_TAG, boundary=True)
    sub_mask(_TAG)
    current = "".join(chars)
    for match in _LINK.finditer(current):
        # keep the link text, drop the brackets and the target (the target stays in ``urls``)
        _mask(chars, match.start(), match.start() + 1)
        _mask(chars, match.end(1), match.end())
    current = "".join(chars)
    for match in _REF_LINK.finditer(current):
        _mask(chars, match.start(), match.start() + 1)
        _mask(chars, match.end(1), match.end())
    sub_mask(_REF_DEF)
    current = "".join(chars)
    for match in _ENTITY.finditer(current):
        replacement = _ENTITY_CHAR.get(match.group(0).lower(), " ")
        _mask(chars, match.start(), match.end())
        chars[match.start()] = replacement
    current = "".join(chars)
    for match in _HEADING.finditer(current):
        headings.add(match.start())
        _mask(chars, match.start(), match.end())
    current = "".join(chars)
    for match in _SETEXT.finditer(current):
        previous = current.rfind("\n", 0, max(0, match.start() - 1))
        line_start = previous + 1
        if match.start() > 0 and current[line_start : match.start()].strip():
            headings.add(line_start)
            _mask(chars, match.start(), match.end())
    current = "".join(chars)
    for match in _BULLET.finditer(current):
        bullets[match.start()] = match.group(2).lower() if match.group(2) else None
        _mask(chars, match.start(), match.end())
    sub_mask(_TABLE_RULE)
    sub_mask(_EMPHASIS)
    masked = "".join(chars)

    doc = Document(raw=raw, masked=masked, code=code, urls=find_urls(raw))
    _segment(doc, headings, bullets)
    return doc


def _segment(doc: Document, headings: set[int], bullets: dict[int, str | None]) -> None:
    masked = doc.masked
    section = ""
    block = -1
    unit: list[tuple[int, int]] = []  # lines of the current paragraph / list item
    unit_checkbox: list[str | None] = [None]

    def flush() -> None:
        if not unit:
            return
        block_start, block_end = unit[0][0], unit[-1][1]
        _sentences(doc, block_start, block_end, section, block, unit_checkbox[0])
        unit.clear()

    pos = 0
    previous_blank = True
    previous_table = False
    for line in masked.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        raw_line = doc.raw[start:end]
        if not line.strip() and previous_table and _TABLE_RULE.fullmatch(raw_line):
            continue  # the |---|---| rule under a table's header row: same table
        if not line.strip():
            flush()
            previous_blank = True
            previous_table = False
            continue
        is_table = raw_line.count("|") >= 2 and not any(s <= start < e for s, e in doc.code)
        if start in headings:
            flush()
            block += 1
            clean = _tidy(line)
            doc.segments.append(Segment(start, end, clean, section, block, heading=True))
            section = clean.lower()
            previous_blank = True
            continue
        if is_table:
            flush()
            if not previous_table:
                block += 1
            cells = [c.strip() for c in line.split("|")]
            clean = " | ".join(_tidy(c) for c in cells if c)
            if clean:
                doc.segments.append(Segment(start, end, clean, section, block))
            previous_table = True
            previous_blank = False
            continue
        if previous_table:
            flush()
            previous_blank = True
        previous_table = False
        if start in bullets:
            flush()
            if previous_blank:
                block += 1
            unit.append((start, end))
            unit_checkbox[0] = bullets[start]
        elif previous_blank:
            flush()
            block += 1
            unit.append((start, end))
            unit_checkbox[0] = None
        elif unit and _line_break(doc.masked[unit[-1][0] : unit[-1][1]], line):
            checkbox = unit_checkbox[0]
            flush()
            unit.append((start, end))
            unit_checkbox[0] = checkbox if line.startswith((" ", "\t")) else None
        else:
            unit.append((start, end))
        previous_blank = False
    flush()


def _line_break(previous: str, line: str) -> bool:
    """Is a single newline a sentence boundary? Yes after end punctuation, short lines and "Label: URL" lines."""
    prev = previous.rstrip()
    nxt = line.lstrip()
    if not prev or not nxt:
        return True
    if prev[-1] in ".!?:;":
        return True
    if len(prev) < 45 and nxt[:1].isupper():
        return True
    last = prev.split()[-1]
    if last.startswith(("http://", "https://", "www.")) and nxt[:1].isupper():
        return True
    return False


def _tidy(text: str) -> str:
    """Collapse whitespace and the gaps masking leaves before punctuation ("`a.pt` ." -> "a.pt.")."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:!?)\]])", r"\1", text)
    return re.sub(r"([(\[])\s+", r"\1", text)


_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])|[;]\s+(?=[A-Z])")


def _sentences(doc: Document, start: int, end: int, section: str, block: int, checkbox: str | None) -> None:
    text = doc.masked[start:end]
    cuts = [0]
    for match in _SENTENCE_END.finditer(text):
        head = text[max(0, match.start() - 15) : match.start() + 1]  # a window: slicing the whole head is quadratic
        decimal = re.search(r"\d\.$", head) and re.match(r"\d", text[match.end() : match.end() + 1] or "")
        if _ABBREV.search(head) or decimal:
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    for a, b in zip(cuts, cuts[1:]):
        chunk = text[a:b]
        clean = _tidy(chunk)
        if not clean or not re.search(r"[A-Za-z0-9]", clean):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        tail = len(chunk.rstrip())
        doc.segments.append(Segment(start + a + lead, start + a + tail, clean, section, block, checkbox=checkbox))


# -- helpers ---------------------------------------------------------------------------------

_SKIP_SECTION = re.compile(
    r"cit(?:ation|ing|e)|bibtex|reference|related (?:work|project|dataset|repo)|acknowledg|licen[cs]e|contact|to-?do|"
    r"news|update|changelog|star history|contribut|faq|publication|awesome|see also|other (?:dataset|project|work)s?|"
    r"disclaimer|install|usage|getting started|requirement|environment|quick ?start|how to (?:run|use)",
    re.I,
)
# A reference line: "et al.", "In: ...", pages, bibtex, or "Surname, A. ... (2020)." -- a bare "(2022)." closing a
# sentence about the data is its acquisition year, not a citation.
_CITATION_SENTENCE = re.compile(
    r"(?i:\bet al\.|\bIn:\s|\bProceedings\b|\bpp\.\s*\d|@\w+\{)|\b[A-Z][a-z]+,? (?:[A-Z]\.\s?)+[^()]{0,200}\(\d{4}\)\.?$"
)


def _content(segments: Iterable[Segment]) -> list[Segment]:
    """Sentences that describe the resource: not headings, citations, install steps or licence boilerplate."""
    return [
        s
        for s in segments
        if not s.heading and not _SKIP_SECTION.search(s.section) and not _CITATION_SENTENCE.search(s.clean)
    ]


def _cap(text: str, limit: int = EVIDENCE_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut[limit // 2 :] else cut


def _value_around(clean: str, pattern: re.Pattern[str] | None, limit: int = EVIDENCE_MAX) -> str:
    """A sentence as a value; a long one is cut to a window around the cue."""
    if len(clean) <= limit or pattern is None:
        return _cap(clean, limit)
    match = pattern.search(clean)
    if not match:
        return _cap(clean, limit)
    lo = max(0, min(match.start() - limit // 3, len(clean) - limit))
    window = clean[lo : lo + limit]
    if lo > 0 and " " in window:
        window = window[window.find(" ") + 1 :]
    return _cap(window, limit)


@dataclass
class _Ctx:
    """Everything one extraction reads, built once."""

    candidate: Candidate
    doc: Document
    source: str
    content: list[Segment]
    primary: list[Segment]  # the summary: first paragraph(s) before any deeper section
    content_text: str = ""  # the content sentences joined, for quick "is it there at all?" checks
    all_text: str = ""  # every sentence joined (headings included)

    _memo: dict[tuple[str, int], Any] = field(default_factory=dict)

    def per_sentence(self, fn: Callable[[str], Any], seg: Segment) -> Any:
        """``fn(seg.clean)``, computed once per sentence however many fields ask."""
        key = (fn.__name__, id(seg))
        if key not in self._memo:
            self._memo[key] = fn(seg.clean)
        return self._memo[key]

    def fv(self, value: Any, evidence: str, unit: str | None = None) -> FieldValue:
        return FieldValue(value=value, evidence=evidence.strip()[: EVIDENCE_MAX + 20], source=self.source, unit=unit)

    def sentence_field(self, pattern: re.Pattern[str], *, reject: re.Pattern[str] | None = None,
                       require: re.Pattern[str] | None = None, joined: int = 1, best: bool = False,
                       segments: Sequence[Segment] | None = None) -> FieldValue | None:
        """A text characteristic: the sentence(s) matching a cue pattern, value clean, evidence raw.

        ``best`` takes the sentence with the most distinct cues (the one *about* the characteristic)
        instead of the first one that mentions it in passing.
        """
        hits: list[Segment] = []
        pool = self.content if segments is None else segments
        if segments is None and "^" not in pattern.pattern and not pattern.search(self.content_text):
            return None  # one search over the whole text instead of one per sentence when nothing matches
        for seg in pool:
            if not pattern.search(seg.clean):
                continue
            if reject and reject.search(seg.clean):
                continue
            if require and not require.search(seg.clean):
                continue
            if seg.clean not in {h.clean for h in hits}:
                hits.append(seg)
            if len(hits) >= joined and not best:
                break
        if not hits:
            return None
        if best:
            def cues(seg: Segment) -> int:
                return len({m.group(0).lower() for m in pattern.finditer(seg.clean)})
            top = max(cues(h) for h in hits)
            hits = [next(h for h in hits if cues(h) == top)]
        value = " ".join(h.clean for h in hits)
        value = _value_around(value, pattern)
        first = hits[0]
        last = hits[-1]
        if last.end - first.start <= EVIDENCE_MAX and last.block == first.block:
            evidence = self.doc.evidence(first.start, last.end)
        else:
            match = pattern.search(first.clean)
            evidence = self.doc.seg_evidence(first, match.group(0) if match else None)
        return self.fv(value, evidence)


def _primary(doc: Document) -> list[Segment]:
    """The record's summary: sentences of the first two non-heading blocks outside skipped sections (at most 40)."""
    blocks: list[int] = []
    out: list[Segment] = []
    for seg in doc.segments:
        if len(out) >= 40:
            break
        if seg.heading or _SKIP_SECTION.search(seg.section):
            continue
        if seg.block not in blocks:
            if len(blocks) == 2:
                break
            # a line of links or badges is not a summary paragraph
            if len(seg.clean) < 25 and not re.search(r"[a-z]{3,} [a-z]{3,}", seg.clean):
                continue
            blocks.append(seg.block)
        out.append(seg)
    return out


def _meta(key: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return f"{key}: {value}"[:EVIDENCE_MAX]


# -- field extractors shared by both kinds ---------------------------------------------------


def _name(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    title = " ".join((c.title or "").split())
    if c.source in {"github", "huggingface"}:
        ident = title or c.native_id.partition(":")[2]
        name = ident.split("/")[-1] if "/" in ident else ident
    else:
        name = title
    if not name:
        return None
    return ctx.fv(name, _meta("title", title or c.native_id))


_DATA_LINK_HOST = re.compile(
    r"zenodo\.org|doi\.org/10\.(?:5281|6084|7910|34820|13026|7937|17632|5061|18112|57967|34740)/|"
    r"kaggle\.com/(?:datasets|c|competitions)/|"
    r"huggingface\.co/datasets/|figshare\.com|data\.mendeley\.com|physionet\.org|grand-challenge\.org|synapse\.org|"
    r"cancerimagingarchive\.net|drive\.google\.com|dropbox\.com|onedrive|1drv\.ms|pan\.baidu\.com|osf\.io|dataverse|"
    r"datadryad|openneuro|aistudio\.baidu\.com|box\.com|mega\.nz|github\.io|github\.com|gitlab\.com|download|"
    r"/datasets?/|/data/",
    re.I,
)
_MODEL_LINK_HOST = re.compile(
    r"github\.com|gitlab\.com|huggingface\.co/(?!datasets/|papers/|docs/|spaces/)|kaggle\.com/(?:models|code)/|zenodo\.org|"
    r"doi\.org/10\.5281/|drive\.google\.com|dropbox\.com|pan\.baidu\.com|figshare\.com|onedrive|1drv\.ms|"
    r"huggingface\.co/spaces/",
    re.I,
)
_NOT_A_LINK = re.compile(
    r"shields\.io|badge|\.svg(?:\?|$)|\.png(?:\?|$)|\.jpe?g(?:\?|$)|\.gif(?:\?|$)|arxiv\.org|/issues|/pulls|"
    r"/blob/|/stargazers|/network|awesome\.re|/actions|/wiki|twitter\.com|x\.com/|linkedin|youtube|mailto:|"
    r"github\.com/[^/\s]+/?$",
    re.I,
)
_CITED_CONTEXT = re.compile(
    r"\b(?:based on|built on|adapted from|see also|related|inspired|awesome|compare[ds]?|unlike|previous(?:ly)?|"
    r"our (?:other|previous)|et al\.|other datasets?)\b",
    re.I,
)


def _link(ctx: _Ctx, kind: str) -> FieldValue | None:
    c = ctx.candidate
    links: list[str] = []
    seen: set[str] = set()

    def add(url: str | None) -> None:
        if not url:
            return
        key = normalise_url(url)
        if key and key not in seen:
            seen.add(key)
            links.append(url)

    add(c.url)
    own = _own_doi(ctx)
    if own:
        add(f"https://doi.org/{own.value}")
    if c.source == "zenodo":
        for url in c.links[:3]:  # self_html, the version DOI, the concept DOI
            if re.search(r"zenodo\.org/records?/|doi\.org/10\.5281/", url or "", re.I):
                add(url)
    host = _DATA_LINK_HOST if kind == "dataset" else _MODEL_LINK_HOST
    doc = ctx.doc
    for seg in _content(doc.segments):
        raw = doc.raw[seg.start : seg.end]
        urls = find_urls(raw) + _bare_urls(raw)
        if not urls or _CITED_CONTEXT.search(seg.clean):
            continue
        # "Original site: <url>", "the dataset ... are available at <url>": this resource's page, whatever the host
        offered = _OFFERED_AT.search(seg.clean)
        for url in urls:
            if (host.search(url) or offered) and not _NOT_A_LINK.search(url):
                if kind == "dataset" and re.search(r"github\.com|gitlab\.com", url, re.I) and re.search(
                    r"\b(?:code|baseline|implementation|model|training)\b", seg.clean, re.I
                ):
                    continue  # a dataset's baseline code is not a link to the data
                add(url)
    if kind == "model":
        for f in c.files:
            if f.url and norm.is_weight_file(f.name) and len(links) < 12:
                add(f.url)
    return ctx.fv(links, _meta("url", c.url) if len(links) == 1 else _meta("links", links))


_OFFERED_AT = re.compile(
    r"\b(?:original|official) (?:site|website|web ?page|page|record|data(?:set)?|source|terms)\b|\bproject (?:page|site|website)\b|"
    r"\bhomepage\b|\b(?:is|are) (?:publicly |freely |openly )?(?:available|hosted|accessible) (?:at|on|from|through|via)\b|"
    r"\b(?:data|terms|files) (?:is|are) at\b|\bwe release\b|\breleased (?:at|on)\b",
    re.I,
)


def _own_doi(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    text = c.text or ""
    if c.source == "github":
        # a README's DOI badge names the repository's archive; other DOIs are cited papers or data
        badge = re.search(
            r"(?:zenodo\.org/badge/(?:DOI/)?|\[!\[DOI\]\([^)]*\)\]\(\s*https?://(?:dx\.)?doi\.org/)"
            r"(10\.\d{4,9}/[^\s)\"'<>]+)",
            text,
            re.I,
        )
        if badge:
            doi = re.sub(r"\.svg$", "", normalise_doi(badge.group(1)))
            at = text.find(badge.group(0))
            return ctx.fv(doi, ctx.doc.evidence(at, at + len(badge.group(0))))
        return None
    if c.doi:
        return ctx.fv(normalise_doi(c.doi), _meta("doi", c.doi))
    return None


_DATA_AVAILABLE = re.compile(
    r"\b(?:available|deposited|hosted|downloaded|download|archived|released|published|accessible|find|found|obtain)\b|"
    r"^\s*(?:data(?:set)?|original(?: record)?|download|record)\b[^:]{0,80}:",
    re.I,
)


def _doi(ctx: _Ctx, kind: str) -> FieldValue | None:
    own = _own_doi(ctx)
    # A paper releasing a dataset names the data's own DOI ("deposited on Zenodo, doi:10.5281/..."): that is
    # the resource's DOI; the article's DOI is only the fallback.
    paper = ctx.candidate.source in ("openalex", "scholar")
    if own and not (paper and kind == "dataset"):
        return own
    if kind != "dataset":
        return own
    data = _data_doi(ctx)
    return data or own


def _data_doi(ctx: _Ctx) -> FieldValue | None:
    # A paper or README giving "the data are available at doi:10.5281/zenodo..." names the data's own DOI.
    for seg in ctx.content:
        raw = ctx.doc.raw[seg.start : seg.end]
        dois = [d for d in find_dois(raw) if d.startswith(DATA_DOI_PREFIXES)]
        borrowed = re.search(r"\b(?:mirror|copy|derived|based on|cite)\b", seg.clean, re.I)
        if dois and _DATA_AVAILABLE.search(seg.clean) and not borrowed:
            return ctx.fv(dois[0], ctx.doc.seg_evidence(seg, dois[0]))
    return None




def _description(ctx: _Ctx) -> FieldValue | None:
    doc = ctx.doc
    blocks: dict[int, list[Segment]] = {}
    order: list[int] = []
    for seg in doc.segments:
        if seg.heading:
            continue
        if seg.block not in blocks:
            blocks[seg.block] = []
            order.append(seg.block)
        blocks[seg.block].append(seg)
    for block in order:
        segs = blocks[block]
        text = " ".join(s.clean for s in segs)
        words = re.findall(r"[A-Za-z]{2,}", text)
        if len(words) < 5 or len(text) < 30 or " | " in text:
            continue
        if _SKIP_SECTION.search(segs[0].section) or _CITATION_SENTENCE.search(text):
            continue
        if re.match(r"^(?:https?://\S+\s*)+$", text) or _TEMPLATE_TEXT.search(text):
            continue
        value = text if len(text) <= DESCRIPTION_MAX else _truncate_sentences(text, DESCRIPTION_MAX)
        return ctx.fv(value, doc.evidence(segs[0].start, segs[-1].end))
    return None


_TEMPLATE_TEXT = re.compile(
    r"\b(?:dataset|model) card (?:aims to be|has been automatically generated)|generated using \[?this raw template|"
    r"This is the model card of a",
    re.I,
)


def _truncate_sentences(text: str, limit: int) -> str:
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end >= limit // 2:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")] if " " in cut else cut


_VERSION_TEXT = re.compile(
    r"\b(?:(?:dataset|data set|database|data|model|weights|code|release|current|latest)\s+version|version)\s*[:#]?\s*"
    r"(?P<v>v?\d+(?:\.\d+){0,3}[a-z]?)\b",
    re.I,
)
_VERSION_NOISE = re.compile(
    r"\b(?:python|pytorch|torch|tensorflow|cuda|cudnn|numpy|keras|monai|node|java|gcc|ubuntu|paper|arxiv)\b",
    re.I,
)


def _version(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    if c.version and str(c.version).strip():
        label = {"github": "latest release", "kaggle": "current version"}.get(c.source, "version")
        return ctx.fv(str(c.version).strip(), _meta(label, c.version))
    for seg in ctx.content:
        match = _VERSION_TEXT.search(seg.clean)
        if match and not _VERSION_NOISE.search(seg.clean[max(0, match.start() - 30) : match.end() + 10]):
            if re.search(r"\b(?:dataset|data|database|model|weights|release|this)\b", seg.clean, re.I):
                return ctx.fv(match.group("v"), ctx.doc.seg_evidence(seg, match.group(0)))
    return None


# A licence sentence about something else: the original of a mirror, a dataset a model was trained on, the code.
_OTHER_LICENCE = re.compile(r"\b(?:original|mirror|source dataset|based on|third[- ]party|keep the licen)", re.I)
_CODE_LICENCE = re.compile(r"\b(?:for|of) the code\b|\bcode (?:is|are) (?:\w+[- ])?licen|\b(?:scripts|code)\b[^.]{0,30}licen", re.I)
_TRAINED_ON_CONTEXT = re.compile(r"\btrained (?:on|with)\b|\bdataset\b|\bdata set\b", re.I)


def _stated_licence(ctx: _Ctx, kind: str) -> FieldValue | None:
    """A licence the text grants for this resource (for a dataset: for its data, not its code)."""
    for seg in ctx.doc.segments:
        if seg.heading:
            continue
        in_section = bool(re.search(r"licen[cs]e", seg.section))
        text = seg.clean
        spdx = norm.licence_in_text(text) or (_section_licence(text) if in_section else None)
        if not spdx and not _CITATION_SENTENCE.search(text):
            spdx = norm.cc_named(text)
            if spdx and kind == "model" and _TRAINED_ON_CONTEXT.search(text):
                spdx = None  # "trained on BUSI (CC BY 4.0)": the training data's licence
        if not spdx or _OTHER_LICENCE.search(text):
            continue
        if kind == "dataset" and _CODE_LICENCE.search(text) and not re.search(r"\b(?:data|images|videos)\b", text, re.I):
            continue
        return ctx.fv(spdx, ctx.doc.seg_evidence(seg))
    return None


def _licence(ctx: _Ctx, kind: str) -> FieldValue | None:
    c = ctx.candidate
    # A paper's licence is the article's, not the released data's or code's: only the abstract's word counts.
    host = norm.licence(c.licence) if c.licence and c.source not in ("openalex", "scholar") else None
    if kind == "dataset" and c.source == "github":
        stated = _stated_licence(ctx, kind)
        if host and stated and stated.value != host:
            return None  # the repository's (code) licence and the data's disagree: not one licence to report
        if stated:
            return stated
        if host and not norm.SOFTWARE_LICENCES.match(host):
            return ctx.fv(host, _meta("license", c.licence))
        return None  # a software licence on a dataset's repository covers its scripts
    if host:
        return ctx.fv(host, _meta("license", c.licence))
    return _stated_licence(ctx, kind)


_LICENCE_IN_SECTION = re.compile(
    r"\b(?:CC[- ]?BY(?:[- ](?:NC|SA|ND))*(?:[- ]\d\.0)?|CC0(?:[- ]1\.0)?|MIT|Apache(?: License)?,? (?:Version )?2\.0|"
    r"(?:A|L)?GPL[- ]?v?[23](?:\.0)?|BSD[- ][23][- ]Clause)\b"
)


def _section_licence(text: str) -> str | None:
    """A bare licence name under a "License" heading ("MIT", "CC BY 4.0")."""
    match = _LICENCE_IN_SECTION.search(text)
    return norm.licence(match.group(0)) if match else None


# How many descriptive sentences a record is read for. A dataset card or README says what the resource is in
# its first few hundred sentences; the rest of a 200 kB README is examples, API docs and changelogs, and reading
# it all costs seconds per record.
_CONTENT_MAX = 800

# How many content sentences a summary-first field (anatomy, task) reads when the summary says nothing: what a
# resource is about is said early; a 200 kB README's thousandth sentence is an example or a changelog.
_DEEP_SCAN = 400

_IMAGING_WORD = re.compile(r"\b(?:ultrasound|sonograph\w*|echocardiograph\w*|US images?|B-mode|scans?)\b", re.I)


def _anatomy(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    # The summary (title, keywords, first paragraphs) names the body part imaged; deeper
    # sections of a README mention related work, other datasets and examples.
    title_terms = norm.anatomy(c.title or "")
    keyword_terms = norm.anatomy(" ; ".join(c.keywords))
    primary_hits = [(s, norm.anatomy(s.clean)) for s in ctx.primary]
    terms: list[str] = []
    if title_terms or any(t for _, t in primary_hits):
        keyword_terms = []  # tags are topics ("urology", "cardiology"); the summary names the organ imaged
    for group in [title_terms, keyword_terms, *[t for _, t in primary_hits]]:
        for term in group:
            if term not in terms:
                terms.append(term)
    evidence_segs = [s for s, t in primary_hits if t]
    if not terms:
        hits = [(s, norm.anatomy(s.clean)) for s in ctx.content[:_DEEP_SCAN]]
        hits = [(s, t) for s, t in hits if t]
        if not hits:
            return None
        # outside the summary, keep only terms the text repeats or states in an imaging sentence
        counts: dict[str, int] = {}
        for _, group in hits:
            for term in group:
                counts[term] = counts.get(term, 0) + 1
        imaging = _IMAGING_WORD
        for seg, group in hits:
            for term in group:
                if (counts[term] >= 2 or imaging.search(seg.clean)) and term not in terms:
                    terms.append(term)
        evidence_segs = [s for s, group in hits if set(group) & set(terms)]
        if not terms:
            return None
    order = list(norm.ANATOMY_ORDER)
    terms = sorted(norm.fold_general(norm.fold_fetal(terms)), key=order.index)
    if evidence_segs:
        evidence = ctx.doc.seg_evidence(evidence_segs[0])
        if title_terms:
            evidence = _meta("title", c.title) if not evidence_segs else evidence
    elif title_terms:
        evidence = _meta("title", c.title)
    else:
        evidence = _meta("keywords", c.keywords)
    return ctx.fv(terms, evidence)


# -- dataset extractors ----------------------------------------------------------------------


def _set_field(ctx: _Ctx, fn: Callable[[str], list[str]], segments: Sequence[Segment],
               title: bool = True) -> FieldValue | None:
    values: list[str] = []
    evidence: list[Segment] = []
    if title:
        for value in fn(ctx.candidate.title or ""):
            if value not in values:
                values.append(value)
    for seg in segments:
        found = fn(seg.clean)
        if found:
            evidence.append(seg)
            for value in found:
                if value not in values:
                    values.append(value)
    if not values:
        return None
    ev = ctx.doc.seg_evidence(evidence[0]) if evidence else _meta("title", ctx.candidate.title)
    return ctx.fv(values, ev)


def _scanning_mode(ctx: _Ctx) -> FieldValue | None:
    if not norm.mentions_scanning_mode(ctx.content_text + "\n" + (ctx.candidate.title or "")):
        return None
    fv = _set_field(ctx, norm.scanning_modes, ctx.content)
    if fv:
        modes = set(fv.value)
        if "3D reconstructed from 2D" in modes:
            # the tracked freehand sweeps and their frames are the input of the reconstruction, not other modes
            modes -= {"2D freehand", "2D+t"}
        fv.value = [m for m in norm.SCANNING_MODES if m in modes]
    return fv


def _total_size(ctx: _Ctx) -> FieldValue | None:
    segs = [s for s in ctx.content if not _MODEL_SENTENCE.search(s.clean)]
    texts = [s.clean for s in segs]
    subtitle = str(ctx.candidate.extra.get("subtitle") or "")
    if subtitle:
        texts = [subtitle, *texts]
    found = norm.best_size(texts)
    if found is not None and found[2] == "patients" and any(norm.counts_samples(t) for t in texts):
        found = None  # samples counted (per class or split) but never in total: patients are not the total
    if found is None:
        # "5,635 training images" in a record that names no other part: the record is that part, whole
        parts = norm.split_parts(" ; ".join(texts))
        if len(parts) == 1:
            number = next(iter(parts.values()))
            for index, text in enumerate(texts):
                for mention in norm.size_mentions(text):
                    if mention.number == number and mention.unit != "patients":
                        found = (index, number, mention.unit)
                        break
                if found:
                    break
    if not found:
        return None
    index, number, unit = found
    if subtitle:
        if index == 0:
            return ctx.fv(number, _meta("subtitle", subtitle), unit=unit)
        index -= 1
    return ctx.fv(number, ctx.doc.seg_evidence(segs[index]), unit=unit)


# A sentence about a model's training ("trained on 14,000 frames") does not size the dataset.
_MODEL_SENTENCE = re.compile(
    r"\b(?:we|our|the) (?:model|network|method)\b|\btrained (?:on|with)\b|\bfine-?tuned\b",
    re.I,
)


def _split_sizes(ctx: _Ctx) -> FieldValue | None:
    blocks: dict[int, list[Segment]] = {}
    for seg in ctx.content:
        blocks.setdefault(seg.block, []).append(seg)
    best: tuple[int, dict[str, int], list[Segment]] | None = None
    for segs in blocks.values():
        parts: dict[str, int] = {}
        used: list[Segment] = []
        if len(segs) >= 3 and all(" | " in s.clean for s in segs):
            parts = norm.split_table([s.clean.split(" | ") for s in segs])
            used = segs if parts else []
        for seg in segs:
            if used is segs:
                break
            found = norm.split_parts(seg.clean)
            new = {k: v for k, v in found.items() if k not in parts}
            if new:
                parts.update(new)
                used.append(seg)
        if parts and (best is None or len(parts) > best[0]):
            best = (len(parts), parts, used)
    # a split names at least two parts; "a separate test set of 1,468 images" sizes another record
    if not best or best[0] < 2:
        return None
    _, parts, used = best
    value = norm.format_split(parts)
    if not value:
        return None
    start, end = used[0].start, used[-1].end
    evidence = ctx.doc.evidence(start, end) if end - start <= EVIDENCE_MAX else ctx.doc.seg_evidence(used[0])
    return ctx.fv(value, evidence)


def _task(ctx: _Ctx, kind: str) -> FieldValue | None:
    c = ctx.candidate
    found: list[str] = []
    evidence = ""
    title_tasks = norm.task(c.title or "", kind)
    keyword_tasks = norm.task_from_tags(c.keywords, kind)
    seg_hits = [(s, norm.task(s.clean, kind)) for s in ctx.primary]
    if not (title_tasks or keyword_tasks or any(t for _, t in seg_hits)):
        seg_hits = [(s, norm.task(s.clean, kind)) for s in ctx.content[:_DEEP_SCAN]]
        if kind == "model":
            union = {t for _, group in seg_hits for t in group}
            if len(union) > 2:
                seg_hits = []  # a README naming many tasks in passing does not say which one the model does
    for group in [title_tasks, keyword_tasks, *[t for _, t in seg_hits]]:
        for name in group:
            if name not in found:
                found.append(name)
    pipeline = str(c.extra.get("pipeline_tag") or "")
    if not found and kind == "model" and pipeline in norm.HF_PIPELINE_TASKS:
        # the Hub's pipeline tag is the head the model was exported with; text says more when it speaks
        found.append(norm.HF_PIPELINE_TASKS[pipeline])
        evidence = _meta("pipeline_tag", pipeline)
    if not found:
        return None
    order = norm.MODEL_TASKS if kind == "model" else norm.DATASET_TASKS
    full_order = list(norm.DATASET_TASKS) + [t for t in norm.MODEL_TASKS if t not in norm.DATASET_TASKS]
    found = sorted([f for f in found if f in order], key=full_order.index)
    if not found:
        return None
    if "Detection" in found and "Localization" in found:
        found.remove("Localization")  # a detector localises what it detects: one task, not two
    if kind == "model" and "Pre-training / Foundation Model" in found:
        # a foundation model is evaluated on many downstream tasks; what it is, is the pre-trained model
        # (with the task its title names: "a foundation model for ultrasound segmentation")
        found = [f for f in found if f == "Pre-training / Foundation Model" or f in title_tasks]
    if not evidence:
        hit = next((s for s, t in seg_hits if t), None)
        if hit:
            evidence = ctx.doc.seg_evidence(hit)
        else:
            evidence = _meta("title", c.title) if title_tasks else _meta("keywords", c.keywords)
    return ctx.fv(", ".join(found), evidence)


def _geography(ctx: _Ctx) -> FieldValue | None:
    segs = [s for s in ctx.content if not re.search(r"fund|acknowledg|author", s.section)]
    return _set_field(ctx, norm.countries, segs, title=False)


def _years(ctx: _Ctx) -> FieldValue | None:
    for seg in ctx.content:
        value = norm.years(seg.clean)
        if value:
            return ctx.fv(value, ctx.doc.seg_evidence(seg, value[:4]))
    return None


# "scanners such as GE Logiq E9, etc.": the machines named are examples of several
_OTHER_MACHINES = re.compile(r"\b(?:among others|etc\.?|e\.g\.|such as|for example|including)\b", re.I)


def _machines(ctx: _Ctx) -> FieldValue | None:
    """Several machines stated or named anywhere beat one; one stated, or exactly one model named, is single."""
    single: FieldValue | None = None
    for seg in ctx.content:
        value = norm.machines_stated(seg.clean)
        if value == "multiple":
            return ctx.fv(value, ctx.doc.seg_evidence(seg))
        if value == "single" and single is None:
            single = ctx.fv(value, ctx.doc.seg_evidence(seg))
    device_segs = [s for s in ctx.content if ctx.per_sentence(norm.device_models, s) and not _DEVICE_REJECT.search(s.clean)]
    models: list[str] = []
    for seg in device_segs:
        for model in ctx.per_sentence(norm.device_models, seg):
            if model not in models:
                models.append(model)
    if device_segs:
        joined = norm.device_models(" ; ".join(s.clean for s in device_segs[:50]))
        if len(joined) >= 2 and len(models) >= 2:
            return ctx.fv("multiple", ctx.doc.seg_evidence(device_segs[0]))
    if single is not None:
        return single
    titled = _from_title(ctx, norm.machines_stated)
    if titled:
        return titled
    # one model named for data from several sites does not say all of it came from that machine
    several_sites = any(ctx.per_sentence(norm.centres, s) == "multiple" for s in ctx.content)
    if len(models) == 1 and not several_sites and not any(_OTHER_MACHINES.search(s.clean) for s in device_segs):
        return ctx.fv("single", ctx.doc.seg_evidence(device_segs[0]))
    return None


def _from_title(ctx: _Ctx, fn: Callable[[str], Any]) -> FieldValue | None:
    value = fn(ctx.candidate.title or "")
    return ctx.fv(value, _meta("title", ctx.candidate.title)) if value else None


def _operator_count(ctx: _Ctx) -> FieldValue | None:
    if norm.operator_count(ctx.content_text.replace("\n", ". ")) is None:
        return None  # stated nowhere: no need to ask each sentence
    for seg in ctx.content:
        value = norm.operator_count(seg.clean)
        if value is not None:
            return ctx.fv(value, ctx.doc.seg_evidence(seg))
    return None


def _bool_from(ctx: _Ctx, fn: Callable[[str], bool | None]) -> FieldValue | None:
    positive: Segment | None = None
    for seg in ctx.content:
        value = fn(seg.clean)
        if value is False:
            return ctx.fv(False, ctx.doc.seg_evidence(seg))
        if value is True and positive is None:
            positive = seg
    if positive is not None:
        return ctx.fv(True, ctx.doc.seg_evidence(positive))
    return None


def _b_mode(ctx: _Ctx) -> FieldValue | None:
    fv = _bool_from(ctx, norm.b_mode)
    if fv is None and norm.b_mode(ctx.candidate.title or ""):
        return ctx.fv(True, _meta("title", ctx.candidate.title))
    return fv


def _doppler(ctx: _Ctx) -> FieldValue | None:
    fv = _bool_from(ctx, norm.doppler)
    if fv is None and norm.doppler(ctx.candidate.title or ""):
        return ctx.fv(True, _meta("title", ctx.candidate.title))
    return fv


def _access(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    host = norm.access("", c.access, c.source)
    if host:
        return ctx.fv(host.value, host.evidence)
    for seg in ctx.content + [s for s in ctx.doc.segments if re.search(r"licen|access|download|data", s.section)]:
        verdict = norm.access_from_text(seg.clean)
        if verdict:
            return ctx.fv(verdict.value, ctx.doc.seg_evidence(seg, verdict.evidence))
    # A direct link to a data host in a sentence offering the data is open access.
    for seg in ctx.content:
        raw = ctx.doc.raw[seg.start : seg.end]
        offered = re.search(
            r"\b(?:download|available|hosted|released|deposited|find the (?:data|dataset))\b|^\s*(?:data(?:set)?|images)\s*:",
            seg.clean,
            re.I,
        )
        linked = [u for u in find_urls(raw) + _bare_urls(raw) if _OPEN_DATA_HOST.search(u)]
        if offered and linked and not re.search(r"\b(?:request|restricted|register|agreement|credential)", seg.clean, re.I):
            return ctx.fv("OA", ctx.doc.seg_evidence(seg))
    if c.source == "github" and re.search(r"\b(?:data(?:set)?|images|videos|volumes|download)\b", c.text or "", re.I):
        # data in (or linked from) a public repository with nothing restricting it is a plain download
        return ctx.fv("OA", _meta("repository", c.url))
    return None


_OPEN_DATA_HOST = re.compile(
    r"zenodo\.org|figshare|kaggle\.com/(?:datasets|c|competitions)/|huggingface\.co/datasets|data\.mendeley|"
    r"drive\.google|dropbox|github\.com/|gitlab\.com/|osf\.io|datadryad|doi\.org/10\.(?:5281|6084|17632|5061)/",
    re.I,
)
# Hosts abstracts and cards name without a scheme ("available on Kaggle (kaggle.com/datasets/x/y)").
_BARE_URL = re.compile(
    r"(?<![\w/.@-])(?:www\.)?(?:zenodo\.org|kaggle\.com|github\.com|gitlab\.com|huggingface\.co|figshare\.com|"
    r"physionet\.org|data\.mendeley\.com|osf\.io)/[^\s)\]>\"',;]+[^\s)\]>\"',;.]"
)


def _bare_urls(text: str) -> list[str]:
    """Host URLs written without "https://", made absolute."""
    return ["https://" + m.group(0) for m in _BARE_URL.finditer(text or "")]


# "CAMUS challenge", "the HC18 Challenge", "challenge (TN3K)", a grand-challenge.org page; not "a challenging task".
_CHALLENGE_NAMED = re.compile(
    r"(?<![\w-])(?!(?:The|A|An|This|Our|Main|Key|Major|Big|Remaining|Open|Great|Real|Clinical|Technical|"
    r"Significant|Common|Another|New|Such)\b)[A-Z0-9][\w-]*(?:\s+(?:[A-Z0-9][\w-]*|of|on|for|in)){0,5}\s+[Cc]hallenge\b"
    r"|\b[Cc]hallenge\s+(?:on|of|named|called)\s+[A-Z][\w-]+|grand-challenge\.org|\bchallenge\s*\(\s*[A-Z][\w-]+\s*\)"
    r"|\b(?:MICCAI|ISBI|IEEE IUS|MIDL)\b[^.]{0,40}\bchallenge\b"
    # "the Auto-PCOS classification challenge", "HC18 grand-challenge data", "the Kaggle competition Ultrasound Nerve ..."
    r"|(?<![\w-])[A-Za-z]*[A-Z][\w-]*[A-Z0-9][\w-]*\s+(?:[a-z]+\s+){1,2}?challenge\b"
    r"|(?<![\w-])[A-Z0-9][\w-]*\s+grand[- ]challenge\b"
    r"|\b(?:Kaggle|Grand Challenge|MICCAI|ISBI) competition\W+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5}",
)
# "not the 2D CAMUS challenge", "Not affiliated with the X challenge": another challenge, named to be told apart
_CHALLENGE_DENIED = re.compile(r"\b(?:not (?:the|affiliated|part of|related|associated|from)|unlike|not to be confused)\b", re.I)
_CHALLENGE_NOISE = re.compile(r"\bchalleng(?:ing|es for|e for|e is|e of (?:the|this|ultrasound))\b", re.I)


def _challenge(ctx: _Ctx) -> FieldValue | None:
    named, noise = _CHALLENGE_NAMED, _CHALLENGE_NOISE
    hit = None
    for seg in ctx.content:
        raw = ctx.doc.raw[seg.start : seg.end]
        if named.search(seg.clean) or named.search(raw):
            if noise.search(seg.clean) and not re.search(r"[A-Z0-9]{2,}\w*\s+[Cc]hallenge|grand-challenge", raw):
                continue
            if _CHALLENGE_DENIED.search(seg.clean):
                continue
            hit = seg
            break
    if hit is None and named.search(ctx.candidate.title or ""):
        return ctx.fv(ctx.candidate.title, _meta("title", ctx.candidate.title))
    if hit is None:
        return None
    value = _value_around(hit.clean, re.compile(r"challenge", re.I))
    raw = ctx.doc.raw[hit.start : hit.end]
    url = re.search(r"https?://([\w-]+)\.grand-challenge\.org", raw)
    if url and url.group(1).lower() not in value.lower():
        value = _cap(f"{value} ({url.group(0)})")
    return ctx.fv(value, ctx.doc.seg_evidence(hit, "challenge"))


_ORG = re.compile(
        r"(?<![\w'’.&-])(?:[A-Z][\w'’.&-]*\s+){0,6}(?:Hospital|University|Universit[yéàä]|Universidad|"
        r"Universidade|Institute|Institut|"
        r"Centre|Center|Clinic|Clinics|Klinikum|Medical School|School of Medicine|College|Laborator(?:y|ies)|Lab|"
        r"Infirmary|Health System|Healthcare|Medical Cent(?:er|re)|Charité|Inserm|CNRS|NIH|Trust|"
        r"Polyclinic|Policlinico|"
        r"Ospedale|Hôpital|Hospital Universitario|Krankenhaus|Universitätsklinikum)\b(?:\s+(?:of|"
        r"for|de|di|del|des|la|le)\s+"
        r"(?:[A-Z][\w'’.&-]*\s*){1,4})?"
)
_ORG_NOISE = re.compile(
    r"\b(?:fund\w*|grant|supported by|affiliations?|e-?mail|contact|licen[cs]\w*|cite|journal|press|ethic\w*|"
    r"committee|IRB|review board|approv\w+|consent)\b",
    re.I,
)
_GENERIC_ORG = {"University", "Hospital", "Institute", "Centre", "Center", "Lab", "College", "Clinic", "Clinics"}
# A sentence that places data at an institution: a collection verb, a count of the data, or a "Site:" label.
_SITE_SENTENCE = re.compile(
    r"\b(?:collected|acquired|obtained|recorded|gathered|scanned|recruited|enrolled|imaged|underwent|admitted|"
    r"presenting|examined|treated|from|at)\b|"
    r"\d[\d,.]*\s+(?:[\w-]+\s+){0,3}?(?:images|videos|clips|scans|volumes|patients|subjects|participants|women|"
    r"infants|children|cases|frames|recordings)\b|^\s*(?:sites?|centres?|centers?|hospitals?|institutions?)\s*[:|]",
    re.I,
)
# A short line that only places the data: "Dermatology Department, Medical University of Gdansk, Poland."
_PLACE_LINE = re.compile(r"^[^.;]{0,120},\s*[A-Z][\w .'-]+\.?$")


def _org_key(name: str) -> str:
    return re.sub(r"^the ", "", re.sub(r"[^a-z0-9 ]+", "", name.lower())).strip()


def _collection_sites(ctx: _Ctx) -> list[tuple[Segment, list[str]]]:
    """Sentences naming the institution(s) where the data were collected, with the names (longest form)."""
    out: list[tuple[Segment, list[str]]] = []
    for seg in ctx.content:
        placed = _PLACE_LINE.match(seg.clean) and len(seg.clean.split()) <= 16 and norm.countries(seg.clean)
        if not (_SITE_SENTENCE.search(seg.clean) or placed) or _ORG_NOISE.search(seg.clean):
            continue
        names: list[str] = []
        for pattern in (_HOSPITAL, _ORG):
            for match in pattern.finditer(seg.clean):
                name = " ".join(match.group(0).split()).strip(" ,.;")
                if name in _GENERIC_ORG or len(name) < 4:
                    continue
                key = _org_key(name)
                if any(key in _org_key(n) for n in names):
                    continue
                names = [n for n in names if _org_key(n) not in key] + [name]
        if names:
            out.append((seg, names))
    return out


def _institution(ctx: _Ctx) -> FieldValue | None:
    sites = _collection_sites(ctx)
    if not sites:
        return None
    seg, names = sites[0]
    return ctx.fv(_value_around(seg.clean, re.compile(re.escape(names[0]))), ctx.doc.seg_evidence(seg, names[0]))


_HOSPITAL = re.compile(
    r"(?<![\w'’.&-])(?:[A-Z][\w'’.&-]*\s+){1,6}(?:Hospital|Clinic|Medical Cent(?:er|re)|Klinikum|"
    r"Infirmary|Health(?:care)? Cent(?:er|re)|"
    r"Cancer Cent(?:er|re)|Universitätsklinikum)\b(?:\s+(?:of|de|di)\s+(?:[A-Z][\w'’.&-]*\s*){1,4})?|"
    r"\b(?:Hôpital|Hospital|Ospedale|Policlinico|Clínica|Klinikum)\s+(?:[A-Z][\w'’.&-]*\s*){1,4}"
)


def _centres(ctx: _Ctx) -> FieldValue | None:
    """Several sites stated or named anywhere beat one; one site stated, or exactly one institution named as
    where the data were collected, is a single centre."""
    single: FieldValue | None = None
    for seg in ctx.content:
        value = ctx.per_sentence(norm.centres, seg)
        if value == "multiple":
            return ctx.fv(value, ctx.doc.seg_evidence(seg))
        if value == "single" and single is None:
            single = ctx.fv(value, ctx.doc.seg_evidence(seg))
    sites = _collection_sites(ctx)
    for seg, _ in sites:
        hospitals = {_org_key(m.group(0)) for m in _HOSPITAL.finditer(seg.clean)}
        if len(hospitals) >= 2:
            return ctx.fv("multiple", ctx.doc.seg_evidence(seg))
    if single is not None:
        return single
    titled = _from_title(ctx, norm.centres)
    if titled:
        return titled
    distinct: list[str] = []
    for _, names in sites:
        for name in names:
            key = _org_key(name)
            if not any(key in d or d in key for d in distinct):
                distinct.append(key)
    if len(distinct) == 1:
        seg = sites[0][0]
        return ctx.fv("single", ctx.doc.seg_evidence(seg, sites[0][1][0]))
    return None


# People who scan.
_OPERATOR = (
    r"(?:sonographers?|operators?|radiologists?|obstetricians?|physicians?|cardiologists?|clinicians?|sonologists?|"
    r"technicians?|technologists?|midwi(?:fe|ves)|doctors?|echocardiographers?|nurses?|physiotherapists?|surgeons?|"
    r"examiners?|residents?|students?|anaesthe\w*ists?|anesthe\w*ists?|experts?|specialists?|gynaecologists?|"
    r"gynecologists?|vascular technologists?)"
)
# People who annotate: any "-ologist", specialists, sonographers, physicians, experts, readers, ...
_ANNOTATOR = (
    r"(?:[a-z]*olog(?:ist|ists)|specialists?|(?:endo)?sonographers?|echocardiographers?|physicians?|experts?|clinicians?|"
    r"doctors?|obstetricians?|surgeons?|readers?|raters?|annotators?|observers?|nurses|students?|residents?|fellows?|"
    r"technicians?|technologists?|physiotherapists?|sonologists?|midwi(?:fe|ves)|gynaecologists?|paediatricians?|"
    r"pediatricians?|anaesthetists?|anesthetists?)"
)

# text characteristics of a dataset: (cue, reject, require, sentences joined)
_TEXT_CUES: dict[str, tuple[str, str | None, str | None, int]] = {
    "other_imaging_metadata": (
        r"\bmeta-?data\b|\bpixel (?:spacing|size)s?\b|\bspacing\b|\bframe rate\b|"
        r"\bprobe frequenc\w+|\bimaging depth\b|\bdepth\b[^.]{0,20}\bcm\b|\bDICOM (?:headers?|tags?|metadata|files)\b|"
        r"\b(?:age|sex|gender)\b[^.]{0,30}\b(?:columns?|fields?|provided|included|available|csv)\b|"
        r"\bBI-?RADS\b|\bTI-?RADS\b|"
        r"\bgestational age\b|\bclinical (?:information|data|variables|metadata)\b|\bdemographic\w*\b|"
        r"\bhisto-?patholog\w+\b|\b(?:csv|xlsx?|json|parquet|mat|xml|tsv)\b[^.]{0,30}\b(?:gives?|lists?|holds?|"
        r"stores?)\b|\b(?:data )?stored in [^.]{0,40}\bfile\s*:|\bper (?:frame|image|video|clip) in\b|"
        r"\bbiopsy[- ](?:proven|confirmed|results?|outcomes?)\b|\bcytolog\w+\b|\bFNA\b|\bcsv\b[^.]{0,40}\b(?:with|"
        r"contain\w*|includ\w*|listing)\b",
        r"\bno (?:meta-?data|clinical)\b",
        r"\b(?:includ\w*|provid\w*|with|contain\w*|accompan\w*|available|each|per|csv|columns?|fields?|"
        r"labels?|categor\w+|"
        r"results?|annotations?)\b",
        1,
    ),
    # a protocol named, not any sentence that acquires: "a six-view protocol", "the IOTA ... protocol",
    # "IOTA-based acquisition", "a pre-specified blind-sweep protocol", "standardised views"
    "acquisition_protocol": (
        r"\b(?:acquisition|scanning|imaging|examination|data collection|scan|sweep|view)[- ]protocol\b|"
        r"\b[\w-]+-(?:view|sweep|step|point|zone|plane)s? (?:scanning |acquisition )?protocol\b|"
        r"\b(?:followed|following|according to|per|using|under) (?:a |an |the )?(?:[\w()-]+ ){0,6}?(?:acquisition |scanning |"
        r"imaging )?protocol\b|\b[\w-]+-based (?:acquisition|scanning|protocol)\b|"
        r"\bstandardi[sz]ed (?:acquisition|scanning|imaging|protocol|views?|planes?)\b|\bblind[- ]sweeps?\b|"
        r"\bscanned in (?:the )?\w+ position\b|\b(?:supine|prone|lateral decubitus|sitting) position\b",
        r"^(?!.*\bacqui).*\b(?:annotation|labell?ing|reader|grading|segmentation|training|evaluation) protocol\b",
        None,
        1,
    ),
    # who scanned and their qualification: "scanned by trained nurses", "acquired by pediatric surgeons",
    # "performed by level-III examiners (> 10 years of experience)", "two experienced sonographers acquired ..."
    "acquirer_characteristics": (
        rf"\b(?:acquired|scanned|performed|recorded|collected|obtained|made|imaged|examined|captured|conducted|"
        rf"acquisitions?|scans|examinations)\b(?:(?!annotat|label|delineat|segment|drawn|trac|outlin|grad|review|measur)"
        rf"[^.;]){{0,60}}?\bby\s+(?:[\w-]+\s+){{0,5}}?(?!operators?\b){_OPERATOR}\b|"
        rf"\bby\s+(?:\w+\s+)?(?:experienced|trained|expert|skilled|novice|senior|junior|certified)\s+operators?\b|"
        rf"\b(?:\d+|one|two|three|four|five|six|several)?\s*(?:experienced|certified|trained|expert|senior|junior|"
        rf"board-certified|registered|qualified|accredited|novice|licensed|level-[IV\d]+)\s+(?:[\w-]+\s+){{0,3}}?"
        rf"{_OPERATOR}\s+(?:\w+\s+){{0,2}}?(?:acquired|scanned|performed|recorded|collected|obtained|imaged)\b|"
        rf"\b{_OPERATOR}\b[^.;]{{0,40}}\b\d+\s*(?:\+\s*)?years? of (?:\w+\s+){{0,2}}?experience\b|"
        r"\boperators? (?:of|with) (?:different|varying|various) (?:levels? of )?experience\b",
        r"^\W*(?:annotators?|labell?ers?|readers?|raters?|labels?|annotations?)\s*:",  # who annotated, not who scanned
        None,
        1,
    ),
    "split_characteristics": (
        r"\b(?:patient|subject|case|participant)[- ](?:level|wise|based|disjoint|independent)\b|\bstratif\w+|"
        r"\brandom(?:ly)? "
        r"(?:split|divided|partitioned|assigned|allocated|sampled)\b|\bno (?:patient|subject) overlap\b|"
        r"\bwithout (?:patient|subject) "
        r"overlap\b|\b(?:\d+|five|ten)-fold cross-validation\b|\bcross-validation folds?\b|\bheld-?out "
        r"(?:test )?(?:hospital|cent(?:er|re)|"
        r"site)\b|\bexternal (?:test|validation) (?:set|cohort)\b|\b(?:split|divided|partitioned) (?:by|"
        r"at the level of|according to)\b|"
        r"\bofficial (?:train\w*|test|validation)[^.]{0,20}splits?\b|\bsplits? (?:are|were|is) (?:provided|"
        r"defined|fixed)\b|\b(?:train\w*|test\w*|split)\b[^.]{0,80}\bby (?:patient|subject|participant|child|infant|centre|"
        r"center|site|hospital)\b",
        None,
        r"\b(?:splits?|train\w*|test\w*|validation|val|folds?|partition\w*|held-?out|cohorts?)\b",
        1,
    ),
    # what one sample is ("each sample is a 2D frame with its mask", "one case corresponds to a patient"); "each
    # image has a mask" says what the labels are, which is annotation_description
    "sample_definition": (
        r"\b(?:each|every|one|a single) (?:sample|case|instance|record|entry|example|item|data point|study|folder|file|row|"
        r"subject|patient)\b[^.]{0,30}\b(?:is|consists? of|contains?|comprises?|corresponds to|represents?|consisting of)\b|"
        r"\b(?:each|every|one|a single) (?:image|video|volume|clip|sequence|frame)\b[^.]{0,20}\b(?:is|corresponds to|"
        r"represents?)\s+(?:a|an|one|the)\b|\b(?:a|one) sample (?:is|consists|corresponds)\b|"
        # what comes with each one: "each image has a mask of ...", "each volume comes with ...", "each image is
        # paired with the cytology result", "each image is labelled as healthy or ..."
        r"\b(?:each|every) (?:[\w-]+ )?(?:image|video|volume|clip|sequence|frame|scan|recording)\b[^.;]{0,20}?\b(?:has|"
        r"comes? with|is (?:paired|accompanied|provided|delivered|shipped|stored) (?:with|together with|alongside)|"
        r"is (?:labell?ed|annotated|graded) (?:as|with)|includes)\b",
        None, None, 1,
    ),
    "annotation_method": (
        rf"\b(?:annotat\w+|label\w*|delineat\w+|segment\w*|outlin\w+|trac\w+|mark\w+|contour\w*|drawn|drew|graded|"
        rf"grades?|grading|assigned|assessed|scored|scores?|classified|reviewed|verified|checked|confirmed|measured|"
        rf"measurements?|masks?|boxes|landmarks?|ground[- ]truth)\b[^.;]{{0,80}}?\b(?:by|from)\s+(?:[\w-]+\s+){{0,4}}?"
        rf"{_ANNOTATOR}\b|"
        rf"\b(?:\d+|one|two|three|four|five|six|several|multiple)\s+(?:[\w-]+\s+){{0,3}}?{_ANNOTATOR}\s+"
        rf"(?:[\w-]+\s+){{0,2}}?(?:annotat|label|delineat|segment|outlin|trac|mark|dr[ae]w|grad|assess|scor|review)\w*|"
        rf"^\W*(?:annotators?|labell?ers?|raters?|readers?|annotations?|labels?)\s*(?:\([^)]*\))?\s*(?:by\s*)?:\s*"
        rf"[^.]{{0,60}}?{_ANNOTATOR}\b|"
        r"\bsemi-?automatic\w*\b|\bautomatic(?:ally)? (?:annotat|label|segment)\w*|"
        r"\b(?:using|in|with) (?:ITK-?SNAP|LabelMe|CVAT|3D Slicer|Labelbox|MITK|Label Studio|Supervisely)\b|"
        # by experts: "expert manual annotations", "human expert tracings", "a three-reader protocol" (a bare
        # "manual segmentation" says what the labels are, not how they were made)
        r"\b(?:expert|human|hand-drawn)\s+(?:[\w-]+\s+)?(?:annotations?|tracings?|delineations?|"
        r"segmentations?|labels|contours|outlines|measurements)\b|"
        r"\b(?:[\w-]+-(?:reader|annotator|rater)|double|dual|two-stage) (?:annotation|labell?ing|reading|review)\b|"
        # the reference the labels come from: cytology, pathology, biopsy, another test
        r"\b(?:labels?|ground[- ]truth|diagnos[ie]s|classes|grades?)\s+(?:\w+\s+)?(?:from|based on|derived from|"
        r"determined by|established by)\s+(?:[\w-]+\s+){0,3}?(?:cytolog\w*|patholog\w*|histolog\w*|biops\w+|FNA|"
        r"aspiration|follow-up|surgery|surgical|elastograph\w*|MRI|CT|radiographs?)\b|"
        r"\busing [^.;]{3,60}? as (?:the )?reference(?: standard)?\b",
        None, None, 1,
    ),
    "annotator_instructions": (
        r"\b(?:annotation|labell?ing|segmentation|delineation|scoring|grading) (?:guidelines?|protocol|"
        r"manual|instructions?|criteria|"
        r"rules|scheme)\b|\b(?:annotators?|raters?|readers?|experts?|radiologists?|sonographers?) were (?:instructed|"
        r"asked|trained|told|"
        r"given)\b|\b(?:following|according to|based on) (?:the )?(?:[\w-]+ ){0,3}(?:guidelines?|"
        r"criteria|recommendations|"
        r"standards?|definitions?|lexicon|protocol|atlas)\b",
        None,
        r"\b(?:annotat\w+|label\w*|delineat\w+|segment\w*|contour\w*|outlin\w+|trac\w+|mark\w*|measur\w+|"
        r"grad\w+|classif\w+|"
        r"scor\w+|categor\w+)\b",
        1,
    ),
    "annotation_description": (
        r"\b(?:masks?|segmentation (?:maps?|labels?|annotations?)|bounding[- ]box(?:es)?|landmarks?|"
        r"key-?points?|contours?|"
        r"ellipses?|class labels?|labels? (?:of|for|include)|annotations? (?:of|for|include|consist)|ground[- ]truth|"
        r"(?:BI|TI|O|LI)-?RADS (?:categor(?:y|ies)|labels?|scores?)|manual delineations?|polygons?|"
        r"(?:image|frame|video|patient|pixel)-level labels?|(?:segmentations?|tracings?|outlines?) of|[\w-]+ boxes|"
        r"[\w-]+ annotations|"
        # what the labels are: "severity scores", "fracture labels", "cartilage segmentations", "SFU grades"
        r"(?!(?:the|these|those|its|their|our|all|any|some|and|or|with|of|for|no|new)\b)[\w-]+ (?:labels|scores|grades|"
        r"segmentations|delineations|tracings|meshes)|scores? \([A-Z]{2,}\)|"
        # the classes: "labelled healthy or PCOS", "graded S0-S3", "6 classes", "Classes: normal, cyst, stone"
        r"(?:labell?ed|graded|classified|categori[sz]ed)\s+(?:as\s+|into\s+|from\s+|for\s+)?(?!(?:by|using|with|"
        r"manually|independently|in|at|according|on|to|and|the|each|per|blindly|separately|twice)\b)[A-Za-z0-9][\w-]*|"
        r"graded (?:by|using|according to|with) (?:the )?[\w-]+ (?:classification|system|scale|criteria|grading)|"
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (?:[\w-]+ )?(?:classes|categories|"
        r"grades|structures))\b|"
        # class lists in brackets: "(cancer vs. non-cancer)", "(benign / malignant / normal)"
        r"\(\s*[\w-]+(?: [\w-]+)?\s+(?:vs\.?|versus)\s+[\w-]+(?: [\w-]+)?\s*\)|"
        r"\(\s*[A-Za-z][\w-]*(?:\s+/\s+[A-Za-z][\w-]*){1,}|^\W*(?:classes|labels|categories|grades)\b[^:.]{0,30}:",
        r"\b(?:Dice|IoU|accuracy|AUC|F1|baseline|our (?:model|method))\b",
        r"\b(?:annotat\w*|label\w*|masks?|ground[- ]truth|box\w*|landmarks?|contours?|ellipses?|categor\w+|delineat\w+|"
        r"key-?points?|polygons?|segmentations?|tracings?|grad(?:ed|es?)|class(?:es|ified)|scor(?:es?|ed)|meshes|"
        r"structures|vs|versus)\b|\s/\s",
        1,
    ),
    "annotation_merging": (
        r"\bconsensus\b|\bmajority[- ]vot\w+|\bSTAPLE\b|\badjudicat\w+|\bdisagreements? (?:\w+ ){0,2}(?:resolved|"
        r"settled|discussed)\b|"
        r"\bresolved by (?:a |the )?(?:third|senior|another)\b|\blabels? (?:were |was )?agreed\b|"
        r"\bagreed (?:up)?on by\b|"
        r"\b(?:averag\w+|union|intersection|fused|fusion|merged|combined) (?:of )?(?:the )?(?:\w+ "
        r"){0,2}(?:annotations?|masks?|"
        r"labels?|delineations?|contours?|segmentations?)\b|\b(?:annotations?|masks?|labels?) (?:\w+ ){0,3}(?:were |"
        r"was )?"
        r"(?:averaged|merged|combined|fused)\b",
        r"\binter-?observer agreement\b(?![^.]*(?:consensus|vote|STAPLE|resolved))",
        None,
        1,
    ),
    "application_cases": (
        r"\b(?:can|could|may|might) be used (?:for|to|in|as)\b|\b(?:is |are )?intended (?:for|to|"
        r"as)\b|\bintended use\b|"
        r"\bsuitable for\b|\buseful for\b|\bapplications? (?:include|such as|in)\b|\bfor (?:medical )?(?:education|"
        r"teaching)\b|"
        r"\b(?:for|as an?|serves? as an?|provides? an?|public) (?:\w+ )?benchmark(?:ing)?\b|\bbenchmarking\b|"
        r"\bto (?:train|develop|evaluate|validate|test|benchmark) (?:\w+ ){0,3}(?:CAD|computer-aided|"
        r"AI|"
        r"deep learning|machine learning|algorithms?|models?|methods?|systems?)\b|\bdesigned (?:for|"
        r"to)\b|\bsupports? (?:research|"
        r"the development)\b|\bserve as\b|"
        # "For stenosis grading research.", "For classification tasks.", "to support semi-supervised learning"
        r"^\W*for (?:[\w-]+ ){1,5}?(?:research|tasks?|studies|experiments|purposes)\W*$|"
        r"\bto support (?:[\w-]+ ){0,4}?(?:learning|research|studies|development|training|evaluation|benchmarking)\b|"
        r"\b(?:dataset|database|data|collection|images|videos) for (?:assessing|evaluating|training|developing|"
        r"benchmarking|testing|validating)\b",
        r"\b(?:only|commercial|license|licence|agreement)\b.*\b(?:only|commercial)\b|^\W*(?:background|introduction)\s*:|"
        r"\b(?:purposes? only|use only|only for|only be used)\b",
        None,
        1,
    ),
    "ethics_statement": (
        r"\bethic(?:s|al)? (?:committee|board|approval|review|clearance|statement|permission|approved)\b|\bIRB\b|"
        r"\binstitutional review board\b|\bapproved by (?:the )?(?:[\w'-]+ ){0,8}(?:committee|board|"
        r"IRB)\b|\binformed consent\b|"
        r"\bDeclaration of Helsinki\b|\bwaiv(?:ed|er)\b[^.]{0,30}\bconsent\b|\bREC (?:reference|approval)\b|\bMREC\b|"
        r"^\W*ethic(?:s|al)(?: approval| statement)?\s*:\s*\S",
        None, None, 2,
    ),
    "data_usage_agreement": (
        r"\b(?:data|research|end[- ]user) (?:use |usage |sharing |access |transfer )?agreement\b|\buse agreement\b|"
        r"\bDUA\b|\bterms (?:of use|and conditions|"
        r"of access)\b|"
        r"\b(?:non-?commercial|research|academic|scientific|educational) (?:use|purposes?) only\b|"
        r"\bonly (?:be used )?for "
        r"(?:non-?commercial |academic |scientific )?(?:research|academic|educational)(?: purposes)?\b|"
        r"\bmust (?:agree|accept|sign|cite|"
        r"not)\b|\bby (?:downloading|using|accessing) (?:this|the) (?:data(?:set)?|images|database)\b|"
        r"\blicen[cs]e agreement\b|"
        r"\bmay not be (?:redistributed|shared|used for commercial)\b|\baccept (?:the )?(?:[\w-]+ ){0,3}terms\b|"
        r"\bnot (?:be )?"
        r"(?:redistribut\w+|used for commercial)\b|\bcommercial use (?:is )?(?:not permitted|prohibited|forbidden)\b",
        None, None, 1,
    ),
    "imaging_modalities": (
        r"\b(?:colou?r |power |spectral |pulsed[- ]wave |continuous[- ]wave |tissue )?Doppler\b|\belastograph\w*|"
        r"\bshear[- ]wave\b|\bstrain (?:imaging|elastograph\w*)\b|\bSWE\b|\bCEUS\b|\bcontrast[- ]"
        r"enhanced (?:ultrasound|US)\b|"
        r"\bmicrobubbles?\b|\b(?:raw )?RF (?:data|signals?|frames?|lines?)\b|\bradio-?frequency (?:data|"
        r"signals?)\b|\bIQ data\b|"
        r"\b(?:channel|pre-beamformed|beamformed) data\b|\bM-mode\b|\bharmonic imaging\b|\bphotoacoustic\w*|"
        r"\bplane[- ]wave\b|\bendoscopic ultraso\w+|\bEUS\b|\bintravascular ultrasound\b|\bIVUS\b|"
        r"\btrans-?(?:o)?esophageal\b|"
        r"\bultrafast\b|\bULM\b|\b(?:paired|corresponding|registered|matched|matching|co-registered)\b[^.]{0,40}\b(?:MRI?|"
        r"CT|mammogra\w+|"
        r"X-ray|histolog\w+|PET)\b|\b(?:MRI?|CT|mammogra\w+)\b[^.]{0,30}\b(?:and|with|paired)\b[^.]"
        r"{0,20}\b(?:ultrasound|US)\b",
        r"\bno (?:colou?r |power )?Doppler\b|\bwithout Doppler\b|\bnot (?:include|contain)\w* (?:any )?Doppler|"
        r"\bDoppler\s*[:=]\s*(?:none|no\b|n/?a\b)",
        None,
        1,
    ),
    "context_information": (
        r"\bframe rate\b|\bframes per second\b|\b\d+\s?fps\b|\b\d+(?:\.\d+)?\s?Hz\b(?![^.]{0,20}MHz)|"
        r"\bprobe (?:position|orientation|"
        r"pose|location|motion|trajectory|tracking)\b|\btrack(?:ing|ed) (?:data|information|system|device|sensor)\b|"
        r"\b(?:electromagnetic|optical|EM) (?:tracker|tracking|sensor)\b|\bimaging depth\b|\bdepth (?:of|"
        r"setting|was|is)\b|"
        r"\b\d+(?:\.\d+)?\s?cm depth\b|\borientation\b|\b(?:transverse|longitudinal|sagittal|axial|coronal|oblique) "
        r"(?:and (?:transverse|longitudinal|sagittal|axial|coronal) )?(?:views?|planes?|sections?|"
        r"scans?|orientations?)\b|"
        r"\btime ?stamps?\b|\bECG (?:signals?|traces?|gating|gated)\b|\btracked (?:with|by|using)\b|"
        r"\bnavigation system\b|\bcalibration (?:matri\w+|data|files?)\b|\b(?:frame-level |probe )?poses\b|"
        r"\b\d+(?:\.\d+)? ?mm (?:isotropic|voxels?|spacing|resolution)\b|\bisotropic\b",
        None, None, 1,
    ),
    "subject_details": (
        r"\b(?:aged?|age range|mean age|median age|average age|years old|year-old|y/o|yrs)\b[^.]{0,40}\d|"
        r"\d[^.]{0,20}\b(?:years old|"
        r"year-old|years of age)\b|\b\d+\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:males?|females?|"
        r"men|women|boys|girls)\b|"
        r"\b(?:male|female|sex|gender)\b[^.]{0,30}\d|\b(?:healthy|asymptomatic) (?:volunteers|subjects|"
        r"participants|adults|controls|"
        r"individuals)\b|\b(?:patients|subjects|participants|women|children|infants) (?:diagnosed with|"
        r"suffering from|who "
        r"underwent|undergoing|presenting with|with (?:suspected|known|confirmed|histologically|biopsy-proven|"
        r"a history of|"
        r"[\w-]*(?:itis|oma|osis|emia|pathy)\b|[\w-]+ (?:cancer|disease|syndrome|disorder|failure|"
        r"stenosis|infection)\b|"
        r"COVID-19|pneumonia))\b|\bBMI\b|\bbody mass index\b|\bmedical history\b|\bgestational ages?\b[^.]{0,30}\d|"
        # who the subjects are -- sex, age group or condition, not a bare count of "patients": "551 pregnant
        # women", "287 preterm neonates", "school children", "3-16-week-old infants", "(40 healthy, 40 with
        # tendinopathy)", "18-24 weeks of gestation", "age, sex, comorbidities"
        r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,2}?(?:women|men|children|infants|neonates|newborns|adults|boys|girls)\b|"
        r"\b(?:school|preterm|term|pediatric|paediatric|elderly|adult|pregnant|obese|female|male)\s+(?:children|"
        r"neonates|infants|patients|women|adults|participants|subjects|volunteers)\b|"
        r"\b\d+(?:\s*[–-]\s*\d+)?[- ](?:day|week|month|year)s?[- ]old\b|\b\d+\s*[–-]\s*\d+\s+weeks\b|"
        r"\b\d+\s+(?:healthy|with [\w-]+)\b|\bhealthy (?:and|or) [\w-]+\b|"
        r"\b(?:age|sex|gender)\s*(?:,|and)\s*(?:age|sex|gender|BMI|comorbidit\w+)",
        None, None, 1,
    ),
}
_TEXT_RES = {
    key: (
        re.compile(cue, re.I),
        re.compile(reject, re.I) if reject else None,
        re.compile(require, re.I) if require else None,
        n,
    )
    for key, (cue, reject, require, n) in _TEXT_CUES.items()
}
# Characteristics a README states in one place but mentions in passing elsewhere: take the richest sentence.
_BEST_SENTENCE = {
    "annotation_method",
    "imaging_modalities",
    "other_imaging_metadata",
    "annotation_description",
    "context_information",
    "subject_details",
    "acquisition_protocol",
}
# Terms of use usually sit under a "License" / "Terms" heading, which other fields skip.
_WITH_LICENCE_SECTIONS = {"data_usage_agreement", "application_cases"}
_DEVICE_REJECT = re.compile(
    r"\b(?:sensor|arduino|robot|phone|smartphone|speaker|microphone|HC-SR04|sonar|weld\w*)\b",
    re.I,
)


def _devices(ctx: _Ctx) -> FieldValue | None:
    machine = [s for s in ctx.content if ctx.per_sentence(norm.device_models, s) and not _DEVICE_REJECT.search(s.clean)]
    probe = [s for s in ctx.content if norm.names_probe(s.clean) and not _DEVICE_REJECT.search(s.clean)]
    hits: list[Segment] = []
    for seg in machine[:2] + probe[:1]:
        if seg not in hits and len(hits) < 2:
            hits.append(seg)
    if not hits:
        return None
    hits.sort(key=lambda s: s.start)
    value = _cap(" ".join(h.clean for h in hits))
    if hits[-1].end - hits[0].start <= EVIDENCE_MAX and hits[-1].block == hits[0].block:
        evidence = ctx.doc.evidence(hits[0].start, hits[-1].end)
    else:
        evidence = ctx.doc.seg_evidence(hits[0])
    return ctx.fv(value, evidence)


def _multimodal(ctx: _Ctx) -> FieldValue | None:
    fv = _bool_from(ctx, norm.multimodal)
    if fv is None and norm.multimodal(ctx.candidate.title or ""):
        return ctx.fv(True, _meta("title", ctx.candidate.title))
    return fv


def _dataset_fields(ctx: _Ctx) -> dict[str, FieldValue | None]:
    out: dict[str, FieldValue | None] = {
        "name": _name(ctx),
        "link": _link(ctx, "dataset"),
        "anatomy": _anatomy(ctx),
        "scanning_mode": _scanning_mode(ctx),
        "multimodal_text_image": _multimodal(ctx),
        "total_size": _total_size(ctx),
        "split_sizes": _split_sizes(ctx),
        "task_category": _task(ctx, "dataset"),
        "geography": _geography(ctx),
        "acquisition_years": _years(ctx),
        "machines": _machines(ctx),
        "centres": _centres(ctx),
        "access": _access(ctx),
        "devices": _devices(ctx),
        "institution": _institution(ctx),
        "operator_count": _operator_count(ctx),
        "challenge": _challenge(ctx),
        "doppler": _doppler(ctx),
        "b_mode": _b_mode(ctx),
    }
    content_ids = {id(s) for s in ctx.content}
    licence_sections = [
        s for s in ctx.doc.segments
        if not s.heading and (id(s) in content_ids or re.search(r"licen[cs]e|terms|usage|access|download", s.section))
        and not _CITATION_SENTENCE.search(s.clean)
    ]
    for key, (cue, reject, require, joined) in _TEXT_RES.items():
        segments = licence_sections if key in _WITH_LICENCE_SECTIONS else None
        out[key] = ctx.sentence_field(
            cue, reject=reject, require=require, joined=joined, best=key in _BEST_SENTENCE, segments=segments
        )
    return out


# -- model extractors ------------------------------------------------------------------------


def _model_sentences(ctx: _Ctx) -> list[Segment]:
    return [s for s in ctx.doc.segments if not s.heading]


_WEIGHT_SECTION = re.compile(r"weight|checkpoint|pre-?trained|model zoo|trained models?", re.I)
_CODE_SECTION = re.compile(r"\bcode\b|implementation|source|repositor", re.I)


def _with_heading(ctx: _Ctx, segs: list[Segment], section: re.Pattern[str]) -> list[str]:
    """Each sentence's raw text, prefixed by its heading when the heading carries the topic
    ("## Pretrained weights" over "Download [here](https://drive.google.com/...)")."""
    out = []
    for seg in segs:
        raw = _raw_sentence(ctx.doc, seg)
        out.append(f"{seg.section}: {raw}" if seg.section and section.search(seg.section) else raw)
    return out


def _raw_sentence(doc: Document, seg: Segment) -> str:
    """A sentence's raw text including the link target masking left after its last word
    ("Weights: [best.pth](https://drive.google.com/...)" ends, once masked, before the URL)."""
    end = seg.end
    line_end = doc.raw.find("\n", end)
    line_end = len(doc.raw) if line_end < 0 else line_end
    if not doc.masked[end:line_end].strip():
        end = line_end
    return doc.raw[seg.start : end]


def _decided(ctx: _Ctx, verdict: norm.Verdict, segs: list[Segment], texts: list[str]) -> FieldValue:
    """A Verdict's evidence mapped back to the verbatim sentence it came from."""
    if verdict.evidence in texts:
        return ctx.fv(verdict.value, ctx.doc.seg_evidence(segs[texts.index(verdict.evidence)]))
    return ctx.fv(verdict.value, verdict.evidence)


def _weights(ctx: _Ctx) -> FieldValue | None:
    segs = _model_sentences(ctx)
    texts = _with_heading(ctx, segs, _WEIGHT_SECTION)
    verdict = norm.weights_public(ctx.candidate, texts)
    if verdict is None:
        # an unchecked "- [ ] release weights" is a promise, not a download
        todo = next((s for s in segs if s.checkbox == " " and norm.mentions_weights(s.clean)), None)
        if todo is not None:
            return ctx.fv(False, ctx.doc.seg_evidence(todo))
        return None
    return _decided(ctx, verdict, segs, texts)


def _code(ctx: _Ctx) -> FieldValue | None:
    segs = _model_sentences(ctx)
    texts = _with_heading(ctx, segs, _CODE_SECTION)
    verdict = norm.code_shared(ctx.candidate, texts)
    return _decided(ctx, verdict, segs, texts) if verdict is not None else None


def _criterion(ctx: _Ctx, key: str) -> FieldValue | None:
    pattern = norm.CRITERIA_CUES.get(key)
    cue = norm.criterion_pattern(key)
    # one search over the whole text first: most READMEs state most criteria nowhere
    stated_somewhere = "^" in cue.pattern or cue.search(ctx.all_text)
    for seg in ctx.doc.segments if stated_somewhere else ():
        text = seg.clean
        if seg.heading:
            # a heading "Funding" / "Ethics statement" / "Author contributions" with text under it counts
            if key != "training_details" and pattern is not None and pattern.search(text):
                body = next((s for s in ctx.doc.segments if s.start > seg.start and not s.heading), None)
                if body is not None and body.section == text.lower():
                    return ctx.fv(True, ctx.doc.evidence(seg.start, body.end))
            continue
        if key == "software_citations":
            if norm.criterion_statement(key, text):
                return ctx.fv(True, ctx.doc.seg_evidence(seg))
            continue
        if pattern is not None and pattern.search(text):
            return ctx.fv(True, ctx.doc.seg_evidence(seg))
    if key == "code_availability_statement" and ctx.candidate.source in ("openalex", "scholar"):
        # an abstract names where its code is as its availability statement: "code and weights: github.com/..."
        for seg in ctx.doc.segments:
            if re.search(r"\bcode\b(?: and [\w-]+)?\s*:\s*(?:https?://|www\.|github\.com|gitlab\.com)", seg.clean, re.I):
                return ctx.fv(True, ctx.doc.seg_evidence(seg))
    if key in {"training_details", "software_citations"}:
        # run commands and bibtex live in code blocks: "--lr 1e-4 --epochs 100", "title={PyTorch: ...}"
        for start, end in ctx.doc.code:
            block = ctx.doc.raw[start:end]
            match = norm.criterion_match(key, block)
            if match:
                at = start + match.start()
                line_start = ctx.doc.raw.rfind("\n", start, at) + 1
                line_end = ctx.doc.raw.find("\n", at)
                return ctx.fv(True, ctx.doc.evidence(max(start, line_start), line_end if line_end > 0 else end))
    return None


_AUTHOR_TEXT = re.compile(
    r"^[ \t]*(?:authors?|contributors?|developed by|created by|maintained by|model card authors?|"
    r"written by)[ \t]*:[ \t]*\S|"
    r"\bauthor\s*=\s*[{\"]",
    re.I | re.M,
)
_PERSON_SOURCES = ("zenodo", "openalex", "scholar")


def _authorship(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    if c.source in _PERSON_SOURCES and c.authors:
        return ctx.fv(True, _meta("authors", c.authors[:10]))
    match = _AUTHOR_TEXT.search(c.text or "")
    if match and not _PLACEHOLDER.match((c.text or "")[match.end() - 1 : match.end() + 30].strip()):
        line_end = (c.text or "").find("\n", match.end())
        return ctx.fv(True, ctx.doc.evidence(match.start(), line_end if line_end > 0 else match.end() + 200))
    return None


_DATA_SECTION = re.compile(r"\bdata(?:sets?)?\b|\btrain", re.I)
# A sentence about evaluation data only: its datasets are not training data.
_EVALUATION_ONLY = re.compile(r"\b(?:evaluat\w*|test(?:ed|ing)?|validat\w*|benchmark\w*|zero-shot)\b", re.I)
_TRAINING_WORD = re.compile(r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|learn\w*)\b", re.I)


def _training_data(ctx: _Ctx) -> tuple[FieldValue | None, FieldValue | None]:
    segs = [
        s for s in ctx.doc.segments if not s.heading and not re.search(r"cit|bibtex|reference|acknowledg", s.section)
    ]
    own = _own_names(ctx)
    names: list[str] = []
    name_seg: Segment | None = None
    public: FieldValue | None = None
    private: FieldValue | None = None
    for seg in segs:
        raw = ctx.doc.raw[seg.start : seg.end]
        training_context = _TRAINING_WORD.search(seg.clean) or _DATA_SECTION.search(seg.section)
        names_context = training_context or re.search(
            r"\b(?:we use|dataset|data\s*:|corpus)|\b(?:images|data|frames|videos|scans|volumes) from the\b", seg.clean, re.I
        )
        if names_context and _EVALUATION_ONLY.search(seg.clean) and not _TRAINING_WORD.search(seg.clean):
            names_context = None  # "public evaluation data: the X dataset"
        found = norm.training_datasets(seg.clean) if names_context else []
        # the model's own name ("we propose MicroSegNet") is not its training data, unless the text calls it a
        # dataset (a code repository named after the dataset it trains on)
        found = [
            n for n in found
            if _org_key(n) not in own or re.search(rf"{re.escape(n)}\W{{0,4}}(?:dataset|data set|database)", seg.clean, re.I)
        ]
        if found:
            for name in found:
                if name.lower() not in {n.lower() for n in names}:
                    names.append(name)
            name_seg = name_seg or seg
        verdict = norm.training_data_public(raw) if (training_context or _data_section_or_private(seg)) else None
        if verdict is True and public is None:
            public = ctx.fv(True, ctx.doc.seg_evidence(seg))
        elif verdict is False and private is None:
            private = ctx.fv(False, ctx.doc.seg_evidence(seg))
    datasets_fv = ctx.fv(names, ctx.doc.seg_evidence(name_seg)) if names and name_seg else None
    # A Hugging Face model card's `datasets:` list becomes "dataset:owner/name" tags: Hub datasets it was trained on.
    hub = [k.partition(":")[2] for k in ctx.candidate.keywords if k.startswith("dataset:") and "/" in k]
    if ctx.candidate.source == "huggingface" and hub:
        tag_names = [h.split("/")[-1] for h in hub]
        evidence = _meta("keywords", [f"dataset:{h}" for h in hub])
        if datasets_fv is None:
            datasets_fv = ctx.fv(tag_names, evidence)
        else:
            datasets_fv.value += [n for n in tag_names if n.lower() not in {v.lower() for v in datasets_fv.value}]
        public = public or ctx.fv(True, evidence)
    if public is None and datasets_fv is not None:
        # an existing dataset referenced by name is a published one; the authors' own (in-house, gated,
        # introduced in this work) is not evidence either way
        prose = " ".join(s.clean for s in ctx.doc.segments)
        shared = [n for n in datasets_fv.value if not norm.own_dataset(n, prose)]
        if shared:
            public = ctx.fv(True, datasets_fv.evidence)
    # a public dataset among the training data makes it true even beside in-house images
    return public or private, datasets_fv


def _data_section_or_private(seg: Segment) -> bool:
    """A sentence under a data heading, or one withholding data ("the clips cannot be shared")."""
    return bool(_DATA_SECTION.search(seg.section) or norm.withholds_data(seg.clean))


def _own_names(ctx: _Ctx) -> set[str]:
    """The record's own name(s): a model named after itself is not its training data."""
    title = ctx.candidate.title or ""
    own = {_org_key(title.split("/")[-1])}
    head = re.split(r"\s*[:(\u2013\u2014-]\s+|,", title, maxsplit=1)[0]
    own.add(_org_key(head))
    return {o for o in own if o}


# Host library tags that are frameworks themselves; "timm", "transformers", "diffusers" name a library
# (transformers runs PyTorch, TensorFlow and JAX weights), not the framework the card states.
_FRAMEWORK_TAGS = {"pytorch", "tensorflow", "keras", "jax", "flax", "monai", "paddlepaddle", "mxnet", "sklearn",
                   "scikit-learn"}


def _framework(ctx: _Ctx) -> FieldValue | None:
    c = ctx.candidate
    tag = str(c.extra.get("library_name") or "")
    if tag.lower() in _FRAMEWORK_TAGS:
        return ctx.fv(norm.library_framework(tag), _meta("library_name", tag))
    frameworks = c.extra.get("frameworks") or []
    if c.source == "kaggle":
        names = {norm.library_framework(f) for f in frameworks}
        names |= {norm.library_framework(f.name.split("/")[0]) for f in c.files}
        names.discard(None)
        if len(names) == 1:
            only = names.pop()
            if only == "TensorFlow" and norm.framework_votes(c.text or "").get("Keras"):
                only = "Keras"  # a Keras model exported as a TensorFlow instance: Keras is the one the text names
            return ctx.fv(only, _meta("framework", ", ".join(frameworks) or ", ".join(f.name for f in c.files)))
    files = [f.name for f in c.files]
    # a GitHub topic the authors chose that is a framework's name ("pytorch") is a mention, as in the text
    # (Hugging Face adds such tags itself from the library and the weight format)
    tags = " ".join(k for k in c.keywords if k.lower() in _FRAMEWORK_TAGS) if c.source == "github" else ""
    text = (c.title or "") + "\n" + (c.text or "") + ("\n" + tags if tags else "")
    value = norm.framework(text, files)
    if value is None:
        return None
    match = norm.framework_mention(value, c.text or "")
    if match:
        at = match.start()
        seg = next((s for s in ctx.doc.segments if s.start <= at < s.end), None)
        if seg:
            return ctx.fv(value, ctx.doc.seg_evidence(seg, match.group(0)))
        # a requirements line or an import inside a code block
        line_start = (c.text or "").rfind("\n", 0, at) + 1
        line_end = (c.text or "").find("\n", at)
        return ctx.fv(value, ctx.doc.evidence(line_start, line_end if line_end > 0 else at + 100))
    weight_files = [f for f in files if norm.is_weight_file(f)]
    if tags:
        return ctx.fv(value, _meta("keywords", c.keywords))
    if weight_files:
        return ctx.fv(value, _meta("files", weight_files[:5]))
    return ctx.fv(value, _meta("title", c.title))


def _model_fields(ctx: _Ctx) -> dict[str, FieldValue | None]:
    public, datasets = _training_data(ctx)
    out: dict[str, FieldValue | None] = {
        "training_data_public": public,
        "weights_public": _weights(ctx),
        "code_shared": _code(ctx),
        "authorship": _authorship(ctx),
        "name": _name(ctx),
        "link": _link(ctx, "model"),
        "task": _task(ctx, "model"),
        "training_datasets": datasets,
        "anatomy": _anatomy(ctx),
        "framework": _framework(ctx),
    }
    for key in (
        "training_details", "study_objective", "funding_statement", "ethics_statement", "competing_interests",
        "author_contributions", "code_availability_statement", "software_citations",
    ):
        out[key] = _criterion(ctx, key)
    return out


# -- entry point -----------------------------------------------------------------------------


def extract(candidate: Candidate, kind: str) -> dict[str, FieldValue]:
    """The characteristics the record states, by canonical key; a key not stated is absent.

    ``kind`` is "dataset" or "model" (anything else gives an empty dict).
    """
    if kind not in ("dataset", "model"):
        return {}
    doc = read(candidate.text or "")
    ctx = _Ctx(
        candidate=candidate,
        doc=doc,
        source=f"{candidate.source}:{candidate.native_id}",
        content=_content(doc.segments)[:_CONTENT_MAX],
        primary=_primary(doc),
    )
    ctx.content_text = "\n".join(s.clean for s in ctx.content)
    ctx.all_text = "\n".join(s.clean for s in doc.segments)
    fields = _dataset_fields(ctx) if kind == "dataset" else _model_fields(ctx)
    fields.update(
        {
            "licence": _licence(ctx, kind),
            "doi": _doi(ctx, kind),
            "description": _description(ctx),
            "version": _version(ctx),
        }
    )
    keys = (DATASET_KEYS if kind == "dataset" else MODEL_KEYS) + COMMON_KEYS
    return {key: fields[key] for key in keys if fields.get(key) is not None and not _empty(fields[key])}


def _empty(value: FieldValue | None) -> bool:
    return value is None or value.value is None or value.value == "" or value.value == []
