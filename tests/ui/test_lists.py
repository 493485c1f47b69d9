"""The interviews list with 10,000 interviews: lazy pages, search, filter and sort."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from testimony_app import config
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.interview import Interview
from testimony_app.ui.models.interviews_model import INTERVIEWEE, PAGE
from testimony_app.vault.vault import Vault
from tests.ui.conftest import PASSPHRASE, WAIT_MS
from tests.ui.drive import key_clicks, unlock

COUNT = 10_000


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "vault"
    vault = Vault.create(folder, PASSPHRASE, kdf_params=Argon2Params.floor()).vault
    with vault.transaction() as store:
        for n in range(COUNT):
            store.add(Interview(
                pseudonym=f"Свідок {n:05d}", start_at=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00",
                place_generalised="Тестове", status=("draft", "complete")[n % 2],
                narrative=f"розповідь {n} " + ("про підвал" if n % 100 == 0 else "про колонію")))
    vault.close()
    return folder


@pytest.fixture
def window(qtbot, make_window, big_vault: Path):
    prefs = config.Preferences.load()
    prefs.remember_vault(big_vault)
    prefs.save()
    window = make_window()
    unlock(qtbot, window)
    page = window.workspace.interviews
    qtbot.waitUntil(lambda: page.model.total == COUNT, timeout=WAIT_MS)
    return window


def test_pages_load_as_the_list_scrolls(qtbot, window) -> None:
    page = window.workspace.interviews
    model, table = page.model, page.table
    assert model.rowCount() == PAGE
    assert page.count.text() == "10000 interviews"
    seen = model.rowCount()
    while model.rowCount() < COUNT:
        table.scrollToBottom()
        qtbot.waitUntil(lambda seen=seen: model.rowCount() > seen and not model.loading,
                        timeout=WAIT_MS)
        seen = model.rowCount()
    assert model.rowCount() == COUNT
    assert len({model.row(i).id for i in range(COUNT)}) == COUNT


def test_search_filter_and_sort(qtbot, window) -> None:
    page = window.workspace.interviews
    model = page.model
    with qtbot.waitSignal(model.counted, timeout=WAIT_MS) as found:
        key_clicks(page.search, "підвал")
    assert found.args == [COUNT // 100]

    with qtbot.waitSignal(model.counted, timeout=WAIT_MS) as found:
        page.status.setCurrentIndex(page.status.findData("complete"))
    assert found.args == [0]  # every hundredth is even: all drafts

    page.search.clear()
    with qtbot.waitSignal(model.counted, timeout=WAIT_MS) as found:
        page.apply_query()
    assert found.args == [COUNT // 2]

    with qtbot.waitSignal(model.counted, timeout=WAIT_MS):
        page.table.sortByColumn(INTERVIEWEE, Qt.SortOrder.AscendingOrder)
    assert model.row(0).interviewee == "Свідок 00001"
    with qtbot.waitSignal(model.counted, timeout=WAIT_MS):
        page.table.sortByColumn(INTERVIEWEE, Qt.SortOrder.DescendingOrder)
    assert model.row(0).interviewee == "Свідок 09999"
