"""Completion: who followed the cycle to the end, as the seeds count it (38 enrolled,
32 completed: 84 %), with the organisation's threshold, tutors' corrections, rehearsals
left out and the deleted people's stand-ins still counted."""

from __future__ import annotations

from datetime import date

import pytest

from app.attendance import attendance, presence
from app.audit import AuditAction
from app.extensions import db
from app.live import operations
from app.models import AuditEntry, LiveSession, User
from app.organisation import change_settings
from app.outcomes import completion
from app.outcomes.figures import year_figures
from app.outcomes.referrals import count_referrals
from app.permissions import Role

pytest_plugins = ["tests.outcomes_factory"]  # make_group, attend, interview, stand_in
EN = {"Accept-Language": "en"}


def completion_of(in_db, group, script, threshold=6, today=date(2026, 1, 1)):
    return in_db(
        lambda: completion.cohort_completion(db.session, group.cohort.id, script, threshold, today)
    )


@pytest.mark.parametrize(
    ("completed", "enrolled", "rate"),
    [(32, 38, 84), (0, 0, None), (1, 8, 13), (5, 5, 100), (0, 7, 0), (1, 3, 33), (2, 3, 67)],
)
def test_the_rate_is_a_whole_percent_rounded_half_up(completed, enrolled, rate):
    assert completion.rate(completed, enrolled) == rate


def test_the_seeds_38_enrolled_32_completed_make_84_percent(make_group, in_db, script):
    group = make_group(enrolled=38, attended=32, meetings=6)

    found = completion_of(in_db, group, script)

    assert (found.enrolled, found.completed, found.rate) == (38, 32, 84)
    assert found.in_progress is False


def test_the_threshold_is_the_organisations_setting(make_group, in_db, script, attend):
    group = make_group(enrolled=2, attended=1, meetings=5)
    assert completion_of(in_db, group, script, threshold=6).completed == 0
    assert completion_of(in_db, group, script, threshold=5).completed == 1
    assert completion_of(in_db, group, script, threshold=1).completed == 1


def test_the_report_page_follows_a_changed_setting(
    app, make_group, make_staff, staff_client, in_db
):
    coordinator = make_staff(role=Role.COORDINATOR)
    group = make_group(enrolled=10, attended=6, meetings=5)
    browser = staff_client(coordinator)
    url = f"/cohorts/{group.cohort.id}/report"

    def rate_shown() -> str:
        page = browser.get(url, headers=EN).get_data(as_text=True)
        return page.split('data-testid="rate">', 1)[1].split("<", 1)[0]

    assert rate_shown() == "0 %", "nobody reached 6 meetings"

    def lower() -> None:
        change_settings(db.session, completion_meetings=5, retention_months=12, by=None)
        db.session.commit()

    in_db(lower)
    assert rate_shown() == "60 %"


def test_the_preparatory_interview_counts_as_a_meeting(make_group, interview, in_db, script):
    group = make_group(enrolled=1, attended=1, meetings=5)
    assert completion_of(in_db, group, script).completed == 0
    interview(group.cohort, group.people[0], "friend")
    assert completion_of(in_db, group, script).completed == 1


def test_a_correction_flips_completion_and_is_audited(
    make_group, make_staff, staff_client, in_db, script
):
    group = make_group(enrolled=2, attended=2, meetings=6)
    tutor = make_staff(group.cohort)
    person = group.people[0]
    browser = staff_client(tutor)
    url = f"/cohorts/{group.cohort.id}/attendance/corrections"
    assert completion_of(in_db, group, script).completed == 2

    sent = browser.post(
        url,
        data={
            "participant_id": person.id,
            "meeting_slug": "w1-presentation",
            "present": "no",
            "reason": "Counted by mistake",
        },
        headers=EN,
    )
    assert sent.status_code == 303
    assert completion_of(in_db, group, script).completed == 1

    entries = in_db(
        lambda: [
            (e.action, e.actor_user_id, e.participant_id, e.cohort_id, e.detail)
            for e in db.session.query(AuditEntry).order_by(AuditEntry.id)
        ]
    )
    assert entries == [
        (
            AuditAction.ATTENDANCE_CORRECTED.value,
            tutor.id,
            person.id,
            group.cohort.id,
            {"meeting": "w1-presentation", "present": False},
        )
    ]

    browser.post(
        url, data={"participant_id": person.id, "meeting_slug": "w1-presentation", "present": "yes"}
    )
    assert completion_of(in_db, group, script).completed == 2, "the latest correction wins"

    page = browser.get(f"/cohorts/{group.cohort.id}", headers=EN).get_data(as_text=True)
    assert "data-corrected" in page and "corrected" in page


