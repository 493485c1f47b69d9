"""Reading and writing records, each write audited in the caller's transaction.

The store never opens or commits a transaction itself: a use case opens one
(``Vault.transaction()``), makes every change it needs through the store and commits once, so an
edit and its audit entry land together or not at all.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from testimony_app import errors
from testimony_app.domain import codec
from testimony_app.domain.base import Record, utcnow
from testimony_app.domain.interview import Interview
from testimony_app.domain.registry import BY_NAME
from testimony_app.vault import audit, text_index
from testimony_app.vault.db import Connection
from testimony_app.vault.rows import columns, from_row, to_row

R = TypeVar("R", bound=Record)


@codec.per_class
def _insert_sql(cls: type[Record]) -> str:
    names = columns(cls)  # the order of to_row's keys
    return (f"INSERT INTO {cls.table} ({', '.join(names)}) "  # noqa: S608 - names from dataclasses
            f"VALUES ({', '.join('?' for _ in names)})")


class Store:
    def __init__(self, conn: Connection, device_id: str, actor: str = "local", *,
                 audit_batch: audit.Batch | None = None,
                 index_batch: text_index.Batch | None = None) -> None:
        self.conn = conn
        self.device_id = device_id
        self.actor = actor
        # Audit entries, and the text of inserted records, go there (flushed by their owner).
        self.audit_batch = audit_batch
        self.index_batch = index_batch

    # Reading -----------------------------------------------------------------------------

    def _select(self, cls: type[R], where: str, params: tuple[Any, ...]) -> list[R]:
        cols = columns(cls)
        sql = f"SELECT {', '.join(cols)} FROM {cls.table} WHERE {where}"  # noqa: S608 - names from dataclasses
        return [from_row(cls, dict(zip(cols, row, strict=True)))
                for row in self.conn.execute(sql, params)]

    def find(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R | None:
        rows = self._select(cls, "id = ?", (record_id,))
        if not rows or (rows[0].deleted_at and not include_deleted):
            return None
        return rows[0]

    def find_many(self, cls: type[R], record_ids: Sequence[str]) -> list[R]:
        """The stored records of these ids (deleted ones included), in no particular order."""
        if not record_ids:
            return []
        return self._select(cls, f"id IN ({', '.join('?' * len(record_ids))})",
                            tuple(record_ids))

    def get(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R:
        record = self.find(cls, record_id, include_deleted=include_deleted)
        if record is None:
            raise errors.NotFound(entity=cls.entity, id=record_id)
        return record

    def list(self, cls: type[R], *, include_deleted: bool = False, order_by: str = "created_at",
             **equals: Any) -> list[R]:
        known = set(columns(cls))
        if order_by not in known or any(k not in known for k in equals):
            raise ValueError("unknown column")
        clauses = [f"{k} = ?" for k in equals] or ["1"]
        if not include_deleted:
            clauses.append("deleted_at IS NULL")
        return self._select(cls, " AND ".join(clauses) + f" ORDER BY {order_by}, id",
                            tuple(equals.values()))

    def count(self, cls: type[Record], *, include_deleted: bool = False) -> int:
        where = "" if include_deleted else " WHERE deleted_at IS NULL"
        return int(self.conn.execute(f"SELECT count(*) FROM {cls.table}{where}").fetchone()[0])  # noqa: S608

    # Writing -----------------------------------------------------------------------------

    def _require_transaction(self) -> None:
        if not self.conn.in_transaction:
            raise RuntimeError("writes need an open transaction")

    def _check_refs(self, record: Record) -> None:
        for s in codec.specs(type(record)):
            target_id = getattr(record, s.name)
            if s.ref and target_id:
                target = BY_NAME[s.ref]
                found = self.conn.execute(
                    f"SELECT 1 FROM {target.table} WHERE id = ?", (target_id,)).fetchone()  # noqa: S608
                if not found:
                    raise errors.InvalidRecords(where=f"{record.entity}.{s.name}",
                                                problem=f"{s.ref} {target_id}")

    def _check_not_locked(self, record: Record) -> None:
        interview_id = record.id if isinstance(record, Interview) else getattr(
            record, "interview_id", None)
        if not interview_id:
            return
        row = self.conn.execute("SELECT status FROM interview WHERE id = ?",
                                (interview_id,)).fetchone()
        if row and row[0] == "locked":
            raise errors.RecordLocked(id=interview_id)

    def _write(self, record: Record, *, insert: bool) -> None:
        row = to_row(record)
        if insert:
            self.conn.execute(_insert_sql(type(record)), tuple(row.values()))
            if self.index_batch is not None:
                self.index_batch.add(record)
                return
        else:
            names = list(row)
            sets = ", ".join(f"{n} = ?" for n in names if n != "id")
            self.conn.execute(f"UPDATE {record.table} SET {sets} WHERE id = ?",  # noqa: S608
                              (*[row[n] for n in names if n != "id"], record.id))
        text_index.update(self.conn, record, new=insert)

    def _audit(self, record: Record, action: str, digest: str | None = None) -> None:
        summary = None if digest else codec.to_dict(record)
        write = self.audit_batch.append if self.audit_batch is not None else functools.partial(
            audit.append, self.conn)
        write(device_id=self.device_id, actor=self.actor, entity=record.entity,
              entity_id=record.id, action=action, summary=summary, digest=digest)

    def add(self, record: R) -> R:
        """Insert a new record (rev 1); returns it as stored."""
        self._require_transaction()
        codec.validate(record, record.entity)
        if self.conn.execute(f"SELECT 1 FROM {record.table} WHERE id = ?",  # noqa: S608
                             (record.id,)).fetchone():
            raise errors.InvalidRecords(where=f"{record.entity}.id", problem=record.id)
        now = utcnow()
        stored = dataclasses.replace(record, created_at=now, updated_at=now,
                                     origin_device=record.origin_device or self.device_id,
                                     rev=1, deleted_at=None)
        self._check_refs(stored)
        self._check_not_locked(stored)
        self._write(stored, insert=True)
        self._audit(stored, "create")
        return stored

    def update(self, record: R) -> R:
        """Store an edited record. ``record.rev`` must be the stored rev (no lost updates)."""
        self._require_transaction()
        current = self.get(type(record), record.id, include_deleted=True)
        if current.rev != record.rev:
            raise errors.StaleRecord(entity=record.entity, id=record.id)
        self._check_not_locked(current)
        codec.validate(record, record.entity)
        stored = dataclasses.replace(
            record, created_at=current.created_at, origin_device=current.origin_device,
            updated_at=utcnow(), rev=current.rev + 1, deleted_at=current.deleted_at)
        if isinstance(stored, Interview) and stored.status == "locked":
            body = codec.to_dict(dataclasses.replace(stored, locked_hash=None))
            stored = dataclasses.replace(stored, locked_hash=audit.summary_hash(body))
        self._check_refs(stored)
        self._write(stored, insert=False)
        self._audit(stored, "update")
        return stored

    def edit(self, cls: type[R], record_id: str, **changes: Any) -> R:
        """Apply field changes to the stored record (autosave of single fields)."""
        current = self.get(cls, record_id)
        bad = set(changes) & {"id", "created_at", "updated_at", "origin_device", "rev",
                              "deleted_at"}
        if bad:
            raise ValueError(f"system fields cannot be edited: {sorted(bad)}")
        return self.update(dataclasses.replace(current, **changes))

    def delete(self, cls: type[R], record_id: str) -> R:
        """Tombstone a record: it stays (so it is not re-sent or resurrected) but is hidden."""
        self._require_transaction()
        current = self.get(cls, record_id)
        self._check_not_locked(current)
        now = utcnow()
        stored = dataclasses.replace(current, deleted_at=now, updated_at=now, rev=current.rev + 1)
        self._write(stored, insert=False)
        self._audit(stored, "delete")
        return stored

    # Sync (used by testimony_app.sync) ----------------------------------------------------

    def put_replica(self, record: R, *, action: str, exists: bool | None = None,
                    validated: bool = False, content_sha256: str | None = None) -> R:
        """Store a revision made on another device exactly as it was made there (its id, rev,
        origin and times), inserting it or replacing the stored row, with its text index and
        an audit entry. A caller that knows whether the row ``exists``, or that the record
        was ``validated`` (``codec.from_dict`` validates), saves those queries. The audit
        entry's summary hash is the revision's ``content_sha256`` (``sync.payload``) when given
        (a bundle import, which has it from the bundle), else the usual one.

        Which revision wins, what goes to history and what is a conflict is decided by the
        caller (``sync.merge``), which also checks references once a whole bundle is in (a
        bundle's records may refer to each other in any order). Locks are about local edits:
        an origin's revision of an interview it locked is still stored.
        """
        self._require_transaction()
        if not validated:
            codec.validate(record, record.entity)
        if exists is None:
            exists = self.conn.execute(f"SELECT 1 FROM {record.table} WHERE id = ?",  # noqa: S608
                                       (record.id,)).fetchone() is not None
        self._write(record, insert=not exists)
        self._audit(record, action, content_sha256)
        return record

    def purge(self, cls: type[R], record_id: str) -> R:
        """Blank a record's content and leave a tombstone, audited.

        For testimonies the organisation acknowledged, so a seized laptop holds less. What
        stays: the id and system fields (so the record is neither re-sent nor resurrected),
        references (ids only) and required vocabulary ids. A locked interview can be purged.
        """
        self._require_transaction()
        current = self.get(cls, record_id, include_deleted=True)
        blank: dict[str, Any] = {}
        for s in codec.user_fields(cls):
            if s.ref or (s.vocab and s.required):
                continue
            if s.kind in (codec.STRS, codec.VALUES):
                blank[s.name] = ()
            elif s.optional or s.kind == codec.DATE:
                blank[s.name] = None
            else:
                blank[s.name] = {codec.STR: "", codec.BOOL: False, codec.INT: 0,
                                 codec.FLOAT: 0.0}[s.kind]
        now = utcnow()
        stored = dataclasses.replace(current, **blank, deleted_at=current.deleted_at or now,
                                     updated_at=now, rev=current.rev + 1)
        self._write(stored, insert=False)
        self._audit(stored, "purge")
        return stored
