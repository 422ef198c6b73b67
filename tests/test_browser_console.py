"""The tutor's console on a 1366×768 laptop, in a real browser against the real server.

Each test is one thing a tutor does in a full room (issue 14): run the board beside the
step's controls without scrolling, let the whole queue in at once, open a vote only where
the board takes votes, hide a card and name a family in the console itself (never the
browser's prompt box), turn the wall's pages and put one card alone on the wall.
The room is set up through the tutor's own socket; what is tried goes through the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from app.field_limits import field_limits
from tests.browsing import T, context, current_step, log_in, open_console
from tests.drivers import Listener, ServerRoom, logged_in_tutor, phone_joins
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

RULES = [
    "We listen to each other until the end, without interrupting anyone",
    "Phones stay silent during the workshop, except to post our cards",
    "What is said in this room stays in this room, always",
    "Everyone may pass their turn and speak later, no one is forced",
    "We arrive on time, and we say so when we cannot come",
    "We ask when a word is not clear: there are no silly questions",
    "We speak in French, and help each other to find the words",
    "We respect every culture, every religion and every way of life",
]
LONG_CARD = ("I cooked for two hundred people every day in Tunis; " * 10)[:500]


@pytest.fixture(scope="module")
def tutor(live_server: ServerProcess) -> requests.Session:
    """The demo tutor, logged in once for the module (a log-in hashes a password)."""
    return logged_in_tutor(live_server.url)


@pytest.fixture(scope="module")
def signed_in(browser: Browser, live_server: ServerProcess) -> dict:
    """The tutor's browser cookies, logged in once through the log-in page."""
    device = context(browser, 1366, 768)
    page = device.new_page()
    log_in(page, live_server.url)
    state = device.storage_state()
    device.close()
    return state


def laptop_console(browser: Browser, signed_in: dict, room: ServerRoom, closing: ExitStack) -> Page:
    """The tutor's console on a 1366×768 laptop, connected."""
    return open_console(
        browser, room.url, room.session_id, closing, (1366, 768), storage_state=signed_in
    )


def at_step(room: ServerRoom, console: Page, step_id: str) -> None:
    index = console.locator(f'[data-testid="step-item"][data-step-id="{step_id}"]')
    room.call("step", {"index": int(index.get_attribute("data-step-index") or "0")})
    expect(current_step(console)).to_have_attribute("data-step-id", step_id)


@pytest.fixture
def rules_on_the_console(
    browser: Browser,
    live_server: ServerProcess,
    tutor: requests.Session,
    signed_in: dict,
    closing: ExitStack,
) -> Callable[[int], tuple[ServerRoom, Page]]:
    """A new workshop 1 at the group's rules, its first `count` rules posted, on the
    laptop's console."""

    def open_(count: int) -> tuple[ServerRoom, Page]:
        room = ServerRoom.open(live_server, tutor=tutor, closing=closing)
        console = laptop_console(browser, signed_in, room, closing)
        at_step(room, console, "group-rules")
        room.post_rules(RULES[:count])
        return room, console

    return open_


