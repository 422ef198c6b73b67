"""Two processes, one organisation, behind nginx at https://127.0.0.1:<port>/live/.

Two eventlet processes share PostgreSQL and the Redis message queue, with
MIGRAPASS_PROXIES=1, behind the nginx site of deploy/nginx (rendered for this test's
ports, certificate and prefix). nginx keeps each browser on one process by its route
cookie: the venue's phones land on process A, the tutor's console and the projector on
process B, and the room is one room. Then A is killed with SIGKILL: its phones reconnect
through the proxy to B, resend their outboxes, and nothing is lost (the chaos test's
checks, on PostgreSQL and two processes). A phone's browser, through the same proxy,
keeps its pages, files and socket under the prefix.
"""

from __future__ import annotations

import os
import re
import signal
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.rendering import qr_svg
from tests.chaos_phone import ChaosPhone, assert_nothing_lost, tally, through_chaos
from tests.fixtures.proxy import (
    ROUTE_COOKIE,
    UPSTREAM_HEADER,
    ProxiedListener,
    Site,
    nginx_accepts,
    nginx_needed,
    renderer,
    self_signed_certificate,
    start_nginx,
    with_upstream_header,
)
from tests.fixtures.servers import ServerProcess, free_port, start_server

pytestmark = [pytest.mark.server, pytest.mark.postgres]

PREFIX = "/live"
RULES_STEP = 2  # workshop 1's group-rules board
PHONES = 8
POSTS_EACH = 15
DEADLINE_S = 90


@dataclass
class Venue:
    site: Site
    servers: list[ServerProcess]
    routes: dict[str, str]  # a route cookie's value leading to each process, by its URL
    database: str
    plain_http: str  # nginx's http:// port, which sends everyone to https


@pytest.fixture
def venue(
    tmp_path: Path, postgres_schema: str, redis_url: str, closing: ExitStack
) -> Callable[[int], Venue]:
    """`processes` eventlet processes on one PostgreSQL schema and the Redis queue,
    behind nginx, as deploy/README.md sets them up."""

    def open_venue(processes: int) -> Venue:
        nginx_needed()
        https_port = free_port()
        public = f"https://127.0.0.1:{https_port}{PREFIX}"
        shared = {
            "DATABASE_URL": postgres_schema,
            "SOCKETIO_MESSAGE_QUEUE": redis_url,
            # Its own channel: another run on this machine's Redis is another organisation.
            "MIGRAPASS_SOCKETIO_CHANNEL": f"migrapass-test-{https_port}-{os.getpid()}",
            "MIGRAPASS_PROXIES": "1",
            "PUBLIC_URL": public,
            # One organisation: every process signs and reads the same cookies.
            "SECRET_KEY": "one-organisation-two-processes",
            "MIGRAPASS_RATE_LIMIT_STAFF": "600/10 seconds",
        }
        servers = []
        for n in range(processes):  # the first runs the release, as a Procfile's would
            server = start_server(tmp_path / f"app{n}", "eventlet", release=n == 0, **shared)
            closing.callback(server.stop)
            servers.append(server)
        certificate, key = self_signed_certificate(tmp_path)
        apps = [server.url.removeprefix("http://") for server in servers]
        http_port = free_port()
        site_conf = renderer().render(public, str(certificate), str(key), apps, http_port)
        nginx = start_nginx(tmp_path / "nginx", with_upstream_header(site_conf), https_port)
        closing.callback(nginx.stop)
        site = Site(f"https://127.0.0.1:{https_port}", PREFIX, certificate)
        routes = site.routes_to(servers)
        return Venue(site, servers, routes, postgres_schema, f"http://127.0.0.1:{http_port}")

    return open_venue


def stored_cards(database: str, session_id: int) -> list[tuple[str, int]]:
    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT client_id, seq FROM session_events"
                    " WHERE session_id = :session AND type = 'card.posted'"
                ),
                {"session": session_id},
            )
            return [(cid, seq) for cid, seq in rows]
    finally:
        engine.dispose()


