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
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar, cast

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
)
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipWriter
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault

T = TypeVar("T")
SUFFIX = ".tbundle"
_THREADED = 4 << 20  # hash and write larger parts on a helper thread
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


def _pending(vault: Vault, cls: type[Record], delivered: dict[str, tuple[str, bool]]
             ) -> list[Record]:
    out: list[Record] = []
    for record in vault.store.list(cls, include_deleted=True, origin_device=vault.device.id):
        mark = delivered.get(record.id)
        if mark and (mark[1] or mark[0] == payload.content_sha256(record)):
            continue
        out.append(record)
    return out


def _files(pending: Iterable[Record], delivered: dict[str, tuple[str, bool]]
           ) -> tuple[Attachment, ...]:
    # A deleted attachment's file goes too: its tombstone is evidence that it existed.
    return tuple(r for r in pending if isinstance(r, Attachment) and r.id not in delivered
                 and r.blob_name)


def plan(vault: Vault, interview_ids: Iterable[str] | None = None) -> Plan:
    """What the next bundle will hold."""
    org.require(vault.conn)
    delivered = _delivered(vault)
    pending = [r for cls in ENTITIES for r in _pending(vault, cls, delivered)]
    if interview_ids is not None:
        pending = _selected(pending, set(interview_ids))
    return Plan(tuple(pending), _files(pending, delivered))


def _pending_files(vault: Vault) -> tuple[Attachment, ...]:
    """The files of the next full bundle (``plan(vault).files``), from the attachments alone:
    they can stream while the rest of the plan is made."""
    delivered = _delivered(vault)
    return _files(_pending(vault, Attachment, delivered), delivered)


