"""Schema 2: a full-text index over the text of every record (names, narratives, notes)."""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = (
    "CREATE VIRTUAL TABLE text_index USING fts5("
    "entity UNINDEXED, record_id UNINDEXED, interview_id UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def apply(conn: Connection) -> None:
    from testimony_app.vault import text_index

    conn.execute(SQL)
    text_index.rebuild(conn)
