"""The names a replay shows: a stable pseudonym per session ("Participant A", one colour
throughout) for everyone who did not agree to be named in replays, and their first
names found inside what was written, replaced the same way."""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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

    def people(self) -> list[dict[str, object]]:
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
            for word in _first_names(real[pid]):
                hidden.setdefault(word, pseudonym)
    return Cast(shown, colours, hidden)


def _first_names(name: str) -> list[str]:
    """The words of a display name worth looking for in a text (initials are not)."""
    return [word for word in re.findall(r"\w+", name) if len(word) >= 2]


@dataclass(frozen=True)
class Renamer:
    """Finds and replaces whole-word, any-case names in texts: made once per cast."""

    pattern: re.Pattern[str] | None
    replacements: Mapping[str, str]  # casefolded name -> what replaces it

    def text(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda found: self.replacements[found.group(1).casefold()], text)

    def tree(self, value: object) -> object:
        """Every string inside `value` (dicts, lists) renamed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.tree(item) for item in value]
        if isinstance(value, dict):
            return {key: self.tree(item) for key, item in value.items()}
        return value

    def found(self, text: str) -> list[str]:
        """The names `text` contains, casefolded, in order, once each."""
        if self.pattern is None:
            return []
        return list(dict.fromkeys(word.casefold() for word in self.pattern.findall(text)))


def renamer(names: Mapping[str, str]) -> Renamer:
    """The renamer for `names` (a first name -> its pseudonym)."""
    return _renamer(tuple(sorted(names.items())))


@functools.lru_cache(maxsize=64)
def _renamer(names: tuple[tuple[str, str], ...]) -> Renamer:
    if not names:
        return Renamer(None, {})
    words = sorted((name for name, _ in names), key=lambda word: (-len(word), word))
    # Longest first: "Aminata" is replaced whole, not as "Amina" and "ta".
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
    return Renamer(pattern, {name.casefold(): pseudonym for name, pseudonym in names})


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
