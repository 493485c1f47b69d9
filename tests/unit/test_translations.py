"""Every string a person reads is translated into Ukrainian and Russian, keeps its placeholders,
and the catalog is current with the code."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from testimony_app import errors, i18n
from tests.conftest import REPO

LANGS = ("uk", "ru")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(REPO / "testimony_app"), keywords=KEYWORDS, comment_tags=()):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(lang: str):
    with (REPO / "translations" / lang / "testimony.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_the_template_is_current():
    with (REPO / "translations" / "testimony.pot").open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    missing = _source_messages() - template
    assert not missing, f"run `make pot`: {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_the_same_placeholders(lang):
    catalog = _catalog(lang)
    problems = []
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        ids.add(singular)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {singular[:50]}")
            continue
        for text in strings:
            if i18n.placeholders(text) - i18n.placeholders(
                    message.id if isinstance(message.id, str) else " ".join(message.id)):
                problems.append(f"placeholders differ: {singular[:50]}")
    missing = _source_messages() - ids
    assert not problems and not missing, (problems + sorted(missing))[:10]


def test_a_translation_with_wrong_placeholders_falls_back_to_english():
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="uk")
    catalog.add("No {entity} with id {id}.", "Немає {сутність} з id {id}.")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    translations = i18n._SafeTranslations(buf)
    assert translations.gettext("No {entity} with id {id}.") == "No {entity} with id {id}."


@pytest.mark.parametrize("lang", LANGS)
def test_errors_read_in_the_chosen_language(lang):
    i18n.set_language(lang)
    message = errors.WrongPassphrase().message()
    assert message != errors.WrongPassphrase.msgid
    assert any("\u0400" <= ch <= "\u04ff" for ch in message)
