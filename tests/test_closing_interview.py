"""Workshop 7's closing interview: five minutes with each person, rereading what they
expected at the preparatory meeting and their action plan, then noting how it went."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app import interviews
from app.attendance import presence
from app.audit import AuditAction
from app.extensions import db
from app.models import AuditEntry, Interview
from app.permissions import Role
from app.script_access import script_of

W6 = "w6-action-plan"
EN = {"Accept-Language": "en"}
PLAN = {
    "goal": "Work as a cook in a restaurant",
    "actions": [{"what": "Ask the CAP school for a visit", "deadline": ""}],
    "resources": "",
}
OUTCOME = {
    "expectations_met": "partly",
    "takeaways": "I can say what I know how to do",
    "next_steps": "French class B1 in January",
    "referred_to": "The local job centre",
}


@pytest.fixture
def w6(room_for):
    return room_for(W6)


def prepared(w6, name: str = "Amina") -> tuple:
    """Someone of the group whose expectations the tutor noted at the preparatory meeting,
    and who wrote an action plan at workshop 6."""
    person, phone = w6.phone(name, locale="en")
    noted = w6.tutor_browser.post(
        f"/cohorts/{w6.cohort.id}/interviews/{person.id}",
        data={
            "profile-display_name": name,
            "consent_data": "y",
            "motivation-why": "To know what I can do here",
            "motivation-expectations": "A CV, and meeting people",
        },
    )
    assert noted.status_code == 302
    w6.go("action-plan")
    w6.post(phone, "action_plan", PLAN, f"{name}-plan-0001")
    return person, phone


def closings(in_db, cohort_id: int) -> list[tuple[int, dict, int | None]]:
    def read():
        rows = db.session.query(Interview).filter_by(
            cohort_id=cohort_id, meeting_slug=interviews.CLOSING_SLUG
        )
        return [(row.participant_id, row.answers, row.tutor_id) for row in rows]

    return in_db(read)


def test_the_tutor_rereads_the_expectations_and_the_plan_then_notes_how_it_went(w6, in_db):
    amina, _phone = prepared(w6)
    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"
    group = w6.tutor_browser.get(f"/cohorts/{w6.cohort.id}", headers=EN).get_data(as_text=True)
    assert f'href="{url}"' in group

    page = unescape(w6.tutor_browser.get(url, headers=EN).get_data(as_text=True))

    assert "To know what I can do here" in page and "A CV, and meeting people" in page
    assert PLAN["goal"] in page and "Ask the CAP school for a visit" in page
    assert "Were their expectations met?" in page
    assert " style=" not in page and not re.search(r"<script(?![^>]*\ssrc=)", page)  # CSP
    opened = in_db(lambda: [(e.action, e.participant_id) for e in db.session.query(AuditEntry)])
    assert (AuditAction.CLOSING_OPENED.value, amina.id) in opened

    saved = w6.tutor_browser.post(url, data=OUTCOME, headers=EN)

    assert saved.status_code == 302 and saved.headers["Location"] == f"/cohorts/{w6.cohort.id}"
    assert closings(in_db, w6.cohort.id) == [(amina.id, {"closing": OUTCOME}, w6.tutor.id)]
    again = unescape(w6.tutor_browser.get(url, headers=EN).get_data(as_text=True))
    assert OUTCOME["takeaways"] in again and OUTCOME["referred_to"] in again
    assert re.search(r'<input checked[^>]*name="expectations_met"[^>]*value="partly"', again)


def test_saving_it_again_changes_the_same_record_and_leaves_the_preparatory_one(w6, in_db):
    amina, _phone = prepared(w6)
    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"
    w6.tutor_browser.post(url, data=OUTCOME)
    w6.tutor_browser.post(url, data={**OUTCOME, "expectations_met": "yes"})

    [(_pid, answers, _tutor)] = closings(in_db, w6.cohort.id)
    assert answers["closing"]["expectations_met"] == "yes"
    preparatory = in_db(lambda: interviews.find_interview(db.session, w6.cohort.id, amina.id))
    assert preparatory.answers["motivation"]["why"] == "To know what I can do here"


def test_a_closing_interview_does_not_count_as_coming_to_the_preparatory_meeting(w6, in_db):
    """Yusuf joined with his phone: no preparatory interview was noted for him."""
    yusuf, _phone = w6.phone("Yusuf", locale="en")
    url = f"/cohorts/{w6.cohort.id}/participants/{yusuf.id}/closing"
    page = w6.tutor_browser.get(url, headers=EN).get_data(as_text=True)
    assert "No preparatory interview was noted for this person." in page

    assert w6.tutor_browser.post(url, data=OUTCOME).status_code == 302

    script = script_of(w6.app)
    there = in_db(lambda: presence(db.session, w6.cohort.id, script).present)
    assert yusuf.id not in there.get("w0-preparatory", set())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expectations_met": "maybe"}, "One of the answers is not valid."),
        ({"next_steps": "word " * 101}, "This answer is too long: 500 characters at most."),
    ],
)
def test_a_wrong_answer_is_refused_with_its_message_and_nothing_is_stored(
    w6, in_db, change, message
):
    amina, _phone = prepared(w6)
    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"

    refused = w6.tutor_browser.post(url, data={**OUTCOME, **change}, headers=EN)

    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and message in html
    assert OUTCOME["takeaways"] in html  # what was typed stays
    assert closings(in_db, w6.cohort.id) == []


def test_only_the_groups_tutors_and_the_coordinator_open_it(
    w6, make_staff, make_cohort, staff_client, in_db
):
    amina, _phone = prepared(w6)
    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"
    trainee = staff_client(make_staff(w6.cohort, role=Role.TRAINEE))
    stranger = staff_client(make_staff(make_cohort("Other")))
    coordinator = staff_client(make_staff(None, Role.COORDINATOR))

    assert trainee.get(url).status_code == 403
    assert stranger.get(url).status_code == 403
    assert stranger.post(url, data=OUTCOME).status_code == 403
    assert coordinator.get(url).status_code == 200
    assert closings(in_db, w6.cohort.id) == []


def test_a_plan_the_person_keeps_private_is_not_reread(w6, in_db):
    """The tutor reads what the person shared, as on the shared portfolio."""
    from app.models import Participant
    from app.portfolio import own, store
    from app.portfolio.own import OwnEventType

    amina, _phone = prepared(w6)

    def keep_private() -> None:
        person = db.session.get(Participant, amina.id)
        mine = store.load(db.session, person, script_of(w6.app))
        (entry,) = mine.entries("action_plan")
        store.record(
            db.session, person, OwnEventType.ENTRY_SHARED, own.sharing(mine, entry.key, False)
        )
        db.session.commit()

    in_db(keep_private)
    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"
    page = unescape(w6.tutor_browser.get(url, headers=EN).get_data(as_text=True))
    assert PLAN["goal"] not in page and "No action plan shared with you yet." in page


def test_for_someone_who_said_no_to_the_portfolio_the_room_s_plan_is_not_there(w6, in_db):
    amina, _phone = prepared(w6)
    said_no = w6.tutor_browser.post(
        f"/cohorts/{w6.cohort.id}/interviews/{amina.id}",
        data={"profile-display_name": "Amina", "consent_data": "y", "consent_portfolio": "no"},
    )
    assert said_no.status_code == 302

    url = f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing"
    page = unescape(w6.tutor_browser.get(url, headers=EN).get_data(as_text=True))

    assert PLAN["goal"] not in page
    assert "said no to the use of what they write in the workshops" in page


def test_amina_finds_her_closing_interview_in_her_data_apart_from_the_preparatory_one(
    w6, in_db, phone_client
):
    amina, _phone = prepared(w6)
    w6.tutor_browser.post(f"/cohorts/{w6.cohort.id}/participants/{amina.id}/closing", data=OUTCOME)
    data = phone_client(amina).get("/me/export.json").get_json()
    [preparatory] = data["preparatory_interviews"]
    assert preparatory["answers"]["motivation"]["why"] == "To know what I can do here"
    [closing] = data["closing_interviews"]
    assert closing["answers"]["next_steps"] == "French class B1 in January"
