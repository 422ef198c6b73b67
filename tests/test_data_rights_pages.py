"""A person's data rights, as they and the coordinator use them on screen."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Participant
from app.permissions import Role
from tests import erasure_world
from tests.erasure_world import MARKERS, NAME, WORDS


@pytest.fixture
def world(app, make_cohort, make_staff, make_participant, start_live, phone_client):
    return erasure_world.build(
        app, make_cohort, make_staff, make_participant, start_live, phone_client
    )


@pytest.fixture
def her_phone(world, phone_client, app):
    with app.app_context():
        return phone_client(db.session.get_one(Participant, world.person_id))


@pytest.fixture
def coordinator(make_staff, staff_client):
    return staff_client(make_staff(None, role=Role.COORDINATOR))


def test_she_sees_who_opened_her_portfolio_on_her_phone(world, her_phone, staff_client, app):
    from app.models import User

    with app.app_context():
        tutor = db.session.get_one(User, world.tutor_id)
    assert staff_client(tutor).get(f"/participants/{world.person_id}/portfolio").status_code == 200
    page = her_phone.get("/me/data").get_data(as_text=True)
    assert "a ouvert le portfolio" in page  # her phone speaks French
    assert "Camille" in page  # the tutor's name


def test_she_must_tick_the_box_before_anything_is_deleted(world, her_phone, app):
    refused = her_phone.post("/me/delete", data={})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(Participant, world.person_id) is not None


def test_she_deletes_her_data_from_her_phone_and_nothing_of_her_remains(world, her_phone, app):
    assert her_phone.get("/me/delete").status_code == 200
    done = her_phone.post("/me/delete", data={"confirm": "delete"})
    assert done.status_code == 200
    assert 'data-testid="deleted"' in done.get_data(as_text=True)
    assert her_phone.get("/me").status_code == 403
    with app.app_context():
        dumped = erasure_world.dump()
        (entry,) = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "participant.deleted")
        )
        assert entry.actor_user_id is None
    assert [m for m in MARKERS if m in dumped] == []
    assert [m for m in MARKERS if m.encode() in erasure_world.sqlite_bytes(app)] == []


def test_the_coordinator_exports_her_data_on_request_and_it_is_recorded(world, coordinator, app):
    page = coordinator.get(f"/participants/{world.person_id}/data")
    assert page.status_code == 200
    got = coordinator.post(f"/participants/{world.person_id}/export.json")
    assert got.status_code == 200
    assert json.loads(got.get_data(as_text=True))["person"]["name"] == NAME
    with app.app_context():
        (entry,) = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "data.exported")
        )
        assert entry.participant_id == world.person_id


def test_the_coordinator_deletes_her_after_typing_her_name(world, coordinator, app):
    wrong = coordinator.post(f"/participants/{world.person_id}/delete", data={"name": "Amina"})
    assert wrong.status_code == 400
    done = coordinator.post(f"/participants/{world.person_id}/delete", data={"name": NAME})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Participant, world.person_id) is None
    assert coordinator.get(f"/participants/{world.person_id}/data").status_code == 404


def test_a_tutor_cannot_delete_or_export_anyone(world, staff_client, app):
    from app.models import User

    with app.app_context():
        tutor = db.session.get_one(User, world.tutor_id)
    browser = staff_client(tutor)
    assert browser.get(f"/participants/{world.person_id}/data").status_code == 403
    assert (
        browser.post(f"/participants/{world.person_id}/delete", data={"name": NAME}).status_code
        == 403
    )
    with app.app_context():
        assert db.session.get(Participant, world.person_id) is not None


def test_her_export_holds_her_workshops_and_who_opened_her_data(
    world, her_phone, staff_client, app
):
    from app.models import User

    with app.app_context():
        tutor = db.session.get_one(User, world.tutor_id)
    staff_client(tutor).get(f"/participants/{world.person_id}/portfolio")
    data = json.loads(her_phone.get("/me/export.json").get_data(as_text=True))
    assert data["format"] == "migrapass-live/portfolio-export/2"
    (workshop,) = data["workshops"]
    assert (workshop["meeting"], workshop["present"]) == ("w1-presentation", True)
    assert [card["fields"] for card in workshop["cards"]] == [{"text": WORDS}]  # her rule
    assert [(e["what"], e["by"]) for e in data["who_opened_my_data"]] == [
        ("portfolio.opened", "Camille")
    ]
    assert data["self_assessment"] == {}
