"""A phone at 360 px, the projector and the console through a meeting with a hidden-first
pathway, the anonymous feedback and a break (Chromium against a real server): the phone
says under its form who will see the card and whether it goes into the portfolio; its
author's "Show to the group" switch takes the card to the projector once the tutor shows
the cards, and "Also show the place and date" adds them; the break is a calm "Pause".

The server runs the shipped workshops plus one small meeting of this file's own, so the
test does not depend on how the shipped scripts are written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.paths import ROOT
from tests.browsing import context, join, log_in
from tests.drivers import ServerRoom
from tests.fixtures.servers import (
    ServerProcess,
    free_port,
    prepared_env,
    released_instance,
    wait_for_health,
)
from tests.test_workshops import step_md, write

pytestmark = pytest.mark.browser

SLUG = "zz-stories"
STEP = {"timeline": 1, "break": 2, "feedback": 3}
STORY = "I crossed the sea at night"
PLACE = "Lampedusa"


def stories_meeting(folder: Path) -> None:
    """A meeting outside the cycle: a hidden-first pathway, a break, the feedback."""
    steps = (
        step_md("welcome", duration=5),
        step_md(
            "timeline",
            board="timeline",
            feeds="migration_pathway",
            duration=20,
            extra="visibility: hidden\n",
        ),
        step_md("break", duration=10, extra="kind: break\n"),
        step_md("feedback", board="programme_feedback", duration=10),
        step_md("closing", duration=5),
    )
    front = "order: 99\noptional: yes\n"
    for locale in ("fr", "en"):
        name = f"{SLUG}.{locale}.md"
        write(folder, name, steps=steps, duration_minutes=50, number="T", extra_front=front)


@pytest.fixture(scope="module")
def stories_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A real server (eventlet) released as every browser test's, whose scripts are the
    shipped ones and the stories meeting."""
    tmp = tmp_path_factory.mktemp("stories")
    folder = tmp / "workshops"
    shutil.copytree(ROOT / "workshops", folder)
    stories_meeting(folder)
    port = free_port()
    env = prepared_env(
        tmp / "instance", "eventlet", port, MIGRAPASS_RATE_LIMIT_STAFF="600/10 seconds"
    )
    released_instance(env)  # migrated and seeded with the shipped scripts, as the others
    env["MIGRAPASS_WORKSHOPS_DIR"] = str(folder)
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, env, log)
    try:
        wait_for_health(server.url, process, log)
        yield server
    finally:
        server.stop()


@pytest.fixture
def room(stories_server: ServerProcess) -> Iterator[ServerRoom]:
    started = ServerRoom.open(stories_server, SLUG)
    yield started
    started.end()


def tutor_page(browser: Browser, room: ServerRoom, closing: ExitStack, which: str) -> Page:
    """The demo tutor's projector or console of the room, on a screen of its own."""
    size = (1920, 1080) if which == "projector" else (1280, 900)
    screen = context(browser, *size)
    closing.callback(screen.close)
    page = screen.new_page()
    log_in(page, room.url)
    page.goto(f"{room.url}/sessions/{room.session_id}/{which}")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return page


