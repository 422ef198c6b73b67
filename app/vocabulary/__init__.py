"""Names shared by the workshop scripts, the live engine and the portfolio.

One place for each fact: a workshop file may only name a board type or a
portfolio section listed here, the engine only knows these boards, and the portfolio
shows these sections.
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

# The one table of a participant's portfolio sections, in reading order: a board can feed
# each one, and an entry the person adds there themselves has the schema named here
# (a card from the room keeps its board's). The words that name a section are in
# app/portfolio_pages/wording.py, keyed by this table.
PORTFOLIO_SECTIONS: dict[str, str] = {
    "profile": "free_text",
    "languages": "language",
    "migration_pathway": "timeline",
    "professional_experiences": "experiences",
    "social_experiences": "experiences",
    "education": "education",
    "competences": "competences",
    "action_plan": "action_plan",
    "cv": "free_text",
    "evaluation": "free_text",
}

# What a step is, besides its board: most are work ("activity"); a break feeds nothing,
# the timer runs it and every screen shows it as a pause.
STEP_KINDS: tuple[str, ...] = ("activity", "break")

# Who sees a step's cards: the room as they come ("room"); nobody but the author and the
# tutors until the author chooses to show theirs ("hidden"), for personal stories; or
# the room, but only once the tutor shows the cards ("later"), so people write unseen.
STEP_VISIBILITIES: tuple[str, ...] = ("room", "hidden", "later")

# What a removed word becomes in the log's contents (app.replay.redaction): plain words,
# so every text field's check takes them and a session folds as it did. Screens show it
# as "content removed" in their reader's language; lists of texts leave it out.
REMOVED = "⊘"
