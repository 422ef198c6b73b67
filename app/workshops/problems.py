"""What the readers of one workshop file share: the problems found so far, and their words.

The files are edited by people at the association, not by programmers: every problem
names the file and the line, and all the problems of a file are collected, not only
the first.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .model import ScriptError

QUOTE_HELP = (
    'text with ": " or starting with a quote, "[" or "#" goes between double quotes,'
    ' like title: "Atelier 1 : présentation"'
)


@dataclass
class FileProblems:
    """The problems of one file, and where its front matter's keys are (to point at them)."""

    shown: str  # the file as the person knows it, e.g. "workshops/w1-presentation.fr.md"
    errors: list[ScriptError] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)  # keys already told in more detail

    def problem(self, line: int | None, text: str) -> None:
        self.errors.append(ScriptError(self.shown, line, text))


def known(value: str, names: tuple[str, ...]) -> str:
    """The names a value could have been, and the closest one: a typo is told, not guessed."""
    close = difflib.get_close_matches(value, names, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"(known: {', '.join(names)}){hint}"


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
