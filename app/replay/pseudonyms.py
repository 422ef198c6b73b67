"""The names a replay shows: a stable pseudonym per session ("Participant A", one colour
throughout) for everyone who did not agree to be named in replays, and their first
names found inside what was written, replaced the same way."""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.renaming import Renamer, first_names, renamer
from app.replay.wire import Person

COLOURS = 8  # the page's palette: a person keeps theirs for the whole session


def letter(index: int) -> str:
    """A, B, … Z, then AA, AB, …: a pseudonym's letter by order of appearance."""
    letters = string.ascii_uppercase
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(letters))
        out = letters[rest] + out
    return out


@dataclass(frozen=True)
class Cast:
    """The people of one session's group as a replay shows them, by participant id."""

    shown: Mapping[int, str]  # a pseudonym, or the real name of someone who agreed
    colours: Mapping[int, int]
    hidden_names: Mapping[str, str]  # a real first name not to show -> what replaces it
    appearing: tuple[int, ...] = ()  # those who appear in the session, in order

    @functools.cached_property
    def renamer(self) -> Renamer:
        return renamer(self.hidden_names)

    def people(self) -> list[Person]:
        return [
            {"id": pid, "name": self.shown[pid], "colour": self.colours[pid]}
            for pid in self.appearing
        ]


def cast(
    order: Iterable[int],
    real: Mapping[int, str],
    named: set[int],
    label: str,
) -> Cast:
    """Pseudonyms for the whole group (`real`: every member's name): letters first to
    those who appear in the session (`order`: as they first acted), then to the others,
    who may still be named inside what was written. `label` is the translated
    "Participant {letter}"; `named` agreed to be named."""
    appearing = tuple(pid for pid in dict.fromkeys(order) if pid in real)
    everyone = [*appearing, *sorted(set(real) - set(appearing))]
    shown: dict[int, str] = {}
    colours: dict[int, int] = {}
    hidden: dict[str, str] = {}
    for index, pid in enumerate(everyone):
        pseudonym = label.replace("{letter}", letter(index))
        shown[pid] = real[pid] if pid in named else pseudonym
        colours[pid] = index % COLOURS
        if pid not in named:
            for word in first_names(real[pid]):
                hidden.setdefault(word, pseudonym)
    return Cast(shown, colours, hidden, appearing)
