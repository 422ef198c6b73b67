"""The coordinator's screens: the organisation's groups at a glance, creating and changing
a group, the settings and the audit trail; nobody else opens any of them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import audit, organisation
from app.audit import AuditAction
from app.extensions import db
from app.models import Cohort, Participant, User
from app.models.base import utcnow
from app.permissions import Role

EN = {"Accept-Language": "en"}


@pytest.fixture
def coordinator(make_staff):
    return make_staff(None, Role.COORDINATOR, username="coord")


@pytest.fixture
def boss(coordinator, staff_client):
    return staff_client(coordinator)


def add_cohort(in_db, name: str, starts_on: date, **fields) -> Cohort:
    def make() -> Cohort:
        cohort = Cohort(name=name, starts_on=starts_on, **fields)
        db.session.add(cohort)
        db.session.commit()
        return cohort

    return in_db(make)


def section(page: str, kind: str) -> str:
    found = re.search(rf'data-testid="{kind}-groups"(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_a_coordinator_lands_on_the_organisation_and_a_tutor_on_their_groups(
    app, coordinator, make_staff
):
    from tests.fixtures.application import PASSWORD

    landed = app.test_client().post(
        "/login", data={"username": coordinator.username, "password": PASSWORD}
    )
    assert landed.headers["Location"].endswith("/coordinator")
    tutor = make_staff()
    landed = app.test_client().post(
        "/login", data={"username": tutor.username, "password": PASSWORD}
    )
    assert landed.headers["Location"].endswith("/tutor")


def test_the_home_sorts_groups_into_current_upcoming_and_archived_with_their_tutors(
    boss, in_db, make_staff
):
    today = date.today()
    running = add_cohort(in_db, "Running", today - timedelta(days=10))
    make_staff(running, username="lucie")
    add_cohort(in_db, "Past", today - timedelta(days=90), ends_on=today - timedelta(days=30))
    add_cohort(in_db, "Next", today + timedelta(days=20), venue="Salle B")
    add_cohort(in_db, "Put away", today - timedelta(days=400), archived_at=utcnow())
    add_cohort(in_db, "Rehearsal · W1", today, practice=True)
    page = boss.get("/coordinator", headers=EN).get_data(as_text=True)
    current, upcoming = section(page, "current"), section(page, "upcoming")
    archived = section(page, "archived")
    assert "Running" in current and "Past" in current and "Next" not in current
    assert 'data-testid="group-ended"' in current.split("Past", 1)[1]  # over, not archived
    assert "Next" in upcoming and "Salle B" in upcoming
    assert "Put away" in archived and "Put away" not in current
    assert "Rehearsal" not in page  # a trainee's practice group is nobody's business here
    assert "Camille" in current  # the tutor's name (make_staff names everyone Camille)
    assert 'data-testid="reports-link"' in page


def test_the_home_shows_the_years_figures(boss, in_db, make_participant):
    group = add_cohort(in_db, "This spring", date(date.today().year, 1, 5))
    for number in range(5):
        make_participant(group, f"Person{number}")
    page = boss.get("/coordinator", headers=EN).get_data(as_text=True)
    assert re.search(r'data-testid="figure-enrolled">5<', page)
    assert re.search(r'data-testid="figure-rate">0 %<', page)


def test_a_group_whose_data_is_deleted_within_30_days_is_announced(boss, in_db, make_participant):
    ended = add_cohort(
        in_db,
        "Hiver",
        date.today() - timedelta(days=420),
        ends_on=date.today() - timedelta(days=355),
    )
    make_participant(ended, "Amina")
    page = boss.get("/coordinator", headers=EN).get_data(as_text=True)
    warning = re.search(r'data-testid="retention-warning"(.*?)</section>', page, re.S)
    assert warning and "Hiver" in warning.group(1) and "1 person" in warning.group(1)


def test_the_coordinator_creates_a_group_with_its_tutors(boss, make_staff, in_db):
    tutor = make_staff(username="lucie")
    form = boss.get("/coordinator/cohorts/new").get_data(as_text=True)
    assert "lucie" in form
    made = boss.post(
        "/coordinator/cohorts/new",
        data={
            "name": "Automne 2026",
            "starts_on": "2026-09-07",
            "ends_on": "2026-11-09",
            "venue": "Maison des associations",
            "weeks": "8",
            "tutors": [str(tutor.id)],
        },
    )
    assert made.status_code == 302
    cohort = in_db(lambda: db.session.scalar(select(Cohort).where(Cohort.name == "Automne 2026")))
    assert (cohort.starts_on, cohort.ends_on, cohort.weeks) == (
        date(2026, 9, 7),
        date(2026, 11, 9),
        8,
    )
    assert cohort.venue == "Maison des associations" and not cohort.practice
    tutors = in_db(lambda: [u.username for u in db.session.get(Cohort, cohort.id).tutors])
    assert tutors == ["lucie"]


def test_a_wrong_group_form_comes_back_with_every_problem_and_stores_nothing(boss, in_db):
    before = in_db(lambda: db.session.scalars(select(Cohort)).all())
    page = boss.post(
        "/coordinator/cohorts/new",
        data={"name": " ", "starts_on": "2026-09-07", "ends_on": "2026-09-01", "weeks": "12"},
        headers=EN,
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Please give the group a name." in text
    assert "The last day comes before the first one." in text
    assert "The cycle lasts 8 or 9 weeks." in text
    assert 'value="2026-09-07"' in text  # what was typed is kept
    assert in_db(lambda: db.session.scalars(select(Cohort)).all()) == before


def test_the_coordinator_changes_a_group_and_its_tutors_then_archives_it(
    boss, make_cohort, make_staff, in_db
):
    cohort = make_cohort("Printemps")
    old, new = make_staff(cohort, username="old"), make_staff(username="new")
    page = boss.get(f"/coordinator/cohorts/{cohort.id}").get_data(as_text=True)
    assert 'value="Printemps"' in page and re.search(rf'value="{old.id}"\s+checked', page)
    saved = boss.post(
        f"/coordinator/cohorts/{cohort.id}",
        data={
            "name": "Printemps 2026",
            "starts_on": "2026-03-02",
            "weeks": "9",
            "tutors": [str(new.id)],
        },
    )
    assert saved.status_code == 302

    def look() -> tuple[str, list[str], object]:
        found = db.session.get(Cohort, cohort.id)
        return found.name, [u.username for u in found.tutors], found.archived_at

    assert look_now(in_db, look)[:2] == ("Printemps 2026", ["new"])
    assert boss.post(f"/coordinator/cohorts/{cohort.id}/archive").status_code == 302
    assert look_now(in_db, look)[2] is not None
    assert boss.post(f"/coordinator/cohorts/{cohort.id}/unarchive").status_code == 302
    assert look_now(in_db, look)[2] is None


def look_now(in_db, query):
    return in_db(query)


def test_a_practice_group_is_not_the_coordinators_to_edit(boss, in_db):
    practice = add_cohort(in_db, "Rehearsal", date.today(), practice=True)
    assert boss.get(f"/coordinator/cohorts/{practice.id}").status_code == 404
    assert boss.post(f"/coordinator/cohorts/{practice.id}/archive").status_code == 404


def test_the_settings_are_saved_within_their_bounds(boss, in_db):
    page = boss.get("/coordinator/settings").get_data(as_text=True)
    assert 'value="6"' in page and 'value="12"' in page  # the defaults
    saved = boss.post(
        "/coordinator/settings", data={"completion_meetings": "7", "retention_months": "24"}
    )
    assert saved.status_code == 302
    now = in_db(lambda: organisation.settings(db.session))
    assert (now.completion_meetings, now.retention_months) == (7, 24)
    for wrong in (
        {"completion_meetings": "10", "retention_months": "24"},
        {"completion_meetings": "6", "retention_months": "0"},
        {"completion_meetings": "six", "retention_months": "24"},
    ):
        assert boss.post("/coordinator/settings", data=wrong).status_code == 400
    now = in_db(lambda: organisation.settings(db.session))
    assert (now.completion_meetings, now.retention_months) == (7, 24)


def test_the_audit_says_who_did_what_about_whom_newest_first_and_pages_back(
    app, boss, coordinator, make_cohort, make_participant, in_db, monkeypatch
):
    cohort = make_cohort("Printemps")
    amina = make_participant(cohort, "Amina")

    def record() -> None:
        audit.record(
            db.session,
            AuditAction.PORTFOLIO_OPENED,
            by=coordinator.id,
            participant_id=amina.id,
            cohort_id=cohort.id,
        )
        audit.record(db.session, AuditAction.DATA_EXPORTED, by=None, participant_id=amina.id)
        audit.record(
            db.session, AuditAction.PARTICIPANT_DELETED, by=coordinator.id, cohort_id=cohort.id
        )
        audit.record(db.session, AuditAction.RETENTION_RUN, by=None)
        db.session.commit()

    in_db(record)
    page = boss.get("/coordinator/audit", headers=EN).get_data(as_text=True)
    rows = re.findall(r'data-testid="audit-row".*?</tr>', page, re.S)
    assert len(rows) == 4
    assert "retention" in rows[0]
    assert "deleted person" in rows[1] and "Printemps" in rows[1]
    assert "the participant" in rows[2] and "Amina" in rows[2]
    assert "Camille" in rows[3] and "opened the portfolio" in rows[3]

    import app.coordinator_pages.routes as routes

    monkeypatch.setattr(routes, "AUDIT_PAGE", 3)
    first = boss.get("/coordinator/audit", headers=EN).get_data(as_text=True)
    older = re.search(r'href="([^"]+)" data-testid="audit-older"', first).group(1)
    rest = boss.get(older.replace("&amp;", "&"), headers=EN).get_data(as_text=True)
    assert rest.count('data-testid="audit-row"') == 1 and "opened the portfolio" in rest


def test_the_staff_menu_offers_the_organisation_to_coordinators_only(
    boss, make_staff, staff_client
):
    assert 'data-testid="organisation-link"' in boss.get("/tutor").get_data(as_text=True)
    tutor_page = staff_client(make_staff()).get("/tutor").get_data(as_text=True)
    assert 'data-testid="organisation-link"' not in tutor_page


def coordinator_routes(app) -> list[tuple[str, str]]:
    """Every route of the coordinator's blueprint, the invitation page aside (public)."""
    found = []
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint.startswith("coordinator.")
            and rule.endpoint != "coordinator.accept_invite"
        ):
            url = re.sub(r"<int:\w+>", "{id}", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, url))
    return found


def test_nobody_but_a_coordinator_opens_any_of_these_pages(
    app, make_cohort, make_staff, staff_client, make_participant, phone_client, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    trainee = make_staff(cohort, Role.TRAINEE)
    phone = phone_client(make_participant(cohort))
    routes = coordinator_routes(app)
    assert len(routes) >= 14
    target = {"{id}": str(tutor.id)}
    before = in_db(
        lambda: (
            db.session.scalars(select(User.role)).all(),
            db.session.scalars(select(Cohort.name)).all(),
        )
    )
    for method, url in routes:
        path = url.replace("{id}", str(cohort.id) if "cohorts" in url else target["{id}"])
        for who in (staff_client(tutor), staff_client(trainee)):
            assert who.open(path, method=method).status_code == 403, (method, path)
        for outsider in (app.test_client(), phone):
            answer = outsider.open(path, method=method)
            assert answer.status_code == 302 and "/login" in answer.headers["Location"], path
    after = in_db(
        lambda: (
            db.session.scalars(select(User.role)).all(),
            db.session.scalars(select(Cohort.name)).all(),
        )
    )
    assert after == before
    assert in_db(lambda: db.session.scalars(select(Participant)).all())
