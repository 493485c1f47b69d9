"""How bundle parts are encrypted: fresh keys on export, the payload kept on import, and what
is left behind (nothing) when a part is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from testimony_app import errors
from testimony_app.crypto import age_header as ah
from testimony_app.domain.evidence import Attachment
from testimony_app.sync import errors as e
from testimony_app.sync import importer, org
from testimony_app.sync import manifest as mf
from tests.unit.test_sync_support import (
    add_testimony,
    age_decrypt,
    digest,
    export,
    import_one,
    make_world,
    open_manifest,
    org_identities,
    read_zip,
    trust,
    write_zip,
)

FILE = bytes(range(256)) * 1100  # a little over four 64 KiB chunks


def _payload(age_file: bytes) -> bytes:
    header, _ = ah.read_header(io.BytesIO(age_file))
    return age_file[header.size:]


def test_attachment_travels_under_a_fresh_key_and_is_kept_as_received(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    field, coordinator = world.field(), world.coordinator
    made = add_testimony(field, attachment=FILE)
    stored: Attachment = made["attachment"]
    bundle = export(field, tmp_path / "out")
    entries = dict(read_zip(bundle.read_bytes()))
    body = open_manifest(bundle.read_bytes(), coordinator)["manifest"]
    [blob] = [b for b in body["blobs"] if b["role"] == "attachment"]
    part = entries[mf.entry_name(blob["id"])]
    vault_file = field.blobs.path(stored.blob_name).read_bytes()
    # The bundle never carries the field vault's ciphertext: not even one chunk of it.
    assert len(_payload(part)) == len(vault_file)
    for k in range(0, len(vault_file), 4096):
        assert vault_file[k:k + 4096] not in part
    assert age_decrypt(part, org_identities(coordinator)) == FILE

    import_one(coordinator, bundle, trust=trust(world))
    received = coordinator.store.get(Attachment, stored.id)
    assert received.blob_name != stored.blob_name or received.file_key != stored.file_key
    kept = coordinator.blobs.path(received.blob_name).read_bytes()
    assert kept == _payload(part)  # the payload as received, under the key its header wrapped
    with coordinator.blobs.reader(received.blob_name, received.file_key) as reader:
        assert reader.read() == FILE
    assert coordinator.blobs.check(received.blob_name, received.file_key, received.sha256) is None
    assert list((coordinator.folder / importer.STAGING).glob("*/*")) == []
    world.close()


def test_a_damaged_vault_blob_is_not_sent(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    field = world.field()
    stored = add_testimony(field, attachment=FILE)["attachment"]
    path = field.blobs.path(stored.blob_name)
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(errors.BlobDamaged):
        export(field, tmp_path / "out")
    assert list((tmp_path / "out").glob("*.tbundle")) == []
    world.close()


def test_a_refused_attachment_part_leaves_nothing(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    field, coordinator = world.field(), world.coordinator
    add_testimony(field, attachment=FILE)
    bundle = export(field, tmp_path / "out").read_bytes()
    entries = read_zip(bundle)
    body = open_manifest(bundle, coordinator)["manifest"]
    [blob] = [b for b in body["blobs"] if b["role"] == "attachment"]
    name = mf.entry_name(blob["id"])
    before = digest(coordinator)
    blob_files = set(coordinator.blobs.names())
    for cut in (1, 17, 60_000):  # flip a bit of the last chunk: found only at the very end
        damaged = [(n, d[:-cut] + bytes([d[-cut] ^ 1]) + d[len(d) - cut + 1:] if n == name
                    else d) for n, d in entries]
        path = tmp_path / f"damaged-{cut}.tbundle"
        path.write_bytes(write_zip(damaged))
        with pytest.raises((e.BlobMismatch, e.AgeDecryptFailed)):
            import_one(coordinator, path, trust=trust(world))
        assert digest(coordinator) == before
        assert set(coordinator.blobs.names()) == blob_files
    world.close()


def test_parts_are_strict_age_files_to_every_recipient(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    add_testimony(world.field(), attachment=b"")
    bundle = export(world.field(), tmp_path / "out").read_bytes()
    count = len(org.current_recipients(world.coordinator.conn))
    assert count >= 2  # the import key and the escrow key
    for _, data in read_zip(bundle):
        header, _ = ah.read_header(io.BytesIO(data))
        assert header.types == ["X25519"] * count
    world.close()

