"""What to do when someone discloses an urgent situation (no bed tonight, suicidal
thoughts, a detention threat): one page for every member of staff, from the dashboard and
the group's page, in their language or else in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.paths import ROOT
from app.permissions import Role

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}


@pytest.fixture
def guides(app, tmp_path: Path) -> Path:
    """A workshops folder of the test's own, with only a French guide."""
    folder = tmp_path / "workshops"
    (folder / "guides").mkdir(parents=True)
    (folder / "guides" / "urgent-situations.fr.md").write_text(
        "# Situations urgentes\n\n## Pas de lit ce soir\n\n"
        "Appelez le **115**.<script>alert(1)</script>\n\n"
        "## Idées suicidaires\n\nLe **3114**, jour et nuit.\n",
        encoding="utf-8",
    )
    app.config["WORKSHOPS_DIR"] = str(folder)
    return folder


@pytest.mark.parametrize("headers", [FR, EN], ids=["fr", "en"])
def test_a_tutor_reads_the_shipped_guide_with_115_and_3114(
    app, make_cohort, make_staff, staff_client, headers
):
    app.config["WORKSHOPS_DIR"] = str(ROOT / "workshops")
    tutor = staff_client(make_staff(make_cohort()))

    page = tutor.get("/tutor/urgent", headers=headers)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "115" in html and "3114" in html


def test_the_dashboard_and_the_group_page_link_to_it(make_cohort, make_staff, staff_client):
    cohort = make_cohort()
    tutor = staff_client(make_staff(cohort))
    for url in ("/tutor", f"/cohorts/{cohort.id}"):
        html = tutor.get(url, headers=EN).get_data(as_text=True)
        assert 'href="/tutor/urgent"' in html, url


def test_a_guide_not_translated_is_read_in_french_through_the_markdown_path(
    guides, make_staff, staff_client
):
    trainee = staff_client(make_staff(None, Role.TRAINEE))  # any member of staff reads it

    html = trainee.get("/tutor/urgent", headers=EN).get_data(as_text=True)

    assert "<strong>115</strong>" in html and "<strong>3114</strong>" in html
    assert '<div class="prose" lang="fr"' in html
    # The document's headings sit under the page's title, at levels the Markdown path keeps.
    assert "<h3>Situations urgentes</h3>" in html and "<h4>Pas de lit ce soir</h4>" in html
    assert "<script>alert" not in html


def test_a_missing_guide_says_so(guides, make_staff, staff_client):
    (guides / "guides" / "urgent-situations.fr.md").unlink()
    html = staff_client(make_staff()).get("/tutor/urgent", headers=EN).get_data(as_text=True)
    assert "This guide is missing on this server. Tell your coordinator." in html


def test_a_phone_or_a_stranger_is_sent_to_log_in(client):
    reply = client.get("/tutor/urgent")
    assert reply.status_code == 302 and reply.headers["Location"].startswith("/login")
