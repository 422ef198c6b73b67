"""Whatever the app answers is someone's own: no shared cache keeps it, and the browser
asks again before showing it (app/security.py). Static files say their own."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.exports import fetch_pdf


@pytest.fixture
def no_drawing(app: Flask) -> None:
    """A PDF's bytes, without drawing one."""
    app.extensions["migrapass.exports"].render = lambda html, css: b"%PDF-1.7 " + b"0" * 4000


@pytest.fixture
def amina(make_cohort, make_participant, phone_client):
    return phone_client(make_participant(make_cohort(), name="Amina", locale="en"))


def test_a_persons_data_export_is_private_and_revalidated(amina):
    with amina.get("/me/export.json") as export:
        assert export.status_code == 200 and export.mimetype == "application/json"
        assert export.headers["Cache-Control"] == "private, no-cache"


@pytest.mark.usefixtures("no_drawing")
def test_a_pdf_download_is_kept_by_no_cache_at_all(amina):
    with fetch_pdf(amina, amina.post("/me/portfolio.pdf")) as pdf:
        assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
        assert pdf.headers["Cache-Control"] == "no-store"


def test_json_a_redirect_and_an_error_are_private_too(client):
    for path in ("/health", "/me", "/nothing-here"):
        with client.get(path) as reply:
            assert reply.headers["Cache-Control"] == "private, no-cache", (path, reply.status)


def test_static_files_and_the_workers_script_keep_their_own(client):
    with client.get("/static/css/base.css") as sheet:
        assert sheet.headers["Cache-Control"] == "no-cache"
    with client.get("/sw.js") as worker:
        assert worker.headers["Cache-Control"] == "public, max-age=3600"
