"""A phone in Chromium loses the server for real, keeps writing, reloads, and catches up.

Playwright's offline switch leaves open websockets alone, so the server process itself
is stopped: that is what a phone sees when the Wi-Fi drops or the laptop restarts.
"""

from __future__ import annotations

import os
import signal
from contextlib import ExitStack

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browsing import T, join, open_console
from tests.drivers import Listener, ServerRoom, logged_in_tutor
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

RULES_STEP = 2
BACK_IN_MS = 30_000  # Socket.IO's browser client retries with backoff up to 5 s apart


def admitted_phone(
    browser, server: ServerProcess, name: str, closing: ExitStack
) -> tuple[Page, Listener, int]:
    """A workshop at its rules board; `name` joins from a phone and is let in."""
    room = ServerRoom.open(server, closing=closing)
    device, phone = join(browser, room.join_url, name)
    closing.callback(device.close)
    room.admit_everyone()
    room.go_to(RULES_STEP)
    expect(phone.get_by_test_id("compose-group_rules")).to_be_visible(timeout=T)
    return phone, room.console, room.session_id


def post_rule(phone: Page, text: str) -> None:
    form = phone.get_by_test_id("compose-group_rules")
    form.get_by_test_id("field-text").fill(text)
    form.get_by_test_id("post-button").click()


def stored_rules(console: Listener) -> list[str]:
    return [card["text"] for card in console.call("sync")["board"]["cards"]]


def test_two_cards_written_offline_survive_a_reload_and_arrive_once(
    browser, server, artefacts, closing
):
    phone, console, _session = admitted_phone(browser, server, "Amina", closing)
    # The room page is kept for offline use once the service worker has it.
    expect(phone.locator("[data-phone=room]")).to_have_attribute(
        "data-offline-ready", "true", timeout=T
    )
    console.client.disconnect()
    screen = open_console(browser, server.url, _session, closing)

    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    expect(phone.get_by_test_id("connection")).to_have_attribute(
        "data-state", "reconnecting", timeout=T
    )
    post_rule(phone, "We switch our phones to silent")
    post_rule(phone, "Everyone may pass their turn")
    outbox = phone.get_by_test_id("outbox")
    expect(outbox).to_have_text("2 cards waiting to send")
    expect(phone.get_by_test_id("pending-card")).to_have_count(2)
    expect(phone.get_by_test_id("post-status")).to_contain_text("when the connection comes back")

    phone.reload()  # the server is still down: the service worker serves the kept page
    expect(phone.get_by_test_id("outbox")).to_have_text("2 cards waiting to send")
    expect(phone.get_by_test_id("pending-card")).to_have_count(2)
    phone.screenshot(path=str(artefacts / "phone-offline-outbox.png"), full_page=True)

    server.restart()
    expect(phone.get_by_test_id("outbox")).to_have_text("All sent", timeout=BACK_IN_MS)
    expect(phone.get_by_test_id("pending-card")).to_have_count(0)
    expect(phone.get_by_test_id("own-card")).to_have_count(2)
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    # The tutor did nothing: the console reconnected by itself and shows both cards.
    expect(screen.get_by_test_id("tutor-card")).to_have_count(2, timeout=T)

    phone.reload()
    expect(phone.get_by_test_id("own-card")).to_have_count(2, timeout=T)
    tutor = logged_in_tutor(server.url)
    console = Listener(server.url, "/tutor", _session, tutor)
    try:
        assert sorted(stored_rules(console)) == [
            "Everyone may pass their turn",
            "We switch our phones to silent",
        ]
    finally:
        console.client.disconnect()


def test_this_is_not_me_takes_the_unsent_cards_off_the_shared_phone(browser, server, closing):
    phone, console, _session = admitted_phone(browser, server, "Amina", closing)
    room = phone.locator("[data-phone=room]")
    person = room.get_attribute("data-participant-id")
    session_id = room.get_attribute("data-session-id")
    # A card Amina wrote that never left the phone, and a half-typed one.
    phone.evaluate(
        """([person, session]) => {
          localStorage.setItem("mp:outbox:" + person + ":" + session, JSON.stringify([{
            id: "amina-unsent-0001", event: "post",
            data: {board: "group_rules", fields: {text: "Amina's unsent rule"}}}]));
          localStorage.setItem("mp:draft:" + person + ":" + session + ":group-rules",
            JSON.stringify({values: {text: "half typed"}, editing: null}));
        }""",
        [person, session_id],
    )
    questions: list[str] = []
    phone.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    phone.get_by_test_id("not-me").click()

    expect(phone.get_by_test_id("code-form")).to_be_visible(timeout=T)
    assert questions and "1 of your cards is not sent yet" in questions[0]
    kept = phone.evaluate(
        "() => Object.keys(localStorage).filter(k => /^mp:(outbox|draft):/.test(k))"
    )
    assert kept == []
    assert "Amina's unsent rule" not in stored_rules(console)


def test_this_is_not_me_signs_out_even_when_the_phones_storage_stalls(browser, server, closing):
    phone, _console, _session = admitted_phone(browser, server, "Amina", closing)
    # A busy cheap phone whose cache storage never answers, nor its service worker.
    phone.evaluate(
        """() => {
          caches.keys = () => new Promise(() => {});
          navigator.serviceWorker.getRegistration = () => new Promise(() => {});
        }"""
    )
    phone.get_by_test_id("not-me").click()
    # Signed out within seconds: the server's answer clears the browser's cache all the
    # same (Clear-Site-Data, tests/test_joining.py).
    expect(phone.get_by_test_id("code-form")).to_be_visible(timeout=T)


KEPT_ROOMS = """async () => (await caches.keys()).filter(name => name.startsWith("mp-room-"))"""


def test_after_this_is_not_me_no_copy_of_the_persons_room_stays_on_the_phone(
    browser, server, closing
):
    phone, _console, _session = admitted_phone(browser, server, "Amina", closing)
    expect(phone.locator("[data-phone=room]")).to_have_attribute(
        "data-offline-ready", "true", timeout=T
    )
    room_url = phone.url
    # The room fetched again through the service worker is still on its way (held here)
    # when the worker is told to forget: what comes back after is not kept.
    held: list[Route] = []
    phone.context.route(room_url, lambda route: held.append(route))
    phone.evaluate("() => { window.onItsWay = fetch(location.pathname).then(r => r.text()); }")
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(50)
    assert held and held[0].request.service_worker is not None  # the worker's own fetch
    phone.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          await new Promise((done) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = done;
            registration.active.postMessage({type: "forget"}, [channel.port2]);
          });
        }"""
    )
    held[0].continue_()
    phone.evaluate("() => window.onItsWay")
    phone.context.unroute(room_url)
    phone.wait_for_timeout(500)  # the worker's keep, were it to keep
    left = phone.evaluate(KEPT_ROOMS)
    assert left == []
    phone.reload()  # kept again, as any visit does
    expect(phone.locator("[data-phone=room]")).to_have_attribute(
        "data-offline-ready", "true", timeout=T
    )
    assert phone.evaluate(KEPT_ROOMS) == ["mp-room-v2"]

    # (Chromium sometimes reports the sign-out's own request as failed while it follows
    # its answer: what the phone shows after it is what is checked.)
    phone.get_by_test_id("not-me").click()
    expect(phone.get_by_test_id("code-form")).to_be_visible(timeout=T)
    assert phone.evaluate(KEPT_ROOMS) == []
    # Back does not show Amina's room from any cache: the server sends the phone on.
    phone.go_back()
    phone.wait_for_load_state()
    assert phone.url != room_url or phone.get_by_test_id("you-are").count() == 0
