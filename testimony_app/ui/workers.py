"""Running blocking calls off the GUI thread and getting the outcome back on it.

A ``Worker`` owns one thread and runs every submitted call there, in order. One thread, not
a pool, because a vault's SQLCipher connection may only be used, and closed, by the thread
that opened it: a vault opened on a pool thread could neither be read nor really closed from
anywhere else. Long jobs that open their own connection (``Vault.connect()``) may later get a
pool; the vault's own open/read/close stay here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from testimony_app import errors, log

logger = log.get("ui.workers")


class Job(QObject):
    """One call's outcome: ``finished(result)`` or ``failed(TestimonyError)``, on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)
    _outcome = Signal(bool, object)

    def __init__(self, fn: Callable[[], Any], discard: Callable[[Any], None] | None,
                 done: Callable[[Job], None], parent: QObject) -> None:
        super().__init__(parent)
        self._fn = fn
        self._discard = discard
        self._done = done
        self._lock = threading.Lock()
        self._pending: Any = None
        self._abandoned = False
        # Explicitly queued: whatever the receivers are, they run on the GUI thread.
        self._outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self) -> None:
        """Called on the worker thread."""
        try:
            result = self._fn()
        except errors.TestimonyError as exc:
            self._outcome.emit(False, exc)
            return
        except Exception as exc:  # anything else reaches the person as a generic error
            logger.warning("job failed", exc_info=exc)  # the log keeps the type only
            self._outcome.emit(False, errors.TestimonyError())
            return
        with self._lock:
            self._pending = result
        self._outcome.emit(True, result)

    def abandon(self) -> None:
        """Called on the worker thread at shutdown: clean up a result nobody will receive."""
        with self._lock:
            self._abandoned = True
            result, self._pending = self._pending, None
        if result is not None and self._discard is not None:
            try:
                self._discard(result)
            except Exception as exc:  # shutting down: log the type, go on with the others
                logger.warning("discarding a result failed", exc_info=exc)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: Any) -> None:
        with self._lock:
            if self._abandoned:
                return
            self._pending = None
        self._done(self)
        (self.finished if ok else self.failed).emit(value)
        self.deleteLater()


class _Executor(QObject):
    """Lives on the worker thread; runs what it is handed, one call at a time."""

    @Slot(object)
    def execute(self, call: Callable[[], None]) -> None:
        call()


class Worker(QObject):
    """One background thread for the vault. Build it once (in ``app.main``) and share it."""

    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("testimony-vault")
        self._executor = _Executor()
        self._executor.moveToThread(self._thread)
        self._submit.connect(self._executor.execute, Qt.ConnectionType.QueuedConnection)
        self._jobs: set[Job] = set()
        self._jobs_lock = threading.Lock()
        self._stopped = False
        self._thread.start()

    def submit(self, fn: Callable[[], Any], *,
               discard: Callable[[Any], None] | None = None) -> Job:
        """Run ``fn`` on the worker thread. ``discard(result)`` runs there too if the result
        arrives after ``shutdown()`` (for example: close a vault nobody will receive)."""
        if self._stopped:
            raise RuntimeError("worker is shut down")
        job = Job(fn, discard, self._forget, self)
        with self._jobs_lock:
            self._jobs.add(job)
        self._submit.emit(job.run)
        return job

    def _forget(self, job: Job) -> None:
        with self._jobs_lock:
            self._jobs.discard(job)

    def shutdown(self) -> None:
        """Finish every call already submitted, discard undelivered results, stop the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._submit.emit(self._last_call)
        self._thread.wait()

    def _last_call(self) -> None:
        with self._jobs_lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.abandon()
        QThread.currentThread().quit()


class Progress:
    """Where a long job is, ``(done, total, stage)``: written by the job's thread through
    ``__call__`` (the services' ``progress`` callback), read by a GUI timer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: tuple[int, int, str] = (0, 0, "")

    def __call__(self, done: int, total: int, stage: str) -> None:
        with self._lock:
            self._value = (done, total, stage)

    def read(self) -> tuple[int, int, str]:
        with self._lock:
            return self._value
