"""A phone in Chromium loads light pages: the room in a few tens of kilobytes, then, on a
reload, nothing but the page itself; and after a deploy, one reload shows the new version
and keeps the cards waiting to be sent.

Bytes are counted as Chromium counts them on the wire (headers and encoded body), for the
page's requests and the service worker's alike; the socket's traffic is left out.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from app.paths import ROOT
from tests.browsing import T, context, join, log_in, phone_context
from tests.drivers import Listener, ServerRoom, logged_in_tutor
from tests.fixtures.servers import (
    ServerProcess,
    free_port,
    prepared_env,
    released_instance,
    wait_for_health,
)

pytestmark = pytest.mark.browser

KB = 1024
ROOM_KB, JOIN_KB, PROJECTOR_KB = 60, 20, 150  # issue 20's targets for a cold load
RULES_STEP = 2
BACK_IN_MS = 30_000  # Socket.IO's browser client retries with backoff up to 5 s apart
SOCKET = re.compile(r"/socket\.io/")


class Wire:
    """What a browser context fetched from the network, with the bytes of each."""

    def __init__(self, device: BrowserContext) -> None:
        self.fetched: list[tuple[str, int]] = []
        device.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        if SOCKET.search(request.url):
            return
        sizes = request.sizes()  # from a cache: the body counts minus the headers, 0 in all
        on_wire = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if on_wire > 0:
            self.fetched.append((request.url, on_wire))

    def take(self) -> list[tuple[str, int]]:
        fetched, self.fetched = self.fetched, []
        return fetched

    def kilobytes(self) -> float:
        return sum(size for _, size in self.take()) / KB


def in_room(phone: Page) -> None:
    """The room is drawn, connected, and kept for offline use."""
    expect(phone.get_by_test_id("compose-group_rules")).to_be_visible(timeout=T)
    expect(phone.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(phone.locator("[data-phone=room]")).to_have_attribute("data-offline-ready", "true")


def fresh(
    browser: Browser, closing: ExitStack, like: BrowserContext, phone: bool
) -> BrowserContext:
    """A device with `like`'s cookies and storage but nothing in its caches."""
    size = (360, 740) if phone else (1920, 1080)
    extra = {"is_mobile": True, "has_touch": True} if phone else {}
    device = context(browser, *size, storage_state=like.storage_state(), **extra)
    closing.callback(device.close)
    return device


def test_a_phone_loads_the_room_light_and_a_reload_fetches_the_page_alone(browser, server, closing):
    room = ServerRoom.open(server, closing=closing)
    joining = phone_context(browser)
    closing.callback(joining.close)
    wire = Wire(joining)
    page = joining.new_page()
    page.goto(room.join_url)
    expect(page.get_by_test_id("join-name")).to_be_visible()
    page.wait_for_load_state("load")
    join_kb = wire.kilobytes()
    assert join_kb <= JOIN_KB, join_kb
    page.get_by_test_id("join-name").fill("Amina")
    page.get_by_test_id("consent-data").check()
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("waiting-message")).to_contain_text("Amina", timeout=T)
    room.admit_everyone()
    room.go_to(RULES_STEP)
    in_room(page)

    # Amina's phone, its caches empty: the room, its sheets and its scripts, once each.
    device = fresh(browser, closing, joining, phone=True)
    wire = Wire(device)
    phone = device.new_page()
    room_url = f"{server.url}/s/{room.session_id}"
    phone.goto(room_url)
    in_room(phone)
    phone.wait_for_load_state("load")
    cold = wire.take()
    urls = [url for url, _ in cold]
    assert len(urls) == len(set(urls)), urls  # the page is not fetched twice, nor any file
    room_kb = sum(size for _, size in cold) / KB
    assert room_kb <= ROOM_KB, cold

    phone.reload()
    in_room(phone)
    phone.wait_for_load_state("load")
    assert [url for url, _ in wire.take()] == [room_url]

    laptop = context(browser, 1280, 800)
    closing.callback(laptop.close)
    log_in(laptop.new_page(), server.url)
    wall_device = fresh(browser, closing, laptop, phone=False)
    wire = Wire(wall_device)
    wall = wall_device.new_page()
    wall.goto(f"{server.url}/sessions/{room.session_id}/projector")
    expect(wall.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    wall.wait_for_load_state("load")
    projector_kb = wire.kilobytes()
    assert projector_kb <= PROJECTOR_KB, projector_kb


# --- a deploy: the same server started again on changed static files ---------------------


def copy_of_the_app(site: Path) -> Path:
    """The application's files, to change one the way a deploy would."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("app", "templates", "static", "workshops"):
        shutil.copytree(ROOT / part, site / part, ignore=ignore)
    return site


def serve(site: Path, env: dict[str, str], log: Path) -> ServerProcess:
    """`python -m app.serve` from `site` (its own `app` package, templates and files)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.serve"], cwd=site, env=env, stdout=out, stderr=out
        )
    url = env["PUBLIC_URL"]
    wait_for_health(url, process, log)
    return ServerProcess(url, process, env, log)


