"""The list of stored entities, by name, in an order where references point backwards."""

from __future__ import annotations

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person

ENTITIES: tuple[type[Record], ...] = (
    Person, Site, Interview, Consent, CaptureEvent, DetentionEpisode, Act, Actor, Involvement,
    Sighting, Attachment, CustodyEvent,
)
BY_NAME: dict[str, type[Record]] = {cls.entity: cls for cls in ENTITIES}
