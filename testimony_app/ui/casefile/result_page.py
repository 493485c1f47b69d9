"""The dialog's result: what was written where, what was left out, and Open / Show in folder."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from testimony_app.i18n import _, ngettext
from testimony_app.services.casefile import CasefileResult
from testimony_app.ui.form import caption, heading
from testimony_app.ui.widgets import PlainLabel, muted_label


class ResultPage(QWidget):
    """Shown instead of the form once the case file is written."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.result: CasefileResult | None = None
        column = QVBoxLayout(self)
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
        self.open_button.clicked.connect(self.open_pdf)
        self.folder_button.clicked.connect(self.show_folder)

    def show_result(self, result: CasefileResult) -> None:
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

    def open_pdf(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf_path)))

    def show_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf_path.parent)))
