"""Importing a bundle into the coordinator's vault.

Order of checks (each failure is its own error, and nothing in the vault changes):

1. the ZIP structure (``ziputil``: hostile names, sizes, duplicates, counts);
2. ``manifest.age``: no passphrase stanza, decrypts with one of our import identities, parses
   strictly, and its Ed25519 signature verifies against the sender key it names;
3. the organisation, the recipients (all ours, none retired, as many X25519 stanzas as listed),
   the sender in the device registry (unknown unless confirmed, revoked, re-keyed);
4. a bundle id seen before: the same bundle is a no-op (after re-checking its ciphertexts), a
   different one is refused;
5. the ZIP entries against the manifest (none missing, none extra, sizes);
6. each blob decrypted to check it (ciphertext and plaintext size and SHA-256) while its
   payload, still encrypted, is copied into staging (records and audit, whose file keys live
   only in memory) or into the blob store (attachments, whose file key becomes theirs);
   nothing is kept or trusted until its stream finished cleanly;
7. the merge, in one transaction (``merge``). Staged files are removed on any failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from testimony_app import errors, fs
from testimony_app.crypto import stream
from testimony_app.sync import (
    Cancel,
    Progress,
    agefile,
    devices,
    merge,
    never_cancel,
    no_progress,
    org,
    payload,
    streams,
)
from testimony_app.sync import errors as e
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipReader
from testimony_app.vault.blobs import StoredBlob
from testimony_app.vault.vault import Vault

STAGING = "staging"
MAX_RECORDS_BLOB = 1 << 30
MAX_AUDIT_BLOB = 256 << 20
SPACE_MARGIN = 64 << 20
STALE_S = 24 * 3600
_THREADED = 4 << 20  # hash and copy larger blobs on a helper thread


@dataclass(frozen=True)
class Imported:
    bundle_id: str
    device_id: str
    device: str  # label and fingerprint, for people
    sequence: int
    already_imported: bool
    counts: merge.Counts | None
    notices: tuple[e.SyncError, ...] = field(default=())


# Reading the manifest -------------------------------------------------------------------------

def _read_manifest(zr: ZipReader, identities: list[agefile.Identity]
                   ) -> tuple[mf.Manifest, str, list[str]]:
    if mf.MANIFEST_ENTRY not in zr.entries:
        raise e.ManifestMissing()
    if zr.entries[mf.MANIFEST_ENTRY].size > mf.MAX_MANIFEST + 65536:
        raise e.BundleTooLarge(what="manifest.age", limit=mf.MAX_MANIFEST)
    plain = streams.LimitedBuffer(mf.MAX_MANIFEST, lambda: e.BundleTooLarge(
        what="manifest", limit=mf.MAX_MANIFEST))
    opened = agefile.decrypt(zr.open(mf.MANIFEST_ENTRY), identities, what="manifest.age",
                             plaintext=plain)
    raw = plain.getvalue()
    manifest, signature = mf.parse(raw)
    mf.verify(manifest, signature)
    return manifest, hashlib.sha256(raw).hexdigest(), opened.stanzas


def _check_recipients(vault: Vault, manifest: mf.Manifest, stanzas: list[str],
                      organisation: org.Organisation) -> None:
    if manifest.organisation_id != organisation.id:
        raise e.OtherOrganisation(organisation=manifest.organisation_id)
    known = {k.fingerprint: k for k in org.org_keys(vault.conn)}
    for fingerprint in manifest.recipients:
        key = known.get(fingerprint)
        if key is None:
            raise e.ForeignRecipients()
        if not key.current:
            raise e.RetiredRecipient(version=organisation.enrollment_version)
    if stanzas.count("X25519") != len(manifest.recipients):
        raise e.ForeignRecipients()


def _check_entries(zr: ZipReader, manifest: mf.Manifest) -> None:
    for role, limit in ((mf.RECORDS, MAX_RECORDS_BLOB), (mf.AUDIT, MAX_AUDIT_BLOB)):
        if manifest.blob(role).plaintext_size > limit:
            raise e.BundleTooLarge(what=role, limit=limit)
    expected = {mf.entry_name(b.id): b for b in manifest.blobs}
    for name in zr.entries:
        if name != mf.MANIFEST_ENTRY and name not in expected:
            raise e.ZipUnexpectedEntry()
    for name, blob in expected.items():
        entry = zr.entries.get(name)
        if entry is None:
            raise e.BlobMissingFromBundle(blob=blob.id)
        if entry.size != blob.ciphertext_size:
            raise e.BlobMismatch(blob=blob.id, which="ciphertext size")


def _same_ciphertexts(zr: ZipReader, manifest: mf.Manifest, cancel: Cancel) -> None:
    for blob in manifest.blobs:
        reader = streams.HashingReader(zr.open(mf.entry_name(blob.id)), cancel=cancel)
        while reader.read(streams.BLOCK):
            pass
        if reader.hash.hexdigest() != blob.ciphertext_sha256:
            raise e.BlobMismatch(blob=blob.id, which="ciphertext SHA-256")


# Staging --------------------------------------------------------------------------------------

class Staging:
    """A private folder in the vault for the records and audit parts, and attachment files
    added to the blob store but not yet recorded.

    Every part is kept as it came, encrypted: the age payload (the part less its header) under
    the file key its header wraps. The keys of the records and audit parts live only in memory
    (what a crash leaves in staging is unreadable); an attachment's becomes its file key in
    the vault, so its payload is its blob file as it is (no second encryption). A part is kept
    only once it decrypted cleanly to the size and SHA-256 the signed manifest states, along
    with the size and SHA-256 of its ciphertext.
    """

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        parent = fs.private_mkdir(vault.folder / STAGING)
        for old in parent.iterdir():  # left by a crash: unreadable (its key was in memory)
            with contextlib.suppress(OSError):
                if time.time() - old.lstat().st_mtime > STALE_S:
                    shutil.rmtree(old, ignore_errors=True)
        self.folder = fs.private_mkdir(parent / secrets.token_hex(8))
        self.keys: dict[Path, bytes] = {}
        self.blobs: list[str] = []

    def _verify(self, zr: ZipReader, blob: mf.Blob, identities: list[agefile.Identity],
                payload: BinaryIO, cancel: Cancel) -> agefile.Opened:
        """Decrypt one blob (discarding the plaintext) and copy its payload to ``payload``;
        every size and hash must match the manifest."""
        opened = agefile.decrypt(zr.open(mf.entry_name(blob.id)), identities,
                                 what=f"blob {blob.id}", payload=payload,
                                 ciphertext_limit=blob.ciphertext_size, cancel=cancel,
                                 threaded=blob.ciphertext_size > _THREADED)
        if (opened.ciphertext_size != blob.ciphertext_size
                or opened.ciphertext_sha256 != blob.ciphertext_sha256):
            raise e.BlobMismatch(blob=blob.id, which="ciphertext SHA-256")
        if opened.plaintext_size != blob.plaintext_size:
            raise e.BlobMismatch(blob=blob.id, which="plaintext size")
        if opened.plaintext_sha256 != blob.plaintext_sha256:
            raise e.BlobMismatch(blob=blob.id, which="plaintext SHA-256")
        return opened

    def stage_part(self, zr: ZipReader, blob: mf.Blob, identities: list[agefile.Identity],
                   cancel: Cancel) -> Path:
        path = self.folder / blob.id
        with fs.open_private(path) as fh:
            opened = self._verify(zr, blob, identities, fh, cancel)
        self.keys[path] = opened.file_key
        return path

    def stage_attachment(self, zr: ZipReader, blob: mf.Blob,
                         identities: list[agefile.Identity], cancel: Cancel) -> StoredBlob:
        name, opened = self.vault.blobs.ingest_payload(
            lambda fh: self._verify(zr, blob, identities, fh, cancel))
        self.blobs.append(name)
        return StoredBlob(name, opened.file_key.hex(), opened.plaintext_size,
                          opened.plaintext_sha256)

    @contextlib.contextmanager
    def lines(self, path: Path, what: str) -> Iterator[merge.Lines]:
        with path.open("rb") as fh, stream.EncryptedFileReader(self.keys[path], fh) as plain:
            yield payload.read_lines(plain, what)

    def discard_blobs(self, names: Iterable[str] | None = None) -> None:
        for name in (self.blobs if names is None else names):
            self.vault.blobs.remove(name)

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# The import -----------------------------------------------------------------------------------

def _notices(vault: Vault, manifest: mf.Manifest, organisation: org.Organisation
             ) -> tuple[e.SyncError, ...]:
    name = devices.display_name(vault.conn, manifest.device_id)
    rows = vault.conn.execute("SELECT sequence, id FROM sync_bundle WHERE device_id = ? AND "
                              "direction = 'received'", (manifest.device_id,)).fetchall()
    sequences = {int(r[0]) for r in rows} | {manifest.sequence}
    notices: list[e.SyncError] = []
    if any(int(r[0]) == manifest.sequence and r[1] != manifest.bundle_id for r in rows):
        notices.append(e.SequenceReused(device=name, seq=manifest.sequence))
    notices += [e.SequenceGap(seq=s, device=name)
                for s in range(1, max(sequences)) if s not in sequences][:50]
    if manifest.enrollment_version < organisation.enrollment_version:
        notices.append(e.OldEnrollment(device=name, found=manifest.enrollment_version,
                                       current=organisation.enrollment_version))
    return tuple(notices)


def import_bundle(vault: Vault, path: Path, *, trust: Iterable[str] = (), label: str = "",
                  progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Imported:
    organisation = org.require_coordinator(vault.conn)
    identities = [agefile.parse_identity(secret)
                  for secret, _, _ in org.import_identities(vault.conn)]
    with ZipReader(Path(path), name_ok=mf.is_bundle_entry) as zr:
        manifest, manifest_sha, stanzas = _read_manifest(zr, identities)
        _check_recipients(vault, manifest, stanzas, organisation)
        new_device = devices.check_sender(vault.conn, manifest.device_id, manifest.device_key,
                                          trust)
        seen = vault.conn.execute("SELECT manifest_sha256, direction FROM sync_bundle "
                                  "WHERE id = ?", (manifest.bundle_id,)).fetchone()
        _check_entries(zr, manifest)
        name = devices.display_name(vault.conn, manifest.device_id)
        if seen is not None:
            if seen[0] != manifest_sha or seen[1] != "received":
                raise e.BundleIdReused(bundle=manifest.bundle_id)
            _same_ciphertexts(zr, manifest, cancel)
            return Imported(manifest.bundle_id, manifest.device_id, name, manifest.sequence,
                            True, None, _notices(vault, manifest, organisation))
        needed = sum(b.plaintext_size for b in manifest.blobs) + SPACE_MARGIN
        if shutil.disk_usage(vault.folder).free < needed:
            raise e.NotEnoughSpace(needed=needed)
        return _stage_and_merge(vault, zr, manifest, manifest_sha, identities, organisation,
                                new_device=new_device, label=label, progress=progress,
                                cancel=cancel)


class _Attachments:
    """The attachment parts, staged on a helper thread while the records merge here.

    The merge is Python and SQL, the staging AEAD, hashes and I/O that release the GIL (whose
    switch interval is lowered to 1 ms meanwhile, as they need it back after every call), so
    the two overlap on two cores. :meth:`get` waits for one attachment's file; :meth:`wait`
    for all of them, raising the first staging error: the merge calls it before it commits.
    """

    _SWITCH_S = 0.001

    def __init__(self, staging: Staging, zr: ZipReader, manifest: mf.Manifest,
                 identities: list[agefile.Identity], cancel: Cancel, progress: Progress,
                 done: int, total: int) -> None:
        self._blobs = manifest.attachments
        self._expected = {b.attachment_id for b in self._blobs}
        self._args = (staging, zr, identities, cancel, progress, done, total)
        self._staged: dict[str, StoredBlob] = {}
        self._ready = threading.Condition()
        self._finished = False
        self.error: BaseException | None = None
        self._switch = sys.getswitchinterval()
        self._thread: threading.Thread | None = None
        if self._blobs:
            sys.setswitchinterval(min(self._switch, self._SWITCH_S))
            self._thread = threading.Thread(target=self._run, name="bundle-attachments",
                                            daemon=True)
            self._thread.start()
        else:
            self._finished = True

    def _run(self) -> None:
        staging, zr, identities, cancel, progress, done, total = self._args
        try:
            for blob in self._blobs:
                assert blob.attachment_id is not None  # noqa: S101 - manifest.parse
                stored = staging.stage_attachment(zr, blob, identities, cancel)
                done += blob.plaintext_size
                progress(done, total, "importing")  # thread-safe, as ``cancel``
                with self._ready:
                    self._staged[blob.attachment_id] = stored
                    self._ready.notify_all()
        except BaseException as exc:
            self.error = exc
        finally:
            with self._ready:
                self._finished = True
                self._ready.notify_all()

    def get(self, attachment_id: str) -> StoredBlob | None:
        """The staged file of this attachment (waiting for it), None if the bundle has none."""
        if attachment_id not in self._expected:
            return None
        with self._ready:
            while attachment_id not in self._staged and not self._finished:
                self._ready.wait()
            if attachment_id not in self._staged and self.error is not None:
                raise self.error
            return self._staged.get(attachment_id)

    def wait(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            sys.setswitchinterval(self._switch)


def _stage_and_merge(vault: Vault, zr: ZipReader, manifest: mf.Manifest, manifest_sha: str,
                     identities: list[agefile.Identity], organisation: org.Organisation, *,
                     new_device: bool, label: str, progress: Progress,
                     cancel: Cancel) -> Imported:
    staging = Staging(vault)
    total = sum(b.plaintext_size for b in manifest.blobs)
    try:
        records = staging.stage_part(zr, manifest.blob(mf.RECORDS), identities, cancel)
        audit_path = staging.stage_part(zr, manifest.blob(mf.AUDIT), identities, cancel)
        done = manifest.blob(mf.RECORDS).plaintext_size + manifest.blob(mf.AUDIT).plaintext_size
        progress(done, total, "importing")
        files = _Attachments(staging, zr, manifest, identities, cancel, progress, done, total)
        try:
            notices = _notices(vault, manifest, organisation)
            with staging.lines(records, "records") as record_lines, \
                    staging.lines(audit_path, "audit") as audit_lines:
                if cancel():
                    raise errors.Cancelled()
                counts = merge.apply(vault, manifest, manifest_sha, record_lines, audit_lines,
                                     files, new_device=new_device, label=label,
                                     size_bytes=zr.file_size)
        except BaseException as exc:
            files.join()
            if files.error is not None and files.error is not exc:
                # as if every file had been staged before the merge: its error comes first
                raise files.error from exc
            raise
    except BaseException:
        staging.discard_blobs()
        raise
    finally:
        staging.cleanup()
    staging.discard_blobs(counts.unused_blobs)
    name = devices.display_name(vault.conn, manifest.device_id)
    return Imported(manifest.bundle_id, manifest.device_id, name, manifest.sequence, False,
                    counts, notices)
