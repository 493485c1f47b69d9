"""Drawing a case file with reportlab Platypus: cover, contents, interviews, appendix.

The renderer sees only the redacted view (``model.CaseFile``) and the hash of the data file;
every value in it is untrusted text and goes through ``styles.markup`` (or is drawn as a plain
string, never parsed). The document is laid out once: pages are kept until the end, and when it
is saved each gets its "Page X of Y" and the contents their page numbers (see ``toc``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from testimony_app import errors
from testimony_app.casefile import fonts, styles
from testimony_app.casefile.labels import Words
from testimony_app.casefile.model import CaseFile
from testimony_app.casefile.pdf_tables import width
from testimony_app.casefile.render_parts import appendix, cover, interview, left_out
from testimony_app.casefile.styles import clean, markup
from testimony_app.casefile.toc import Marks, TocLine, draw_numbers
from testimony_app.i18n import N_

Tick = Callable[[int], None]  # interviews laid out so far


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that the contents and the PDF outline point to."""

    def __init__(self, text: str, style: Any, key: str) -> None:
        super().__init__(markup(text), style)
        self.outline_text = text
        self.key = key


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buf: io.BytesIO, casefile: CaseFile, marks: Marks, tick: Tick,
                 cancel: Callable[[], bool]) -> None:
        super().__init__(
            buf, pagesize=styles.PAGE, leftMargin=styles.MARGIN_X,
            rightMargin=styles.MARGIN_X, topMargin=styles.MARGIN_TOP,
            bottomMargin=styles.MARGIN_BOTTOM, title=casefile.reference, author="",
            subject="", creator="Testimony", keywords="", lang=casefile.lang,
            initialFontName=fonts.SANS)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                            onPage=self._decorate)])
        self.casefile = casefile
        self.marks = marks
        self.tick = tick
        self.cancel = cancel
        self.laid_out = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if self.cancel():
            raise errors.Cancelled()
        if isinstance(flowable, Heading):
            self.marks.pages[flowable.key] = self.page
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.outline_text, flowable.key, 0)
            if flowable.key.startswith("interview-"):
                self.laid_out += 1
                self.tick(self.laid_out)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The marking and the reference at the top of every page."""
        y = styles.PAGE[1] - styles.MARGIN_TOP + 8 * mm
        _pair(canvas, y, (self.casefile.marking, styles.HEADER),
              (self.casefile.reference, styles.FOOTER))
        canvas.saveState()
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.6)
        canvas.line(styles.MARGIN_X, y - 4, styles.PAGE[0] - styles.MARGIN_X, y - 4)
        canvas.restoreState()


def _fitted(text: str, style: ParagraphStyle, room: float) -> str:
    """One line of plain text, shortened with an ellipsis if it would not fit."""
    text = " ".join(clean(text).split())
    if width(text, style.fontName, style.fontSize) <= room:
        return text
    while text and width(text + "…", style.fontName, style.fontSize) > room:
        text = text[:-1]
    return text + "…"


def _pair(canvas: Canvas, y: float, left: tuple[str, ParagraphStyle],
          right: tuple[str, ParagraphStyle]) -> None:
    """A line with text on the left and on the right margin (header and footer)."""
    canvas.saveState()
    right_room = styles.WIDTH * 0.35
    right_text = _fitted(right[0], right[1], right_room)
    right_width = width(right_text, right[1].fontName, right[1].fontSize)
    left_text = _fitted(left[0], left[1], styles.WIDTH - right_width - 12)
    for (text, style), draw in (((left_text, left[1]), canvas.drawString),
                                ((right_text, right[1]), canvas.drawRightString)):
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        x = styles.MARGIN_X if draw == canvas.drawString else styles.PAGE[0] - styles.MARGIN_X
        draw(x, y, text)
    canvas.restoreState()


def _numbered_canvas(casefile: CaseFile, words: Words, marks: Marks,
                     counted: list[int]) -> type[Canvas]:
    """A canvas that holds its pages back until the end to write "Page X of Y" and the page
    numbers of the contents."""
    footer_left = f"{casefile.reference} · {casefile.profile_label}"

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = fonts.SANS  # never Helvetica: it is not embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            counted.append(total)
            for index, state in enumerate(self._pages):
                self.__dict__.update(state)
                self._footer(total)
                draw_numbers(self, index, marks)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            y = styles.MARGIN_BOTTOM - 9 * mm
            self.saveState()
            self.setStrokeColor(styles.RULE)
            self.setLineWidth(0.6)
            self.line(styles.MARGIN_X, y + 10, styles.PAGE[0] - styles.MARGIN_X, y + 10)
            self.restoreState()
            page = words(N_("Page {page} of {pages}"), page=self._pageNumber, pages=total)
            _pair(self, y, (footer_left, styles.FOOTER), (page, styles.FOOTER))

    return NumberedCanvas


def story(casefile: CaseFile, words: Words, marks: Marks, data_sha256: str, data_name: str,
          sig_name: str) -> list[Flowable]:
    entries: list[tuple[str, str]] = []
    body: list[Flowable] = []
    if casefile.left_out:
        title = words(N_("Interviews left out of this case file"))
        entries.append((title, "left-out"))
        body += [PageBreak(), Heading(title, styles.H1, "left-out"),
                 *left_out(casefile, words)]
    for n, view in enumerate(casefile.interviews, start=1):
        entries.append((view.heading, f"interview-{n}"))
        body += [PageBreak(), Heading(view.heading, styles.H1, f"interview-{n}"),
                 *interview(view, words)]
    title = words(N_("Integrity appendix"))
    entries.append((title, "integrity"))
    body += [PageBreak(), Heading(title, styles.H1, "integrity"),
             *appendix(casefile, words, data_sha256, data_name, sig_name)]
    contents = [Paragraph(markup(words(N_("Contents"))), styles.TOC_HEAD),
                *(TocLine(markup(text), key, marks) for text, key in entries)]
    return [*cover(casefile, words), PageBreak(), *contents, *body]


def render_pdf(casefile: CaseFile, *, data_sha256: str, data_name: str, sig_name: str,
               tick: Tick | None = None, cancel: Callable[[], bool] | None = None
               ) -> tuple[bytes, int]:
    """The PDF and its number of pages; raises errors.Cancelled as soon as ``cancel()``
    says so."""
    fonts.register()
    words = Words(casefile.lang)
    buf = io.BytesIO()
    marks = Marks()
    counted: list[int] = []
    doc = _Doc(buf, casefile, marks, tick or (lambda _n: None), cancel or (lambda: False))
    doc.build(story(casefile, words, marks, data_sha256, data_name, sig_name),
              canvasmaker=_numbered_canvas(casefile, words, marks, counted))
    return buf.getvalue(), counted[-1]
