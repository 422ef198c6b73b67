"""After a workshop, its tutor takes the boards away: Markdown, CSV and PDF.

A session of workshop 1 is run over Socket.IO as a room would run it (presentations
grouped and voted on, rules posted, voted, agreed with and adopted, one card hidden, one
taken back, one posted anonymously, one typed by the tutor for someone without a phone,
a private note), then downloaded by its tutor, and refused to everyone else.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.languages import Counted
from app.live.engine import fold
from app.live.events import Actor, ActorKind, Event, EventType
from app.live.state import SessionState
from app.live.summary import Words, build_summary
from app.live.summary_text import safe_cell, to_csv, to_markdown
from app.models import LiveSession
from app.permissions import Role
from app.script_access import script_of
from app.workshops import Meeting, Step
from tests.drivers import AppRoom

W1 = "w1-presentation"
W6 = "w6-action-plan"
W1_STEPS = {"presentations": 1, "group-rules": 2}
ENGLISH = {"Accept-Language": "en"}

FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def workshop(room_for: Callable[..., AppRoom]) -> AppRoom:
    """Workshop 1, run to its end by a tutor and three phones (and Fatou, who has none)."""
    room = room_for(W1, cohort_name="Groupe d'automne")
    cards: dict[str, int] = {}
    groups: dict[str, int] = {}

    def post(name: str, board: str, text: str) -> int:
        seq = room.says(name, "post", client_id=f"c-{len(cards):010d}", board=board, text=text)[
            "seq"
        ]
        cards[text] = seq
        return seq

    for name in ("Amina", "Yusuf", "Samir"):
        room.phone(name)
    room.people["Fatou"] = room.make_participant(room.cohort, name="Fatou")

    # Presentations, grouped under two titles, and a vote on the groups.
    room.tutor_does("step", index=W1_STEPS["presentations"])
    post("Amina", "free_text", "I cooked in a hotel in Tunis")
    post("Yusuf", "free_text", "I speak Pashto, Dari and English")
    post("Samir", "free_text", "I like football")
    for title in ("Work", "Languages"):
        groups[title] = room.tutor_does("cluster_create", step="presentations", title=title)["seq"]
    room.tutor_does(
        "group", card_id=cards["I cooked in a hotel in Tunis"], cluster_id=groups["Work"]
    )
    room.tutor_does(
        "group",
        card_id=cards["I speak Pashto, Dari and English"],
        cluster_id=groups["Languages"],
    )
    room.tutor_does("voting", step="presentations", budget=1)
    for name in ("Amina", "Yusuf"):
        room.says(name, "vote", step="presentations", target=f"cluster:{groups['Languages']}")
    room.says("Samir", "vote", step="presentations", target=f"cluster:{groups['Work']}")
    room.tutor_does("voting", step="presentations", budget=0)

    # The group's rules.
    room.tutor_does("step", index=W1_STEPS["group-rules"])
    listen = post("Amina", "group_rules", "We listen to each other")
    phones = post("Yusuf", "group_rules", "Phones on silent")
    rude = post("Samir", "group_rules", "Samir is rude and stupid")
    gone = post("Samir", "group_rules", "Biscuits every week")
    post("Samir", "group_rules", FORMULA)
    room.tutor_does("board_anonymous", step="group-rules", on=True)
    post("Yusuf", "group_rules", "Nobody is laughed at")
    room.tutor_does("board_anonymous", step="group-rules", on=False)
    cards["We arrive on time"] = room.tutor_does(
        "post", board="group_rules", on_behalf_of=room.people["Fatou"].id, text="We arrive on time"
    )["seq"]
    room.tutor_does("hide", card_id=rude, reason="Hurtful to a member")
    room.says("Samir", "withdraw", card_id=gone)
    room.says("Amina", "stance", card_id=listen, stance="agree")
    room.says("Yusuf", "stance", card_id=listen, stance="agree")
    room.says("Samir", "stance", card_id=listen, stance="disagree")
    room.tutor_does("voting", step="group-rules", budget=2)
    for name in ("Amina", "Yusuf", "Samir"):
        room.says(name, "vote", step="group-rules", target=f"card:{phones}")
    room.says("Amina", "vote", step="group-rules", target=f"card:{listen}")
    room.tutor_does("adopt", card_id=listen, adopted=True)
    room.tutor_does("note", text="Samir seemed upset tonight")
    room.tutor_does("end")
    return room


def download(room: AppRoom, fmt: str, browser: Any = None, **headers: str) -> Any:
    """The session's summary as `fmt`, downloaded by its tutor (or `browser`)."""
    return (browser or room.tutor_browser).get(
        f"/sessions/{room.live.id}/summary.{fmt}", headers=headers or ENGLISH
    )


