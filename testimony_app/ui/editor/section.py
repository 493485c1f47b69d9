"""The two shapes of an editor section: one form, or a list of records beside a form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from testimony_app.domain.base import Record
from testimony_app.i18n import _
from testimony_app.ui import dialogs
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.form import Form, heading
from testimony_app.ui.widgets import link_button, muted_label

ID_ROLE = Qt.ItemDataRole.UserRole


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the frame
    return area


class Section(QWidget):
    """A page of the editor. ``key`` is stable (tests, shortcuts); ``title()`` is translated."""

    key = ""

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(18, 14, 18, 10)
        self.outer.setSpacing(8)
        self.heading = heading(self.title())
        self.outer.addWidget(self.heading)
        ctx.read_only_changed.connect(self.set_read_only)

    @staticmethod
    def title() -> str:
        raise NotImplementedError

    def count(self) -> int | None:
        """Shown beside the title in the list of sections (None: nothing to count)."""
        return None

    def refresh(self) -> None:
        """Called each time the section is shown: re-read the working copy."""

    def focus_first(self) -> None:
        """Put the cursor in the first field (moving by keyboard lands ready to type)."""
        for widget in self.findChildren(QWidget):
            if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
                    and widget.isVisibleTo(self) and widget.focusProxy() is None):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def set_read_only(self, read_only: bool) -> None:
        """A locked interview is shown, not edited."""


class FormSection(Section):
    """One record, one form (the interview itself, the interviewee, the capture)."""

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._loaded = False
        self.form = self.build_form()
        self.form.edited.connect(self._edited)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 12)
        column.addWidget(self.form)
        column.addStretch(1)
        self.outer.addWidget(scrolling(body), 1)

    def build_form(self) -> Form:
        raise NotImplementedError

    def record(self) -> Record:
        raise NotImplementedError

    def _edited(self, name: str) -> None:
        self.ctx.change(self.record(), name, self.form.value(name))

    def refresh(self) -> None:
        """Loaded once: what is on screen is the truth, and reloading a field would reset the
        person's undo history in it."""
        if not self._loaded:
            self._loaded = True
            self.form.load(self.current_record())
        self.form.set_read_only(self.ctx.read_only)

    def current_record(self) -> Record | None:
        return self.record()

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)


class RecordListSection(Section):
    """Records of one kind in a list (left) and the chosen one in a form (right)."""

    cls: type[Record] = Record

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.list = QListWidget()
        self.list.setAccessibleName(self.title())
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.add_button = QPushButton(self.add_text())
        self.delete_button = link_button(_("Delete the chosen one…"))
        self.empty = muted_label(self.empty_text())
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 6, 0)
        left_column.addWidget(self.add_button)
        left_column.addWidget(self.list, 1)
        left_column.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)

        self.form = self.build_form()
        self.form.edited.connect(self._edited)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 0, 12, 12)
        column.addWidget(self.empty)
        column.addWidget(self.form)
        column.addStretch(1)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(scrolling(body))
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 600])
        self.outer.addWidget(splitter, 1)

        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.add_button.clicked.connect(self.add_record)
        self.delete_button.clicked.connect(self.delete_current)
        self._show_current()

    # To write in each section ------------------------------------------------------------

    def add_text(self) -> str:
        raise NotImplementedError

    def empty_text(self) -> str:
        raise NotImplementedError

    def build_form(self) -> Form:
        raise NotImplementedError

    def new_record(self) -> Record:
        raise NotImplementedError

    def item_label(self, record: Record) -> str:
        raise NotImplementedError

    def sort_key(self, record: Record) -> tuple[str, ...]:
        return (record.created_at or "~",)

    def load_extra(self, record: Record | None) -> None:
        """Widgets beside the form that are not fields of the record (linked acts)."""

    # Shared -------------------------------------------------------------------------------

    def count(self) -> int:
        return len(self.ctx.records(self.cls))

    def current(self) -> Record | None:
        item = self.list.currentItem()
        return self.ctx.get(self.cls, item.data(ID_ROLE)) if item is not None else None

    def refresh(self) -> None:
        chosen = self.current()
        self.list.blockSignals(True)
        self.list.clear()
        for record in sorted(self.ctx.records(self.cls), key=self.sort_key):
            item = QListWidgetItem(self.item_label(record) or _("(not named yet)"))
            item.setData(ID_ROLE, record.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.select(chosen.id if chosen else None)
        self.set_read_only(self.ctx.read_only)

    def select(self, record_id: str | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == record_id:
                self.list.setCurrentRow(row)
                return
        if self.list.count() and record_id is None:
            self.list.setCurrentRow(0)
        else:
            self._show_current()

    def _show_current(self) -> None:
        record = self.current()
        self.form.setVisible(record is not None)
        self.empty.setVisible(record is None)
        self.delete_button.setEnabled(record is not None and not self.ctx.read_only)
        self.form.load(record)
        self.load_extra(record)

    def _edited(self, name: str) -> None:
        record = self.current()
        if record is None:
            return
        record = self.ctx.change(record, name, self.form.value(name))
        item = self.list.currentItem()
        if item is not None:
            item.setText(self.item_label(record) or _("(not named yet)"))

    def add_record(self) -> Record:
        record = self.ctx.add(self.new_record())
        self.refresh()
        self.select(record.id)
        self.form.fields[next(iter(self.form.fields))].setFocus()
        return record

    def delete_current(self) -> None:
        record = self.current()
        if record is None or self.ctx.read_only:
            return
        question = _("Delete “{name}”? It stays in the vault's history.").format(
            name=self.item_label(record) or _("(not named yet)"))
        if not dialogs.confirm(self, _("Delete"), question, yes=_("Delete")):
            return
        self.ctx.remove(record)
        self.refresh()

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        self.add_button.setEnabled(not read_only)
        self.delete_button.setEnabled(not read_only and self.current() is not None)
