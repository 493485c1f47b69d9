"""How the editor behaves: partial dates, drafts held until complete, undo after a save,
locked interviews, keyboard movement between sections."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from testimony_app import i18n
from testimony_app.domain.detention import Sighting
from testimony_app.services import interviews
from testimony_app.ui import autosave, dialogs
from testimony_app.ui.editor.editor import KEYS
from testimony_app.ui.fields import PartialDateEdit
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import choose, click, key_clicks, new_interview, type_into, unlock, wait_saved


def test_the_date_field_says_how_it_understood_the_input(qtbot) -> None:
    field = PartialDateEdit()
    qtbot.addWidget(field)
    edits: list[None] = []
    field.edited.connect(lambda: edits.append(None))
    for typed, edtf, words in (("2023", "2023", "2023"), ("2023-05", "2023-05", "May 2023"),
                               ("14.05.2023", "2023-05-14", "14 May 2023"),
                               ("~2023-05", "2023-05~", "about May 2023"),
                               ("2023?", "2023?", "2023 (uncertain)")):
        field.editor.clear()
        key_clicks(field.editor, typed)
        assert field.valid() and field.value().edtf == edtf, typed
        assert field.understood.text() == words
        assert field.editor.text() == typed  # kept as typed: undo works
    count = len(edits)
    field.editor.clear()
    key_clicks(field.editor, "весна")
    assert not field.valid() and field.value() is None
    assert field.problem.isVisibleTo(field) and field.problem.text()
    assert len(edits) == count + 1  # the clear was an edit (no date); the bad text is not
    field.editor.clear()
    assert field.valid() and field.value() is None


def test_the_date_field_speaks_the_interface_language(qtbot) -> None:
    i18n.set_language("uk")
    field = PartialDateEdit()
    qtbot.addWidget(field)
    key_clicks(field.editor, "~05.2023")
    assert field.understood.text() == "близько травня 2023"


def test_a_sighting_waits_for_its_name_and_then_saves(qtbot, make_window,
                                                      known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    section = editor.section("sightings")
    click(qtbot, section.add_button)
    type_into(qtbot, section.form.fields["call_sign"], "Сокіл")
    qtbot.waitUntil(lambda: window.saver.state == autosave.HELD, timeout=WAIT_MS)
    assert "Name, exactly as heard" in window.status.save_label.text()
    type_into(qtbot, section.form.fields["name_as_heard"], "Сашко")
    wait_saved(qtbot, window)
    stored: list = []
    interview_id = editor.ctx.interview.id
    window.saver.run(lambda v: v.store.list(Sighting, interview_id=interview_id),
                     stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    assert [(s.name_as_heard, s.call_sign) for s in stored[0]] == [("Сашко", "Сокіл")]


def test_undo_works_after_the_text_was_saved(qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    text = editor.section("narrative").narrative
    type_into(qtbot, text, "Перше речення.")
    wait_saved(qtbot, window)
    key_clicks(text, " Друге")
    wait_saved(qtbot, window)
    assert text.document().isUndoAvailable()  # saving did not reset the editor
    qtbot.keyClick(text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = text.toPlainText()
    assert undone != "Перше речення. Друге" and "Перше речення. Друге".startswith(undone)
    qtbot.keyClick(text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert text.toPlainText() == "Перше речення. Друге"
    wait_saved(qtbot, window)


def test_sections_by_keyboard_and_every_field_by_tab(qtbot, make_window,
                                                     known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    editor.nav.setFocus()
    for expected in KEYS[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown,
                       Qt.KeyboardModifier.ControlModifier)
        assert editor.current_section().key == expected
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    section = editor.current_section()
    assert section.key == "interview"
    # Tab from the first field reaches every field of the form, in order.
    fields = list(section.form.fields.values())
    fields[0].setFocus()
    reached = []
    for _ in range(80):
        focus = QApplication.focusWidget()
        owner = next((f for f in fields if f is focus or f.isAncestorOf(focus)), None)
        if owner is not None and owner not in reached:
            reached.append(owner)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    assert reached == fields


def test_a_locked_interview_is_read_only(qtbot, make_window, known_vault: Path,
                                        monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    form = editor.section("interview").form
    type_into(qtbot, form.fields["reference"], "L-1")
    choose(qtbot, form.fields["status"], "locked")
    wait_saved(qtbot, window)
    assert form.fields["reference"].editor.isReadOnly()
    assert not editor.section("sightings").add_button.isEnabled()
    assert editor.section("narrative").narrative.isReadOnly()
    rows: list = []
    window.saver.run(lambda v: interviews.list_interviews(v.store), rows.append)
    qtbot.waitUntil(lambda: bool(rows), timeout=WAIT_MS)
    assert rows[0][0].status == "locked"


def test_cancelling_an_attachment_leaves_nothing_behind(qtbot, make_window, known_vault: Path,
                                                        tmp_path: Path) -> None:
    big = tmp_path / "recording.wav"
    with big.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: quick to make, slow enough to encrypt
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    section = editor.section("attachments")
    section.add_files([big])
    assert section.busy and section.cancel_button.isVisible()
    qtbot.waitUntil(lambda: section.progress.maximum() == 1000, timeout=WAIT_MS)  # progress
    click(qtbot, section.cancel_button)
    qtbot.waitUntil(lambda: not section.busy, timeout=WAIT_MS)
    assert section.count() == 0 and section.error.text() == ""
    assert [p for p in (known_vault / "blobs").iterdir()] == []
