"""Discovery runs: every configured source, concurrently, staged page by page.

For each source a worker thread builds the client, works out the window
(``--full``, ``--since`` or the watermark less a day of overlap), and runs
every query, resuming a query from the cursor of its last staged page when an
earlier run in the same window stopped part-way. Each page is staged in one
transaction together with the query's new cursor, so a run killed at any
point (SIGKILL included) loses nothing and stages nothing twice. A source's
watermark moves only when all its queries completed.

A source that fails does not stop the others: its failure is its row in
``run_sources``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import httpx

from crawler.config import Config
from crawler.db import Database
from crawler.errors import BudgetExceeded, NotConfigured, RateLimited, SourceError, TransientError
from crawler.lock import RunLock
from crawler.models import RawRecord
from sources import registry
from sources.base import Source, SourceContext, SourceSettings

log = logging.getLogger(__name__)

OVERLAP = timedelta(days=1)  # re-read a day before the watermark: indexes lag

# What the exit status of `sonocat discover` means (documented in the README).
EXIT_OK = 0  # every source that ran succeeded (sources without credentials are skipped, not failed)
EXIT_PARTIAL = 3  # some sources failed or stopped part-way; what the others found is kept
EXIT_NOTHING = 4  # nothing ran: every source failed or was skipped
EXIT_BUSY = 75  # another run holds the lock (EX_TEMPFAIL)


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SourceReport:
    source: str
    state: str = "running"  # ok | partial | failed | skipped
    reason: str | None = None
    since: str | None = None
    requests: int = 0
    hits: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    duration: float = 0.0


@dataclass
class RunResult:
    run_id: int
    state: str  # ok | partial | nothing
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(self.state, EXIT_NOTHING)


class Reporter(Protocol):
    def source_started(self, source: str, queries: int) -> None: ...

    def progress(self, report: SourceReport, query: str, pages: int) -> None: ...

    def source_finished(self, report: SourceReport) -> None: ...


class SilentReporter:
    def source_started(self, source: str, queries: int) -> None:
        pass

    def progress(self, report: SourceReport, query: str, pages: int) -> None:
        pass

    def source_finished(self, report: SourceReport) -> None:
        pass


def content_hash(candidate: Any) -> str:
    """Hash of what triage reads: the parsed view without volatile counters (stars, downloads)."""
    view = dataclasses.asdict(candidate)
    view.pop("extra", None)
    return hashlib.sha256(json.dumps(view, sort_keys=True, default=str).encode()).hexdigest()


def query_key(kind: str, text: str) -> str:
    return f"{kind}:{text}"


@dataclass
class RunOptions:
    sources: list[str] | None = None  # None = every enabled source
    since: date | None = None
    full: bool = False
    trigger: str = "manual"
    wait: float = 0.0  # seconds to wait for the lock
    transport: httpx.BaseTransport | None = None  # tests and replay: the network
    base_urls: dict[str, str] = field(default_factory=dict)  # replay: per-source base URL
    secrets: dict[str, str] | None = None  # replay: stand-in credentials


def plan_since(
    options: RunOptions, watermark: str | None
) -> tuple[date | None, bool]:
    """The window a source crawls, and whether completing it may advance the watermark."""
    previous = date.fromisoformat(watermark[:10]) - OVERLAP if watermark else None
    if options.full:
        return None, True
    if options.since is not None:
        return options.since, previous is None or options.since <= previous
    return previous, True


class Discovery:
    """One discovery run over the configured sources."""

    def __init__(
        self,
        config: Config,
        options: RunOptions,
        reporter: Reporter | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], str] = utcnow,
    ) -> None:
        self.config = config
        self.options = options
        self.reporter = reporter or SilentReporter()
        self.sleep = sleep
        self.clock = clock
        self.now = now

    def selected(self) -> list[SourceSettings]:
        names = self.options.sources
        if names:
            registry.check_names(names)
            return [self.config.sources[n] for n in dict.fromkeys(names)]
        return [s for s in self.config.sources.values() if s.enabled]

    def run(self) -> RunResult:
        settings = self.selected()
        with RunLock(self.config.db_path, wait=self.options.wait):
            with Database.open(self.config.db_path, create=True) as db:
                db.mark_interrupted_runs(self.now())
                started = self.now()
                run_id = db.start_run(
                    started,
                    self.options.trigger,
                    {
                        "sources": [s.name for s in settings],
                        "since": self.options.since.isoformat() if self.options.since else None,
                        "full": self.options.full,
                    },
                    os.getpid(),
                )
            reports: list[SourceReport] = []
            if settings:
                with ThreadPoolExecutor(max_workers=len(settings), thread_name_prefix="source") as pool:
                    futures = [pool.submit(self._run_source, s, run_id, started) for s in settings]
                    reports = [f.result() for f in futures]
            state = overall_state(reports)
            with Database.open(self.config.db_path) as db:
                db.finish_run(run_id, state, self.now())
        return RunResult(run_id=run_id, state=state, sources=reports)

    # -- one source ----------------------------------------------------------

    def _run_source(self, settings: SourceSettings, run_id: int, run_started: str) -> SourceReport:
        report = SourceReport(source=settings.name)
        began = self.clock()
        try:
            with Database.open(self.config.db_path) as db:
                self._crawl(db, settings, run_id, run_started, report)
                report.duration = round(self.clock() - began, 3)
                db.save_run_source(self._row(run_id, report, finished=True))
        except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
            log.exception("%s: internal error", settings.name)
            report.state, report.reason = "failed", f"internal error: {type(exc).__name__}: {exc}"
            report.duration = round(self.clock() - began, 3)
            try:
                with Database.open(self.config.db_path) as db:
                    db.save_run_source(self._row(run_id, report, finished=True))
            except Exception:  # noqa: BLE001
                log.exception("%s: could not record the failure", settings.name)
        self.reporter.source_finished(report)
        return report

    def _row(self, run_id: int, report: SourceReport, *, finished: bool) -> dict[str, Any]:
        row = dataclasses.asdict(report)
        row["run_id"] = run_id
        row["finished_at" if finished else "started_at"] = self.now()
        return row

    def _context(self, db: Database, settings: SourceSettings) -> SourceContext:
        versions = db.record_versions(settings.name)
        if settings.name in self.options.base_urls:
            settings = dataclasses.replace(settings, base_url=self.options.base_urls[settings.name])
        secrets: Mapping[str, str] = self.options.secrets if self.options.secrets is not None else self.config.secrets
        return SourceContext(
            settings=settings,
            secrets=secrets,
            sleep=self.sleep,
            clock=self.clock,
            deadline=self.clock() + settings.budget_seconds,
            transport=self.options.transport,
            known_version=versions.get,
        )

    def _crawl(
        self, db: Database, settings: SourceSettings, run_id: int, run_started: str, report: SourceReport
    ) -> None:
        name = settings.name
        since, may_advance = plan_since(self.options, db.watermark(name))
        report.since = since.isoformat() if since else None
        db.save_run_source({**self._row(run_id, report, finished=False)})
        try:
            source: Source = registry.get(name).from_context(self._context(db, settings))
        except NotConfigured as exc:
            report.state, report.reason = "skipped", str(exc)
            log.warning("%s", exc)
            return
        self.reporter.source_started(name, len(settings.queries))
        window = report.since or ""
        progress = db.query_progress(name, window)
        completed = True
        try:
            for query in settings.queries:
                key = query_key(query.kind, query.text)
                done = progress.get(key)
                if done and done["done"]:
                    continue
                cursor = done["cursor"] if done else None
                pages = done["pages"] if done else 0
                try:
                    for page in source.search(query, since, cursor):
                        pages += 1
                        self._stage_page(db, source, page, key, window, run_id, pages, report)
                        self.reporter.progress(report, query.text, pages)
                        report.requests = source.requests
                    if not (progress.get(key) or {}).get("done"):
                        db.save_query_progress(name, key, window, run_id, None, pages, True, self.now())
                except (BudgetExceeded, RateLimited, TransientError) as exc:
                    report.errors += 1
                    report.reason = str(exc)
                    completed = False
                    # out of time, told to wait longer than allowed, or the host is down:
                    # the other queries would fare no better; they resume next run
                    break
                except SourceError as exc:
                    report.errors += 1
                    report.reason = str(exc)
                    completed = False
                    log.warning("%s: query %r failed: %s", name, query.text, exc)
        finally:
            report.requests = source.requests
            source.close()
        if completed:
            report.state = "ok"
            if may_advance:
                db.set_watermark(name, run_started, run_id, self.now())
            db.clear_query_progress(name)
        else:
            report.state = "partial" if report.hits else "failed"

    def _stage_page(
        self,
        db: Database,
        source: Source,
        page: Any,
        key: str,
        window: str,
        run_id: int,
        pages: int,
        report: SourceReport,
    ) -> None:
        now = self.now()
        with db.transaction():
            for raw in page.records:
                staged = self._staged(source, raw, report)
                if staged is None:
                    continue
                outcome = db.stage_record(staged, run_id, now)
                report.hits += 1
                setattr(report, outcome, getattr(report, outcome) + 1)
            db.save_query_progress(source.name, key, window, run_id, page.cursor, pages, page.cursor is None, now)

    @staticmethod
    def _staged(source: Source, raw: RawRecord, report: SourceReport) -> dict[str, Any] | None:
        record = {
            "source": raw.source,
            "native_id": raw.native_id,
            "url": raw.url,
            "source_updated_at": raw.updated_at,
            "payload": None,
            "content_hash": None,
        }
        if raw.unchanged:
            return record
        try:
            candidate = source.parse(raw)
        except SourceError as exc:
            report.errors += 1
            log.warning("%s: cannot parse %s: %s", raw.source, raw.native_id, exc)
            return None
        record["payload"] = json.dumps(raw.payload, ensure_ascii=False, sort_keys=True, default=str)
        record["content_hash"] = content_hash(candidate)
        return record


def stage_recording(config: Config, directory: Path, now: Callable[[], str] = utcnow) -> RunResult:
    """Stage a recorded corpus (``<source>.json`` lists of payloads) as one run, no network.

    Each payload becomes the raw record its source would have staged
    (``sources.offline``); counts land in ``run_sources`` like any run's.
    """
    from sources import offline, replay

    corpus = replay.load_corpus(directory)
    reports = []
    with RunLock(config.db_path), Database.open(config.db_path, create=True) as db:
        run_id = db.start_run(now(), "import", {"directory": str(directory)}, os.getpid())
        for name, payloads in sorted(corpus.items()):
            report = SourceReport(source=name, state="ok")
            builder = offline.RecordBuilder(name)
            source_cls = registry.get(name)
            with db.transaction():
                for payload in payloads:
                    staged = Discovery._staged(source_cls, builder.build(payload), report)
                    if staged is None:
                        continue
                    outcome = db.stage_record(staged, run_id, now())
                    report.hits += 1
                    setattr(report, outcome, getattr(report, outcome) + 1)
                row = dataclasses.asdict(report)
                db.save_run_source({**row, "run_id": run_id, "finished_at": now()})
            builder.close()
            reports.append(report)
        state = overall_state(reports)
        db.finish_run(run_id, state, now())
    return RunResult(run_id=run_id, state=state, sources=reports)


def overall_state(reports: list[SourceReport]) -> str:
    ran = [r for r in reports if r.state != "skipped"]
    if not ran or all(r.state == "failed" for r in ran):
        return "nothing"
    if all(r.state == "ok" for r in ran):
        return "ok"
    return "partial"


def run_discovery(config: Config, options: RunOptions, reporter: Reporter | None = None) -> RunResult:
    return Discovery(config, options, reporter).run()

