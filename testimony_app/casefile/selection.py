"""Which interviews a case file covers: chosen ones, everything about a person, or everything
about a site.

A person's case file holds every interview where the person is the interviewee, was seen by
someone (a sighting linked to the person) or is the victim of a recorded act. A site's holds
every interview with a detention episode, an act or a sighting at the site or at a place inside
it (``parent_site_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from testimony_app import errors
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.i18n import N_
from testimony_app.vault.store import Store

Kind = Literal["interviews", "person", "site"]


@dataclass(frozen=True)
class Selection:
    kind: Kind
    ids: tuple[str, ...]

    @classmethod
    def interviews(cls, *ids: str) -> Selection:
        if not ids:
            raise errors.UsageError(N_("Choose at least one interview."))
        return cls("interviews", tuple(dict.fromkeys(ids)))

    @classmethod
    def person(cls, person_id: str) -> Selection:
        return cls("person", (person_id,))

    @classmethod
    def site(cls, site_id: str) -> Selection:
        return cls("site", (site_id,))


def _order(interviews: list[Interview]) -> list[Interview]:
    """Oldest interview first; the reference and the id break ties, so the order is stable."""
    unique = {i.id: i for i in interviews}
    return sorted(unique.values(), key=lambda i: (i.start_at or i.created_at, i.reference, i.id))


def _by_ids(store: Store, ids: tuple[str, ...]) -> list[Interview]:
    return [store.get(Interview, interview_id) for interview_id in ids]


def _interviews(store: Store, ids: set[str | None]) -> list[Interview]:
    found = (store.find(Interview, i) for i in sorted(x for x in ids if x))
    return [i for i in found if i is not None]


def _about_person(store: Store, person_id: str) -> list[Interview]:
    store.get(Person, person_id)
    ids: set[str | None] = {i.id for i in store.list(Interview, interviewee_id=person_id)}
    ids |= {s.interview_id for s in store.list(Sighting, observed_person_id=person_id)}
    ids |= {a.interview_id for a in store.list(Act, victim_id=person_id)}
    return _interviews(store, ids)


def site_and_parts(store: Store, site_id: str) -> set[str]:
    """The site and every site inside it, however deep (cycles are tolerated)."""
    found = {site_id}
    frontier = [site_id]
    while frontier:
        parent = frontier.pop()
        for child in store.list(Site, parent_site_id=parent):
            if child.id not in found:
                found.add(child.id)
                frontier.append(child.id)
    return found


def _about_site(store: Store, site_id: str) -> list[Interview]:
    store.get(Site, site_id)
    ids: set[str | None] = set()
    for sid in site_and_parts(store, site_id):
        ids |= {e.interview_id for e in store.list(DetentionEpisode, site_id=sid)}
        ids |= {a.interview_id for a in store.list(Act, site_id=sid)}
        ids |= {s.interview_id for s in store.list(Sighting, site_id=sid)}
    return _interviews(store, ids)


def resolve(store: Store, selection: Selection) -> list[Interview]:
    """The interviews of a selection, oldest first. An unknown id raises NotFound."""
    if selection.kind == "interviews":
        return _order(_by_ids(store, selection.ids))
    if selection.kind == "person":
        return _order(_about_person(store, selection.ids[0]))
    if selection.kind == "site":
        return _order(_about_site(store, selection.ids[0]))
    raise errors.UsageError(N_("Choose interviews, a person or a site."))
