"""Click through the unlock flow with real widgets and a real vault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox

from testimony_app import config, errors
from testimony_app.ui.main_window import MainWindow
from testimony_app.vault.vault import MIN_PASSPHRASE, Vault
from tests.ui.conftest import PASSPHRASE, WAIT_MS

CODE = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}\n[A-Z2-7]{4}(-[A-Z2-7]{4}){3}")
FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){7}")


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot, box: QCheckBox) -> None:
    """Click on the indicator: a stretched checkbox ignores clicks beyond its text."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def fill_create_form(qtbot, window: MainWindow, folder: Path, passphrase: str,
                     repeat: str, name: str = "") -> None:
    page = window.create_page
    page.folder.clear()
    qtbot.keyClicks(page.folder, str(folder))
    qtbot.keyClicks(page.name, name)
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClicks(page.repeat, repeat)


def unlock(qtbot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    page = window.unlock_page
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)


def test_first_start_creates_a_vault_and_shows_the_recovery_code_once(
        qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    assert window.stack.currentWidget() is window.welcome_page
    assert window.state_label.full_text() == "Locked"

    click(qtbot, window.welcome_page.create_button)
    assert window.stack.currentWidget() is window.create_page
    folder = tmp_path / "new vault"
    fill_create_form(qtbot, window, folder, PASSPHRASE, PASSPHRASE, name="Field team")
    click(qtbot, window.create_page.create_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.recovery_page,
                    timeout=WAIT_MS)

    recovery = window.recovery_page
    code = recovery.code.text()
    assert CODE.fullmatch(code)
    assert recovery.code.textFormat() == Qt.TextFormat.PlainText
    assert code.replace("\n", "-") not in QApplication.clipboard().text()
    assert not recovery.continue_button.isEnabled()
    click(qtbot, recovery.continue_button)
    assert window.stack.currentWidget() is recovery

    tick(qtbot, recovery.written)
    assert recovery.written.isChecked()
    assert recovery.continue_button.isEnabled()
    click(qtbot, recovery.continue_button)

    assert window.stack.currentWidget() is window.workspace
    assert window.workspace.current_key() == "interviews"
    assert recovery.code.text() == ""
    session = window.session
    assert session is not None
    settings = window.workspace.settings
    fingerprint = settings.fingerprint.text()
    assert FINGERPRINT.fullmatch(fingerprint)
    assert fingerprint == session.vault.device.fingerprint
    assert settings.vault_id.text() == session.vault.header.vault_id
    assert settings.name.text() == "Field team"
    assert fingerprint in window.state_label.full_text()
    assert "Field team" in window.state_label.full_text()
    assert (folder / "vault.json").is_file()
    assert (folder / "vault.db").is_file()

    # Remembered by folder only: the vault's name lives inside the encrypted database.
    assert config.Preferences.load().last_vault == str(folder.resolve())
    assert "Field team" not in (tmp_path / "config" / "preferences.json").read_text()

    window.close()
    qtbot.waitUntil(lambda: not session.vault.is_open, timeout=WAIT_MS)
    # The code that was shown is the one that opens the vault.
    Vault.open_with_recovery_code(folder, code).close()


def test_wrong_passphrase_shows_the_error_and_stays_locked(
        qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    page = window.unlock_page
    assert window.stack.currentWidget() is page
    assert page.folder_label.full_text() == str(known_vault.resolve())

    unlock(qtbot, window, "not the passphrase at all")
    assert page.error.text() == errors.WrongPassphrase().message()
    assert page.passphrase.text() == ""
    qtbot.waitUntil(page.passphrase.hasFocus)
    assert window.session is None
    assert window.state_label.full_text() == "Locked"
    assert window.stack.currentWidget() is page

    # After a failure the next try waits, and says so.
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    click(qtbot, page.unlock_button)
    assert page.busy
    assert page.busy_row.text.text().startswith("Wait")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.workspace
    assert window.session is not None and window.session.vault.is_open
    assert window.workspace.settings.name.text() == "Field team"
    assert page.error.text() == ""


def test_ctrl_l_locks_closes_the_vault_and_clears_the_page(
        qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    session = window.session
    assert session is not None
    page = window.workspace.settings
    assert page.fingerprint.text()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: not session.vault.is_open, timeout=WAIT_MS)
    assert window.session is None
    assert window.workspace is None  # every page that showed the vault is gone
    if shiboken6.isValid(page.name):  # emptied at once, deleted when Qt gets to it
        assert [page.name.text(), page.vault_id.text(), page.fingerprint.text(),
                page.folder.full_text()] == ["", "", "", ""]
    assert window.stack.currentWidget() is window.unlock_page
    assert window.state_label.full_text() == "Locked"
    assert not window.lock_action.isEnabled()

    unlock(qtbot, window)  # and it opens again
    assert window.session is not None and window.session.vault.is_open


@pytest.mark.parametrize(("passphrase", "repeat", "expected"), [
    (PASSPHRASE, PASSPHRASE + "!", errors.PassphraseMismatch().message()),
    ("short", "short", errors.WeakPassphrase(min=MIN_PASSPHRASE).message()),
])
def test_bad_passphrases_are_refused_and_nothing_is_created(
        qtbot, make_window, tmp_path: Path, passphrase: str, repeat: str,
        expected: str) -> None:
    window = make_window()
    click(qtbot, window.welcome_page.create_button)
    folder = tmp_path / "refused"
    fill_create_form(qtbot, window, folder, passphrase, repeat)
    click(qtbot, window.create_page.create_button)

    assert window.create_page.error.text() == expected
    assert not window.create_page.busy
    assert window.stack.currentWidget() is window.create_page
    assert not folder.exists()
    assert window.session is None


def test_closing_the_window_closes_the_vault(qtbot, make_window, known_vault: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    session = window.session
    assert session is not None
    window.close()
    qtbot.waitUntil(lambda: not session.vault.is_open, timeout=WAIT_MS)
    assert window.session is None


def test_a_folder_without_a_vault_is_refused(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.open_folder(tmp_path)
    assert window.stack.currentWidget() is window.welcome_page
    assert window.welcome_page.error.text() == errors.VaultNotFound().message()


def test_opening_another_folder_offers_to_unlock_it(
        qtbot, make_window, known_vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    Vault.create(other, PASSPHRASE).vault.close()
    window = make_window()
    window.open_folder(other)
    assert window.unlock_page.folder == other
    unlock(qtbot, window)
    assert window.workspace.settings.name.text() == "(no name)"
    assert config.Preferences.load().last_vault == str(other.resolve())


def test_back_from_create_returns_to_the_unlock_page(qtbot, make_window,
                                                    known_vault: Path) -> None:
    window = make_window()
    click(qtbot, window.unlock_page.create_link)
    assert window.stack.currentWidget() is window.create_page
    click(qtbot, window.create_page.back_button)
    assert window.stack.currentWidget() is window.unlock_page


def test_the_demo_vault_opens_from_the_first_start(qtbot, make_window) -> None:
    from testimony_app.ui import main_window

    if not main_window.demo_available():
        pytest.skip("this build has no demo vault")
    window = make_window()
    assert window.welcome_page.demo_button.isVisibleTo(window.welcome_page)
    click(qtbot, window.welcome_page.demo_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=120_000)
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=WAIT_MS)
    assert config.Preferences.load().last_vault == ""  # not remembered
    session = window.session
    window.lock()
    qtbot.waitUntil(lambda: not session.vault.is_open, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.welcome_page


def test_later_starts_offer_every_known_vault(qtbot, make_window, known_vault: Path,
                                               tmp_path: Path) -> None:
    other = tmp_path / "other"
    Vault.create(other, PASSPHRASE, name="Second team").vault.close()
    prefs = config.Preferences.load()
    prefs.remember_vault(other)
    prefs.save()
    window = make_window()
    page = window.unlock_page
    assert page.folder == other.resolve()
    assert page.known.isVisibleTo(page) and page.known.count() == 2
    page.known.setCurrentIndex(page.known.findData(str(known_vault.resolve())))
    page.known.activated.emit(page.known.currentIndex())
    assert page.folder == known_vault.resolve()
    unlock(qtbot, window)
    assert window.workspace.settings.name.text() == "Field team"
