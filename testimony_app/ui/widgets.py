"""Small building blocks shared by the pages."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

PAGE_WIDTH = 460
ERROR_COLOUR = "#a4262c"


class PlainLabel(QLabel):
    """A label that never interprets its text as rich text: names come from people."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 wrap: bool = False, hide_empty: bool = False) -> None:
        super().__init__(parent)
        self._hide_empty = hide_empty
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """With ``hide_empty``, an empty label takes no room in its layout."""
        super().setText(text)
        if self._hide_empty:
            self.setVisible(bool(text))


def plain_tooltip(text: str) -> str:
    """Qt shows a tooltip that looks like HTML as HTML: names and testimony are escaped and
    wrapped so they always read as the plain text they are."""
    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


class ElidedLabel(PlainLabel):
    """One line, elided in the middle when too long (folder paths); the tooltip has it all."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(plain_tooltip(text))
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


def monospace(point_scale: float = 1.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * point_scale)
    return font


def error_label(*, hide_empty: bool = False) -> PlainLabel:
    label = PlainLabel(wrap=True, hide_empty=hide_empty)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
    label.setPalette(palette)
    label.setAccessibleName("error")
    return label


def muted_label(text: str = "") -> PlainLabel:
    """Secondary text: the normal text colour, lightened, so it stays readable."""
    label = PlainLabel(text, wrap=True)
    palette = label.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        colour = QColor(palette.color(group, QPalette.ColorRole.WindowText))
        colour.setAlphaF(0.68)
        palette.setColor(group, QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)
    return label


_LINK_STYLE = """
QPushButton { border: none; padding: 2px 0; text-align: left; color: palette(link); }
QPushButton:hover, QPushButton:focus { text-decoration: underline; }
QPushButton:disabled { color: palette(mid); }
"""


def link_button(text: str) -> QPushButton:
    """A quiet, link-like button for secondary actions (still a button: Tab and Space work)."""
    button = QPushButton(text)
    button.setStyleSheet(_LINK_STYLE)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return button


class BusyRow(QWidget):
    """A line of text over a thin indeterminate progress bar; keeps its space when hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = PlainLabel(wrap=True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.text)
        column.addWidget(self.bar)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def start(self, text: str) -> None:
        self.text.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()
        self.text.setText("")


class Page(QWidget):
    """A page of the unlock flow: a title over a centred column of fixed width."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column_widget = QWidget()
        column_widget.setFixedWidth(PAGE_WIDTH)
        self.column = QVBoxLayout(column_widget)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(10)
        self.title = PlainLabel(title, wrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.column.addWidget(self.title)
        self.column.addSpacing(6)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        middle = QVBoxLayout()
        middle.addStretch(2)
        middle.addWidget(column_widget)
        middle.addStretch(3)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(1)

    def add_field(self, label: str, field: QWidget, row: QHBoxLayout | None = None, *,
                  hint: QWidget | None = None, muted: bool = False) -> PlainLabel:
        """A caption above a field (or above ``row``, which holds the field), kept close."""
        caption = muted_label(label) if muted else PlainLabel(label)
        caption.setBuddy(field)
        field.setAccessibleName(label)
        group = QVBoxLayout()
        group.setSpacing(4)
        group.addWidget(caption)
        if row is None:
            group.addWidget(field)
        else:
            group.addLayout(row)
        if hint is not None:
            group.addWidget(hint)
        self.column.addLayout(group)
        return caption


def fit_list_width(widget: QListWidget, minimum: int, maximum: int) -> None:
    """A navigation list as wide as its longest entry (long Ukrainian labels), within limits;
    beyond the limit, entries are elided and the tooltip has the rest."""
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(widget.item(i).text())
                  for i in range(widget.count())), default=0)
    widget.setFixedWidth(max(minimum, min(maximum, widest + 28)))
