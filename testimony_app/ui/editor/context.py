"""What the sections of one open interview share: the records as they are on screen,
autosave, the vault's sites, and whether the interview is locked.

The working copy is the truth on screen: a change updates it at once (lists relabel, pickers
offer the new episode) and is sent to autosave; what the vault stores comes back only as
confirmation. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import current_language
from testimony_app.services.lookups import EditorData
from testimony_app.ui.autosave import Autosave, missing_required
from testimony_app.ui.workers import Worker
from testimony_app.vault.blobs import BlobStore

R = TypeVar("R", bound=Record)

CHILDREN: tuple[type[Record], ...] = (
    Consent, CaptureEvent, DetentionEpisode, Act, Actor, Involvement, Sighting, Attachment,
    CustodyEvent,
)


class EditorContext(QObject):
    changed = Signal(str)  # entity: a record of this kind was added, removed or relabelled
    read_only_changed = Signal(bool)
    sites_changed = Signal()

    def __init__(self, data: EditorData, saver: Autosave, *, jobs: Worker, blobs: BlobStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.saver = saver
        self.jobs = jobs  # long work that needs no database (encrypting an attachment)
        self.blobs = blobs
        file = data.file
        self.interview: Interview = file.interview
        self.interviewee: Person | None = file.interviewee
        self._records: dict[type[Record], dict[str, Record]] = {cls: {} for cls in CHILDREN}
        groups = (file.consents, file.captures, file.episodes, file.acts, file.actors,
                  file.involvements, file.sightings, file.attachments, file.custody)
        for cls, group in zip(CHILDREN, groups, strict=True):
            self._records[cls] = {r.id: r for r in group}
        self.sites: dict[str, Site] = {s.id: s for s in data.sites}
        self.sites.update({s.id: s for s in file.sites})
        ids = [self.interview.id, *(r.id for g in groups for r in g)]
        if self.interviewee is not None:
            ids.append(self.interviewee.id)
        saver.mark_stored(ids)
        saver.mark_stored(self.sites)
        held = [r for r in data.held if type(r) in self._records and r.id not in ids]
        for record in held:  # drafts kept when the vault last locked: on screen again
            self._put(record)
        saver.mark_held(held)

    # Reading ----------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.interview.status == "locked"

    def records(self, cls: type[R]) -> list[R]:
        return list(self._records[cls].values())  # type: ignore[arg-type]

    def get(self, cls: type[R], record_id: str | None) -> R | None:
        if not record_id:
            return None
        if cls is Interview:
            return self.interview if record_id == self.interview.id else None  # type: ignore[return-value]
        if cls is Person:
            person = self.interviewee
            return person if person is not None and person.id == record_id else None  # type: ignore[return-value]
        if cls is Site:
            return self.sites.get(record_id)  # type: ignore[return-value]
        return self._records[cls].get(record_id)  # type: ignore[return-value]

    def site_name(self, site_id: str | None) -> str:
        site = self.sites.get(site_id) if site_id else None
        return site.canonical_name if site else ""

    @staticmethod
    def term(vocabulary: str, term_id: str | None) -> str:
        return vocabularies()[vocabulary].label(term_id, current_language()) if term_id else ""

    # Changing ---------------------------------------------------------------------------------

    def _put(self, record: Record) -> None:
        if isinstance(record, Interview):
            was_locked = self.read_only
            self.interview = record
            if self.read_only != was_locked:
                self.read_only_changed.emit(self.read_only)
        elif isinstance(record, Person):
            self.interviewee = record
        elif isinstance(record, Site):
            self.sites[record.id] = record
        else:
            self._records[type(record)][record.id] = record

    def change(self, record: Record, name: str, value: Any) -> Record:
        """A person changed one field of ``record`` (as currently on screen)."""
        current = self.get(type(record), record.id) or record
        if getattr(current, name) == value:
            return current
        updated = dataclasses.replace(current, **{name: value})
        self._put(updated)
        self.saver.change(updated, name, value)
        self.changed.emit(updated.entity)
        return updated

    def add(self, record: R, on_stored: Callable[[Any], None] | None = None) -> R:
        """A new record: stored now if complete, else kept as a draft until it is."""
        self._put(record)
        if missing_required(record) is None:
            self.saver.create(record, on_stored)
        self.changed.emit(record.entity)
        return record

    def add_draft(self, record: R) -> R:
        """A record that exists on screen only until its first change (a consent row)."""
        self._put(record)
        return record

    def remember(self, record: Record) -> None:
        """A record the vault already stored (an attachment, a custody event)."""
        self.saver.mark_stored([record.id])
        self._put(record)
        self.changed.emit(record.entity)

    def remove(self, record: Record) -> None:
        self._records.get(type(record), {}).pop(record.id, None)
        self.saver.delete(record)
        self.changed.emit(record.entity)

    def add_site(self, site: Site) -> Site:
        self.sites[site.id] = site
        self.saver.create(site)
        self.sites_changed.emit()
        return site

    def ensure_interviewee(self) -> Person:
        """An interview from elsewhere may have no interviewee record yet: make one."""
        if self.interviewee is None:
            person = Person()
            self.interviewee = person
            self.saver.create(person)
            self.change(self.interview, "interviewee_id", person.id)
        return self.interviewee


def sighting_label(s: Sighting) -> str:
    return s.name_as_heard or s.call_sign


def episode_dates(e: DetentionEpisode) -> str:
    lang = current_language()
    start = e.arrival.describe(lang) if e.arrival else "?"
    end = e.departure.describe(lang) if e.departure else "?"
    return f"{start} – {end}"
