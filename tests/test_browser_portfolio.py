"""A participant's portfolio as they see it on a 360 px phone, after a real workshop.

They post their pathway in workshop 2; then, between workshops, they open their
portfolio, find their cards there, add a private entry, download the PDF, and prepare
a CV with contact details typed for that export only. The PDFs are read back (pypdf)
and their first pages saved as PNG artefacts (pdftoppm).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browsing import T, context, join, tutor_starts
from tests.fixtures.servers import DEMO_COHORT

pytestmark = pytest.mark.browser

MEETING = "w2-migration"
MOMENTS = [("2016", "Tunis", "I worked in a hotel kitchen"), ("2021-09", "Paris", "I arrived")]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def first_page_png(data: bytes, target: Path) -> None:
    pdf = target.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )
    assert target.stat().st_size > 10_000


def download(page: Page, click) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_cards_from_the_room_reach_the_phones_portfolio_pdf_and_cv(
    live_server, browser: Browser, artefacts, closing
):
    base = live_server.url
    laptop = closing.enter_context(context(browser, 1366, 900))
    meeting = tutor_starts(laptop, base, MEETING)
    console, code = meeting.console, meeting.code

    device, phone = join(browser, f"{base}/j/{code}", "Nadia")
    closing.enter_context(device)
    console.get_by_test_id("waiting-entry").filter(has_text="Nadia").get_by_test_id(
        "admit-button"
    ).click()
    expect(phone.get_by_test_id("my-cards")).to_be_attached(timeout=T)

    # In the room: two moments of the pathway on the timeline board.
    console.locator('[data-testid="step-item"][data-step-id="timeline"]').get_by_test_id(
        "jump-step"
    ).click()
    form = phone.get_by_test_id("compose-timeline")
    for when, place, text in MOMENTS:
        expect(form).to_be_visible(timeout=T)
        form.get_by_test_id("field-when").fill(when)
        form.get_by_test_id("field-place").fill(place)
        form.get_by_test_id("field-text").fill(text)
        form.get_by_test_id("post-button").click()
        expect(phone.get_by_test_id("own-card").filter(has_text=text)).to_be_visible()

    # Between workshops: the portfolio, from the phone.
    phone.get_by_test_id("portfolio-link").click()
    pathway = phone.get_by_test_id("section-migration_pathway")
    for _when, _place, text in MOMENTS:
        entry = pathway.get_by_test_id("entry").filter(has_text=text)
        expect(entry).to_contain_text("Workshop 2")
    # A private entry of her own.
    phone.get_by_test_id("add-competences").click()
    phone.get_by_label("The competence").fill("Finding my way in a new city")
    phone.get_by_text("Migration competence").click()
    phone.get_by_label("What shows it").fill("I learnt the Paris metro in a week")
    phone.get_by_test_id("save-entry").click()
    mine = phone.get_by_test_id("section-competences").get_by_test_id("entry")
    expect(mine.filter(has_text="Finding my way")).to_contain_text("Private")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    phone.screenshot(path=str(artefacts / "portfolio-phone.png"), full_page=True)

    # The tutor reads what was shared (the room's cards), not the private entry.
    console.goto(f"{base}/tutor")
    console.get_by_test_id("cohort").filter(has_text=DEMO_COHORT).get_by_test_id(
        "cohort-link"
    ).click()
    row = console.get_by_test_id("member-row").filter(has_text="Nadia")
    row.get_by_test_id("portfolio-link").click()
    expect(console.get_by_text(MOMENTS[0][2])).to_be_visible()
    expect(console.get_by_text("Finding my way in a new city")).to_have_count(0)

    # The PDF of the portfolio.
    pdf = download(phone, lambda: phone.get_by_test_id("download-pdf").click())
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Nadia" in text and "I worked in a hotel kitchen" in text
    assert "Finding my way in a new city" in text
    first_page_png(pdf, artefacts / "browser-portfolio-page-1.png")

    # The CV: a headline, contact details for this export only.
    phone.goto(f"{base}/me/cv")
    phone.get_by_label("The job you are looking for").fill("Kitchen assistant")
    phone.get_by_label("E-mail").fill("nadia@example.org")
    cv = download(phone, lambda: phone.get_by_test_id("cv-download").click())
    text = pdf_text(cv)
    assert "Kitchen assistant" in text and "nadia@example.org" in text
    first_page_png(cv, artefacts / "browser-cv-page-1.png")
    phone.goto(f"{base}/me/cv")
    expect(phone.get_by_label("E-mail")).to_have_value("")  # not kept
