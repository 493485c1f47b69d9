"""Vaults made by earlier releases open and migrate; the old database is backed up first."""

from __future__ import annotations

import shutil

from testimony_app.domain.interview import Interview
from testimony_app.services import vaults
from testimony_app.vault import migrations, text_index
from testimony_app.vault.db import schema_version
from testimony_app.vault.vault import Vault
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "vault-schema1"
PASSPHRASE = "fixture passphrase schema 1"
RECOVERY = "QPUH-6HZB-XS7G-R653-SZK5-G5W2-V6F5-ZBDH"


def test_schema1_fixture_opens_and_migrates(tmp_path):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)
    original_db = (folder / "vault.db").read_bytes()
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.previous_schema == 1
        assert schema_version(vault.conn) == migrations.LATEST
        [interview] = vault.store.list(Interview)
        assert "Фікстура першої версії" in interview.narrative
        # Schema 2 indexed the existing records.
        assert text_index.search(vault.conn, "підвалі")
        assert vaults.verify(vault) == []
    backups = list((folder / "backups").iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == original_db
    # A second open has nothing to migrate and makes no second backup.
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.previous_schema == migrations.LATEST
    assert len(list((folder / "backups").iterdir())) == 1


def test_schema1_fixture_opens_with_its_recovery_code(tmp_path):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)
    Vault.open_with_recovery_code(folder, RECOVERY).close()


def test_failed_migration_leaves_the_vault_as_it_was(tmp_path, monkeypatch):
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration step failed")

    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, (99, broken)))
    monkeypatch.setattr(migrations, "LATEST", 99)
    try:
        Vault.open(folder, PASSPHRASE)
    except RuntimeError:
        pass
    monkeypatch.undo()
    with Vault.open(folder, PASSPHRASE) as vault:
        tables = {r[0] for r in vault.conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
        assert vaults.verify(vault) == []
