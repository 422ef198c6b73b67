"""The self-assessment on a phone (Chromium at 360 px, against the real server): five
questions answered on the pictogram scale with a tap each, sent once, thanked, never
seen by the console; then the person deletes their data and the phone keeps nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.vocabulary.boards import SELF_ASSESSMENT_QUESTIONS
from tests.browsing import context, join
from tests.drivers import ServerRoom
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

SELF_ASSESSMENT = 4  # workshop 1's step: after the presentations, the group rules, the break


@pytest.fixture
def room(live_server: ServerProcess) -> Iterator[ServerRoom]:
    started = ServerRoom.open(live_server, "w1-presentation")
    yield started
    started.end()


def on_the_step(browser: Browser, room: ServerRoom, closing: ExitStack) -> Page:
    """Halima's phone (360 px) let in, and the room on the self-assessment."""
    device = context(browser, 360, 740, is_mobile=True, has_touch=True)
    closing.callback(device.close)
    _, phone = join(browser, f"{room.url}/j/{room.code}", "Halima", "en", device)
    room.admit_everyone()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    room.go_to(SELF_ASSESSMENT)
    return phone


def test_a_phone_answers_only_the_count_reaches_the_console_and_deleting_leaves_nothing(
    browser: Browser, room: ServerRoom, closing: ExitStack, artefacts: Path
):
    phone = on_the_step(browser, room, closing)

    form = phone.get_by_test_id("compose-self_assessment")
    expect(form).to_be_visible()
    expect(form.get_by_test_id("self-assessment-privacy")).to_be_visible()
    for number, key in enumerate(SELF_ASSESSMENT_QUESTIONS):
        option = form.get_by_test_id(f"field-{key}-{number % 4 + 1}").locator("xpath=..")
        box = option.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, (key, box)
        option.tap()
    phone.screenshot(path=str(artefacts / "self-assessment-phone-360.png"), full_page=True)
    form.get_by_test_id("post-button").click()

    expect(phone.get_by_test_id("post-status")).to_contain_text("Only you can see them")
    board = room.console.call("sync")["board"]
    assert board["cards"] == []  # the tutor never receives the answers
    (step,) = [b for b in board["boards"] if b.get("private")]
    assert step["answered"] == 1

    # A family's shared phone: after "Delete my data", nothing of hers stays on it.
    kept = "Object.keys(localStorage).filter(k => k.startsWith('mp:draft:'))"
    assert phone.evaluate(kept), "the answers were kept on the phone while in the room"
    phone.goto(f"{room.url}/")
    phone.get_by_test_id("my-data-link").click()
    phone.get_by_test_id("delete-start").click()
    phone.get_by_test_id("delete-confirm").check()
    phone.get_by_test_id("delete-submit").click()
    expect(phone.get_by_test_id("forgotten")).to_be_visible()
    phone.screenshot(path=str(artefacts / "data-deleted-phone-360.png"), full_page=True)
    assert phone.evaluate(kept) == []
