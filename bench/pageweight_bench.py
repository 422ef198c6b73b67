"""Bytes on the wire of a phone's join and room pages and of the projector, cold and warm.

    .venv/bin/python bench/pageweight_bench.py

Debian's Chromium through Playwright, against a real server process (eventlet, on a
released instance), as a phone on the venue's Wi-Fi would load the pages:
- the join page (`/j/<code>`), by a phone that never came before;
- the room page (`/s/<id>`), by a phone let in by the tutor;
- the projector (`/sessions/<id>/projector`), by the tutor's laptop.
A cold load starts from an empty cache; the warm load opens the same address again in
the same browser (a new tab, as a person comes back to it), once the cold one settled.

Counted per load: every response that came over the network, in bytes as Chromium
received them (CDP `Network.loadingFinished.encodedDataLength`: headers and the body as
sent, compressed or not), for the page and for its service worker (the room page's
worker fetches on the page's behalf: Playwright reports those requests with
PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS). Responses from Chromium's memory or disk
cache, and the page's requests answered by the worker, cost nothing on the wire and are
not counted; the websocket's frames are not page weight and are not counted either.

Targets (issue 20): room <= 60 KB, join <= 20 KB, projector <= 150 KB on a cold load;
a warm load fetches nothing but the page itself. Prints each load's requests, the
targets (met or missed), the figures as JSON and one summary line; merges the figures
into bench/results.json.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Before Playwright starts its driver: the worker's own requests are reported only so.
os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fanout_rooms import console_for, cookie_header  # noqa: E402
from bench.wire_counter import WireCounter  # noqa: E402
from tests.drivers import logged_in_tutor, start_workshop  # noqa: E402
from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.fixtures.servers import start_server  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
SETTLE_S = 2.0  # after the network is idle: a late fetch (the worker, a reload) counts too
TARGETS_KB = {"phone_room_kb": 60, "phone_join_kb": 20, "projector_kb": 150}
PHONE = "Pixel 5"  # Playwright's device: a phone's screen, touch and user agent


@dataclass
class Fetch:
    url: str
    kind: str
    bytes: int = 0
    cached: bool = False  # memory or disk cache, or answered by the service worker
    by_worker: bool = False  # the service worker's own request
    status: int = 0
    method: str = "GET"

    @property
    def live(self) -> bool:
        """Socket.IO's own traffic (its polling handshake): the live channel, not the page."""
        return "/socket.io/" in self.url


@dataclass
class Load:
    """What one page load fetched."""

    name: str
    fetches: dict[str, Fetch] = field(default_factory=dict)
    relayed: list[str] = field(default_factory=list)  # request lines the relay carried

    @property
    def on_wire(self) -> list[str]:
        """The page's requests as the relay saw them (Socket.IO's left out)."""
        return [line for line in self.relayed if "/socket.io/" not in line]

    @property
    def wire(self) -> list[Fetch]:
        return [f for f in self.fetches.values() if not (f.cached or f.live)]

    @property
    def live_requests(self) -> int:
        return sum(1 for f in self.fetches.values() if f.live and not f.cached)

    @property
    def kb(self) -> float:
        return sum(f.bytes for f in self.wire) / 1024

    def listing(self) -> str:
        lines = [
            f"{self.name}: {self.kb:.1f} KB in {len(self.wire)} requests"
            f" (and {self.live_requests} of Socket.IO's, not counted);"
            f" the relay carried {len(self.on_wire)}: {', '.join(self.on_wire) or 'none'}"
        ]
        for f in sorted(self.fetches.values(), key=lambda f: -f.bytes):
            if f.live:
                continue
            where = "cache" if f.cached else ("worker" if f.by_worker else "wire")
            lines.append(
                f"  {f.bytes / 1024:7.1f} KB  {where:6} {f.method:4} {f.status or '':>3}"
                f" {f.kind:10} {_path(f.url)[:90]}"
            )
        return "\n".join(lines)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def measured(context: Any, url: str, name: str, relay: WireCounter) -> Load:
    """Open `url` in a new tab of `context` and record what came over the network."""
    load = Load(name)
    seen_before = len(relay.requests)
    page = context.new_page()
    cdp = context.new_cdp_session(page)

    def sent(event: dict[str, Any]) -> None:
        request = event["request"]
        if request["url"].startswith("http"):
            load.fetches[event["requestId"]] = Fetch(
                request["url"], event.get("type", "Other"), method=request.get("method", "GET")
            )

    def answered(event: dict[str, Any]) -> None:
        fetch = load.fetches.get(event["requestId"])
        response = event["response"]
        if fetch is not None:
            fetch.status = int(response.get("status", 0))
        if fetch is not None and (
            response.get("fromDiskCache")
            or response.get("fromServiceWorker")
            or response.get("fromPrefetchCache")
        ):
            fetch.cached = True

    def from_cache(event: dict[str, Any]) -> None:
        if event["requestId"] in load.fetches:
            load.fetches[event["requestId"]].cached = True

    def finished(event: dict[str, Any]) -> None:
        if event["requestId"] in load.fetches:
            load.fetches[event["requestId"]].bytes = int(event.get("encodedDataLength", 0))

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", answered)
    cdp.on("Network.requestServedFromCache", from_cache)
    cdp.on("Network.loadingFinished", finished)
    cdp.send("Network.enable")

    def worker_finished(request: Any) -> None:
        if request.service_worker is None:
            return  # the page's own: counted through CDP above
        sizes = request.sizes()
        response = request.response()
        fetch = Fetch(request.url, request.resource_type, by_worker=True, method=request.method)
        fetch.bytes = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
        fetch.status = response.status if response is not None else 0
        # What Chromium's HTTP cache answered brings no body from a server (a 304 is a
        # revalidation: it did cross the network).
        from_network = sizes["responseBodySize"] > 0 or fetch.status == 304
        fetch.cached = response is None or not response.server_addr() or not from_network
        load.fetches[f"worker-{len(load.fetches)}"] = fetch

    context.on("requestfinished", worker_finished)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        time.sleep(SETTLE_S)
        page.wait_for_load_state("networkidle")
    finally:
        context.remove_listener("requestfinished", worker_finished)
        cdp.detach()
    load.relayed = relay.requests[seen_before:]
    return load


