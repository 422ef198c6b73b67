"""A meeting's front matter: the YAML between two "---" lines at the top of its file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from .model import MeetingKind
from .problems import QUOTE_HELP, FileProblems, is_int, is_text, known

KINDS: tuple[MeetingKind, ...] = tuple(MeetingKind)

FRONT_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "number": (
        lambda v: (is_int(v) and v >= 0) or (is_text(v) and len(v.strip()) <= 4),
        "must be a whole number (0, 1, 2…) or a short label like F",
    ),
    "title": (lambda v: is_text(v), "must be some text"),
    "duration_minutes": (lambda v: is_int(v) and v > 0, "must be minutes above 0, like 120"),
    "objectives": (
        lambda v: isinstance(v, list) and bool(v) and all(map(is_text, v)),
        'must be a list of sentences, each on its own line starting with "- "',
    ),
}
OPTIONAL_FRONT_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "order": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
        "must be a number giving the meeting's place in the cycle, like 5.5",
    ),
    "kind": (lambda v: v in KINDS, f"must be one of {', '.join(KINDS)}"),
    "optional": (lambda v: isinstance(v, bool), "must be yes or no"),
}

NO_FRONT_MATTER = (
    'no front matter: the file must start with a line "---", then number, '
    'title, duration_minutes and objectives, then another line "---"'
)


def read_front_matter(
    problems: FileProblems, lines: list[str]
) -> tuple[dict[Any, Any] | None, int]:
    """Return the front matter and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        problems.problem(1, NO_FRONT_MATTER)
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.problem(1, 'the front matter is not closed: add a line "---" after it')
        return None, 0
    text = "\n".join(lines[1:end])
    try:
        # compose() keeps line numbers, safe_load() gives the values.
        node, data = yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 2 if mark else 1
        problems.problem(line, f"the front matter is not valid: {problem} ({QUOTE_HELP})")
        return None, end + 1
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        problems.problem(2, 'the front matter must be "key: value" lines')
        return None, end + 1
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2  # 1-based, after the opening "---"
        if key_node.value in problems.key_lines:
            problems.problem(line, f'"{key_node.value}" is given twice in the front matter')
        problems.key_lines.setdefault(key_node.value, line)
        if isinstance(value_node, yaml.SequenceNode):
            # French puts a space before ":", which YAML reads as "key: value" in a list.
            for item in value_node.value:
                if isinstance(item, yaml.MappingNode):
                    problems.reported.add(key_node.value)
                    line = item.start_mark.line + 2
                    problems.problem(line, f'this item reads as "key: value" ({QUOTE_HELP})')
    return data, end + 1


def meeting_fields(problems: FileProblems, data: dict[Any, Any]) -> dict[str, Any]:
    """The meeting's fields from its front matter, or only a zero duration if it is wrong."""
    all_rules = {**FRONT_RULES, **OPTIONAL_FRONT_RULES}
    for key in data:
        if key not in all_rules:
            near = known(str(key), tuple(all_rules))
            problems.problem(problems.key_lines.get(str(key), 2), f'unknown key "{key}" {near}')
    for key, (valid, rule) in all_rules.items():
        if key not in data:
            if key in FRONT_RULES:
                problems.problem(1, f'the front matter has no "{key}"')
        elif not valid(data[key]) and key not in problems.reported:
            problems.problem(problems.key_lines[key], f'"{key}" {rule}, not "{data[key]}"')
    number = data.get("number")
    if isinstance(number, str) and "order" not in data:
        problems.problem(
            problems.key_lines.get("number", 1),
            f'"number: {number}" is a label, so the meeting needs an "order:" line giving '
            "its place in the cycle, like order: 5.5 (between meetings 5 and 6)",
        )
    valid_all = all(key not in data or valid(data[key]) for key, (valid, _) in all_rules.items())
    if not valid_all or not all(key in data for key in FRONT_RULES) or problems.errors:
        return {"duration_minutes": 0}
    objectives = tuple(o.strip() for o in data["objectives"])
    number = number.strip() if isinstance(number, str) else number
    return {
        **data,
        "number": number,
        "order": float(data.get("order", number if isinstance(number, int) else 0)),
        "kind": MeetingKind(data.get("kind", MeetingKind.WORKSHOP)),
        "optional": bool(data.get("optional", False)),
        "title": data["title"].strip(),
        "objectives": objectives,
    }
