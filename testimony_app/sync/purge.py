"""Purging delivered testimonies from a field vault: less to lose if the laptop is seized.

An interview can be purged when the organisation acknowledged the current revision of it and
of every record that belongs to it (consents, captures, episodes, acts, actors, involvements,
sightings, attachments and their custody events). People it names go too once every record
referring to them is purged and they were acknowledged themselves; sites stay (they are
reference data, not testimony).

Purging blanks each record's content and leaves a tombstone (``Store.purge``, audited), marks
it purged so it is never sent again, deletes the attachment files (their keys are blanked in
the same transaction, so any copy left on the disk is unreadable), and checkpoints the
database log so the old pages (overwritten: ``secure_delete``) leave the WAL too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from testimony_app.domain import codec
from testimony_app.domain.base import Record, utcnow
from testimony_app.domain.evidence import Attachment
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.domain.registry import BY_NAME, ENTITIES
from testimony_app.sync import errors as e
from testimony_app.sync import org, payload
from testimony_app.sync.exporter import OWNER_FIELDS
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault


@dataclass(frozen=True)
class Candidate:
    interview_id: str
    reference: str
    records: int
    attachments: int


@dataclass(frozen=True)
class Purged:
    interviews: int
    records: int
    attachments: int


class _Index:
    def __init__(self, vault: Vault) -> None:
        rows = vault.conn.execute("SELECT record_id, content_sha256, purged_at IS NOT NULL "
                                  "FROM sync_delivered")
        self.delivered = {r[0]: (r[1], bool(r[2])) for r in rows}
        self.records: dict[str, Record] = {}
        self.owned: dict[str, list[Record]] = {}
        for cls in ENTITIES:
            for record in vault.store.list(cls, include_deleted=True):
                self.records[record.id] = record
                owner_field = OWNER_FIELDS.get(record.entity)
                owner = getattr(record, owner_field) if owner_field else None
                if owner:
                    self.owned.setdefault(owner, []).append(record)

    def purged(self, record_id: str) -> bool:
        mark = self.delivered.get(record_id)
        return bool(mark and mark[1])

    def delivered_now(self, record: Record) -> bool:
        mark = self.delivered.get(record.id)
        return bool(mark and (mark[1] or mark[0] == payload.content_sha256(record)))

    def testimony(self, interview: Interview) -> list[Record]:
        out: list[Record] = [interview]
        todo = [interview.id]
        while todo:
            for record in self.owned.get(todo.pop(), []):
                out.append(record)
                todo.append(record.id)
        return out

    def people(self, chosen: set[str]) -> list[Record]:
        """Persons every referrer of whom is chosen or already purged."""
        referrers: dict[str, set[str]] = {}
        for record in self.records.values():
            for s in codec.specs(type(record)):
                target = getattr(record, s.name) if s.ref == Person.entity else None
                if target:
                    referrers.setdefault(target, set()).add(record.id)
        out: list[Record] = []
        for person_id, who in referrers.items():
            person = self.records.get(person_id)
            if (person is None or self.purged(person_id) or not self.delivered_now(person)
                    or not who & chosen):
                continue
            if all(r in chosen or self.purged(r) for r in who):
                out.append(person)
        return out


def _plan(vault: Vault, interview_ids: Iterable[str] | None) -> tuple[_Index, dict[str, list[Record]]]:
    org.require(vault.conn)
    index = _Index(vault)
    wanted = None if interview_ids is None else set(interview_ids)
    plans: dict[str, list[Record]] = {}
    for record in index.records.values():
        if not isinstance(record, Interview) or index.purged(record.id):
            continue
        if wanted is not None and record.id not in wanted:
            continue
        testimony = index.testimony(record)
        if all(index.purged(r.id) or index.delivered_now(r) for r in testimony):
            plans[record.id] = [r for r in testimony if not index.purged(r.id)]
    return index, plans


def candidates(vault: Vault) -> list[Candidate]:
    """Interviews that can be purged now (everything in them acknowledged)."""
    _, plans = _plan(vault, None)
    out = []
    for interview_id, records in plans.items():
        interview = next(r for r in records if r.id == interview_id)
        assert isinstance(interview, Interview)  # noqa: S101
        out.append(Candidate(interview_id, interview.reference, len(records),
                             sum(isinstance(r, Attachment) for r in records)))
    return sorted(out, key=lambda c: (c.reference, c.interview_id))


def purge(vault: Vault, interview_ids: Iterable[str] | None = None) -> Purged:
    """Purge the given delivered interviews (all purgeable ones when None)."""
    organisation = org.require(vault.conn)
    if organisation.is_coordinator:
        raise e.NotMember()
    index, plans = _plan(vault, interview_ids)
    chosen = [r for records in plans.values() for r in records]
    chosen += index.people({r.id for r in chosen})
    if not chosen:
        return Purged(0, 0, 0)
    files = [r.blob_name for r in chosen if isinstance(r, Attachment) and r.blob_name]
    now = utcnow()
    with vault.transaction() as store:
        for record in chosen:
            tombstone = store.purge(BY_NAME[record.entity], record.id)
            vault.conn.execute(
                "UPDATE sync_delivered SET rev = ?, content_sha256 = ?, purged_at = ? "
                "WHERE record_id = ?",
                (tombstone.rev, payload.content_sha256(tombstone), now, record.id))
        audit.append(vault.conn, device_id=vault.device.id, actor="local", entity="vault",
                     entity_id=vault.device.id, action="purge_delivered",
                     summary={"interviews": sorted(plans), "records": len(chosen)})
    for name in files:
        vault.blobs.remove(name)
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Purged(len(plans), len(chosen), len(files))