def cold_and_warm(
    browser: Any, devices: Any, url: str, name: str, cookies: list[dict], relay: WireCounter
) -> list:
    """A fresh browser profile with only these cookies: the cold load, then the warm."""
    context = (
        browser.new_context(**devices[PHONE])
        if name.startswith("phone")
        else (browser.new_context(viewport={"width": 1280, "height": 720}))
    )
    context.add_cookies(cookies)
    try:
        cold = measured(context, url, f"{name} (cold)", relay)
        warm = measured(context, url, f"{name} (warm)", relay)
        return [cold, warm]
    finally:
        context.close()


def browser_cookies(url: str, jar: dict[str, str]) -> list[dict[str, Any]]:
    return [{"name": k, "value": v, "url": url} for k, v in jar.items()]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pageweight-") as folder:
        server = start_server(Path(folder), "eventlet")
        relay = WireCounter(int(server.url.rsplit(":", 1)[1])).start()
        try:
            tutor = logged_in_tutor(server.url)
            session_id, code = start_workshop(server.url, tutor)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    loads = pages(
                        browser, playwright.devices, relay, server.url, session_id, code, tutor
                    )
                finally:
                    browser.close()
        finally:
            relay.stop()
            server.stop()
    report(loads)


def pages(
    browser: Any,
    devices: Any,
    relay: WireCounter,
    direct: str,
    session_id: int,
    code: str,
    tutor: Any,
) -> dict[str, list[Load]]:
    """The three pages, cold and warm, through the relay; the phone joins through the
    form in between, and the tutor lets it in over a socket of its own (`direct`)."""
    url = f"http://127.0.0.1:{relay.port}"
    loads = {
        "phone_join": cold_and_warm(browser, devices, f"{url}/j/{code}", "phone_join", [], relay)
    }
    # The phone joins as a person does (the form, in the browser), and is let in.
    joining = browser.new_context(**devices[PHONE])
    page = joining.new_page()
    page.goto(f"{url}/j/{code}")
    page.fill("input[name=name]", "Amina")
    page.check("[data-testid=consent-data]")
    page.click("[data-testid=join-submit]")
    page.wait_for_url(f"**/s/{session_id}")
    console = console_for(direct, session_id, cookie_header(tutor))
    try:
        ack = console.call("admit_all", {}, namespace="/tutor", timeout=30)
        assert ack and ack.get("ok"), ack
        assert console.call("step", {"index": 2}, namespace="/tutor", timeout=30)["ok"]
    finally:
        console.disconnect()
    phone_jar = {c["name"]: c["value"] for c in joining.cookies()}
    joining.close()
    loads["phone_room"] = cold_and_warm(
        browser,
        devices,
        f"{url}/s/{session_id}",
        "phone_room",
        browser_cookies(url, phone_jar),
        relay,
    )
    staff_jar = dict(tutor.cookies.items())
    loads["projector"] = cold_and_warm(
        browser,
        devices,
        f"{url}/sessions/{session_id}/projector",
        "projector",
        browser_cookies(url, staff_jar),
        relay,
    )
    return loads


def report(loads: dict[str, list[Load]]) -> None:
    figures: dict[str, Any] = {}
    for name, (cold, warm) in loads.items():
        print(cold.listing())
        print(warm.listing())
        figures[f"{name}_kb"] = round(cold.kb, 1)
        figures[f"{name}_requests"] = len(cold.wire)
        figures[f"{name}_warm_kb"] = round(warm.kb, 1)
        figures[f"{name}_warm_requests"] = len(warm.wire)
        figures[f"{name}_socketio_requests"] = cold.live_requests
        # The relay's count, from outside the browser: the target is judged on it.
        figures[f"{name}_requests_on_wire"] = len(cold.on_wire)
        figures[f"{name}_warm_requests_on_wire"] = len(warm.on_wire)
    # The room page itself, fetched by the page or by its worker (issue 20: the phone
    # fetched it twice).
    cold, warm = loads["phone_room"]
    figures["phone_room_page_fetches"] = sum(1 for f in cold.wire if "/s/" in f.url)
    figures["phone_room_warm_page_fetches"] = sum(1 for f in warm.wire if "/s/" in f.url)
    for key, limit in TARGETS_KB.items():
        met = figures[key] <= limit
        print(f"{'met   ' if met else 'MISSED'}  {key} {figures[key]:.1f} KB (target <= {limit})")
    for name in loads:
        warm = figures[f"{name}_warm_requests_on_wire"]
        print(
            f"{'met   ' if warm <= 1 else 'MISSED'}  {name} warm load: {warm} requests"
            " (target: the page itself only)"
        )
    print(json.dumps(figures, indent=2, sort_keys=True))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(figures)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(
        f"pageweight: room {figures['phone_room_kb']:.1f} KB, join {figures['phone_join_kb']:.1f}"
        f" KB, projector {figures['projector_kb']:.1f} KB cold; warm requests: room"
        f" {figures['phone_room_warm_requests']}, join {figures['phone_join_warm_requests']},"
        f" projector {figures['projector_warm_requests']}"
    )


if __name__ == "__main__":
    main()
