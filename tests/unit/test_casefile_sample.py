"""Sample testimonies for the case-file tests, with every field the case file can show.

``marked`` plants a distinct marker in each field a redaction profile may have to drop, so a
test can say exactly which field leaked. The markers are plain capitals and digits so that they
survive PDF text extraction whole. The tests at the end check the selection of interviews.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from testimony_app.casefile.selection import Selection, resolve
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import CaptureEvent, Consent
from testimony_app.domain.person import Actor, Involvement, Person, PersonName, StatusEntry
from testimony_app.services.attachments import add_attachment
from testimony_app.vault.vault import Vault
from tests import factory

UK_NARRATIVE = ("Нас тримали в підвалі, де було дуже холодно. Ґрати, їжа раз на добу; "
                "наглядач казав: «Тут вам не курорт».")
RU_NARRATIVE = "Нас держали в подвале; охранник с позывным «Ёж» бил всех подряд, без объяснений."


def marked(tag: str) -> dict[str, str]:
    """Markers for every droppable field of one testimony, e.g. ``MKAXSURNAME``."""
    fields = ("SURNAME", "GIVEN", "VARIANT", "CONTACTS", "KIN", "SERVICENO", "HEALTH",
              "PLACEEXACT", "PLACEGEN", "NARRATIVE", "INTERVIEWER", "INTERPRETER",
              "OBSERVATION", "HEARD", "HEARDCALL", "FAMILYMSG", "INJSEEN", "ACTORNAME",
              "ACTORCALL", "ACTORDESC", "INJURIES", "QUESTIONS", "OBJECTS", "ACTNOTES",
              "METHODSOTHER", "FILENAME", "SITENAME", "SETTLEMENT", "ADDRESS", "CAPTUREUNIT",
              "CIRCUMSTANCES", "RECORDEDBY", "CONDTEXT")
    return {f: f"MK{tag}X{f}" for f in fields}


def add_rich(vault: Vault, *, scopes: tuple[str, ...] = ("share_ua_prosecution",),
             tag: str = "A", narrative: str = UK_NARRATIVE, reference: str = "",
             attachment: bool = True, **interview_kw: Any) -> dict[str, Any]:
    """One fully recorded testimony whose droppable fields carry ``marked(tag)``."""
    m = marked(tag)
    with vault.transaction() as store:
        person = store.add(Person(
            surname=f"Коваленко {m['SURNAME']}", given_name=f"Андрій {m['GIVEN']}",
            patronymic="Петрович",
            names=(PersonName(full=f"Андрей Коваленко {m['VARIANT']}", script="Cyrl",
                              language="ru", kind="russian_form"),),
            sex="male", birth_date=PartialDate.parse("1985-03-14"), citizenship=("UA",),
            home_region="Донецька область", home_settlement="Маріуполь",
            legal_category="pow", unit="36 ОБрМП", rank="солдат",
            service_number=m["SERVICENO"], health_notes=m["HEALTH"],
            contacts=f"+380 00 000 0000 {m['CONTACTS']}", next_of_kin=m["KIN"],
            status_history=(StatusEntry(status="released_exchange",
                                        as_of=PartialDate.parse("2024-05")),)))
        site = store.add(Site(canonical_name=f"СІЗО-2 {m['SITENAME']}", site_type="sizo",
                              country="RU", region="Таганрог, Ростовская область",
                              settlement=m["SETTLEMENT"], address=m["ADDRESS"]))
        interview = store.add(factory.interview(
            interviewee_id=person.id, narrative=f"{narrative} {m['NARRATIVE']}",
            reference=reference or f"T-{tag}", interviewer=m["INTERVIEWER"],
            interpreter=m["INTERPRETER"], place_exact=m["PLACEEXACT"],
            place_generalised=m["PLACEGEN"], interviewer_observations=m["OBSERVATION"],
            start_at="2024-06-01T10:00", end_at="2024-06-01T12:30", **interview_kw))
        for scope in scopes:
            store.add(Consent(interview_id=interview.id, scope=scope, decision="granted",
                              method="written", recorded_by=m["RECORDEDBY"],
                              recorded_on=PartialDate.parse("2024-06-01")))
        store.add(CaptureEvent(person_id=person.id, interview_id=interview.id,
                               date=PartialDate.parse("2022-04~"), place="Маріуполь",
                               capturing_unit=m["CAPTUREUNIT"],
                               circumstances=m["CIRCUMSTANCES"]))
        episode = store.add(DetentionEpisode(
            person_id=person.id, interview_id=interview.id, site_id=site.id,
            arrival=PartialDate.parse("2022-04"), departure=PartialDate.parse("2023-05~"),
            arrival_mode="transfer", conditions=("food_deprivation",),
            conditions_text=m["CONDTEXT"]))
        act = store.add(Act(
            interview_id=interview.id, victim_id=person.id, episode_id=episode.id,
            site_id=site.id, date=PartialDate.parse("2022-05"), methods=("falanga",),
            methods_other=m["METHODSOTHER"], frequency="repeated", injuries=m["INJURIES"],
            questions_or_statements=m["QUESTIONS"], objects_used=m["OBJECTS"],
            notes=m["ACTNOTES"], act_types=("torture",)))
        actor = store.add(Actor(interview_id=interview.id, name=m["ACTORNAME"],
                                call_signs=(m["ACTORCALL"],), description=m["ACTORDESC"],
                                unit="в/ч 00000", authority="fsin"))
        store.add(Involvement(act_id=act.id, actor_id=actor.id, role="perpetrator_direct"))
        sighting = store.add(Sighting(
            interview_id=interview.id, observer_id=person.id,
            name_as_heard=f"Сашко {m['HEARD']}", call_sign=m["HEARDCALL"], site_id=site.id,
            first_seen=PartialDate.parse("2022-06"), last_seen=PartialDate.parse("2023-05"),
            condition="injured_untreated", message_for_family=m["FAMILYMSG"],
            injuries_seen=m["INJSEEN"]))
    out = {"person": person, "site": site, "interview": interview, "episode": episode,
           "act": act, "actor": actor, "sighting": sighting, "markers": m}
    if attachment:
        out["attachment"] = add_attachment(vault, interview.id, io.BytesIO(b"%PDF scan"),
                                           filename=f"{m['FILENAME']}.pdf", kind="document")
    return out


# Selection ----------------------------------------------------------------------------------

def test_a_person_selection_finds_interviews_as_interviewee_victim_and_seen(vault):
    a = add_rich(vault, tag="A", attachment=False)
    with vault.transaction() as store:
        other = store.add(factory.interview(reference="T-B"))
        store.add(Sighting(interview_id=other.id, name_as_heard="Андрій",
                           observed_person_id=a["person"].id))
        third = store.add(factory.interview(reference="T-C"))
        store.add(Act(interview_id=third.id, victim_id=a["person"].id))
        store.add(factory.interview(reference="T-D"))  # unrelated
    found = resolve(vault.store, Selection.person(a["person"].id))
    assert {i.reference for i in found} == {"T-A", "T-B", "T-C"}


def test_a_site_selection_includes_places_inside_the_site(vault):
    with vault.transaction() as store:
        colony = store.add(factory.site())
        block = store.add(factory.site(parent_site_id=colony.id))
        p = store.add(factory.person())
        one = store.add(factory.interview(reference="T-1", interviewee_id=p.id))
        store.add(DetentionEpisode(person_id=p.id, interview_id=one.id, site_id=block.id))
        two = store.add(factory.interview(reference="T-2"))
        store.add(Sighting(interview_id=two.id, name_as_heard="X", site_id=colony.id))
        store.add(factory.interview(reference="T-3"))
    found = resolve(vault.store, Selection.site(colony.id))
    assert [i.reference for i in found] == ["T-1", "T-2"]


def test_an_unknown_interview_is_an_error(vault):
    from testimony_app import errors

    with pytest.raises(errors.NotFound):
        resolve(vault.store, Selection.interviews("00000000-0000-4000-8000-000000000000"))
