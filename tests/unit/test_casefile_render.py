"""The pieces under the PDF: table cells wrap without losing a character, untrusted text is
never markup, and a profile hands out only the fields it lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony_app.casefile import fonts, redaction
from testimony_app.casefile.labels import Words, letters
from testimony_app.casefile.pdf_tables import cell, width, wrap_lines
from testimony_app.casefile.styles import CELL, CELL_MONO, markup
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person

fonts.register()
TEXT = st.text(alphabet=st.sampled_from("абвгґдеєжзиіїйкл ьюя ABC xyz -/ 0123 ʼ«»"),
               max_size=200)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, room=st.floats(min_value=12, max_value=400))
def test_wrapping_keeps_every_character_and_fits_the_column(text, room):
    lines = wrap_lines(text, fonts.SANS, 8, room)
    assert "".join("".join(lines).split()) == "".join(text.split())
    for line in lines:
        assert width(line, fonts.SANS, 8) <= room or len(line) == 1


def test_a_hash_is_cut_into_equal_lines():
    digest = "ab" * 32
    lines = cell(digest, CELL_MONO, 100).split("\n")
    assert "".join(lines) == digest and len({len(x) for x in lines[:-1]}) == 1


def test_cells_drop_control_characters_but_keep_markup_characters():
    assert cell("a<b>&\x00c", CELL, 500) == "a<b>&c"


def test_markup_escapes_what_reportlab_would_parse():
    assert markup('<b>x</b> & <font name="y">\n') == (
        "&lt;b&gt;x&lt;/b&gt; &amp; &lt;font name=\"y\"&gt;<br/>")


def test_a_profile_hands_out_only_its_fields():
    person = Person(surname="Коваленко", contacts="+380", sex="male")
    shown = redaction.Shown(person, redaction.profile("advocacy").allowed("person"))
    assert shown.sex == "male"
    assert shown.surname is None and shown.contacts is None and shown.names == ()
    with pytest.raises(KeyError):
        _ = shown.no_such_field
    interview = Interview(narrative="текст")
    assert redaction.Shown(interview, redaction.profile("icrc").allowed("interview")
                           ).narrative is None


def test_words_come_in_the_chosen_language():
    assert Words("uk").term("ill_treatment_methods", "falanga").startswith("Фаланга")
    assert Words("ru").term("consent_decision", "granted") != Words("en").term(
        "consent_decision", "granted")
    assert [letters(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ",
                                                               "AAA"]


def test_an_unknown_profile_is_a_usage_error():
    from testimony_app import errors

    with pytest.raises(errors.UsageError):
        redaction.profile("press")
