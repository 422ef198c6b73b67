"""What the accessibility tests share: a world of pages to open, and axe-core to check them.

The world: one real server (the four languages on) where the demo tutor runs workshop 1
at the group's rules (cards on the board, a vote open, someone at the door) and has
started a meeting of the spring group too, where a phone of the autumn group knocks; and
the walk of a newcomer's phone through every page it can open.

axe-core: load it, run it, keep its reports, say what it found. It comes from npm
(package.json pins it; `make test` runs `npm ci`). The app's Content-Security-Policy lets
a page run its own scripts only, and it stays so: the file's text is evaluated through
Playwright (the DevTools protocol, which the page's policy does not govern), never added
to the page as a <script>.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.paths import ROOT
from tests.browsing import context, join
from tests.drivers import ServerRoom, csrf_token, phone_joins, start_workshop
from tests.fixtures.browser import ARTEFACTS
from tests.fixtures.servers import DEMO_TUTOR, ServerProcess, start_server

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ARTEFACTS / "axe"
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
# axe's own rules (WCAG 2.0–2.2 A and AA, and its best practices); the passes and the rules
# it could not decide name one element each (naming them all is the slow tail of a run
# and triples a report's size), while every count stays whole.
OPTIONS = {"resultTypes": ["violations", "incomplete"]}
COORDINATOR = ("coordination", "demo-coordinator")
PDF_READY = 60_000  # ms: a PDF is drawn while the other pages are checked
PHONE_PAGES = (
    "participant-home",
    "participant-code-error",
    "participant-join",
    "participant-waiting",
    "participant-room",
    "participant-knock",
    "participant-portfolio",
    "participant-entry-form",
    "participant-cv",
    "participant-my-data",
    "participant-delete-mine",
    "participant-error",
    "participant-export",
)
RULES = ("We listen to each other", "Phones stay silent", "We arrive on time")


@dataclass(frozen=True)
class View:
    """A language and a screen width every page is tried at."""

    lang: str
    width: int

    @property
    def name(self) -> str:
        return f"{self.lang}-{self.width}"

    @property
    def is_phone(self) -> bool:
        return self.width < 600

    def device(self, browser: Browser, base: str) -> BrowserContext:
        """A browser of this width that asks for this language (the `mp_lang` cookie, as
        the language buttons leave it)."""
        if self.is_phone:
            made = context(browser, self.width, 740, is_mobile=True, has_touch=True)
        else:
            made = context(browser, self.width, 768)
        speaks(made, base, self.lang)
        return made


@dataclass
class World:
    """What the pages show: a workshop running at the group's rules, and its people."""

    server: ServerProcess
    tutor: requests.Session
    coordinator: requests.Session
    room: ServerRoom
    cohort_id: int
    knock_url: str
    replay_id: int

    @property
    def url(self) -> str:
        return self.server.url

    def admit(self, name: str) -> int:
        """Let `name` in from the door; their participant id."""
        waiting = self.room.console.call("sync")["board"]["waiting"]
        person = next(p for p in waiting if p["name"] == name)
        self.room.call("admit", {"participant_id": person["id"]})
        return person["id"]


@contextmanager
def opened_world(folder: Path) -> Iterator[World]:
    """The world on a server of its own, in `folder`; stopped after."""
    server = start_server(
        folder,
        "eventlet",
        MIGRAPASS_LANGUAGES="fr,en,ar,es",
        MIGRAPASS_RATE_LIMIT_STAFF="600/10 seconds",
        # Browsers walk forty pages each, far faster than people do.
        MIGRAPASS_REQUEST_RATE_PER_CLIENT="100000/second",
        MIGRAPASS_REQUEST_RATE_PER_ADDRESS="100000/second",
    )
    try:
        tutor = staff_login(server.url, *DEMO_TUTOR)
        room = ServerRoom.open(server, "w1-presentation", tutor=tutor)
        # The spring group's own meeting (the only group left with a start form).
        other_id, other_code = start_workshop(server.url, tutor, "w1-presentation")
        room.go_to("group-rules")
        room.post_rules(list(RULES))
        room.call("voting", {"step": "group-rules", "budget": 3})
        phone_joins(server.url, room.code, "Idris")  # stays at the door
        dashboard = tutor.get(f"{server.url}/tutor", timeout=5).text
        cohort = re.search(
            rf'data-cohort-id="(\d+)"(?:(?!data-cohort-id).)*?/sessions/{room.session_id}/console',
            dashboard,
            re.S,
        )
        replays = tutor.get(f"{server.url}/replays", timeout=5).text
        replay = re.search(r'href="/replays/(\d+)"', replays)
        assert cohort and replay and other_id != room.session_id
        yield World(
            server,
            tutor,
            staff_login(server.url, *COORDINATOR),
            room,
            int(cohort.group(1)),
            f"{server.url}/j/{other_code}",
            int(replay.group(1)),
        )
        room.disconnect()
    finally:
        server.stop()


