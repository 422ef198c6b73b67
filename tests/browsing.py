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
