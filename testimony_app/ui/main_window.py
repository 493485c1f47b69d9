"""The main window: the unlock flow while locked, the workspace while a vault is open.

Locking (Ctrl+L, the idle timeout, closing the window) sends every pending edit, destroys the
workspace with every widget that showed testimony, and closes the vault on its own thread
after those edits.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QStackedWidget, QWidget

from testimony_app import config, errors, log
from testimony_app.i18n import _
from testimony_app.services.vaults import UnlockThrottle
from testimony_app.ui import language, memory, session
from testimony_app.ui.autosave import Autosave
from testimony_app.ui.create_page import CreatePage
from testimony_app.ui.env import Env
from testimony_app.ui.idle import IdleWatcher
from testimony_app.ui.recovery_page import RecoveryPage
from testimony_app.ui.session_watch import SessionWatcher
from testimony_app.ui.status_bar import StatusBar
from testimony_app.ui.unlock_page import UnlockPage
from testimony_app.ui.welcome_page import WelcomePage
from testimony_app.ui.workers import Worker
from testimony_app.ui.workspace import Workspace

logger = log.get("ui.main_window")
DEMO_MODULE = "testimony_app.services.demo"


def demo_available() -> bool:
    try:
        return importlib.util.find_spec(DEMO_MODULE) is not None
    except (ImportError, ValueError):
        return False


class MainWindow(QMainWindow):
    def __init__(self, prefs: config.Preferences, worker: Worker,
                 throttle: UnlockThrottle | None = None, parent: QWidget | None = None, *,
                 jobs: Worker | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._worker = worker
        self._jobs = jobs or worker  # long work without the database; the vault's own if none
        self._throttle = throttle or UnlockThrottle()
        self._session: session.Session | None = None
        self._saver: Autosave | None = None
        self._back_page: QWidget | None = None
        self._demo_folder: Path | None = None
        self.workspace: Workspace | None = None
        self.setWindowTitle("Testimony")
        self.setMinimumSize(760, 560)
        self.resize(1100, 740)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.state_label = self.status.state_label
        self.idle = IdleWatcher(prefs.idle_lock_minutes, self)
        self.idle.idle.connect(self._idle_lock)
        self.desktop = self.listen_to(SessionWatcher(self))

        self._build_lock_pages()
        self._build_menus()
        self._set_session(None)
        folder = session.start_folder(prefs)
        if folder is None:
            self._show(self.welcome_page)
        else:
            self.unlock_page.set_folder(folder)
            self._offer_known()
            self._show(self.unlock_page)

    # Building (again, when the language changes) ----------------------------------------------

    def _build_lock_pages(self) -> None:
        folder = getattr(self, "unlock_page", None) and self.unlock_page.folder
        for name in ("welcome_page", "unlock_page", "create_page", "recovery_page"):
            old = getattr(self, name, None)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
        self.welcome_page = WelcomePage(demo=demo_available())
        self.unlock_page = UnlockPage(self._worker, self._throttle)
        self.create_page = CreatePage(self._worker)
        self.recovery_page = RecoveryPage()
        for page in (self.welcome_page, self.unlock_page, self.create_page, self.recovery_page):
            self.stack.addWidget(page)
        if folder:
            self.unlock_page.set_folder(folder)
        self._offer_known()
        self.welcome_page.create_requested.connect(self.show_create)
        self.welcome_page.open_requested.connect(self.choose_vault_folder)
        self.welcome_page.demo_requested.connect(self.open_demo)
        self.unlock_page.create_requested.connect(self.show_create)
        self.unlock_page.open_requested.connect(self.choose_vault_folder)
        self.unlock_page.unlocked.connect(self._on_unlocked)
        self.create_page.back_requested.connect(self._go_back)
        self.create_page.created.connect(self._on_created)
        self.recovery_page.confirmed.connect(self._show_unlocked)

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        self.new_action = self._action(_("New interview"), QKeySequence.StandardKey.New,
                                       self._new_interview)
        self.casefile_action = self._action(_("Export case file…"), "Ctrl+E",
                                            self._export_casefile)
        self.lock_action = self._action(_("Lock"), "Ctrl+L", self.lock)
        quit_action = self._action(_("Quit"), QKeySequence.StandardKey.Quit, self.close)
        vault_menu = bar.addMenu(_("&Vault"))
        vault_menu.addAction(self.new_action)
        vault_menu.addAction(self.casefile_action)
        vault_menu.addSeparator()
        vault_menu.addAction(self.lock_action)
        vault_menu.addSeparator()
        vault_menu.addAction(quit_action)
        self.go_actions = [
            self._action(_("Interviews"), "Ctrl+1", lambda: self.go("interviews")),
            self._action(_("People"), "Ctrl+2", lambda: self.go("people")),
            self._action(_("Sites"), "Ctrl+3", lambda: self.go("sites")),
            self._action(_("Sync"), "Ctrl+4", lambda: self.go("sync")),
            self._action(_("Settings"), "Ctrl+,", lambda: self.go("settings")),
        ]
        go_menu = bar.addMenu(_("&Go"))
        for action in self.go_actions:
            go_menu.addAction(action)
        self._enable_actions()

    def _enable_actions(self) -> None:
        unlocked = self._session is not None
        for action in (self.new_action, self.casefile_action, self.lock_action,
                       *self.go_actions):
            action.setEnabled(unlocked)

    @property
    def session(self) -> session.Session | None:
        return self._session

    @property
    def saver(self) -> Autosave | None:
        return self._saver

    # Navigation ---------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        activate = getattr(page, "activate", None)
        if activate is not None:
            activate()

    def go(self, key: str) -> None:
        if self.workspace is not None:
            self.workspace.go(key)

    def _new_interview(self) -> None:
        if self.workspace is not None:
            self.workspace.new_interview()

    def _export_casefile(self) -> None:
        if self.workspace is not None:
            self.workspace.export_casefile()

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

    def open_demo(self) -> None:
        """The demo vault (fictional testimonies): made if needed, opened without a prompt."""
        if not demo_available():
            return
        throttle = self._throttle

        def open_it() -> session.Session:
            demo = importlib.import_module(DEMO_MODULE)
            folder, passphrase = demo.ensure_demo_vault()
            return session.open_session(Path(folder), passphrase, throttle)

        self.welcome_page.set_busy(True)
        job = self._worker.submit(open_it, discard=session.close_session)
        job.finished.connect(self._on_demo_opened)
        job.failed.connect(self._on_demo_failed)

    def _on_demo_opened(self, opened: session.Session) -> None:
        """Not remembered: the next start should not ask for a passphrase nobody chose."""
        self.welcome_page.set_busy(False)
        self._demo_folder = opened.summary.folder
        self._set_session(opened)
        self._show_unlocked()

    def _on_demo_failed(self, error: errors.TestimonyError) -> None:
        self.welcome_page.set_busy(False)
        self.welcome_page.show_error(error.message())

    # Vault state --------------------------------------------------------------------------

    def _offer_known(self) -> None:
        known = [Path(p) for p in self._prefs.known_vaults if session.has_vault(p)]
        self.unlock_page.set_known(known)

    def _set_session(self, opened: session.Session | None) -> None:
        self._session = opened
        self.status.show_session(opened)
        self._enable_actions()

    def _remember(self, folder: Path) -> None:
        self._prefs.remember_vault(folder)
        self._save_prefs()
        self._offer_known()

    def _save_prefs(self) -> None:
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
        opened = self._session
        if opened is None:
            return
        if self._saver is None:
            self._saver = Autosave(self._worker, opened.vault, parent=self)
            self._saver.state_changed.connect(self.status.show_save_state)
        self._build_workspace()
        self.idle.set_minutes(self._prefs.idle_lock_minutes)
        self.idle.start()

    def _build_workspace(self, page: str = "interviews") -> None:
        opened, saver = self._session, self._saver
        if opened is None or saver is None:
            return
        self._drop_workspace()
        env = Env(session=opened, saver=saver, jobs=self._jobs, prefs=self._prefs)
        self.workspace = Workspace(env)
        self.workspace.lock_requested.connect(self.lock)
        self.workspace.language_chosen.connect(self.change_language)
        self.workspace.idle_minutes_changed.connect(self._set_idle_minutes)
        self.stack.addWidget(self.workspace)
        self.workspace.go(page)
        self._show(self.workspace)
        memory.settle_soon()

    def _drop_workspace(self) -> None:
        workspace, self.workspace = self.workspace, None
        if workspace is not None:
            workspace.clear()
            self.stack.removeWidget(workspace)
            workspace.hide()
            workspace.deleteLater()
            memory.release_soon()

    def _set_idle_minutes(self, minutes: int) -> None:
        self._prefs.idle_lock_minutes = minutes
        self._save_prefs()
        self.idle.set_minutes(minutes)

    def change_language(self, lang: str) -> None:
        """Switch without a restart: pending edits are sent, then every page is rebuilt."""
        self._prefs.language = lang
        self._save_prefs()
        language.apply(lang)
        reopen = None
        if self.workspace is not None:
            reopen = self.workspace.interviews.current_interview_id()
        if self._saver is not None:
            self._saver.flush()
        current = self.stack.currentWidget()
        on_workspace = current is self.workspace and current is not None
        self._build_lock_pages()
        self._build_menus()
        self.status.show_session(self._session)
        if on_workspace:
            self._build_workspace(page="settings")
            if reopen and self.workspace is not None:
                self.workspace.interviews.open_interview(reopen)
        else:
            self._show(self.unlock_page if self.unlock_page.folder else self.welcome_page)

    def _idle_lock(self) -> None:
        logger.info("idle lock")
        self.lock()

    def listen_to(self, watcher: SessionWatcher) -> SessionWatcher:
        """Lock when ``watcher`` says the computer sleeps or the desktop session locks."""
        watcher.locking.connect(self._desktop_lock)
        return watcher

    def _desktop_lock(self, reason: str) -> None:
        logger.info("lock: %s", reason)
        self.lock()

    def lock(self) -> None:
        """Send pending edits, clear every view now, then close the vault on its thread."""
        opened = self._session
        if opened is None:
            return
        self.idle.stop()
        saver, self._saver = self._saver, None
        if saver is not None:
            saver.close()
        self._drop_workspace()
        self.recovery_page.clear()
        self._set_session(None)
        self._worker.submit(lambda: session.close_session(opened))
        if saver is not None:
            saver.setParent(None)
            saver.deleteLater()
        if opened.summary.folder == self._demo_folder:
            known = session.start_folder(self._prefs)
            if known is None:
                self._show(self.welcome_page)
                return
            self.unlock_page.set_folder(known)
        else:
            self.unlock_page.set_folder(opened.summary.folder)
        self._show(self.unlock_page)

    def content_widgets(self) -> list[QObject]:
        """Every widget that may show testimony (tests check that locking empties them)."""
        return [self.workspace] if self.workspace is not None else []

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.lock()
        super().closeEvent(event)
