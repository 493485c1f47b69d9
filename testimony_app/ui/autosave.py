"""Autosave: every change reaches the vault within a second, and the GUI thread never waits.

A field change is held for a moment (``DELAY_MS`` after the last keystroke, at most
``MAX_DELAY_MS`` after the first) so a burst of typing becomes one ``edit`` transaction per
record. The transactions run, in order, on the vault's worker thread; "Saved" is shown only
when nothing is pending or in flight and the last transaction committed.

A record made on screen but not stored yet (a consent row, a capture, a sighting without its
name) is a *draft*: it is added with its first complete set of values. A record whose required
field is empty is held back, with a message, instead of being refused by the vault; the next
change sends it again. ``flush()`` sends everything now; locking and quitting call ``close()``,
which also keeps the drafts still held back in the encrypted store (``services.drafts``), to be
shown again when their interview is reopened; the worker runs the queued calls in order, so
nothing shown is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from testimony_app import errors, log
from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.services import drafts, interviews
from testimony_app.ui.workers import Job, Worker
from testimony_app.vault.vault import Vault

logger = log.get("ui.autosave")

DELAY_MS = 400
MAX_DELAY_MS = 1000

IDLE, SAVING, SAVED, HELD, FAILED = "idle", "saving", "saved", "held", "failed"


@dataclass
class _Pending:
    record: Record  # the latest value on screen
    changes: dict[str, Any] = field(default_factory=dict)


def missing_required(record: Record) -> str | None:
    """The first required field left empty, if any (the vault would refuse the record)."""
    for s in codec.specs(type(record)):
        if s.required and getattr(record, s.name) in (None, ""):
            return s.name
    return None


class Autosave(QObject):
    """One per unlocked vault. ``state_changed(state, detail)``: for HELD, detail is the
    missing ``entity.field``; for FAILED, the message of the transaction the vault refused."""

    state_changed = Signal(str, str)
    failed = Signal(str)
    stored = Signal(object)  # a record as the vault stored it (GUI thread)

    def __init__(self, worker: Worker, vault: Vault, *, delay_ms: int = DELAY_MS,
                 max_delay_ms: int = MAX_DELAY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._vault = vault
        self._pending: dict[str, _Pending] = {}
        self._stored: set[str] = set()
        self._held: set[str] = set()  # drafts that have a held copy in the vault
        self._in_flight = 0
        self._failed = False
        self._failure = ""
        self._closed = False
        self.state = IDLE
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(delay_ms)
        self._quiet.timeout.connect(self.flush)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max_delay_ms)
        self._deadline.timeout.connect(self.flush)

    # What the pages call ----------------------------------------------------------------

    def mark_stored(self, ids: Iterable[str]) -> None:
        """Records loaded from the vault: changes to them are edits, not adds."""
        self._stored.update(ids)

    def is_stored(self, record_id: str) -> bool:
        return record_id in self._stored

    def mark_held(self, records: Iterable[Record]) -> None:
        """Drafts held in the vault from an earlier session: pending again, until complete."""
        for record in records:
            self._held.add(record.id)
            self._pending[record.id] = _Pending(record)
        self._update_idle_state()

    @property
    def busy(self) -> bool:
        return bool(self._pending) or self._in_flight > 0

    def change(self, record: Record, name: str, value: Any) -> None:
        """``record`` is the value on screen after the change (drafts are added from it)."""
        if self._closed:
            return
        pending = self._pending.get(record.id)
        if pending is None:
            pending = self._pending[record.id] = _Pending(record)
        pending.record = record
        pending.changes[name] = value
        self._quiet.start()
        if not self._deadline.isActive():
            self._deadline.start()
        self._set_state(SAVING)

    def create(self, record: Record, on_stored: Callable[[Any], None] | None = None) -> None:
        """Add a complete record now (after everything already pending, to keep order)."""
        if self._closed:
            return
        self.flush()
        self._stored.add(record.id)
        self._send(lambda vault: interviews.add(vault, record), on_stored)

    def delete(self, record: Record) -> None:
        if self._closed:
            return
        self._pending.pop(record.id, None)
        if record.id not in self._stored:  # a draft never stored: only its held copy, if any
            if record.id in self._held:
                self._held.discard(record.id)
                record_id = record.id
                self._send(lambda vault: drafts.discard(vault, record_id))
            self._update_idle_state()
            return
        self.flush()
        cls, record_id = type(record), record.id
        self._send(lambda vault: interviews.delete(vault, cls, record_id))

    def run(self, fn: Callable[[Vault], Any], on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[errors.TestimonyError], None] | None = None, *,
            owner: QObject | None = None) -> Job | None:
        """Another call on the vault thread, ordered after every change already sent.

        The outcome is delivered only while the vault is open and ``owner`` (the widget that
        asked) still exists: a page closed meanwhile is not called back.
        """
        if self._closed:
            return None
        self.flush()
        vault = self._vault
        job = self._worker.submit(lambda: fn(vault))
        if on_done is not None:
            job.finished.connect(self._guard(on_done, owner))
        if on_failed is not None:
            job.failed.connect(self._guard(on_failed, owner))
        return job

    def _guard(self, callback: Callable[[Any], None],
               owner: QObject | None) -> Callable[[Any], None]:
        def deliver(value: Any) -> None:
            if self._closed or (owner is not None and not shiboken6.isValid(owner)):
                return
            callback(value)
        return deliver

    def flush(self) -> None:
        """Send every pending change now (locking, closing and quitting call this first)."""
        self._quiet.stop()
        self._deadline.stop()
        held = False
        for record_id, pending in list(self._pending.items()):
            missing = missing_required(pending.record)
            if missing is not None:
                held = True
                self._set_state(HELD, f"{pending.record.entity}.{missing}")
                continue
            del self._pending[record_id]
            if record_id in self._stored:
                cls, changes = type(pending.record), dict(pending.changes)
                self._send(lambda vault, cls=cls, rid=record_id, ch=changes:
                           interviews.edit(vault, cls, rid, **ch))
            else:
                self._stored.add(record_id)
                self._held.discard(record_id)
                draft = pending.record
                self._send(lambda vault, draft=draft: drafts.store_draft(vault, draft))
        if not held:
            self._update_idle_state()

    def close(self) -> None:
        """Flush, keep what is still held back, then refuse further changes (the vault is
        about to close). A new record not complete yet is held in the vault as a draft; an
        edit of a stored record that empties a required field is saved without that field
        (the stored value stays), so the other fields typed are not lost."""
        self.flush()
        new = [p.record for p in self._pending.values() if p.record.id not in self._stored]
        if new:
            self._send(lambda vault: drafts.hold(vault, new))
        for record_id, pending in self._pending.items():
            if record_id not in self._stored:
                continue
            cls = type(pending.record)
            required = {s.name for s in codec.specs(cls) if s.required}
            changes = {k: v for k, v in pending.changes.items()
                       if not (k in required and v in (None, ""))}
            if changes:
                self._send(lambda vault, cls=cls, rid=record_id, ch=changes:
                           interviews.edit(vault, cls, rid, **ch))
        self._pending.clear()
        self._closed = True

    # Inside --------------------------------------------------------------------------------

    def _send(self, fn: Callable[[Vault], Any],
              on_stored: Callable[[Any], None] | None = None) -> None:
        vault = self._vault
        self._in_flight += 1
        self._set_state(SAVING)
        job = self._worker.submit(lambda: fn(vault))
        job.finished.connect(self._on_finished)
        if on_stored is not None:
            job.finished.connect(on_stored)
        job.failed.connect(self._on_failed)

    def _on_finished(self, result: Any) -> None:
        self._in_flight -= 1
        self._failed = False
        if isinstance(result, Record):
            self.stored.emit(result)
        self._update_idle_state()

    def _on_failed(self, error: errors.TestimonyError) -> None:
        self._in_flight -= 1
        self._failed = True
        logger.warning("autosave refused: %s", error.code)
        self._failure = error.message()
        self.failed.emit(self._failure)
        self._set_state(FAILED, self._failure)

    def _update_idle_state(self) -> None:
        if self._pending:
            held = [f"{p.record.entity}.{m}" for p in self._pending.values()
                    if (m := missing_required(p.record))]
            if held and not self._quiet.isActive():
                self._set_state(HELD, held[0])
                return
            self._set_state(SAVING)
        elif self._in_flight:
            self._set_state(SAVING)
        elif self._failed:
            self._set_state(FAILED, self._failure)
        elif self.state != IDLE:
            self._set_state(SAVED)

    def _set_state(self, state: str, missing: str = "") -> None:
        self.state = state
        self.state_changed.emit(state, missing)


def replace(record: Record, **changes: Any) -> Record:
    return dataclasses.replace(record, **changes)
