"""Receipts: signed by the organisation, for one device; what they allow to purge."""

from __future__ import annotations

import json

import pytest

from testimony_app import errors
from testimony_app.domain.interview import Interview
from testimony_app.services import sync
from testimony_app.sync import envelope
from testimony_app.sync import errors as e
from tests.unit.test_sync_support import add_testimony, export, import_one, make_world, trust


def test_receipts_are_checked_and_only_acknowledged_revisions_are_purged(tmp_path):
    world = make_world(tmp_path / "w", "one", "two")
    coordinator, one, two = world.coordinator, world.field("one"), world.field("two")
    first, second = add_testimony(one), add_testimony(one)
    add_testimony(two)
    import_one(coordinator, export(one, tmp_path / "out"), trust=trust(world, "one"))
    import_one(coordinator, export(two, tmp_path / "out"), trust=trust(world, "two"))
    with pytest.raises(e.ReceiptDeviceNeeded):
        sync.create_receipt(coordinator, tmp_path / "r.json")
    sync.create_receipt(coordinator, tmp_path / "r.json", device=one.device.fingerprint)
    sync.create_receipt(coordinator, tmp_path / "r2.json", device=two.device.id)
    with pytest.raises(e.ReceiptOtherDevice):
        sync.apply_receipt(one, tmp_path / "r2.json")
    with pytest.raises(e.NotMember):
        sync.apply_receipt(coordinator, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_bytes())
    data["receipt"]["records"] = data["receipt"]["records"][:-1]
    (tmp_path / "forged.json").write_bytes(envelope.canonical(data))
    with pytest.raises(e.ReceiptBadSignature):
        sync.apply_receipt(one, tmp_path / "forged.json")
    (tmp_path / "junk.json").write_bytes(b"{}")
    with pytest.raises(e.ReceiptInvalid):
        sync.apply_receipt(one, tmp_path / "junk.json")
    other = make_world(tmp_path / "o", org_name="Other")
    with pytest.raises(e.ReceiptBadSignature):  # signed by another organisation's key
        sync.apply_receipt(other.field(), tmp_path / "r.json")
    # An edit made after the bundle left keeps that interview on the laptop.
    with one.transaction() as store:
        store.edit(Interview, second["interview"].id, narrative="змінено після відправлення")
    applied = sync.apply_receipt(one, tmp_path / "r.json")
    assert applied.changed_since == 1
    assert [c.interview_id for c in sync.purge_candidates(one)] == [first["interview"].id]
    assert sync.purge_delivered(one).interviews == 1
    assert one.store.get(Interview, second["interview"].id).narrative.startswith("змінено")
    # The changed interview goes in the next bundle; after its receipt it can go too.
    result = import_one(coordinator, export(one, tmp_path / "out"))
    assert result.counts.updated == 1 and result.counts.created == 0
    sync.create_receipt(coordinator, tmp_path / "r3.json", device=one.device.id)
    sync.apply_receipt(one, tmp_path / "r3.json")
    assert sync.purge_delivered(one).interviews == 1
    assert sync.export_bundle(one, tmp_path / "out") is None
    assert sync.purge_delivered(one).interviews == 0
    world.close()
    other.close()


def test_write_failures_are_reported_as_file_errors(tmp_path):
    world = make_world(tmp_path / "w")
    add_testimony(world.field())
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(errors.FileError):
        sync.export_bundle(world.field(), blocker / "sub")
    with pytest.raises(errors.FileError):
        sync.write_enrollment(world.coordinator, blocker / "org.tenroll")
    with pytest.raises(errors.FileError):
        sync.read_enrollment(tmp_path / "missing.tenroll")
    world.close()
