"""Text and the outbox on a real phone (Chromium at 360 px), against the real server.

Each test is one field report from issue 13, tried as the participant would: a text at
or over its limit, a card too large to send, a card that cuts the line every time it is
sent, the same person in two tabs, a vote refused then possible again, and an Arabic
action plan on a French phone.
"""

from __future__ import annotations

import os
import re
import signal
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, Route, WebSocketRoute, expect

from app import texts
from app.field_limits import field_limits
from tests.browsing import T, join, open_console, phone_context
from tests.drivers import Listener, ServerRoom, logged_in_tutor, phone_joins

pytestmark = pytest.mark.browser

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one character on screen, 5 code points
RULES_LIMIT = field_limits()["group_rules.text"]
CUT_ME = "This card cuts the line"
BACK_IN_MS = 30_000  # Socket.IO's browser client retries with backoff up to 5 s apart


def phone_in(
    browser: Browser, room: ServerRoom, closing: ExitStack, name: str, language: str = "en"
) -> Page:
    """A phone joins in its language and is let in."""
    device = phone_context(browser)
    closing.callback(device.close)
    _, phone = join(browser, f"{room.server.url}/j/{room.code}", name, language, device)
    room.admit_everyone()
    expect(phone.locator("[data-phone=room]")).to_be_visible()
    return phone


def rules_form(phone: Page):
    form = phone.get_by_test_id("compose-group_rules")
    expect(form).to_be_visible()
    return form


def outbox_key(phone: Page) -> str:
    room = phone.locator("[data-phone=room]")
    person = room.get_attribute("data-participant-id")
    return f"mp:outbox:{person}:{room.get_attribute('data-session-id')}"


def test_a_long_text_is_counted_as_seen_kept_whole_and_never_cut(browser, server, closing):
    room = ServerRoom.open(server, closing=closing)
    phone = phone_in(browser, room, closing, "Amina")
    room.go_to("group-rules")
    form = rules_form(phone)
    field = form.get_by_test_id("field-text")
    counter = form.locator(".char-count")

    field.fill("a" * (RULES_LIMIT - 20))
    expect(counter).to_have_text("20 characters left")

    pasted = "b" * (RULES_LIMIT + 20)  # a pasted text over the limit stays whole
    field.fill(pasted)
    expect(counter).to_have_text("20 characters too many: please shorten it")
    form.get_by_test_id("post-button").click()
    assert field.input_value() == pasted
    expect(phone.get_by_test_id("pending-card")).to_have_count(0)
    assert field.evaluate("f => f.validationMessage").startswith("20 characters too many")

    at_the_limit = "c" * (RULES_LIMIT - 1) + FAMILY  # at the limit, as a person counts
    field.fill(at_the_limit)
    expect(counter).to_have_text("0 characters left")
    form.get_by_test_id("post-button").click()
    expect(phone.get_by_test_id("own-card")).to_have_count(1, timeout=T)
    assert [card["text"] for card in room.cards()] == [at_the_limit]


def test_a_card_too_large_to_send_comes_back_with_a_message_instead_of_looping(
    browser, server, closing
):
    """A WebView that ignored every limit left a 70 KB card in the outbox, and a card
    written after it."""
    room = ServerRoom.open(server, closing=closing)
    phone = phone_in(browser, room, closing, "Amina")
    room.go_to("group-rules")
    rules_form(phone)
    huge = "x" * 70_000
    phone.evaluate(
        """([key, text]) => localStorage.setItem(key, JSON.stringify([{
             id: "huge-card-0001", event: "post", step: "group-rules",
             data: {board: "group_rules", fields: {text: text}}, values: {text: text}}, {
             id: "next-card-0001", event: "post", step: "group-rules",
             data: {board: "group_rules", fields: {text: "We listen"}}, values: {text: "We listen"}
           }]))""",
        [outbox_key(phone), huge],
    )
    phone.reload()

    status = phone.get_by_test_id("post-status")
    expect(phone.get_by_test_id("outbox")).to_have_text("All sent")
    expect(phone.get_by_test_id("own-card")).to_have_count(1)
    # The card behind it went through; the refused one's message stays beside its form.
    expect(status).to_contain_text("too large to send")
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    assert rules_form(phone).get_by_test_id("field-text").input_value() == huge
    assert phone.evaluate("key => localStorage.getItem(key)", outbox_key(phone)) is None

    log = server.log.read_text()
    assert "refused a 70" in log and "-byte message on /participant" in log
    assert "xxxxxxxxxx" not in log  # its size is logged, never its words
    assert [card["text"] for card in room.cards()] == ["We listen"]


