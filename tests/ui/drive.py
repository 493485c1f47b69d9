"""Driving real widgets as a person would: typing, choosing, ticking, waiting for "Saved"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from testimony_app.ui import autosave
from testimony_app.ui.editor.editor import InterviewEditor
from testimony_app.ui.fields import ChoiceCombo, Field, VocabMulti
from testimony_app.ui.main_window import MainWindow
from tests.ui.conftest import PASSPHRASE, WAIT_MS


def unlock(qtbot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    page = window.unlock_page
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None or bool(page.error.text()),
                    timeout=WAIT_MS)


def new_interview(qtbot, window: MainWindow) -> InterviewEditor:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace.interviews.editor is not None, timeout=WAIT_MS)
    return window.workspace.interviews.editor


def key_clicks(widget: QWidget, text: str, *, space_key: bool = True) -> None:
    """Type ``text`` key by key. QTest's keyClicks only knows ASCII; Cyrillic is sent as key
    events carrying their text, as a keyboard layout sends them. ``space_key=False`` sends a
    space as text only (a closed combo box opens its list on the Space key)."""
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else (
            Qt.Key.Key_Space if char == " " and space_key else Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     char))
    QApplication.processEvents()


def type_into(qtbot, field: Field | QWidget, text: str) -> None:
    editor = getattr(field, "editor", field)
    editor.setFocus()
    key_clicks(editor, text)


def choose(qtbot, field: ChoiceCombo, term_id: str) -> None:
    """Pick an item: type-ahead and Enter in a long list, a click in the open list of a short
    one."""
    combo = field.combo
    index = combo.findData(term_id)
    assert index >= 0, term_id
    label = combo.itemText(index)
    combo.setFocus()
    if combo.isEditable():
        combo.lineEdit().selectAll()
        key_clicks(combo.lineEdit(), label)
        popup = combo.completer().popup()
        if popup.isVisible():
            popup.hide()
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    else:  # open the list and click the item
        combo.showPopup()
        view = combo.view()
        qtbot.waitUntil(view.isVisible)
        model_index = combo.model().index(index, 0)
        view.scrollTo(model_index)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(model_index).center())
        qtbot.waitUntil(lambda: not view.isVisible())
        window = combo.window()  # offscreen, the closed list keeps the activation: give it back
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        combo.setFocus()
    assert combo.currentData() == term_id, (term_id, combo.currentText())


def tick(qtbot, field: VocabMulti, term_id: str) -> None:
    """Type part of the label in the filter and press Enter; or Space on a short list."""
    label = field.vocabulary.term(term_id).label(_lang())
    if field.filter.isVisible():
        field.filter.setFocus()
        key_clicks(field.filter, label)
        qtbot.keyClick(field.filter, Qt.Key.Key_Return)
    else:
        press_space_on(qtbot, field.list, term_id)
    assert term_id in field.value(), term_id


def press_space_on(qtbot, widget: QListWidget, item_id: str) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == item_id:
            widget.setFocus()
            widget.setCurrentItem(item)
            qtbot.keyClick(widget, Qt.Key.Key_Space)
            return
    raise AssertionError(item_id)


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_saved(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.saver is not None and window.saver.state == autosave.SAVED
                    and not window.saver.busy, timeout=WAIT_MS)
    assert window.status.save_label.text()


def _lang() -> str:
    from testimony_app.i18n import current_language

    return current_language()


def process() -> None:
    QApplication.processEvents()


def press(qtbot, window: QWidget, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, in an active window (shortcuts need both)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