def post_rule(phone: Page, text: str) -> None:
    form = phone.get_by_test_id("compose-group_rules")
    form.get_by_test_id("field-text").fill(text)
    form.get_by_test_id("post-button").click()


def kept_files(phone: Page) -> list[str]:
    return phone.evaluate(
        """async () => {
          const cache = await caches.open("mp-room-v2");
          return (await cache.keys()).map(r => new URL(r.url).pathname);
        }"""
    )


def test_after_a_deploy_one_reload_shows_the_new_version_and_keeps_the_outbox(
    browser, tmp_path, closing
):
    site = copy_of_the_app(tmp_path / "site")
    port = free_port()
    env = prepared_env(tmp_path / "instance", "eventlet", port)
    released_instance(env)
    server = serve(site, env, tmp_path / "server.log")
    closing.callback(lambda: server.stop())
    room = ServerRoom.open(server, closing=closing)
    device, phone = join(browser, room.join_url, "Amina")
    closing.callback(device.close)
    room.admit_everyone()
    room.go_to(RULES_STEP)
    in_room(phone)
    before = phone.locator("script[src*='+room+']").get_attribute("src")

    # The phone cannot reach the socket until told (so its card waits through the reload).
    phone.route(SOCKET, lambda route: route.abort())
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    expect(phone.get_by_test_id("connection")).to_have_attribute(
        "data-state", "reconnecting", timeout=T
    )
    post_rule(phone, "We listen to each other")
    expect(phone.get_by_test_id("outbox")).to_have_text("1 card waiting to send")

    # The deploy: a script changes, so its name does.
    script = site / "static" / "js" / "phone.js"
    script.write_text(
        script.read_text() + '\ndocument.documentElement.setAttribute("data-version", "new");\n'
    )
    server = serve(site, env, tmp_path / "server.log")

    phone.reload()
    expect(phone.locator("html")).to_have_attribute("data-version", "new", timeout=T)
    after = phone.locator("script[src*='+room+']").get_attribute("src")
    assert after and before and after != before
    expect(phone.get_by_test_id("outbox")).to_have_text("1 card waiting to send")
    expect(phone.get_by_test_id("pending-card")).to_have_count(1)

    phone.unroute(SOCKET)
    expect(phone.get_by_test_id("outbox")).to_have_text("All sent", timeout=BACK_IN_MS)
    expect(phone.get_by_test_id("own-card")).to_have_count(1)
    console = Listener(server.url, "/tutor", room.session_id, logged_in_tutor(server.url))
    closing.callback(console.client.disconnect)
    assert [card["text"] for card in console.call("sync")["board"]["cards"]] == [
        "We listen to each other"
    ]
    # The service worker lets the old version's files go once the new page is kept.
    old = before.rsplit("/", 1)[-1]
    phone.wait_for_function(
        """async (old) => {
          const cache = await caches.open("mp-room-v2");
          return !(await cache.keys()).some(r => r.url.endsWith(old));
        }""",
        arg=old,
        timeout=T,
    )
    assert any(path.endswith(after.rsplit("/", 1)[-1]) for path in kept_files(phone))
