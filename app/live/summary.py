"""A session's boards summed up for its tutors, to take away: Markdown, CSV, and the data
the PDF is drawn from.

Pure (no Flask): the folded state, the meeting as the reader reads it, the people's names
and the words of the reader's language go in; one `SessionSummary` comes out, then text.
What the room does not keep is never in it: hidden and withdrawn cards, the tutors'
private notes, and on a hidden-first step a card its author did not show, or the place
and date they kept to themself. An anonymous card has no author, nor has the programme's
anonymous feedback; a card a tutor typed for someone is theirs, marked as typed by a
tutor, as on the console.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.dates import show_when
from app.live.disclosure import room_fields, shown_by_author
from app.live.state import Card, SessionState, StepInfo, frozen
from app.vocabulary.boards import BOARDS
from app.workshops import Meeting

# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...)),
# or as the start of one: such a cell is given a leading apostrophe, which keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")


@dataclass(frozen=True)
class Words:
    """The summary's words in the reader's language: the boundary translates them.

    Texts with `{name}` slots are filled here (`{count}`, `{agree}`, `{disagree}`,
    `{date}`, `{evidence}`, `{resources}`), like the live board's words."""

    title: str  # the document's heading: the meeting, in the reader's words
    about: str  # the line under it: what this is, the group, the day
    step: str  # the CSV's column headers
    group: str
    group_votes: str
    card: str
    details: str
    author: str
    votes: str
    agree: str
    disagree: str
    adopted: str
    yes: str
    no_group: str  # the cards of a grouped board that are in no group
    no_cards: str
    by_votes: str  # said where a vote ordered the cards or groups
    anonymous: str
    typed_by_tutor: str
    adopted_rule: str
    stances: str  # "{agree} agree · {disagree} disagree"
    vote: str  # "{count} vote"
    votes_counted: str  # "{count} votes"
    by_date: str  # "by {date}"
    evidence: str  # "Proof: {evidence}"
    resources: str  # "Help: {resources}"
    choices: Mapping[str, str]  # a choice field's value -> its word (abroad, paid, …)

    def count_votes(self, count: int) -> str:
        return _fill(self.vote if count == 1 else self.votes_counted, count=count)

    def count_stances(self, agree: int, disagree: int) -> str:
        return _fill(self.stances, agree=agree, disagree=disagree)


@dataclass(frozen=True)
class CardSummary:
    id: int
    text: str  # the card's main field, as the board shows it first
    details: tuple[str, ...]  # its other fields, one line each, as the board shows them
    author: str | None  # None: anonymous, or a tutor's own card
    anonymous: bool
    typed_by_tutor: bool
    votes: int | None  # None: there was no vote on cards at this step
    agree: int | None  # None: the board takes no stances
    disagree: int | None
    adopted: bool | None  # None: nothing is adopted on this board


@dataclass(frozen=True)
class GroupSummary:
    """A family of cards the tutor made, under its title."""

    id: int
    title: str
    votes: int | None  # None: there was no vote at this step
    cards: tuple[CardSummary, ...]


@dataclass(frozen=True)
class PollChoice:
    words: str
    votes: int


@dataclass(frozen=True)
class StepSummary:
    id: str
    title: str
    board: str
    voted: bool  # a vote was opened or cast: cards and groups are in order of votes
    groups: tuple[GroupSummary, ...]
    cards: tuple[CardSummary, ...]  # the cards in no group
    poll: tuple[PollChoice, ...]

    @property
    def empty(self) -> bool:
        return not (self.groups or self.cards or self.poll)


@dataclass(frozen=True)
class SessionSummary:
    title: str
    about: str
    steps: tuple[StepSummary, ...]
    words: Words


def _fill(template: str, **values: object) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


# -- building ---------------------------------------------------------------------------


def build_summary(
    state: SessionState, meeting: Meeting, names: Mapping[int, str], words: Words
) -> SessionSummary:
    """The summary of every step that has a board, from the session's folded state.

    `meeting` gives the steps' titles and a poll's choices in the reader's language;
    `names` the people by id, as the tutors' lists show them."""
    steps = tuple(
        _step(state, info, meeting, names, words)
        for info in state.steps
        if info.board != "none" and not BOARDS[info.board].private  # its author's alone
    )
    return SessionSummary(words.title, words.about, steps, words)


