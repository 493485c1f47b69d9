"""Export a case file: what is chosen, the profile, the language and the file; then the export
runs on the jobs thread, with progress and Cancel, and the dialog shows what was written.

The export opens its own database connection (``export_casefile`` calls ``vault.connect()`` on
the thread it runs on), so the vault's own connection never leaves the vault thread. It starts
after every pending edit has reached the vault: a call on the vault thread, queued behind
autosave, hands over to the jobs thread. Progress is read by a timer from a small thread-safe
holder, so no Qt object is touched from the jobs thread and closing the dialog, or locking,
mid-export is safe (both cancel it; a cancelled export writes nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from testimony_app import errors, log
from testimony_app.casefile import redaction
from testimony_app.casefile.selection import Selection, resolve
from testimony_app.domain.interview import Consent
from testimony_app.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language, gettext, ngettext
from testimony_app.services.casefile import CasefileResult, companion_paths, export_casefile
from testimony_app.ui import dialogs
from testimony_app.ui.env import Env
from testimony_app.ui.form import caption, heading
from testimony_app.ui.widgets import ElidedLabel, PlainLabel, error_label, muted_label
from testimony_app.vault.store import Store

logger = log.get("ui.casefile_dialog")

POLL_MS = 100
DIALOG_WIDTH = 640
REFERENCE_MAX, TITLE_MAX = 80, 200  # printed on the cover and on every page


@dataclass(frozen=True)
class Subject:
    """What a case file is asked for: the selection, and how to name it (as on screen)."""

    selection: Selection
    label: str = ""  # an interview's label, a person's name, a site's name (plain text)

    def describe(self) -> str:
        kind, n = self.selection.kind, len(self.selection.ids)
        if kind == "person":
            return _("Everything about {name}").format(name=self.label)
        if kind == "site":
            return _("Everything about {site}").format(site=self.label)
        if n == 1 and self.label:
            return _("Interview {label}").format(label=self.label)
        return ngettext("{n} interview chosen in the list", "{n} interviews chosen in the list",
                        n).format(n=n)

    def scope_hint(self) -> str:
        if self.selection.kind == "person":
            return _("Every interview where this person was interviewed, was seen by someone, "
                     "or is the victim of a recorded act.")
        if self.selection.kind == "site":
            return _("Every interview with a detention, an act or a sighting at this place or "
                     "at a place inside it.")
        return ""


# Vault thread ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Survey:
    """How many interviews the selection covers, and how many each profile may show."""

    interviews: int
    admitted: dict[str, int] = field(default_factory=dict)


def survey(store: Store, selection: Selection) -> Survey:
    found = resolve(store, selection)
    admitted = dict.fromkeys(redaction.PROFILES, 0)
    for interview in found:
        consents = store.list(Consent, interview_id=interview.id)
        for name in redaction.PROFILES:
            if any(redaction.granted(consents, scope)
                   for scope in redaction.profile(name).scopes):
                admitted[name] += 1
    return Survey(len(found), admitted)


# Texts ----------------------------------------------------------------------------------------

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


def survey_text(found: Survey, profile: str) -> str:
    n, k = found.interviews, found.admitted.get(profile, 0)
    if n == 0:
        return _("No interview matches: there is nothing to export.")
    total = ngettext("{n} interview.", "{n} interviews.", n).format(n=n)
    if k == n:
        share = ngettext("It has consent for this use.", "All of them have consent for this use.",
                         n)
    elif k == 0:
        share = ngettext("It has no consent for this use: the case file will only say that it "
                         "was left out.",
                         "None has consent for this use: the case file will only list them as "
                         "left out.", n)
    else:
        share = ngettext("{k} with consent for this use; the other one will only be listed as "
                         "left out.",
                         "{k} with consent for this use; the other {m} will only be listed as "
                         "left out.", n - k).format(k=k, m=n - k)
    return f"{total} {share}"


def stage_text(stage: str) -> str:
    texts = {
        "selecting": _("Finding the interviews…"),
        "collecting": _("Reading the records…"),
        "laying out": _("Laying out the pages…"),
        "done": _("Writing and signing the files…"),
    }
    return texts.get(stage, _("Preparing…"))


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


class _Progress:
    """Where the export is: written by the jobs thread, read by the dialog's timer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: tuple[int, int, str] = (0, 0, "")

    def __call__(self, done: int, total: int, stage: str) -> None:
        with self._lock:
            self._value = (done, total, stage)

    def read(self) -> tuple[int, int, str]:
        with self._lock:
            return self._value


# The dialog ------------------------------------------------------------------------------------

FORM, RUNNING, DONE = "form", "running", "done"


