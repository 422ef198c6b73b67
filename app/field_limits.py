"""Every limit a person can reach by typing, by one name, for the forms' counters; and
the other limits the pages' scripts keep to.

The numbers live beside the checks that enforce them; this only gathers them, so that a
field on a page never promises more (or less) than the server will take."""

from __future__ import annotations

from collections.abc import Callable

from app import dates
from app.interviews import MAX_ANSWER
from app.live.checks import (
    MAX_CLUSTER_TITLE,
    MAX_HIDE_REASON,
    MAX_NOTE,
    MAX_TIMER_SECONDS,
    MAX_VOTE_BUDGET,
    MAX_WALL_PAGE,
    MAX_WALL_PAGES,
)
from app.participants.operations import MAX_NAME
from app.portfolio import cv
from app.portfolio.own import MAX_COMMENT, MAX_CONTACT
from app.portfolio.schemas import SCHEMAS
from app.vocabulary.boards import ACTION_LENGTH


def field_limits() -> dict[str, int]:
    """Characters (as people see them) by field: "name", "group_rules.text", "cv.about"…"""
    limits = {
        "name": MAX_NAME,
        "interview_answer": MAX_ANSWER,
        "cluster_title": MAX_CLUSTER_TITLE,
        "hide_reason": MAX_HIDE_REASON,
        "note": MAX_NOTE,
        "comment": MAX_COMMENT,
        "contact": MAX_CONTACT,
        "action_plan.actions": ACTION_LENGTH,
    }
    limits.update({f"cv.{field}": limit for field, limit in cv.LIMITS.items()})
    for schema in SCHEMAS.values():  # the room's boards, and the portfolio's own entries
        for field in schema.fields:
            limit = getattr(field.check, "max_len", None)
            if limit is not None:
                limits[f"{schema.name}.{field.name}"] = limit
    return limits


def max_chars() -> Callable[[str], int]:
    """The templates' lookup: a name no check uses stops the page, where an empty value
    would quietly give a field no counter and no limit."""
    limits = field_limits()

    def lookup(name: str) -> int:
        if name not in limits:
            raise KeyError(f"no limit is named {name!r} (app/field_limits.py)")
        return limits[name]

    return lookup


def page_limits() -> dict[str, int]:
    """The limits the pages' scripts keep to, by name; the templates write them into
    data attributes (and min/max), so that no script holds a copy of its own."""
    return {
        "first_year": dates.MIN_YEAR,  # a date typed on the phone: dates.js
        "years_ahead": dates.YEARS_AHEAD,
        "timer_minutes": MAX_TIMER_SECONDS // 60,  # the console's timer
        "vote_budget": MAX_VOTE_BUDGET,  # the console's votes per person
        "wall_page": MAX_WALL_PAGE,  # the page the console turns the wall to
        "wall_pages": MAX_WALL_PAGES,  # the pages the projector splits a board into
    }
