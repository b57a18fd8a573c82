"""A second core for pure, CPU-bound work: run a function in a forked child while the caller goes on.

CPython runs Python code on one core at a time, and triage's entity resolution is
pure Python over 100k records. Much of it splits into independent shares (name
forms per record, catalogue look-ups per record): ``in_child(fn)`` forks, runs
``fn()`` in the child (which sees the parent's memory as it was, for free) and
sends its pickled result back through a pipe; ``Job.result()`` waits for it.

When ``fn`` is a generator function the child holds a conversation instead: each
value it yields is one ``result()`` for the parent, and ``message = yield RECEIVE``
waits for the parent's next ``send(message)`` (so the child can work between
sending and receiving). One helper can so serve several phases without a
second fork (every fork write-protects the parent's whole heap: each page the
parent then writes costs a fault and a copy, a measurable share of a 100k run).

It is only an acceleration, never a requirement: ``in_child`` returns ``None`` where
forking is unsafe or pointless (no ``fork`` start method, one CPU, or other threads
running: a forked child inherits their locks in whatever state they were), and
``result()`` returns ``None`` when the child failed or died (an exception in
``fn``, the OOM killer). Callers then do the work themselves, so the outcome is
the same either way; only the time differs.

Results are pickled: plain tuples, ints and strings travel fastest. A named tuple
unpickles through its Python-level ``__new__`` unless it defines a ``__reduce__``
(see ``crawler.dedupe.NameForm``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

log = logging.getLogger(__name__)

RECEIVE = object()  # yielded by a helper generator: "wait for the parent's next message"
_STOP = object()  # ends a writer thread


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


class _Writer:
    """Writes pickled messages to a connection from a background thread, in order.

    A pipe holds only so much: a large message waits until the other side reads it, and a
    side busy writing a large message of its own would never read. The message is pickled
    in the caller's thread (pickling needs the interpreter; writing does not), then the
    thread writes the bytes while the caller goes on."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def put(self, message: Any) -> None:
        data = ForkingPickler.dumps(message)  # what Connection.recv() unpickles
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sonocat-helper-write", daemon=True)
            self._thread.start()
        self._queue.put(data)

    def _run(self) -> None:
        while (data := self._queue.get()) is not _STOP:
            try:
                self._conn.send_bytes(data)
            except OSError:  # the other side is gone: its reader reports it
                return

    def close(self) -> None:
        """Wait until everything queued is written (or the other side is gone)."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None


class Job:
    """A running child: ``result()`` waits for its next value (``None`` once it failed or ended),
    ``send()`` answers a generator's ``yield``; ``close()`` ends it (``with`` does too)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=True)
        self._process = context.Process(
            target=_child, args=(fn, child_end, self._conn), daemon=True, name="sonocat-helper"
        )
        self._process.start()
        child_end.close()  # the parent keeps only its end: EOF when the child is gone
        self._alive = True
        self._writer = _Writer(self._conn)

    def result(self) -> Any | None:
        if not self._alive:
            return None
        try:
            ok, value = self._conn.recv()
        except (EOFError, OSError):
            self._alive = False
            self._process.join()
            log.warning("helper process ended without a result (exit code %s); working on one core",
                        self._process.exitcode)
            return None
        if not ok:
            self._alive = False
            log.warning("helper process failed (%s); working on one core", value)
            return None
        return value

    def send(self, message: Any) -> None:
        """Send the child a message (what its next ``yield RECEIVE`` returns) without waiting for
        the child to read it. A child that is gone gets nothing."""
        if self._alive:
            self._writer.put(message)

    def close(self) -> None:
        """End the conversation: the child sees EOF and exits; waits for it."""
        self._alive = False
        self._conn.close()
        self._process.join(timeout=10)
        if self._process.is_alive():  # stuck in pure code should not happen; never leave it behind
            self._process.kill()
            self._process.join()
        self._writer.close()  # a write in progress ends with the child, at the latest

    def __enter__(self) -> Job:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def in_child(fn: Callable[[], Any]) -> Job | None:
    """Start ``fn()`` in a forked child, or return ``None`` when that is unsafe or impossible here."""
    if not can_fork():
        return None
    try:
        return Job(fn)
    except OSError as exc:  # out of processes or memory: one core will do
        log.warning("could not start a helper process (%s); working on one core", exc)
        return None


def _child(fn: Callable[[], Any], conn: Connection, parent_end: Connection) -> None:
    parent_end.close()  # inherited by the fork: kept open, the parent closing its end would not be EOF here
    writer = _Writer(conn)  # the child goes on (to read the parent's messages) while its results are written
    try:
        value = fn()
        if isinstance(value, Generator):
            _converse(value, conn, writer)
        else:
            writer.put((True, value))
    except (EOFError, BrokenPipeError):  # the parent closed the conversation: nothing more is wanted
        pass
    except Exception as exc:  # reported to the parent, which does the work itself
        writer.put((False, f"{type(exc).__name__}: {exc}"))
    finally:
        writer.close()
        conn.close()


def _converse(gen: Generator[Any, Any, Any], conn: Connection, writer: _Writer) -> None:
    message = None
    while True:
        try:
            out = gen.send(message)
        except StopIteration:
            return
        if out is RECEIVE:
            message = conn.recv()
        else:
            writer.put((True, out))
            message = None
