"""Merging a verified bundle into the coordinator's vault, all or nothing, in one transaction.

For each incoming revision of a record (always from the record's origin device: the importer
refuses anything else), compared with the stored record and with the last revision received
from its origin (``sync_received``):

* not stored yet: stored as it is;
* identical to the stored one, or already received: nothing changes;
* the stored record is the origin's last revision (no local edit since) and the incoming rev
  is higher: the incoming revision replaces it, the stored one goes to ``sync_history``;
* the incoming rev is lower than one already received: it is older, kept in
  ``sync_history`` (bundles can arrive out of order);
* otherwise (the stored record was edited here since, or a different revision carries a rev
  number already received): both stay, the local one as the record and the incoming one in
  ``sync_conflict``, for a person to resolve.

Nothing is overwritten without its previous version being kept, and nothing is dropped.
Attachment files are staged in the blob store before the transaction (each kept as the
bundle's payload, under the file key its age header wrapped, once it decrypted to the signed
hashes) and get a ``received`` custody event. Each change is audited with the actor
``bundle:<bundle id>``, and the bundle itself gets an ``import`` entry.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from testimony_app import errors
from testimony_app.domain import codec
from testimony_app.domain.base import Record, new_id, utcnow
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.registry import BY_NAME
from testimony_app.sync import devices, envelope, payload
from testimony_app.sync import errors as e
from testimony_app.sync.manifest import Manifest
from testimony_app.vault import audit, db, text_index
from testimony_app.vault.blobs import StoredBlob
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

Lines = Iterator[tuple[int, dict[str, Any], str]]


class Staged(Protocol):
    """The attachment files staged for a bundle (``importer``): ``get`` may wait for one."""

    def get(self, attachment_id: str) -> StoredBlob | None: ...

    def wait(self) -> None:
        """Return once every file is staged; raise the staging error if one failed."""

_BATCH = 500  # records decoded, then looked up in the vault, together
# The page cache while a bundle merges (``db.page_cache``): 32 MiB holds most of the pages the
# merge of a thousand interviews keeps coming back to, for about 30 MB more at the import's
# peak (``bench/``: under 200 MB in all).
PAGE_CACHE_KIB = 32 * 1024


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0
    attachments: int = 0
    unused_blobs: list[str] = dataclasses.field(default_factory=list)


@codec.per_class
def _refs(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    """(field, entity it refers to) of each reference field."""
    return tuple((s.name, s.ref) for s in codec.specs(cls) if s.ref)


def _record(line: dict[str, Any], where: str, device_id: str) -> Record:
    cls = BY_NAME.get(line.get("entity"))  # type: ignore[arg-type]
    if cls is None:
        raise e.BundleRecordInvalid(where=where, problem="entity")
    data = dict(line)
    del data["entity"]
    try:
        record: Record = payload.from_transit(cls, data, where)
    except errors.InvalidRecords as exc:
        raise e.BundleRecordInvalid(where=where, problem=exc.params.get("problem", "")) from exc
    if not envelope.UUID.match(record.id) or record.rev < 1 or not all(
            isinstance(t, str) and envelope.TIME.match(t)
            for t in (record.created_at, record.updated_at)) or (
            record.deleted_at is not None and not envelope.TIME.match(record.deleted_at)):
        raise e.BundleRecordInvalid(where=where, problem="system fields")
    if record.origin_device != device_id:
        raise e.ForeignRecord(entity=record.entity, id=record.id)
    if payload.transit(record) != line:  # one encoding per revision: hashes must agree
        raise e.BundleRecordInvalid(where=where, problem="not in canonical form")
    if isinstance(record, Attachment) and (record.blob_name or record.file_key):
        raise e.BundleRecordInvalid(where=where, problem="local fields")
    return record


class Merger:
    """Create inside the import's transaction: audit entries and the bookkeeping rows are
    gathered and written together by :meth:`flush`, before the commit."""

    def __init__(self, vault: Vault, manifest: Manifest, staged: Staged) -> None:
        self.vault = vault
        self.conn = vault.conn
        self.m = manifest
        self.staged = staged
        self.audit = audit.Batch(vault.conn)
        self.index = text_index.Batch(vault.conn)
        self.store = Store(vault.conn, vault.device.id, actor=f"bundle:{manifest.bundle_id}",
                           audit_batch=self.audit, index_batch=self.index)
        self.counts = Counts()
        # (entity, id, target entity, target id) of each reference, checked at the end (not
        # the records themselves: a bundle's records are not all held in memory at once)
        self.refs: list[tuple[str, str, str, str]] = []
        self.seen: set[str] = set()
        self.matched: set[str] = set()
        self._received_rows: list[tuple[Any, ...]] = []
        self._peer_rows: list[tuple[Any, ...]] = []
        # Attachment records wait for their files (staged meanwhile): merged last.
        self._deferred: list[tuple[Record, str, Record | None]] = []

    # bookkeeping ------------------------------------------------------------------------

    def _received(self, record_id: str) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT rev, content_sha256 FROM sync_received "
                                "WHERE record_id = ?", (record_id,)).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def _set_received(self, record: Record, sha: str) -> None:
        """Remember the origin's latest revision (written by :meth:`flush`; a record is in a
        bundle once, so nothing reads it back before)."""
        self._received_rows.append((record.id, record.entity, self.m.device_id, record.rev, sha,
                                    self.m.bundle_id))

    def flush(self) -> None:
        """Write what was gathered (never going back to an older revision received)."""
        self.conn.executemany(
            "INSERT INTO sync_received (record_id, entity, device_id, rev, content_sha256, "
            "bundle_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
            "rev = excluded.rev, content_sha256 = excluded.content_sha256, "
            "bundle_id = excluded.bundle_id WHERE excluded.rev >= sync_received.rev",
            self._received_rows)
        self._received_rows = []
        self.conn.executemany(
            "INSERT OR IGNORE INTO sync_peer_audit (device_id, seq, at, actor, entity, "
            "entity_id, action, summary_hash, prev_hash, hash, bundle_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._peer_rows)
        self._peer_rows = []
        self.index.flush()
        self.audit.flush()

    def keep_in_history(self, record: Record, reason: str) -> None:
        content = envelope.canonical(payload.transit(record)).decode("utf-8")
        sha = payload.content_sha256(record)
        exists = self.conn.execute("SELECT 1 FROM sync_history WHERE record_id = ? AND "
                                   "content_sha256 = ?", (record.id, sha)).fetchone()
        if exists:
            return
        self.conn.execute(
            "INSERT INTO sync_history (entity, record_id, rev, origin_device, content, "
            "content_sha256, reason, bundle_id, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.entity, record.id, record.rev, record.origin_device, content, sha, reason,
             self.m.bundle_id, utcnow()))

    def _conflict(self, local: Record, incoming: Record, sha: str) -> None:
        for row in self.conn.execute("SELECT id, incoming FROM sync_conflict WHERE record_id = "
                                     "? AND resolved_at IS NULL", (local.id,)).fetchall():
            older = payload.from_transit(type(local), {k: v for k, v in envelope.loads_strict(
                row[1].encode()).items() if k != "entity"})
            self.keep_in_history(older, "superseded")
            self.conn.execute("UPDATE sync_conflict SET resolved_at = ?, resolution = "
                              "'superseded' WHERE id = ?", (utcnow(), row[0]))
        conflict_id = new_id()
        self.conn.execute(
            "INSERT INTO sync_conflict (id, entity, record_id, bundle_id, device_id, local_rev, "
            "local_sha256, incoming_rev, incoming_sha256, incoming, raised_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conflict_id, local.entity, local.id, self.m.bundle_id, self.m.device_id, local.rev,
             payload.content_sha256(local), incoming.rev, sha,
             envelope.canonical(payload.transit(incoming)).decode("utf-8"), utcnow()))
        self.audit.append(device_id=self.vault.device.id, actor=self.store.actor,
                          entity=local.entity, entity_id=local.id, action="sync_conflict",
                          summary={"conflict": conflict_id, "incoming_sha256": sha})
        self.counts.conflicts += 1

    # attachments ------------------------------------------------------------------------

    def _with_local_file(self, record: Record, local: Record | None) -> Record:
        if not isinstance(record, Attachment):
            return record
        staged = self.staged.get(record.id)
        if staged is not None:
            self.matched.add(record.id)
        if isinstance(local, Attachment):
            if local.sha256 != record.sha256 or local.size_bytes != record.size_bytes or (
                    staged is not None and staged.sha256 != local.sha256):
                raise e.AttachmentChanged(id=record.id)
            if staged is not None:
                self.counts.unused_blobs.append(staged.blob_name)
            return dataclasses.replace(record, blob_name=local.blob_name,
                                       file_key=local.file_key)
        if record.deleted_at and staged is None:
            return record
        if staged is None:
            raise e.AttachmentBlobMissing(id=record.id)
        if staged.sha256 != record.sha256 or staged.size != record.size_bytes:
            raise e.AttachmentChanged(id=record.id)
        return dataclasses.replace(record, blob_name=staged.blob_name, file_key=staged.file_key)

    def _received_custody(self, attachment: Attachment) -> None:
        self.store.add(CustodyEvent(
            attachment_id=attachment.id, at=utcnow(), actor=self.store.actor, action="received",
            medium=f"bundle {self.m.bundle_id} from device {self.m.device_fingerprint}",
            hash_observed=attachment.sha256, hash_matches=True))
        self.counts.attachments += 1

    # records ----------------------------------------------------------------------------

    def merge_all(self, lines: Lines) -> None:
        """Merge every record line, in batches: decoded and checked first, then looked up in
        the vault with one query per table, then merged one by one in order; attachment
        records are kept for :meth:`merge_attachments`, so their files are staged meanwhile."""
        batch: list[tuple[int, dict[str, Any], str]] = []
        for item in lines:
            batch.append(item)
            if len(batch) == _BATCH:
                self._merge_batch(batch)
                batch = []
        if batch:
            self._merge_batch(batch)

    def _merge_batch(self, batch: list[tuple[int, dict[str, Any], str]]) -> None:
        decoded: list[tuple[Record, str, str]] = []
        for number, line, sha in batch:
            where = f"records[{number}]"
            incoming = _record(line, where, self.m.device_id)
            if incoming.id in self.seen:
                raise e.BundleRecordInvalid(where=where, problem="record twice in the bundle")
            self.seen.add(incoming.id)
            for name, target in _refs(type(incoming)):
                target_id = getattr(incoming, name)
                if target_id:
                    self.refs.append((incoming.entity, incoming.id, target, target_id))
            decoded.append((incoming, sha, where))
        ids = [r.id for r, _, _ in decoded]
        marks = ", ".join("?" * len(ids))
        held: dict[str, str] = {}  # id -> the entity whose table holds it
        for cls in BY_NAME.values():
            for (record_id,) in self.conn.execute(
                    f"SELECT id FROM {cls.table} WHERE id IN ({marks})", ids):  # noqa: S608
                held.setdefault(record_id, cls.entity)
        locals_: dict[str, Record] = {}
        by_entity: dict[str, list[str]] = {}
        for record, _, _ in decoded:
            if held.get(record.id) == record.entity:
                by_entity.setdefault(record.entity, []).append(record.id)
        for entity, entity_ids in by_entity.items():
            for local in self.store.find_many(BY_NAME[entity], entity_ids):
                locals_[local.id] = local
        for incoming, sha, where in decoded:
            if incoming.id in held and incoming.id not in locals_:
                raise e.BundleRecordInvalid(where=where, problem="id of another kind of record")
            if isinstance(incoming, Attachment):
                self._deferred.append((incoming, sha, locals_.get(incoming.id)))
            else:
                self._merge_one(incoming, sha, locals_.get(incoming.id))
        self.index.flush()  # the text of a batch is not kept for the whole bundle

    def merge_attachments(self) -> None:
        """Merge the attachment records, whose files :meth:`merge_all` did not wait for."""
        for incoming, sha, local in self._deferred:
            self._merge_one(incoming, sha, local)
        self._deferred = []

    def _merge_one(self, incoming: Record, sha: str, local: Record | None) -> None:
        """Merge one decoded record; ``sha`` is the hash of its line (its content hash)."""
        if local is not None and local.origin_device != incoming.origin_device:
            raise e.ForeignRecord(entity=incoming.entity, id=incoming.id)
        incoming = self._with_local_file(incoming, local)
        if local is None:
            self.store.put_replica(incoming, action="sync_create", exists=False,
                                   validated=True, content_sha256=sha)
            self._set_received(incoming, sha)
            self.counts.created += 1
            if isinstance(incoming, Attachment) and incoming.blob_name:
                self._received_custody(incoming)
            return
        local_sha = payload.content_sha256(local)
        received = self._received(incoming.id)
        if local_sha == sha or (received is not None and received[1] == sha):
            self._set_received(incoming, sha)
            self.counts.unchanged += 1
            return
        diverged = received is None or received[1] != local_sha  # edited here since
        if received is not None and incoming.rev < received[0]:
            self.keep_in_history(incoming, "older")
            self.counts.older += 1
        elif not diverged and incoming.rev > local.rev:
            self.keep_in_history(local, "replaced")
            self.store.put_replica(incoming, action="sync_update", exists=True, validated=True,
                                   content_sha256=sha)
            self._set_received(incoming, sha)
            self.counts.updated += 1
        else:
            self._conflict(local, incoming, sha)
            self._set_received(incoming, sha)

    def check_references(self) -> None:
        for entity, record_id, target, target_id in self.refs:
            table = BY_NAME[target].table
            if target_id not in self.seen and self.conn.execute(
                    f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)).fetchone() is None:  # noqa: S608
                raise e.DanglingReference(entity=entity, id=record_id, target=target,
                                          target_id=target_id)
        for blob in self.m.attachments:
            if blob.attachment_id not in self.matched:
                raise e.BundleRecordInvalid(where=f"blob {blob.id}",
                                            problem="no attachment record for this file")

    def peer_audit(self, lines: Lines) -> None:
        for number, line, _ in lines:
            entry = payload.parse_audit(line, f"audit[{number}]")
            if entry.device_id != self.m.device_id or audit.entry_hash(
                    entry.prev_hash, entry.body()) != entry.hash:
                raise e.AuditEntryInvalid(seq=entry.seq)
            self._peer_rows.append(
                (entry.device_id, entry.seq, entry.at, entry.actor, entry.entity,
                 entry.entity_id, entry.action, entry.summary_hash, entry.prev_hash, entry.hash,
                 self.m.bundle_id))


def _alongside(work: Callable[[], None], main: Callable[[], None]) -> None:
    """Run ``work`` on a thread while ``main`` runs on this one (``work`` must not use the
    database connection). Raises ``work``'s error first: it comes from the bundle."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised on the calling thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="bundle-audit", daemon=True)
    thread.start()
    try:
        main()
    finally:
        thread.join()
        if failed:
            raise failed[0]


