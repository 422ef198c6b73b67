"""What a newcomer met trying the app (issue 14), each one a story that now ends well:
a CV whose language grid breaks no word, levels that never wrap on a phone, Arabic words
beside their dots in the pathway picture, downloads named after their person and day,
refused pages that are the app's own and say where to go, and a way back to the room."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, abort
from flask_babel import force_locale, gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import default_exceptions
from werkzeug.http import parse_options_header

from app.downloads import ascii_words, attachment, download_names
from app.extensions import db
from app.live import operations
from app.models import Participant
from app.pdf import render_pdf
from app.permissions import Role
from app.portfolio.pathway import format_when
from app.portfolio_pages import wording
from app.portfolio_pages.documents import cv_html, portfolio_html, stylesheet
from tests.browsing import context
from tests.exports import fetch_pdf
from tests.portfolio_sample import Builder, sample_cv, sample_portfolio
from tests.test_pdf_reading import Word, lines_of, pdf_words, pdftotext

ARABIC_PLACE = "باريس"
ARABIC_EVENT = "بدأت العمل مع كبار السن"


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def someone(locale: str) -> Participant:
    return Participant(display_name="Amina", locale=locale)


# --- 1. The CV's language grid: "conversation", never "conversatio-n" -----------------------

SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")
GROUPS = ("Understanding", "Speaking", "Writing")


def whole_words(pdf: bytes) -> set[str]:
    return {word.casefold() for word in pdftotext(pdf).split()}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_language_grids_headers_come_out_as_whole_words(ctx, locale):
    portfolio = sample_portfolio()
    cv = render_pdf(cv_html(sample_cv(portfolio), portfolio, someone(locale), {}), stylesheet())
    whole = render_pdf(portfolio_html(portfolio, someone(locale)), stylesheet())
    with force_locale(locale):
        skills = [str(wording.FIELD_LABELS[skill]) for skill in SKILLS]
        groups = [gettext(group) for group in GROUPS]
    for name, pdf, labels in (("cv", cv, skills + groups), ("portfolio", whole, skills)):
        expected = {word.casefold() for label in labels for word in label.split()}
        assert expected <= whole_words(pdf), (name, expected - whole_words(pdf))
    if locale == "fr":
        assert "conversation" in whole_words(cv)  # "Prendre part à une conversation"


# --- 2. A level like "B1" never wraps on a 360 px phone ------------------------------------


def served_by(browser_client: Any) -> Callable[[Any], None]:
    """Answer a page's requests with the Flask test client (the phone's cookie is there)."""

    def answer(route: Any) -> None:
        asked = route.request
        url = urlsplit(asked.url)
        reply = browser_client.open(
            url.path + (f"?{url.query}" if url.query else ""),
            method=asked.method,
            data=asked.post_data_buffer,
            headers={"Accept-Language": asked.headers.get("accept-language", "fr")},
        )
        body = reply.get_data()
        reply.close()  # a static file's reply holds its file open until then
        headers = {k: v for k, v in reply.headers.items() if k.lower() != "content-length"}
        route.fulfill(status=reply.status_code, headers=headers, body=body)

    return answer


ONE_LINE = """els => els.map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return [el.textContent.trim(), range.getClientRects().length];
})"""


@pytest.mark.browser
def test_language_levels_dates_and_counts_stay_on_one_line_on_a_360_px_phone(
    make_cohort, make_participant, phone_client, browser, artefacts
):
    person = make_participant(make_cohort(), name="Amina", locale="fr")
    phone = phone_client(person)
    levels = dict.fromkeys(SKILLS, "B1")
    reply = phone.post(
        "/me/sections/languages/new", data={"language": "Tigrinya", "mother_tongue": "no", **levels}
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    event = {"when": "2015-03", "place": "Casablanca, chez ma tante", "text": "Arrivée"}
    assert phone.post("/me/sections/migration_pathway/new", data=event).status_code == 302

    device = context(browser, 360, 740, is_mobile=True, has_touch=True)  # a French phone
    shown = []
    try:
        page = device.new_page()
        page.route("http://migrapass.test/**", served_by(phone))
        # 360 px, then 320 px (the same squeeze a phone's larger text makes at 360 px):
        # "S'exprimer oralement en continu" takes the whole row and squeezes its level.
        for width in (360, 320):
            page.set_viewport_size({"width": width, "height": 740})
            page.goto("http://migrapass.test/me")
            page.locator(".levels dd").first.wait_for()
            page.screenshot(path=str(artefacts / f"defects14-levels-{width}.png"), full_page=True)
            found = page.locator(".levels dd, .entry-when, .section-nav .count")
            shown.append((width, found.evaluate_all(ONE_LINE)))
    finally:
        device.close()
    for width, values in shown:
        assert [text for text, _lines in values].count("B1") == len(SKILLS)
        assert "03/2015" in [text for text, _lines in values]  # a stored date, as people read it
        assert all(lines == 1 for _text, lines in values), (width, values)


# --- 3. The pathway picture: each label beside its dot, in both directions -----------------

DOT_GAP = 40  # points from a date's edge to its words: the dot and the padding (≈ 25 pt)


def pathway_portfolio() -> Any:
    b = Builder()
    events = [
        ("2016", "Tunis", "I worked in a hotel kitchen."),
        ("2019-09", ARABIC_PLACE, ARABIC_EVENT),
        ("2021-05", "Paris", ARABIC_EVENT),
        ("2026-09", "Paris", "I joined the Migrapass workshops."),
    ]
    for when, place, text in events:
        b.mine(
            "migration_pathway",
            "timeline",
            {"when": when, "place": place, "text": text},
            (2026, 9, 16),
        )
    return b.portfolio, [format_when(when) for when, _place, _text in events]


def steps_on_page(pdf: bytes, dates: list[str]) -> list[tuple[Word, list[list[Word]]]]:
    """Each date of the picture (its first appearance) with the lines of words beside it."""
    for page in pdf_words(pdf):
        lines = lines_of(page.words)
        texts = [[w.text for w in line] for line in lines]
        if not all(any(d in line for line in texts) for d in dates):
            continue
        steps = []
        starts = [next(i for i, line in enumerate(texts) if d in line) for d in dates]
        for index, start in enumerate(starts):
            date_word = next(w for w in lines[start] if w.text == dates[index])
            end = starts[index + 1] if index + 1 < len(starts) else start + 2
            own = [[w for w in line if w is not date_word] for line in lines[start:end]]
            steps.append((date_word, [line for line in own if line]))
        return steps
    raise AssertionError(f"no page shows the whole pathway {dates}")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_pathway_label_sits_beside_its_dot_in_both_directions(ctx, locale):
    portfolio, dates = pathway_portfolio()
    pdf = render_pdf(portfolio_html(portfolio, someone(locale)), stylesheet())
    steps = steps_on_page(pdf, dates)
    assert len(steps) == len(dates)
    for date_word, lines in steps:
        assert lines, date_word.text
        for line in lines:
            if locale == "ar":  # dates on the right, dots, then the words to their left
                gap = date_word.x_min - max(w.x_max for w in line)
            else:
                gap = min(w.x_min for w in line) - date_word.x_max
            assert 0 < gap < DOT_GAP, (locale, date_word.text, [w.text for w in line], gap)


# --- 4. A downloaded file is named after its person and its day ---------------------------


def paris_today() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def names_of(reply: Any) -> tuple[str, str]:
    """The (ASCII, UTF-8) names a Content-Disposition header gives, as browsers read them."""
    header = reply.headers["Content-Disposition"]
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    return plain, parse_options_header(header)[1]["filename"]


def test_file_names_are_ascii_safe_with_the_utf8_name_beside():
    day = date(2026, 11, 29)
    assert download_names(["portfolio", "Amina"], day, "pdf") == (
        "migrapass-portfolio-amina-2026-11-29.pdf",
        "migrapass-portfolio-amina-2026-11-29.pdf",
    )
    utf8, plain = download_names(["cv", "Zoë Łukasiewicz"], day, "pdf", neutral="person")
    assert (utf8, plain) == (
        "migrapass-cv-zoë-łukasiewicz-2026-11-29.pdf",
        "migrapass-cv-zoe-lukasiewicz-2026-11-29.pdf",
    )
    assert download_names(["cv", "أمينة"], day, "pdf", neutral="person")[1] == (
        "migrapass-cv-person-2026-11-29.pdf"
    )
    assert ascii_words('../"evil"\r\nname') == "evil-name"
    header = attachment('a"b\\c/\r\n.pdf', "x\r\ny.pdf")["Content-Disposition"]
    assert '"' not in header.split('filename="', 1)[1].rstrip('"').split('"')[0]
    assert "\r" not in header and "\n" not in header
    assert attachment("plain.pdf", "plain.pdf") == {
        "Content-Disposition": 'attachment; filename="plain.pdf"'
    }


@pytest.fixture
def no_drawing(app: Flask) -> None:
    """The PDFs are not drawn here (their own tests draw them): their names are at stake."""
    app.extensions["migrapass.exports"].render = lambda html, css: b"%PDF-1.7 test"


@pytest.mark.usefixtures("no_drawing")
def test_the_portfolio_cv_and_data_downloads_carry_the_persons_name_and_the_day(
    make_cohort, make_participant, phone_client
):
    person = make_participant(make_cohort(), name="Zoë Benali", locale="en")
    phone = phone_client(person)
    today = paris_today()

    pdf = fetch_pdf(phone, phone.post("/me/portfolio.pdf"))
    assert names_of(pdf) == (
        f"migrapass-portfolio-zoe-benali-{today}.pdf",
        f"migrapass-portfolio-zoë-benali-{today}.pdf",
    )
    cv = fetch_pdf(phone, phone.post("/me/cv", data={"headline": "Cook", "action": "pdf"}))
    assert names_of(cv)[0] == f"migrapass-cv-zoe-benali-{today}.pdf"
    data = phone.get("/me/export.json")
    assert names_of(data) == (
        f"migrapass-data-zoe-benali-{today}.json",
        f"migrapass-data-zoë-benali-{today}.json",
    )


@pytest.mark.usefixtures("no_drawing")
def test_a_name_in_arabic_script_keeps_its_letters_in_the_utf8_name_only(
    make_cohort, make_participant, phone_client
):
    person = make_participant(make_cohort(), name="أمينة", locale="en")
    phone = phone_client(person)
    plain, utf8 = names_of(fetch_pdf(phone, phone.post("/me/portfolio.pdf")))
    assert plain == f"migrapass-portfolio-participant-{paris_today()}.pdf"
    assert utf8 == f"migrapass-portfolio-أمينة-{paris_today()}.pdf"


# --- 5. A refused page is the app's own, in the person's language, with a way back ---------


def error_page(reply: Any, status: int) -> str:
    html = unescape(reply.get_data(as_text=True))
    assert reply.status_code == status, (reply.status_code, html[:300])
    assert f'data-testid="error-page" data-status="{status}"' in html, html[:500]
    return html


def test_a_trainee_reaching_the_cohorts_page_gets_a_french_page_back_to_their_groups(
    make_cohort, make_staff, staff_client
):
    cohort = make_cohort()
    trainee = staff_client(make_staff(cohort, role=Role.TRAINEE))
    dashboard = trainee.get("/tutor", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    # The dashboard no longer offers the page; an old bookmark or a shared link still leads there.
    assert f'href="/cohorts/{cohort.id}"' not in dashboard

    html = error_page(trainee.get(f"/cohorts/{cohort.id}", headers={"Accept-Language": "fr"}), 403)
    assert '<html lang="fr"' in html and "Forbidden" not in html
    assert "Cela n'a pas marché" in html
    assert "Cette page est pour les tuteurs et tutrices de ce groupe" in html  # why, whom to ask
    assert 'href="/tutor" data-testid="error-way-back">Retour à mes groupes</a>' in html


def test_a_participants_phone_is_sent_back_to_the_start_and_its_portfolio(
    make_cohort, make_participant, phone_client
):
    phone = phone_client(make_participant(make_cohort(), locale="fr"))
    html = error_page(phone.get("/no-such-page"), 404)
    assert "Cette page n'existe pas, ou plus." in html
    assert 'href="/" data-testid="error-way-back">Retour au début</a>' in html
    assert 'href="/me" data-testid="error-way-back">Mon portfolio</a>' in html


def test_every_http_error_and_a_crash_is_the_apps_page_in_the_persons_language(app, client):
    app.add_url_rule("/test-abort/<int:status>", "test_abort", lambda status: abort(status))

    def crash() -> str:
        raise RuntimeError("a bug")

    def stale_form() -> str:
        raise CSRFError("The CSRF token has expired.")

    app.add_url_rule("/test-crash", "test_crash", crash)
    app.add_url_rule("/test-csrf", "test_csrf", stale_form)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page is shown

    english = {"Accept-Language": "en"}
    for status in sorted(code for code in default_exceptions if code >= 400):
        html = error_page(client.get(f"/test-abort/{status}", headers=english), status)
        assert '<html lang="en"' in html and 'href="/" data-testid="error-way-back"' in html

    french = {"Accept-Language": "fr"}
    assert "Cela n'a pas marché" in error_page(client.get("/nowhere", headers=french), 404)
    error_page(client.get("/me/portfolio.pdf", headers=french), 405)  # a form's address
    error_page(client.post("/join", data={"code": "x" * 70_000}, headers=french), 413)
    crashed = error_page(client.get("/test-crash", headers=french), 500)
    assert "Internal Server Error" not in crashed and '<html lang="fr"' in crashed
    csrf = error_page(client.get("/test-csrf", headers=english), 400)
    assert "reload the page" in csrf


def test_a_form_sent_without_its_token_gets_the_apps_page(configured_app):
    app = configured_app(SECRET_KEY="test-secret", WTF_CSRF_ENABLED=True)
    reply = app.test_client().post("/join", data={"code": "ABCDEF"})
    assert "Rechargez la page" in error_page(reply, 400)  # a browser without a language: French
    english = app.test_client().post(
        "/join", data={"code": "ABCDEF"}, headers={"Accept-Language": "en"}
    )
    assert "reload the page" in error_page(english, 400)


# --- 6. From the portfolio back to the room, while the workshop runs -----------------------


def test_the_portfolio_offers_the_way_back_to_the_room_only_while_a_workshop_runs(
    app, make_cohort, make_staff, make_participant, phone_client, start_live
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    phone = phone_client(make_participant(cohort, locale="en"))
    assert 'data-testid="back-to-workshop"' not in phone.get("/me").get_data(as_text=True)

    live = start_live(cohort, tutor)
    html = phone.get("/me").get_data(as_text=True)
    assert 'data-testid="back-to-workshop"' in html
    assert f'href="/s/{live.id}">Go back to your workshop</a>' in html

    with app.app_context():
        operations.end_session(db.session, db.session.merge(live), db.session.merge(tutor))
        db.session.commit()
    assert 'data-testid="back-to-workshop"' not in phone.get("/me").get_data(as_text=True)


def test_a_long_title_in_a_file_name_is_cut_between_two_words():
    from app.downloads import ascii_words, utf8_words

    assert ascii_words("Migration experience: what is a competence?") == (
        "migration-experience-what-is-a"
    )
    assert utf8_words("Expérience de la migration : qu’est-ce qu’une compétence ?") == (
        "expérience-de-la-migration-qu-est-ce-qu"
    )
    assert len(ascii_words("x" * 60)) == 40  # one word longer than the limit is cut