def test_a_room_split_over_two_processes_is_one_room_and_survives_losing_one(
    venue: Callable[[int], Venue], closing: ExitStack, artefacts: Path
):
    two = venue(2)
    site, (a, b) = two.site, two.servers
    # nginx sends plain http and the bare prefix to the app's public address…
    plain = site.browser().get(
        f"{two.plain_http}{PREFIX}/j/ABCDEF", allow_redirects=False, timeout=5
    )
    assert plain.headers["Location"] == f"{site.url}/j/ABCDEF"
    bare = site.browser().get(site.url, allow_redirects=False, timeout=5)
    assert bare.status_code == 301 and bare.headers["Location"] == f"{site.url}/"
    host = site.url.removesuffix(PREFIX)
    typed = site.browser().get(f"{host}/", allow_redirects=False, timeout=5)
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"{PREFIX}/")
    # …gives a new browser its route, once, and keeps it on that process.
    newcomer = site.browser()
    first = newcomer.get(f"{site.url}/healthz", timeout=5)
    assert f"{ROUTE_COOKIE}=" in first.headers["Set-Cookie"]
    assert newcomer.cookies[ROUTE_COOKIE] and all(c.secure for c in newcomer.cookies)
    again = [newcomer.get(f"{site.url}/healthz", timeout=5) for _ in range(5)]
    assert all("Set-Cookie" not in reply.headers for reply in again)
    assert {reply.headers[UPSTREAM_HEADER] for reply in [first, *again]} == {
        first.headers[UPSTREAM_HEADER]
    }

    tutor = site.browser(route=two.routes[b.url])
    site.log_in_tutor(tutor)
    session_id, code = site.start_workshop(tutor)

    # The console, through the proxy: the join link and QR code are the public address,
    # and every static file loads under the prefix.
    console_page = tutor.get(f"{site.url}/sessions/{session_id}/console", timeout=5).text
    join = f"{site.url}/j/{code}"
    assert f'href="{join}"' in console_page
    projector_page = tutor.get(f"{site.url}/sessions/{session_id}/projector", timeout=5).text
    assert str(qr_svg(join)) in projector_page, "the QR code is not the public join link"
    statics = set(re.findall(r'(?:src|href)="(/[^"]*static/[^"]+)"', console_page + projector_page))
    assert statics and all(path.startswith(f"{PREFIX}/static/") for path in statics), statics
    for path in statics:
        assert tutor.get(f"{site.origin}{path}", timeout=5).status_code == 200, path
    summary = re.search(r'href="([^"]+)" data-testid="summary-pdf"', console_page)
    assert summary and summary.group(1).startswith(f"{PREFIX}/sessions/"), summary
    pdf = tutor.get(f"{site.origin}{summary.group(1)}", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code

    console = ProxiedListener(site, "/tutor", session_id, tutor)
    projector = ProxiedListener(site, "/projector", session_id, tutor)
    for listener in (console, projector):
        closing.callback(listener.shutdown)

    # The venue's phones join on A: cookies for the public address, redirects under it.
    names = ["Amina"] + [f"phone{n:02d}" for n in range(PHONES)]
    phones = {name: site.browser(route=two.routes[a.url]) for name in names}
    for name, phone in phones.items():
        landed = site.phone_joins(phone, code, name)
        assert landed.url == f"{site.url}/s/{session_id}", landed.url
        assert all(cookie.secure for cookie in phone.cookies), list(phone.cookies)
    assert len(console.call("sync")["board"]["waiting"]) == len(names)
    console.does("admit_all")
    assert console.call("sync")["board"]["waiting"] == []
    amina = ProxiedListener(site, "/participant", session_id, phones.pop("Amina"))
    closing.callback(amina.shutdown)

    # A step change by the tutor on B reaches the phones on A…
    console.does("step", index=RULES_STEP, client_id=f"step-{uuid.uuid4()}")
    amina.heard(lambda m: m.get("event") == "step.moved" and m["step_index"] == RULES_STEP)
    # …and a card posted on A appears on B's projector.
    posted = {"client_id": "amina-first-rule", "board": "group_rules", "text": "On s'écoute"}
    assert amina.call("post", posted)["ok"]
    projector.heard(
        lambda m: any(c["fields"].get("text") == "On s'écoute" for c in m.get("cards", []))
    )

    # The phones on A post through chaos, then A dies: they come back through the proxy,
    # on B, and resend what they hold.
    chaos_phones = [
        ChaosPhone(site.origin, session_id, name, phones[name], POSTS_EACH, site.socketio_path)
        for name in phones
    ]
    closing.callback(lambda: [phone.close() for phone in chaos_phones])

    def kill_a() -> None:
        os.kill(a.process.pid, signal.SIGKILL)
        a.process.wait()

    acked_before_kill = through_chaos(chaos_phones, DEADLINE_S, kill_a)
    rows = [row for row in stored_cards(two.database, session_id) if row[0] != "amina-first-rule"]
    report = tally(chaos_phones, POSTS_EACH, rows, acked_before_kill)
    print(f"\ntwo processes behind nginx, {report}")
    (artefacts / "scale-out-counts.txt").write_text(report + "\n")
    assert a.process.poll() is not None and b.process.poll() is None
    assert acked_before_kill < PHONES * POSTS_EACH, "A died after the phones were done"
    assert_nothing_lost(chaos_phones, rows, POSTS_EACH)
    assert site.upstream_of(two.routes[a.url]) == b.url.removeprefix("http://")


@pytest.mark.browser
def test_a_phones_browser_keeps_its_pages_files_and_socket_under_the_prefix(
    venue: Callable[[int], Venue], browser: Any, closing: ExitStack
):
    from playwright.sync_api import expect

    from tests.browsing import T, context, join

    site = venue(1).site
    tutor = site.browser()
    site.log_in_tutor(tutor)
    session_id, code = site.start_workshop(tutor)
    console = ProxiedListener(site, "/tutor", session_id, tutor)
    closing.callback(console.shutdown)
    phone = context(browser, 360, 740, is_mobile=True, has_touch=True, ignore_https_errors=True)
    closing.callback(phone.close)
    requested: list[str] = []
    sockets: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.on("page", lambda page: page.on("websocket", lambda ws: sockets.append(ws.url)))

    _device, page = join(browser, f"{site.url}/j/{code}", "Chloé", device=phone)
    console.does("admit_all")
    console.does("step", index=RULES_STEP, client_id=f"step-{uuid.uuid4()}")
    compose = page.get_by_test_id("compose-group_rules")
    compose.get_by_test_id("field-text").fill("On arrive à l'heure")
    compose.get_by_test_id("post-button").click()
    console.heard(
        lambda m: any(c["fields"].get("text") == "On arrive à l'heure" for c in m.get("cards", []))
    )
    expect(page.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )

    host = site.origin.removeprefix("https://")
    assert sockets and all(u.startswith(f"wss://{host}{PREFIX}/socket.io/") for u in sockets)
    assert any(f"{PREFIX}/static/js/live" in url for url in requested)
    elsewhere = [u for u in requested if not u.startswith((f"{site.url}/", "data:"))]
    assert not elsewhere, f"the phone left the prefix: {elsewhere}"


def test_the_shipped_site_renders_for_an_app_at_the_root_of_its_host_too(tmp_path: Path):
    nginx_needed()
    certificate, key = self_signed_certificate(tmp_path)
    site = renderer().render(
        "https://live.example.org", str(certificate), str(key), ["127.0.0.1:5001"]
    )

    assert "location / {" in site and "location /socket.io/ {" in site
    assert 'X-Forwarded-Prefix "";' in site  # an empty header is not sent at all
    assert nginx_accepts(tmp_path / "nginx", site)


@pytest.mark.parametrize(
    ("public_url", "apps", "refusal"),
    [
        ("http://live.example.org/live", ["127.0.0.1:5001"], "https"),
        ("https://live.example.org/live;x", ["127.0.0.1:5001"], "prefix"),
        ("https://live.example.org/live", [], "at least one"),
        ("https://live.example.org/live", ["127.0.0.1:5001; evil"], "host:port"),
    ],
)
def test_the_site_is_rendered_only_for_what_nginx_would_read_as_meant(
    public_url: str, apps: list[str], refusal: str
):
    with pytest.raises(ValueError, match=refusal):
        renderer().render(public_url, "/c.pem", "/k.pem", apps)
