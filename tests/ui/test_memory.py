"""Closing an editor and locking drop the testimony objects they held at once, even though
the collector's generations were frozen while they were open."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from testimony_app.ui import memory
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import new_interview, type_into, unlock, wait_saved


class Marker:
    """Stands for testimony held in a reference cycle (as widgets and closures make)."""

    def __init__(self) -> None:
        self.cycle = self


def test_garbage_frozen_with_an_open_editor_goes_when_it_closes_and_at_lock(
        qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    type_into(qtbot, editor.section("narrative").narrative, "Нас тримали в підвалі")
    wait_saved(qtbot, window)
    held = Marker()
    gone = weakref.ref(held)
    del held
    memory.settle()  # frozen: no collection will find it until released
    gc.collect()
    assert gone() is not None
    frozen = gc.get_freeze_count()
    assert frozen > 0

    window.workspace.interviews.show_list()  # closing the editor releases
    qtbot.waitUntil(lambda: gone() is None, timeout=WAIT_MS)

    cycle = Marker()
    gone = weakref.ref(cycle)
    del cycle
    memory.settle()
    window.lock()
    qtbot.waitUntil(lambda: gone() is None, timeout=WAIT_MS)
    assert gc.get_freeze_count() > 0  # what is left is frozen again
