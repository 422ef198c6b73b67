"""Text as people really type it: one rule for how long a text is, one way to cut it,
one way to clean a name or a code.

A "character" here is what a person sees as one: a grapheme cluster (a letter with its
accents, a family emoji, an Arabic letter with its marks), counted with `regex`'s `\\X`
on the server and with `Intl.Segmenter` on the phone (static/js/texts.js), so that the
limit a person is shown is the limit the server applies. Nothing is ever cut inside one.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping

import regex

_GRAPHEME = regex.compile(r"\X")
# Kept inside a name: they join emoji (ZWJ) and shape Persian and Urdu words (ZWNJ).
_JOINERS = "\u200c\u200d"


def length(text: str) -> int:
    """How many characters a person sees in `text`."""
    return len(_GRAPHEME.findall(text))


def too_long(text: str, limit: int) -> bool:
    # Every grapheme holds at least one code point: most texts are decided without
    # segmenting them.
    return len(text) > limit and length(text) > limit


def cut(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, never ending inside one."""
    if len(text) <= limit:
        return text
    return "".join(_GRAPHEME.findall(text)[:limit])


def graphemes(text: str) -> list[str]:
    return _GRAPHEME.findall(text)


def without_format_characters(text: str) -> str:
    """Drop the invisible format characters (zero-width spaces, direction marks, BOM)
    but the joiners that belong to emoji and to Persian and Urdu words."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf" or ch in _JOINERS)


def clean_line(text: str) -> str:
    """A name or a title as typed: NFC, no format characters, spaces folded to one, and
    no joiner at the edge of a word (there it joins nothing)."""
    words = without_format_characters(unicodedata.normalize("NFC", text)).split()
    return " ".join(kept for kept in (word.strip(_JOINERS) for word in words) if kept)


def has_letter(text: str) -> bool:
    """Whether `text` holds something to read: a letter or a digit of any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def same_looking(text: str) -> str:
    """A key under which names that look alike are equal (case, accents typed either
    way, invisible characters)."""
    seen = clean_line(text)
    for joiner in _JOINERS:  # invisible between Latin letters; a number costs nothing
        seen = seen.replace(joiner, "")
    return seen.casefold()


def told_apart(names: Mapping[int, str], label: Callable[[str, int], str]) -> dict[int, str]:
    """Each person's name as a staff list shows it: names that look alike (case, accents
    typed either way, invisible characters) are each given `label(name, id)`."""
    seen = Counter(same_looking(name) for name in names.values())
    return {
        pid: label(name, pid) if seen[same_looking(name)] > 1 else name
        for pid, name in names.items()
    }


def code_as_typed(text: str) -> str:
    """A code read off a screen and typed on any keyboard: full-width and Arabic-Indic
    digits, spaces of any kind inside or after it, invisible characters, dashes."""
    folded = []
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if category == "Cf" or category.startswith("Z") or ch.isspace() or ch in "-‐‑‒–—_.":
            continue
        digit = unicodedata.decimal(ch, None)
        folded.append(str(digit) if digit is not None else ch)
    return "".join(folded).upper()
