"""A phone that keeps up with workshop 2 (Chromium at 360 px, against the real server).

The tutor moves the room on and the phone says so, out loud for a screen reader, with
the new prompt in view; "My cards" is grouped under the steps' titles; dates are
written as people write them ("mars 2015", "٢٠١٥", a month from the picker), a wrong
one is explained next to its field, and a phone in another time zone shows the same
date as the projector; the migration step starts its cards on the migration category.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browsing import context, join, log_in
from tests.drivers import ServerRoom
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

MEETING = "w2-migration"
TIMELINE, MIGRATION = "timeline", "migration-taught-me"  # workshop 2's steps


@pytest.fixture
def room(live_server: ServerProcess) -> Iterator[ServerRoom]:
    """Workshop 2 started by the demo tutor, ended after the test: a group has one open
    room at a time, so one another test left running is ended first."""
    started = ServerRoom.open(live_server, MEETING)
    yield started
    started.end()


def phone_in(
    browser: Browser,
    room: ServerRoom,
    closing: ExitStack,
    name: str,
    language: str,
    **device: object,
) -> Page:
    """A phone joins in its language and is let in."""
    phone_device = context(browser, 360, 740, is_mobile=True, has_touch=True, **device)
    closing.callback(phone_device.close)
    _, phone = join(browser, f"{room.url}/j/{room.code}", name, language, phone_device)
    room.admit_everyone()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return phone


def words(phone: Page, key: str) -> str:
    """The page's own words for `key` (data-i18n-<key>), in the phone's language."""
    return phone.locator("[data-phone=room]").get_attribute(f"data-i18n-{key}") or ""


def post_event(phone: Page, when: str, text: str) -> Locator:
    form = phone.get_by_test_id("compose-timeline")
    expect(form).to_be_visible()
    form.get_by_test_id("field-when").fill(when)
    form.get_by_test_id("field-text").fill(text)
    form.get_by_test_id("post-button").click()
    return phone.get_by_test_id("own-card").filter(has_text=text)


def test_a_step_change_is_read_out_and_the_new_prompt_takes_the_focus(
    browser: Browser, room: ServerRoom, closing: ExitStack, artefacts: Path
):
    phone = phone_in(browser, room, closing, "Samira", "en")
    announcement = phone.get_by_test_id("step-announcement")
    expect(phone.locator('[data-testid="prompt"]:visible')).to_have_count(1)
    expect(announcement).to_have_text("")  # the room as it is on arrival: nothing to say

    room.go_to(MIGRATION)

    expect(announcement).to_have_text("Step 6 of 7: What migration taught me")
    expect(announcement).to_have_attribute("role", "status")
    title = phone.locator('[data-step-id="migration-taught-me"] [data-testid="prompt-title"]')
    expect(title).to_be_focused()
    expect(title).to_be_in_viewport()
    phone.screenshot(path=str(artefacts / "phone-step-announced.png"), full_page=True)

    # Back on the same step after a reload: nothing is announced again.
    phone.reload()
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(title).to_be_visible()
    expect(announcement).to_have_text("")
    expect(title).not_to_be_focused()

    # The migration step starts its cards on the migration category, which stays a choice.
    form = phone.get_by_test_id("compose-competences")
    expect(form.get_by_test_id("field-category-migration")).to_be_checked()
    form.get_by_test_id("field-name").fill("Looking after my family")
    form.get_by_test_id("field-category-social").check()
    form.get_by_test_id("post-button").click()
    card = phone.get_by_test_id("own-card").filter(has_text="Looking after my family")
    expect(card).to_contain_text("Social")
    expect(form.get_by_test_id("field-category-migration")).to_be_checked()  # the next card
    form.get_by_test_id("field-name").fill("Learning a language")
    form.get_by_test_id("post-button").click()
    expect(phone.get_by_test_id("own-card").filter(has_text="Learning a language")).to_contain_text(
        "Migration"
    )
    assert sorted(room.stored("category")) == ["migration", "social"]


def test_dates_as_people_write_them_and_my_cards_under_their_steps(
    browser: Browser, room: ServerRoom, closing: ExitStack, artefacts: Path
):
    phone = phone_in(browser, room, closing, "Bintou", "fr")
    room.go_to(TIMELINE)

    # A month by its French name, a year in Arabic-Indic digits.
    expect(post_event(phone, "mars 2015", "Arrivée à Lyon").locator(".card-when")).to_have_text(
        "03/2015"
    )
    expect(post_event(phone, "٢٠١٥", "Naissance de ma fille").locator(".card-when")).to_have_text(
        "2015"
    )
    expect(phone.get_by_test_id("pending-card")).to_have_count(0)
    assert sorted(room.stored("when")) == ["2015", "2015-03"]

    # A day that does not exist: the page says so beside the field, and nothing leaves.
    form = phone.get_by_test_id("compose-timeline")
    field = form.get_by_test_id("field-when")
    field.fill("31/02/2015")
    form.get_by_test_id("field-text").fill("Un jour qui n'existe pas")
    form.get_by_test_id("post-button").click()
    problem = form.get_by_test_id("field-problem-when")
    expect(problem).to_have_text(words(phone, "impossible-date"))
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert problem.get_attribute("id") in described
    expect(field).to_be_focused()
    expect(phone.get_by_test_id("pending-card")).to_have_count(0)
    phone.screenshot(path=str(artefacts / "phone-wrong-date.png"), full_page=True)
    assert len(room.stored("when")) == 2

    # The month picker writes the month into the field, as the phone shows dates.
    form.get_by_test_id("choose-month-when").click()
    form.get_by_test_id("month-input-when").fill("2016-07")
    expect(field).to_have_value("07/2016")
    expect(problem).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")
    form.get_by_test_id("post-button").click()
    expect(
        phone.get_by_test_id("own-card").filter(has_text="Un jour").locator(".card-when")
    ).to_have_text("07/2016")

    # An empty required field is explained in the page's words too.
    form.get_by_test_id("field-text").fill("Sans date")
    form.get_by_test_id("post-button").click()
    expect(problem).to_have_text(words(phone, "required"))

    # "My cards": one group per step, in the meeting's order, under the step's title.
    room.go_to(MIGRATION)
    competences = phone.get_by_test_id("compose-competences")
    competences.get_by_test_id("field-name").fill("S'adapter")
    competences.get_by_test_id("post-button").click()
    groups = phone.get_by_test_id("my-cards").get_by_test_id("own-group")
    expect(groups).to_have_count(2)
    expect(groups.get_by_role("heading")).to_have_text(
        ["Mon parcours", "Ce que la migration m'a appris"]
    )
    expect(groups.nth(0).get_by_test_id("own-card")).to_have_count(3)
    expect(groups.nth(1).get_by_test_id("own-card")).to_have_count(1)
    expect(groups.nth(1).get_by_test_id("own-card")).to_contain_text("S'adapter")
    phone.screenshot(path=str(artefacts / "phone-my-cards-by-step.png"), full_page=True)


def test_a_phone_behind_utc_shows_the_same_date_as_the_projector(
    browser: Browser, room: ServerRoom, closing: ExitStack
):
    wall = context(browser, 1920, 1080, timezone_id="Europe/Paris")
    closing.callback(wall.close)
    projector = wall.new_page()
    log_in(projector, room.url)
    projector.goto(f"{room.url}/sessions/{room.session_id}/projector")
    phone = phone_in(browser, room, closing, "Oksana", "en", timezone_id="America/Los_Angeles")
    room.go_to(TIMELINE)

    card = post_event(phone, "1/3/2015", "Arrived in Marseille")
    shown = card.locator(".card-when")

    expect(shown).to_have_text("01/03/2015")
    # A story starts hidden: its author shows it, with its date, and the tutor the cards.
    card.get_by_test_id("show-switch").check()
    card.get_by_test_id("show-details").check()
    room.call("board_until_reveal", {"step": TIMELINE, "on": False})
    on_the_wall = projector.get_by_test_id("projector-card").filter(has_text="Arrived in Marseille")
    expect(on_the_wall.locator(".card-when")).to_have_text("01/03/2015")
    assert room.stored("when") == ["2015-03-01"]
