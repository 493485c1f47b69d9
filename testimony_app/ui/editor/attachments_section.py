"""Evidence files: add (dialog or drag and drop), watch the encryption, see the custody log,
and view images in memory.

Encryption runs on the jobs thread (large audio files take a while) so autosave keeps flowing
on the vault thread; the short transaction that records the attachment runs there after it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from testimony_app import errors
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.i18n import _
from testimony_app.services import evidence
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.editor.image_viewer import ImageViewer
from testimony_app.ui.editor.section import ID_ROLE, Section
from testimony_app.ui.form import Form
from testimony_app.ui.widgets import PlainLabel, error_label, monospace, muted_label


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


class _Progress(QObject):
    moved = Signal(int, int)


class AttachmentsSection(Section):
    key = "attachments"

    @staticmethod
    def title() -> str:
        return _("Attachments")

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.outer.addWidget(muted_label(_(
            "Audio, photos and scans are encrypted into the vault as they are added. Drop "
            "files here or choose them.")))
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([_("Kind"), _("File"), _("Size"), _("SHA-256")])
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 240)
        self.table.setColumnWidth(2, 80)
        self.add_button = QPushButton(_("Add files…"))
        self.view_button = QPushButton(_("View"))
        self.progress = QProgressBar()
        self.progress_text = PlainLabel()
        self.cancel_button = QPushButton(_("Cancel"))
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.view_button)
        row.addSpacing(16)
        row.addWidget(self.progress_text)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.outer.addWidget(self.table, 2)
        self.outer.addLayout(row)
        self.outer.addWidget(self.error)

        self.form = Form(Attachment)
        self.form.add("kind")
        self.form.add("description")
        self.custody = QTreeWidget()
        self.custody.setRootIsDecorated(False)
        self.custody.setHeaderLabels([_("When (UTC)"), _("What"), _("Where"), _("Hash")])
        self.custody.setColumnWidth(0, 150)
        self.custody.setColumnWidth(1, 150)
        self.custody.setColumnWidth(2, 200)
        self.outer.addWidget(self.form)
        self.outer.addWidget(PlainLabel(_("Chain of custody")))
        self.outer.addWidget(self.custody, 1)
        self._set_busy(False)

        self._cancel = threading.Event()
        self._path = Path()
        self._queue: list[Path] = []
        self._busy = False
        self._signal = _Progress(self)
        self._signal.moved.connect(self._moved)
        self.table.currentItemChanged.connect(lambda *_: self._show_current())
        self.table.itemActivated.connect(lambda *_: self.view_current())
        self.add_button.clicked.connect(self.choose_files)
        self.view_button.clicked.connect(self.view_current)
        self.cancel_button.clicked.connect(self.cancel)
        self.form.edited.connect(self._edited)

    def count(self) -> int:
        return len(self.ctx.records(Attachment))

    # Listing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = self.current()
        self.table.clear()
        for a in sorted(self.ctx.records(Attachment), key=lambda a: a.created_at or "~"):
            item = QTreeWidgetItem([self.ctx.term("attachment_kind", a.kind),
                                    a.original_filename, human_size(a.size_bytes), a.sha256])
            item.setFont(3, monospace(0.9))
            item.setToolTip(3, a.sha256)
            item.setData(0, ID_ROLE, a.id)
            self.table.addTopLevelItem(item)
            if chosen is not None and a.id == chosen.id:
                self.table.setCurrentItem(item)
        if self.table.currentItem() is None and self.table.topLevelItemCount():
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._show_current()

    def current(self) -> Attachment | None:
        item = self.table.currentItem()
        return self.ctx.get(Attachment, item.data(0, ID_ROLE)) if item is not None else None

    def _show_current(self) -> None:
        a = self.current()
        self.form.setEnabled(a is not None)
        self.form.load(a)
        self.form.set_read_only(self.ctx.read_only)
        self.view_button.setEnabled(a is not None and evidence.is_image(a))
        self.custody.clear()
        if a is None:
            return
        events = sorted((e for e in self.ctx.records(CustodyEvent) if e.attachment_id == a.id),
                        key=lambda e: e.at)
        for e in events:
            item = QTreeWidgetItem([e.at[:19].replace("T", " "),
                                    self.ctx.term("custody_action", e.action), e.medium,
                                    e.hash_observed])
            item.setFont(3, monospace(0.9))
            self.custody.addTopLevelItem(item)

    def _edited(self, name: str) -> None:
        a = self.current()
        if a is not None:
            self.ctx.change(a, name, self.form.value(name))

    # Adding ---------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Add attachments"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        if self.ctx.read_only:
            return
        self._queue.extend(p for p in paths if p.is_file())
        self._next()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls) and not self.ctx.read_only:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls()])
        event.acceptProposedAction()

    def _next(self) -> None:
        if self._busy or not self._queue:
            return
        path = self._queue.pop(0)
        self._cancel.clear()
        self._set_busy(True)
        self.error.setText("")
        self.progress_text.setText(_("Encrypting {name}…").format(name=path.name))
        blobs, cancel, signal = self.ctx.blobs, self._cancel, self._signal
        job = self.ctx.jobs.submit(
            lambda: evidence.encrypt(blobs, path,
                                     progress=lambda done, total, _t: signal.moved.emit(
                                         min(done, 2**31 - 1), min(total, 2**31 - 1)),
                                     cancel=cancel.is_set),
            discard=lambda stored: evidence.discard(blobs, stored))
        self._path = path
        job.finished.connect(self._encrypted)
        job.failed.connect(self._failed)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _encrypted(self, stored: object) -> None:
        interview_id, name = self.ctx.interview.id, self._path.name
        kind = evidence.kind_for(name)
        job = self.ctx.saver.run(
            lambda vault: evidence.record(vault, interview_id, stored, filename=name, kind=kind),
            on_done=self._recorded, on_failed=self._failed, owner=self)
        if job is None:  # locked meanwhile: the encrypted file is not kept
            blobs = self.ctx.blobs
            self.ctx.jobs.submit(lambda: evidence.discard(blobs, stored))

    def _recorded(self, result: tuple[Attachment, CustodyEvent]) -> None:
        attachment, event = result
        self.ctx.remember(attachment)
        self.ctx.remember(event)
        self._set_busy(False)
        self.refresh()
        self._next()

    def _failed(self, error: errors.TestimonyError) -> None:
        self._set_busy(False)
        if not isinstance(error, errors.Cancelled):
            self.error.setText(error.message())
        self._next()

    def cancel(self) -> None:
        self._queue.clear()
        self._cancel.set()

    def shutdown(self) -> None:
        """The editor closes: stop encrypting (a blob never recorded is removed on next open)."""
        self.cancel()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.progress, self.progress_text, self.cancel_button):
            widget.setVisible(busy)
        self.progress.setRange(0, 0)
        self.add_button.setEnabled(not busy and not self.ctx.read_only)

    @property
    def busy(self) -> bool:
        return self._busy

    # Viewing -------------------------------------------------------------------------------

    def view_current(self) -> None:
        a = self.current()
        if a is None or not evidence.is_image(a):
            return
        attachment_id = a.id
        self.ctx.saver.run(lambda vault: evidence.read_for_viewing(vault, attachment_id),
                           on_done=lambda result: self._show_image(a, result),
                           on_failed=lambda error: self.error.setText(error.message()),
                           owner=self)

    def _show_image(self, a: Attachment, result: tuple[bytes, CustodyEvent]) -> None:
        data, event = result
        self.ctx.remember(event)
        self.viewer = ImageViewer(data, a.original_filename, self)
        del data
        self.viewer.show()
        self._show_current()

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setEnabled(not read_only and not self._busy)
        self.form.set_read_only(read_only)
