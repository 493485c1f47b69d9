"""The coordinator's registry of field devices: who may send bundles.

A device is identified by its id (= its vault id) and its Ed25519 key; people compare the key's
fingerprint. A device enters the registry only when a person confirms that fingerprint (the
Sync page's dialog, ``--trust-device FPR`` on the command line); it may carry a label (the
interviewer's name or code, kept encrypted). A revoked device's later bundles are refused,
whatever date they claim (a key that had to be revoked may be in other hands).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from testimony_app.crypto import keys
from testimony_app.domain.base import utcnow
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from testimony_app.vault.db import Connection

MAX_LABEL = 120
_HEX = re.compile(r"[^0-9A-F]")


@dataclass(frozen=True)
class Device:
    id: str
    fingerprint: str
    label: str
    added_at: str
    trusted_at: str | None
    revoked_at: str | None
    is_self: bool
    bundles: int
    last_sequence: int

    @property
    def status(self) -> str:
        if self.is_self:
            return "this vault"
        return "revoked" if self.revoked_at else "trusted"


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint typed with any spacing or case; return the grouped form."""
    digits = _HEX.sub("", text.upper())
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def list_devices(conn: Connection) -> list[Device]:
    rows = conn.execute(
        "SELECT d.id, d.fingerprint, d.label, d.added_at, d.trusted_at, d.revoked_at, "
        "d.is_self, (SELECT count(*) FROM sync_bundle b WHERE b.device_id = d.id "
        "AND b.direction = 'received'), (SELECT coalesce(max(sequence), 0) FROM sync_bundle b "
        "WHERE b.device_id = d.id AND b.direction = 'received') "
        "FROM device d ORDER BY d.is_self DESC, d.added_at, d.id")
    return [Device(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), int(r[7]), int(r[8]))
            for r in rows]


def find(conn: Connection, ref: str) -> Device:
    """A device by id or fingerprint (any spacing or case)."""
    wanted = normalise_fingerprint(ref)
    for device in list_devices(conn):
        if device.id == ref.strip().lower() or (len(wanted) >= 19
                                                and device.fingerprint.startswith(wanted)):
            return device
    raise e.DeviceUnknown(device=ref.strip()[:60])


def display_name(conn: Connection, device_id: str) -> str:
    row = conn.execute("SELECT label, fingerprint FROM device WHERE id = ?",
                       (device_id,)).fetchone()
    if row is None:
        return device_id
    return f"{row[0]} ({row[1]})" if row[0] else str(row[1])


def check_sender(conn: Connection, device_id: str, public_key: bytes,
                 confirmed: Iterable[str] = ()) -> bool:
    """Refuse an unknown, revoked or re-keyed sender. Returns True when the sender is new and
    its fingerprint was confirmed (the caller then registers it with :func:`trust`)."""
    fingerprint = keys.fingerprint(public_key)
    row = conn.execute("SELECT public_key, revoked_at, is_self FROM device WHERE id = ?",
                       (device_id,)).fetchone()
    if row is not None:
        if bytes(row[0]) != public_key or row[2]:
            raise e.DeviceKeyChanged(device=device_id)
        if row[1]:
            raise e.DeviceRevoked(device=display_name(conn, device_id), date=row[1][:10])
        return False
    other = conn.execute("SELECT id, revoked_at FROM device WHERE public_key = ?",
                         (public_key,)).fetchone()
    if other is not None:
        raise e.DeviceKeyChanged(device=device_id)
    if fingerprint not in {normalise_fingerprint(f) for f in confirmed}:
        raise e.UnknownDevice(device=device_id, fingerprint=fingerprint)
    return True


def trust(conn: Connection, self_id: str, device_id: str, public_key: bytes,
          label: str = "") -> None:
    """Register a device whose fingerprint a person confirmed; caller's transaction."""
    now = utcnow()
    fingerprint = keys.fingerprint(public_key)
    conn.execute("INSERT INTO device (id, public_key, fingerprint, label, added_at, is_self, "
                 "trusted_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                 (device_id, public_key, fingerprint, label.strip()[:MAX_LABEL], now, now))
    audit.append(conn, device_id=self_id, actor="local", entity="device", entity_id=device_id,
                 action="trust", summary={"fingerprint": fingerprint})


def revoke(conn: Connection, self_id: str, ref: str) -> Device:
    device = find(conn, ref)
    if device.is_self:
        raise e.DeviceUnknown(device=ref.strip()[:60])
    if not device.revoked_at:
        conn.execute("UPDATE device SET revoked_at = ? WHERE id = ?", (utcnow(), device.id))
        audit.append(conn, device_id=self_id, actor="local", entity="device",
                     entity_id=device.id, action="revoke",
                     summary={"fingerprint": device.fingerprint})
    return find(conn, device.id)


def set_label(conn: Connection, self_id: str, ref: str, label: str) -> Device:
    device = find(conn, ref)
    conn.execute("UPDATE device SET label = ? WHERE id = ?",
                 (label.strip()[:MAX_LABEL], device.id))
    audit.append(conn, device_id=self_id, actor="local", entity="device", entity_id=device.id,
                 action="label", summary={"label": label.strip()[:MAX_LABEL]})
    return find(conn, device.id)
