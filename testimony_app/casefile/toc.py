"""A table of contents laid out in one pass.

reportlab's ``TableOfContents`` needs the whole document laid out twice (``multiBuild``): the
first pass finds the page numbers, the second prints them. A large case file spends most of its
time in layout, so this one is built in a single pass: the entries are known before layout
(one per interview, plus the left-out list and the appendix), each takes its own space at once,
and the page numbers and dot leaders are drawn when the document is saved, the same way as
"Page X of Y" (see ``render.NumberedCanvas``), with a link to each heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from testimony_app.casefile import styles

NUMBER_WIDTH = 28.0  # points kept free on the right for the page number


@dataclass
class Marks:
    """Where each entry was drawn (page index, x, y, end of its text) and where each heading
    landed (page number), filled in during layout."""

    drawn: list[tuple[int, float, float, float, float, str]] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)


class TocLine(Flowable):  # type: ignore[misc]
    """One entry: its text now, its dots and page number when the document is saved."""

    def __init__(self, text_markup: str, key: str, marks: Marks) -> None:
        super().__init__()
        self.para = Paragraph(text_markup, styles.TOC_0)
        self.key = key
        self.marks = marks
        self._end = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, height = self.para.wrap(avail_width - NUMBER_WIDTH, avail_height)
        lines = self.para.blPara.lines
        last = lines[-1] if lines else None
        extra = (last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0.0)
                 ) if last is not None else 0.0
        self._end = avail_width - NUMBER_WIDTH - max(extra, 0.0)
        self.height = height + 2
        return self.width, self.height

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 2)
        x, y = self.canv.absolutePosition(0, 2)
        page_index = len(getattr(self.canv, "_pages", ()))
        self.marks.drawn.append((page_index, x, y, self.width, self._end, self.key))


def draw_numbers(canvas: Canvas, page_index: int, marks: Marks) -> None:
    """Dot leaders, page numbers and links for the entries drawn on this page."""
    style = styles.TOC_0
    dot_width = stringWidth(" .", style.fontName, style.fontSize)
    for index, x, y, width, end, key in marks.drawn:
        if index != page_index or key not in marks.pages:
            continue
        number = str(marks.pages[key])
        number_width = stringWidth(number, style.fontName, style.fontSize)
        right = x + width
        dots = int((right - number_width - 4 - (x + end + 4)) / dot_width)
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        baseline = y + style.leading - style.fontSize  # that of the entry's last line
        if dots > 0:
            canvas.drawRightString(right - number_width - 4, baseline, " ." * dots)
        canvas.drawRightString(right, baseline, number)
        canvas.restoreState()
        canvas.linkAbsolute("", key, Rect=(x, y, right, y + style.leading), thickness=0,
                            name=f"toc-{key}")
