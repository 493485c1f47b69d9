"""Tampering campaign: thousands of mutations of real bundles against one coordinator vault.

Every mutated bundle must be refused with a specific error, or accepted only where it is
genuinely valid (an identical replay is a no-op; a bundle whose authenticated content is
unchanged, e.g. re-zipped, imports like the original). After every refusal the coordinator's
content and audit chain are exactly as before (a digest of every table and of the blob
folder). Base bundles are built once and kept small; mutations happen in memory.
"""

from __future__ import annotations

import collections
import hashlib
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from testimony_app import errors
from testimony_app.crypto import keys
from testimony_app.domain.detention import Sighting
from testimony_app.domain.interview import Interview
from testimony_app.services import sync
from testimony_app.sync import envelope, importer, org
from testimony_app.sync import errors as e
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipReader
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.unit.test_sync_support import (
    add_testimony,
    age_decrypt,
    age_encrypt,
    digest,
    export,
    import_one,
    make_world,
    open_manifest,
    org_identities,
    org_recipients,
    read_zip,
    reseal,
    trust,
    write_zip,
)

GENERIC = (errors.TestimonyError, e.SyncError, e.Altered)
SEED = 20261122


@dataclass
class Bases:
    root: Path
    coordinator: Vault
    b0: bytes  # already imported by the coordinator (replays)
    b1: bytes  # not imported yet (fresh imports)
    others: dict[str, tuple[bytes, type[Exception]]]
    f1_key: bytes
    f2_key: bytes
    b0_id: str


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bases]:
    root = tmp_path_factory.mktemp("tamper")
    world = make_world(root / "w", "f1", "f2", "f3", "f4")
    coordinator = world.coordinator
    f1, f2, f3, f4 = (world.field(n) for n in ("f1", "f2", "f3", "f4"))
    made = add_testimony(f1, attachment=bytes(range(256)) * 12)
    b0_path = export(f1, root / "out")
    b0_result = import_one(coordinator, b0_path, trust=trust(world, "f1"))
    with f1.transaction() as store:
        store.edit(Interview, made["interview"].id, narrative="Друга версія розповіді")
        store.add(Sighting(interview_id=made["interview"].id, name_as_heard="Петро"))
    add_testimony(f1, attachment=b"\x07" * 2000)
    b1 = export(f1, root / "out").read_bytes()
    for name in ("f2", "f4"):
        add_testimony(world.field(name))
        import_one(coordinator, export(world.field(name), root / "out"), trust=trust(world, name))
    sync.revoke_device(coordinator, f4.device.id)
    add_testimony(f3)
    add_testimony(f4)
    other = make_world(root / "o", "g", org_name="Another organisation")
    add_testimony(other.field("g"))
    others = {
        "unknown device": (export(f3, root / "out").read_bytes(), e.UnknownDevice),
        "revoked device": (export(f4, root / "out").read_bytes(), e.DeviceRevoked),
        "another organisation": (export(other.field("g"), root / "out").read_bytes(),
                                 e.NotForThisOrganisation),
    }
    yield Bases(root, coordinator, b0_path.read_bytes(), b1, others,
                f1.device_private_key(), f2.device_private_key(), b0_result.bundle_id)
    world.close()
    other.close()


# Mutations ------------------------------------------------------------------------------------

Mutation = tuple[str, bytes, bool]  # (kind, bundle, deliberately valid)


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def _overwrite(rng: random.Random, data: bytes) -> bytes:
    pos = rng.randrange(len(data))
    span = rng.randint(1, 64)
    return data[:pos] + rng.randbytes(span) + data[pos + span:]


def _splice(rng: random.Random, data: bytes) -> bytes:
    pos = rng.randrange(len(data))
    if rng.random() < 0.5:
        return data[:pos] + rng.randbytes(rng.randint(1, 32)) + data[pos:]
    return data[:pos] + data[pos + rng.randint(1, 32):]


