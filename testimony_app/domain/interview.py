"""Interviews and the consent given in them."""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.base import Record, ref, text, vocab
from testimony_app.domain.dates import PartialDate


@dataclass(frozen=True, kw_only=True, slots=True)
class Interview(Record):
    """One session with one interviewee (Istanbul Protocol: who, when, where, language, who was present)."""

    entity = "interview"
    table = "interview"

    reference: str = text()
    interviewee_id: str | None = ref("person")
    pseudonym: str = text()
    interviewer: str = text()
    interpreter: str = text()
    others_present: str = text()
    start_at: str = ""
    end_at: str = ""
    place_generalised: str = text()
    place_exact: str = text(sensitive=True)
    mode: str | None = vocab("interview_mode")
    languages: tuple[str, ...] = ()
    prior_accounts: str = text()
    referrals_offered: tuple[str, ...] = vocab("referral_type", tuple)
    referral_notes: str = text()
    risk_assessment: str = text()
    narrative: str = text(sensitive=True)
    interviewer_observations: str = text(sensitive=True)
    inconsistencies_noted: str = text()
    status: str = vocab("interview_status", "draft", required=True)
    confidentiality: str = vocab("confidentiality", "normal", required=True)
    locked_hash: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Consent(Record):
    """One consent scope of one interview (Murad Code: specific, informed, withdrawable)."""

    entity = "consent"
    table = "consent"

    interview_id: str | None = ref("interview", required=True)
    scope: str | None = vocab("consent_scopes", required=True)
    decision: str | None = vocab("consent_decision", required=True)
    method: str | None = vocab("consent_method")
    conditions: str = text()
    recorded_by: str = text()
    recorded_on: PartialDate | None = None
    withdrawn_on: PartialDate | None = None
    withdrawal_note: str = text()
    guardian: str = text()


@dataclass(frozen=True, kw_only=True, slots=True)
class CaptureEvent(Record):
    """How a person was captured: the start of the deprivation-of-liberty chain."""

    entity = "capture"
    table = "capture_event"

    person_id: str | None = ref("person", required=True)
    interview_id: str | None = ref("interview")
    date: PartialDate | None = None
    place: str = text()
    circumstances: str = text(sensitive=True)
    capturing_unit: str = text()
    stated_reason: str = text()
    witnesses: str = text()
    property_taken: str = text()
