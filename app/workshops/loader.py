"""Read the workshop scripts in ``workshops/`` and say precisely what is wrong with them.

The files are edited by people at the association, not by programmers: every problem
names the file and the line, all problems of a load are reported together, and nothing
unexpected is silently ignored (a typo in a key is an error, not a default).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.vocabulary import BOARD_TYPES, INTERVIEW_FORM_SECTIONS, PORTFOLIO_SECTIONS
from app.vocabulary.boards import BOARDS, COMPETENCE_CATEGORIES

from .model import (
    MEETING_KINDS,
    REFERENCE_LOCALE,
    Meeting,
    Script,
    ScriptError,
    ScriptErrors,
    Step,
)

FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)\.(?P<locale>[a-z]{2,3})\.md$")
STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
STEP_HEADING = re.compile(r"^(?P<title>.*?)[ \t]*\{#(?P<id>[^}]*)\}$")
KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
DURATION = re.compile(r"^(\d+)[ \t]*(?:min|minutes)?$")

FRONT_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "number": (
        lambda v: (_is_int(v) and v >= 0) or (_is_text(v) and len(v.strip()) <= 4),
        "must be a whole number (0, 1, 2…) or a short label like F",
    ),
    "title": (lambda v: _is_text(v), "must be some text"),
    "duration_minutes": (lambda v: _is_int(v) and v > 0, "must be minutes above 0, like 120"),
    "objectives": (
        lambda v: isinstance(v, list) and bool(v) and all(map(_is_text, v)),
        'must be a list of sentences, each on its own line starting with "- "',
    ),
}
OPTIONAL_FRONT_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "order": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
        "must be a number giving the meeting's place in the cycle, like 5.5",
    ),
    "kind": (lambda v: v in MEETING_KINDS, f"must be one of {', '.join(MEETING_KINDS)}"),
}
STEP_KEYS = ("duration", "board", "feeds", "form", "category")
REQUIRED_STEP_KEYS = ("duration", "board")
SECTION_NAMES = {
    "guide": ("guide", "guide du tuteur", "tutor guide"),
    "prompt": ("consigne", "prompt", "participant prompt"),
    "poll": ("sondage", "poll", "poll options"),
}
LIST_ITEM = re.compile(r"^[ \t]*[-*][ \t]+(?P<text>.+?)[ \t]*$")
POLL_OPTIONS = (2, 8)

NO_FRONT_MATTER = (
    'no front matter: the file must start with a line "---", then number, '
    'title, duration_minutes and objectives, then another line "---"'
)
BAD_FILE_NAME = (
    "file name not understood: expected <slug>.<language>.md, like "
    "w1-presentation.fr.md (lower case letters, digits and dashes)"
)
STEP_HELP = 'each step starts with a heading like "## Welcome {#welcome}"'
SECTION_HELP = (
    'use "### Guide" (or "### Guide du tuteur", "### Tutor guide"), "### Consigne" '
    '(or "### Prompt", "### Participant prompt") and, for a poll, "### Sondage" (or '
    '"### Poll"); use "####" for smaller headings'
)
QUOTE_HELP = (
    'text with ": " or starting with a quote, "[" or "#" goes between double quotes,'
    ' like title: "Atelier 1 : présentation"'
)
NO_SCRIPT = "no workshop script found (expected files like w1-presentation.fr.md)"
NO_REFERENCE = 'no French reference "{}": every meeting is written in French first, then translated'
ID_RULE = 'must use only lower case letters, digits and dashes, like "group-rules"'
KEY_HELP = (
    'expected a "key: value" line (duration, board, feeds, form, category) or a "### Guide" heading'
)


def load_pinned(slug: str, sources: dict[str, str]) -> dict[str, Meeting]:
    """A meeting as it was when a session started, from the file texts stored with it."""
    meetings: dict[str, Meeting] = {}
    errors: list[ScriptError] = []
    for locale, source in sources.items():
        file = _FileParser(f"{slug}.{locale}.md (stored)", slug, locale)
        file.parse_text(source)
        errors.extend(file.errors)
        if file.meeting is not None:
            meetings[locale] = file.meeting
    if errors or REFERENCE_LOCALE not in meetings:
        raise ScriptErrors(errors or [ScriptError(slug, None, "no French text stored")])
    return meetings


def load_script(directory: Path, locales: tuple[str, ...] = ("fr", "en")) -> Script:
    """Load and validate every ``<slug>.<locale>.md`` in ``directory``.

    French is always loaded: it is the reference every translation is checked against.
    Files in a language not listed in ``locales`` are skipped, so that a translation in
    progress does not stop a server configured without that language.
    Raises ``ScriptErrors`` listing every problem found.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ScriptErrors([ScriptError(str(directory), None, "workshop folder not found")])
    wanted = {REFERENCE_LOCALE, *locales}
    errors: list[ScriptError] = []
    files: dict[str, dict[str, _FileParser]] = {}
    for path in sorted(directory.glob("*.md")):
        shown = f"{directory.name}/{path.name}"
        match = FILE_NAME.match(path.name)
        if path.name.lower() == "readme.md" or (match and match["locale"] not in wanted):
            continue
        if not match:
            errors.append(ScriptError(shown, None, BAD_FILE_NAME))
            continue
        file = _FileParser(shown, match["slug"], match["locale"])
        file.parse(path)
        files.setdefault(match["slug"], {})[match["locale"]] = file
        errors.extend(file.errors)

    for slug, by_locale in files.items():
        reference = by_locale.get(REFERENCE_LOCALE)
        for locale, file in by_locale.items():
            if reference is None:
                shown = f"{directory.name}/{slug}.{REFERENCE_LOCALE}.md"
                errors.append(ScriptError(file.shown, None, NO_REFERENCE.format(shown)))
            elif locale != REFERENCE_LOCALE and reference.meeting and file.meeting:
                errors.extend(file.compare(reference.meeting))
    if not files and not errors:
        errors.append(ScriptError(str(directory), None, NO_SCRIPT))
    if errors:
        raise ScriptErrors(errors)
    return Script(
        {
            slug: {loc: f.meeting for loc, f in by_loc.items() if f.meeting}
            for slug, by_loc in files.items()
        }
    )


