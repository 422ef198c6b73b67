"""Names shared by the workshop scripts, the live engine and the portfolio.

One place for each fact: a workshop file may only name a board type or a
portfolio section listed here, and the engine only knows these boards.
"""

from __future__ import annotations

# Board types a workshop step can open. "none" is a step without a shared board
# (an oral round, a talk by the tutor).
BOARD_TYPES: tuple[str, ...] = ("none", "group_rules")

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
