"""Export case file…: from the editor, the interviews list, a person and a site, through the
dialog, on the jobs thread, with progress and Cancel; the three files verify."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QRadioButton

from testimony_app import config
from testimony_app.casefile import gather
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.interview import Interview
from testimony_app.services.casefile import verify_casefile
from testimony_app.ui import casefile_dialog
from testimony_app.ui.casefile_dialog import DONE, FORM, RUNNING, CasefileDialog
from testimony_app.ui.main_window import MainWindow
from testimony_app.vault.vault import Vault
from tests.factory import add_testimony
from tests.ui.conftest import PASSPHRASE, WAIT_MS
from tests.ui.drive import click, press, unlock

NARRATIVE = ("Нас тримали в підвалі школи MKUINARRATIVE. Щоранку виводили на «прийомку», "
             "а потім везли автобусом до СІЗО.")


@pytest.fixture
def seeded(tmp_path: Path) -> dict:
    """Three testimonies with consent for prosecution; the first interviewee also appears in
    a second interview, without any consent."""
    folder = tmp_path / "vault"
    vault = Vault.create(folder, PASSPHRASE, name="Field team",
                         kdf_params=Argon2Params.floor()).vault
    with vault.transaction() as store:
        first = add_testimony(store, narrative=NARRATIVE, start_at="2024-03-14T10:30")
        others = [add_testimony(store, start_at=f"2024-04-{n:02d}T09:00") for n in (1, 2)]
        unconsented = store.add(Interview(reference="T-NOCONSENT", start_at="2024-05-01T09:00",
                                          interviewee_id=first["person"].id,
                                          narrative="Без згоди MKUINOCONSENT"))
    vault.close()
    prefs = config.Preferences.load()
    prefs.remember_vault(folder)
    prefs.save()
    return {"first": first, "others": others, "unconsented": unconsented}


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    return opened


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The file dialog answers with a path in ``tmp_path/out`` (without .pdf: it is added)."""
    out = tmp_path / "out"
    out.mkdir()
    asked: list[tuple] = []

    def answer(name: str) -> Path:
        def fake(*args, **kwargs):
            asked.append((args, kwargs))
            return str(out / name), "PDF files (*.pdf)"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
        return out / f"{name.removesuffix('.pdf')}.pdf"

    answer.out = out  # type: ignore[attr-defined]
    answer.asked = asked  # type: ignore[attr-defined]
    return answer


def open_window(qtbot, make_window) -> MainWindow:
    window = make_window()
    unlock(qtbot, window)
    assert window.workspace is not None
    return window


def dialog_of(qtbot, window: MainWindow) -> CasefileDialog:
    qtbot.waitUntil(lambda: window.workspace.casefile_dialog is not None
                    and window.workspace.casefile_dialog.isVisible(), timeout=WAIT_MS)
    dialog = window.workspace.casefile_dialog
    qtbot.waitUntil(lambda: dialog.survey is not None, timeout=WAIT_MS)
    return dialog


def choose_language(qtbot, dialog: CasefileDialog, lang: str) -> None:
    """As with the keyboard: Home, then Down until the language shows."""
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Home)
    for _step in range(dialog.language.count()):
        if dialog.lang() == lang:
            return
        qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    assert dialog.lang() == lang


