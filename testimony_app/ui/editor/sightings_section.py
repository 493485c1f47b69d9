"""Co-detainees seen: each person the interviewee saw, kept exactly as they said it."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Sighting
from testimony_app.i18n import _, current_language
from testimony_app.ui.editor.context import sighting_label
from testimony_app.ui.editor.section import RecordListSection
from testimony_app.ui.fields.sites import SitePicker
from testimony_app.ui.form import Form


class SightingsSection(RecordListSection):
    key = "sightings"
    cls = Sighting

    @staticmethod
    def title() -> str:
        return _("Co-detainees seen")

    def add_text(self) -> str:
        return _("Add a person seen")

    def empty_text(self) -> str:
        return _("Everyone the interviewee saw or heard in detention, one at a time. For "
                 "families, this may be the only news.")

    def build_form(self) -> Form:
        form = Form(Sighting)
        form.add("name_as_heard")
        form.add("call_sign")
        form.add("self_reported_details", lines=3)
        form.add("site_id", SitePicker(self.ctx))
        form.add("unit_label")
        form.add("first_seen")
        form.add("last_seen")
        form.add("identification_basis")
        form.add("contact_type")
        form.add("condition")
        form.add("injuries_seen", lines=2)
        form.add("ill_treatment_seen", lines=2)
        form.add("distinguishing_marks_seen", lines=2)
        form.add("last_known_movement", lines=2)
        form.add("message_for_family", lines=3)
        form.add("notes", lines=2)
        return form

    def new_record(self) -> Record:
        observer = self.ctx.interviewee.id if self.ctx.interviewee else None
        return Sighting(interview_id=self.ctx.interview.id, observer_id=observer)

    def item_label(self, record: Record) -> str:
        assert isinstance(record, Sighting)  # noqa: S101 - this section's own records
        seen = record.last_seen or record.first_seen
        where = self.ctx.site_name(record.site_id)
        details = " · ".join(p for p in (
            where, seen.describe(current_language()) if seen else "") if p)
        return f"{sighting_label(record)}\n{details}" if details else sighting_label(record)
