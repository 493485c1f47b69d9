"""Words of a case file in its own language, independent of the language of the app.

Labels are gettext messages (marked with ``N_`` so they reach the catalogs) translated through
``translations_for(lang)``; vocabulary terms come from their lists' own uk/ru/en labels and
partial dates from ``PartialDate.describe``, so both are in the chosen language even where the
catalog has no translation yet.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from testimony_app.domain.dates import PartialDate
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import N_, normalise_language, translations_for

_formatter = string.Formatter()

UNKNOWN = N_("unknown")
NOT_RECORDED = N_("not recorded")
NONE_RECORDED = N_("None recorded.")
YES = N_("yes")
NO = N_("no")


class Words:
    """Translate labels, vocabulary ids and dates into one language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_language(lang)
        self._catalog = translations_for(self.lang)
        self._vocabularies = vocabularies()

    def __call__(self, msgid: str, **params: Any) -> str:
        text = self._catalog.gettext(msgid)
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return msgid.format(**params)

    def term(self, vocabulary: str, term_id: str | None) -> str:
        if not term_id:
            return ""
        return self._vocabularies[vocabulary].label(term_id, self.lang)

    def terms(self, vocabulary: str, term_ids: Iterable[str]) -> str:
        return "; ".join(self.term(vocabulary, t) for t in term_ids if t)

    def date(self, value: PartialDate | None) -> str:
        return value.describe(self.lang) if value is not None else ""

    def span(self, start: PartialDate | None, end: PartialDate | None) -> str:
        """A stay or a period: "April 2022 – about May 2023", "from ...", "until ..."."""
        if start is not None and end is not None:
            return self(N_("{start} – {end}"), start=self.date(start), end=self.date(end))
        if start is not None:
            return self(N_("from {date}"), date=self.date(start))
        if end is not None:
            return self(N_("until {date}"), date=self.date(end))
        return self(UNKNOWN)

    def yes_no(self, value: bool) -> str:
        return self(YES) if value else self(NO)

    def size(self, size_bytes: int) -> str:
        """A file size people can read, with the exact number of bytes beside it."""
        if size_bytes >= 1_000_000:
            short = self(N_("{n} MB"), n=f"{size_bytes / 1_000_000:.1f}")
        elif size_bytes >= 1_000:
            short = self(N_("{n} kB"), n=f"{size_bytes / 1_000:.1f}")
        else:
            return self(N_("{n} bytes"), n=size_bytes)
        return f"{short} ({self(N_('{n} bytes'), n=f'{size_bytes:,}'.replace(',', ' '))})"


def letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: labels for pseudonyms that never run out."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = string.ascii_uppercase[rest] + out
    return out
