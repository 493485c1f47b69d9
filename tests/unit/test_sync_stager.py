"""Attachment files checked in a helper process while the records merge, and what the merge
writes in bulk (search entries, audit summaries)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle

import pytest

from testimony_app import errors
from testimony_app.domain.evidence import Attachment
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.services import sync
from testimony_app.sync import errors as e
from testimony_app.sync import importer, org, stager
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipReader
from testimony_app.vault import text_index
from testimony_app.vault.blobs import BlobStore, StoredBlob
from tests.unit.test_sync_support import (
    add_testimony,
    digest,
    export,
    import_one,
    make_world,
    plaintext_sha256,
    read_zip,
    transit_records,
    trust,
    write_zip,
)

MB = 10**6


@pytest.fixture
def in_process(monkeypatch):
    """Every bundle's files are checked in a helper process, however small."""
    monkeypatch.setattr(stager, "PROCESS_MIN_BYTES", 0)


def _die(*args):  # a helper process that ends at once, without a word (importable by spawn)
    os._exit(3)


def _staged_for(world, bundle, *, cancel=lambda: False):
    """A stager.Staged for the bundle's attachments, as the importer makes one."""
    coordinator = world.coordinator
    secrets = [s for s, _, _ in org.import_identities(coordinator.conn)]
    identities = [importer.agefile.parse_identity(s) for s in secrets]
    zr = ZipReader(bundle, name_ok=mf.is_bundle_entry)
    manifest, _, _ = importer._read_manifest(zr, identities)
    names: list[str] = []
    staged = stager.Staged(coordinator.blobs, zr, coordinator.folder, manifest.attachments,
                           identities, secrets, cancel=cancel, progress=lambda *a: None,
                           done=0, total=1, on_staged=names.append)
    return zr, manifest, staged, names


def test_files_are_checked_in_a_helper_process_and_kept_as_received(tmp_path, in_process):
    world = make_world(tmp_path / "w")
    photo, video = os.urandom(3 * MB), os.urandom(5 * MB)
    first = add_testimony(world.field(), attachment=photo)
    second = add_testimony(world.field(), attachment=video)
    bundle = export(world.field(), tmp_path / "out")
    zr, manifest, staged, names = _staged_for(world, bundle)
    with zr:
        assert staged.in_process
        got = staged.get(first["attachment"].id)
        staged.wait()
    assert got is not None and got.sha256 == hashlib.sha256(photo).hexdigest()
    assert got.size == len(photo) and got.blob_name in names
    assert staged.get(second["attachment"].id).size == len(video)
    assert staged.get(first["interview"].id) is None  # not an attachment of this bundle
    assert sorted(names) == sorted(world.coordinator.blobs.names())
    world.close()


def test_an_import_with_files_checked_in_a_process_equals_the_field_vault(tmp_path,
                                                                          in_process):
    world = make_world(tmp_path / "w")
    photo = os.urandom(2 * MB)
    made = add_testimony(world.field(), attachment=photo)
    bundle = export(world.field(), tmp_path / "out")
    result = import_one(world.coordinator, bundle, trust=trust(world))
    assert result.counts.attachments == 1
    coordinator = world.coordinator
    assert transit_records(coordinator, world.field().device.id) == transit_records(
        world.field())
    attachment = coordinator.store.get(Attachment, made["attachment"].id)
    assert plaintext_sha256(coordinator, attachment) == hashlib.sha256(photo).hexdigest()
    assert not list((coordinator.folder / importer.STAGING).iterdir())
    world.close()


