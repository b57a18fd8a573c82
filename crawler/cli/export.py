"""``sonocat export ...``: the catalogue as CSV, JSON, Croissant and BibTeX, and for Datasette."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import exports
from crawler import rubric as rubric_module
from crawler.cli.common import AppContext, SonocatGroup, common_options
from crawler.cli.site import site_command

_DIR = click.Path(path_type=Path, file_okay=False)
_FILE = click.Path(path_type=Path, dir_okay=False)


def _done(paths: list[Path], public_rows: int) -> None:
    for path in paths:
        click.echo(str(path))
    click.echo(f"{len(paths)} file(s) written; catalogue_public refreshed ({public_rows} rows)", err=True)


@click.group(cls=SonocatGroup)
def export() -> None:
    """Export the catalogue (CSV, JSON, Croissant, BibTeX) and refresh the table Datasette serves."""


@export.command("csv")
@click.argument("directory", type=_DIR)
@common_options
def csv_command(app: AppContext, directory: Path) -> None:
    """Write entries.csv (one row per entry) and characteristics.csv (long form) into DIRECTORY."""
    with app.open_db() as db:
        paths = exports.export_tables(db, directory, "csv")
        rows = exports.refresh_public(db)
    _done(paths, rows)


@export.command("json")
@click.argument("directory", type=_DIR)
@common_options
def json_command(app: AppContext, directory: Path) -> None:
    """Write entries.json (one object per entry) and characteristics.json (long form) into DIRECTORY."""
    with app.open_db() as db:
        paths = exports.export_tables(db, directory, "json")
        rows = exports.refresh_public(db)
    _done(paths, rows)


@export.command("croissant")
@click.argument("directory", type=_DIR)
@common_options
def croissant_command(app: AppContext, directory: Path) -> None:
    """Write one Croissant 1.0 JSON-LD file (<slug>.json, with Responsible-AI properties) per dataset into DIRECTORY."""
    rubric = rubric_module.load()
    with app.open_db() as db:
        paths = exports.export_croissant(db, directory, rubric)
        rows = exports.refresh_public(db)
    _done(paths, rows)


@export.command("bibtex")
@click.argument("file", type=_FILE)
@common_options
def bibtex_command(app: AppContext, file: Path) -> None:
    """Write FILE.bib: one BibTeX entry per catalogue entry, citing the paper (or resource) behind it."""
    with app.open_db() as db:
        path = exports.export_bibtex(db, file)
        rows = exports.refresh_public(db)
    _done([path], rows)


@export.command("datasette")
@common_options
def datasette_command(app: AppContext) -> None:
    """Refresh catalogue_public and its search index, and print how to serve the catalogue with Datasette."""
    with app.open_db() as db:
        rows = exports.refresh_public(db)
        path = db.path
    click.echo(f"catalogue_public refreshed ({rows} rows); serve it with:")
    click.echo(f"  datasette {path} --metadata {exports.datasette.METADATA_PATH}")


export.add_command(site_command)
