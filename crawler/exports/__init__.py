"""Exports of the catalogue: tables (CSV, JSON), Croissant, BibTeX, schema.org JSON-LD, Datasette.

Each format module is pure (catalogue data in, text or dicts out) except for
the functions here that read the database and write files, which the
``sonocat export`` commands call::

    tables.py     entries and characteristics as CSV / JSON
    croissant.py  one Croissant 1.0 (+ RAI) JSON-LD file per dataset
    bibtex.py     one BibTeX entry per catalogue entry, citing the work behind it
    jsonld.py     schema.org Dataset JSON-LD (also embedded in the static site)
    datasette.py  the flat ``catalogue_public`` table Datasette serves
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler import catalogue
from crawler.db import Database
from crawler.errors import InputError
from crawler.exports import bibtex, croissant, datasette, tables
from crawler.rubric import Rubric


def _directory(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise InputError(f"{path} exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {path}: {exc.strerror}") from exc
    return path


def _write(path: Path, text: str) -> Path:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    return path


def export_tables(db: Database, directory: Path, fmt: str) -> list[Path]:
    """Write ``entries.<fmt>`` and ``characteristics.<fmt>`` (fmt ``csv`` or ``json``) into ``directory``."""
    if fmt not in {"csv", "json"}:
        raise InputError(f"unknown table format {fmt!r}; use csv or json")
    folder = _directory(directory)
    written = []
    for name, (rows, columns) in tables.tables(db).items():
        text = tables.to_csv(rows, list(columns)) if fmt == "csv" else tables.to_json(rows)
        written.append(_write(folder / f"{name}.{fmt}", text))
    return written


def export_croissant(db: Database, directory: Path, rubric: Rubric) -> list[Path]:
    """Write one ``<slug>.json`` Croissant file per dataset into ``directory``."""
    folder = _directory(directory)
    datasets = db.entries("dataset")
    slugs = bibtex.unique_slugs(datasets)
    written = []
    for entry in sorted(datasets, key=lambda e: e["id"]):
        shown = catalogue.show_entry(db, str(entry["id"]), rubric)
        document = croissant.croissant_jsonld(shown)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        written.append(_write(folder / f"{slugs[entry['id']]}.json", text))
    return written


def export_bibtex(db: Database, file: Path) -> Path:
    """Write the catalogue's BibTeX (one entry per catalogue entry) to ``file``."""
    if file.is_dir():
        raise InputError(f"{file} is a directory; give a file name such as catalogue.bib")
    if file.parent and not file.parent.exists():
        _directory(file.parent)
    return _write(file, bibtex.bibliography(db.entries(), db.values_by_entry()))


def refresh_public(db: Database) -> int:
    """Rebuild the table Datasette serves; returns its row count."""
    return datasette.refresh(db)
