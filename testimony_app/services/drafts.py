"""Drafts the vault cannot store yet, held in the encrypted store until they can be.

The editor adds a record once its required fields are filled in (a co-detainee seen needs the
name as heard). Until then it lives on screen only; when the vault locks or the app closes,
such drafts are *held* here (``held_draft``, inside the encrypted database, never exported),
and the editor shows them again the next time the interview is opened. Storing or deleting the
record releases its draft in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeVar

from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.domain.registry import BY_NAME
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

R = TypeVar("R", bound=Record)


def hold(vault: Vault, records: Iterable[Record]) -> int:
    """Keep ``records`` (incomplete drafts) in the vault; returns how many."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    count = 0
    with vault.transaction() as store:
        for record in records:
            interview_id = record.id if isinstance(record, Interview) else getattr(
                record, "interview_id", None)
            store.conn.execute(
                "INSERT OR REPLACE INTO held_draft (record_id, entity, interview_id, record, "
                "held_at) VALUES (?, ?, ?, ?, ?)",
                (record.id, record.entity, interview_id,
                 json.dumps(codec.to_dict(record), ensure_ascii=False), now))
            count += 1
    return count


def held(store: Store, interview_id: str) -> tuple[Record, ...]:
    """The drafts held for an interview, oldest first."""
    rows = store.conn.execute("SELECT entity, record FROM held_draft WHERE interview_id = ? "
                              "ORDER BY held_at, record_id", (interview_id,)).fetchall()
    return tuple(codec.from_dict(BY_NAME[entity], json.loads(text), entity, draft=True)
                 for entity, text in rows)


def release(store: Store, record_id: str) -> None:
    """Forget a held draft (inside the caller's transaction)."""
    store.conn.execute("DELETE FROM held_draft WHERE record_id = ?", (record_id,))


def store_draft(vault: Vault, record: R) -> R:
    """Add a draft that is now complete, releasing its held copy in the same transaction."""
    with vault.transaction() as store:
        stored = store.add(record)
        release(store, record.id)
        return stored


def discard(vault: Vault, record_id: str) -> None:
    """A draft deleted on screen before it was ever stored."""
    with vault.transaction() as store:
        release(store, record_id)
