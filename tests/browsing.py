"""Helpers the browser tests share: devices, logging in, reading the console."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

T = 10_000  # ms: the longest any single expectation may wait
TUTOR = ("demo", "demo-tutor")


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
    page.get_by_label("Username").fill(TUTOR[0])
    page.get_by_label("Password").fill(TUTOR[1])
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
