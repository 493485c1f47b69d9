"""4. A vault of 10,000 interviews (``--quick``: 1,000).

Each fictional interview comes with 5 people (the interviewee and four co-detainees), 10 acts
and 5 sightings: 21 records, added through the vault's ``Store``, 5 interviews (105 records) per
transaction. Reported: the time to create them, the size of ``vault.db``, and the time to reopen
the vault with key derivation excluded (``Vault(folder, header, dek)``, target under 50 ms as in
benchmark 2) and included (``Vault.open``, Argon2 at the floor: 64 MiB, t=3, p=4; a real vault
is calibrated to about 0.5 s), each the median of 5.

A time budget (default 1,200 s; ``--quick`` 300 s) bounds the creation. If it runs out the
creation is a MISS and the size and the reopening are measured on the smaller vault that was
made (the lines say how many interviews it holds).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from bench import (
    MB,
    Result,
    at_most,
    info,
    log,
    median_ms,
    new_passphrase,
    private_tmpdir,
    report,
)
from bench.bench_open import time_open
from bench.data import Fiction
from bench.vaults import add_batches, create_vault, file_size
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.vault import db, header
from testimony_app.vault.text_index import search
from testimony_app.vault.vault import Vault

NAME = "vault"
TARGET_OPEN_MS = 50.0
PER_TRANSACTION = 5  # interviews
RECORDS_PER_INTERVIEW = 21
RUNS = 5


def testimonies(fiction: Fiction, count: int) -> Iterator[list[Record]]:
    """Batches of ``PER_TRANSACTION`` testimonies (21 records each)."""
    batch: list[Record] = []
    for n in range(1, count + 1):
        batch.extend(fiction.testimony(n))
        if n % PER_TRANSACTION == 0 or n == count:
            yield batch
            batch = []


def run(quick: bool = False, *, budget_s: float | None = None, count: int | None = None
        ) -> list[Result]:
    count = count or (1_000 if quick else 10_000)
    budget = budget_s if budget_s is not None else (300.0 if quick else 1200.0)
    total_records = count * RECORDS_PER_INTERVIEW
    passphrase = new_passphrase()
    progress_every = max(total_records // 10, 1)
    last_logged = [0, time.perf_counter()]

    def on_batch(done: int, spent: float) -> None:
        now = time.perf_counter()
        if done - last_logged[0] >= progress_every or now - last_logged[1] >= 60:
            log(f"{done:>9,} / {total_records:,} records in {spent:7.1f} s")
            last_logged[:] = [done, now]

    with private_tmpdir() as tmp:
        folder = tmp / "vault"
        t0 = time.perf_counter()
        vault = create_vault(folder, passphrase)
        vault_create_s = time.perf_counter() - t0
        log(f"Vault.create took {vault_create_s:.2f} s; adding {count:,} interviews "
            f"({total_records:,} records) through the Store, budget {budget:.0f} s")
        try:
            records, create_s = add_batches(vault, testimonies(Fiction(), count),
                                            budget_s=budget, on_batch=on_batch)
            interviews = vault.store.count(Interview)
            hits = len(search(vault.conn, "Співкамерник", limit=1_000_000))
        finally:
            vault.close()
        stopped = records < total_records
        assert interviews * RECORDS_PER_INTERVIEW == records, (interviews, records)
        db_bytes = file_size(folder / db.DB_NAME)
        wal_bytes = file_size(folder / f"{db.DB_NAME}-wal")

        hdr = header.read_header(folder)
        log("reopening: key derivation excluded (data key unwrapped once, not timed)")
        dek = header.unwrap_with_passphrase(hdr, passphrase)
        without_kdf = time_open(folder, hdr, dek, RUNS)
        log("reopening: key derivation included (Vault.open)")
        with_kdf = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            vault = Vault.open(folder, passphrase)
            with_kdf.append(time.perf_counter() - t0)
            vault.close()

    rate = records / create_s if create_s else 0.0
    results: list[Result] = []
    if stopped:
        results.append(report(Result(
            NAME, f"create via Store: only {interviews:,} of {count:,} interviews "
            f"({records:,} records) within the budget", create_s, "s",
            f"all within {budget:g} s", False,
            {"records": records, "records_per_s": rate, "vault_create_s": vault_create_s})))
    else:
        results.append(info(NAME, f"create {count:,} interviews ({total_records:,} records) "
                                  "via Store", create_s, "s", records_per_s=rate,
                            vault_create_s=vault_create_s))
    held = f" ({interviews:,} interviews)" if stopped else ""
    results += [
        info(NAME, "vault.db size" + held, db_bytes / MB, "MB", bytes=db_bytes,
             wal_bytes=wal_bytes, bytes_per_record=db_bytes / max(records, 1),
             text_index_hits=hits),
        at_most(NAME, f"reopen, key derivation excluded, median of {RUNS}" + held,
                median_ms(without_kdf), "ms", TARGET_OPEN_MS, strict=True,
                runs_ms=[round(t * 1000, 3) for t in without_kdf]),
        info(NAME, f"reopen, key derivation included (Argon2 floor), median of {RUNS}" + held,
             median_ms(with_kdf), "ms", runs_ms=[round(t * 1000, 3) for t in with_kdf]),
    ]
    return results
