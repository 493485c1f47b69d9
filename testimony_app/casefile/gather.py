"""Reading everything recorded in an interview, once, before any redaction.

The result holds live domain records; it never leaves the case-file package: ``redaction``
turns it into the view the renderer draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person
from testimony_app.vault import audit
from testimony_app.vault.audit import AuditEntry
from testimony_app.vault.store import Store


@dataclass(frozen=True)
class Gathered:
    """One interview and every record hanging off it."""

    interview: Interview
    interviewee: Person | None
    consents: tuple[Consent, ...]
    captures: tuple[CaptureEvent, ...]
    episodes: tuple[DetentionEpisode, ...]
    acts: tuple[Act, ...]
    involvements: Mapping[str, tuple[Involvement, ...]]  # by act id
    actors: Mapping[str, Actor]
    sightings: tuple[Sighting, ...]
    attachments: tuple[Attachment, ...]
    custody: Mapping[str, tuple[CustodyEvent, ...]]  # by attachment id
    people: Mapping[str, Person]
    sites: Mapping[str, Site]
    audit: Mapping[str, tuple[AuditEntry, ...]] = field(default_factory=dict)  # by record id


class Loader:
    """Reads interviews with a cache of the people and sites they share."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._people: dict[str, Person | None] = {}
        self._sites: dict[str, Site | None] = {}

    def person(self, person_id: str | None) -> Person | None:
        if not person_id:
            return None
        if person_id not in self._people:
            self._people[person_id] = self.store.find(Person, person_id)
        return self._people[person_id]

    def site(self, site_id: str | None) -> Site | None:
        if not site_id:
            return None
        if site_id not in self._sites:
            self._sites[site_id] = self.store.find(Site, site_id)
        return self._sites[site_id]

    def load(self, interview: Interview) -> Gathered:
        store = self.store
        iid = interview.id
        acts = tuple(store.list(Act, interview_id=iid))
        involvements = {a.id: tuple(store.list(Involvement, act_id=a.id)) for a in acts}
        actors = {a.id: a for a in store.list(Actor, interview_id=iid)}
        for links in involvements.values():
            for link in links:
                if link.actor_id and link.actor_id not in actors:
                    actor = store.find(Actor, link.actor_id)
                    if actor is not None:
                        actors[actor.id] = actor
        episodes = tuple(store.list(DetentionEpisode, interview_id=iid))
        sightings = tuple(store.list(Sighting, interview_id=iid))
        attachments = tuple(store.list(Attachment, interview_id=iid))
        custody = {a.id: tuple(store.list(CustodyEvent, attachment_id=a.id, order_by="at"))
                   for a in attachments}
        captures = tuple(store.list(CaptureEvent, interview_id=iid))
        people: dict[str, Person] = {}
        for pid in [interview.interviewee_id, *(a.victim_id for a in acts),
                    *(s.observed_person_id for s in sightings)]:
            found = self.person(pid)
            if found is not None:
                people[found.id] = found
        sites: dict[str, Site] = {}
        for sid in [*(e.site_id for e in episodes), *(a.site_id for a in acts),
                    *(s.site_id for s in sightings)]:
            site = self.site(sid)
            if site is not None:
                sites[site.id] = site
        consents = tuple(store.list(Consent, interview_id=iid))
        records: list[Record] = [interview, *consents, *captures, *episodes, *acts,
                                 *actors.values(), *sightings, *attachments,
                                 *(e for events in custody.values() for e in events),
                                 *(i for links in involvements.values() for i in links),
                                 *people.values(), *sites.values()]
        return Gathered(
            interview=interview, interviewee=self.person(interview.interviewee_id),
            consents=consents, captures=captures, episodes=episodes, acts=acts,
            involvements=involvements, actors=actors, sightings=sightings,
            attachments=attachments, custody=custody, people=people, sites=sites,
            audit={r.id: tuple(audit.entries(store.conn, entity_id=r.id)) for r in records})
