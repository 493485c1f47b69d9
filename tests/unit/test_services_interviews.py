"""The list and editor use cases over a real vault."""

from __future__ import annotations

import pytest

from testimony_app import errors
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.services import directory, interviews
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
