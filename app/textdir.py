"""The direction a piece of text is written in, and how to draw it one letter at a time.

WeasyPrint ignores `dir="auto"`, so a PDF that mixes an entry in Arabic with a French
page must say `dir="rtl"` on that entry itself. And WeasyPrint's SVG text places one
character after another, left to right, with neither the bidirectional algorithm nor
Arabic shaping: `visual` does both, simply, for one line that goes into a picture.
"""

from __future__ import annotations

import unicodedata
from itertools import chain

_RTL_CLASSES = frozenset({"R", "AL"})
_MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))
_ZWJ, _TATWEEL = "\u200d", "\u0640"
_LAM, _ALEFS = "\u0644", frozenset("\u0622\u0623\u0625\u0627")


def direction_of(text: str) -> str:
    """Return "rtl" if the first strong character of the text is right-to-left, else "ltr".

    The rule of Unicode's bidirectional algorithm for a paragraph's direction (P2, P3):
    digits and punctuation are weak or neutral and do not decide.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _presentation_forms() -> dict[tuple[str, str], str]:
    # Unicode's compatibility decompositions name every Arabic presentation form, e.g.
    # U+FE91 is "<initial> 0628": the table comes from the database, not typed by hand.
    forms: dict[tuple[str, str], str] = {}
    for code in chain(range(0xFB50, 0xFE00), range(0xFE70, 0xFF00)):
        tag, _, letters = unicodedata.decomposition(chr(code)).partition(" ")
        form = tag.strip("<>")
        if form not in ("isolated", "final", "initial", "medial"):
            continue
        base = "".join(chr(int(c, 16)) for c in letters.split())
        if len(base) == 1 or (base[0] == _LAM and base[1:] in _ALEFS):
            forms.setdefault((base, form), chr(code))
    return forms


_FORMS = _presentation_forms()


def _joins_forward(char: str) -> bool:
    """Whether the letter connects to the one after it (dual-joining)."""
    return (char, "initial") in _FORMS or char in (_TATWEEL, _ZWJ)


def _joins_back(char: str) -> bool:
    return (char, "final") in _FORMS or char in (_TATWEEL, _ZWJ)


def _transparent(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me") or (
        unicodedata.category(char) == "Cf" and char != _ZWJ
    )


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and _transparent(text[index]):
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _shape(text: str) -> str:
    """Arabic letters replaced by their isolated, initial, medial or final forms."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if (char, "isolated") not in _FORMS:
            out.append(char)
            i += 1
            continue
        after = _neighbour(text, i, 1)
        before = _neighbour(text, i, -1)
        joined_before = bool(before) and _joins_forward(before) and _joins_back(char)
        if char == _LAM and after in _ALEFS and text[i + 1] == after:  # the lam-alef ligature
            out.append(_FORMS[(char + after, "final" if joined_before else "isolated")])
            i += 2
            continue
        joined_after = bool(after) and _joins_forward(char) and _joins_back(after)
        form = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
            (False, False): "isolated",
        }[(joined_before, joined_after)]
        out.append(_FORMS.get((char, form)) or _FORMS[(char, "isolated")])
        i += 1
    return "".join(out)


def _clusters(text: str) -> list[str]:
    """Letters with the marks that sit on them, so reversing keeps each mark on its letter."""
    clusters: list[str] = []
    for char in text:
        if clusters and _transparent(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _levels(kinds: list[str | None], rtl: bool) -> list[int]:
    """Embedding levels of one line (rules W7, N1, N2 and I1, I2, without embeddings)."""
    base = 1 if rtl else 0
    strong = "R" if rtl else "L"
    resolved: list[str | None] = []
    for kind in kinds:
        if kind == "EN" and strong == "L":
            kind = "L"  # a number after left-to-right text belongs to it (W7)
        if kind in ("L", "R"):
            strong = kind
        resolved.append(kind)
    # Numbers count as right-to-left for the neutrals around them (N1).
    sides = [{"EN": "R", "AN": "R"}.get(k, k) if k else None for k in resolved]
    levels = []
    for index, kind in enumerate(resolved):
        if kind is None:
            before = next((k for k in reversed(sides[:index]) if k), "R" if rtl else "L")
            after = next((k for k in sides[index + 1 :] if k), "R" if rtl else "L")
            kind = before if before == after else ("R" if rtl else "L")
        if kind == "R":
            levels.append(base if rtl else base + 1)
        elif kind == "L":
            levels.append(base + 1 if rtl else base)
        else:  # a number: left to right, inside whatever surrounds it
            levels.append(base + 1 if rtl else base + 2)
    return levels


def visual(line: str) -> str:
    """One line's characters in left-to-right display order, Arabic letters joined.

    The bidirectional algorithm for one line without explicit embeddings: the line's
    direction is that of its first strong character, then runs are reversed level by
    level (L2) and brackets at odd levels turned round (L4).
    """
    if not any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in line):
        return line
    clusters = _clusters(_shape(line))
    kinds: list[str | None] = []
    for cluster in clusters:
        kind = unicodedata.bidirectional(cluster[0])
        kinds.append("R" if kind in _RTL_CLASSES else kind if kind in ("L", "EN", "AN") else None)
    levels = _levels(kinds, direction_of(line) == "rtl")
    items = [
        _MIRRORED.get(cluster, cluster) if level % 2 else cluster
        for cluster, level in zip(clusters, levels, strict=True)
    ]
    for level in range(max(levels), 0, -1):
        index = 0
        while index < len(items):
            if levels[index] < level:
                index += 1
                continue
            end = index
            while end < len(items) and levels[end] >= level:
                end += 1
            items[index:end] = reversed(items[index:end])
            levels[index:end] = reversed(levels[index:end])
            index = end
    return "".join(items)
