"""2. Opening a vault after key derivation.

A vault holding 10,000 fictional interviews (``--quick``: 1,000), each with its interviewee,
is built through the ``Store`` (not timed here: benchmarks 1 and 4 time inserts). The data key is unwrapped once with the passphrase (Argon2, not
timed); then ``Vault(folder, header, dek)`` is constructed and closed five times and the median
is compared with the target: under 50 ms.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Iterator
from pathlib import Path

from bench import Result, at_most, log, median_ms, new_passphrase, private_tmpdir
from bench.data import Fiction, batches
from bench.vaults import add_batches, create_vault
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.vault import header
from testimony_app.vault.vault import Vault

NAME = "open"
TARGET_MS = 50.0
RUNS = 5


def time_open(folder: Path, hdr: header.Header, dek: bytes, runs: int = RUNS) -> list[float]:
    """Seconds for each of ``runs`` constructions of ``Vault`` (closed again, not timed)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        vault = Vault(folder, hdr, dek)
        times.append(time.perf_counter() - t0)
        vault.close()
    return times


def profile_open(folder: Path, hdr: header.Header, dek: bytes, top: int = 12) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    vault = Vault(folder, hdr, dek)
    profiler.disable()
    vault.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def interviews(fiction: Fiction, count: int) -> Iterator[Record]:
    for n in range(1, count + 1):
        person = fiction.person(n)
        yield person
        yield fiction.interview(n, person.id)


def run(quick: bool = False, *, profile: bool = False, count: int | None = None
        ) -> list[Result]:
    count = count or (1_000 if quick else 10_000)
    passphrase = new_passphrase()
    with private_tmpdir() as tmp:
        folder = tmp / "vault"
        vault = create_vault(folder, passphrase)
        log(f"building a vault of {count:,} interviews, each with its interviewee")
        try:
            added, seconds = add_batches(vault, batches(interviews(Fiction(), count), 100))
            stored = vault.store.count(Interview)
        finally:
            vault.close()
        assert stored == count, (stored, count)
        log(f"built in {seconds:.1f} s; unwrapping the data key once (Argon2, not timed)")
        hdr = header.read_header(folder)
        dek = header.unwrap_with_passphrase(hdr, passphrase)
        times = time_open(folder, hdr, dek)
        if profile:
            log("--profile: one Vault() construction, by cumulative time")
            print(profile_open(folder, hdr, dek), flush=True)
    runs_ms = [round(t * 1000, 3) for t in times]
    return [at_most(NAME, f"Vault() on {count:,} interviews, median of {RUNS}",
                    median_ms(times), "ms", TARGET_MS, strict=True, runs_ms=runs_ms,
                    interviews=count, records=added)]
