"""Croissant 1.0 JSON-LD for each catalogue dataset, with its Responsible-AI properties. Pure.

One file per dataset (``<slug>.json``). The core is the schema.org Dataset of
``crawler.exports.jsonld`` in Croissant's vocabulary (the official 1.0
``@context``, ``@type: sc:Dataset``, ``conformsTo``, ``citeAs``); the
characteristics that describe how the data was made map to the Croissant RAI
1.0 vocabulary (``rai:``):

==============================  ==================================================================
rai property                    from
==============================  ==================================================================
dataCollection                  acquisition_protocol, devices, institution, acquirer_characteristics,
                                operator_count, machines, centres, geography
dataCollectionType              scanning_mode, b_mode, doppler, imaging_modalities
dataCollectionTimeframe         acquisition_years (start and end year)
dataAnnotationProtocol          annotation_method, annotator_instructions, annotation_description
annotationsPerItem              annotation_merging (how several annotators' labels became one)
dataUseCases                    application_cases, challenge
personalSensitiveInformation    subject_details, ethics_statement
dataLimitations                 access on request, data_usage_agreement, a curator's "unverifiable"
dataBiases                      a single centre, a single machine, one country
==============================  ==================================================================

Only properties with a value are written. ``rai:annotatorDemographics`` is not:
no catalogue characteristic describes the annotators' demographics.

A link is a ``cr:FileObject`` in ``distribution`` only when it is a direct
download *and* its SHA-256 is known (``checksums``): Croissant requires a
checksum on every FileObject, and the catalogue does not fetch the data to
compute one. Every link is in ``url`` / ``sameAs`` either way.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from crawler.exports import jsonld

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
RAI_CONFORMS_TO = "http://mlcommons.org/croissant/RAI/1.0"

# The official Croissant 1.0 @context, as the reference implementation (mlcroissant) writes it.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# File extensions that make a link a direct download, and their media types.
DOWNLOAD_TYPES = {
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".tar.gz": "application/gzip",
    ".tgz": "application/gzip",
    ".gz": "application/gzip",
    ".7z": "application/x-7z-compressed",
    ".rar": "application/vnd.rar",
    ".csv": "text/csv",
    ".json": "application/json",
    ".h5": "application/x-hdf5",
    ".hdf5": "application/x-hdf5",
    ".mat": "application/x-matlab-data",
    ".nii": "application/octet-stream",
    ".nii.gz": "application/gzip",
    ".npy": "application/octet-stream",
    ".npz": "application/zip",
    ".parquet": "application/x-parquet",
}


def download_type(url: str) -> str | None:
    """The media type of a direct-download link, None for a landing page."""
    path = urlsplit(url).path.lower()
    for ext in sorted(DOWNLOAD_TYPES, key=len, reverse=True):
        if path.endswith(ext):
            return DOWNLOAD_TYPES[ext]
    return None


def _labelled(values: Mapping[str, Any], *pairs: tuple[str, str]) -> list[str]:
    out = []
    for key, label in pairs:
        value = values.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out.append(f"{label}: {value}" if label else str(value))
    return out


def rai_properties(entry: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The Responsible-AI properties the entry's characteristics support (none invented)."""
    rai: dict[str, Any] = {}
    collection = _labelled(
        values,
        ("acquisition_protocol", ""),
        ("devices", "Devices"),
        ("institution", "Institution"),
        ("acquirer_characteristics", "Acquirers"),
        ("operator_count", "Operators"),
        ("machines", "Machines"),
        ("centres", "Centres"),
        ("geography", "Countries"),
    )
    if collection:
        rai["rai:dataCollection"] = ". ".join(part.rstrip(".") for part in collection) + "."
    kinds = list(values.get("scanning_mode") or [])
    if values.get("b_mode") is True:
        kinds.append("B-mode imaging")
    if values.get("doppler") is True:
        kinds.append("Doppler imaging")
    kinds += _labelled(values, ("imaging_modalities", ""))
    if kinds:
        rai["rai:dataCollectionType"] = kinds
    timeframe = jsonld.temporal_coverage(values)
    if timeframe:
        rai["rai:dataCollectionTimeframe"] = timeframe.split("/")
    annotation = _labelled(
        values,
        ("annotation_method", "Method"),
        ("annotator_instructions", "Instructions"),
        ("annotation_description", "Labels"),
    )
    if annotation:
        rai["rai:dataAnnotationProtocol"] = annotation
    if values.get("annotation_merging"):
        rai["rai:annotationsPerItem"] = str(values["annotation_merging"])
    use_cases = _labelled(values, ("application_cases", ""), ("challenge", "Challenge"))
    if use_cases:
        rai["rai:dataUseCases"] = use_cases
    sensitive = _labelled(values, ("subject_details", "Subjects"), ("ethics_statement", "Ethics"))
    if sensitive:
        rai["rai:personalSensitiveInformation"] = sensitive
    limitations = []
    if values.get("access") == "AR":
        limitations.append("Available on request only, not downloadable without asking.")
    limitations += _labelled(values, ("data_usage_agreement", "Data usage agreement"))
    if entry.get("unverifiable"):
        limitations.append("A curator marked details of this dataset as unverifiable.")
    if limitations:
        rai["rai:dataLimitations"] = limitations
    biases = []
    if values.get("centres") == "single":
        biases.append("Acquired at a single centre.")
    if values.get("machines") == "single":
        biases.append("Acquired with a single ultrasound machine.")
    if len(values.get("geography") or []) == 1:
        biases.append(f"Acquired in one country ({values['geography'][0]}).")
    if biases:
        rai["rai:dataBiases"] = biases
    return rai


def distribution(values: Mapping[str, Any], checksums: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for url in values.get("link") or []:
        media_type = download_type(url)
        if not media_type or url not in checksums:
            continue
        name = posixpath.basename(urlsplit(url).path) or "download"
        out.append(
            {
                "@type": "cr:FileObject",
                "@id": name,
                "name": name,
                "contentUrl": url,
                "encodingFormat": media_type,
                "sha256": checksums[url],
            }
        )
    return out


def croissant_jsonld(
    entry: Mapping[str, Any], *, checksums: Mapping[str, str] | None = None, page_url: str | None = None
) -> dict[str, Any]:
    """The Croissant 1.0 metadata of one dataset entry (``show_entry``'s dict).

    ``checksums`` maps a download URL to its SHA-256, for links that may become
    FileObjects; ``page_url`` is the ``url`` of an entry the catalogue knows no link for.
    """
    values = jsonld.entry_values(entry)
    core = jsonld.dataset_jsonld(entry, page_url=page_url)
    rai = rai_properties(entry, values)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": [CONFORMS_TO, RAI_CONFORMS_TO] if rai else CONFORMS_TO,
        "name": core["name"],
        "description": core["description"],
        "url": core.get("url"),
        "sameAs": core.get("sameAs"),
        "identifier": core.get("identifier"),
        "license": core.get("license"),
        "citeAs": entry.get("reference_text") or None,
        "creator": core.get("creator"),
        "keywords": core["keywords"],
        "isAccessibleForFree": core.get("isAccessibleForFree"),
        "version": values.get("version"),
        "datePublished": jsonld.reference_year(entry),
        "distribution": distribution(values, checksums or {}) or None,
        **rai,
    }
    return {key: value for key, value in data.items() if value is not None}
