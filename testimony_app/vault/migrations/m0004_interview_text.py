"""Schema 4: the interviews list: one search document per interview, and covering indexes.

Frozen once released: never edit; add a new step instead.

* ``text_body``: the searchable text of every record, which both full-text indexes are made
  from (moved out of ``text_index``).
* ``interview_text``: a contentless FTS5 table, one document per interview: the text of the
  interview, of every record that belongs to it and of its interviewee. A word found anywhere
  in them finds the interview once, so a common word costs one hit per interview instead of
  one per record.
* ``interview_text_key``: which interview each document is; ``fts_rowid`` is an INTEGER
  primary key so that VACUUM never renumbers it.
* ``text_index`` keeps entries only for the records looked up one by one (people, sites,
  co-detainees seen, perpetrators: ``text_index.PER_RECORD``); the rest is found through its
  interview.
* Covering indexes for the list, so that a page of it reads index pages only: the list's
  columns (``interview_list``), counting (``interview_live``), the interviewee's names
  (``person_names``) and each row's counts of acts and sightings (``act_interview_live`` and
  ``sighting_interview_live``, which replace the indexes on ``interview_id`` alone). Reading
  these columns from the tables instead touches a page or more per row, and ``status`` and
  ``updated_at`` come after the (long) narrative, so that walks its overflow pages too.
"""

from __future__ import annotations

from testimony_app.vault.db import Connection

SQL = (
    "CREATE TABLE text_body (record_id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL, "
    "interview_id TEXT, body TEXT NOT NULL)",
    "CREATE INDEX text_body_interview ON text_body(interview_id)",
    "INSERT INTO text_body (record_id, entity, interview_id, body) "
    "SELECT k.record_id, k.entity, k.interview_id, t.body FROM text_index_key k "
    "JOIN text_index t ON t.rowid = k.fts_rowid",
    "DELETE FROM text_index WHERE rowid IN (SELECT fts_rowid FROM text_index_key "
    "WHERE entity NOT IN ('person', 'site', 'sighting', 'actor'))",
    "DELETE FROM text_index_key WHERE entity NOT IN ('person', 'site', 'sighting', 'actor')",
    "CREATE VIRTUAL TABLE interview_text USING fts5(body, content = '', "
    "contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TABLE interview_text_key (fts_rowid INTEGER PRIMARY KEY, "
    "interview_id TEXT NOT NULL UNIQUE)",
    "CREATE INDEX interview_list ON interview(start_at, id, deleted_at, status, updated_at, "
    "pseudonym, place_generalised, interviewee_id)",
    "CREATE INDEX interview_live ON interview(id, deleted_at, status)",
    "CREATE INDEX person_names ON person(id, surname, given_name)",
    "DROP INDEX act_interview_id",
    "CREATE INDEX act_interview_live ON act(interview_id, deleted_at)",
    "DROP INDEX sighting_interview_id",
    "CREATE INDEX sighting_interview_live ON sighting(interview_id, deleted_at)",
)


def apply(conn: Connection) -> None:
    from testimony_app.vault import text_index

    for statement in SQL:
        conn.execute(statement)
    text_index.rebuild_interviews(conn)
