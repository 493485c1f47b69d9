"""A short list of small values inside a record: names as given, status history, flags."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QToolButton, QWidget

from testimony_app.domain import codec
from testimony_app.domain.base import Value
from testimony_app.i18n import _
from testimony_app.ui import labels
from testimony_app.ui.fields.base import Field
from testimony_app.ui.fields.choice import VocabCombo
from testimony_app.ui.fields.dates import PartialDateEdit
from testimony_app.ui.fields.text import LineField
from testimony_app.ui.widgets import muted_label


def _editor_for(spec: codec.FieldSpec) -> Field:
    if spec.vocab:
        return VocabCombo(spec.vocab)
    if spec.kind == codec.DATE:
        return PartialDateEdit()
    return LineField()


class ValuesEditor(Field):
    """Rows of ``value_cls`` with the chosen ``fields``; "Add" makes a row, "×" removes one.

    A row whose required field is still empty is kept on screen but not yet in ``value()``,
    so the record can be saved meanwhile; it is saved as soon as it is complete.
    """

    def __init__(self, value_cls: type[Value], fields: list[str], *, add_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, vertical=True)
        self.value_cls = value_cls
        self.specs = [codec.spec(value_cls, name) for name in fields]
        entity = value_cls.__name__.lower()
        self.grid_widget = QWidget()
        self.grid = QGridLayout(self.grid_widget)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.headers = []
        for column, spec in enumerate(self.specs):
            header = muted_label(labels.label(entity, spec.name))
            header.setWordWrap(False)
            self.headers.append(header)
            self.grid.addWidget(header, 0, column)
            self.grid.setColumnStretch(column, 2 if spec.kind == codec.STR and not spec.vocab
                                       else 1)
        self.rows: list[tuple[list[Field], QToolButton]] = []
        self._originals: dict[int, Value] = {}  # id(editors) -> the value loaded, kept whole
        self.add_button = QPushButton(add_text)
        self.box.addWidget(self.grid_widget)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        self.box.addLayout(add_row)
        self.add_button.clicked.connect(self._add_clicked)
        self._update_headers()

    def _update_headers(self) -> None:
        for header in self.headers:
            header.setVisible(bool(self.rows))

    def add_row(self, value: Value | None = None) -> list[Field]:
        row = len(self.rows) + 1
        editors = [_editor_for(spec) for spec in self.specs]
        remove = QToolButton()
        remove.setText("×")
        remove.setToolTip(_("Remove this line"))
        remove.setAccessibleName(_("Remove this line"))
        for column, (spec, editor) in enumerate(zip(self.specs, editors, strict=True)):
            editor.set_value(getattr(value, spec.name) if value is not None else None)
            editor.setAccessibleName(labels.label(self.value_cls.__name__.lower(), spec.name))
            editor.edited.connect(self._emit)
            self.grid.addWidget(editor, row, column)
        self.grid.addWidget(remove, row, len(self.specs))
        entry = (editors, remove)
        self.rows.append(entry)
        if value is not None:  # fields not shown here (a transliteration scheme) are kept
            self._originals[id(editors)] = value
        remove.clicked.connect(lambda: self._remove(entry))
        self._update_headers()
        return editors

    def _add_clicked(self) -> None:
        editors = self.add_row()
        editors[0].setFocus()

    def _remove(self, entry: tuple[list[Field], QToolButton]) -> None:
        editors, remove = entry
        self.rows.remove(entry)
        for widget in [*editors, remove]:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._update_headers()
        self._emit()

    def _show(self, value: Any) -> None:
        for editors, remove in self.rows:
            for widget in [*editors, remove]:
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        self._originals = {}
        for item in value or ():
            self.add_row(item)
        self._update_headers()

    def value(self) -> tuple[Value, ...]:
        out = []
        for editors, _remove in self.rows:
            data = {spec.name: editor.value() for spec, editor in zip(self.specs, editors,
                                                                       strict=True)}
            if any(spec.required and data[spec.name] in (None, "") for spec in self.specs):
                continue
            if all(v in (None, "") for v in data.values()):
                continue
            original = self._originals.get(id(editors))
            out.append(dataclasses.replace(original, **data) if original is not None
                       else self.value_cls(**data))
        return tuple(out)

    def valid(self) -> bool:
        return all(editor.valid() for editors, _r in self.rows for editor in editors)

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setEnabled(not read_only)
        for editors, remove in self.rows:
            remove.setEnabled(not read_only)
            for editor in editors:
                editor.set_read_only(read_only)
