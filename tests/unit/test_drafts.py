"""Drafts held in the vault: kept as records JSON, decoded without their missing required
fields, released when stored, and gone with their interview (deleted or purged)."""

from __future__ import annotations

from testimony_app.domain.detention import Sighting
from testimony_app.domain.interview import Interview
from testimony_app.services import drafts
from tests.factory import add_testimony


def test_held_drafts_come_back_as_they_were_and_leave_when_stored(vault):
    with vault.transaction() as store:
        t = add_testimony(store)
    draft = Sighting(interview_id=t["interview"].id, call_sign="Сокіл",
                     message_for_family="Передайте мамі, що живий")
    assert drafts.hold(vault, [draft]) == 1
    [back] = drafts.held(vault.store, t["interview"].id)
    assert back == draft and back.name_as_heard == ""
    assert drafts.held(vault.store, "another-interview") == ()

    from dataclasses import replace

    drafts.store_draft(vault, replace(draft, name_as_heard="Сашко"))
    assert drafts.held(vault.store, t["interview"].id) == ()
    assert vault.store.get(Sighting, draft.id).name_as_heard == "Сашко"


def test_held_drafts_go_with_their_interview(vault):
    with vault.transaction() as store:
        deleted, purged, kept = (add_testimony(store) for _ in range(3))
    for t in (deleted, purged, kept):
        drafts.hold(vault, [Sighting(interview_id=t["interview"].id, call_sign="Тінь")])
    with vault.transaction() as store:
        store.delete(Interview, deleted["interview"].id)
        store.purge(Interview, purged["interview"].id)
    left = vault.conn.execute("SELECT interview_id FROM held_draft").fetchall()
    assert left == [(kept["interview"].id,)]
