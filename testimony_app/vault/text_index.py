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


@codec.per_class
def _texts(cls: type) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, kind, text fields of its values) of the fields whose text is searched."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for s in codec.specs(cls):
        if s.name in _SKIP:
            continue
        if (s.kind == codec.STR and not s.ref) or s.kind == codec.STRS:
            out.append((s.name, s.kind, ()))
        elif s.kind == codec.VALUES and s.value_type is not None:
            out.append((s.name, s.kind, tuple(v.name for v in codec.specs(s.value_type)
                                              if v.kind == codec.STR)))
    return tuple(out)


def body_text(record: Record) -> str:
    parts: list[str] = []
    for name, kind, inner in _texts(type(record)):
        value = getattr(record, name)
        if not value:
            continue
        if kind == codec.STR:
            parts.append(value)
        elif kind == codec.STRS:
            parts.extend(value)
        else:
            for item in value:
                parts.extend(text for text in (getattr(item, v) for v in inner) if text)
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


class Batch:
    """The text of many records just inserted (a bundle import), written together by
    :meth:`flush` (``executemany``) instead of record by record.

    Only for new records (nothing to look up or remove). Create it inside the open
    transaction; nothing may read the indexes until :meth:`flush`, which the owner calls before
    it commits.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._bodies: list[tuple[str, str, str | None, str]] = []
        self._marks: set[str] = set()
        self._people: list[str] = []

    def add(self, record: Record) -> None:
        interview_id = record.id if isinstance(record, Interview) else getattr(
            record, "interview_id", None)
        if interview_id:
            self._marks.add(interview_id)
        if isinstance(record, Person):
            self._people.append(record.id)
        body = "" if record.deleted_at else body_text(record)
        if body:
            self._bodies.append((record.id, record.entity, interview_id, body))

    def flush(self) -> None:
        conn = self.conn
        conn.executemany("INSERT INTO text_body (record_id, entity, interview_id, body) "
                         "VALUES (?, ?, ?, ?)", self._bodies)
        entries = [b for b in self._bodies if b[1] in PER_RECORD]
        if entries:
            first = 1 + conn.execute(
                "SELECT max(coalesce((SELECT max(fts_rowid) FROM text_index_key), 0), "
                "coalesce((SELECT rowid FROM text_index ORDER BY rowid DESC LIMIT 1), 0))"
            ).fetchone()[0]
            conn.executemany("INSERT INTO text_index (rowid, body) VALUES (?, ?)",
                             [(first + n, b[3]) for n, b in enumerate(entries)])
            conn.executemany("INSERT INTO text_index_key (record_id, fts_rowid, entity, "
                             "interview_id) VALUES (?, ?, ?, ?)",
                             [(b[0], first + n, b[1], b[2]) for n, b in enumerate(entries)])
        conn.execute(_CREATE_MARKS)
        conn.executemany(f"INSERT OR IGNORE INTO {_MARKS} VALUES (?)",  # noqa: S608
                         [(i,) for i in self._marks])
        for k in range(0, len(self._people), 500):  # the interviews they are interviewees of
            chunk = self._people[k:k + 500]
            conn.execute(f"INSERT OR IGNORE INTO {_MARKS} SELECT id FROM interview "  # noqa: S608
                         f"WHERE interviewee_id IN ({', '.join('?' * len(chunk))})", chunk)
        self._bodies, self._marks, self._people = [], set(), []


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


# The marked interviews' documents, rebuilt in a few statements whatever their number: the
# old ones removed, keys made again for the live interviews with some text, and each document
# made of the text of the interview's records (its own included) and of its interviewee's.
# CROSS JOIN keeps the marks as the outer loop (SQLite knows nothing of the TEMP table's size
# and would otherwise walk every interview for a single mark).
_REFRESH_SQL = (
    "DELETE FROM interview_text WHERE rowid IN (SELECT k.fts_rowid FROM interview_text_key k "
    "JOIN temp.interview_text_dirty d ON d.interview_id = k.interview_id)",
    "DELETE FROM interview_text_key WHERE interview_id IN "
    "(SELECT interview_id FROM temp.interview_text_dirty)",
    "INSERT INTO interview_text_key (interview_id) SELECT i.id FROM temp.interview_text_dirty d "
    "CROSS JOIN interview i ON i.id = d.interview_id WHERE i.deleted_at IS NULL AND ("
    "EXISTS (SELECT 1 FROM text_body WHERE interview_id = i.id) OR "
    "EXISTS (SELECT 1 FROM text_body WHERE record_id = i.interviewee_id "
    "AND interview_id IS NULL))",
    "INSERT INTO interview_text (rowid, body) SELECT k.fts_rowid, ("
    "SELECT group_concat(body, char(10)) FROM text_body WHERE interview_id = i.id OR ("
    "record_id = i.interviewee_id AND interview_id IS NULL)) "
    "FROM temp.interview_text_dirty d "
    "CROSS JOIN interview_text_key k ON k.interview_id = d.interview_id "
    "CROSS JOIN interview i ON i.id = d.interview_id",
    "DELETE FROM temp.interview_text_dirty",
)


@db.before_commit
def refresh_interviews(conn: Connection) -> None:
    """Rebuild the documents of the interviews marked in this transaction (before COMMIT)."""
    try:
        marked = conn.execute(f"SELECT 1 FROM {_MARKS} LIMIT 1").fetchone()  # noqa: S608
    except Exception as exc:  # no marks table: nothing was ever marked on this connection
        if "no such table" not in str(exc):
            raise
        return
    if marked is None:
        return
    for sql in _REFRESH_SQL:
        conn.execute(sql)


def rebuild_interviews(conn: Connection) -> None:
    conn.execute("INSERT INTO interview_text (interview_text) VALUES ('delete-all')")
    conn.execute("DELETE FROM interview_text_key")
    conn.execute(_CREATE_MARKS)
    conn.execute(f"INSERT OR IGNORE INTO {_MARKS} SELECT id FROM interview")  # noqa: S608
    refresh_interviews(conn)


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
