"""The shape every field widget shares."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


class Field(QWidget):
    """A value editor. ``edited`` fires for a person's changes only, never for ``set_value``."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, vertical: bool = False) -> None:
        super().__init__(parent)
        self._loading = False
        self.box = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(4 if vertical else 6)

    def _emit(self) -> None:
        if not self._loading:
            self.edited.emit()

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def valid(self) -> bool:
        """False while the text cannot be read as a value (a bad date): nothing is saved."""
        return True

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        self.set_value(None)
