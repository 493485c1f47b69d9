"""The field vault's part of the Sync page: export bundles, apply receipts, purge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QPushButton, QVBoxLayout, QWidget

from testimony_app.i18n import _, ngettext
from testimony_app.services import sync
from testimony_app.sync import exporter, receipts
from testimony_app.sync.purge import Purged
from testimony_app.ui import dialogs
from testimony_app.ui.sync.common import button_row, counts_text, section, size_text
from testimony_app.ui.widgets import PlainLabel, muted_label

if TYPE_CHECKING:
    from testimony_app.ui.sync_page import Snapshot, SyncPage


class FieldPanel(QWidget):
    def __init__(self, page: SyncPage) -> None:
        super().__init__()
        self.page = page
        self.export_box, export = section(_("Send to the coordinator"))
        self.pending = muted_label()
        self.export_button = QPushButton(_("Export bundle…"))
        self.export_result = PlainLabel(wrap=True)
        self.export_result.setAccessibleName(_("Bundle written"))
        export.addWidget(self.pending)
        export.addLayout(button_row(self.export_button))
        export.addWidget(self.export_result)

        self.receipt_box, receipt = section(_("Receipts and purge"))
        receipt.addWidget(muted_label(_(
            "The coordinator sends a receipt for the bundles that arrived. Apply it here; then "
            "the testimonies it confirms can be removed from this device.")))
        self.receipt_button = QPushButton(_("Apply receipt…"))
        self.purge_button = QPushButton(_("Purge delivered testimonies…"))
        self.purgeable = muted_label()
        self.receipt_result = PlainLabel(wrap=True)
        receipt.addLayout(button_row(self.receipt_button, self.purge_button))
        receipt.addWidget(self.purgeable)
        receipt.addWidget(self.receipt_result)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.export_box)
        column.addWidget(self.receipt_box)
        self.export_button.clicked.connect(self.export)
        self.receipt_button.clicked.connect(self.apply_receipt)
        self.purge_button.clicked.connect(self.purge)
        self._pending_count = 0
        self._purgeable = 0

    def show_state(self, state: Snapshot) -> None:
        self._pending_count = sum(state.pending.values())
        self._purgeable = state.purgeable
        if self._pending_count:
            self.pending.setText(_("Not yet confirmed by a receipt from the coordinator; the next bundle holds:") + "\n"
                                 + counts_text(state.pending))
        else:
            self.pending.setText(_("The coordinator has confirmed receiving everything recorded here."))
        self.purgeable.setText(ngettext(
            "{n} delivered testimony can be removed from this device.",
            "{n} delivered testimonies can be removed from this device.",
            state.purgeable).format(n=state.purgeable))
        self.set_busy(self.page.task.running)

    def set_busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.receipt_button.setEnabled(not busy)
        self.purge_button.setEnabled(not busy and self._purgeable > 0)

    # Export ---------------------------------------------------------------------------------

    def export(self) -> None:
        self.page.call(sync.preview_export, self._confirm_export)

    def _confirm_export(self, plan: exporter.Plan) -> None:
        if plan.empty:
            self.export_result.setText(_("There is nothing new to send."))
            return
        text = _("The bundle will hold:") + "\n" + counts_text(plan.counts)
        if plan.files:
            text += "\n" + ngettext("{n} attached file ({size})", "{n} attached files ({size})",
                                    len(plan.files)).format(n=len(plan.files),
                                                            size=size_text(plan.file_bytes))
        text += "\n\n" + _("It is encrypted so that only the organisation can read it. "
                           "Choose the folder to write it to next (a USB stick, for example).")
        if not dialogs.confirm(self, _("Export bundle"), text, yes=_("Choose folder…")):
            return
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the bundle"))
        if not folder:
            return
        progress, cancel = self.page.task.start(_("Writing the bundle…"))
        self.page.set_busy(True)
        self.export_result.setText("")
        out = Path(folder)
        self.page.call(lambda vault: sync.export_bundle(vault, out, progress=progress,
                                                        cancel=cancel), self._exported)

    def _exported(self, result: exporter.Exported | None) -> None:
        self.page.task.stop()
        self.page.set_busy(False)
        if result is None:
            self.export_result.setText(_("There is nothing new to send."))
        else:
            self.export_result.setText(_(
                "Bundle {sequence} written to {path} ({records} records, {files} files, "
                "{size}).").format(sequence=result.sequence, path=str(result.path),
                                   records=result.records, files=result.attachments,
                                   size=size_text(result.size_bytes)))
        self.page.refresh()

    # Receipts and purge ---------------------------------------------------------------------

    def apply_receipt(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the receipt"), "",
            _("Testimony receipts (*.treceipt);;All files (*)"))
        if path:
            self.page.call(lambda vault: sync.apply_receipt(vault, Path(path)), self._applied)

    def _applied(self, applied: receipts.Applied) -> None:
        if applied.already_applied:
            self.receipt_result.setText(_("This receipt was already applied."))
        else:
            text = ngettext("The receipt confirms {n} bundle; {d} records delivered.",
                            "The receipt confirms {n} bundles; {d} records delivered.",
                            applied.bundles).format(n=applied.bundles, d=applied.delivered)
            if applied.changed_since:
                text += " " + ngettext(
                    "{n} record changed since it was sent and will go in the next bundle.",
                    "{n} records changed since they were sent and will go in the next bundle.",
                    applied.changed_since).format(n=applied.changed_since)
            self.receipt_result.setText(text)
        self.page.refresh()

    def purge(self) -> None:
        self.page.call(sync.purge_candidates, self._confirm_purge)

    def _confirm_purge(self, candidates: list[Any]) -> None:
        if not candidates:
            self.receipt_result.setText(_("No delivered testimony to remove."))
            return
        n = len(candidates)
        text = ngettext(
            "Remove {n} testimony the coordinator confirmed receiving from this device? Its "
            "records and files are deleted here (the coordinator keeps them). This is recorded "
            "in the audit log and cannot be undone.",
            "Remove {n} testimonies the coordinator confirmed receiving from this device? Their "
            "records and files are deleted here (the coordinator keeps them). This is recorded "
            "in the audit log and cannot be undone.", n).format(n=n)
        if dialogs.confirm(self, _("Purge delivered testimonies"), text, yes=_("Remove")):
            self.page.call(sync.purge_delivered, self._purged)

    def _purged(self, purged: Purged) -> None:
        self.receipt_result.setText(ngettext(
            "{n} testimony removed ({r} records, {a} files).",
            "{n} testimonies removed ({r} records, {a} files).", purged.interviews).format(
                n=purged.interviews, r=purged.records, a=purged.attachments))
        self.page.refresh()
