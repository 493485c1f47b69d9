"""The dialog's form: what is chosen, the profile, the language, reference and title, the file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from testimony_app.casefile import redaction
from testimony_app.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language, gettext
from testimony_app.services.casefile import companion_paths
from testimony_app.ui.casefile.subject import Subject
from testimony_app.ui.form import caption
from testimony_app.ui.widgets import ElidedLabel, PlainLabel, muted_label

REFERENCE_MAX, TITLE_MAX = 80, 200  # printed on the cover and on every page


def profile_hint(name: str) -> str:
    """One line: what the profile keeps and what it drops."""
    if name == redaction.PROSECUTION:
        return _("Everything recorded, with the narrative, acts and perpetrators; contacts only "
                 "where the interviewee agreed.")
    if name == redaction.ICRC:
        return _("Identity, places and dates of detention, co-detainees seen; no narrative, "
                 "ill-treatment, perpetrators or attachments.")
    return _("Pseudonyms instead of names; no contacts, narratives or exact places (only the "
             "region), no attachment file names.")


def default_path(now: datetime | None = None) -> Path:
    """``case-YYYYMMDD-HHMM.pdf`` in the Documents folder (else the home folder), not taken."""
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
    if not folder.is_dir():
        folder = Path.home()
    stem = f"case-{(now or datetime.now()):%Y%m%d-%H%M}"
    candidate, n = folder / f"{stem}.pdf", 1
    while any(p.exists() for p in (candidate, *companion_paths(candidate))):
        n += 1
        candidate = folder / f"{stem}-{n}.pdf"
    return candidate


def as_pdf(path: Path) -> Path:
    return path if path.name.lower().endswith(".pdf") else path.with_name(path.name + ".pdf")


class FormPage(QWidget):
    """The choices, laid out; the dialog wires the buttons and reads :meth:`profile` and
    :meth:`lang`. Built with the dialog as parent, so it measures with the dialog's style."""

    def __init__(self, subject: Subject, parent: QWidget) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        top = Qt.AlignmentFlag.AlignTop

        self.what = PlainLabel(subject.describe(), wrap=True)
        self.what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scope_hint = muted_label(subject.scope_hint())
        self.scope_hint.setVisible(bool(subject.scope_hint()))
        self.count = PlainLabel(_("Counting the interviews…"), wrap=True)
        what_box = QVBoxLayout()
        what_box.setSpacing(4)
        what_box.addWidget(self.what)
        what_box.addWidget(self.scope_hint)
        what_box.addWidget(self.count)
        grid.addWidget(caption(_("Chosen")), 0, 0, top)
        grid.addLayout(what_box, 0, 1)

        self.profiles = QButtonGroup(self)
        self.profile_buttons: dict[str, QRadioButton] = {}
        profile_box = QVBoxLayout()
        profile_box.setSpacing(2)
        style = self.style()
        indent = (style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
                  + style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing))
        for n, name in enumerate(redaction.PROFILES):
            button = QRadioButton(gettext(redaction.profile(name).label))
            hint = muted_label(profile_hint(name))
            button.setAccessibleDescription(hint.text())
            self.profiles.addButton(button, n)
            self.profile_buttons[name] = button
            hint_row = QHBoxLayout()
            hint_row.setContentsMargins(indent, 0, 0, 0)
            hint_row.addWidget(hint)
            profile_box.addWidget(button)
            profile_box.addLayout(hint_row)
            profile_box.addSpacing(6)
        self.profile_buttons[redaction.PROSECUTION].setChecked(True)
        consent_note = muted_label(_("Only interviews with consent for the chosen use are "
                                     "included; the case file lists the others as left out."))
        profile_box.addWidget(consent_note)
        profile_caption = caption(_("Profile"))
        grid.addWidget(profile_caption, 1, 0, top)
        grid.addLayout(profile_box, 1, 1)

        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.reference = QLineEdit()
        self.reference.setMaxLength(REFERENCE_MAX)
        self.reference.setPlaceholderText(_("Automatic: CF-date-code"))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText(_("Automatic, from what is chosen"))
        row = 2
        for text, widget in ((_("Language of the case file"), self.language),
                             (_("Reference"), self.reference), (_("Title"), self.title_edit)):
            cap = caption(text)
            cap.setBuddy(widget)
            widget.setAccessibleName(text)
            grid.addWidget(cap, row, 0)
            grid.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft if widget is self.language
                           else Qt.AlignmentFlag(0))
            row += 1

        self.path_label = ElidedLabel()
        self.path_label.setAccessibleName(_("Save as"))
        self.choose_button = QPushButton(_("Choose…"))
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_label, 1)
        path_row.addWidget(self.choose_button)
        self.unencrypted = muted_label(_(
            "Like any PDF, the case file and the two files written beside it are not "
            "encrypted: keep them somewhere safe."))
        file_box = QVBoxLayout()
        file_box.setSpacing(4)
        file_box.addLayout(path_row)
        file_box.addWidget(self.unencrypted)
        file_caption = caption(_("Save as"))
        file_caption.setBuddy(self.choose_button)
        grid.addWidget(file_caption, row, 0, top)
        grid.addLayout(file_box, row, 1)
        row += 1

        grid.setRowStretch(row, 1)
        # Enabled only on the form; disabled while the export runs.
        self.inputs: list[QWidget] = [*self.profile_buttons.values(), self.language,
                                      self.reference, self.title_edit, self.choose_button]

    def profile(self) -> str:
        for name, button in self.profile_buttons.items():
            if button.isChecked():
                return name
        return redaction.PROSECUTION

    def lang(self) -> str:
        return str(self.language.currentData())
