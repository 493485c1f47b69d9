"""Shared by the Sync page: texts for counts, and a row that shows a long task's progress.

Export and import run on the vault thread (they use the vault's own connection). They report
progress through a small thread-safe holder that a timer reads, and poll a ``threading.Event``
to cancel, so no Qt object is touched off the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from testimony_app.i18n import N_, _, gettext, ngettext
from testimony_app.sync import exporter
from testimony_app.ui.widgets import PlainLabel
from testimony_app.ui.workers import Progress

POLL_MS = 100

ENTITY_NAMES = {
    "person": N_("People"), "site": N_("Sites"), "interview": N_("Interviews"),
    "consent": N_("Consents"), "capture": N_("Captures"), "episode": N_("Detention episodes"),
    "act": N_("Acts"), "actor": N_("Perpetrators"), "involvement": N_("Involvements"),
    "sighting": N_("Sightings"), "attachment": N_("Attachments"),
    "custody": N_("Custody entries"),
}


def entity_name(entity: str) -> str:
    return gettext(ENTITY_NAMES.get(entity, entity))


def counts_text(counts: dict[str, int]) -> str:
    """One line per kind of record, in the order of the data model."""
    return "\n".join(f"{entity_name(name)}: {n}" for name, n in exporter.entities_in(counts))


def size_text(size: int) -> str:
    if size < 1 << 20:
        return _("{n} KB").format(n=max(1, size // 1024) if size else 0)
    return _("{n} MB").format(n=f"{size / (1 << 20):.1f}")


class TaskRow(QWidget):
    """Progress of the one long task the page runs at a time, with Cancel."""

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = PlainLabel(wrap=True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop; nothing is written or changed"))
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status)
        column.addLayout(row)
        self._progress = Progress()
        self._cancel = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, text: str) -> tuple[Callable[[int, int, str], None], Callable[[], bool]]:
        """Show the row; returns the ``progress`` and ``cancel`` callables for the service."""
        self._progress = Progress()
        self._cancel = threading.Event()
        self.status.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self._timer.start()
        self.show()
        return self._progress, self._cancel.is_set

    def _poll(self) -> None:
        done, total, _stage = self._progress.read()
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Cancelling…"))

    def stop(self) -> None:
        self._timer.stop()
        self.hide()


def bundles_text(n: int) -> str:
    return ngettext("{n} bundle", "{n} bundles", n).format(n=n)


def section(title: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    column = QVBoxLayout(box)
    column.setSpacing(8)
    return box, column


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
