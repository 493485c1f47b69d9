"""Helpers for the sync and bundle tests (no tests here): real vaults, a real organisation,
real bundles, and a cheap digest of everything a vault holds."""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.registry import ENTITIES
from testimony_app.services import attachments, sync
from testimony_app.sync import envelope, org, payload
from testimony_app.sync import manifest as mf
from testimony_app.vault.vault import Vault
from tests import factory
from tests.conftest import PASSPHRASE


def new_vault(folder: Path, name: str = "") -> Vault:
    return Vault.create(folder, PASSPHRASE, name=name, kdf_params=Argon2Params.floor()).vault


@dataclass
class World:
    root: Path
    coordinator: Vault
    fields: dict[str, Vault]
    enrollment: Path

    def field(self, name: str = "field") -> Vault:
        return self.fields[name]

    def close(self) -> None:
        for vault in (self.coordinator, *self.fields.values()):
            vault.close()


def make_world(root: Path, *field_names: str, org_name: str = "Test organisation") -> World:
    """A coordinator vault with an organisation, and field vaults that joined it."""
    root.mkdir(parents=True, exist_ok=True)
    coordinator = new_vault(root / "coordinator", "Coordinator")
    sync.create_organisation(coordinator, org_name, root / "escrow.txt")
    enrollment_file = root / "org.tenroll"
    sync.write_enrollment(coordinator, enrollment_file)
    fields = {}
    for name in field_names or ("field",):
        vault = new_vault(root / name, name)
        sync.join(vault, sync.read_enrollment(enrollment_file))
        fields[name] = vault
    return World(root, coordinator, fields, enrollment_file)


def add_testimony(vault: Vault, *, attachment: bytes | None = None, **kw: Any) -> dict[str, Any]:
    with vault.transaction() as store:
        made = factory.add_testimony(store, **kw)
    if attachment is not None:
        made["attachment"] = attachments.add_attachment(
            vault, made["interview"].id, io.BytesIO(attachment), filename="evidence.jpg",
            kind="photo")
    return made


def export(vault: Vault, out: Path) -> Path:
    result = sync.export_bundle(vault, out)
    assert result is not None
    return result.path


def import_one(coordinator: Vault, path: Path, **kw: Any) -> Any:
    [outcome] = sync.import_bundles(coordinator, [path], **kw)
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


def trust(world: World, name: str = "field") -> list[str]:
    return [world.field(name).device.fingerprint]


def transit_records(vault: Vault, origin: str | None = None) -> dict[str, dict[str, Any]]:
    """Every record as it travels (system fields included, local file keys blank)."""
    out = {}
    for cls in ENTITIES:
        for record in vault.store.list(cls, include_deleted=True):
            if origin is None or record.origin_device == origin:
                out[record.id] = payload.transit(record)
    return out


def plaintext_sha256(vault: Vault, attachment: Any) -> str:
    """The SHA-256 of an attachment's plaintext, read back from the vault's blob file."""
    h = hashlib.sha256()
    with vault.blobs.reader(attachment.blob_name, attachment.file_key) as reader:
        while block := reader.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def digest(vault: Vault) -> str:
    """A cheap digest of every table (audit chain included), the blob files and staging."""
    h = hashlib.sha256()
    conn = vault.conn
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                "ORDER BY name").fetchall():
        rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608 - names from sqlite_master
        h.update(name.encode())
        for row in sorted(repr(r) for r in rows):
            h.update(row.encode())
    h.update(repr(sorted(vault.blobs.names())).encode())
    staging = vault.folder / "staging"
    h.update(repr(sorted(p.name for p in staging.rglob("*")) if staging.exists() else []).encode())
    return h.hexdigest()


# Taking bundles apart and putting them back together ---------------------------------------------

def read_zip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def write_zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w",
                                                    compression=zipfile.ZIP_STORED) as zf:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100600 << 16
            zf.writestr(info, data)
    return out.getvalue()


def org_identities(coordinator: Vault) -> list[str]:
    return [secret for secret, _, _ in org.import_identities(coordinator.conn)]


