"""The projector at 1920×1080 through a real evening: every card whole on the wall.

A tutor (a python-socketio console) runs a workshop for twelve people whose phones are
python-socketio clients too (twelve real browsers would only slow the test down); the
projector is a real Chromium page. After each scene, every card's text on the wall is
checked rectangle by rectangle: inside the screen, not covered by anything else (the
element at its centre is the card's own), not cut off by a scrolling or clipping
ancestor, at 22 px or more. Screenshots of each scene go to test-artefacts/.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from app import create_app
from app.extensions import db
from app.live import operations
from app.models import Cohort, LiveSession, Participant, User, cohort_tutors
from app.participants import consent, device, phones
from app.participants.operations import create_participant
from app.permissions import Role
from app.script_access import script_of
from tests.browsing import T, context
from tests.drivers import Listener, csrf_token
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

PASSWORD = "a projector's password"
NAMES = [
    "Amina", "Yusuf", "Lena", "Awa", "Omar", "Sofia",
    "Bilal", "Mariam", "Tarek", "Nadia", "Ivan", "Fatou",
]  # fmt: skip
_numbers = itertools.count(1)

# Twelve people's rules, 70 to 80 characters each, two each.
RULES = [
    f"{n:02d}. We listen to each other until the end and nobody interrupts the speaker"[:78]
    for n in range(1, 25)
]

# Everything a card on the wall must be, measured in the page.
CARD_CHECK = """
(card) => {
  const problems = [];
  const view = { w: window.innerWidth, h: window.innerHeight };
  const clips = [];
  for (let a = card.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX !== "visible" || s.overflowY !== "visible") {
      clips.push(a.getBoundingClientRect());
    }
  }
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  let rects = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    if (size < 21.99) problems.push(`text at ${size}px: ${node.textContent.slice(0, 30)}`);
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      rects += 1;
      if (r.left < -0.5 || r.top < -0.5 || r.right > view.w + 0.5 || r.bottom > view.h + 0.5) {
        problems.push(`outside the screen: ${JSON.stringify(r)}`);
        continue;
      }
      for (const c of clips) {
        if (r.left < c.left - 0.5 || r.top < c.top - 0.5 ||
            r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5) {
          problems.push(`cut by an ancestor: ${node.textContent.slice(0, 30)}`);
        }
      }
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !card.contains(hit)) {
        problems.push(`covered at ${x},${y} by ${hit && hit.className}`);
      }
    }
  }
  if (!rects) problems.push("no text shown");
  return problems;
}
"""


# --- the scene: a hand on the live server's database ------------------------------------


def _added(thing: Any) -> Any:
    db.session.add(thing)
    db.session.flush()
    return thing


class Hand:
    """The running server's database, reached by an app of the test's own."""

    def __init__(self, server: ServerProcess):
        instance = Path(server.env["MIGRAPASS_INSTANCE_PATH"])
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MIGRAPASS_INSTANCE_PATH", str(instance))
            self.app: Flask = create_app(
                {
                    "TESTING": True,
                    "SECRET_KEY": (instance / "secret_key").read_text().strip(),
                    "DATABASE_URL": f"sqlite:///{instance / 'migrapass.sqlite3'}",
                    "ASYNC_MODE": "threading",
                    "SOCKETIO_MESSAGE_QUEUE": None,
                }
            )
        self.url = server.url

    def do(self, work: Any) -> Any:
        with self.app.app_context():
            result = work()
            db.session.commit()
            return result

    def group(self, people: int) -> tuple[Cohort, User, list[Participant]]:
        """A cohort with its tutor and `people` admitted members who agreed."""
        number = next(_numbers)

        def make() -> tuple[Cohort, User, list[Participant]]:
            cohort = _added(Cohort(name=f"Wall cohort {number}", starts_on=date(2026, 9, 7)))
            tutor = User(
                username=f"wall-tutor-{number}", display_name="Camille", role=Role.TUTOR.value
            )
            tutor.set_password(PASSWORD)
            _added(tutor)
            db.session.execute(cohort_tutors.insert().values(cohort_id=cohort.id, user_id=tutor.id))
            members = []
            for name in NAMES[:people]:
                person = create_participant(db.session, name, "en")
                consent.record(db.session, person, consent.ConsentAnswers(data_processing=True))
                operations.enrol(db.session, cohort, person)
                members.append(person)
            return cohort, tutor, members

        return self.do(make)

    def start(self, cohort: Cohort, tutor: User, slug: str) -> LiveSession:
        script = script_of(self.app)
        return self.do(
            lambda: operations.start_session(
                db.session, db.session.merge(cohort), script, slug, db.session.merge(tutor)
            )
        )

    def phone_cookie(self, person: Participant) -> str:
        def link() -> str:
            made = phones.link_phone(db.session, db.session.merge(person), phones.LinkedVia.JOIN)
            db.session.flush()
            return device.token_for(self.app, made)

        return f"{device.COOKIE_NAME}={self.do(link)}"

    def prompt_start(self, slug: str, step_id: str) -> str:
        """The first line of a step's participant prompt, as the wall shows it (English)."""
        meeting = script_of(self.app).meeting(slug, "en")
        step = next(s for s in meeting.steps if s.id == step_id)
        return step.prompt_md.strip().splitlines()[0].strip()


