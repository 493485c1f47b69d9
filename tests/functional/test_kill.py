"""Kill -9 the app right after a burst of typing: everything it showed as saved is there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from testimony_app import config
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.detention import Sighting
from testimony_app.domain.interview import Interview
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE, REPO

SCRIPT = Path(__file__).with_name("typing_app.py")


def plaintext_files(root: Path, needles: list[str]) -> list[str]:
    """Files under ``root`` holding any of ``needles`` as UTF-8 or UTF-16 text."""
    found = []
    encoded = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le")]
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(e in data for e in encoded):
                found.append(str(path.relative_to(root)))
    return found


def test_sigkill_after_typing_loses_nothing_shown_as_saved(
        tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf_params=Argon2Params.floor()).vault.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONY_")}
    env.update(QT_QPA_PLATFORM="offscreen", TESTIMONY_KDF_FLOOR="1", TESTIMONY_LANG="en",
               TESTIMONY_CONFIG_DIR=str(tmp_path / "config"),
               TESTIMONY_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"), PYTHONPATH=str(REPO),
               TEST_PASSPHRASE=PASSPHRASE)
    monkeypatch.setenv("TESTIMONY_CONFIG_DIR", env["TESTIMONY_CONFIG_DIR"])
    prefs = config.Preferences.load()
    prefs.remember_vault(folder)
    prefs.save()

    process = subprocess.Popen([sys.executable, str(SCRIPT)], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    saved: list[dict[str, str]] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("SAVED "):
                saved.append(json.loads(line[6:]))
                if len(saved) == 2:  # the app is typing the third burst now
                    break
            assert not line.startswith("TIMEOUT"), line
    finally:
        process.send_signal(signal.SIGKILL)
        _out, err = process.communicate(timeout=60)
    assert len(saved) == 2, err
    assert process.returncode == -signal.SIGKILL

    # Killed mid-typing: nothing of it in plaintext anywhere (no temp files, no Qt settings).
    typed = ["Нас тримали", "Сашко з Маріуполя", "Скажіть мамі", "Третій шматок"]
    assert plaintext_files(tmp_path, typed) == []

    last = saved[-1]
    with Vault.open(folder, PASSPHRASE) as vault:
        (interview,) = vault.store.list(Interview)
        (sighting,) = vault.store.list(Sighting)
    assert interview.narrative.startswith(last["narrative"])
    assert sighting.name_as_heard == last["name"]
    assert sighting.message_for_family.startswith(last["message"])
    assert "Скажіть мамі" in sighting.message_for_family
