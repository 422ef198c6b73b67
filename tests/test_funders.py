"""The funders' export, as CSV and PDF: a year's figures with no name and no id, every
count from 1 to 4 shown as "<5", for the coordinator only, and recorded in the audit."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest

from app.audit import AuditAction
from app.extensions import db
from app.models import AuditEntry
from app.outcomes.self_assessment import QuestionFigures, SelfAssessmentFigures
from app.permissions import Role

MARKERS = ("Zephyrine", "Quillonaut")  # names nobody else has: found anywhere, a leak

pytest_plugins = ["tests.outcomes_factory"]  # make_group, attend, interview, stand_in
EN = {"Accept-Language": "en"}


@pytest.fixture
def year_2017(make_group, interview):
    """Three groups of 2017 whose names and people's names are markers."""
    spring = make_group(
        f"Group of {MARKERS[0]}", date(2017, 3, 6), enrolled=13, attended=11, prefix=MARKERS[0]
    )
    make_group(
        f"{MARKERS[1]}'s group", date(2017, 5, 2), enrolled=12, attended=10, prefix=MARKERS[1]
    )
    small = make_group("Tiny", date(2017, 9, 4), enrolled=3, attended=2, prefix="Tiny")
    for person in spring.people[:3]:
        interview(spring.cohort, person, "former_participant")
    for person in spring.people[3:9]:
        interview(spring.cohort, person, "friend")
    return spring, small


@pytest.fixture
def coordinator(make_staff, staff_client):
    return staff_client(make_staff(role=Role.COORDINATOR))


def no_one_in(text: str, groups) -> None:
    for marker in MARKERS:
        assert marker.lower() not in text.lower()
    for group in groups:
        for person in group.people:
            assert person.display_name not in text


def audited(in_db) -> list[tuple[str, dict]]:
    return in_db(
        lambda: [
            (e.action, e.detail, e.participant_id, e.cohort_id)
            for e in db.session.query(AuditEntry).order_by(AuditEntry.id)
        ]
    )


def test_the_csv_holds_no_name_no_id_and_hides_small_counts(coordinator, year_2017, in_db):
    answer = coordinator.get("/reports/funders.csv?year=2017", headers=EN)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert "funders-2017" in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    no_one_in(text, year_2017)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Section", "Group", "Period", "Measure", "Value"]
    table = {(r[0], r[1], r[3]): r[4] for r in rows[1:]}
    assert table["Year", "All groups", "Enrolled"] == "28"
    assert table["Group", "Group 1", "Enrolled"] == "13"
    assert table["Group", "Group 1", "Completion rate"] == "85 %"
    assert table["Group", "Group 3", "Enrolled"] == "<5"
    assert table["Group", "Group 3", "Completed the cycle"] == "<5"
    assert table["Group", "Group 3", "Completion rate"] == "–"
    assert table["How people heard of Migrapass", "All groups", "A former participant"] == "<5"
    # The smallest other source is hidden with it: else the total less the rest gives it.
    assert table["How people heard of Migrapass", "All groups", "A friend"] == "*"
    assert table["How people heard of Migrapass", "All groups", "An association"] == "0"
    periods = {r[2] for r in rows[1:] if r[1] == "Group 1"}
    assert periods == {"2017-03-06 – 2017-05-05"}
    ids = {str(p.id) for group in year_2017 for p in group.people}
    ids |= {str(group.cohort.id) for group in year_2017}
    assert not any(cell in ids for row in rows[1:] for cell in row[:4])
    assert audited(in_db) == [
        (AuditAction.FUNDERS_EXPORTED.value, {"year": 2017, "format": "csv"}, None, None)
    ]


def test_every_count_from_1_to_4_is_hidden_in_the_csv(coordinator, year_2017):
    text = coordinator.get("/reports/funders.csv?year=2017", headers=EN).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
    not_people = {"Groups", "Meetings needed to complete"}  # counts of groups and meetings
    values = [row[4] for row in rows if row[3] not in not_people]
    assert not {"1", "2", "3", "4"} & set(values)
    assert "<5" in values


def test_self_assessment_counts_are_hidden_too(coordinator, year_2017, monkeypatch):
    figures = SelfAssessmentFigures(
        7,
        4,
        (QuestionFigures("confidence", "Self-confidence", 2.14, None, (1, 2, 0, 4), (0, 0, 0, 0)),),
    )
    monkeypatch.setattr("app.outcomes.funders.self_assessment_figures", lambda *_a: figures)

    text = coordinator.get("/reports/funders.csv?year=2017", headers=EN).get_data(as_text=True)

    rows = {r[3]: r[4] for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["Answered before"] == "7" and rows["Answered after"] == "<5"
    assert rows["Self-confidence · mean before (1 to 4)"] == "2.1"
    assert rows["Self-confidence · mean after (1 to 4)"] == "–"
    # No count per answer: with the means, two hidden ones would still add up to one.
    assert not [measure for measure in rows if "answer" in measure and "·" in measure]


def test_the_pdf_holds_no_name_and_hides_small_counts(coordinator, year_2017, in_db, tmp_path):
    answer = coordinator.get("/reports/funders.pdf?year=2017", headers=EN)

    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.headers["Content-Type"] == "application/pdf"
    pdf = tmp_path / "funders.pdf"
    pdf.write_bytes(answer.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    no_one_in(text, year_2017)
    assert "Group 1" in text and "Group 3" in text
    assert "<5" in text and "85 %" in text
    assert "Completion across groups" in text
    assert audited(in_db)[-1][:2] == (
        AuditAction.FUNDERS_EXPORTED.value,
        {"year": 2017, "format": "pdf"},
    )


def test_only_the_coordinator_exports(make_staff, staff_client, client, year_2017, in_db):
    tutor = make_staff(year_2017[0].cohort)
    for url in ("/reports/funders.csv?year=2017", "/reports/funders.pdf?year=2017"):
        assert staff_client(tutor).get(url).status_code == 403
        assert staff_client(make_staff(role=Role.TRAINEE)).get(url).status_code == 403
        assert client.get(url).status_code == 302
    assert audited(in_db) == []


def test_a_year_without_groups_still_exports(coordinator):
    text = coordinator.get("/reports/funders.csv?year=2030", headers=EN).get_data(as_text=True)
    assert "Groups,0" in text.replace('"', "")
    assert coordinator.get("/reports/funders.csv?year=20x", headers=EN).status_code == 400


def test_a_hidden_count_never_comes_back_by_subtracting_the_shown_ones_from_the_total():
    from app.outcomes.disclosure import HIDDEN, SECONDARY, parts_text

    # 13 + 11 + 3 = 27: with "3" alone hidden, 27 - 13 - 11 would give it back. The 11
    # hidden with it is not small, and says so.
    assert parts_text([13, 11, 3], 27) == (["13", SECONDARY, HIDDEN], "27")
    # Nothing else to hide with it: the total goes.
    assert parts_text([0, 3], 3) == (["0", HIDDEN], HIDDEN)
    assert parts_text([0, 4], 9) == (["0", HIDDEN], SECONDARY)
    assert parts_text([0, 0, 7], 7) == (["0", "0", "7"], "7")
    assert parts_text([2, 3], 5)[0] == [HIDDEN, HIDDEN]
