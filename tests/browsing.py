"""Helpers the browser tests share: devices, logging in, reading the console."""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.fixtures.servers import DEMO_COHORT, DEMO_TUTOR

T = 10_000  # ms: the longest any single expectation may wait


def context(browser: Browser, width: int, height: int, **extra: object) -> BrowserContext:
    """One device. English UI, whatever catalogues exist: tests read a few English words."""
    device = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", **extra
    )
    device.set_default_timeout(T)
    return device


def phone_context(browser: Browser) -> BrowserContext:
    return context(browser, 360, 740, is_mobile=True, has_touch=True)


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(DEMO_TUTOR[0])
    page.get_by_label("Password").fill(DEMO_TUTOR[1])
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/tutor$"), timeout=T)


def current_step(console: Page) -> Locator:
    return console.locator('[data-testid="step-item"][aria-current="step"]')


def start_meeting(console: Page, base: str, cohort_name: str, slug: str) -> None:
    """From the dashboard, start a meeting; a workshop left running is ended first."""
    cohort = console.get_by_test_id("cohort").filter(has_text=cohort_name)
    expect(cohort).to_have_count(1, timeout=T)
    running = cohort.get_by_test_id("open-console")
    if running.count():
        running.click()
        console.get_by_test_id("end-workshop").click()
        console.get_by_test_id("end-confirm").click()
        expect(console.get_by_test_id("ended-banner")).to_be_visible(timeout=T)
        console.goto(f"{base}/tutor")
    cohort.get_by_test_id(f"meeting-{slug}").check()
    cohort.get_by_test_id("start-workshop").click()
    expect(console).to_have_url(re.compile(r"/sessions/\d+/console$"), timeout=T)


@dataclass
class Meeting:
    """A meeting the tutor started from the dashboard, the console open on it."""

    console: Page
    base: str
    code: str

    @property
    def path(self) -> str:
        """The session's address without the server's, e.g. /sessions/3."""
        return re.sub(r"/console$", "", self.console.url.removeprefix(self.base))

    @property
    def join_url(self) -> str:
        return f"{self.base}/j/{self.code}"


def tutor_starts(
    device: BrowserContext, base: str, slug: str, cohort: str = DEMO_COHORT
) -> Meeting:
    """The demo tutor logs in on `device` and starts `slug` for `cohort` from the
    dashboard; their console is connected and shows the join code."""
    console = device.new_page()
    log_in(console, base)
    start_meeting(console, base, cohort, slug)
    expect(console.get_by_test_id("connection")).to_have_attribute(
        "data-state", "connected", timeout=T
    )
    return Meeting(console, base, console.get_by_test_id("join-code").inner_text().strip())


def open_console(
    browser: Browser,
    base: str,
    session_id: int,
    closing: ExitStack,
    size: tuple[int, int] = (1280, 800),
    **device: object,
) -> Page:
    """The demo tutor's console of a running session on a laptop, connected (logged in
    through the page unless `device` brings a storage state)."""
    laptop = context(browser, *size, **device)
    closing.callback(laptop.close)
    page = laptop.new_page()
    if "storage_state" not in device:
        log_in(page, base)
    page.goto(f"{base}/sessions/{session_id}/console")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return page


def join(
    browser: Browser,
    join_url: str,
    name: str,
    language: str | None = None,
    device: BrowserContext | None = None,
) -> tuple[BrowserContext, Page]:
    """A phone of its own (or `device`) joins with the code, in `language` if given, and
    waits at the door."""
    device = device or phone_context(browser)
    phone = device.new_page()
    phone.goto(join_url)
    phone.get_by_test_id("join-name").fill(name)
    if language:
        phone.locator(f'input[name="language"][value="{language}"]').check()
    phone.get_by_test_id("consent-data").check()
    phone.get_by_test_id("join-submit").click()
    expect(phone.get_by_test_id("waiting-message")).to_contain_text(name, timeout=T)
    return device, phone
