"""Finding and normalising links, DOIs and arXiv ids in free text. Pure functions.

Used by the baseline loader (links in the paper's reference text), by triage
(links in READMEs, descriptions and snippets) and by entity resolution
(normalised URLs and DOIs are the strongest join keys across hosts).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

DOI_RE = re.compile(r"\b(10\.\d{4,9}/(?:[^\s\"'<>\]\[(){}|,;]|\([^\s\"'<>()]*\))+)", re.I)
ARXIV_RE = re.compile(r"\barxiv(?:\.org/(?:abs|pdf)/|\s*:\s*|\s+preprint\s+arxiv:)\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
URL_RE = re.compile(r"https?://[^\s\"'<>\]\[(){}|\\^`]+", re.I)
_TRAILING = ".,;:!?*_'\")]}>"

# DOI prefixes of data repositories: a DOI with one of these names the data itself.
DATA_DOI_PREFIXES = (
    "10.5281/",  # Zenodo
    "10.6084/",  # figshare
    "10.7910/",  # Harvard Dataverse
    "10.34820/",  # Telkom University Dataverse
    "10.13026/",  # PhysioNet
    "10.7937/",  # TCIA
    "10.17632/",  # Mendeley Data
    "10.5061/",  # Dryad
    "10.18112/",  # OpenNeuro
    "10.57967/",  # Hugging Face
)


def clean_url(url: str) -> str:
    url = url.strip()
    while url and url[-1] in _TRAILING:
        # keep a closing bracket that has its opening partner inside the URL
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def normalise_doi(doi: str) -> str:
    doi = doi.strip()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return clean_url(doi).rstrip("/").lower()


def find_dois(text: str) -> list[str]:
    out: list[str] = []
    for match in DOI_RE.finditer(text or ""):
        doi = normalise_doi(match.group(1))
        doi = re.sub(r"\.(?:pdf|html?)$", "", doi)
        if doi not in out:
            out.append(doi)
    return out


def find_arxiv_ids(text: str) -> list[str]:
    out: list[str] = []
    for match in ARXIV_RE.finditer(text or ""):
        if match.group(1) not in out:
            out.append(match.group(1))
    return out


def find_urls(text: str) -> list[str]:
    out: list[str] = []
    for match in URL_RE.finditer(text or ""):
        url = clean_url(match.group(0))
        if url and url not in out:
            out.append(url)
    return out


def find_links(text: str) -> list[str]:
    """Every URL in ``text``, plus DOIs and arXiv ids written as plain ids, as URLs.

    DOIs become ``https://doi.org/<doi>`` and arXiv ids ``https://arxiv.org/abs/<id>``;
    the same resource written twice is listed once.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(url: str) -> None:
        key = normalise_url(url)
        if key not in seen:
            seen.add(key)
            out.append(url)

    for url in find_urls(text):
        dois = find_dois(url) if "doi.org/" in url.lower() else []
        add(f"https://doi.org/{dois[0]}" if dois else url)
    for doi in find_dois(text):
        add(f"https://doi.org/{doi}")
    for arxiv_id in find_arxiv_ids(text):
        add(f"https://arxiv.org/abs/{arxiv_id}")
    return out


def normalise_url(url: str) -> str:
    """A comparison key for a URL: scheme, www, case, trailing slash and noise removed.

    DOIs and arXiv ids reduce to ``doi:<doi>`` / ``arxiv:<id>``; GitHub, Kaggle,
    Hugging Face and Zenodo URLs reduce to the resource they name.
    """
    url = clean_url(url)
    dois = find_dois(url) if re.search(r"doi\.org/|^doi:", url, re.I) else []
    if dois:
        return f"doi:{dois[0]}"
    arxiv = find_arxiv_ids(url)
    if arxiv:
        return f"arxiv:{arxiv[0]}"
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = parts.netloc.lower().removeprefix("www.").split("@")[-1]
    host = host.removesuffix(":443").removesuffix(":80")
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    segments = [s for s in path.split("/") if s]
    if host == "github.com" and len(segments) >= 2:
        return f"github:{segments[0].lower()}/{segments[1].lower().removesuffix('.git')}"
    if host in {"kaggle.com"} and len(segments) >= 3 and segments[0] in {"datasets", "models"}:
        return f"kaggle:{segments[0]}/{segments[1].lower()}/{segments[2].lower()}"
    if host in {"kaggle.com"} and len(segments) >= 2 and segments[0] in {"competitions", "c"}:
        return f"kaggle:competitions/{segments[1].lower()}"
    if host == "huggingface.co" and segments:
        if segments[0] in {"datasets", "spaces"} and len(segments) >= 3:
            return f"hf:{segments[0]}/{segments[1].lower()}/{segments[2].lower()}"
        if len(segments) >= 2 and segments[0] not in {"datasets", "spaces", "papers", "docs"}:
            return f"hf:models/{segments[0].lower()}/{segments[1].lower()}"
    if host in {"zenodo.org", "sandbox.zenodo.org"} and len(segments) >= 2 and segments[0] in {"record", "records"}:
        return f"zenodo:{segments[1]}"
    query = "&".join(
        p for p in sorted(parts.query.split("&")) if p and not p.lower().startswith(("utm_", "ref=", "fbclid"))
    )
    return urlunsplit(("", host, path.lower() if host.endswith("github.io") else path, query, "")).lstrip("/")


def data_dois(dois: list[str]) -> list[str]:
    return [d for d in dois if d.startswith(DATA_DOI_PREFIXES)]
