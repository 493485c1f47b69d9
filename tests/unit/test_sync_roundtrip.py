"""Field vault -> bundle -> coordinator -> receipt -> purge, with real vaults and real age."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from testimony_app import errors
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Sighting
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import Consent, Interview
from testimony_app.domain.person import Person
from testimony_app.services import sync, vaults
from testimony_app.sync import errors as e
from testimony_app.vault import audit, text_index
from testimony_app.vault.db import integrity_problems
from tests.unit.test_sync_support import (
    add_testimony,
    digest,
    export,
    import_one,
    make_world,
    plaintext_sha256,
    transit_records,
    trust,
)

MB = 10**6


def _round_trip(tmp_path, size):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    photo = os.urandom(size)
    first = add_testimony(field, attachment=photo)
    second = add_testimony(field)
    with field.transaction() as store:
        store.add(Sighting(interview_id=first["interview"].id, name_as_heard="Ігор з Херсона",
                           last_seen=PartialDate.parse("2023-07~"),
                           condition="alive_apparently_well"))
        store.edit(Interview, second["interview"].id, narrative="Оновлена розповідь")
        store.delete(Consent, second["consent"].id)
    t0 = time.perf_counter()
    bundle = export(field, tmp_path / "out")
    exported = time.perf_counter() - t0
    assert bundle.name.endswith(".tbundle") and bundle.parent == tmp_path / "out"
    assert not [p for p in bundle.parent.iterdir() if p.name.startswith(".")]
    t0 = time.perf_counter()
    result = import_one(coordinator, bundle, trust=trust(world), label="Interviewer 7")
    imported = time.perf_counter() - t0
    return world, first, second, photo, bundle, result, (exported, imported)


def test_round_trip_then_receipt_then_purge(tmp_path):
    world, first, second, photo, bundle, result, _ = _round_trip(tmp_path, 20 * MB)
    field, coordinator = world.field(), world.coordinator

    # The coordinator holds exactly the field vault's records.
    assert not result.already_imported and result.counts.conflicts == 0
    assert transit_records(coordinator, origin=field.device.id) == transit_records(field)
    assert result.counts.created == len(transit_records(field)) and result.counts.attachments == 1
    attachment = coordinator.store.get(Attachment, first["attachment"].id)
    assert attachment.file_key != first["attachment"].file_key  # re-encrypted under a new key
    assert attachment.blob_name != first["attachment"].blob_name
    assert plaintext_sha256(coordinator, attachment) == hashlib.sha256(photo).hexdigest()
    [received] = [c for c in coordinator.store.list(CustodyEvent, attachment_id=attachment.id)
                  if c.action == "received"]
    assert received.actor == f"bundle:{result.bundle_id}" and received.hash_matches
    assert received.hash_observed == hashlib.sha256(photo).hexdigest()
    assert text_index.search(coordinator.conn, "Херсона")
    assert coordinator.store.find(Consent, second["consent"].id) is None  # tombstone came too
    # Audit: every change names the bundle; both chains are intact.
    actors = {a.actor for a in audit.entries(coordinator.conn) if a.entity_id == attachment.id}
    assert f"bundle:{result.bundle_id}" in actors
    assert audit.verify(coordinator.conn) == [] and audit.verify(field.conn) == []
    peer = coordinator.conn.execute("SELECT count(*) FROM sync_peer_audit").fetchone()[0]
    assert peer == len(audit.entries(field.conn)) - 2  # all but joining and vault creation
    [device] = [d for d in sync.list_devices(coordinator) if not d.is_self]
    assert device.label == "Interviewer 7" and device.last_sequence == 1

    # Re-importing is a no-op that says so.
    before = digest(coordinator)
    again = import_one(coordinator, bundle)
    assert again.already_imported and again.counts is None and digest(coordinator) == before

    # Receipt: the field vault learns what was delivered and sends nothing more.
    created = sync.create_receipt(coordinator, tmp_path / "receipt.json")
    assert created.bundles == 1 and created.records == result.counts.created
    applied = sync.apply_receipt(field, tmp_path / "receipt.json")
    assert applied.bundles == 1 and applied.delivered == created.records
    assert sync.apply_receipt(field, tmp_path / "receipt.json").already_applied
    assert sync.preview_export(field).empty
    assert sync.export_bundle(field, tmp_path / "out") is None

    # Purge: delivered testimonies leave the laptop; tombstones stay and are not re-sent.
    candidates = sync.purge_candidates(field)
    assert {c.interview_id for c in candidates} == {first["interview"].id,
                                                      second["interview"].id}
    blob_name = first["attachment"].blob_name
    purged = sync.purge_delivered(field)
    assert purged.interviews == 2 and purged.attachments == 1
    assert field.store.find(Interview, first["interview"].id) is None
    tombstone = field.store.get(Interview, first["interview"].id, include_deleted=True)
    assert tombstone.narrative == "" and tombstone.deleted_at
    assert field.store.get(Person, first["person"].id, include_deleted=True).surname == ""
    gone = field.store.get(Attachment, first["attachment"].id, include_deleted=True)
    assert gone.file_key == "" and gone.blob_name == "" and gone.sha256 == ""
    assert blob_name not in field.blobs.names()
    assert not text_index.search(field.conn, "Херсона")
    assert sync.export_bundle(field, tmp_path / "out") is None
    assert sync.purge_candidates(field) == []
    assert audit.verify(field.conn) == [] and integrity_problems(field.conn) == []
    assert vaults.verify(field) == []  # a purged attachment's tombstone is not "missing"
    assert any(a.action == "purge" for a in audit.entries(field.conn))
    # The coordinator's copy is untouched.
    assert coordinator.store.get(Interview, first["interview"].id).narrative
    world.close()


@pytest.mark.slow
def test_round_trip_with_a_200_mb_attachment(tmp_path):
    world, first, _, photo, bundle, result, (exported, imported) = _round_trip(tmp_path,
                                                                              200 * MB)
    attachment = world.coordinator.store.get(Attachment, first["attachment"].id)
    assert plaintext_sha256(world.coordinator, attachment) == hashlib.sha256(photo).hexdigest()
    assert transit_records(world.coordinator, world.field().device.id) == transit_records(
        world.field())
    print(f"200 MB: export {exported:.1f} s, import {imported:.1f} s")
    world.close()


def test_sequence_gaps_are_reported_and_out_of_order_bundles_keep_history(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field)
    interview_id = made["interview"].id
    bundles = [export(field, tmp_path / "out")]
    for text in ("друга версія", "третя версія"):
        with field.transaction() as store:
            store.edit(Interview, interview_id, narrative=text)
        bundles.append(export(field, tmp_path / "out"))
    first = import_one(coordinator, bundles[0], trust=trust(world))
    assert first.notices == ()
    third = import_one(coordinator, bundles[2])
    assert [n.code for n in third.notices] == ["sequence_gap"]
    message = third.notices[0].message()
    assert message.startswith("bundle 2 from device ") and message.endswith("not received")
    assert coordinator.store.get(Interview, interview_id).narrative == "третя версія"
    second = import_one(coordinator, bundles[1])
    assert second.notices == () and second.counts.older == 1 and second.counts.updated == 0
    assert coordinator.store.get(Interview, interview_id).narrative == "третя версія"
    history = coordinator.conn.execute(
        "SELECT rev, reason FROM sync_history WHERE record_id = ? ORDER BY rev",
        (interview_id,)).fetchall()
    assert history == [(1, "replaced"), (2, "older")]


def test_concurrent_edits_raise_a_conflict_with_both_versions(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field)
    interview_id = made["interview"].id
    import_one(coordinator, export(field, tmp_path / "out"), trust=trust(world))
    with coordinator.transaction() as store:
        store.edit(Interview, interview_id, narrative="правка координатора")
    with field.transaction() as store:
        store.edit(Interview, interview_id, narrative="правка інтерв'юера")
    result = import_one(coordinator, export(field, tmp_path / "out"))
    assert result.counts.conflicts == 1 and result.counts.updated == 0
    # Both versions are kept: the local one as the record, the incoming one in the conflict.
    assert coordinator.store.get(Interview, interview_id).narrative == "правка координатора"
    [conflict] = sync.open_conflicts(coordinator)
    assert conflict.local.narrative == "правка координатора"
    assert conflict.incoming.narrative == "правка інтерв'юера"
    assert conflict.incoming.rev == 2 and conflict.local.rev == 2
    # Taking the incoming version keeps the local one in history; later origin edits apply.
    sync.resolve_conflict(coordinator, conflict.id, "incoming")
    assert coordinator.store.get(Interview, interview_id).narrative == "правка інтерв'юера"
    assert sync.open_conflicts(coordinator) == []
    kept = coordinator.conn.execute("SELECT content FROM sync_history WHERE record_id = ?",
                                    (interview_id,)).fetchall()
    assert any("правка координатора" in row[0] for row in kept)
    with field.transaction() as store:
        store.edit(Interview, interview_id, narrative="третя правка")
    later = import_one(coordinator, export(field, tmp_path / "out"))
    assert later.counts.updated == 1 and later.counts.conflicts == 0
    assert coordinator.store.get(Interview, interview_id).narrative == "третя правка"
    assert audit.verify(coordinator.conn) == []


def test_conflict_can_be_resolved_by_keeping_local_or_merging(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field)
    sighting_id, interview_id = made["sighting"].id, made["interview"].id
    import_one(coordinator, export(field, tmp_path / "out"), trust=trust(world))
    with coordinator.transaction() as store:
        store.edit(Sighting, sighting_id, notes="координатор")
        store.edit(Interview, interview_id, narrative="координатор")
    with field.transaction() as store:
        store.edit(Sighting, sighting_id, notes="поле")
        store.edit(Interview, interview_id, narrative="поле")
    assert import_one(coordinator, export(field, tmp_path / "out")).counts.conflicts == 2
    by_entity = {c.entity: c for c in sync.open_conflicts(coordinator)}
    sync.resolve_conflict(coordinator, by_entity["sighting"].id, "local")
    merged = sync.resolve_conflict(coordinator, by_entity["interview"].id, "merged",
                                   {"narrative": "координатор + поле"})
    assert merged.narrative == "координатор + поле"
    assert coordinator.store.get(Sighting, sighting_id).notes == "координатор"
    assert sync.open_conflicts(coordinator) == []
    with pytest.raises(e.ConflictNotFound):
        sync.resolve_conflict(coordinator, by_entity["interview"].id, "local")


def test_selection_export_and_what_goes_again(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    one, two = add_testimony(field), add_testimony(field)
    chosen = sync.preview_export(field, [one["interview"].id])
    ids = {r.id for r in chosen.records}
    assert one["interview"].id in ids and one["person"].id in ids and one["site"].id in ids
    assert two["interview"].id not in ids and two["person"].id not in ids
    result = sync.export_bundle(field, tmp_path / "out", interview_ids=[one["interview"].id])
    import_one(coordinator, result.path, trust=trust(world))
    assert coordinator.store.find(Interview, two["interview"].id) is None
    # Without a receipt, everything not acknowledged goes in the next bundle (again).
    rest = import_one(coordinator, export(field, tmp_path / "out"))
    assert rest.counts.created == len(transit_records(field)) - len(ids)
    assert rest.counts.unchanged == len(ids)


def test_cancelled_export_and_import_leave_nothing(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    add_testimony(field, attachment=os.urandom(3 * MB))
    with pytest.raises(errors.Cancelled):
        sync.export_bundle(field, tmp_path / "out", cancel=lambda: True)
    assert list((tmp_path / "out").iterdir()) == []
    assert field.conn.execute("SELECT count(*) FROM sync_bundle").fetchone()[0] == 0
    bundle = export(field, tmp_path / "out")
    calls = iter(range(1000))
    before = digest(coordinator)
    with pytest.raises(errors.Cancelled):
        sync.import_bundles(coordinator, [bundle], trust=trust(world),
                            cancel=lambda: next(calls) > 3)
    assert digest(coordinator) == before


def test_records_file_damaged_in_transit_is_refused_and_changes_nothing(tmp_path):
    world = make_world(tmp_path / "w")
    field, coordinator = world.field(), world.coordinator
    add_testimony(field, attachment=b"x" * 100_000)
    data = bytearray(export(field, tmp_path / "out").read_bytes())
    data[len(data) // 2] ^= 0x10
    bad = tmp_path / "bad.tbundle"
    bad.write_bytes(bytes(data))
    before = digest(coordinator)
    [outcome] = sync.import_bundles(coordinator, [bad], trust=trust(world))
    assert isinstance(outcome.error, e.Altered) and outcome.result is None
    assert digest(coordinator) == before


def test_export_needs_an_organisation_and_import_a_coordinator(tmp_path):
    from tests.unit.test_sync_support import new_vault

    vault = new_vault(tmp_path / "v")
    with pytest.raises(e.NotInOrganisation):
        sync.export_bundle(vault, tmp_path / "out")
    with pytest.raises(e.NotInOrganisation):
        sync.import_bundles(vault, [tmp_path / "x"])
    vault.close()
    world = make_world(tmp_path / "w")
    with pytest.raises(e.NotCoordinator):
        sync.import_bundles(world.field(), [tmp_path / "x"])
    with pytest.raises(e.NotMember):
        sync.purge_delivered(world.coordinator)
    world.close()


def test_sites_with_coordinates_travel_exactly(tmp_path):
    """Canonical JSON has no floats: coordinates travel as decimal text and come back equal,
    with the same content hash on both sides."""
    from testimony_app.domain.detention import Site
    from testimony_app.sync import payload

    world = make_world(tmp_path)
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field)
    with field.transaction() as store:
        store.edit(Site, made["site"].id, latitude=47.0951234567, longitude=-0.1)
    import_one(coordinator, export(field, tmp_path / "out"),
               trust=[field.device.fingerprint])
    sent, held = field.store.get(Site, made["site"].id), coordinator.store.get(Site,
                                                                              made["site"].id)
    assert (held.latitude, held.longitude) == (47.0951234567, -0.1) and held == sent
    assert payload.content_sha256(held) == payload.content_sha256(sent)
    assert payload.transit(sent)["latitude"] == "47.0951234567"
    world.close()


@pytest.mark.parametrize("bad", ["1e400", "nan", "4.7e1x", 47, 4.7, "", " 47"])
def test_a_coordinate_not_in_decimal_text_is_refused(bad):
    from testimony_app import errors
    from testimony_app.domain.detention import Site
    from testimony_app.sync import payload

    line = payload.transit(Site(canonical_name="Тестове місце", latitude=47.5))
    line.pop("entity")
    assert payload.from_transit(Site, dict(line)).latitude == 47.5
    with pytest.raises(errors.InvalidRecords):
        payload.from_transit(Site, {**line, "latitude": bad})
