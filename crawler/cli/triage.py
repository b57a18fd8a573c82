"""``sonocat triage`` and ``sonocat candidates list|export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawler import candidates as service
from crawler import triage as triage_service
from crawler.cli.common import AppContext, SonocatGroup, common_options, utcnow
from crawler.errors import InputError

console = Console()


def run_and_report(app: AppContext, *, all_records: bool = False) -> triage_service.TriageResult:
    with app.open_db() as db:
        result = triage_service.run_triage(
            db, utcnow(), all_records=all_records,
            progress=lambda done, total: click.echo(f"triage: {done}/{total} records", err=True),
        )
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.by_status.items())) or "none"
    click.echo(
        f"triage: {result.triaged} records judged ({result.failed} failed), "
        f"{result.candidates_created} new candidates, {result.candidates_merged} merged; candidates: {counts}"
    )
    return result


@click.command()
@click.option("--all", "all_records", is_flag=True, help="Re-judge every staged record, not only new or changed ones.")
@common_options
def triage(app: AppContext, all_records: bool) -> None:
    """Judge new and changed staged records and update the candidate queue.

    Runs automatically after every discovery run; run it by hand after
    changing rules or to re-judge everything with --all.
    """
    run_and_report(app, all_records=all_records)


@click.group(cls=SonocatGroup)
def candidates() -> None:
    """The candidate queue: list and export."""


@candidates.command("list")
@click.option("--status", help=f"Only this status: {', '.join(service.STATUSES)} (or a review state).")
@click.option("--kind", type=click.Choice(["dataset", "model", "other"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the export JSON instead of a table.")
@common_options
def list_command(app: AppContext, status: str | None, kind: str | None, as_json: bool) -> None:
    """Candidates, most relevant first."""
    with app.open_db() as db:
        items = service.export(db, status=status, kind=kind)
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    table = Table("id", "kind", "status", "rel", "title", "hosts", "catalogue", title=f"{len(items)} candidates")
    for item in items:
        match = item["catalogue_match"]
        table.add_row(
            str(item["id"]), item["kind"], item["status"], f"{item['relevance']:.2f}", item["title"],
            ",".join(sorted({r["source"] for r in item["records"]})), match["name"] if match else "",
        )
    console.print(table)


@candidates.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True, help="Output format.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("--status", help="Only this status.")
@click.option("--kind", type=click.Choice(["dataset", "model", "other"]), help="Only this kind.")
@common_options
def export_command(app: AppContext, fmt: str, output: Path | None, status: str | None, kind: str | None) -> None:
    """Export candidates with their records, catalogue match and fields (the contract other tools read)."""
    with app.open_db() as db:
        items = service.export(db, status=status, kind=kind)
    text = json.dumps(items, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else service.to_csv(items)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}") from exc
    click.echo(f"{len(items)} candidates written to {output}", err=True)
