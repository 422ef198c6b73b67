"""The doors a stranger might try: other sites' websockets, oversized messages, forms
without their token, cookies and headers as the browser receives them."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio

from app import create_app
from app.participants import device

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


@pytest.mark.server
@pytest.mark.parametrize(
    ("origin", "status"),
    [(None, 200), ("same", 200), ("http://evil.example", 400), ("null", 400)],
)
def test_only_the_apps_own_pages_may_open_a_websocket(live_server, origin, status):
    """Cross-site websocket hijacking: another site's page cannot ride the tutor's cookie."""
    headers = {} if origin is None else {"Origin": live_server.url if origin == "same" else origin}
    reply = requests.get(live_server.url + HANDSHAKE, headers=headers, timeout=5)
    assert reply.status_code == status


@pytest.mark.server
def test_a_message_over_64_kb_is_refused_by_the_server_itself(live_server):
    client = socketio.Client(reconnection=False)
    dropped = threading.Event()
    client.on("disconnect", dropped.set)
    client.connect(live_server.url, transports=["websocket"], wait_timeout=5)
    try:
        client.emit("sync", {"pad": "x" * 60_000})  # under the limit: the line stays open
        assert not dropped.wait(1.0)
        client.emit("sync", {"pad": "x" * 70_000})
        assert dropped.wait(5.0), "a 70 KB message should have closed the connection"
    finally:
        client.disconnect()


def test_a_form_over_64_kb_is_refused_before_anything_reads_it(client):
    reply = client.post("/join", data={"code": "x" * 70_000})
    assert reply.status_code == 413


@pytest.fixture
def guarded(tmp_path, migrated_template, monkeypatch):
    """The app as deployed behind HTTPS, CSRF protection on."""
    import shutil

    monkeypatch.setenv("MIGRAPASS_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "guarded.sqlite3"
    shutil.copy(migrated_template, database)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{database}",
            "ASYNC_MODE": "threading",
            "PUBLIC_URL": "https://migrapass.example",
            "SESSION_COOKIE_SECURE": True,
            "REMEMBER_COOKIE_SECURE": True,
        }
    )
    yield app
    from app.extensions import db

    db.engine.dispose()


def test_forms_without_their_token_are_refused(guarded):
    browser = guarded.test_client()
    assert browser.post("/login", data={"username": "x", "password": "y"}).status_code == 400
    assert browser.post("/join", data={"code": "ABCDEF"}).status_code == 400
    assert browser.post("/not-me").status_code == 400


def test_cookies_are_httponly_samesite_and_secure_behind_https(guarded):
    from app.extensions import db
    from app.participants.operations import create_participant
    from app.participants.phones import LinkedVia, link_phone

    with guarded.app_context():
        person = create_participant(db.session, "Amina", "fr")
        link = link_phone(db.session, person, LinkedVia.JOIN)
        db.session.commit()
        response = guarded.make_response("")
        device.remember(guarded, response, link)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie

    page = guarded.test_client().get("/login", base_url="https://migrapass.example")
    session_cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in session_cookie and "Secure" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_every_page_carries_a_strict_content_security_policy(client):
    for path in ("/", "/login", "/j/ZZZZZZ", "/sw.js"):
        with client.get(path) as reply:
            headers = reply.headers
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
