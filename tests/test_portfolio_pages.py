"""A participant's portfolio on their phone: their workshop cards, their own entries,
sharing with the tutor, the tutor's comments, and nobody else coming in."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from app.extensions import db
from app.live.store import load_state
from app.models import PortfolioEvent
from app.permissions import Role
from tests.exports import fetch_pdf
from tests.xss_corpus import VECTORS, assert_neutralised

SKILL = {"name": "Cooking for 200 people", "category": "professional", "evidence": "Tunis"}
JOB = {"what": "Cook", "where": "Tunis", "setting": "abroad", "kind": "paid"}


@pytest.fixture
def amina(w4, phone_client):
    """Amina took part in workshop 4 and posted an experience and a competence."""
    person, sock = w4.phone("Amina", locale="en")
    w4.go("my-experiences")
    w4.post(sock, "experiences", JOB, "amina-job-0001")
    w4.go("competences")
    skill = w4.post(sock, "competences", SKILL, "amina-skill-001")
    person.skill_key = f"s{w4.live.id}:c{skill['seq']}"
    person.browser = phone_client(person)
    return person


def page(browser, url="/me"):
    response = browser.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def keys_on(html: str) -> list[str]:
    return re.findall(r'data-testid="entry" data-key="([^"]+)"', html)


def add(browser, section, **fields):
    return browser.post(f"/me/sections/{section}/new", data=fields)


def own_events(in_db, kind=None):
    def query():
        rows = db.session.query(PortfolioEvent).order_by(PortfolioEvent.id).all()
        return [(r.type, r.payload) for r in rows if kind is None or r.type == kind]

    return in_db(query)


def test_the_cards_of_a_workshop_appear_in_the_portfolio_with_where_they_came_from(amina):
    html = page(amina.browser)
    assert "Cooking for 200 people" in html and "Cook" in html
    assert amina.skill_key in keys_on(html)
    assert "Workshop 4 · " in html  # the meeting and the step it was posted in
    assert "Shared with your tutor" in html  # the tutor saw it in the room


def test_a_private_entry_stays_private_until_shared(amina, w4, staff_client):
    reply = add(
        amina.browser,
        "competences",
        name="Listening to people",
        category="social",
        evidence="I helped my neighbours",
        client_id="form-1",
    )
    assert reply.status_code == 302
    html = page(amina.browser)
    assert "Listening to people" in html
    tutor = staff_client(w4.tutor)
    shared = page(tutor, f"/participants/{amina.id}/portfolio")
    assert "Listening to people" not in shared and "Cooking for 200 people" in shared
    assert 'data-testid="private-count"' not in shared  # a count would name anonymous authors

    (key,) = [k for k in keys_on(html) if k.startswith("p")]
    assert amina.browser.post(f"/me/entries/{key}/share", data={"shared": "1"}).status_code == 302
    assert "Listening to people" in page(tutor, f"/participants/{amina.id}/portfolio")
    amina.browser.post(f"/me/entries/{key}/share", data={"shared": "0"})
    assert "Listening to people" not in page(tutor, f"/participants/{amina.id}/portfolio")


def test_a_form_sent_twice_adds_one_entry(amina, in_db):
    for _ in range(2):
        add(amina.browser, "evaluation", text="Very useful", client_id="same-form")
    assert len(own_events(in_db, "entry.added")) == 1
    assert page(amina.browser).count("Very useful") == 1


def test_changing_an_entry_in_the_portfolio_leaves_the_board_as_the_group_saw_it(amina, w4, in_db):
    reply = amina.browser.post(
        f"/me/entries/{amina.skill_key}/edit",
        data={
            "name": "Cooking for 200 people a day",
            "category": "professional",
            "evidence": "Four years in a hotel kitchen in Tunis",
        },
    )
    assert reply.status_code == 302
    html = page(amina.browser)
    assert "Cooking for 200 people a day" in html and "Four years in a hotel kitchen" in html
    card_id = int(amina.skill_key.rsplit("c", 1)[1])
    board = in_db(lambda: load_state(db.session, w4.live.id))
    assert board.cards[card_id].fields == SKILL


@pytest.mark.parametrize(
    ("section", "fields", "message"),
    [
        ("evaluation", {"text": "x" * 501}, "This text is too long."),
        ("evaluation", {"text": "  "}, "Please fill in the required boxes."),
        ("migration_pathway", {"when": "last summer", "text": "Tunis"}, "Write a year"),
        ("competences", {"name": "Care", "category": "magic"}, "not valid"),
        ("languages", {"language": "Arabic", "mother_tongue": "no", "reading": "Z9"}, "not valid"),
        ("nowhere", {"text": "hi"}, None),
    ],
)
def test_bad_entries_get_a_clear_error_and_nothing_is_stored(
    amina, in_db, section, fields, message
):
    reply = add(amina.browser, section, **fields)
    if message is None:
        assert reply.status_code == 404
    else:
        assert reply.status_code == 400
        assert message in reply.get_data(as_text=True)
    assert own_events(in_db) == []


def test_a_refused_change_keeps_what_was_saved(amina):
    reply = amina.browser.post(
        f"/me/entries/{amina.skill_key}/edit",
        data={"name": "y" * 500, "category": "professional"},
    )
    assert reply.status_code == 400
    assert "Cooking for 200 people" in page(amina.browser)
    assert amina.browser.post("/me/entries/nonsense/edit", data={}).status_code == 404


def test_the_tutors_comment_reaches_the_participant(amina, w4, staff_client):
    tutor = staff_client(w4.tutor)
    reply = tutor.post(
        f"/participants/{amina.id}/portfolio/comments",
        data={"key": amina.skill_key, "text": "Say **how many** years: it matters."},
    )
    assert reply.status_code == 302
    tutor.post(f"/participants/{amina.id}/portfolio/comments", data={"text": "Well done!"})
    html = page(amina.browser)
    assert "<strong>how many</strong>" in html and "Well done!" in html
    assert "Camille, tutor" in html
    empty = tutor.post(f"/participants/{amina.id}/portfolio/comments", data={"text": " "})
    assert empty.status_code == 400


def test_a_tutor_cannot_comment_on_what_was_not_shared(amina, w4, staff_client, in_db):
    add(amina.browser, "profile", text="My secret plans")
    (key,) = [k for k in keys_on(page(amina.browser)) if k.startswith("p")]
    reply = staff_client(w4.tutor).post(
        f"/participants/{amina.id}/portfolio/comments", data={"key": key, "text": "Hmm"}
    )
    assert reply.status_code == 400
    assert own_events(in_db, "comment.added") == []


def test_removing_an_entry_takes_it_out_of_the_portfolio_only(amina, w4, in_db):
    amina.browser.post(f"/me/entries/{amina.skill_key}/remove")
    assert amina.skill_key not in keys_on(page(amina.browser))
    card_id = int(amina.skill_key.rsplit("c", 1)[1])
    assert not in_db(lambda: load_state(db.session, w4.live.id)).cards[card_id].withdrawn


def test_a_hidden_card_stays_marked_in_the_portfolio(amina, w4):
    card_id = int(amina.skill_key.rsplit("c", 1)[1])
    w4.tutor_does("hide", card_id=card_id, reason="Names of people")
    html = page(amina.browser)
    assert 'data-testid="entry-hidden"' in html and "Names of people" in html


# --- who may read a portfolio -----------------------------------------------------------


def test_only_the_owner_and_the_tutors_of_their_group_come_in(
    amina, w4, app, make_cohort, make_staff, make_participant, staff_client, phone_client, client
):
    url = f"/participants/{amina.id}/portfolio"
    other_cohort = make_cohort("Spring cohort")
    yusuf = make_participant(other_cohort, name="Yusuf")

    assert client.get("/me").status_code == 403  # a phone nobody signed in on
    assert client.get(url).status_code == 302  # to the log-in page
    assert "Cooking" not in page(phone_client(yusuf))  # another participant: their own only
    assert phone_client(yusuf).get(url).status_code == 302  # participants are not staff

    assert staff_client(w4.tutor).get(url).status_code == 200
    assert staff_client(make_staff(other_cohort)).get(url).status_code == 403
    assert staff_client(make_staff(w4.cohort, role=Role.TRAINEE)).get(url).status_code == 403
    assert staff_client(make_staff(None, role=Role.COORDINATOR)).get(url).status_code == 200
    assert staff_client(w4.tutor).get("/participants/99999/portfolio").status_code == 404
    stranger = staff_client(make_staff(other_cohort))
    assert stranger.post(f"{url}/comments", data={"text": "Hello"}).status_code == 403


def test_a_tutor_does_not_read_someone_still_at_the_door(w4, make_participant, staff_client):
    waiting = make_participant(w4.cohort, name="Waiting", admitted=False)
    assert staff_client(w4.tutor).get(f"/participants/{waiting.id}/portfolio").status_code == 403


def test_after_a_merge_the_kept_name_holds_both_portfolios(amina, w4, phone_client):
    second, _sock = w4.phone("Amina B.", locale="en")
    add(amina.browser, "evaluation", text="From my first phone")
    w4.tutor_does("merge", kept=second.id, absorbed=amina.id)
    html = page(phone_client(second))
    assert "From my first phone" in html and "Cooking for 200 people" in html


# --- taking it away -----------------------------------------------------------------------


def test_the_json_export_holds_all_their_data(amina):
    add(amina.browser, "languages", language="Arabic", mother_tongue="yes")
    reply = amina.browser.get("/me/export.json")
    assert reply.status_code == 200
    assert "attachment" in reply.headers["Content-Disposition"]
    data = json.loads(reply.get_data(as_text=True))
    assert data["person"]["name"] == "Amina"
    assert [e["fields"]["name"] for e in data["portfolio"]["competences"]] == [SKILL["name"]]
    assert data["portfolio"]["competences"][0]["from_workshop"]["step"] == "competences"
    assert data["portfolio"]["languages"][0]["fields"]["language"] == "Arabic"
    assert data["consents"][0]["purpose"] == "data_processing"
    assert data["groups"][0]["status"] == "admitted"


def test_markdown_attacks_are_neutralised_on_the_page(amina, app):
    limiter = app.extensions["migrapass.limiter"]  # forty-odd entries in a burst
    limiter.rules = replace(limiter.rules, portfolio_reads_per_person="1000/minute")
    for i, vector in enumerate(VECTORS):
        add(amina.browser, "evaluation", text=vector, client_id=f"xss-{i}")
    html = page(amina.browser)
    assert len([k for k in keys_on(html) if k.startswith("p")]) == len(VECTORS)
    assert_neutralised(html)


# --- the CV -----------------------------------------------------------------------------

CV_FORM = {
    "headline": "Cook",
    "work-rows": "1",
    "work-0-keep": "1",
    "work-0-title": "Cook",
    "work-0-place": "Tunis",
    "email": "amina@example.org",
    "phone": "06 12 34 56 78",
}


def everything_stored(in_db) -> str:
    """Every portfolio row as text: what the database would give away."""
    return json.dumps(own_events(in_db), ensure_ascii=False)


def cv_export(browser, **extra):
    asked = browser.post("/me/cv", data={**CV_FORM, "action": "pdf", **extra})
    reply = fetch_pdf(browser, asked)
    assert reply.status_code == 200 and reply.data.startswith(b"%PDF"), reply.status_code
    return reply


def test_the_cv_starts_from_the_portfolio_and_is_saved_as_edited(amina):
    assert 'value="Cook"' in page(amina.browser, "/me/cv")  # from the workshop card
    reply = amina.browser.post("/me/cv", data={**CV_FORM, "headline": "Chef", "action": "save"})
    assert reply.status_code == 302
    assert 'value="Chef"' in page(amina.browser, "/me/cv")
    bad = amina.browser.post("/me/cv", data={**CV_FORM, "about": "x" * 801, "action": "save"})
    assert bad.status_code == 400 and "This text is too long." in bad.get_data(as_text=True)
    assert 'value="Chef"' in page(amina.browser, "/me/cv")  # the saved CV is intact


def test_contact_details_go_into_the_pdf_only_unless_the_person_keeps_them(amina, in_db):
    reply = cv_export(amina.browser)
    assert "attachment" in reply.headers["Content-Disposition"]
    assert "amina@example.org" not in everything_stored(in_db)
    assert "amina@example.org" not in page(amina.browser, "/me/cv")

    cv_export(amina.browser, remember_contact="1")
    assert "amina@example.org" in page(amina.browser, "/me/cv")  # kept, as asked

    cv_export(amina.browser)  # the box unticked: forgotten, every copy
    assert "amina@example.org" not in page(amina.browser, "/me/cv")
    assert "amina@example.org" not in everything_stored(in_db)