def line_of(text: str, document: str) -> str:
    return next(line for line in document.splitlines() if text in line)


def titles(app: Any, locale: str = "en") -> dict[str, str]:
    meeting = script_of(app).meeting(W1, locale)
    return {step.id: step.title for step in meeting.steps}


def test_the_markdown_has_each_board_with_its_groups_votes_and_adopted_rules(app, workshop):
    answer = download(workshop, "md")

    assert answer.status_code == 200
    assert answer.mimetype == "text/markdown"
    text = answer.get_data(as_text=True)
    steps = titles(app)
    assert f"## {steps['presentations']}" in text
    assert f"## {steps['group-rules']}" in text
    assert steps["welcome"] not in text, "a step without a board has nothing to sum up"
    # The groups, most voted first, with their totals.
    assert "### Languages — 2 votes" in text and "### Work — 1 vote" in text
    assert text.index("### Languages") < text.index("### Work")
    assert text.index("I speak Pashto") < text.index("I cooked in a hotel")
    assert "I like football — Samir" in line_of("I like football", text)
    assert text.index("### No group") < text.index("I like football")
    # The rules: most voted first, agree and disagree, the adopted one marked.
    assert text.index("Phones on silent") < text.index("We listen to each other")
    assert (
        line_of("Phones on silent", text)
        == "- Phones on silent — Yusuf · 3 votes · 0 agree · 0 disagree"
    )
    listen = line_of("We listen to each other", text)
    assert "Amina · 1 vote · 2 agree · 1 disagree" in listen
    assert "**Adopted rule**" in listen
    assert "Adopted" not in line_of("Phones on silent", text)


def test_nothing_the_room_did_not_keep_is_in_any_summary(workshop):
    for fmt in ("md", "csv"):
        text = download(workshop, fmt).get_data(as_text=True)
        assert "rude and stupid" not in text, f"a hidden card in the {fmt}"
        assert "Hurtful" not in text, f"a hide reason in the {fmt}"
        assert "Biscuits" not in text, f"a withdrawn card in the {fmt}"
        assert "upset tonight" not in text, f"a private note in the {fmt}"
        # The anonymous card has no author; the one typed for Fatou is hers.
        anonymous = line_of("Nobody is laughed at", text)
        assert "Yusuf" not in anonymous and "Anonymous" in anonymous, fmt
        typed = line_of("We arrive on time", text)
        assert "Fatou" in typed, fmt


def test_a_card_typed_for_someone_is_theirs_and_says_a_tutor_typed_it(workshop):
    text = download(workshop, "md").get_data(as_text=True)
    assert "We arrive on time — Fatou · Typed by a tutor · 0 votes" in text


