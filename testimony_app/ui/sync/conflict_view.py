"""One conflict: our version and the incoming one side by side, field by field."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from testimony_app.domain import codec, date_words
from testimony_app.domain.base import SYSTEM_FIELDS, Record
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import _, current_language
from testimony_app.sync import conflicts
from testimony_app.sync.conflicts import Conflict
from testimony_app.ui import labels
from testimony_app.ui.widgets import muted_label

DIFFERENT = QColor("#fff1c2")

def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_text(record: Record, name: str) -> str:
    """A field's value as a coordinator reads it: list terms by their labels, dates in words
    (with the date as typed), links by a short id; anything else as stored."""
    spec = codec.spec(type(record), name)
    value = getattr(record, name)
    if value is None or value == "" or value == ():
        return ""
    lang = current_language()
    if spec.vocab:
        vocabulary = vocabularies()[spec.vocab]
        terms = value if isinstance(value, tuple) else (value,)
        return ", ".join(vocabulary.label(t, lang) for t in terms)
    if isinstance(value, PartialDate):
        words = date_words.describe(value, lang)
        return f"{words} ({value.edtf})" if words and words != value.edtf else value.edtf
    if spec.ref:
        return f"{value[:8]}…"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return value_text(codec.to_dict(record).get(name))


class ConflictView(QWidget):
    """Emits ``resolve(conflict_id, choice, fields)``; the page runs it on the vault thread."""

    resolve = Signal(str, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict: Conflict | None = None
        self.hint = muted_label(_("Differing fields are highlighted. Tick fields in the "
                                  "“Theirs” column to merge them into ours."))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Field"), _("Ours (this vault)"),
                                              _("Theirs (from the bundle)")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(260)
        self.show_all = QCheckBox(_("Show the fields that are the same"))
        self.show_all.toggled.connect(self._show_rows)
        self.keep_button = QPushButton(_("Keep ours"))
        self.take_button = QPushButton(_("Take theirs"))
        self.merge_button = QPushButton(_("Merge ticked fields"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.merge_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.hint)
        column.addWidget(self.show_all)
        column.addWidget(self.table)
        column.addLayout(buttons)
        self.keep_button.clicked.connect(lambda: self._emit(conflicts.KEEP_LOCAL))
        self.take_button.clicked.connect(lambda: self._emit(conflicts.TAKE_INCOMING))
        self.merge_button.clicked.connect(lambda: self._emit(conflicts.MERGED))
        self.table.itemChanged.connect(lambda _item: self._enable())
        self.show_conflict(None)

    def show_conflict(self, conflict: Conflict | None) -> None:
        self.conflict = conflict
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._incoming: dict[str, Any] = {}
        self._differing: list[str] = []
        if conflict is not None:
            ours, theirs = codec.to_dict(conflict.local), codec.to_dict(conflict.incoming)
            self._incoming = theirs
            names = [n for n in ours if n not in SYSTEM_FIELDS and n != "entity"]
            names += [n for n in theirs if n not in ours and n not in SYSTEM_FIELDS
                      and n != "entity"]
            names.sort(key=lambda n: ours.get(n) == theirs.get(n))  # differing ones first
            for name in names:
                row = self.table.rowCount()
                self.table.insertRow(row)
                differs = ours.get(name) != theirs.get(name)
                if differs:
                    self._differing.append(name)
                field = QTableWidgetItem(labels.label(conflict.entity, name))
                field.setData(Qt.ItemDataRole.UserRole, name)
                cells = [field, QTableWidgetItem(field_text(conflict.local, name)),
                         QTableWidgetItem(field_text(conflict.incoming, name))]
                for column, item in enumerate(cells):
                    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                    if differs:
                        item.setBackground(QBrush(DIFFERENT))
                        item.setForeground(QBrush(QColor("#1a1a1a")))
                    self.table.setItem(row, column, item)
                if differs:
                    cells[2].setFlags(cells[2].flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    cells[2].setCheckState(Qt.CheckState.Unchecked)
            self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self._show_rows()
        self._enable()

    def _show_rows(self) -> None:
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            self.table.setRowHidden(r, not self.show_all.isChecked()
                                    and name not in self._differing)

    def differing_fields(self) -> list[str]:
        return list(self._differing)

    def ticked(self) -> dict[str, Any]:
        out = {}
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            if (name in self._differing
                    and self.table.item(r, 2).checkState() == Qt.CheckState.Checked):
                out[name] = self._incoming.get(name)
        return out

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def _enable(self) -> None:
        active = self.conflict is not None and not getattr(self, "_busy", False)
        self.keep_button.setEnabled(active)
        self.take_button.setEnabled(active)
        self.merge_button.setEnabled(active and bool(self.ticked()))

    def _emit(self, choice: str) -> None:
        if self.conflict is None:
            return
        fields = self.ticked() if choice == conflicts.MERGED else None
        self.resolve.emit(self.conflict.id, choice, fields)
