"""Tutor log-in, the health check, security headers, the projector's QR code."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import segno  # noqa: F401 - the QR code is made with segno

from tests.fixtures.application import PASSWORD


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_wrong_log_in_gets_one_message_that_does_not_say_which_field(client, make_staff, field):
    tutor = make_staff()
    data = {"username": tutor.username, "password": PASSWORD, field: "wrong"}
    response = client.post("/login", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_a_guesser_cannot_lock_a_tutor_out_of_their_own_browser(app, make_staff, staff_client):
    limiter = app.extensions["migrapass.limiter"]
    limiter.rules = replace(limiter.rules, wrong_logins_per_account="3/15 minutes")
    tutor = make_staff()
    own_browser = staff_client(tutor)  # logged in here before: this browser is known
    own_browser.post("/logout")
    right = {"username": tutor.username, "password": PASSWORD}
    for _ in range(5):  # right passwords, from new browsers (a class of trainees): not counted
        assert app.test_client().post("/login", data=right).status_code == 302
    guesser = app.test_client()
    wrong = {"username": tutor.username, "password": "guess"}
    assert [guesser.post("/login", data=wrong).status_code for _ in range(3)] == [401] * 3
    assert guesser.post("/login", data=right).status_code == 429  # the guesser is stopped
    assert app.test_client().post("/login", data=right).status_code == 429  # so is a stranger
    assert own_browser.post("/login", data=right).status_code == 302  # the tutor is not


def test_a_tutor_logs_in_and_sees_their_cohorts_only(make_cohort, make_staff, staff_client):
    mine, theirs = make_cohort("Mine"), make_cohort("Theirs")
    tutor = make_staff(mine)
    make_staff(theirs)
    browser = staff_client(tutor)
    page = browser.get("/tutor").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert browser.get(f"/cohorts/{theirs.id}").status_code == 403


def test_the_log_in_form_needs_its_csrf_token(app, make_staff):
    app.config["WTF_CSRF_ENABLED"] = True
    tutor = make_staff()
    response = app.test_client().post(
        "/login", data={"username": tutor.username, "password": PASSWORD}
    )
    assert response.status_code == 400


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_every_page_carries_a_strict_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_projector_shows_the_code_and_a_qr_code_for_the_public_url(
    make_cohort, make_staff, start_live, staff_client
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    page = staff_client(tutor).get(f"/sessions/{live.id}/projector").get_data(as_text=True)
    assert live.join_code in page
    # The address, its room's code kept on one line (never broken inside the code)
    code = f'<span class="projector-url-code">{live.join_code}</span>'
    address = f"http://phones.example:5000/j/{code}"
    assert address in page
    assert "<svg" in page and " style=" not in page
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", live.join_code)


def test_a_tutor_of_another_cohort_cannot_open_this_console(
    make_cohort, make_staff, start_live, staff_client
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    stranger = make_staff(make_cohort("Other"))
    assert staff_client(stranger).get(f"/sessions/{live.id}/console").status_code == 403
    assert staff_client(stranger).get(f"/sessions/{live.id}/projector").status_code == 403


def test_starting_a_session_from_the_dashboard_opens_the_console(
    make_cohort, make_staff, staff_client
):
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))
    response = browser.post(
        f"/cohorts/{cohort.id}/sessions", data={f"c{cohort.id}-meeting": "w1-presentation"}
    )
    assert response.status_code == 302 and "/console" in response.headers["Location"]
    assert browser.get(response.headers["Location"]).status_code == 200
