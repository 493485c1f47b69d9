"""Importing a bundle into the coordinator's vault.

Order of checks (each failure is its own error, and nothing in the vault changes):

1. the ZIP structure (``ziputil``: hostile names, sizes, duplicates, counts);
2. ``manifest.age``: no passphrase stanza, decrypts with one of our import identities, parses
   strictly, and its Ed25519 signature verifies against the sender key it names;
3. the organisation, the recipients (all ours, none retired, as many X25519 stanzas as listed
   and no other stanza but grease), the sender in the device registry (unknown unless
   confirmed, revoked, re-keyed);
4. the ZIP entries against the manifest (none missing, none extra, sizes, each header's
   stanzas as the manifest's);
5. a bundle id seen before: the same bundle is a no-op (after re-checking its ciphertexts), a
   different one is refused;
6. each blob decrypted to check it (ciphertext and plaintext size and SHA-256) while its
   payload, still encrypted, is copied into staging (records and audit, whose file keys live
   only in memory) or into the blob store (attachments, whose file key becomes theirs: checked
   by ``stager`` on a helper thread, or for large files in a helper process, while the records
   merge); nothing is kept or trusted until its stream finished cleanly;
7. the merge, in one transaction (``merge``), committed only once every file is in. Staged
   files are removed on any failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    stager,
    streams,
)
from testimony_app.sync import errors as e
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipReader
from testimony_app.vault.vault import Vault

STAGING = "staging"
MAX_RECORDS_BLOB = 1 << 30
MAX_AUDIT_BLOB = 256 << 20
SPACE_MARGIN = 64 << 20
STALE_S = 24 * 3600


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
    _only_recipients(stanzas, manifest)


def _only_recipients(stanzas: list[str], manifest: mf.Manifest) -> None:
    """Every part's header wraps its file key for the manifest's recipients and nobody else."""
    if not agefile.wraps_only_for(stanzas, len(manifest.recipients)):
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
        _only_recipients(agefile.check_header(zr.open(name, check_crc=False), f"blob {blob.id}"),
                         manifest)


def _same_ciphertexts(zr: ZipReader, manifest: mf.Manifest, cancel: Cancel) -> None:
    for blob in manifest.blobs:
        reader = streams.HashingReader(zr.open(mf.entry_name(blob.id), check_crc=False),
                                       cancel=cancel)
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

    def stage_part(self, zr: ZipReader, blob: mf.Blob, identities: list[agefile.Identity],
                   cancel: Cancel) -> Path:
        path = self.folder / blob.id
        with fs.open_private(path) as fh:
            opened = stager.verify_blob(zr, blob, identities, fh, cancel)
        self.keys[path] = opened.file_key
        return path

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
    age_secrets = [secret for secret, _, _ in org.import_identities(vault.conn)]
    identities = [agefile.parse_identity(secret) for secret in age_secrets]
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
        return _stage_and_merge(vault, zr, manifest, manifest_sha, identities, age_secrets,
                                organisation,
                                new_device=new_device, label=label, progress=progress,
                                cancel=cancel)


def _stage_and_merge(vault: Vault, zr: ZipReader, manifest: mf.Manifest, manifest_sha: str,
                     identities: list[agefile.Identity], age_secrets: list[str],
                     organisation: org.Organisation, *, new_device: bool, label: str,
                     progress: Progress, cancel: Cancel) -> Imported:
    staging = Staging(vault)
    total = sum(b.plaintext_size for b in manifest.blobs)
    try:
        records = staging.stage_part(zr, manifest.blob(mf.RECORDS), identities, cancel)
        audit_path = staging.stage_part(zr, manifest.blob(mf.AUDIT), identities, cancel)
        done = manifest.blob(mf.RECORDS).plaintext_size + manifest.blob(mf.AUDIT).plaintext_size
        progress(done, total, "importing")
        files = stager.Staged(vault.blobs, zr, vault.folder, manifest.attachments,
                              identities, age_secrets, cancel=cancel, progress=progress, done=done,
                              total=total, on_staged=staging.blobs.append)
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
            files.abort()
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
