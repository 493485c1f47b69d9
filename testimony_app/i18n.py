"""Translations with gettext, usable from the core without Qt.

The catalogs are built from ``translations/<lang>/testimony.po`` into ``testimony_app/_locale``.
A translation whose ``{placeholders}`` differ from the English text is not used (it would
raise or, worse, show the wrong value); the English text is shown instead.
"""

from __future__ import annotations

import gettext as _gettext
import os
import string
from pathlib import Path

DOMAIN = "testimony"
LANGUAGES = ("en", "uk", "ru")
LANGUAGE_NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}
LOCALE_DIR = Path(__file__).resolve().parent / "_locale"

_formatter = string.Formatter()


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def placeholders(text: str) -> frozenset[str]:
    """The names of the ``{fields}`` in a format string (empty if it does not parse)."""
    try:
        return frozenset(name for _, name, _, _ in _formatter.parse(text) if name is not None)
    except ValueError:
        return frozenset({"\0unparseable"})


class _SafeTranslations(_gettext.GNUTranslations):
    def gettext(self, message: str) -> str:
        translated = super().gettext(message)
        if translated is not message and placeholders(translated) != placeholders(message):
            return message
        return translated

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        translated = super().ngettext(msgid1, msgid2, n)
        source = msgid1 if n == 1 else msgid2
        if placeholders(translated) - placeholders(msgid2) - placeholders(msgid1):
            return source
        return translated


_current_lang = "en"
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def _load(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with mo.open("rb") as fh:
            return _SafeTranslations(fh)
    except OSError:
        return _gettext.NullTranslations()


def translations_for(lang: str) -> _gettext.NullTranslations:
    """A catalog for one language, independent of the UI language (used by case files)."""
    return _load(normalise_language(lang))


def normalise_language(lang: str | None) -> str:
    """Map a locale name such as ``uk_UA.UTF-8`` to one of LANGUAGES (English otherwise)."""
    if not lang:
        return "en"
    code = lang.replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else "en"


def system_language() -> str:
    for var in ("TESTIMONY_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalise_language(value.split(":")[0])
    return "en"


def set_language(lang: str | None) -> str:
    """Switch the language of every later message; returns the language in use."""
    global _current_lang, _translations
    _current_lang = normalise_language(lang)
    _translations = _load(_current_lang)
    return _current_lang


def current_language() -> str:
    return _current_lang


def gettext(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


_ = gettext
