"""Schema 2: a full-text index over the text of every record (names, narratives, notes)."""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = (
    "CREATE VIRTUAL TABLE text_index USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')",
    # Which record each FTS row holds, kept apart from the (large) text so that resolving
    # thousands of matches reads small pages only, and a record's row is found without a scan.
    "CREATE TABLE text_index_key (record_id TEXT PRIMARY KEY NOT NULL, "
    "fts_rowid INTEGER NOT NULL, entity TEXT NOT NULL, interview_id TEXT) WITHOUT ROWID",
    "CREATE UNIQUE INDEX text_index_key_rowid ON text_index_key(fts_rowid)",
    "CREATE INDEX text_index_key_interview ON text_index_key(interview_id)",
)


def apply(conn: Connection) -> None:
    from testimony_app.vault import text_index

    for statement in SQL:
        conn.execute(statement)
    text_index.rebuild(conn)
