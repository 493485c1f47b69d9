"""Switching the language of the running app: our gettext catalog and Qt's own (stock
buttons and dialogs). Pages are rebuilt by the main window after this."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from testimony_app import i18n

_installed: list[QTranslator] = []


def qt_translator(lang: str) -> QTranslator | None:
    """Qt's catalog for the stock texts Qt draws itself (OK, Cancel, the file dialog)."""
    if lang == "en":
        return None
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return translator if translator.load("qtbase_" + lang, folder) else None


def apply(lang: str | None) -> str:
    """Use ``lang`` from now on; returns the language in use."""
    lang = i18n.set_language(lang)
    app = QCoreApplication.instance()
    if app is not None:
        while _installed:
            app.removeTranslator(_installed.pop())
        translator = qt_translator(lang)
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    return lang