def eventually(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + T / 1000
    while not check():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


def wholly_in_view(page: Page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    viewport = page.viewport_size
    assert box and viewport, (box, viewport)
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (selector, box)


def test_on_a_1366_laptop_the_first_card_sits_beside_the_step_controls(
    browser, live_server, tutor, signed_in, closing, artefacts
):
    room = ServerRoom.open(live_server, tutor=tutor, closing=closing)
    for name in ("Awa", "Bilal", "Chen"):
        phone_joins(live_server.url, room.code, name)
    console = laptop_console(browser, signed_in, room, closing)
    at_step(room, console, "group-rules")
    room.post_rules(RULES)
    expect(console.get_by_test_id("tutor-card")).to_have_count(len(RULES))

    # The group's rules take votes from the start.
    expect(console.get_by_test_id("open-voting")).to_be_visible()
    expect(console.get_by_test_id("voting-hint")).to_be_hidden()
    for controls in ("next-step", "prev-step", "timer-start", "tutor-card", "board-lock"):
        wholly_in_view(console, f'[data-testid="{controls}"]')
    assert console.evaluate("document.documentElement.scrollWidth") <= 1366
    console.screenshot(path=str(artefacts / "console-1366.png"))


def test_let_everyone_in_admits_the_three_waiting_after_one_confirmation(
    browser, live_server, tutor, signed_in, closing
):
    room = ServerRoom.open(live_server, tutor=tutor, closing=closing)
    room.call("clear_door")  # the door is the group's: nobody from an earlier evening
    console = laptop_console(browser, signed_in, room, closing)
    for name in ("Dalia", "Emre", "Fatou"):
        phone_joins(live_server.url, room.code, name)
    expect(console.get_by_test_id("waiting-entry")).to_have_count(3)

    console.get_by_test_id("admit-all").click()
    question = console.get_by_test_id("admit-all-confirm")
    expect(question).to_contain_text("Let in the 3 people waiting at the door?")
    expect(console.get_by_test_id("waiting-entry")).to_have_count(3)  # nobody yet
    question.get_by_test_id("admit-all-yes").click()

    expect(console.get_by_test_id("waiting-entry")).to_have_count(0)
    for name in ("Dalia", "Emre", "Fatou"):
        expect(console.get_by_test_id("member-entry").filter(has_text=name)).to_have_count(1)
    expect(console.get_by_test_id("admit-all")).to_be_hidden()
    expect(console.get_by_test_id("console-alert")).to_be_hidden()


def test_a_vote_opens_only_where_the_board_takes_votes(
    browser, live_server, tutor, signed_in, closing
):
    room = ServerRoom.open(live_server, "w4-professional-competences", tutor=tutor, closing=closing)
    console = laptop_console(browser, signed_in, room, closing)
    open_vote = console.get_by_test_id("open-voting")

    # Welcome: no board, no board controls at all.
    expect(console.get_by_test_id("board-lock")).to_be_hidden()
    expect(open_vote).to_be_hidden()

    # A person's experiences take no votes: only families of cards would.
    at_step(room, console, "my-experiences")
    expect(console.get_by_test_id("board-state")).to_contain_text("Board open")
    expect(open_vote).to_be_hidden()
    expect(console.get_by_test_id("voting-hint")).to_be_visible()

    # Once the tutor makes a family, a vote on the families can open.
    console.get_by_test_id("cluster-title").fill("Kitchen jobs")
    console.get_by_test_id("cluster-create").click()
    expect(console.get_by_test_id("board-cluster")).to_have_count(1)
    expect(open_vote).to_be_visible()
    console.get_by_test_id("vote-budget").fill("2")
    open_vote.click()
    expect(console.get_by_test_id("board-state")).to_contain_text("Voting: 2 votes each")
    expect(open_vote).to_be_hidden()
    console.get_by_test_id("close-voting").click()
    expect(console.get_by_test_id("board-state")).to_contain_text("No vote open")


def test_a_card_is_hidden_with_a_reason_typed_in_the_console(rules_on_the_console):
    _, console = rules_on_the_console(1)
    console.on("dialog", lambda dialog: pytest.fail(f"a browser box asked: {dialog.message}"))

    # The buttons say what they will do; the state line says what the board is.
    state = console.get_by_test_id("board-state")
    expect(state).to_contain_text("Anonymous: off")
    anonymous = console.get_by_test_id("board-anonymous")
    expect(anonymous).to_have_text("Make anonymous")
    anonymous.click()
    expect(state).to_contain_text("Anonymous: on")
    expect(anonymous).to_have_text("Show the names again")
    expect(console.get_by_test_id("board-lock")).to_have_text("Close the board")

    card = console.get_by_test_id("tutor-card")
    card.get_by_test_id("hide-button").click()
    dialog = console.get_by_test_id("hide-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(RULES[0])
    dialog.get_by_test_id("hide-reason").fill("Said twice: see the rule above")
    dialog.get_by_test_id("hide-submit").click()

    expect(dialog).to_be_hidden()
    expect(card).to_have_attribute("data-hidden", "true")
    expect(card).to_contain_text("Said twice: see the rule above")
    expect(console.get_by_test_id("console-alert")).to_be_hidden()


def test_a_familys_title_is_typed_in_the_console(rules_on_the_console):
    _, console = rules_on_the_console(2)
    console.on("dialog", lambda dialog: pytest.fail(f"a browser box asked: {dialog.message}"))
    console.get_by_test_id("cluster-title").fill("Listening")
    console.get_by_test_id("cluster-create").click()
    family = console.get_by_test_id("board-cluster")
    expect(family).to_have_count(1)

    family.get_by_test_id("cluster-rename").click()
    dialog = console.get_by_test_id("rename-dialog")
    field = dialog.get_by_test_id("rename-title")
    expect(field).to_have_value("Listening")
    limit = field_limits()["cluster_title"]
    too_long = "R" * (limit + 1)
    field.fill(too_long)
    dialog.get_by_test_id("rename-submit").click()
    expect(dialog.locator(".char-count")).to_have_text("1 character too many: please shorten it")
    expect(field).to_have_value(too_long)  # kept whole, asked again

    field.fill("Listening and respect")
    dialog.get_by_test_id("rename-submit").click()
    expect(dialog).to_be_hidden()
    expect(family.get_by_role("heading", name="Listening and respect")).to_be_visible()


def test_the_tutor_turns_the_walls_pages_and_puts_one_card_alone_on_it(
    rules_on_the_console, live_server, tutor, closing
):
    room, console = rules_on_the_console(3)
    expect(console.get_by_test_id("tutor-card")).to_have_count(3)

    # The projector measures its board: three pages on its screen.
    projector = Listener(live_server.url, "/projector", room.session_id, tutor)
    closing.callback(projector.client.disconnect)
    assert projector.call("wall_pages", {"step": "group-rules", "pages": 3})["ok"]
    page = console.get_by_test_id("wall-page")
    expect(page).to_have_text("Page 1 of 3 on the wall")

    # The console sends one control at a time: the tutor sees "Next page" come back
    # (enabled) when the server has answered, as the page's number changes.
    answered = console.get_by_test_id("wall-next")
    console.get_by_test_id("wall-next").click()
    expect(page).to_have_text("Page 2 of 3 on the wall")
    expect(answered).to_be_enabled()
    console.locator("body").press("PageDown")
    expect(page).to_have_text("Page 3 of 3 on the wall")
    expect(answered).to_be_enabled()
    console.get_by_test_id("wall-next").click()  # after the last page, the first
    expect(page).to_have_text("Page 1 of 3 on the wall")
    expect(answered).to_be_enabled()
    console.locator("body").press("PageUp")
    expect(page).to_have_text("Page 3 of 3 on the wall")
    expect(answered).to_be_enabled()
    eventually(lambda: projector.received[-1]["wall"]["page"] == 2)  # what the wall was told

    # One card alone on the wall, then the board again.
    card = console.get_by_test_id("tutor-card").filter(has_text=RULES[1])
    card.get_by_test_id("spotlight-button").click()
    expect(console.get_by_test_id("spotlight-bar")).to_be_visible()
    expect(card).to_contain_text("Alone on the wall")
    console.get_by_test_id("spotlight-off").click()
    expect(console.get_by_test_id("spotlight-bar")).to_be_hidden()
    expect(card.get_by_test_id("spotlight-button")).to_be_visible()
    eventually(lambda: projector.received[-1]["wall"]["spotlight"] is None)

    # A rule adopted tonight: the group's rules go on the wall, and come off it.
    card.get_by_test_id("adopt-button").click()
    rules = console.get_by_test_id("rules-control")
    expect(rules).to_be_visible()
    rules.get_by_test_id("rules-on").click()
    expect(rules.get_by_test_id("rules-state")).to_have_text("Our rules are on the wall.")
    rules.get_by_test_id("rules-off").click()
    expect(rules.get_by_test_id("rules-state")).to_have_text("Our rules are not on the wall.")
    expect(rules.get_by_test_id("rules-on")).to_be_visible()

    # The join panel, large, then automatic again.
    console.get_by_test_id("join-large").click()
    expect(console.get_by_test_id("join-state")).to_have_text("Join panel: large")
    console.get_by_test_id("join-auto").click()
    expect(console.get_by_test_id("join-large")).to_be_visible()


def test_a_long_card_is_shown_whole_on_the_console(browser, live_server, tutor, signed_in, closing):
    room = ServerRoom.open(live_server, tutor=tutor, closing=closing)
    console = laptop_console(browser, signed_in, room, closing)
    at_step(room, console, "presentations")
    room.call("post", {"client_id": "console-long-0001", "board": "free_text", "text": LONG_CARD})
    text = console.get_by_test_id("tutor-card").locator(".card-text")
    expect(text).to_have_text(LONG_CARD)
    clipped = text.evaluate(
        """el => {
          for (let box = el; box; box = box.parentElement) {
            const cut = getComputedStyle(box).overflowY === "hidden";
            if (cut && box.scrollHeight > box.clientHeight + 1) return true;
          }
          return el.scrollWidth > el.clientWidth + 1;
        }"""
    )
    assert not clipped


def test_a_finished_workshop_offers_the_summary_of_its_boards(
    browser, live_server, tutor, signed_in, closing
):
    room = ServerRoom.open(live_server, tutor=tutor, closing=closing)
    console = laptop_console(browser, signed_in, room, closing)
    console.get_by_test_id("end-workshop").click()
    console.get_by_test_id("end-confirm").click()
    banner = console.get_by_test_id("ended-banner")
    expect(banner).to_be_visible()
    for fmt in ("md", "csv", "pdf"):
        link = banner.get_by_test_id(f"summary-{fmt}")
        expect(link).to_have_attribute("href", f"/sessions/{room.session_id}/summary.{fmt}")
