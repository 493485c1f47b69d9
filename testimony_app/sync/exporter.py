"""Writing a bundle: everything of this device the organisation has not acknowledged.

A record is sent when the organisation's last receipt does not name its current revision
(content hash); purged tombstones are never sent. An attachment's file is sent with its record
until some revision of that attachment was acknowledged (its bytes never change). A selection
of interviews may be sent instead; the records they refer to (people, sites) come along when
they are not acknowledged yet.

The bundle is written under a temporary name, each part streamed through age in constant
memory, flushed, fsynced and its size checked; the bundle is logged (sequence number, id) in
the same transaction as its audit entry, and only then renamed to its final name.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from testimony_app import errors, fs
from testimony_app.crypto import stream
from testimony_app.domain import codec
from testimony_app.domain.base import Record, new_id, utcnow
from testimony_app.domain.evidence import Attachment
from testimony_app.domain.registry import BY_NAME, ENTITIES
from testimony_app.sync import (
    Cancel,
    Progress,
    agefile,
    never_cancel,
    no_progress,
    org,
    payload,
    streams,
)
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipWriter
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault

SUFFIX = ".tbundle"
_THREADED = 4 << 20  # hash and write larger blobs on a helper thread
# Records that belong to an interview, and how (field name).
OWNER_FIELDS = {"consent": "interview_id", "capture": "interview_id", "episode": "interview_id",
                "act": "interview_id", "actor": "interview_id", "sighting": "interview_id",
                "attachment": "interview_id", "involvement": "act_id",
                "custody": "attachment_id"}


@dataclass(frozen=True)
class Plan:
    records: tuple[Record, ...]
    files: tuple[Attachment, ...]  # attachments whose file goes along

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            out[record.entity] = out.get(record.entity, 0) + 1
        return out

    @property
    def file_bytes(self) -> int:
        return sum(a.size_bytes for a in self.files)

    @property
    def empty(self) -> bool:
        return not self.records


@dataclass(frozen=True)
class Exported:
    path: Path
    bundle_id: str
    sequence: int
    records: int
    attachments: int
    size_bytes: int


def _delivered(vault: Vault) -> dict[str, tuple[str, bool]]:
    rows = vault.conn.execute("SELECT record_id, content_sha256, purged_at IS NOT NULL "
                              "FROM sync_delivered")
    return {r[0]: (r[1], bool(r[2])) for r in rows}


def _selected(pending: list[Record], interview_ids: set[str]) -> list[Record]:
    by_id = {r.id: r for r in pending}
    chosen = {i for i in interview_ids if i in by_id}
    changed = True
    while changed:  # records owned by chosen ones, then what chosen ones refer to
        changed = False
        for record in pending:
            owner_field = OWNER_FIELDS.get(record.entity)
            owner = getattr(record, owner_field) if owner_field else None
            if record.id not in chosen and owner in chosen:
                chosen.add(record.id)
                changed = True
            if record.id in chosen:
                for s in codec.specs(type(record)):
                    target = getattr(record, s.name) if s.ref else None
                    if target in by_id and target not in chosen:
                        chosen.add(target)
                        changed = True
    return [r for r in pending if r.id in chosen]


def plan(vault: Vault, interview_ids: Iterable[str] | None = None) -> Plan:
    """What the next bundle will hold."""
    org.require(vault.conn)
    delivered = _delivered(vault)
    pending: list[Record] = []
    for cls in ENTITIES:
        for record in vault.store.list(cls, include_deleted=True,
                                       origin_device=vault.device.id):
            mark = delivered.get(record.id)
            if mark and (mark[1] or mark[0] == payload.content_sha256(record)):
                continue
            pending.append(record)
    if interview_ids is not None:
        pending = _selected(pending, set(interview_ids))
    # A deleted attachment's file goes too: its tombstone is evidence that it existed.
    files = tuple(r for r in pending if isinstance(r, Attachment) and r.id not in delivered
                  and r.blob_name)
    return Plan(tuple(pending), files)


def _audit_lines(vault: Vault, ids: set[str]) -> Iterable[dict[str, Any]]:
    """This device's audit entries about the records sent (streamed: the log can be long)."""
    columns = ", ".join((*audit.FIELDS, "prev_hash", "hash"))
    cursor = vault.conn.execute(f"SELECT {columns} FROM audit_log WHERE device_id = ? "  # noqa: S608
                                "ORDER BY seq", (vault.device.id,))
    for row in cursor:
        entry = audit.AuditEntry(*row)
        if entry.entity_id in ids:
            yield payload.audit_line(entry)


def _next_sequence(vault: Vault) -> tuple[int, str | None]:
    row = vault.conn.execute("SELECT sequence, id FROM sync_bundle WHERE direction = 'sent' "
                             "ORDER BY sequence DESC LIMIT 1").fetchone()
    return (1, None) if row is None else (int(row[0]) + 1, str(row[1]))


def _write_part(zw: ZipWriter, src: Any, role: str, attachment_id: str | None,
                size_hint: int, recipients: list[str], cancel: Cancel,
                known_sha256: str | None = None) -> mf.Blob:
    """Encrypt one part into ``blobs/<random id>.age``. For an attachment the plaintext hash
    is the one recorded at ingest (the blob's AEAD already proves its bytes unchanged)."""
    blob_id = secrets.token_hex(16)
    expected = size_hint + size_hint // 4096 + 4096
    with zw.open(mf.entry_name(blob_id), expected_size=expected) as entry:
        pt_size, pt_sha, ct_size, ct_sha = agefile.encrypt(
            src, entry, recipients, cancel=cancel, hash_plaintext=known_sha256 is None,
            threaded_output=size_hint > _THREADED)
    return mf.Blob(blob_id, role, attachment_id, pt_size, known_sha256 or pt_sha,
                   ct_size, ct_sha)


