"""SIGKILL a writing process at random moments: the vault always opens, verifies clean, and
holds every edit whose commit returned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from testimony_app.domain.evidence import Attachment
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.services import vaults
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE, REPO
from tests.factory import interview

KILLS = 50


@pytest.mark.slow
def test_sigkill_during_writes_loses_nothing_acknowledged(vault, vault_dir):
    with vault.transaction() as store:
        store.add(interview())
    vault.close()
    rng = random.Random(20261122)
    acked: list[tuple[str, str, int, str]] = []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_no in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.crash_writer", str(vault_dir), PASSPHRASE,
             str(round_no)], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
        assert proc.stdout is not None
        wanted = rng.randrange(1, 25)
        for _ in range(wanted):
            line = proc.stdout.readline()
            if not line:
                break
            kind, record_id, rev, value = line.rstrip("\n").split(" ", 3)
            acked.append((kind, record_id, int(rev), value))
        time.sleep(rng.random() * 0.03)  # land the kill anywhere inside the next write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

        with Vault.open(vault_dir, PASSPHRASE) as vault:
            assert vaults.verify(vault) == [], f"round {round_no}"
            _check_acknowledged(vault, acked)
    assert len(acked) >= KILLS


def _check_acknowledged(vault, acked):
    last_interview = {}
    for kind, record_id, rev, value in acked:
        if kind == "person":
            assert vault.store.get(Person, record_id).surname == value
        elif kind == "attachment":
            assert vault.store.get(Attachment, record_id).sha256 == value
        else:
            last_interview[record_id] = (rev, value)
    for record_id, (rev, length) in last_interview.items():
        stored = vault.store.get(Interview, record_id)
        assert stored.rev >= rev
        if stored.rev == rev:
            assert len(stored.narrative) == int(length)
