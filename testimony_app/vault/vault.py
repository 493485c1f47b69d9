"""The vault: a folder holding ``vault.json``, the SQLCipher ``vault.db`` and ``blobs/``.

Keys: a random 256-bit data key (DEK) is wrapped by each key slot in the header. The SQLCipher
key is derived from the DEK with HKDF under its own label, so the DEK itself never reaches
SQLCipher; changing the passphrase rewraps the DEK and never rewrites the database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from testimony_app import errors, fs
from testimony_app.crypto import kdf, keys
from testimony_app.domain.base import utcnow
from testimony_app.vault import db, header, migrations
from testimony_app.vault.blobs import BlobStore
from testimony_app.vault.store import Store

MIN_PASSPHRASE = 10
DB_KEY_LABEL = b"testimony/sqlcipher-key/v1"


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    fingerprint: str
    public_key: bytes


@dataclass(frozen=True)
class Created:
    vault: Vault
    recovery_code: str


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise errors.WeakPassphrase(min=MIN_PASSPHRASE)


def _db_key(dek: bytes) -> bytes:
    return kdf.hkdf(dek, DB_KEY_LABEL)


class Vault:
    """An unlocked vault. Holds the derived keys in memory until ``close()``."""

    def __init__(self, folder: Path, hdr: header.Header, dek: bytes) -> None:
        self.folder = folder
        self.header = hdr
        self._dek: bytes | None = dek
        self._db_key: bytes | None = _db_key(dek)
        self.conn = db.connect(folder / db.DB_NAME, self._db_key)
        try:
            self.previous_schema = migrations.migrate(self.conn, folder)
            self.device = self._load_device()
            self.blobs = BlobStore(folder)
            self._remove_orphan_blobs()
        except sqlcipher3.DatabaseError as exc:
            self.conn.close()
            raise errors.VaultDatabaseDamaged() from exc
        except BaseException:
            self.conn.close()
            raise
        self.store = Store(self.conn, self.device.id)

    # Creating and opening -----------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str, *, name: str = "",
               kdf_params: kdf.Argon2Params | None = None) -> Created:
        check_passphrase(passphrase)
        folder = Path(folder)
        if folder.exists() and any(folder.iterdir()):
            raise errors.VaultExists()
        fs.private_mkdir(folder)
        fs.private_mkdir(folder / "blobs")
        dek = os.urandom(kdf.KEY_SIZE)
        recovery_code = kdf.new_recovery_code()
        hdr = header.new_header()
        hdr = hdr.with_slot(header.passphrase_slot(hdr, passphrase, dek, kdf_params))
        hdr = hdr.with_slot(header.recovery_slot(hdr, recovery_code, dek))
        conn = db.connect(folder / db.DB_NAME, _db_key(dek), create=True)
        try:
            os.chmod(folder / db.DB_NAME, fs.PRIVATE_FILE)
            migrations.migrate(conn, folder)
            signing = keys.new_signing_key()
            public = keys.public_bytes(signing)
            device_id = hdr.vault_id
            with db.transaction(conn):
                conn.execute("INSERT INTO meta (key, value) VALUES ('vault_name', ?), "
                             "('created_at', ?), ('device_id', ?)",
                             (name, utcnow(), device_id))
                conn.execute("INSERT INTO local_secret (name, value) VALUES ('device_key', ?)",
                             (keys.private_bytes(signing),))
                conn.execute("INSERT INTO device (id, public_key, fingerprint, label, added_at, "
                             "is_self) VALUES (?, ?, ?, ?, ?, 1)",
                             (device_id, public, keys.fingerprint(public), name, utcnow()))
        finally:
            conn.close()
        # The header goes last: a folder with vault.json is a complete vault.
        header.write_header(folder, hdr)
        return Created(cls(folder, hdr, dek), recovery_code)

    @classmethod
    def open(cls, folder: Path, passphrase: str) -> Vault:
        hdr = header.read_header(Path(folder))
        return cls(Path(folder), hdr, header.unwrap_with_passphrase(hdr, passphrase))

    @classmethod
    def open_with_recovery_code(cls, folder: Path, code: str) -> Vault:
        hdr = header.read_header(Path(folder))
        return cls(Path(folder), hdr, header.unwrap_with_recovery(hdr, code))

    # Keys ---------------------------------------------------------------------------------

    def _require_open(self) -> bytes:
        if self._dek is None:
            raise errors.VaultLocked()
        return self._dek

    def change_passphrase(self, new_passphrase: str,
                          kdf_params: kdf.Argon2Params | None = None) -> None:
        """Rewrap the data key under a new passphrase (the database is not rewritten)."""
        check_passphrase(new_passphrase)
        dek = self._require_open()
        hdr = self.header.with_slot(
            header.passphrase_slot(self.header, new_passphrase, dek, kdf_params))
        header.write_header(self.folder, hdr)
        self.header = hdr
        self.audit_event("vault", self.header.vault_id, "passphrase_changed")

    def new_recovery_code(self) -> str:
        """Replace the recovery slot; the old code stops working. Returns the new code."""
        dek = self._require_open()
        code = kdf.new_recovery_code()
        hdr = self.header.with_slot(header.recovery_slot(self.header, code, dek))
        header.write_header(self.folder, hdr)
        self.header = hdr
        self.audit_event("vault", self.header.vault_id, "recovery_code_replaced")
        return code

    def connect(self) -> db.Connection:
        """A fresh connection for a worker thread (connections must not cross threads)."""
        self._require_open()
        if self._db_key is None:  # pragma: no cover - _require_open guarantees it
            raise errors.VaultLocked()
        return db.connect(self.folder / db.DB_NAME, self._db_key)

    def close(self) -> None:
        """Lock: close the database and drop the key references."""
        if self._dek is None:
            return
        with contextlib.suppress(Exception):
            self.conn.close()
        self._dek = None
        self._db_key = None

    @property
    def is_open(self) -> bool:
        return self._dek is not None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Use ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        self._require_open()
        with db.transaction(self.conn):
            yield self.store

    def audit_event(self, entity: str, entity_id: str, action: str) -> None:
        from testimony_app.vault import audit

        with self.transaction():
            audit.append(self.conn, device_id=self.device.id, actor="local", entity=entity,
                         entity_id=entity_id, action=action, summary={"action": action})

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def name(self) -> str:
        return self.meta("vault_name") or ""

    def device_private_key(self) -> bytes:
        row = self.conn.execute(
            "SELECT value FROM local_secret WHERE name = 'device_key'").fetchone()
        return bytes(row[0])

    def _load_device(self) -> DeviceInfo:
        row = self.conn.execute(
            "SELECT id, fingerprint, public_key FROM device WHERE is_self = 1").fetchone()
        if row is None:
            raise errors.VaultDatabaseDamaged()
        return DeviceInfo(row[0], row[1], bytes(row[2]))

    def _remove_orphan_blobs(self) -> None:
        referenced = {r[0] for r in self.conn.execute("SELECT blob_name FROM attachment")}
        self.blobs.remove_orphans(referenced)
