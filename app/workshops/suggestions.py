"""Competence names participants can pick from when they write a competence card.

Many participants find it hard to name, in French, what they know how to do; a list of
names in their language helps them start, and keeps the cards of a group comparable. The
list lives in ``workshops/competences.yaml`` so that association staff can edit it without
programming: like the workshop scripts, a broken file names every problem with its line
and says what to write, and nothing unexpected (a misspelt key) is silently ignored.

A suggestion may name its skill in ESCO, the European skills classification (`esco:`, the
skill's address): a card picked from the list keeps it, so the competence reads the same
in another country's terms. Only an address the list gives is taken (`checked_esco`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.vocabulary.boards import COMPETENCE_CATEGORIES, ESCO_SKILL, FieldRefused

from .model import REFERENCE_LOCALE, ScriptError, ScriptErrors
from .problems import known

LOCALES = (REFERENCE_LOCALE, "en")
# Languages only participants read: a name missing in one is shown in French.
PARTICIPANT_LOCALES = ("ar", "es")
REQUIRED = ("category", *LOCALES)
KEYS = (*REQUIRED, *PARTICIPANT_LOCALES, "esco", "europass")
# Europass lists digital skills and a driving licence apart from the other skills: a
# suggestion may say it is one of them, so the CV puts it in its place.
EUROPASS_GROUPS = ("digital", "driving")
TEXT = "tag:yaml.org,2002:str"
ENTRY_HELP = 'each entry starts with "- category: …", then "fr: …" and "en: …" lines'
QUOTE_HELP = 'a name with ": " or starting with a quote goes between double quotes'
ESCO_HELP = (
    '"esco" is the address of one ESCO skill, copied from the ESCO website, like'
    ' "http://data.europa.eu/esco/skill/" followed by its code (leave the line out if none fits)'
)


@dataclass(frozen=True)
class Suggestion:
    """One competence name, in every language of the file."""

    category: str
    names: dict[str, str] = field(hash=False)
    esco: str | None = None  # the matching ESCO skill's address, where one fits
    europass: str | None = None  # "digital" or "driving": a CV group of its own

    def name(self, locale: str) -> str:
        """The name in ``locale``, or in French when that language has none."""
        return self.names.get(locale) or self.names[REFERENCE_LOCALE]

    def is_named(self, name: str) -> bool:
        """Whether ``name`` is this suggestion's name in one of its languages."""
        said = _folded(name)
        return any(_folded(known) == said for known in self.names.values())


def _folded(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def esco_of(suggestions: Iterable[Suggestion], name: Any) -> str | None:
    """The ESCO skill of the suggestion named ``name`` (in any language), or None: a
    competence written in the person's own words carries no ESCO skill."""
    if not isinstance(name, str):
        return None
    for suggestion in suggestions:
        if suggestion.esco and suggestion.is_named(name):
            return suggestion.esco
    return None


def checked_esco(suggestions: Iterable[Suggestion], fields: Mapping[str, Any]) -> None:
    """Refuse a competence card whose ESCO skill is not the one of the suggestion it is
    named after: a phone sends one only for a name picked from the list (and drops it
    when the name is changed), so anything else was not given by this list."""
    esco = fields.get("esco") if isinstance(fields, Mapping) else None
    if esco in (None, ""):
        return
    if esco_of(suggestions, fields.get("name")) != esco:
        raise FieldRefused("bad_field", "esco")


def load_suggestions(path: Path) -> tuple[Suggestion, ...]:
    """Load and check the suggestions file; raise ``ScriptErrors`` listing every problem."""
    path = Path(path)
    shown = f"{path.parent.name}/{path.name}"
    errors: list[ScriptError] = []

    def problem(at: yaml.Node | int | None, text: str) -> None:
        line = at.start_mark.line + 1 if isinstance(at, yaml.Node) else at
        errors.append(ScriptError(shown, line, text))

    try:
        root = yaml.compose(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    except FileNotFoundError:
        raise ScriptErrors([ScriptError(shown, None, "file not found")]) from None
    except UnicodeDecodeError:
        raise ScriptErrors([ScriptError(shown, None, "not UTF-8 text: save it as UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        text = f"not understood: {getattr(exc, 'problem', None) or exc} ({QUOTE_HELP})"
        raise ScriptErrors([ScriptError(shown, mark.line + 1 if mark else None, text)]) from None

    entries: yaml.Node | None = None
    if not isinstance(root, yaml.MappingNode):
        problem(root, 'the file must start with a line "competences:" followed by the entries')
    else:
        for key, value in root.value:
            if key.value == "competences":
                entries = value
            else:
                problem(key, f'unknown key "{key.value}": only "competences:" is expected here')
        if entries is None:
            problem(root, 'no "competences:" line: add it before the entries')
    if isinstance(entries, yaml.SequenceNode) and not entries.value:
        problem(entries, f"the list of competences is empty: {ENTRY_HELP}")
    elif entries is not None and not isinstance(entries, yaml.SequenceNode):
        problem(entries, f'"competences" must be a list: {ENTRY_HELP}')
        entries = None

    suggestions: list[Suggestion] = []
    first_seen: dict[tuple[str, str], int] = {}
    for entry in entries.value if entries is not None else []:
        if not isinstance(entry, yaml.MappingNode):
            problem(entry, f"this entry is not understood: {ENTRY_HELP}")
            continue
        before = len(errors)
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        for key, value in entry.value:
            name = str(key.value)
            lines.setdefault(name, key.start_mark.line + 1)
            if name not in KEYS:
                problem(key, f'unknown key "{name}" {known(name, KEYS)}')
            elif name in values:
                problem(key, f'"{name}" is given twice in this entry')
            elif not (isinstance(value, yaml.ScalarNode) and value.tag == TEXT and value.value):
                problem(key, f'"{name}" must be followed by some text, like "{name}: …"')
                values[name] = ""
            else:
                values[name] = " ".join(value.value.split())
        for name in REQUIRED:
            if name not in values:
                problem(entry, f'this entry has no "{name}:" line: add one ({ENTRY_HELP})')
        category = values.get("category", "")
        if category and category not in COMPETENCE_CATEGORIES:
            near = known(category, COMPETENCE_CATEGORIES)
            problem(lines["category"], f'unknown category "{category}" {near}')
        for locale in (*LOCALES, *PARTICIPANT_LOCALES):
            said = values.get(locale, "").casefold()
            if said and (locale, said) in first_seen:
                first = first_seen[locale, said]
                problem(lines[locale], f'"{values[locale]}" is already in the list (line {first})')
            elif said:
                first_seen[locale, said] = lines[locale]
        esco = values.get("esco")
        if esco and not ESCO_SKILL.match(esco):
            problem(lines["esco"], f'"{esco}" is not an ESCO skill\'s address: {ESCO_HELP}')
        europass = values.get("europass")
        if europass and europass not in EUROPASS_GROUPS:
            near = known(europass, EUROPASS_GROUPS)
            problem(lines["europass"], f'unknown Europass group "{europass}" {near}')
        if len(errors) == before:
            names = {
                loc: values[loc] for loc in (*LOCALES, *PARTICIPANT_LOCALES) if values.get(loc)
            }
            suggestions.append(Suggestion(category, names, esco or None, europass or None))
    if errors:
        raise ScriptErrors(errors)
    return tuple(suggestions)
