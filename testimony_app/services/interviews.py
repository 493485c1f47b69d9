"""Use cases of the interview editor and list: plain values out, intents in.

The list reads a page at a time with one query (counts of acts and sightings included), so a
vault of 10,000 interviews scrolls without loading them all. The editor loads an interview with
everything that hangs off it as one frozen ``InterviewFile``; every edit is one small
transaction (autosave), audited by the store.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person
from testimony_app.vault import text_index
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class InterviewRow:
    """One line of the interviews list."""

    id: str
    start_at: str
    interviewee: str
    place: str
    status: str
    acts: int
    sightings: int
    updated_at: str


@dataclass(frozen=True)
class InterviewFile:
    """An interview with every record that belongs to it, as it is stored now."""

    interview: Interview
    interviewee: Person | None
    consents: tuple[Consent, ...]
    captures: tuple[CaptureEvent, ...]
    episodes: tuple[DetentionEpisode, ...]
    acts: tuple[Act, ...]
    actors: tuple[Actor, ...]
    involvements: tuple[Involvement, ...]
    sightings: tuple[Sighting, ...]
    attachments: tuple[Attachment, ...]
    custody: tuple[CustodyEvent, ...]
    sites: tuple[Site, ...]


# The page is chosen first and only its rows are counted: counting acts and sightings for every
# interview before sorting made the first page of a 10,000-interview vault take half a second.
_LIST_SQL = """
SELECT page.id, page.start_at, page.who, page.place, page.status,
       (SELECT count(*) FROM act a WHERE a.interview_id = page.id AND a.deleted_at IS NULL),
       (SELECT count(*) FROM sighting s WHERE s.interview_id = page.id
                                          AND s.deleted_at IS NULL),
       page.updated_at
FROM (SELECT i.id AS id, i.start_at AS start_at,
             CASE WHEN i.pseudonym != '' THEN i.pseudonym
                  ELSE trim(coalesce(p.surname, '') || ' ' || coalesce(p.given_name, ''))
             END AS who,
             i.place_generalised AS place, i.status AS status, i.updated_at AS updated_at
      FROM interview i LEFT JOIN person p INDEXED BY person_names ON p.id = i.interviewee_id
      WHERE i.deleted_at IS NULL {filters}
      ORDER BY {order} LIMIT ? OFFSET ?) AS page
ORDER BY {order}
"""
# The tie-breaker runs the same way as the order, so that the newest-first list walks the
# ``interview_list`` index backwards and stops after one page, even when many share a date.
_ORDERS = {
    "start_at": "start_at {dir}, id {dir}", "updated_at": "updated_at {dir}, id {dir}",
    "interviewee": "who COLLATE NOCASE {dir}, id {dir}", "status": "status {dir}, id {dir}",
    "place": "place COLLATE NOCASE {dir}, id {dir}",
}
ORDERS = tuple(_ORDERS)

# Interviews whose own text, records or interviewee's names match: one document each
# (``text_index.INTERVIEW_MATCHES_SQL``, one ``?``: the FTS query).
_MATCHING_SQL = text_index.INTERVIEW_MATCHES_SQL


def matching_ids(store: Store, search: str) -> list[str]:
    """Interviews whose own text, records or interviewee's names match ``search``."""
    query = text_index.fts_query(search)
    if not query:
        return []
    return sorted(r[0] for r in store.conn.execute(_MATCHING_SQL, (query,)))


# The matches of the last search, kept in TEMP tables (in memory, private to the connection)
# so that the count and every page the list then reads share one full-text evaluation. They are
# used again only while the vault is unchanged: the connection's ``total_changes`` (every write
# it made, the TEMP tables' own included) and ``PRAGMA data_version`` (other connections'
# commits) must be as they were when the hits were written.
_HITS_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS search_hits (interview_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS search_hits_of "
    "(query TEXT NOT NULL, changes INTEGER NOT NULL, data_version INTEGER NOT NULL)",
)


