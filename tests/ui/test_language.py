"""The language changes in Settings, without a restart, and is remembered."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from PySide6.QtGui import QKeySequence

from testimony_app import config, i18n
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import new_interview, type_into, unlock, wait_saved


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small catalogs, so the test does not depend on how far the translators are."""
    for lang, words in (("uk", {"Interviews": "Інтерв'ю", "Settings": "Налаштування",
                                "Lock": "Заблокувати"}),
                        ("ru", {"Interviews": "Интервью", "Settings": "Настройки"})):
        catalog = Catalog(locale=lang)
        for source, target in words.items():
            catalog.add(source, target)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        folder = tmp_path / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "testimony.mo").write_bytes(buffer.getvalue())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")


def test_switching_language_relabels_everything_and_keeps_the_work(
        qtbot, make_window, known_vault: Path, catalogs) -> None:
    window = make_window()
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    type_into(qtbot, editor.section("narrative").narrative, "Текст до зміни мови")
    interview_id = editor.ctx.interview.id
    window.workspace.go("settings")
    settings = window.workspace.settings
    settings.language.setCurrentIndex(settings.language.findData("uk"))

    assert i18n.current_language() == "uk"
    assert config.Preferences.load().language == "uk"
    workspace = window.workspace
    assert workspace.current_key() == "settings"
    assert workspace.nav.item(0).text() == "Інтерв'ю"
    assert window.lock_action.text() == "Заблокувати"
    assert workspace.interviews.status.itemText(1) == "Чернетка"  # the vocabulary too
    # The open interview comes back, with what was typed (sent before the rebuild).
    qtbot.waitUntil(lambda: workspace.interviews.editor is not None, timeout=WAIT_MS)
    editor = workspace.interviews.editor
    assert editor.ctx.interview.id == interview_id
    assert editor.section("narrative").narrative.toPlainText() == "Текст до зміни мови"
    wait_saved(qtbot, window)

    window.workspace.settings.language.setCurrentIndex(
        window.workspace.settings.language.findData("ru"))
    nav = window.workspace.nav
    assert nav.item(nav.count() - 1).text() == "Настройки"
    vault_menu = window.menuBar().actions()[0].menu().actions()
    lock = [a for a in vault_menu if a.shortcut() == QKeySequence("Ctrl+L")]
    assert [a.text() for a in lock] == ["Lock"]  # untranslated


def test_the_idle_timeout_is_a_preference(qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("settings")
    window.workspace.settings.idle.setValue(25)
    assert config.Preferences.load().idle_lock_minutes == 25
    assert window.idle.timeout_ms == 25 * 60_000
