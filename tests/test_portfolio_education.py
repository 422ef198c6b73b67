"""Education and training in the portfolio, and the papers behind an experience or a
diploma: the person writes them on their phone (a plain form, no script needed), a card
from workshop 3's education step lands there too, and both reach the tutor's view, the
JSON export and the PDF."""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.live.store import load_state
from app.models import Participant, PortfolioEvent
from app.participants import consent
from app.participants.operations import name_tutor
from app.portfolio import export
from app.portfolio_pages import wording
from app.vocabulary import boards

W3 = "w3-professional-experience"
DIPLOMA = {
    "title": "Baccalauréat scientifique",
    "type": "diploma",
    "where": "Lycée Ibn Khaldoun",
    "country": "Tunisie",
    "when": "2009",
    "details": "Mention *bien*.",
    "documents-diploma": "can_ask",
    "documents-reference_letter": "",
}
JOB = {"what": "Cook", "where": "Tunis", "setting": "abroad", "kind": "paid"}


@pytest.fixture
def w3(room_for):
    """Workshop 3 running live, a tutor at the console."""
    return room_for(W3)


@pytest.fixture
def nadia(w3, phone_client):
    """Nadia, in workshop 3, with her phone."""
    person, sock = w3.phone("Nadia", locale="en")
    person.sock = sock
    person.browser = phone_client(person)
    return person


def page(browser, url="/me") -> str:
    reply = browser.get(url)
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


def section(html: str, name: str) -> str:
    """The HTML of one section of the portfolio page."""
    found = re.search(rf'data-testid="section-{name}">(.*?)</section>', html, re.S)
    assert found, name
    return found.group(1)


def own_keys(html: str) -> list[str]:
    return re.findall(r'data-testid="entry" data-key="(p[^"]+)"', html)


def stored(in_db) -> list[tuple[str, dict]]:
    rows = in_db(lambda: db.session.query(PortfolioEvent).order_by(PortfolioEvent.id).all())
    return [(row.type, row.payload) for row in rows]


# --- the person writes it ----------------------------------------------------------------


def test_the_education_form_asks_for_each_field_in_plain_words(nadia):
    html = page(nadia.browser, "/me/sections/education/new")
    assert "Name of the diploma, course or class" in html
    for words in ("School", "Diploma", "Course or training", "French class", "Country"):
        assert words in html
    # One plain choice per kind of paper: no script is needed to say what one holds.
    for kind in boards.DOCUMENT_KINDS:
        assert f'name="documents-{kind}"' in html
    assert "I can ask for it" in html and "I do not have it" in html


def test_a_diploma_written_in_the_portfolio_shows_where_when_and_its_paper(nadia, in_db):
    reply = nadia.browser.post("/me/sections/education/new", data=DIPLOMA)
    assert reply.status_code == 302
    [(kind, payload)] = stored(in_db)
    assert kind == "entry.added" and payload["section"] == "education"
    assert payload["fields"]["documents"] == [{"kind": "diploma", "held": "can_ask"}]
    assert payload["fields"]["when"] == "2009"

    shown = section(page(nadia.browser), "education")
    assert "Baccalauréat scientifique" in shown
    assert "Diploma" in shown and "Lycée Ibn Khaldoun" in shown and "Tunisie" in shown
    assert "2009" in shown and "<em>bien</em>" in shown
    assert "Papers that show it" in shown and "I can ask for it" in shown
    assert "Private" in shown  # written in the portfolio: the person's until shared


def test_changing_the_diploma_keeps_the_papers_chosen_and_changes_what_is_held(nadia, in_db):
    nadia.browser.post("/me/sections/education/new", data=DIPLOMA)
    [key] = own_keys(page(nadia.browser))
    form = page(nadia.browser, f"/me/entries/{key}/edit")
    assert re.search(r'name="documents-diploma">.*?<option value="can_ask" selected>', form, re.S)

    changed = {**DIPLOMA, "documents-diploma": "yes", "documents-work_certificate": "no"}
    assert nadia.browser.post(f"/me/entries/{key}/edit", data=changed).status_code == 302
    _kind, payload = stored(in_db)[-1]
    assert payload["fields"]["documents"] == [
        {"kind": "work_certificate", "held": "no"},
        {"kind": "diploma", "held": "yes"},
    ]
    shown = section(page(nadia.browser), "education")
    assert "Work certificate · I do not have it" in shown and "Diploma · I have it" in shown


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**DIPLOMA, "type": "university"}, "type"),
        ({**DIPLOMA, "documents-diploma": "maybe"}, "documents"),
        ({**DIPLOMA, "title": " "}, "title"),
    ],
)
def test_a_wrong_answer_is_said_next_to_its_field_and_nothing_is_stored(
    nadia, in_db, fields, field
):
    reply = nadia.browser.post("/me/sections/education/new", data=fields)
    assert reply.status_code == 400
    assert 'data-testid="form-error"' in reply.get_data(as_text=True)
    assert 'aria-invalid="true"' in reply.get_data(as_text=True)
    assert stored(in_db) == []


def test_the_papers_behind_a_work_experience_from_the_room_are_added_in_the_portfolio(
    nadia, w3, in_db
):
    w3.go("abroad")
    card = w3.post(nadia.sock, "experiences", JOB, "nadia-job-0001")
    key = f"s{w3.live.id}:c{card['seq']}"
    form = page(nadia.browser, f"/me/entries/{key}/edit")
    assert 'name="documents-payslip"' in form

    evidence = {**JOB, "documents-work_certificate": "yes", "documents-payslip": "no"}
    assert nadia.browser.post(f"/me/entries/{key}/edit", data=evidence).status_code == 302
    shown = section(page(nadia.browser), "professional_experiences")
    assert "Work certificate · I have it" in shown and "Payslip · I do not have it" in shown
    # The card the group saw stays as it was.
    board = in_db(lambda: load_state(db.session, w3.live.id))
    assert "documents" not in board.cards[card["seq"]].fields


