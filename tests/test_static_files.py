"""Light pages: static files under their content's hash, kept a year; everything that
reads as text sent compressed (Brotli, or gzip); a phone's room page names only what a
phone uses (app/static_files.py, app/compression.py)."""

from __future__ import annotations

import gzip
import re
from collections import OrderedDict
from pathlib import Path

import brotli
import flask_compress.flask_compress as flask_compress
import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from app import compression, static_files
from app.compression import StaticBodies
from app.static_files import IMMUTABLE, SETS, StaticFiles, declared_bundles
from tests.exports import fetch_pdf

LINKED = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')
HASHED = re.compile(r"^/static/[\w/+.-]+\.[0-9a-f]{10}\.(?:css|js)$")
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def linked(page: str) -> list[str]:
    return LINKED.findall(page)


def fetched(client: FlaskClient, path: str, **headers: str) -> tuple[int, dict, bytes]:
    with client.get(path, headers=headers) as reply:
        return reply.status_code, dict(reply.headers), reply.get_data()


@pytest.fixture
def phone_in_room(room_for, phone_client) -> tuple[FlaskClient, str]:
    """Amina's phone, admitted to a running workshop 1, and her room's address."""
    room = room_for("w1-presentation")
    amina, _sock = room.phone("Amina", locale="en")
    return phone_client(amina), f"/s/{room.live.id}"


def test_pages_name_their_sheets_and_scripts_by_hash_and_each_is_kept_a_year(client):
    for path in ("/", "/login"):
        page = client.get(path).get_data(as_text=True)
        names = linked(page)
        assert names, path
        for name in names:
            assert HASHED.match(name), name
            status, headers, _ = fetched(client, name)
            assert status == 200, name
            assert headers["Cache-Control"] == IMMUTABLE


def test_a_plain_name_still_answers_and_is_revalidated(client):
    status, headers, body = fetched(client, "/static/css/base.css")
    assert status == 200 and body
    assert headers["Cache-Control"] == "no-cache"
    status, _, _ = fetched(client, "/static/css/base.css", **{"If-None-Match": headers["ETag"]})
    assert status == 304


def test_a_hash_that_is_not_the_files_own_is_not_found(client):
    hashed = re.sub(r"^/static/", "", url_for_static(client, "css/base.css"))
    assert fetched(client, f"/static/{hashed}")[0] == 200
    for wrong in (
        "css/base.0000000000.css",
        "css/nothing.css",
        "css/base+nothing.css",
        "css/base+base.css",  # each file once
        "css/base+controls.css",  # files that exist, but no page's declared set
        "js/../css/base+controls.css",
        "css/../js/texts+outbox.js",
    ):
        assert fetched(client, f"/static/{wrong}")[0] == 404, wrong


def url_for_static(client: FlaskClient, filename: str) -> str:
    app = client.application
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_one_macro_calls_files_come_as_one_in_their_order_without_comments(client):
    _, _, joined = fetched(client, "/static/js/texts+outbox.js")
    _, _, texts = fetched(client, "/static/js/texts.js")
    _, _, outbox = fetched(client, "/static/js/outbox.js")
    assert joined.startswith(texts) and joined.endswith(outbox)
    source = Path(client.application.static_folder or "", "js", "texts.js").read_text()
    assert source.startswith("/*") and b"/*" not in texts  # comments are for the sources
    assert len(texts) < len(source.encode()) * 0.8


