"""APScheduler wiring only: cron triggers from configuration, one job at a time.

Missed runs are coalesced into one (``coalesce=True``), a job never overlaps
itself (``max_instances=1``), and every run goes through the cross-process
lock, so a manual ``sonocat discover`` during a scheduled one is refused
clearly rather than run twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler import runs
from crawler.config import Config
from crawler.errors import BusyError, ConfigError
from crawler.recheck import recheck_job

log = logging.getLogger(__name__)

MISFIRE_GRACE = 6 * 3600  # a run missed by less than this (machine asleep) still happens, once


def trigger_for(expression: str, timezone: str | None = None) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(expression, timezone=timezone or None)
    except (ValueError, LookupError) as exc:
        raise ConfigError(f"schedule {expression!r} is not a valid cron expression: {exc}") from exc


def discovery_job(config: Config) -> None:
    """Discovery, then triage of what it staged (the nightly pipeline)."""
    try:
        result = runs.run_discovery(config, runs.RunOptions(trigger="schedule"))
        log.warning("scheduled run %s finished: %s", result.run_id, result.state)
    except BusyError as exc:
        log.warning("scheduled run skipped: %s", exc)
        return
    if any(r.new or r.changed for r in result.sources):
        from crawler import triage
        from crawler.db import Database

        with Database.open(config.db_path) as db:
            outcome = triage.run_triage(db, runs.utcnow())
        log.warning("triage: %s records judged, candidates %s", outcome.triaged, outcome.by_status)


def jobs(config: Config) -> list[tuple[str, Callable[[Config], None], CronTrigger]]:
    tz = config.schedule.get("timezone") or None
    out: list[tuple[str, Callable[[Config], None], CronTrigger]] = [
        ("discover", discovery_job, trigger_for(config.schedule["discover"], tz)),
        ("recheck", recheck_job, trigger_for(config.schedule["recheck"], tz)),
    ]
    return out


def build(config: Config) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE}
    )
    for name, func, trigger in jobs(config):
        scheduler.add_job(
            func, trigger, args=[config], id=name, name=name, replace_existing=True,
            coalesce=True, max_instances=1, misfire_grace_time=MISFIRE_GRACE,
        )
    return scheduler


def run_forever(config: Config, *, once: bool = False) -> None:
    scheduler = build(config)
    if once:
        for job in scheduler.get_jobs():
            job.func(*job.args)
        return
    for job in scheduler.get_jobs():
        log.warning("%s: next run %s", job.name, job.trigger.get_next_fire_time(None, _now(job.trigger)))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def _now(trigger: CronTrigger):  # noqa: ANN202
    from datetime import datetime

    return datetime.now(trigger.timezone)
