"""The one partial-date field: type a date as the person said it, see how it was understood."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from testimony_app import errors
from testimony_app.domain.dates import PartialDate
from testimony_app.i18n import _, current_language
from testimony_app.ui.fields.base import Field
from testimony_app.ui.widgets import error_label, muted_label, plain_tooltip


class PartialDateEdit(Field):
    """Accepts ``2023``, ``2023-05``, ``2023-05-14``, ``14.05.2023``, ``~`` (about), ``?``
    (uncertain), seasons and ranges; beside it, in words, how the input was understood or why
    it was not. The text typed stays as typed (undo works); the value stored is EDTF."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QLineEdit()
        self.editor.setPlaceholderText(_("2023-05, ~2023, 14.05.2023"))
        self.editor.setMaximumWidth(190)
        self.editor.setMinimumWidth(130)
        self.understood = muted_label()
        self.problem = error_label()
        self.problem.hide()
        self.box.addWidget(self.editor)
        self.box.addWidget(self.understood, 1)
        self.box.addWidget(self.problem, 1)
        self.setFocusProxy(self.editor)
        self._value: PartialDate | None = None
        self._valid = True
        self.editor.textChanged.connect(self._changed)

    def _read(self, text: str) -> None:
        self._valid, self._value = True, None
        self.understood.setText("")
        self.editor.setToolTip("")
        self.problem.setText("")
        self.problem.hide()
        if not text.strip():
            return
        try:
            self._value = PartialDate.parse(text)
        except errors.InvalidDate:
            self._valid = False
            self.problem.setText(_("Not understood. Try 2023-05, ~2023 or 14.05.2023."))
            self.problem.setToolTip(plain_tooltip(errors.InvalidDate(value=text[:40]).message()))
            self.problem.show()
            return
        described = self._value.describe(current_language())
        self.understood.setText(described)
        self.editor.setToolTip(described)

    def _changed(self, text: str) -> None:
        self._read(text)
        if self._valid:
            self._emit()

    def _show(self, value: Any) -> None:
        text = value.edtf if isinstance(value, PartialDate) else (value or "")
        self.editor.setText(text)
        self._read(text)

    def value(self) -> PartialDate | None:
        return self._value

    def valid(self) -> bool:
        return self._valid

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)
