"""Workshop 4 in real browsers: a tutor, a projector and three phones at 360 px.

The phones post experience cards, then competence cards while the board hides them
until the tutor reveals them; the tutor groups the cards into families, opens a vote
on the families, the phones vote, the projector shows the totals; the tutor runs the
timer and moves on. Screenshots of each screen are saved as test artefacts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browsing import T, context, current_step, join, log_in, tutor_starts

pytestmark = pytest.mark.browser

MEETING = "w4-professional-competences"
PEOPLE = {
    "Awa": {
        "job": ("Cook in a restaurant", "abroad", "paid"),
        "skill": ("Cooking for large groups", "professional", "Restaurant in Tunis, 5 years"),
    },
    "Yusuf": {
        "job": ("Market stall", "france", "voluntary"),
        "skill": ("Handling money", "professional", "Helping at the Saturday market"),
    },
    "Lena": {
        "job": ("Caring for my grandmother", "abroad", "voluntary"),
        "skill": ("Patience and care", "social", "Looked after her for two years"),
    },
}
FAMILIES = {"Kitchen and trade": ["Awa", "Yusuf"], "Care": ["Lena"]}


def go_to(console: Page, step_id: str) -> None:
    console.locator(f'[data-testid="step-item"][data-step-id="{step_id}"]').get_by_test_id(
        "jump-step"
    ).click()
    expect(current_step(console)).to_have_attribute("data-step-id", step_id, timeout=T)


def cluster(page: Page, title: str) -> Locator:
    """A family of cards, found by its title (its cards' menus name the other families)."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.get_by_test_id("board-cluster").filter(has=heading)


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], (width, viewport)


