"""The Sync page driven as a person would: join, export, import with a new device, conflicts.

Real vaults in ``tmp_path`` and real bundles; file pickers and yes/no questions are answered
by the test, the device trust dialog is clicked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from testimony_app import config
from testimony_app.domain.interview import Interview
from testimony_app.services import sync
from testimony_app.ui import dialogs
from testimony_app.ui.main_window import MainWindow
from testimony_app.ui.sync_page import SyncPage
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import click, key_clicks, unlock
from tests.unit.test_sync_support import add_testimony, export, import_one, make_world, new_vault


def open_sync(qtbot, make_window: Callable[[], MainWindow], folder: Path) -> tuple[MainWindow,
                                                                                 SyncPage]:
    prefs = config.Preferences.load()
    prefs.remember_vault(folder)
    prefs.save()
    window = make_window()
    unlock(qtbot, window)
    assert window.workspace is not None
    window.go("sync")
    page = window.workspace.sync
    qtbot.waitUntil(lambda: page.state is not None, timeout=WAIT_MS)
    return window, page


def in_vault(qtbot, page: SyncPage, fn: Callable[[Any], Any]) -> Any:
    """``fn(vault)`` on the vault thread of the open window; its result."""
    got: list[Any] = []
    page.env.run(fn, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    return got[0]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return answer_yes(monkeypatch)


def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every yes/no question is answered yes; the list keeps what was asked (and told)."""
    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str, **_kw: Any) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "notice", lambda _p, _t, text: asked.append(text))
    return asked


def pick(monkeypatch: pytest.MonkeyPatch, getter: str, value: Any) -> None:
    monkeypatch.setattr(QFileDialog, getter, staticmethod(lambda *_a, **_k: value))


def test_a_field_vault_joins_an_organisation(qtbot, make_window, known_vault: Path,
                                             tmp_path: Path, monkeypatch, answers) -> None:
    coordinator = new_vault(tmp_path / "coordinator", "Coordinator")
    created = sync.create_organisation(coordinator, "Медійна ініціатива", tmp_path / "escrow")
    sync.write_enrollment(coordinator, tmp_path / "org.tenroll")
    coordinator.close()
    _window, page = open_sync(qtbot, make_window, known_vault)
    assert page.none_box.isVisible() and not page.field_panel.isVisible()
    assert not page.coordinator_panel.isVisible()

    pick(monkeypatch, "getOpenFileName", (str(tmp_path / "org.tenroll"), ""))
    click(qtbot, page.join_button)
    qtbot.waitUntil(lambda: page.state.organisation is not None, timeout=WAIT_MS)

    fingerprint = created.organisation.fingerprint
    assert fingerprint in answers[0] and "Медійна ініціатива" in answers[0]
    assert page.field_panel.isVisible() and not page.none_box.isVisible()
    assert not page.coordinator_panel.isVisible()
    assert "Медійна ініціатива" in page.org_name.text()
    assert page.org_fingerprint.text() == fingerprint


def test_a_field_vault_exports_a_bundle(qtbot, make_window, tmp_path: Path, monkeypatch,
                                        answers) -> None:
    world = make_world(tmp_path / "w")
    add_testimony(world.field())
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "field")
    panel = page.field_panel
    assert panel.isVisible() and not page.coordinator_panel.isVisible()
    assert "Interviews: 1" in panel.pending.text()

    out = tmp_path / "usb"
    out.mkdir()
    pick(monkeypatch, "getExistingDirectory", str(out))
    click(qtbot, panel.export_button)
    qtbot.waitUntil(lambda: bool(panel.export_result.text()), timeout=WAIT_MS)

    [bundle] = list(out.glob("*.tbundle"))
    assert bundle.stat().st_size > 0
    assert "Interviews: 1" in answers[0]
    assert str(bundle) in panel.export_result.text()
    assert not page.task.isVisible() and panel.export_button.isEnabled()


def test_the_coordinator_imports_after_trusting_a_new_device(qtbot, make_window,
                                                             tmp_path: Path, monkeypatch,
                                                             answers) -> None:
    world = make_world(tmp_path / "w")
    made = add_testimony(world.field())
    bundle = export(world.field(), tmp_path / "usb")
    fingerprint = world.field().device.fingerprint
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    panel = page.coordinator_panel
    assert panel.isVisible() and not page.field_panel.isVisible()
    assert not page.none_box.isVisible()

    pick(monkeypatch, "getOpenFileNames", ([str(bundle)], ""))
    click(qtbot, panel.import_button)
    qtbot.waitUntil(lambda: panel.trust_dialog is not None and panel.trust_dialog.isVisible(),
                    timeout=WAIT_MS)
    dialog = panel.trust_dialog
    assert dialog.fingerprint_label.text() == fingerprint
    dialog.label_edit.setFocus()
    key_clicks(dialog.label_edit, "Kharkiv laptop")
    click(qtbot, dialog.trust_button)
    qtbot.waitUntil(lambda: panel.results.count() == 1 and not page.task.running,
                    timeout=WAIT_MS)

    assert "1" in panel.results.item(0).text() and "refused" not in panel.results.item(0).text()
    interview = in_vault(qtbot, page, lambda v: v.store.get(Interview, made["interview"].id))
    assert interview.id == made["interview"].id
    qtbot.waitUntil(lambda: panel.devices.topLevelItemCount() == 2, timeout=WAIT_MS)
    rows = [(panel.devices.topLevelItem(i).text(0), panel.devices.topLevelItem(i).text(1))
            for i in range(2)]
    assert ("Kharkiv laptop", fingerprint) in rows


def test_a_conflict_is_resolved_by_taking_theirs(qtbot, make_window, tmp_path: Path,
                                                 monkeypatch, answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    interview_id = add_testimony(field)["interview"].id
    import_one(coordinator, export(field, tmp_path / "out1"),
               trust=[field.device.fingerprint])
    with coordinator.transaction() as store:
        store.edit(Interview, interview_id, narrative="правка координатора")
    with field.transaction() as store:
        store.edit(Interview, interview_id, narrative="<b>правка</b> інтерв'юера")
    assert import_one(coordinator, export(field, tmp_path / "out2")).counts.conflicts == 1
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    panel = page.coordinator_panel
    view = panel.conflict_view
    assert panel.conflicts.count() == 1 and view.isVisible()
    assert view.differing_fields() == ["narrative"]
    texts = {view.table.item(r, 1).text(): view.table.item(r, 2).text()
             for r in range(view.table.rowCount())}
    assert texts["правка координатора"] == "<b>правка</b> інтерв'юера"

    click(qtbot, view.take_button)
    qtbot.waitUntil(lambda: not page.state.conflicts, timeout=WAIT_MS)

    assert panel.conflicts.count() == 0 and not panel.conflicts.isVisible()
    assert panel.no_conflicts.isVisible()
    stored = in_vault(qtbot, page, lambda v: v.store.get(Interview, interview_id))
    assert stored.narrative == "<b>правка</b> інтерв'юера"
    assert in_vault(qtbot, page, sync.open_conflicts) == []
