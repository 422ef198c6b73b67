"""A tutor opens the dashboard between two workshops: what the group has held, and the
next meeting offered already chosen."""

from __future__ import annotations

import re

from app.extensions import db
from app.live import operations
from app.models import Cohort, LiveSession
from app.permissions import Role


def end(app, live: LiveSession, tutor) -> None:
    with app.app_context():
        operations.end_session(db.session, db.session.merge(live), db.session.merge(tutor))
        db.session.commit()


def test_the_dashboard_shows_the_meetings_held_and_offers_the_next_one(
    app, make_cohort, make_staff, start_live, staff_client
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    end(app, start_live(cohort, tutor, "w1-presentation"), tutor)
    page = staff_client(tutor).get("/tutor").get_data(as_text=True)
    held = re.search(r'data-testid="meeting-w1-presentation"(.*?)</li>', page, re.S)
    assert held and 'data-testid="meeting-done"' in held.group(1)
    offered = re.search(r'<input[^>]*value="w2-migration"[^>]*>', page)
    assert offered and "checked" in offered.group(0)
    assert 'data-testid="meeting-next"' in page


def test_a_rehearsal_does_not_count_as_held(app, make_cohort, make_staff, start_live, staff_client):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor, "w1-presentation", rehearsal=True)
    end(app, live, tutor)
    page = staff_client(tutor).get("/tutor").get_data(as_text=True)
    offered = re.search(r'<input[^>]*value="w1-presentation"[^>]*>', page)
    assert offered and "checked" in offered.group(0)
    assert 'data-testid="meeting-done"' not in page


def test_the_chosen_meeting_starts(make_cohort, make_staff, staff_client):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    browser = staff_client(tutor)
    page = browser.get("/tutor").get_data(as_text=True)
    token = re.search(r'name="c\d+-csrf_token"[^>]*value="([^"]+)"', page)
    data = {f"c{cohort.id}-meeting": "w2-migration"}
    if token:
        data[f"c{cohort.id}-csrf_token"] = token.group(1)
    reply = browser.post(f"/cohorts/{cohort.id}/sessions", data=data)
    assert reply.status_code == 302 and "/console" in reply.headers["Location"]


def test_a_trainee_is_not_offered_the_groups_people_page_it_may_not_open(
    make_cohort, make_staff, staff_client
):
    cohort = make_cohort()
    trainee = make_staff(cohort, role=Role.TRAINEE)
    page = staff_client(trainee).get("/tutor").get_data(as_text=True)
    assert 'data-testid="cohort-link"' not in page
    tutor_page = staff_client(make_staff(cohort)).get("/tutor").get_data(as_text=True)
    assert 'data-testid="cohort-link"' in tutor_page


def test_a_coordinator_who_tutors_no_group_sees_every_real_group(
    app, make_cohort, make_staff, staff_client, in_db
):
    spring, autumn = make_cohort("Spring group"), make_cohort("Autumn group")

    def practise() -> None:
        db.session.add(
            Cohort(name="Rehearsal · Workshop 4", starts_on=spring.starts_on, practice=True)
        )
        db.session.commit()

    in_db(practise)
    page = staff_client(make_staff(None, Role.COORDINATOR)).get("/tutor").get_data(as_text=True)
    assert "Spring group" in page and "Autumn group" in page
    assert "Rehearsal · Workshop 4" not in page  # a trainee's private practice group
    assert page.count('data-testid="cohort"') == 2
    assert 'data-testid="cohort-link"' in page  # the coordinator manages each group
    lonely = staff_client(make_staff(None, Role.TUTOR)).get("/tutor").get_data(as_text=True)
    assert 'data-testid="cohort"' not in lonely  # a tutor sees only the groups they tutor
    assert autumn.name not in lonely
