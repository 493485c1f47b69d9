"""Text, list-of-words, time, number and yes/no fields."""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from testimony_app.i18n import _
from testimony_app.ui.fields.base import Field
from testimony_app.ui.widgets import muted_label


class LineField(Field):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QLineEdit()
        self.box.addWidget(self.editor)
        self.setFocusProxy(self.editor)
        self.editor.textChanged.connect(self._emit)

    def _show(self, value: Any) -> None:
        self.editor.setText(value or "")

    def value(self) -> str:
        return self.editor.text()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class TextField(Field):
    """Plain text over several lines. Tab moves on (it never types a tab), so every field
    stays reachable from the keyboard; the text is never read as rich text."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if lines:
            height = self.editor.fontMetrics().lineSpacing() * lines + 14
            self.editor.setMinimumHeight(height)
            self.editor.setMaximumHeight(height * 2)
        self.box.addWidget(self.editor)
        self.setFocusProxy(self.editor)
        self.editor.textChanged.connect(self._emit)

    def _show(self, value: Any) -> None:
        self.editor.setPlainText(value or "")

    def value(self) -> str:
        return self.editor.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


_SEPARATORS = re.compile(r"[,;\n]")


class StrsField(LineField):
    """Several short values on one line, separated by commas (languages, call signs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor.setPlaceholderText(_("Separate several with commas"))

    def _show(self, value: Any) -> None:
        self.editor.setText(", ".join(value or ()))

    def value(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in _SEPARATORS.split(self.editor.text()) if p.strip())


_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d.%m.%Y")


def parse_time(text: str) -> str | None:
    """Local date and time as ``YYYY-MM-DDTHH:MM`` ("" for blank, None if unreadable)."""
    text = " ".join(text.split())
    if not text:
        return ""
    for fmt in _TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 - local wall time
        except ValueError:
            continue
        return moment.strftime("%Y-%m-%dT%H:%M" if "%H" in fmt else "%Y-%m-%d")
    return None


def now_text() -> str:
    return datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")  # noqa: DTZ005 - local time


class CheckedLineField(Field):
    """One line of text read as a value: while it cannot be read, nothing is saved and the
    field says why beside it (:meth:`what_is_wrong`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QLineEdit()
        self.problem = muted_label()
        self.box.addWidget(self.editor, 1)
        self.setFocusProxy(self.editor)
        self.editor.textChanged.connect(self._changed)

    def what_is_wrong(self) -> str:
        """What is wrong with the text ("" when it reads as a value)."""
        raise NotImplementedError

    def valid(self) -> bool:
        return not self.what_is_wrong()

    def _changed(self) -> None:
        self.problem.setText(self.what_is_wrong())
        if self.valid():
            self._emit()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class TimeField(CheckedLineField):
    """A local date and time, typed (``2024-03-14 10:30`` or ``14.03.2024 10:30``) or "Now"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor.setPlaceholderText(_("for example 2024-03-14 10:30"))
        self.now_button = QPushButton(_("Now"))
        self.now_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.box.addWidget(self.now_button)
        self.box.addWidget(self.problem, 1)
        self.now_button.clicked.connect(lambda: self.editor.setText(now_text().replace("T", " ")))

    def what_is_wrong(self) -> str:
        return "" if parse_time(self.editor.text()) is not None else _("Not a date and time")

    def _show(self, value: Any) -> None:
        self.editor.setText((value or "").replace("T", " "))
        self.problem.setText("")

    def value(self) -> str:
        return parse_time(self.editor.text()) or ""

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.now_button.setEnabled(not read_only)


class NumberField(CheckedLineField):
    """A number, typed with a point or a comma; outside ``bounds`` (lowest, highest) it is not
    saved and the field says which values it takes."""

    def __init__(self, parent: QWidget | None = None, *,
                 bounds: tuple[float, float] | None = None) -> None:
        super().__init__(parent)
        self.bounds = bounds
        self.box.addWidget(self.problem, 1)

    def what_is_wrong(self) -> str:
        text = self.editor.text().strip()
        if not text:
            return ""
        number = self.value()
        if number is None:
            return "" if text in ("-", "+") else _("Not a number")  # a sign: still typing
        if self.bounds is not None and not self.bounds[0] <= number <= self.bounds[1]:
            return _("Between {low} and {high}").format(low=f"{self.bounds[0]:g}",
                                                       high=f"{self.bounds[1]:g}")
        return ""

    def valid(self) -> bool:
        return not self.what_is_wrong() and (self.value() is not None or not self.editor.text().strip())

    def _show(self, value: Any) -> None:
        self.editor.setText("" if value is None else repr(float(value)))
        self.problem.setText("")

    def value(self) -> float | None:
        text = self.editor.text().strip().replace(",", ".")
        try:
            number = float(text) if text else None
        except ValueError:
            return None
        return number if number is None or math.isfinite(number) else None


class BoolField(Field):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QCheckBox(text)
        self.box.addWidget(self.editor)
        self.box.addStretch(1)
        self.setFocusProxy(self.editor)
        self.editor.toggled.connect(self._emit)

    def _show(self, value: Any) -> None:
        self.editor.setChecked(bool(value))

    def value(self) -> bool:
        return self.editor.isChecked()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setEnabled(not read_only)