def test_the_phone_says_who_sees_a_card_and_the_show_switch_reaches_the_projector(
    browser: Browser, room: ServerRoom, closing: ExitStack, artefacts: Path
):
    device = context(browser, 360, 740, is_mobile=True, has_touch=True)
    closing.callback(device.close)
    _, phone = join(browser, room.join_url, "Halima", "en", device)
    room.admit_everyone()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    projector = tutor_page(browser, room, closing, "projector")
    console = tutor_page(browser, room, closing, "console")

    # The pathway starts hidden: the phone says so, under its form.
    room.go_to(STEP["timeline"])
    notice = phone.get_by_test_id("board-notice")
    expect(notice).to_have_text(
        "Only you and the tutors see this card. You choose whether the group sees it. "
        "It goes into your personal file (portfolio)."
    )
    form = phone.get_by_test_id("compose-timeline")
    form.get_by_test_id("field-when").fill("07/2016")
    form.get_by_test_id("field-place").fill(PLACE)
    form.get_by_test_id("field-text").fill(STORY)
    form.get_by_test_id("post-button").click()
    card = phone.get_by_test_id("own-card").filter(has_text=STORY)
    switch = card.get_by_test_id("show-switch")
    expect(switch).not_to_be_checked()
    expect(card.get_by_test_id("show-details")).to_be_disabled()
    reveal = console.get_by_test_id("board-until-reveal")
    expect(reveal).to_have_text("Show the cards chosen by their authors")
    expect(console.get_by_test_id("board-state")).to_contain_text("0 of 1 card chosen to be shown")

    # The tutor shows the cards: nobody chose yet, the wall stays empty.
    reveal.click()
    expect(reveal).to_have_text("Hide the cards")
    expect(projector.get_by_test_id("projector-board")).not_to_contain_text(STORY)

    # Halima shows hers with one tap on a target a finger finds.
    target = card.locator(".choice-switch.is-switch")
    box = target.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    target.tap()
    expect(card.get_by_test_id("show-switch")).to_be_checked()
    expect(card.get_by_test_id("show-state")).to_have_text("The group can see this card now.")
    wall = projector.get_by_test_id("projector-board")
    expect(wall).to_contain_text(STORY)
    expect(wall).not_to_contain_text(PLACE)
    expect(console.get_by_test_id("board-state")).to_contain_text("1 of 1 card chosen to be shown")

    # The place and date, apart, from the keyboard.
    details = card.get_by_test_id("show-details")
    expect(details).to_be_enabled()
    details.focus()
    phone.keyboard.press("Space")
    expect(wall).to_contain_text(PLACE)
    phone.screenshot(path=str(artefacts / "hidden-first-phone-360.png"), full_page=True)
    projector.screenshot(path=str(artefacts / "hidden-first-projector.png"))
    console.screenshot(path=str(artefacts / "hidden-first-console.png"), full_page=True)

    # Taken back, then shown again: the place and date stay back until chosen afresh.
    card.locator(".choice-switch.is-switch").tap()
    expect(wall).not_to_contain_text(STORY)
    card.locator(".choice-switch.is-switch").tap()
    expect(wall).to_contain_text(STORY)
    expect(card.get_by_test_id("show-details")).not_to_be_checked()
    expect(wall).not_to_contain_text(PLACE)

    # The break: a calm pause on the wall, no form on the phone.
    room.go_to(STEP["break"])
    pause = projector.get_by_test_id("projector-break")
    expect(pause).to_be_visible()
    expect(pause).to_contain_text("Pause")
    expect(projector.get_by_test_id("projector-break-back")).to_have_text("Back in 10 minutes")
    expect(phone.get_by_test_id("break-note")).to_be_visible()
    expect(phone.get_by_test_id("post-button").first).to_be_hidden()
    console.get_by_test_id("break-timer").click()
    expect(projector.get_by_test_id("projector-break-clock")).to_have_text(
        re.compile(r"^(10:00|9:5\d)$")
    )
    projector.screenshot(path=str(artefacts / "break-projector.png"))

    # The feedback: no name, nothing to take back, not in the portfolio.
    room.go_to(STEP["feedback"])
    expect(notice).to_have_text(
        "Your answer has no name: nobody can know it is yours. "
        "Once it is sent, you cannot change it or take it back. "
        "It does not go into your portfolio."
    )
    feedback = phone.get_by_test_id("compose-programme_feedback")
    expect(feedback).to_contain_text(
        "Today, do you feel more or less confident about your competences than at the start"
    )
    answers = feedback.locator(".choice-option")
    expect(answers).to_have_text(
        [
            "Much more confident",
            "More confident",
            "As confident as at the start",
            "Less confident",
            "Much less confident",
            "I do not know",
        ]
    )
    for index in range(6):
        box = answers.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44, box
    answers.nth(1).tap()  # "More confident": anywhere on its label
    expect(feedback.get_by_test_id("field-confidence-more")).to_be_checked()
    feedback.get_by_test_id("field-helped").fill("The mock interviews")
    feedback.get_by_test_id("post-button").click()
    expect(phone.get_by_test_id("post-status")).to_have_text(
        "Thank you. Your answer is sent, with no name."
    )
    expect(phone.get_by_test_id("own-card").filter(has_text="The mock interviews")).to_have_count(0)
    expect(console.locator('[data-role="cards-count"]')).to_have_text("1")
    expect(console.get_by_test_id("console-board")).not_to_contain_text("The mock interviews")

    # Closed, the answers are the tutor's to read first (to hide one), not the wall's.
    board_state = console.get_by_test_id("board-state")
    expect(board_state).to_contain_text("Close the board to read the answers before showing them.")
    console.get_by_test_id("board-lock").click()
    expect(console.get_by_test_id("console-board")).to_contain_text("The mock interviews")
    expect(board_state).to_contain_text("Only the tutors read the answers")
    expect(projector.get_by_test_id("projector-board")).not_to_contain_text("The mock interviews")
    phone.screenshot(path=str(artefacts / "feedback-phone-360.png"), full_page=True)

    # Shown, the card says how its author feels, with no name.
    console.get_by_test_id("board-until-reveal").click()
    shown = projector.get_by_test_id("projector-board")
    expect(shown).to_contain_text("The mock interviews")
    expect(shown.locator(".tag-confidence")).to_have_text("More confident")
    expect(console.get_by_test_id("console-board").locator(".tag-confidence")).to_have_text(
        "More confident"
    )
    expect(shown).not_to_contain_text("Halima")
