"""Every piece of text the window shows or holds in a widget, to look for testimony in it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def flush_deletions() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out: list[str] = []
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            columns = 1
            try:
                columns = max(1, model.columnCount(parent))
            except TypeError:  # list models keep columnCount private: one column
                pass
            for column in range(columns):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if value:
                        out.append(str(value))
                if column == 0 and model.rowCount(index) > 0:
                    stack.append(index)
    return out


def all_text(root: QWidget) -> str:
    parts: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        parts.append(widget.toolTip())
        if isinstance(widget, QLabel):
            parts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            parts.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView):
            parts.extend(_model_texts(widget))
    return "\n".join(p for p in parts if p)
