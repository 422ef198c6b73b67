"""The cycle is the group's: its length is a setting (8 or 9 weeks), and an optional
meeting (the recruiters' workshop) is outside its count, never missing, still offered."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from app.extensions import db
from app.live import operations
from app.models import Cohort, LiveSession
from app.progress import cycle_progress
from app.script_access import install_script, script_of
from app.workshops import Script

EN = {"Accept-Language": "en"}
RECRUITERS = "w-recruiters"


@pytest.mark.parametrize("weeks", [8, 9])
def test_the_interview_asks_about_the_groups_own_number_of_weeks(
    make_cohort, make_staff, staff_client, in_db, weeks
):
    cohort = make_cohort()

    def set_weeks() -> None:
        db.session.get(Cohort, cohort.id).weeks = weeks
        db.session.commit()

    in_db(set_weeks)
    html = (
        staff_client(make_staff(cohort))
        .get(f"/cohorts/{cohort.id}/interviews/new", headers=EN)
        .get_data(as_text=True)
    )
    assert f"Free every week for the {weeks} weeks of the cycle" in html
    assert "for the 8 weeks" not in html.replace(f"for the {weeks} weeks", "")


@pytest.fixture
def with_recruiters(app) -> Script:
    """The script with an optional meeting between workshops 6 and 7 (as the recruiters'
    workshop is), whatever the shipped files hold today."""
    script = script_of(app)
    like = script.meetings["w6-action-plan"]
    optional = {
        locale: replace(
            meeting, slug=RECRUITERS, number="R", order=6.5, optional=True, title="Recruiters"
        )
        for locale, meeting in like.items()
    }
    extended = Script({**script.meetings, RECRUITERS: optional})
    install_script(app, extended)
    return extended


def held(app, cohort, tutor, start_live, *slugs: str) -> None:
    for slug in slugs:
        live = start_live(cohort, tutor, slug)
        with app.app_context():
            operations.end_session(
                db.session, db.session.get(LiveSession, live.id), db.session.merge(tutor)
            )
            db.session.commit()


def room_meetings(script: Script) -> list:
    meetings = (script.meeting(slug, "en") for slug in script.slugs())
    return [meeting for meeting in meetings if not meeting.is_interview]


def test_an_optional_meeting_not_held_is_never_the_one_offered_next(
    app, with_recruiters, make_cohort, make_staff, start_live, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    cycle = [m.slug for m in room_meetings(with_recruiters) if not m.optional]
    held(app, cohort, tutor, start_live, *cycle[:-1])

    def progress():
        return cycle_progress(db.session, cohort.id, room_meetings(with_recruiters))

    offered = [p.meeting.slug for p in in_db(progress) if p.is_next]
    assert offered == [cycle[-1]]  # workshop 7, though the recruiters' comes before it
    held(app, cohort, tutor, start_live, cycle[-1])
    after = in_db(progress)
    assert [p.meeting.slug for p in after if p.is_next] == [cycle[-1]]
    assert [p.meeting.slug for p in after if not p.done] == [RECRUITERS]


def test_the_dashboard_marks_it_optional_and_it_can_be_started(
    with_recruiters, make_cohort, make_staff, staff_client
):
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))
    page = browser.get("/tutor", headers=EN).get_data(as_text=True)
    option = re.search(rf'data-testid="meeting-{RECRUITERS}"(.*?)</li>', page, re.S)
    assert option and 'data-testid="meeting-optional"' in option.group(1)
    assert "Optional: outside the cycle" in option.group(1)

    started = browser.post(
        f"/cohorts/{cohort.id}/sessions", data={f"c{cohort.id}-meeting": RECRUITERS}
    )

    assert started.status_code == 302 and "/console" in started.headers["Location"]