def test_a_meeting_still_to_come_is_not_corrected_and_never_held_by_a_correction(
    make_group, make_staff, staff_client, in_db, script
):
    """Marking one person at a meeting not held would mark the whole group absent."""
    group = make_group(enrolled=2, attended=2, meetings=5)
    browser = staff_client(make_staff(group.cohort))
    url = f"/cohorts/{group.cohort.id}/attendance/corrections"
    future = {"participant_id": group.people[0].id, "meeting_slug": "w6-action-plan"}
    assert browser.post(url, data={**future, "present": "yes"}, headers=EN).status_code == 400
    page = browser.get(f"/cohorts/{group.cohort.id}", headers=EN).get_data(as_text=True)
    assert 'value="w6-action-plan"' not in page  # not offered either
    held = in_db(lambda: presence(db.session, group.cohort.id, script).present)
    assert "w6-action-plan" not in held and len(held) == 5


def test_a_correction_wins_over_live_presence(
    make_group, make_staff, start_live, attend, in_db, script
):
    group = make_group(enrolled=1)
    tutor = make_staff(group.cohort)
    person = group.people[0]
    live = start_live(group.cohort, tutor, "w1-presentation")

    def mark() -> None:
        session = db.session.get(LiveSession, live.id)
        operations.mark_attendance(
            db.session, session, person.id, True, operations.staff(db.session.get(User, tutor.id))
        )
        db.session.commit()

    in_db(mark)
    table = in_db(lambda: attendance(db.session, group.cohort.id, script, "en"))
    assert table.totals[1] == 1 and table.rows[0].marks[1] is True

    attend(group.cohort, person, "w1-presentation", present=False)

    table = in_db(lambda: attendance(db.session, group.cohort.id, script, "en"))
    assert table.totals[1] == 0 and table.rows[0].marks[1] is False
    assert table.rows[0].corrected[1] is True


def test_rehearsals_never_count(make_group, make_staff, start_live, in_db, script):
    group = make_group(enrolled=1)
    tutor = make_staff(group.cohort)
    person = group.people[0]
    for slug in (
        "w1-presentation",
        "w2-migration",
        "w3-professional-experience",
        "w4-professional-competences",
        "w5-social-experience",
        "w6-action-plan",
    ):
        live = start_live(group.cohort, tutor, slug, rehearsal=True)

        def mark(live_id=live.id) -> None:
            session = db.session.get(LiveSession, live_id)
            operations.mark_attendance(
                db.session,
                session,
                person.id,
                True,
                operations.staff(db.session.get(User, tutor.id)),
            )
            operations.end_session(db.session, session, db.session.get(User, tutor.id))
            db.session.commit()

        in_db(mark)

    assert completion_of(in_db, group, script, threshold=1).completed == 0
    table = in_db(lambda: attendance(db.session, group.cohort.id, script, "en"))
    assert set(table.totals) == {None}


def test_stand_ins_count_but_are_never_listed(make_group, stand_in, attend, in_db, script):
    group = make_group(enrolled=4, attended=4, meetings=6)
    erased = stand_in(group.cohort)
    for slug in (
        "w1-presentation",
        "w2-migration",
        "w3-professional-experience",
        "w4-professional-competences",
        "w5-social-experience",
        "forum-visit",
    ):
        attend(group.cohort, erased, slug)

    found = completion_of(in_db, group, script)
    assert (found.enrolled, found.completed, found.rate) == (5, 5, 100)

    table = in_db(lambda: attendance(db.session, group.cohort.id, script, "en"))
    assert table.enrolled == 5 and table.totals[1] == 5
    assert [row.name for row in table.rows] == [f"Person{n:02d}" for n in range(4)]


def test_the_cohort_page_lists_no_stand_in_and_counts_them(
    make_group, make_staff, staff_client, stand_in, attend
):
    group = make_group(enrolled=2, attended=2, meetings=1)
    erased = stand_in(group.cohort)
    attend(group.cohort, erased, "w1-presentation")
    tutor = make_staff(group.cohort)

    page = staff_client(tutor).get(f"/cohorts/{group.cohort.id}", headers=EN).get_data(as_text=True)

    assert "⊘" not in page
    totals = page[page.index('data-testid="attendance-totals"') :]
    assert "3 of 3" in totals[: totals.index("</tr>")]
    assert 'data-testid="stand-ins-note"' in page


def test_a_cycle_not_ended_is_in_progress(make_group, in_db, script):
    group = make_group(enrolled=1, starts_on=date(2026, 9, 7), ends_on=None)
    assert completion_of(in_db, group, script, today=date(2026, 10, 1)).in_progress
    assert not completion_of(in_db, group, script, today=date(2027, 1, 1)).in_progress


