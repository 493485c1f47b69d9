"""Sync: bundles between field vaults and the organisation's coordinator.

What the page shows depends on the vault's role: a vault in no organisation can join one
(a field vault) or create one (the coordinator); a field vault exports bundles, applies
receipts and purges what was delivered; the coordinator imports bundles, trusts and revokes
devices, writes receipts and resolves conflicts. Every call goes to the vault thread (the
services use the vault's own connection); export and import report progress and can be
cancelled (a cancelled one changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from testimony_app import errors
from testimony_app.i18n import _
from testimony_app.services import sync
from testimony_app.sync.conflicts import Conflict
from testimony_app.sync.devices import Device
from testimony_app.sync.org import Organisation
from testimony_app.ui import dialogs
from testimony_app.ui.env import Env
from testimony_app.ui.sync.common import TaskRow, section
from testimony_app.ui.sync.coordinator_panel import CoordinatorPanel
from testimony_app.ui.sync.field_panel import FieldPanel
from testimony_app.ui.widgets import PlainLabel, error_label, monospace, muted_label
from testimony_app.vault.vault import Vault

PAGE_MAX_WIDTH = 860


@dataclass(frozen=True)
class Snapshot:
    """What the page shows, read in one call on the vault thread."""

    organisation: Organisation | None = None
    devices: list[Device] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    pending: dict[str, int] = field(default_factory=dict)
    pending_files: int = 0
    purgeable: int = 0


def snapshot(vault: Vault) -> Snapshot:
    organisation = sync.organisation_info(vault).organisation
    if organisation is None:
        return Snapshot()
    if organisation.is_coordinator:
        return Snapshot(organisation, devices=sync.list_devices(vault),
                        conflicts=sync.open_conflicts(vault))
    plan = sync.preview_export(vault)
    return Snapshot(organisation, pending=plan.counts, pending_files=len(plan.files),
                    purgeable=len(sync.purge_candidates(vault)))


class SyncPage(QWidget):
    records_changed = Signal()

    def __init__(self, env: Env, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.state: Snapshot | None = None
        self.title = PlainLabel(_("Sync"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.org_name = PlainLabel(wrap=True)
        self.org_fingerprint = PlainLabel()
        self.org_fingerprint.setFont(monospace())
        self.org_fingerprint.setAccessibleName(_("Organisation fingerprint"))
        self.role = muted_label()
        self.error = error_label(hide_empty=True)
        self.notice = PlainLabel(wrap=True, hide_empty=True)  # not failures (a cancelled task)
        self.task = TaskRow()

        # No organisation yet: join one, or create one.
        self.none_box, none = section(_("Organisation"))
        none.addWidget(muted_label(_(
            "This vault does not belong to an organisation yet. On an interviewer's device, "
            "join the organisation with the enrollment file the coordinator gave you. On the "
            "coordinator's computer, create the organisation once.")))
        self.join_button = QPushButton(_("Join an organisation…"))
        self.create_button = QPushButton(_("Create organisation…"))
        row = QHBoxLayout()
        row.addWidget(self.join_button)
        row.addWidget(self.create_button)
        row.addStretch(1)
        none.addLayout(row)

        self.field_panel = FieldPanel(self)
        self.coordinator_panel = CoordinatorPanel(self)

        content = QWidget()
        content.setMaximumWidth(PAGE_MAX_WIDTH)
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 20, 24, 20)
        column.setSpacing(10)
        column.addWidget(self.title)
        column.addWidget(self.org_name)
        column.addWidget(self.org_fingerprint)
        column.addWidget(self.role)
        column.addWidget(self.task)
        column.addWidget(self.error)
        column.addWidget(self.notice)
        column.addWidget(self.none_box)
        column.addWidget(self.field_panel)
        column.addWidget(self.coordinator_panel)
        column.addStretch(1)
        holder = QWidget()
        centre = QHBoxLayout(holder)
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addWidget(content, 1)
        centre.addStretch(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.join_button.clicked.connect(self.join)
        self.create_button.clicked.connect(self.create_organisation)
        self._show(Snapshot())
        self.none_box.hide()  # until the vault has said which role it has
        self.state = None

    # Calls on the vault thread ------------------------------------------------------------

    def call(self, fn: Callable[[Vault], Any], done: Callable[[Any], None]) -> None:
        self.error.setText("")
        self.notice.setText("")
        self.env.run(fn, done, self.failed, owner=self)

    def failed(self, error: errors.TestimonyError) -> None:
        if self.task.running:
            self.task.stop()
        self.set_busy(False)
        cancelled = isinstance(error, errors.Cancelled)
        (self.notice if cancelled else self.error).setText(error.message())

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the vault's sync state again; the other pages' lists reload too (an import,
        a purge, a receipt or a resolved conflict changes what they show)."""
        self.records_changed.emit()
        self.env.run(snapshot, self._show, self.failed, owner=self)

    def _show(self, state: Snapshot) -> None:
        self.state = state
        organisation = state.organisation
        coordinator = organisation is not None and organisation.is_coordinator
        self.org_name.setVisible(organisation is not None)
        self.org_fingerprint.setVisible(organisation is not None)
        self.role.setVisible(organisation is not None)
        if organisation is not None:
            self.org_name.setText(_("Organisation: {name}").format(name=organisation.name))
            self.org_fingerprint.setText(organisation.fingerprint)
            self.role.setText(_("This is the organisation's coordinator vault.") if coordinator
                              else _("This is a field vault of the organisation."))
        self.none_box.setVisible(organisation is None)
        self.field_panel.setVisible(organisation is not None and not coordinator)
        self.coordinator_panel.setVisible(coordinator)
        if organisation is not None and not coordinator:
            self.field_panel.show_state(state)
        if coordinator:
            self.coordinator_panel.show_state(state)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.join_button, self.create_button):
            widget.setEnabled(not busy)
        self.field_panel.set_busy(busy)
        self.coordinator_panel.set_busy(busy)

    # Joining and creating ---------------------------------------------------------------------

    def join(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the enrollment file"), "",
            _("Testimony enrollment files (*.tenroll);;All files (*)"))
        if not path:
            return
        try:
            enrolled = sync.read_enrollment(Path(path))
        except errors.TestimonyError as exc:
            self.error.setText(exc.message())
            return
        question = _(
            "Organisation: {name}\nFingerprint: {fingerprint}\n\nCompare this fingerprint "
            "with the one the coordinator gives you in person or by phone (not by the same "
            "channel as the file). Join only if every group matches.").format(
                name=enrolled.name, fingerprint=enrolled.fingerprint)
        if not dialogs.confirm(self, _("Join an organisation"), question,
                               yes=_("The fingerprints match: join")):
            return
        self.call(lambda vault: sync.join(vault, enrolled), lambda _outcome: self.refresh())

    def create_organisation(self) -> None:
        name, ok = QInputDialog.getText(self, _("Create organisation"),
                                        _("Name of the organisation:"))
        name = name.strip()
        if not ok or not name:
            return
        if not dialogs.confirm(self, _("Create organisation"), _(
                "Next, choose where to save the escrow key file. It can decrypt every bundle "
                "ever sent to the organisation: save it on a removable drive, keep it offline "
                "and locked away, and never on this computer or a shared folder. It is "
                "written once and not kept in the vault."), yes=_("Choose where to save it")):
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the escrow key file"), "escrow-key.txt", _("Text files (*.txt)"))
        if not path:
            return
        self.call(lambda vault: sync.create_organisation(vault, name, Path(path)),
                  self._created)

    def _created(self, created: sync.OrgCreated) -> None:
        dialogs.notice(self, _("Create organisation"), _(
            "The organisation was created. The escrow key file was written to {path}: move "
            "it offline now.").format(path=str(created.escrow_file)))
        self.refresh()

    def clear(self) -> None:
        """Locking: stop a running export or import (it changes nothing) and forget."""
        self.task.cancel()
        self.task.stop()
        self.state = None
        self.field_panel.show_state(Snapshot())
        self.coordinator_panel.show_state(Snapshot())
