"""A session's summary (app.live.summary) written out: Markdown to read, CSV for a
spreadsheet. Pure: what goes in is the summary, already in the reader's words."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from app.live.summary import CardSummary, GroupSummary, SessionSummary, StepSummary, Words

# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...)),
# or as the start of one: such a cell is given a leading apostrophe, which keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")


# -- Markdown ---------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text as Markdown that reads as written: no heading, list, link or HTML of its own."""
    lines = []
    for line in text.splitlines() or [""]:
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(
            lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), line
        )
        lines.append(line)
    # A backslash at a line's end is a hard line break: a card's lines stay lines.
    return "\\\n  ".join(lines)


def card_facts(card: CardSummary, words: Words) -> list[str]:
    """Who wrote a card and what the room made of it, as the board's foot shows them."""
    facts = []
    if card.author:
        facts.append(card.author)
    elif card.anonymous:
        facts.append(words.anonymous)
    if card.typed_by_tutor:
        facts.append(words.typed_by_tutor)
    if card.votes is not None:
        facts.append(words.count_votes(card.votes))
    if card.agree is not None and card.disagree is not None:
        facts.append(words.count_stances(card.agree, card.disagree))
    return facts


def _md_card(card: CardSummary, words: Words) -> list[str]:
    line = f"- {_md(card.text)}"
    facts = [_md(fact) for fact in card_facts(card, words)]
    if card.adopted:
        facts.append(f"**{_md(words.adopted_rule)}**")
    if facts:
        line += " — " + " · ".join(facts)
    return [line, *(f"  - {_md(detail)}" for detail in card.details)]


def to_markdown(summary: SessionSummary) -> str:
    """The summary as a Markdown document, step after step."""
    words = summary.words
    out = [f"# {_md(summary.title)}", "", _md(summary.about), ""]
    for step in summary.steps:
        out += [f"## {_md(step.title)}", ""]
        if step.empty:
            out += [f"*{_md(words.no_cards)}*", ""]
            continue
        for choice in step.poll:
            out.append(f"- {_md(choice.words)}: {_md(words.count_votes(choice.votes))}")
        if step.poll:
            out.append("")
            continue
        if step.answers:
            out += [f"*{_md(words.confidence)}*", ""]
        for choice in step.answers:
            out.append(f"- {_md(choice.words)}: {_md(words.count_answers(choice.votes))}")
        if step.answers:
            out.append("")
        if step.voted:
            out += [f"*{_md(words.by_votes)}*", ""]
        for group in step.groups:
            heading = _md(group.title)
            if group.votes is not None:
                heading += f" — {_md(words.count_votes(group.votes))}"
            out += [f"### {heading}", ""]
            for card in group.cards:
                out += _md_card(card, words)
            if group.cards:
                out.append("")
        if step.cards:
            if step.groups:
                out += [f"### {_md(words.no_group)}", ""]
            for card in step.cards:
                out += _md_card(card, words)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- CSV --------------------------------------------------------------------------------


def safe_cell(value: str | int | None) -> str | int:
    """A cell a spreadsheet shows as written: never run as a formula."""
    if value is None:
        return ""
    # Spreadsheets skip leading spaces and read full-width signs as their ASCII twins.
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS)
        or unicodedata.normalize("NFKC", value).lstrip().startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def to_csv(summary: SessionSummary) -> str:
    """One row per card (a group's votes beside each of its cards) and per poll choice,
    with a byte order mark so that Excel reads the accents right; every text cell guarded
    against formulas."""
    words = summary.words
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = (words.step, words.group, words.group_votes, words.card, words.details)
    counts = (words.author, words.votes, words.agree, words.disagree, words.adopted)
    writer.writerow([safe_cell(cell) for cell in (*header, *counts)])

    def row(step: StepSummary, group: GroupSummary | None, card: CardSummary) -> None:
        where = (group.title, group.votes) if group is not None else ("", None)
        author = card.author or (words.anonymous if card.anonymous else "")
        adopted = words.yes if card.adopted else ""
        cells = (step.title, *where, card.text, "\n".join(card.details), author)
        writer.writerow(
            [safe_cell(c) for c in (*cells, card.votes, card.agree, card.disagree, adopted)]
        )

    for step in summary.steps:
        for group in step.groups:
            for card in group.cards:
                row(step, group, card)
        for card in step.cards:
            row(step, None, card)
        for choice in step.poll:
            cells = (step.title, "", None, choice.words, "", "", choice.votes, None, None, None)
            writer.writerow([safe_cell(cell) for cell in cells])
        for choice in step.answers:  # grouped under their question: how many gave each
            counted = words.count_answers(choice.votes)
            cells = (step.title, words.confidence, None, choice.words, counted, "", None)
            writer.writerow([safe_cell(cell) for cell in (*cells, None, None, None)])
    return "\ufeff" + buffer.getvalue()
