"""Records: revisions, tombstones, validation, locking, and the audit chain."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from testimony_app import errors
from testimony_app.domain.base import utcnow
from testimony_app.domain.detention import Sighting, Site
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.domain.registry import ENTITIES
from testimony_app.vault import audit, db, text_index
from testimony_app.vault.rows import columns, to_row
from tests.factory import add_testimony, interview, person


def test_add_sets_identity_and_history_fields(vault):
    with vault.transaction() as store:
        p = store.add(person())
    assert p.rev == 1 and p.created_at and p.updated_at == p.created_at
    assert p.origin_device == vault.device.id and p.deleted_at is None
    assert vault.store.get(Person, p.id) == p


def test_update_increments_rev_and_refuses_stale_writes(vault):
    with vault.transaction() as store:
        p = store.add(person())
        p2 = store.update(dataclasses.replace(p, surname="Новий"))
    assert p2.rev == 2 and p2.surname == "Новий"
    with pytest.raises(errors.StaleRecord), vault.transaction() as store:
        store.update(dataclasses.replace(p, surname="Старий"))
    assert vault.store.get(Person, p.id).surname == "Новий"


def test_delete_leaves_a_tombstone(vault):
    with vault.transaction() as store:
        p = store.add(person())
        store.delete(Person, p.id)
    assert vault.store.find(Person, p.id) is None
    gone = vault.store.get(Person, p.id, include_deleted=True)
    assert gone.deleted_at and gone.rev == 2
    assert vault.store.list(Person) == []


def test_a_failed_transaction_changes_nothing(vault):
    with vault.transaction() as store:
        store.add(person())
    chain_before = audit.entries(vault.conn)
    with pytest.raises(errors.InvalidRecords), vault.transaction() as store:
        store.add(person(surname="Буде відкочено"))
        store.add(Sighting(interview_id="00000000-0000-4000-8000-000000000000",
                           name_as_heard="x"))
    assert [p.surname for p in vault.store.list(Person)] != ["Буде відкочено"]
    assert vault.store.count(Person) == 1
    assert audit.entries(vault.conn) == chain_before


def test_vocabulary_ids_are_checked(vault):
    with pytest.raises(errors.InvalidRecords) as info, vault.transaction() as store:
        store.add(interview(mode="telepathy"))
    assert "mode" in info.value.message()


def test_required_fields_are_checked(vault):
    with pytest.raises(errors.InvalidRecords), vault.transaction() as store:
        i = store.add(interview())
        store.add(Sighting(interview_id=i.id, name_as_heard=""))


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("latitude", 90.0, True), ("latitude", -90.0, True), ("latitude", 90.5, False),
    ("longitude", 180.0, True), ("longitude", -180.01, False), ("latitude", float("nan"), False),
    ("longitude", float("inf"), False)])
def test_a_site_lies_on_the_globe(vault, field, value, ok):
    site = Site(canonical_name="Оленівка", **{field: value})
    if ok:
        with vault.transaction() as store:
            store.add(site)
        assert getattr(vault.store.get(Site, site.id), field) == value
        return
    with pytest.raises(errors.InvalidRecords) as info, vault.transaction() as store:
        store.add(site)
    assert field in info.value.message() and "is not between" in info.value.message()
    assert vault.store.list(Site) == []


def test_locked_interview_is_read_only(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
        locked = store.edit(Interview, t["interview"].id, status="locked")
    assert locked.locked_hash
    with pytest.raises(errors.RecordLocked), vault.transaction() as store:
        store.edit(Interview, locked.id, narrative="changed later")
    with pytest.raises(errors.RecordLocked), vault.transaction() as store:
        store.edit(Sighting, t["sighting"].id, name_as_heard="changed later")
    with pytest.raises(errors.RecordLocked), vault.transaction() as store:
        store.add(Sighting(interview_id=locked.id, name_as_heard="added later"))


def test_every_write_is_in_the_audit_chain(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
        store.edit(Person, t["person"].id, surname="Інше")
        store.delete(Sighting, t["sighting"].id)
    entries = audit.entries(vault.conn)
    actions = [(e.entity, e.action) for e in entries]
    assert ("person", "update") in actions and ("sighting", "delete") in actions
    assert len(entries) == 9 + 2
    assert audit.verify(vault.conn) == []


def test_audit_chain_detects_edits_and_removals(vault):
    with vault.transaction() as store:
        add_testimony(store)
    vault.conn.execute("UPDATE audit_log SET action = 'read' WHERE seq = 3")
    assert any("entry 3 was altered" in p for p in audit.verify(vault.conn))
    vault.conn.execute("UPDATE audit_log SET action = 'create' WHERE seq = 3")
    vault.conn.execute("DELETE FROM audit_log WHERE seq = 5")
    problems = audit.verify(vault.conn)
    assert any("entry 5 missing" in p for p in problems)


def test_a_batch_of_audit_entries_keeps_the_order_and_time_of_the_changes(vault):
    """An import notes its entries as it goes and chains them later, on another thread."""
    with vault.transaction():
        batch = audit.Batch(vault.conn)
        for n in range(3):
            batch.append(device_id=vault.device.id, actor="bundle:x", entity="person",
                         entity_id=f"p{n}", action="sync_create", summary=None,
                         digest=f"{n:064x}")
        noted_by = utcnow()
        sealer = threading.Thread(target=batch.seal)
        sealer.start()
        sealer.join()
        batch.flush()
    entries = audit.entries(vault.conn)[-3:]
    assert [e.entity_id for e in entries] == ["p0", "p1", "p2"]
    assert [e.summary_hash for e in entries] == [f"{n:064x}" for n in range(3)]
    assert all(e.at <= noted_by for e in entries)  # when noted, not when chained
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert audit.verify(vault.conn) == []


def test_rows_list_their_values_in_the_order_of_the_table_columns():
    """Inserts name the columns once per table and pass the row's values in that order."""
    for cls in ENTITIES:
        assert list(to_row(cls())) == columns(cls), cls.entity


def test_full_text_search_finds_words_in_any_script(vault):
    with vault.transaction() as store:
        t = add_testimony(store, narrative="Нас били у підвалі комендатури")
        store.add(interview(narrative="Nothing relevant"))
    hits = text_index.search(vault.conn, "підвал")
    assert (t["interview"].entity, t["interview"].id, t["interview"].id) in hits
    assert text_index.search(vault.conn, '"; DROP TABLE') == []


def test_deleted_records_leave_the_search_index(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
        store.edit(Sighting, t["sighting"].id, name_as_heard="Унікальнеімʼя")
    assert text_index.search(vault.conn, "Унікальнеімʼя")
    with vault.transaction() as store:
        store.delete(Sighting, t["sighting"].id)
    assert text_index.search(vault.conn, "Унікальнеімʼя") == []


def test_a_larger_page_cache_lasts_for_its_work_only(vault):
    """A bundle import enlarges the connection's page cache; the vault's own size comes back
    afterwards, also when the work fails."""
    def size() -> int:
        return int(vault.conn.execute("PRAGMA cache_size").fetchone()[0])

    before = size()
    with db.page_cache(vault.conn, 32 * 1024):
        assert size() == -32 * 1024
    assert size() == before
    with pytest.raises(errors.Cancelled), db.page_cache(vault.conn, 1024), \
            vault.transaction() as store:
        store.add(person())
        assert size() == -1024
        raise errors.Cancelled()
    assert size() == before
