"""Partial and uncertain dates, stored as EDTF (ISO 8601-2, level 1) strings.

Survivors rarely know exact dates: "about May", "spring 2023", "between the 14th and the 20th",
"some time before the exchange". A :class:`PartialDate` keeps what was said as a canonical EDTF
string (``2023``, ``2023-05``, ``2023-05-14``, ``2023-05~``, ``2023-05?``, ``2023-05%``,
``2023-21`` for spring, ``2023-05/2023-07``, ``../2023-05``) together with computed
``earliest``/``latest`` bounds used for sorting and overlap queries.

Input is parsed forgivingly (:meth:`PartialDate.parse`): ISO forms, local forms such as
``14.05.2023``, ``14/05/2023``, ``5.2023``, ranges written ``a/b``, ``a..b`` or ``a-b``
(``14.05.2023-20.05.2023``), open ends (``../2023-05``, ``2023-05/..``), the EDTF qualifiers
``~`` (approximate), ``?`` (uncertain) and ``%`` (both), and EDTF seasons 21-24. Stored strings
are read strictly (:meth:`PartialDate.from_edtf`): only the canonical form is accepted.

Bounds
------
* An exact date covers its whole unit: ``2023-05`` is 2023-05-01..2023-05-31, ``2023`` the
  whole year, a season its three months (spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter
  Dec-Feb of the next year).
* **Approximate dates are widened by one unit of their precision on each side**: ``2023-05~``
  is 2023-04-01..2023-06-30, ``2023~`` is 2022-01-01..2024-12-31, a season~ widens by one
  season (three months) and a day~ by three days. Why: the bounds drive overlap queries such as
  "who could have been in this cell at the same time". A survivor's "about May" that was really
  April must not make us miss a person; a wider window only costs a few more candidates for a
  human to review, while a missed match may cost a family its only news.
* "Uncertain" (``?``) does not widen: the person named a date but is unsure of it; the date
  is still the best estimate, and the flag is shown to whoever reads it.
* An open end uses 1900-01-01 or 2100-12-31; every bound is clamped to that window. Years must
  be within 1900-2100 and dates must exist in the calendar (no 2023-02-30).

A range ``a/b`` is invalid when ``a`` starts after ``b`` ends (judged on the exact, unwidened
bounds). Its ``approximate``/``uncertain`` flags are true when either end carries them.

``PartialDate.from_edtf(p.edtf) == p`` holds for every date this module produces.

Saying a date in words (:meth:`PartialDate.describe`) lives in
:mod:`testimony_app.domain.date_words`.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from testimony_app.errors import InvalidDate

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MIN_YEAR = MIN_DATE.year
MAX_YEAR = MAX_DATE.year

DAY, MONTH, YEAR, SEASON, RANGE = "day", "month", "year", "season", "range"
PRECISIONS = (DAY, MONTH, YEAR, SEASON, RANGE)

OPEN = ".."
APPROXIMATE_DAYS = 3
SEASON_START_MONTH = {21: 3, 22: 6, 23: 9, 24: 12}  # spring, summer, autumn, winter
_MAX_INPUT = 100  # longer text is not a date; refusing it early keeps parsing cheap

_QUALIFIERS = "~?%"
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2}|XX)(?:-(\d{1,2}|XX))?)?", re.IGNORECASE | re.ASCII)
_LOCAL_DAY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", re.ASCII)
_LOCAL_MONTH = re.compile(r"(\d{1,2})[./-](\d{4})", re.ASCII)
_CANONICAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?", re.ASCII)
# Tried in this order; the first group giving any reading wins, so "2000-01-01/2000" is read at
# its "/" and never as "2000-01" - "01/2000". En and em dashes are accepted like a hyphen.
_RANGE_SEPARATORS = (("/",), ("..",), ("\u2013", "\u2014"), ("-",))
_OPEN_ALLOWED = ("/", "..")


class _Bad(ValueError):
    """Internal: the text is not a date; turned into InvalidDate with the original input."""


@dataclass(frozen=True, slots=True)
class _Point:
    """One end of a date: a day, a month, a year or a season, with its qualifiers."""

    year: int
    month: int | None = None
    day: int | None = None
    season: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        if self.season is not None:
            return SEASON
        if self.day is not None:
            return DAY
        if self.month is not None:
            return MONTH
        return YEAR

    @property
    def edtf(self) -> str:
        if self.season is not None:
            text = f"{self.year:04d}-{self.season:02d}"
        elif self.day is not None:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.month is not None:
            text = f"{self.year:04d}-{self.month:02d}"
        else:
            text = f"{self.year:04d}"
        return text + _qualifier(self.approximate, self.uncertain)

    def exact_bounds(self) -> tuple[datetime.date, datetime.date]:
        y = self.year
        if self.season is not None:
            first = datetime.date(y, SEASON_START_MONTH[self.season], 1)
            return first, _month_end(*_add_months(first.year, first.month, 2))
        if self.day is not None and self.month is not None:
            d = datetime.date(y, self.month, self.day)
            return d, d
        if self.month is not None:
            return datetime.date(y, self.month, 1), _month_end(y, self.month)
        return datetime.date(y, 1, 1), datetime.date(y, 12, 31)

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        earliest, latest = self.exact_bounds()
        if self.approximate:
            precision = self.precision
            if precision == DAY:
                step = datetime.timedelta(days=APPROXIMATE_DAYS)
                earliest, latest = earliest - step, latest + step
            else:
                months = {MONTH: 1, SEASON: 3, YEAR: 12}[precision]
                earliest = datetime.date(*_add_months(earliest.year, earliest.month, -months), 1)
                latest = _month_end(*_add_months(latest.year, latest.month, months))
        return max(earliest, MIN_DATE), min(latest, MAX_DATE)


def _qualifier(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    if approximate:
        return "~"
    if uncertain:
        return "?"
    return ""


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _make_point(
    year: int, month: int | None, day: int | None, approximate: bool, uncertain: bool
) -> _Point:
    """Validate the parts of one date and build it; raises _Bad."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Bad("year out of range")
    if month is not None and month in SEASON_START_MONTH:
        if day is not None:
            raise _Bad("a season has no day")
        return _Point(year, season=month, approximate=approximate, uncertain=uncertain)
    if month is not None and not 1 <= month <= 12:
        raise _Bad("month out of range")
    if day is not None:
        if month is None:
            raise _Bad("day without month")
        try:
            datetime.date(year, month, day)
        except ValueError as exc:
            raise _Bad("no such day") from exc
    return _Point(year, month, day, approximate=approximate, uncertain=uncertain)


