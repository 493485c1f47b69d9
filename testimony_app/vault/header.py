"""``vault.json``: the vault's plaintext header and its key slots.

The header is not secret, but nothing in it can be changed unnoticed: each slot's AEAD binds the
vault id, the header format, the slot kind and its KDF parameters as associated data, so a
tampered parameter (say, a lowered Argon2 cost) fails exactly like a wrong passphrase.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from testimony_app import errors, fs
from testimony_app.crypto import kdf

HEADER_NAME = "vault.json"
FORMAT_TAG = "testimony-vault"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 64 * 1024
NONCE_SIZE = 12

PASSPHRASE = "passphrase"  # noqa: S105 - a slot kind, not a secret
RECOVERY = "recovery"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise errors.VaultHeaderDamaged(detail=what)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise errors.VaultHeaderDamaged(detail=what) from exc


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class KeySlot:
    kind: str
    kdf: dict[str, Any]
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "kdf": self.kdf, "aead": "chacha20poly1305",
                "nonce": _b64(self.nonce), "wrapped_key": _b64(self.wrapped)}

    @classmethod
    def from_json(cls, data: Any) -> KeySlot:
        if not isinstance(data, dict) or data.get("aead") != "chacha20poly1305":
            raise errors.VaultHeaderDamaged(detail="key slot")
        kind, kdf_desc = data.get("kind"), data.get("kdf")
        if kind not in (PASSPHRASE, RECOVERY) or not isinstance(kdf_desc, dict):
            raise errors.VaultHeaderDamaged(detail="key slot")
        return cls(kind, kdf_desc, _unb64(data.get("nonce"), "key slot nonce"),
                   _unb64(data.get("wrapped_key"), "key slot"))


@dataclass(frozen=True)
class Header:
    vault_id: str
    created_at: str
    slots: tuple[KeySlot, ...] = field(default_factory=tuple)
    version: int = FORMAT_VERSION

    def slot(self, kind: str) -> KeySlot | None:
        return next((s for s in self.slots if s.kind == kind), None)

    def with_slot(self, slot: KeySlot) -> Header:
        others = tuple(s for s in self.slots if s.kind != slot.kind)
        return replace(self, slots=(*others, slot))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT_TAG, "version": self.version, "vault_id": self.vault_id,
                "created_at": self.created_at, "slots": [s.to_json() for s in self.slots]}

    def associated_data(self, kind: str, kdf_desc: dict[str, Any]) -> bytes:
        return canonical_json({"format": FORMAT_TAG, "version": self.version,
                               "vault_id": self.vault_id, "kind": kind, "kdf": kdf_desc})


def new_header() -> Header:
    return Header(vault_id=str(uuid.uuid4()),
                  created_at=datetime.now(UTC).isoformat(timespec="seconds"))


def parse_header(raw: bytes) -> Header:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.VaultHeaderDamaged(detail="not valid JSON") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_TAG:
        raise errors.VaultHeaderDamaged(detail="not a Testimony vault header")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise errors.VaultHeaderDamaged(detail="format version")
    if version > FORMAT_VERSION:
        raise errors.VaultTooNew(found=version, supported=FORMAT_VERSION)
    vault_id, created_at, slots = data.get("vault_id"), data.get("created_at"), data.get("slots")
    if not isinstance(vault_id, str) or not isinstance(created_at, str):
        raise errors.VaultHeaderDamaged(detail="vault id")
    try:
        uuid.UUID(vault_id)
    except ValueError as exc:
        raise errors.VaultHeaderDamaged(detail="vault id") from exc
    if not isinstance(slots, list) or not slots:
        raise errors.VaultHeaderDamaged(detail="no key slots")
    parsed = tuple(KeySlot.from_json(s) for s in slots)
    if len({s.kind for s in parsed}) != len(parsed):
        raise errors.VaultHeaderDamaged(detail="duplicate key slots")
    return Header(vault_id=vault_id, created_at=created_at, slots=parsed, version=version)


def read_header(folder: Path) -> Header:
    path = folder / HEADER_NAME
    if not path.exists():
        raise errors.VaultNotFound()
    try:
        raw = fs.read_limited(path, MAX_HEADER_BYTES)
    except OSError as exc:
        raise errors.VaultHeaderDamaged(detail="unreadable") from exc
    return parse_header(raw)


def write_header(folder: Path, header: Header) -> None:
    fs.atomic_write(folder / HEADER_NAME,
                    json.dumps(header.to_json(), indent=2, sort_keys=True).encode() + b"\n")


# Wrapping and unwrapping the data key ------------------------------------------------------

def _passphrase_bytes(passphrase: str) -> bytes:
    import unicodedata

    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _seal(header: Header, kind: str, kdf_desc: dict[str, Any], kek: bytes, dek: bytes) -> KeySlot:
    nonce = os.urandom(NONCE_SIZE)
    wrapped = ChaCha20Poly1305(kek).encrypt(nonce, dek, header.associated_data(kind, kdf_desc))
    return KeySlot(kind, kdf_desc, nonce, wrapped)


def _open(header: Header, slot: KeySlot, kek: bytes) -> bytes | None:
    try:
        dek = ChaCha20Poly1305(kek).decrypt(
            slot.nonce, slot.wrapped, header.associated_data(slot.kind, slot.kdf))
    except (InvalidTag, ValueError):
        return None
    return dek if len(dek) == kdf.KEY_SIZE else None


def passphrase_slot(header: Header, passphrase: str, dek: bytes,
                    params: kdf.Argon2Params | None = None) -> KeySlot:
    params = params or kdf.calibrate()
    salt = os.urandom(kdf.SALT_SIZE)
    desc = {"alg": "argon2id", "salt": _b64(salt), **params.to_json()}
    return _seal(header, PASSPHRASE, desc, kdf.argon2id(_passphrase_bytes(passphrase), salt, params), dek)


def recovery_slot(header: Header, code: str, dek: bytes) -> KeySlot:
    code_bytes = kdf.normalise_recovery_code(code)
    if code_bytes is None:  # pragma: no cover - codes we make are always valid
        raise ValueError("invalid recovery code")
    salt = os.urandom(kdf.SALT_SIZE)
    desc = {"alg": "hkdf-sha256", "salt": _b64(salt)}
    return _seal(header, RECOVERY, desc, kdf.hkdf(code_bytes, b"testimony/recovery/v1", salt), dek)


def unwrap_with_passphrase(header: Header, passphrase: str) -> bytes:
    slot = header.slot(PASSPHRASE)
    if slot is None or slot.kdf.get("alg") != "argon2id":
        raise errors.VaultHeaderDamaged(detail="passphrase slot")
    try:
        params = kdf.Argon2Params.from_json(slot.kdf)
    except (KeyError, TypeError, ValueError) as exc:
        raise errors.VaultHeaderDamaged(detail="passphrase slot parameters") from exc
    salt = _unb64(slot.kdf.get("salt"), "passphrase slot salt")
    dek = _open(header, slot, kdf.argon2id(_passphrase_bytes(passphrase), salt, params))
    if dek is None:
        raise errors.WrongPassphrase()
    return dek


def unwrap_with_recovery(header: Header, code: str) -> bytes:
    slot = header.slot(RECOVERY)
    if slot is None or slot.kdf.get("alg") != "hkdf-sha256":
        raise errors.VaultHeaderDamaged(detail="recovery slot")
    code_bytes = kdf.normalise_recovery_code(code)
    if code_bytes is None:
        raise errors.WrongRecoveryCode()
    salt = _unb64(slot.kdf.get("salt"), "recovery slot salt")
    dek = _open(header, slot, kdf.hkdf(code_bytes, b"testimony/recovery/v1", salt))
    if dek is None:
        raise errors.WrongRecoveryCode()
    return dek
