"""Create a new vault: where, an optional name, and the passphrase (twice)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from testimony_app import errors
from testimony_app.i18n import _
from testimony_app.ui import session
from testimony_app.ui.widgets import BusyRow, Page, error_label, muted_label
from testimony_app.ui.workers import Worker
from testimony_app.vault.vault import MIN_PASSPHRASE

SUBFOLDER = "Testimony vault"


def strength_hint(passphrase: str) -> str:
    """A length-based hint: length is what an offline guesser pays for."""
    n = len(passphrase)
    if n == 0:
        return _("At least {min} characters. A few unrelated words are easy to remember and "
                 "hard to guess.").format(min=MIN_PASSPHRASE)
    if n < MIN_PASSPHRASE:
        return _("Too short: {count} of at least {min} characters.").format(
            count=n, min=MIN_PASSPHRASE)
    if n < 16:
        return _("Acceptable. A longer passphrase is stronger.")
    if n < 24:
        return _("Good.")
    return _("Strong.")


def _is_empty_or_missing(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


class CreatePage(Page):
    created = Signal(object)  # session.NewVault
    back_requested = Signal()

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(_("Create a new vault"), parent)
        self._worker = worker
        self.busy = False

        self.folder = QLineEdit()
        self.choose_button = QPushButton(_("Choose…"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Optional, for example the team or the region"))
        self.passphrase = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = muted_label(strength_hint(""))
        self.error = error_label()
        self.busy_row = BusyRow()
        self.back_button = QPushButton(_("Back"))
        self.create_button = QPushButton(_("Create"))
        self.create_button.setDefault(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        self.add_field(_("Folder"), self.folder, folder_row)
        self.add_field(_("Name (optional)"), self.name)
        self.add_field(_("Passphrase"), self.passphrase, hint=self.hint)
        self.add_field(_("Repeat the passphrase"), self.repeat)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        self.column.addSpacing(4)
        self.column.addLayout(buttons)
        self.column.addWidget(self.error)
        self.column.addWidget(self.busy_row)

        self.passphrase.textChanged.connect(lambda text: self.hint.setText(strength_hint(text)))
        self.choose_button.clicked.connect(self._choose_folder)
        self.back_button.clicked.connect(self.back_requested)
        self.create_button.clicked.connect(self.create)
        for field in (self.folder, self.name, self.passphrase, self.repeat):
            field.returnPressed.connect(self.create)

    def reset(self, folder: Path) -> None:
        self.folder.setText(str(folder))
        for field in (self.name, self.passphrase, self.repeat):
            field.clear()
        self.error.setText("")

    def activate(self) -> None:
        self.name.setFocus()

    def _choose_folder(self) -> None:
        start = Path(self.folder.text()).parent if self.folder.text() else Path.home()
        chosen = QFileDialog.getExistingDirectory(self, _("Choose a folder for the vault"),
                                                  str(start))
        if chosen:
            self.folder.setText(str(self._vault_folder_in(Path(chosen))))

    @staticmethod
    def _vault_folder_in(chosen: Path) -> Path:
        """An empty folder is used as it is; otherwise a new subfolder is made inside it."""
        if _is_empty_or_missing(chosen):
            return chosen
        candidate, n = chosen / SUBFOLDER, 1
        while not _is_empty_or_missing(candidate):
            n += 1
            candidate = chosen / f"{SUBFOLDER} {n}"
        return candidate

    def _problem(self, folder: Path | None) -> str:
        if folder is None or not folder.is_absolute():
            return _("Choose a folder for the vault.")
        if self.passphrase.text() != self.repeat.text():
            return errors.PassphraseMismatch().message()
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            return errors.WeakPassphrase(min=MIN_PASSPHRASE).message()
        if not _is_empty_or_missing(folder):
            return errors.VaultExists().message()
        return ""

    def create(self) -> None:
        if self.busy:
            return
        text = self.folder.text().strip()
        folder = Path(text).expanduser() if text else None
        problem = self._problem(folder)
        self.error.setText(problem)
        if problem or folder is None:
            return
        passphrase, name = self.passphrase.text(), self.name.text().strip()
        self._set_busy(True)
        self.busy_row.start(_("Creating the vault… This takes a few seconds."))
        job = self._worker.submit(lambda: session.create_session(folder, passphrase, name),
                                  discard=lambda new: session.close_session(new.session))
        job.finished.connect(self._on_created)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.folder, self.choose_button, self.name, self.passphrase, self.repeat,
                       self.back_button, self.create_button):
            widget.setEnabled(not busy)
        if not busy:
            self.busy_row.stop()

    def _on_created(self, new: session.NewVault) -> None:
        self._set_busy(False)
        for field in (self.passphrase, self.repeat):
            field.clear()
        self.created.emit(new)

    def _on_failed(self, error: errors.TestimonyError) -> None:
        self._set_busy(False)
        self.error.setText(error.message())
