"""Use cases around a vault as a whole: create, unlock, recover, change passphrase, verify."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from testimony_app import errors, log
from testimony_app.crypto import kdf
from testimony_app.domain.evidence import Attachment
from testimony_app.vault import audit, db, header
from testimony_app.vault.vault import Created, Vault, check_passphrase

logger = log.get("services.vaults")


@dataclass(frozen=True)
class VaultInfo:
    folder: Path
    vault_id: str
    format_version: int
    slots: tuple[str, ...]
    kdf_memory_kib: int
    kdf_time_cost: int


class UnlockThrottle:
    """A growing wait after each wrong passphrase, to slow guessing at an unattended laptop."""

    def __init__(self, base: float = 1.0, cap: float = 30.0) -> None:
        self.failures = 0
        self.base = base
        self.cap = cap

    def delay(self) -> float:
        if self.failures == 0:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (self.failures - 1)))

    def failed(self) -> None:
        self.failures += 1

    def succeeded(self) -> None:
        self.failures = 0


def create_vault(folder: Path, passphrase: str, *, name: str = "",
                 kdf_params: kdf.Argon2Params | None = None) -> Created:
    created = Vault.create(folder, passphrase, name=name, kdf_params=kdf_params)
    logger.info("vault created %s", created.vault.header.vault_id)
    return created


def unlock(folder: Path, passphrase: str, throttle: UnlockThrottle | None = None,
           sleep: bool = True) -> Vault:
    if throttle is not None and sleep:
        time.sleep(throttle.delay())
    try:
        vault = Vault.open(folder, passphrase)
    except errors.WrongPassphrase:
        if throttle is not None:
            throttle.failed()
        logger.info("unlock failed: wrong passphrase")
        raise
    if throttle is not None:
        throttle.succeeded()
    logger.info("vault unlocked %s", vault.header.vault_id)
    return vault


def recover(folder: Path, code: str, new_passphrase: str,
            kdf_params: kdf.Argon2Params | None = None) -> Vault:
    """Open with the recovery code and set a new passphrase; the code stays valid."""
    check_passphrase(new_passphrase)
    vault = Vault.open_with_recovery_code(folder, code)
    vault.change_passphrase(new_passphrase, kdf_params)
    return vault


def info(folder: Path) -> VaultInfo:
    hdr = header.read_header(Path(folder))
    slot = hdr.slot(header.PASSPHRASE)
    kdf_desc = slot.kdf if slot else {}
    return VaultInfo(Path(folder), hdr.vault_id, hdr.version,
                     tuple(s.kind for s in hdr.slots),
                     int(kdf_desc.get("memory_kib", 0)), int(kdf_desc.get("time_cost", 0)))


def verify(vault: Vault) -> list[str]:
    """Audit chain, SQLCipher page integrity, and every attachment's hash."""
    problems: list[str] = []
    conn = vault.connect()
    try:
        try:
            problems += [f"database: {p}" for p in db.integrity_problems(conn)]
            problems += audit.verify(conn)
            # A purged attachment keeps its row (a tombstone) but no longer has a file.
            rows = conn.execute(
                f"SELECT id, blob_name, file_key, sha256 FROM {Attachment.table} "  # noqa: S608
                "WHERE blob_name != ''").fetchall()
        except Exception as exc:  # any read failure of the database itself is damage
            return [*problems, f"database: unreadable ({type(exc).__name__})"]
    finally:
        conn.close()
    for attachment_id, blob_name, file_key, sha256 in rows:
        problem = vault.blobs.check(blob_name, file_key, sha256)
        if problem:
            problems.append(f"attachment {attachment_id}: {problem}")
    referenced = {r[1] for r in rows}
    for name in sorted(vault.blobs.names() - referenced):
        problems.append(f"blobs: unexpected file {name[:40]}")
    return problems
