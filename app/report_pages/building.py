"""The reports' charts, each with its table, in the reader's language.

Every figure is shown as the funders' export shows it (app.outcomes.disclosure): these
pages are printed and passed on, and a count from 1 to 4 points at people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from app.attendance import AttendanceTable
from app.outcomes.charts import Bar, Chart, Pair, bar_chart, paired_chart
from app.outcomes.disclosure import count_text, mean_text, percent_text, shown_rate
from app.outcomes.figures import CohortFigures, YearFigures
from app.outcomes.funders import FundersReport, chart_scale
from app.report_pages.wording import referral_labels

SELF_ASSESSMENT_MAX = 4  # the scale's top answer


def _count_bar(label: str, count: int) -> Bar:
    text = count_text(count)
    return Bar(label, count if text == str(count) else None, text)


def attendance_chart(table: AttendanceTable, chart_id: str = "attendance") -> Chart:
    """How many of the enrolled came to each meeting held."""
    bars = [
        _count_bar(f"{meeting.number} · {meeting.short_title}", total)
        for meeting, total in zip(table.meetings, table.totals, strict=False)
        if total is not None
    ]
    return bar_chart(
        chart_id,
        _("Attendance per meeting"),
        _(
            "How many of the %(enrolled)s people enrolled came to each meeting held.",
            enrolled=count_text(table.enrolled),
        ),
        (_("Meeting"), _("People present")),
        bars,
        max(5, table.enrolled),
    )


def completion_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int, int]]) -> Chart:
    """The completion rate of each (label, completed, enrolled): groups or years."""
    bars = []
    for label, completed, enrolled in rows:
        text = (
            f"{percent_text(completed, enrolled)} ({count_text(completed)}/{count_text(enrolled)})"
        )
        bars.append(Bar(label, shown_rate(completed, enrolled), text))
    return bar_chart(
        chart_id,
        title,
        _("The share of the people enrolled who attended enough meetings to complete."),
        (_("Group or year"), _("Completion rate (completed/enrolled)")),
        bars,
        100,
    )


def cohorts_completion_chart(rows: Sequence[CohortFigures], names: Mapping[int, str]) -> Chart:
    return completion_chart(
        "completion-groups",
        _("Completion across groups"),
        [(names[row.cohort.id], row.completion.completed, row.completion.enrolled) for row in rows],
    )


def years_completion_chart(years: Sequence[YearFigures]) -> Chart:
    return completion_chart(
        "completion-years",
        _("Completion across years"),
        [(str(y.year), y.completed, y.enrolled) for y in years],
    )


def referrals_chart(counts: Mapping[str, int], chart_id: str = "referrals") -> Chart:
    labels = referral_labels()
    bars = [_count_bar(labels[source], n) for source, n in counts.items()]
    return bar_chart(
        chart_id,
        _("How people heard of Migrapass"),
        _("The answer noted at each person's preparatory interview."),
        (_("Source"), _("People")),
        bars,
        chart_scale([bar.value for bar in bars]),  # type: ignore[misc]
    )


def self_assessment_chart(figures: Any, chart_id: str = "self-assessment") -> Chart | None:
    """Before and after, per question, as means on the scale of 4; None when fewer than
    5 people answered (app.outcomes.self_assessment says so by giving None)."""
    if figures is None:
        return None
    pairs = [
        Pair(
            q.label,
            Bar(_("Before"), q.before_mean, mean_text(q.before_mean)),
            Bar(_("After"), q.after_mean, mean_text(q.after_mean)),
        )
        for q in figures.questions
    ]
    return paired_chart(
        chart_id,
        _("Self-assessment, before and after"),
        _(
            "The mean answer on a scale of 1 (not at all) to 4 (a lot): %(before)s "
            "people answered before, %(after)s after.",
            before=count_text(figures.answered_before),
            after=count_text(figures.answered_after),
        ),
        (_("Question"), _("Before"), _("After")),
        pairs,
        SELF_ASSESSMENT_MAX,
    )


def funders_charts(report: FundersReport) -> list[Chart]:
    """The funders' PDF charts, drawn from the export's figures as already shown."""
    completion = bar_chart(
        "funders-completion",
        _("Completion across groups"),
        _("The share of the people enrolled who attended enough meetings to complete."),
        (_("Group"), _("Completion rate (completed/enrolled)")),
        [
            Bar(g.label, g.rate_value, f"{g.rate} ({g.completed}/{g.enrolled})")
            for g in report.groups
        ],
        100,
    )
    referrals = bar_chart(
        "funders-referrals",
        _("How people heard of Migrapass"),
        _("The answer noted at each person's preparatory interview."),
        (_("Source"), _("People")),
        [Bar(label, value, shown) for label, shown, value in report.referrals],
        chart_scale([value for _label, _shown, value in report.referrals]),
    )
    charts = [completion, referrals]
    if report.questions:
        charts.append(
            paired_chart(
                "funders-self-assessment",
                _("Self-assessment, before and after"),
                _(
                    "The mean answer on a scale of 1 (not at all) to 4 (a lot): %(before)s "
                    "people answered before, %(after)s after.",
                    before=report.answered_before,
                    after=report.answered_after,
                ),
                (_("Question"), _("Before"), _("After")),
                [
                    Pair(
                        q.label,
                        Bar(_("Before"), q.before_mean, q.before),
                        Bar(_("After"), q.after_mean, q.after),
                    )
                    for q in report.questions
                ],
                SELF_ASSESSMENT_MAX,
            )
        )
    return charts
