"""The worker thread: outcomes arrive on the GUI thread; nothing opened is left behind."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication

from testimony_app import errors, log
from testimony_app.ui.workers import Worker


def test_result_arrives_on_the_gui_thread(qtbot, worker: Worker) -> None:
    ran_on: list[threading.Thread] = []

    def call() -> int:
        ran_on.append(threading.current_thread())
        return 42

    job = worker.submit(call)
    received: list[tuple[int, threading.Thread]] = []
    job.finished.connect(lambda value: received.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(received))
    assert received == [(42, threading.main_thread())]
    assert ran_on[0] is not threading.main_thread()


def test_every_call_runs_on_the_same_thread(qtbot, worker: Worker) -> None:
    """A vault's SQLCipher connection must be used and closed where it was opened."""
    seen: list[int] = []
    jobs = [worker.submit(threading.get_ident) for _ in range(5)]
    for job in jobs:
        job.finished.connect(seen.append)
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert len(set(seen)) == 1


def test_testimony_errors_pass_through(qtbot, worker: Worker) -> None:
    def call() -> None:
        raise errors.WrongPassphrase()

    job = worker.submit(call)
    with qtbot.waitSignal(job.failed) as blocker:
        pass
    assert isinstance(blocker.args[0], errors.WrongPassphrase)


def test_other_errors_become_a_generic_error_without_their_text(qtbot, worker: Worker) -> None:
    ring = log.setup()

    def call() -> None:
        raise ValueError("Olena Kovalenko")  # content must not reach the screen or the log

    job = worker.submit(call)
    with qtbot.waitSignal(job.failed) as blocker:
        pass
    error = blocker.args[0]
    assert type(error) is errors.TestimonyError
    assert "Olena" not in error.message()
    assert any(line.endswith("job failed [ValueError]") for line in ring.lines())
    assert not any("Olena" in line for line in ring.lines())


def test_a_result_nobody_receives_is_discarded_on_the_worker_thread(qtbot) -> None:
    worker = Worker()
    discarded: list[tuple[object, int]] = []
    result = object()
    job = worker.submit(lambda: result,
                        discard=lambda r: discarded.append((r, threading.get_ident())))
    delivered: list[object] = []
    job.finished.connect(delivered.append)
    worker.shutdown()  # before the GUI thread had a chance to receive the result
    assert discarded and discarded[0][0] is result
    assert discarded[0][1] != threading.get_ident()
    QCoreApplication.sendPostedEvents()  # run the queued delivery: it must not deliver
    assert delivered == []
    with pytest.raises(RuntimeError):
        worker.submit(lambda: None)
