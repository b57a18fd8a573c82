"""BibTeX for the catalogue: one entry per catalogue entry, citing the work behind it. Pure.

A baseline entry cites the paper (or data record) that the paper's catalogue
gives as its reference: ``entries.reference_text``, in the Springer style of
the paper's bibliography::

    Surname, I., Surname, I.: Title. *Journal* **44**(7), 3875–3882 (2017)
    Surname, I.: Title. In: *Proceedings ...*, pp. 155–164 (2023). Springer
    Surname, I.: Title [Dataset]. Zenodo (2024). <https://doi.org/10.5281/...>

``parse_reference`` reads authors, title, venue, volume, number, pages and
year from that text as well as the text allows; whatever it reads, the raw
reference is kept in ``note`` so nothing is lost to a misparse. A reference
that lists several works (joined with ``||``) is cited by its first one.
An entry without a reference (one promoted through review) cites the
resource itself: its name, link and DOI.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler.links import find_arxiv_ids, find_dois, find_urls

# Initials such as "X.P.", "D.", "Y.-C.J.", "M.S.", "Ö.": the second half of "Surname, I.".
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}\.-?)+$")
_YEAR = re.compile(r"\((\d{4})\)")
_JOURNAL = re.compile(
    r"^\*?(?P<journal>[^*]+?)\*?\s*\*\*(?P<volume>[^*]+)\*\*\s*(?:\((?P<number>[^)]+)\))?\s*(?:,\s*(?P<pages>[^(]+?))?\s*$"
)
_PAGES = re.compile(r"pp\.\s*(?P<pages>[\d\s–—-]+)")
# Fields holding a URL or an identifier: written as they are, never LaTeX-escaped.
_VERBATIM = frozenset({"url", "doi", "eprint", "howpublished"})
# Characters LaTeX treats specially, and what they become in a BibTeX field.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass
class Reference:
    """What ``parse_reference`` could read from a reference's text (absent parts are None/empty)."""

    raw: str
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    journal: str | None = None
    booktitle: str | None = None
    publisher: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    year: str | None = None
    doi: str | None = None
    url: str | None = None
    arxiv: str | None = None

    @property
    def entry_type(self) -> str:
        if self.journal and not self.arxiv:
            return "article"
        if self.booktitle:
            return "inproceedings"
        return "misc"


def _strip_markup(text: str) -> str:
    """Drop the markdown emphasis and angle-bracketed links of the paper's reference text."""
    text = re.sub(r"<https?://[^>]*>", "", text)
    text = text.replace("**", "").replace("*", "")
    return " ".join(text.split()).strip(" .,")


def split_authors(text: str) -> list[str]:
    """``"Xiao, Y., Fortin, M., kaggle446"`` → ``["Xiao, Y.", "Fortin, M.", "kaggle446"]``.

    ``et al.`` becomes BibTeX's ``others``.
    """
    tokens = [t.strip() for t in text.replace("*", "").split(",")]
    tokens = [t for t in tokens if t]
    authors: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.lower().startswith("et al"):
            authors.append("others")
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt and _INITIALS.match(nxt.replace(" ", "")):
            authors.append(f"{token}, {nxt}")
            i += 2
        else:
            authors.append(token)
            i += 1
    return authors


def parse_reference(text: str) -> Reference:
    """Read the parts of one reference in the paper's bibliography style (first of several)."""
    raw = " ".join((text or "").split())
    first = raw.split("||")[0].strip()
    ref = Reference(raw=raw)
    dois = find_dois(first)
    ref.doi = dois[0] if dois else None
    arxiv = find_arxiv_ids(first)
    ref.arxiv = arxiv[0] if arxiv else None
    urls = [u for u in find_urls(first) if "doi.org/" not in u.lower()]
    ref.url = urls[0] if urls else None
    years = _YEAR.findall(first)
    ref.year = years[-1] if years else None

    authors, sep, rest = first.partition(": ")
    if not sep:
        authors, rest = "", first
    ref.authors = split_authors(authors)
    # The title runs to the first full stop that ends a sentence (". " or ".<end>"),
    # not one inside a version number or an initial.
    rest = re.sub(r"<https?://[^>]*>", "", rest).strip()
    match = re.search(r"\.\s+(?=\S)|\.$", rest)
    title, venue = (rest[: match.start()], rest[match.end():]) if match else (rest, "")
    if not venue.strip() and ref.year:
        title = re.sub(rf"\s*\({ref.year}\)\s*$", "", title)  # "Title (2023). <url>": no venue at all
    ref.title = _strip_markup(title) or None
    venue = venue.strip()
    # Drop the year and everything after it (publisher notes, "Accessed: ...").
    year_at = venue.rfind(f"({ref.year})") if ref.year else -1
    tail = venue[year_at + 6:] if year_at >= 0 else ""
    venue = venue[:year_at].strip(" ,.") if year_at >= 0 else venue.strip(" ,.")
    if venue.startswith("In:"):
        venue = venue[3:].strip()
        pages = _PAGES.search(venue)
        if pages:
            ref.pages = _pages(pages.group("pages"))
            venue = venue[: pages.start()]
        ref.booktitle = _strip_markup(venue) or None
        publisher = _strip_markup(tail)
        ref.publisher = publisher or None
        return ref
    journal = _JOURNAL.match(venue)
    if journal:
        ref.journal = _strip_markup(journal.group("journal")) or None
        ref.volume = journal.group("volume").strip()
        ref.number = (journal.group("number") or "").strip() or None
        ref.pages = _pages(journal.group("pages")) if journal.group("pages") else None
        return ref
    if venue.startswith("*") and venue.count("*") >= 2 and not ref.arxiv:
        ref.journal = _strip_markup(venue.split("*")[1]) or None  # a journal article without volume
        return ref
    ref.publisher = _publisher(venue)  # Zenodo, Kaggle, a repository, an archive
    return ref