# --- from the room ------------------------------------------------------------------------


def test_a_card_of_workshop_3s_education_step_lands_in_the_education_section(nadia, w3):
    w3.go("education")
    w3.post(
        nadia.sock,
        "education",
        {
            "title": "Cours de français A2",
            "type": "french_class",
            "country": "France",
            "when": "2023",
            "documents": [{"kind": "other", "held": "yes"}],
        },
        "nadia-school-01",
    )
    shown = section(page(nadia.browser), "education")
    assert "Cours de français A2" in shown and "French class" in shown
    assert "Another paper · I have it" in shown
    assert "Workshop 3 · " in shown  # where it was written


def test_the_tutor_reads_a_shared_diploma_with_its_papers(nadia, w3, staff_client):
    nadia.browser.post("/me/sections/education/new", data=DIPLOMA)
    [key] = own_keys(page(nadia.browser))
    tutor = staff_client(w3.tutor)
    url = f"/participants/{nadia.id}/portfolio"
    assert "Baccalauréat scientifique" not in page(tutor, url)
    nadia.browser.post(f"/me/entries/{key}/share", data={"shared": "1"})
    shown = page(tutor, url)
    assert "Baccalauréat scientifique" in shown and "Diplôme · Je peux le demander" in shown


def test_the_json_export_carries_education_and_papers_in_the_same_layout(nadia):
    nadia.browser.post("/me/sections/education/new", data=DIPLOMA)
    data = json.loads(nadia.browser.get("/me/export.json").get_data(as_text=True))
    assert data["format"] == export.FORMAT == "migrapass-live/portfolio-export/2"
    [entry] = data["portfolio"]["education"]
    assert entry["kind"] == "education"
    assert entry["fields"]["type"] == "diploma" and entry["fields"]["country"] == "Tunisie"
    assert entry["fields"]["documents"] == [{"kind": "diploma", "held": "can_ask"}]


def test_the_portfolio_pdf_holds_the_diploma(nadia, app, in_db):
    from app.portfolio.store import load
    from app.portfolio_pages.documents import portfolio_html
    from app.script_access import script_of

    nadia.browser.post("/me/sections/education/new", data=DIPLOMA)

    def html() -> str:
        person = db.session.get(Participant, nadia.id)
        with app.test_request_context():
            return portfolio_html(load(db.session, person, script_of(app)), person)

    shown = in_db(html)
    assert "Baccalauréat scientifique" in shown
    # where, in which country, what kind of learning, and the paper she can ask for
    assert "Lycée Ibn Khaldoun" in shown and "Tunisie" in shown
    assert re.search(r"Tunisie</span> · (Diploma|Diplôme)", shown)
    assert re.search(r"(Diploma|Diplôme) · (I can ask for it|Je peux le demander)", shown)


# --- what the page says around it ---------------------------------------------------------


def test_someone_who_said_no_to_the_portfolio_is_told_why_their_cards_are_not_there(
    nadia, w3, in_db
):
    w3.go("abroad")
    w3.post(nadia.sock, "experiences", JOB, "nadia-job-0002")
    assert 'data-testid="portfolio-withheld"' not in page(nadia.browser)

    def say_no() -> None:
        person = db.session.get(Participant, nadia.id)
        consent.record_answers(db.session, person, {consent.Purpose.PORTFOLIO: False})
        db.session.commit()

    in_db(say_no)
    html = page(nadia.browser)
    assert 'data-testid="portfolio-withheld"' in html
    assert "ask your tutor" in html
    assert "Tunis" not in section(html, "professional_experiences")


def test_the_page_names_the_persons_tutor(nadia, w3, in_db):
    assert 'data-testid="my-tutor"' not in page(nadia.browser)

    def name_them() -> None:
        name_tutor(db.session, db.session.merge(w3.cohort), nadia.id, w3.tutor.id)
        db.session.commit()

    in_db(name_them)
    assert "Your tutor: <bdi>Camille</bdi>" in page(nadia.browser)


# --- the words ----------------------------------------------------------------------------


def test_every_choice_of_the_new_fields_has_its_words():
    assert set(wording.CHOICE_LABELS["type"]) == set(boards.EDUCATION_KINDS)
    assert tuple(wording.DOCUMENT_KINDS) == boards.DOCUMENT_KINDS
    assert tuple(wording.DOCUMENT_HELD) == boards.DOCUMENT_HELD
    for board in ("education", "experiences", "cv_lines"):
        for field in boards.BOARDS[board].fields:
            assert field.name in wording.FIELD_LABELS, (board, field.name)


def test_the_migration_meta_competence_has_one_name(app):
    with app.test_request_context(), force_locale("en"):
        assert str(wording.CATEGORY_TITLES["migration"]) == "Migration competences"
        assert str(wording.CHOICE_LABELS["category"]["migration"]) == "Migration competence"
    with app.test_request_context(), force_locale("fr"):
        assert str(wording.CATEGORY_TITLES["migration"]) == "Compétences de la migration"
        assert str(wording.CHOICE_LABELS["category"]["migration"]) == "Compétence de la migration"
