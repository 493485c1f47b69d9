"""Enrollment files (``.tenroll``): how a field vault joins an organisation.

The file is a signed envelope (see ``envelope``) of kind ``enrollment``::

    {"format": "testimony-enrollment/1", "version": 3, "created_at": "…+00:00",
     "organisation": {"id": "<uuid>", "name": "…", "signing_key": "<base64, 32 bytes>"},
     "recipients": ["age1…", …]}

signed by the organisation's own key. That proves the file was not altered after the
coordinator made it, not who made it: the person joining compares the organisation's
fingerprint (of ``signing_key``) with the coordinator out of band, which is why joining shows
it and asks. Later versions (key rotation) must carry the same organisation id and signing key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from testimony_app.crypto import keys
from testimony_app.domain.base import utcnow
from testimony_app.sync import agefile, envelope, org
from testimony_app.sync import errors as e
from testimony_app.vault.db import Connection

FORMAT = "testimony-enrollment/1"
KIND = "enrollment"
MAX_FILE = 256 * 1024
MAX_RECIPIENTS = 32
RECIPIENT = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")


@dataclass(frozen=True)
class Enrollment:
    org_id: str
    name: str
    signing_key: bytes
    version: int
    created_at: str
    recipients: tuple[str, ...]
    raw: bytes

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.signing_key)


def build(conn: Connection) -> bytes:
    """The current enrollment file of the organisation this vault coordinates."""
    organisation = org.require_coordinator(conn)
    body = {"format": FORMAT, "version": organisation.enrollment_version,
            "created_at": utcnow(),
            "organisation": {"id": organisation.id, "name": organisation.name,
                             "signing_key": envelope.b64(organisation.signing_key)},
            "recipients": org.current_recipients(conn)}
    return envelope.sign(KIND, body, org.signing_private_key(conn))


def _problem(detail: str) -> Exception:
    return e.EnrollmentInvalid(detail=detail)


def parse(raw: bytes) -> Enrollment:
    """Parse and check an enrollment file (signature by the key it carries)."""
    if len(raw) > MAX_FILE:
        raise e.EnrollmentInvalid(detail="too large")
    body, signature = envelope.open_envelope(raw, KIND, _problem)
    if body.get("format") != FORMAT:
        raise e.UnsupportedFormat(what="enrollment file", found=str(body.get("format"))[:40],
                                  supported=FORMAT)
    envelope.fields(body, "enrollment", {"format", "version", "created_at", "organisation",
                                         "recipients"}, _problem)
    version = envelope.integer(body, "version", "enrollment", _problem, minimum=1)
    created_at = envelope.text(body, "created_at", "enrollment", _problem,
                               pattern=envelope.TIME)
    organisation: dict[str, Any] = envelope.fields(
        body["organisation"], "organisation", {"id", "name", "signing_key"}, _problem)
    org_id = envelope.text(organisation, "id", "organisation", _problem,
                           pattern=envelope.UUID)
    name = envelope.text(organisation, "name", "organisation", _problem, max_len=org.MAX_NAME)
    signing_key = envelope.unb64(organisation["signing_key"], 32, "organisation.signing_key",
                                 _problem)
    recipients = envelope.items(body, "recipients", "enrollment", _problem,
                                max_items=MAX_RECIPIENTS)
    if (not recipients or len(set(recipients)) != len(recipients)
            or recipients != sorted(recipients)
            or not all(isinstance(r, str) and RECIPIENT.match(r) for r in recipients)):
        raise e.EnrollmentInvalid(detail="recipients")
    for recipient in recipients:
        agefile.parse_recipient(recipient)
    if not envelope.verify(body, signature, signing_key):
        raise e.EnrollmentBadSignature()
    return Enrollment(org_id, name, signing_key, version, created_at, tuple(recipients), raw)


def join(conn: Connection, device_id: str, enrollment: Enrollment) -> str:
    """Join (or update to a newer version); caller's transaction. Returns what happened:
    ``joined``, ``updated`` or ``unchanged``."""
    current = org.load(conn)
    if current is not None and current.is_coordinator:
        raise e.AlreadyInOrganisation(fingerprint=current.fingerprint)
    if current is not None and (current.id != enrollment.org_id
                                or current.signing_key != enrollment.signing_key):
        raise e.EnrollmentOtherOrganisation(fingerprint=enrollment.fingerprint,
                                            ours=current.fingerprint)
    now = utcnow()
    if current is None:
        conn.execute("INSERT INTO sync_org (id, name, role, signing_key, fingerprint, "
                     "enrollment_version, enrollment, joined_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (enrollment.org_id, enrollment.name, org.MEMBER, enrollment.signing_key,
                      enrollment.fingerprint, enrollment.version, enrollment.raw, now, now))
        outcome = "joined"
    else:
        held = set(org.current_recipients(conn))
        if enrollment.version < current.enrollment_version:
            raise e.EnrollmentOutdated(found=enrollment.version,
                                       held=current.enrollment_version)
        if enrollment.version == current.enrollment_version:
            if held != set(enrollment.recipients) or current.name != enrollment.name:
                raise e.EnrollmentConflict(found=enrollment.version)
            return "unchanged"
        conn.execute("UPDATE sync_org SET name = ?, enrollment_version = ?, enrollment = ?, "
                     "updated_at = ? WHERE id = ?",
                     (enrollment.name, enrollment.version, enrollment.raw, now, current.id))
        for recipient in held - set(enrollment.recipients):
            conn.execute("UPDATE sync_org_key SET retired_at = ?, retired_version = ? "
                         "WHERE recipient = ?", (now, enrollment.version, recipient))
        outcome = "updated"
    known = {k.recipient for k in org.org_keys(conn)}
    for recipient in enrollment.recipients:
        if recipient in known:
            conn.execute("UPDATE sync_org_key SET retired_at = NULL, retired_version = NULL "
                         "WHERE recipient = ?", (recipient,))
        else:
            conn.execute("INSERT INTO sync_org_key (recipient, kind, identity, added_at, "
                         "added_version) VALUES (?, ?, NULL, ?, ?)",
                         (recipient, org.EXTRA, now, enrollment.version))
    org.record_event(conn, device_id, enrollment.org_id, outcome,
               {"fingerprint": enrollment.fingerprint, "version": enrollment.version,
                "recipients": list(enrollment.recipients)})
    return outcome
