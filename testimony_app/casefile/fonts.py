"""The embedded fonts of case files: DejaVu Sans (Latin and Cyrillic), shipped in
``resources/fonts`` with its licence.

reportlab embeds a subset of every TrueType font it draws with, so a case file reads the same
on any machine, and Ukrainian and Russian text never falls back to a font without those letters.
The base-14 PDF fonts (Helvetica, Times) are never used: they have no Cyrillic and are not
embedded.
"""

from __future__ import annotations

import threading

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from testimony_app.resources import resources_dir

SANS = "TestimonySans"
SANS_BOLD = "TestimonySans-Bold"
SANS_ITALIC = "TestimonySans-Italic"
SANS_BOLD_ITALIC = "TestimonySans-BoldItalic"
MONO = "TestimonyMono"

FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}
LICENCE = "LICENSE-DejaVu.txt"

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the fonts with reportlab once per process (safe to call from any thread).

    Only case files use reportlab in this program, so its settings are made here too."""
    global _registered
    with _lock:
        if _registered:
            return
        # Binary (deflated) streams, not ASCII85 on top: a third smaller, and reportlab's
        # pure-Python ASCII85 encoder is a tenth of the time of a large case file.
        rl_config.useA85 = 0
        folder = resources_dir() / "fonts"
        for name, filename in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
        # <b> and <i> inside paragraphs pick the right face of the family.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS_ITALIC)
        addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
        addMapping(MONO, 0, 0, MONO)
        addMapping(MONO, 1, 0, MONO)
        addMapping(MONO, 0, 1, MONO)
        addMapping(MONO, 1, 1, MONO)
        _registered = True
