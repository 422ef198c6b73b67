"""A tutor runs a step of workshop 4 with the keyboard alone, in a real browser.

Tab and Shift+Tab to reach a control, Enter or Space to press it, the arrow keys in a
group of choices and a list: never the mouse. At every stop the focus must be seen (an
outline or a shadow drawn by :focus-visible), and after every action it must still be
somewhere on the page, never dropped on its body. The people at the door, their cards and
their votes come from their phones (Socket.IO clients); everything the tutor does goes
through the keyboard: log in, start the workshop from the dashboard, let the room in, go
to the competences, show the cards, make two families and put the cards in them, run a
dot vote, close it, go to the next step; a dialog takes the focus and gives it back; the
projector's control is reached and pressed too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browsing import T, context, current_step
from tests.drivers import Listener, end_what_runs, logged_in_tutor, phone_joins
from tests.fixtures.servers import DEMO_COHORT, DEMO_TUTOR, ServerProcess

pytestmark = pytest.mark.browser

MEETING = "w4-professional-competences"
PEOPLE = ("Oumar", "Priya", "Quentin")
CARDS = {
    "Oumar": ("Cooking for a hundred", "professional"),
    "Priya": ("Speaking three languages", "migration"),
    "Quentin": ("Organising a kitchen", "professional"),
}
FAMILIES = ("Kitchen", "Languages")
IN_FAMILY = {"Cooking for a hundred": 1, "Organising a kitchen": 1, "Speaking three languages": 2}
BALLOTS = {"Oumar": FAMILIES[:1] * 2, "Priya": FAMILIES, "Quentin": FAMILIES[:1] * 2}  # 5, 1

# Where the focus is, whether it is seen, and whether it is at `selector`. Seen: the
# element, or the box around it that draws its focus (a choice's label, a switch), has
# an outline or a shadow while it matches :focus-visible.
FOCUS = """
(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return { what: 'nothing (the page itself)', shown: false, arrived: false };
  }
  const drawn = box => {
    const s = getComputedStyle(box);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  let shown = el.matches(':focus-visible') && drawn(el);
  for (let box = el.parentElement, up = 0; !shown && box && up < 3; up++) {
    shown = box.matches(':focus-within') && drawn(box);
    box = box.parentElement;
  }
  const words = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
  const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.dataset.testid ? '[' + el.dataset.testid + ']' : '') + ' "' + words.slice(0, 40) + '"';
  return { what, shown, arrived: !!selector && el.matches(selector) };
}
"""
STOPS = 150  # Tab presses at most to reach a control

# Whether `selector` comes before the focus: a keyboard user goes back with Shift+Tab.
BEHIND = """
(selector) => {
  const target = document.querySelector(selector), el = document.activeElement;
  if (!target || !el || el === document.body) return false;
  return !!(el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
}
"""


def family(page: Page, title: str) -> Locator:
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.get_by_test_id("board-cluster").filter(has=heading)


def focus(page: Page, selector: str = "") -> dict:
    return page.evaluate(FOCUS, selector)


def tab_to(page: Page, selector: str) -> None:
    """Tab, or Shift+Tab if it comes before, until the focus is on `selector`; the focus
    seen at every stop."""
    if focus(page, selector)["arrived"]:
        return
    key = "Shift+Tab" if page.evaluate(BEHIND, selector) else "Tab"
    visited = []
    for _ in range(STOPS):
        page.keyboard.press(key)
        now = focus(page, selector)
        assert now["shown"], f"the focus is not seen on {now['what']} (after {visited[-3:]})"
        visited.append(now["what"])
        if now["arrived"]:
            return
    raise AssertionError(f"{selector} not reached with the keyboard; went through {visited}")


def still_focused(page: Page) -> str:
    """After an action (once the server has answered), the focus is still on something,
    and seen: what it is on."""
    deadline = time.monotonic() + T / 1000
    now = focus(page)
    while not now["shown"] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        now = focus(page)
    assert now["shown"], f"after the action the focus is on {now['what']}, not seen"
    return now["what"]


def press(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


@pytest.fixture
def tutor(live_server: ServerProcess) -> Iterator[requests.Session]:
    """The demo tutor's own requests (for the phones' side of the story), the demo cohort
    free to start a meeting."""
    session = logged_in_tutor(live_server.url)
    end_what_runs(live_server.url, session)
    yield session
    end_what_runs(live_server.url, session)


def test_a_tutor_runs_a_step_with_the_keyboard_alone_and_always_sees_the_focus(
    browser: Browser, live_server: ServerProcess, tutor: requests.Session, closing
) -> None:
    base = live_server.url
    laptop = closing.enter_context(context(browser, 1366, 768))
    page = laptop.new_page()

    # Log in.
    page.goto(f"{base}/login")
    tab_to(page, "#username")
    page.keyboard.type(DEMO_TUTOR[0])
    tab_to(page, "#password")
    page.keyboard.type(DEMO_TUTOR[1])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tutor$"))
    page.wait_for_load_state()

    # The dashboard: workshop 4 chosen with the arrow keys, then started.
    cohort = page.get_by_test_id("cohort").filter(has_text=DEMO_COHORT)
    mine = f'[data-cohort-id="{cohort.get_attribute("data-cohort-id")}"]'
    tab_to(page, f"{mine} input[type=radio]")
    wanted = f'{mine} [data-testid="meeting-{MEETING}"]'
    for _ in range(12):
        if focus(page, wanted)["arrived"]:
            break
        page.keyboard.press("ArrowDown")
        still_focused(page)
    expect(page.locator(wanted)).to_be_checked()
    press(page, f'{mine} [data-testid="start-workshop"]')
    expect(page).to_have_url(re.compile(r"/sessions/\d+/console$"))
    page.wait_for_load_state()
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    session_id = int(re.search(r"/sessions/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    code = page.get_by_test_id("join-code").inner_text().strip()

    # The door: three phones knock; "Let everyone in" asks first, in a box that takes
    # the focus. (Nobody left at the group's door by an earlier evening.)
    door = Listener(base, "/tutor", session_id, tutor)
    closing.callback(door.client.disconnect)
    door.does("clear_door")
    knocking = {name: phone_joins(base, code, name) for name in PEOPLE}
    expect(page.get_by_test_id("waiting-entry")).to_have_count(len(PEOPLE))
    press(page, '[data-testid="admit-all"]')
    assert focus(page, '[data-testid="admit-all-yes"]')["arrived"], focus(page)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("waiting-entry")).to_have_count(0)
    for name in PEOPLE:
        expect(page.get_by_test_id("member-entry").filter(has_text=name)).not_to_have_count(0)
    still_focused(page)
    phones = {
        name: Listener(base, "/participant", session_id, cookies)
        for name, cookies in knocking.items()
    }
    for phone in phones.values():
        closing.callback(phone.client.disconnect)

    # The competences: the cards come in hidden from the room.
    press(page, '[data-step-id="competences"] [data-testid="jump-step"]')
    expect(current_step(page)).to_have_attribute("data-step-id", "competences")
    still_focused(page)
    for name, phone in phones.items():
        text, category = CARDS[name]
        phone.does(
            "post",
            client_id=f"keyboard-card-{name}",
            board="competences",
            fields={"name": text, "category": category, "evidence": ""},
        )
    expect(page.get_by_test_id("tutor-card")).to_have_count(len(CARDS))
    state = page.get_by_test_id("board-state")
    expect(state).to_contain_text("Cards hidden from the group")

    # Show the cards.
    press(page, '[data-testid="board-until-reveal"]')
    expect(state).to_contain_text("Cards shown to the room")
    still_focused(page)

    # Two families, then each card into its own with the arrow keys.
    for title in FAMILIES:
        tab_to(page, "#cluster-title")
        page.keyboard.type(title)
        page.keyboard.press("Enter")
        expect(family(page, title)).to_have_count(1)
        still_focused(page)
    for text, place in IN_FAMILY.items():
        number = (
            page.get_by_test_id("tutor-card").filter(has_text=text).get_attribute("data-card-id")
        )
        card = f'[data-testid="tutor-card"][data-card-id="{number}"]'
        tab_to(page, f'{card} [data-testid="group-select"]')
        for _ in range(place):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        chosen = family(page, FAMILIES[place - 1])
        expect(chosen.get_by_test_id("tutor-card").filter(has_text=text)).to_have_count(1)
        still_focused(page)

    # A dialog takes the focus, and gives it back where it was when it closes.
    press(page, '[data-testid="tutor-card"] [data-testid="hide-button"]')
    dialog = page.get_by_test_id("hide-dialog")
    expect(dialog).to_be_visible()
    assert focus(page, "#hide-reason")["arrived"], focus(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focus(page, '[data-testid="hide-button"]')["arrived"], focus(page)

    # The dot vote: two votes each, on the families.
    tab_to(page, "#vote-budget")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(state).to_contain_text("Voting: 2 votes each")
    still_focused(page)
    for name, picks in BALLOTS.items():
        for n, title in enumerate(picks):
            target = f"cluster:{family(page, title).get_attribute('data-cluster-id')}"
            phones[name].does(
                "vote", client_id=f"keyboard-vote-{name}-{n}", step="competences", target=target
            )
    expect(family(page, FAMILIES[0])).to_contain_text("5")
    press(page, '[data-testid="close-voting"]', "Space")
    expect(state).to_contain_text("No vote open")
    still_focused(page)

    # The next step, and back: Shift+Tab goes back through the controls, no trap.
    press(page, '[data-testid="next-step"]')
    expect(current_step(page)).to_have_attribute("data-step-id", "break")
    still_focused(page)
    tab_to(page, '[data-testid="prev-step"]')
    assert page.evaluate("document.activeElement.dataset.testid") == "prev-step"

    # The projector's own control is reached and pressed from the keyboard too.
    projector = laptop.new_page()
    projector.goto(f"{base}/sessions/{session_id}/projector")
    expect(projector.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )
    press(projector, '[data-testid="enable-sound"]')
    still_focused(projector)
