"""Locking when the computer goes to sleep or the desktop session is locked.

A laptop closed in a hurry, or a screen locked by its owner before walking away, must not
leave an open vault behind. On Linux desktops both are announced on D-Bus:

* ``org.freedesktop.login1.Manager.PrepareForSleep(true)`` on the system bus, before a
  suspend or hibernation (logind);
* ``Lock`` of a logind session (``loginctl lock-session``, what screen lockers obey), on the
  system bus;
* ``ActiveChanged(true)`` of the freedesktop, GNOME, MATE or Cinnamon screen saver, on the
  session bus.

Any of them emits :attr:`SessionWatcher.locking`. Where there is no D-Bus (Windows, macOS, a
minimal Linux) nothing is announced; the idle lock still runs, on a clock that counts the time
spent asleep (see ``ui.idle``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

from testimony_app import log

logger = log.get("ui.session_watch")

LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
LOGIND_SESSION = "org.freedesktop.login1.Session"
SCREEN_SAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    ("/org/mate/ScreenSaver", "org.mate.ScreenSaver"),
    ("/org/cinnamon/ScreenSaver", "org.cinnamon.ScreenSaver"),
)


class SessionWatcher(QObject):
    """Emits ``locking(reason)`` when the computer is about to sleep or the session locks."""

    locking = Signal(str)

    def __init__(self, parent: QObject | None = None, *,
                 system: QDBusConnection | None = None,
                 session: QDBusConnection | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        system = system if system is not None else QDBusConnection.systemBus()
        session = session if session is not None else QDBusConnection.sessionBus()
        if system.isConnected():
            self._listen(system, [(LOGIND[1], LOGIND[2], "PrepareForSleep", "_sleep(bool)"),
                                  ("", LOGIND_SESSION, "Lock", "_session_lock()")])
        if session.isConnected():
            self._listen(session, [(path, interface, "ActiveChanged", "_screen_saver(bool)")
                                   for path, interface in SCREEN_SAVERS])

    def _listen(self, bus: QDBusConnection,
                signals: Iterable[tuple[str, str, str, str]]) -> None:
        for path, interface, name, slot in signals:
            # Any sender: the owner of a well-known name may change while we run.
            if bus.connect("", path, interface, name, self, f"1{slot}"):
                self.listening.append(f"{interface}.{name}")
            else:
                logger.info("not listening to %s.%s", interface, name)

    @Slot(bool)
    def _sleep(self, starting: bool) -> None:
        if starting:
            self.locking.emit("sleep")

    @Slot()
    def _session_lock(self) -> None:
        self.locking.emit("session-lock")

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.locking.emit("screen-saver")
