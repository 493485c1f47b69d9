"""The coordinator's part of the Sync page: enrollment, import, devices, receipts, conflicts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from testimony_app.i18n import _, ngettext
from testimony_app.services import sync
from testimony_app.sync import enrollment, receipts
from testimony_app.sync import errors as e
from testimony_app.sync.devices import Device
from testimony_app.ui import dialogs
from testimony_app.ui.sync.common import button_row, entity_name, section
from testimony_app.ui.sync.conflict_view import ConflictView
from testimony_app.ui.sync.trust_dialog import TrustDeviceDialog
from testimony_app.ui.widgets import PlainLabel, monospace, muted_label

if TYPE_CHECKING:
    from testimony_app.ui.sync_page import Snapshot, SyncPage


def outcome_text(outcome: sync.BundleOutcome) -> str:
    name = outcome.path.name
    if outcome.error is not None:
        return _("{file}: refused. {reason}").format(file=name, reason=outcome.error.message())
    result = outcome.result
    assert result is not None  # noqa: S101 - an outcome has a result or an error
    if result.already_imported:
        return _("{file}: already imported.").format(file=name)
    counts = result.counts
    text = _("{file}: imported from {device}: {created} new, {updated} updated, "
             "{conflicts} conflicts, {files} files.").format(
        file=name, device=result.device, created=counts.created if counts else 0,
        updated=counts.updated if counts else 0, conflicts=counts.conflicts if counts else 0,
        files=counts.attachments if counts else 0)
    for notice in result.notices:
        text += " " + notice.message()
    return text


class CoordinatorPanel(QWidget):
    def __init__(self, page: SyncPage) -> None:
        super().__init__()
        self.page = page
        self.trust_dialog: TrustDeviceDialog | None = None
        self._untrusted: list[tuple[str, list[Path]]] = []

        self.enroll_box, enroll = section(_("Enrollment"))
        enroll.addWidget(muted_label(_(
            "Give each interviewer's device the enrollment file, and tell them the "
            "organisation's fingerprint (above) by another channel so they can check it.")))
        self.enroll_button = QPushButton(_("Export enrollment file…"))
        self.enroll_result = PlainLabel(wrap=True)
        enroll.addLayout(button_row(self.enroll_button))
        enroll.addWidget(self.enroll_result)

        self.import_box, imports = section(_("Import bundles"))
        self.import_button = QPushButton(_("Import bundles…"))
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAccessibleName(_("Import results"))
        self.results.setMaximumHeight(130)
        self.results.hide()
        imports.addLayout(button_row(self.import_button))
        imports.addWidget(self.results)

        self.devices_box, devices = section(_("Devices"))
        self.devices = QTreeWidget()
        self.devices.setHeaderLabels([_("Label"), _("Fingerprint"), _("Status"), _("Bundles")])
        self.devices.setRootIsDecorated(False)
        self.devices.setMaximumHeight(130)
        self.devices.setAccessibleName(_("Devices"))
        self.revoke_button = QPushButton(_("Revoke"))
        self.revoke_button.setToolTip(_("Refuse every later bundle from the chosen device"))
        self.receipt_button = QPushButton(_("Create receipt…"))
        self.receipt_button.setToolTip(_("A receipt for the chosen device, confirming the "
                                         "bundles that arrived"))
        self.receipt_result = PlainLabel(wrap=True)
        devices.addWidget(self.devices)
        devices.addLayout(button_row(self.revoke_button, self.receipt_button))
        devices.addWidget(self.receipt_result)

        self.conflicts_box, conflicts = section(_("Conflicts"))
        self.no_conflicts = muted_label(_("No open conflicts."))
        self.conflicts = QListWidget()
        self.conflicts.setMaximumHeight(80)
        self.conflicts.setAccessibleName(_("Open conflicts"))
        self.conflicts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_view = ConflictView()
        conflicts.addWidget(self.no_conflicts)
        conflicts.addWidget(self.conflicts)
        conflicts.addWidget(self.conflict_view)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for box in (self.import_box, self.conflicts_box, self.devices_box, self.enroll_box):
            column.addWidget(box)
        self.enroll_button.clicked.connect(self.export_enrollment)
        self.import_button.clicked.connect(self.import_bundles)
        self.revoke_button.clicked.connect(self.revoke)
        self.receipt_button.clicked.connect(self.create_receipt)
        self.devices.currentItemChanged.connect(lambda *_a: self._enable())
        self.conflicts.currentRowChanged.connect(self._show_conflict)
        self.conflict_view.resolve.connect(self.resolve)
        self._busy = False
        self._state_conflicts: list = []

    def show_state(self, state: Snapshot) -> None:
        chosen = self._chosen_device()
        self.devices.clear()
        for device in state.devices:
            status = {"this vault": _("this vault"), "revoked": _("revoked"),
                      "trusted": _("trusted")}[device.status]
            item = QTreeWidgetItem([device.label, device.fingerprint, status,
                                    str(device.bundles)])
            item.setFont(1, monospace())
            item.setData(0, Qt.ItemDataRole.UserRole, device)
            self.devices.addTopLevelItem(item)
            if chosen is not None and chosen.id == device.id:
                self.devices.setCurrentItem(item)
        for col in range(4):
            self.devices.resizeColumnToContents(col)
        current = self.conflict_view.conflict
        self._state_conflicts = list(state.conflicts)
        self.conflicts.blockSignals(True)
        self.conflicts.clear()
        for conflict in state.conflicts:
            QListWidgetItem(_("{entity} {id} — raised {when}").format(
                entity=entity_name(conflict.entity), id=conflict.record_id[:8],
                when=conflict.raised_at[:16].replace("T", " ")), self.conflicts)
        self.conflicts.blockSignals(False)
        ids = [c.id for c in state.conflicts]
        row = ids.index(current.id) if current is not None and current.id in ids else (
            0 if ids else -1)
        self.conflicts.setCurrentRow(row)
        self._show_conflict(row)
        self.no_conflicts.setVisible(not ids)
        self.conflicts.setVisible(bool(ids))
        self.conflict_view.setVisible(bool(ids))
        self._enable()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def _enable(self) -> None:
        device = self._chosen_device()
        for button in (self.enroll_button, self.import_button, self.receipt_button):
            button.setEnabled(not self._busy)
        self.revoke_button.setEnabled(not self._busy and device is not None
                                      and device.status == "trusted")
        self.conflict_view.set_busy(self._busy)

    def _chosen_device(self) -> Device | None:
        item = self.devices.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    # Enrollment -----------------------------------------------------------------------------

    def export_enrollment(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the enrollment file"), "organisation.tenroll",
            _("Testimony enrollment files (*.tenroll)"))
        if path:
            self.page.call(lambda vault: sync.write_enrollment(vault, Path(path)),
                           lambda enrolled: self._enrolled(enrolled, path))

    def _enrolled(self, enrolled: enrollment.Enrollment, path: str) -> None:
        self.enroll_result.setText(_("Enrollment file (version {version}) written to {path}.")
                                   .format(version=enrolled.version, path=path))

    # Import ---------------------------------------------------------------------------------

    def import_bundles(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose bundles to import"), "",
            _("Testimony bundles (*.tbundle);;All files (*)"))
        if paths:
            self.results.clear()
            self._untrusted = []
            self._run_import([Path(p) for p in paths], [], "")

    def _run_import(self, paths: list[Path], trust: list[str], label: str) -> None:
        progress, cancel = self.page.task.start(
            ngettext("Importing {n} bundle…", "Importing {n} bundles…", len(paths)).format(
                n=len(paths)))
        self.page.set_busy(True)
        self.page.call(lambda vault: sync.import_bundles(
            vault, paths, trust=trust, label=label, progress=progress, cancel=cancel),
            self._imported)

    def _imported(self, outcomes: list[sync.BundleOutcome]) -> None:
        self.page.task.stop()
        self.page.set_busy(False)
        unknown: dict[str, list[Path]] = defaultdict(list)
        for outcome in outcomes:
            if isinstance(outcome.error, e.UnknownDevice):
                unknown[str(outcome.error.params.get("fingerprint", ""))].append(outcome.path)
            else:
                self._add_result(outcome_text(outcome))
        self._untrusted.extend(unknown.items())
        self.page.refresh()
        self._ask_next()

    def _add_result(self, text: str) -> None:
        self.results.show()
        self.results.addItem(text)
        self.results.scrollToBottom()

    def _ask_next(self) -> None:
        if not self._untrusted:
            return
        fingerprint, paths = self._untrusted[0]
        dialog = TrustDeviceDialog(fingerprint, [p.name for p in paths], self)
        dialog.finished.connect(lambda code: self._trust_answered(dialog, code))
        self.trust_dialog = dialog
        dialog.open()

    def _trust_answered(self, dialog: TrustDeviceDialog, code: int) -> None:
        self.trust_dialog = None
        if not self._untrusted or not shiboken6.isValid(self):
            return
        fingerprint, paths = self._untrusted.pop(0)
        label = dialog.label()
        dialog.deleteLater()
        if code == TrustDeviceDialog.DialogCode.Accepted:
            self._run_import(paths, [fingerprint], label)
            return
        for path in paths:
            self._add_result(_("{file}: refused, the device was not trusted.").format(
                file=path.name))
        self._ask_next()

    # Devices and receipts -------------------------------------------------------------------

    def revoke(self) -> None:
        device = self._chosen_device()
        if device is None:
            return
        if dialogs.confirm(self, _("Revoke device"), _(
                "Revoke {device} ({fingerprint})? Every later bundle from it will be refused. "
                "Do this when a device is lost or seized.").format(
                    device=device.label or device.id, fingerprint=device.fingerprint),
                yes=_("Revoke")):
            self.page.call(lambda vault: sync.revoke_device(vault, device.id),
                           lambda _d: self.page.refresh())

    def create_receipt(self) -> None:
        device = self._chosen_device()
        device_id = device.id if device is not None and not device.is_self else None
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the receipt"), "receipt.treceipt",
            _("Testimony receipts (*.treceipt)"))
        if path:
            self.page.call(lambda vault: sync.create_receipt(vault, Path(path), device_id),
                           lambda created: self._receipt(created, path))

    def _receipt(self, created: receipts.Created, path: str) -> None:
        self.receipt_result.setText(ngettext(
            "Receipt for {n} bundle ({r} records) written to {path}.",
            "Receipt for {n} bundles ({r} records) written to {path}.", created.bundles).format(
                n=created.bundles, r=created.records, path=path))

    # Conflicts ------------------------------------------------------------------------------

    def _show_conflict(self, row: int) -> None:
        conflicts = self._state_conflicts
        self.conflict_view.show_conflict(conflicts[row] if 0 <= row < len(conflicts) else None)

    def resolve(self, conflict_id: str, choice: str, fields: object) -> None:
        self.page.set_busy(True)

        def done(_record: object) -> None:
            self.page.set_busy(False)
            self.page.refresh()

        self.page.call(lambda vault: sync.resolve_conflict(
            vault, conflict_id, choice, fields if isinstance(fields, dict) else None), done)
