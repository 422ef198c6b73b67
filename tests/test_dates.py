"""Dates as people type them: the same table of cases on the server and on the phone.

tests/data/dates_cases.json holds what people type (digits of three scripts, month names
in French and English, a year, a month, a date, impossible dates, words) and what is
stored or why it is refused. app/dates.py and static/js/dates.js must both agree with it;
then the room's cards and the portfolio's own entries store what the table says.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from app import dates
from app.live.engine import fold
from app.live.events import EventType as E
from app.paths import ROOT
from app.portfolio import own
from app.portfolio.errors import PortfolioRefused
from app.portfolio.pathway import format_when
from app.portfolio.projection import Portfolio
from tests.drivers import AMINA, EVERY_BOARD, TUTOR, LogRoom

CASES = json.loads((ROOT / "tests/data/dates_cases.json").read_text(encoding="utf-8"))
TODAY = datetime.date(CASES["this_year"], 6, 1)
DATES_JS = ROOT / "static/js/dates.js"
DATE_WORDS_JS = ROOT / "static/js/date-words.js"  # what dates.js reads typed text with


def _bare_page(month_names: str) -> str:
    """An empty page giving dates.js what a real page gives it: month names, year limits."""
    return (
        f"<!doctype html><html><body data-month-names='{month_names}'"
        f" data-first-year='{dates.MIN_YEAR}' data-years-ahead='{dates.YEARS_AHEAD}'>"
        "</body></html>"
    )


PARSERS = {"when": dates.parse_when, "span": dates.parse_span, "span_or_text": dates.span_or_text}
JS_PARSERS = {"when": "parse", "span": "parseSpan", "span_or_text": "spanOrText"}


def expected(case: dict[str, Any]) -> dict[str, Any]:
    if "value" in case:
        return {"ok": True, "value": case["value"]}
    return {"ok": False, "error": case["error"]}


def python_result(kind: str, text: str) -> dict[str, Any]:
    try:
        return {"ok": True, "value": PARSERS[kind](text, today=TODAY)}
    except dates.DateRefused as refused:
        return {"ok": False, "error": refused.code}


TABLE = [
    pytest.param(kind, case, id=f"{kind}:{case['input'] or 'empty'}")
    for kind in PARSERS
    for case in CASES[kind]
]


@pytest.mark.parametrize(("kind", "case"), TABLE)
def test_the_server_reads_each_typed_date_as_the_table_says(kind, case):
    assert python_result(kind, case["input"]) == expected(case), case["why"]


@pytest.mark.parametrize("case", CASES["show"], ids=lambda case: case["value"] or "empty")
def test_every_screen_shows_a_stored_date_as_written_by_hand(case):
    assert dates.show_when(case["value"]) == case["shown"]


def test_a_stored_value_reads_back_as_itself():
    """The log is folded again on every load: cleaning what was cleaned changes nothing."""
    for kind in PARSERS:
        for case in CASES[kind]:
            if "value" in case:
                assert python_result(kind, case["value"]) == expected(case), case["input"]


def test_a_refusal_is_a_value_error_with_its_reason():
    with pytest.raises(ValueError, match="impossible_date") as refusal:
        dates.parse_when("31/02/2015")
    assert refusal.value.code == "impossible_date"


def test_the_years_run_from_1900_to_ten_years_from_now():
    this_year = datetime.date.today().year
    assert dates.parse_when(str(this_year + 10)) == str(this_year + 10)
    with pytest.raises(dates.DateRefused, match="future_date"):
        dates.parse_when(str(this_year + 11))
    assert dates.parse_when("1900") == "1900"


def test_a_single_date_is_shown_as_the_pdf_already_shows_it():
    for value in ("2015", "2015-03", "2015-03-14"):
        assert dates.show_when(value) == format_when(value)


def test_the_month_names_a_page_gives_cover_french_and_english():
    names = dates.month_names()
    assert len(names) == 12
    assert {"mars", "march", "mar"} <= set(names[2])
    assert {"février", "févr.", "february", "feb"} <= set(names[1])
    assert all(name == name.lower() for month in names for name in month)


@pytest.mark.browser
def test_the_phone_reads_each_typed_date_as_the_server_does(browser):
    """The same table through dates.js, in a browser whose clock is behind UTC."""
    context = browser.new_context(timezone_id="Pacific/Honolulu", locale="fr-FR")
    try:
        page = context.new_page()
        names = json.dumps(dates.month_names())
        page.set_content(_bare_page(names))
        page.add_script_tag(path=str(DATE_WORDS_JS))
        page.add_script_tag(path=str(DATES_JS))
        results = page.evaluate(
            """([cases, parsers, thisYear]) => {
                const D = window.MigrapassDates;
                const names = D.monthNames();
                const out = {};
                for (const kind of Object.keys(parsers)) {
                    out[kind] = cases[kind].map(
                        (c) => D[parsers[kind]](c.input, names, thisYear));
                }
                out.show = cases.show.map((c) => D.show(c.value));
                out.names = names.length;
                return out;
            }""",
            [CASES, JS_PARSERS, CASES["this_year"]],
        )
    finally:
        context.close()
    assert results["names"] == 12
    for kind in PARSERS:
        wrong = [
            (case["input"], got, expected(case))
            for case, got in zip(CASES[kind], results[kind], strict=True)
            if got != expected(case)
        ]
        assert wrong == [], kind
    assert results["show"] == [case["shown"] for case in CASES["show"]]


# --- in the room and in the portfolio ----------------------------------------------------


def room_at(step_id: str) -> LogRoom:
    """A session of a workshop with dates to type, at `step_id`."""
    return LogRoom(EVERY_BOARD, TUTOR, meeting="w2").go(step_id)


def posted(room: LogRoom, board: str, **fields: Any) -> dict[str, Any]:
    """Amina posts a card; its fields as stored."""
    card = room.post(AMINA, board, **fields)
    return dict(room.state.cards[card].fields)


def refusal(room: LogRoom, board: str, **fields: Any) -> str:
    """Why Amina's card is refused."""
    return room.refused(AMINA, E.CARD_POSTED, board=board, fields=fields)


