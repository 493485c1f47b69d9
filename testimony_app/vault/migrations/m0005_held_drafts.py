"""Schema 5: records started on screen that cannot be stored yet, kept when the vault locks.

Frozen once released: never edit; add a new step instead.

``held_draft`` holds, as records JSON, a record the editor could not store because a required
field is still empty (a co-detainee whose name as heard is not typed yet), so that locking or
closing the app loses nothing typed. Local to this vault: never exported, never audited. The
drafts of an interview go when the interview is deleted or purged (triggers), so no text
outlives its testimony.
"""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = (
    "CREATE TABLE held_draft (record_id TEXT PRIMARY KEY NOT NULL, entity TEXT NOT NULL, "
    "interview_id TEXT, record TEXT NOT NULL, held_at TEXT NOT NULL)",
    "CREATE INDEX held_draft_interview ON held_draft(interview_id)",
    "CREATE TRIGGER held_draft_interview_deleted AFTER UPDATE OF deleted_at ON interview "
    "WHEN NEW.deleted_at IS NOT NULL "
    "BEGIN DELETE FROM held_draft WHERE interview_id = NEW.id; END",
    "CREATE TRIGGER held_draft_interview_removed AFTER DELETE ON interview "
    "BEGIN DELETE FROM held_draft WHERE interview_id = OLD.id; END",
)


def apply(conn: Connection) -> None:
    for statement in SQL:
        conn.execute(statement)
