"""Redaction profiles and consent gating: what a case file may show, and of which interviews.

A profile is an allow-list: for each kind of record, the fields it shows, and the sections it
has. Whatever is not listed is dropped before rendering (``Shown`` hands out only listed
fields), so a new field added to a record stays out of every case file until someone decides
otherwise. The advocacy profile may list no field marked ``sensitive``; this is checked when
the module loads.

Consent is per interview and per scope. A scope counts as granted only if its records agree on
"granted" and none carries a withdrawal; if they disagree, the scope is not granted (the file
says so, and the records can be corrected). An interview without a granted scope of the
profile is left out, and the file lists it with the state of each scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from testimony_app import errors
from testimony_app.casefile.labels import Words
from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Consent
from testimony_app.domain.registry import BY_NAME
from testimony_app.i18n import N_

PROSECUTION, ICRC, ADVOCACY = "prosecution", "icrc", "advocacy"
PROFILES = (PROSECUTION, ICRC, ADVOCACY)

SECTIONS = ("interview", "interviewee", "consent", "capture", "narrative", "timeline", "acts",
            "sightings", "perpetrators", "attachments", "audit")

# Consent states beyond the closed consent_decision list.
NOT_RECORDED, DISAGREE = "not_recorded", "disagree"
CONTACT_SCOPE = "contact_by_investigators"
IDENTITY_SCOPE = "store_identity"

_PERSON_IDENTITY = {
    "surname", "given_name", "patronymic", "names", "sex", "birth_date", "place_of_birth",
    "father_given_name", "mother_maiden_name", "citizenship", "home_region", "home_settlement",
    "legal_category", "service_branch", "unit", "rank", "position", "service_number",
    "call_sign", "distinguishing_marks", "status_history", "priority_flags"}
_SIGHTING_TRACING = {
    "name_as_heard", "name_script", "call_sign", "self_reported_details",
    "identification_basis", "contact_type", "site_id", "unit_label", "first_seen", "last_seen",
    "condition", "last_known_movement", "distinguishing_marks_seen", "message_for_family"}


def _all(entity: str, *, but: Iterable[str] = ()) -> frozenset[str]:
    names = {s.name for s in codec.user_fields(BY_NAME[entity])}
    return frozenset(names - set(but))


@dataclass(frozen=True)
class Gate:
    """Fields a profile shows only when the interview grants one more consent scope."""

    entity: str
    fields: frozenset[str]
    scope: str
    what: str  # N_ message naming what is left out without it


@dataclass(frozen=True)
class Profile:
    name: str
    label: str  # N_ message
    marking: str  # N_ message: the confidentiality marking on every page
    scopes: tuple[str, ...]  # any one of them, granted, admits an interview
    sections: tuple[str, ...]
    fields: Mapping[str, frozenset[str]]
    pseudonyms: bool  # names of people replaced by pseudonyms
    exact_places: bool  # sites by name; otherwise by region only
    notes: tuple[str, ...]  # N_ messages: what this profile leaves out, for the cover
    gates: tuple[Gate, ...] = ()

    def allowed(self, entity: str) -> frozenset[str]:
        return self.fields.get(entity, frozenset())

    def has(self, section: str) -> bool:
        return section in self.sections


_PROFILES = {
    PROSECUTION: Profile(
        name=PROSECUTION, label=N_("Prosecution"),
        marking=N_("CONFIDENTIAL – for law-enforcement and judicial use only"),
        scopes=("share_ua_prosecution", "share_icc", "share_foreign_justice"),
        sections=SECTIONS,
        fields={
            "interview": _all("interview", but={"pseudonym"}),
            "person": _all("person", but={"pseudonym", "duplicate_of"}),
            "consent": _all("consent", but={"interview_id"}),
            "capture": _all("capture", but={"person_id", "interview_id"}),
            "episode": _all("episode"),
            "act": _all("act"),
            "actor": _all("actor"),
            "involvement": _all("involvement"),
            "sighting": _all("sighting", but={"match_rationale"}),
            "attachment": _all("attachment", but={"blob_name", "file_key"}),
            "custody": _all("custody"),
            "site": _all("site"),
        },
        pseudonyms=False, exact_places=True,
        notes=(N_("Only interviews whose interviewee consented to sharing with Ukrainian law "
                  "enforcement, the ICC or other justice bodies are included; the consent "
                  "table of each interview shows which of these bodies it may go to."),
               N_("Contact details are included only where the interviewee agreed to pass them "
                  "to investigators.")),
        gates=(Gate("person", frozenset({"contacts", "next_of_kin"}), CONTACT_SCOPE,
                    N_("Contact details and next of kin")),)),
    ICRC: Profile(
        name=ICRC, label=N_("ICRC tracing"),
        marking=N_("CONFIDENTIAL – for ICRC humanitarian use only; not for judicial use"),
        scopes=("share_icrc",),
        sections=("interview", "interviewee", "consent", "capture", "timeline", "sightings",
                  "audit"),
        fields={
            "interview": frozenset({"reference", "interviewer", "start_at", "end_at", "mode",
                                    "languages", "status", "confidentiality"}),
            "person": frozenset(_PERSON_IDENTITY),
            "consent": frozenset({"scope", "decision", "method", "recorded_on",
                                  "withdrawn_on", "conditions"}),
            "capture": frozenset({"date", "place"}),
            "episode": frozenset({"site_id", "arrival", "departure", "arrival_mode",
                                  "unit_label", "assigned_number", "legal_process"}),
            "sighting": frozenset(_SIGHTING_TRACING),
            "site": frozenset({"canonical_name", "site_type", "country", "region",
                               "settlement"}),
        },
        pseudonyms=False, exact_places=True,
        notes=(N_("Identity and whereabouts only: the narrative, acts of ill-treatment, "
                  "perpetrators, injuries and attachments are left out."),
               N_("Only interviews whose interviewee consented to sharing with the ICRC are "
                  "included."))),
    ADVOCACY: Profile(
        name=ADVOCACY, label=N_("Advocacy (anonymised)"),
        marking=N_("RESTRICTED – anonymised; check each consent before any publication"),
        scopes=("advocacy_anonymous", "advocacy_named"),
        sections=("interview", "interviewee", "consent", "capture", "timeline", "acts",
                  "sightings", "perpetrators", "attachments", "audit"),
        fields={
            "interview": frozenset({"reference", "start_at", "languages", "status",
                                    "confidentiality"}),
            "person": frozenset({"sex", "legal_category", "status_history"}),
            "consent": frozenset({"scope", "decision", "recorded_on", "withdrawn_on",
                                  "conditions"}),
            "capture": frozenset({"date"}),
            "episode": frozenset({"site_id", "arrival", "departure", "arrival_mode"}),
            "act": frozenset({"site_id", "date", "frequency", "act_types", "methods",
                              "knowledge_basis"}),
            "actor": frozenset({"kind", "unit", "authority"}),
            "involvement": frozenset({"role"}),
            "sighting": frozenset({"site_id", "first_seen", "last_seen", "condition",
                                   "contact_type"}),
            "attachment": frozenset({"kind", "size_bytes", "sha256"}),
            "custody": frozenset({"at", "action", "hash_matches"}),
            "site": frozenset({"site_type", "country", "region"}),
        },
        pseudonyms=True, exact_places=False,
        notes=(N_("People are named by pseudonyms; contacts, narratives, injuries, statements, "
                  "call signs and names of perpetrators, exact places and attachment file "
                  "names are left out; places are given by region."),
               N_("Only interviews whose interviewee consented to use in advocacy are "
                  "included."))),
}


def _check_no_sensitive(profile: Profile) -> None:
    for entity, names in profile.fields.items():
        for spec in codec.specs(BY_NAME[entity]):
            if spec.sensitive and spec.name in names:
                raise AssertionError(f"{profile.name} shows sensitive {entity}.{spec.name}")


_check_no_sensitive(_PROFILES[ADVOCACY])


def profile(name: str) -> Profile:
    try:
        return _PROFILES[name]
    except KeyError:
        raise errors.UsageError(N_("Unknown redaction profile “{name}”: choose prosecution, "
                                   "icrc or advocacy."), name=name) from None


class Shown:
    """A record seen through a profile: a field the profile drops reads as empty."""

    def __init__(self, record: Record, allowed: frozenset[str]) -> None:
        self._record = record
        self._allowed = allowed
        self.id = record.id

    def has(self, name: str) -> bool:
        return name in self._allowed

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._allowed:
            spec = codec.spec(type(self._record), name)  # KeyError for a misspelt field
            return () if spec.kind in (codec.STRS, codec.VALUES) else None
        return getattr(self._record, name)


class Policy:
    """A profile applied to one interview: its gates opened or closed by that interview's
    consent."""

    def __init__(self, prof: Profile, consents: tuple[Consent, ...]) -> None:
        self.profile = prof
        self.closed = tuple(g for g in prof.gates if not granted(consents, g.scope))

    def allowed(self, entity: str) -> frozenset[str]:
        names = self.profile.allowed(entity)
        for gate in self.closed:
            if gate.entity == entity:
                names = names - gate.fields
        return names

    def show(self, record: Record) -> Shown:
        return Shown(record, self.allowed(record.entity))

    def closed_for(self, record: Record) -> tuple[Gate, ...]:
        """The closed gates that actually hide something recorded in ``record``."""
        return tuple(g for g in self.closed if g.entity == record.entity
                     and g.fields & self.profile.allowed(record.entity)
                     and any(getattr(record, f) for f in g.fields))


# Consent ------------------------------------------------------------------------------------

def scope_state(consents: Iterable[Consent], scope: str) -> str:
    """granted, refused, not_asked, withdrawn, not_recorded or disagree."""
    states = {"withdrawn" if c.withdrawn_on is not None else (c.decision or NOT_RECORDED)
              for c in consents if c.scope == scope}
    if not states:
        return NOT_RECORDED
    if "withdrawn" in states:
        return "withdrawn"
    return states.pop() if len(states) == 1 else DISAGREE


def granted(consents: Iterable[Consent], scope: str) -> bool:
    return scope_state(consents, scope) == "granted"


def state_label(words: Words, state: str) -> str:
    if state == NOT_RECORDED:
        return words(N_("not recorded"))
    if state == DISAGREE:
        return words(N_("the consent records disagree"))
    return words.term("consent_decision", state)


def admission(prof: Profile, consents: tuple[Consent, ...], words: Words) -> str | None:
    """None when the interview may be shown; otherwise why it is left out."""
    states = [(scope, scope_state(consents, scope)) for scope in prof.scopes]
    if any(state == "granted" for _, state in states):
        return None
    details = "; ".join(f"{words.term('consent_scopes', scope)}: {state_label(words, state)}"
                        for scope, state in states)
    return words(N_("No consent for this use ({details})."), details=details)


def identity_withheld(consents: tuple[Consent, ...]) -> bool:
    """The interviewee refused or withdrew consent to store identifying data."""
    return scope_state(consents, IDENTITY_SCOPE) in ("refused", "withdrawn", DISAGREE)
