"""Locking after a time without keyboard or mouse.

An application-wide event filter notes the time of the last input; a timer checks it now and
then. Noting a time is cheap enough to do for every event, and the timer does not need to be
restarted on every mouse move.

The clock keeps counting while the computer sleeps: Python's ``time.monotonic`` stops during
a suspend on Linux and macOS, so a laptop closed for a night would wake up with its vault still
open. ``CLOCK_BOOTTIME`` (Linux) and ``CLOCK_MONOTONIC`` (macOS) include the time asleep;
Windows' monotonic clock already does.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.InputMethod,
})



def awake_or_asleep_clock() -> Callable[[], float]:
    """Seconds on a clock that does not stop while the computer sleeps."""
    if hasattr(time, "CLOCK_BOOTTIME"):
        return lambda: time.clock_gettime(time.CLOCK_BOOTTIME)
    if sys.platform == "darwin":
        return lambda: time.clock_gettime(time.CLOCK_MONOTONIC)
    return time.monotonic


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: int = 10, parent: QObject | None = None, *,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or awake_or_asleep_clock()
        self._timeout = minutes * 60_000
        self._last = self._clock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._active = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(max(1, minutes) * 60_000)

    def set_timeout_ms(self, ms: int) -> None:
        """Minutes in the app; milliseconds in tests."""
        self._timeout = ms
        if self._active:
            self.start()

    @property
    def timeout_ms(self) -> int:
        return self._timeout

    def start(self) -> None:
        self._active = True
        self._last = self._clock()
        self._timer.start(max(20, min(self._timeout // 4, 5_000)))

    def stop(self) -> None:
        self._active = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT:
            self._last = self._clock()
        return False

    def _check(self) -> None:
        if self._active and (self._clock() - self._last) * 1000 >= self._timeout:
            self.stop()
            self.idle.emit()
