"""Small numbers hidden: groups are small, and a count of 1 to 4 points at people.

Every figure leaving the reports goes through here: a count from 1 to 4 is shown as
"<5" (0 stays 0: nobody is pointed at), and a percentage only when its denominator is
at least 5 and its numerator is shown (else the percentage would give the hidden count
back), else "–". Counts that add up to a total are hidden in pairs (`parts_text`), so
that subtracting the shown ones from the total never gives a hidden one back. Plain
Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.outcomes.completion import rate

MIN_CELL = 5
HIDDEN = "<5"
# A count of 5 or more hidden only so that a "<5" beside it cannot be worked out from
# the total: it is not small, and must not read as if it were.
SECONDARY = "*"
NONE = "–"  # an en dash: no figure


def hidden(count: int) -> bool:
    """Whether a count is too small to show."""
    return 0 < count < MIN_CELL


def count_text(count: int) -> str:
    """A count as shown: "<5" from 1 to 4."""
    return HIDDEN if hidden(count) else str(count)


def shown_rate(part: int, whole: int) -> int | None:
    """The whole percent of part over whole, or None when it must not be shown."""
    if whole < MIN_CELL or hidden(part):
        return None
    return rate(part, whole)


def percent_text(part: int, whole: int) -> str:
    """A percentage as shown ("84 %"), or "–"."""
    shown = shown_rate(part, whole)
    return NONE if shown is None else f"{shown} %"


def parts_text(parts: Sequence[int], total: int) -> tuple[list[str], str]:
    """Counts that add up to a shown total, as shown, so that no hidden one comes back by
    subtraction: when a single part is hidden, the smallest other part is hidden too
    (shown as SECONDARY: it is not small); when nothing else can be, the total is.
    Returns the parts' texts and the total's."""
    texts = [count_text(n) for n in parts]
    total_text = count_text(total)
    hidden_at = [i for i, n in enumerate(parts) if hidden(n)]
    if len(hidden_at) != 1 or total_text == HIDDEN:
        return texts, total_text
    others = sorted((n, i) for i, n in enumerate(parts) if i not in hidden_at and n > 0)
    if others:
        texts[others[0][1]] = SECONDARY
    else:
        total_text = SECONDARY
    return texts, total_text


def mean_text(mean: float | None) -> str:
    """A mean on the 1–4 scale with one decimal, or "–" when not given."""
    return NONE if mean is None else f"{mean:.1f}"
