"""The unlocked vault: what it is, which device this is, and the way to lock it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from testimony_app.i18n import _
from testimony_app.ui.session import VaultSummary
from testimony_app.ui.widgets import ElidedLabel, Page, PlainLabel, monospace, muted_label

_SELECTABLE = (Qt.TextInteractionFlag.TextSelectableByMouse
               | Qt.TextInteractionFlag.TextSelectableByKeyboard)


class UnlockedPage(Page):
    lock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Vault unlocked"), parent)
        self.name = PlainLabel(wrap=True)
        self.vault_id = PlainLabel()
        self.vault_id.setFont(monospace())
        self.fingerprint = PlainLabel()
        self.fingerprint.setFont(monospace())
        self.folder = ElidedLabel()
        for label in (self.name, self.vault_id, self.fingerprint):
            label.setTextInteractionFlags(_SELECTABLE)
        self.fingerprint_hint = muted_label(_(
            "Your coordinator compares this fingerprint to know that bundles come from this "
            "device."))
        self.lock_button = QPushButton(_("Lock"))
        self.lock_button.setDefault(True)
        self.lock_button.setToolTip(_("Lock the vault (Ctrl+L)"))

        self.add_field(_("Name"), self.name, muted=True)
        self.add_field(_("Vault ID"), self.vault_id, muted=True)
        self.add_field(_("This device's fingerprint"), self.fingerprint, muted=True,
                       hint=self.fingerprint_hint)
        self.add_field(_("Folder"), self.folder, muted=True)
        self.column.addSpacing(8)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.lock_button)
        self.column.addLayout(buttons)
        self.lock_button.clicked.connect(self.lock_requested)

    def show_summary(self, summary: VaultSummary) -> None:
        self.name.setText(summary.name or _("(no name)"))
        self.vault_id.setText(summary.vault_id)
        self.fingerprint.setText(summary.fingerprint)
        self.folder.set_full_text(str(summary.folder))

    def activate(self) -> None:
        self.lock_button.setFocus()

    def clear(self) -> None:
        for label in (self.name, self.vault_id, self.fingerprint):
            label.setText("")
        self.folder.set_full_text("")
