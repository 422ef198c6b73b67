"""What an entry of each portfolio section holds: the board schemas, plus a language.

A card posted in the room keeps its board's schema in the portfolio, so an entry the
participant adds or edits is checked by the very rules the room used. The language
entry (a CEFR self-assessment) exists only in the portfolio.
"""

from __future__ import annotations

from app.portfolio.errors import PortfolioRefused
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

# Fields written in sentences: shown through the one Markdown path (render, sanitise).
LONG_TEXT_FIELDS = frozenset({"text", "details", "evidence", "resources", "about"})


def schema(name: str) -> BoardType:
    """The schema an entry's fields are checked by (the portfolio's sections are in
    app.vocabulary.PORTFOLIO_SECTIONS, each naming one of these)."""
    try:
        return SCHEMAS[name]
    except KeyError:
        raise PortfolioRefused("unknown_board", name) from None
