"""Trusting a device whose bundle arrives for the first time: compare its fingerprint, name it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from testimony_app.i18n import _
from testimony_app.ui.widgets import PlainLabel, monospace, muted_label


class TrustDeviceDialog(QDialog):
    """Window-modal; opened with ``open()``. Accepted means "trust", with ``label()``."""

    def __init__(self, fingerprint: str, files: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fingerprint = fingerprint
        self.setWindowTitle(_("New device"))
        self.setMinimumWidth(480)
        intro = PlainLabel(_("These bundles come from a device this vault does not know yet:"),
                           wrap=True)
        names = muted_label("\n".join(files))
        ask = PlainLabel(_("Compare this fingerprint with the one shown on the interviewer's "
                           "device (in person or by phone). Trust the device only if every "
                           "group matches."), wrap=True)
        self.fingerprint_label = PlainLabel(fingerprint)
        self.fingerprint_label.setFont(monospace(1.25))
        self.fingerprint_label.setAccessibleName(_("Device fingerprint"))
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(_("For example: Kharkiv team laptop"))
        self.label_edit.setAccessibleName(_("Name for this device"))
        self.label_edit.setMaxLength(120)
        self.trust_button = QPushButton(_("Trust this device"))
        self.refuse_button = QPushButton(_("Refuse"))
        self.refuse_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.trust_button)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(names)
        column.addWidget(ask)
        column.addWidget(self.fingerprint_label)
        column.addWidget(PlainLabel(_("Name for this device")))
        column.addWidget(self.label_edit)
        column.addLayout(buttons)
        self.trust_button.clicked.connect(self.accept)
        self.refuse_button.clicked.connect(self.reject)

    def label(self) -> str:
        return self.label_edit.text().strip()