def test_the_csv_opens_in_a_spreadsheet_with_one_row_per_card_and_no_formula(workshop):
    answer = download(workshop, "csv")

    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    body = answer.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark for accents"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    columns = ["Step", "Group", "Votes for the group", "Card", "Details", "Author", "Votes"]
    assert list(rows[0]) == [*columns, "Agree", "Disagree", "Adopted rule"]
    by_card = {row["Card"]: row for row in rows}
    listen = by_card["We listen to each other"]
    assert (listen["Author"], listen["Votes"], listen["Agree"], listen["Disagree"]) == (
        "Amina",
        "1",
        "2",
        "1",
    )
    assert listen["Adopted rule"] == "Yes"
    assert by_card["Phones on silent"]["Adopted rule"] == ""
    pashto = by_card["I speak Pashto, Dari and English"]
    assert (pashto["Group"], pashto["Votes for the group"], pashto["Votes"]) == (
        "Languages",
        "2",
        "",
    )
    football = by_card["I like football"]
    assert (football["Group"], football["Votes for the group"]) == ("", "")
    assert by_card["Nobody is laughed at"]["Author"] == "Anonymous"
    # The card that is a formula is shown as written, never run.
    assert "'" + FORMULA in by_card
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    assert len(rows) == 3 + 5  # three presentations; five rules (one hidden, one taken back)


