"""First start: no vault known yet. Create one, or open a folder that holds one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from testimony_app.i18n import _
from testimony_app.ui.widgets import Page, PlainLabel, error_label


class WelcomePage(Page):
    create_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Welcome to Testimony"), parent)
        self.intro = PlainLabel(_(
            "Testimony keeps interviews in an encrypted vault: a folder on this computer or on "
            "a USB stick that can only be opened with your passphrase."), wrap=True)
        self.create_button = QPushButton(_("Create a new vault…"))
        self.create_button.setDefault(True)
        self.open_button = QPushButton(_("Open an existing vault folder…"))
        self.error = error_label()
        self.column.addWidget(self.intro)
        self.column.addSpacing(8)
        self.column.addWidget(self.create_button)
        self.column.addWidget(self.open_button)
        self.column.addWidget(self.error)
        self.create_button.clicked.connect(self.create_requested)
        self.open_button.clicked.connect(self.open_requested)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