def cut_the_line_on(page: Page, marker: str) -> list[int]:
    """A network that drops the connection whenever a write carries `marker`, as a proxy
    with a smaller limit than ours would. Returns the list of cuts, which grows."""
    cuts: list[int] = []

    def socket(ws: WebSocketRoute) -> None:
        upstream = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            if isinstance(message, str) and marker in message:
                cuts.append(1)
                ws.close()
            else:
                upstream.send(message)

        ws.on_message(from_page)

    def polling(route: Route) -> None:
        if route.request.method == "POST" and marker in (route.request.post_data or ""):
            cuts.append(1)
            route.abort()
        else:
            route.continue_()

    page.route_web_socket("**/socket.io/**", socket)
    page.route("**/socket.io/**", polling)
    return cuts


def test_a_card_that_cuts_the_line_is_set_aside_after_three_tries(browser, server, closing):
    room = ServerRoom.open(server, closing=closing)
    phone = phone_in(browser, room, closing, "Amina")
    cuts = cut_the_line_on(phone, CUT_ME)
    phone.reload()  # so the page's own socket goes through the network above
    room.go_to("group-rules")
    form = rules_form(phone)

    form.get_by_test_id("field-text").fill(CUT_ME)
    form.get_by_test_id("post-button").click()

    expect(phone.get_by_test_id("post-status")).to_contain_text(
        "This card was not sent", timeout=BACK_IN_MS
    )
    assert len(cuts) == 3
    assert form.get_by_test_id("field-text").input_value() == CUT_ME
    expect(phone.get_by_test_id("pending-card")).to_have_count(0)
    # The line is free again: the next card goes through.
    expect(phone.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=BACK_IN_MS
    )
    form.get_by_test_id("field-text").fill("We listen to each other")
    form.get_by_test_id("post-button").click()
    expect(phone.get_by_test_id("own-card")).to_have_count(1, timeout=T)
    assert [card["text"] for card in room.cards()] == ["We listen to each other"]
    assert len(cuts) == 3


def offline(page: Page) -> None:
    """This tab cannot reach the server at all."""
    page.route_web_socket("**/socket.io/**", lambda ws: ws.close())
    page.route("**/socket.io/**", lambda route: route.abort())


