"""Making vaults and filling them through the real ``Store`` for the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.base import Record
from testimony_app.vault.vault import Vault


def create_vault(folder: Path, passphrase: str, name: str = "Тестове сховище") -> Vault:
    """A new vault with the Argon2 floor parameters (64 MiB, t=3, p=4)."""
    return Vault.create(folder, passphrase, name=name, kdf_params=Argon2Params.floor()).vault


def add_batches(vault: Vault, batches: Iterator[list[Record]], *, budget_s: float | None = None,
                on_batch: Callable[[int, float], None] | None = None) -> tuple[int, float]:
    """Add each batch in one transaction through the vault's ``Store``; returns
    (records added, seconds spent in the transactions).

    Stops early, after a whole batch, once ``budget_s`` seconds are spent. Only the
    transactions are timed, not the making of the records.
    """
    done, spent = 0, 0.0
    for batch in batches:
        t0 = time.perf_counter()
        with vault.transaction() as store:
            for record in batch:
                store.add(record)
        spent += time.perf_counter() - t0
        done += len(batch)
        if on_batch is not None:
            on_batch(done, spent)
        if budget_s is not None and spent >= budget_s:
            break
    return done, spent


def file_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0
