"""People (interviewees, co-detainees, relatives) and perpetrators."""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.base import Record, Value, ref, text, vocab
from testimony_app.domain.dates import PartialDate


@dataclass(frozen=True, kw_only=True, slots=True)
class PersonName(Value):
    """One way a person's name was given: kept exactly as given, with its script and language."""

    full: str = text(required=True)
    script: str | None = vocab("script")
    language: str = ""
    surname: str = text()
    given: str = text()
    patronymic: str = text()
    kind: str | None = vocab("name_kind", "as_given")
    translit_scheme: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class StatusEntry(Value):
    """A person's fate or whereabouts as of a date, from a source (status changes over time)."""

    status: str | None = vocab("person_status", required=True)
    as_of: PartialDate | None = None
    source: str = text()
    confidence: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class PriorityFlag(Value):
    category: str | None = vocab("priority_categories", required=True)
    basis: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class Person(Record):
    entity = "person"
    table = "person"

    surname: str = text()
    given_name: str = text()
    patronymic: str = text()
    names: tuple[PersonName, ...] = ()
    pseudonym: str = text()
    sex: str | None = vocab("sex")
    birth_date: PartialDate | None = None
    place_of_birth: str = text()
    father_given_name: str = text()
    mother_maiden_name: str = text()
    citizenship: tuple[str, ...] = ()
    home_region: str = text()
    home_settlement: str = text()
    occupation: str = text()
    legal_category: str | None = vocab("legal_category")
    service_branch: str = text()
    unit: str = text()
    rank: str = text()
    position: str = text()
    service_number: str = text(sensitive=True)
    call_sign: str = text()
    distinguishing_marks: str = text()
    health_notes: str = text(sensitive=True)
    contacts: str = text(sensitive=True)
    next_of_kin: str = text(sensitive=True)
    registrations: str = text()
    status_history: tuple[StatusEntry, ...] = ()
    priority_flags: tuple[PriorityFlag, ...] = ()
    notes: str = text()
    duplicate_of: str | None = ref("person")


@dataclass(frozen=True, kw_only=True, slots=True)
class Actor(Record):
    """A perpetrator (person, unit or institution) by name or call sign (Istanbul Protocol item 3)."""

    entity = "actor"
    table = "actor"

    interview_id: str | None = ref("interview")
    kind: str | None = vocab("actor_kind", "individual")
    name: str = text()
    call_signs: tuple[str, ...] = ()
    unit: str = text()
    rank: str = text()
    position: str = text()
    authority: str | None = vocab("controlling_authority")
    description: str = text()
    known_before_capture: bool = False
    identification_basis: str = text()
    notes: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class Involvement(Record):
    """An actor's part in an act (HURIDOCS ESF involvement)."""

    entity = "involvement"
    table = "involvement"

    act_id: str | None = ref("act", required=True)
    actor_id: str | None = ref("actor", required=True)
    role: str | None = vocab("person_roles")
    notes: str = text()