def _flip_inside(rng: random.Random, data: bytes) -> bytes:
    """A bit flipped inside one entry, the ZIP rebuilt with matching checksums: what gets past
    the ZIP layer must be caught by age, the signature or the manifest's hashes."""
    entries = read_zip(data)
    i = rng.randrange(len(entries))
    name, content = entries[i]
    entries[i] = (name, _flip(rng, content))
    return write_zip(entries)


def _structural(rng: random.Random, base: bytes, donor: bytes) -> Iterator[Mutation]:
    entries = read_zip(base)
    donor_entries = dict(read_zip(donor))
    names = [n for n, _ in entries]
    yield "re-zipped", write_zip(entries), True
    yield "reordered", write_zip(list(reversed(entries))), True
    for i, (name, data) in enumerate(entries):
        yield "missing entry", write_zip(entries[:i] + entries[i + 1:]), False
        yield "duplicated entry", write_zip(entries + [(name, data)]), False
        for j in range(len(entries)):
            if j != i:
                swapped = list(entries)
                swapped[i], swapped[j] = (name, entries[j][1]), (names[j], data)
                yield "swapped entries", write_zip(swapped), False
        for donor_name, donor_data in donor_entries.items():
            if (donor_name == mf.MANIFEST_ENTRY) == (name == mf.MANIFEST_ENTRY):
                yield "entry from another bundle", write_zip(
                    [(n, donor_data if k == i else d) for k, (n, d) in enumerate(entries)]), False
    yield "extra entry", write_zip(entries + [("blobs/" + "a" * 32 + ".age", b"x" * 100)]), False
    yield "extra entry", write_zip(entries + [("notes.txt", b"hello")]), False
    yield "renamed blob", write_zip(
        [(("blobs/" + "b" * 32 + ".age") if n == names[-1] else n, d) for n, d in entries]), False
    blob_ids = [n for n in names if n != mf.MANIFEST_ENTRY]
    yield "truncated blob", write_zip(
        [(n, d[: len(d) // 2] if n == rng.choice(blob_ids) else d) for n, d in entries]), False


def _resealed(bases: Bases, base: bytes) -> Iterator[Mutation]:
    c = bases.coordinator
    body = open_manifest(base, c)["manifest"]

    def walk(target: Any, path: str) -> tuple[Any, Any]:
        keys_ = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys_[:-1]:
            target = target[key]
        return target, keys_[-1]

    def change(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
        def apply(new_body: dict[str, Any]) -> None:
            target, last = walk(new_body, path)
            target[last] = value
        return apply

    def unchanged(path: str, value: Any) -> bool:
        """The "change" leaves the value as it was: the bundle is then still valid."""
        target, last = walk(body, path)
        return bool(target[last] == value)

    key1 = bases.f1_key
    yield "re-signed, unchanged", reseal(base, c, key1), True
    yield "signed by another enrolled device", reseal(base, c, bases.f2_key), False
    yield "manifest bytes not canonical", _manifest_raw(bases, base, b" "), False
    for blob in range(4):
        for field, value in (("plaintext_sha256", "0" * 64), ("ciphertext_sha256", "1" * 64),
                             ("plaintext_size", 3), ("ciphertext_size", 7),
                             ("role", "records"), ("id", "c" * 32)):
            path = f"blobs.{blob}.{field}"
            yield f"re-signed blobs.{field}", reseal(base, c, key1, change(path, value)), \
                unchanged(path, value)
    for path, value in (("organisation", "11111111-1111-4111-8111-111111111111"),
                        ("format", "testimony-bundle/2"), ("sequence", 0),
                        ("previous_bundle_id", None), ("bundle_id", bases.b0_id),
                        ("recipients", ["0000 0000 0000 0000 0000 0000 0000 0000"]),
                        ("sender.fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000"),
                        ("created_at", "yesterday"), ("blobs", [])):
        yield f"re-signed {path}", reseal(base, c, key1, change(path, value)), False
    yield "re-signed with an extra field", reseal(base, c, key1, change("note", "x")), False

    def to_f2(body: dict[str, Any]) -> None:
        public = keys.public_bytes(keys.load_private(bases.f2_key))
        body["sender"] = {"device_id": _device_id_of(bases, public), "fingerprint":
                          keys.fingerprint(public), "public_key": envelope.b64(public)}

    yield "sender changed to another enrolled device", reseal(base, c, bases.f2_key, to_f2), False
    extra = pyrage.x25519.Identity.generate().to_public()
    yield "also encrypted to an outsider", reseal(
        base, c, key1, recipients=[*org_recipients(c), str(extra)]), False
    outsider = _ssh_key()  # a stanza of another kind: it could wrap the file key for anyone
    yield "manifest also encrypted to an outsider's SSH key", _replace_manifest(
        base, age_encrypt(envelope.sign("manifest", body, key1), org_recipients(c),
                          ssh=(outsider,))), False
    yield "attachment re-encrypted by another age implementation", _blob_reencrypted(
        bases, base, ()), True
    yield "attachment also encrypted to an outsider's SSH key", _blob_reencrypted(
        bases, base, (outsider,)), False
    held = {recipient for _, recipient, _ in org.import_identities(c.conn)}
    escrow_only = [r for r in org_recipients(c) if r not in held]
    yield "encrypted to the escrow key only", reseal(base, c, key1, recipients=escrow_only), False
    sealed = envelope.canonical(open_manifest(base, c))
    scrypt = pyrage.passphrase.encrypt(sealed, "guessable")
    yield "passphrase manifest", _replace_manifest(base, scrypt), False
    armored = b"-----BEGIN AGE ENCRYPTED FILE-----\n" + age_encrypt(sealed, org_recipients(c))
    yield "armored manifest", _replace_manifest(base, armored), False


def _device_id_of(bases: Bases, public: bytes) -> str:
    row = bases.coordinator.conn.execute("SELECT id FROM device WHERE public_key = ?",
                                         (public,)).fetchone()
    return str(row[0])


def _ssh_key() -> str:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    return public.public_bytes(serialization.Encoding.OpenSSH,
                               serialization.PublicFormat.OpenSSH).decode()


def _blob_reencrypted(bases: Bases, base: bytes, ssh: tuple[str, ...]) -> bytes:
    """The bundle with its last blob (an attachment) decrypted and encrypted again by rage
    (whose headers carry a grease stanza), to the organisation and to ``ssh``, and its manifest
    signed again by its device with the new ciphertext's size and SHA-256."""
    c = bases.coordinator
    body = open_manifest(base, c)["manifest"]
    index, blob = len(body["blobs"]) - 1, body["blobs"][-1]
    assert blob["role"] == "attachment"
    name = mf.entry_name(blob["id"])
    entries = dict(read_zip(base))
    again = age_encrypt(age_decrypt(entries[name], org_identities(c)), org_recipients(c),
                        ssh=ssh)

    def change(new_body: dict[str, Any]) -> None:
        new_body["blobs"][index].update(ciphertext_size=len(again),
                                        ciphertext_sha256=hashlib.sha256(again).hexdigest())

    return write_zip([(n, again if n == name else d)
                      for n, d in read_zip(reseal(base, c, bases.f1_key, change))])


def _replace_manifest(base: bytes, manifest_age: bytes) -> bytes:
    return write_zip([(n, manifest_age if n == mf.MANIFEST_ENTRY else d)
                      for n, d in read_zip(base)])


def _manifest_raw(bases: Bases, base: bytes, suffix: bytes) -> bytes:
    sealed = envelope.canonical(open_manifest(base, bases.coordinator)) + suffix
    return _replace_manifest(base, age_encrypt(sealed, org_recipients(bases.coordinator)))


def mutations(bases: Bases) -> Iterator[Mutation]:
    rng = random.Random(SEED)
    for base in (bases.b0, bases.b1):
        for _ in range(500):
            yield "bit flip", _flip(rng, base), False
        for _ in range(150):
            yield "truncation", base[:rng.randrange(len(base))], False
        for _ in range(100):
            yield "overwritten bytes", _overwrite(rng, base), False
        for _ in range(60):
            yield "inserted or deleted bytes", _splice(rng, base), False
        for _ in range(150):
            yield "bit flip inside an entry", _flip_inside(rng, base), False
    yield from _structural(rng, bases.b1, bases.b0)
    yield from _structural(rng, bases.b0, bases.b1)
    yield from _resealed(bases, bases.b1)
    yield "replayed old bundle", bases.b0, True
    for kind, (data, _) in bases.others.items():
        yield kind, data, False


# The campaign -------------------------------------------------------------------------------

def _entries(path: Path) -> dict[str, bytes]:
    with ZipReader(path, name_ok=mf.is_bundle_entry) as zr:
        return {name: zr.open(name).read() for name in zr.entries}


def _same_content(path: Path, original: bytes) -> bool:
    """What the importer read from the bundle is byte for byte the original's entries."""
    return _entries(path) == dict(read_zip(original))


def test_tampering_campaign(bases: Bases, tmp_path: Path) -> None:
    coordinator = bases.coordinator
    folder = coordinator.folder
    snapshot = tmp_path / "snapshot.db"
    coordinator.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(folder / "vault.db", snapshot)
    baseline = digest(coordinator)
    path = tmp_path / "bundle.tbundle"
    outcomes: collections.Counter[str] = collections.Counter()
    refused_by: dict[str, set[str]] = collections.defaultdict(set)
    total = 0
    for kind, data, valid in list(mutations(bases)):
        total += 1
        path.write_bytes(data)
        try:
            result = importer.import_bundle(coordinator, path)
        except errors.TestimonyError as exc:
            assert type(exc) not in GENERIC, (kind, exc)
            assert "{" not in exc.message(), (kind, exc.message())
            assert digest(coordinator) == baseline, (kind, exc.code)
            outcomes[exc.code] += 1
            refused_by[kind].add(exc.code)
            continue
        # Accepted: only a replay, or a bundle whose authenticated content is the original's.
        original = bases.b0 if result.bundle_id == bases.b0_id else bases.b1
        assert valid or _same_content(path, original), kind
        if result.already_imported:
            assert digest(coordinator) == baseline, kind
            outcomes["replay (no-op)"] += 1
            continue
        assert result.counts is not None and result.counts.created > 0, kind
        outcomes["accepted as genuinely valid"] += 1
        coordinator.close()  # back to the state before this import
        shutil.copyfile(snapshot, folder / "vault.db")
        for suffix in ("-wal", "-shm"):
            (folder / f"vault.db{suffix}").unlink(missing_ok=True)
        coordinator = Vault.open(folder, PASSPHRASE)
        bases.coordinator = coordinator
        assert digest(coordinator) == baseline
    print(f"\n{total} mutations: " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    assert total >= 2000
    assert audit.verify(coordinator.conn) == []
    # The named attacks were refused for the named reasons.
    for kind, (_, expected) in bases.others.items():
        assert refused_by[kind] == {expected.code}, kind
    assert refused_by["signed by another enrolled device"] == {e.BadSignature.code}
    assert refused_by["sender changed to another enrolled device"] == {e.ForeignRecord.code}
    assert refused_by["passphrase manifest"] == {e.AgePassphraseRefused.code}
    assert refused_by["also encrypted to an outsider"] == {e.ForeignRecipients.code}
    assert refused_by["manifest also encrypted to an outsider's SSH key"] == {
        e.ForeignRecipients.code}
    assert refused_by["attachment also encrypted to an outsider's SSH key"] == {
        e.ForeignRecipients.code}
    assert "attachment re-encrypted by another age implementation" not in refused_by
    assert refused_by["encrypted to the escrow key only"] == {e.NotForThisOrganisation.code}
    assert refused_by["re-signed organisation"] == {e.OtherOrganisation.code}
    assert refused_by["re-signed bundle_id"] == {e.BundleIdReused.code}
    assert refused_by["duplicated entry"] == {e.ZipDuplicateEntry.code}
    assert outcomes["replay (no-op)"] >= 1
    assert len(outcomes) >= 15  # many different, specific reasons
