"""Small builders of valid records, overridable by keyword (no fixture soup)."""

from __future__ import annotations

import itertools
from typing import Any

from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person, PersonName
from testimony_app.vault.store import Store

_n = itertools.count(1)


def person(**kw: Any) -> Person:
    n = next(_n)
    defaults: dict[str, Any] = dict(
        surname=f"Тестовий{n}", given_name="Андрій", patronymic="Петрович",
        names=(PersonName(full=f"Андрій Тестовий{n}", script="Cyrl", language="uk"),),
        birth_date=PartialDate.parse("1985"), sex="male")
    return Person(**{**defaults, **kw})


def site(**kw: Any) -> Site:
    n = next(_n)
    return Site(**{"canonical_name": f"Тестова колонія №{n}", "site_type": "penal_colony",
                   "country": "RU", **kw})


def interview(**kw: Any) -> Interview:
    n = next(_n)
    return Interview(**{"reference": f"T-{n:04d}", "narrative": f"Розповідь {n}",
                        "mode": "in_person", "languages": ("uk",), **kw})


def add_testimony(store: Store, **interview_kw: Any) -> dict[str, Any]:
    """One interview with an interviewee, a site, an episode, an act with a perpetrator, a
    consent and a sighting: the shape of a typical testimony."""
    p = store.add(person())
    s = store.add(site())
    i = store.add(interview(interviewee_id=p.id, **interview_kw))
    c = store.add(Consent(interview_id=i.id, scope="share_ua_prosecution", decision="granted",
                          method="written"))
    e = store.add(DetentionEpisode(person_id=p.id, interview_id=i.id, site_id=s.id,
                                   arrival=PartialDate.parse("2022-04"),
                                   departure=PartialDate.parse("2023-05~"),
                                   arrival_mode="transfer"))
    a = store.add(Act(interview_id=i.id, victim_id=p.id, episode_id=e.id, site_id=s.id,
                      date=PartialDate.parse("2022-05"), methods=("falanga",),
                      frequency="repeated"))
    actor = store.add(Actor(interview_id=i.id, call_signs=("Тестовий позивний",)))
    inv = store.add(Involvement(act_id=a.id, actor_id=actor.id, role="perpetrator_direct"))
    sg = store.add(Sighting(interview_id=i.id, observer_id=p.id, name_as_heard="Сашко",
                            site_id=s.id, last_seen=PartialDate.parse("2023-05")))
    return {"person": p, "site": s, "interview": i, "consent": c, "episode": e, "act": a,
            "actor": actor, "involvement": inv, "sighting": sg}
