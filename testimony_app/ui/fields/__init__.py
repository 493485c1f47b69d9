"""Field widgets: one per kind of value, each with ``value()``, ``set_value()`` (which never
reports an edit), ``set_read_only()`` and an ``edited`` signal for changes a person makes."""

from testimony_app.ui.fields.base import Field
from testimony_app.ui.fields.choice import ChoiceCombo, VocabCombo, VocabMulti
from testimony_app.ui.fields.dates import PartialDateEdit
from testimony_app.ui.fields.text import (
    BoolField,
    LineField,
    NumberField,
    StrsField,
    TextField,
    TimeField,
)
from testimony_app.ui.fields.values import ValuesEditor

__all__ = [
    "BoolField", "ChoiceCombo", "Field", "LineField", "NumberField", "PartialDateEdit",
    "StrsField", "TextField", "TimeField", "ValuesEditor", "VocabCombo", "VocabMulti",
]
