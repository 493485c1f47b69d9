"""The interviews list: a table model that loads a page at a time, off the GUI thread.

``canFetchMore``/``fetchMore`` ask for the next page when the view scrolls near the end;
the page arrives from the vault thread and is appended. A new query (search, filter, sort)
bumps a generation number, so a late page of an old query is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import N_, current_language, gettext
from testimony_app.services import interviews
from testimony_app.services.interviews import InterviewRow
from testimony_app.vault.vault import Vault

PAGE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
DATE, INTERVIEWEE, PLACE, STATUS, ACTS, SIGHTINGS = range(6)
HEADERS = (N_("Date"), N_("Interviewee"), N_("Place"), N_("Status"), N_("Acts"),
           N_("Co-detainees"))
ORDER_BY_COLUMN = {DATE: "start_at", INTERVIEWEE: "interviewee", PLACE: "place",
                   STATUS: "status"}

Runner = Callable[..., Any]  # (fn(vault), on_done) -> job, on the vault thread
Index = QModelIndex | QPersistentModelIndex


class InterviewsModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    counted = Signal(int)

    def __init__(self, run: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self._run = run
        self._rows: list[InterviewRow] = []
        self._total: int | None = None
        self._loading = False
        self._generation = 0
        self.status: str | None = None
        self.search = ""
        self.order = "start_at"
        self.descending = True

    # Queries --------------------------------------------------------------------------------

    def set_query(self, *, status: str | None = None, search: str = "",
                  order: str | None = None) -> None:
        self.status, self.search = status, search
        if order:
            self.order = order
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._rows, self._total = [], None
        self.endResetModel()
        self._set_loading(True)
        query = dict(status=self.status, search=self.search, order=self.order,
                     descending=self.descending)

        def first_page(vault: Vault) -> tuple[int, list[InterviewRow]]:
            store = vault.store
            total = interviews.count_interviews(store, status=query["status"],
                                              search=query["search"])
            return total, interviews.list_interviews(store, **query, offset=0, limit=PAGE)

        self._run(first_page, lambda result: self._first(generation, result))

    def _first(self, generation: int, result: tuple[int, list[InterviewRow]]) -> None:
        if generation != self._generation:
            return
        total, rows = result
        self._total = total
        self.counted.emit(total)
        self._append(rows)
        self._set_loading(False)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return (not parent.isValid() and self._total is not None and not self._loading
                and len(self._rows) < self._total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._set_loading(True)
        generation, offset = self._generation, len(self._rows)
        query = dict(status=self.status, search=self.search, order=self.order,
                     descending=self.descending)
        self._run(lambda vault: interviews.list_interviews(vault.store, **query, offset=offset,
                                                         limit=PAGE),
                  lambda rows: self._page(generation, rows))

    def _page(self, generation: int, rows: list[InterviewRow]) -> None:
        if generation != self._generation:
            return
        self._append(rows)
        self._set_loading(False)

    def _append(self, rows: list[InterviewRow]) -> None:
        if not rows:
            if self._total is not None:
                self._total = len(self._rows)  # the vault changed meanwhile: stop asking
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.loading_changed.emit(loading)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int | None:
        return self._total

    def clear(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows, self._total = [], None
        self.endResetModel()

    # The model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return gettext(HEADERS[section])
        return None

    def row(self, index: int) -> InterviewRow:
        return self._rows[index]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE:
                return row.start_at[:16].replace("T", " ")
            if column == INTERVIEWEE:
                return row.interviewee or "—"
            if column == PLACE:
                return row.place
            if column == STATUS:
                return vocabularies()["interview_status"].label(row.status, current_language())
            if column == ACTS:
                return row.acts or ""
            if column == SIGHTINGS:
                return row.sightings or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ACTS, SIGHTINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = ORDER_BY_COLUMN.get(column, "updated_at")
        descending = order == Qt.SortOrder.DescendingOrder
        if (wanted, descending) != (self.order, self.descending):
            self.order, self.descending = wanted, descending
            self.reload()
