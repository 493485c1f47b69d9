"""Where a running export is: a thread-safe holder and the words for each stage.

The jobs thread writes the holder and the dialog's timer reads it every ``POLL_MS``, so no Qt
object is touched from the jobs thread.
"""

from __future__ import annotations

from testimony_app.i18n import _

POLL_MS = 100


def stage_text(stage: str) -> str:
    texts = {
        "selecting": _("Finding the interviews…"),
        "collecting": _("Reading the records…"),
        "laying out": _("Laying out the pages…"),
        "done": _("Writing and signing the files…"),
    }
    return texts.get(stage, _("Preparing…"))
