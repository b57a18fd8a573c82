"""``sonocat discover``, ``sonocat runs ...``, ``sonocat schedule`` and ``sonocat config show``."""

from __future__ import annotations

import logging
import sys
import threading
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler import runs as runs_service
from crawler.cli.common import AppContext, SonocatGroup, common_options, echo_json
from crawler.errors import BusyError, InputError
from sources import registry

console = Console()
log = logging.getLogger("sonocat.discover")


class RichReporter:
    """A live line per source on a terminal."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}
        self.lock = threading.Lock()

    def source_started(self, source: str, queries: int) -> None:
        with self.lock:
            self.tasks[source] = self.progress.add_task(source, total=None, status=f"{queries} queries")

    def progress_line(self, report: runs_service.SourceReport, extra: str) -> str:
        return f"{report.hits} hits, {report.new} new, {report.changed} changed, {report.requests} requests {extra}"

    def progress(self, report: runs_service.SourceReport, query: str, pages: int) -> None:
        with self.lock:
            task = self.tasks.get(report.source)
            if task is not None:
                self.progress.update(task, status=self.progress_line(report, f"· {query!r} page {pages}"))

    def source_finished(self, report: runs_service.SourceReport) -> None:
        with self.lock:
            task = self.tasks.get(report.source)
            if task is None:
                task = self.tasks[report.source] = self.progress.add_task(report.source, total=None)
            self.progress.update(task, status=f"{report.state}: " + self.progress_line(report, ""), total=1, completed=1)


class LogReporter:
    """Plain log lines when the output is not a terminal (cron, CI)."""

    def source_started(self, source: str, queries: int) -> None:
        click.echo(f"{source}: started, {queries} queries", err=True)

    def progress(self, report: runs_service.SourceReport, query: str, pages: int) -> None:
        click.echo(
            f"{report.source}: {query!r} page {pages}: {report.hits} hits, {report.new} new, "
            f"{report.changed} changed",
            err=True,
        )

    def source_finished(self, report: runs_service.SourceReport) -> None:
        reason = f" ({report.reason})" if report.reason else ""
        click.echo(f"{report.source}: {report.state}{reason}", err=True)


def print_summary(result: runs_service.RunResult) -> None:
    table = Table(
        "source", "state", "since", "req", "hits", "new", "chg", "same", "err", "secs",
        title=f"run {result.run_id}: {result.state}",
    )
    for r in result.sources:
        table.add_row(
            r.source, r.state, r.since or "all", str(r.requests), str(r.hits), str(r.new), str(r.changed),
            str(r.unchanged), str(r.errors), f"{r.duration:.1f}",
        )
    console.print(table)
    for r in result.sources:
        if r.reason:
            line = r.reason if r.reason.startswith(f"{r.source}:") else f"{r.source}: {r.reason}"
            console.print(line, highlight=False, soft_wrap=True, markup=False)


def _parse_since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--since must be a date YYYY-MM-DD, not {value!r}") from exc


def execute(app: AppContext, options: runs_service.RunOptions, *, quiet: bool = False) -> runs_service.RunResult:
    """Run discovery with the right reporter for this terminal; print the summary."""
    if sys.stderr.isatty() and not quiet:
        with Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description:<12}"), TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=False,
        ) as progress:
            result = runs_service.run_discovery(app.config, options, RichReporter(progress))
    else:
        result = runs_service.run_discovery(app.config, options, None if quiet else LogReporter())
    print_summary(result)
    return result


@click.command()
@click.option(
    "--source", "sources", multiple=True, metavar="NAME",
    help=f"Only this source (repeatable): {', '.join(registry.NAMES)}.",
)
@click.option("--since", metavar="YYYY-MM-DD", help="Look at items created or updated since this date (overrides the watermark).")
@click.option("--full", is_flag=True, help="Ignore watermarks: crawl everything the queries return.")
@click.option("--replay", "replay_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Serve the recorded API responses in DIR on 127.0.0.1 instead of the network "
                   "(`--replay demo` uses the bundled recording).")
@click.option("--replay-latency", type=float, default=0.0, metavar="SECONDS",
              help="With --replay: answer each request after this delay, like a real API over the network.")
@click.option("--wait", type=float, default=0.0, metavar="SECONDS", help="Wait this long for another run to finish instead of refusing.")
@click.option("--no-triage", is_flag=True, help="Only stage; do not triage the new records afterwards.")
@common_options
def discover(
    app: AppContext, sources: tuple[str, ...], since: str | None, full: bool, replay_dir: Path | None,
    replay_latency: float, wait: float, no_triage: bool,
) -> None:
    """Query every configured source and stage every hit.

    \b
    Exit status (for cron):
      0  every source that ran succeeded (sources without credentials are skipped)
      3  some sources failed or stopped part-way; what the others found is kept
      4  nothing ran: every source failed or was skipped
      75 another run holds the lock
      1  bad input, configuration or database
    """
    if since and full:
        raise InputError("--since and --full contradict each other; give one")
    registry.check_names(list(sources))
    options = runs_service.RunOptions(
        sources=list(sources) or None, since=_parse_since(since), full=full, wait=wait
    )
    try:
        if replay_dir is not None:
            from sources import replay

            with replay.serve(replay.resolve(replay_dir), latency=replay_latency) as server:
                options.trigger = "replay"
                options.full = True
                options.base_urls = server.base_urls()
                options.secrets = replay.SECRETS
                options.transport = server.scholar_transport()
                result = execute(app, options)
        else:
            result = execute(app, options)
    except BusyError as exc:
        click.echo(f"sonocat: {exc}", err=True)
        sys.exit(runs_service.EXIT_BUSY)
    if not no_triage and any(r.new or r.changed for r in result.sources):
        from crawler.cli.triage import run_and_report

        run_and_report(app)
    sys.exit(result.exit_code)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--no-triage", is_flag=True, help="Only stage; do not triage afterwards.")
@common_options
def stage(app: AppContext, directory: Path, no_triage: bool) -> None:
    """Stage a recorded corpus without any network.

    DIRECTORY holds one <source>.json per source: a list of payloads in the
    shape that source stages (see sources/<source>.py). Each becomes the raw
    record live discovery would have staged, in one run.
    """
    result = runs_service.stage_recording(app.config, directory)
    print_summary(result)
    if not no_triage:
        from crawler.cli.triage import run_and_report

        run_and_report(app)


@click.group(cls=SonocatGroup)
def runs() -> None:
    """What discovery runs did, per source."""


@runs.command("list")
@click.option("--limit", type=int, default=20, show_default=True, help="How many recent runs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def runs_list(app: AppContext, limit: int, as_json: bool) -> None:
    """Recent runs, newest first, with their totals."""
    with app.open_db() as db:
        rows = db.runs(limit)
        totals = db.run_totals()
    data = [{**row, **{k: (totals.get(row["id"]) or {}).get(k) or 0 for k in ("requests", "hits", "new", "changed", "unchanged", "errors")}} for row in rows]
    if as_json:
        echo_json(data)
        return
    table = Table("run", "started", "finished", "trigger", "state", "requests", "hits", "new", "changed", "errors")
    for row in data:
        table.add_row(
            str(row["id"]), row["started_at"], row["finished_at"] or "", row["trigger"], row["state"],
            str(row["requests"]), str(row["hits"]), str(row["new"]), str(row["changed"]), str(row["errors"]),
        )
    console.print(table)


@runs.command("show")
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def runs_show(app: AppContext, run_id: int, as_json: bool) -> None:
    """One run, per source: requests, hits, new, changed, unchanged, errors, state."""
    with app.open_db() as db:
        run = db.get_run(run_id)
        sources = db.run_sources(run_id)
    if as_json:
        echo_json({**run, "sources": sources})
        return
    console.print(f"run {run['id']} ({run['trigger']}): {run['state']}, {run['started_at']} -> {run['finished_at'] or '…'}")
    result = runs_service.RunResult(
        run_id=run["id"], state=run["state"],
        sources=[runs_service.SourceReport(**{k: s[k] for k in runs_service.SourceReport.__dataclass_fields__}) for s in sources],
    )
    print_summary(result)


@click.command()
@click.option("--once", is_flag=True, help="Run the discovery job once now, through the scheduler's locking, then exit.")
@common_options
def schedule(app: AppContext, once: bool) -> None:
    """Run discovery on the configured cron schedule, in the foreground.

    Default: nightly at 02:00 local time ([schedule] discover = "0 2 * * *").
    Missed runs are coalesced into one; a run never starts while another
    (scheduled or manual) holds the lock.
    """
    from crawler import scheduler

    scheduler.run_forever(app.config, once=once)


@click.group(cls=SonocatGroup)
def config() -> None:
    """Inspect the configuration."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default is TOML-like text).")
@common_options
def config_show(app: AppContext, as_json: bool) -> None:
    """Print the effective configuration, secrets masked."""
    data = app.config.public_dict()
    if as_json:
        echo_json(data)
        return
    import json

    click.echo(f"# configuration file: {data['config_file'] or '(none; built-in defaults)'}")
    click.echo(f'db = "{data["db"]}"')
    click.echo("\n[schedule]")
    for key, value in data["schedule"].items():
        click.echo(f"{key} = {json.dumps(value)}")
    for name, source in data["sources"].items():
        click.echo(f"\n[sources.{name}]")
        for key, value in source.items():
            if key == "queries":
                for kind in ("dataset", "model"):
                    terms = [q["text"] for q in value if q["kind"] == kind]
                    click.echo(f"{kind}_queries = {json.dumps(terms)}")
            else:
                click.echo(f"{key} = {json.dumps(value)}")
    click.echo("\n# credentials (from the environment and standard files)")
    for key, value in data["credentials"].items():
        click.echo(f"# {key} = {value}")
    if not data["credentials"]:
        click.echo("# none set")
