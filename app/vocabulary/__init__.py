"""Names shared by the workshop scripts, the live engine and the portfolio.

One place for each fact: a workshop file may only name a board type or a
portfolio section listed here, and the engine only knows these boards.
"""

from __future__ import annotations

from app.vocabulary.boards import BOARDS

# Board types a workshop step can open, from the board registry. "none" is a step
# without a shared board (an oral round, a talk by the tutor).
BOARD_TYPES: tuple[str, ...] = tuple(BOARDS)

# Parts of the preparatory interview's form a step of that meeting fills in.
INTERVIEW_FORM_SECTIONS: tuple[str, ...] = (
    "profile",
    "languages",
    "motivation",
    "referral",
    "consent",
)

# Sections of a participant's portfolio a board can feed.
PORTFOLIO_SECTIONS: tuple[str, ...] = (
    "profile",
    "languages",
    "migration_pathway",
    "professional_experiences",
    "social_experiences",
    "competences",
    "action_plan",
    "cv",
    "evaluation",
)
