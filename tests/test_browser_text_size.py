"""Every page of a participant's phone, read with large text and tapped with a finger.

With the text at 200 % on a 320 px screen nothing scrolls sideways and nothing is cut;
at the normal size on a 360 px phone every control is at least 44 × 44 px.

How the text is doubled: Chromium's own default font size, the setting a person changes
(Settings › Appearance › Font size; a phone's font scale does the same), is set to 32 px,
twice the 16 px default, through the DevTools protocol (Page.setFontSizes) on each page.
It is what the browser does for that person: every size set in rem or em doubles, while a
size in px stays as it was, so a page that ignores the person's choice is caught (its
text stays small). A CSS zoom or a device scale factor would enlarge the layout with the
text and prove nothing about it.

One server and world for the module (tests/a11y.py); in French and in Arabic a newcomer's
phone walks every page, each page measured at both sizes, the two walks side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page

from app.vocabulary import PORTFOLIO_SECTIONS
from tests.a11y import View, World, opened_world, phone_pages

pytestmark = pytest.mark.browser

LANGS = {"fr": "Yasmine", "ar": "Karim"}
NARROW, PHONE = 320, 360
DOUBLED = 32  # px: twice Chromium's default font size
SMALLEST = 20  # px: 0.625rem at 200 %; any text smaller ignored the person's size
TARGET = 44  # px

# What sticks out sideways, is cut, or was not enlarged (at 200 %), as readable lines.
LARGE_TEXT_FAULTS = """
(smallest) => {
  const root = document.documentElement, width = root.clientWidth, faults = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.dataset.testid ? '[' + el.dataset.testid + ']' : '') +
    (typeof el.className === 'string' && el.className.trim() ?
      '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const shown = el => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' &&
      !el.closest('.visually-hidden');
  };
  const out = el => {
    const r = el.getBoundingClientRect();
    return r.right > width + 1 || r.left < -1;
  };
  const scrolls = el => getComputedStyle(el).overflowX !== 'visible';
  if (root.scrollWidth > width) faults.push(`the page is ${root.scrollWidth} px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    // Where an overflow starts: out of the screen, its parent not (nor in a scroll box).
    if (out(el) && !(el.parentElement && out(el.parentElement))) {
      let boxed = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (scrolls(p)) boxed = true;
      }
      const from = Math.round(r.left), to = Math.round(r.right);
      if (!boxed) faults.push(`${name(el)} spans ${from}–${to} px`);
    }
    const cuts = ['hidden', 'clip'].includes(s.overflowX) || s.overflowY === 'hidden';
    const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (cuts && over && el.textContent.trim()) faults.push(`${name(el)} cuts its text`);
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(s.fontSize) < smallest) {
      faults.push(`${name(el)} stays at ${s.fontSize}`);
    }
  }
  return faults;
}
"""

# Controls smaller than the target, as readable lines. A link inside a sentence is let
# off (WCAG's inline exception); a box or a round button counts with its label.
SMALL_TARGETS = """
(target) => {
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(controls)) {
    const s = getComputedStyle(el);
    let r = el.getBoundingClientRect();
    if (!r.width || !r.height || s.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, [hidden]') || r.bottom < 0) continue;  // skip link
    if (el.tagName === 'A') {
      const sentence = el.parentElement.textContent.replace(el.textContent, '').trim();
      if (sentence) continue;
    }
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || el.labels && el.labels[0];
      if (label) {
        const l = label.getBoundingClientRect();
        const left = Math.min(r.left, l.left), right = Math.max(r.right, l.right);
        const top = Math.min(r.top, l.top), bottom = Math.max(r.bottom, l.bottom);
        r = { width: right - left, height: bottom - top };
      }
    }
    if (r.width < target - 0.5 || r.height < target - 0.5) {
      const label = el.getAttribute('aria-label') || el.textContent || el.name || el.type;
      const what = (label || '').trim().slice(0, 40);
      const id = el.dataset.testid ? '[' + el.dataset.testid + ']' : '';
      const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
      small.push(`${el.tagName.toLowerCase()}${id} "${what}": ${size}`);
    }
  }
  return small;
}
"""


# The room shows one card form, its step's: each is shown alone in turn to be measured.
ONE_FORM_SHOWN = """
(board) => {
  document.querySelector('[data-role="post-area"]').hidden = false;
  for (const form of document.querySelectorAll('form[data-compose-board]')) {
    form.hidden = form.getAttribute('data-compose-board') !== board;
  }
}
"""


@dataclass
class Measures:
    """What one walk found, page by page."""

    large_text: dict[str, list[str]] = field(default_factory=dict)
    targets: dict[str, list[str]] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)


def text_size(page: Page, pixels: int) -> None:
    """The browser's default font size for this page (kept as the page navigates)."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": pixels, "fixed": pixels}})
    session.detach()


def measure(page: Page, shown: str, found: Measures) -> None:
    """At 360 px and the normal size, the controls; at 320 px and 200 %, the text. In the
    room, with each card form in turn, as the steps of the meetings show them."""
    found.pages.append(shown)
    forms = page.locator("form[data-compose-board]") if shown == "participant-room" else None
    boards = [f.get_attribute("data-compose-board") for f in forms.all()] if forms else [""]
    for board in boards:
        if board:
            page.evaluate(ONE_FORM_SHOWN, board)
        where = f"{shown}{' (' + board + ')' if board else ''} {page.url}"
        text_size(page, 16)
        page.set_viewport_size({"width": PHONE, "height": 740})
        if small := page.evaluate(SMALL_TARGETS, TARGET):
            found.targets[where] = small
        text_size(page, DOUBLED)
        page.set_viewport_size({"width": NARROW, "height": 640})
        root_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        assert root_size == f"{DOUBLED}px"
        if faults := page.evaluate(LARGE_TEXT_FAULTS, SMALLEST):
            found.large_text[where] = faults


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with opened_world(tmp_path_factory.mktemp("text-size")) as opened:
        yield opened


@pytest.fixture(scope="module")
def measured(world: World, browser: Browser) -> dict[str, Measures]:
    """Each language's phone walks every page; each page is measured at both sizes."""
    found = {lang: Measures() for lang in LANGS}
    with ExitStack() as closing:
        walks = {}
        for lang, name in LANGS.items():
            device = closing.enter_context(View(lang, PHONE).device(browser, world.url))
            walks[lang] = phone_pages(
                world, browser, device, name, lang, sections=tuple(PORTFOLIO_SECTIONS)
            )
        while walks:
            for lang, pages in list(walks.items()):
                shown = next(pages, None)
                if shown is None:
                    del walks[lang]
                    continue
                measure(shown[0], shown[1], found[lang])
    return found


def readable(faults: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}\n    " + "\n    ".join(lines) for page, lines in faults.items())


@pytest.mark.parametrize("lang", LANGS)
def test_with_the_text_at_200_percent_no_phone_page_scrolls_sideways_or_cuts_a_word(
    measured: dict[str, Measures], lang: str
) -> None:
    found = measured[lang]
    assert "participant-room" in found.pages and "participant-export" in found.pages
    assert not found.large_text, "at 320 px with the text at 200 %:\n" + readable(found.large_text)


@pytest.mark.parametrize("lang", LANGS)
def test_every_control_on_a_phone_page_is_at_least_44_px_for_a_finger(
    measured: dict[str, Measures], lang: str
) -> None:
    found = measured[lang]
    assert not found.targets, "smaller than 44 × 44 px at 360 px:\n" + readable(found.targets)
