"""The form of a person, shared by the interviewee section and the People page."""

from __future__ import annotations

from testimony_app.domain.person import Person, PersonName, PriorityFlag, StatusEntry
from testimony_app.i18n import _
from testimony_app.ui.fields import ValuesEditor
from testimony_app.ui.form import Form


def person_form(*, full: bool = True) -> Form:
    """``full``: every field (the interviewee); otherwise what a directory page edits."""
    form = Form(Person)
    form.add("names", ValuesEditor(PersonName, ["full", "script", "kind"],
                                   add_text=_("Add a form of the name")))
    form.add("surname")
    form.add("given_name")
    form.add("patronymic")
    form.add("sex")
    form.add("birth_date")
    if full:
        form.add("place_of_birth")
        form.add("citizenship")
    form.add("home_region")
    form.add("home_settlement")
    if full:
        form.add("occupation")
    form.add_heading(_("Civilian or military"))
    form.add("legal_category")
    form.add("service_branch")
    form.add("unit")
    form.add("rank")
    form.add("service_number")
    form.add("call_sign")
    form.add_heading(_("Description and contacts"))
    form.add("distinguishing_marks", lines=2)
    if full:
        form.add("health_notes", lines=2)
        form.add("contacts", lines=2)
        form.add("next_of_kin", lines=2)
    form.add_heading(_("Status and priority"))
    form.add("status_history", ValuesEditor(StatusEntry, ["status", "as_of", "source"],
                                            add_text=_("Add a status")))
    form.add("priority_flags", ValuesEditor(PriorityFlag, ["category", "basis"],
                                            add_text=_("Add a priority flag")))
    form.add("notes", lines=2)
    return form
