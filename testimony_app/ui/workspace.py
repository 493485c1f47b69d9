"""The unlocked vault: navigation on the left (Interviews, People, Sites, Sync, Settings), the
chosen page on the right. Built at unlock and destroyed at lock, so nothing that showed
testimony outlives the open vault."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

from testimony_app.i18n import _
from testimony_app.ui import dialogs
from testimony_app.ui.casefile_dialog import CasefileDialog, Subject
from testimony_app.ui.env import Env
from testimony_app.ui.interviews_page import InterviewsPage
from testimony_app.ui.people_page import PeoplePage
from testimony_app.ui.settings_page import SettingsPage
from testimony_app.ui.sites_page import SitesPage
from testimony_app.ui.sync_page import SyncPage
from testimony_app.ui.widgets import fit_list_width

PAGES = ("interviews", "people", "sites", "sync", "settings")


class Workspace(QWidget):
    lock_requested = Signal()
    language_chosen = Signal(str)
    idle_minutes_changed = Signal(int)

    def __init__(self, env: Env, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.casefile_dialog: CasefileDialog | None = None
        self.interviews = InterviewsPage(env)
        self.people = PeoplePage(env)
        self.sites = SitesPage(env)
        self.sync = SyncPage(env)
        self.settings = SettingsPage(env.prefs)
        self.settings.show_summary(env.session.summary)
        self.nav = QListWidget()
        self.nav.setAccessibleName(_("Navigation"))
        self.nav.setSpacing(4)
        self.stack = QStackedWidget()
        titles = (_("Interviews"), _("People"), _("Sites"), _("Sync"), _("Settings"))
        for title, page in zip(titles, self.pages(), strict=True):
            self.nav.addItem(title)
            self.stack.addWidget(page)
        for row, shortcut in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+,")):
            self.nav.item(row).setToolTip(f"{titles[row]} ({shortcut})")
        fit_list_width(self.nav, 110, 190)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        self.nav.currentRowChanged.connect(self._show)
        self.people.open_interview.connect(self.open_interview)
        self.sites.open_interview.connect(self.open_interview)
        for page in (self.interviews, self.people, self.sites):
            page.casefile_requested.connect(self.open_casefile_dialog)
        self.settings.lock_requested.connect(self.lock_requested)
        self.sync.records_changed.connect(self.interviews.records_changed)
        self.settings.language_chosen.connect(self.language_chosen)
        self.settings.idle_minutes_changed.connect(self.idle_minutes_changed)
        self.nav.setCurrentRow(0)

    def pages(self) -> tuple[QWidget, ...]:
        return (self.interviews, self.people, self.sites, self.sync, self.settings)

    def go(self, key: str) -> None:
        self.nav.setCurrentRow(PAGES.index(key))

    def current_key(self) -> str:
        return PAGES[max(0, self.nav.currentRow())]

    def _show(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages()[row]
        self.stack.setCurrentWidget(page)
        activate = getattr(page, "activate", None)
        if activate is not None:
            activate()

    def open_interview(self, interview_id: str) -> None:
        self.go("interviews")
        self.interviews.open_interview(interview_id)

    def new_interview(self) -> None:
        self.go("interviews")
        self.interviews.new_interview()

    # Case files -----------------------------------------------------------------------------

    def export_casefile(self) -> None:
        """Ctrl+E: a case file of what the current page shows or has chosen."""
        page = self.stack.currentWidget()
        subject = getattr(page, "casefile_subject", lambda: None)()
        if subject is None:
            dialogs.notice(self, _("Export case file"),
                           _("Open an interview, or choose interviews in the list, a person or "
                             "a site first."))
            return
        self.open_casefile_dialog(subject)

    def open_casefile_dialog(self, subject: Subject) -> CasefileDialog:
        current = self.casefile_dialog
        if current is not None and shiboken6.isValid(current) and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current
        dialog = CasefileDialog(self.env, subject, self)
        dialog.finished.connect(dialog.deleteLater)
        self.casefile_dialog = dialog
        dialog.open()
        return dialog

    def _close_casefile_dialog(self) -> None:
        dialog, self.casefile_dialog = self.casefile_dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.shutdown()

    def clear(self) -> None:
        """Locking: empty every page (the workspace is then destroyed)."""
        self._close_casefile_dialog()
        self.interviews.clear()
        self.people.clear()
        self.sites.clear()
        self.sync.clear()
        self.settings.clear()
