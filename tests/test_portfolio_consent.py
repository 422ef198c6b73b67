"""A person may say no to the use of what they write in the workshops for their
portfolio: they still post, the room is the same, and their portfolio takes nothing from
it, until the tutor records a yes. No answer is a yes."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.live.store import load_state
from app.models import Consent, LiveSession, Participant
from app.participants import consent
from app.participants.consent import CONSENT_TEXT_VERSION, ConsentAnswers, Purpose
from app.portfolio import own, store
from app.portfolio.own import OwnEventType
from app.script_access import script_of

SKILL = {"name": "Cooking for 200 people", "category": "professional", "evidence": "Tunis"}
EN = {"Accept-Language": "en"}


def interview(name: str, portfolio: str | None) -> dict[str, str]:
    """The preparatory interview's form as a tutor sends it, with the portfolio's answer."""
    data = {"profile-display_name": name, "consent_data": "y", "motivation-available": "yes"}
    if portfolio is not None:
        data["consent_portfolio"] = portfolio
    return data


def portfolio_of(app, in_db, person: Participant):
    """The portfolio as every page reads it (through the store and its cache)."""
    return in_db(
        lambda: store.load(db.session, db.session.get(Participant, person.id), script_of(app))
    )


def log_of(in_db, live: LiveSession) -> tuple[int, int]:
    def read() -> tuple[int, int]:
        state = load_state(db.session, live.id)
        return db.session.get(LiveSession, live.id).last_seq, len(state.cards)

    return in_db(read)


def test_a_person_who_said_no_still_posts_and_her_portfolio_takes_nothing_until_she_says_yes(
    app, w4, in_db
):
    amina, phone = w4.phone("Amina", locale="en")
    url = f"/cohorts/{w4.cohort.id}/interviews/{amina.id}"
    said_no = w4.tutor_browser.post(url, data=interview("Amina", "no"))
    assert said_no.status_code == 302
    assert in_db(lambda: consent.portfolio_withheld(db.session.get(Participant, amina.id)))

    w4.go("competences")
    card = w4.post(phone, "competences", SKILL, "amina-skill-001")["seq"]

    def add_her_own() -> None:
        person = db.session.get(Participant, amina.id)
        mine = store.load(db.session, person, script_of(app))
        payload = own.new_entry(mine, "languages", {"language": "Arabic", "mother_tongue": "yes"})
        store.record(db.session, person, OwnEventType.ENTRY_ADDED, payload)
        db.session.commit()

    in_db(add_her_own)
    room = in_db(lambda: load_state(db.session, w4.live.id))
    assert room.cards[card].fields["name"] == SKILL["name"]  # the room saw her card
    withheld = portfolio_of(app, in_db, amina)
    assert withheld.entries("competences") == []
    assert [e.fields["language"] for e in withheld.entries("languages")] == ["Arabic"]
    log_before = log_of(in_db, w4.live)

    said_yes = w4.tutor_browser.post(url, data=interview("Amina", "yes"))

    assert said_yes.status_code == 302
    allowed = portfolio_of(app, in_db, amina)
    assert [e.key for e in allowed.entries("competences")] == [f"s{w4.live.id}:c{card}"]
    assert [e.fields["language"] for e in allowed.entries("languages")] == ["Arabic"]
    assert log_of(in_db, w4.live) == log_before  # the log was never changed


def test_no_answer_means_yes(app, w4, in_db):
    amina, phone = w4.phone("Amina")
    w4.go("competences")
    w4.post(phone, "competences", SKILL, "amina-skill-002")
    assert in_db(lambda: consent.current(db.session.get(Participant, amina.id))) == {
        "data_processing": True,
        "named_in_replays": False,
        "rehearsal_reuse": False,
    }
    assert [e.text for e in portfolio_of(app, in_db, amina).entries("competences")] == [
        SKILL["name"]
    ]


def test_only_an_explicit_no_withholds_and_it_outlives_a_new_consent_text(make_participant, in_db):
    amina = make_participant(name="Amina")

    def answers(*given: tuple[bool, str]) -> bool:
        person = db.session.get(Participant, amina.id)
        for granted, version in given:
            db.session.add(
                Consent(
                    participant=person,
                    purpose=Purpose.PORTFOLIO.value,
                    text_version=version,
                    granted=granted,
                )
            )
        db.session.flush()
        db.session.refresh(person)
        withheld = consent.portfolio_withheld(person)
        db.session.rollback()
        return withheld

    assert in_db(lambda: answers()) is False
    # A no given under an older wording still holds: a new text must not pour her cards
    # back into a portfolio she opted out of.
    assert in_db(lambda: answers((False, "2020-01"))) is True
    assert in_db(lambda: answers((False, "2020-01"), (True, CONSENT_TEXT_VERSION))) is False
    assert in_db(lambda: answers((False, CONSENT_TEXT_VERSION))) is True
    assert in_db(lambda: answers((False, CONSENT_TEXT_VERSION), (True, CONSENT_TEXT_VERSION))) is (
        False
    )


def test_joining_on_the_phone_records_nothing_about_the_portfolio(make_participant, in_db):
    amina = make_participant(name="Amina")
    purposes = in_db(
        lambda: {c.purpose for c in db.session.query(Consent).filter_by(participant_id=amina.id)}
    )
    assert Purpose.PORTFOLIO.value not in purposes
    assert ConsentAnswers(data_processing=True).by_purpose() == {
        Purpose.DATA_PROCESSING: True,
        Purpose.NAMED_IN_REPLAYS: False,
        Purpose.REHEARSAL_REUSE: False,
    }


def test_a_no_recorded_for_someone_never_asked_is_the_only_answer_stored(
    make_cohort, make_staff, staff_client, in_db
):
    """The boxes left unticked for someone new mean "not decided yet" (asked on the phone);
    the portfolio's no is an answer, and it is kept."""
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))
    data = {**interview("Yusuf", "no")}
    del data["consent_data"]

    assert browser.post(f"/cohorts/{cohort.id}/interviews/new", data=data).status_code == 302

    stored = in_db(lambda: [(c.purpose, c.granted) for c in db.session.query(Consent)])
    assert stored == [("portfolio", False)]


@pytest.mark.parametrize(("answer", "shown"), [("no", "No"), ("yes", "Yes"), (None, "allowed")])
def test_the_group_page_and_the_interview_show_the_answer(
    make_cohort, make_staff, make_participant, staff_client, answer, shown
):
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))
    amina = make_participant(cohort, name="Amina")
    url = f"/cohorts/{cohort.id}/interviews/{amina.id}"
    browser.post(url, data=interview("Amina", answer))

    group = browser.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    cell = group[group.index('data-testid="portfolio-consent"') :]
    assert shown in cell[: cell.index("</td>")]
    form = browser.get(url, headers=EN).get_data(as_text=True)
    assert "may go into their portfolio" in form
    boxes = re.findall(r'<input[^>]*name="consent_portfolio"[^>]*>', form)
    checked = [re.search(r'value="(\w+)"', box).group(1) for box in boxes if "checked" in box]
    assert checked == ([answer] if answer else [])
