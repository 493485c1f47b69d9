"""The list and editor use cases over a real vault."""

from __future__ import annotations

import pytest

from testimony_app import errors
from testimony_app.domain.detention import Act, Sighting
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Actor, Person
from testimony_app.services import directory, interviews
from testimony_app.vault import text_index
from tests.factory import add_testimony


def test_list_pages_counts_filters_and_searches(vault):
    with vault.transaction() as store:
        for n in range(30):
            add_testimony(store, status="complete" if n % 3 == 0 else "draft",
                          narrative=f"оповідь номер {n}" + (" підвал" if n == 7 else ""))
    rows = interviews.list_interviews(vault.store, limit=10)
    assert len(rows) == 10 and all(r.acts == 1 and r.sightings == 1 for r in rows)
    assert interviews.count_interviews(vault.store) == 30
    assert interviews.count_interviews(vault.store, status="complete") == 10
    page2 = interviews.list_interviews(vault.store, limit=10, offset=10)
    assert not {r.id for r in rows} & {r.id for r in page2}
    hits = interviews.list_interviews(vault.store, search="підвал")
    assert len(hits) == 1 and interviews.count_interviews(vault.store, search="підвал") == 1
    assert interviews.list_interviews(vault.store, search="nothing-like-this") == []


def test_load_edit_and_lock(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
    loaded = interviews.load_interview(vault.store, t["interview"].id)
    assert loaded.interviewee == t["person"] and loaded.sightings == (t["sighting"],)
    assert loaded.involvements == (t["involvement"],) and loaded.sites == (t["site"],)
    edited = interviews.edit(vault, Interview, t["interview"].id, narrative="нове")
    assert edited.rev == 2
    interviews.edit(vault, Interview, t["interview"].id, status="locked")
    with pytest.raises(errors.RecordLocked):
        interviews.edit(vault, Interview, t["interview"].id, narrative="ще")


def test_new_interview_has_its_own_interviewee(vault):
    i = interviews.new_interview(vault, reference="A-1")
    assert vault.store.get(Person, i.interviewee_id)


def test_where_a_person_and_a_site_appear(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
    roles = {m.role for m in directory.person_mentions(vault.store, t["person"].id)}
    assert {"interviewee", "detained", "victim", "observer"} <= roles
    kinds = {m.entity for m in directory.site_mentions(vault.store, t["site"].id)}
    assert kinds == {"episode", "act", "sighting"}
    assert directory.people(vault.store, t["person"].surname) == [t["person"]]


def test_search_finds_an_interview_by_its_interviewees_name(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
        store.edit(Person, t["person"].id, surname="Петренко")
    rows = interviews.list_interviews(vault.store, search="Петренко")
    assert [r.id for r in rows] == [t["interview"].id]


def _found(vault, words: str) -> list[str]:
    return [r.id for r in interviews.list_interviews(vault.store, search=words)]


def test_search_finds_an_interview_by_any_of_its_records_and_follows_every_change(vault):
    with vault.transaction() as store:
        t = add_testimony(store, narrative="Нас тримали в холодному підвалі")
        other = add_testimony(store, narrative="Інша оповідь")
        store.edit(Act, t["act"].id, objects_used="Били прикладом по спині")
    # A word of the act, and words from two different records of the same interview.
    assert _found(vault, "прикладом") == [t["interview"].id]
    assert _found(vault, "холодному прикладом") == [t["interview"].id]
    assert interviews.count_interviews(vault.store, search="прикладом") == 1
    # A co-detainee's name as heard finds the interview and (per record) the sighting.
    with vault.transaction() as store:
        store.edit(Sighting, other["sighting"].id, name_as_heard="Мирослав з Бучі")
    assert _found(vault, "Мирослав") == [other["interview"].id]
    assert ("sighting", other["sighting"].id, other["interview"].id) in text_index.search(
        vault.conn, "Мирослав", entity="sighting")
    # Edits, deletions and a deleted interview leave the index at once.
    with vault.transaction() as store:
        store.edit(Act, t["act"].id, objects_used="Погрожували")
    assert _found(vault, "прикладом") == []
    with vault.transaction() as store:
        store.delete(Sighting, other["sighting"].id)
    assert _found(vault, "Мирослав") == []
    with vault.transaction() as store:
        store.delete(Interview, t["interview"].id)
    assert _found(vault, "холодному") == []
    assert interviews.count_interviews(vault.store, search="холодному") == 0


def test_an_interviewees_new_name_is_found_and_a_rolled_back_edit_is_not(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
    with pytest.raises(RuntimeError), vault.transaction() as store:
        store.edit(Person, t["person"].id, surname="Відкликаний")
        raise RuntimeError("the edit is abandoned")
    assert _found(vault, "Відкликаний") == []
    with vault.transaction() as store:
        store.edit(Person, t["person"].id, surname="Коваленко")
    assert _found(vault, "Коваленко") == [t["interview"].id]
    with vault.transaction() as store:
        store.edit(Person, t["person"].id, surname="Шевчук")
    assert _found(vault, "Коваленко") == [] and _found(vault, "Шевчук") == [t["interview"].id]


def test_the_interview_documents_equal_a_rebuild_after_many_edits(vault):
    words = ("підвал", "холод", "Сашко", "Тестовий", "позивний", "оповідь", "ліки")
    with vault.transaction() as store:
        made = [add_testimony(store, narrative=f"оповідь {n}") for n in range(6)]
    for n, t in enumerate(made):
        with vault.transaction() as store:
            if n % 2:
                store.edit(Interview, t["interview"].id, narrative="холод і підвал")
            if n % 3 == 0:
                store.edit(Sighting, t["sighting"].id, name_as_heard="Петро, просив ліки")
            if n == 4:
                store.delete(Act, t["act"].id)
                store.delete(Actor, t["actor"].id)
    before = {w: interviews.matching_ids(vault.store, w) for w in words}
    with vault.transaction():
        text_index.rebuild(vault.conn)
    assert {w: interviews.matching_ids(vault.store, w) for w in words} == before
    assert before["ліки"] and before["холод"] and before["позивний"]


def test_pages_of_interviews_with_the_same_date_hold_each_one_once(vault):
    with vault.transaction() as store:
        ids = {add_testimony(store, start_at="2024-03-01T10:00")["interview"].id
               for _ in range(23)}
    for descending in (True, False):
        seen = [r.id for offset in range(0, 30, 7) for r in interviews.list_interviews(
            vault.store, order="start_at", descending=descending, offset=offset, limit=7)]
        assert sorted(seen) == sorted(ids)


def test_the_kept_matches_of_a_search_follow_every_write(vault):
    """The count and the pages share the matches of one search; any write renews them."""
    with vault.transaction() as store:
        first = add_testimony(store, narrative="Бачив його в Оленівці")
    assert interviews.count_interviews(vault.store, search="Оленівці") == 1
    with vault.transaction() as store:
        second = add_testimony(store, narrative="Теж був в Оленівці")
    assert interviews.count_interviews(vault.store, search="Оленівці") == 2
    assert {r.id for r in interviews.list_interviews(vault.store, search="Оленівці")} == {
        first["interview"].id, second["interview"].id}
    interviews.edit(vault, Interview, first["interview"].id, narrative="Не пам'ятаю де")
    assert _found(vault, "Оленівці") == [second["interview"].id]
    assert interviews.count_interviews(vault.store, search="Оленівці") == 1
    assert interviews.count_interviews(vault.store, search="Оленівці", status="draft") == 1
    assert interviews.count_interviews(vault.store, search="пам'ятаю") == 1
