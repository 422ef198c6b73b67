"""Every script a participant writes in comes out of the PDFs as letters, never as boxes;
a character no installed font has is named to them before they download; numbers in a
right-to-left line keep their order, in the pathway picture as in the list below it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.models import Participant
from app.pdf import render_pdf
from app.pdf.exports import ExportQueue
from app.pdf.renderer import MAX_MISSING
from app.portfolio.pathway import pathway
from app.portfolio.projection import Portfolio
from app.portfolio_pages.documents import cv_html, portfolio_html, stylesheet
from app.textdir import direction_of
from tests.portfolio_sample import W2_TIMELINE, W4_COMPETENCES, Builder
from tests.test_pdf_reading import lines_of, pdf_words, pdffonts, pdftotext

PRIVATE_USE = "\ue000"  # no font has it: the PDF can only show a box

# Tigrinya, Amharic, Urdu (ے), Arabic (ٱ) and a joined emoji: each was drawn as boxes.
TIGRINYA_NAME = "ሳባ ተስፋይ"
TIGRINYA = "ኣብ ሆቴል ከም ከሻኒት ሰሪሐ"  # I worked as a cook in a hotel
AMHARIC = "ምግብ ማብሰል"  # cooking
URDU = "میں نے ہوٹل میں کام کیا ہے"  # I have worked in a hotel
ARABIC_NAME = "سلمى ٱلعلي"  # with an alef wasla, in the bold of the CV's name
COOK = "👩🏽‍🍳"  # woman cook, medium skin tone: four code points joined


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def scripts_portfolio() -> Portfolio:
    """Saba writes in Tigrinya, Amharic, Urdu and Arabic, with an emoji."""
    b = Builder()
    b.mine("profile", "free_text", {"text": f"{TIGRINYA} {COOK}"}, (2026, 9, 16))
    skill = {"name": AMHARIC, "category": "professional", "evidence": TIGRINYA}
    b.room("competences", "competences", W4_COMPETENCES, skill)
    event = {"when": "2019-03-14", "place": f"Karachi {COOK}", "text": URDU}
    b.room("migration_pathway", "timeline", W2_TIMELINE, event)
    b.portfolio.cv = {
        "headline": f"{AMHARIC} {COOK}",
        "about": f"{URDU}\n\n{TIGRINYA}",
        "work": [{"title": TIGRINYA, "place": URDU, "when": "2019", "details": AMHARIC}],
        "skills": [{"name": AMHARIC, "category": "professional"}],
    }
    return b.portfolio


# --- scripts ------------------------------------------------------------------------------------


def test_tigrinya_amharic_urdu_and_emoji_are_drawn_with_fonts_that_have_them(ctx):
    saba = Participant(display_name=TIGRINYA_NAME, locale="fr")
    portfolio = scripts_portfolio()
    pdf = render_pdf(portfolio_html(portfolio, saba), stylesheet())

    assert pdf.missing == ()  # not one box
    fonts = pdffonts(pdf)
    assert "Noto-Sans-Ethiopic-Bold" in fonts  # the cover's name, in bold
    assert "Noto-Sans-Ethiopic " in fonts  # the card written in Tigrinya
    assert "Noto-Naskh-Arabic" in fonts  # Urdu, with its ے
    assert "Noto-Color-Emoji" in fonts
    assert "DejaVu-Sans" in fonts  # Latin text keeps its font
    text = pdftotext(pdf)
    for words in (TIGRINYA_NAME, TIGRINYA, AMHARIC, COOK):
        assert words in text
    # pdftotext reads glyphs in drawing order: a right-to-left word comes out reversed.
    pages = pdf_words(pdf)
    drawn = " ".join(word.text for page in pages for word in page.words)
    for word in URDU.split():
        assert word in text or word[::-1] in drawn
    footer = [w.text for w in pages[-1].words if w.y_min > pages[-1].height - 70]
    assert TIGRINYA_NAME.split()[0] in footer  # the page's margin has the stack too


def test_an_arabic_name_with_an_alef_wasla_is_drawn_in_the_cvs_bold(ctx):
    salma = Participant(display_name=ARABIC_NAME, locale="fr")
    portfolio = scripts_portfolio()
    pdf = render_pdf(cv_html(portfolio.cv, portfolio, salma, {}), stylesheet())

    assert pdf.missing == ()
    fonts = pdffonts(pdf)
    assert "Noto-Naskh-Arabic-Bold" in fonts and "Noto-Sans-Ethiopic" in fonts
    drawn = [word.text for word in pdf_words(pdf)[0].words]
    assert "ٱلعلي"[::-1] in drawn and "سلمى"[::-1] in drawn


# --- characters no font has ---------------------------------------------------------------------


def test_a_character_no_font_has_is_reported_with_the_pdf(ctx):
    b = Builder()
    skill = {"name": f"Cooking {PRIVATE_USE}", "category": "professional", "evidence": "Tunis"}
    b.mine("competences", "competences", skill, (2026, 9, 16))
    unassigned = "\u0378"  # valid, not assigned (in the Greek block): no font either
    amina = Participant(display_name=f"Amina {unassigned}", locale="en")

    pdf = render_pdf(portfolio_html(b.portfolio, amina), stylesheet())

    assert pdf.startswith(b"%PDF")
    assert set(pdf.missing) == {PRIVATE_USE, unassigned}
    assert len(pdf.missing) == 2  # each once, however often it was drawn
    assert render_pdf("<p>Bonjour</p>").missing == ()  # nothing left over from before


def test_the_export_queue_keeps_the_characters_on_the_job():
    def start(work):
        threading.Thread(target=work, daemon=True).start()

    queue = ExportQueue(render_pdf, start_worker=start)
    job = queue.submit(1, "portfolio", "portfolio.pdf", f"<p>x{PRIVATE_USE}</p>", None)
    deadline = time.monotonic() + 60
    while job.waiting:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    assert job.state == "ready" and job.pdf.startswith(b"%PDF")
    assert job.missing == (PRIVATE_USE,)
    assert job.missing_shown() == [(PRIVATE_USE, "U+E000")]


def test_the_same_document_asked_again_once_ready_is_the_same_file_and_a_changed_one_is_new():
    drawn: list[str] = []

    def draw(html, _stylesheet):
        drawn.append(html)
        return b"%PDF-1.7 " + html.encode()

    def start(work):
        threading.Thread(target=work, daemon=True).start()

    queue = ExportQueue(draw, start_worker=start)

    def ready(html: str):
        job = queue.submit(1, "portfolio", "portfolio.pdf", html, None)
        deadline = time.monotonic() + 10
        while job.waiting:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        return job

    first = ready("<p>Cooking</p>")
    again = ready("<p>Cooking</p>")  # a double tap that came after the file was ready
    changed = ready("<p>Cooking, driving</p>")

    assert again is first and drawn.count("<p>Cooking</p>") == 1
    assert changed is not first and changed.pdf.endswith(b"driving</p>")
    assert queue.submit(1, "cv", "cv.pdf", "<p>Cooking, driving</p>", None) is not changed


def ready_page(phone) -> str:
    """Ask for the portfolio's PDF and wait for the page that hands it over."""
    asked = phone.post("/me/portfolio.pdf")
    assert asked.status_code == 303
    deadline = time.monotonic() + 60
    while (page := phone.get(asked.headers["Location"])).status_code == 202:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return page.get_data(as_text=True)