class CasefileDialog(QDialog):
    """Window-modal; opened with ``open()``. ``shutdown()`` cancels and closes (locking)."""

    def __init__(self, env: Env, subject: Subject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.subject = subject
        self.state = FORM
        self.result: CasefileResult | None = None
        self.survey: Survey | None = None
        self.path = default_path()
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._close_when_stopped = False
        self._shut = False
        self.setWindowTitle(_("Export case file"))
        self.setMinimumWidth(DIALOG_WIDTH)

        self.form_page = self._build_form()
        self.result_page = self._build_result()  # shown instead of the form once written

        self.export_button = QPushButton(_("Export"))
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop the export; no file is written"))
        self.close_button = QPushButton(_("Close"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        self.error = error_label()
        self.status = PlainLabel(wrap=True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.setAccessibleName(_("Progress"))
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(8)
        outer.addWidget(self.form_page, 1)
        outer.addWidget(self.result_page, 1)
        outer.addSpacing(6)
        outer.addWidget(self.error)
        outer.addWidget(self.status)
        outer.addWidget(self.progress)
        outer.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._show_progress)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)
        self.profiles.idToggled.connect(lambda _id, on: on and self._profile_changed())
        self.open_button.clicked.connect(self.open_pdf)
        self.folder_button.clicked.connect(self.show_folder)
        self._set_state(FORM)
        self.show_path(self.path)
        self._fit()
        self._count()

    # Building --------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        top = Qt.AlignmentFlag.AlignTop

        self.what = PlainLabel(self.subject.describe(), wrap=True)
        self.what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scope_hint = muted_label(self.subject.scope_hint())
        self.scope_hint.setVisible(bool(self.subject.scope_hint()))
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
        self._inputs: list[QWidget] = [*self.profile_buttons.values(), self.language,
                                       self.reference, self.title_edit, self.choose_button]
        return page

    def _build_result(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.done_title = heading(_("Case file written"))
        self.done_title.setContentsMargins(0, 0, 0, 2)
        self.done_summary = PlainLabel(wrap=True)
        column.addWidget(self.done_title)
        column.addWidget(self.done_summary)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.written: dict[str, PlainLabel] = {}
        for n, (key, text) in enumerate((("folder", _("Folder")), ("pdf", _("Case file")),
                                         ("data", _("Data shown")), ("sig", _("Signature")))):
            value = PlainLabel(wrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(text)
            grid.addWidget(caption(text), n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, n, 1)
            self.written[key] = value
        column.addLayout(grid)
        self.verify_hint = muted_label(_(
            "The signature covers the PDF and the data file: keep the three files together. "
            "“testimony casefile verify” checks them."))
        column.addWidget(self.verify_hint)

        self.left_out_title = heading(_("Interviews left out"))
        self.left_out = QPlainTextEdit()
        self.left_out.setReadOnly(True)
        self.left_out.setMaximumHeight(110)
        self.left_out.setAccessibleName(_("Interviews left out"))
        self.nothing_left_out = muted_label(_("No interview was left out."))
        self.parts_hint = muted_label(_(
            "Parts of an interview that its consent or the profile withholds are listed in the "
            "case file itself, under each interview."))
        column.addWidget(self.left_out_title)
        column.addWidget(self.left_out)
        column.addWidget(self.nothing_left_out)
        column.addWidget(self.parts_hint)

        self.open_button = QPushButton(_("Open"))
        self.open_button.setToolTip(_("Open the PDF with the system's viewer"))
        self.folder_button = QPushButton(_("Show in folder"))
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.folder_button)
        actions.addStretch(1)
        column.addSpacing(4)
        column.addLayout(actions)
        column.addStretch(1)
        return page

    # Choices ---------------------------------------------------------------------------------

    def profile(self) -> str:
        for name, button in self.profile_buttons.items():
            if button.isChecked():
                return name
        return redaction.PROSECUTION

    def lang(self) -> str:
        return str(self.language.currentData())

    def show_path(self, path: Path) -> None:
        self.path = path
        self.path_label.set_full_text(str(path))

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the case file as"), str(self.path), _("PDF files (*.pdf)"),
            options=QFileDialog.Option.DontConfirmOverwrite)  # we ask, for all three files
        if chosen:
            self.show_path(as_pdf(Path(chosen)))
            self.error.setText("")

    def _count(self) -> None:
        selection = self.subject.selection
        self.env.run(lambda vault: survey(vault.store, selection), self._counted,
                     self._count_failed, owner=self)

    def _counted(self, found: Survey) -> None:
        self.survey = found
        self._show_survey()
        self._enable_export()
        self._fit()

    def _count_failed(self, error: errors.TestimonyError) -> None:
        self.count.setText("")
        self.error.setText(error.message())
        self._fit()

    def _show_survey(self) -> None:
        if self.survey is not None:
            self.count.setText(survey_text(self.survey, self.profile()))

    def _profile_changed(self) -> None:
        self._show_survey()
        self._fit()

    def _fit(self) -> None:
        """Text that arrived later wraps onto more lines: grow so that nothing is squeezed
        (wrapped labels would otherwise overlap), and do not let the dialog shrink below."""
        for _round in range(2):  # the pages' layouts first, then the dialog's
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        layout = self.layout()
        width = max(self.width(), self.minimumWidth())
        need = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                else layout.totalSizeHint().height())
        self.setMinimumHeight(need)
        if self.height() < need:
            self.resize(width, need)

    # Exporting -------------------------------------------------------------------------------

    def export(self) -> None:
        if self.state != FORM or not self.export_button.isEnabled():
            return
        path = as_pdf(self.path)
        taken = [p for p in (path, *companion_paths(path)) if p.exists()]
        if taken and not dialogs.confirm(
                self, _("Replace the files?"),
                _("{name} already exists. Replace it and the files beside it?").format(
                    name=taken[0].name), yes=_("Replace")):
            return
        self.error.setText("")
        self.result = None
        self._cancel.clear()
        self._progress = _Progress()
        self._set_state(RUNNING)
        self.status.setText(_("Saving the last changes…"))
        # Queued behind autosave on the vault thread: the export sees every edit made so far.
        job = self.env.run(lambda _vault: None, lambda _none: self._start(path), self._stopped,
                           owner=self)
        if job is None:
            self._stopped(errors.VaultLocked())

    def _start(self, path: Path) -> None:
        if self._cancel.is_set():
            self._stopped(errors.Cancelled())
            return
        vault, selection = self.env.session.vault, self.subject.selection
        profile, lang = self.profile(), self.lang()
        reference, title = self.reference.text().strip(), self.title_edit.text().strip()
        progress, cancel = self._progress, self._cancel.is_set
        job = self.env.jobs.submit(
            lambda: export_casefile(vault, selection, profile, lang, path, progress, cancel,
                                    reference=reference, title=title))
        job.finished.connect(self._guard(self._exported))
        job.failed.connect(self._guard(self._stopped))
        self._timer.start()

    def _guard(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def deliver(value: Any) -> None:
            if shiboken6.isValid(self) and not self._shut:
                callback(value)
        return deliver

    def _show_progress(self) -> None:
        done, total, stage = self._progress.read()
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
        self.status.setText(stage_text(stage))

    def cancel(self) -> None:
        """Stop the export; it ends at its next check and writes nothing."""
        if self.state == RUNNING:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Cancelling…"))

    def _stopped(self, error: errors.TestimonyError) -> None:
        self._timer.stop()
        self._set_state(FORM)
        if isinstance(error, errors.Cancelled):
            self.status.setText(error.message())
        else:
            self.status.setText("")
            self.error.setText(error.message())
        if self._close_when_stopped:
            super().reject()

    def _exported(self, result: CasefileResult) -> None:
        self._timer.stop()
        self.result = result
        self.written["folder"].setText(str(result.pdf_path.parent))
        self.written["pdf"].setText(result.pdf_path.name)
        self.written["data"].setText(result.data_path.name)
        self.written["sig"].setText(result.sig_path.name)
        shown, left = len(result.interviews), len(result.left_out)
        parts = [ngettext("{n} page", "{n} pages", result.pages).format(n=result.pages),
                 ngettext("{n} interview included", "{n} interviews included",
                          shown).format(n=shown),
                 ngettext("{n} left out", "{n} left out", left).format(n=left)]
        self.done_summary.setText(_("Reference {reference}: {details}.").format(
            reference=result.reference, details=", ".join(parts)))
        self.left_out.setPlainText("\n".join(f"{x.reference or x.id} — {x.reason}"
                                             for x in result.left_out))
        for widget in (self.left_out, self.left_out_title):
            widget.setVisible(bool(result.left_out))
        self.nothing_left_out.setVisible(not result.left_out)
        self._set_state(DONE)
        self._fit()
        self.close_button.setFocus()

    def _set_state(self, state: str) -> None:
        self.state = state
        running = state == RUNNING
        self.form_page.setVisible(state != DONE)
        self.result_page.setVisible(state == DONE)
        for widget in self._inputs:
            widget.setEnabled(state == FORM)
        self.export_button.setVisible(state != DONE)
        self._enable_export()
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
        if state == DONE:
            self.status.setText("")
            self.error.setText("")
            self.close_button.setDefault(True)

    def _enable_export(self) -> None:
        nothing = self.survey is not None and self.survey.interviews == 0
        self.export_button.setEnabled(self.state == FORM and not nothing)

    # After -----------------------------------------------------------------------------------

    def open_pdf(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf_path)))

    def show_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf_path.parent)))

    # Closing ---------------------------------------------------------------------------------

    def reject(self) -> None:
        """Close, or Esc: while exporting, cancel first and close once it has stopped."""
        if self.state == RUNNING:
            self._close_when_stopped = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.state == RUNNING and not self._shut:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Locking: cancel the export and go, without waiting (nothing here is delivered)."""
        self._shut = True
        self._cancel.set()
        self._timer.stop()
        self.hide()
        self.deleteLater()
