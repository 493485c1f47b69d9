"""Clearly fictional records of realistic size for the benchmarks.

Every name reads "Тестовий ..." and every text says it is invented: nothing here describes a
real person, place or event. A seeded generator makes runs comparable.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from testimony_app.domain.base import Record
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Act, Sighting
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person, PersonName

_WORDS = (
    "вигадана розповідь для перевірки швидкодії тестовий свідок описує умовну камеру "
    "умовний табір тестові дні допити переведення харчування холод шум ранок вечір "
    "перекличка коридор двір лікар тестова довідка невідомі особи номер блок вікно двері "
    "лава чергування тиша крики тестовий наглядач тестовий позивний конвой автобус літак"
).split()

_DATES = tuple(PartialDate.parse(t) for t in (
    "2022-03", "2022-04~", "2022-05", "2022-21", "2022-06-14", "2022-08?", "2022-10",
    "2023-01~", "2023-03", "2023-05/2023-07", "2023-09", "2023-11~"))
_BIRTH = tuple(PartialDate.parse(str(y)) for y in range(1960, 2004))
_METHODS = ("beating_body_blows", "beating_with_objects", "admission_beating", "falanga",
            "telefono", "suspension")
_ACT_TYPES = ("torture", "inhuman_cruel_treatment", "outrage_personal_dignity",
              "unlawful_confinement")
_FREQUENCY = ("once", "several_times", "repeated", "daily", "unknown")
_KNOWLEDGE = ("direct_experience", "direct_observation", "heard_directly", "told_by_victim")
_CONDITION = ("alive_apparently_well", "injured_untreated", "seriously_ill",
              "subjected_to_ill_treatment")
_CONTACT = ("same_cell", "same_block", "heard_voice", "transfer_together", "work_detail")
_ID_BASIS = ("known_before", "self_introduced", "roll_call", "by_call_sign_only")


class Fiction:
    """Builds fictional records; ``n`` numbers make every name distinct."""

    def __init__(self, seed: int = 20240301) -> None:
        self.rng = random.Random(seed)

    def text(self, words: int) -> str:
        picked = self.rng.choices(_WORDS, k=words)
        sentences = [" ".join(picked[i:i + 12]).capitalize() + "."
                     for i in range(0, len(picked), 12)]
        return "(Вигаданий текст.) " + " ".join(sentences)

    def person(self, n: int, role: str = "Свідок") -> Person:
        label = f"Тестовий {role} {n:05d}"
        return Person(
            surname="Тестовий", given_name=role, patronymic="Умовний",
            names=(PersonName(full=label, script="Cyrl", language="uk"),),
            pseudonym=label, sex=self.rng.choice(("male", "female")),
            birth_date=self.rng.choice(_BIRTH), place_of_birth="Тестове місто",
            citizenship=("UA",), home_region="Тестова область",
            home_settlement="Тестове село", occupation="тестова професія",
            legal_category=self.rng.choice(("pow", "civilian_internee")),
            unit="Тестова частина А0000", rank="тестове звання", call_sign=f"Тест-{n:05d}",
            distinguishing_marks=self.text(12), notes=self.text(20))

    def interview(self, n: int, interviewee_id: str) -> Interview:
        return Interview(
            reference=f"BENCH-{n:05d}", interviewee_id=interviewee_id,
            pseudonym=f"Тестовий Свідок {n:05d}", interviewer="Тестовий Інтерв'юер",
            start_at="2024-03-01T10:00", end_at="2024-03-01T13:30",
            place_generalised="Тестове місто", place_exact="вул. Тестова, 1",
            mode="in_person", languages=("uk",), referrals_offered=(),
            risk_assessment=self.text(20), narrative=self.text(240),
            interviewer_observations=self.text(40), inconsistencies_noted=self.text(10))

    def act(self, interview_id: str, victim_id: str) -> Act:
        rng = self.rng
        return Act(
            interview_id=interview_id, victim_id=victim_id, location_in_site="тестова камера",
            date=rng.choice(_DATES), frequency=rng.choice(_FREQUENCY), count_estimate="кілька",
            duration="години", act_types=(rng.choice(_ACT_TYPES),),
            methods=tuple(sorted(set(rng.choices(_METHODS, k=2)))),
            objects_used=self.text(6), questions_or_statements=self.text(30),
            injuries=self.text(25), psychological_consequences=self.text(20),
            witnesses="Тестовий Співкамерник", knowledge_basis=rng.choice(_KNOWLEDGE),
            notes=self.text(15))

    def sighting(self, interview_id: str, observer_id: str, observed: Person | None,
                 n: int) -> Sighting:
        rng = self.rng
        first, last = sorted(rng.sample(range(len(_DATES) - 1), 2))
        return Sighting(
            interview_id=interview_id, observer_id=observer_id,
            observed_person_id=observed.id if observed else None,
            name_as_heard=observed.pseudonym if observed else f"Тестовий Співкамерник {n:05d}",
            name_script="Cyrl", name_language="uk", call_sign=f"Тест-{n:05d}",
            self_reported_details=self.text(20), identification_basis=rng.choice(_ID_BASIS),
            contact_type=rng.choice(_CONTACT), unit_label="тестовий блок 1",
            first_seen=_DATES[first], last_seen=_DATES[last + 1],
            condition=rng.choice(_CONDITION), injuries_seen=self.text(12),
            message_for_family=self.text(15), notes=self.text(10))

    # Shapes -----------------------------------------------------------------------------

    def quartet(self, n: int) -> list[Record]:
        """Person, Interview, Act, Sighting: four records of one small testimony."""
        p = self.person(n)
        i = self.interview(n, p.id)
        return [p, i, self.act(i.id, p.id), self.sighting(i.id, p.id, None, n)]

    def testimony(self, n: int, *, people: int = 5, acts: int = 10,
                  sightings: int = 5) -> list[Record]:
        """One interview with ``people`` persons (the interviewee first), ``acts`` acts
        and ``sightings`` sightings of the other people, in an order that keeps references
        pointing backwards."""
        interviewee = self.person(n)
        others = [self.person(n * 100 + k, "Співкамерник") for k in range(1, people)]
        interview = self.interview(n, interviewee.id)
        records: list[Record] = [interviewee, *others, interview]
        victims = [interviewee, *others]
        for k in range(acts):
            records.append(self.act(interview.id, victims[k % len(victims)].id))
        for k in range(sightings):
            seen = others[k % len(others)] if others else None
            records.append(self.sighting(interview.id, interviewee.id, seen, n * 100 + k))
        return records


def batches(records: Iterator[Record] | list[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