def test_the_ready_page_says_which_characters_could_not_be_drawn(
    app, make_participant, phone_client
):
    person = make_participant(name="Amina", locale="en")
    phone = phone_client(person)
    card = {"name": f"Cuisine {PRIVATE_USE}", "category": "professional", "evidence": "Tunis"}
    assert phone.post("/me/sections/competences/new", data=card).status_code in (302, 303)

    html = ready_page(phone)

    assert 'data-testid="export-missing"' in html
    assert "Some letters or signs cannot be shown in this PDF." in html
    assert PRIVATE_USE in html and "U+E000" in html
    # The file is still there to take, but never downloads by itself over the warning.
    assert 'data-testid="export-download"' in html and "data-auto-download" not in html


def test_past_the_workers_list_the_ready_page_does_not_count_too_few(
    app, make_participant, phone_client
):
    phone = phone_client(make_participant(name="Amina", locale="en"))
    unknown = "".join(chr(0xE000 + n) for n in range(MAX_MISSING + 10))
    card = {"name": unknown, "category": "professional", "evidence": ""}
    assert phone.post("/me/sections/competences/new", data=card).status_code in (302, 303)

    html = ready_page(phone)

    assert "and many more" in html and f"and {MAX_MISSING - 5} more" not in html


# --- right to left ------------------------------------------------------------------------------


def test_the_pathway_runs_oldest_first_and_fills_the_latest_dot():
    steps = pathway([("2021-05", "Paris", "b"), ("2006", "Sfax", "a"), ("2019-09-14", "", "c")])
    assert [(s.when, s.place) for s in steps] == [
        ("2006", "Sfax"),
        ("14/09/2019", ""),
        ("05/2021", "Paris"),
    ]
    assert [str(s.dot).count('fill="#0E4194"') for s in steps] == [0, 0, 1]


def test_the_direction_of_a_text_is_that_of_its_first_strong_letter():
    assert direction_of("2019 : طبخت") == "rtl"
    assert direction_of("« Tunis » طبخت") == "ltr"
    assert direction_of("123 ...") == "ltr"
    assert direction_of("") == "ltr"
    # A word set apart in an isolate does not decide (rule P2).
    assert direction_of("\u2067طبخت\u2069 in Tunis") == "ltr"


