"""What a screen reader hears of the room, on a phone and on the console (real browsers).

A live region (role="status", polite) says the news in few words: three cards posted
together are one message, "3 new cards on the board", never three; a card changed by its
author is no news; the console hears who waits at the door; both hear the timer at one
minute left and at its end. Every text the region ever took is recorded in the page, so
a message said and replaced is still counted.
"""

from __future__ import annotations

import re
from contextlib import ExitStack

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browsing import T, context, join, open_console
from tests.drivers import Listener, ServerRoom, logged_in_tutor, phone_joins
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

OTHERS = ("Ines", "Jamal", "Kofi")
# A name the group may already have is told apart by its number ("Zohra #12").
AT_THE_DOOR = re.compile(r"^Zohra( #\d+)? is waiting at the door$")

# Keeps every text the live region takes, in order, in the page.
RECORD = """
() => {
  window.heard = [];
  const region = document.querySelector('[data-testid="live-announcement"]');
  new MutationObserver(() => {
    if (region.textContent) window.heard.push(region.textContent);
  }).observe(region, { childList: true, characterData: true, subtree: true });
}
"""


def heard(page: Page) -> list[str]:
    return page.evaluate("window.heard")


def said(page: Page, text: str | re.Pattern[str]) -> None:
    """The region says `text` now (it keeps its last message until the next)."""
    expect(page.get_by_test_id("live-announcement")).to_have_text(text, timeout=T)


@pytest.fixture
def tutor(live_server: ServerProcess) -> requests.Session:
    return logged_in_tutor(live_server.url)


def test_the_phone_and_the_console_announce_new_cards_together_the_door_and_the_timer(
    browser: Browser, live_server: ServerProcess, tutor: requests.Session, closing: ExitStack
) -> None:
    room = ServerRoom.open(live_server, "w1-presentation", tutor=tutor, closing=closing)
    room.go_to("group-rules")
    knocked = {name: phone_joins(live_server.url, room.code, name) for name in OTHERS}
    device = closing.enter_context(context(browser, 360, 740, is_mobile=True, has_touch=True))
    _, phone = join(browser, room.join_url, "Samira", "en", device)
    room.admit_everyone()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    console = open_console(browser, live_server.url, room.session_id, closing, (1366, 768))
    expect(console.get_by_test_id("waiting-entry")).to_have_count(0)
    for page in (phone, console):
        expect(page.get_by_test_id("live-announcement")).to_have_text("")  # nothing yet
        page.evaluate(RECORD)

    # Three people post a rule each, within a second: one message, on both screens.
    others = {
        name: Listener(live_server.url, "/participant", room.session_id, cookies)
        for name, cookies in knocked.items()
    }
    cards = {}
    for name, sock in others.items():
        closing.callback(sock.client.disconnect)
        cards[name] = sock.does(
            "post",
            client_id=f"announce-rule-{name}",
            board="group_rules",
            fields={"text": f"{name}: we listen to each other"},
        )["seq"]
    for page in (phone, console):
        said(page, "3 new cards on the board")

    # Ines rewrites hers: no news. Then someone knocks: the console hears it.
    others["Ines"].does(
        "edit",
        client_id="announce-edit-Ines",
        card_id=cards["Ines"],
        fields={"text": "Ines: we listen to each other, until the end"},
    )
    expect(phone.get_by_test_id("shared-card").filter(has_text="until the end")).to_be_visible()
    phone_joins(live_server.url, room.code, "Zohra")
    said(console, AT_THE_DOOR)

    # A timer of a minute and two seconds: "One minute left" on both, then a short one
    # runs out: "Time is up" on both.
    room.call("timer_start", {"seconds": 62})
    for page in (phone, console):
        said(page, "One minute left")
    room.call("timer_start", {"seconds": 2})
    for page in (phone, console):
        said(page, "Time is up")

    assert heard(phone) == ["3 new cards on the board", "One minute left", "Time is up"]
    news, door, *timer = heard(console)
    assert news == "3 new cards on the board" and AT_THE_DOOR.match(door), heard(console)
    assert timer == ["One minute left", "Time is up"]