def test_a_phone_that_sends_mars_2015_or_arabic_digits_stores_the_date_only():
    room = room_at("timeline")
    assert posted(room, "timeline", when="mars 2015", text="Left Tunis")["when"] == "2015-03"
    assert posted(room, "timeline", when="٢٠١٥", text="Arrived in Italy")["when"] == "2015"
    assert posted(room, "timeline", when="۱۴/۰۳/۲۰۱۶", text="Arrived in Lyon")["when"] == (
        "2016-03-14"
    )
    # The log keeps what was sent; folded again, it gives the same board.
    assert fold(room.log).cards == room.state.cards


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31/02/2015", "impossible_date"),
        ("2015-13", "impossible_date"),
        ("03/15", "two_digit_year"),
        ("last year", "bad_date"),
        ("mars 1850", "date_before_1900"),
        ("2" * 61, "bad_date"),
    ],
    ids=["31 February", "month 13", "two-digit year", "words", "before 1900", "too long"],
)
def test_a_timeline_card_with_a_wrong_date_is_refused_with_the_reason(typed, code):
    room = room_at("timeline")
    assert refusal(room, "timeline", when=typed, text="Left") == code
    assert room.state.cards == {}


def test_an_experience_keeps_a_span_as_dates_and_a_length_of_time_as_words():
    room = room_at("experiences")
    job = {"what": "Cook", "setting": "abroad", "kind": "paid"}
    assert posted(room, "experiences", **job, when="2012–2016")["when"] == "2012/2016"
    assert posted(room, "experiences", **job, when="03/2012 - 2016")["when"] == "2012-03/2016"
    assert posted(room, "experiences", **job, when="3 ans")["when"] == "3 ans"
    # The field took any words before it read dates, and stored cards are folded again:
    # what is not a good date stays words (the phone warns before sending it).
    assert posted(room, "experiences", **job, when="31/02/2015")["when"] == "31/02/2015"
    assert posted(room, "experiences", **job, when="2016 – 2012")["when"] == "2016 – 2012"


def test_an_action_plan_deadline_takes_a_month_name():
    room = room_at("plan")
    plan = posted(
        room, "action_plan", goal="Work", actions=[{"what": "CV", "deadline": "juin 2027"}]
    )
    assert plan["actions"] == [{"what": "CV", "deadline": "2027-06"}]


def test_the_portfolio_s_own_entries_follow_the_same_rules():
    mine = Portfolio(7)
    moment = own.new_entry(mine, "migration_pathway", {"when": "Mar 2019", "text": "Paris"})
    assert moment["fields"]["when"] == "2019-03"
    job = {"what": "Cook", "when": "٢٠٠٩ – ٢٠١٨", "setting": "abroad", "kind": "paid"}
    assert own.new_entry(mine, "professional_experiences", job)["fields"]["when"] == "2009/2018"
    with pytest.raises(PortfolioRefused, match="impossible_date"):
        own.new_entry(mine, "migration_pathway", {"when": "30/02/2019", "text": "Paris"})


@pytest.mark.browser
def test_an_old_browser_without_normalize_still_reads_french_months_typed_without_accents(
    browser,
):
    """The stock browser of old Android phones cannot take accents off ("fevrier"):
    the page's month names carry the plain forms too."""
    assert {"fevrier", "aout", "decembre"} <= {n for month in dates.month_names() for n in month}
    context = browser.new_context()
    try:
        page = context.new_page()
        names = json.dumps(dates.month_names())
        page.set_content(_bare_page(names))
        page.evaluate("() => { delete String.prototype.normalize; }")
        page.add_script_tag(path=str(DATE_WORDS_JS))
        page.add_script_tag(path=str(DATES_JS))
        read = page.evaluate(
            """() => {
                const D = window.MigrapassDates;
                return ["fevrier 2015", "aout 2016", "décembre 2017"].map(
                    (typed) => D.parse(typed, D.monthNames()));
            }"""
        )
    finally:
        context.close()
    assert [r.get("value") for r in read] == ["2015-02", "2016-08", "2017-12"]
