"""Partial dates in words, for people: "about May 2023", "між травнем 2023 і ..." (en, uk, ru).

Split from :mod:`testimony_app.domain.dates`, which parses and bounds dates; this module only
says them. :meth:`PartialDate.describe <testimony_app.domain.dates.PartialDate.describe>`
delegates to :func:`describe`.
"""

from __future__ import annotations

from testimony_app.domain.dates import PartialDate, _canonical_parts, _Point
from testimony_app.i18n import normalise_language

# The words are kept here rather than in the gettext catalog: Ukrainian and Russian need the
# month in a grammatical case that depends on the surrounding words (nominative alone, genitive
# after "близько"/"около"/"не пізніше", instrumental after "між"/"между"), so phrase and month
# forms must be chosen together. The language is passed in (a case file may be written in a
# language other than the UI's) and never read from the system locale.

_MONTHS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {case: ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December") for case in ("nom", "gen", "ins")},
    "uk": {
        "nom": ("січень", "лютий", "березень", "квітень", "травень", "червень", "липень",
                "серпень", "вересень", "жовтень", "листопад", "грудень"),
        "gen": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
                "вересня", "жовтня", "листопада", "грудня"),
        "ins": ("січнем", "лютим", "березнем", "квітнем", "травнем", "червнем", "липнем",
                "серпнем", "вереснем", "жовтнем", "листопадом", "груднем"),
    },
    "ru": {
        "nom": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                "сентябрь", "октябрь", "ноябрь", "декабрь"),
        "gen": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря"),
        "ins": ("январём", "февралём", "мартом", "апрелем", "маем", "июнем", "июлем",
                "августом", "сентябрём", "октябрём", "ноябрём", "декабрём"),
    },
}

_SEASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {case: ("spring", "summer", "autumn", "winter") for case in ("nom", "gen", "ins")},
    "uk": {
        "nom": ("весна", "літо", "осінь", "зима"),
        "gen": ("весни", "літа", "осені", "зими"),
        "ins": ("весною", "літом", "осінню", "зимою"),
    },
    "ru": {
        "nom": ("весна", "лето", "осень", "зима"),
        "gen": ("весны", "лета", "осени", "зимы"),
        "ins": ("весной", "летом", "осенью", "зимой"),
    },
}

# A year on its own: "2023 рік", "близько 2023 року", "між 2022 роком і ...".
_YEAR: dict[str, dict[str, str]] = {
    "en": {"nom": "{year}", "gen": "{year}", "ins": "{year}"},
    "uk": {"nom": "{year} рік", "gen": "{year} року", "ins": "{year} роком"},
    "ru": {"nom": "{year} год", "gen": "{year} года", "ins": "{year} годом"},
}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "about_alone": "about {date}",  # followed by the genitive form (same in English)
        "about_in": "about {date}",  # inside a longer phrase, the case of the phrase
        "uncertain": "{date} (uncertain)",
        "between": "between {start} and {end}",
        "until": "no later than {date}",
        "from": "no earlier than {date}",
    },
    "uk": {
        "about_alone": "близько {date}",
        "about_in": "приблизно {date}",
        "uncertain": "{date} (непевно)",
        "between": "між {start} і {end}",
        "until": "не пізніше {date}",
        "from": "не раніше {date}",
    },
    "ru": {
        "about_alone": "около {date}",
        "about_in": "примерно {date}",
        "uncertain": "{date} (под вопросом)",
        "between": "между {start} и {end}",
        "until": "не позднее {date}",
        "from": "не ранее {date}",
    },
}


def _bare(point: _Point, lang: str, case: str) -> str:
    """The date without qualifiers, in a grammatical case (nom, gen or ins)."""
    if point.season is not None:
        index = point.season - 21
        year = str(point.year)
        if point.season == 24:  # winter runs into the next year
            year = f"{point.year}/{(point.year + 1) % 100:02d}"
        return f"{_SEASONS[lang][case][index]} {year}"
    if point.day is not None and point.month is not None:
        # The month after a day number is genitive in uk/ru, whatever the case of the phrase.
        return f"{point.day} {_MONTHS[lang]['gen'][point.month - 1]} {point.year}"
    if point.month is not None:
        return f"{_MONTHS[lang][case][point.month - 1]} {point.year}"
    return _YEAR[lang][case].format(year=point.year)


def _with_uncertain(point: _Point, lang: str, text: str) -> str:
    return _WORDS[lang]["uncertain"].format(date=text) if point.uncertain else text


def _describe_alone(point: _Point, lang: str) -> str:
    if point.approximate:
        text = _WORDS[lang]["about_alone"].format(date=_bare(point, lang, "gen"))
    else:
        text = _bare(point, lang, "nom")
    return _with_uncertain(point, lang, text)


def _describe_in(point: _Point, lang: str, case: str) -> str:
    text = _bare(point, lang, case)
    if point.approximate:
        text = _WORDS[lang]["about_in"].format(date=text)
    return _with_uncertain(point, lang, text)


def describe(date: PartialDate, lang: str) -> str:
    """What was understood, in words, in ``lang`` (en, uk or ru; others read English)."""
    lang = normalise_language(lang)
    parts = _canonical_parts(date.edtf)
    if isinstance(parts, _Point):
        return _describe_alone(parts, lang)
    words = _WORDS[lang]
    start, end = parts
    if start is None and end is not None:
        return words["until"].format(date=_describe_in(end, lang, "gen"))
    if end is None and start is not None:
        return words["from"].format(date=_describe_in(start, lang, "gen"))
    if start is None or end is None:  # pragma: no cover - ruled out by the parser
        return date.edtf
    return words["between"].format(start=_describe_in(start, lang, "ins"),
                                   end=_describe_in(end, lang, "ins"))