class _Snapshot:
    """A read transaction: every query until :meth:`end` sees the vault as it was at the first
    one (WAL: other connections may write meanwhile), so files chosen early and the plan made
    later agree."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._open = not conn.in_transaction
        if self._open:
            conn.execute("BEGIN")

    def end(self) -> None:
        if self._open:
            self._open = False
            self._conn.execute("ROLLBACK")  # nothing was written


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


def _part(zw: ZipWriter, blob_id: str, size_hint: int,
          encrypt: Callable[[BinaryIO], agefile.Part]) -> agefile.Part:
    with zw.open(mf.entry_name(blob_id), expected_size=stream.ciphertext_size(size_hint)
                 + 4096 * mf.MAX_RECIPIENTS) as entry:
        return encrypt(entry)


def _write_part(zw: ZipWriter, data: bytes, role: str, recipients: list[str],
                cancel: Cancel) -> mf.Blob:
    """Encrypt the records or audit part into ``blobs/<random id>.age``."""
    blob_id = secrets.token_hex(16)
    part = _part(zw, blob_id, len(data), lambda entry: agefile.encrypt(
        io.BytesIO(data), entry, recipients, cancel=cancel,
        threaded_output=len(data) > _THREADED))
    return mf.Blob(blob_id, role, None, part.plaintext_size, part.plaintext_sha256,
                   part.ciphertext_size, part.ciphertext_sha256)


def _write_attachment(vault: Vault, zw: ZipWriter, attachment: Attachment,
                      recipients: list[str], cancel: Cancel) -> mf.Blob:
    """The vault's blob, decrypted and encrypted again under a fresh file key chunk by chunk
    (the bundle never carries the vault's own ciphertext).

    The manifest's plaintext SHA-256 is the one the attachment record holds, not hashed again
    (a fifth of the export's work): every chunk of the blob is authenticated under its own file
    key, so its plaintext is exactly the one hashed when the blob was made (see
    ``BlobStore.reencrypt``), and its size is checked here. The coordinator hashes the
    plaintext again when it imports the bundle and refuses it if they differ."""
    blob_id = secrets.token_hex(16)

    def payload(file_key: bytes, out: BinaryIO) -> stream.StreamResult:
        return vault.blobs.reencrypt(attachment.blob_name, attachment.file_key, file_key, out,
                                     hash_plaintext=False, cancel=cancel)

    part = _part(zw, blob_id, attachment.size_bytes, lambda entry: agefile.encrypt_with(
        entry, recipients, payload, threaded_output=attachment.size_bytes > _THREADED))
    if part.plaintext_size != attachment.size_bytes:
        raise errors.BlobDamaged(id=attachment.id)
    return mf.Blob(blob_id, mf.ATTACHMENT, attachment.id, part.plaintext_size,
                   attachment.sha256, part.ciphertext_size, part.ciphertext_sha256)


class _Background(Generic[T]):
    """``work()`` on a helper thread; :meth:`result` waits for it and raises its error.

    For the attachments' streaming next to the plan and the records part (Python, and SQL on
    this thread's connection): the streaming releases the GIL in every AEAD, hash and I/O call
    and needs it back after each, so meanwhile the switch interval is lowered (1 ms instead of
    5) and restored afterwards."""

    _SWITCH_S = 0.001

    def __init__(self, work: Callable[[], T], *, threaded: bool = True) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._switch = sys.getswitchinterval()
        self._thread: threading.Thread | None = None
        if not threaded:  # nothing worth a thread: done by result()
            return
        sys.setswitchinterval(min(self._switch, self._SWITCH_S))
        self._thread = threading.Thread(target=self._run, name="bundle-files", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:
            self._error = exc

    def join(self) -> None:
        """Wait for the thread (idempotent); its error, if any, is left for :meth:`result`."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            sys.setswitchinterval(self._switch)

    def result(self) -> T:
        if self._thread is None and self._error is None and self._value is None:
            self._run()  # not threaded
        self.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)


def _write_files(vault: Vault, zw: ZipWriter, files: tuple[Attachment, ...],
                 recipients: list[str], progress: Progress, cancel: Cancel) -> list[mf.Blob]:
    total = sum(a.size_bytes for a in files)
    blobs: list[mf.Blob] = []
    for attachment in files:
        blobs.append(_write_attachment(vault, zw, attachment, recipients, cancel))
        progress(sum(b.plaintext_size for b in blobs), total, "exporting")  # thread-safe
    return blobs


def _write_parts(vault: Vault, zw: ZipWriter, the_plan: Plan | None,
                 files: tuple[Attachment, ...], interview_ids: Iterable[str] | None,
                 recipients: list[str], progress: Progress, cancel: Cancel
                 ) -> tuple[Plan, list[mf.Blob]]:
    """The attachment files stream into the ZIP on a helper thread while this one makes the
    plan (unless made already), the records part and the audit part; then those two are
    written. Returns the plan and the manifest's blobs (records, audit, attachments)."""
    stop = threading.Event()  # set if this thread fails: the files need not go on

    def stop_or_cancel() -> bool:
        return stop.is_set() or cancel()

    background = _Background(lambda: _write_files(vault, zw, files, recipients, progress,
                                                  stop_or_cancel), threaded=bool(files))
    try:
        if the_plan is None:
            the_plan = plan(vault, interview_ids)
        if [a.id for a in the_plan.files] != [a.id for a in files]:  # pragma: no cover
            raise RuntimeError("the files to send changed while the plan was made")
        ids = {r.id for r in the_plan.records}
        records_gz, _ = payload.compress_lines(payload.transit(r) for r in the_plan.records)
        audit_gz, _ = payload.compress_lines(_audit_lines(vault, ids))
    except BaseException:
        stop.set()
        background.join()  # this thread's error is the one reported
        raise
    attachments = background.result()
    blobs = [_write_part(zw, records_gz, mf.RECORDS, recipients, cancel),
             _write_part(zw, audit_gz, mf.AUDIT, recipients, cancel), *attachments]
    total = the_plan.file_bytes
    progress(total, total, "exporting")
    return the_plan, blobs


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
    recipients = org.current_recipients(vault.conn)
    snapshot = _Snapshot(vault.conn)
    try:
        the_plan: Plan | None = None
        files = _pending_files(vault) if interview_ids is None else ()
        if not files:  # then the plan first (it may be empty); else while the files stream
            the_plan = plan(vault, interview_ids)
            if the_plan.empty:
                return None
            files = the_plan.files
        sequence, previous = _next_sequence(vault)
        bundle_id = new_id()
        created_at = utcnow()
        out_dir = Path(out_dir)
        if not out_dir.exists():  # never chmod a folder we did not make (a USB stick's root)
            fs.private_mkdir(out_dir)
        target = (out_dir / f"testimony-{created_at[:10].replace('-', '')}-{bundle_id[:8]}"
                  f"{SUFFIX}")
        with fs.atomic_writer(target) as fh:
            zw = ZipWriter(fh)
            try:
                the_plan, blobs = _write_parts(vault, zw, the_plan, files, interview_ids,
                                               recipients, progress, cancel)
                snapshot.end()
                manifest = mf.Manifest(
                    bundle_id=bundle_id, created_at=created_at,
                    organisation_id=organisation.id,
                    enrollment_version=organisation.enrollment_version,
                    device_id=vault.device.id, device_key=vault.device.public_key,
                    recipients=tuple(sorted(agefile.recipient_fingerprint(r)
                                            for r in recipients)),
                    sequence=sequence, previous_bundle_id=previous, blobs=tuple(blobs))
                sealed = mf.seal(manifest, vault.device_private_key())
                with zw.open(mf.MANIFEST_ENTRY, expected_size=stream.ciphertext_size(
                        len(sealed)) + 4096 * mf.MAX_RECIPIENTS) as entry:
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
                audit.append(vault.conn, device_id=vault.device.id, actor="local",
                             entity="bundle", entity_id=bundle_id, action="export",
                             summary={"manifest_sha256": manifest_sha, "sequence": sequence})
    finally:
        snapshot.end()
    return Exported(target, bundle_id, sequence, len(the_plan.records), len(the_plan.files),
                    size)


def entities_in(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts in the order of the data model (for showing what a bundle will hold)."""
    return [(name, counts[name]) for name in BY_NAME if name in counts]