def org_recipients(coordinator: Vault) -> list[str]:
    return org.current_recipients(coordinator.conn)


def age_decrypt(data: bytes, identities: list[str]) -> bytes:
    out = io.BytesIO()
    pyrage.decrypt_io(io.BytesIO(data), out,
                      [pyrage.x25519.Identity.from_str(i) for i in identities])
    return out.getvalue()


def age_encrypt(data: bytes, recipients: list[str], *, ssh: tuple[str, ...] = ()) -> bytes:
    """age (rage's implementation) to X25519 recipients and, with ``ssh``, to SSH keys."""
    out = io.BytesIO()
    pyrage.encrypt_io(io.BytesIO(data), out,
                      [*(pyrage.x25519.Recipient.from_str(r) for r in recipients),
                       *(pyrage.ssh.Recipient.from_str(k) for k in ssh)])
    return out.getvalue()


def open_manifest(bundle: bytes, coordinator: Vault) -> dict[str, Any]:
    raw = age_decrypt(dict(read_zip(bundle))[mf.MANIFEST_ENTRY], org_identities(coordinator))
    return envelope.loads_strict(raw)  # type: ignore[no-any-return]


def reseal(bundle: bytes, coordinator: Vault, signer_key: bytes,
           change: Callable[[dict[str, Any]], None] | None = None,
           recipients: list[str] | None = None) -> bytes:
    """The same bundle with its manifest body changed and signed again by ``signer_key``."""
    body = open_manifest(bundle, coordinator)["manifest"]
    if change is not None:
        change(body)
    sealed = envelope.sign("manifest", body, signer_key)
    manifest_age = age_encrypt(sealed, recipients or org_recipients(coordinator))
    return write_zip([(n, manifest_age if n == mf.MANIFEST_ENTRY else d)
                      for n, d in read_zip(bundle)])


def forge(coordinator: Vault, sender: Vault, lines: list[dict[str, Any]], *,
          audit_lines: list[dict[str, Any]] | None = None,
          files: dict[str, bytes] | None = None, sequence: int = 1,
          raw_records: bytes | None = None) -> bytes:
    """A correctly signed and encrypted bundle from ``sender`` with exactly these contents:
    for attacks by (or with the key of) an enrolled, trusted device."""
    import hashlib as _h
    import secrets as _s

    from testimony_app.domain.base import new_id, utcnow
    from testimony_app.sync import agefile

    recipients = org_recipients(coordinator)
    blobs: list[dict[str, Any]] = []
    entries: list[tuple[str, bytes]] = []

    def part(role: str, plain: bytes, attachment_id: str | None) -> None:
        blob_id = _s.token_hex(16)
        cipher = age_encrypt(plain, recipients)
        blobs.append({"id": blob_id, "role": role, "attachment_id": attachment_id,
                      "plaintext_size": len(plain),
                      "plaintext_sha256": _h.sha256(plain).hexdigest(),
                      "ciphertext_size": len(cipher),
                      "ciphertext_sha256": _h.sha256(cipher).hexdigest()})
        entries.append((mf.entry_name(blob_id), cipher))

    part("records", raw_records if raw_records is not None
         else payload.compress_lines(lines)[0], None)
    part("audit", payload.compress_lines(audit_lines or [])[0], None)
    for attachment_id, data in (files or {}).items():
        part("attachment", data, attachment_id)
    organisation = org.load(coordinator.conn)
    assert organisation is not None
    body = {"format": mf.FORMAT, "bundle_id": new_id(), "created_at": utcnow(),
            "organisation": organisation.id,
            "enrollment_version": organisation.enrollment_version,
            "sender": {"device_id": sender.device.id,
                       "public_key": envelope.b64(sender.device.public_key),
                       "fingerprint": sender.device.fingerprint},
            "recipients": sorted(agefile.recipient_fingerprint(r) for r in recipients),
            "sequence": sequence, "previous_bundle_id": None if sequence == 1 else new_id(),
            "blobs": blobs}
    sealed = envelope.sign("manifest", body, sender.device_private_key())
    return write_zip([*entries, (mf.MANIFEST_ENTRY, age_encrypt(sealed, recipients))])
