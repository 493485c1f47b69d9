"""Receipts: the coordinator tells a field device what it holds, signed by the organisation.

A receipt is a signed envelope (``envelope``) of kind ``receipt``, signed with the
organisation's key that the field vault learned at enrollment::

    {"format": "testimony-receipt/1", "receipt_id": "<uuid>", "created_at": "…",
     "organisation": "<uuid>", "device_id": "<uuid>",
     "bundles": [{"id": "<uuid>", "sequence": 1}, …],
     "records": [{"entity": "interview", "id": "<uuid>", "rev": 3, "sha256": "<hex>"}, …]}

One receipt concerns one device, so a seized laptop's receipt says nothing about other
interviewers. Applying it marks the named bundles acknowledged and the named revisions
delivered (never lowering an earlier mark); what changed since is sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from testimony_app.domain.base import new_id, utcnow
from testimony_app.domain.registry import BY_NAME
from testimony_app.sync import devices, envelope, org, payload
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault

FORMAT = "testimony-receipt/1"
KIND = "receipt"
MAX_RECEIPT = 256 << 20
MAX_ITEMS = 5_000_000


@dataclass(frozen=True)
class Created:
    data: bytes
    receipt_id: str
    device_id: str
    bundles: int
    records: int


@dataclass(frozen=True)
class Applied:
    receipt_id: str
    bundles: int
    delivered: int
    changed_since: int
    already_applied: bool


def _pick_device(vault: Vault, ref: str | None) -> str:
    if ref:
        return devices.find(vault.conn, ref).id
    rows = vault.conn.execute("SELECT DISTINCT device_id FROM sync_bundle "
                              "WHERE direction = 'received'").fetchall()
    if len(rows) != 1:
        raise e.ReceiptDeviceNeeded()
    return str(rows[0][0])


def create(vault: Vault, device: str | None = None) -> Created:
    organisation = org.require_coordinator(vault.conn)
    device_id = _pick_device(vault, device)
    bundles = [{"id": r[0], "sequence": int(r[1])} for r in vault.conn.execute(
        "SELECT id, sequence FROM sync_bundle WHERE direction = 'received' AND device_id = ? "
        "ORDER BY sequence, id", (device_id,))]
    records = [{"entity": r[0], "id": r[1], "rev": int(r[2]), "sha256": r[3]}
               for r in vault.conn.execute(
                   "SELECT entity, record_id, rev, content_sha256 FROM sync_received "
                   "WHERE device_id = ? ORDER BY record_id", (device_id,))]
    receipt_id = new_id()
    body = {"format": FORMAT, "receipt_id": receipt_id, "created_at": utcnow(),
            "organisation": organisation.id, "device_id": device_id, "bundles": bundles,
            "records": records}
    data = envelope.sign(KIND, body, org.signing_private_key(vault.conn))
    with vault.transaction():
        vault.conn.execute("INSERT INTO sync_receipt (id, direction, device_id, created_at, "
                           "logged_at, bundles, records) VALUES (?, 'created', ?, ?, ?, ?, ?)",
                           (receipt_id, device_id, body["created_at"], utcnow(), len(bundles),
                            len(records)))
        audit.append(vault.conn, device_id=vault.device.id, actor="local", entity="receipt",
                     entity_id=receipt_id, action="create",
                     summary={"device": device_id, "bundles": len(bundles),
                              "records": len(records)})
    return Created(data, receipt_id, device_id, len(bundles), len(records))


def _problem(detail: str) -> Exception:
    return e.ReceiptInvalid(detail=detail)


def parse(raw: bytes, signing_key: bytes) -> dict[str, Any]:
    if len(raw) > MAX_RECEIPT:
        raise e.ReceiptInvalid(detail="too large")
    body, signature = envelope.open_envelope(raw, KIND, _problem)
    if body.get("format") != FORMAT:
        raise e.UnsupportedFormat(what="receipt", found=str(body.get("format"))[:40],
                                  supported=FORMAT)
    envelope.fields(body, "receipt", {"format", "receipt_id", "created_at", "organisation",
                                      "device_id", "bundles", "records"}, _problem)
    for key in ("receipt_id", "organisation", "device_id"):
        envelope.text(body, key, "receipt", _problem, pattern=envelope.UUID)
    envelope.text(body, "created_at", "receipt", _problem, pattern=envelope.TIME)
    for i, item in enumerate(envelope.items(body, "bundles", "receipt", _problem,
                                            max_items=MAX_ITEMS)):
        envelope.fields(item, f"bundles[{i}]", {"id", "sequence"}, _problem)
        envelope.text(item, "id", f"bundles[{i}]", _problem, pattern=envelope.UUID)
        envelope.integer(item, "sequence", f"bundles[{i}]", _problem, minimum=1)
    for i, item in enumerate(envelope.items(body, "records", "receipt", _problem,
                                            max_items=MAX_ITEMS)):
        where = f"records[{i}]"
        envelope.fields(item, where, {"entity", "id", "rev", "sha256"}, _problem)
        if item["entity"] not in BY_NAME:
            raise _problem(f"{where}.entity")
        envelope.text(item, "id", where, _problem, pattern=envelope.UUID)
        envelope.integer(item, "rev", where, _problem, minimum=1)
        envelope.text(item, "sha256", where, _problem, pattern=envelope.HEX64)
    if not envelope.verify(body, signature, signing_key):
        raise e.ReceiptBadSignature()
    return body


def apply(vault: Vault, raw: bytes) -> Applied:
    """Apply a receipt in a field vault: acknowledge bundles, mark revisions delivered."""
    organisation = org.require(vault.conn)
    if organisation.is_coordinator:
        raise e.NotMember()
    body = parse(raw, organisation.signing_key)
    if body["organisation"] != organisation.id:
        raise e.ReceiptOtherOrganisation(organisation=body["organisation"])
    if body["device_id"] != vault.device.id:
        raise e.ReceiptOtherDevice(device=body["device_id"])
    receipt_id = body["receipt_id"]
    if vault.conn.execute("SELECT 1 FROM sync_receipt WHERE id = ?",
                          (receipt_id,)).fetchone():
        return Applied(receipt_id, 0, 0, 0, True)
    now = utcnow()
    bundles = delivered = changed = 0
    with vault.transaction() as store:
        for item in body["bundles"]:
            bundles += vault.conn.execute(
                "UPDATE sync_bundle SET acknowledged_at = ?, receipt_id = ? WHERE id = ? AND "
                "direction = 'sent' AND acknowledged_at IS NULL",
                (now, receipt_id, item["id"])).rowcount
        for item in body["records"]:
            record = store.find(BY_NAME[item["entity"]], item["id"], include_deleted=True)
            if record is None or record.origin_device != vault.device.id:
                continue
            held = vault.conn.execute("SELECT rev FROM sync_delivered WHERE record_id = ?",
                                      (record.id,)).fetchone()
            if held is not None and int(held[0]) >= item["rev"]:
                continue
            vault.conn.execute(
                "INSERT INTO sync_delivered (record_id, entity, rev, content_sha256, receipt_id, "
                "delivered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
                "rev = excluded.rev, content_sha256 = excluded.content_sha256, "
                "receipt_id = excluded.receipt_id, delivered_at = excluded.delivered_at",
                (record.id, record.entity, item["rev"], item["sha256"], receipt_id, now))
            delivered += 1
            if payload.content_sha256(record) != item["sha256"]:
                changed += 1
        vault.conn.execute("INSERT INTO sync_receipt (id, direction, device_id, created_at, "
                           "logged_at, bundles, records) VALUES (?, 'applied', ?, ?, ?, ?, ?)",
                           (receipt_id, vault.device.id, body["created_at"], now, bundles,
                            delivered))
        audit.append(vault.conn, device_id=vault.device.id, actor="local", entity="receipt",
                     entity_id=receipt_id, action="apply",
                     summary={"bundles": bundles, "delivered": delivered})
    return Applied(receipt_id, bundles, delivered, changed, False)
