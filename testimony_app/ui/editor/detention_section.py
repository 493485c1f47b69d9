"""The detention timeline: each episode at a site, in date order."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.domain.detention import DetentionEpisode
from testimony_app.i18n import _
from testimony_app.ui.editor.context import episode_dates
from testimony_app.ui.editor.section import RecordListSection
from testimony_app.ui.fields.sites import SitePicker
from testimony_app.ui.form import Form


class DetentionSection(RecordListSection):
    key = "detention"
    cls = DetentionEpisode

    @staticmethod
    def title() -> str:
        return _("Detention timeline")

    def add_text(self) -> str:
        return _("Add a place of detention")

    def empty_text(self) -> str:
        return _("Each place where the person was held, in order: add the first one.")

    def build_form(self) -> Form:
        form = Form(DetentionEpisode)
        form.add("site_id", SitePicker(self.ctx))
        form.add("unit_label")
        form.add("arrival")
        form.add("departure")
        form.add("arrival_mode")
        form.add("assigned_number")
        form.add("regime")
        form.add("conditions")
        form.add("conditions_text", lines=3)
        form.add("daily_routine", lines=3)
        form.add("legal_process", lines=2)
        form.add("notes", lines=2)
        return form

    def new_record(self) -> Record:
        person = self.ctx.ensure_interviewee()
        return DetentionEpisode(person_id=person.id, interview_id=self.ctx.interview.id)

    def sort_key(self, record: Record) -> tuple[str, ...]:
        assert isinstance(record, DetentionEpisode)  # noqa: S101 - this section's own records
        start = record.arrival.earliest.isoformat() if record.arrival else "9999"
        return (start, record.created_at or "~")

    def item_label(self, record: Record) -> str:
        assert isinstance(record, DetentionEpisode)  # noqa: S101
        site = self.ctx.site_name(record.site_id) or _("(site not chosen)")
        return f"{episode_dates(record)}\n{site}"
