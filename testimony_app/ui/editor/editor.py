"""The interview editor: a list of sections on the left, the chosen one on the right.

Keyboard: Ctrl+PgDown / Ctrl+PgUp move to the next / previous section, Alt+1 … Alt+9 and
Alt+0 jump to one; Tab walks every field of a section. Sections are built the first time they
are shown, so a large interview opens at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from testimony_app.domain.detention import Act, DetentionEpisode, Sighting
from testimony_app.domain.evidence import Attachment
from testimony_app.domain.interview import Consent
from testimony_app.domain.person import Actor
from testimony_app.i18n import _
from testimony_app.services.lookups import interview_label
from testimony_app.ui.editor.acts_section import ActsSection
from testimony_app.ui.editor.attachments_section import AttachmentsSection
from testimony_app.ui.editor.capture_section import CaptureSection
from testimony_app.ui.editor.consent_section import ConsentSection, consent_summary
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.editor.detention_section import DetentionSection
from testimony_app.ui.editor.interview_section import InterviewSection
from testimony_app.ui.editor.interviewee_section import IntervieweeSection
from testimony_app.ui.editor.narrative_section import NarrativeSection
from testimony_app.ui.editor.perpetrators_section import PerpetratorsSection
from testimony_app.ui.editor.section import Section
from testimony_app.ui.editor.sightings_section import SightingsSection
from testimony_app.ui.widgets import ElidedLabel, fit_list_width, muted_label

SECTIONS: tuple[type[Section], ...] = (
    InterviewSection, ConsentSection, IntervieweeSection, CaptureSection, DetentionSection,
    ActsSection, SightingsSection, PerpetratorsSection, AttachmentsSection, NarrativeSection,
)
KEYS = tuple(cls.key for cls in SECTIONS)


class InterviewEditor(QWidget):
    back_requested = Signal()
    casefile_requested = Signal()

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.back_button = QPushButton(_("← Interviews"))
        self.back_button.setToolTip(_("Back to the list of interviews (Alt+Left)"))
        self.title = ElidedLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.consent = muted_label()
        self.consent.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(10)
        top.addWidget(self.title, 1)
        self.export_button = QPushButton(_("Export case file…"))
        self.export_button.setToolTip(_("A signed PDF of this interview for a legal team, the "
                                        "ICRC or advocates (Ctrl+E)"))
        top.addWidget(self.export_button)

        self.nav = QListWidget()
        self.nav.setAccessibleName(_("Sections"))
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        self._built: dict[int, Section] = {}
        for _index in range(len(SECTIONS)):
            self.nav.addItem("")
            self.stack.addWidget(QWidget())
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 4)
        column.setSpacing(6)
        column.addLayout(top)
        column.addWidget(self.consent)
        column.addLayout(body, 1)

        self.nav.currentRowChanged.connect(self._show)
        self.back_button.clicked.connect(self.back_requested)
        self.export_button.clicked.connect(self.casefile_requested)
        ctx.changed.connect(self._changed)
        for sequence, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            QShortcut(QKeySequence(sequence), self, lambda step=step: self.step(step),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for index in range(len(SECTIONS)):
            QShortcut(QKeySequence(f"Alt+{(index + 1) % 10}"), self,
                      lambda index=index: self.show_section(index),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Alt+Left"), self, self.back_requested.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_header()
        self._update_nav()
        fit_list_width(self.nav, 160, 215)
        self.nav.setCurrentRow(0)

    # Sections -------------------------------------------------------------------------------

    def section(self, key: str) -> Section:
        """Show the section ``key`` (building it if needed) and return it."""
        index = KEYS.index(key)
        self.show_section(index)
        return self._built[index]

    def show_section(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def step(self, step: int) -> None:
        self.show_section((self.nav.currentRow() + step) % len(SECTIONS))

    def current_section(self) -> Section | None:
        return self._built.get(self.nav.currentRow())

    def _show(self, index: int) -> None:
        if index < 0:
            return
        section = self._built.get(index)
        if section is None:
            section = SECTIONS[index](self.ctx)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, section)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[index] = section
        section.refresh()
        moving_by_keyboard = not self.nav.hasFocus()
        self.stack.setCurrentIndex(index)
        if moving_by_keyboard:
            section.focus_first()

    def built_sections(self) -> list[Section]:
        return list(self._built.values())

    # Header ---------------------------------------------------------------------------------

    def _changed(self, entity: str) -> None:
        if entity in ("interview", "person"):
            self._update_header()
        self._update_nav()

    def _update_header(self) -> None:
        label = interview_label(self.ctx.interview, self.ctx.interviewee)
        self.title.set_full_text(label or _("New interview"))
        self.consent.setText(consent_summary(self.ctx.records(Consent)))

    def _update_nav(self) -> None:
        for index, cls in enumerate(SECTIONS):
            built = self._built.get(index)
            count = built.count() if built is not None else self._count(cls)
            text = cls.title() if not count else f"{cls.title()}  ({count})"
            item = self.nav.item(index)
            if item.text() != text:
                item.setText(text)
                item.setToolTip(f"{text} (Alt+{(index + 1) % 10})")

    def _count(self, cls: type[Section]) -> int | None:
        by_key = {"detention": DetentionEpisode, "acts": Act, "sightings": Sighting,
                  "perpetrators": Actor, "attachments": Attachment}
        if cls.key == "consent":
            return sum(1 for c in self.ctx.records(Consent) if c.decision)
        record_cls = by_key.get(cls.key)
        return len(self.ctx.records(record_cls)) if record_cls else None
