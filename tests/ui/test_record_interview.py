"""Record a whole testimony through the widgets, lock, unlock, and find every value again.

Runs with the interface in English and in Ukrainian: choices are made by typing their labels in
the interface language, as a person would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from testimony_app import i18n
from testimony_app.domain.detention import Sighting
from testimony_app.ui.editor.editor import InterviewEditor
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import (
    choose,
    click,
    key_clicks,
    new_interview,
    press,
    press_space_on,
    tick,
    type_into,
    unlock,
    wait_saved,
)

INTERVIEW = {
    "reference": "KH-2024-017", "pseudonym": "Свідок 17", "place_generalised": "Харківщина",
    "place_exact": "Тестова вулиця, 1", "languages": "uk, ru", "interviewer": "Оксана Т.",
    "interpreter": "Ірина П.", "others_present": "психологиня фонду",
    "prior_accounts": "СБУ, березень 2024", "referral_notes": "до лікаря у Харкові",
    "risk_assessment": "низький",
}
PERSON = {
    "surname": "Петренко", "given_name": "Іван", "patronymic": "Миколайович",
    "home_settlement": "Ізюм", "unit": "92 ОМБр", "rank": "солдат",
    "service_number": "А1234567", "call_sign": "Лис", "distinguishing_marks": "шрам на лівій руці",
    "contacts": "+380 00 000 00 00 (сестра)",
}
CAPTURE = {"place": "Рубіжне", "capturing_unit": "невідомий підрозділ",
           "circumstances": "під час евакуації поранених"}
SIGHTINGS = [
    {"name_as_heard": "Сашко з Маріуполя", "call_sign": "Сокіл",
     "self_reported_details": "36 років, морпіх", "first_seen": "2022-06",
     "last_seen": "2022-11~", "last_known_movement": "забрали на етап у листопаді",
     "message_for_family": "Передайте мамі, що живий"},
    {"name_as_heard": "Олег Т.", "call_sign": "", "self_reported_details": "водій",
     "first_seen": "2022-07", "last_seen": "2023-01", "last_known_movement": "",
     "message_for_family": ""},
    {"name_as_heard": "дід Микола", "call_sign": "Дід", "self_reported_details": "з Ізюма",
     "first_seen": "2022-05", "last_seen": "2022-05", "last_known_movement": "помер?",
     "message_for_family": "Просив передати дружині"},
]
NARRATIVE = ("Нас вивезли автобусом уночі. У камері було дванадцятеро.",
             "Допитували щодня, питали про позиції.")
OBSERVATIONS = "Говорив спокійно, плакав, коли згадував Сашка."


def make_png(path: Path) -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#446688"))
    assert image.save(str(path), "PNG")
    return path


def drop_files(widget, paths: list[Path]) -> None:
    """The drag-enter and drop events a file manager's drag produces (handed to the widget's
    handlers: offscreen Qt has no drag manager to route them)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)


