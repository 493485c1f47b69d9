"""A form for one kind of record, built from the record's field descriptions.

The field's kind (``codec.specs``) picks the widget; ``labels`` gives it a human name;
sensitive fields say so. Forms never save: they report ``edited(name)`` for a valid value and
the section sends it to autosave.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFormLayout, QWidget

from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.i18n import _
from testimony_app.ui import labels
from testimony_app.ui.fields import (
    BoolField,
    Field,
    LineField,
    NumberField,
    PartialDateEdit,
    StrsField,
    TextField,
    VocabCombo,
    VocabMulti,
)
from testimony_app.ui.widgets import PlainLabel

LABEL_WIDTH = 170
NARROW = 470  # narrower than this, a form puts captions above fields


def field_for(spec: codec.FieldSpec, *, lines: int = 0) -> Field:
    if spec.vocab and spec.kind == codec.STRS:
        return VocabMulti(spec.vocab)
    if spec.vocab:
        return VocabCombo(spec.vocab, blank=None if spec.required else "—")
    if spec.kind == codec.DATE:
        return PartialDateEdit()
    if spec.kind == codec.STRS:
        return StrsField()
    if spec.kind == codec.BOOL:
        return BoolField()
    if spec.kind in (codec.FLOAT, codec.INT):
        return NumberField(bounds=spec.bounds)
    return TextField(lines=lines) if lines else LineField()


def caption(text: str) -> PlainLabel:
    label = PlainLabel(text, wrap=True)
    label.setMinimumWidth(110)
    label.setMaximumWidth(LABEL_WIDTH)
    return label


def heading(text: str) -> PlainLabel:
    label = PlainLabel(text, wrap=True)
    font = label.font()
    font.setWeight(QFont.Weight.DemiBold)
    font.setPointSizeF(font.pointSizeF() * 1.08)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    return label


class Form(QWidget):
    edited = Signal(str)

    def __init__(self, cls: type[Record], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = cls
        self.entity = cls.entity
        self.fields: dict[str, Field] = {}
        self.captions: dict[str, PlainLabel] = {}
        self.grid = QFormLayout(self)
        self.grid.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.grid.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(8)
        self.grid.setContentsMargins(0, 0, 0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Narrow (beside a list, or long labels): captions go above their fields."""
        super().resizeEvent(event)
        policy = (QFormLayout.RowWrapPolicy.WrapAllRows if event.size().width() < NARROW
                  else QFormLayout.RowWrapPolicy.WrapLongRows)
        if self.grid.rowWrapPolicy() != policy:
            self.grid.setRowWrapPolicy(policy)
            wide = policy == QFormLayout.RowWrapPolicy.WrapAllRows
            for cap in self.captions.values():  # above a field, a caption may run wide
                cap.setMaximumWidth(16_777_215 if wide else LABEL_WIDTH)

    def add(self, name: str, field: Field | None = None, *, label: str | None = None,
            lines: int = 0) -> Field:
        spec = next((s for s in codec.specs(self.cls) if s.name == name), None)
        if field is None:
            if spec is None:
                raise KeyError(name)
            field = field_for(spec, lines=lines)
        text = label if label is not None else labels.label(self.entity, name)
        if spec is not None and spec.sensitive:
            text = _("{label} (sensitive)").format(label=text)
        cap = caption(text)
        cap.setBuddy(field)
        field.setAccessibleName(text)
        self.grid.addRow(cap, field)
        self.fields[name] = field
        self.captions[name] = cap
        field.edited.connect(lambda name=name: self._edited(name))
        return field

    def add_heading(self, text: str) -> PlainLabel:
        label = heading(text)
        self.grid.addRow(label)
        return label

    def add_widget(self, widget: QWidget) -> None:
        self.grid.addRow(widget)

    def _edited(self, name: str) -> None:
        if self.fields[name].valid():
            self.edited.emit(name)

    def load(self, record: Record | None) -> None:
        for name, field in self.fields.items():
            field.set_value(getattr(record, name, None) if record is not None else None)

    def value(self, name: str) -> Any:
        return self.fields[name].value()

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields.values():
            field.set_read_only(read_only)

    def clear(self) -> None:
        self.load(None)
