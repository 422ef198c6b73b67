"""A translation of a meeting against its French reference: only the words may differ."""

from __future__ import annotations

from dataclasses import replace

from .model import STEP_STRUCTURE, Meeting, ScriptError
from .problems import FileProblems


def compare(problems: FileProblems, mine: Meeting, ref: Meeting) -> list[ScriptError]:
    """The translation's problems: what its structure does differently from the reference."""
    before = len(problems.errors)
    if mine.number != ref.number:
        says = f"the French reference {ref.path} says {ref.number}"
        problems.problem(problems.key_lines.get("number"), f"number is {mine.number} but {says}")
    if mine.step_ids() != ref.step_ids():
        pairs = zip(mine.step_ids(), ref.step_ids(), strict=False)
        at = next((i for i, (a, b) in enumerate(pairs) if a != b), len(ref.steps))
        expected, found = ", ".join(ref.step_ids()), ", ".join(mine.step_ids())
        problems.problem(
            mine.steps[min(at, len(mine.steps) - 1)].line,
            f"the steps differ from the French reference {ref.path}: "
            f"expected {expected}; found {found}",
        )
        return problems.errors[before:]
    for name in ("order", "kind", "optional"):
        if (value := getattr(mine, name)) != (expected := getattr(ref, name)):
            says = f"the French reference {ref.path} says {expected}"
            problems.problem(problems.key_lines.get(name, 1), f"{name} is {value} but {says}")
    for theirs, step in zip(ref.steps, mine.steps, strict=True):
        if len(step.poll_options) != len(theirs.poll_options):
            problems.problem(
                step.line,
                f'step "{step.id}": the poll has {len(step.poll_options)} choices but the '
                f"French reference has {len(theirs.poll_options)}",
            )
        for name in STEP_STRUCTURE:
            if (value := getattr(step, name)) != (expected := getattr(theirs, name)):
                says = f'the French reference says "{expected or "none"}"'
                problem = f'step "{step.id}": {name} is "{value or "none"}" but {says}'
                problems.problem(step.line, problem)
    return problems.errors[before:]


def with_reference_guides(mine: Meeting, ref: Meeting | None) -> Meeting:
    """The translation with the French guide on each step whose guide it left out."""
    if ref is None or mine is ref or all(step.guide_md for step in mine.steps):
        return mine
    guides = {step.id: step.guide_md for step in ref.steps}
    steps = tuple(
        step if step.guide_md else replace(step, guide_md=guides.get(step.id, ""))
        for step in mine.steps
    )
    return replace(mine, steps=steps)