# Lines of Unicode's BidiCharacterTest.txt (fields: code points; paragraph direction,
# 0 LTR, 1 RTL, 2 auto; resolved paragraph level; levels; visual order), then lines
# written the same way for dates and times in Arabic, resolved by hand with rules W4 to
# W7, N1 and L2 of UAX #9 (a separator between two digits joins them into one number).
CONFORMANCE = [
    # BidiCharacterTest.txt, "Examples from Section 3.3.5" and the digits after them
    "0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;1;1;1 1 1 1 2 2 2 2 2 2 2;"
    "4 5 6 7 8 9 10 3 2 1 0",
    "0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;0;0;1 1 1 0 0 0 0 0 0 0 0;"
    "2 1 0 3 4 5 6 7 8 9 10",
    "062A 0031 002F 0032;2;1;1 2 2 2;1 2 3 0",
    "062A 0031 002F 0032;0;0;1 2 2 2;1 2 3 0",
    "062A 0031 002F 0032;1;1;1 2 2 2;1 2 3 0",
    "05D0 0020 0031 002D 0032;0;0;1 1 2 2 2;2 3 4 1 0",
    # وصلت 14/03/2019: the date is one number (W4), drawn left to right
    "0648 0635 0644 062A 0020 0031 0034 002F 0030 0033 002F 0032 0030 0031 0039;2;1;"
    "1 1 1 1 1 2 2 2 2 2 2 2 2 2 2;5 6 7 8 9 10 11 12 13 14 4 3 2 1 0",
    # موعد 15/09 الساعة 15:30
    "0645 0648 0639 062F 0020 0031 0035 002F 0030 0039 0020 0627 0644 0633 0627 0639 0629 "
    "0020 0031 0035 003A 0033 0030;2;1;1 1 1 1 1 2 2 2 2 2 1 1 1 1 1 1 1 1 2 2 2 2 2;"
    "18 19 20 21 22 17 16 15 14 13 12 11 10 5 6 7 8 9 4 3 2 1 0",
    # 2019 - 2021 in a right-to-left paragraph: the dash between spaces joins nothing
    # (W4 to W6), so the two numbers are read right to left
    "0032 0030 0031 0039 0020 002D 0020 0032 0030 0032 0031;1;1;2 2 2 2 1 1 1 2 2 2 2;"
    "7 8 9 10 6 5 4 0 1 2 3",
]


def conformance_cases() -> Iterator[tuple[str, str, int, str]]:
    """(text, direction attribute, paragraph level, the line as drawn left to right)."""
    for line in CONFORMANCE:
        points, direction, level, _, order = line.split(";")
        text = "".join(chr(int(code, 16)) for code in points.split())
        drawn = "".join(text[int(index)] for index in order.split())
        yield text, {"0": "ltr", "1": "rtl", "2": direction_of(text)}[direction], int(level), drawn


@pytest.mark.parametrize("line", [line for line in CONFORMANCE if line.split(";")[1] == "2"])
def test_the_paragraph_direction_follows_the_bidi_algorithm(line):
    """Lines whose direction is left to the text (the others fix it: nothing to decide)."""
    points, _direction, level, *_ = line.split(";")
    text = "".join(chr(int(code, 16)) for code in points.split())
    assert direction_of(text) == ("rtl" if int(level) % 2 else "ltr")


UNICODE_BIDI_TESTS = Path("/usr/share/unicode/BidiCharacterTest.txt")  # Debian's unicode-data


def test_the_paragraph_direction_agrees_with_every_line_of_unicodes_conformance_file():
    if not UNICODE_BIDI_TESTS.exists():
        if os.environ.get("CI"):
            pytest.fail("unicode-data is missing: CI must run this test (make system-deps)")
        pytest.skip("unicode-data is not installed (run `make system-deps`)")
    checked = 0
    for line in UNICODE_BIDI_TESTS.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        points, direction, level, *_ = line.split(";")
        if direction != "2":  # the lines where the text itself decides
            continue
        text = "".join(chr(int(code, 16)) for code in points.split())
        assert direction_of(text) == ("rtl" if int(level) % 2 else "ltr"), line
        checked += 1
    assert checked >= 28  # Unicode 15 has 28 such lines; the others fix the direction


def test_weasyprint_draws_the_conformance_lines_in_their_visual_order():
    cases = list(conformance_cases())
    html = "".join(f'<p dir="{direction}">{text}</p>' for text, direction, _, _ in cases)
    page = pdf_words(render_pdf(f"<html><body>{html}</body></html>"))[0]
    assert [" ".join(w.text for w in line) for line in lines_of(page.words)] == [
        " ".join(expected.split()) for _, _, _, expected in cases
    ]


def test_an_arabic_line_keeps_its_dates_in_order_in_the_picture_and_the_list(ctx):
    b = Builder()
    arrival = "وصلت إلى مرسيليا يوم 14/03/2019 الساعة 15:30"
    meeting = "موعد في المحافظة 15/09"
    for when, text in (("2019-03-14", arrival), ("2019-09-15", meeting)):
        event = {"when": when, "place": "مرسيليا", "text": text}
        b.mine("migration_pathway", "timeline", event, (2026, 9, 16))
    amina = Participant(display_name="Amina", locale="fr")

    pdf = render_pdf(portfolio_html(b.portfolio, amina), stylesheet())
    words = [word.text for page in pdf_words(pdf) for word in page.words]

    # In the picture and in the list below it, digits left to right; the date columns
    # of both show the arrival's date too.
    assert words.count("14/03/2019") == 4
    assert words.count("15:30") == 2 and words.count("15/09") == 2
    assert "2019/03/14" not in words and "09/15" not in words and "30:15" not in words