def _split_qualifiers(text: str) -> tuple[str, bool, bool]:
    """Peel ``~ ? %`` (and spaces) off both ends of one date."""
    approximate = uncertain = False
    text = text.strip()
    while text and (text[-1] in _QUALIFIERS or text[0] in _QUALIFIERS):
        char = text[-1] if text[-1] in _QUALIFIERS else text[0]
        text = text[:-1] if text[-1] in _QUALIFIERS else text[1:]
        text = text.strip()
        approximate = approximate or char in "~%"
        uncertain = uncertain or char in "?%"
    return text, approximate, uncertain


def _optional_int(text: str | None) -> int | None:
    if text is None or text.upper() == "XX":
        return None
    return int(text)


def _parse_point(text: str) -> _Point:
    """One date in any accepted spelling; raises _Bad."""
    body, approximate, uncertain = _split_qualifiers(text)
    if m := _ISO.fullmatch(body):
        year, month_text, day_text = m.group(1), m.group(2), m.group(3)
        month = _optional_int(month_text)
        day = _optional_int(day_text)
        if month is None and day is not None:
            raise _Bad("day without month")
        return _make_point(int(year), month, day, approximate, uncertain)
    if m := _LOCAL_DAY.fullmatch(body):
        return _make_point(int(m.group(4)), int(m.group(3)), int(m.group(1)), approximate,
                           uncertain)
    if m := _LOCAL_MONTH.fullmatch(body):
        month = int(m.group(1))
        if month in SEASON_START_MONTH:  # "21.2023" is not a local spelling of a season
            raise _Bad("month out of range")
        return _make_point(int(m.group(2)), month, None, approximate, uncertain)
    raise _Bad("not a date")


def _parse_end(text: str, separator: str) -> _Point | None:
    """One end of a range: a date, or None for an open (or unknown) end."""
    stripped = text.strip()
    if (stripped == OPEN and separator == "/") or (stripped == "" and separator in _OPEN_ALLOWED):
        return None
    if not stripped:
        raise _Bad("empty end")
    return _parse_point(stripped)


