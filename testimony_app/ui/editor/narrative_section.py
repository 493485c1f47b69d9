"""The free account in the person's own words, and the interviewer's observations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from testimony_app.domain.interview import Interview
from testimony_app.i18n import _
from testimony_app.ui import labels
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.editor.section import Section
from testimony_app.ui.fields import TextField
from testimony_app.ui.widgets import PlainLabel, muted_label

FIELDS = ("narrative", "interviewer_observations", "inconsistencies_noted")


class NarrativeSection(Section):
    key = "narrative"

    @staticmethod
    def title() -> str:
        return _("Narrative")

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading.hide()
        self.fields: dict[str, TextField] = {}
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        hints = {
            "narrative": _("The account in the person's own words, as they told it."),
            "interviewer_observations": _("What you observed: demeanour, visible injuries, "
                                          "anything the account does not say."),
            "inconsistencies_noted": "",
        }
        for name in FIELDS:
            pane = QWidget()
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 4, 0, 4)
            title = PlainLabel(labels.label("interview", name))
            field = TextField(lines=0)
            font = field.editor.font()
            font.setPointSizeF(font.pointSizeF() * 1.1)  # hours of reading and typing
            field.editor.setFont(font)
            title.setBuddy(field)
            field.setAccessibleName(title.text())
            column.addWidget(title)
            if hints[name]:
                column.addWidget(muted_label(hints[name]))
            column.addWidget(field, 1)
            splitter.addWidget(pane)
            self.fields[name] = field
            field.edited.connect(lambda name=name: self._edited(name))
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 1)
        self.outer.addWidget(splitter, 1)
        self.narrative = self.fields["narrative"].editor
        self.observations = self.fields["interviewer_observations"].editor

    def _edited(self, name: str) -> None:
        self.ctx.change(self.ctx.interview, name, self.fields[name].value())

    def refresh(self) -> None:
        """Loaded once: reloading would reset the person's undo history in the editor."""
        if getattr(self, "_loaded", False):
            return
        self._loaded = True
        interview: Interview = self.ctx.interview
        for name, field in self.fields.items():
            field.set_value(getattr(interview, name))
        self.set_read_only(self.ctx.read_only)

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields.values():
            field.set_read_only(read_only)
