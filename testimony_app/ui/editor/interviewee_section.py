"""The person interviewed: names as given, identity, service, marks, contacts, status."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.i18n import _
from testimony_app.ui.editor.section import FormSection
from testimony_app.ui.form import Form
from testimony_app.ui.person_form import person_form


class IntervieweeSection(FormSection):
    key = "interviewee"

    @staticmethod
    def title() -> str:
        return _("Interviewee")

    def build_form(self) -> Form:
        return person_form(full=True)

    def record(self) -> Record:
        return self.ctx.ensure_interviewee()

    def current_record(self) -> Record | None:
        return self.ctx.interviewee
