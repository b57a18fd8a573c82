"""The second-core helper: a value back when the child works, None (never an exception) when it cannot."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import pytest

from crawler import parallel

FORKABLE = "fork" in multiprocessing.get_all_start_methods() and parallel.cpus_available() >= 2


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> None:
    if not FORKABLE:
        pytest.skip("needs fork and 2+ CPUs")
    # threads other tests left behind (idle test servers) would make can_fork say no
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


needs_fork = pytest.mark.usefixtures("forkable")


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


@needs_fork
def test_a_generator_child_holds_a_conversation() -> None:
    def helper():
        yield "ready"
        work = sum(range(100))  # between sending and receiving the child goes on working
        message = yield parallel.RECEIVE
        yield (message, work)

    job = parallel.in_child(helper)
    assert job is not None
    with job:
        assert job.result() == "ready"
        job.send(21)
        assert job.result() == (21, 4950)
        assert job.result() is None  # the generator ended: no more answers


@needs_fork
def test_closing_a_conversation_ends_a_waiting_child() -> None:
    def helper():
        yield os.getpid()
        yield parallel.RECEIVE  # waits for a message that never comes
        yield "never"

    job = parallel.in_child(helper)
    assert job is not None
    pid = job.result()
    job.close()  # the child sees EOF and exits, without noise
    assert not job._process.is_alive()
    assert job._process.exitcode == 0
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@needs_fork
def test_a_child_failing_mid_conversation_is_a_missing_result(caplog: pytest.LogCaptureFixture) -> None:
    def helper():
        yield 1
        message = yield parallel.RECEIVE
        raise RuntimeError(f"cannot use {message}")

    with parallel.in_child(helper) as job:
        assert job.result() == 1
        job.send("this")
        assert job.result() is None
        job.send("more")  # a gone child is not an error for the parent
        assert job.result() is None
    assert "RuntimeError: cannot use this" in caplog.text


@needs_fork
def test_large_messages_both_ways_do_not_deadlock() -> None:
    # a pipe buffers ~200 kB: a parent blocked writing to a child blocked writing would hang
    big = b"x" * 5_000_000

    def helper():
        yield big  # the child writes 5 MB before it reads ...
        first = yield parallel.RECEIVE
        second = yield parallel.RECEIVE
        yield len(first) + len(second)

    def hung(*_: object) -> None:
        raise TimeoutError("parent and helper both blocked writing")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # a deadlock fails the test instead of hanging the suite
    try:
        with parallel.in_child(helper) as job:
            job.send(big)  # ... and the parent writes 5 MB twice before it reads
            job.send(big)
            assert job.result() == big
            assert job.result() == 2 * len(big)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
