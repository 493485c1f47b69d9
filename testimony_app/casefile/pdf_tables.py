"""Ruled tables of plain text for case files, wrapped by us rather than by reportlab.

A reportlab table measures and draws a paragraph cell several times (to size the row, to split
it across pages, to draw it), and parses its markup first; a case file of a hundred interviews
has tens of thousands of cells. So cells are plain strings, wrapped here once, with word widths
cached: reportlab only counts their lines. Plain strings are never parsed as markup either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Table, TableStyle

from testimony_app.casefile import styles
from testimony_app.casefile.fonts import MONO
from testimony_app.casefile.model import Item
from testimony_app.casefile.model import Table as TableView
from testimony_app.casefile.styles import clean

PAD = 3
_ROW_LIMIT = 0.6 * (styles.PAGE[1] - styles.MARGIN_TOP - styles.MARGIN_BOTTOM)
_CACHE_LIMIT = 200_000
_widths: dict[tuple[str, float], dict[str, float]] = {}

_GRID = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
]


def width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points (cached: the same words recur throughout a file)."""
    known = _widths.setdefault((font, size), {})
    found = known.get(text)
    if found is None:
        found = float(getFont(font).stringWidth(text, size))
        if len(known) < _CACHE_LIMIT:
            known[text] = found
    return found


def _fit(word: str, font: str, size: float, room: float) -> int:
    """How many leading characters of ``word`` fit in ``room`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if float(getFont(font).stringWidth(word[:mid], size)) <= room:
            low = mid
        else:
            high = mid - 1
    return low


_BREAK_AFTER = re.compile(r"(?<=[/\-])(?=\w)")  # "a/b", "x-y": a line may end after / or -


def _pieces(paragraph: str) -> list[tuple[str, bool]]:
    """Words and parts of words a line may end after, each with whether a space precedes."""
    out: list[tuple[str, bool]] = []
    for n, word in enumerate(paragraph.split(" ")):
        for k, part in enumerate(_BREAK_AFTER.split(word)):
            out.append((part, n > 0 and k == 0))
    return out


def wrap_lines(text: str, font: str, size: float, room: float) -> list[str]:
    """Greedy word wrap at spaces (and after / or -); a word longer than a line is cut where
    it must be."""
    if "\n" not in text and width(text, font, size) <= room:
        return [text]
    space = width(" ", font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word, spaced in _pieces(paragraph):
            w = width(word, font, size)
            gap = space if spaced else 0.0
            if line and used + gap + w <= room:
                line, used = f"{line}{' ' if spaced else ''}{word}", used + gap + w
                continue
            if line:
                lines.append(line)
            while w > room:
                cut = _fit(word, font, size, room)
                lines.append(word[:cut])
                word = word[cut:]
                w = width(word, font, size)
            line, used = word, w
        lines.append(line)
    return lines


def cell(text: str, style: ParagraphStyle, col_width: float) -> str:
    """A cell's text as lines that fit its column; hashes and ids in lines of equal length."""
    text = clean(text)
    room = col_width - 2 * PAD
    if style.fontName == MONO and "\n" not in text:
        per_line = max(int(room // width("0", MONO, style.fontSize)), 8)
        return "\n".join(text[i:i + per_line] for i in range(0, len(text), per_line))
    return "\n".join(wrap_lines(text, style.fontName, style.fontSize, room))


def _font(columns: tuple[int, int], rows: tuple[int, int], style: ParagraphStyle
          ) -> list[tuple[object, ...]]:
    """Style commands that draw the cells of a range like ``style`` (each command costs a
    pass over its cells, so black text, the default, is not set)."""
    (c0, c1), (r0, r1) = columns, rows
    out: list[tuple[object, ...]] = [("FONTNAME", (c0, r0), (c1, r1), style.fontName),
                                     ("FONTSIZE", (c0, r0), (c1, r1), style.fontSize),
                                     ("LEADING", (c0, r0), (c1, r1), style.leading)]
    if style.textColor != styles.INK:
        out.append(("TEXTCOLOR", (c0, r0), (c1, r1), style.textColor))
    return out


def items_table(items: Sequence[Item], *, label_share: float = styles.LABEL_SHARE,
                mono: frozenset[str] = frozenset()) -> Table:
    """Labelled values as a two-column ruled table (labels shaded on the left)."""
    widths = (styles.WIDTH * label_share, styles.WIDTH * (1 - label_share))
    rows = [[cell(i.label, styles.CELL_LABEL, widths[0]),
             cell(i.value, styles.CELL_MONO if i.key in mono else styles.CELL, widths[1])]
            for i in items]
    table = Table(rows, colWidths=widths, splitByRow=1, splitInRow=1, hAlign="LEFT")
    commands = [*_GRID, ("BACKGROUND", (0, 0), (0, -1), styles.LABEL_FILL),
                *_font((0, -1), (0, -1), styles.CELL), *_font((0, 0), (0, -1),
                                                              styles.CELL_LABEL)]
    for n, i in enumerate(items):
        if i.key in mono:
            commands += _font((1, 1), (n, n), styles.CELL_MONO)
    table.setStyle(TableStyle(commands))
    return table


def data_table(view: TableView) -> Table:
    """A table with a header row repeated on each page; rows may split across pages."""
    keys = [c.key for c in view.columns]
    fixed = sum(styles.NUMBER_WIDTH for k in keys if k == "no")
    unit = (styles.WIDTH - fixed) / (sum(styles.WEIGHTS.get(k, 1.5) for k in keys
                                         if k != "no") or 1)
    widths = [styles.NUMBER_WIDTH if k == "no" else styles.WEIGHTS.get(k, 1.5) * unit
              for k in keys]
    styled = [styles.CELL_MONO if k in styles.MONO_COLUMNS else styles.CELL for k in keys]
    head = [cell(c.label, styles.CELL_HEAD, w) for c, w in zip(view.columns, widths,
                                                               strict=True)]
    body = [[cell(text, style, w) for text, style, w in zip(row.cells, styled, widths,
                                                             strict=True)]
            for row in view.rows]
    # Rows move whole to the next page; only a row taller than a page is split inside (a
    # split row gets a second header line from reportlab, so only when it must).
    tallest = max((max(c.count("\n") + 1 for c in row) for row in body), default=0)
    table = Table([head, *body], colWidths=widths, repeatRows=1, splitByRow=1,
                  splitInRow=int(tallest * styles.CELL.leading > _ROW_LIMIT), hAlign="LEFT")
    commands = [*_GRID, ("BACKGROUND", (0, 0), (-1, 0), styles.HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, styles.INK),
                *_font((0, -1), (0, -1), styles.CELL), *_font((0, -1), (0, 0), styles.CELL_HEAD)]
    for n, style in enumerate(styled):
        if style is not styles.CELL:
            commands += _font((n, n), (1, -1), style)
    table.setStyle(TableStyle(commands))
    return table
