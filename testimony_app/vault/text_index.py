"""Keeping the full-text index in step with the records (same transaction as the write)."""

from __future__ import annotations

from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.domain.registry import ENTITIES
from testimony_app.vault.db import Connection
from testimony_app.vault.rows import columns, from_row

# Keys and hashes are not words anyone searches for.
_SKIP = frozenset({"file_key", "sha256", "blob_name", "hash_observed", "locked_hash", "mime"})


def body_text(record: Record) -> str:
    parts: list[str] = []
    for s in codec.specs(type(record)):
        if s.name in _SKIP:
            continue
        value = getattr(record, s.name)
        if s.kind == codec.STR and value and not s.ref:
            parts.append(value)
        elif s.kind == codec.STRS:
            parts.extend(value)
        elif s.kind == codec.VALUES:
            for item in value:
                parts.extend(getattr(item, v.name) for v in codec.specs(type(item))
                             if v.kind == codec.STR and getattr(item, v.name))
    return "\n".join(parts)


def update(conn: Connection, record: Record) -> None:
    """Replace the record's entry (found through ``text_index_key``, never by a scan)."""
    row = conn.execute("SELECT fts_rowid FROM text_index_key WHERE record_id = ?",
                       (record.id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM text_index WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM text_index_key WHERE record_id = ?", (record.id,))
    body = "" if record.deleted_at else body_text(record)
    if not body:
        return
    interview_id = record.id if isinstance(record, Interview) else getattr(
        record, "interview_id", None)
    cursor = conn.execute("INSERT INTO text_index (body) VALUES (?)", (body,))
    conn.execute("INSERT INTO text_index_key (record_id, fts_rowid, entity, interview_id) "
                 "VALUES (?, ?, ?, ?)", (record.id, cursor.lastrowid, record.entity,
                                         interview_id))


def rebuild(conn: Connection) -> None:
    conn.execute("DELETE FROM text_index")
    conn.execute("DELETE FROM text_index_key")
    for cls in ENTITIES:
        cols = columns(cls)
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM {cls.table}").fetchall():  # noqa: S608
            update(conn, from_row(cls, dict(zip(cols, row, strict=True))))


def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word as a quoted prefix."""
    words = [w.replace('"', "") for w in text.split()]
    return " ".join(f'"{w}"*' for w in words if w)


# The records matching an FTS query (one ``?`` parameter), for use inside larger queries.
MATCHES_SQL = ("SELECT k.entity, k.record_id, k.interview_id FROM text_index "
               "JOIN text_index_key k ON k.fts_rowid = text_index.rowid "
               "WHERE text_index MATCH ?")


def search(conn: Connection, text: str, *, limit: int = 200) -> list[tuple[str, str, str | None]]:
    """(entity, record_id, interview_id) of records whose text matches, best first."""
    query = fts_query(text)
    if not query:
        return []
    rows = conn.execute(MATCHES_SQL + " ORDER BY text_index.rank LIMIT ?", (query, limit))
    return [(r[0], r[1], r[2]) for r in rows]