def test_every_cell_that_could_start_a_formula_is_kept_text():
    for value in ("=1+1", "+33 6 12", "-2", "@SUM(A1)", "\t=1", "  =1+1", "＝1+1", "\tnote"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("Phones on silent") == "Phones on silent"
    assert safe_cell(3) == 3 and safe_cell(None) == ""


def test_the_pdf_is_a_pdf_with_the_cards_words(workshop, tmp_path):
    answer = download(workshop, "pdf")

    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/pdf"
    pdf = answer.get_data()
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    words = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "We listen to each other" in words
    assert "Adopted rule" in words
    assert "Languages — 2 votes" in words and "Fatou · Typed by a tutor" in words
    assert "rude and stupid" not in words and "upset tonight" not in words


def test_the_files_are_named_after_the_group_the_workshop_and_its_day(app, workshop, in_db):
    started = in_db(lambda: db.session.get(LiveSession, workshop.live.id).started_at)
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    day = started.astimezone(zone).date().isoformat()

    english = download(workshop, "csv").headers["Content-Disposition"]
    name = f"migrapass-groupe-d-automne-presentation-and-group-dynamics-{day}.csv"
    assert english == f'attachment; filename="{name}"', "plain ASCII: one name is enough"
    # In French the meeting's title has an accent: an ASCII name, and the real one beside it.
    french = download(workshop, "pdf", **{"Accept-Language": "fr"}).headers["Content-Disposition"]
    ascii_name = f"migrapass-groupe-d-automne-presentation-et-dynamique-de-groupe-{day}.pdf"
    utf8_name = f"migrapass-groupe-d-automne-présentation-et-dynamique-de-groupe-{day}.pdf"
    assert french == f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"


def test_the_tutor_reads_the_summary_in_their_language(workshop):
    text = download(workshop, "md", **{"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Règle retenue" in text and "Anonyme" in text
    assert "Adopted rule" not in text


def test_a_poll_counts_each_choice(app, room_for):
    room = room_for(W6)
    poll = script_of(app).meeting(W6, "en").step("barriers")
    room.go(poll.id)
    for name, choice in (("Amina", 0), ("Yusuf", 0), ("Samir", 2)):
        room.phone(name)
        room.says(name, "vote", step=poll.id, target=f"option:{choice}")

    text = download(room, "md")

    markdown = text.get_data(as_text=True)
    assert f"## {poll.title}" in markdown
    assert poll.poll_options == (
        "French",
        "The recognition of my diplomas",
        "The network: I know few people here",
        "Papers, my administrative situation",
        "Training",
        "Childcare, time",
        "Something else",
    )
    counts = [2, 0, 1, 0, 0, 0, 0]
    for option, count in zip(poll.poll_options, counts, strict=True):
        assert f"- {option}: {count} vote{'' if count == 1 else 's'}" in markdown
    assert "Amina" not in markdown, "a poll's answers name nobody"


def test_only_those_who_run_the_session_take_it_away(
    workshop, make_cohort, make_staff, staff_client, phone_client
):
    other_tutor = make_staff(make_cohort("Another group"))
    trainee = make_staff(workshop.cohort, role=Role.TRAINEE)
    coordinator = make_staff(role=Role.COORDINATOR)

    assert download(workshop, "md", staff_client(other_tutor)).status_code == 403
    # A trainee watching sees pseudonyms and no hidden card: the summary names people.
    assert download(workshop, "csv", staff_client(trainee)).status_code == 403
    assert download(workshop, "md", staff_client(coordinator)).status_code == 200
    phone = download(workshop, "md", phone_client(workshop.people["Fatou"]))
    assert phone.status_code in (302, 403)
    assert "We listen" not in phone.get_data(as_text=True)
    assert download(workshop, "xlsx").status_code == 404
    assert workshop.tutor_browser.get("/sessions/999999/summary.md").status_code == 404


# --- the pure summary, without the web ---------------------------------------------------


def english_words(**changes: Any) -> Words:
    words = {
        "title": "Workshop 2",
        "about": "Summary",
        "step": "Step",
        "group": "Group",
        "group_votes": "Votes for the group",
        "card": "Card",
        "details": "Details",
        "author": "Author",
        "votes": "Votes",
        "agree": "Agree",
        "disagree": "Disagree",
        "adopted": "Adopted rule",
        "yes": "Yes",
        "no_group": "No group",
        "no_cards": "No cards on this board.",
        "by_votes": "In order of votes.",
        "anonymous": "Anonymous",
        "typed_by_tutor": "Typed by a tutor",
        "adopted_rule": "Adopted rule",
        "stances": "{agree} agree · {disagree} disagree",
        "votes_counted": Counted("en", {"one": "{count} vote", "other": "{count} votes"}),
        "by_date": "by {date}",
        "evidence": "What shows it: {evidence}",
        "resources": "Help: {resources}",
        "helped": "What helped: {text}",
        "change": "To change: {text}",
        "answers_counted": Counted("en", {"one": "{count} answer", "other": "{count} answers"}),
        "confidence": "More or less confident than at the start?",
        "choices": {"abroad": "Abroad", "paid": "Paid", "professional": "Professional"},
    }
    return Words(**{**words, **changes})


def folded(board: str, *cards: dict[str, Any]) -> SessionState:
    """A session of one step with a board, where participant 7 posted `cards`."""
    steps = [{"id": "step", "board": board}, {"id": "closing", "board": "none"}]
    events = [Event(1, EventType.SESSION_STARTED, 0, None, {"meeting": "m", "steps": steps})]
    for seq, fields in enumerate(cards, start=2):
        payload = {"board": board, "fields": fields}
        events.append(
            Event(seq, EventType.CARD_POSTED, seq, Actor(ActorKind.PARTICIPANT, 7), payload)
        )
    return fold(events)


def a_meeting(board: str) -> Meeting:
    step = Step("step", "Our cards", 10, board, None, "", "", 1)
    closing = Step("closing", "Goodbye", 5, "none", None, "", "", 2)
    return Meeting("m", 2, 2.0, "workshop", "Workshop", 60, (), (step, closing), "en", "", "")


@pytest.mark.parametrize(
    ("board", "fields", "shown"),
    [
        (
            "timeline",
            {"when": "2015-03", "place": "Tunis", "text": "Left home"},
            ["03/2015", "Tunis"],
        ),
        (
            "experiences",
            {"what": "Cook", "where": "Sfax", "when": "2019", "setting": "abroad", "kind": "paid"},
            ["Sfax · 2019", "Abroad · Paid"],
        ),
        (
            "competences",
            {"name": "Cooking", "category": "professional", "evidence": "300 meals a day"},
            ["Professional", "What shows it: 300 meals a day"],
        ),
        (
            "action_plan",
            {
                "goal": "Work in a kitchen",
                "actions": [{"what": "Ask the job centre", "deadline": "2027-01"}],
                "resources": "My tutor",
            },
            ["Ask the job centre (by 01/2027)", "Help: My tutor"],
        ),
    ],
)
def test_each_boards_fields_read_as_on_the_live_board(board, fields, shown):
    summary = build_summary(folded(board, fields), a_meeting(board), {7: "Amina"}, english_words())

    (step,) = summary.steps  # the closing has no board
    (card,) = step.cards
    assert list(card.details) == shown
    assert card.author == "Amina" and card.votes is None and card.agree is None
    markdown = to_markdown(summary)
    for line in shown:
        assert f"  - {line}" in markdown.replace("\\", "")


def test_a_cards_words_never_become_markdown_of_their_own():
    text = "# Not a title\n- not a list\n1. nor this\n<b>bold</b> [link](http://x) *star*"
    summary = build_summary(
        folded("free_text", {"text": text}), a_meeting("free_text"), {}, english_words()
    )

    markdown = to_markdown(summary)
    card = markdown.split("## Our cards\n\n", 1)[1]
    assert card.startswith("- \\# Not a title\\\n  \\- not a list\\\n  1\\. nor this\\\n")
    assert "\\<b\\>bold\\</b\\> \\[link\\](http://x) \\*star\\*" in card
    assert "\n#" not in card and "<b>" not in card


def test_an_empty_board_says_so():
    summary = build_summary(folded("free_text"), a_meeting("free_text"), {}, english_words())
    assert "## Our cards\n\n*No cards on this board.*" in to_markdown(summary)
    assert (
        to_csv(summary)
        == "\ufeffStep,Group,Votes for the group,Card,Details,Author,Votes,Agree,Disagree,"
        "Adopted rule\r\n"
    )


def test_a_trainee_takes_away_their_own_rehearsal(
    make_cohort, make_staff, start_live, staff_client
):
    cohort = make_cohort()
    trainee = make_staff(cohort, role=Role.TRAINEE)
    rehearsal = start_live(cohort, trainee, W1, rehearsal=True)
    url = f"/sessions/{rehearsal.id}/summary.md"

    assert staff_client(trainee).get(url, headers=ENGLISH).status_code == 200
    assert staff_client(make_staff(cohort, role=Role.TRAINEE)).get(url).status_code == 403


def test_a_pdf_that_cannot_be_drawn_sends_the_tutor_back_to_the_console_with_words(
    workshop, monkeypatch
):
    from app.pdf import PdfError
    from app.tutor_pages import summary

    def broken(html: str, stylesheet: str | None = None, timeout: float = 60) -> bytes:
        raise PdfError("the worker died")

    monkeypatch.setattr(summary, "render_pdf", broken)
    answer = download(workshop, "pdf")

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/sessions/{workshop.live.id}/console")
    console = workshop.tutor_browser.get(answer.headers["Location"], headers=ENGLISH)
    assert "We could not make the PDF just now" in console.get_data(as_text=True)


def test_a_second_click_while_the_pdf_draws_is_told_to_wait_instead_of_queueing(
    workshop, monkeypatch
):
    from app.tutor_pages import summary

    monkeypatch.setattr(summary, "_drawing", {workshop.tutor.id})  # the first is drawing
    answer = download(workshop, "pdf")

    assert answer.status_code == 303
    console = workshop.tutor_browser.get(answer.headers["Location"], headers=ENGLISH)
    assert "We are making many PDFs just now" in console.get_data(as_text=True)


def test_a_pathway_reads_in_the_order_of_its_dates_as_on_the_wall():
    state = folded(
        "timeline",
        {"when": "2017", "text": "Arrived in Lyon"},
        {"when": "2012", "text": "Left home"},
        {"when": "2015-03", "text": "Crossed the sea"},
    )
    document = to_markdown(build_summary(state, a_meeting("timeline"), {}, english_words()))
    assert document.index("Left home") < document.index("Crossed the sea") < document.index("Lyon")
