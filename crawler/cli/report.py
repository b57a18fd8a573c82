"""``sonocat report`` (the discovery flow) and ``sonocat recheck`` (catalogue upkeep)."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import recheck as recheck_service
from crawler import report as report_service
from crawler.cli.common import AppContext, common_options, echo_json, utcnow
from crawler.report_svg import render_svg


@click.command()
@click.option("--run", "run_id", type=int, metavar="ID", help="Only this discovery run.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only runs started on or after this date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "svg"]), default="text", show_default=True,
              help="text: the flow and a table per source; json: every count; svg: the flow diagram.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write to FILE instead of standard output.")
@common_options
def report(app: AppContext, run_id: int | None, since: str | None, fmt: str, output: Path | None) -> None:
    """The PRISMA-style discovery flow, per run and cumulative, per source.

    Records identified, duplicates removed, excluded by automation, screened,
    excluded by reviewers (with reasons), included, known matches and updates,
    all counted from the database as it stands now.
    """
    with app.open_db() as db:
        data = report_service.collect(db, utcnow(), run_id=run_id, since=since)
    if fmt == "json":
        text = report_service.render_json(data)
    elif fmt == "svg":
        text = render_svg(data)
    else:
        text = report_service.render_text(data)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"report: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command()
@click.option("--entry", "entry_id", type=int, metavar="ID", help="Only this catalogue entry.")
@click.option("--older-than", type=float, metavar="DAYS",
              help="Only entries whose links were not checked in the last DAYS days.")
@click.option("--delay", type=float, metavar="SECONDS",
              help="Seconds between two requests to one host (default: [schedule] recheck_delay, else 5).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def recheck(app: AppContext, entry_id: int | None, older_than: float | None, delay: float | None,
            as_json: bool) -> None:
    """Revisit every catalogue entry's links and hosts, politely.

    Finds dead links, permanent moves, new versions (Zenodo versions, GitHub
    releases), newly published weights, licence and access changes. Each
    finding becomes an update candidate in the review queue; the catalogue
    changes only when two reviewers promote it.
    """
    options = recheck_service.RecheckOptions.from_config(
        app.config, entry_id=entry_id, older_than=older_than, delay=delay
    )
    with app.open_db() as db:
        result = recheck_service.recheck(db, app.config, options, utcnow(),
                                         progress=lambda line: click.echo(line, err=True))
    if as_json:
        echo_json(result.as_dict())
        return
    links = ", ".join(f"{k} {v}" for k, v in result.links.items()) or "none"
    click.echo(f"recheck: {result.entries} entries, {result.checks} checks; links: {links}")
    for finding in result.findings:
        click.echo(
            f"  entry {finding['entry_id']} ({finding['entry']}): {finding['kind']}: {finding['key']} -> "
            f"{finding['value']!r}  [candidate {finding['candidate_id']}]"
        )
    for skipped in result.skipped:
        click.echo(f"  entry {skipped['entry_id']}: {skipped['key']} not proposed again: {skipped['why']}")
    click.echo(
        f"update candidates: {len(result.created)} created, {len(result.joined)} joined; "
        f"{len(result.errors)} checks failed"
    )
    for error in result.errors:
        click.echo(f"  {error}", err=True)
