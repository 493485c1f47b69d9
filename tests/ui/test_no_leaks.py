"""No testimony text or name ever reaches the log, a settings file, or the clipboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from testimony_app import log
from tests.functional.test_kill import plaintext_files
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import press, unlock, wait_saved
from tests.ui.test_record_interview import (
    CAPTURE,
    NARRATIVE,
    OBSERVATIONS,
    PERSON,
    SIGHTINGS,
    record_everything,
    reopen,
)

SENTINEL = "clipboard before the interview"


def _content() -> list[str]:
    words = [*NARRATIVE, OBSERVATIONS, *PERSON.values(), *CAPTURE.values(), "injury.png",
             "Тестова колонія", "Тестовий Кат"]
    for sighting in SIGHTINGS:
        words += [v for v in sighting.values() if v and not v[0].isdigit()]
    return words


def test_nothing_typed_reaches_the_log_settings_or_clipboard(
        qtbot, make_window, known_vault: Path, tmp_path: Path) -> None:
    log.setup()
    log.ring.records.clear()
    clipboard = QApplication.clipboard()
    clipboard.setText(SENTINEL)
    window = make_window()
    unlock(qtbot, window)
    record_everything(qtbot, window, tmp_path)
    wait_saved(qtbot, window)
    vault = window.session.vault
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not vault.is_open, timeout=WAIT_MS)
    unlock(qtbot, window)
    reopen(qtbot, window)
    for key in ("people", "sites", "settings", "interviews"):
        window.workspace.go(key)
    window.close()

    lines = log.ring.lines()
    assert lines, "the app logged nothing at all: is the ring connected?"
    text = "\n".join(lines)
    leaked = [w for w in _content() if w in text]
    assert leaked == []
    assert clipboard.text() == SENTINEL
    # Outside the vault folder (encrypted) and the attachment we made, no file holds content:
    # preferences.json keeps folder paths only, Qt's settings are off the disk.
    outside = [p for p in plaintext_files(tmp_path, _content())
               if not p.startswith("vault/") and p != "injury.png"]
    assert outside == []
    assert plaintext_files(known_vault, _content()) == []
