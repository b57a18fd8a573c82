"""A second core for pure, CPU-bound work: run a function in a forked child while the caller goes on.

CPython runs Python code on one core at a time, and triage's entity resolution is
pure Python over 100k records. Part of it splits into independent halves (name
forms per record, catalogue look-ups per record): ``in_child(fn)`` forks, runs
``fn()`` in the child (which sees the parent's memory as it was, for free) and
sends its pickled result back through a pipe; ``Job.result()`` waits for it.

It is only an acceleration, never a requirement: ``in_child`` returns ``None`` where
forking is unsafe or pointless (no ``fork`` start method, one CPU, or other threads
running: a forked child inherits their locks in whatever state they were), and
``Job.result()`` returns ``None`` when the child failed or died (an exception in
``fn``, the OOM killer). Callers then do the work themselves, so the result is
the same either way; only the time differs.

``fn`` should return plain data (tuples, ints, strings): the result is pickled, and
named tuples and dataclasses pickle several times slower than plain tuples.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def cpus_available() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a forked helper can run here now: a fork start method, 2+ CPUs, no other thread."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and cpus_available() >= 2
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon  # daemons may not have children
    )


class Job(Generic[T]):
    """A running child; ``result()`` waits for its value (``None`` if it failed)."""

    def __init__(self, fn: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(fn, child_end), daemon=True, name="sonocat-helper")
        self._process.start()
        child_end.close()  # the parent keeps only the reading end: EOF when the child is gone

    def result(self) -> T | None:
        try:
            ok, value = self._conn.recv()
        except (EOFError, OSError):
            log.warning("helper process ended without a result (exit code %s); working on one core",
                        self._process.exitcode)
            return None
        finally:
            self._conn.close()
            self._process.join()
        if not ok:
            log.warning("helper process failed (%s); working on one core", value)
            return None
        return value


def in_child(fn: Callable[[], T]) -> Job[T] | None:
    """Start ``fn()`` in a forked child, or return ``None`` when that is unsafe or impossible here."""
    if not can_fork():
        return None
    try:
        return Job(fn)
    except OSError as exc:  # out of processes or memory: one core will do
        log.warning("could not start a helper process (%s); working on one core", exc)
        return None


def _child(fn: Callable[[], Any], conn: Connection) -> None:
    try:
        value = fn()
    except Exception as exc:  # reported to the parent, which does the work itself
        conn.send((False, f"{type(exc).__name__}: {exc}"))
    else:
        conn.send((True, value))
    finally:
        conn.close()
