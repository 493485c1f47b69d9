"""Read-only views the desktop app needs around the editor and the directory pages.

Plain values out, as everywhere in ``services``: what an interview editor opens with (the
interview file plus every site of the vault for the pickers), how a person or an interview is
named on screen, and where a person or a site is mentioned, with enough words to recognise it.
"""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import CaptureEvent, Interview
from testimony_app.domain.person import Person
from testimony_app.services import directory, drafts, interviews
from testimony_app.services.interviews import InterviewFile
from testimony_app.vault.store import Store


@dataclass(frozen=True)
class EditorData:
    """An interview file, every site of the vault (the pickers offer them all) and the drafts
    held for the interview since it was last open (``services.drafts``)."""

    file: InterviewFile
    sites: tuple[Site, ...]
    held: tuple[Record, ...] = ()


@dataclass(frozen=True)
class MentionRow:
    """One place a person or site appears, described for a list on screen."""

    entity: str
    role: str
    record_id: str
    interview_id: str | None
    interview_label: str
    when: str
    detail: str


def open_interview(store: Store, interview_id: str) -> EditorData:
    return EditorData(interviews.load_interview(store, interview_id),
                      tuple(directory.sites(store)), drafts.held(store, interview_id))


def person_name(person: Person | None) -> str:
    """The name to show: official parts, else the first name as given, else the pseudonym."""
    if person is None:
        return ""
    parts = " ".join(p for p in (person.surname, person.given_name, person.patronymic) if p)
    if parts:
        return parts
    if person.names and person.names[0].full:
        return person.names[0].full
    return person.pseudonym


def interview_label(interview: Interview, interviewee: Person | None) -> str:
    """Reference, who and when: enough to tell interviews apart in a list."""
    who = interview.pseudonym or person_name(interviewee)
    when = interview.start_at[:10]
    return " · ".join(p for p in (interview.reference, who, when) if p)


def _site_name(store: Store, site_id: str | None) -> str:
    site = store.find(Site, site_id) if site_id else None
    return site.canonical_name if site else ""


def _describe(store: Store, record: Record | None) -> tuple[str, str]:
    """(when, detail) of a mentioning record."""
    if isinstance(record, DetentionEpisode):
        start = record.arrival.edtf if record.arrival else ""
        end = record.departure.edtf if record.departure else ""
        when = f"{start}–{end}" if start or end else ""
        return when, _site_name(store, record.site_id)
    if isinstance(record, Act):
        return (record.date.edtf if record.date else ""), _site_name(store, record.site_id)
    if isinstance(record, Sighting):
        seen = record.last_seen or record.first_seen
        site = _site_name(store, record.site_id)
        return (seen.edtf if seen else ""), " · ".join(
            p for p in (record.name_as_heard, site) if p)
    if isinstance(record, CaptureEvent):
        return (record.date.edtf if record.date else ""), record.place
    if isinstance(record, Interview):
        return record.start_at[:10], record.place_generalised
    return "", ""


_CLASSES: dict[str, type[Record]] = {
    "interview": Interview, "episode": DetentionEpisode, "act": Act, "sighting": Sighting,
    "capture": CaptureEvent,
}


def describe_mentions(store: Store, mentions: list[directory.Mention]) -> list[MentionRow]:
    labels: dict[str, str] = {}
    rows: list[MentionRow] = []
    for m in mentions:
        label = ""
        if m.interview_id:
            if m.interview_id not in labels:
                found = store.find(Interview, m.interview_id)
                person = (store.find(Person, found.interviewee_id)
                          if found and found.interviewee_id else None)
                labels[m.interview_id] = interview_label(found, person) if found else ""
            label = labels[m.interview_id]
        cls = _CLASSES.get(m.entity)
        when, detail = _describe(store, store.find(cls, m.record_id) if cls else None)
        rows.append(MentionRow(m.entity, m.role, m.record_id, m.interview_id, label, when,
                               detail))
    return rows


def person_appearances(store: Store, person_id: str) -> list[MentionRow]:
    return describe_mentions(store, directory.person_mentions(store, person_id))


def site_appearances(store: Store, site_id: str) -> list[MentionRow]:
    return describe_mentions(store, directory.site_mentions(store, site_id))
