"""schema.org ``Dataset`` JSON-LD for a catalogue entry (embedded in the static site's pages). Pure.

``dataset_jsonld(entry)`` takes the dict ``crawler.catalogue.show_entry``
returns (summary fields plus ``characteristics``, ``reference_text``, ...)
and gives the JSON-LD object search engines read: name, description, url,
sameAs, identifier (DOI), license, keywords, isAccessibleForFree and, where
the reference names them, creator. A property the catalogue does not know is
left out, never filled with a placeholder.

The small helpers here (the entry's values, its links, licence URL, keywords,
generated description, creators) are shared with the Croissant export, which
is a schema.org Dataset with more properties.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crawler.exports.bibtex import parse_reference

SCHEMA_ORG = "https://schema.org/"
CATALOGUE_NAME = "sonocat: the public catalogue of ultrasound datasets and models"
# An SPDX licence id: letters, digits, dots, plus and hyphens, no spaces ("CC-BY-NC-4.0").
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_SUMMARY_KEYS = ("name", "anatomy", "total_size", "access", "task")


def entry_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's characteristic values by key (its summary fields, then its characteristics)."""
    values: dict[str, Any] = {k: entry[k] for k in _SUMMARY_KEYS if entry.get(k) not in (None, "", [])}
    for row in entry.get("characteristics") or []:
        values[row["key"]] = row["value"]
    return values


def doi_url(doi: str | None) -> str | None:
    return f"https://doi.org/{doi}" if doi else None


def entry_links(values: Mapping[str, Any]) -> list[str]:
    """The entry's links, then its DOI as a URL, each once."""
    out: list[str] = []
    for url in [*(values.get("link") or []), doi_url(values.get("doi"))]:
        if url and url not in out:
            out.append(url)
    return out


def licence_url(licence: str | None) -> str | None:
    """An SPDX id as its SPDX page URL; a licence without an id keeps its own name."""
    if not licence:
        return None
    licence = licence.strip()
    return f"https://spdx.org/licenses/{licence}.html" if _SPDX_ID.match(licence) else licence


def is_accessible_for_free(values: Mapping[str, Any]) -> bool | None:
    """OA (downloadable without asking) is free to access; AR (on request) is not; unknown is None."""
    return {"OA": True, "AR": False}.get(values.get("access") or "")


def tasks(values: Mapping[str, Any]) -> list[str]:
    text = values.get("task_category") or values.get("task") or ""
    return [t.strip() for t in str(text).split(",") if t.strip()]


def keywords(values: Mapping[str, Any]) -> list[str]:
    out = ["ultrasound"]
    for word in [*(values.get("anatomy") or []), *tasks(values), *(values.get("scanning_mode") or [])]:
        if word not in out:
            out.append(word)
    return out


def description(entry: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The resource's own summary when the catalogue has one; otherwise a sentence of catalogue facts."""
    if values.get("description"):
        return str(values["description"])
    what = "ultrasound dataset" if entry.get("kind", "dataset") == "dataset" else "ultrasound deep-learning model"
    parts = [f"{values.get('name') or entry['name']}: a public {what}"]
    anatomy = values.get("anatomy") or []
    if anatomy:
        parts.append(f" of the {', '.join(anatomy)}")
    facts = []
    if values.get("total_size") is not None:
        facts.append(f"{values['total_size']:,} samples")
    if tasks(values):
        facts.append(", ".join(tasks(values)).lower())
    access = {"OA": "open access", "AR": "available on request"}.get(values.get("access") or "")
    if access:
        facts.append(access)
    if facts:
        parts.append(f" ({'; '.join(facts)})")
    parts.append(". Listed in the sonocat catalogue")
    if entry.get("tier"):
        parts.append(f", SonoDQS tier {entry['tier']}")
    return "".join(parts) + "."


def creators(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    """The authors of the entry's reference as schema.org Persons (``others`` dropped)."""
    reference = parse_reference(entry.get("reference_text") or "")
    out = []
    for author in reference.authors:
        if author == "others":
            continue
        family, _, given = author.partition(", ")
        person = {"@type": "Person", "name": f"{given} {family}".strip()}
        if given:
            person.update({"givenName": given, "familyName": family})
        out.append(person)
    return out


def reference_year(entry: Mapping[str, Any]) -> str | None:
    return parse_reference(entry.get("reference_text") or "").year


def temporal_coverage(values: Mapping[str, Any]) -> str | None:
    """``"2018-2020"`` → the ISO 8601 interval ``"2018/2020"``."""
    years = re.findall(r"\d{4}", str(values.get("acquisition_years") or ""))
    if not years:
        return None
    return years[0] if len(set(years)) == 1 else f"{years[0]}/{years[-1]}"


def dataset_jsonld(entry: Mapping[str, Any], *, page_url: str | None = None) -> dict[str, Any]:
    """The schema.org Dataset JSON-LD of one dataset entry (``show_entry``'s dict); only known properties.

    ``url`` is the resource's first link (then its DOI); ``page_url`` (the
    catalogue's own page for the entry) stands in when the catalogue knows no link.
    """
    values = entry_values(entry)
    links = entry_links(values)
    doi = doi_url(values.get("doi"))
    url = links[0] if links else page_url
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "name": str(values.get("name") or entry["name"]),
        "description": description(entry, values),
        "url": url,
        "sameAs": [link for link in links if link != url] or None,
        "identifier": doi,
        "license": licence_url(values.get("licence")),
        "keywords": keywords(values),
        "isAccessibleForFree": is_accessible_for_free(values),
        "creator": creators(entry) or None,
        "citation": entry.get("reference_text") or None,
        "version": values.get("version"),
        "temporalCoverage": temporal_coverage(values),
        "spatialCoverage": [{"@type": "Place", "name": c} for c in values.get("geography") or []] or None,
        "measurementTechnique": "Ultrasound imaging",
        "includedInDataCatalog": {"@type": "DataCatalog", "name": CATALOGUE_NAME},
    }
    return {key: value for key, value in data.items() if value is not None}
