"""UI tests: real widgets offscreen, a real vault in ``tmp_path``, one window per test."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TESTIMONY_KDF_FLOOR"] = "1"

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from testimony_app import config  # noqa: E402
from testimony_app.services.vaults import UnlockThrottle  # noqa: E402
from testimony_app.ui.main_window import MainWindow  # noqa: E402
from testimony_app.ui.workers import Worker  # noqa: E402
from testimony_app.vault.vault import Vault  # noqa: E402

PASSPHRASE = "correct horse battery staple"
WAIT_MS = 20_000  # key derivation on a slow CI machine


@pytest.fixture(autouse=True)
def app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TESTIMONY_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TESTIMONY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TESTIMONY_KDF_FLOOR", "1")
    return tmp_path


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.shutdown()


@pytest.fixture
def jobs() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.shutdown()


@pytest.fixture
def throttle() -> UnlockThrottle:
    """Short delays: the growth is what is tested, not the waiting."""
    return UnlockThrottle(base=0.05, cap=0.2)


@pytest.fixture
def make_window(qtbot, worker: Worker, jobs: Worker,
                throttle: UnlockThrottle) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(config.Preferences.load(), worker, throttle, jobs=jobs)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitActive(window)
        windows.append(window)
        return window

    yield make
    for window in windows:  # before the worker shuts down, so the vault closes on its thread
        window.close()
    gc.unfreeze()  # what a window froze (ui.memory) must not outlive its test


@pytest.fixture
def known_vault(tmp_path: Path) -> Path:
    """A vault made earlier and remembered in the preferences, as on a second start."""
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, name="Field team").vault.close()
    prefs = config.Preferences.load()
    prefs.remember_vault(folder)
    prefs.save()
    return folder
