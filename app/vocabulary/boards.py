"""The board types a workshop step can open, and what a card on each one holds.

One registry: the workshop loader accepts exactly these names, the engine cleans every
card through its board's schema, and the pages pick a form and a layout by name. A
later board is one more `register(BoardType(...))`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app import dates, texts
from app.refusals import Refused

# A date in its stored form: a year, a year and month, or a full date (ISO order sorts
# well). Every card is checked again each time its session is folded, so a value stored
# under an earlier rule must still pass: one in this form is taken as it is.
STORED_DATE = re.compile(r"^([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$")
DATE_LENGTH = 60  # what a date or a span is typed in, at most ("from 14 September 2012 …")
MAX_ACTIONS = 6
COMPETENCE_CATEGORIES = ("professional", "social", "migration")
EXPERIENCE_SETTINGS = ("abroad", "france")
EXPERIENCE_KINDS = ("paid", "voluntary")
# The self-assessment: five questions, each answered on a scale of four (no middle to
# hide in), taken once early in the cycle and once at its end.
SELF_ASSESSMENT_QUESTIONS = ("confidence", "network", "labour_market", "skills", "project")
SELF_ASSESSMENT_SCALE = ("1", "2", "3", "4")
PHASES = ("before", "after")
# The programme's anonymous feedback asks first whether the person feels more or less
# confident about their competences than at the start: a balanced scale, as many ways to
# say "less" as "more", and a way to say they do not know.
FEEDBACK_CONFIDENCE = ("much_more", "more", "same", "less", "much_less", "dont_know")
# What backs an experience or a diploma, and whether the person holds it now: a paper
# they can show an employer, one they could ask for again, or one they cannot get.
DOCUMENT_KINDS = (
    "work_certificate",
    "payslip",
    "contract",
    "volunteering_certificate",
    "diploma",
    "reference_letter",
    "other",
)
DOCUMENT_HELD = ("yes", "can_ask", "no")
MAX_DOCUMENTS = len(DOCUMENT_KINDS)
EDUCATION_KINDS = ("school", "diploma", "course", "french_class")
# A skill of ESCO, the European skills classification (https://esco.ec.europa.eu): the
# competence suggestions carry one where it fits, and a card picked from them keeps it.
ESCO_SKILL = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


class FieldRefused(Refused):
    """A board or a card's field the registry refuses: `code` is stable, `detail` names
    the field. Each reader tells it as its own (the engine an IllegalMove, the portfolio
    a PortfolioRefused), so the vocabulary depends on neither."""


@dataclass(frozen=True)
class Field:
    """One field of a card. `check` returns the clean value or raises FieldRefused."""

    name: str
    check: Callable[[str, Any], Any]
    required: bool = True


def text(max_len: int) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldRefused("bad_field", name)
        value = " ".join(value.split()) if "\n" not in value else value.strip()
        if texts.too_long(value, max_len):
            raise FieldRefused("text_too_long", f"{name}:{max_len}")
        return value

    check.max_len = max_len  # type: ignore[attr-defined]  # for the forms' counters
    return check


def choice(options: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if value not in options:
            raise FieldRefused("bad_field", name)
        return str(value)

    check.options = options  # type: ignore[attr-defined]  # for a placeholder answer
    return check


def partial_date(name: str, value: Any) -> str:
    """A date as typed ("mars 2015", "٢٠١٥", "14/03/2015") in its stored form: a year,
    a year and month, or a full date, ISO order ("2015-03"), no time zone."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or texts.too_long(value, DATE_LENGTH):
        raise FieldRefused("bad_date", name)
    if STORED_DATE.match(value.strip()):
        return value.strip()
    try:
        return dates.parse_when(value)
    except dates.DateRefused as refused:
        raise FieldRefused(refused.code, name) from None


partial_date.max_len = DATE_LENGTH  # type: ignore[attr-defined]  # for the forms' counters


def date_or_text(max_len: int) -> Callable[[str, Any], str]:
    """A date or a span of two in stored form ("2012–2016" -> "2012/2016"), or else the
    words as typed ("3 years", "since 2021"). This field took any words before it read
    dates, and stored cards are checked again at every fold: what does not make a date
    stays words (the phone warns about a wrong date before it is sent)."""
    as_text = text(max_len)

    def check(name: str, value: Any) -> str:
        value = as_text(name, value)
        if not value:
            return value
        try:
            return dates.span_or_text(value)
        except dates.DateRefused:
            return value

    check.max_len = max_len  # type: ignore[attr-defined]  # for the forms' counters
    return check


def esco_skill(name: str, value: Any) -> str:
    """The address of one ESCO skill, as the suggestions list gives it; nothing else."""
    if not isinstance(value, str) or not ESCO_SKILL.match(value.strip()):
        raise FieldRefused("bad_field", name)
    return value.strip()


def documents(name: str, value: Any) -> list[dict[str, str]]:
    """The papers that back an experience: which kind, and whether the person holds it."""
    if not isinstance(value, list) or len(value) > MAX_DOCUMENTS:
        raise FieldRefused("bad_field", name)
    clean = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) - {"kind", "held"}:
            raise FieldRefused("bad_field", name)
        kind = choice(DOCUMENT_KINDS)(f"{name}.kind", item.get("kind"))
        held = choice(DOCUMENT_HELD)(f"{name}.held", item.get("held") or "yes")
        clean.append({"kind": kind, "held": held})
    return clean


ACTION_LENGTH = 200  # one step of an action plan