def record_everything(qtbot, window, tmp_path: Path) -> InterviewEditor:
    editor = new_interview(qtbot, window)

    # Interview --------------------------------------------------------------------------------
    form = editor.section("interview").form
    for name, value in INTERVIEW.items():
        type_into(qtbot, form.fields[name], value)
    type_into(qtbot, form.fields["end_at"], "14.03.2024 12:45")
    choose(qtbot, form.fields["mode"], "in_person")
    tick(qtbot, form.fields["referrals_offered"], "medical")
    tick(qtbot, form.fields["referrals_offered"], "psychological")
    choose(qtbot, form.fields["confidentiality"], "sensitive")
    choose(qtbot, form.fields["status"], "complete")

    # Consent: by keyboard (Alt+2)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    consent = editor.current_section()
    assert consent is not None and consent.key == "consent"
    choose(qtbot, consent.rows["interview"]["decision"], "granted")
    choose(qtbot, consent.rows["interview"]["method"], "written")
    type_into(qtbot, consent.rows["interview"]["conditions"], "лише анонімно")
    choose(qtbot, consent.rows["share_icc"]["decision"], "granted")
    choose(qtbot, consent.rows["video_recording"]["decision"], "refused")
    choose(qtbot, consent.rows["audio_recording"]["decision"], "withdrawn")
    type_into(qtbot, consent.rows["audio_recording"]["withdrawn_on"], "15.03.2024")
    type_into(qtbot, consent.rows["audio_recording"]["withdrawal_note"], "передумав")
    assert "granted" in editor.consent.text() or editor.consent.text() != ""

    # Interviewee (Ctrl+PgDown from consent)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown,
                   Qt.KeyboardModifier.ControlModifier)
    person = editor.current_section()
    assert person is not None and person.key == "interviewee"
    form = person.form
    names = form.fields["names"]
    click(qtbot, names.add_button)
    row = names.rows[-1][0]
    type_into(qtbot, row[0], "Петренко Іван Миколайович")
    choose(qtbot, row[1], "Cyrl")
    click(qtbot, names.add_button)
    type_into(qtbot, names.rows[-1][0][0], "Petrenko Ivan")
    choose(qtbot, names.rows[-1][0][1], "Latn")
    for name, value in PERSON.items():
        type_into(qtbot, form.fields[name], value)
    choose(qtbot, form.fields["sex"], "male")
    type_into(qtbot, form.fields["birth_date"], "~1985")
    assert form.fields["birth_date"].understood.text()
    choose(qtbot, form.fields["legal_category"], "pow")
    status = form.fields["status_history"]
    click(qtbot, status.add_button)
    choose(qtbot, status.rows[-1][0][0], "released_exchange")
    type_into(qtbot, status.rows[-1][0][1], "2024-02")
    type_into(qtbot, status.rows[-1][0][2], "обмін 7 лютого")
    flags = form.fields["priority_flags"]
    click(qtbot, flags.add_button)
    choose(qtbot, flags.rows[-1][0][0], "seriously_wounded")
    type_into(qtbot, flags.rows[-1][0][1], "осколкове поранення")

    # Capture
    form = editor.section("capture").form
    type_into(qtbot, form.fields["date"], "14.05.2022")
    for name, value in CAPTURE.items():
        type_into(qtbot, form.fields[name], value)

    # Detention timeline: two episodes, two sites made inline; entered out of order
    detention = editor.section("detention")
    click(qtbot, detention.add_button)
    form = detention.form
    picker = form.fields["site_id"]
    click(qtbot, picker.new_button)
    type_into(qtbot, picker.new_row.name, "Тестова колонія №2")
    choose(qtbot, picker.new_row.site_type, "penal_colony")
    type_into(qtbot, picker.new_row.settlement, "Тестове")
    click(qtbot, picker.new_row.create_button)
    assert picker.value() is not None
    type_into(qtbot, form.fields["arrival"], "2023-01")
    type_into(qtbot, form.fields["departure"], "2024-02-07")
    choose(qtbot, form.fields["arrival_mode"], "transfer")
    type_into(qtbot, form.fields["daily_routine"], "підйом о шостій, стояти весь день")

    click(qtbot, detention.add_button)
    picker = form.fields["site_id"]
    click(qtbot, picker.new_button)
    type_into(qtbot, picker.new_row.name, "СІЗО-1 Тестове")
    choose(qtbot, picker.new_row.site_type, "sizo")
    qtbot.keyClick(picker.new_row.name, Qt.Key.Key_Return)
    type_into(qtbot, form.fields["unit_label"], "камера 12")
    type_into(qtbot, form.fields["arrival"], "2022-05")
    type_into(qtbot, form.fields["departure"], "2023-01~")
    choose(qtbot, form.fields["arrival_mode"], "capture")
    tick(qtbot, form.fields["conditions"], "overcrowding")
    type_into(qtbot, form.fields["conditions_text"], "12 людей на 4 ліжка")
    detention.refresh()
    labels = [detention.list.item(i).text() for i in range(detention.list.count())]
    assert "СІЗО-1 Тестове" in labels[0] and "колонія" in labels[1]  # in date order

    # Ill-treatment
    acts = editor.section("acts")
    click(qtbot, acts.add_button)
    form = acts.form
    choose(qtbot, form.fields["episode_id"], acts.ctx.records(type(detention.current()))[1].id)
    assert form.fields["site_id"].value() is not None  # taken from the episode
    type_into(qtbot, form.fields["date"], "2022-06")
    choose(qtbot, form.fields["frequency"], "repeated")
    tick(qtbot, form.fields["act_types"], "torture")
    tick(qtbot, form.fields["methods"], "falanga")
    tick(qtbot, form.fields["methods"], "electric_shock")
    type_into(qtbot, form.fields["methods_other"], "погрози родині")
    type_into(qtbot, form.fields["objects_used"], "кийок, тапік")
    type_into(qtbot, form.fields["questions_or_statements"], "питали про позиції")
    type_into(qtbot, form.fields["injuries"], "зламані ребра")
    type_into(qtbot, form.fields["witnesses"], "Сашко з Маріуполя")
    choose(qtbot, form.fields["knowledge_basis"], "direct_experience")

    # Perpetrators, linked to the act
    perpetrators = editor.section("perpetrators")
    click(qtbot, perpetrators.add_button)
    form = perpetrators.form
    type_into(qtbot, form.fields["name"], "Тестовий Кат")
    type_into(qtbot, form.fields["call_signs"], "Грім, Буря")
    type_into(qtbot, form.fields["unit"], "конвой")
    act_id = acts.ctx.records(type(acts.current()))[0].id
    press_space_on(qtbot, perpetrators.acts, act_id)

    # Three co-detainees seen
    sightings = editor.section("sightings")
    for data in SIGHTINGS:
        click(qtbot, sightings.add_button)
        form = sightings.form
        for name, value in data.items():
            if value:
                type_into(qtbot, form.fields[name], value)
        choose(qtbot, form.fields["site_id"].combo, sightings.ctx.records(
            type(detention.current()))[1].site_id)
        choose(qtbot, form.fields["identification_basis"], "self_introduced")
        choose(qtbot, form.fields["contact_type"], "same_cell")
        choose(qtbot, form.fields["condition"], "injured_untreated")

    # An attachment, dropped onto the section, then viewed in memory
    attachments = editor.section("attachments")
    drop_files(attachments, [make_png(tmp_path / "injury.png")])
    qtbot.waitUntil(lambda: attachments.count() == 1 and not attachments.busy, timeout=WAIT_MS)
    attachments.view_current()
    qtbot.waitUntil(lambda: getattr(attachments, "viewer", None) is not None, timeout=WAIT_MS)
    assert attachments.viewer.image_size() == (40, 30)
    attachments.viewer.close()

    # Narrative and observations
    narrative = editor.section("narrative")
    type_into(qtbot, narrative.narrative, NARRATIVE[0])
    qtbot.keyClick(narrative.narrative, Qt.Key.Key_Return)
    key_clicks(narrative.narrative, NARRATIVE[1])
    type_into(qtbot, narrative.observations, OBSERVATIONS)
    return editor