def test_a_year_adds_up_its_real_groups(make_group, in_db, script):
    make_group("A", date(2017, 1, 9), enrolled=13, attended=11, prefix="A")
    make_group("B", date(2017, 5, 2), enrolled=12, attended=10, prefix="B")
    make_group("C", date(2017, 9, 4), enrolled=13, attended=11, prefix="C")
    make_group("Practice", date(2017, 9, 4), enrolled=6, attended=6, practice=True, prefix="P")
    make_group("Next year", date(2018, 1, 8), enrolled=7, attended=1, prefix="N")

    year = in_db(lambda: year_figures(db.session, 2017, script, 6, date(2018, 6, 1)))

    assert (year.cohorts, year.enrolled, year.completed, year.rate) == (3, 38, 32, 84)
    assert year.referrals["not_asked"] == 38


def test_year_figures_reads_the_apps_script_and_settings(app, make_group):
    make_group(enrolled=38, attended=32)
    with app.test_request_context():
        year = year_figures(db.session, 2017)
    assert (year.enrolled, year.completed, year.rate) == (38, 32, 84)


def test_referrals_are_counted_per_source(make_group, interview, stand_in, in_db):
    group = make_group(enrolled=4)
    a, b, c, _d = group.people
    interview(group.cohort, a, "former_participant")
    interview(group.cohort, b, "former_participant")
    interview(group.cohort, c, "social_worker")
    erased = stand_in(group.cohort)
    interview(group.cohort, erased, "friend")

    counts = in_db(lambda: count_referrals(db.session, [group.cohort.id]))

    assert next(iter(counts)) == "former_participant"
    assert counts == {
        "former_participant": 2,
        "friend": 1,
        "association": 0,
        "social_worker": 1,
        "poster_or_website": 0,
        "other": 0,
        "not_asked": 1,
    }


def test_corrections_refuse_bad_input_and_keep_what_was_typed(
    make_group, make_staff, staff_client, stand_in
):
    group = make_group(enrolled=1)
    other = make_group("Other", enrolled=1, prefix="Other")
    erased = stand_in(group.cohort)
    browser = staff_client(make_staff(group.cohort))
    url = f"/cohorts/{group.cohort.id}/attendance/corrections"
    person = group.people[0].id
    good = {
        "participant_id": person,
        "meeting_slug": "w2-migration",
        "present": "yes",
        "reason": "Typed reason kept",
    }

    for change in (
        {"participant_id": other.people[0].id},
        {"participant_id": erased.id},
        {"participant_id": "nobody"},
        {"meeting_slug": "w99"},
        {"present": "maybe"},
        {"reason": "x" * 501},
    ):
        answer = browser.post(url, data={**good, **change}, headers=EN)
        assert answer.status_code == 400, change
        page = answer.get_data(as_text=True)
        assert 'data-testid="correction-error"' in page
        if "reason" not in change:
            assert "Typed reason kept" in page


def test_only_the_groups_tutors_and_the_coordinator_correct(
    make_group, make_staff, staff_client, client
):
    group = make_group(enrolled=1, attended=1)
    url = f"/cohorts/{group.cohort.id}/attendance/corrections"
    data = {"participant_id": group.people[0].id, "meeting_slug": "w2-migration", "present": "yes"}

    assert staff_client(make_staff()).post(url, data=data).status_code == 403
    assert (
        staff_client(make_staff(group.cohort, role=Role.TRAINEE)).post(url, data=data).status_code
        == 403
    )
    assert staff_client(make_staff(role=Role.COORDINATOR)).post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 302  # to the login page
    assert (
        staff_client(make_staff(role=Role.COORDINATOR))
        .post("/cohorts/999/attendance/corrections", data=data)
        .status_code
        == 404
    )


def test_a_preparatory_meeting_nobody_had_is_not_made_up_by_a_correction(
    make_group, make_staff, staff_client, in_db, script
):
    group = make_group(enrolled=2, attended=2, meetings=5)
    browser = staff_client(make_staff(group.cohort))
    url = f"/cohorts/{group.cohort.id}/attendance/corrections"
    crafted = {"participant_id": group.people[0].id, "meeting_slug": "w0-preparatory"}
    assert browser.post(url, data={**crafted, "present": "yes"}, headers=EN).status_code == 400
    assert "w0-preparatory" not in in_db(
        lambda: presence(db.session, group.cohort.id, script).present
    )


def test_the_optional_recruiters_workshop_is_shown_but_never_counts_towards_completion(
    make_group, in_db, script, attend
):
    group = make_group(enrolled=1, attended=1, meetings=5)
    [amina] = group.people
    attend(group.cohort, amina, "w-recruiters")
    assert completion_of(in_db, group, script, threshold=6).completed == 0
    assert completion_of(in_db, group, script, threshold=5).completed == 1

    table = in_db(lambda: attendance(db.session, group.cohort.id, script, "en"))
    [row] = table.rows
    recruiters = [c.slug for c in table.meetings].index("w-recruiters")
    assert row.marks[recruiters] is True  # she came, and the table says so
    assert row.attended == 5  # of the cycle's meetings
