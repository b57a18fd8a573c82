"""``sonocat init``, ``sonocat catalogue ...`` and ``sonocat score ...``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawler import catalogue as service
from crawler import rubric as rubric_module
from crawler.baseline import PROVENANCE_LABEL
from crawler.catalogue import TIER_ORDER
from crawler.cli.common import AppContext, SonocatGroup, common_options, echo_json, utcnow
from crawler.errors import InputError

console = Console()


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _print_stats(stats: dict) -> None:
    console.print(f"[bold]Catalogue[/bold]: {stats['by_kind']['dataset']} datasets, {stats['by_kind']['model']} models")
    table = Table("dataset tier", "public", "computed", "published (paper)")
    for tier in TIER_ORDER:
        table.add_row(
            tier,
            str(stats["by_tier"].get(tier, 0)),
            str(stats["by_computed_tier"].get(tier, 0)),
            str(stats["by_published_tier"].get(tier, 0)),
        )
    console.print(table)
    groups = Table("anatomy group", "datasets")
    for group, count in stats["by_anatomy_group"].items():
        groups.add_row(group, str(count))
    console.print(groups)
    console.print("access: " + ", ".join(f"{k} {v}" for k, v in stats["by_access"].items()))
    models = stats["models"]
    console.print(
        f"models: mean SonoMQS {_fmt(models['mean_sonomqs'])} computed, "
        f"{_fmt(models['mean_published_sonomqs'])} published"
    )


@click.command()
@common_options
def init(app: AppContext) -> None:
    """Create the database (if needed) and load the paper's catalogue.

    Safe to run again: entries already present are left untouched.
    """
    rubric = rubric_module.load()
    with app.open_db(create=True) as db:
        result = service.init_catalogue(db, rubric, utcnow())
        total = db.count_entries()
    click.echo(
        f"{app.config.db_path}: {result.added} entries added from {PROVENANCE_LABEL}, "
        f"{result.existing} already present, {total} in the catalogue"
    )


@click.group(cls=SonocatGroup)
def catalogue() -> None:
    """Read and rescore the catalogue."""


@catalogue.command("list")
@click.option("--kind", type=click.Choice(["dataset", "model"]), help="Only datasets or only models.")
@click.option("--tier", type=click.Choice(TIER_ORDER, case_sensitive=False), help="Only entries of this SonoDQS tier (public or computed).")
@click.option("--anatomy", metavar="TEXT", help="Only entries whose anatomy (or anatomy group) contains TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@common_options
def list_command(app: AppContext, kind: str | None, tier: str | None, anatomy: str | None, as_json: bool) -> None:
    """List catalogue entries."""
    with app.open_db() as db:
        rows = service.list_entries(db, kind=kind, tier=tier, anatomy=anatomy)
    if as_json:
        echo_json(rows)
        return
    table = Table("id", "kind", "name", "anatomy", "size", "access", "tier", "score", "published", title=f"{len(rows)} entries")
    for row in rows:
        published = row["published_tier"] if row["kind"] == "dataset" else _fmt(row["published_sonomqs"])
        table.add_row(
            str(row["id"]), row["kind"], row["name"], _fmt(row["anatomy"]), _fmt(row["total_size"]),
            _fmt(row["access"]), _fmt(row["tier"]), _fmt(row["score"]), _fmt(published),
        )
    console.print(table)


@catalogue.command("show")
@click.argument("name_or_id")
@click.option("--kind", type=click.Choice(["dataset", "model"]), help="Disambiguate a name used by both kinds.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def show_command(app: AppContext, name_or_id: str, kind: str | None, as_json: bool) -> None:
    """Show one entry: every characteristic with evidence, and its scores."""
    rubric = rubric_module.load()
    with app.open_db() as db:
        entry = service.show_entry(db, name_or_id, rubric, kind)
    if as_json:
        echo_json(entry)
        return
    console.print(f"[bold]{entry['name']}[/bold] ({entry['kind']} #{entry['id']}, {entry['provenance']})")
    table = Table("characteristic", "value", "evidence", "source", "entered by")
    for c in entry["characteristics"]:
        table.add_row(c["key"], _fmt(c["value"]), c["evidence"] or "", c["evidence_source"] or "", f"{c['entered_by']} {c['entered_at']}")
    console.print(table)
    detail = entry["score_detail"]
    label = "SonoDQS" if entry["kind"] == "dataset" else "SonoMQS"
    console.print(f"computed {label}: {_fmt(detail['score'])} {detail['tier'] or ''} ({detail['rubric']})")
    if entry["kind"] == "dataset":
        console.print(f"published tier (paper): {entry['published_tier'] or '-'}")
    else:
        console.print(f"published SonoMQS (paper): {_fmt(entry['published_sonomqs']) or '-'}")
    if entry["reference_text"]:
        console.print(f"reference [{entry['paper_refs']}]: {entry['reference_text']}")


@catalogue.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def stats_command(app: AppContext, as_json: bool) -> None:
    """Counts by kind, tier (public, computed, published), anatomy group and access."""
    with app.open_db() as db:
        stats = service.stats(db)
    if as_json:
        echo_json(stats)
    else:
        _print_stats(stats)


@catalogue.command("rescore")
@common_options
def rescore_command(app: AppContext) -> None:
    """Recompute every score with the current rubric; earlier scores are kept."""
    rubric = rubric_module.load()
    with app.open_db() as db:
        result = service.rescore(db, rubric, utcnow())
    click.echo(f"rubric {rubric.dataset.ref} / {rubric.model.ref}: {result['rescored']} scores changed, {result['unchanged']} unchanged")


@click.group(cls=SonocatGroup)
def score() -> None:
    """Score a JSON file of characteristics (what-if, nothing is stored)."""


def _score_file(kind: str, file: Path, as_json: bool, unverifiable: bool) -> None:
    rubric = rubric_module.load()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}") from exc
    values = service.load_score_input(text, kind, rubric)
    result = service.score_values(kind, values, rubric, unverifiable=unverifiable)
    if as_json:
        echo_json(result.as_dict())
        return
    label = "SonoDQS" if kind == "dataset" else "SonoMQS"
    tier = f" {result.tier}" if result.tier else ""
    click.echo(f"{label} {result.score:.4f}{tier} ({result.rubric})")
    click.echo(f"counted ({len(result.completed)}): {', '.join(result.completed) or '-'}")
    click.echo(f"missing ({len(result.missing)}): {', '.join(result.missing) or '-'}")


@score.command("dataset")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--unverifiable", is_flag=True, help="Apply the curator flag that forces 'unrated'.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def score_dataset_command(file: Path, unverifiable: bool, as_json: bool) -> None:
    """SonoDQS and tier of FILE.json (an object of characteristic key -> value)."""
    _score_file("dataset", file, as_json, unverifiable)


@score.command("model")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def score_model_command(file: Path, as_json: bool) -> None:
    """SonoMQS of FILE.json (an object of criterion key -> yes/no)."""
    _score_file("model", file, as_json, False)
