"""1. Inserts: SQLCipher vault vs plain SQLite, same schema, same Store, same run.

The same N fictional records (Person, Interview, Act, Sighting, in that order, repeated) go
through ``Store.add`` into a real vault (``Vault.create``) and into an unencrypted SQLite file
opened with the stdlib ``sqlite3`` module, the vault's pragmas and the vault's migration steps.
Both take 100 records per transaction (``db.transaction``: BEGIN IMMEDIATE ... COMMIT). The two
are interleaved batch by batch (alternating which goes first) so that neither gets a warmer
machine; only the transactions are timed.

Target: encrypted within 1.6x of plain. A time budget stops both at the same record count if
the run would take too long; a stopped run is a MISS.
"""

from __future__ import annotations

import collections
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import Result, info, log, new_passphrase, private_tmpdir, report
from bench.data import Fiction, batches
from bench.vaults import create_vault, file_size
from testimony_app.vault import db, migrations
from testimony_app.vault.store import Store

NAME = "inserts"
TARGET_RATIO = 1.6
PER_TRANSACTION = 100


def connect_plain(path: Path, cache_size: int) -> sqlite3.Connection:
    """An unencrypted database set up like ``db.connect`` (same pragmas, same order), with
    the page cache the vault's connection has (SQLCipher's default differs from SQLite's)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True,
                           timeout=db.BUSY_TIMEOUT_MS / 1000)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA busy_timeout = {db.BUSY_TIMEOUT_MS}")
    migrations.migrate(conn, path.parent)
    return conn


class TimedConnection:
    """Adds up the time spent per SQL statement (``--profile`` only)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.stats: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])

    @property
    def in_transaction(self) -> bool:
        return bool(self._conn.in_transaction)

    def execute(self, sql: str, params: Any = ()) -> Any:
        t0 = time.perf_counter()
        try:
            return self._conn.execute(sql, params)
        finally:
            entry = self.stats[" ".join(sql.split())[:70]]
            entry[0] += 1
            entry[1] += time.perf_counter() - t0

    def top(self, n: int = 5) -> list[tuple[str, int, float]]:
        rows = sorted(self.stats.items(), key=lambda kv: -kv[1][1])[:n]
        return [(sql, int(c), s) for sql, (c, s) in rows]


def run(quick: bool = False, *, budget_s: float | None = None, profile: bool = False,
        records: int | None = None) -> list[Result]:
    total = records or (2_000 if quick else 20_000)
    budget = budget_s if budget_s is not None else (180.0 if quick else 600.0)
    fiction = Fiction()
    log(f"making {total:,} fictional records (Person, Interview, Act, Sighting)")
    rows = [r for n in range(1, total // 4 + 2) for r in fiction.quartet(n)][:total]

    with private_tmpdir() as tmp:
        vault = create_vault(tmp / "vault", new_passphrase())
        cache_size = int(vault.conn.execute("PRAGMA cache_size").fetchone()[0])
        sqlcipher_version = "{} (SQLite {})".format(
            vault.conn.execute("PRAGMA cipher_version").fetchone()[0],
            vault.conn.execute("SELECT sqlite_version()").fetchone()[0])
        plain_conn = connect_plain(tmp / "plain.db", cache_size)
        enc_conn: Any = vault.conn
        plain: Any = plain_conn
        if profile:
            enc_conn, plain = TimedConnection(vault.conn), TimedConnection(plain_conn)
        stores = {"plain": Store(plain, vault.device.id),
                  "sqlcipher": Store(enc_conn, vault.device.id)}
        conns = {"plain": plain_conn, "sqlcipher": vault.conn}
        spent = {"plain": 0.0, "sqlcipher": 0.0}
        checkpoints: list[dict[str, float]] = []
        done = 0
        step = max(total // 10, PER_TRANSACTION)
        stopped = False
        try:
            for k, batch in enumerate(batches(rows, PER_TRANSACTION)):
                order = ("plain", "sqlcipher") if k % 2 == 0 else ("sqlcipher", "plain")
                for engine in order:
                    store = stores[engine]
                    t0 = time.perf_counter()
                    with db.transaction(conns[engine]):
                        for record in batch:
                            store.add(record)
                    spent[engine] += time.perf_counter() - t0
                done += len(batch)
                if done % step == 0 or done == total:
                    checkpoints.append({"records": done, **spent})
                    log(f"{done:>7,} records: plain {spent['plain']:7.1f} s, "
                        f"sqlcipher {spent['sqlcipher']:7.1f} s")
                if done < total and spent["plain"] + spent["sqlcipher"] >= budget:
                    stopped = True
                    checkpoints.append({"records": done, **spent})
                    log(f"time budget of {budget:g} s spent: stopping both at {done:,} records")
                    break
            if profile:
                for engine, conn in (("plain", plain), ("sqlcipher", enc_conn)):
                    log(f"--profile, {engine}: time per SQL statement (top 5)")
                    for sql, count, seconds in conn.top():
                        log(f"  {seconds:8.2f} s {count:8,}x  {sql}")
        finally:
            plain_conn.close()
            vault.close()
        sizes = {"plain_db_bytes": file_size(tmp / "plain.db"),
                 "vault_db_bytes": file_size(tmp / "vault" / db.DB_NAME)}

    versions = {"plain_sqlite": sqlite3.sqlite_version, "sqlcipher": sqlcipher_version,
                "cache_size": cache_size,
                "per_transaction": PER_TRANSACTION,
                "records_planned": total, "records_done": done, "stopped_by_budget": stopped,
                "budget_s": budget, "checkpoints": checkpoints, **sizes}
    ratio = spent["sqlcipher"] / spent["plain"] if spent["plain"] else float("inf")
    suffix = f" (stopped at {done:,} of {total:,}: budget)" if stopped else ""
    results = [
        info(NAME, f"plain SQLite, {done:,} records", spent["plain"], "s",
             records_per_s=done / spent["plain"] if spent["plain"] else 0.0),
        info(NAME, f"SQLCipher vault, {done:,} records", spent["sqlcipher"], "s",
             records_per_s=done / spent["sqlcipher"] if spent["sqlcipher"] else 0.0),
    ]
    # An unfinished run cannot pass, whatever its ratio so far.
    results.append(report(Result(NAME, "encrypted / plain" + suffix, ratio, "x",
                                 f"<= {TARGET_RATIO:g}x", ratio <= TARGET_RATIO and not stopped,
                                 versions)))
    return results
