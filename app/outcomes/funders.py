"""The funders' export: a year's figures with nobody in them, as rows for CSV and PDF.

Never a name nor an id: groups are "Group 1, 2…" in the order they started (a group's
name may hold a person's), with their period; every count from 1 to 4 is "<5" and a
percentage needs 5 or more below it (app.outcomes.disclosure). The words come from the
caller, in the reader's language. Plain Python.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.attendance import presence
from app.live.summary_text import safe_cell
from app.outcomes.disclosure import (
    HIDDEN,
    NONE,
    SECONDARY,
    count_text,
    mean_text,
    parts_text,
    percent_text,
    shown_rate,
)
from app.outcomes.figures import (
    CohortFigures,
    add_up,
    cohort_figures,
    cohorts_of_year,
    self_assessment_figures,
)
from app.outcomes.referrals import SOURCES, count_referrals
from app.workshops import Script


@dataclass(frozen=True)
class FundersWords:
    """Every word of the export, in the reader's language."""

    group: Callable[[int], str]  # "Group 1"
    headers: tuple[str, str, str, str, str]  # section, group, period, measure, value
    sections: Mapping[str, str]  # year, group, attendance, referrals, self_assessment
    measures: Mapping[str, str]  # groups, enrolled, completed, rate, in_progress, …
    referrals: Mapping[str, str]  # source -> label
    yes: str
    no: str
    all_groups: str


@dataclass(frozen=True)
class FundersGroup:
    label: str
    period: str
    enrolled: str
    completed: str
    rate: str
    rate_value: int | None  # for the chart; None when not shown
    in_progress: bool
    attendance: tuple[tuple[str, str, int | None], ...]  # meeting, count shown, bar value


@dataclass(frozen=True)
class QuestionRow:
    label: str
    before: str
    after: str
    before_mean: float | None
    after_mean: float | None


@dataclass(frozen=True)
class FundersReport:
    year: int
    threshold: int
    meetings: int
    groups: tuple[FundersGroup, ...]
    enrolled: str
    completed: str
    rate: str
    rate_value: int | None
    in_progress: bool
    referrals: tuple[tuple[str, str, int | None], ...]  # label, count shown, bar value
    answered_before: str | None  # None: no self-assessment figures (fewer than 5)
    answered_after: str | None
    questions: tuple[QuestionRow, ...]


def period(starts_on: date, ends_on: date | None) -> str:
    """A group's dates, in ISO order, the same in every language."""
    end = ends_on.isoformat() if ends_on else "…"
    return f"{starts_on.isoformat()} – {end}"


def _shown(count: int) -> int | None:
    text = count_text(count)
    return count if text == str(count) else None


def _group(
    db: Session,
    number: int,
    row: CohortFigures,
    script: Script,
    titles: Mapping[str, str],
    words: FundersWords,
) -> FundersGroup:
    done = row.completion
    found = presence(db, row.cohort.id, script)
    attendance = tuple(
        (titles[slug], count_text(len(found.present[slug])), _shown(len(found.present[slug])))
        for slug in script.slugs()
        if slug in found.present
    )
    return FundersGroup(
        words.group(number),
        period(row.cohort.starts_on, row.cohort.ends_on),
        count_text(done.enrolled),
        count_text(done.completed),
        percent_text(done.completed, done.enrolled),
        shown_rate(done.completed, done.enrolled),
        done.in_progress,
        attendance,
    )


def _kept_apart(
    groups: tuple[FundersGroup, ...], rows: Sequence[CohortFigures], year: Any
) -> tuple[FundersGroup, ...]:
    """The groups' enrolled and completed counts add up to the year's: hidden in pairs
    (and a group's rate with its hidden completed count), so that none comes back."""
    enrolled, _ = parts_text([r.completion.enrolled for r in rows], year.enrolled)
    completed, _ = parts_text([r.completion.completed for r in rows], year.completed)
    kept = []
    for group, enrolled_text, completed_text in zip(groups, enrolled, completed, strict=True):
        if {completed_text, enrolled_text} & {HIDDEN, SECONDARY}:
            group = replace(group, rate=NONE, rate_value=None)
        kept.append(replace(group, enrolled=enrolled_text, completed=completed_text))
    return tuple(kept)


