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
    """The people of one session as a replay shows them, by participant id."""

    shown: Mapping[int, str]  # a pseudonym, or the real name of someone who agreed
    colours: Mapping[int, int]
    hidden_names: Mapping[str, str]  # a real first name not to show -> what replaces it

    @functools.cached_property
    def renamer(self) -> Renamer:
        return renamer(self.hidden_names)

    def people(self) -> list[Person]:
        return [
            {"id": pid, "name": name, "colour": self.colours[pid]}
            for pid, name in sorted(self.shown.items(), key=lambda item: self.colours[item[0]])
        ]


def cast(
    order: Iterable[int],
    real: Mapping[int, str],
    named: set[int],
    label: str,
) -> Cast:
    """Pseudonyms in order of appearance (`order`: participant ids as they first acted);
    `label` is the translated "Participant {letter}"; `named` agreed to be named."""
    shown: dict[int, str] = {}
    colours: dict[int, int] = {}
    hidden: dict[str, str] = {}
    for index, pid in enumerate(dict.fromkeys(order)):
        if pid not in real:
            continue
        pseudonym = label.replace("{letter}", letter(index))
        shown[pid] = real[pid] if pid in named else pseudonym
        colours[pid] = index % COLOURS
        if pid not in named:
            for word in first_names(real[pid]):
                hidden.setdefault(word, pseudonym)
    return Cast(shown, colours, hidden)


def pseudonymise_text(text: str, names: Mapping[str, str]) -> str:
    """`text` with each whole-word, any-case occurrence of a name in `names` replaced by
    its pseudonym."""
    return renamer(names).text(text)


def names_in(text: str, names: Mapping[str, str]) -> list[str]:
    """The names of `names` that `text` contains, as whole words, in order, once each."""
    return renamer(names).found(text)


def pseudonymise_tree(value: object, names: Mapping[str, str]) -> object:
    """Every string inside `value` (dicts, lists) pseudonymised."""
    return renamer(names).tree(value)