def _publisher(venue: str) -> str | None:
    """The first sentence of a misc reference's venue ("Kaggle. Accessed: ..." → "Kaggle")."""
    first = _strip_markup(re.split(r"\.\s+", venue, maxsplit=1)[0])
    if not first or "=" in first or re.match(r"(?:accessed|visited on)\b", first, re.I):
        return None
    return first


def _pages(text: str) -> str | None:
    text = text.strip(" ,.")
    return re.sub(r"\s*[–—-]+\s*", "--", text) or None


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text)


def _ascii_slug(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique_slugs(entries: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """A unique slug per entry from its name (``"FETAL PLANES DB"`` → ``fetal-planes-db``).

    Used as BibTeX key and as Croissant file name.

    A name both kinds use gets the kind appended to the later one, then the id if still taken.
    """
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for entry in sorted(entries, key=lambda e: e["id"]):
        base = _ascii_slug(entry["name"]) or f"entry-{entry['id']}"
        key = base
        if key in taken:
            key = f"{base}-{entry['kind']}"
        if key in taken:
            key = f"{base}-{entry['id']}"
        taken.add(key)
        keys[entry["id"]] = key
    return keys


def bibtex_fields(entry: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The entry type and the (unescaped) fields citing ``entry``.

    ``entry`` is an ``entries`` row; ``values`` its characteristic values.
    """
    reference_text = (entry.get("reference_text") or "").strip()
    links = values.get("link") or []
    if reference_text:
        ref = parse_reference(reference_text)
        out: dict[str, str] = {}
        if ref.authors:
            out["author"] = " and ".join(ref.authors)
        out["title"] = ref.title or entry["name"]
        for name in ("journal", "booktitle", "publisher", "volume", "number", "pages", "year", "doi"):
            value = getattr(ref, name)
            if value:
                out[name] = value
        if ref.arxiv:
            out.update({"eprint": ref.arxiv, "archiveprefix": "arXiv"})
        url = ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else None) or (links[0] if links else None)
        if url:
            out["url"] = url
        out["note"] = f"Reference [{entry.get('paper_refs') or '?'}] of the paper's catalogue: {ref.raw}"
        return ref.entry_type, out
    out = {"title": str(values.get("name") or entry["name"])}
    if values.get("version"):
        out["version"] = str(values["version"])
    if values.get("doi"):
        out["doi"] = str(values["doi"])
    if links:
        out["url"] = links[0]
        out["howpublished"] = links[0]
    year = (entry.get("reviewed_at") or "")[:4]  # the year review confirmed it, not when it was loaded
    if year.isdigit():
        out["year"] = year
    what = "Ultrasound dataset" if entry["kind"] == "dataset" else "Ultrasound deep-learning model"
    out["note"] = f"{what} in the sonocat catalogue (entry {entry['id']}, {entry.get('provenance') or 'review'})"
    return "misc", out


def format_entry(entry_type: str, key: str, fields: Mapping[str, str]) -> str:
    """One BibTeX entry, fields LaTeX-escaped and braced; URLs and DOIs kept as they are."""
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields.items():
        text = " ".join(str(value).split())
        if name in _VERBATIM:
            text = text.replace("{", "%7B").replace("}", "%7D")  # braces would unbalance the field
            if name == "howpublished":
                text = f"\\url{{{text}}}"
        else:
            text = latex_escape(text)
        lines.append(f"  {name} = {{{text}}},")
    lines.append("}")
    return "\n".join(lines)


def bibliography(entries: list[Mapping[str, Any]], values: Mapping[int, Mapping[str, Any]]) -> str:
    """The whole catalogue as one BibTeX file, entries in id order."""
    keys = unique_slugs(entries)
    parts = []
    for entry in sorted(entries, key=lambda e: e["id"]):
        entry_type, fields = bibtex_fields(entry, values.get(entry["id"], {}))
        parts.append(format_entry(entry_type, keys[entry["id"]], fields))
    header = "% The sonocat catalogue of public ultrasound datasets and models: one entry per catalogue entry.\n"
    return header + "\n\n".join(parts) + "\n"