def test_a_file_altered_in_the_bundle_is_refused_from_the_process(tmp_path, in_process):
    world = make_world(tmp_path / "w")
    add_testimony(world.field(), attachment=os.urandom(2 * MB))
    entries = read_zip(export(world.field(), tmp_path / "out").read_bytes())
    manifest_bytes = dict(entries)[mf.MANIFEST_ENTRY]
    biggest = max((n for n, _ in entries if n != mf.MANIFEST_ENTRY),
                  key=lambda n: len(dict(entries)[n]))
    altered = []
    for name, data in entries:
        if name == biggest:
            data = bytearray(data)
            data[len(data) // 2] ^= 0x01
            data = bytes(data)
        altered.append((name, data))
    assert dict(altered)[mf.MANIFEST_ENTRY] == manifest_bytes
    bad = tmp_path / "bad.tbundle"
    bad.write_bytes(write_zip(altered))
    before = digest(world.coordinator)
    [outcome] = sync.import_bundles(world.coordinator, [bad], trust=trust(world))
    assert isinstance(outcome.error, e.Altered), outcome.error
    assert outcome.error.message()  # its parameters came back from the process with it
    assert digest(world.coordinator) == before
    assert not world.coordinator.blobs.names()
    world.close()


def test_a_bad_file_after_a_good_one_leaves_neither(tmp_path, in_process):
    """The first file is made durable and reported while the second is checked; the second
    fails, and the import removes both."""
    world = make_world(tmp_path / "w")
    add_testimony(world.field(), attachment=os.urandom(3 * MB))
    add_testimony(world.field(), attachment=os.urandom(3 * MB))
    bundle = export(world.field(), tmp_path / "out")
    secrets = [s for s, _, _ in org.import_identities(world.coordinator.conn)]
    with ZipReader(bundle, name_ok=mf.is_bundle_entry) as zr:
        manifest, _, _ = importer._read_manifest(
            zr, [importer.agefile.parse_identity(s) for s in secrets])
    first, last = (mf.entry_name(b.id) for b in manifest.attachments)
    altered = []
    for name, data in read_zip(bundle.read_bytes()):
        if name == last:
            data = data[:-1] + bytes([data[-1] ^ 0x01])
        altered.append((name, data))
    bad = tmp_path / "bad.tbundle"
    bad.write_bytes(write_zip(altered))
    before = digest(world.coordinator)
    [outcome] = sync.import_bundles(world.coordinator, [bad], trust=trust(world))
    assert isinstance(outcome.error, e.Altered), outcome.error
    assert digest(world.coordinator) == before
    assert not list((world.coordinator.folder / "blobs").iterdir())  # no file, no temp file
    world.close()


def test_files_made_durable_on_a_thread_are_reported_in_order_or_removed(tmp_path):
    store = BlobStore(tmp_path)
    reported: list[str] = []
    finisher = stager._Finisher(lambda attachment_id, stored: reported.append(attachment_id))
    made = []
    for n in range(3):
        pending, _ = store.write_payload(lambda fh, n=n: fh.write(bytes([n]) * 1000))
        made.append(pending.name)
        finisher.put(f"a{n}", pending, StoredBlob(pending.name, "00", 1000, ""))
    finisher.close()
    assert reported == ["a0", "a1", "a2"]
    assert sorted(store.names()) == sorted(made)
    assert (tmp_path / "blobs" / made[1]).read_bytes() == b"\x01" * 1000

    failing = stager._Finisher(lambda attachment_id, stored: reported.append(attachment_id))
    gone, _ = store.write_payload(lambda fh: fh.write(b"x"))
    next(p for p in (tmp_path / "blobs").iterdir() if p.name.endswith(".part")).unlink()
    failing.put("vanished", gone, StoredBlob(gone.name, "00", 1, ""))
    after, _ = store.write_payload(lambda fh: fh.write(b"y"))
    with contextlib.suppress(FileNotFoundError):  # the thread may have failed already
        failing.put("after", after, StoredBlob(after.name, "00", 1, ""))
    with pytest.raises(FileNotFoundError):  # its first error
        failing.close()
    assert reported == ["a0", "a1", "a2"]
    assert sorted(store.names()) == sorted(made)  # nothing of the two, not even temp files
    assert not [p for p in (tmp_path / "blobs").iterdir() if p.name.startswith(".")]


def test_cancelling_while_the_process_checks_files_leaves_nothing(tmp_path, in_process):
    world = make_world(tmp_path / "w")
    add_testimony(world.field(), attachment=os.urandom(8 * MB))
    bundle = export(world.field(), tmp_path / "out")
    before = digest(world.coordinator)
    zr, _, staged, names = _staged_for(world, bundle, cancel=lambda: True)
    with zr, pytest.raises(errors.Cancelled):
        staged.wait()
    for name in names:
        world.coordinator.blobs.remove(name)
    assert digest(world.coordinator) == before
    assert not [p for p in (world.coordinator.folder / "blobs").iterdir()]
    world.close()


def test_a_process_that_ends_without_a_word_is_replaced_by_a_thread(tmp_path, in_process,
                                                                     monkeypatch):
    monkeypatch.setattr(stager, "_child", _die)
    world = make_world(tmp_path / "w")
    photo = os.urandom(MB)
    made = add_testimony(world.field(), attachment=photo)
    bundle = export(world.field(), tmp_path / "out")
    result = import_one(world.coordinator, bundle, trust=trust(world))
    assert result.counts.attachments == 1
    attachment = world.coordinator.store.get(Attachment, made["attachment"].id)
    assert plaintext_sha256(world.coordinator, attachment) == hashlib.sha256(photo).hexdigest()
    world.close()


def test_errors_cross_processes_with_their_parameters():
    sent = pickle.dumps(e.BlobMismatch(blob="b1", which="plaintext size"))
    error = pickle.loads(sent)  # noqa: S301 - the bytes just made
    assert type(error) is e.BlobMismatch and error.params == {"blob": "b1",
                                                              "which": "plaintext size"}
    assert "b1" in error.message()


def test_imported_records_are_searchable_as_after_a_full_rebuild(tmp_path):
    world = make_world(tmp_path / "w")
    made = add_testimony(world.field())
    with world.field().transaction() as store:
        store.edit(Person, made["person"].id, surname="Кравчук")
        store.edit(Interview, made["interview"].id, narrative="Підвал у Херсоні")
    import_one(world.coordinator, export(world.field(), tmp_path / "out"), trust=trust(world))
    conn = world.coordinator.conn

    def entries():
        found = {q: sorted(text_index.search(conn, q)) for q in ("Кравчук", "Херсоні")}
        bodies = conn.execute("SELECT record_id, entity, interview_id, body FROM text_body "
                              "ORDER BY record_id").fetchall()
        keys = conn.execute("SELECT record_id, entity, interview_id FROM text_index_key "
                            "ORDER BY record_id").fetchall()
        return found, bodies, keys

    imported = entries()
    assert ("person", made["person"].id, None) in imported[0]["Кравчук"]
    assert ("interview", made["interview"].id, made["interview"].id) in imported[0]["Кравчук"]
    assert ("interview", made["interview"].id, made["interview"].id) in imported[0]["Херсоні"]
    with world.coordinator.transaction():
        text_index.rebuild(conn)
    assert entries() == imported
    world.close()


def test_the_audit_of_an_import_names_each_revision_by_its_content_hash(tmp_path):
    world = make_world(tmp_path / "w")
    add_testimony(world.field())
    result = import_one(world.coordinator, export(world.field(), tmp_path / "out"),
                        trust=trust(world))
    conn = world.coordinator.conn
    received = dict(conn.execute("SELECT record_id, content_sha256 FROM sync_received"))
    logged = dict(conn.execute("SELECT entity_id, summary_hash FROM audit_log WHERE action = "
                               "'sync_create' AND actor = ?", (f"bundle:{result.bundle_id}",)))
    assert logged and logged == received
    world.close()
