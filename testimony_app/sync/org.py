"""The organisation a vault coordinates or belongs to, and its keys.

A coordinator's vault creates the organisation: an Ed25519 signing key (enrollment files and
receipts), an age X25519 *import* identity (it decrypts bundles) and an *escrow* identity whose
secret is handed out once, for offline safekeeping, and not kept. Every bundle is encrypted to
all current recipients. Rotation adds a recipient (a new import identity, or an outside one)
and retires an old one; each change increments the enrollment version. Retired import
identities stay in the vault so old bundles remain readable; bundles still encrypted to a
retired recipient are refused on import.

All secrets live inside the encrypted database: the signing key in ``local_secret``, the import
identities in ``sync_org_key.identity``.
"""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.crypto import keys
from testimony_app.domain.base import new_id, utcnow
from testimony_app.sync import agefile
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from testimony_app.vault.db import Connection

COORDINATOR, MEMBER = "coordinator", "member"
IMPORT, ESCROW, EXTRA = "import", "escrow", "extra"
SIGNING_SECRET = "org_signing_key"  # noqa: S105 - a row name, not a secret
MAX_NAME = 200


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    role: str
    signing_key: bytes
    fingerprint: str
    enrollment_version: int

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR


@dataclass(frozen=True)
class OrgKey:
    recipient: str
    kind: str
    has_identity: bool
    added_version: int
    retired_version: int | None

    @property
    def fingerprint(self) -> str:
        return agefile.recipient_fingerprint(self.recipient)

    @property
    def current(self) -> bool:
        return self.retired_version is None


def load(conn: Connection) -> Organisation | None:
    row = conn.execute("SELECT id, name, role, signing_key, fingerprint, enrollment_version "
                       "FROM sync_org").fetchone()
    if row is None:
        return None
    return Organisation(row[0], row[1], row[2], bytes(row[3]), row[4], int(row[5]))


def require(conn: Connection) -> Organisation:
    org = load(conn)
    if org is None:
        raise e.NotInOrganisation()
    return org


def require_coordinator(conn: Connection) -> Organisation:
    org = require(conn)
    if not org.is_coordinator:
        raise e.NotCoordinator()
    return org


def org_keys(conn: Connection) -> list[OrgKey]:
    rows = conn.execute("SELECT recipient, kind, identity IS NOT NULL, added_version, "
                        "retired_version FROM sync_org_key ORDER BY added_version, recipient")
    return [OrgKey(r[0], r[1], bool(r[2]), int(r[3]), r[4]) for r in rows]


def current_recipients(conn: Connection) -> list[str]:
    return sorted(k.recipient for k in org_keys(conn) if k.current)


def import_identities(conn: Connection) -> list[tuple[str, str, bool]]:
    """(secret, recipient, current) of every import identity held, current first."""
    rows = conn.execute("SELECT identity, recipient, retired_version IS NULL FROM sync_org_key "
                        "WHERE identity IS NOT NULL ORDER BY retired_version IS NOT NULL, "
                        "added_version")
    return [(r[0], r[1], bool(r[2])) for r in rows]


def signing_private_key(conn: Connection) -> bytes:
    row = conn.execute("SELECT value FROM local_secret WHERE name = ?",
                       (SIGNING_SECRET,)).fetchone()
    if row is None:
        raise e.NotCoordinator()
    return bytes(row[0])


def record_event(conn: Connection, device_id: str, org_id: str, action: str, summary: object) -> None:
    audit.append(conn, device_id=device_id, actor="local", entity="organisation",
                 entity_id=org_id, action=action, summary=summary)


def _add_key(conn: Connection, recipient: str, kind: str, identity: str | None,
             version: int) -> None:
    conn.execute("INSERT INTO sync_org_key (recipient, kind, identity, added_at, added_version) "
                 "VALUES (?, ?, ?, ?, ?)", (recipient, kind, identity, utcnow(), version))


def create(conn: Connection, device_id: str, name: str) -> tuple[Organisation, str, str]:
    """Create the organisation in this (coordinator) vault; caller's transaction.

    Returns (organisation, escrow secret, escrow recipient): the escrow secret is not stored.
    """
    existing = load(conn)
    if existing is not None:
        raise e.AlreadyInOrganisation(fingerprint=existing.fingerprint)
    name = name.strip()[:MAX_NAME]
    signing = keys.new_signing_key()
    public = keys.public_bytes(signing)
    org = Organisation(new_id(), name, COORDINATOR, public, keys.fingerprint(public), 1)
    now = utcnow()
    conn.execute("INSERT INTO sync_org (id, name, role, signing_key, fingerprint, "
                 "enrollment_version, joined_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                 (org.id, org.name, org.role, public, org.fingerprint, now, now))
    conn.execute("INSERT INTO local_secret (name, value) VALUES (?, ?)",
                 (SIGNING_SECRET, keys.private_bytes(signing)))
    import_secret, import_recipient = agefile.new_identity()
    escrow_secret, escrow_recipient = agefile.new_identity()
    _add_key(conn, import_recipient, IMPORT, import_secret, 1)
    _add_key(conn, escrow_recipient, ESCROW, None, 1)
    record_event(conn, device_id, org.id, "create", {"fingerprint": org.fingerprint,
                                               "recipients": current_recipients(conn)})
    return org, escrow_secret, escrow_recipient


def _bump_version(conn: Connection, org: Organisation) -> int:
    version = org.enrollment_version + 1
    conn.execute("UPDATE sync_org SET enrollment_version = ?, updated_at = ? WHERE id = ?",
                 (version, utcnow(), org.id))
    return version


def add_recipient(conn: Connection, device_id: str, recipient: str | None = None) -> str:
    """Add a recipient: a new import identity kept here (``None``) or an outside ``age1…``
    key. Increments the enrollment version; returns the recipient."""
    org = require_coordinator(conn)
    if recipient is None:
        secret, recipient = agefile.new_identity()
        kind: str = IMPORT
        identity: str | None = secret
    else:
        recipient = str(agefile.parse_recipient(recipient))
        kind, identity = EXTRA, None
        if any(k.recipient == recipient for k in org_keys(conn)):
            return recipient
    version = _bump_version(conn, org)
    _add_key(conn, recipient, kind, identity, version)
    record_event(conn, device_id, org.id, "recipient_added", {"recipient": recipient,
                                                        "version": version})
    return recipient


def retire_recipient(conn: Connection, device_id: str, recipient: str) -> None:
    org = require_coordinator(conn)
    current = {k.recipient: k for k in org_keys(conn) if k.current}
    key = current.get(recipient.strip())
    if key is None:
        raise e.RecipientUnknown(recipient=recipient.strip()[:80])
    if key.kind == IMPORT and key.has_identity and sum(
            1 for k in current.values() if k.kind == IMPORT and k.has_identity) == 1:
        raise e.LastImportKey()
    version = _bump_version(conn, org)
    conn.execute("UPDATE sync_org_key SET retired_at = ?, retired_version = ? "
                 "WHERE recipient = ?", (utcnow(), version, key.recipient))
    record_event(conn, device_id, org.id, "recipient_retired", {"recipient": key.recipient,
                                                          "version": version})
