"""The paper's catalogue (cut-off September 2025) as entries: pure parsing of Tables 1-2.

The CSVs in ``crawler/data/baseline/`` are the paper's Tables 1 and 2 as
data. Each row becomes a ``BaselineEntry``; the facts the tables state become
characteristic values with the evidence "paper Table 1/2". Table 2 lists
AAU-net [141] twice: rows with the same kind and name fold into one entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from crawler.links import data_dois, find_dois, find_links
from crawler.vocab import split_anatomy

PROVENANCE = "paper-2025-09"
PROVENANCE_LABEL = "the paper's catalogue (cut-off September 2025)"
ENTERED_BY = "paper"
DATASET_SOURCE = "paper Table 1"
MODEL_SOURCE = "paper Table 2"

# Table 2 spells one task two ways.
TASK_SPELLINGS = {"pretraining / foundation model": "Pre-training / Foundation Model"}


@dataclass
class Fact:
    value: Any
    evidence: str
    source: str


@dataclass
class BaselineEntry:
    kind: str
    name: str
    paper_refs: str
    reference_text: str
    paper_tier: str | None = None
    paper_sonomqs: float | None = None
    facts: dict[str, Fact] = field(default_factory=dict)


def _yes_no(cell: str) -> bool | None:
    cell = cell.strip().lower()
    return {"yes": True, "y": True, "no": False, "n": False}.get(cell)


def _link_facts(reference_text: str, source: str) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    links = find_links(reference_text)
    if links:
        facts["link"] = Fact(links, f"links in the reference text: {reference_text[:300]}", source)
    dois = data_dois(find_dois(reference_text))
    if dois:
        facts["doi"] = Fact(dois[0], f"data repository DOI in the reference text: {dois[0]}", source)
    return facts


def parse_datasets(text: str) -> list[BaselineEntry]:
    entries: dict[str, BaselineEntry] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name = row["name"].strip()
        entry = BaselineEntry(
            kind="dataset",
            name=name,
            paper_refs=row["paper_refs"].strip(),
            reference_text=row["reference_text"].strip(),
            paper_tier=row["paper_sonodqs_tier"].strip().lower() or None,
        )
        facts = entry.facts
        facts["name"] = Fact(name, f"Table 1 name: {name}", DATASET_SOURCE)
        anatomy = split_anatomy(row["anatomy"])
        if anatomy:
            facts["anatomy"] = Fact(anatomy, f"Table 1 anatomy: {row['anatomy'].strip()}", DATASET_SOURCE)
        size = row["total_size"].strip().replace(",", "")
        if size:
            facts["total_size"] = Fact(int(float(size)), f"Table 1 total size: {row['total_size'].strip()}", DATASET_SOURCE)
        access = row["access"].strip().upper()
        if access in {"OA", "AR"}:
            facts["access"] = Fact(access, f"Table 1 OA/AR: {access}", DATASET_SOURCE)
        facts.update(_link_facts(entry.reference_text, DATASET_SOURCE))
        entries.setdefault(name.lower(), entry)
    return list(entries.values())


def parse_models(text: str) -> list[BaselineEntry]:
    entries: dict[str, BaselineEntry] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name = row["name"].strip()
        if name.lower() in entries:
            continue  # AAU-net [141] is listed twice in Table 2
        published = row["paper_sonomqs"].strip()
        entry = BaselineEntry(
            kind="model",
            name=name,
            paper_refs=row["paper_refs"].strip(),
            reference_text=row["reference_text"].strip(),
            paper_sonomqs=float(published) if published else None,
        )
        facts = entry.facts
        facts["name"] = Fact(name, f"Table 2 name: {name}", MODEL_SOURCE)
        for column, key in (
            ("public_training_dataset", "training_data_public"),
            ("public_weights", "weights_public"),
            ("shared_code", "code_shared"),
        ):
            value = _yes_no(row[column])
            if value is not None:
                facts[key] = Fact(value, f"Table 2 {column.replace('_', ' ')}: {row[column].strip()}", MODEL_SOURCE)
        task = row["task"].strip()
        if task:
            task = TASK_SPELLINGS.get(task.lower(), task)
            facts["task"] = Fact(task, f"Table 2 task: {row['task'].strip()}", MODEL_SOURCE)
        facts.update(_link_facts(entry.reference_text, MODEL_SOURCE))
        entries[name.lower()] = entry
    return list(entries.values())


def load() -> list[BaselineEntry]:
    folder = resources.files("crawler") / "data" / "baseline"
    return parse_datasets((folder / "paper_datasets.csv").read_text(encoding="utf-8")) + parse_models(
        (folder / "paper_models.csv").read_text(encoding="utf-8")
    )
