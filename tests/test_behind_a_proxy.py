"""The app behind a reverse proxy (MIGRAPASS_PROXIES=1, deploy/nginx): it reads each
phone's address, and the public scheme, host and path prefix, from the proxy's headers.
The same through a real nginx and two processes: tests/test_scale_out.py."""

from __future__ import annotations

import re

import pytest

from app.participants import device

EN = {"Accept-Language": "en"}
JOINING = {"name": "Amina", "language": "fr", "consent_data": "y"}


@pytest.fixture
def behind_a_proxy(configured_app):
    """The app as deployed behind one reverse proxy (MIGRAPASS_PROXIES=1)."""
    return configured_app(WTF_CSRF_ENABLED=False, PROXIES=1)


def test_behind_a_proxy_wrong_codes_are_counted_per_client_not_per_proxy(behind_a_proxy):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy

    def phone_at(address: str):
        browser = behind_a_proxy.test_client()
        browser.environ_base.update(proxy, HTTP_X_FORWARDED_FOR=address)
        return browser

    for n in range(70):  # one guesser, new browser each time, one address
        phone_at("203.0.113.9").post("/join", data={"code": f"WRONG{n}"})

    assert phone_at("203.0.113.9").get("/j/ZZZZZZ").status_code == 429
    assert phone_at("198.51.100.4").get("/j/ZZZZZZ", headers=EN).status_code == 404


# What nginx sends with every request (deploy/nginx): the public scheme, host, port and
# the path prefix it took off, from a proxy at 10.0.0.2.
THROUGH_NGINX = {
    "REMOTE_ADDR": "10.0.0.2",
    "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "venue.example",
    "HTTP_X_FORWARDED_PORT": "443",
    "HTTP_X_FORWARDED_PREFIX": "/live",
}


def logged_through_nginx(app, caplog, words: str) -> list[str]:
    """The warnings naming `words` after three requests come through nginx."""
    browser = app.test_client()
    browser.environ_base.update(THROUGH_NGINX)
    with caplog.at_level("WARNING"):
        for _ in range(3):
            browser.get("/healthz")
    return [r.getMessage() for r in caplog.records if words in r.getMessage()]


class TestBehindAProxyUnderAPrefix:
    """The app served at https://venue.example/live/ by a proxy (MIGRAPASS_PROXIES=1)."""

    @pytest.fixture
    def app(self, configured_app):
        return configured_app(
            WTF_CSRF_ENABLED=False,
            PROXIES=1,
            PUBLIC_URL="https://venue.example/live",
            APPLICATION_ROOT="/live",  # as app/config.py derives it from PUBLIC_URL
            REMEMBER_COOKIE_PATH="/live",
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
        )

    @pytest.fixture
    def client(self, app):
        browser = app.test_client()
        browser.environ_base.update(THROUGH_NGINX)
        return browser

    def test_a_phone_is_sent_to_its_room_under_the_prefix_with_a_secure_cookie(
        self, client, make_cohort, make_staff, start_live
    ):
        cohort = make_cohort()
        live = start_live(cohort, make_staff(cohort))

        page = client.get(f"/j/{live.join_code}").get_data(as_text=True)
        joined = client.post(f"/j/{live.join_code}", data=JOINING)

        assert re.search(r'src="/live/static/', page) and not re.search(r'="/static/', page)
        assert joined.headers["Location"] == f"/live/s/{live.id}"
        cookie = next(c for c in joined.headers.getlist("Set-Cookie") if device.COOKIE_NAME in c)
        assert "Secure" in cookie and "Path=/live;" in cookie

    def test_the_console_links_to_the_public_join_address_and_its_pdf_under_the_prefix(
        self, client, make_cohort, make_staff, start_live, staff_client
    ):
        cohort = make_cohort()
        tutor = make_staff(cohort)
        live = start_live(cohort, tutor)
        console = staff_client(tutor)
        console.environ_base.update(THROUGH_NGINX)

        page = console.get(f"/sessions/{live.id}/console").get_data(as_text=True)

        assert f'href="https://venue.example/live/j/{live.join_code}"' in page
        assert f'href="/live/sessions/{live.id}/summary.pdf"' in page

    def test_a_public_url_other_than_the_proxys_is_said_once_in_the_log(
        self, configured_app, caplog
    ):
        app = configured_app(PROXIES=1, PUBLIC_URL="http://192.168.1.20:5000")
        said = logged_through_nginx(app, caplog, "PUBLIC_URL")
        assert len(said) == 1 and "https://venue.example/live" in said[0]


def test_with_other_origins_allowed_the_public_address_under_a_prefix_still_opens_a_socket(
    configured_app,
):
    from app.extensions import socketio

    configured_app(
        PUBLIC_URL="https://venue.example/live", ALLOWED_ORIGINS=("https://kiosk.example",)
    )
    allowed = socketio.server.eio.cors_allowed_origins
    assert "https://venue.example" in allowed and "https://kiosk.example" in allowed


def test_a_proxy_the_app_was_not_told_of_is_said_once_in_the_log(configured_app, caplog):
    said = logged_through_nginx(configured_app(PROXIES=0), caplog, "MIGRAPASS_PROXIES is 0")
    assert len(said) == 1
