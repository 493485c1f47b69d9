"""Left alone, the app locks itself: every view that showed testimony is emptied and the
vault is closed (after the pending edits were saved)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from testimony_app.services import interviews
from testimony_app.ui import autosave
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import click, new_interview, type_into, unlock, wait_saved
from tests.ui.screen_text import all_text, flush_deletions

NARRATIVE = "Вартовий на прізвисько Шульга бив нас щоранку"
SEEN = "Андрій Коваленко-Тестовий"
SITE = "Підвал на вулиці Тестовій"


def test_idle_lock_empties_every_view_and_closes_the_vault(qtbot, make_window,
                                                           known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    narrative = editor.section("narrative")
    type_into(qtbot, narrative.narrative, NARRATIVE)
    sightings = editor.section("sightings")
    click(qtbot, sightings.add_button)
    type_into(qtbot, sightings.form.fields["name_as_heard"], SEEN)
    picker = sightings.form.fields["site_id"]
    click(qtbot, picker.new_button)
    type_into(qtbot, picker.new_row.name, SITE)
    qtbot.keyClick(picker.new_row.name, Qt.Key.Key_Return)
    wait_saved(qtbot, window)
    window.workspace.go("sites")
    qtbot.waitUntil(lambda: window.workspace.sites.list.count() == 1, timeout=WAIT_MS)
    window.workspace.go("interviews")
    for text in (NARRATIVE, SEEN, SITE):
        assert text in all_text(window), text

    # One more keystroke, then nothing: the pending edit is saved before the vault closes.
    type_into(qtbot, narrative.narrative, "!")
    assert window.saver.state == autosave.SAVING
    vault = window.session.vault
    window.idle.set_timeout_ms(300)
    qtbot.waitUntil(lambda: not vault.is_open, timeout=WAIT_MS)

    assert window.session is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    assert window.state_label.full_text() == "Locked"
    flush_deletions()
    shown = all_text(window)
    for text in (NARRATIVE, SEEN, SITE):
        assert text not in shown, text

    unlock(qtbot, window)
    rows: list = []
    window.saver.run(lambda v: interviews.list_interviews(v.store), rows.append)
    qtbot.waitUntil(lambda: bool(rows), timeout=WAIT_MS)
    stored: list = []
    interview_id = rows[0][0].id
    window.saver.run(lambda v: interviews.load_interview(v.store, interview_id), stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    assert stored[0].interview.narrative == NARRATIVE + "!"
    assert [s.name_as_heard for s in stored[0].sightings] == [SEEN]


def test_input_keeps_the_vault_open(qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    window.idle.set_timeout_ms(400)
    search = window.workspace.interviews.search
    for _ in range(6):  # keep typing for longer than the timeout
        qtbot.wait(100)
        qtbot.keyClick(search, Qt.Key.Key_A)
    assert window.session is not None
    qtbot.waitUntil(lambda: window.session is None, timeout=WAIT_MS)
