"""A trainee learns from a finished workshop, in a real browser, on a phone (390×844).

They open the session from the list of replays, drag the slider (the wall changes),
skip a long silence, see a late frame announced and a newer seek win over it, play the
rest at 16× to the end, step to the next step marker, read the tutor's annotation at
the reveal, add a question there and answer the focus question. Screenshots of each
scene go to test-artefacts/replay-<size>-<scene>.png.
"""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browsing import context
from tests.replay_factory import PASSWORD, WHY_REVEAL, Recorded, app_on, recorded_session

pytestmark = pytest.mark.browser

# The phone's narrow layout is where a replay breaks first; the projector size, which
# took as long again, is left to the newcomer trials (the suite keeps to ten minutes).
SIZES = {
    "phone": {"width": 390, "height": 844, "is_mobile": True, "has_touch": True},
}
QUESTION = "Why not reveal the cards one by one?"


@pytest.fixture
def recorded(live_server) -> Recorded:
    return recorded_session(app_on(live_server))


def log_in_as(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/tutor$"))


def shown_seq(page: Page) -> int:
    return int(page.get_by_test_id("replay").get_attribute("data-seq") or -1)


def at_moment(page: Page, seq: int) -> None:
    """The player is at event `seq` and the wall shows it."""
    expect(page.get_by_test_id("replay")).to_have_attribute("data-seq", str(seq))
    expect(page.locator("[data-replay-wall]")).to_have_attribute("data-seq", str(seq))


def on_the_wall(page: Page, title: str) -> None:
    expect(page.locator('[data-testid="projector-step-title"]:visible')).to_have_text(title)


def drag_slider(page: Page, share: float) -> None:
    """Press the slider's thumb at its start and drag it to `share` of its length."""
    slider = page.get_by_test_id("replay-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 8 + (box["width"] - 16) * share, y, steps=12)
    page.mouse.up()


def shoot(page: Page, artefacts: Path, size: str, scene: str) -> None:
    page.screenshot(path=str(artefacts / f"replay-{size}-{scene}.png"), full_page=size == "phone")


@pytest.mark.parametrize("size", SIZES)
def test_a_trainee_replays_a_shared_session(
    live_server, browser: Browser, recorded: Recorded, artefacts: Path, closing, size: str
):
    base = live_server.url
    viewport = dict(SIZES[size])
    device = closing.enter_context(
        context(browser, viewport.pop("width"), viewport.pop("height"), **viewport)
    )
    page = device.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    seqs = recorded.seqs

    # --- From the list of replays, the trainee opens the session. ---
    log_in_as(page, base, recorded.trainee)
    page.goto(f"{base}/replays")
    row = page.locator(f'[data-testid="replay-row"][data-session-id="{recorded.session_id}"]')
    row.get_by_test_id("open-replay").click()
    expect(page).to_have_url(f"{base}/replays/{recorded.session_id}")
    replay = page.get_by_test_id("replay")
    expect(replay).to_have_attribute("data-ready", "true")
    at_moment(page, 1)
    expect(page.get_by_test_id("projector-full")).to_be_visible()  # the welcome, on the wall
    expect(page.get_by_test_id("replay-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    for kind in ("step", "reveal", "hide", "vote", "annotation"):
        marker = page.locator(f'[data-testid="replay-marker"][data-kind="{kind}"]')
        expect(marker.first).to_be_attached()
    expect(page.get_by_test_id("focus-prompt")).to_contain_text("waits before revealing")
    shoot(page, artefacts, size, "start")

    # --- Dragging the slider changes the wall: into the silence after the reveal. ---
    drag_slider(page, 0.45)
    expect(page.get_by_test_id("projector-card")).to_have_count(3)
    assert seqs["reveal"] <= shown_seq(page) < seqs["hide"], shown_seq(page)
    expect(page.get_by_test_id("replay-quiet")).to_have_count(1)
    skip = page.get_by_test_id("replay-skip")
    expect(skip).to_be_visible()
    expect(page.get_by_test_id("replay-notes")).to_contain_text("Participant B waited")
    shoot(page, artefacts, size, "dragged")

    # --- Skipping the silence is a seek like another: every control stays usable. ---
    skip.click()
    at_moment(page, seqs["hide"])
    expect(skip).to_be_hidden()
    for testid in ("replay-slider", "replay-play", "replay-next-step", "replay-prev-event"):
        expect(page.get_by_test_id(testid)).to_be_enabled()

    # --- A late frame is announced; a newer seek cancels it and wins. ---
    held: list[Route] = []
    cancelled: list[str] = []
    page.route(f"**/frame/{seqs['end']}", lambda route: held.append(route))
    page.on("requestfailed", lambda request: cancelled.append(request.url))
    page.get_by_test_id("replay-slider").focus()
    page.keyboard.press("End")
    expect(page.get_by_test_id("replay-loading")).to_be_visible(timeout=1000)
    page.keyboard.press("Home")  # the first frame is in the cache: it shows at once
    at_moment(page, 1)
    expect(page.get_by_test_id("replay-loading")).to_be_hidden()
    # The browser reports the cancelled request a moment later, on a busy machine.
    for _ in range(100):
        if any(url.endswith(f"/frame/{seqs['end']}") for url in cancelled):
            break
        page.wait_for_timeout(50)
    assert any(url.endswith(f"/frame/{seqs['end']}") for url in cancelled), cancelled
    page.unroute(f"**/frame/{seqs['end']}")
    for route in held:
        with suppress(Exception):  # the page cancelled it: nothing left to answer
            route.continue_()
    page.wait_for_timeout(300)
    at_moment(page, 1)

    # --- Played at 16×, the session runs to its end. ---
    page.get_by_test_id("replay-speed").select_option("16")
    play = page.get_by_test_id("replay-play")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(play).to_have_attribute("aria-pressed", "false", timeout=20_000)
    at_moment(page, seqs["end"])
    expect(page.get_by_test_id("projector-ended")).to_be_visible()
    slider = page.get_by_test_id("replay-slider")
    assert slider.input_value() == slider.get_attribute("max")
    shoot(page, artefacts, size, "end")

    # --- To the next step marker, by button and by key. ---
    page.keyboard.press("Home")
    at_moment(page, 1)
    page.get_by_test_id("replay-next-step").click()
    at_moment(page, seqs["step:my-experiences"])
    on_the_wall(page, "My experiences")
    expect(page.get_by_test_id("replay-guide")).to_contain_text("My experiences")
    page.get_by_test_id("replay-slider").focus()
    page.keyboard.press("Shift+ArrowRight")
    at_moment(page, seqs["step:competences"])
    on_the_wall(page, "My competences")
    page.keyboard.press("n")  # the next card
    expect(page.get_by_test_id("projector-card")).to_have_count(1)

    # --- The tutor's annotation at the reveal, then the trainee's question there. ---
    page.locator('[data-testid="replay-marker"][data-kind="annotation"]').first.click()
    at_moment(page, seqs["reveal"])
    note = page.get_by_test_id("replay-annotation").filter(has_text=WHY_REVEAL)
    expect(note).to_be_visible()
    kinds = page.get_by_test_id("annotation-kind").locator("option")
    expect(kinds).to_have_count(1)  # a trainee asks questions
    page.get_by_test_id("annotation-body").fill(QUESTION)
    page.get_by_test_id("annotation-submit").click()
    asked = page.get_by_test_id("replay-annotation").filter(has_text=QUESTION)
    expect(asked).to_be_visible()
    expect(asked).to_contain_text("Question")
    shoot(page, artefacts, size, "annotation")
    stored = page.request.get(f"{base}/replays/{recorded.session_id}/annotations.json").json()
    assert any(
        a["body"] == QUESTION and a["kind"] == "question" and a["seq"] == seqs["reveal"]
        for a in stored["annotations"]
    ), stored

    # --- The focus question's answer is kept for the trainer. ---
    page.get_by_test_id("focus-answer").fill("She waited until every card was in.")
    page.get_by_test_id("focus-submit").click()
    expect(page.locator('[data-role="focus-form"] [data-role="status"]')).to_have_text("Saved")
    page.reload()
    expect(page.get_by_test_id("focus-answer")).to_have_value("She waited until every card was in.")

    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    assert not problems, problems