def apply(vault: Vault, manifest: Manifest, manifest_sha256: str, records: Lines, audit_lines: Lines,
          staged: Staged, *, new_device: bool, label: str,
          size_bytes: int) -> Counts:
    """Merge everything in one transaction; any exception rolls all of it back."""
    with db.page_cache(vault.conn, PAGE_CACHE_KIB), vault.transaction():
        if new_device:
            devices.trust(vault.conn, vault.device.id, manifest.device_id, manifest.device_key,
                          label)
        merger = Merger(vault, manifest, staged)
        # Everything that does not need the attachment files runs while they are staged:
        merger.merge_all(records)

        def check_and_chain() -> None:
            merger.peer_audit(audit_lines)
            merger.audit.seal()

        # The interviews' search documents are made in SQLite, which lets go of the GIL
        # meanwhile: the origin's audit is read and checked, and ours chained, alongside.
        _alongside(check_and_chain, lambda: text_index.refresh_interviews(vault.conn))
        merger.flush()
        staged.wait()  # every file staged and verified before anything is committed
        merger.merge_attachments()
        merger.check_references()
        counts = merger.counts
        merger.flush()
        vault.conn.execute(
            "INSERT INTO sync_bundle (id, direction, device_id, sequence, previous_id, "
            "created_at, logged_at, manifest_sha256, records, attachments, size_bytes) "
            "VALUES (?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, manifest.device_id, manifest.sequence,
             manifest.previous_bundle_id, manifest.created_at, utcnow(), manifest_sha256,
             len(merger.seen), counts.attachments, size_bytes))
        audit.append(vault.conn, device_id=vault.device.id, actor=merger.store.actor,
                     entity="bundle", entity_id=manifest.bundle_id, action="import",
                     summary={"manifest_sha256": manifest_sha256, "device": manifest.device_id,
                              "sequence": manifest.sequence,
                              "counts": dataclasses.asdict(counts)})
    return counts
