"""More of the Sync page driven as a person would: merging a conflict, revoking a device,
receipts and purge, creating the organisation, refusing a device, cancelling an export.

Real vaults in ``tmp_path``, real bundles and receipts; file pickers, the name prompt and
yes/no questions are answered by the test (see ``tests/ui/test_sync_page.py``)."""

from __future__ import annotations

import dataclasses
import re
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QTreeWidgetItem

from testimony_app.domain.base import SYSTEM_FIELDS
from testimony_app.domain.detention import Sighting
from testimony_app.domain.interview import Interview
from testimony_app.domain.registry import ENTITIES
from testimony_app.services import sync
from testimony_app.ui.labels import label as field_label
from testimony_app.ui.sync.common import TaskRow
from testimony_app.ui.sync.conflict_view import ConflictView
from testimony_app.ui.sync.coordinator_panel import CoordinatorPanel
from testimony_app.ui.sync_page import SyncPage
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import click
from tests.ui.test_sync_page import answer_yes, in_vault, open_sync, pick
from tests.unit.test_sync_support import (
    add_testimony,
    digest,
    export,
    import_one,
    make_world,
)

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return answer_yes(monkeypatch)


def device_row(panel: CoordinatorPanel, fingerprint: str) -> QTreeWidgetItem:
    for i in range(panel.devices.topLevelItemCount()):
        item = panel.devices.topLevelItem(i)
        if item.text(1) == fingerprint:
            return item
    raise AssertionError(f"no device {fingerprint} in the list")


def choose_device(qtbot, panel: CoordinatorPanel, fingerprint: str) -> None:
    """Click the device's row in the list of devices."""
    tree = panel.devices
    qtbot.waitUntil(lambda: any(tree.topLevelItem(i).text(1) == fingerprint
                                for i in range(tree.topLevelItemCount())), timeout=WAIT_MS)
    item = device_row(panel, fingerprint)
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())
    assert tree.currentItem() is item


def tick_theirs(qtbot, view: ConflictView, name: str) -> None:
    """Tick the incoming value of field ``name``: Space on its cell, as from the keyboard."""
    table = view.table
    for row in range(table.rowCount()):
        if table.item(row, 0).data(Qt.ItemDataRole.UserRole) == name:
            table.setFocus()
            table.setCurrentCell(row, 2)
            qtbot.keyClick(table, Qt.Key.Key_Space)
            assert table.item(row, 2).checkState() == Qt.CheckState.Checked, name
            return
    raise AssertionError(f"no row for {name}")


def shown_field_names(view: ConflictView) -> list[str]:
    return [view.table.item(r, 0).text() for r in range(view.table.rowCount())
            if not view.table.isRowHidden(r)]


def live_interviews(qtbot, page: SyncPage) -> list[Interview]:
    return in_vault(qtbot, page, lambda v: v.store.list(Interview))


# Conflicts ----------------------------------------------------------------------------------

def test_a_conflict_is_resolved_by_merging_the_ticked_fields(qtbot, make_window, tmp_path: Path,
                                                             answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field)
    interview_id = made["interview"].id
    import_one(coordinator, export(field, tmp_path / "out1"), trust=[field.device.fingerprint])
    with coordinator.transaction() as store:
        store.edit(Interview, interview_id, narrative="версія координатора",
                   pseudonym="Координатор", interviewer_observations="нотатки координатора")
    with field.transaction() as store:
        store.edit(Interview, interview_id, narrative="версія інтерв'юера",
                   pseudonym="Інтерв'юер", interviewer_observations="нотатки інтерв'юера")
    assert import_one(coordinator, export(field, tmp_path / "out2")).counts.conflicts == 1
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    view = page.coordinator_panel.conflict_view
    assert view.isVisible()
    assert sorted(view.differing_fields()) == ["interviewer_observations", "narrative",
                                               "pseudonym"]
    assert not view.merge_button.isEnabled()  # nothing ticked: nothing to merge

    tick_theirs(qtbot, view, "narrative")
    tick_theirs(qtbot, view, "pseudonym")
    assert view.merge_button.isEnabled()
    click(qtbot, view.merge_button)
    qtbot.waitUntil(lambda: not page.state.conflicts, timeout=WAIT_MS)

    stored = in_vault(qtbot, page, lambda v: v.store.get(Interview, interview_id))
    assert stored.narrative == "версія інтерв'юера"  # ticked: theirs
    assert stored.pseudonym == "Інтерв'юер"  # ticked: theirs
    assert stored.interviewer_observations == "нотатки координатора"  # not ticked: ours
    assert stored.reference == made["interview"].reference  # the rest as it was
    assert stored.interviewee_id == made["interview"].interviewee_id
    assert in_vault(qtbot, page, sync.open_conflicts) == []
    assert page.coordinator_panel.no_conflicts.isVisible() and not view.isVisible()


