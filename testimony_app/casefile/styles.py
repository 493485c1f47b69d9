"""Look of a case file: A4, one embedded font family, a plain hierarchy, ruled tables."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from testimony_app.casefile.fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC

PAGE = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X

INK = colors.black
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9A9A9A")
HEADER_FILL = colors.HexColor("#E4E7EB")
LABEL_FILL = colors.HexColor("#F3F4F6")
MARKING = colors.HexColor("#8B1A1A")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean(text: str) -> str:
    """Text without control characters (they have no glyph), with plain line breaks."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def markup(text: str) -> str:
    """Untrusted text as reportlab paragraph markup that means exactly that text.

    Names and testimony come from people and from imported bundles: ``<``, ``>`` and ``&``
    are escaped so nothing in them is read as markup, control characters are dropped, and
    line breaks are kept.
    """
    return escape(clean(text)).replace("\n", "<br/>")


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {"fontName": SANS, "fontSize": 9.5, "leading": 13,
                               "textColor": INK, "alignment": TA_LEFT}
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("body", spaceAfter=5)
NOTE = _style("note", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=4)
EMPTY = _style("empty", fontName=SANS_ITALIC, textColor=MUTED, fontSize=9, spaceAfter=4)
COVER_KIND = _style("cover_kind", fontName=SANS_BOLD, fontSize=12, leading=16,
                    textColor=MUTED, spaceAfter=6)
COVER_TITLE = _style("cover_title", fontName=SANS_BOLD, fontSize=20, leading=25,
                     spaceAfter=14)
MARK = _style("mark", fontName=SANS_BOLD, fontSize=10, leading=13, textColor=MARKING)
H1 = _style("h1", fontName=SANS_BOLD, fontSize=15, leading=19, spaceBefore=2, spaceAfter=4,
            keepWithNext=1)
H2 = _style("h2", fontName=SANS_BOLD, fontSize=11.5, leading=15, spaceBefore=12, spaceAfter=5)
H3 = _style("h3", fontName=SANS_BOLD, fontSize=9, leading=12, spaceBefore=6, spaceAfter=2)
CELL = _style("cell", fontSize=8, leading=10)
CELL_HEAD = _style("cell_head", fontName=SANS_BOLD, fontSize=8, leading=10)
CELL_LABEL = _style("cell_label", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=MUTED)
CELL_MONO = _style("cell_mono", fontName=MONO, fontSize=7, leading=9)
HEADER = _style("header", fontName=SANS_BOLD, fontSize=7.5, leading=9, textColor=MARKING)
FOOTER = _style("footer", fontSize=7.5, leading=9, textColor=MUTED)
TOC_0 = _style("toc0", fontSize=10, leading=14)
TOC_HEAD = _style("toc_head", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=10)

# Relative widths of table columns by key; a row number column is narrow and fixed.
NUMBER_WIDTH = 9 * mm
WEIGHTS = {
    # detention timeline, acts, co-detainees
    "site": 2.3, "type": 1.5, "period": 1.9, "arrival_mode": 1.7, "date": 1.3, "methods": 3.0,
    "frequency": 1.4, "perpetrators": 2.1, "name": 1.7, "seen": 1.7, "condition": 1.5,
    # perpetrators, attachments, consent
    "call_signs": 1.3, "kind": 1.0, "unit": 1.5, "authority": 1.5, "description": 2.8,
    "file": 1.9, "size": 1.1, "sha256": 2.3, "custody": 2.7, "scope": 2.2, "decision": 1.4,
    "method": 1.2, "recorded": 1.4, "conditions": 2.2,
    # audit trail (a hash in two lines of 32), interviews left out
    "record": 1.8, "at": 1.8, "changed": 1.8, "entries": 1.15, "devices": 1.0, "seq": 0.9,
    "hash": 3.5, "reference": 1.0, "id": 2.6, "reason": 3.4,
}
MONO_COLUMNS = frozenset({"sha256", "hash", "id", "devices"})
LABEL_SHARE = 0.3  # of the width, for the labels of key-value tables