def _parse_range(text: str) -> tuple[_Point | None, _Point | None]:
    """Try each separator at each position; exactly one reading must make sense."""
    for separators in _RANGE_SEPARATORS:
        readings: set[tuple[_Point | None, _Point | None]] = set()
        for sep in separators:
            start = text.find(sep)
            while start != -1:
                left, right = text[:start], text[start + len(sep):]
                try:
                    readings.add((_parse_end(left, sep), _parse_end(right, sep)))
                except _Bad:
                    pass
                start = text.find(sep, start + 1)
        readings.discard((None, None))
        if len(readings) > 1:
            raise _Bad("ambiguous range")
        if readings:
            return readings.pop()
    raise _Bad("not a range")


def _single(point: _Point) -> PartialDate:
    earliest, latest = point.bounds()
    return PartialDate(point.edtf, earliest, latest, point.precision, point.approximate,
                       point.uncertain)


def _range(start: _Point | None, end: _Point | None) -> PartialDate:
    if start is None and end is None:
        raise _Bad("both ends open")
    if start is not None and end is not None and start.exact_bounds()[0] > end.exact_bounds()[1]:
        raise _Bad("range starts after it ends")
    earliest = start.bounds()[0] if start is not None else MIN_DATE
    latest = end.bounds()[1] if end is not None else MAX_DATE
    edtf = f"{start.edtf if start else OPEN}/{end.edtf if end else OPEN}"
    ends = [p for p in (start, end) if p is not None]
    return PartialDate(edtf, earliest, latest, RANGE, any(p.approximate for p in ends),
                       any(p.uncertain for p in ends))


def _parse_canonical_point(text: str) -> _Point:
    m = _CANONICAL.fullmatch(text)
    if not m:
        raise _Bad("not canonical")
    qualifier = m.group(4) or ""
    return _make_point(int(m.group(1)), _optional_int(m.group(2)), _optional_int(m.group(3)),
                       qualifier in "~%" and bool(qualifier), qualifier in "?%" and bool(qualifier))


_Parts = _Point | tuple[_Point | None, _Point | None]


def _canonical_parts(edtf: str) -> _Parts:
    """A single date, or the (start, end) of a range, of a canonical string; raises _Bad."""
    if "/" not in edtf:
        return _parse_canonical_point(edtf)
    left, _, right = edtf.partition("/")
    start = None if left == OPEN else _parse_canonical_point(left)
    end = None if right == OPEN else _parse_canonical_point(right)
    return start, end


def _from_parts(parts: _Parts) -> PartialDate:
    return _single(parts) if isinstance(parts, _Point) else _range(*parts)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the person could give it; see the module docstring for bounds."""

    edtf: str
    earliest: datetime.date
    latest: datetime.date
    precision: str
    approximate: bool
    uncertain: bool

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read a date as typed by a person; raises InvalidDate(value=text)."""
        try:
            stripped = text.strip()
            if not stripped or len(stripped) > _MAX_INPUT:
                raise _Bad("empty or too long")
            try:
                return _single(_parse_point(stripped))
            except _Bad:
                return _range(*_parse_range(stripped))
        except ValueError as exc:
            raise InvalidDate(value=text) from exc

    @classmethod
    def from_edtf(cls, edtf: str) -> PartialDate:
        """Read a stored canonical EDTF string, strictly; raises InvalidDate(value=edtf)."""
        try:
            if len(edtf) > _MAX_INPUT:
                raise _Bad("too long")
            result = _from_parts(_canonical_parts(edtf))
        except ValueError as exc:
            raise InvalidDate(value=edtf) from exc
        if result.edtf != edtf:
            raise InvalidDate(value=edtf)
        return result

    def describe(self, lang: str) -> str:
        """What was understood, in words, in ``lang`` (en, uk or ru; others read English)."""
        # Imported here: date_words builds on this module's parser, so a module-level import
        # would be circular. The words live apart because they are presentation, not parsing.
        from testimony_app.domain.date_words import describe

        return describe(self, lang)


def parse_optional(text: str | None) -> PartialDate | None:
    """A date from a form field: blank means no date."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)


def overlaps(a: PartialDate, b: PartialDate) -> bool:
    """Whether the two dates could refer to a common day (bounds inclusive)."""
    return a.earliest <= b.latest and b.earliest <= a.latest
