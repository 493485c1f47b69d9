"""Bundles between field vaults and the organisation's coordinator.

``org`` (organisation keys), ``enrollment`` (.tenroll files), ``devices`` (the coordinator's
registry), ``manifest`` and ``payload`` (what a bundle holds), ``exporter``, ``importer`` and
``merge`` (all or nothing, history, conflicts), ``conflicts``, ``receipts`` and ``purge``;
underneath, ``agefile`` (age files: ``crypto.age_header`` and ``crypto.stream``), ``streams``
(hashing and copying on helper threads, bounded queues),
``ziputil`` (hostile ZIPs), ``envelope`` (canonical, signed JSON) and ``errors``. The format
is specified in docs/bundle-format.md. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]  # done, total, short text (never content)
Cancel = Callable[[], bool]


def no_progress(done: int, total: int, text: str) -> None:
    """A progress callback that ignores everything."""


def never_cancel() -> bool:
    return False
