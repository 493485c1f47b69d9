"""Detention sites, episodes at them, acts of ill-treatment, and sightings of co-detainees."""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.base import Record, Value, number, ref, text, vocab
from testimony_app.domain.dates import PartialDate


@dataclass(frozen=True, kw_only=True, slots=True)
class SiteName(Value):
    name: str = text(required=True)
    language: str = ""
    kind: str = ""  # official, colloquial, former


@dataclass(frozen=True, kw_only=True, slots=True)
class AuthorityPeriod(Value):
    authority: str | None = vocab("controlling_authority", required=True)
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Site(Record):
    entity = "site"
    table = "site"

    canonical_name: str = text(required=True)
    names: tuple[SiteName, ...] = ()
    site_type: str | None = vocab("detention_site_types")
    country: str = ""
    region: str = text()
    settlement: str = text()
    address: str = text()
    latitude: float | None = number(-90.0, 90.0)
    longitude: float | None = number(-180.0, 180.0)
    authorities: tuple[AuthorityPeriod, ...] = ()
    official_designation: str = text()
    parent_site_id: str | None = ref("site")
    gazetteer_id: str = ""
    notes: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class DetentionEpisode(Record):
    """A person at a site (and cell or block) from-to: one step of their journey."""

    entity = "episode"
    table = "detention_episode"

    person_id: str | None = ref("person", required=True)
    interview_id: str | None = ref("interview")
    site_id: str | None = ref("site")
    unit_label: str = text()
    arrival: PartialDate | None = None
    departure: PartialDate | None = None
    arrival_mode: str | None = vocab("arrival_mode")
    transferred_from_id: str | None = ref("episode")
    assigned_number: str = text()
    regime: str = text()
    conditions: tuple[str, ...] = vocab("ill_treatment_methods", tuple)
    conditions_text: str = text()
    daily_routine: str = text()
    legal_process: str = text()
    notes: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class Act(Record):
    """An incident of ill-treatment (ESF act plus the Istanbul Protocol's ten items)."""

    entity = "act"
    table = "act"

    interview_id: str | None = ref("interview")
    victim_id: str | None = ref("person")
    episode_id: str | None = ref("episode")
    site_id: str | None = ref("site")
    location_in_site: str = text()
    date: PartialDate | None = None
    frequency: str | None = vocab("frequency")
    count_estimate: str = text()
    duration: str = text()
    act_types: tuple[str, ...] = vocab("act_types", tuple)
    methods: tuple[str, ...] = vocab("ill_treatment_methods", tuple)
    methods_other: str = text()
    objects_used: str = text()
    questions_or_statements: str = text(sensitive=True)
    statements_signed: str = text()
    medical_involvement: str = text()
    injuries: str = text(sensitive=True)
    psychological_consequences: str = text(sensitive=True)
    witnesses: str = text()
    knowledge_basis: str | None = vocab("knowledge_basis")
    notes: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class Sighting(Record):
    """"I saw X at site S between D1 and D2": kept exactly as recorded; matching is separate."""

    entity = "sighting"
    table = "sighting"

    interview_id: str | None = ref("interview", required=True)
    observer_id: str | None = ref("person")
    observed_person_id: str | None = ref("person")
    name_as_heard: str = text(required=True)
    name_script: str | None = vocab("script")
    name_language: str = ""
    call_sign: str = text()
    self_reported_details: str = text()
    identification_basis: str | None = vocab("sighting_identification_basis")
    contact_type: str | None = vocab("sighting_contact_type")
    site_id: str | None = ref("site")
    unit_label: str = text()
    first_seen: PartialDate | None = None
    last_seen: PartialDate | None = None
    condition: str | None = vocab("observed_condition")
    injuries_seen: str = text()
    ill_treatment_seen: str = text()
    last_known_movement: str = text()
    distinguishing_marks_seen: str = text()
    message_for_family: str = text(sensitive=True)
    match_status: str | None = vocab("match_status", "unreviewed")
    match_rationale: str = text()
    notes: str = text()