def _search_hits(store: Store, query: str) -> None:
    """Make ``temp.search_hits`` hold the interviews matching ``query`` (an FTS query)."""
    conn = store.conn
    for statement in _HITS_TABLES:
        conn.execute(statement)
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    held = conn.execute("SELECT query, changes, data_version FROM temp.search_hits_of").fetchone()
    if held is not None and tuple(held) == (query, conn.total_changes, version):
        return
    conn.execute("DELETE FROM temp.search_hits")
    conn.execute(f"INSERT OR IGNORE INTO temp.search_hits {_MATCHING_SQL}", (query,))  # noqa: S608
    conn.execute("DELETE FROM temp.search_hits_of")
    # This one-row insert is the last change: the count it will leave is total_changes + 1.
    conn.execute("INSERT INTO temp.search_hits_of VALUES (?, ?, ?)",
                 (query, conn.total_changes + 1, version))


def forget_search(store: Store) -> None:
    """Drop the kept matches (the benchmarks measure a search from the start)."""
    for statement in _HITS_TABLES:
        store.conn.execute(statement)
    store.conn.execute("DELETE FROM temp.search_hits_of")


def _filters(store: Store, status: str | None, search: str | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if status:
        clauses.append("AND i.status = ?")
        params.append(status)
    if search and search.strip():
        query = text_index.fts_query(search)
        if query:
            _search_hits(store, query)
            clauses.append("AND +i.id IN (SELECT interview_id FROM temp.search_hits)")
        else:
            clauses.append("AND 0")
    return " ".join(clauses), params


def list_interviews(store: Store, *, status: str | None = None, search: str | None = None,
                    order: str = "start_at", descending: bool = True, offset: int = 0,
                    limit: int = 200) -> list[InterviewRow]:
    """One page of the list; ``order`` is one of ORDERS, either way."""
    filters, params = _filters(store, status, search)
    order_sql = _ORDERS.get(order, _ORDERS["start_at"]).format(
        dir="DESC" if descending else "ASC")
    sql = _LIST_SQL.format(filters=filters, order=order_sql)
    return [InterviewRow(*row) for row in store.conn.execute(sql, (*params, limit, offset))]


def count_interviews(store: Store, *, status: str | None = None,
                     search: str | None = None) -> int:
    filters, params = _filters(store, status, search)
    sql = f"SELECT count(*) FROM interview i WHERE i.deleted_at IS NULL {filters}"  # noqa: S608
    return int(store.conn.execute(sql, params).fetchone()[0])


def load_interview(store: Store, interview_id: str) -> InterviewFile:
    interview = store.get(Interview, interview_id)
    person = store.find(Person, interview.interviewee_id) if interview.interviewee_id else None
    acts = tuple(store.list(Act, interview_id=interview_id))
    involvements = tuple(inv for act in acts for inv in store.list(Involvement, act_id=act.id))
    attachments = tuple(store.list(Attachment, interview_id=interview_id))
    custody = tuple(ev for a in attachments
                    for ev in store.list(CustodyEvent, attachment_id=a.id, order_by="at"))
    episodes = tuple(store.list(DetentionEpisode, interview_id=interview_id,
                                order_by="arrival_earliest"))
    sightings = tuple(store.list(Sighting, interview_id=interview_id))
    site_ids: set[str] = set()
    for group in (episodes, acts, sightings):
        site_ids.update(r.site_id for r in group if r.site_id)
    sites = tuple(s for s in (store.find(Site, i) for i in sorted(site_ids)) if s)
    return InterviewFile(
        interview=interview, interviewee=person,
        consents=tuple(store.list(Consent, interview_id=interview_id)),
        captures=tuple(store.list(CaptureEvent, interview_id=interview_id)),
        episodes=episodes, acts=acts,
        actors=tuple(store.list(Actor, interview_id=interview_id)),
        involvements=involvements, sightings=sightings, attachments=attachments,
        custody=custody, sites=sites)


def new_interview(vault: Vault, **fields: Any) -> Interview:
    """A draft interview with an (empty) interviewee record of its own."""
    with vault.transaction() as store:
        person = store.add(Person())
        return store.add(Interview(interviewee_id=person.id, **fields))


def add(vault: Vault, record: R) -> R:
    with vault.transaction() as store:
        return store.add(record)


def edit(vault: Vault, cls: type[R], record_id: str, **changes: Any) -> R:
    """Autosave of one or more fields; refuses edits of locked interviews."""
    with vault.transaction() as store:
        return store.edit(cls, record_id, **changes)


def delete(vault: Vault, cls: type[R], record_id: str) -> R:
    with vault.transaction() as store:
        return store.delete(cls, record_id)


def replace(record: R, **changes: Any) -> R:
    return dataclasses.replace(record, **changes)
