"""The reports' charts in Chromium, on a phone and on a laptop, and printed: the SVG is
drawn (bars with a size), the table of the same figures beside it, nothing sent to the
console, and screenshots in test-artefacts/.

The pages come from the app's test client: Chromium asks, a route handler answers from
Flask, so no server process is needed for pages that only read."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.permissions import Role
from tests.browsing import context

pytestmark = pytest.mark.browser

BASE = "http://reports.test"

pytest_plugins = ["tests.outcomes_factory"]  # make_group, attend, interview, stand_in
EN = {"Accept-Language": "en"}


def serve_from(flask_client):
    """A Playwright route handler answering every request from the Flask test client."""

    def handle(route, request) -> None:
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = flask_client.get(path, headers={"Accept-Language": "en"})
        body = answer.get_data()
        answer.close()  # a static file is served from an open file
        route.fulfill(
            status=answer.status_code,
            headers={k: v for k, v in answer.headers.items() if k.lower() != "content-length"},
            body=body,
        )

    return handle


@pytest.fixture
def reports_2017(make_group, interview):
    make_group("Spring", date(2017, 3, 6), enrolled=13, attended=11, prefix="S")
    make_group("Summer", date(2017, 5, 2), enrolled=12, attended=10, prefix="U")
    autumn = make_group("Autumn", date(2017, 9, 4), enrolled=13, attended=11, prefix="A")
    for person in autumn.people[:7]:
        interview(autumn.cohort, person, "former_participant")
    for person in autumn.people[7:9]:
        interview(autumn.cohort, person, "social_worker")
    return autumn


@pytest.mark.parametrize(("device", "size"), [("phone", (360, 740)), ("laptop", (1280, 900))])
def test_charts_draw_with_their_tables(
    browser, artefacts, make_staff, staff_client, reports_2017, device, size
):
    flask_client = staff_client(make_staff(role=Role.COORDINATOR))
    laptop = context(browser, *size)
    try:
        page = laptop.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route(f"{BASE}/**", serve_from(flask_client))

        page.goto(f"{BASE}/reports?year=2017")
        chart = page.get_by_test_id("chart-completion-groups")
        expect(chart).to_be_visible()
        expect(page.get_by_test_id("table-completion-groups")).to_contain_text("85 % (11/13)")
        bar = chart.locator("rect.chart-bar").first
        box = bar.bounding_box()
        assert box is not None and box["width"] > 20
        assert chart.bounding_box()["width"] <= size[0]
        referrals = page.get_by_test_id("chart-referrals")
        expect(referrals).to_contain_text("<5")
        page.screenshot(path=str(artefacts / f"reports-year-{device}.png"), full_page=True)

        page.goto(f"{BASE}/cohorts/{reports_2017.cohort.id}/report")
        expect(page.get_by_test_id("chart-attendance")).to_be_visible()
        expect(page.get_by_test_id("table-attendance")).to_contain_text("11")
        page.screenshot(path=str(artefacts / f"reports-group-{device}.png"), full_page=True)
        if device == "laptop":
            page.emulate_media(media="print")
            page.screenshot(path=str(artefacts / "reports-group-print.png"), full_page=True)
            assert not page.locator(".site-header").is_visible()
        assert errors == []
    finally:
        laptop.close()
