"""Schema 2: a full-text index over the text of every record (names, narratives, notes)."""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = (
    "CREATE VIRTUAL TABLE text_index USING fts5("
    "entity UNINDEXED, record_id UNINDEXED, interview_id UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    # FTS5 cannot look rows up by an UNINDEXED column without a scan: map record -> rowid.
    "CREATE TABLE text_index_key (record_id TEXT PRIMARY KEY NOT NULL, "
    "fts_rowid INTEGER NOT NULL) WITHOUT ROWID",
)


def apply(conn: Connection) -> None:
    from testimony_app.vault import text_index

    for statement in SQL:
        conn.execute(statement)
    text_index.rebuild(conn)
