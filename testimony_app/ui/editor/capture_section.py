"""How the interviewee was captured: date, place, circumstances, capturing unit."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.domain.interview import CaptureEvent
from testimony_app.i18n import _
from testimony_app.ui.editor.section import FormSection
from testimony_app.ui.form import Form


class CaptureSection(FormSection):
    key = "capture"

    @staticmethod
    def title() -> str:
        return _("Capture")

    def build_form(self) -> Form:
        form = Form(CaptureEvent)
        form.add("date")
        form.add("place")
        form.add("capturing_unit")
        form.add("circumstances", lines=4)
        form.add("stated_reason", lines=2)
        form.add("witnesses", lines=2)
        form.add("property_taken", lines=2)
        return form

    def _existing(self) -> CaptureEvent | None:
        captures = sorted(self.ctx.records(CaptureEvent), key=lambda c: c.created_at or "~")
        return captures[0] if captures else None

    def record(self) -> Record:
        """The capture, or a draft that is stored with its first value."""
        found = self._existing()
        if found is not None:
            return found
        person = self.ctx.ensure_interviewee()
        return self.ctx.add_draft(CaptureEvent(person_id=person.id,
                                               interview_id=self.ctx.interview.id))

    def current_record(self) -> Record | None:
        return self._existing()
