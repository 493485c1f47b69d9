"""First start: no vault known yet. Create one, open a folder that holds one, or open the
demo vault of fictional testimonies (when this build includes it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from testimony_app.i18n import _
from testimony_app.ui.widgets import BusyRow, Page, PlainLabel, error_label, link_button


class WelcomePage(Page):
    create_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, demo: bool = False) -> None:
        super().__init__(_("Welcome to Testimony"), parent)
        self.intro = PlainLabel(_(
            "Testimony keeps interviews in an encrypted vault: a folder on this computer or on "
            "a USB stick that can only be opened with your passphrase."), wrap=True)
        self.create_button = QPushButton(_("Create a new vault…"))
        self.create_button.setDefault(True)
        self.open_button = QPushButton(_("Open an existing vault folder…"))
        self.demo_button = link_button(_("Open the demo vault (fictional testimonies, for "
                                         "training)"))
        self.demo_button.setVisible(demo)
        self.error = error_label()
        self.busy_row = BusyRow()
        self.column.addWidget(self.intro)
        self.column.addSpacing(8)
        self.column.addWidget(self.create_button)
        self.column.addWidget(self.open_button)
        self.column.addSpacing(4)
        self.column.addWidget(self.demo_button)
        self.column.addWidget(self.error)
        self.column.addWidget(self.busy_row)
        self.create_button.clicked.connect(self.create_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def set_busy(self, busy: bool) -> None:
        for button in (self.create_button, self.open_button, self.demo_button):
            button.setEnabled(not busy)
        if busy:
            self.error.setText("")
            self.busy_row.start(_("Opening the demo vault…"))
        else:
            self.busy_row.stop()
