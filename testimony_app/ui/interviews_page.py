"""Interviews: the searchable, filterable list, and the editor of the one opened."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testimony_app.casefile.selection import Selection
from testimony_app.domain.interview import Interview
from testimony_app.i18n import _, ngettext
from testimony_app.services import interviews, lookups
from testimony_app.services.lookups import interview_label
from testimony_app.ui import memory
from testimony_app.ui.casefile_dialog import Subject
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.editor.editor import InterviewEditor
from testimony_app.ui.env import Env
from testimony_app.ui.fields.choice import vocab_items
from testimony_app.ui.fields.text import now_text
from testimony_app.ui.models.interviews_model import (
    ACTS,
    DATE,
    ID_ROLE,
    INTERVIEWEE,
    PLACE,
    SIGHTINGS,
    STATUS,
    InterviewsModel,
)
from testimony_app.ui.widgets import error_label, muted_label

SEARCH_DELAY_MS = 300


class _Table(QTableView):
    """Enter opens the chosen interview, as a double click does."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class InterviewsPage(QWidget):
    opened = Signal(str)  # interview id, once its editor shows
    casefile_requested = Signal(object)  # a casefile_dialog.Subject

    def __init__(self, env: Env, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.editor: InterviewEditor | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search names and narratives…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search"))
        self.status = QComboBox()
        self.status.addItem(_("All statuses"), None)
        for term_id, text in vocab_items("interview_status"):
            self.status.addItem(text, term_id)
        self.status.setAccessibleName(_("Status"))
        self.new_button = QPushButton(_("New interview"))
        self.new_button.setToolTip(_("Start recording a new interview (Ctrl+N)"))
        self.export_button = QPushButton(_("Export case file…"))
        self.export_button.setToolTip(_("A signed PDF of the chosen interviews (Ctrl+E); "
                                        "Ctrl+click or Shift+click chooses several"))
        self.count = muted_label()
        self.count.setWordWrap(False)
        self.error = error_label()
        self.model = InterviewsModel(lambda fn, done: env.run(fn, done, owner=self.model), self)
        self.table = _Table()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(_("Interviews"))
        header = self.table.horizontalHeader()
        header.setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(INTERVIEWEE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PLACE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(DATE, 140)
        for column in (ACTS, SIGHTINGS, STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.new_button)
        list_page = QWidget()
        column = QVBoxLayout(list_page)
        column.setContentsMargins(14, 12, 14, 6)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.count)
        foot.addWidget(self.error, 1)
        foot.addWidget(self.export_button)
        column.addLayout(foot)
        self.list_page = list_page
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_query)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_query())
        self.model.counted.connect(self._counted)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_index)
        self.new_button.clicked.connect(self.new_interview)
        self.export_button.clicked.connect(self._request_casefile)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable_export())
        self.model.modelReset.connect(self._enable_export)
        self._enable_export()
        QShortcut(QKeySequence.StandardKey.Find, list_page, self.focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.apply_query()

    # The list ---------------------------------------------------------------------------------

    def apply_query(self) -> None:
        self._search_timer.stop()
        self.model.set_query(status=self.status.currentData(), search=self.search.text().strip())

    def focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()
        self.search.selectAll()

    def _counted(self, total: int) -> None:
        self.count.setText(ngettext("{n} interview", "{n} interviews", total).format(n=total))
        if total and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        found = (self.model.data(self.model.index(row, 0), ID_ROLE) for row in rows)
        return [interview_id for interview_id in found if interview_id]

    def _enable_export(self) -> None:
        self.export_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    # Case files ------------------------------------------------------------------------------

    def casefile_subject(self) -> Subject | None:
        """The open interview, else the rows chosen in the list."""
        if self.editor is not None:
            ctx = self.editor.ctx
            return Subject(Selection.interviews(ctx.interview.id),
                           interview_label(ctx.interview, ctx.interviewee))
        ids = self.selected_ids()
        if not ids:
            return None
        label = ""
        if len(ids) == 1:  # as the list shows it: who and when
            row = self.model.row(self.table.selectionModel().selectedRows()[0].row())
            label = " · ".join(p for p in (row.interviewee, row.start_at[:10]) if p)
        return Subject(Selection.interviews(*ids), label)

    def _request_casefile(self) -> None:
        subject = self.casefile_subject()
        if subject is not None:
            self.casefile_requested.emit(subject)

    def activate(self) -> None:
        if self.editor is None:
            self.table.setFocus()

    def records_changed(self) -> None:
        """Interviews arrived, were purged or changed elsewhere (the Sync page): the list
        reads them again. An editor left open on a purged interview is closed."""
        if self.editor is not None:
            interview_id = self.editor.ctx.interview.id
            self.env.run(lambda vault: vault.store.find(Interview, interview_id),
                         self._still_there, owner=self)
        self.model.reload()

    def _still_there(self, interview: Interview | None) -> None:
        if self.editor is not None and (interview is None or interview.deleted_at):
            self.close_editor(reload=False)

    # Opening ---------------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        interview_id = self.model.data(index, ID_ROLE)
        if interview_id:
            self.open_interview(interview_id)

    def new_interview(self) -> None:
        start = now_text()
        self.env.run(lambda vault: interviews.new_interview(vault, start_at=start),
                     self._created, self._failed, owner=self)

    def _created(self, interview: Interview) -> None:
        self.open_interview(interview.id)

    def open_interview(self, interview_id: str) -> None:
        self.error.setText("")
        self.env.run(lambda vault: lookups.open_interview(vault.store, interview_id),
                     self._opened, self._failed, owner=self)

    def _failed(self, error: object) -> None:
        message = getattr(error, "message", None)
        self.error.setText(message() if callable(message) else _("Something went wrong."))

    def _opened(self, data: lookups.EditorData) -> None:
        self.close_editor(reload=False)
        ctx = EditorContext(data, self.env.saver, jobs=self.env.jobs, blobs=self.env.blobs)
        self.editor = InterviewEditor(ctx)
        ctx.setParent(self.editor)
        self.editor.back_requested.connect(self.show_list)
        self.editor.casefile_requested.connect(self._request_casefile)
        self.stack.addWidget(self.editor)
        self.stack.setCurrentWidget(self.editor)
        self.editor.nav.setFocus()
        self.opened.emit(data.file.interview.id)
        memory.settle_soon()

    def show_list(self) -> None:
        if self.editor is not None:
            self.close_editor(reload=True)
        self.table.setFocus()

    def close_editor(self, *, reload: bool) -> None:
        """Send what is pending, then drop the editor and every widget that showed content."""
        editor, self.editor = self.editor, None
        self.stack.setCurrentWidget(self.list_page)
        if editor is not None:
            for section in editor.built_sections():
                stop = getattr(section, "shutdown", None)
                if stop is not None:
                    stop()
            self.env.saver.flush()
            self.stack.removeWidget(editor)
            editor.hide()
            editor.deleteLater()
            memory.release_soon()
            if reload:
                self.model.reload()

    def current_interview_id(self) -> str | None:
        return self.editor.ctx.interview.id if self.editor is not None else None

    def clear(self) -> None:
        """Locking: forget every row and close the editor."""
        self.close_editor(reload=False)
        self.model.clear()
        self.search.clear()
        self._search_timer.stop()
        self.count.setText("")
