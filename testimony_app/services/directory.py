"""People and sites across the whole vault: browse, search, and where each one appears."""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import CaptureEvent, Interview
from testimony_app.domain.person import Person
from testimony_app.vault import text_index
from testimony_app.vault.store import Store


@dataclass(frozen=True)
class Mention:
    """A record that mentions a person or a site, with the interview it belongs to."""

    entity: str
    record_id: str
    interview_id: str | None
    role: str


def people(store: Store, search: str = "") -> list[Person]:
    everyone = store.list(Person, order_by="surname")
    if not search.strip():
        return everyone
    hits = {r[1] for r in text_index.search(store.conn, search, limit=10_000, entity="person")}
    return [p for p in everyone if p.id in hits]


def sites(store: Store, search: str = "") -> list[Site]:
    everything = store.list(Site, order_by="canonical_name")
    if not search.strip():
        return everything
    hits = {r[1] for r in text_index.search(store.conn, search, limit=10_000, entity="site")}
    return [s for s in everything if s.id in hits]


def person_mentions(store: Store, person_id: str) -> list[Mention]:
    found = [Mention("interview", i.id, i.id, "interviewee")
             for i in store.list(Interview, interviewee_id=person_id)]
    found += [Mention("episode", e.id, e.interview_id, "detained")
              for e in store.list(DetentionEpisode, person_id=person_id)]
    found += [Mention("act", a.id, a.interview_id, "victim")
              for a in store.list(Act, victim_id=person_id)]
    found += [Mention("sighting", s.id, s.interview_id, "seen")
              for s in store.list(Sighting, observed_person_id=person_id)]
    found += [Mention("sighting", s.id, s.interview_id, "observer")
              for s in store.list(Sighting, observer_id=person_id)]
    found += [Mention("capture", c.id, c.interview_id, "captured")
              for c in store.list(CaptureEvent, person_id=person_id)]
    return found


def site_mentions(store: Store, site_id: str) -> list[Mention]:
    found = [Mention("episode", e.id, e.interview_id, "detained")
             for e in store.list(DetentionEpisode, site_id=site_id)]
    found += [Mention("act", a.id, a.interview_id, "act")
              for a in store.list(Act, site_id=site_id)]
    found += [Mention("sighting", s.id, s.interview_id, "seen")
              for s in store.list(Sighting, site_id=site_id)]
    return found
