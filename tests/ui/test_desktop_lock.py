"""The vault locks when the computer is about to sleep or the desktop session locks, and time
spent asleep counts toward the idle lock.

The announcements are sent for real, by ``dbus-send``, on a private D-Bus daemon started for the
test, the same signals logind and the screen savers send."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection

from testimony_app.ui.idle import IdleWatcher
from testimony_app.ui.session_watch import SessionWatcher
from tests.ui.conftest import WAIT_MS
from tests.ui.drive import new_interview, type_into, unlock, wait_saved
from tests.ui.screen_text import all_text, flush_deletions

NARRATIVE = "Нас вивезли вночі до іншого місця"


@pytest.fixture
def bus() -> Iterator[tuple[QDBusConnection, str]]:
    if shutil.which("dbus-daemon") is None or shutil.which("dbus-send") is None:
        pytest.fail("dbus-daemon and dbus-send are needed (Debian: dbus-daemon, dbus-bin)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        name = f"test-bus-{daemon.pid}"
        connection = QDBusConnection.connectToBus(address, name)
        assert connection.isConnected()
        yield connection, address
        QDBusConnection.disconnectFromBus(name)
    finally:
        daemon.terminate()
        daemon.wait()


def announce(address: str, path: str, signal: str, *args: str) -> None:
    subprocess.run(["dbus-send", f"--bus={address}", "--type=signal", path, signal, *args],
                   check=True)


@pytest.mark.parametrize("signal", [
    ("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep",
     "boolean:true"),
    ("/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session.Lock"),
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged",
     "boolean:true"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", "boolean:true"),
], ids=["sleep", "session-lock", "screen-saver", "gnome-screen-saver"])
def test_sleep_or_a_locked_screen_locks_the_vault(qtbot, make_window, known_vault: Path, bus,
                                                  signal: tuple[str, ...]) -> None:
    connection, address = bus
    window = make_window()
    window.listen_to(SessionWatcher(window, system=connection, session=connection))
    unlock(qtbot, window)
    editor = new_interview(qtbot, window)
    type_into(qtbot, editor.section("narrative").narrative, NARRATIVE)
    wait_saved(qtbot, window)
    vault = window.session.vault
    # Waking up, or the screen saver going away, is no reason to lock.
    announce(address, "/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep",
             "boolean:false")
    announce(address, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged",
             "boolean:false")

    announce(address, *signal)
    qtbot.waitUntil(lambda: not vault.is_open, timeout=WAIT_MS)
    assert window.session is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    flush_deletions()
    assert NARRATIVE not in all_text(window)


def test_the_two_false_announcements_alone_leave_the_vault_open(qtbot, make_window,
                                                               known_vault: Path, bus) -> None:
    connection, address = bus
    window = make_window()
    watcher = window.listen_to(SessionWatcher(window, system=connection, session=connection))
    unlock(qtbot, window)
    with qtbot.waitSignal(watcher.locking, timeout=WAIT_MS) as locked:
        announce(address, "/org/freedesktop/login1",
                 "org.freedesktop.login1.Manager.PrepareForSleep", "boolean:false")
        announce(address, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged",
                 "boolean:false")
        # Signals arrive in order: this last one proves the two before it were delivered.
        announce(address, "/org/mate/ScreenSaver", "org.mate.ScreenSaver.ActiveChanged",
                 "boolean:true")
    assert locked.args == ["screen-saver"]


def test_time_asleep_counts_toward_the_idle_lock(qtbot) -> None:
    """The watcher's clock is the one thing that knows a suspend happened; here it is driven
    by the test (timeout 400 ms, checked every 100 ms)."""
    now = [1000.0]
    watcher = IdleWatcher(clock=lambda: now[0])
    watcher.set_timeout_ms(400)
    watcher.start()
    with qtbot.assertNotEmitted(watcher.idle, wait=300):
        now[0] += 0.3
    # The lid was closed for an hour: the first check after waking locks.
    with qtbot.waitSignal(watcher.idle, timeout=WAIT_MS):
        now[0] += 3600


def test_the_idle_clock_counts_time_asleep_on_linux() -> None:
    import sys
    import time

    from testimony_app.ui.idle import awake_or_asleep_clock

    clock = awake_or_asleep_clock()
    if sys.platform.startswith("linux"):
        assert abs(clock() - time.clock_gettime(time.CLOCK_BOOTTIME)) < 1.0
        assert clock is not time.monotonic