def reopen(qtbot, window) -> InterviewEditor:
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editor is not None, timeout=WAIT_MS)
    return page.editor


def check_everything(editor: InterviewEditor) -> None:
    form = editor.section("interview").form
    for name, value in INTERVIEW.items():
        expected = tuple(value.split(", ")) if name == "languages" else value
        assert form.value(name) == expected, name
    assert form.value("end_at") == "2024-03-14T12:45"
    assert form.value("mode") == "in_person"
    assert form.value("referrals_offered") == ("medical", "psychological")
    assert form.value("confidentiality") == "sensitive"
    assert form.value("status") == "complete"

    consent = editor.section("consent")
    assert consent.rows["interview"]["decision"].value() == "granted"
    assert consent.rows["interview"]["method"].value() == "written"
    assert consent.rows["interview"]["conditions"].value() == "лише анонімно"
    assert consent.rows["share_icc"]["decision"].value() == "granted"
    assert consent.rows["video_recording"]["decision"].value() == "refused"
    assert consent.rows["audio_recording"]["withdrawn_on"].value().edtf == "2024-03-15"
    assert consent.rows["audio_recording"]["withdrawal_note"].value() == "передумав"
    assert consent.rows["share_un"]["decision"].value() is None
    assert editor.consent.text()

    form = editor.section("interviewee").form
    for name, value in PERSON.items():
        assert form.value(name) == value, name
    assert [(n.full, n.script) for n in form.value("names")] == [
        ("Петренко Іван Миколайович", "Cyrl"), ("Petrenko Ivan", "Latn")]
    assert form.value("sex") == "male"
    assert form.value("birth_date").edtf == "1985~"
    assert form.value("legal_category") == "pow"
    (status,) = form.value("status_history")
    assert (status.status, status.as_of.edtf, status.source) == (
        "released_exchange", "2024-02", "обмін 7 лютого")
    (flag,) = form.value("priority_flags")
    assert (flag.category, flag.basis) == ("seriously_wounded", "осколкове поранення")

    form = editor.section("capture").form
    assert form.value("date").edtf == "2022-05-14"
    for name, value in CAPTURE.items():
        assert form.value(name) == value, name

    detention = editor.section("detention")
    assert detention.list.count() == 2
    detention.list.setCurrentRow(0)
    form = detention.form
    assert detention.ctx.site_name(form.value("site_id")) == "СІЗО-1 Тестове"
    assert (form.value("unit_label"), form.value("arrival").edtf,
            form.value("departure").edtf) == ("камера 12", "2022-05", "2023-01~")
    assert form.value("arrival_mode") == "capture"
    assert form.value("conditions") == ("overcrowding",)
    assert form.value("conditions_text") == "12 людей на 4 ліжка"
    detention.list.setCurrentRow(1)
    assert detention.ctx.site_name(form.value("site_id")) == "Тестова колонія №2"
    assert form.value("daily_routine") == "підйом о шостій, стояти весь день"
    assert form.value("departure").edtf == "2024-02-07"

    acts = editor.section("acts")
    assert acts.list.count() == 1
    form = acts.form
    assert acts.ctx.site_name(form.value("site_id")) == "СІЗО-1 Тестове"
    assert form.value("episode_id") is not None
    assert form.value("date").edtf == "2022-06"
    assert form.value("frequency") == "repeated"
    assert form.value("act_types") == ("torture",)
    assert set(form.value("methods")) == {"falanga", "electric_shock"}
    for name, value in (("methods_other", "погрози родині"), ("objects_used", "кийок, тапік"),
                        ("questions_or_statements", "питали про позиції"),
                        ("injuries", "зламані ребра"), ("witnesses", "Сашко з Маріуполя")):
        assert form.value(name) == value, name
    assert form.value("knowledge_basis") == "direct_experience"
    linked = [acts.perpetrators.item(i) for i in range(acts.perpetrators.count())]
    assert [(i.text(), i.checkState()) for i in linked] == [("Тестовий Кат",
                                                             Qt.CheckState.Checked)]

    perpetrators = editor.section("perpetrators")
    form = perpetrators.form
    assert (form.value("name"), form.value("call_signs"), form.value("unit")) == (
        "Тестовий Кат", ("Грім", "Буря"), "конвой")

    sightings = editor.section("sightings")
    assert sightings.list.count() == 3
    seen = sorted(sightings.ctx.records(Sighting), key=lambda s: s.created_at)
    for record, data in zip(seen, SIGHTINGS, strict=True):
        sightings.select(record.id)
        form = sightings.form
        for name, value in data.items():
            shown = form.value(name)
            assert (shown.edtf if hasattr(shown, "edtf") else (shown or "")) == value, name
        assert sightings.ctx.site_name(form.value("site_id")) == "СІЗО-1 Тестове"
        assert (form.value("identification_basis"), form.value("contact_type"),
                form.value("condition")) == ("self_introduced", "same_cell", "injured_untreated")

    attachments = editor.section("attachments")
    assert attachments.table.topLevelItemCount() == 1
    row = attachments.table.topLevelItem(0)
    assert row.text(1) == "injury.png"
    assert len(row.text(3)) == 64
    actions = [attachments.custody.topLevelItem(i).text(1)
               for i in range(attachments.custody.topLevelItemCount())]
    assert len(actions) == 2  # ingested, then viewed

    narrative = editor.section("narrative")
    assert narrative.narrative.toPlainText() == "\n".join(NARRATIVE)
    assert narrative.observations.toPlainText() == OBSERVATIONS


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_whole_interview_survives_lock_and_unlock(qtbot, make_window, known_vault: Path,
                                                    tmp_path: Path, lang: str) -> None:
    i18n.set_language(lang)
    window = make_window()
    unlock(qtbot, window)
    record_everything(qtbot, window, tmp_path)
    wait_saved(qtbot, window)
    assert window.status.save_label.text() == i18n.gettext("Saved")

    vault = window.session.vault
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not vault.is_open, timeout=WAIT_MS)
    assert window.workspace is None and window.session is None

    unlock(qtbot, window)
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    row = page.model.row(0)
    assert (row.interviewee, row.acts, row.sightings) == ("Свідок 17", 1, 3)
    check_everything(reopen(qtbot, window))


def test_the_list_searches_narratives_and_names(qtbot, make_window, known_vault: Path,
                                                tmp_path: Path) -> None:
    window = make_window()
    unlock(qtbot, window)
    record_everything(qtbot, window, tmp_path)
    editor = window.workspace.interviews.editor
    click(qtbot, editor.back_button)
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    for text, found in (("дванадцятеро", 1), ("Петренко", 1), ("неіснуюче", 0)):
        page.search.clear()
        key_clicks(page.search, text)
        with qtbot.waitSignal(page.model.counted, timeout=WAIT_MS) as signal:
            pass
        assert signal.args == [found], text
