"""Keeping the full-text indexes in step with the records (same transaction as the write).

Every record's searchable text (names, narratives, notes) is kept in ``text_body``. Two FTS5
indexes are made from it:

* ``interview_text``: one contentless document per interview, the text of the interview, of
  every record that belongs to it and of its interviewee, for the interviews list. A common
  word then costs one hit per interview, not one per record. A write marks the interviews it
  touches; their documents are rebuilt once, just before the transaction commits
  (``db.before_commit``), so a bulk import rebuilds each one once.
* ``text_index`` (with ``text_index_key``): one row per record of the kinds looked up one by
  one (people, sites, co-detainees seen, perpetrators), for the People and Sites pages and for
  finding a name across testimonies.
"""

from __future__ import annotations

from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.domain.registry import ENTITIES
from testimony_app.vault import db
from testimony_app.vault.db import Connection
from testimony_app.vault.rows import columns, from_row

# The records with an entry of their own in ``text_index``.
PER_RECORD = frozenset({"person", "site", "sighting", "actor"})

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


def update(conn: Connection, record: Record, *, new: bool = False) -> None:
    """Replace the record's text and entries (found by key, never by a scan) and mark the
    interviews whose documents include it. ``new``: the record was just inserted, so it has
    no entries yet to look up or remove."""
    old = None if new else conn.execute(
        "SELECT interview_id FROM text_body WHERE record_id = ?", (record.id,)).fetchone()
    interview_id = record.id if isinstance(record, Interview) else getattr(
        record, "interview_id", None)
    _mark(conn, record, interview_id, old[0] if old is not None else None)
    body = "" if record.deleted_at else body_text(record)
    if body:
        conn.execute("INSERT OR REPLACE INTO text_body (record_id, entity, interview_id, body) "
                     "VALUES (?, ?, ?, ?)", (record.id, record.entity, interview_id, body))
    elif old is not None:
        conn.execute("DELETE FROM text_body WHERE record_id = ?", (record.id,))
    if record.entity not in PER_RECORD:
        return
    row = None if new else conn.execute(
        "SELECT fts_rowid FROM text_index_key WHERE record_id = ?", (record.id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM text_index WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM text_index_key WHERE record_id = ?", (record.id,))
    if not body:
        return
    cursor = conn.execute("INSERT INTO text_index (body) VALUES (?)", (body,))
    conn.execute("INSERT INTO text_index_key (record_id, fts_rowid, entity, interview_id) "
                 "VALUES (?, ?, ?, ?)", (record.id, cursor.lastrowid, record.entity,
                                         interview_id))


def rebuild(conn: Connection) -> None:
    """Both indexes again from the records (schema 2 onwards: only what that schema has)."""
    has_body = _exists(conn, "text_body")
    conn.execute("DELETE FROM text_index")
    conn.execute("DELETE FROM text_index_key")
    if has_body:
        conn.execute("DELETE FROM text_body")
    for cls in ENTITIES:
        cols = columns(cls)
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM {cls.table}").fetchall():  # noqa: S608
            record = from_row(cls, dict(zip(cols, row, strict=True)))
            if has_body:
                update(conn, record)
            else:  # schema 2 and 3: every record in text_index
                _legacy_entry(conn, record)
    if has_body:
        rebuild_interviews(conn)


def _exists(conn: Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() \
        is not None


def _legacy_entry(conn: Connection, record: Record) -> None:
    body = "" if record.deleted_at else body_text(record)
    if not body:
        return
    interview_id = record.id if isinstance(record, Interview) else getattr(
        record, "interview_id", None)
    cursor = conn.execute("INSERT INTO text_index (body) VALUES (?)", (body,))
    conn.execute("INSERT INTO text_index_key (record_id, fts_rowid, entity, interview_id) "
                 "VALUES (?, ?, ?, ?)", (record.id, cursor.lastrowid, record.entity,
                                         interview_id))


# The interviews' documents ------------------------------------------------------------------

# Marks live in a TEMP table: in memory (temp_store is MEMORY), private to the connection, and
# rolled back with the transaction that made them.
_MARKS = "temp.interview_text_dirty"
_CREATE_MARKS = ("CREATE TEMP TABLE IF NOT EXISTS interview_text_dirty "
                 "(interview_id TEXT PRIMARY KEY) WITHOUT ROWID")

# The text of an interview's document: its records' (its own included), then its
# interviewee's. Two parameters: the interview id and the interviewee id.
_BODIES_SQL = ("SELECT body FROM text_body WHERE interview_id = ?1 "
               "UNION ALL SELECT body FROM text_body WHERE record_id = ?2 "
               "AND interview_id IS NULL")


def _mark(conn: Connection, record: Record, *interview_ids: str | None) -> None:
    marks = [(i,) for i in {i for i in interview_ids if i}]
    try:
        _insert_marks(conn, record, marks)
    except Exception as exc:  # sqlite3 / sqlcipher3 OperationalError: first mark on conn
        if "no such table" not in str(exc):
            raise
        conn.execute(_CREATE_MARKS)
        _insert_marks(conn, record, marks)


def _insert_marks(conn: Connection, record: Record, marks: list[tuple[str]]) -> None:
    if marks:
        conn.executemany(f"INSERT OR IGNORE INTO {_MARKS} VALUES (?)", marks)  # noqa: S608
    if isinstance(record, Person):  # the interviews it is the interviewee of
        conn.execute(f"INSERT OR IGNORE INTO {_MARKS} "  # noqa: S608 - constants
                     "SELECT id FROM interview WHERE interviewee_id = ?", (record.id,))


def _reindex_interview(conn: Connection, interview_id: str) -> None:
    key = conn.execute("SELECT fts_rowid FROM interview_text_key WHERE interview_id = ?",
                       (interview_id,)).fetchone()
    if key is not None:
        conn.execute("DELETE FROM interview_text WHERE rowid = ?", (key[0],))
    live = conn.execute("SELECT interviewee_id FROM interview WHERE id = ? AND deleted_at IS NULL",
                        (interview_id,)).fetchone()
    bodies = [] if live is None else [
        r[0] for r in conn.execute(_BODIES_SQL, (interview_id, live[0]))]
    if not bodies:
        if key is not None:
            conn.execute("DELETE FROM interview_text_key WHERE fts_rowid = ?", (key[0],))
        return
    rowid = key[0] if key is not None else conn.execute(
        "INSERT INTO interview_text_key (interview_id) VALUES (?)", (interview_id,)).lastrowid
    conn.execute("INSERT INTO interview_text (rowid, body) VALUES (?, ?)",
                 (rowid, "\n".join(bodies)))


@db.before_commit
def refresh_interviews(conn: Connection) -> None:
    """Rebuild the documents of the interviews marked in this transaction (before COMMIT)."""
    try:
        marked = [r[0] for r in conn.execute(f"SELECT interview_id FROM {_MARKS}")]  # noqa: S608
    except Exception as exc:  # no marks table: nothing was ever marked on this connection
        if "no such table" not in str(exc):
            raise
        return
    if not marked:
        return
    for interview_id in marked:
        _reindex_interview(conn, interview_id)
    conn.execute(f"DELETE FROM {_MARKS}")  # noqa: S608


def rebuild_interviews(conn: Connection) -> None:
    conn.execute("INSERT INTO interview_text (interview_text) VALUES ('delete-all')")
    conn.execute("DELETE FROM interview_text_key")
    conn.execute(_CREATE_MARKS)
    conn.execute(f"DELETE FROM {_MARKS}")  # noqa: S608
    for (interview_id,) in conn.execute(
            "SELECT id FROM interview WHERE deleted_at IS NULL").fetchall():
        _reindex_interview(conn, interview_id)


# Searching ----------------------------------------------------------------------------------

def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word as a quoted prefix."""
    words = [w.replace('"', "") for w in text.split()]
    return " ".join(f'"{w}"*' for w in words if w)


# The records (of PER_RECORD kinds) matching an FTS query (one ``?`` parameter).
MATCHES_SQL = ("SELECT k.entity, k.record_id, k.interview_id FROM text_index "
               "JOIN text_index_key k ON k.fts_rowid = text_index.rowid "
               "WHERE text_index MATCH ?")

# Interviews whose document matches an FTS query (one ``?`` parameter).
INTERVIEW_MATCHES_SQL = (
    "SELECT k.interview_id FROM interview_text "
    "JOIN interview_text_key k ON k.fts_rowid = interview_text.rowid "
    "WHERE interview_text MATCH ?")


def search(conn: Connection, text: str, *, limit: int = 200,
           entity: str | None = None) -> list[tuple[str, str, str | None]]:
    """(entity, record_id, interview_id) of what matches, best first: records of the
    PER_RECORD kinds (only ``entity``'s, if given), then (unless ``entity`` is given)
    interviews, as ``("interview", id, id)``, for a word anywhere in them."""
    query = fts_query(text)
    if not query:
        return []
    if entity is not None:
        rows = conn.execute(MATCHES_SQL + " AND k.entity = ? ORDER BY text_index.rank LIMIT ?",
                            (query, entity, limit)).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]
    found: list[tuple[str, str, str | None]] = [
        (r[0], r[1], r[2]) for r in conn.execute(
            MATCHES_SQL + " ORDER BY text_index.rank LIMIT ?", (query, limit))]
    found += [("interview", r[0], r[0]) for r in conn.execute(
        INTERVIEW_MATCHES_SQL + " ORDER BY interview_text.rank LIMIT ?",
        (query, max(limit - len(found), 0)))]
    return found
