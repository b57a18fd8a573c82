"""``sonocat export site DIR``: write the catalogue as a static website."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import rubric as rubric_module
from crawler.cli.common import AppContext, common_options
from crawler.site import build_site


@click.command("site")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be published (e.g. https://org.github.io/sonocat); "
    "used for canonical links and the JSON-LD url of each dataset.",
)
@common_options
def site_command(app: AppContext, directory: Path, base_url: str | None) -> None:
    """Write the catalogue as a static website to DIR.

    DIR gets index.html (searchable, filterable, sortable tables of datasets
    and models), a page per entry (characteristics with evidence, score
    breakdown, reviewers, schema.org JSON-LD for datasets), and the paper's
    figures regenerated from live data (SVG + CSV). No server is needed: open
    index.html, or publish DIR as is (GitHub Pages). DIR must be new, empty,
    or a site written before (which is replaced).
    """
    with app.open_db() as db:
        result = build_site(db, directory, rubric_module.load(), base_url=base_url)
    click.echo(
        f"{directory}: {result.entries} entry pages ({result.datasets} datasets, {result.models} models), "
        f"{len(result.figures)} figures; open {directory / 'index.html'}"
    )