class Room:
    """A workshop running: a tutor's console, phones, and the projector in Chromium."""

    def __init__(self, hand: Hand, browser: Browser, slug: str, people: int = 12):
        self.hand = hand
        self.slug = slug
        cohort, self.tutor, self.people = hand.group(people)
        self.live = hand.start(cohort, self.tutor, slug)
        session = requests.Session()
        login = session.get(f"{hand.url}/login", timeout=10).text
        session.post(
            f"{hand.url}/login",
            data={
                "csrf_token": csrf_token(login),
                "username": self.tutor.username,
                "password": PASSWORD,
            },
            timeout=10,
        )
        self.console = Listener(hand.url, "/tutor", self.live.id, session)
        self.phones: list[Listener] = []
        self.device = context(browser, 1920, 1080)
        self.wall = self.device.new_page()
        self.wall.goto(f"{hand.url}/login")
        self.wall.get_by_label("Username").fill(self.tutor.username)
        self.wall.get_by_label("Password").fill(PASSWORD)
        self.wall.get_by_test_id("login-submit").click()
        expect(self.wall).to_have_url(re.compile(r"/tutor$"), timeout=T)

    def open_wall(self) -> Page:
        self.wall.goto(f"{self.hand.url}/sessions/{self.live.id}/projector")
        expect(self.wall.get_by_test_id("connection")).to_have_attribute(
            "data-state", "connected", timeout=T
        )
        return self.wall

    def phones_come_in(self) -> None:
        cookies = [self.hand.phone_cookie(person) for person in self.people]
        with ThreadPoolExecutor(max_workers=len(cookies)) as pool:
            self.phones = list(pool.map(self.phone, cookies))

    def phone(self, cookie: str) -> Listener:
        return Listener(self.hand.url, "/participant", self.live.id, cookie)

    def go(self, step_id: str) -> None:
        meeting = script_of(self.hand.app).meeting(self.slug, "en")
        index = next(i for i, s in enumerate(meeting.steps) if s.id == step_id)
        self.console.does("step", index=index)
        expect(
            self.wall.locator(f'[data-testid="projector-step-title"][data-step-id="{step_id}"]')
        ).to_be_visible(timeout=T)

    def at_once(self, moves: list[tuple[int, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Each phone does its moves in turn, all the phones at once, as in a room; the
        acks in the order of `moves`."""
        acks: list[dict[str, Any]] = [{} for _ in moves]

        def one_phone(who: int) -> Callable[[], None]:
            def run() -> None:
                for i, (whose, event, data) in enumerate(moves):
                    if whose % len(self.phones) == who:
                        acks[i] = self.phones[who].does(event, **data)

            return run

        with ThreadPoolExecutor(max_workers=len(self.phones)) as pool:
            for future in [pool.submit(one_phone(w)) for w in range(len(self.phones))]:
                future.result()
        return acks

    def post_all(
        self, board: str, cards: list[dict[str, Any]], *, in_order: bool = False
    ) -> list[int]:
        """The phones post these cards (the n-th by phone n), all at once, or one after
        the other when the wall's layout must not depend on who was first; their ids."""
        moves = [
            (n, "post", {"client_id": f"wall-{next(_numbers):06d}", "board": board, "fields": f})
            for n, f in enumerate(cards)
        ]
        if in_order:
            acks = [self.phones[n % len(self.phones)].does(e, **data) for n, e, data in moves]
        else:
            acks = self.at_once(moves)
        return [int(ack["seq"]) for ack in acks]

    def close(self) -> None:
        for sock in [self.console, *self.phones]:
            if sock.client.connected:
                sock.client.disconnect()
        self.device.close()


@pytest.fixture(scope="module")
def hand(live_server: ServerProcess) -> Iterator[Hand]:
    made = Hand(live_server)
    yield made
    with made.app.app_context():
        db.engine.dispose()


@pytest.fixture
def room(hand: Hand, browser: Browser) -> Iterator[Any]:
    rooms: list[Room] = []

    def make(slug: str, people: int = 12) -> Room:
        made = Room(hand, browser, slug, people)
        rooms.append(made)
        return made

    yield make
    for made in rooms:
        made.close()


# --- what the wall must show --------------------------------------------------------------


def every_card_is_whole(wall: Page, count: int) -> None:
    """`count` cards on the wall, each whole: on screen, uncovered, unclipped, ≥ 22 px."""
    expect(wall.get_by_test_id("projector-card")).to_have_count(count, timeout=T)
    the_shown_cards_are_whole(wall, count)


def the_shown_cards_are_whole(wall: Page, count: int | None = None) -> None:
    """The cards shown on the wall now (`count` of them, if given) are each whole."""
    wall.wait_for_timeout(300)  # the wall is laid out once per burst of news
    checks = wall.locator('[data-testid="projector-card"]:visible').evaluate_all(
        "cards => { const check = " + CARD_CHECK.strip() + ";\n"
        "return cards.map(c => [c.innerText, check(c)]); }"
    )
    if count is not None:
        assert len(checks) == count, [text for text, _ in checks]
    assert checks
    for text, problems in checks:
        assert not problems, (text, problems)


def the_room_reads_it(wall: Page, test_id: str) -> None:
    """Text the room must read (totals, badges, the page number): 28 px or more."""
    for size in wall.get_by_test_id(test_id).evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => parseFloat(getComputedStyle(e).fontSize))"
    ):
        assert size >= 27.99, (test_id, size)


def shown_cards(wall: Page) -> set[str]:
    return set(
        wall.locator('[data-testid="projector-card"]:visible').evaluate_all(
            "els => els.map(e => e.getAttribute('data-card-id'))"
        )
    )


# --- the stories -----------------------------------------------------------------------------


def test_twelve_people_post_24_rules_and_the_wall_shows_all_of_them_with_the_question(
    room: Any, artefacts: Path
) -> None:
    w1 = room("w1-presentation")
    wall = w1.open_wall()
    w1.phones_come_in()
    # Everyone expected is here: the join panel shrinks to a corner.
    expect(wall.locator("[data-projector]")).to_have_attribute("data-join", "small", timeout=T)
    w1.go("group-rules")
    w1.post_all("group_rules", [{"text": rule} for rule in RULES])

    every_card_is_whole(wall, 24)
    question = w1.hand.prompt_start(w1.slug, "group-rules")
    expect(wall.locator('[data-testid="projector-prompt"]:visible')).to_contain_text(question)
    expect(wall.get_by_test_id("projector-page")).to_be_hidden()
    wall.screenshot(path=str(artefacts / "projector-w1-24-rules.png"))

    # The group talks about one rule: it is on the wall alone, large; then the board again.
    first, adopted = wall.get_by_test_id("projector-card").evaluate_all(
        "cards => cards.slice(0, 2).map(c => Number(c.getAttribute('data-card-id')))"
    )
    w1.console.does("spotlight", card_id=first)
    alone = wall.get_by_test_id("projector-spotlight").get_by_test_id("projector-card")
    expect(alone).to_be_visible(timeout=T)
    assert alone.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 44
    the_shown_cards_are_whole(wall, 1)
    wall.screenshot(path=str(artefacts / "projector-w1-spotlight.png"))
    w1.console.does("spotlight", card_id=None)
    every_card_is_whole(wall, 24)

    # A rule is adopted, and the group's rules go on the wall.
    rule = wall.locator(f'[data-card-id="{adopted}"] .card-text').inner_text()
    w1.console.does("adopt", card_id=adopted, adopted=True)
    w1.console.does("wall_rules", on=True)
    rules = wall.get_by_test_id("projector-rules")
    expect(rules.get_by_test_id("group-rule")).to_have_count(1, timeout=T)
    expect(rules.get_by_test_id("group-rule")).to_have_text([rule])
    wall.screenshot(path=str(artefacts / "projector-w1-group-rules.png"))


def test_a_timeline_of_20_events_is_whole_on_the_wall(room: Any, artefacts: Path) -> None:
    w2 = room("w2-migration", people=10)
    wall = w2.open_wall()
    w2.phones_come_in()
    w2.go("timeline")
    places = ["Casablanca", "Tunis", "Kabul", "Dakar", "Lyon"]
    ids = w2.post_all(
        "timeline",
        [
            {
                "when": f"{2000 + n}-{(n % 12) + 1:02d}",
                "place": places[n % len(places)],
                "text": f"Event number {n + 1}: I moved, learnt and worked in a new town",
            }
            for n in range(20)
        ],
    )
    # Stories start hidden: each author shows theirs, place and date too, then the tutor
    # shows the cards.
    w2.at_once(
        [
            (n, "show", {"card_id": card, "shown": True, "details": True})
            for n, card in enumerate(ids)
        ]
    )
    w2.console.does("board_until_reveal", step="timeline", on=False)
    expect(wall.get_by_test_id("projector-card")).to_have_count(20, timeout=T)
    wall.screenshot(path=str(artefacts / "projector-w2-timeline-20.png"))
    every_card_is_whole(wall, 20)
    expect(wall.get_by_test_id("timeline")).to_contain_text("2019")


def test_families_during_a_dot_vote_then_the_result_in_order(room: Any, artefacts: Path) -> None:
    w4 = room("w4-professional-competences")
    wall = w4.open_wall()
    w4.phones_come_in()
    w4.go("competences")
    skills = [
        ("Cooking for large groups in a busy restaurant kitchen", "professional"),
        ("Handling money and keeping the accounts of a market stall", "professional"),
        ("Patience and care for an elderly person every day", "social"),
        ("Finding my way in a new country and a new language", "migration"),
    ]
    # Twelve people, two cards each: a real room's board, at the edge of what one page of
    # families holds at 1080p. Posted in order, so each family's cards stand in the same
    # order each run.
    cards = w4.post_all(
        "competences",
        [{"name": skills[n % 4][0], "category": skills[n % 4][1]} for n in range(24)],
        in_order=True,
    )
    # Written unseen (visibility: later): the tutor shows the cards, then makes families.
    w4.console.does("board_until_reveal", step="competences", on=False)
    families = {}
    for title in ("Kitchen and trade", "Care", "Finding one's way"):
        ack = w4.console.does("cluster_create", step="competences", title=title)
        families[title] = ack.get("cluster_id") or ack.get("id") or ack["seq"]
    targets = ["Kitchen and trade", "Care", "Finding one's way"]  # eight cards each
    for n, card in enumerate(cards):
        w4.console.does("group", card_id=card, cluster_id=families[targets[n % 3]])
    w4.console.does("voting", step="competences", budget=2)
    # Care gets most votes, then Finding one's way, then Kitchen and trade.
    chosen = ["Care"] * 12 + ["Finding one's way"] * 8 + ["Kitchen and trade"] * 4
    w4.at_once(
        [
            (n // 2, "vote", {"step": "competences", "target": f"cluster:{families[title]}"})
            for n, title in enumerate(chosen)
        ]
    )

    expect(wall.get_by_test_id("board-cluster")).to_have_count(3, timeout=T)
    care_title = wall.locator(".cluster-title", has_text=re.compile(r"^Care$"))
    care = wall.get_by_test_id("board-cluster").filter(has=care_title)
    expect(care.get_by_test_id("cluster-votes")).to_contain_text("12", timeout=T)
    every_card_is_whole(wall, 24)
    # Each family whole in one column, all on one page: the room compares them.
    expect(wall.get_by_test_id("projector-page")).to_be_hidden()
    split = wall.eval_on_selector_all(
        '[data-testid="board-cluster"]', "els => els.map(e => e.getClientRects().length)"
    )
    assert split == [1, 1, 1], split
    the_room_reads_it(wall, "cluster-votes")
    wall.screenshot(path=str(artefacts / "projector-w4-vote-open.png"))

    # The vote closes: the families, most votes first, with their totals.
    w4.console.does("voting", step="competences", budget=0)
    expect(wall.get_by_test_id("vote-result")).to_be_visible(timeout=T)
    titles = wall.locator('[data-testid="board-cluster"] .cluster-title')
    expect(titles).to_have_text(["Care", "Finding one's way", "Kitchen and trade"], timeout=T)
    totals = wall.get_by_test_id("cluster-votes")
    expect(totals).to_have_text([re.compile(r"\b12\b"), re.compile(r"\b8\b"), re.compile(r"\b4\b")])
    # The result is the families and their totals, all on the wall together.
    expect(wall.get_by_test_id("projector-page")).to_be_hidden()
    expect(wall.get_by_test_id("projector-card").first).to_be_hidden()
    the_room_reads_it(wall, "cluster-votes")
    wall.screenshot(path=str(artefacts / "projector-w4-vote-result.png"))


def test_more_cards_than_fit_page_and_the_tutor_turns_the_pages(room: Any, artefacts: Path) -> None:
    w1 = room("w1-presentation")
    wall = w1.open_wall()
    w1.phones_come_in()
    w1.go("group-rules")
    long = "a rule long enough to take three lines of a card on the wall, said twice:"
    posted = w1.post_all("group_rules", [{"text": f"{n + 1:02d} {long} {long}"} for n in range(60)])
    ids = {str(card) for card in posted}
    expect(wall.get_by_test_id("projector-card")).to_have_count(60, timeout=T)

    page = wall.get_by_test_id("projector-page")
    expect(page).to_have_text(re.compile(r"^1 / [2-9]$"), timeout=T)
    pages = int(page.inner_text().split("/")[1])
    the_room_reads_it(wall, "projector-page")
    seen: set[str] = set()
    for n in range(pages):
        if n:
            w1.console.does("wall_page", step="group-rules", page=n)
            expect(page).to_have_text(f"{n + 1} / {pages}", timeout=T)
        on_page = shown_cards(wall)
        assert on_page and not on_page & seen, (n, on_page & seen)
        seen |= on_page
        the_shown_cards_are_whole(wall, len(on_page))
        if n == 0:
            wall.screenshot(path=str(artefacts / "projector-w1-page-1.png"))
    assert seen == ids
    wall.screenshot(path=str(artefacts / "projector-w1-last-page.png"))


def test_a_step_without_a_board_the_objectives_the_join_panel_and_the_end(
    room: Any, artefacts: Path
) -> None:
    w1 = room("w1-presentation", people=3)
    wall = w1.open_wall()
    layout = wall.locator("[data-projector]")
    # The first step: its prompt fills the wall, with the meeting's objectives.
    full = wall.get_by_test_id("projector-full")
    expect(full).to_be_visible(timeout=T)
    expect(full).to_contain_text(w1.hand.prompt_start(w1.slug, "welcome"))
    objectives = wall.get_by_test_id("projector-objectives")
    expect(objectives).to_be_visible()
    assert objectives.locator("li").count() >= 3
    size = full.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 30, size
    assert full.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    # People are arriving: the join panel is large.
    expect(layout).to_have_attribute("data-join", "large")
    expect(wall.get_by_test_id("projector-qr").locator("svg")).to_be_visible()
    the_room_reads_it(wall, "projector-join-url")
    wall.screenshot(path=str(artefacts / "projector-w1-welcome-join-large.png"))

    # The tutor closes the door: the code stays, in a corner, readable from the back.
    w1.console.does("lock", locked=True)
    expect(layout).to_have_attribute("data-join", "small", timeout=T)
    code = wall.get_by_test_id("projector-code")
    expect(code).to_be_visible()
    assert code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 60
    expect(wall.get_by_test_id("projector-qr").locator("svg")).to_be_visible()
    wall.screenshot(path=str(artefacts / "projector-w1-welcome-join-small.png"))

    # The next steps: a step with no board shows its prompt alone, without objectives.
    w1.go("closing")
    expect(full).to_contain_text(w1.hand.prompt_start(w1.slug, "closing"))
    expect(objectives).to_be_hidden()

    # The end: no invitation to join any more.
    w1.console.does("end")
    expect(wall.get_by_test_id("projector-ended")).to_be_visible(timeout=T)
    expect(wall.get_by_test_id("projector-qr")).to_be_hidden()
    expect(wall.get_by_test_id("projector-code")).to_be_hidden()
    wall.screenshot(path=str(artefacts / "projector-w1-ended.png"))
