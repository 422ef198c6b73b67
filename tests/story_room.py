"""The small meeting the tests of issue 18's boards run, and how they read its screens.

A script of their own (`story_script`), so the shipped workshops can change without
changing what they test: a hidden-first pathway and experiences, a board the room sees
as it comes, one written unseen, a break, the anonymous feedback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from app.script_access import install_script
from app.workshops import Script, load_script
from tests.drivers import AppRoom
from tests.test_workshops import step_md, write

SLUG = "w1-test"
PLACE = "Lampedusa"
WHEN = "2016-07"
STORY = "I crossed the sea at night"


def story_script(folder: Path) -> Script:
    """A meeting with every kind of step these stories need: a hidden-first pathway and
    experiences, a board the room sees as it comes, a break, the anonymous feedback."""
    hidden = "visibility: hidden\n"
    steps = (
        step_md("welcome", duration=5),
        step_md("timeline", board="timeline", feeds="migration_pathway", duration=20, extra=hidden),
        step_md(
            "abroad",
            board="experiences",
            feeds="professional_experiences",
            duration=20,
            extra=hidden,
        ),
        step_md("strengths", board="free_text", feeds="cv", duration=10),
        step_md(
            "skills",
            board="competences",
            feeds="competences",
            duration=10,
            extra="visibility: later\n",
        ),
        step_md("break", duration=10, extra="kind: break\n"),
        step_md("feedback", board="programme_feedback", duration=10),
        step_md("closing", duration=5),
    )
    write(folder, steps=steps, duration_minutes=90)
    return load_script(folder)


def story_room(
    app: Flask,
    folder: Path,
    room_for: Callable[..., AppRoom],
    step: str | None = None,
    people: tuple[str, ...] = ("Amina", "Yusuf"),
) -> AppRoom:
    """The story meeting running: `people`'s phones in the room, on `step` if given,
    every screen's messages read so far."""
    install_script(app, story_script(folder))
    room = room_for(SLUG)
    for name in people:
        room.phone(name)
    if step is not None:
        room.go(step)
        heard(room)
    return room


def heard(room: AppRoom) -> dict[str, list[dict[str, Any]]]:
    """Every message each screen received since it was last read, by screen."""
    screens = {"console": (room.console, "/tutor"), "projector": (room.projector, "/projector")}
    screens |= {name: (sock, "/participant") for name, sock in room.phones.items()}
    return {
        name: [m["args"][0] for m in sock.get_received(ns)] for name, (sock, ns) in screens.items()
    }


def post_story(room: AppRoom, name: str = "Amina", **fields: Any) -> int:
    fields = {"when": WHEN, "place": PLACE, "text": STORY, **fields}
    client_id = f"story-{name}-{len(fields)}-{fields['text'][:6]}".replace(" ", "-")
    return room.post(room.phones[name], "timeline", fields, client_id)["seq"]


def show(room: AppRoom, name: str, card: int, shown: bool, details: bool = False) -> None:
    choice = {"card_id": card, "shown": shown, "details": details}
    room.says(name, "show", client_id=f"show-{card}-{shown}-{details}", **choice)


def reveal(room: AppRoom, step: str = "timeline") -> None:
    room.tutor_does("board_until_reveal", step=step, on=False)


def snapshot(room: AppRoom, screen: str) -> dict[str, Any]:
    """What a screen ("console", "projector" or a phone's owner) is shown, afresh."""
    sock, namespace = {
        "console": (room.console, "/tutor"),
        "projector": (room.projector, "/projector"),
    }.get(screen, (room.phones.get(screen), "/participant"))
    return sock.emit("sync", {}, namespace=namespace, callback=True)["board"]


def projector_cards(room: AppRoom) -> list[dict[str, Any]]:
    """The cards the projector shows now, from a fresh snapshot."""
    return snapshot(room, "projector")["cards"]