def speaks(device: BrowserContext, base: str, lang: str) -> None:
    device.add_cookies([{"name": "mp_lang", "value": lang, "url": base}])


@functools.cache
def axe_source() -> str:
    """axe.min.js as npm installed it; missing, the test is skipped (failed under CI)."""
    if not AXE.exists():
        message = f"{AXE.relative_to(ROOT)} is missing: run `make test` (it runs `npm ci`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def start_axe(page: Page) -> None:
    """Start axe on the page as it is now, without waiting for its report (`axe_report`
    waits): several pages' checks can run at once, each in its own renderer."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    page.evaluate(
        "options => { window.__axeReport = axe.run(document, options)"
        ".then(r => JSON.stringify(r)); }",
        OPTIONS,
    )


def axe_report(page: Page) -> dict[str, Any]:
    return json.loads(page.evaluate("() => window.__axeReport"))


# Every control of the page focused in turn, after a key was pressed (so, as a keyboard
# user's focus is): those whose focus is not drawn, neither on them (an outline or a
# shadow, :focus-visible) nor on the box around them that draws it for them.
UNSEEN_FOCUS = """
() => {
  const drawn = box => {
    const s = getComputedStyle(box);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[tabindex]:not([tabindex="-1"])';
  const unseen = [], before = document.activeElement;
  for (const el of document.querySelectorAll(controls)) {
    if (el.disabled || !el.getClientRects().length || el.closest('[hidden]')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    let shown = el.matches(':focus-visible') && drawn(el);
    for (let box = el.parentElement, up = 0; !shown && box && up < 3; up++) {
      shown = box.matches(':focus-within') && drawn(box);
      box = box.parentElement;
    }
    const words = (el.getAttribute('aria-label') || el.textContent || el.name || '').trim();
    const id = el.dataset.testid ? '[' + el.dataset.testid + ']' : el.id ? '#' + el.id : '';
    if (!shown) unseen.push(`${el.tagName.toLowerCase()}${id} "${words.slice(0, 40)}"`);
  }
  if (before && before !== document.body) before.focus({ preventScroll: true });
  else document.activeElement.blur();
  return unseen;
}
"""


def unseen_focus(page: Page) -> list[str]:
    """The page's controls whose keyboard focus is not drawn."""
    page.keyboard.press("Shift")  # a key: the focus that follows is a keyboard user's
    return page.evaluate(UNSEEN_FOCUS)


@dataclass
class Audit:
    """One page's axe report, in one view, and its controls whose focus is not seen."""

    page: str
    view: str
    url: str
    report: dict[str, Any]
    unseen_focus: list[str]

    def counts(self) -> dict[str, int]:
        by_impact = {impact: 0 for impact in IMPACTS}
        for violation in self.report["violations"]:
            by_impact[violation["impact"]] += 1
        return {**by_impact, "passes": len(self.report["passes"])}

    def blocking(self) -> list[dict[str, Any]]:
        return [v for v in self.report["violations"] if v["impact"] in BLOCKING]

    def save(self) -> Path:
        REPORTS.mkdir(parents=True, exist_ok=True)
        path = REPORTS / f"{self.page}--{self.view}.json"
        path.write_text(json.dumps(self.report, indent=1, ensure_ascii=False), encoding="utf-8")
        return path

    def readable(self) -> str:
        """The serious and critical faults, one rule a paragraph, a few elements each."""
        lines = [f"{self.page} [{self.view}] {self.url}"]
        for violation in self.blocking():
            nodes = violation["nodes"]
            lines.append(
                f"  {violation['impact']}: {violation['id']} — {violation['help']}"
                f" ({len(nodes)} element{'s' if len(nodes) > 1 else ''})"
            )
            for node in nodes[:4]:
                summary = node.get("failureSummary", "").splitlines()
                why = summary[1].strip() if len(summary) > 1 else ""
                lines.append(f"      {' '.join(map(str, node['target']))}: {why}")
        return "\n".join(lines)


def write_summary(audits: list[Audit]) -> Path:
    """test-artefacts/axe/summary.json: per page and view, violations by impact and passes."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, dict[str, int]]] = {}
    for audit in audits:
        summary.setdefault(audit.page, {})[audit.view] = audit.counts()
    path = REPORTS / "summary.json"
    path.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return path


def staff_login(url: str, username: str, password: str) -> requests.Session:
    """A member of staff logged in through the log-in form (its cookies, for a browser)."""
    browser = requests.Session()
    token = csrf_token(browser.get(f"{url}/login", timeout=5).text)
    reply = browser.post(
        f"{url}/login",
        data={"csrf_token": token, "username": username, "password": password},
        timeout=5,
    )
    assert not reply.url.endswith("/login"), reply.text
    return browser


def signed_in_as(device: BrowserContext, base: str, staff: requests.Session, lang: str) -> None:
    """The browser forgets whoever used it and becomes `staff`'s, in `lang`."""
    device.clear_cookies()
    cookies = [{"name": k, "value": v, "url": base} for k, v in staff.cookies.items()]
    device.add_cookies(cookies)
    speaks(device, base, lang)


def connected(page: Page) -> None:
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "connected")


def let_in(world: World, page: Page, name: str) -> None:
    """`name`, waiting at the door on `page`, is let in and posts a rule: their room shows
    their card and the group's."""
    world.admit(name)
    connected(page)
    form = page.get_by_test_id("compose-group_rules")
    form.get_by_test_id("field-text").fill(f"{name} listens to everyone")
    form.get_by_test_id("post-button").click()
    expect(page.get_by_test_id("own-card")).to_have_count(1)
    expect(page.get_by_test_id("shared-card").nth(len(RULES))).to_be_visible()


def phone_pages(
    world: World,
    browser: Browser,
    device: BrowserContext,
    name: str,
    lang: str,
    sections: tuple[str, ...] = ("competences",),
) -> Iterator[tuple[Page, str]]:
    """Every page of a newcomer's phone, each yielded once it is shown: the start, a wrong
    code, joining (as `name`, in `lang`), the door, the room, another group's door, the
    portfolio, its new entry's form (of each of `sections`: one form, fields apart), the
    CV, the data rights, the PDF."""
    base = world.url
    page = device.new_page()
    page.goto(f"{base}/")
    yield page, "participant-home"
    page.goto(f"{base}/j/ZZZZZZ")
    yield page, "participant-code-error"
    page.goto(world.room.join_url)
    yield page, "participant-join"
    page.close()
    _, page = join(browser, world.room.join_url, name, lang, device)
    # The door's words show before its stylesheets have loaded: measure the page as drawn.
    page.wait_for_load_state("load")
    yield page, "participant-waiting"
    let_in(world, page, name)
    yield page, "participant-room"

    pdf = device.new_page()  # drawn meanwhile
    pdf.goto(f"{base}/me")
    pdf.get_by_test_id("download-pdf").click()

    page.goto(world.knock_url)
    yield page, "participant-knock"
    forms = [(f"/me/sections/{each}/new", "participant-entry-form") for each in sections]
    for path, shown in (
        ("/me", "participant-portfolio"),
        *forms,
        ("/me/cv", "participant-cv"),
        ("/me/data", "participant-my-data"),
        ("/me/delete", "participant-delete-mine"),
        ("/me/exports/no-such-export", "participant-error"),
    ):
        page.goto(f"{base}{path}")
        yield page, shown
    page.close()
    expect(pdf.get_by_test_id("export")).to_have_attribute("data-state", "ready", timeout=PDF_READY)
    yield pdf, "participant-export"
    pdf.close()
