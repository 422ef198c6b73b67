"""A session's boards summed up for its tutors, to take away: Markdown, CSV, and the data
the PDF is drawn from.

Pure (no Flask): the folded state, the meeting as the reader reads it, the people's names
and the words of the reader's language go in; one `SessionSummary` comes out, which
app.live.summary_text writes as Markdown or CSV.
What the room does not keep is never in it: hidden and withdrawn cards, the tutors'
private notes, and on a hidden-first step a card its author did not show, or the place
and date they kept to themself. An anonymous card has no author, nor has the programme's
anonymous feedback; a card a tutor typed for someone is theirs, marked as typed by a
tutor, as on the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.dates import show_when
from app.languages import Counted
from app.live.disclosure import room_fields, shown_by_author
from app.live.state import Card, SessionState, StepInfo, frozen
from app.vocabulary.boards import BOARDS, FEEDBACK_CONFIDENCE
from app.workshops import Meeting


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
    votes_counted: Counted  # "{count} votes", by the language's plural rules
    by_date: str  # "by {date}"
    evidence: str  # "Proof: {evidence}"
    resources: str  # "Help: {resources}"
    helped: str  # the programme feedback's answers, labelled: "What helped: {text}"
    change: str  # "To change: {text}"
    answers_counted: Counted  # "{count} answers"
    confidence: str  # the feedback's question, over the count of its answers
    choices: Mapping[str, str]  # a choice field's value -> its word (abroad, paid, …)

    def count_votes(self, count: int) -> str:
        return self.votes_counted(count)

    def count_answers(self, count: int) -> str:
        return self.answers_counted(count)

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
    # The feedback's confidence question: how many cards gave each answer, in the scale's
    # order (empty where no card answered it).
    answers: tuple[PollChoice, ...] = ()

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
    answers = _confidence(kept, words) if info.board == "programme_feedback" else ()
    return StepSummary(info.id, title, info.board, voted, tuple(groups), loose, (), answers)


def _confidence(cards: list[Card], words: Words) -> tuple[PollChoice, ...]:
    """How many of the cards gave each answer to the confidence question, every answer
    listed (a "less" nobody chose is said too), or nothing if no card answered it."""
    given = [card.fields.get("confidence") for card in cards]
    if not any(given):
        return ()
    return tuple(
        PollChoice(words.choices.get(value, value), given.count(value))
        for value in FEEDBACK_CONFIDENCE
    )


def _card(card: Card, names: Mapping[int, str], words: Words, votes: int | None) -> CardSummary:
    board = BOARDS[card.board]
    named = card.author_id is not None and not card.anonymous
    stances = list(card.stances.values())
    text, details = card.text, _details(card, words)
    if card.board == "programme_feedback" and text:  # praise told apart from criticism
        text = _fill(words.helped, text=text)
    if not text and details:  # a feedback card may say only what to change, or how it felt
        text, details = details[0], details[1:]
    return CardSummary(
        id=card.id,
        text=text,
        details=details,
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
    elif card.board == "cv_lines":
        lines = [str(f.get("about", ""))]
    elif card.board == "programme_feedback":
        # Under what helped (it may not be there): how the person feels, what to change.
        change = str(f.get("change", ""))
        lines = [choice("confidence"), _fill(words.change, text=change) if change else ""]
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
