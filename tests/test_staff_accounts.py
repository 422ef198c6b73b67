"""A coordinator invites a tutor by a one-time link, changes roles, deactivates an account
(refused at once, its open console closed) and gives access back with a new link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import staff_accounts
from app.extensions import db
from app.models import StaffInvite, User
from app.models.base import utcnow
from app.permissions import Role
from tests.fixtures.application import PASSWORD

INVITE_URL = re.compile(r'data-testid="invite-url">http://phones\.example:5000(/invite/[^<]+)<')
NEW_PASSWORD = "a long new secret"


def invite(browser, **fields) -> str:
    """Invite someone through the form; the path of the link shown, once."""
    data = {"display_name": "Jeanne", "username": "jeanne", "role": "tutor", **fields}
    page = browser.post("/coordinator/staff/new", data=data)
    assert page.status_code == 200, page.get_data(as_text=True)
    text = page.get_data(as_text=True)
    assert 'class="qr"' in text  # the same link as a QR code, to scan
    found = INVITE_URL.search(text)
    assert found
    return found.group(1)


def set_password(browser, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    return browser.post(path, data={"password": password, "again": again or password})


def user_named(in_db, username: str) -> User:
    return in_db(lambda: db.session.scalar(select(User).where(User.username == username)))


@pytest.fixture
def coordinator(make_staff):
    return make_staff(None, Role.COORDINATOR, username="coord")


@pytest.fixture
def boss(coordinator, staff_client):
    return staff_client(coordinator)


def test_an_invited_tutor_follows_the_link_sets_a_password_and_is_in_their_group(
    app, boss, make_cohort, in_db
):
    group = make_cohort("Printemps")
    path = invite(boss, cohorts=[str(group.id)])
    tutor = user_named(in_db, "jeanne")
    assert tutor.role == "tutor"
    # Before the link is followed, no password opens the account.
    assert (
        app.test_client().post("/login", data={"username": "jeanne", "password": "!"}).status_code
        == 401
    )

    newcomer = app.test_client()
    form = newcomer.get(path)
    assert form.status_code == 200 and "jeanne" in form.get_data(as_text=True)
    done = set_password(newcomer, path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/tutor")
    dashboard = newcomer.get("/tutor").get_data(as_text=True)
    assert "Printemps" in dashboard  # logged in, and a tutor of the group
    again = app.test_client().post("/login", data={"username": "jeanne", "password": NEW_PASSWORD})
    assert again.status_code == 302


def test_only_a_digest_of_the_token_is_kept(boss, in_db):
    path = invite(boss)
    token = path.rsplit("/", 1)[1]
    stored = in_db(lambda: db.session.scalars(select(StaffInvite.token_hash)).all())
    assert stored == [staff_accounts.digest(token)] and token not in stored[0]


def test_a_link_works_once(app, boss):
    path = invite(boss)
    assert set_password(app.test_client(), path).status_code == 302
    second = app.test_client()
    refused = set_password(second, path, "another password")
    assert refused.status_code == 404
    assert "already used" in second.get(path, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    ok = app.test_client().post("/login", data={"username": "jeanne", "password": NEW_PASSWORD})
    assert ok.status_code == 302  # the first password stands


def test_an_expired_or_unknown_link_gets_the_same_404(app, boss, in_db):
    path = invite(boss)

    def expire() -> None:
        found = db.session.scalar(select(StaffInvite))
        found.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    in_db(expire)
    expired = app.test_client().get(path, headers={"Accept-Language": "en"})
    unknown = app.test_client().get(
        "/invite/nothing-like-a-token", headers={"Accept-Language": "en"}
    )
    assert expired.status_code == unknown.status_code == 404
    assert "jeanne" not in expired.get_data(as_text=True)
    assert "more than 7 days old" in unknown.get_data(as_text=True)


def test_wrong_links_are_counted_like_wrong_codes(app):
    limiter = app.extensions["migrapass.limiter"]
    from dataclasses import replace

    limiter.rules = replace(limiter.rules, wrong_codes_per_browser="3/10 minutes")
    guesser = app.test_client()
    answers = [guesser.get(f"/invite/guess{n}").status_code for n in range(4)]
    assert answers == [404, 404, 404, 429]


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short", "short", "at least 8 characters"),
        ("long enough", "long enougH", "not the same"),
    ],
)
def test_a_bad_password_is_refused_and_the_link_still_works(app, boss, password, again, message):
    path = invite(boss)
    browser = app.test_client()
    refused = browser.post(
        path, data={"password": password, "again": again}, headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert set_password(browser, path).status_code == 302


def test_a_taken_username_is_refused_and_nothing_is_created(boss, make_staff, in_db):
    make_staff(username="jeanne")
    page = boss.post(
        "/coordinator/staff/new",
        data={"display_name": "Jeanne B.", "username": "jeanne", "role": "tutor"},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 400 and "already used" in page.get_data(as_text=True)
    assert in_db(lambda: db.session.scalars(select(StaffInvite)).all()) == []


def test_the_coordinator_changes_a_role_but_never_demotes_themself(
    boss, coordinator, make_staff, in_db, staff_client
):
    tutor = make_staff()
    assert (
        boss.post(f"/coordinator/staff/{tutor.id}/role", data={"role": "trainee"}).status_code
        == 302
    )
    assert user_named(in_db, tutor.username).role == "trainee"
    assert (
        boss.post(f"/coordinator/staff/{tutor.id}/role", data={"role": "participant"}).status_code
        == 400
    )
    refused = boss.post(
        f"/coordinator/staff/{coordinator.id}/role",
        data={"role": "tutor"},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 400
    assert "cannot take away your own coordinator role" in refused.get_data(as_text=True)
    assert user_named(in_db, "coord").role == "coordinator"
    # Made a coordinator, a tutor lands on the organisation's page from now on.
    boss.post(f"/coordinator/staff/{tutor.id}/role", data={"role": "coordinator"})
    promoted = staff_client(tutor)
    assert promoted.get("/coordinator").status_code == 200


def test_a_deactivated_tutor_is_refused_at_their_next_request_and_their_console_closes(
    app, boss, make_cohort, make_staff, staff_client, start_live, socket_for
):
    group = make_cohort()
    tutor = make_staff(group)
    browser = staff_client(tutor)
    console = socket_for(browser, "/tutor", start_live(group, tutor))
    assert console.is_connected("/tutor")

    assert boss.post(f"/coordinator/staff/{tutor.id}/deactivate").status_code == 302
    assert not console.is_connected("/tutor")
    after = browser.get("/tutor")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    login = {"username": tutor.username, "password": PASSWORD}
    assert app.test_client().post("/login", data=login).status_code == 401

    assert boss.post(f"/coordinator/staff/{tutor.id}/reactivate").status_code == 302
    assert app.test_client().post("/login", data=login).status_code == 302


def test_a_coordinator_cannot_deactivate_themself(boss, coordinator):
    refused = boss.post(
        f"/coordinator/staff/{coordinator.id}/deactivate", headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 400
    assert "cannot deactivate your own account" in refused.get_data(as_text=True)
    assert boss.get("/coordinator").status_code == 200  # still logged in


def test_reset_access_signs_out_everywhere_and_gives_a_new_link(
    app, boss, make_cohort, make_staff, staff_client, start_live, socket_for
):
    group = make_cohort()
    tutor = make_staff(group)
    browser = staff_client(tutor)
    console = socket_for(browser, "/tutor", start_live(group, tutor))
    page = boss.post(f"/coordinator/staff/{tutor.id}/reset-access")
    assert page.status_code == 200
    path = INVITE_URL.search(page.get_data(as_text=True)).group(1)
    assert not console.is_connected("/tutor")
    assert browser.get("/tutor").status_code == 302  # the old log-in is over
    old = {"username": tutor.username, "password": PASSWORD}
    assert app.test_client().post("/login", data=old).status_code == 401  # and its password
    assert set_password(app.test_client(), path).status_code == 302
    new = {"username": tutor.username, "password": NEW_PASSWORD}
    assert app.test_client().post("/login", data=new).status_code == 302


def test_a_new_link_retires_the_one_before(app, boss, make_staff):
    tutor = make_staff()
    first = INVITE_URL.search(
        boss.post(f"/coordinator/staff/{tutor.id}/reset-access").get_data(as_text=True)
    ).group(1)
    boss.post(f"/coordinator/staff/{tutor.id}/reset-access")
    assert app.test_client().get(first).status_code == 404


def test_a_deactivated_accounts_link_does_not_open(app, boss, in_db):
    path = invite(boss)
    jeanne = user_named(in_db, "jeanne")
    boss.post(f"/coordinator/staff/{jeanne.id}/deactivate")
    assert set_password(app.test_client(), path).status_code == 404


def test_the_staff_list_shows_names_roles_state_and_groups(boss, make_cohort, make_staff):
    group = make_cohort("Automne")
    make_staff(group, username="lucie")
    page = boss.get("/coordinator/staff").get_data(as_text=True)
    assert "lucie" in page and "Automne" in page and "coord" in page
    assert page.count('data-testid="staff-row"') == 2


@pytest.mark.parametrize("change", ["made a trainee", "taken off the group"])
def test_a_tutor_made_trainee_or_taken_off_a_group_loses_their_open_console_at_once(
    boss, make_cohort, make_staff, staff_client, start_live, socket_for, change
):
    """A console keeps the rooms it joined: what only the group's tutors hear (hidden
    cards, real names, notes) must stop reaching someone who is no longer one."""
    group = make_cohort()
    tutor = make_staff(group)
    console = socket_for(staff_client(tutor), "/tutor", start_live(group, tutor))
    assert console.is_connected("/tutor")
    if change == "made a trainee":
        done = boss.post(f"/coordinator/staff/{tutor.id}/role", data={"role": "trainee"})
    else:
        done = boss.post(
            f"/coordinator/cohorts/{group.id}",
            data={"name": group.name, "starts_on": "2026-09-07", "weeks": "9"},
        )
    assert done.status_code == 302
    assert not console.is_connected("/tutor")
