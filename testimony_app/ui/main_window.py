"""The main window: routes between the pages of the unlock flow and holds the open vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QStackedWidget, QWidget

from testimony_app import config, errors, log
from testimony_app.i18n import _
from testimony_app.services.vaults import UnlockThrottle
from testimony_app.ui import session
from testimony_app.ui.create_page import CreatePage
from testimony_app.ui.recovery_page import RecoveryPage
from testimony_app.ui.unlock_page import UnlockPage
from testimony_app.ui.unlocked_page import UnlockedPage
from testimony_app.ui.welcome_page import WelcomePage
from testimony_app.ui.widgets import PlainLabel
from testimony_app.ui.workers import Worker

logger = log.get("ui.main_window")


class MainWindow(QMainWindow):
    def __init__(self, prefs: config.Preferences, worker: Worker,
                 throttle: UnlockThrottle | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._worker = worker
        self._session: session.Session | None = None
        self._back_page: QWidget | None = None
        self.setWindowTitle("Testimony")
        self.setMinimumSize(600, 560)
        self.resize(760, 620)

        self.welcome_page = WelcomePage()
        self.unlock_page = UnlockPage(worker, throttle or UnlockThrottle())
        self.create_page = CreatePage(worker)
        self.recovery_page = RecoveryPage()
        self.unlocked_page = UnlockedPage()
        self.stack = QStackedWidget()
        for page in (self.welcome_page, self.unlock_page, self.create_page, self.recovery_page,
                     self.unlocked_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.lock_action = QAction(_("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        vault_menu = self.menuBar().addMenu(_("&Vault"))
        vault_menu.addAction(self.lock_action)
        vault_menu.addSeparator()
        vault_menu.addAction(quit_action)
        self.state_label = PlainLabel()
        self.statusBar().addWidget(self.state_label, 1)
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().setContentsMargins(8, 0, 8, 2)

        self.welcome_page.create_requested.connect(self.show_create)
        self.welcome_page.open_requested.connect(self.choose_vault_folder)
        self.unlock_page.create_requested.connect(self.show_create)
        self.unlock_page.open_requested.connect(self.choose_vault_folder)
        self.unlock_page.unlocked.connect(self._on_unlocked)
        self.create_page.back_requested.connect(self._go_back)
        self.create_page.created.connect(self._on_created)
        self.recovery_page.confirmed.connect(self._show_unlocked)
        self.unlocked_page.lock_requested.connect(self.lock)

        self._set_session(None)
        folder = session.start_folder(prefs)
        if folder is None:
            self._show(self.welcome_page)
        else:
            self.unlock_page.set_folder(folder)
            self._show(self.unlock_page)

    @property
    def session(self) -> session.Session | None:
        return self._session

    # Navigation ---------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        activate = getattr(page, "activate", None)
        if activate is not None:
            activate()

    def show_create(self) -> None:
        self._back_page = self.stack.currentWidget()
        self.create_page.reset(session.suggest_new_folder())
        self._show(self.create_page)

    def _go_back(self) -> None:
        self._show(self._back_page or self.welcome_page)

    def choose_vault_folder(self) -> None:
        start = self.unlock_page.folder or config.default_vault_dir()
        chosen = QFileDialog.getExistingDirectory(self, _("Open a vault folder"), str(start))
        if chosen:
            self.open_folder(Path(chosen))

    def open_folder(self, folder: Path) -> None:
        """Offer to unlock the vault in ``folder``; remembered only once it unlocks."""
        if not session.has_vault(folder):
            page = self.stack.currentWidget()
            error = getattr(page, "error", None)
            if error is not None:
                error.setText(errors.VaultNotFound().message())
            return
        self.unlock_page.set_folder(folder)
        self._show(self.unlock_page)

    # Vault state --------------------------------------------------------------------------

    def _set_session(self, opened: session.Session | None) -> None:
        self._session = opened
        self.lock_action.setEnabled(opened is not None)
        if opened is None:
            self.state_label.setText(_("Locked"))
        else:
            self.state_label.setText(_("Encrypted vault, unlocked · device {fingerprint}").format(
                fingerprint=opened.summary.fingerprint))

    def _remember(self, folder: Path) -> None:
        self._prefs.remember_vault(folder)
        try:
            self._prefs.save()
        except OSError as exc:
            logger.warning("preferences not saved", exc_info=exc)

    def _on_unlocked(self, opened: session.Session) -> None:
        self._set_session(opened)
        self._remember(opened.summary.folder)
        self._show_unlocked()

    def _on_created(self, new: session.NewVault) -> None:
        self._set_session(new.session)
        self._remember(new.session.summary.folder)
        self.recovery_page.show_code(new.recovery_code)
        self._show(self.recovery_page)

    def _show_unlocked(self) -> None:
        if self._session is None:
            return
        self.unlocked_page.show_summary(self._session.summary)
        self._show(self.unlocked_page)

    def lock(self) -> None:
        """Clear every view now; the vault closes on the worker thread that opened it."""
        opened = self._session
        if opened is None:
            return
        self._set_session(None)
        self.unlocked_page.clear()
        self.recovery_page.clear()
        self._worker.submit(lambda: session.close_session(opened))
        self.unlock_page.set_folder(opened.summary.folder)
        self._show(self.unlock_page)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.lock()
        super().closeEvent(event)