def test_the_conflict_view_names_every_field_in_words(qtbot, make_window, tmp_path: Path,
                                                      answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    sighting_id = add_testimony(field)["sighting"].id
    import_one(coordinator, export(field, tmp_path / "out1"), trust=[field.device.fingerprint])
    with coordinator.transaction() as store:
        store.edit(Sighting, sighting_id, message_for_family="від координатора")
    with field.transaction() as store:
        store.edit(Sighting, sighting_id, message_for_family="від інтерв'юера")
    assert import_one(coordinator, export(field, tmp_path / "out2")).counts.conflicts == 1
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    view = page.coordinator_panel.conflict_view
    assert shown_field_names(view) == ["Message for the family"]

    view.show_all.setFocus()
    qtbot.keyClick(view.show_all, Qt.Key.Key_Space)  # show the fields that are the same too
    assert view.show_all.isChecked()
    names = shown_field_names(view)
    assert len(names) == len([f for f in dataclasses.fields(Sighting)
                              if f.name not in SYSTEM_FIELDS])
    raw = [n for n in names if SNAKE.match(n)]
    assert not raw, f"raw field names shown: {raw}"
    assert {"Name, exactly as heard", "Interview", "Seen by", "Language of the name",
            "Match to a person"} <= set(names)
    # Values in words too: list terms by their labels, dates in words, links by a short id.
    shown = {view.table.item(r, 0).text(): view.table.item(r, 1).text()
             for r in range(view.table.rowCount())}
    assert shown["Match to a person"] == "Not reviewed"
    assert shown["Last seen"].startswith("May 2023") and "(2023-05)" in shown["Last seen"]
    assert shown["Interview"].endswith("…") and len(shown["Interview"]) == 9
    assert not any(v.startswith(("{", "[", '"')) for v in shown.values()), shown


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.entity)
def test_every_field_a_conflict_can_show_has_a_name(cls) -> None:
    unnamed = [f.name for f in dataclasses.fields(cls) if f.name not in SYSTEM_FIELDS
               and (field_label(cls.entity, f.name) == f.name
                    or SNAKE.match(field_label(cls.entity, f.name)))]
    assert not unnamed, f"{cls.entity}: add a label for {unnamed}"


# Devices ------------------------------------------------------------------------------------

