"""People and Sites: browse, search, edit, and every record that mentions them."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimony_app.domain.detention import Site
from testimony_app.domain.person import Person
from testimony_app.vault.vault import Vault
from tests import factory
from tests.ui.conftest import PASSPHRASE, WAIT_MS
from tests.ui.drive import click, key_clicks, type_into, unlock, wait_saved


@pytest.fixture
def testimony(known_vault: Path) -> dict:
    with Vault.open(known_vault, PASSPHRASE) as vault, vault.transaction() as store:
        made = factory.add_testimony(store)
        factory.add_testimony(store)  # someone else, elsewhere
    return made


def test_a_person_shows_every_record_they_appear_in(qtbot, make_window, testimony) -> None:
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("people")
    page = window.workspace.people
    qtbot.waitUntil(lambda: page.list.count() == 2, timeout=WAIT_MS)
    person = testimony["person"]
    with qtbot.waitSignal(page.list.model().modelReset, timeout=WAIT_MS, raising=False):
        key_clicks(page.search, person.surname)
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=WAIT_MS)
    assert page.current().id == person.id
    qtbot.waitUntil(lambda: page.mentions.topLevelItemCount() == 4, timeout=WAIT_MS)
    kinds = sorted(page.mentions.topLevelItem(i).text(1)
                   for i in range(page.mentions.topLevelItemCount()))
    assert kinds == ["Co-detainee seen · saw someone", "Detention · held there",
                     "Ill-treatment · victim", "Interview · interviewed"]

    # Edit: autosaved like everything else.
    field = page.form.fields["home_settlement"]
    type_into(qtbot, field, "Ізюм")
    wait_saved(qtbot, window)
    stored: list = []
    window.saver.run(lambda v: v.store.get(Person, person.id), stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    assert stored[0].home_settlement == "Ізюм"

    # A double click on a mention opens the interview.
    page.mentions.itemActivated.emit(page.mentions.topLevelItem(0), 0)
    qtbot.waitUntil(lambda: window.workspace.interviews.editor is not None, timeout=WAIT_MS)
    assert window.workspace.current_key() == "interviews"
    assert window.workspace.interviews.editor.ctx.interview.id == testimony["interview"].id


def test_a_site_shows_every_episode_act_and_sighting_there(qtbot, make_window,
                                                           testimony) -> None:
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sites")
    page = window.workspace.sites
    qtbot.waitUntil(lambda: page.list.count() == 2, timeout=WAIT_MS)
    page.select(testimony["site"].id)
    qtbot.waitUntil(lambda: page.mentions.topLevelItemCount() == 3, timeout=WAIT_MS)
    kinds = sorted(page.mentions.topLevelItem(i).text(1)
                   for i in range(page.mentions.topLevelItemCount()))
    assert kinds == ["Co-detainee seen · seen there", "Detention · held there",
                     "Ill-treatment · act there"]

    click(qtbot, page.new_button)
    type_into(qtbot, page.new_row.name, "Новий підвал")
    click(qtbot, page.new_row.create_button)
    assert page.current().canonical_name == "Новий підвал"
    wait_saved(qtbot, window)
    site_id = page.current().id
    with qtbot.waitSignal(page.list.model().modelReset, timeout=WAIT_MS):
        page.reload()
    assert page.list.count() == 3

    # A latitude off the globe is not saved, and the field says which values it takes.
    page.select(site_id)
    assert page.current().id == site_id
    latitude = page.form.fields["latitude"]
    type_into(qtbot, latitude, "95")
    assert latitude.problem.text() == "Between -90 and 90"
    type_into(qtbot, latitude, "x")
    assert latitude.problem.text() == "Not a number"
    wait_saved(qtbot, window)
    stored: list = []
    window.saver.run(lambda v: v.store.get(Site, site_id), stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    assert stored[0].latitude == 9.0  # the last value on the globe: "9", before the "5"
    latitude.editor.clear()
    type_into(qtbot, latitude, "47,5")
    assert latitude.problem.text() == ""
    wait_saved(qtbot, window)
    stored.clear()
    window.saver.run(lambda v: v.store.get(Site, site_id), stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    assert stored[0].latitude == 47.5
