"""The recovery code, shown once after a vault is created.

It is never put on the clipboard for the person (clipboard managers keep histories); the label
is selectable so they may copy it themselves if they choose.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QPushButton, QWidget

from testimony_app.i18n import _
from testimony_app.ui.widgets import Page, PlainLabel, monospace

GROUPS_PER_LINE = 4


def layout_code(code: str) -> str:
    """Two short lines read aloud and copied by hand more reliably than one long one."""
    groups = code.split("-")
    lines = ["-".join(groups[i:i + GROUPS_PER_LINE])
             for i in range(0, len(groups), GROUPS_PER_LINE)]
    return "\n".join(lines)


class RecoveryPage(Page):
    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Write down the recovery code"), parent)
        self.explanation = PlainLabel(_(
            "If the passphrase is ever forgotten, this code is the only way to open the vault. "
            "Write it on paper now and keep it in a safe place, away from this computer."),
            wrap=True)
        self.once = PlainLabel(_("It is shown only this once."), wrap=True)
        self.code = PlainLabel()
        self.code.setFont(monospace(1.9))
        self.code.setBackgroundRole(QPalette.ColorRole.Base)
        self.code.setAutoFillBackground(True)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setFrameShape(QFrame.Shape.StyledPanel)
        self.code.setMargin(14)
        self.code.setAccessibleName(_("Recovery code"))
        self.written = QCheckBox(_("I have written down the recovery code"))
        self.continue_button = QPushButton(_("Continue"))
        self.continue_button.setDefault(True)
        self.continue_button.setEnabled(False)

        self.column.addWidget(self.explanation)
        self.column.addWidget(self.once)
        self.column.addSpacing(6)
        self.column.addWidget(self.code)
        self.column.addSpacing(6)
        self.column.addWidget(self.written)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        self.column.addLayout(buttons)

        self.written.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)

    def show_code(self, code: str) -> None:
        self.written.setChecked(False)
        self.code.setText(layout_code(code))

    def activate(self) -> None:
        self.written.setFocus()

    def clear(self) -> None:
        self.code.setText("")
        self.written.setChecked(False)

    def _continue(self) -> None:
        if not self.written.isChecked():
            return
        self.clear()
        self.confirmed.emit()
