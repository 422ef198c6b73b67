"""The reports: a year's figures and a group's, as charts with their tables, for those
who may read them, with every small count hidden."""

from __future__ import annotations

from datetime import date

import pytest

from app.outcomes.self_assessment import QuestionFigures, SelfAssessmentFigures
from app.permissions import Role

pytest_plugins = ["tests.outcomes_factory"]  # make_group, attend, interview, stand_in
EN = {"Accept-Language": "en"}


def figures(before: int, after: int) -> SelfAssessmentFigures:
    return SelfAssessmentFigures(
        before,
        after,
        tuple(
            QuestionFigures(
                key, label, 1.8, 3.2 if after >= 5 else None, (1, 2, 2, 1), (0, 0, 0, 0)
            )
            for key, label in (
                ("confidence", "Self-confidence"),
                ("network", "People I can ask for help"),
            )
        ),
    )


def page_of(browser, url: str) -> str:
    answer = browser.get(url, headers=EN)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def figure(page: str, chart_id: str) -> str:
    start = page.index(f'data-testid="figure-{chart_id}"')
    return page[start : page.index("</figure>", start)]


def test_the_coordinator_reads_every_group_of_the_year(make_group, make_staff, staff_client):
    make_group("Spring", date(2017, 3, 6), enrolled=13, attended=11, prefix="Spring")
    make_group("Autumn", date(2017, 9, 4), enrolled=25, attended=21, prefix="Autumn")
    make_group("Rehearsal group", date(2017, 9, 4), enrolled=6, practice=True, prefix="Rehearse")

    page = page_of(staff_client(make_staff(role=Role.COORDINATOR)), "/reports?year=2017")

    assert "Spring" in page and "Autumn" in page and "Rehearsal group" not in page
    totals = page[page.index('data-testid="year-totals"') :]
    assert 'data-testid="enrolled">38<' in totals and 'data-testid="rate">84 %<' in totals
    completion = figure(page, "completion-groups")
    assert 'role="img"' in completion and "<title" in completion
    assert "85 % (11/13)" in completion and "84 % (21/25)" in completion
    assert 'data-testid="funders-csv"' in page


def test_a_tutor_reads_only_their_groups_and_no_export(make_group, make_staff, staff_client):
    tutor = make_staff()
    make_group("Mine", date(2017, 3, 6), enrolled=6, tutors=[tutor], prefix="Mine")
    make_group("Theirs", date(2017, 9, 4), enrolled=9, prefix="Theirs")

    page = page_of(staff_client(tutor), "/reports?year=2017")

    assert "Mine" in page and "Theirs" not in page
    assert 'data-testid="enrolled">6<' in page
    assert "funders-csv" not in page


def test_trainees_and_strangers_are_refused(make_staff, staff_client, client):
    assert staff_client(make_staff(role=Role.TRAINEE)).get("/reports").status_code == 403
    assert client.get("/reports").status_code == 302


@pytest.mark.parametrize("year", ["17", "abc", "1999", "٢٠١٧", "3000"])
def test_a_bad_year_is_refused_clearly(make_staff, staff_client, year):
    answer = staff_client(make_staff(role=Role.COORDINATOR)).get(
        f"/reports?year={year}", headers=EN
    )
    assert answer.status_code == 400
    assert "four digits" in answer.get_data(as_text=True)


def test_small_counts_are_hidden_in_every_chart_and_table(
    make_group, make_staff, staff_client, interview
):
    tutor = make_staff()
    group = make_group(enrolled=7, attended=3, meetings=6, tutors=[tutor])
    for person in group.people[:2]:
        interview(group.cohort, person, "former_participant")

    page = page_of(staff_client(tutor), f"/cohorts/{group.cohort.id}/report")

    attendance = figure(page, "attendance")
    assert "&lt;5" in attendance and ">3<" not in attendance
    referrals = figure(page, "referrals")
    assert "&lt;5" in referrals and ">2<" not in referrals
    assert ">5<" in referrals, "the five not asked are shown"
    assert 'data-testid="completed">&lt;5<' in page
    assert 'data-testid="rate">–<' in page, "a percentage would give the hidden count back"
    assert 'data-testid="no-self-assessment"' in page


def test_the_group_report_is_for_its_tutors_and_the_coordinator(
    make_group, make_staff, staff_client
):
    tutor = make_staff()
    group = make_group(enrolled=5, tutors=[tutor])
    practice = make_group("Practice", enrolled=1, practice=True, prefix="Sim")
    url = f"/cohorts/{group.cohort.id}/report"

    assert staff_client(tutor).get(url).status_code == 200
    coordinator = staff_client(make_staff(role=Role.COORDINATOR))
    assert coordinator.get(url).status_code == 200
    assert staff_client(make_staff()).get(url).status_code == 403
    assert staff_client(make_staff(group.cohort, role=Role.TRAINEE)).get(url).status_code == 403
    assert coordinator.get(f"/cohorts/{practice.cohort.id}/report").status_code == 404
    assert coordinator.get("/cohorts/999/report").status_code == 404


def test_before_and_after_are_drawn_from_the_group_figures(
    make_group, make_staff, staff_client, monkeypatch
):
    tutor = make_staff()
    group = make_group(enrolled=6, tutors=[tutor])
    monkeypatch.setattr(
        "app.report_pages.routes.self_assessment_figures", lambda *_a: figures(6, 4)
    )

    page = page_of(staff_client(tutor), f"/cohorts/{group.cohort.id}/report")

    chart = figure(page, "self-assessment")
    assert "Self-confidence" in chart and "1.8" in chart
    assert "6 people answered before, &lt;5 after" in chart, "4 answered after: hidden"
    assert ">3.2<" not in chart and "–" in chart


def test_the_cohort_page_links_to_its_report_and_a_coordinator_to_data_rights(
    make_group, make_staff, staff_client
):
    tutor = make_staff()
    group = make_group(enrolled=2, tutors=[tutor])
    url = f"/cohorts/{group.cohort.id}"

    as_tutor = page_of(staff_client(tutor), url)
    assert f'href="/cohorts/{group.cohort.id}/report"' in as_tutor
    assert 'data-testid="data-rights-link"' not in as_tutor
    assert 'data-testid="correction-form"' in as_tutor

    as_coordinator = page_of(staff_client(make_staff(role=Role.COORDINATOR)), url)
    assert f'href="/participants/{group.people[0].id}/data"' in as_coordinator
