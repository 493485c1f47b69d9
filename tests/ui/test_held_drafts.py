"""A record started on screen that the vault cannot store yet (a co-detainee whose name as
heard is not typed yet) survives a lock: it is held in the encrypted store and comes back when
the interview is opened again, then saves like any record once complete."""

from __future__ import annotations

from pathlib import Path

from testimony_app.domain.detention import Sighting
from testimony_app.ui import autosave
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import click, new_interview, type_into, unlock, wait_saved


def on_vault(qtbot, window, fn):
    got: list = []
    window.saver.run(fn, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    return got[0]


def held_rows(qtbot, window) -> list[tuple[str, str]]:
    return on_vault(qtbot, window, lambda v: v.conn.execute(
        "SELECT entity, record FROM held_draft").fetchall())


def reopen(qtbot, window, interview_id: str):
    window.lock()
    unlock(qtbot, window)
    window.workspace.interviews.open_interview(interview_id)
    qtbot.waitUntil(lambda: window.workspace.interviews.editor is not None, timeout=WAIT_MS)
    return window.workspace.interviews.editor


def new_sighting(qtbot, window):
    """A new interview with a new, empty sighting on screen: (interview id, section)."""
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    section = editor.section("sightings")
    click(qtbot, section.add_button)
    return editor.ctx.interview.id, section


def test_an_incomplete_sighting_survives_a_lock_and_saves_once_named(
        qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    interview_id, section = new_sighting(qtbot, window)
    type_into(qtbot, section.form.fields["call_sign"], "Сокіл")
    type_into(qtbot, section.form.fields["self_reported_details"], "казав, що з Ізюма")
    qtbot.waitUntil(lambda: window.saver.state == autosave.HELD, timeout=WAIT_MS)

    editor = reopen(qtbot, window, interview_id)
    section = editor.section("sightings")
    assert section.count() == 1
    section.select(editor.ctx.records(Sighting)[0].id)
    assert section.form.value("call_sign") == "Сокіл"
    assert section.form.value("self_reported_details") == "казав, що з Ізюма"
    assert window.saver.state == autosave.HELD  # still not stored, and the bar says so
    [(entity, text)] = held_rows(qtbot, window)
    assert entity == "sighting" and "Сокіл" in text

    type_into(qtbot, section.form.fields["name_as_heard"], "Сашко")
    wait_saved(qtbot, window)
    assert held_rows(qtbot, window) == []
    stored = on_vault(qtbot, window, lambda v: v.store.list(Sighting, interview_id=interview_id))
    assert [(s.name_as_heard, s.call_sign, s.self_reported_details) for s in stored] == [
        ("Сашко", "Сокіл", "казав, що з Ізюма")]

    # Stored now: another lock holds nothing and shows the sighting once.
    editor = reopen(qtbot, window, interview_id)
    assert editor.section("sightings").count() == 1 and held_rows(qtbot, window) == []


def test_a_held_draft_deleted_on_screen_is_gone_from_the_vault(
        qtbot, make_window, known_vault: Path, monkeypatch) -> None:
    from testimony_app.ui import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    window = make_window()
    interview_id, section = new_sighting(qtbot, window)
    type_into(qtbot, section.form.fields["call_sign"], "Тінь")
    qtbot.waitUntil(lambda: window.saver.state == autosave.HELD, timeout=WAIT_MS)
    editor = reopen(qtbot, window, interview_id)
    section = editor.section("sightings")
    assert len(held_rows(qtbot, window)) == 1
    section.select(editor.ctx.records(Sighting)[0].id)
    section.delete_current()
    qtbot.waitUntil(lambda: section.count() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: held_rows(qtbot, window) == [], timeout=WAIT_MS)
    editor = reopen(qtbot, window, interview_id)
    assert editor.section("sightings").count() == 0


def test_emptying_a_stored_name_keeps_the_old_name_and_the_rest_typed_after_a_lock(
        qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    interview_id, section = new_sighting(qtbot, window)
    type_into(qtbot, section.form.fields["name_as_heard"], "Олег")
    wait_saved(qtbot, window)
    section.form.fields["name_as_heard"].editor.clear()
    type_into(qtbot, section.form.fields["call_sign"], "Вітер")
    qtbot.waitUntil(lambda: window.saver.state == autosave.HELD, timeout=WAIT_MS)

    reopen(qtbot, window, interview_id)
    stored = on_vault(qtbot, window, lambda v: v.store.list(Sighting, interview_id=interview_id))
    assert [(s.name_as_heard, s.call_sign) for s in stored] == [("Олег", "Вітер")]
    assert held_rows(qtbot, window) == []
