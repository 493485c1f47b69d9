"""The append-only, hash-chained audit log.

Each entry is written in the same transaction as the change it records, and
``hash = SHA-256(prev_hash || canonical JSON of the entry)``, so removing, reordering or editing
any entry breaks every hash after it. ``summary_hash`` is the hash of the record as written:
the log proves what changed without repeating testimony content. (A revision received in a
bundle is hashed as it travelled: its content hash, ``sync.payload``, the hash receipts name.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from testimony_app.domain.base import utcnow
from testimony_app.vault.db import Connection

GENESIS = "0" * 64
FIELDS = ("seq", "at", "device_id", "actor", "entity", "entity_id", "action", "summary_hash")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    device_id: str
    actor: str
    entity: str
    entity_id: str
    action: str
    summary_hash: str
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(value: Any) -> bytes:
    return _CANONICAL.encode(value).encode()


def summary_hash(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def entry_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical(body)).hexdigest()


_INSERT = ("INSERT INTO audit_log (seq, at, device_id, actor, entity, entity_id, action, "
           "summary_hash, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)")


def _head(conn: Connection) -> tuple[int, str]:
    """(seq, hash) of the last entry; (0, GENESIS) for an empty log."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _entry(seq: int, prev: str, *, device_id: str, actor: str, entity: str, entity_id: str,
           action: str, summary: Any, digest: str | None = None, at: str | None = None
           ) -> tuple[AuditEntry, tuple[Any, ...]]:
    """The entry that follows ``(seq - 1, prev)``, and its row for ``_INSERT``. ``digest``,
    if given, is the summary's hash already computed (``summary`` is then not used); ``at``
    is the time of the change (now if not given)."""
    entry = AuditEntry(seq=seq, at=at or utcnow(), device_id=device_id, actor=actor,
                       entity=entity, entity_id=entity_id, action=action,
                       summary_hash=digest if digest is not None else summary_hash(summary),
                       prev_hash=prev, hash="")
    body = entry.body()
    entry = dataclasses.replace(entry, hash=entry_hash(prev, body))
    return entry, (*[body[f] for f in FIELDS], prev, entry.hash)


def append(conn: Connection, *, device_id: str, actor: str, entity: str, entity_id: str,
           action: str, summary: Any, digest: str | None = None) -> AuditEntry:
    """Append one entry; the caller's transaction must be open."""
    seq, prev = _head(conn)
    entry, row = _entry(seq + 1, prev, device_id=device_id, actor=actor, entity=entity,
                        entity_id=entity_id, action=action, summary=summary, digest=digest)
    conn.execute(_INSERT, row)
    return entry


class Batch:
    """Many entries appended in one transaction (a bundle import): each change is noted with
    its time as it happens, the chain is computed by :meth:`seal` (hashing, no database: it
    may run on another thread while the connection works) and written by :meth:`flush`
    (``executemany``), from the head read once.

    Create it inside the open transaction; until :meth:`flush`, nothing else may append to
    the log (the entries would collide). The caller flushes before it commits.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._seq, self._prev = _head(conn)
        self._pending: list[dict[str, Any]] = []
        self._rows: list[tuple[Any, ...]] = []

    def append(self, *, device_id: str, actor: str, entity: str, entity_id: str, action: str,
               summary: Any, digest: str | None = None) -> None:
        self._pending.append(dict(device_id=device_id, actor=actor, entity=entity,
                                  entity_id=entity_id, action=action, summary=summary,
                                  digest=digest, at=utcnow()))

    def seal(self) -> None:
        """Chain the entries noted so far."""
        for noted in self._pending:
            entry, row = _entry(self._seq + 1, self._prev, **noted)
            self._rows.append(row)
            self._seq, self._prev = entry.seq, entry.hash
        self._pending = []

    def flush(self) -> None:
        self.seal()
        if self._rows:
            self.conn.executemany(_INSERT, self._rows)
            self._rows = []


def entries(conn: Connection, *, entity_id: str | None = None) -> list[AuditEntry]:
    sql = f"SELECT {', '.join(FIELDS)}, prev_hash, hash FROM audit_log"  # noqa: S608 - constants
    params: tuple[Any, ...] = ()
    if entity_id is not None:
        sql += " WHERE entity_id = ?"
        params = (entity_id,)
    return [AuditEntry(*row) for row in conn.execute(sql + " ORDER BY seq", params)]


def verify(conn: Connection) -> list[str]:
    """Recompute the chain; returns the problems found (empty when intact)."""
    problems: list[str] = []
    prev, expected_seq = GENESIS, 1
    for entry in entries(conn):
        if entry.seq != expected_seq:
            problems.append(f"audit: entry {expected_seq} missing (found {entry.seq})")
        if entry.prev_hash != prev:
            problems.append(f"audit: entry {entry.seq} does not follow the previous entry")
        if entry_hash(entry.prev_hash, entry.body()) != entry.hash:
            problems.append(f"audit: entry {entry.seq} was altered")
        prev, expected_seq = entry.hash, entry.seq + 1
    return problems