def _step(
    state: SessionState, info: StepInfo, meeting: Meeting, names: Mapping[int, str], words: Words
) -> StepSummary:
    board = BOARDS[info.board]
    scripted = next((s for s in meeting.steps if s.id == info.id), None)
    title = scripted.title if scripted is not None else info.id
    tally = state.tally(info.id)
    voted = bool(tally) or bool(state.board(info.id).vote_budget)
    if board.poll:
        options = scripted.poll_options if scripted is not None else ()
        poll = tuple(
            PollChoice(options[i] if i < len(options) else str(i + 1), tally.get(f"option:{i}", 0))
            for i in range(info.options)
        )
        return StepSummary(info.id, title, info.board, voted, (), (), poll)

    def votes_on(target: str) -> int | None:
        return tally.get(target, 0) if voted else None

    def in_order(cards: list[CardSummary]) -> tuple[CardSummary, ...]:
        if voted and board.votes_on_cards:
            cards = sorted(cards, key=lambda c: (-(c.votes or 0), c.id))
        return tuple(cards)

    # A pathway reads in the order of its dates, as on the wall; other boards as posted.
    when = (lambda c: (str(c.fields.get("when", "")), c.id)) if info.board == "timeline" else None
    kept = sorted(
        (
            replace(c, fields=frozen(room_fields(c, state)))  # as the room may read it
            for c in state.cards.values()
            if c.step == info.id and c.in_room and shown_by_author(c, state)
        ),
        key=when or (lambda c: (c.id,)),
    )
    summed = {card.id: _card(card, names, words, votes_on(f"card:{card.id}")) for card in kept}
    clusters = sorted((c for c in state.clusters.values() if c.step == info.id), key=lambda c: c.id)
    groups = [
        GroupSummary(
            cluster.id,
            cluster.title,
            votes_on(f"cluster:{cluster.id}"),
            in_order([summed[c.id] for c in kept if c.cluster_id == cluster.id]),
        )
        for cluster in clusters
    ]
    if voted:
        groups.sort(key=lambda g: (-(g.votes or 0), g.id))
    grouped = {cluster.id for cluster in clusters}
    loose = in_order([summed[c.id] for c in kept if c.cluster_id not in grouped])
    return StepSummary(info.id, title, info.board, voted, tuple(groups), loose, ())


def _card(card: Card, names: Mapping[int, str], words: Words, votes: int | None) -> CardSummary:
    board = BOARDS[card.board]
    named = card.author_id is not None and not card.anonymous
    stances = list(card.stances.values())
    return CardSummary(
        id=card.id,
        text=card.text,
        details=_details(card, words),
        author=names.get(card.author_id) if named else None,  # type: ignore[arg-type]
        anonymous=card.anonymous,
        typed_by_tutor=card.by_staff,
        votes=votes if board.votes_on_cards else None,
        agree=stances.count("agree") if board.stances else None,
        disagree=stances.count("disagree") if board.stances else None,
        adopted=card.adopted if board.adoptable else None,
    )


def _details(card: Card, words: Words) -> tuple[str, ...]:
    """A card's fields besides its main one, in the live board's order and words."""
    f = card.fields

    def choice(name: str) -> str:
        value = str(f.get(name, ""))
        return words.choices.get(value, value) if value else ""

    lines: list[str]
    if card.board == "timeline":
        lines = [show_when(str(f.get("when", ""))), str(f.get("place", ""))]
    elif card.board == "experiences":
        when = show_when(str(f.get("when", "")))
        where = " · ".join(filter(None, (str(f.get("where", "")), when)))
        tags = " · ".join(filter(None, (choice("setting"), choice("kind"))))
        lines = [where, tags, str(f.get("details", ""))]
    elif card.board == "competences":
        evidence = f.get("evidence")
        lines = [choice("category"), _fill(words.evidence, evidence=evidence) if evidence else ""]
    elif card.board == "education":
        place = (str(f.get(name, "")) for name in ("where", "country"))
        lines = [" · ".join(filter(None, (*place, show_when(str(f.get("when", "")))))), ""]
        lines.append(str(f.get("details", "")))
    elif card.board in ("cv_lines", "programme_feedback"):
        # The main field first; the other one under it (either may be all there is).
        lines = [str(f.get("about" if card.board == "cv_lines" else "change", ""))]
    elif card.board == "action_plan":
        lines = []
        for action in f.get("actions") or ():
            deadline = action.get("deadline")
            when = _fill(words.by_date, date=show_when(deadline)) if deadline else ""
            lines.append(f"{action['what']} ({when})" if when else action["what"])
        resources = f.get("resources")
        lines.append(_fill(words.resources, resources=resources) if resources else "")
    else:
        lines = []
    return tuple(line for line in lines if line)


