"""Partial dates: accepted spellings, canonical EDTF, bounds, descriptions, overlap."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testimony_app.domain.dates import (
    MAX_DATE,
    MIN_DATE,
    PartialDate,
    overlaps,
    parse_optional,
)
from testimony_app.errors import InvalidDate

D = date

# input, canonical edtf, earliest, latest, precision, approximate, uncertain
ACCEPTED = [
    ("2023", "2023", D(2023, 1, 1), D(2023, 12, 31), "year", False, False),
    ("2023-05", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    ("2023-02", "2023-02", D(2023, 2, 1), D(2023, 2, 28), "month", False, False),
    ("2024-02", "2024-02", D(2024, 2, 1), D(2024, 2, 29), "month", False, False),
    ("2023-05-14", "2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "day", False, False),
    ("2023-5", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    ("2023-5-4", "2023-05-04", D(2023, 5, 4), D(2023, 5, 4), "day", False, False),
    # qualifiers
    ("2023-05~", "2023-05~", D(2023, 4, 1), D(2023, 6, 30), "month", True, False),
    ("2023-05?", "2023-05?", D(2023, 5, 1), D(2023, 5, 31), "month", False, True),
    ("2023-05%", "2023-05%", D(2023, 4, 1), D(2023, 6, 30), "month", True, True),
    ("2023~", "2023~", D(2022, 1, 1), D(2024, 12, 31), "year", True, False),
    ("2023?", "2023?", D(2023, 1, 1), D(2023, 12, 31), "year", False, True),
    ("2023-05-14~", "2023-05-14~", D(2023, 5, 11), D(2023, 5, 17), "day", True, False),
    ("2023-05-14?", "2023-05-14?", D(2023, 5, 14), D(2023, 5, 14), "day", False, True),
    ("2023-05-14%", "2023-05-14%", D(2023, 5, 11), D(2023, 5, 17), "day", True, True),
    ("2023-01~", "2023-01~", D(2022, 12, 1), D(2023, 2, 28), "month", True, False),
    ("2023-05?~", "2023-05%", D(2023, 4, 1), D(2023, 6, 30), "month", True, True),
    ("~2023-05", "2023-05~", D(2023, 4, 1), D(2023, 6, 30), "month", True, False),
    ("  2023-05 ~ ", "2023-05~", D(2023, 4, 1), D(2023, 6, 30), "month", True, False),
    # local spellings
    ("14.05.2023", "2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "day", False, False),
    ("14/05/2023", "2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "day", False, False),
    ("14-05-2023", "2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "day", False, False),
    ("14.5.2023", "2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "day", False, False),
    ("4.5.2023", "2023-05-04", D(2023, 5, 4), D(2023, 5, 4), "day", False, False),
    ("05.2023", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    ("5.2023", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    ("05/2023", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    ("14.05.2023~", "2023-05-14~", D(2023, 5, 11), D(2023, 5, 17), "day", True, False),
    ("05.2023?", "2023-05?", D(2023, 5, 1), D(2023, 5, 31), "month", False, True),
    # unspecified parts (EDTF X)
    ("2023-XX", "2023", D(2023, 1, 1), D(2023, 12, 31), "year", False, False),
    ("2023-XX-XX", "2023", D(2023, 1, 1), D(2023, 12, 31), "year", False, False),
    ("2023-05-XX", "2023-05", D(2023, 5, 1), D(2023, 5, 31), "month", False, False),
    # seasons
    ("2023-21", "2023-21", D(2023, 3, 1), D(2023, 5, 31), "season", False, False),
    ("2023-22", "2023-22", D(2023, 6, 1), D(2023, 8, 31), "season", False, False),
    ("2023-23", "2023-23", D(2023, 9, 1), D(2023, 11, 30), "season", False, False),
    ("2023-24", "2023-24", D(2023, 12, 1), D(2024, 2, 29), "season", False, False),
    ("2022-24", "2022-24", D(2022, 12, 1), D(2023, 2, 28), "season", False, False),
    ("2023-21~", "2023-21~", D(2022, 12, 1), D(2023, 8, 31), "season", True, False),
    ("2023-24?", "2023-24?", D(2023, 12, 1), D(2024, 2, 29), "season", False, True),
    # ranges
    ("2023-05/2023-07", "2023-05/2023-07", D(2023, 5, 1), D(2023, 7, 31), "range", False, False),
    ("2023-05..2023-07", "2023-05/2023-07", D(2023, 5, 1), D(2023, 7, 31), "range", False, False),
    ("14.05.2023-20.05.2023", "2023-05-14/2023-05-20", D(2023, 5, 14), D(2023, 5, 20), "range",
     False, False),
    ("14.05.2023 – 20.05.2023", "2023-05-14/2023-05-20", D(2023, 5, 14), D(2023, 5, 20),
     "range", False, False),
    ("14/05/2023/20/05/2023", "2023-05-14/2023-05-20", D(2023, 5, 14), D(2023, 5, 20), "range",
     False, False),
    ("2023-05-14-2023-05-20", "2023-05-14/2023-05-20", D(2023, 5, 14), D(2023, 5, 20), "range",
     False, False),
    ("2022-2023", "2022/2023", D(2022, 1, 1), D(2023, 12, 31), "range", False, False),
    ("2023-05 / 2023-07", "2023-05/2023-07", D(2023, 5, 1), D(2023, 7, 31), "range", False,
     False),
    ("2023-05~/2023-07", "2023-05~/2023-07", D(2023, 4, 1), D(2023, 7, 31), "range", True,
     False),
    ("2023-05/2023-07?", "2023-05/2023-07?", D(2023, 5, 1), D(2023, 7, 31), "range", False,
     True),
    ("2023-05/2023-05-14", "2023-05/2023-05-14", D(2023, 5, 1), D(2023, 5, 14), "range", False,
     False),
    ("2023-21/2023-23", "2023-21/2023-23", D(2023, 3, 1), D(2023, 11, 30), "range", False,
     False),
    ("2023-05-14/2023-05-14", "2023-05-14/2023-05-14", D(2023, 5, 14), D(2023, 5, 14), "range",
     False, False),
    # open ends
    ("../2023-05", "../2023-05", MIN_DATE, D(2023, 5, 31), "range", False, False),
    ("2023-05/..", "2023-05/..", D(2023, 5, 1), MAX_DATE, "range", False, False),
    ("..2023-05", "../2023-05", MIN_DATE, D(2023, 5, 31), "range", False, False),
    ("2023-05..", "2023-05/..", D(2023, 5, 1), MAX_DATE, "range", False, False),
    ("/2023-05", "../2023-05", MIN_DATE, D(2023, 5, 31), "range", False, False),
    ("14.05.2023/..", "2023-05-14/..", D(2023, 5, 14), MAX_DATE, "range", False, False),
    ("../2023-05~", "../2023-05~", MIN_DATE, D(2023, 6, 30), "range", True, False),
    # limits of the accepted years; widening is clamped
    ("1900", "1900", D(1900, 1, 1), D(1900, 12, 31), "year", False, False),
    ("2100-12-31", "2100-12-31", D(2100, 12, 31), D(2100, 12, 31), "day", False, False),
    ("1900~", "1900~", MIN_DATE, D(1901, 12, 31), "year", True, False),
    ("2100-12-30~", "2100-12-30~", D(2100, 12, 27), MAX_DATE, "day", True, False),
    ("2100-24", "2100-24", D(2100, 12, 1), MAX_DATE, "season", False, False),
]


@pytest.mark.parametrize(
    ("text", "edtf", "earliest", "latest", "precision", "approximate", "uncertain"), ACCEPTED
)
def test_accepted_forms(
    text: str, edtf: str, earliest: date, latest: date, precision: str, approximate: bool,
    uncertain: bool,
) -> None:
    p = PartialDate.parse(text)
    assert p == PartialDate(edtf, earliest, latest, precision, approximate, uncertain)
    assert PartialDate.from_edtf(p.edtf) == p
    assert PartialDate.parse(p.edtf) == p


REJECTED = [
    "", "   ", "foo", "May 2023", "2023-02-30", "2023-02-29", "2023-04-31", "31.04.2023",
    "2023-13", "2023-00", "2023-05-00", "2023-20", "2023-25", "2023-21-05", "21.2023",
    "13.2023", "0.5.2023", "1899", "2101", "1899-12-31", "14.05.23", "23", "20231",
    "2023/05", "2023-07/2023-05", "20.05.2023-14.05.2023", "2023-23/2023-21", "../..", "..",
    "/", "2023-05/2023-07/2023-09", "2023-12-2024", "-2023", "2023-", "2023-XX-14",
    "14.05/2023", "2023-05-14T10:00", "~", "2023~~x", "2" * 200, "..-2023", "2023-..",
    "..../2023", "2023/../2024", "\u0662\u0660\u0662\u0663",
]


@pytest.mark.parametrize("text", REJECTED)
def test_invalid_inputs_raise_invalid_date(text: str) -> None:
    with pytest.raises(InvalidDate) as info:
        PartialDate.parse(text)
    assert info.value.params["value"] == text
    assert info.value.code == "invalid_date"


@pytest.mark.parametrize(
    "edtf",
    ["2023-5", "2023-05~?", " 2023", "2023 ", "14.05.2023", "/2023-05", "2023-05/", "..2023-05",
     "2023-05..2023-07", "2023-XX", "2023-02-30", "../..", "~2023", "2023-05 /2023-07"],
)
def test_from_edtf_is_strict(edtf: str) -> None:
    with pytest.raises(InvalidDate) as info:
        PartialDate.from_edtf(edtf)
    assert info.value.params["value"] == edtf


def test_parse_optional() -> None:
    assert parse_optional(None) is None
    assert parse_optional("") is None
    assert parse_optional("  \t") is None
    p = parse_optional(" 2023-05 ")
    assert p is not None and p.edtf == "2023-05"
    with pytest.raises(InvalidDate):
        parse_optional("nonsense")


DESCRIPTIONS = [
    ("2023-05~", "about May 2023", "близько травня 2023", "около мая 2023"),
    ("2023-05", "May 2023", "травень 2023", "май 2023"),
    ("2023-05-14?", "14 May 2023 (uncertain)", "14 травня 2023 (непевно)",
     "14 мая 2023 (под вопросом)"),
    ("2023-05-14%", "about 14 May 2023 (uncertain)", "близько 14 травня 2023 (непевно)",
     "около 14 мая 2023 (под вопросом)"),
    ("2023", "2023", "2023 рік", "2023 год"),
    ("2023~", "about 2023", "близько 2023 року", "около 2023 года"),
    ("2023-05/2023-07", "between May 2023 and July 2023", "між травнем 2023 і липнем 2023",
     "между маем 2023 и июлем 2023"),
    ("2023-05-14/2023-05-20", "between 14 May 2023 and 20 May 2023",
     "між 14 травня 2023 і 20 травня 2023", "между 14 мая 2023 и 20 мая 2023"),
    ("2023-01~/2023-03", "between about January 2023 and March 2023",
     "між приблизно січнем 2023 і березнем 2023", "между примерно январём 2023 и мартом 2023"),
    ("../2023-05", "no later than May 2023", "не пізніше травня 2023", "не позднее мая 2023"),
    ("2022-02/..", "no earlier than February 2022", "не раніше лютого 2022",
     "не ранее февраля 2022"),
    ("2023-21", "spring 2023", "весна 2023", "весна 2023"),
    ("2023-23~", "about autumn 2023", "близько осені 2023", "около осени 2023"),
    ("2023-24", "winter 2023/24", "зима 2023/24", "зима 2023/24"),
    ("2022-22/2023-22", "between summer 2022 and summer 2023", "між літом 2022 і літом 2023",
     "между летом 2022 и летом 2023"),
]


@pytest.mark.parametrize(("edtf", "en", "uk", "ru"), DESCRIPTIONS)
def test_describe(edtf: str, en: str, uk: str, ru: str) -> None:
    p = PartialDate.from_edtf(edtf)
    assert p.describe("en") == en
    assert p.describe("uk") == uk
    assert p.describe("ru") == ru


def test_describe_accepts_locale_names_and_falls_back_to_english() -> None:
    p = PartialDate.parse("2023-05~")
    assert p.describe("uk_UA.UTF-8") == "близько травня 2023"
    assert p.describe("de") == "about May 2023"


def test_describe_does_not_depend_on_the_ui_language() -> None:
    from testimony_app import i18n

    before = i18n.current_language()
    try:
        i18n.set_language("ru")
        assert PartialDate.parse("2023-05").describe("uk") == "травень 2023"
    finally:
        i18n.set_language(before)


def test_overlaps() -> None:
    may = PartialDate.parse("2023-05")
    june = PartialDate.parse("2023-06")
    about_april = PartialDate.parse("2023-04~")
    assert not overlaps(may, june)
    assert overlaps(may, PartialDate.parse("2023-05-31"))
    assert overlaps(PartialDate.parse("2023-05-31"), may)
    assert overlaps(may, about_april)  # "about April" reaches into May
    assert overlaps(PartialDate.parse("2023-03-01"), about_april)
    assert not overlaps(june, about_april)  # one month each side, no more
    assert overlaps(PartialDate.parse("2023"), june)
    assert overlaps(PartialDate.parse("../2023-05"), PartialDate.parse("1990"))
    assert not overlaps(PartialDate.parse("../2023-05"), june)
    assert overlaps(PartialDate.parse("2023-05/.."), PartialDate.parse("2099"))
    assert overlaps(PartialDate.parse("2023-24"), PartialDate.parse("2024-02-29"))
    assert not overlaps(PartialDate.parse("2023-24"), PartialDate.parse("2024-03-01"))
    # touching day bounds overlap; day~ widens by three days each side
    assert overlaps(PartialDate.parse("2023-05-14~"), PartialDate.parse("2023-05-17"))
    assert not overlaps(PartialDate.parse("2023-05-14~"), PartialDate.parse("2023-05-18"))


# Property tests ---------------------------------------------------------------------------------

days = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
qualifiers = st.sampled_from(["", "~", "?", "%"])


@st.composite
def single_edtf(draw: st.DrawFn) -> str:
    d = draw(days)
    kind = draw(st.sampled_from(["day", "month", "year", "season"]))
    if kind == "day":
        text = d.isoformat()
    elif kind == "month":
        text = f"{d.year:04d}-{d.month:02d}"
    elif kind == "year":
        text = f"{d.year:04d}"
    else:
        text = f"{d.year:04d}-{draw(st.integers(21, 24))}"
    return text + draw(qualifiers)


@st.composite
def any_edtf(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["single", "range", "open_start", "open_end"]))
    if shape == "single":
        return draw(single_edtf())
    if shape == "open_start":
        return "../" + draw(single_edtf())
    if shape == "open_end":
        return draw(single_edtf()) + "/.."
    a, b = draw(single_edtf()), draw(single_edtf())
    pa, pb = PartialDate.from_edtf(a), PartialDate.from_edtf(b)
    if _exact_start(pa) > _exact_end(pb):
        a, b = b, a
        pa, pb = pb, pa
    if _exact_start(pa) > _exact_end(pb):
        return a  # the two do not form a valid range in either order
    return f"{a}/{b}"


def _exact_start(p: PartialDate) -> date:
    return PartialDate.from_edtf(p.edtf.rstrip("~?%")).earliest


def _exact_end(p: PartialDate) -> date:
    return PartialDate.from_edtf(p.edtf.rstrip("~?%")).latest


@given(any_edtf())
def test_round_trip(edtf: str) -> None:
    p = PartialDate.from_edtf(edtf)
    assert p.edtf == edtf
    assert PartialDate.from_edtf(p.edtf) == p
    assert PartialDate.parse(p.edtf) == p
    assert MIN_DATE <= p.earliest <= p.latest <= MAX_DATE
    for lang in ("en", "uk", "ru"):
        assert p.describe(lang)


@given(days, st.sampled_from([".", "/", "-"]), st.booleans())
def test_local_day_spelling(d: datetime.date, sep: str, pad: bool) -> None:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    p = PartialDate.parse(f"{day}{sep}{month}{sep}{d.year}")
    assert p.edtf == d.isoformat()
    assert p.earliest == p.latest == d


@given(days, days)
def test_local_day_ranges(a: datetime.date, b: datetime.date) -> None:
    a, b = min(a, b), max(a, b)
    text = f"{a.day:02d}.{a.month:02d}.{a.year}-{b.day:02d}.{b.month:02d}.{b.year}"
    p = PartialDate.parse(text)
    assert p.edtf == f"{a.isoformat()}/{b.isoformat()}"
    assert (p.earliest, p.latest) == (a, b)


@given(any_edtf(), any_edtf())
def test_overlaps_is_symmetric_and_matches_bounds(x: str, y: str) -> None:
    a, b = PartialDate.from_edtf(x), PartialDate.from_edtf(y)
    assert overlaps(a, b) == overlaps(b, a)
    assert overlaps(a, a)
    common = max(a.earliest, b.earliest) <= min(a.latest, b.latest)
    assert overlaps(a, b) == common


@given(st.text(max_size=30))
def test_parse_never_fails_with_anything_but_invalid_date(text: str) -> None:
    try:
        p = PartialDate.parse(text)
    except InvalidDate as exc:
        assert exc.params["value"] == text
    else:
        assert PartialDate.from_edtf(p.edtf) == p
