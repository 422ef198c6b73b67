"""A meeting's steps: the "## Title {#id}" headings after the front matter, their
"key: value" lines and their "### Guide", "### Consigne" and "### Sondage" sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.vocabulary import (
    BOARD_TYPES,
    INTERVIEW_FORM_SECTIONS,
    PORTFOLIO_SECTIONS,
    STEP_KINDS,
    STEP_VISIBILITIES,
)
from app.vocabulary.boards import BOARDS, COMPETENCE_CATEGORIES, PHASES

from .model import Step
from .problems import FileProblems, known

STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
STEP_HEADING = re.compile(r"^(?P<title>.*?)[ \t]*\{#(?P<id>[^}]*)\}$")
KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
DURATION = re.compile(r"^(\d+)[ \t]*(?:min|minutes)?$")
LIST_ITEM = re.compile(r"^[ \t]*[-*][ \t]+(?P<text>.+?)[ \t]*$")

STEP_KEYS = ("duration", "board", "feeds", "form", "category", "phase", "kind", "visibility")
REQUIRED_STEP_KEYS = ("duration", "board")
SECTION_NAMES = {
    "guide": ("guide", "guide du tuteur", "tutor guide"),
    "prompt": ("consigne", "prompt", "participant prompt"),
    "poll": ("sondage", "poll", "poll options"),
}
POLL_OPTIONS = (2, 8)

STEP_HELP = 'each step starts with a heading like "## Welcome {#welcome}"'
SECTION_HELP = (
    'use "### Guide" (or "### Guide du tuteur", "### Tutor guide"), "### Consigne" '
    '(or "### Prompt", "### Participant prompt") and, for a poll, "### Sondage" (or '
    '"### Poll"); use "####" for smaller headings'
)
ID_RULE = 'must use only lower case letters, digits and dashes, like "group-rules"'
KEY_HELP = f'expected a "key: value" line ({", ".join(STEP_KEYS)}) or a "### Guide" heading'


def read_steps(
    problems: FileProblems,
    lines: list[str],
    body: int,
    *,
    interview: bool,
    guides_required: bool = True,
) -> list[Step]:
    """The steps written from line index `body` on; those with a problem are left out.
    A language only participants read may leave a step's guide out (`guides_required`
    false): see app.workshops.translations.with_reference_guides."""
    return _StepReader(problems, interview, guides_required).read(lines, body)


@dataclass
class _Draft:  # a step while its lines are being read
    id: str | None
    title: str
    line: int
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)
    section: str | None = None
    section_lines: dict[str, int] = field(default_factory=dict)


class _StepReader:
    def __init__(self, problems: FileProblems, interview: bool, guides_required: bool) -> None:
        self.problems = problems
        self.interview = interview  # an interview's steps fill in a form, on no board
        # A language only participants read (Arabic, Spanish) translates the prompts; the
        # tutors keep the French guide, so a volunteer translator has a tenth of the work.
        self.guide_required = guides_required

    def problem(self, line: int | None, text: str) -> None:
        self.problems.problem(line, text)

    def read(self, lines: list[str], body: int) -> list[Step]:
        drafts: list[_Draft] = []
        in_fence = False
        for index in range(body, len(lines)):
            number, line = index + 1, lines[index]
            if FENCE.match(line):
                in_fence = not in_fence
            heading = None if in_fence else HEADING.match(line)
            current = drafts[-1] if drafts else None
            if heading:
                level, text = len(heading[1]), (heading[2] or "")
                if level == 2:
                    drafts.append(self.start_step(text, number, drafts))
                    continue
                if level == 3 and current is not None:
                    self.start_section(current, text, number)
                    continue
                if level == 1 and "{#" in text:
                    self.problem(number, f'a step heading starts with two "#": "## {text}"')
                    continue
            if current is None:
                continue  # text before the first step is a note for human readers
            if current.section is not None:
                current.sections[current.section].append(line)
            elif line.strip():
                self.key_line(current, line, number)
        if not drafts:
            self.problem(min(body + 1, len(lines)), f"the meeting has no steps: {STEP_HELP}")
        return [step for step in map(self.finish_step, drafts) if step is not None]

    def start_step(self, text: str, number: int, earlier: list[_Draft]) -> _Draft:
        match = STEP_HEADING.match(text.strip())
        if not match:
            self.problem(number, f'the step heading "## {text}" has no id at the end: {STEP_HELP}')
            return _Draft(None, text.strip(), number)
        step_id, title = match["id"].strip(), match["title"].strip()
        if not STEP_ID.match(step_id):
            self.problem(number, f'step id "{step_id}" {ID_RULE}')
        if not title:
            self.problem(number, f'the step "{step_id}" has no title before its id')
        first = next((d.line for d in earlier if d.id == step_id), None)
        if first is not None:
            self.problem(number, f'step id "{step_id}" is used twice (first on line {first})')
        return _Draft(step_id, title, number)

    def start_section(self, draft: _Draft, text: str, number: int) -> None:
        name = " ".join(text.lower().rstrip(" :").split())
        role = next((r for r, names in SECTION_NAMES.items() if name in names), None)
        if role is None:
            self.problem(number, f'unknown section "### {text}": {SECTION_HELP}')
        elif role in draft.sections:
            self.problem(number, f'the step "{draft.id}" already has a {role} section')
        if role is None or draft.sections.get(role) is not None:
            role = f"ignored:{number}"  # read its lines as text, so they raise no more errors
        draft.section = role
        draft.sections[role] = []
        draft.section_lines[role] = number

    def key_line(self, draft: _Draft, line: str, number: int) -> None:
        match = KEY_LINE.match(line)
        if not match:
            return self.problem(number, KEY_HELP)
        key, value = match["key"], match["value"]
        if key not in STEP_KEYS:
            self.problem(number, f'unknown key "{key}" {known(key, STEP_KEYS)}')
        elif key in draft.keys:
            self.problem(number, f'"{key}" is given twice (first on line {draft.keys[key][1]})')
        else:
            draft.keys[key] = (value, number)

    def finish_step(self, draft: _Draft) -> Step | None:
        before, name = len(self.problems.errors), draft.id or draft.title
        for key in REQUIRED_STEP_KEYS:
            if key not in draft.keys:
                self.problem(draft.line, f'the step "{name}" has no "{key}:" line')
        value, line = draft.keys.get("duration", ("0", 0))
        match = DURATION.match(value)
        duration = int(match[1]) if match else 0
        if line and duration <= 0:
            self.problem(line, f'duration must be minutes above 0, like "15", not "{value}"')
        board, line = draft.keys.get("board", ("none", 0))
        if board not in BOARD_TYPES:
            self.problem(line, f'unknown board type "{board}" {known(board, BOARD_TYPES)}')
        feeds, line = draft.keys.get("feeds", ("none", 0))
        if feeds not in ("", "none", *PORTFOLIO_SECTIONS):
            near = known(feeds, ("none", *PORTFOLIO_SECTIONS))
            self.problem(line, f'unknown portfolio section "{feeds}" {near}')
        if board in BOARDS and BOARDS[board].private and feeds not in ("", "none"):
            self.problem(
                line,
                f'a "{board}" board is seen by its author alone and feeds no portfolio section: '
                'write "feeds: none"',
            )
        if board in BOARDS and BOARDS[board].collective and feeds not in ("", "none"):
            self.problem(
                line,
                f'a "{board}" board belongs to the group, not to one person: write "feeds: none"',
            )
        form = self.form(draft, board, name)
        category = self.category(draft, board)
        phase = self.phase(draft, board, name)
        options = self.poll_options(draft, board, name)
        kind = self.kind(draft, board, feeds, name)
        visibility = self.visibility(draft, board, name)
        guide = _trim(draft.sections.get("guide", []))
        if not guide and (self.guide_required or "guide" in draft.sections):
            self.problem(draft.line, f'the step "{name}" has no "### Guide" section or it is empty')
        if draft.id is None or len(self.problems.errors) > before:
            return None
        feeds = feeds if feeds not in ("", "none") else None
        prompt = _trim(draft.sections.get("prompt", []))
        return Step(
            draft.id,
            draft.title,
            duration,
            board,
            feeds,
            guide,
            prompt,
            draft.line,
            form,
            options,
            category,
            phase,
            kind,
            visibility,
        )

    def kind(self, draft: _Draft, board: str, feeds: str, name: str) -> str:
        """A break is a pause the timer runs: no board, nothing to feed."""
        value, line = draft.keys.get("kind", ("activity", 0))
        if value not in STEP_KINDS:
            self.problem(line, f'unknown step kind "{value}" {known(value, STEP_KINDS)}')
            return "activity"
        if value == "break" and (board != "none" or feeds not in ("", "none")):
            self.problem(
                line,
                f'the step "{name}" is a break: write "board: none" and "feeds: none" '
                "(a break opens no board and feeds nothing)",
            )
        return value

    def visibility(self, draft: _Draft, board: str, name: str) -> str:
        """Cards that tell a personal story can start hidden (each author shows theirs);
        cards people write unseen wait for the tutor to show them ("later")."""
        value, line = draft.keys.get("visibility", ("room", 0))
        if value not in STEP_VISIBILITIES:
            self.problem(line, f'unknown visibility "{value}" {known(value, STEP_VISIBILITIES)}')
            return "room"
        kind = BOARDS.get(board)
        if value == "hidden" and (
            kind is None or not kind.accepts_cards or kind.private or kind.collective
        ):
            self.problem(
                line,
                f'"visibility: hidden" is for a board of personal cards (timeline, '
                f'experiences, competences…); the step "{name}" opens "{board}"',
            )
        elif value == "later" and (kind is None or not kind.accepts_cards or kind.private):
            self.problem(
                line,
                f'"visibility: later" is for a board the group reads once the tutor shows '
                f'the cards; the step "{name}" opens "{board}"',
            )
        return value

    def form(self, draft: _Draft, board: str, name: str) -> str | None:
        """An interview step names the part of the form it fills in; no other step does."""
        value, line = draft.keys.get("form", ("none", 0))
        if line and not self.interview:
            self.problem(line, '"form:" is only for a meeting with "kind: interview"')
        elif value not in ("none", *INTERVIEW_FORM_SECTIONS):
            near = known(value, ("none", *INTERVIEW_FORM_SECTIONS))
            self.problem(line, f'unknown form part "{value}" {near}')
        if self.interview and board != "none":
            where = draft.keys.get("board", ("", draft.line))[1]
            self.problem(
                where,
                f'the step "{name}" opens a "{board}" board, but an interview has no shared '
                'board: write "board: none" and a "form:" line',
            )
        return value if self.interview and value != "none" else None

    def category(self, draft: _Draft, board: str) -> str | None:
        """A competences step may start its cards on one category; the person can change it."""
        value, line = draft.keys.get("category", ("none", 0))
        if not line or value == "none":
            return None
        has_categories = board in BOARDS and any(f.name == "category" for f in BOARDS[board].fields)
        if not has_categories:
            self.problem(
                line,
                f'"category:" is only for a step whose cards have a category, like a '
                f'"competences" board; this step\'s board is "{board}"',
            )
        elif value not in COMPETENCE_CATEGORIES:
            near = known(value, ("none", *COMPETENCE_CATEGORIES))
            self.problem(line, f'unknown competence category "{value}" {near}')
        return value

    def phase(self, draft: _Draft, board: str, name: str) -> str | None:
        """A self-assessment says when in the cycle it is taken: "before" or "after"."""
        value, line = draft.keys.get("phase", ("", 0))
        has_phase = board in BOARDS and BOARDS[board].phased
        if not has_phase:
            if line:
                self.problem(
                    line, f'"phase:" is only for a "self_assessment" step; this one is "{board}"'
                )
            return None
        if value not in PHASES:
            where = line or draft.keys.get("board", ("", draft.line))[1]
            self.problem(
                where,
                f'the step "{name}" needs a "phase:" line, "phase: before" (early in the cycle) '
                'or "phase: after" (at its end)' + (f', not "{value}"' if value else ""),
            )
            return None
        return value

    def poll_options(self, draft: _Draft, board: str, name: str) -> tuple[str, ...]:
        """A poll step lists its choices under "### Sondage", one "- " line each."""
        lines = draft.sections.get("poll")
        is_poll = board in BOARDS and BOARDS[board].poll
        if lines is None:
            if is_poll:
                self.problem(
                    draft.line,
                    f'the poll step "{name}" has no "### Sondage" section listing its choices, '
                    'one per line starting with "- "',
                )
            return ()
        if not is_poll:
            self.problem(
                draft.line,
                f'the step "{name}" has a "### Sondage" but its board is '
                f'"{board}": write "board: poll" or remove the section',
            )
            return ()
        options = []
        for offset, line in enumerate(lines):
            if not line.strip():
                continue
            match = LIST_ITEM.match(line)
            if match is None:
                at = draft.section_lines.get("poll", draft.line) + offset + 1
                self.problem(at, 'a poll lists only its choices, each line starting with "- "')
                return ()
            options.append(match["text"])
        low, high = POLL_OPTIONS
        if not low <= len(options) <= high:
            self.problem(
                draft.section_lines.get("poll", draft.line),
                f'the poll of step "{name}" has {len(options)} choices: give {low} to {high}',
            )
        return tuple(options)


def _trim(lines: list[str]) -> str:
    """Drop the blank lines around a section; keep the rest exactly as written."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(line.rstrip() for line in lines)
