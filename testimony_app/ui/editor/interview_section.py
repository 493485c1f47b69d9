"""The interview itself: when, where, how, who was there, and its status."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.i18n import _
from testimony_app.ui import dialogs
from testimony_app.ui.editor.section import FormSection
from testimony_app.ui.fields import TimeField
from testimony_app.ui.form import Form


class InterviewSection(FormSection):
    key = "interview"

    @staticmethod
    def title() -> str:
        return _("Interview")

    def build_form(self) -> Form:
        form = Form(Interview)
        form.add("reference")
        form.add("pseudonym")
        form.add("start_at", TimeField())
        form.add("end_at", TimeField())
        form.add("place_generalised")
        form.add("place_exact")
        form.add("mode")
        form.add("languages")
        form.add_heading(_("Who was there"))
        form.add("interviewer")
        form.add("interpreter")
        form.add("others_present", lines=2)
        form.add_heading(_("Before and after"))
        form.add("prior_accounts", lines=2)
        form.add("referrals_offered")
        form.add("referral_notes", lines=2)
        form.add("risk_assessment", lines=2)
        form.add_heading(_("Handling"))
        form.add("confidentiality")
        form.add("status")
        self.locked_note = form.add_heading("")
        return form

    def record(self) -> Record:
        return self.ctx.interview

    def _edited(self, name: str) -> None:
        if name == "status" and self.form.value(name) == "locked":
            question = _("A locked interview can no longer be changed by anyone. Lock it?")
            if not dialogs.confirm(self, _("Lock the interview"), question,
                                   yes=_("Lock the interview")):
                self.form.fields["status"].set_value(self.ctx.interview.status)
                return
        super()._edited(name)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.locked_note.setText(_("This interview is locked: it can be read, not changed.")
                                 if read_only else "")
        self.locked_note.setVisible(read_only)
