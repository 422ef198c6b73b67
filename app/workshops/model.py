"""What a workshop script is once loaded: meetings made of steps, in several languages.

Plain data, no Flask: the live engine, the replay and the tests all read the same objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

# Every meeting is written first in French; other languages translate it.
REFERENCE_LOCALE = "fr"


class MeetingKind(StrEnum):
    """What a meeting's front matter says in "kind:" (a StrEnum: it compares equal to it)."""

    WORKSHOP = "workshop"  # run live in the room, on a projected board
    INTERVIEW = "interview"  # the one-to-one preparatory meeting: a form, no board


@dataclass(frozen=True)
class Step:
    """One step of a meeting, as the tutor runs it and the participants see it."""

    id: str
    title: str
    duration_minutes: int
    board: str
    feeds: str | None
    guide_md: str
    prompt_md: str
    line: int
    form: str | None = None  # the interview form section this step fills in
    poll_options: tuple[str, ...] = ()  # a poll step's choices, same order in every language
    category: str | None = None  # the competence category a new card's form starts on
    phase: str | None = None  # a self-assessment's moment in the cycle: "before" or "after"
    kind: str = "activity"  # see app.vocabulary.STEP_KINDS
    visibility: str = "room"  # see app.vocabulary.STEP_VISIBILITIES

    @property
    def is_break(self) -> bool:
        return self.kind == "break"


# What a translation keeps of each step exactly as the French reference has it: only the
# words (title, guide, prompt, poll choices' wording) are the translator's.
STEP_STRUCTURE: tuple[str, ...] = (
    "duration_minutes",
    "board",
    "feeds",
    "form",
    "category",
    "phase",
    "kind",
    "visibility",
)


@dataclass(frozen=True)
class Meeting:
    """One meeting of the cycle, in one language, with the file text it came from."""

    slug: str
    number: int | str  # 0..7, or a label such as "F" for a meeting outside the numbering
    order: float  # position in the cycle
    kind: MeetingKind
    title: str
    duration_minutes: int
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    locale: str
    source: str
    path: str
    # Offered to the groups that want it, outside the cycle's count (the recruiters'
    # workshop): it is never missing from anyone's attendance.
    optional: bool = False

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"meeting {self.slug!r} has no step {step_id!r}")

    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)

    @property
    def is_interview(self) -> bool:
        return self.kind == MeetingKind.INTERVIEW


class ScriptError(Exception):
    """One problem in one workshop file, worded for the person who edits that file."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        super().__init__(path, line, problem)
        self.path = path
        self.line = line
        self.problem = problem

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.problem}"
        return f"{self.path}, line {self.line}: {self.problem}"


class ScriptErrors(Exception):
    """Every problem found while loading the scripts, so that one start-up shows them all."""

    def __init__(self, errors: list[ScriptError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0))
        super().__init__(self.errors)

    def __str__(self) -> str:
        count = len(self.errors)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"{head} in the workshop scripts:"]
        lines.extend(f"  - {error}" for error in self.errors)
        return "\n".join(lines)


@dataclass(frozen=True)
class Script:
    """All the meetings that loaded: ``meetings[slug][locale]``."""

    meetings: dict[str, dict[str, Meeting]]

    def meeting(self, slug: str, locale: str, fallback: str = REFERENCE_LOCALE) -> Meeting:
        """The meeting in ``locale``, or in ``fallback`` when it is not translated yet."""
        by_locale = self.meetings[slug]
        if locale in by_locale:
            return by_locale[locale]
        return by_locale[fallback]

    def slugs(self) -> list[str]:
        """Slugs in the order the cycle runs them (position in the cycle, then slug)."""
        return sorted(self.meetings, key=lambda slug: (self._reference(slug).order, slug))

    def cycle_slugs(self) -> list[str]:
        """The meetings every participant is offered, in order: the count a completion
        threshold is taken from (an optional meeting is never missing from anyone's)."""
        return [slug for slug in self.slugs() if not self._reference(slug).optional]

    def reference(self, slug: str) -> Meeting:
        """The French file of a meeting: ids, boards and durations are read from it."""
        return self._reference(slug)

    def locales(self, slug: str) -> list[str]:
        return sorted(self.meetings[slug])

    def sources(self, slug: str) -> dict[str, str]:
        """Raw file text by locale, e.g. to store beside a session that used them."""
        return {locale: m.source for locale, m in sorted(self.meetings[slug].items())}

    def digest(self, slug: str) -> str:
        """sha256 of all the language files of a meeting, so a session can pin its version."""
        digest = hashlib.sha256()
        for locale, source in self.sources(slug).items():
            data = source.encode("utf-8")
            # Length-prefixed so that moving text between two files changes the digest.
            digest.update(f"{locale}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()

    def _reference(self, slug: str) -> Meeting:
        by_locale = self.meetings[slug]
        return by_locale.get(REFERENCE_LOCALE) or by_locale[min(by_locale)]
