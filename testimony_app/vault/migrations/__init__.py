"""Versioned schema migrations.

``PRAGMA user_version`` holds the schema version. Opening a vault whose version is newer than
``LATEST`` is refused before anything is written. Upgrading an existing vault first copies the
(encrypted) database to ``backups/`` and then applies every step in one transaction.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from testimony_app import errors, fs
from testimony_app.vault.db import Connection, schema_version
from testimony_app.vault.migrations import (
    m0001_initial,
    m0002_text_index,
    m0003_sync,
    m0004_interview_text,
    m0005_held_drafts,
)

Step = Callable[[Connection], None]

STEPS: tuple[tuple[int, Step], ...] = (
    (1, m0001_initial.apply),
    (2, m0002_text_index.apply),
    (3, m0003_sync.apply),
    (4, m0004_interview_text.apply),
    (5, m0005_held_drafts.apply),
)
LATEST = STEPS[-1][0]


def check_version(conn: Connection) -> int:
    version = schema_version(conn)
    if version > LATEST:
        raise errors.VaultTooNew(found=version, supported=LATEST)
    return version


def backup(conn: Connection, folder: Path, version: int) -> Path:
    """Copy the encrypted database aside before changing its schema."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backups = fs.private_mkdir(folder / "backups")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"vault-schema{version}-{stamp}.db"
    with (folder / "vault.db").open("rb") as src, fs.atomic_writer(target) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def migrate(conn: Connection, folder: Path) -> int:
    """Bring the schema to LATEST; returns the version the vault had."""
    version = check_version(conn)
    if version == LATEST:
        return version
    if version > 0:
        backup(conn, folder, version)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number, step in STEPS:
            if number > version:
                step(conn)
                conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version
