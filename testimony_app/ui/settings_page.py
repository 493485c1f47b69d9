"""Settings: language, automatic locking, and what identifies this vault and device.

Only non-secret preferences are kept (``config.Preferences``); the vault's name is shown here
but lives inside the encrypted database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from testimony_app import config
from testimony_app.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from testimony_app.ui.form import caption, heading
from testimony_app.ui.session import VaultSummary
from testimony_app.ui.widgets import ElidedLabel, PlainLabel, monospace, muted_label

_SELECTABLE = (Qt.TextInteractionFlag.TextSelectableByMouse
               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
MAX_IDLE_MINUTES = 240


class SettingsPage(QWidget):
    language_chosen = Signal(str)
    idle_minutes_changed = Signal(int)
    lock_requested = Signal()

    def __init__(self, prefs: config.Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(LANGUAGES.index(current_language()))
        self.idle = QSpinBox()
        self.idle.setRange(1, MAX_IDLE_MINUTES)
        self.idle.setValue(max(1, min(MAX_IDLE_MINUTES, prefs.idle_lock_minutes)))
        self.idle.setSuffix(" " + _("min"))
        for field in (self.language, self.idle):
            field.setMaximumWidth(320)
        self.name = PlainLabel(wrap=True)
        self.vault_id = PlainLabel()
        self.vault_id.setFont(monospace())
        self.fingerprint = PlainLabel()
        self.fingerprint.setFont(monospace())
        self.folder = ElidedLabel()
        for label in (self.name, self.vault_id, self.fingerprint):
            label.setTextInteractionFlags(_SELECTABLE)
        self.lock_button = QPushButton(_("Lock now"))
        self.lock_button.setToolTip(_("Lock the vault (Ctrl+L)"))

        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(8)
        column.addWidget(heading(_("Settings")))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._row(form, _("Language"), self.language,
                  _("Menus, forms and lists change at once."))
        self._row(form, _("Lock after"), self.idle,
                  _("Minutes without keyboard or mouse before the vault locks itself."))
        column.addLayout(form)
        column.addWidget(heading(_("This vault")))
        about = QFormLayout()
        about.setHorizontalSpacing(14)
        about.setVerticalSpacing(8)
        self._row(about, _("Name"), self.name)
        self._row(about, _("Vault ID"), self.vault_id)
        self._row(about, _("This device's fingerprint"), self.fingerprint, _(
            "Your coordinator compares this fingerprint to know that bundles come from this "
            "device."))
        self._row(about, _("Folder"), self.folder)
        column.addLayout(about)
        buttons = QHBoxLayout()
        buttons.addWidget(self.lock_button)
        buttons.addStretch(1)
        column.addSpacing(6)
        column.addLayout(buttons)
        column.addStretch(1)

        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(self.language.currentData()))
        self.idle.valueChanged.connect(self.idle_minutes_changed)
        self.lock_button.clicked.connect(self.lock_requested)

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget, hint: str = "") -> None:
        label = caption(text)
        label.setMaximumWidth(220)
        label.setBuddy(field)
        field.setAccessibleName(text)
        if hint:
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(field)
            box.addWidget(muted_label(hint))
            form.addRow(label, box)
        else:
            form.addRow(label, field)

    def show_summary(self, summary: VaultSummary) -> None:
        self.name.setText(summary.name or _("(no name)"))
        self.vault_id.setText(summary.vault_id)
        self.fingerprint.setText(summary.fingerprint)
        self.folder.set_full_text(str(summary.folder))

    def activate(self) -> None:
        self.language.setFocus()

    def clear(self) -> None:
        for label in (self.name, self.vault_id, self.fingerprint):
            label.setText("")
        self.folder.set_full_text("")
