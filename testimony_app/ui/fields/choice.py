"""Choices: one from a list (with type-ahead when the list is long), or several."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import _, current_language
from testimony_app.ui.fields.base import Field
from testimony_app.ui.widgets import muted_label

SEARCHABLE_FROM = 10  # a list this long gets type-ahead anywhere in the label
ID_ROLE = Qt.ItemDataRole.UserRole


def vocab_items(name: str) -> list[tuple[str, str]]:
    lang = current_language()
    return [(t.id, t.label(lang)) for t in vocabularies()[name]]


class ChoiceCombo(Field):
    """One choice from ``(id, label)`` items, or none ("—")."""

    def __init__(self, items: Sequence[tuple[str, str]] = (), parent: QWidget | None = None,
                 *, blank: str | None = "—", searchable: bool | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setMaxVisibleItems(16)
        self._blank = blank
        self._searchable = searchable if searchable is not None else len(items) >= SEARCHABLE_FROM
        if self._searchable:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = QCompleter(self.combo.model(), self.combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.combo.setCompleter(completer)
            self.combo.lineEdit().editingFinished.connect(self._settle_text)
            self.combo.lineEdit().setPlaceholderText(_("Type to search"))
        self.box.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)
        self.set_items(items)
        self.combo.currentIndexChanged.connect(self._emit)
        self.combo.currentIndexChanged.connect(lambda _i: self._show_start())

    def set_items(self, items: Sequence[tuple[str, str]]) -> None:
        current = self.value() if self.combo.count() else None
        self._loading = True
        try:
            self.combo.clear()
            if self._blank is not None:
                self.combo.addItem(self._blank, None)
            for item_id, text in items:
                self.combo.addItem(text, item_id)
            self._select(current)
        finally:
            self._loading = False

    def _select(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else (
            0 if self._blank is not None else -1)
        if index < 0 and value is not None:  # an id from newer data: shown as itself
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        if self._searchable and self._blank is not None and index == 0:
            self.combo.setEditText("")
        self._show_start()

    def _show_start(self) -> None:
        """A long name shows its beginning, not its end."""
        if self.combo.isEditable():
            self.combo.lineEdit().setCursorPosition(0)

    def _settle_text(self) -> None:
        """Typed text that names no item goes back to the chosen item."""
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if text and index >= 0:
            self.combo.setCurrentIndex(index)
        elif not text and self._blank is not None:
            self.combo.setCurrentIndex(0)
            self.combo.setEditText("")
        else:
            current = self.combo.currentIndex()
            blank = self._blank is not None and current == 0
            self.combo.setEditText("" if blank else self.combo.itemText(current))

    def _show(self, value: Any) -> None:
        self._select(value)

    def value(self) -> Any:
        return self.combo.currentData()

    def choose(self, value: Any) -> None:
        """Select as a person would (reports an edit)."""
        self.combo.setCurrentIndex(self.combo.findData(value))

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)


class VocabCombo(ChoiceCombo):
    def __init__(self, vocabulary: str, parent: QWidget | None = None, *,
                 blank: str | None = "—") -> None:
        super().__init__(vocab_items(vocabulary), parent, blank=blank)
        self.vocabulary = vocabulary


class _FilterEdit(QLineEdit):
    """Down moves into the list; Enter ticks the best match."""

    def __init__(self, owner: VocabMulti) -> None:
        super().__init__()
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down:
            self._owner.focus_list()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            self._owner.tick_first_match()
        else:
            super().keyPressEvent(event)


class VocabMulti(Field):
    """Several terms of a vocabulary, ticked in a list grouped as the vocabulary is; a long
    list gets a filter box (type part of a label in any language, Enter ticks the best match,
    Down goes to the list, Space ticks)."""

    def __init__(self, vocabulary: str, parent: QWidget | None = None,
                 *, height: int = 170) -> None:
        super().__init__(parent, vertical=True)
        self.vocabulary = vocabularies()[vocabulary]
        lang = current_language()
        self.filter = _FilterEdit(self)
        self.filter.setPlaceholderText(_("Type to find, Enter to tick"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMaximumHeight(height)
        self.list.setUniformItemSizes(True)
        self.summary = muted_label()
        self._items: dict[str, QListWidgetItem] = {}
        self._headers: dict[str, QListWidgetItem] = {}
        bold = QFont(self.list.font())
        bold.setWeight(QFont.Weight.DemiBold)
        groups = list(self.vocabulary.groups) or [None]
        for group in groups:
            if group is not None:
                header = QListWidgetItem(group.label(lang))
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setFont(bold)
                self.list.addItem(header)
                self._headers[group.id] = header
            terms = self.vocabulary.in_group(group.id) if group else self.vocabulary.terms
            for term in terms:
                item = QListWidgetItem(term.label(lang))
                item.setData(ID_ROLE, term.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.list.addItem(item)
                self._items[term.id] = item
        if len(self._items) < SEARCHABLE_FROM:
            self.filter.hide()
            self.list.setMaximumHeight(min(height, self.list.sizeHintForRow(0)
                                           * (len(self._items) + 1) + 6))
        self.box.addWidget(self.filter)
        self.box.addWidget(self.list)
        self.box.addWidget(self.summary)
        self.setFocusProxy(self.filter if self.filter.isVisibleTo(self) else self.list)
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemChanged.connect(self._item_changed)

    def focus_list(self) -> None:
        self.list.setFocus()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if not item.isHidden() and item.data(ID_ROLE):
                self.list.setCurrentItem(item)
                return

    def tick_first_match(self) -> None:
        found = self.vocabulary.search(self.filter.text(), current_language())
        if found and self.list.isEnabled():
            item = self._items[found[0].id]
            item.setCheckState(Qt.CheckState.Checked)
            self.filter.clear()

    def _apply_filter(self, text: str) -> None:
        visible = {t.id for t in self.vocabulary.search(text, current_language())}
        for term_id, item in self._items.items():
            item.setHidden(term_id not in visible)
        for group_id, header in self._headers.items():
            header.setHidden(not any(t.id in visible for t in self.vocabulary.in_group(group_id)))

    def _item_changed(self, item: QListWidgetItem) -> None:
        self._update_summary()
        if item.data(ID_ROLE):
            self._emit()

    def _update_summary(self) -> None:
        chosen = self.value()
        lang = current_language()
        self.summary.setText("; ".join(self.vocabulary.label(t, lang) for t in chosen))
        self.summary.setVisible(bool(chosen) and not self.filter.isHidden())

    def _show(self, value: Any) -> None:
        chosen = set(value or ())
        for term_id, item in self._items.items():
            item.setCheckState(Qt.CheckState.Checked if term_id in chosen
                               else Qt.CheckState.Unchecked)
        self._update_summary()

    def value(self) -> tuple[str, ...]:
        return tuple(term_id for term_id, item in self._items.items()
                     if item.checkState() == Qt.CheckState.Checked)

    def tick(self, term_id: str, checked: bool = True) -> None:
        """Tick as a person would (reports an edit)."""
        self._items[term_id].setCheckState(Qt.CheckState.Checked if checked
                                           else Qt.CheckState.Unchecked)

    def set_read_only(self, read_only: bool) -> None:
        self.list.setEnabled(not read_only)
        self.filter.setEnabled(not read_only)