def test_a_tutor_runs_workshop_4_with_three_phones(
    live_server, browser: Browser, artefacts, closing
):
    base = live_server.url
    # The tutor starts workshop 4 from the dashboard.
    laptop = closing.enter_context(context(browser, 1366, 900))
    meeting = tutor_starts(laptop, base, MEETING)
    console, session_path, code = meeting.console, meeting.path, meeting.code
    expect(console.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )

    # The projector, 1920 × 1080, always shows how to join.
    wall = closing.enter_context(context(browser, 1920, 1080))
    projector = wall.new_page()
    projector.clock.install()  # so the test can jump to the timer's end
    log_in(projector, base)
    projector.goto(f"{base}{session_path}/projector")
    expect(projector.get_by_test_id("projector-code")).to_have_text(code, timeout=T)
    expect(projector.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )

    # Three phones join and are let in.
    phones: dict[str, Page] = {}
    for name in PEOPLE:
        device, phone = join(browser, f"{base}/j/{code}", name)
        closing.enter_context(device)
        phones[name] = phone
        waiting = console.get_by_test_id("waiting-entry").filter(has_text=name)
        waiting.get_by_test_id("admit-button").click()
        expect(waiting).to_have_count(0, timeout=T)
        expect(phone.get_by_test_id("my-cards")).to_be_attached(timeout=T)
    # Each phone that entered the room is counted present.
    for name in PEOPLE:
        entry = console.get_by_test_id("member-entry").filter(has_text=name)
        expect(entry.get_by_test_id("present-box")).to_be_checked(timeout=T)

    # Experiences: each phone posts one; the projector shows them.
    go_to(console, "my-experiences")
    for name, phone in phones.items():
        what, setting, kind = PEOPLE[name]["job"]
        form = phone.get_by_test_id("compose-experiences")
        expect(form).to_be_visible(timeout=T)
        form.get_by_test_id("field-what").fill(what)
        form.get_by_test_id(f"field-setting-{setting}").check()
        form.get_by_test_id(f"field-kind-{kind}").check()
        form.get_by_test_id("post-button").click()
        card = phone.get_by_test_id("own-card").filter(has_text=what)
        expect(card).to_be_visible(timeout=T)
        fits_the_screen(phone)
        # Work stories start hidden: each person shows theirs to the group.
        card.get_by_test_id("show-switch").check()
        expect(card.get_by_test_id("show-switch")).to_be_checked(timeout=T)
    expect(projector.get_by_test_id("projector-card")).to_have_count(0)
    console.get_by_test_id("board-until-reveal").click()  # the tutor shows the cards
    expect(projector.get_by_test_id("projector-card")).to_have_count(3, timeout=T)
    expect(
        projector.get_by_test_id("projector-card").filter(has_text="Market stall")
    ).to_contain_text("Yusuf")

    # Competences: written unseen (the step starts so), then revealed.
    go_to(console, "competences")
    expect(console.get_by_test_id("board-status")).to_be_visible(timeout=T)
    for name, phone in phones.items():
        skill, category, evidence = PEOPLE[name]["skill"]
        form = phone.get_by_test_id("compose-competences")
        expect(form).to_be_visible(timeout=T)
        form.get_by_test_id("field-name").fill(skill)
        form.get_by_test_id(f"field-category-{category}").check()
        form.get_by_test_id("field-evidence").fill(evidence)
        form.get_by_test_id("post-button").click()
        expect(phone.get_by_test_id("own-card").filter(has_text=skill)).to_be_visible(timeout=T)
    expect(console.get_by_test_id("tutor-card")).to_have_count(3, timeout=T)
    expect(projector.get_by_test_id("board-status")).to_contain_text("3", timeout=T)
    expect(projector.get_by_test_id("projector-card")).to_have_count(0)
    expect(phones["Yusuf"].get_by_test_id("shared-card")).to_have_count(0)
    projector.screenshot(path=str(artefacts / "w4-projector-hidden-until-reveal.png"))

    console.get_by_test_id("board-until-reveal").click()  # reveal
    expect(projector.get_by_test_id("projector-card")).to_have_count(3, timeout=T)
    expect(phones["Yusuf"].get_by_test_id("shared-card")).to_have_count(3, timeout=T)

    # The tutor groups the cards into families.
    for family, members in FAMILIES.items():
        console.get_by_test_id("cluster-title").fill(family)
        console.get_by_test_id("cluster-create").click()
        expect(cluster(console, family)).to_have_count(1, timeout=T)
        for name in members:
            skill = PEOPLE[name]["skill"][0]
            card = console.get_by_test_id("tutor-card").filter(has_text=skill)
            grouped = (
                console.get_by_test_id("board-cluster")
                .filter(has_text=family)
                .get_by_test_id("tutor-card")
                .filter(has_text=skill)
            )
            # A board update can redraw the card list in the instant the menu is
            # chosen; the choice is then lost on the old list, and a tutor simply
            # chooses again. So does the test, twice at most.
            for attempt in range(3):
                card.get_by_test_id("group-select").select_option(label=family)
                try:
                    expect(grouped).to_have_count(1, timeout=T // 2)
                    break
                except AssertionError:
                    if attempt == 2:
                        raise
    expect(projector.get_by_test_id("board-cluster")).to_have_count(2, timeout=T)

    # A vote on the families: two votes each, never on a person's card.
    console.get_by_test_id("vote-budget").fill("2")
    console.get_by_test_id("open-voting").click()
    for name, phone in phones.items():
        expect(phone.get_by_test_id("votes-left")).to_contain_text("2", timeout=T)
        assert phone.get_by_test_id("shared-card").get_by_test_id("vote").count() == 0
        family = "Care" if name == "Lena" else "Kitchen and trade"
        chosen = cluster(phone, family)
        chosen.get_by_test_id("vote").click()
        expect(chosen.get_by_test_id("my-votes")).to_be_visible(timeout=T)
    kitchen = cluster(projector, "Kitchen and trade")
    expect(kitchen.get_by_test_id("cluster-votes")).to_contain_text("2", timeout=T)
    care = cluster(projector, "Care")
    expect(care.get_by_test_id("cluster-votes")).to_contain_text("1", timeout=T)

    # The timer: started from the console, shown on the projector, one more minute.
    console.get_by_test_id("timer-minutes").fill("5")
    console.get_by_test_id("timer-start").click()
    timer = projector.get_by_test_id("projector-timer")
    expect(timer).to_have_text(re.compile(r"^[45]:\d\d$"), timeout=T)
    console.get_by_test_id("timer-extend").click()
    expect(timer).to_have_text(re.compile(r"^[56]:\d\d$"), timeout=T)
    expect(phones["Awa"].get_by_test_id("phone-timer")).to_have_text(
        re.compile(r"^[56]:\d\d$"), timeout=T
    )
    fits_the_screen(phones["Awa"])
    projector.screenshot(path=str(artefacts / "w4-projector-clusters-and-votes.png"))
    phones["Awa"].screenshot(path=str(artefacts / "w4-phone-competences.png"), full_page=True)
    console.screenshot(path=str(artefacts / "w4-console.png"), full_page=True)

    # The tutor pauses the timer and moves on: the phones follow.
    console.get_by_test_id("timer-pause").click()
    expect(console.get_by_test_id("timer-pause")).to_have_text("Resume", timeout=T)
    console.get_by_test_id("next-step").click()
    # First the break: a pause on the wall, no form on the phones.
    expect(current_step(console)).to_have_attribute("data-step-id", "break", timeout=T)
    expect(projector.get_by_test_id("projector-break")).to_be_visible(timeout=T)
    expect(phones["Lena"].get_by_test_id("break-note")).to_be_visible(timeout=T)
    console.get_by_test_id("next-step").click()
    expect(current_step(console)).to_have_attribute("data-step-id", "strengths", timeout=T)
    expect(timer).to_be_hidden(timeout=T)
    for phone in phones.values():
        expect(phone.get_by_test_id("compose-free_text")).to_be_visible(timeout=T)
    expect(
        projector.locator('[data-testid="projector-step-title"][data-step-id="strengths"]')
    ).to_be_visible(timeout=T)
    phones["Lena"].screenshot(path=str(artefacts / "w4-phone-next-step.png"), full_page=True)

    # At the end of the time the projector says so (and rings, once sound is on).
    projector.get_by_test_id("enable-sound").click()
    console.get_by_test_id("timer-minutes").fill("1")
    console.get_by_test_id("timer-start").click()
    expect(timer).to_have_text(re.compile(r"^[01]:\d\d$"), timeout=T)
    expect(projector.get_by_test_id("time-up")).to_be_hidden()
    projector.clock.fast_forward(62_000)
    expect(projector.get_by_test_id("time-up")).to_be_visible(timeout=T)
    expect(timer).to_have_text("0:00", timeout=T)
    projector.screenshot(path=str(artefacts / "w4-projector-time-up.png"))

    # A half-typed card survives a reload of the page.
    lena = phones["Lena"]
    draft = "Patient, I listen, I keep my"
    lena.get_by_test_id("compose-free_text").get_by_test_id("field-text").fill(draft)
    lena.reload()
    expect(lena.get_by_test_id("compose-free_text").get_by_test_id("field-text")).to_have_value(
        draft, timeout=T
    )