def build(
    db: Session,
    year: int,
    script: Script,
    threshold: int,
    titles: Mapping[str, str],
    words: FundersWords,
    questions: Mapping[str, str],
    today: date | None = None,
) -> FundersReport:
    """The year's export: `titles` are the meetings' titles by slug, `questions` the
    self-assessment's questions by key."""
    cohorts = cohorts_of_year(db, year)
    rows = cohort_figures(db, cohorts, script, threshold, today)
    ids = [c.id for c in cohorts]
    year_total = add_up(year, rows, count_referrals(db, ids))
    groups = _kept_apart(
        tuple(_group(db, number, row, script, titles, words) for number, row in enumerate(rows, 1)),
        rows,
        year_total,
    )
    sources = [(source, n) for source, n in year_total.referrals.items() if source in SOURCES]
    shown_sources, _total = parts_text([n for _source, n in sources], year_total.enrolled)
    referrals = tuple(
        (words.referrals[source], text, n if text == str(n) else None)
        for (source, n), text in zip(sources, shown_sources, strict=True)
    )
    figures = self_assessment_figures(db, ids, questions)
    questions: tuple[QuestionRow, ...] = ()
    before = after = None
    if figures is not None:
        before, after = count_text(figures.answered_before), count_text(figures.answered_after)
        questions = tuple(
            QuestionRow(
                q.label,
                mean_text(q.before_mean),
                mean_text(q.after_mean),
                q.before_mean,
                q.after_mean,
            )
            for q in figures.questions
        )
    return FundersReport(
        year,
        threshold,
        len(script.cycle_slugs()),
        groups,
        count_text(year_total.enrolled),
        count_text(year_total.completed),
        percent_text(year_total.completed, year_total.enrolled),
        shown_rate(year_total.completed, year_total.enrolled),
        year_total.in_progress,
        referrals,
        before,
        after,
        questions,
    )


def rows(report: FundersReport, words: FundersWords) -> list[tuple[str, str, str, str, str]]:
    """The export as one table: section, group, period, measure, value."""
    s, m = words.sections, words.measures
    out = [
        (s["year"], words.all_groups, str(report.year), m["groups"], str(len(report.groups))),
        (s["year"], words.all_groups, str(report.year), m["enrolled"], report.enrolled),
        (s["year"], words.all_groups, str(report.year), m["completed"], report.completed),
        (s["year"], words.all_groups, str(report.year), m["rate"], report.rate),
        (s["year"], words.all_groups, str(report.year), m["threshold"], str(report.threshold)),
    ]
    for group in report.groups:
        running = words.yes if group.in_progress else words.no
        for measure, value in (
            ("enrolled", group.enrolled),
            ("completed", group.completed),
            ("rate", group.rate),
            ("in_progress", running),
        ):
            out.append((s["group"], group.label, group.period, m[measure], value))
        for title, shown, _value in group.attendance:
            out.append((s["attendance"], group.label, group.period, title, shown))
    for label, shown, _value in report.referrals:
        out.append((s["referrals"], words.all_groups, str(report.year), label, shown))
    if report.answered_before is not None and report.answered_after is not None:
        year = str(report.year)
        out.append(
            (
                s["self_assessment"],
                words.all_groups,
                year,
                m["answered_before"],
                report.answered_before,
            )
        )
        out.append(
            (
                s["self_assessment"],
                words.all_groups,
                year,
                m["answered_after"],
                report.answered_after,
            )
        )
        for q in report.questions:
            out.append(
                (
                    s["self_assessment"],
                    words.all_groups,
                    year,
                    f"{q.label} · {m['before_mean']}",
                    q.before,
                )
            )
            out.append(
                (
                    s["self_assessment"],
                    words.all_groups,
                    year,
                    f"{q.label} · {m['after_mean']}",
                    q.after,
                )
            )
    return out


def to_csv(report: FundersReport, words: FundersWords) -> str:
    """The export as CSV, with a byte order mark (Excel reads the accents right), every
    cell guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in words.headers])
    for row in rows(report, words):
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def chart_scale(values: Sequence[int | None]) -> int:
    """The value of a full bar: the largest shown, at least 5."""
    return max([5, *(v for v in values if v is not None)])
