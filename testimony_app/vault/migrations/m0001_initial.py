"""Schema 1: the first released schema. Frozen: never edit; add a new step instead."""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE local_secret (
    name TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
);
CREATE TABLE device (
    id TEXT PRIMARY KEY NOT NULL,
    public_key BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    is_self INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    device_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    summary_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity_id ON audit_log(entity_id);
CREATE TABLE person (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    surname TEXT NOT NULL DEFAULT '',
    given_name TEXT NOT NULL DEFAULT '',
    patronymic TEXT NOT NULL DEFAULT '',
    names TEXT NOT NULL DEFAULT '[]',
    pseudonym TEXT NOT NULL DEFAULT '',
    sex TEXT,
    birth_date TEXT,
    birth_date_earliest TEXT,
    birth_date_latest TEXT,
    place_of_birth TEXT NOT NULL DEFAULT '',
    father_given_name TEXT NOT NULL DEFAULT '',
    mother_maiden_name TEXT NOT NULL DEFAULT '',
    citizenship TEXT NOT NULL DEFAULT '[]',
    home_region TEXT NOT NULL DEFAULT '',
    home_settlement TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    legal_category TEXT,
    service_branch TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    rank TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    service_number TEXT NOT NULL DEFAULT '',
    call_sign TEXT NOT NULL DEFAULT '',
    distinguishing_marks TEXT NOT NULL DEFAULT '',
    health_notes TEXT NOT NULL DEFAULT '',
    contacts TEXT NOT NULL DEFAULT '',
    next_of_kin TEXT NOT NULL DEFAULT '',
    registrations TEXT NOT NULL DEFAULT '',
    status_history TEXT NOT NULL DEFAULT '[]',
    priority_flags TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT
);
CREATE INDEX person_birth_date ON person(birth_date_earliest);
CREATE INDEX person_duplicate_of ON person(duplicate_of);

CREATE TABLE site (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    canonical_name TEXT NOT NULL DEFAULT '',
    names TEXT NOT NULL DEFAULT '[]',
    site_type TEXT,
    country TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    settlement TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    authorities TEXT NOT NULL DEFAULT '[]',
    official_designation TEXT NOT NULL DEFAULT '',
    parent_site_id TEXT,
    gazetteer_id TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX site_parent_site_id ON site(parent_site_id);

CREATE TABLE interview (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    reference TEXT NOT NULL DEFAULT '',
    interviewee_id TEXT,
    pseudonym TEXT NOT NULL DEFAULT '',
    interviewer TEXT NOT NULL DEFAULT '',
    interpreter TEXT NOT NULL DEFAULT '',
    others_present TEXT NOT NULL DEFAULT '',
    start_at TEXT NOT NULL DEFAULT '',
    end_at TEXT NOT NULL DEFAULT '',
    place_generalised TEXT NOT NULL DEFAULT '',
    place_exact TEXT NOT NULL DEFAULT '',
    mode TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    prior_accounts TEXT NOT NULL DEFAULT '',
    referrals_offered TEXT NOT NULL DEFAULT '[]',
    referral_notes TEXT NOT NULL DEFAULT '',
    risk_assessment TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL DEFAULT '',
    interviewer_observations TEXT NOT NULL DEFAULT '',
    inconsistencies_noted TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    confidentiality TEXT NOT NULL DEFAULT '',
    locked_hash TEXT
);
CREATE INDEX interview_interviewee_id ON interview(interviewee_id);

CREATE TABLE consent (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    interview_id TEXT,
    scope TEXT,
    decision TEXT,
    method TEXT,
    conditions TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    recorded_on TEXT,
    recorded_on_earliest TEXT,
    recorded_on_latest TEXT,
    withdrawn_on TEXT,
    withdrawn_on_earliest TEXT,
    withdrawn_on_latest TEXT,
    withdrawal_note TEXT NOT NULL DEFAULT '',
    guardian TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consent_interview_id ON consent(interview_id);
CREATE INDEX consent_recorded_on ON consent(recorded_on_earliest);
CREATE INDEX consent_withdrawn_on ON consent(withdrawn_on_earliest);

CREATE TABLE capture_event (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    person_id TEXT,
    interview_id TEXT,
    date TEXT,
    date_earliest TEXT,
    date_latest TEXT,
    place TEXT NOT NULL DEFAULT '',
    circumstances TEXT NOT NULL DEFAULT '',
    capturing_unit TEXT NOT NULL DEFAULT '',
    stated_reason TEXT NOT NULL DEFAULT '',
    witnesses TEXT NOT NULL DEFAULT '',
    property_taken TEXT NOT NULL DEFAULT ''
);
CREATE INDEX capture_event_person_id ON capture_event(person_id);
CREATE INDEX capture_event_interview_id ON capture_event(interview_id);
CREATE INDEX capture_event_date ON capture_event(date_earliest);

CREATE TABLE detention_episode (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    person_id TEXT,
    interview_id TEXT,
    site_id TEXT,
    unit_label TEXT NOT NULL DEFAULT '',
    arrival TEXT,
    arrival_earliest TEXT,
    arrival_latest TEXT,
    departure TEXT,
    departure_earliest TEXT,
    departure_latest TEXT,
    arrival_mode TEXT,
    transferred_from_id TEXT,
    assigned_number TEXT NOT NULL DEFAULT '',
    regime TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL DEFAULT '[]',
    conditions_text TEXT NOT NULL DEFAULT '',
    daily_routine TEXT NOT NULL DEFAULT '',
    legal_process TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX detention_episode_person_id ON detention_episode(person_id);
CREATE INDEX detention_episode_interview_id ON detention_episode(interview_id);
CREATE INDEX detention_episode_site_id ON detention_episode(site_id);
CREATE INDEX detention_episode_arrival ON detention_episode(arrival_earliest);
CREATE INDEX detention_episode_departure ON detention_episode(departure_earliest);
CREATE INDEX detention_episode_transferred_from_id ON detention_episode(transferred_from_id);

CREATE TABLE act (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    interview_id TEXT,
    victim_id TEXT,
    episode_id TEXT,
    site_id TEXT,
    location_in_site TEXT NOT NULL DEFAULT '',
    date TEXT,
    date_earliest TEXT,
    date_latest TEXT,
    frequency TEXT,
    count_estimate TEXT NOT NULL DEFAULT '',
    duration TEXT NOT NULL DEFAULT '',
    act_types TEXT NOT NULL DEFAULT '[]',
    methods TEXT NOT NULL DEFAULT '[]',
    methods_other TEXT NOT NULL DEFAULT '',
    objects_used TEXT NOT NULL DEFAULT '',
    questions_or_statements TEXT NOT NULL DEFAULT '',
    statements_signed TEXT NOT NULL DEFAULT '',
    medical_involvement TEXT NOT NULL DEFAULT '',
    injuries TEXT NOT NULL DEFAULT '',
    psychological_consequences TEXT NOT NULL DEFAULT '',
    witnesses TEXT NOT NULL DEFAULT '',
    knowledge_basis TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_interview_id ON act(interview_id);
CREATE INDEX act_victim_id ON act(victim_id);
CREATE INDEX act_episode_id ON act(episode_id);
CREATE INDEX act_site_id ON act(site_id);
CREATE INDEX act_date ON act(date_earliest);

CREATE TABLE actor (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    interview_id TEXT,
    kind TEXT,
    name TEXT NOT NULL DEFAULT '',
    call_signs TEXT NOT NULL DEFAULT '[]',
    unit TEXT NOT NULL DEFAULT '',
    rank TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    authority TEXT,
    description TEXT NOT NULL DEFAULT '',
    known_before_capture INTEGER NOT NULL DEFAULT 0,
    identification_basis TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actor_interview_id ON actor(interview_id);

CREATE TABLE involvement (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    act_id TEXT,
    actor_id TEXT,
    role TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX involvement_act_id ON involvement(act_id);
CREATE INDEX involvement_actor_id ON involvement(actor_id);

CREATE TABLE sighting (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    interview_id TEXT,
    observer_id TEXT,
    observed_person_id TEXT,
    name_as_heard TEXT NOT NULL DEFAULT '',
    name_script TEXT,
    name_language TEXT NOT NULL DEFAULT '',
    call_sign TEXT NOT NULL DEFAULT '',
    self_reported_details TEXT NOT NULL DEFAULT '',
    identification_basis TEXT,
    contact_type TEXT,
    site_id TEXT,
    unit_label TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    first_seen_earliest TEXT,
    first_seen_latest TEXT,
    last_seen TEXT,
    last_seen_earliest TEXT,
    last_seen_latest TEXT,
    condition TEXT,
    injuries_seen TEXT NOT NULL DEFAULT '',
    ill_treatment_seen TEXT NOT NULL DEFAULT '',
    last_known_movement TEXT NOT NULL DEFAULT '',
    distinguishing_marks_seen TEXT NOT NULL DEFAULT '',
    message_for_family TEXT NOT NULL DEFAULT '',
    match_status TEXT,
    match_rationale TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sighting_interview_id ON sighting(interview_id);
CREATE INDEX sighting_observer_id ON sighting(observer_id);
CREATE INDEX sighting_observed_person_id ON sighting(observed_person_id);
CREATE INDEX sighting_site_id ON sighting(site_id);
CREATE INDEX sighting_first_seen ON sighting(first_seen_earliest);
CREATE INDEX sighting_last_seen ON sighting(last_seen_earliest);

CREATE TABLE attachment (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    interview_id TEXT,
    kind TEXT,
    original_filename TEXT NOT NULL DEFAULT '',
    mime TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    captured_at TEXT NOT NULL DEFAULT '',
    blob_name TEXT NOT NULL DEFAULT '',
    file_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachment_interview_id ON attachment(interview_id);

CREATE TABLE custody_event (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    origin_device TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    attachment_id TEXT,
    at TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT '',
    action TEXT,
    medium TEXT NOT NULL DEFAULT '',
    hash_observed TEXT NOT NULL DEFAULT '',
    hash_matches INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_event_attachment_id ON custody_event(attachment_id);
"""


def apply(conn: Connection) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
