"""Shared by the export tests: a promoted entry added the way review adds one."""

from __future__ import annotations

from pathlib import Path

from crawler import catalogue
from crawler import rubric as rubric_module
from crawler.db import Database

PROMOTED_AT = "2025-10-15T12:00:00Z"
DOWNLOAD_URL = "https://example.org/files/thyroid-us.zip"
PROMOTED_VALUES = {
    "name": "Thyroid US & Doppler_2025",
    "link": ["https://zenodo.org/records/1234567", DOWNLOAD_URL],
    "anatomy": ["thyroid"],
    "scanning_mode": ["2D freehand", "2D+t"],
    "total_size": 3120,
    "task_category": "Segmentation, Classification",
    "geography": ["Spain"],
    "acquisition_years": "2019-2021",
    "centres": "single",
    "machines": "multiple",
    "access": "OA",
    "devices": "GE Logiq E9 with a ML6-15 linear probe",
    "acquisition_protocol": "Transverse and longitudinal sweeps of each lobe.",
    "acquirer_characteristics": "Radiologists with 5-15 years of experience.",
    "operator_count": 3,
    "annotation_method": "Manual masks by two radiologists.",
    "annotation_description": "Nodule masks and TI-RADS classes.",
    "annotation_merging": "Disagreements resolved by consensus of both annotators.",
    "application_cases": "Benchmarking segmentation models; education.",
    "subject_details": "412 adults aged 21-84, 71% women.",
    "ethics_statement": "Approved by the hospital ethics committee (ref. 2019/117).",
    "data_usage_agreement": "Research use only.",
    "doppler": True,
    "b_mode": True,
    "licence": "CC-BY-4.0",
    "doi": "10.5281/zenodo.1234567",
    "description": "Thyroid ultrasound images and Doppler clips with nodule masks, from one Spanish hospital.",
    "version": "1.0.2",
}


def add_promoted_entry(path: Path) -> int:
    """Add one dataset as review's promotion does (provenance ``review``, values confirmed by two people)."""
    rubric = rubric_module.load()
    with Database.open(path) as db:
        entry_id = db.insert_entry(
            {
                "kind": "dataset", "name": PROMOTED_VALUES["name"], "provenance": "review", "paper_refs": None,
                "reference_text": None, "paper_tier": None, "paper_sonomqs": None, "unverifiable": 0,
                "created_at": PROMOTED_AT, "updated_at": PROMOTED_AT, "reviewed_at": PROMOTED_AT,
            }
        )
        for key, value in PROMOTED_VALUES.items():
            db.set_characteristic(
                entry_id, key, value, evidence=f"record text for {key}", evidence_source="zenodo:1234567",
                entered_by="alice + bob", entered_at=PROMOTED_AT,
            )
        result = catalogue.score_values("dataset", PROMOTED_VALUES, rubric)
        db.add_score(entry_id, result.as_dict(), PROMOTED_AT)
    return entry_id
