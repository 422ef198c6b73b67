"""A large body the app makes (a replay's timeline, a data export) goes out compressed at
the fastest level, so that no request holds the rooms' loop for long; pages keep the
usual levels (app/compression.py)."""

from __future__ import annotations

import gzip
import json

import brotli
import flask_compress.flask_compress as flask_compress
import pytest
from flask import Flask, jsonify

from app import compression

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture
def timeline(app: Flask) -> bytes:
    """A replay-sized JSON answer (some 600 KB), at /big.json."""
    cards = [
        {"seq": n, "text": f"We listen to each other ({n})", "by": n % 40} for n in range(9000)
    ]
    app.add_url_rule("/big.json", "big", lambda: jsonify(cards))
    with app.test_request_context():
        body = jsonify(cards).get_data()
    assert len(body) > compression.LARGE_BODY
    return body


@pytest.fixture
def levels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which path compressed each body: "fast:<algorithm>" or "usual:<algorithm>"."""
    seen: list[str] = []
    fast, usual = compression.fast, flask_compress._compress_data
    monkeypatch.setattr(
        compression, "fast", lambda body, algo: seen.append(f"fast:{algo}") or fast(body, algo)
    )
    monkeypatch.setattr(
        flask_compress,
        "_compress_data",
        lambda app, body, algo: seen.append(f"usual:{algo}") or usual(app, body, algo),
    )
    return seen


def test_a_large_json_answer_is_compressed_at_the_fastest_level_and_arrives_whole(
    client, timeline, levels
):
    with client.get("/big.json", headers=BROWSER) as reply:
        assert reply.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in reply.headers["Vary"]
        assert brotli.decompress(reply.get_data()) == timeline
        assert int(reply.headers["Content-Length"]) == len(reply.get_data())
    with client.get("/big.json", headers={"Accept-Encoding": "gzip"}) as reply:
        assert reply.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(reply.get_data()) == timeline
    with client.get("/big.json") as reply:  # no compression asked for: none
        assert "Content-Encoding" not in reply.headers
        assert json.loads(reply.get_data()) == json.loads(timeline)
    assert levels == ["fast:br", "fast:gzip"]


def test_a_page_keeps_the_usual_level(client, timeline, levels):
    with client.get("/login", headers=BROWSER) as page:
        assert page.headers["Content-Encoding"] == "br"
        assert len(page.get_data()) < compression.LARGE_BODY
    assert levels == ["usual:br"]


def test_the_fastest_level_is_brotli_1_and_gzip_1(timeline):
    assert brotli.decompress(compression.fast(timeline, "br")) == timeline
    assert compression.fast(timeline, "br") == brotli.compress(timeline, quality=1)
    assert gzip.decompress(compression.fast(timeline, "gzip")) == timeline