@dataclass
class _Draft:  # a step while its lines are being read
    id: str | None
    title: str
    line: int
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)
    section: str | None = None
    section_lines: dict[str, int] = field(default_factory=dict)


class _FileParser:
    """Parses one file, collecting its problems instead of stopping at the first."""

    def __init__(self, shown: str, slug: str, locale: str) -> None:
        self.shown, self.slug, self.locale = shown, slug, locale
        self.errors: list[ScriptError] = []
        self.key_lines: dict[str, int] = {}
        self.reported: set[str] = set()  # keys whose problem was already told in more detail
        self.meeting: Meeting | None = None
        self.kind = MEETING_KINDS[0]

    def problem(self, line: int | None, text: str) -> None:
        self.errors.append(ScriptError(self.shown, line, text))

    def parse(self, path: Path) -> None:
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return self.problem(None, "the file is not UTF-8 text: save it again as UTF-8")
        self.parse_text(source)

    def parse_text(self, source: str) -> None:
        lines = source.removeprefix("\ufeff").splitlines()  # Windows Notepad adds a BOM
        data, body = self.front_matter(lines)
        if not body:
            return  # without a closed front matter, where the steps start is a guess
        fields = self.meeting_fields(data) if data is not None else {"duration_minutes": 0}
        self.kind = (
            (data or {}).get("kind", MEETING_KINDS[0]) if isinstance(data, dict) else self.kind
        )
        steps = self.steps(lines, body)
        total, expected = sum(step.duration_minutes for step in steps), fields["duration_minutes"]
        if not self.errors and total != expected:
            self.problem(
                self.key_lines["duration_minutes"],
                f"the steps add up to {total} minutes but duration_minutes is {expected}: "
                "change a step's duration or the meeting's",
            )
        if not self.errors:
            fields.update(slug=self.slug, locale=self.locale, source=source, path=self.shown)
            self.meeting = Meeting(steps=tuple(steps), **fields)

    def front_matter(self, lines: list[str]) -> tuple[dict[Any, Any] | None, int]:
        """Return the front matter and the index of the first line after it."""
        if not lines or lines[0].strip() != "---":
            self.problem(1, NO_FRONT_MATTER)
            return None, 0
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            self.problem(1, 'the front matter is not closed: add a line "---" after it')
            return None, 0
        text = "\n".join(lines[1:end])
        try:
            # compose() keeps line numbers, safe_load() gives the values.
            node, data = yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            line = mark.line + 2 if mark else 1
            self.problem(line, f"the front matter is not valid: {problem} ({QUOTE_HELP})")
            return None, end + 1
        if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
            self.problem(2, 'the front matter must be "key: value" lines')
            return None, end + 1
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2  # 1-based, after the opening "---"
            if key_node.value in self.key_lines:
                self.problem(line, f'"{key_node.value}" is given twice in the front matter')
            self.key_lines.setdefault(key_node.value, line)
            if isinstance(value_node, yaml.SequenceNode):
                # French puts a space before ":", which YAML reads as "key: value" in a list.
                for item in value_node.value:
                    if isinstance(item, yaml.MappingNode):
                        self.reported.add(key_node.value)
                        line = item.start_mark.line + 2
                        self.problem(line, f'this item reads as "key: value" ({QUOTE_HELP})')
        return data, end + 1

    def meeting_fields(self, data: dict[Any, Any]) -> dict[str, Any]:
        all_rules = {**FRONT_RULES, **OPTIONAL_FRONT_RULES}
        for key in data:
            if key not in all_rules:
                known = _known(str(key), tuple(all_rules))
                self.problem(self.key_lines.get(str(key), 2), f'unknown key "{key}" {known}')
        for key, (valid, rule) in all_rules.items():
            if key not in data:
                if key in FRONT_RULES:
                    self.problem(1, f'the front matter has no "{key}"')
            elif not valid(data[key]) and key not in self.reported:
                self.problem(self.key_lines[key], f'"{key}" {rule}, not "{data[key]}"')
        number = data.get("number")
        if isinstance(number, str) and "order" not in data:
            self.problem(
                self.key_lines.get("number", 1),
                f'"number: {number}" is a label, so the meeting needs an "order:" line giving '
                "its place in the cycle, like order: 5.5 (between meetings 5 and 6)",
            )
        valid_all = all(
            key not in data or valid(data[key]) for key, (valid, _) in all_rules.items()
        )
        if not valid_all or not all(key in data for key in FRONT_RULES) or self.errors:
            return {"duration_minutes": 0}
        objectives = tuple(o.strip() for o in data["objectives"])
        number = number.strip() if isinstance(number, str) else number
        return {
            **data,
            "number": number,
            "order": float(data.get("order", number if isinstance(number, int) else 0)),
            "kind": data.get("kind", MEETING_KINDS[0]),
            "title": data["title"].strip(),
            "objectives": objectives,
        }

    def steps(self, lines: list[str], body: int) -> list[Step]:
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
            self.problem(number, f'unknown key "{key}" {_known(key, STEP_KEYS)}')
        elif key in draft.keys:
            self.problem(number, f'"{key}" is given twice (first on line {draft.keys[key][1]})')
        else:
            draft.keys[key] = (value, number)

    def finish_step(self, draft: _Draft) -> Step | None:
        before, name = len(self.errors), draft.id or draft.title
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
            self.problem(line, f'unknown board type "{board}" {_known(board, BOARD_TYPES)}')
        feeds, line = draft.keys.get("feeds", ("none", 0))
        if feeds not in ("", "none", *PORTFOLIO_SECTIONS):
            known = _known(feeds, ("none", *PORTFOLIO_SECTIONS))
            self.problem(line, f'unknown portfolio section "{feeds}" {known}')
        if board in BOARDS and BOARDS[board].collective and feeds not in ("", "none"):
            self.problem(
                line,
                f'a "{board}" board belongs to the group, not to one person: write "feeds: none"',
            )
        form = self.form(draft, board, name)
        category = self.category(draft, board)
        options = self.poll_options(draft, board, name)
        guide = _trim(draft.sections.get("guide", []))
        if not guide:
            self.problem(draft.line, f'the step "{name}" has no "### Guide" section or it is empty')
        if draft.id is None or len(self.errors) > before:
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
        )

    def form(self, draft: _Draft, board: str, name: str) -> str | None:
        """An interview step names the part of the form it fills in; no other step does."""
        value, line = draft.keys.get("form", ("none", 0))
        interview = self.kind == MEETING_KINDS[1]
        if line and not interview:
            self.problem(line, '"form:" is only for a meeting with "kind: interview"')
        elif value not in ("none", *INTERVIEW_FORM_SECTIONS):
            known = _known(value, ("none", *INTERVIEW_FORM_SECTIONS))
            self.problem(line, f'unknown form part "{value}" {known}')
        if interview and board != "none":
            where = draft.keys.get("board", ("", draft.line))[1]
            self.problem(
                where,
                f'the step "{name}" opens a "{board}" board, but an interview has no shared '
                'board: write "board: none" and a "form:" line',
            )
        return value if interview and value != "none" else None

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
            known = _known(value, ("none", *COMPETENCE_CATEGORIES))
            self.problem(line, f'unknown competence category "{value}" {known}')
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

    def compare(self, ref: Meeting) -> list[ScriptError]:
        """A translation has the same structure as the French reference: only words differ."""
        mine, before = self.meeting, len(self.errors)
        assert mine is not None
        if mine.number != ref.number:
            says = f"the French reference {ref.path} says {ref.number}"
            self.problem(self.key_lines.get("number"), f"number is {mine.number} but {says}")
        if mine.step_ids() != ref.step_ids():
            pairs = zip(mine.step_ids(), ref.step_ids(), strict=False)
            at = next((i for i, (a, b) in enumerate(pairs) if a != b), len(ref.steps))
            expected, found = ", ".join(ref.step_ids()), ", ".join(mine.step_ids())
            self.problem(
                mine.steps[min(at, len(mine.steps) - 1)].line,
                f"the steps differ from the French reference {ref.path}: "
                f"expected {expected}; found {found}",
            )
            return self.errors[before:]
        for name in ("order", "kind"):
            if (value := getattr(mine, name)) != (expected := getattr(ref, name)):
                says = f"the French reference {ref.path} says {expected}"
                self.problem(self.key_lines.get(name, 1), f"{name} is {value} but {says}")
        for theirs, step in zip(ref.steps, mine.steps, strict=True):
            if len(step.poll_options) != len(theirs.poll_options):
                self.problem(
                    step.line,
                    f'step "{step.id}": the poll has {len(step.poll_options)} choices but the '
                    f"French reference has {len(theirs.poll_options)}",
                )
            for name in ("duration_minutes", "board", "feeds", "form", "category"):
                if (value := getattr(step, name)) != (expected := getattr(theirs, name)):
                    says = f'the French reference says "{expected or "none"}"'
                    problem = f'step "{step.id}": {name} is "{value or "none"}" but {says}'
                    self.problem(step.line, problem)
        return self.errors[before:]


def _known(value: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"(known: {', '.join(known)}){hint}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _trim(lines: list[str]) -> str:
    """Drop the blank lines around a section; keep the rest exactly as written."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(line.rstrip() for line in lines)
