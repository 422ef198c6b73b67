"""Finding people's names inside what was written, and replacing them: whole words, any
case, the longest name first. Used wherever someone is shown under a pseudonym (a
trainee watching, a replay), so their name does not come back through a card's words."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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

    def fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A card's fields with every name inside them renamed."""
        return {key: self.tree(value) for key, value in fields.items()}

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


def first_names(name: str) -> list[str]:
    """The words of a display name worth looking for in a text (initials are not)."""
    return [word for word in re.findall(r"\w+", name) if len(word) >= 2]