def test_a_revoked_device_s_later_bundle_is_refused_and_changes_nothing(
        qtbot, make_window, tmp_path: Path, monkeypatch, answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    fingerprint = field.device.fingerprint
    add_testimony(field)
    import_one(coordinator, export(field, tmp_path / "out1"), trust=[fingerprint])
    later = add_testimony(field)["interview"]
    bundle = export(field, tmp_path / "out2")  # made before the device was revoked
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    panel = page.coordinator_panel
    assert not panel.revoke_button.isEnabled()  # no device chosen yet

    choose_device(qtbot, panel, fingerprint)
    assert panel.revoke_button.isEnabled()
    click(qtbot, panel.revoke_button)
    qtbot.waitUntil(lambda: device_row(panel, fingerprint).text(2) == "revoked",
                    timeout=WAIT_MS)
    assert fingerprint in answers[-1]  # the question named the device
    assert not panel.revoke_button.isEnabled()  # already revoked
    before = in_vault(qtbot, page, digest)

    pick(monkeypatch, "getOpenFileNames", ([str(bundle)], ""))
    click(qtbot, panel.import_button)
    qtbot.waitUntil(lambda: panel.results.count() == 1 and not page.task.running,
                    timeout=WAIT_MS)

    text = panel.results.item(0).text()
    assert text.startswith(f"{bundle.name}: refused.")
    assert "revoked" in text
    assert panel.trust_dialog is None  # a revoked device is not offered for trust again
    assert in_vault(qtbot, page, digest) == before
    assert later.id not in {i.id for i in live_interviews(qtbot, page)}
    assert device_row(panel, fingerprint).text(2) == "revoked"


def test_refusing_an_unknown_device_imports_nothing(qtbot, make_window, tmp_path: Path,
                                                     monkeypatch, answers) -> None:
    world = make_world(tmp_path / "w")
    field = world.field()
    add_testimony(field)
    bundle = export(field, tmp_path / "usb")
    world.close()
    _window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    panel = page.coordinator_panel
    qtbot.waitUntil(lambda: panel.devices.topLevelItemCount() == 1, timeout=WAIT_MS)
    before = in_vault(qtbot, page, digest)

    pick(monkeypatch, "getOpenFileNames", ([str(bundle)], ""))
    click(qtbot, panel.import_button)
    qtbot.waitUntil(lambda: panel.trust_dialog is not None and panel.trust_dialog.isVisible(),
                    timeout=WAIT_MS)
    click(qtbot, panel.trust_dialog.refuse_button)
    qtbot.waitUntil(lambda: panel.results.count() == 1 and panel.trust_dialog is None,
                    timeout=WAIT_MS)

    assert panel.results.item(0).text() == (
        f"{bundle.name}: refused, the device was not trusted.")
    assert not page.task.running and panel.import_button.isEnabled()
    assert in_vault(qtbot, page, digest) == before
    assert live_interviews(qtbot, page) == []
    assert panel.devices.topLevelItemCount() == 1  # only this vault


# Receipts and purge -------------------------------------------------------------------------

def test_a_receipt_marks_delivered_and_purge_leaves_only_tombstones(
        qtbot, make_window, tmp_path: Path, monkeypatch, answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    fingerprint = field.device.fingerprint
    made = add_testimony(field)
    import_one(coordinator, export(field, tmp_path / "out1"), trust=[fingerprint])
    world.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    receipt = usb / "receipt.treceipt"

    # The coordinator writes a receipt for the field device.
    window, page = open_sync(qtbot, make_window, world.root / "coordinator")
    panel = page.coordinator_panel
    choose_device(qtbot, panel, fingerprint)
    pick(monkeypatch, "getSaveFileName", (str(receipt), ""))
    click(qtbot, panel.receipt_button)
    qtbot.waitUntil(lambda: bool(panel.receipt_result.text()), timeout=WAIT_MS)
    assert panel.receipt_result.text().startswith("Receipt for 1 bundle (")
    assert receipt.is_file() and receipt.stat().st_size > 0
    window.close()

    # The field vault applies it.
    field_window, page = open_sync(qtbot, make_window, world.root / "field")
    fp = page.field_panel
    listing = field_window.workspace.interviews  # the Interviews page, behind the Sync page
    qtbot.waitUntil(lambda: listing.count.text() == "1 interview", timeout=WAIT_MS)
    assert "Interviews: 1" in fp.pending.text()
    assert not fp.purge_button.isEnabled()  # nothing delivered yet
    pick(monkeypatch, "getOpenFileName", (str(receipt), ""))
    click(qtbot, fp.receipt_button)
    qtbot.waitUntil(lambda: bool(fp.receipt_result.text()) and page.state.purgeable == 1,
                    timeout=WAIT_MS)
    assert fp.receipt_result.text().startswith("The receipt confirms 1 bundle;")
    assert fp.pending.text() == ("The coordinator has confirmed receiving everything "
                                 "recorded here.")
    assert fp.purgeable.text() == "1 delivered testimony can be removed from this device."
    delivered = in_vault(qtbot, page, lambda v: {
        r[0] for r in v.conn.execute("SELECT record_id FROM sync_delivered")})
    assert {made[k].id for k in ("interview", "sighting", "act", "person")} <= delivered
    assert fp.purge_button.isEnabled()

    # Purge, after a question.
    asked = len(answers)
    click(qtbot, fp.purge_button)
    qtbot.waitUntil(lambda: "removed" in fp.receipt_result.text() and page.state.purgeable == 0,
                    timeout=WAIT_MS)
    assert "cannot be undone" in answers[asked]
    assert fp.receipt_result.text().startswith("1 testimony removed (")
    assert not fp.purge_button.isEnabled()
    assert live_interviews(qtbot, page) == []
    qtbot.waitUntil(lambda: listing.count.text() == "0 interviews", timeout=WAIT_MS)  # fresh
    assert listing.model.rowCount() == 0
    tombstone = in_vault(qtbot, page, lambda v: v.store.get(Interview, made["interview"].id,
                                                            include_deleted=True))
    assert tombstone.deleted_at and tombstone.narrative == "" and tombstone.pseudonym == ""
    sighting = in_vault(qtbot, page, lambda v: v.store.get(Sighting, made["sighting"].id,
                                                           include_deleted=True))
    assert sighting.deleted_at and sighting.name_as_heard == ""

    # Nothing is sent again.
    again = tmp_path / "usb2"
    again.mkdir()
    pick(monkeypatch, "getExistingDirectory", str(again))
    click(qtbot, fp.export_button)
    qtbot.waitUntil(lambda: bool(fp.export_result.text()), timeout=WAIT_MS)
    assert fp.export_result.text() == "There is nothing new to send."
    assert list(again.iterdir()) == []
    assert in_vault(qtbot, page, sync.preview_export).empty


# Creating the organisation -------------------------------------------------------------------

def test_the_coordinator_creates_the_organisation(qtbot, make_window, known_vault: Path,
                                                  tmp_path: Path, monkeypatch, answers) -> None:
    _window, page = open_sync(qtbot, make_window, known_vault)
    assert page.none_box.isVisible() and not page.coordinator_panel.isVisible()
    assert not page.org_fingerprint.isVisible()
    usb = tmp_path / "usb"
    usb.mkdir()
    escrow = usb / "escrow-key.txt"
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *_a, **_k: ("  Харківська група  ", True)))
    pick(monkeypatch, "getSaveFileName", (str(escrow), ""))

    click(qtbot, page.create_button)
    qtbot.waitUntil(lambda: page.state is not None and page.state.organisation is not None,
                    timeout=WAIT_MS)

    assert "escrow key file" in answers[0]  # warned before choosing where to save it
    assert str(escrow) in answers[1]  # told where it was written
    text = escrow.read_text()
    assert "AGE-SECRET-KEY-" in text
    assert stat.S_IMODE(escrow.stat().st_mode) == 0o600
    organisation = in_vault(qtbot, page, lambda v: sync.organisation_info(v).organisation)
    assert organisation.name == "Харківська група" and organisation.is_coordinator
    assert page.org_fingerprint.isVisible()
    assert page.org_fingerprint.text() == organisation.fingerprint
    assert organisation.fingerprint in text
    assert page.org_name.text() == "Organisation: Харківська група"
    assert page.coordinator_panel.isVisible()
    assert not page.none_box.isVisible() and not page.field_panel.isVisible()
    # The enrollment file for the interviewers can be written right away.
    enrollment_file = usb / "organisation.tenroll"
    pick(monkeypatch, "getSaveFileName", (str(enrollment_file), ""))
    click(qtbot, page.coordinator_panel.enroll_button)
    qtbot.waitUntil(lambda: bool(page.coordinator_panel.enroll_result.text()), timeout=WAIT_MS)
    assert sync.read_enrollment(enrollment_file).fingerprint == organisation.fingerprint


