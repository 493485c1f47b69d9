"""Unlock a known vault with its passphrase."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from testimony_app import errors
from testimony_app.i18n import _
from testimony_app.services.vaults import UnlockThrottle
from testimony_app.ui import session
from testimony_app.ui.widgets import (
    BusyRow,
    ElidedLabel,
    Page,
    error_label,
    link_button,
)
from testimony_app.ui.workers import Worker


class UnlockPage(Page):
    unlocked = Signal(object)  # session.Session
    create_requested = Signal()
    open_requested = Signal()

    def __init__(self, worker: Worker, throttle: UnlockThrottle,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Unlock the vault"), parent)
        self._worker = worker
        self._throttle = throttle
        self._folder: Path | None = None
        self.busy = False

        self.folder_label = ElidedLabel()
        self.known = QComboBox()  # shown when more than one vault is known on this computer
        self.known.setAccessibleName(_("Known vaults"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.error = error_label()
        self.busy_row = BusyRow()
        self.create_link = link_button(_("Create a new vault…"))
        self.open_link = link_button(_("Open another vault folder…"))

        self.folder_caption = self.add_field(_("Vault folder"), self.folder_label, muted=True)
        self.known_caption = self.add_field(_("Vault"), self.known)
        self._set_known_visible(False)
        self.add_field(_("Passphrase"), self.passphrase)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        self.column.addLayout(buttons)
        self.column.addWidget(self.error)
        self.column.addWidget(self.busy_row)
        links = QVBoxLayout()  # one per line: long labels in Ukrainian stay whole
        links.setSpacing(2)
        links.addWidget(self.create_link)
        links.addWidget(self.open_link)
        self.column.addLayout(links)

        self.passphrase.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.create_link.clicked.connect(self.create_requested)
        self.open_link.clicked.connect(self.open_requested)
        self.known.activated.connect(lambda _i: self._choose_known())

    @property
    def folder(self) -> Path | None:
        return self._folder

    def set_folder(self, folder: Path) -> None:
        self._folder = folder
        self.folder_label.set_full_text(str(folder))
        self.error.setText("")
        self.passphrase.clear()

    def set_known(self, folders: list[Path]) -> None:
        """The vaults used on this computer (folders only: their names are encrypted)."""
        self.known.clear()
        for folder in folders:
            self.known.addItem(str(folder), str(folder))
        if self._folder is not None:
            self.known.setCurrentIndex(self.known.findData(str(self._folder)))
        self._set_known_visible(len(folders) > 1)

    def _set_known_visible(self, shown: bool) -> None:
        self.known.setVisible(shown)
        self.known_caption.setVisible(shown)
        self.folder_label.setVisible(not shown)
        self.folder_caption.setVisible(not shown)

    def _choose_known(self) -> None:
        folder = self.known.currentData()
        if folder and Path(folder) != self._folder:
            self.set_folder(Path(folder))
            self.passphrase.setFocus()

    def activate(self) -> None:
        self.passphrase.setFocus()

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if self.busy or self._folder is None or not passphrase:
            return
        self.passphrase.clear()
        self.error.setText("")
        delay = self._throttle.delay()
        if delay > 0:
            self.busy_row.start(_(
                "Wait… After each wrong passphrase the next try is delayed longer: {seconds} s now."
            ).format(seconds=math.ceil(delay)))
        else:
            self.busy_row.start(_("Unlocking…"))
        self._set_busy(True)
        folder, throttle = self._folder, self._throttle
        job = self._worker.submit(lambda: session.open_session(folder, passphrase, throttle),
                                  discard=session.close_session)
        job.finished.connect(self._on_unlocked)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.passphrase, self.unlock_button, self.create_link, self.open_link):
            widget.setEnabled(not busy)
        if not busy:
            self.busy_row.stop()

    def _on_unlocked(self, opened: session.Session) -> None:
        self._set_busy(False)
        self.unlocked.emit(opened)

    def _on_failed(self, error: errors.TestimonyError) -> None:
        self._set_busy(False)
        self.error.setText(error.message())
        self.passphrase.clear()
        self.passphrase.setFocus()
