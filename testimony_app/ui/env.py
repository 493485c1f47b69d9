"""What the pages of an unlocked vault share: autosave (which also runs other vault calls in
order), the jobs thread for long work without the database, and the blob folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from testimony_app import config
from testimony_app.ui.autosave import Autosave
from testimony_app.ui.session import Session
from testimony_app.ui.workers import Job, Worker
from testimony_app.vault.blobs import BlobStore
from testimony_app.vault.vault import Vault


@dataclass
class Env:
    session: Session
    saver: Autosave
    jobs: Worker
    prefs: config.Preferences

    @property
    def blobs(self) -> BlobStore:
        return self.session.vault.blobs

    def run(self, fn: Callable[[Vault], Any], on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[Any], None] | None = None, *,
            owner: QObject | None = None) -> Job | None:
        """``fn(vault)`` on the vault thread, after every change already made."""
        return self.saver.run(fn, on_done, on_failed, owner=owner)
