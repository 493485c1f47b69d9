"""Creating, unlocking, recovering and re-keying a vault."""

from __future__ import annotations

import json
import os

import pytest

from testimony_app import errors
from testimony_app.crypto import kdf
from testimony_app.services import vaults
from testimony_app.vault import header
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.factory import interview


def test_create_writes_private_files_and_opens_again(vault, vault_dir):
    assert {p.name for p in vault_dir.iterdir()} >= {"vault.json", "vault.db", "blobs"}
    for p in vault_dir.rglob("*"):
        mode = os.stat(p).st_mode & 0o777
        assert mode & 0o077 == 0, f"{p.name} is readable by others ({oct(mode)})"
    with vault.transaction() as store:
        store.add(interview(narrative="kept"))
    vault.close()
    with Vault.open(vault_dir, PASSPHRASE) as again:
        assert again.name == "Test vault"
        assert again.device.fingerprint == vault.device.fingerprint
        assert [i.narrative for i in again.store.list(type(interview()))] == ["kept"]


def test_wrong_passphrase_is_refused(vault, vault_dir):
    vault.close()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE + "x")


def test_short_passphrase_is_refused(tmp_path):
    with pytest.raises(errors.WeakPassphrase):
        Vault.create(tmp_path / "v", "short")
    assert not (tmp_path / "v").exists()


def test_create_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "notes.txt").write_text("x")
    with pytest.raises(errors.VaultExists):
        Vault.create(tmp_path / "v", PASSPHRASE)


def test_passphrase_change_rewraps_without_touching_the_database(vault, vault_dir):
    before = (vault_dir / "vault.db").read_bytes()
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (vault_dir / "vault.db").read_bytes()
    vault.change_passphrase("a brand new passphrase", kdf.Argon2Params.floor())
    vault.close()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)
    with Vault.open(vault_dir, "a brand new passphrase") as again:
        assert again.store.count(type(interview())) == 0
    # Only the audit entry of the change was added: the page encryption is unchanged.
    assert (vault_dir / "vault.db").read_bytes()[:16] == before[:16]


def test_recovery_code_opens_and_sets_a_new_passphrase(vault_dir):
    created = Vault.create(vault_dir, PASSPHRASE, kdf_params=kdf.Argon2Params.floor())
    code = created.recovery_code
    created.vault.close()
    # People copy codes with spaces, lower case, or a 0 for an O.
    messy = code.lower().replace("-", " ")
    vaults.recover(vault_dir, messy, "the replacement passphrase", kdf.Argon2Params.floor()).close()
    Vault.open(vault_dir, "the replacement passphrase").close()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)


def test_wrong_recovery_code_is_refused(vault, vault_dir):
    vault.close()
    before = (vault_dir / "vault.json").read_bytes()
    with pytest.raises(errors.WrongRecoveryCode):
        vaults.recover(vault_dir, kdf.new_recovery_code(), "the replacement passphrase")
    with pytest.raises(errors.WrongRecoveryCode):
        vaults.recover(vault_dir, "not a code", "the replacement passphrase")
    assert (vault_dir / "vault.json").read_bytes() == before


@pytest.mark.parametrize("field", ["memory_kib", "time_cost", "salt"])
def test_tampered_kdf_parameters_fail_like_a_wrong_passphrase(vault, vault_dir, field):
    vault.close()
    data = json.loads((vault_dir / "vault.json").read_text())
    slot = next(s for s in data["slots"] if s["kind"] == "passphrase")
    slot["kdf"][field] = ("AAAAAAAAAAAAAAAAAAAAAA==" if field == "salt"
                          else slot["kdf"][field] + 1)
    (vault_dir / "vault.json").write_text(json.dumps(data))
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)


def test_kdf_floor_is_enforced():
    with pytest.raises(ValueError):
        kdf.Argon2Params(memory_kib=32 * 1024, time_cost=3)
    with pytest.raises(ValueError):
        kdf.Argon2Params(memory_kib=64 * 1024, time_cost=2)


def test_calibration_never_goes_below_the_floor(monkeypatch):
    monkeypatch.delenv("TESTIMONY_KDF_FLOOR")
    params = kdf.calibrate(target_seconds=0.01)
    assert params.memory_kib >= kdf.FLOOR_MEMORY_KIB and params.time_cost >= 3


def test_unlock_throttle_grows():
    throttle = vaults.UnlockThrottle(base=1, cap=8)
    delays = []
    for _ in range(6):
        delays.append(throttle.delay())
        throttle.failed()
    assert delays == [0, 1, 2, 4, 8, 8]
    throttle.succeeded()
    assert throttle.delay() == 0


def test_header_is_authenticated_per_vault(vault, vault_dir, tmp_path):
    """A key slot copied into another vault's header does not open it."""
    other = Vault.create(tmp_path / "other", PASSPHRASE, kdf_params=kdf.Argon2Params.floor())
    other.vault.close()
    vault.close()
    mine = json.loads((vault_dir / "vault.json").read_text())
    theirs = json.loads((tmp_path / "other" / "vault.json").read_text())
    theirs["slots"] = mine["slots"]
    (tmp_path / "other" / "vault.json").write_text(json.dumps(theirs))
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(tmp_path / "other", PASSPHRASE)
    assert header.read_header(vault_dir).vault_id == mine["vault_id"]
