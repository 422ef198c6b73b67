"""What an entry of each portfolio section holds: the board schemas, plus a language.

A card posted in the room keeps its board's schema in the portfolio, so an entry the
participant adds or edits is checked by the very rules the room used. The language
entry (a CEFR self-assessment) exists only in the portfolio.
"""

from __future__ import annotations

from app.live.errors import IllegalMove
from app.vocabulary.boards import BOARDS, BoardType, Field, choice, text

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# The five skills of the Council of Europe's self-assessment grid, in the CV's order.
CEFR_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")

LANGUAGE = BoardType(
    "language",
    (
        Field("language", text(60)),
        Field("mother_tongue", choice(("yes", "no"))),
        *(Field(skill, choice(CEFR_LEVELS), False) for skill in CEFR_SKILLS),
    ),
    summary_field="language",
)

SCHEMAS: dict[str, BoardType] = {
    **{name: board for name, board in BOARDS.items() if board.accepts_cards},
    LANGUAGE.name: LANGUAGE,
}

# The portfolio's sections in reading order, and the schema of an entry a participant
# adds there themselves (the room's cards keep the schema of the board they came from).
SECTION_SCHEMAS: dict[str, str] = {
    "profile": "free_text",
    "languages": "language",
    "migration_pathway": "timeline",
    "professional_experiences": "experiences",
    "social_experiences": "experiences",
    "competences": "competences",
    "action_plan": "action_plan",
    "cv": "free_text",
    "evaluation": "free_text",
}

# Fields written in sentences: shown through the one Markdown path (render, sanitise).
LONG_TEXT_FIELDS = frozenset({"text", "details", "evidence", "resources"})


def schema(name: str) -> BoardType:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise IllegalMove("unknown_board", name) from None
