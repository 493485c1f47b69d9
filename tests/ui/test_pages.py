"""Pages on their own: texts people read, and untrusted text kept plain."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from testimony_app import config
from testimony_app.ui.create_page import CreatePage, strength_hint
from testimony_app.ui.recovery_page import layout_code
from testimony_app.ui.session import VaultSummary, suggest_new_folder
from testimony_app.ui.settings_page import SettingsPage
from testimony_app.vault.vault import MIN_PASSPHRASE


@pytest.mark.parametrize(("length", "start"), [
    (0, "At least"), (MIN_PASSPHRASE - 1, "Too short"), (MIN_PASSPHRASE, "Acceptable"),
    (16, "Good"), (24, "Strong"),
])
def test_strength_hint_follows_length(length: int, start: str) -> None:
    assert strength_hint("x" * length).startswith(start)


def test_recovery_code_is_shown_on_two_lines_and_still_reads_back() -> None:
    code = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"
    assert layout_code(code) == "AAAA-BBBB-CCCC-DDDD\nEEEE-FFFF-GGGG-HHHH"


def test_vault_name_is_shown_as_plain_text(qtbot) -> None:
    page = SettingsPage(config.Preferences())
    qtbot.addWidget(page)
    name = "<b>Field</b> <img src=x>"
    page.show_summary(VaultSummary(Path("/v"), name, "id", "ABCD"))
    assert page.name.textFormat() == Qt.TextFormat.PlainText
    assert page.name.text() == name


def test_new_vault_folder_avoids_an_existing_vault(tmp_path: Path) -> None:
    first = suggest_new_folder()
    assert first == tmp_path / "data" / "vaults" / "default"
    first.mkdir(parents=True)
    (first / "vault.json").write_text("{}")
    assert suggest_new_folder() == first.with_name("default-2")


def test_choosing_a_non_empty_folder_makes_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert CreatePage._vault_folder_in(tmp_path) == tmp_path / "Testimony vault"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CreatePage._vault_folder_in(empty) == empty


def test_untrusted_text_stays_plain_in_labels_lists_and_tooltips(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from testimony_app.domain.interview import Interview
    from testimony_app.domain.person import Person
    from testimony_app.services.interviews import InterviewFile
    from testimony_app.services.lookups import EditorData
    from testimony_app.ui.autosave import Autosave
    from testimony_app.ui.editor.context import EditorContext
    from testimony_app.ui.editor.editor import InterviewEditor
    from testimony_app.ui.widgets import ElidedLabel, plain_tooltip

    hostile = "<img src='file:///etc/passwd'><b>Петренко</b>"
    person = Person(surname=hostile)
    interview = Interview(interviewee_id=person.id, narrative=hostile)
    data = EditorData(InterviewFile(interview, person, (), (), (), (), (), (), (), (), (), ()),
                      ())
    saver = Autosave(worker=None, vault=None)  # nothing is changed: never used
    editor = InterviewEditor(EditorContext(data, saver, jobs=None, blobs=None))
    qtbot.addWidget(editor)
    for key in ("interviewee", "narrative"):
        editor.section(key)
    labels = editor.findChildren(QLabel)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels
               if hostile[:10] in label.text() or isinstance(label, ElidedLabel))
    assert hostile in editor.title.full_text()
    assert editor.title.toolTip() == plain_tooltip(editor.title.full_text())
    assert "&lt;img" in editor.title.toolTip()
    assert editor.section("narrative").narrative.toPlainText() == hostile
    assert editor.section("interviewee").form.value("surname") == hostile


def test_every_field_on_every_form_has_a_human_name(qtbot) -> None:
    from testimony_app.domain.interview import Interview
    from testimony_app.domain.person import Person
    from testimony_app.services.interviews import InterviewFile
    from testimony_app.services.lookups import EditorData
    from testimony_app.ui.autosave import Autosave
    from testimony_app.ui.editor.context import EditorContext
    from testimony_app.ui.editor.editor import KEYS, InterviewEditor
    from testimony_app.ui.people_page import PeoplePage
    from testimony_app.ui.sites_page import SitesPage

    person = Person()
    data = EditorData(InterviewFile(Interview(interviewee_id=person.id), person, (), (), (), (),
                                    (), (), (), (), (), ()), ())
    editor = InterviewEditor(EditorContext(data, Autosave(worker=None, vault=None), jobs=None,
                                           blobs=None))
    qtbot.addWidget(editor)
    forms = [getattr(editor.section(key), "form", None) for key in KEYS]
    forms += [PeoplePage.build_form(None), SitesPage.build_form(None)]
    for form in filter(None, forms):
        for name, caption in form.captions.items():
            assert caption.text() and caption.text() != name, (form.entity, name)
