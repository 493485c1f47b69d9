"""Browse, search and edit the people or the sites of the vault, with every record that
mentions the one chosen (a double click opens its interview)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from testimony_app.casefile.selection import Selection
from testimony_app.domain.base import Record
from testimony_app.i18n import N_, _, gettext
from testimony_app.services.lookups import MentionRow
from testimony_app.ui.casefile_dialog import Subject
from testimony_app.ui.editor.section import scrolling
from testimony_app.ui.env import Env
from testimony_app.ui.form import Form, heading
from testimony_app.ui.widgets import error_label, muted_label

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 300

ENTITY_NAMES = {
    "interview": N_("Interview"), "episode": N_("Detention"), "act": N_("Ill-treatment"),
    "sighting": N_("Co-detainee seen"), "capture": N_("Capture"),
}
ROLE_NAMES = {
    "interviewee": N_("interviewed"), "detained": N_("held there"), "victim": N_("victim"),
    "seen": N_("seen there"), "observer": N_("saw someone"), "captured": N_("captured"),
    "act": N_("act there"),
}


class DirectoryPage(QWidget):
    open_interview = Signal(str)
    casefile_requested = Signal(object)  # a casefile_dialog.Subject

    def __init__(self, env: Env, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self._records: dict[str, Record] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.search_hint())
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.title())
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count = muted_label()
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 6, 0)
        left_column.addWidget(self.search)
        self.tools = QHBoxLayout()
        left_column.addLayout(self.tools)
        left_column.addWidget(self.list, 1)
        left_column.addWidget(self.count)

        self.form = self.build_form()
        self.form.edited.connect(self._edited)
        self.empty = muted_label(self.empty_text())
        self.mentions = QTreeWidget()
        self.mentions.setRootIsDecorated(False)
        self.mentions.setHeaderLabels([_("Interview"), _("Record"), _("When"), _("Details")])
        self.mentions.setColumnWidth(0, 260)
        self.mentions.setColumnWidth(1, 170)
        self.mentions.setColumnWidth(2, 120)
        self.mentions.setMinimumHeight(110)
        self.mentions.setMaximumHeight(170)
        self.mentions.setAccessibleName(_("Appears in"))
        self.error = error_label()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 0, 12, 12)
        column.addWidget(self.empty)
        self.mentions_title = heading(_("Appears in (double-click opens the interview)"))
        self.mentions_title.setContentsMargins(0, 0, 0, 2)
        self.export_button = QPushButton(_("Export case file…"))
        self.export_button.setToolTip(self.export_hint())
        title_row = QHBoxLayout()
        title_row.addWidget(self.mentions_title, 1)
        title_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(title_row)
        column.addWidget(self.mentions)
        column.addSpacing(10)
        column.addWidget(self.form)
        column.addWidget(self.error)
        column.addStretch(1)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(scrolling(body))
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 700])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 6)
        outer.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.mentions.itemActivated.connect(self._mention_activated)
        self.export_button.clicked.connect(self._request_casefile)
        self._show_current()

    # To write in each page ----------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def search_hint(self) -> str:
        raise NotImplementedError

    def empty_text(self) -> str:
        raise NotImplementedError

    def build_form(self) -> Form:
        raise NotImplementedError

    def load_call(self, search: str) -> Any:
        """fn(vault) -> list of records."""
        raise NotImplementedError

    def mentions_call(self, record_id: str) -> Any:
        """fn(vault) -> list of MentionRow."""
        raise NotImplementedError

    def item_label(self, record: Record) -> str:
        raise NotImplementedError

    def count_text(self, n: int) -> str:
        raise NotImplementedError

    def casefile_selection(self, record_id: str) -> Selection:
        raise NotImplementedError

    def export_hint(self) -> str:
        raise NotImplementedError

    # Shared -----------------------------------------------------------------------------

    def activate(self) -> None:
        self.reload()
        self.list.setFocus()

    def reload(self) -> None:
        self._timer.stop()
        self.env.run(self.load_call(self.search.text().strip()), self._loaded, owner=self)

    def _loaded(self, records: list[Record]) -> None:
        chosen = self.current()
        self._records = {r.id: r for r in records}
        self.env.saver.mark_stored(self._records)
        self.list.blockSignals(True)
        self.list.clear()
        for record in records:
            item = QListWidgetItem(self.item_label(record) or _("(no name)"))
            item.setData(ID_ROLE, record.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.count.setText(self.count_text(len(records)))
        self.select(chosen.id if chosen else None)

    def select(self, record_id: str | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == record_id:
                self.list.setCurrentRow(row)
                return
        self.list.setCurrentRow(0 if self.list.count() else -1)
        self._show_current()

    def current(self) -> Record | None:
        item = self.list.currentItem()
        return self._records.get(item.data(ID_ROLE)) if item is not None else None

    def _show_current(self) -> None:
        record = self.current()
        for widget in (self.form, self.mentions, self.mentions_title, self.export_button):
            widget.setVisible(record is not None)
        self.empty.setVisible(record is None)
        self.form.load(record)
        self.mentions.clear()
        if record is not None:
            record_id = record.id
            self.env.run(self.mentions_call(record_id),
                         lambda rows: self._show_mentions(record_id, rows), owner=self)

    def _show_mentions(self, record_id: str, rows: list[MentionRow]) -> None:
        current = self.current()
        if current is None or current.id != record_id:
            return
        self.mentions.clear()
        for m in rows:
            what = gettext(ENTITY_NAMES.get(m.entity, m.entity))
            role = gettext(ROLE_NAMES.get(m.role, m.role))
            item = QTreeWidgetItem([m.interview_label, f"{what} · {role}", m.when, m.detail])
            item.setData(0, ID_ROLE, m.interview_id)
            self.mentions.addTopLevelItem(item)

    def casefile_subject(self) -> Subject | None:
        """Everything about the record chosen in the list."""
        record = self.current()
        if record is None:
            return None
        return Subject(self.casefile_selection(record.id), self.item_label(record))

    def _request_casefile(self) -> None:
        subject = self.casefile_subject()
        if subject is not None:
            self.casefile_requested.emit(subject)

    def _mention_activated(self, item: QTreeWidgetItem) -> None:
        interview_id = item.data(0, ID_ROLE)
        if interview_id:
            self.open_interview.emit(interview_id)

    def _edited(self, name: str) -> None:
        record = self.current()
        if record is None:
            return
        value = self.form.value(name)
        updated = dataclasses.replace(record, **{name: value})
        self._records[record.id] = updated
        self.env.saver.change(updated, name, value)
        item = self.list.currentItem()
        if item is not None:
            item.setText(self.item_label(updated) or _("(no name)"))

    def add_record(self, record: Record) -> None:
        self.env.saver.create(record)
        self._records[record.id] = record
        item = QListWidgetItem(self.item_label(record))
        item.setData(ID_ROLE, record.id)
        self.list.insertItem(0, item)
        self.list.setCurrentItem(item)

    def clear(self) -> None:
        self._records = {}
        self.list.clear()
        self.mentions.clear()
        self.form.clear()
        self.search.clear()
        self._timer.stop()
