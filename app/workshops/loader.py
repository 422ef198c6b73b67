"""Read the workshop scripts in ``workshops/`` and say precisely what is wrong with them.

The files are edited by people at the association, not by programmers: every problem
names the file and the line, all problems of a load are reported together, and nothing
unexpected is silently ignored (a typo in a key is an error, not a default). A file is
read in three parts: its front matter (front_matter.py), its steps (steps.py), and, for
a translation, its structure against the French reference (translations.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from app.languages import STAFF_LANGUAGES

from .front_matter import meeting_fields, read_front_matter
from .model import REFERENCE_LOCALE, Meeting, MeetingKind, Script, ScriptError, ScriptErrors
from .problems import FileProblems
from .steps import read_steps
from .translations import compare, with_reference_guides

FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)\.(?P<locale>[a-z]{2,3})\.md$")

BAD_FILE_NAME = (
    "file name not understood: expected <slug>.<language>.md, like "
    "w1-presentation.fr.md (lower case letters, digits and dashes)"
)
NO_SCRIPT = "no workshop script found (expected files like w1-presentation.fr.md)"
NO_REFERENCE = 'no French reference "{}": every meeting is written in French first, then translated'


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
    reference = meetings[REFERENCE_LOCALE]
    return {locale: with_reference_guides(m, reference) for locale, m in meetings.items()}


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
                errors.extend(compare(file.problems, file.meeting, reference.meeting))
    if not files and not errors:
        errors.append(ScriptError(str(directory), None, NO_SCRIPT))
    if errors:
        raise ScriptErrors(errors)
    return Script(
        {
            slug: {
                loc: with_reference_guides(f.meeting, by_loc[REFERENCE_LOCALE].meeting)
                for loc, f in by_loc.items()
                if f.meeting
            }
            for slug, by_loc in files.items()
        }
    )


class _FileParser:
    """Parses one file, collecting its problems instead of stopping at the first."""

    def __init__(self, shown: str, slug: str, locale: str) -> None:
        self.shown, self.slug, self.locale = shown, slug, locale
        self.problems = FileProblems(shown)
        self.meeting: Meeting | None = None

    @property
    def errors(self) -> list[ScriptError]:
        return self.problems.errors

    def parse(self, path: Path) -> None:
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return self.problems.problem(None, "the file is not UTF-8 text: save it again as UTF-8")
        self.parse_text(source)

    def parse_text(self, source: str) -> None:
        lines = source.removeprefix("\ufeff").splitlines()  # Windows Notepad adds a BOM
        data, body = read_front_matter(self.problems, lines)
        if not body:
            return  # without a closed front matter, where the steps start is a guess
        fields = {"duration_minutes": 0} if data is None else meeting_fields(self.problems, data)
        # Even when the front matter is wrong, its kind says how to read the steps.
        kind = data.get("kind") if isinstance(data, dict) else None
        steps = read_steps(
            self.problems,
            lines,
            body,
            interview=kind == MeetingKind.INTERVIEW,
            guides_required=self.locale in STAFF_LANGUAGES,  # tutors read these
        )
        total, expected = sum(step.duration_minutes for step in steps), fields["duration_minutes"]
        if not self.errors and total != expected:
            self.problems.problem(
                self.problems.key_lines["duration_minutes"],
                f"the steps add up to {total} minutes but duration_minutes is {expected}: "
                "change a step's duration or the meeting's",
            )
        if not self.errors:
            fields.update(slug=self.slug, locale=self.locale, source=source, path=self.shown)
            self.meeting = Meeting(steps=tuple(steps), **fields)
