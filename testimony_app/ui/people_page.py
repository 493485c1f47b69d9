"""People: everyone the vault names (interviewees, and people added from sightings later)."""

from __future__ import annotations

from typing import Any

from testimony_app.casefile.selection import Selection
from testimony_app.domain.base import Record
from testimony_app.domain.person import Person
from testimony_app.i18n import _, ngettext
from testimony_app.services import directory, lookups
from testimony_app.ui.directory_page import DirectoryPage
from testimony_app.ui.form import Form
from testimony_app.ui.person_form import person_form


class PeoplePage(DirectoryPage):
    def title(self) -> str:
        return _("People")

    def search_hint(self) -> str:
        return _("Search people by any name…")

    def empty_text(self) -> str:
        return _("Choose a person on the left.")

    def build_form(self) -> Form:
        return person_form(full=False)

    def load_call(self, search: str) -> Any:
        return lambda vault: [p for p in directory.people(vault.store, search)
                              if p.duplicate_of is None]

    def mentions_call(self, record_id: str) -> Any:
        return lambda vault: lookups.person_appearances(vault.store, record_id)

    def item_label(self, record: Record) -> str:
        assert isinstance(record, Person)  # noqa: S101 - this page's own records
        return lookups.person_name(record)

    def count_text(self, n: int) -> str:
        return ngettext("{n} person", "{n} people", n).format(n=n)

    def casefile_selection(self, record_id: str) -> Selection:
        return Selection.person(record_id)

    def export_hint(self) -> str:
        return _("A signed PDF of every interview about this person (Ctrl+E)")