def actions(name: str, value: Any) -> list[dict[str, str]]:
    """An action plan's steps: what to do and, if known, by when."""
    if not isinstance(value, list) or len(value) > MAX_ACTIONS:
        raise FieldRefused("bad_field", name)
    clean = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"what", "deadline"}:
            raise FieldRefused("bad_field", name)
        what = text(ACTION_LENGTH)("what", item.get("what", ""))
        deadline = item.get("deadline") or ""
        if deadline:
            deadline = partial_date("deadline", deadline)
        if what:
            clean.append({"what": what, "deadline": deadline})
    return clean


@dataclass(frozen=True)
class BoardType:
    name: str
    fields: tuple[Field, ...] = ()
    summary_field: str = "text"  # the field read aloud, shown first and used in lists
    votes_on_cards: bool = False  # never for a person's experience or competence cards
    stances: bool = False  # agree / disagree on each card
    adoptable: bool = False  # the group adopts a card (a rule)
    poll: bool = False  # people vote on the step's options; no cards
    collective: bool = False  # belongs to the group: feeds no one's portfolio
    # Seen by its author alone: no screen, replay or summary shows a card's fields, only
    # how many people answered. Feeds no portfolio section either.
    private: bool = False
    phased: bool = False  # its steps say "phase: before" or "phase: after"
    # Nobody's: a card is stored with no author, not even as the log's actor, so no
    # screen, export or query can tell who wrote it (the programme's anonymous feedback).
    authorless: bool = False
    # Fields that can tell where a person went or when (a place, a date): on a board
    # whose cards start hidden, the room sees them only if the author chose to show them.
    revealing: tuple[str, ...] = ()

    @property
    def accepts_cards(self) -> bool:
        return bool(self.fields)

    def clean(self, raw: Any) -> dict[str, Any]:
        """The card's fields as stored, or FieldRefused naming what is wrong. A board
        whose every field may be left out still needs one of them filled in."""
        if not isinstance(raw, Mapping):
            raise FieldRefused("bad_field", "fields")
        known = {f.name for f in self.fields}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise FieldRefused("bad_field", unknown[0])
        clean: dict[str, Any] = {}
        for field in self.fields:
            value = raw.get(field.name)
            if value in (None, "", []):
                if field.required:
                    raise FieldRefused("missing_field", field.name)
                continue
            value = field.check(field.name, value)
            if value in ("", []):
                if field.required:
                    raise FieldRefused("missing_field", field.name)
                continue
            clean[field.name] = value
        if self.fields and not clean:
            raise FieldRefused("answer_one", self.fields[0].name)  # none is required alone
        return clean

    def placeholder(self) -> dict[str, Any]:
        """Answers that say nothing of anyone, for a private card retold elsewhere (a
        rehearsal taken over from a real session): each choice's first option."""
        return {
            field.name: field.check.options[0]  # type: ignore[attr-defined]
            for field in self.fields
            if hasattr(field.check, "options")
        }

    def summary(self, fields: Mapping[str, Any]) -> str:
        return str(fields.get(self.summary_field, ""))


BOARDS: dict[str, BoardType] = {}


def register(board: BoardType) -> BoardType:
    BOARDS[board.name] = board
    return board


def board_type(name: str) -> BoardType:
    try:
        return BOARDS[name]
    except KeyError:
        raise FieldRefused("unknown_board", name) from None


NONE = register(BoardType("none"))
register(
    BoardType(
        "group_rules",
        (Field("text", text(300)),),
        votes_on_cards=True,
        stances=True,
        adoptable=True,
        collective=True,
    )
)
register(
    BoardType(
        "timeline",
        (Field("when", partial_date), Field("place", text(100), False), Field("text", text(300))),
        revealing=("when", "place"),
    )
)
register(
    BoardType(
        "experiences",
        (
            Field("what", text(200)),
            Field("where", text(100), False),
            Field("when", date_or_text(60), False),
            Field("setting", choice(EXPERIENCE_SETTINGS)),
            Field("kind", choice(EXPERIENCE_KINDS)),
            Field("details", text(400), False),
            Field("documents", documents, False),
        ),
        summary_field="what",
        revealing=("where", "when"),
    )
)
register(
    BoardType(
        "competences",
        (
            Field("name", text(120)),
            Field("category", choice(COMPETENCE_CATEGORIES)),
            Field("evidence", text(400), False),
            Field("esco", esco_skill, False),
        ),
        summary_field="name",
    )
)
register(
    BoardType(
        "action_plan",
        (
            Field("goal", text(200)),
            Field("actions", actions, False),
            Field("resources", text(400), False),
        ),
        summary_field="goal",
    )
)
register(BoardType("free_text", (Field("text", text(500)),)))
register(
    BoardType(
        "education",
        (
            Field("title", text(200)),
            Field("type", choice(EDUCATION_KINDS)),
            Field("where", text(100), False),
            Field("country", text(60), False),
            Field("when", date_or_text(60), False),
            Field("details", text(400), False),
            Field("documents", documents, False),
        ),
        summary_field="title",
        revealing=("where", "country", "when"),
    )
)
# The top of the CV, written at workshop 7: the job aimed for, then a few sentences.
register(
    BoardType(
        "cv_lines",
        (Field("headline", text(120)), Field("about", text(500), False)),
        summary_field="headline",
    )
)
register(BoardType("poll", poll=True, collective=True))
register(
    BoardType(
        "self_assessment",
        tuple(Field(q, choice(SELF_ASSESSMENT_SCALE)) for q in SELF_ASSESSMENT_QUESTIONS),
        summary_field="",
        private=True,
        phased=True,
    )
)
# What the person thinks of the programme, given with no name attached anywhere.
register(
    BoardType(
        "programme_feedback",
        (
            Field("confidence", choice(FEEDBACK_CONFIDENCE), False),
            Field("helped", text(500), False),
            Field("change", text(500), False),
        ),
        summary_field="helped",
        collective=True,
        authorless=True,
    )
)