def _write_attachment(vault: Vault, zw: ZipWriter, attachment: Attachment,
                      recipients: list[str], cancel: Cancel) -> mf.Blob:
    """The blob store decrypts (and re-hashes) on a helper thread while age encrypts here."""
    def produce(writer: BinaryIO) -> stream.StreamResult:
        return vault.blobs.export(attachment.blob_name, attachment.file_key, writer,
                                  cancel=cancel)

    def consume(reader: BinaryIO) -> mf.Blob:
        return _write_part(zw, reader, mf.ATTACHMENT, attachment.id, attachment.size_bytes,
                           recipients, cancel, known_sha256=attachment.sha256)

    result, blob = streams.pipe_through(produce, consume)
    if (result.plaintext_size, result.plaintext_sha256) != (attachment.size_bytes,
                                                            attachment.sha256):
        raise errors.BlobDamaged(id=attachment.id)
    return blob


def _write_parts(vault: Vault, zw: ZipWriter, the_plan: Plan, recipients: list[str],
                 progress: Progress, cancel: Cancel) -> list[mf.Blob]:
    ids = {r.id for r in the_plan.records}
    records_gz, _ = payload.compress_lines(payload.transit(r) for r in the_plan.records)
    audit_gz, _ = payload.compress_lines(_audit_lines(vault, ids))
    total = len(records_gz) + len(audit_gz) + the_plan.file_bytes
    blobs = [_write_part(zw, io.BytesIO(records_gz), mf.RECORDS, None, len(records_gz),
                         recipients, cancel),
             _write_part(zw, io.BytesIO(audit_gz), mf.AUDIT, None, len(audit_gz),
                         recipients, cancel)]
    done = len(records_gz) + len(audit_gz)
    progress(done, total, "exporting")
    for attachment in the_plan.files:
        blobs.append(_write_attachment(vault, zw, attachment, recipients, cancel))
        done += blobs[-1].plaintext_size
        progress(done, total, "exporting")
    return blobs


def _close_and_check(zw: ZipWriter, fh: BinaryIO) -> int:
    """Close the ZIP, flush and fsync, and check every byte reached the file."""
    zw.close()
    fh.flush()
    os.fsync(fh.fileno())
    size = fh.tell()
    if os.fstat(fh.fileno()).st_size != size:
        raise OSError("the bundle was not written completely (disk full?)")
    return size


def export_bundle(vault: Vault, out_dir: Path, *, interview_ids: Iterable[str] | None = None,
                  progress: Progress = no_progress,
                  cancel: Cancel = never_cancel) -> Exported | None:
    """Write the next bundle into ``out_dir``; None when there is nothing to send."""
    organisation = org.require(vault.conn)
    the_plan = plan(vault, interview_ids)
    if the_plan.empty:
        return None
    recipients = org.current_recipients(vault.conn)
    sequence, previous = _next_sequence(vault)
    bundle_id = new_id()
    created_at = utcnow()
    out_dir = Path(out_dir)
    if not out_dir.exists():  # never chmod a folder we did not make (a USB stick's root)
        fs.private_mkdir(out_dir)
    target = out_dir / f"testimony-{created_at[:10].replace('-', '')}-{bundle_id[:8]}{SUFFIX}"
    with fs.atomic_writer(target) as fh:
        zw = ZipWriter(fh)
        try:
            blobs = _write_parts(vault, zw, the_plan, recipients, progress, cancel)
            manifest = mf.Manifest(
                bundle_id=bundle_id, created_at=created_at, organisation_id=organisation.id,
                enrollment_version=organisation.enrollment_version, device_id=vault.device.id,
                device_key=vault.device.public_key,
                recipients=tuple(sorted(agefile.recipient_fingerprint(r) for r in recipients)),
                sequence=sequence, previous_bundle_id=previous, blobs=tuple(blobs))
            sealed = mf.seal(manifest, vault.device_private_key())
            with zw.open(mf.MANIFEST_ENTRY, expected_size=len(sealed) + 4096) as entry:
                agefile.encrypt(io.BytesIO(sealed), entry, recipients, cancel=cancel)
            size = _close_and_check(zw, fh)
        except BaseException:
            zw.abort()
            raise
        manifest_sha = hashlib.sha256(sealed).hexdigest()
        with vault.transaction():
            vault.conn.execute(
                "INSERT INTO sync_bundle (id, direction, device_id, sequence, previous_id, "
                "created_at, logged_at, manifest_sha256, records, attachments, size_bytes) "
                "VALUES (?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (bundle_id, vault.device.id, sequence, previous, created_at, utcnow(),
                 manifest_sha, len(the_plan.records), len(the_plan.files), size))
            audit.append(vault.conn, device_id=vault.device.id, actor="local", entity="bundle",
                         entity_id=bundle_id, action="export",
                         summary={"manifest_sha256": manifest_sha, "sequence": sequence})
    return Exported(target, bundle_id, sequence, len(the_plan.records), len(the_plan.files),
                    size)


def entities_in(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts in the order of the data model (for showing what a bundle will hold)."""
    return [(name, counts[name]) for name in BY_NAME if name in counts]