def test_text_goes_out_compressed_with_brotli_or_gzip_and_says_it_varies(client):
    for path in ("/login", url_for_static(client, "css/base+controls+icons.css"), "/sw.js"):
        _, plain_headers, plain = fetched(client, path)
        assert "Content-Encoding" not in plain_headers
        _, headers, body = fetched(client, path, **BROWSER)
        assert headers["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in headers["Vary"]
        _, gz_headers, gz = fetched(client, path, **{"Accept-Encoding": "gzip"})
        assert gz_headers["Content-Encoding"] == "gzip"
        if path != "/login":  # a page holds a new form token each time
            assert brotli.decompress(body) == gzip.decompress(gz) == plain
        assert len(body) < len(plain) / 2


def test_a_static_file_is_compressed_once_per_process(client, monkeypatch):
    monkeypatch.setattr(StaticBodies, "_kept", OrderedDict())
    calls: list[str] = []
    compress = flask_compress._compress_data

    def counted(app: Flask, data: bytes, algorithm: str) -> bytes:
        calls.append(algorithm)
        return compress(app, data, algorithm)

    monkeypatch.setattr(flask_compress, "_compress_data", counted)
    name = url_for_static(client, static_files.set_name("js", "projector"))
    first = fetched(client, name, **BROWSER)[2]
    assert fetched(client, name, **BROWSER)[2] == first
    assert calls == ["br"]
    client.get("/login", headers=BROWSER)
    client.get("/login", headers=BROWSER)
    assert calls == ["br", "br", "br"]  # a page each time: someone's own, never kept


@pytest.mark.usefixtures("no_drawing")
def test_a_pdf_goes_out_as_it_is(make_cohort, make_participant, phone_client):
    phone = phone_client(make_participant(make_cohort(), name="Amina", locale="en"))
    offered = fetch_pdf(phone, phone.post("/me/portfolio.pdf")).request
    with phone.get(offered.full_path, headers=BROWSER) as pdf:
        assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
        assert "Content-Encoding" not in pdf.headers


@pytest.fixture
def no_drawing(app: Flask) -> None:
    """A PDF's bytes, without drawing one: large enough that compressing would be tried."""
    app.extensions["migrapass.exports"].render = lambda html, css: b"%PDF-1.7 " + b"0" * 4000


def test_pages_are_private_and_revalidated_and_only_pages_carry_the_page_headers(client):
    _, page, _ = fetched(client, "/login")
    assert page["Cache-Control"] == "private, no-cache"
    assert "Content-Security-Policy" in page and page["X-Frame-Options"] == "DENY"
    _, sheet, _ = fetched(client, url_for_static(client, "css/base.css"))
    assert sheet["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in sheet and "X-Frame-Options" not in sheet
    _, worker, _ = fetched(client, "/sw.js")  # a worker's script: its policy binds it
    assert "Content-Security-Policy" in worker
    assert worker["Cache-Control"] == "public, max-age=3600"  # a warm visit asks it nothing


def test_the_phones_room_loads_only_the_phones_sheets_and_scripts(phone_in_room):
    phone, room = phone_in_room
    page = phone.get(room).get_data(as_text=True)
    names = " ".join(linked(page))
    for other in ("console", "projector", "replay", "portfolio", "tutor", "coordinator"):
        assert other not in names
    # Workshop 1's boards only: rules, free text; not the ten forms of every workshop.
    boards = set(re.findall(r'data-compose-board="(\w+)"', page))
    assert "group_rules" in boards and "competences" not in boards and "cv_lines" not in boards


def test_behind_a_path_prefix_pages_scripts_and_the_worker_live_under_it(phone_in_room):
    phone, room = phone_in_room
    page = phone.get(room, base_url="http://localhost/live/").get_data(as_text=True)
    for name in linked(page):
        assert name.startswith("/live/static/"), name
    assert 'data-sw="/live/sw.js"' in page and 'data-sw-scope="/live/"' in page
    with phone.get("/sw.js", base_url="http://localhost/live/") as worker:
        assert worker.status_code == 200 and b"registration.scope" in worker.get_data()


def test_a_changed_file_gets_a_new_name_and_the_old_one_is_gone(tmp_path, monkeypatch):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "a.css"
    sheet.write_text("/* why */ .a { color: red; }\n")
    before = StaticFiles(tmp_path).url_name("css/a.css")
    read: list[str] = []
    served = static_files._served_body
    monkeypatch.setattr(
        static_files, "_served_body", lambda path, name: read.append(name) or served(path, name)
    )
    assert StaticFiles(tmp_path).url_name("css/a.css") == before
    assert read == []  # an unchanged file is not read again by the next app

    sheet.write_text(".a { color: blue; }\n")
    files = StaticFiles(tmp_path)
    after = files.url_name("css/a.css")
    assert after != before and read == ["css/a.css"]
    assert files.lookup(after) is not None and files.lookup(before) is None
    assert files.lookup("css/a.css") is not None


# --- only the sets the pages declare exist ------------------------------------------------


def test_a_combination_no_page_declares_is_not_found_and_costs_nothing(client, monkeypatch):
    """Anyone may ask for any "+" name: none that the code does not declare is joined,
    hashed or compressed, so none evicts what the pages use."""
    client.get("/login")  # the 404 page's own sets, built once, like any page's
    built: list[str] = []
    asset = static_files._asset
    monkeypatch.setattr(
        static_files, "_asset", lambda name, body: built.append(name) or asset(name, body)
    )
    monkeypatch.setattr(StaticBodies, "_kept", OrderedDict())
    for asked in (
        "js/live+board.js",
        "js/board+live.js",
        "js/texts+outbox+live.js",
        "js/texts+outbox+live.0123456789.js",
        "css/base+room.css",
    ):
        assert fetched(client, f"/static/{asked}", **BROWSER)[0] == 404, asked
    assert built == [] and not StaticBodies._kept


def test_every_joined_file_the_pages_link_is_declared_and_served(room_for, client):
    room = room_for("w1-presentation")
    amina, _sock = room.phone("Amina", locale="en")
    live = room.live.id
    pages = [client.get(path) for path in ("/", "/login")]
    pages += [
        room.tutor_browser.get(f"/sessions/{live}/{view}") for view in ("console", "projector")
    ]
    pages.append(room.phone_client(amina).get(f"/s/{live}"))
    joined = set()
    for page in pages:
        assert page.status_code == 200, page.request.path
        for name in linked(page.get_data(as_text=True)):
            match = static_files.HASHED.match(name.removeprefix("/static/"))
            assert match, name
            if "+" in name:
                joined.add(match["stem"] + match["ext"])
            assert fetched(client, name)[0] == 200, name
    assert joined and joined <= declared_bundles()
    # The room, the console and the projector each load their own set.
    assert {
        static_files.set_name("js", view) for view in ("room", "console", "projector")
    } <= joined


def test_each_declared_set_names_files_that_exist_and_a_template_uses_it(app):
    folder = Path(app.static_folder or "")
    templates = " ".join(
        p.read_text() for p in Path(app.root_path, "..", "templates").rglob("*.html")
    )
    for kind, sets in SETS.items():
        for name, members in sets.items():
            assert len(set(members)) == len(members), name
            for member in members:
                assert (folder / kind / member).is_file(), (name, member)
            assert f'"{name}"' in templates, name


def test_the_static_bodies_kept_are_the_least_recently_used_that_go(monkeypatch):
    monkeypatch.setattr(StaticBodies, "_kept", OrderedDict())
    monkeypatch.setattr(compression, "MAX_KEPT", 2)
    kept = StaticBodies()
    kept.set("br;room", b"room")
    kept.set("br;base", b"base")
    assert kept.get("br;room") == b"room"  # the room's body is asked for again
    kept.set("br;console", b"console")
    assert kept.get("br;room") == b"room" and kept.get("br;base") is None
