"""One user story in a real browser: a tutor runs workshop 1, a phone joins and posts,
the projector shows the card, the tutor hides it and its author is told why.

Uses the `live_server`, `browser` and `artefacts` fixtures (tests/fixtures/). Three browser
contexts stand for three devices: the tutor's laptop, the projector, a participant's phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browsing import T, phone_context, tutor_starts
from tests.browsing import context as _context
from tests.browsing import current_step as _current_step
from tests.browsing import log_in as _log_in

pytestmark = pytest.mark.browser

MEETING = "w1-presentation"
RULES_STEP = "group-rules"
NAME = "Amina"
RULE = "We listen to each other"
REASON = "Already said by the group"


def test_tutor_runs_a_workshop_a_phone_posts_and_the_tutor_hides_a_card(
    live_server, browser: Browser, artefacts, closing
) -> None:
    base = live_server.url
    # --- The tutor logs in and starts workshop 1 from the dashboard. ---
    tutor_ctx = closing.enter_context(_context(browser, 1280, 800))
    meeting = tutor_starts(tutor_ctx, base, MEETING)
    console, session_path, code = meeting.console, meeting.path, meeting.code
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", code), code
    expect(console.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )
    expect(_current_step(console)).to_have_attribute("data-step-index", "0", timeout=T)

    # --- The projector (same tutor, another device) shows the code and the QR code. ---
    projector_ctx = closing.enter_context(_context(browser, 1920, 1080))
    projector = projector_ctx.new_page()
    _log_in(projector, base)
    projector.goto(f"{base}{session_path}/projector")
    expect(projector.get_by_test_id("projector-code")).to_have_text(code, timeout=T)
    expect(projector.get_by_test_id("projector-qr").locator("svg")).to_be_visible(timeout=T)
    join_url = projector.get_by_test_id("projector-join-url").inner_text().strip()
    assert join_url == f"{base}/j/{code}", join_url
    expect(projector.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )

    # --- A phone opens the QR code's address, gives a first name and consents. ---
    phone_ctx = closing.enter_context(phone_context(browser))
    phone = phone_ctx.new_page()
    phone.goto(join_url)
    phone.get_by_test_id("join-name").fill(NAME)
    phone.get_by_test_id("consent-data").check()
    phone.get_by_test_id("join-submit").click()
    expect(phone.get_by_test_id("waiting-message")).to_contain_text(NAME, timeout=T)
    room_url = phone.url

    # --- The tutor lets them in; the phone moves into the room by itself. ---
    waiting = console.get_by_test_id("waiting-entry").filter(has_text=NAME)
    expect(waiting).to_be_visible(timeout=T)
    waiting.get_by_test_id("admit-button").click()
    expect(console.get_by_test_id("member-entry").filter(has_text=NAME)).to_be_visible(timeout=T)
    expect(waiting).to_have_count(0, timeout=T)
    expect(phone.get_by_test_id("my-cards")).to_be_attached(timeout=T)
    expect(phone.locator('[data-testid="prompt"]:visible')).to_have_count(1, timeout=T)
    assert phone.url == room_url

    # --- The tutor moves on to the group-rules step. ---
    for _ in range(10):
        current = _current_step(console)
        expect(current).to_have_count(1, timeout=T)
        if current.get_attribute("data-step-id") == RULES_STEP:
            break
        index = int(current.get_attribute("data-step-index") or "0")
        console.get_by_test_id("next-step").click()
        expect(_current_step(console)).to_have_attribute(
            "data-step-index", str(index + 1), timeout=T
        )
    expect(_current_step(console)).to_have_attribute("data-step-id", RULES_STEP, timeout=T)
    expect(
        projector.locator(f'[data-testid="projector-step-title"][data-step-id="{RULES_STEP}"]')
    ).to_be_visible(timeout=T)

    # --- The phone posts a rule; the projector shows it. ---
    form = phone.get_by_test_id("compose-group_rules")
    expect(form).to_be_visible(timeout=T)
    form.get_by_test_id("field-text").fill(RULE)
    form.get_by_test_id("post-button").click()
    own_card = phone.get_by_test_id("own-card").filter(has_text=RULE)
    expect(own_card).to_be_visible(timeout=T)
    expect(own_card).to_have_attribute("data-hidden", "false", timeout=T)
    expect(form.get_by_test_id("field-text")).to_have_value("", timeout=T)
    projected = projector.get_by_test_id("projector-card").filter(has_text=RULE)
    expect(projected).to_be_visible(timeout=T)
    expect(projected).to_contain_text(NAME)
    projector.screenshot(path=str(artefacts / "projector-board.png"))

    # --- The tutor hides it, with a reason. ---
    tutor_card = console.get_by_test_id("tutor-card").filter(has_text=RULE)
    expect(tutor_card).to_be_visible(timeout=T)
    tutor_card.get_by_test_id("hide-button").click()
    hide = console.get_by_test_id("hide-dialog")  # typed in the console, not a prompt box
    hide.get_by_test_id("hide-reason").fill(REASON)
    hide.get_by_test_id("hide-submit").click()
    expect(tutor_card).to_have_attribute("data-hidden", "true", timeout=T)
    expect(console.get_by_test_id("console-alert")).to_be_hidden()

    # The author sees it hidden, and why; the room no longer sees it.
    expect(own_card).to_have_attribute("data-hidden", "true", timeout=T)
    expect(own_card.get_by_test_id("hidden-mark")).to_contain_text(REASON, timeout=T)
    expect(projected).to_have_count(0, timeout=T)
    expect(phone.get_by_test_id("shared-card").filter(has_text=RULE)).to_have_count(0, timeout=T)

    phone.screenshot(path=str(artefacts / "phone-room.png"), full_page=True)
    console.evaluate("window.scrollTo(0, 0)")
    console.screenshot(path=str(artefacts / "console.png"), full_page=True)
