"""The composition root: the only place that builds infrastructure.

Order matters: the umask before any file can be written, logging (RAM only) before anything
can log, the language before any text is made, then Qt, the vault worker thread and the window.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from testimony_app import config, i18n, log
from testimony_app.services.vaults import UnlockThrottle
from testimony_app.ui import language
from testimony_app.ui.main_window import MainWindow
from testimony_app.ui.workers import Worker


def keep_qt_settings_off_disk() -> None:
    """Send Qt's own QSettings to a place it cannot write.

    Qt's file dialog records the folders a person visits (``history``, ``lastVisited``) in
    ``QtProject.conf`` / the registry, in plaintext; we keep no state in QSettings ourselves.
    ``os.devnull`` is not a folder on any platform, so the write fails and nothing is kept.
    The default format is switched to INI so that the path also applies on Windows and macOS.
    """
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, os.devnull)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, os.devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app; ``--demo`` opens the demo vault of fictional testimonies at once."""
    os.umask(0o077)
    log.setup()
    prefs = config.Preferences.load()
    i18n.set_language(prefs.language or i18n.system_language())

    keep_qt_settings_off_disk()
    args = list(sys.argv if argv is None else argv)
    demo = "--demo" in args[1:]
    app = QApplication([a for a in args if a != "--demo"])
    app.setApplicationName(config.APP)
    language.apply(i18n.current_language())  # and Qt's own catalog, for its stock buttons

    worker = Worker()  # the vault's thread: every database call, in order
    jobs = Worker()  # long work that needs no database (encrypting an attachment)
    window: MainWindow | None = None
    try:
        window = MainWindow(prefs, worker, UnlockThrottle(), jobs=jobs)
        window.show()
        if demo:
            window.open_demo()
        return app.exec()
    finally:
        if window is not None:
            window.lock()  # sends pending edits first
        # Each runs every queued call (the edits, then the close) before its thread stops.
        jobs.shutdown()
        worker.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
