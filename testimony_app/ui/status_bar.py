"""The status bar: which vault, that it is encrypted, this device, and the quiet save state."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStatusBar, QWidget

from testimony_app.i18n import _
from testimony_app.ui import autosave, labels
from testimony_app.ui.session import Session
from testimony_app.ui.widgets import ERROR_COLOUR, ElidedLabel, muted_label, plain_tooltip


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setContentsMargins(8, 0, 8, 2)
        self.state_label = ElidedLabel()
        self.save_label = muted_label()
        self.save_label.setWordWrap(False)
        self.save_label.setAccessibleName(_("Save state"))
        self._muted = self.save_label.palette()
        self._alarm = QPalette(self._muted)
        self._alarm.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
        self.addWidget(self.state_label, 1)
        self.addPermanentWidget(self.save_label)

    def show_session(self, opened: Session | None) -> None:
        if opened is None:
            self.state_label.set_full_text(_("Locked"))
            self.save_label.setText("")
            return
        name = opened.summary.name or _("(no name)")
        self.state_label.set_full_text(
            _("{name} · encrypted vault, unlocked · device {fingerprint}").format(
                name=name, fingerprint=opened.summary.fingerprint))

    def show_save_state(self, state: str, detail: str) -> None:
        alarm = state in (autosave.HELD, autosave.FAILED)
        self.save_label.setPalette(self._alarm if alarm else self._muted)
        if state == autosave.SAVING:
            text = _("Saving…")
        elif state == autosave.SAVED:
            text = _("Saved")
        elif state == autosave.HELD:
            entity, _dot, name = detail.partition(".")
            text = _("Not saved yet: “{field}” is needed.").format(
                field=labels.label(entity, name))
        elif state == autosave.FAILED:
            text = _("Not saved: {reason}").format(reason=detail)
        else:
            text = ""
        self.save_label.setText(text)
        self.save_label.setToolTip(plain_tooltip(text))
