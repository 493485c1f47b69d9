"""Short garbage-collector pauses while someone types, and no testimony left behind a lock.

A full (generation 2) collection walks every object the process holds. With Qt's wrappers,
the vocabularies and an open interview that takes 30-40 ms, and it runs in whichever thread
happens to trigger it: on the GUI thread the window freezes mid-word; on the vault thread the
GUI waits for the GIL just as long. So what the app holds for a while (the workspace once it
is built, an editor once it is open) is moved out of the collector's way with ``gc.freeze``.

Frozen objects are never collected, so whatever is dropped goes through :func:`release`:
locking and closing an editor unfreeze, collect (cyclic garbage that held testimony goes now,
not at some later collection) and freeze what is left. Both run a moment later, from the
event loop, after Qt has deleted the widgets (``deleteLater``) and so released their wrappers.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QTimer

DELAY_MS = 250


def settle() -> None:
    """Freeze everything there is now, until the next :func:`release` (no collection: it is
    quick, so it never becomes the pause it is meant to prevent)."""
    gc.freeze()


def release() -> None:
    """Unfreeze, collect what is garbage (a pause, at a lock or an editor closing), freeze
    the rest again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def settle_soon() -> None:
    QTimer.singleShot(DELAY_MS, settle)


def release_soon() -> None:
    QTimer.singleShot(DELAY_MS, release)