def test_a_second_tab_follows_the_outbox_it_shares(browser, server, closing):
    room = ServerRoom.open(server, closing=closing)
    first = phone_in(browser, room, closing, "Amina")
    room.go_to("group-rules")
    second = first.context.new_page()
    second.goto(first.url)
    rules_form(second)
    offline(second)  # the second tab will hear nothing from the server from now on

    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    expect(first.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    form = rules_form(first)
    form.get_by_test_id("field-text").fill("We switch our phones to silent")
    form.get_by_test_id("post-button").click()
    # The other tab sees the card waiting, without being told by any server.
    expect(second.get_by_test_id("outbox")).to_have_text("1 card waiting to send")
    expect(second.get_by_test_id("pending-card")).to_have_count(1)

    server.restart()
    expect(first.get_by_test_id("outbox")).to_have_text("All sent", timeout=BACK_IN_MS)
    # The first tab sent it: the second, still cut off, no longer shows it waiting.
    expect(second.get_by_test_id("pending-card")).to_have_count(0)
    expect(second.get_by_test_id("outbox")).to_be_hidden()

    second.unroute_all()
    second.reload()
    expect(second.get_by_test_id("own-card")).to_have_count(1, timeout=T)
    tutor = logged_in_tutor(server.url)
    console = Listener(server.url, "/tutor", room.session_id, tutor)
    try:
        assert [card["text"] for card in console.call("sync")["board"]["cards"]] == [
            "We switch our phones to silent"
        ]
    finally:
        console.client.disconnect()


def test_a_refused_vote_is_not_left_beside_new_votes_and_french_says_0_vote(
    browser, server, closing
):
    room = ServerRoom.open(server, "w4-professional-competences", closing=closing)
    phone = phone_in(browser, room, closing, "Amina", language="fr")
    yusuf = phone_joins(server.url, room.code, "Yusuf")
    room.admit_everyone()
    room.go_to("competences")
    his = Listener(server.url, "/participant", room.session_id, yusuf)
    closing.callback(his.client.disconnect)
    skill = {"name": "Cuisiner pour une cantine", "category": "professional", "evidence": ""}
    card = his.call(
        "post", {"client_id": "yusuf-skill-0001", "board": "competences", "fields": skill}
    )
    kitchen = room.console.call("cluster_create", {"step": "competences", "title": "Cuisine"})
    assert room.console.call("group", {"card_id": card["seq"], "cluster_id": kitchen["seq"]})["ok"]
    assert room.console.call("voting", {"step": "competences", "budget": 1})["ok"]

    votes_left = phone.get_by_test_id("votes-left")
    expect(votes_left).to_have_text("Il vous reste 1 vote.")
    # A double tap: the second vote is refused by the server.
    phone.get_by_test_id("board-cluster").get_by_test_id("vote").evaluate(
        "button => { button.click(); button.click(); }"
    )
    expect(phone.get_by_test_id("phone-alert")).to_contain_text("tous vos votes")
    expect(votes_left).to_have_text("Il vous reste 0 vote.")

    assert room.console.call("voting", {"step": "competences", "budget": 3})["ok"]
    expect(votes_left).to_have_text("Il vous reste 2 votes.")
    expect(phone.get_by_test_id("phone-alert")).to_be_hidden()


def test_an_arabic_action_plan_on_a_french_phone_keeps_its_numbers_and_deadlines(
    browser, server, closing, artefacts
):
    room = ServerRoom.open(server, "w6-action-plan", closing=closing)
    phone = phone_in(browser, room, closing, "Nour", language="fr")
    room.go_to("action-plan")
    form = phone.get_by_test_id("compose-action_plan")
    form.get_by_test_id("field-goal").fill("أعمل طباخة في مطعم")
    form.get_by_test_id("field-action-0").fill("١٥/٠٩ التسجيل في دورة اللغة الفرنسية")
    form.get_by_test_id("field-deadline-0").fill("2026-09")
    # At 360 px the month field is wide enough to show its year ("September 2026").
    assert form.get_by_test_id("field-deadline-0").bounding_box()["width"] >= 200
    form.get_by_test_id("post-button").click()

    card = phone.get_by_test_id("own-card")
    expect(card).to_have_count(1, timeout=T)
    step = card.locator(".card-actions > li")
    what, by = step.locator(".card-action"), step.locator(".card-deadline")
    expect(by).to_contain_text("2026-09")
    # Polled: the card may be drawn again (its own copy comes back) while it is read.
    expect(step).to_have_css("direction", "rtl")
    # The deadline has its own line, under the step, not run into it.
    by_box, what_box, steps_box, list_box = standing_boxes(
        phone, by, what, step, card.locator(".card-actions")
    )
    assert by_box["y"] >= what_box["y"] + what_box["height"] - 1
    # The number sits in the margin on the step's own side (the right), inside the card.
    assert list_box["x"] + list_box["width"] - (steps_box["x"] + steps_box["width"]) >= 20
    phone.screenshot(path=str(artefacts / "phone-arabic-action-plan.png"), full_page=True)


def standing_boxes(page: Page, *parts: Locator) -> list[FloatRect]:
    """The boxes of `parts`, read together while the card stands: it may be drawn again
    (its own copy comes back from the server) between two reads, and a part being
    replaced has no box for that moment."""
    for _try in range(50):
        boxes = [part.bounding_box() for part in parts]
        if all(box is not None for box in boxes):
            return [box for box in boxes if box is not None]
        page.wait_for_timeout(100)
    raise AssertionError("the card never stood still long enough to be measured")


def test_a_hide_reason_too_long_is_asked_again_never_cut(browser, server, closing):
    room = ServerRoom.open(server, closing=closing)
    phone_joins(server.url, room.code, "Yusuf")
    room.admit_everyone()
    room.go_to("group-rules")
    console = open_console(browser, server.url, room.session_id, closing)
    assert room.console.call(
        "post", {"client_id": "tutor-rule-0001", "board": "group_rules", "text": "On crie"}
    )["ok"]
    limit = field_limits()["hide_reason"]
    too_long = "r" * (limit - 1) + FAMILY + "!"  # one character over, an emoji at the edge
    console.on("dialog", lambda box: pytest.fail(f"the browser's own box asked: {box.message}"))
    console.get_by_test_id("tutor-card").get_by_test_id("hide-button").click()

    # The reason is typed in the console's own form; one too long is not sent, nor cut.
    asked = console.get_by_test_id("hide-dialog")
    reason = asked.get_by_test_id("hide-reason")
    reason.fill(too_long)
    asked.get_by_test_id("hide-submit").click()
    expect(asked.locator(".char-count")).to_have_text("1 character too many: please shorten it")
    expect(reason).to_have_value(too_long)
    assert not room.cards()[0]["hidden"]

    reason.fill(too_long[:-1])
    asked.get_by_test_id("hide-submit").click()
    expect(asked).to_be_hidden()
    expect(console.get_by_test_id("tutor-card").get_by_test_id("unhide-button")).to_be_visible()
    (card,) = room.cards()
    assert card["hidden"] and card["hidden_reason"] == too_long[:-1]


GRAPHEME_TESTS = Path("/usr/share/unicode/auxiliary/GraphemeBreakTest.txt")  # unicode-data
EVERYDAY = [
    "José",
    "Jose\u0301",
    FAMILY,
    "\U0001f469\U0001f3fd\u200d\U0001f373",  # woman cook, medium skin tone
    "\U0001f1eb\U0001f1f7\U0001f1f8\U0001f1e9",  # two flags
    "مُحَمَّد",  # Arabic with its vowel marks
    "line one\r\nline two",
    "❤️ ok",
]


def grapheme_cases() -> list[str]:
    if not GRAPHEME_TESTS.exists():
        if os.environ.get("CI"):
            pytest.fail("unicode-data is missing: CI must run this test (make system-deps)")
        pytest.skip("unicode-data is not installed (run `make system-deps`)")
    cases = []
    for line in GRAPHEME_TESTS.read_text().splitlines():
        body = line.split("#", 1)[0].strip()
        if body:
            cases.append(
                "".join(chr(int(p, 16)) for p in body.replace("÷", " ").replace("×", " ").split())
            )
    return cases


def test_the_phone_counts_characters_as_the_server_does(browser, live_server):
    """One rule on both sides: Intl.Segmenter on the phone, regex's \\X on the server,
    over every case of Unicode's grapheme conformance file and everyday texts."""
    cases = grapheme_cases() + EVERYDAY
    device = phone_context(browser)
    try:
        page = device.new_page()
        page.goto(f"{live_server.url}/")
        counted = page.evaluate(
            "cases => cases.map(c => [MigrapassTexts.length(c), MigrapassTexts.roughLength(c)])",
            cases,
        )
    finally:
        device.close()

    server = [texts.length(case) for case in cases]
    assert [exact for exact, _ in counted] == server
    # The rough count of browsers without Intl.Segmenter gets everyday texts right.
    everyday = counted[-len(EVERYDAY) :]
    assert [rough for _, rough in everyday] == server[-len(EVERYDAY) :]


def test_three_aminas_at_the_door_each_with_a_number_a_time_and_buttons_in_place(
    browser, server, closing, artefacts
):
    room = ServerRoom.open(server, closing=closing)
    for name in ("Amina", "amina", "Amina Fatima Zahra Benali-Ouédraogo", "Yusuf"):
        phone_joins(server.url, room.code, name)
    console = open_console(browser, server.url, room.session_id, closing)

    rows = console.get_by_test_id("waiting-entry")
    expect(rows).to_have_count(4)
    names = rows.locator(".person-name").all_inner_texts()
    assert sorted(n.split(" #")[0] for n in names if "#" in n) == ["Amina", "amina"]
    expect(rows.get_by_test_id("waiting-since").first).to_have_text(re.compile(r"\d{2}:\d{2}"))
    # "Let in" stays at the same place on every row, whatever the name's length.
    lefts = {round(b.bounding_box()["x"]) for b in rows.get_by_test_id("admit-button").all()}
    assert len(lefts) == 1, lefts
    console.screenshot(path=str(artefacts / "console-three-aminas.png"))
