"""Attendance per meeting: who came to each meeting of the cycle the group has held."""

from __future__ import annotations

import pytest

from app.attendance import AttendanceTable, attendance, short_title
from app.extensions import db
from app.live import operations
from app.models import Cohort, LiveSession, Participant, User
from app.script_access import script_of

EN = {"Accept-Language": "en"}


@pytest.fixture
def group(make_cohort, make_staff, make_participant):
    """A cohort with its tutor and two admitted participants, Amina and Yusuf."""

    class Group:
        cohort = make_cohort()
        tutor = make_staff(cohort)
        amina = make_participant(cohort, name="Amina")
        yusuf = make_participant(cohort, name="Yusuf")

    return Group()


@pytest.fixture
def table(app, in_db):
    def read(cohort: Cohort, locale: str = "en") -> AttendanceTable:
        script = script_of(app)
        return in_db(lambda: attendance(db.session, cohort.id, script, locale))

    return read


@pytest.fixture
def mark_present(in_db):
    def mark(live: LiveSession, participant: Participant, tutor: User) -> None:
        def run() -> None:
            session = db.session.get(LiveSession, live.id)
            operations.mark_attendance(
                db.session, session, participant.id, True, operations.staff(tutor)
            )
            db.session.commit()

        in_db(run)

    return mark


def marks_of(read: AttendanceTable, participant: Participant) -> dict[str, bool | None]:
    [row] = [r for r in read.rows if r.participant_id == participant.id]
    return {column.slug: mark for column, mark in zip(read.meetings, row.marks, strict=True)}


def test_the_table_follows_the_cycle_and_nothing_is_held_at_first(app, group, table):
    read = table(group.cohort)

    script = script_of(app)
    assert [m.slug for m in read.meetings] == script.slugs()
    assert read.meetings[0].number == 0 and read.meetings[0].short_title == "Preparatory meeting"
    assert [r.name for r in read.rows] == ["Amina", "Yusuf"]
    assert all(mark is None for row in read.rows for mark in row.marks)
    assert all((row.attended, row.held) == (0, 0) for row in read.rows)


def test_a_workshop_held_shows_who_was_present_and_who_was_absent(
    group, start_live, mark_present, table
):
    live = start_live(group.cohort, group.tutor, "w1-presentation")
    mark_present(live, group.amina, group.tutor)

    read = table(group.cohort)

    amina, yusuf = marks_of(read, group.amina), marks_of(read, group.yusuf)
    assert amina["w1-presentation"] is True and yusuf["w1-presentation"] is False
    assert amina["w2-migration"] is None, "a meeting not held yet stays blank"
    assert [(r.name, r.attended, r.held) for r in read.rows] == [("Amina", 1, 1), ("Yusuf", 0, 1)]


def test_a_rehearsal_never_counts(app, group, in_db, table):
    def rehearse() -> None:
        cohort = db.session.get(Cohort, group.cohort.id)
        tutor = db.session.get(User, group.tutor.id)
        script = script_of(app)
        live = operations.start_session(
            db.session, cohort, script, "w2-migration", tutor, rehearsal=True
        )
        operations.mark_attendance(db.session, live, group.amina.id, True, operations.staff(tutor))
        db.session.commit()

    in_db(rehearse)

    read = table(group.cohort)
    assert not any(column.held for column in read.meetings)
    assert marks_of(read, group.amina)["w2-migration"] is None


def test_the_preparatory_interview_counts_as_meeting_zero(group, staff_client, table):
    browser = staff_client(group.tutor)
    saved = browser.post(
        f"/cohorts/{group.cohort.id}/interviews/{group.amina.id}",
        data={"profile-display_name": "Amina", "consent_data": "y"},
    )
    assert saved.status_code == 302

    read = table(group.cohort)

    assert marks_of(read, group.amina)["w0-preparatory"] is True
    assert marks_of(read, group.yusuf)["w0-preparatory"] is False


def test_a_second_name_merged_later_counts_for_the_person_it_belongs_to(
    app, group, make_participant, start_live, mark_present, in_db, table
):
    second = make_participant(group.cohort, name="Amina B")
    live = start_live(group.cohort, group.tutor, "w1-presentation")
    mark_present(live, second, group.tutor)

    def end_then_merge() -> None:
        session = db.session.get(LiveSession, live.id)
        tutor = db.session.get(User, group.tutor.id)
        operations.end_session(db.session, session, tutor)
        cohort = db.session.get(Cohort, group.cohort.id)
        operations.merge_participants(db.session, cohort, second.id, group.amina.id, tutor)
        db.session.commit()

    in_db(end_then_merge)
    read = table(group.cohort)

    assert [r.name for r in read.rows] == ["Amina", "Yusuf"], "the merged name has no row"
    assert marks_of(read, group.amina)["w1-presentation"] is True


def test_pending_newcomers_are_not_listed(make_cohort, make_participant, table):
    cohort = make_cohort()
    make_participant(cohort, name="Lina", admitted=False)
    assert table(cohort).rows == ()


def test_the_cohort_page_shows_the_attendance_table(group, start_live, mark_present, staff_client):
    live = start_live(group.cohort, group.tutor, "w1-presentation")
    mark_present(live, group.yusuf, group.tutor)

    html = staff_client(group.tutor).get(f"/cohorts/{group.cohort.id}", headers=EN)

    page = html.get_data(as_text=True)
    assert 'data-testid="attendance-table"' in page
    assert "1 · Presentation and group dynamics" in page
    table_html = page[page.index('data-testid="attendance-table"') :]
    yusuf_row = table_html[table_html.index(f'data-participant-id="{group.yusuf.id}"') :]
    yusuf_row = yusuf_row[: yusuf_row.index("</tr>")]
    assert 'data-meeting="w1-presentation" data-mark="present">Present<' in yusuf_row
    assert 'data-meeting="w2-migration" data-mark="not-held"' in yusuf_row
    assert "attended 1 of 1 held" in yusuf_row


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Preparatory meeting (individual interview)", "Preparatory meeting"),
        ("Migration experience / What is a competence?", "Migration experience"),
        ("Social experience", "Social experience"),
    ],
)
def test_headers_use_a_short_title(title, short):
    assert short_title(title) == short