def pick(qtbot, button: QRadioButton) -> None:
    """A click on the round mark (the button itself is as wide as the dialog)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def export_and_wait(qtbot, dialog: CasefileDialog) -> None:
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.state != RUNNING, timeout=60_000)
    assert dialog.state == DONE, dialog.error.text()


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def test_export_from_the_editor_writes_three_files_that_verify(
        qtbot, make_window, seeded, save_as, desktop) -> None:
    window = open_window(qtbot, make_window)
    interviews = window.workspace.interviews
    interviews.open_interview(seeded["first"]["interview"].id)
    qtbot.waitUntil(lambda: interviews.editor is not None, timeout=WAIT_MS)
    click(qtbot, interviews.editor.export_button)
    dialog = dialog_of(qtbot, window)

    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    assert "T-" in dialog.what.text()  # the interview's label, as the editor shows it
    assert dialog.count.text().startswith("1 interview.")
    assert dialog.lang() == "en"  # the language of the app, until another is chosen
    assert dialog.path.name.startswith("case-") and dialog.path.suffix == ".pdf"
    assert "not encrypted" in dialog.unencrypted.text()

    pick(qtbot, dialog.profile_buttons["icrc"])
    assert "no consent" in dialog.count.text().lower()
    pick(qtbot, dialog.profile_buttons["prosecution"])
    assert dialog.count.text() == "1 interview. It has consent for this use."
    choose_language(qtbot, dialog, "uk")
    qtbot.keyClicks(dialog.reference, "UA-PG-2024-17")
    pdf = save_as("court bundle")
    click(qtbot, dialog.choose_button)
    assert dialog.path == pdf
    export_and_wait(qtbot, dialog)

    data, sig = pdf.with_name("court bundle.data.json"), pdf.with_name("court bundle.pdf.sig")
    assert sorted(p.name for p in save_as.out.iterdir()) == sorted(
        p.name for p in (pdf, data, sig))
    text = pdf_text(pdf)
    assert " ".join(NARRATIVE.split()) in text
    assert "UA-PG-2024-17" in text
    assert "Сторінка 1 з" in text and "Page 1 of" not in text  # labels in Ukrainian
    assert verify_casefile(pdf) == []
    result = dialog.result
    assert result is not None and result.pdf_path == pdf and not result.left_out
    assert dialog.written["pdf"].text() == pdf.name
    assert dialog.written["data"].text() == data.name
    assert dialog.written["sig"].text() == sig.name
    assert dialog.written["folder"].text() == str(save_as.out)
    assert dialog.nothing_left_out.isVisibleTo(dialog)

    click(qtbot, dialog.open_button)
    click(qtbot, dialog.folder_button)
    assert desktop == [QUrl.fromLocalFile(str(pdf)), QUrl.fromLocalFile(str(save_as.out))]
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_cancel_leaves_no_file(qtbot, make_window, seeded, save_as, monkeypatch) -> None:
    window = open_window(qtbot, make_window)
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.total == 4, timeout=WAIT_MS)
    page.table.setFocus()
    page.table.selectAll()  # Ctrl+A: every row, as several chosen in the list
    click(qtbot, page.export_button)
    dialog = dialog_of(qtbot, window)
    assert dialog.what.text() == "4 interviews chosen in the list"
    assert dialog.count.text() == ("4 interviews. 3 with consent for this use; the other one "
                                   "will only be listed as left out.")
    save_as("cancelled")
    click(qtbot, dialog.choose_button)

    # Cancelled before the export has started (no event runs between the two presses): it
    # never writes anything.
    dialog.export_button.click()
    assert dialog.state == RUNNING and dialog.cancel_button.isVisible()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.state == FORM, timeout=WAIT_MS)
    assert dialog.status.text() == "Cancelled. Nothing was changed."
    assert list(save_as.out.iterdir()) == []

    # Cancelled mid-way: the job holds after reading the first interview until Cancel is
    # pressed (an event, not a sleep), then stops at its next check.
    reached = threading.Event()
    load = gather.Loader.load

    def held(self, interview):
        reached.set()
        dialog._cancel.wait(WAIT_MS / 1000)
        return load(self, interview)

    monkeypatch.setattr(gather.Loader, "load", held)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 1000, timeout=WAIT_MS)
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.state == FORM, timeout=WAIT_MS)
    assert dialog.status.text() == "Cancelled. Nothing was changed."
    assert not dialog.error.text()
    assert list(save_as.out.iterdir()) == []
    assert dialog.export_button.isEnabled() and dialog.profile_buttons["icrc"].isEnabled()


def test_export_about_a_person_lists_what_was_left_out(
        qtbot, make_window, seeded, save_as, desktop) -> None:
    window = open_window(qtbot, make_window)
    window.workspace.go("people")
    people = window.workspace.people
    person = seeded["first"]["person"]
    qtbot.waitUntil(lambda: people.list.count() == 3, timeout=WAIT_MS)
    people.select(person.id)
    assert people.export_button.isVisibleTo(people)
    click(qtbot, people.export_button)
    dialog = dialog_of(qtbot, window)
    assert dialog.what.text() == f"Everything about {people.item_label(person)}"
    assert dialog.scope_hint.isVisibleTo(dialog)
    assert dialog.count.text() == ("2 interviews. 1 with consent for this use; the other one "
                                   "will only be listed as left out.")
    pdf = save_as("person.pdf")
    click(qtbot, dialog.choose_button)
    export_and_wait(qtbot, dialog)

    assert verify_casefile(pdf) == []
    text = pdf_text(pdf)
    assert "MKUINARRATIVE" in text and "MKUINOCONSENT" not in text
    result = dialog.result
    assert [x.reference for x in result.left_out] == ["T-NOCONSENT"]
    assert dialog.left_out.isVisibleTo(dialog)
    assert dialog.left_out.toPlainText().startswith("T-NOCONSENT — ")
    assert "1 left out" in dialog.done_summary.text()


def test_ctrl_e_on_the_sites_page_offers_the_chosen_site(qtbot, make_window, seeded) -> None:
    window = open_window(qtbot, make_window)
    window.workspace.go("sites")
    sites = window.workspace.sites
    site = seeded["others"][0]["site"]
    qtbot.waitUntil(lambda: sites.list.count() == 3, timeout=WAIT_MS)
    sites.select(site.id)
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, window)
    assert dialog.subject.selection.kind == "site"
    assert dialog.subject.selection.ids == (site.id,)
    assert site.canonical_name in dialog.what.text()
    assert dialog.count.text() == "1 interview. It has consent for this use."
    # Esc closes it; nothing was written anywhere.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def test_locking_during_an_export_cancels_it(qtbot, make_window, seeded, save_as,
                                             monkeypatch) -> None:
    window = open_window(qtbot, make_window)
    interviews = window.workspace.interviews
    interviews.open_interview(seeded["first"]["interview"].id)
    qtbot.waitUntil(lambda: interviews.editor is not None, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, window)
    save_as("locked")
    click(qtbot, dialog.choose_button)
    reached, finished = threading.Event(), threading.Event()
    load = gather.Loader.load
    export = casefile_dialog.export_casefile

    def held(self, interview):
        reached.set()
        dialog_cancel.wait(WAIT_MS / 1000)
        return load(self, interview)

    def watched(*args, **kwargs):
        try:
            return export(*args, **kwargs)
        finally:
            finished.set()

    dialog_cancel = dialog._cancel
    monkeypatch.setattr(gather.Loader, "load", held)
    monkeypatch.setattr(casefile_dialog, "export_casefile", watched)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
    vault = window.session.vault
    window.lock()
    qtbot.waitUntil(lambda: finished.is_set() and not vault.is_open, timeout=WAIT_MS)
    assert window.workspace is None
    assert list(save_as.out.iterdir()) == []
    QApplication.processEvents()


def test_nothing_chosen_says_what_to_choose(qtbot, make_window, seeded, monkeypatch) -> None:
    window = open_window(qtbot, make_window)
    notices: list[str] = []
    monkeypatch.setattr("testimony_app.ui.dialogs.notice",
                        lambda parent, title, text: notices.append(text))
    window.workspace.go("settings")
    window.casefile_action.trigger()
    assert notices and "Open an interview" in notices[0]
    assert window.workspace.casefile_dialog is None


def test_an_existing_file_is_replaced_only_when_confirmed(qtbot, make_window, seeded, save_as,
                                                          monkeypatch) -> None:
    window = open_window(qtbot, make_window)
    window.workspace.go("people")
    people = window.workspace.people
    qtbot.waitUntil(lambda: people.list.count() == 3, timeout=WAIT_MS)
    window.casefile_action.trigger()
    dialog = dialog_of(qtbot, window)
    pdf = save_as("taken.pdf")
    click(qtbot, dialog.choose_button)
    pdf.with_name("taken.pdf.sig").write_text("someone else's")
    asked: list[str] = []
    monkeypatch.setattr("testimony_app.ui.dialogs.confirm",
                        lambda parent, title, text, yes=None: asked.append(text) or False)
    click(qtbot, dialog.export_button)
    assert asked and "taken.pdf.sig" in asked[0]
    assert dialog.state == FORM and not pdf.exists()
    assert save_as.asked and save_as.asked[0][1]["options"] == \
        QFileDialog.Option.DontConfirmOverwrite
