"""Opening the SQLCipher database with the pragmas that keep it encrypted and durable.

Order matters: the key first; then silence SQLCipher's own logging; then a read that fails if
the key or the file is wrong; only then anything that may write (WAL mode). ``temp_store`` is
MEMORY because SQLCipher's temporary files are not encrypted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from testimony_app import errors

DB_NAME = "vault.db"
BUSY_TIMEOUT_MS = 10_000

Connection = Any  # sqlcipher3.Connection: untyped third-party class

# Work done inside every transaction just before it commits, registered by the module that
# owns some derived data (the interviews' search documents) so that it never lags the records.
_BEFORE_COMMIT: list[Callable[[Connection], None]] = []


def before_commit(hook: Callable[[Connection], None]) -> Callable[[Connection], None]:
    if hook not in _BEFORE_COMMIT:
        _BEFORE_COMMIT.append(hook)
    return hook


def _key_pragma(db_key: bytes) -> str:
    if len(db_key) != 32:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{db_key.hex()}'\""


def connect(path: Path, db_key: bytes, *, create: bool = False) -> Connection:
    """Open and check the database; raises VaultDatabaseDamaged if it cannot be read."""
    if not create and not path.is_file():
        raise errors.VaultDatabaseDamaged()
    uri = f"file:{path}?mode={'rwc' if create else 'rw'}"
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=True,
                                  timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlcipher3.Error as exc:
        raise errors.VaultDatabaseDamaged() from exc
    try:
        conn.execute(_key_pragma(db_key))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlcipher3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise errors.VaultBusy() from exc
        raise errors.VaultDatabaseDamaged() from exc
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise errors.VaultDatabaseDamaged() from exc
    return conn


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT; rolls back on any exception. Not re-entrant."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher3.OperationalError as exc:
        raise errors.VaultBusy() from exc
    try:
        yield conn
        for hook in _BEFORE_COMMIT:
            hook(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlcipher3.DatabaseError as exc:
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        raise errors.VaultDatabaseDamaged() from exc


@contextlib.contextmanager
def page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """A page cache of ``kib`` KiB for one long piece of work, then the size it had. A bundle
    import writes to many tables and indexes at once: with SQLite's default (2 MiB), most
    writes would first read back, and decrypt, a page the cache had to drop."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


def integrity_problems(conn: Connection) -> list[str]:
    """Results of cipher_integrity_check (HMAC of every page) and SQLite's integrity_check."""
    problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        problems.extend(rows)
    return problems
