"""Sites: every place of detention in the vault, with each interview and episode there."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from testimony_app.casefile.selection import Selection
from testimony_app.domain.base import Record
from testimony_app.domain.detention import Site, SiteName
from testimony_app.i18n import _, ngettext
from testimony_app.services import directory, lookups
from testimony_app.ui.directory_page import DirectoryPage
from testimony_app.ui.env import Env
from testimony_app.ui.fields import ValuesEditor
from testimony_app.ui.fields.sites import NewSiteRow, site_text
from testimony_app.ui.form import Form


class SitesPage(DirectoryPage):
    def __init__(self, env: Env, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.new_button = QPushButton(_("New site…"))
        self.new_row = NewSiteRow()
        self.new_row.hide()
        self.tools.addWidget(self.new_button)
        self.tools.addStretch(1)
        self.layout_new_row()
        self.new_button.clicked.connect(lambda: self.new_row.start(self.search.text().strip()))
        self.new_row.created.connect(self.add_record)

    def layout_new_row(self) -> None:
        left = self.list.parentWidget().layout()
        left.insertWidget(2, self.new_row)

    def title(self) -> str:
        return _("Sites")

    def search_hint(self) -> str:
        return _("Search sites by name or place…")

    def empty_text(self) -> str:
        return _("Choose a site on the left.")

    def build_form(self) -> Form:
        form = Form(Site)
        form.add("canonical_name")
        form.add("names", ValuesEditor(SiteName, ["name", "language", "kind"],
                                       add_text=_("Add another name")),
                 label=_("Other names"))
        form.add("site_type")
        form.add("country")
        form.add("region")
        form.add("settlement")
        form.add("address")
        form.add("latitude")
        form.add("longitude")
        form.add("official_designation")
        form.add("notes", lines=3)
        return form

    def load_call(self, search: str) -> Any:
        return lambda vault: directory.sites(vault.store, search)

    def mentions_call(self, record_id: str) -> Any:
        return lambda vault: lookups.site_appearances(vault.store, record_id)

    def item_label(self, record: Record) -> str:
        assert isinstance(record, Site)  # noqa: S101 - this page's own records
        return site_text(record)

    def count_text(self, n: int) -> str:
        return ngettext("{n} site", "{n} sites", n).format(n=n)

    def casefile_selection(self, record_id: str) -> Selection:
        return Selection.site(record_id)

    def export_hint(self) -> str:
        return _("A signed PDF of every interview about this place and the places inside it "
                 "(Ctrl+E)")
