"""Schema 3: organisations, device trust, bundles, receipts, record history and conflicts.

Frozen once released: never edit; add a new step instead.

* ``sync_org`` / ``sync_org_key``: the organisation this vault belongs to (or coordinates),
  its age recipients with the import identities this vault holds, and their retirement.
* ``device.trusted_at``: when a coordinator confirmed a field device's fingerprint.
* ``sync_bundle``: every bundle sent or received, per-device sequence numbers, acknowledgement.
* ``sync_received`` (coordinator): the last revision of each record received from its origin;
  what receipts acknowledge and what tells a local edit from an origin edit.
* ``sync_history``: older revisions kept when a merge replaced or outran them.
* ``sync_conflict``: concurrent edits, with the incoming version, until resolved.
* ``sync_delivered`` (field vault): revisions the organisation acknowledged; purge marks.
* ``sync_peer_audit`` (coordinator): audit entries of other devices, as received.
* ``sync_receipt``: receipts created or applied.
"""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = """
CREATE TABLE sync_org (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    signing_key BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    enrollment_version INTEGER NOT NULL,
    enrollment BLOB,
    joined_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE sync_org_key (
    recipient TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    identity TEXT,
    added_at TEXT NOT NULL,
    added_version INTEGER NOT NULL,
    retired_at TEXT,
    retired_version INTEGER
);
ALTER TABLE device ADD COLUMN trusted_at TEXT;
CREATE TABLE sync_bundle (
    id TEXT PRIMARY KEY NOT NULL,
    direction TEXT NOT NULL,
    device_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    previous_id TEXT,
    created_at TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    records INTEGER NOT NULL,
    attachments INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    acknowledged_at TEXT,
    receipt_id TEXT
);
CREATE INDEX sync_bundle_device ON sync_bundle(device_id, sequence);
CREATE TABLE sync_received (
    record_id TEXT PRIMARY KEY NOT NULL,
    entity TEXT NOT NULL,
    device_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    bundle_id TEXT NOT NULL
);
CREATE INDEX sync_received_device ON sync_received(device_id);
CREATE TABLE sync_history (
    seq INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    origin_device TEXT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    reason TEXT NOT NULL,
    bundle_id TEXT,
    kept_at TEXT NOT NULL
);
CREATE INDEX sync_history_record ON sync_history(record_id);
CREATE TABLE sync_conflict (
    id TEXT PRIMARY KEY NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    local_rev INTEGER NOT NULL,
    local_sha256 TEXT NOT NULL,
    incoming_rev INTEGER NOT NULL,
    incoming_sha256 TEXT NOT NULL,
    incoming TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT
);
CREATE INDEX sync_conflict_record ON sync_conflict(record_id);
CREATE TABLE sync_delivered (
    record_id TEXT PRIMARY KEY NOT NULL,
    entity TEXT NOT NULL,
    rev INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    receipt_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    purged_at TEXT
);
CREATE TABLE sync_peer_audit (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    summary_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    PRIMARY KEY (device_id, hash)
);
CREATE INDEX sync_peer_audit_entity ON sync_peer_audit(entity_id);
CREATE TABLE sync_receipt (
    id TEXT PRIMARY KEY NOT NULL,
    direction TEXT NOT NULL,
    device_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    bundles INTEGER NOT NULL,
    records INTEGER NOT NULL
);
"""


def apply(conn: Connection) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
