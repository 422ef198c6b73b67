"""Downloading the CV from the phone: the full name typed at export and kept only when
the person ticks "keep these details", and the CV in French (the language of the job
search) unless the person chooses the language of their phone."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from app.extensions import db
from app.models import AuditEntry, PortfolioEvent
from tests.exports import fetch_pdf

CV_FORM = {
    "headline": "Cook",
    "work-rows": "1",
    "work-0-keep": "1",
    "work-0-title": "Cook in a hotel restaurant",
    "work-0-place": "Tunis",
    "email": "amina@example.org",
}
FULL_NAME = "Amina Ben Salah"


@pytest.fixture
def amina(make_participant, phone_client) -> FlaskClient:
    """Amina's phone, set in English."""
    return phone_client(make_participant(name="Amina", locale="en"))


def page(browser: FlaskClient) -> str:
    response = browser.get("/me/cv")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def pdf_text(browser: FlaskClient, **form: Any) -> str:
    """Ask for the CV as a PDF with these fields, wait for it, and read its words."""
    asked = browser.post("/me/cv", data={**CV_FORM, "action": "pdf", **form})
    reply = fetch_pdf(browser, asked)
    assert reply.status_code == 200 and reply.data.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(reply.data)).pages
    # Section names are set in small capitals: their text comes out in lower case.
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def stored(in_db) -> str:
    """Every portfolio row as text: what the database would give away."""
    rows = in_db(lambda: db.session.query(PortfolioEvent).all())
    return json.dumps([(r.type, r.payload) for r in rows], ensure_ascii=False)


def test_the_full_name_heads_the_cv_and_is_kept_only_when_asked(amina, in_db):
    text = pdf_text(amina, full_name=FULL_NAME)
    assert text.startswith("curriculum vitae Amina Ben Salah Cook")  # not only "Amina"
    assert f"{FULL_NAME} — Curriculum vitae — 1 / 1" in text
    assert FULL_NAME not in stored(in_db) and FULL_NAME not in page(amina)

    pdf_text(amina, full_name=FULL_NAME, remember_contact="1")
    assert f'value="{FULL_NAME}"' in page(amina)  # kept for next time, as asked

    pdf_text(amina, full_name=FULL_NAME)  # the box unticked: forgotten, every copy
    assert FULL_NAME not in page(amina) and FULL_NAME not in stored(in_db)


def test_without_a_full_name_the_cv_carries_the_name_the_group_knows(amina):
    assert pdf_text(amina).startswith("curriculum vitae Amina Cook")


def test_the_cv_is_in_french_unless_the_person_chooses_the_language_of_their_phone(amina):
    french = pdf_text(amina)
    assert "expérience professionnelle" in french and "work experience" not in french
    english = pdf_text(amina, cv_language="en")
    assert "work experience" in english and "expérience" not in english
    assert "Cook in a hotel restaurant" in french and "Cook in a hotel restaurant" in english


def test_a_language_not_offered_is_refused_and_nothing_is_exported(amina, in_db):
    reply = amina.post("/me/cv", data={**CV_FORM, "action": "pdf", "cv_language": "de"})
    assert reply.status_code == 400
    assert "One of the answers is not valid." in reply.get_data(as_text=True)
    assert in_db(lambda: db.session.query(AuditEntry).filter_by(action="pdf.exported").count()) == 0
    assert stored(in_db) == "[]"  # and nothing kept


def test_the_page_recommends_french_in_plain_words(amina, make_participant, phone_client):
    html = page(amina)
    assert "French is the language of your job search." in html
    french = re.search(r'<input[^>]*name="cv_language" value="fr"[^>]*>', html)
    assert french and "checked" in french.group(0)
    assert re.search(r'name="cv_language" value="en"', html)
    # A phone in French has nothing to choose: the CV is in French.
    chez_yusuf = page(phone_client(make_participant(name="Yusuf", locale="fr")))
    assert 'name="cv_language"' not in chez_yusuf and 'name="full_name"' in chez_yusuf


def test_the_editor_follows_the_europass_order(amina):
    html = page(amina)
    legends = re.findall(r'class="cv-legend"[^>]*>([^<]+)<', html)
    assert legends == [
        "About me",
        "Work experience",
        "Education and training",
        "Languages",
        "Competences",
        "Other (driving licence, computer skills…)",
        "Voluntary work",
        "Download my CV",
    ]
    # Personal information is typed at export, the full name first.
    download = html[html.index("Download my CV") :]
    fields = re.findall(r'<input class="input" id="(\w+)"', download)
    assert fields == ["full_name", "email", "phone"]
