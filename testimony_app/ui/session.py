"""The unlock / create flow without Qt: what to open first, and the calls the worker runs.

Everything here that touches a ``Vault`` runs on the worker thread (see ``workers``); pages
only ever see the frozen ``VaultSummary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from testimony_app import config
from testimony_app.services import vaults
from testimony_app.vault.header import HEADER_NAME
from testimony_app.vault.vault import Vault


@dataclass(frozen=True)
class VaultSummary:
    folder: Path
    name: str
    vault_id: str
    fingerprint: str


@dataclass(frozen=True)
class Session:
    """An unlocked vault and what the pages may show of it."""

    vault: Vault
    summary: VaultSummary


@dataclass(frozen=True)
class NewVault:
    session: Session
    recovery_code: str


def has_vault(folder: Path | str) -> bool:
    return bool(str(folder)) and (Path(folder) / HEADER_NAME).is_file()


def start_folder(prefs: config.Preferences) -> Path | None:
    """The vault to offer at start: the last one used, if it is still there."""
    return Path(prefs.last_vault) if prefs.last_vault and has_vault(prefs.last_vault) else None


def suggest_new_folder() -> Path:
    """The default vault folder, or the first free ``default-N`` beside it."""
    base = config.default_vault_dir()
    candidate, n = base, 1
    while candidate.exists() and any(candidate.iterdir()):
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def _summarise(vault: Vault) -> VaultSummary:
    return VaultSummary(vault.folder, vault.name, vault.header.vault_id,
                        vault.device.fingerprint)


def _session(vault: Vault) -> Session:
    try:
        return Session(vault, _summarise(vault))
    except BaseException:
        vault.close()
        raise


def open_session(folder: Path, passphrase: str, throttle: vaults.UnlockThrottle) -> Session:
    """Worker thread: wait out the throttle, derive the key, open the vault."""
    return _session(vaults.unlock(folder, passphrase, throttle=throttle, sleep=True))


def create_session(folder: Path, passphrase: str, name: str) -> NewVault:
    """Worker thread: create the vault (key derivation is calibrated here, ~0.5 s)."""
    created = vaults.create_vault(folder, passphrase, name=name)
    return NewVault(_session(created.vault), created.recovery_code)


def close_session(session: Session) -> None:
    """Worker thread: the connection can only be closed where it was opened."""
    session.vault.close()
