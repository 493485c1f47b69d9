"""The bundle manifest: what a bundle holds, who made it, signed by that device.

``manifest.age`` decrypts to a signed envelope (``envelope``) of kind ``manifest``; the body
is described field by field in docs/bundle-format.md. Reading is strict: every field is
required, typed and bounded, unknown fields are refused, and the sender's fingerprint must be
the fingerprint of the key it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from testimony_app.crypto import keys
from testimony_app.sync import envelope
from testimony_app.sync import errors as e
from testimony_app.sync.ziputil import MAX_ENTRIES

FORMAT = "testimony-bundle/1"
KIND = "manifest"
MANIFEST_ENTRY = "manifest.age"
RECORDS, AUDIT, ATTACHMENT = "records", "audit", "attachment"
ROLES = (RECORDS, AUDIT, ATTACHMENT)
MAX_MANIFEST = 16 << 20
MAX_RECIPIENTS = 32
BLOB_ID = re.compile(r"^[0-9a-f]{32}$")
ENTRY_NAME = re.compile(r"^blobs/([0-9a-f]{32})\.age$")


def entry_name(blob_id: str) -> str:
    return f"blobs/{blob_id}.age"


def is_bundle_entry(name: str) -> bool:
    return name == MANIFEST_ENTRY or bool(ENTRY_NAME.match(name))


@dataclass(frozen=True)
class Blob:
    id: str
    role: str
    attachment_id: str | None
    plaintext_size: int
    plaintext_sha256: str
    ciphertext_size: int
    ciphertext_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "role": self.role, "attachment_id": self.attachment_id,
                "plaintext_size": self.plaintext_size,
                "plaintext_sha256": self.plaintext_sha256,
                "ciphertext_size": self.ciphertext_size,
                "ciphertext_sha256": self.ciphertext_sha256}


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    created_at: str
    organisation_id: str
    enrollment_version: int
    device_id: str
    device_key: bytes
    recipients: tuple[str, ...]  # fingerprints
    sequence: int
    previous_bundle_id: str | None
    blobs: tuple[Blob, ...]

    @property
    def device_fingerprint(self) -> str:
        return keys.fingerprint(self.device_key)

    def blob(self, role: str) -> Blob:
        return next(b for b in self.blobs if b.role == role)

    @property
    def attachments(self) -> tuple[Blob, ...]:
        return tuple(b for b in self.blobs if b.role == ATTACHMENT)

    def body(self) -> dict[str, Any]:
        return {"format": FORMAT, "bundle_id": self.bundle_id, "created_at": self.created_at,
                "organisation": self.organisation_id,
                "enrollment_version": self.enrollment_version,
                "sender": {"device_id": self.device_id,
                           "public_key": envelope.b64(self.device_key),
                           "fingerprint": self.device_fingerprint},
                "recipients": list(self.recipients), "sequence": self.sequence,
                "previous_bundle_id": self.previous_bundle_id,
                "blobs": [b.to_json() for b in self.blobs]}


def seal(manifest: Manifest, device_private_key: bytes) -> bytes:
    """The plaintext of manifest.age: the signed canonical JSON envelope."""
    return envelope.sign(KIND, manifest.body(), device_private_key)


def _problem(detail: str) -> Exception:
    return e.ManifestInvalid(detail=detail)


def _blob(item: Any, index: int) -> Blob:
    where = f"blobs[{index}]"
    envelope.fields(item, where, {"id", "role", "attachment_id", "plaintext_size",
                                  "plaintext_sha256", "ciphertext_size", "ciphertext_sha256"},
                    _problem)
    role = item["role"]
    if role not in ROLES:
        raise _problem(f"{where}.role")
    attachment_id = envelope.text(item, "attachment_id", where, _problem,
                                  pattern=envelope.UUID, nullable=role != ATTACHMENT)
    if (attachment_id is None) != (role != ATTACHMENT):
        raise _problem(f"{where}.attachment_id")
    blob = Blob(
        id=envelope.text(item, "id", where, _problem, pattern=BLOB_ID),
        role=role, attachment_id=attachment_id,
        plaintext_size=envelope.integer(item, "plaintext_size", where, _problem),
        plaintext_sha256=envelope.text(item, "plaintext_sha256", where, _problem,
                                       pattern=envelope.HEX64),
        ciphertext_size=envelope.integer(item, "ciphertext_size", where, _problem, minimum=1),
        ciphertext_sha256=envelope.text(item, "ciphertext_sha256", where, _problem,
                                        pattern=envelope.HEX64))
    if blob.plaintext_size >= blob.ciphertext_size:  # age always adds a header and tags
        raise _problem(f"{where}.plaintext_size")
    return blob


def parse(raw: bytes) -> tuple[Manifest, bytes]:
    """Parse the plaintext of manifest.age; returns (manifest, signature), unverified."""
    body, signature = envelope.open_envelope(raw, KIND, _problem)
    if body.get("format") != FORMAT:
        raise e.UnsupportedFormat(what="manifest.age", found=str(body.get("format"))[:40],
                                  supported=FORMAT)
    envelope.fields(body, "manifest", {"format", "bundle_id", "created_at", "organisation",
                                       "enrollment_version", "sender", "recipients", "sequence",
                                       "previous_bundle_id", "blobs"}, _problem)
    sender = envelope.fields(body["sender"], "sender", {"device_id", "public_key",
                                                        "fingerprint"}, _problem)
    device_key = envelope.unb64(sender["public_key"], 32, "sender.public_key", _problem)
    if sender["fingerprint"] != keys.fingerprint(device_key):
        raise _problem("sender.fingerprint")
    recipients = envelope.items(body, "recipients", "manifest", _problem,
                                max_items=MAX_RECIPIENTS)
    if (not recipients or recipients != sorted(set(recipients)) or not all(
            isinstance(r, str) and envelope.FINGERPRINT.match(r) for r in recipients)):
        raise _problem("recipients")
    sequence = envelope.integer(body, "sequence", "manifest", _problem, minimum=1)
    previous = envelope.text(body, "previous_bundle_id", "manifest", _problem,
                             pattern=envelope.UUID, nullable=True)
    if (previous is None) != (sequence == 1):
        raise _problem("previous_bundle_id")
    blobs = tuple(_blob(item, i) for i, item in enumerate(
        envelope.items(body, "blobs", "manifest", _problem, max_items=MAX_ENTRIES - 1)))
    roles = [b.role for b in blobs]
    if roles[:2] != [RECORDS, AUDIT] or roles[2:].count(ATTACHMENT) != len(roles) - 2:
        raise _problem("blobs: one records blob, one audit blob, then attachments")
    if len({b.id for b in blobs}) != len(blobs) or len(
            {b.attachment_id for b in blobs if b.attachment_id}) != len(blobs) - 2:
        raise _problem("blobs: duplicate ids")
    manifest = Manifest(
        bundle_id=envelope.text(body, "bundle_id", "manifest", _problem, pattern=envelope.UUID),
        created_at=envelope.text(body, "created_at", "manifest", _problem,
                                 pattern=envelope.TIME),
        organisation_id=envelope.text(body, "organisation", "manifest", _problem,
                                      pattern=envelope.UUID),
        enrollment_version=envelope.integer(body, "enrollment_version", "manifest", _problem,
                                            minimum=1),
        device_id=envelope.text(sender, "device_id", "sender", _problem, pattern=envelope.UUID),
        device_key=device_key, recipients=tuple(recipients), sequence=sequence,
        previous_bundle_id=previous, blobs=blobs)
    if manifest.body() != body:  # every field was read back exactly as signed
        raise _problem("fields")
    return manifest, signature


def verify(manifest: Manifest, signature: bytes) -> None:
    if not envelope.verify(manifest.body(), signature, manifest.device_key):
        raise e.BadSignature()
