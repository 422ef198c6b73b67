"""A participant who reads Arabic (or Spanish) better than French, on a 360 px phone
against a real server: she joins, switches to Arabic, the room is laid out right to left with the
prompts in Arabic, she asks for the French beside them, listens to a prompt (the phone's
own speech synthesis, checked in the page), writes about herself, listens to her card, and takes
her portfolio as a PDF in Arabic. Screenshots of the room, the portfolio page and the
PDF's first page, in Arabic and in Spanish, are saved in test-artefacts/languages/.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.paths import ROOT
from app.workshops import load_script
from tests.browsing import context, join
from tests.drivers import ServerRoom
from tests.test_browser_portfolio import download, first_page_png, pdf_text

pytestmark = pytest.mark.browser

MEETING = "w1-presentation"

# The phone's speech synthesis, replaced before any script runs: it keeps what it was
# asked to say, in which language, and ends each utterance at once.
FAKE_SPEECH = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speak: function (u) { window.__spoken.push({ text: u.text, lang: u.lang });
                        setTimeout(function () { if (u.onend) u.onend(); }, 20); },
  cancel: function () {}, getVoices: function () { return []; }
}});
"""


@pytest.fixture(scope="module")
def script():
    return load_script(ROOT / "workshops", ("fr", "ar", "es"))


@pytest.fixture
def shots(artefacts: Path) -> Path:
    folder = artefacts / "languages"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def room(live_server) -> Iterator[ServerRoom]:
    started = ServerRoom.open(live_server, MEETING)
    yield started
    started.end()


def phone_in(browser: Browser, room: ServerRoom, closing: ExitStack, name: str, lang: str) -> Page:
    device = context(browser, 360, 740, is_mobile=True, has_touch=True)
    closing.callback(device.close)
    device.add_init_script(FAKE_SPEECH)
    _, phone = join(browser, room.join_url, name, lang, device)
    room.admit_everyone()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return phone


def prompt_of(phone: Page, step_id: str):
    return phone.locator(f'[data-testid="prompt"][data-step-id="{step_id}"]')


def no_sideways_scroll(phone: Page) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_a_participant_reads_in_arabic_with_french_beside_listens_posts_and_gets_her_pdf(
    browser: Browser, room: ServerRoom, closing: ExitStack, shots: Path, script
):
    phone = phone_in(browser, room, closing, "Amina", "fr")
    room.go_to("group-rules")
    # She switches to Arabic at the foot of the room: kept for her, the room mirrored.
    phone.get_by_test_id("language-switch").locator('button[value="ar"]').click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    arabic = script.meeting(MEETING, "ar").step("group-rules")
    french = script.meeting(MEETING, "fr").step("group-rules")
    prompt = prompt_of(phone, "group-rules")
    expect(prompt.get_by_test_id("prompt-title")).to_contain_text(arabic.title)
    expect(prompt.get_by_test_id("prompt-french")).to_have_count(0)

    # "Show French with my language", at the foot of the page: kept for her.
    phone.get_by_test_id("french-beside").click()
    prompt = prompt_of(phone, "group-rules")
    expect(prompt.get_by_test_id("prompt-title-french")).to_have_text(french.title)
    expect(prompt.get_by_test_id("prompt-french")).to_be_visible()
    post = phone.get_by_test_id("compose-group_rules").get_by_test_id("post-button")
    expect(post.locator(".french-words")).to_have_text("Envoyer")
    expect(post.locator('[data-icon="send"]')).to_have_count(1)

    # She listens to the prompt: in Arabic, its own words.
    prompt.get_by_test_id("listen").first.click()
    phone.wait_for_function("window.__spoken.length > 0")
    spoken = phone.evaluate("window.__spoken[0]")
    assert spoken["lang"] == "ar"
    shown = " ".join(prompt.locator(".prose").first.inner_text().split())
    assert spoken["text"] == shown

    # In the round of presentations, she writes about herself in Arabic, and listens.
    room.go_to("presentations")
    about_me = "أنا طبّاخة وأحبّ الرسم"
    form = phone.get_by_test_id("compose-free_text")
    form.get_by_test_id("field-text").fill(about_me)
    form.get_by_test_id("post-button").click()
    card = phone.get_by_test_id("own-card").filter(has_text=about_me)
    expect(card).to_be_visible()
    # "My cards" names the step once, in her language (the French is under the prompt).
    presentations = script.meeting(MEETING, "ar").step("presentations").title
    expect(phone.locator(".own-group-title").first).to_have_text(presentations)
    card.get_by_test_id("card-listen").click()
    phone.wait_for_function("window.__spoken.length > 1")
    assert phone.evaluate("window.__spoken[1]") == {"text": about_me, "lang": "ar"}
    no_sideways_scroll(phone)
    phone.screenshot(path=str(shots / "room-ar-360.png"), full_page=True)

    # Her portfolio, then its PDF, in Arabic.
    phone.get_by_test_id("portfolio-link").click()
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.get_by_text(about_me)).to_be_visible()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(shots / "portfolio-ar-360.png"), full_page=True)
    pdf = download(phone, lambda: phone.get_by_test_id("download-pdf").click())
    text = pdf_text(pdf)
    assert "Amina" in text and about_me in text
    assert "ملف المهارات" in text  # the cover's title, in Arabic
    first_page_png(pdf, shots / "portfolio-pdf-ar.png")


def test_a_participant_reads_in_spanish_and_her_pdf_is_in_spanish(
    browser: Browser, room: ServerRoom, closing: ExitStack, shots: Path, script
):
    phone = phone_in(browser, room, closing, "Lucía", "es")
    room.go_to("presentations")
    spanish = script.meeting(MEETING, "es").step("presentations")
    prompt = prompt_of(phone, "presentations")
    expect(prompt.get_by_test_id("prompt-title")).to_contain_text(spanish.title)
    form = phone.get_by_test_id("compose-free_text")
    expect(form.get_by_test_id("post-button")).to_contain_text("Enviar")
    form.get_by_test_id("field-text").fill("Escuchamos a cada persona")
    form.get_by_test_id("post-button").click()
    expect(phone.get_by_test_id("own-card").filter(has_text="Escuchamos")).to_be_visible()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(shots / "room-es-360.png"), full_page=True)

    phone.get_by_test_id("portfolio-link").click()
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    phone.screenshot(path=str(shots / "portfolio-es-360.png"), full_page=True)
    pdf = download(phone, lambda: phone.get_by_test_id("download-pdf").click())
    text = pdf_text(pdf)
    assert "Lucía" in text and "Escuchamos a cada persona" in text
    assert "Portafolio" in text or "portafolio" in text
    first_page_png(pdf, shots / "portfolio-pdf-es.png")
