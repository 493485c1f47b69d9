"""How long-running use cases report progress and learn they were cancelled."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]  # done, total, short text (never content)
Cancel = Callable[[], bool]


def no_progress(done: int, total: int, text: str) -> None:
    """A progress callback that ignores everything."""


def never_cancel() -> bool:
    return False