# Cancelling an export -----------------------------------------------------------------------

def test_a_cancelled_export_leaves_no_file_and_can_be_retried(qtbot, make_window,
                                                             tmp_path: Path, monkeypatch,
                                                             answers) -> None:
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    fingerprint = field.device.fingerprint
    add_testimony(field, attachment=b"\xff\xd8" + bytes(range(256)) * 256)
    add_testimony(field, attachment=b"\xff\xd8" + bytes(range(255, -1, -1)) * 256)
    field.close()
    out = tmp_path / "usb"
    out.mkdir()

    # Pause the export after its first attached file, until the test has pressed Cancel.
    reached, resume = threading.Event(), threading.Event()
    seen_midway: list[list[str]] = []
    start = TaskRow.start

    def start_pausing(self: TaskRow, text: str) -> tuple[Any, Any]:
        progress, cancel = start(self, text)

        def paused(done: int, total: int, stage: str) -> None:
            progress(done, total, stage)
            if stage == "exporting" and 0 < done < total and not reached.is_set():
                seen_midway.append(sorted(p.name for p in out.iterdir()))
                reached.set()
                resume.wait(WAIT_MS / 1000)

        return paused, cancel

    monkeypatch.setattr(TaskRow, "start", start_pausing)
    try:
        _window, page = open_sync(qtbot, make_window, world.root / "field")
        panel = page.field_panel
        assert "Interviews: 2" in panel.pending.text()
        pick(monkeypatch, "getExistingDirectory", str(out))
        click(qtbot, panel.export_button)
        try:
            qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
            assert seen_midway[0], "a partial file is being written"
            assert not list(out.glob("*.tbundle"))
            assert page.task.isVisible() and not panel.export_button.isEnabled()
            click(qtbot, page.task.cancel_button)
            assert page.task.status.text() == "Cancelling…"
        finally:
            resume.set()
        qtbot.waitUntil(lambda: not page.task.running and bool(page.notice.text()),
                        timeout=WAIT_MS)

        assert page.notice.text() == "Cancelled. Nothing was changed." and not page.error.text()
        assert list(out.iterdir()) == []  # neither a bundle nor a partial file
        assert panel.export_result.text() == ""
        assert not page.task.isVisible() and panel.export_button.isEnabled()
        qtbot.waitUntil(lambda: "Interviews: 2" in panel.pending.text(), timeout=WAIT_MS)

        # Again, to the end.
        click(qtbot, panel.export_button)
        qtbot.waitUntil(lambda: bool(panel.export_result.text()), timeout=WAIT_MS)
        assert page.error.text() == ""
        [bundle] = list(out.iterdir())
        assert bundle.suffix == ".tbundle"
        assert panel.export_result.text().startswith("Bundle 1 written to ")  # no gap
        imported = import_one(coordinator, bundle, trust=[fingerprint])
        assert imported.counts.created > 0 and imported.counts.attachments == 2
    finally:
        coordinator.close()

