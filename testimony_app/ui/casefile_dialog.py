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
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from testimony_app import errors, log
from testimony_app.i18n import _

# ``export_casefile`` is looked up in this module when an export starts: tests replace it here.
from testimony_app.services.casefile import CasefileResult, companion_paths, export_casefile
from testimony_app.ui import dialogs
from testimony_app.ui.casefile.form_page import (
    REFERENCE_MAX,
    TITLE_MAX,
    FormPage,
    as_pdf,
    default_path,
    profile_hint,
)
from testimony_app.ui.casefile.progress import POLL_MS, stage_text
from testimony_app.ui.casefile.result_page import ResultPage
from testimony_app.ui.casefile.subject import Subject, Survey, survey, survey_text
from testimony_app.ui.env import Env
from testimony_app.ui.widgets import PlainLabel, error_label
from testimony_app.ui.workers import Progress

# The dialog's parts live in testimony_app.ui.casefile; these names stay importable from here.
__all__ = [
    "DIALOG_WIDTH",
    "DONE",
    "FORM",
    "POLL_MS",
    "REFERENCE_MAX",
    "RUNNING",
    "TITLE_MAX",
    "CasefileDialog",
    "Subject",
    "Survey",
    "as_pdf",
    "default_path",
    "export_casefile",
    "profile_hint",
    "stage_text",
    "survey",
    "survey_text",
]

logger = log.get("ui.casefile_dialog")

DIALOG_WIDTH = 640

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
        self._progress = Progress()
        self._close_when_stopped = False
        self._shut = False
        self.setWindowTitle(_("Export case file"))
        self.setMinimumWidth(DIALOG_WIDTH)

        self.form_page = form = FormPage(subject, self)
        self.result_page = done = ResultPage(self)  # shown instead of the form once written
        # The pages' widgets, under the names they had on the dialog (tests drive them here).
        self.what, self.scope_hint, self.count = form.what, form.scope_hint, form.count
        self.profiles, self.profile_buttons = form.profiles, form.profile_buttons
        self.language, self.reference, self.title_edit = (form.language, form.reference,
                                                           form.title_edit)
        self.path_label, self.choose_button = form.path_label, form.choose_button
        self.unencrypted = form.unencrypted
        self.done_title, self.done_summary, self.written = (done.done_title, done.done_summary,
                                                            done.written)
        self.verify_hint, self.parts_hint = done.verify_hint, done.parts_hint
        self.left_out_title, self.left_out = done.left_out_title, done.left_out
        self.nothing_left_out = done.nothing_left_out
        self.open_button, self.folder_button = done.open_button, done.folder_button

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
        self._set_state(FORM)
        self.show_path(self.path)
        self._fit()
        self._count()

    # Choices ---------------------------------------------------------------------------------

    def profile(self) -> str:
        return self.form_page.profile()

    def lang(self) -> str:
        return self.form_page.lang()

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
        self._progress = Progress()
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
        self.result_page.show_result(result)
        self._set_state(DONE)
        self._fit()
        self.close_button.setFocus()

    def _set_state(self, state: str) -> None:
        self.state = state
        running = state == RUNNING
        self.form_page.setVisible(state != DONE)
        self.result_page.setVisible(state == DONE)
        for widget in self.form_page.inputs:
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
        self.result_page.open_pdf()

    def show_folder(self) -> None:
        self.result_page.show_folder()

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