# -- Markdown ---------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text as Markdown that reads as written: no heading, list, link or HTML of its own."""
    lines = []
    for line in text.splitlines() or [""]:
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(
            lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), line
        )
        lines.append(line)
    # A backslash at a line's end is a hard line break: a card's lines stay lines.
    return "\\\n  ".join(lines)


def card_facts(card: CardSummary, words: Words) -> list[str]:
    """Who wrote a card and what the room made of it, as the board's foot shows them."""
    facts = []
    if card.author:
        facts.append(card.author)
    elif card.anonymous:
        facts.append(words.anonymous)
    if card.typed_by_tutor:
        facts.append(words.typed_by_tutor)
    if card.votes is not None:
        facts.append(words.count_votes(card.votes))
    if card.agree is not None and card.disagree is not None:
        facts.append(words.count_stances(card.agree, card.disagree))
    return facts


def _md_card(card: CardSummary, words: Words) -> list[str]:
    line = f"- {_md(card.text)}"
    facts = [_md(fact) for fact in card_facts(card, words)]
    if card.adopted:
        facts.append(f"**{_md(words.adopted_rule)}**")
    if facts:
        line += " — " + " · ".join(facts)
    return [line, *(f"  - {_md(detail)}" for detail in card.details)]


def to_markdown(summary: SessionSummary) -> str:
    """The summary as a Markdown document, step after step."""
    words = summary.words
    out = [f"# {_md(summary.title)}", "", _md(summary.about), ""]
    for step in summary.steps:
        out += [f"## {_md(step.title)}", ""]
        if step.empty:
            out += [f"*{_md(words.no_cards)}*", ""]
            continue
        for choice in step.poll:
            out.append(f"- {_md(choice.words)}: {_md(words.count_votes(choice.votes))}")
        if step.poll:
            out.append("")
            continue
        if step.voted:
            out += [f"*{_md(words.by_votes)}*", ""]
        for group in step.groups:
            heading = _md(group.title)
            if group.votes is not None:
                heading += f" — {_md(words.count_votes(group.votes))}"
            out += [f"### {heading}", ""]
            for card in group.cards:
                out += _md_card(card, words)
            if group.cards:
                out.append("")
        if step.cards:
            if step.groups:
                out += [f"### {_md(words.no_group)}", ""]
            for card in step.cards:
                out += _md_card(card, words)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- CSV --------------------------------------------------------------------------------


def safe_cell(value: str | int | None) -> str | int:
    """A cell a spreadsheet shows as written: never run as a formula."""
    if value is None:
        return ""
    # Spreadsheets skip leading spaces and read full-width signs as their ASCII twins.
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS)
        or unicodedata.normalize("NFKC", value).lstrip().startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def to_csv(summary: SessionSummary) -> str:
    """One row per card (a group's votes beside each of its cards) and per poll choice,
    with a byte order mark so that Excel reads the accents right; every text cell guarded
    against formulas."""
    words = summary.words
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = (words.step, words.group, words.group_votes, words.card, words.details)
    counts = (words.author, words.votes, words.agree, words.disagree, words.adopted)
    writer.writerow([safe_cell(cell) for cell in (*header, *counts)])

    def row(step: StepSummary, group: GroupSummary | None, card: CardSummary) -> None:
        where = (group.title, group.votes) if group is not None else ("", None)
        author = card.author or (words.anonymous if card.anonymous else "")
        adopted = words.yes if card.adopted else ""
        cells = (step.title, *where, card.text, "\n".join(card.details), author)
        writer.writerow(
            [safe_cell(c) for c in (*cells, card.votes, card.agree, card.disagree, adopted)]
        )

    for step in summary.steps:
        for group in step.groups:
            for card in group.cards:
                row(step, group, card)
        for card in step.cards:
            row(step, None, card)
        for choice in step.poll:
            cells = (step.title, "", None, choice.words, "", "", choice.votes, None, None, None)
            writer.writerow([safe_cell(cell) for cell in cells])
    return "\ufeff" + buffer.getvalue()
