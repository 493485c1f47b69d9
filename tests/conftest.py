"""Shared test setup: every test gets its own config/data/temp folders, and vaults use the
Argon2 floor (still the safe minimum) so hundreds of vaults can be made quickly."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TESTIMONY_KDF_FLOOR"] = "1"

from testimony_app import i18n  # noqa: E402
from testimony_app.crypto.kdf import Argon2Params  # noqa: E402
from testimony_app.vault.vault import Vault  # noqa: E402

PASSPHRASE = "correct horse battery staple"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("appdirs")
    monkeypatch.setenv("TESTIMONY_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("TESTIMONY_DATA_DIR", str(base / "data"))
    tmp = base / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path):
    created = Vault.create(vault_dir, PASSPHRASE, name="Test vault",
                           kdf_params=Argon2Params.floor())
    yield created.vault
    created.vault.close()
