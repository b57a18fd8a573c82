"""The second-core helper: a value back when the child works, None (never an exception) when it cannot."""

from __future__ import annotations

import os
import threading

import pytest

from crawler import parallel

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork, 2+ CPUs and no other thread")


@needs_fork
def test_the_child_sees_the_parents_memory_and_returns_its_value() -> None:
    data = list(range(1000))  # not pickled on the way in: the forked child simply has it
    job = parallel.in_child(lambda: (os.getpid(), sum(data)))
    assert job is not None
    pid, total = job.result()
    assert pid != os.getpid()
    assert total == 499500


@needs_fork
def test_an_exception_in_the_child_is_a_missing_result_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    def fail() -> int:
        raise ValueError("bad input")

    job = parallel.in_child(fail)
    assert job is not None
    assert job.result() is None
    assert "ValueError: bad input" in caplog.text


@needs_fork
def test_a_child_that_dies_is_a_missing_result() -> None:
    job = parallel.in_child(lambda: os._exit(9))
    assert job is not None
    assert job.result() is None


@needs_fork
def test_a_result_that_cannot_travel_is_a_missing_result() -> None:
    job = parallel.in_child(lambda: (lambda: 1))  # a function does not pickle
    assert job is not None
    assert job.result() is None


def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not parallel.can_fork()
        assert parallel.in_child(lambda: 1) is None
    finally:
        release.set()
        worker.join()


def test_no_fork_on_one_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cpus_available", lambda: 1)
    assert parallel.in_child(lambda: 1) is None
