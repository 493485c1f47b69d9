"""Conflicts a merge raised, and their resolution by a person (coordinator).

A conflict holds the incoming version of a record that was edited here in the meantime. The
coordinator keeps the local version, takes the incoming one, or saves a merge of both (any
field values); the version not kept goes to ``sync_history``. Every resolution is audited.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from testimony_app.domain import codec
from testimony_app.domain.base import SYSTEM_FIELDS, Record, utcnow
from testimony_app.domain.evidence import Attachment
from testimony_app.domain.registry import BY_NAME
from testimony_app.sync import envelope, payload
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

KEEP_LOCAL, TAKE_INCOMING, MERGED = "local", "incoming", "merged"


@dataclass(frozen=True)
class Conflict:
    id: str
    entity: str
    record_id: str
    bundle_id: str
    device_id: str
    raised_at: str
    local: Record
    incoming: Record


def _incoming(entity: str, text: str) -> Record:
    data = envelope.loads_strict(text.encode("utf-8"))
    return payload.from_transit(BY_NAME[entity],  # type: ignore[no-any-return]
                                {k: v for k, v in data.items() if k != "entity"})


def list_open(vault: Vault) -> list[Conflict]:
    out = []
    for row in vault.conn.execute(
            "SELECT id, entity, record_id, bundle_id, device_id, raised_at, incoming "
            "FROM sync_conflict WHERE resolved_at IS NULL ORDER BY raised_at, id").fetchall():
        local = vault.store.get(BY_NAME[row[1]], row[2], include_deleted=True)
        out.append(Conflict(row[0], row[1], row[2], row[3], row[4], row[5], local,
                            _incoming(row[1], row[6])))
    return out


def _history(vault: Vault, record: Record, reason: str, bundle_id: str) -> None:
    vault.conn.execute(
        "INSERT INTO sync_history (entity, record_id, rev, origin_device, content, "
        "content_sha256, reason, bundle_id, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.entity, record.id, record.rev, record.origin_device,
         envelope.canonical(payload.transit(record)).decode("utf-8"),
         payload.content_sha256(record), reason, bundle_id, utcnow()))


def resolve(vault: Vault, conflict_id: str, choice: str,
            fields: dict[str, Any] | None = None) -> Record:
    """Resolve an open conflict; returns the record as it now stands."""
    conflict = next((c for c in list_open(vault) if c.id == conflict_id), None)
    if conflict is None or choice not in (KEEP_LOCAL, TAKE_INCOMING, MERGED):
        raise e.ConflictNotFound(id=conflict_id[:40])
    with vault.transaction() as store:
        current = store.get(type(conflict.local), conflict.record_id, include_deleted=True)
        if choice == KEEP_LOCAL:
            _history(vault, conflict.incoming, "conflict_not_taken", conflict.bundle_id)
            result = current
        elif choice == TAKE_INCOMING:
            # The origin's revision as it is, so the origin's later edits apply cleanly.
            _history(vault, current, "conflict_not_taken", conflict.bundle_id)
            incoming = conflict.incoming
            if isinstance(current, Attachment) and isinstance(incoming, Attachment):
                incoming = dataclasses.replace(incoming, blob_name=current.blob_name,
                                               file_key=current.file_key)
            result = Store(vault.conn, vault.device.id).put_replica(
                incoming, action="conflict_take_incoming")
        else:
            changes = {k: v for k, v in (fields or {}).items() if k not in SYSTEM_FIELDS}
            merged = codec.from_dict(type(current), {
                **{k: v for k, v in codec.to_dict(current).items()}, **changes})
            _history(vault, conflict.incoming, "conflict_merged", conflict.bundle_id)
            result = store.update(dataclasses.replace(merged, rev=current.rev))
        vault.conn.execute("UPDATE sync_conflict SET resolved_at = ?, resolution = ? "
                           "WHERE id = ?", (utcnow(), choice, conflict_id))
        audit.append(vault.conn, device_id=vault.device.id, actor="local",
                     entity=conflict.entity, entity_id=conflict.record_id,
                     action=f"conflict_{choice}", summary={"conflict": conflict_id})
    return result
