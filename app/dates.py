"""Dates as people type them: a year, a month and year, a date, or a span of two.

What is stored is date-only, with no time zone, in ISO order so that it sorts:
"2015", "2015-03" or "2015-03-14", and a span "2012/2016" (ISO 8601's interval style).
What is shown is the same in every language and on every screen: 2015, 03/2015,
14/03/2015, 2012 – 2016.

Typed forms accepted: ISO order (2015-03-14), day first (14/03/2015, 03/2015, 3/2015)
with / - . or spaces, the digits of any script (٢٠١٥, ۲۰۱۵, full-width), month names
and their abbreviations in the interface languages, accents optional ("mars 2015",
"Mar 2015", "févr. 2015", "fevrier 2015"). Years run from 1900 to ten years from now;
a two-digit year is refused: 03/15 could be March 2015 or 3 January.

static/js/dates.js applies the same rules on the phone; tests/data/dates_cases.json holds
the cases both must agree on. Pure: no Flask.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Sequence

from babel.dates import get_month_names

from app.refusals import Refused

MIN_YEAR = 1900
YEARS_AHEAD = 10
# Month names accepted from anyone, whatever their page's language: a phone in English
# may still type "mars". A fixed list, not the configuration: the event log is folded
# again through these rules, and must read the same everywhere.
LOCALES = ("fr", "en", "es", "ar", "ar_SY")  # ar_SY: the Levantine names, "كانون الثاني"

# The refusals, most telling first: a span's parts are tried several ways, and the
# person is told the most precise thing that is wrong.
REFUSALS = (
    "end_before_start",
    "impossible_date",
    "future_date",
    "date_before_1900",
    "two_digit_year",
    "bad_date",
)
# Inside a free text (an experience's "3 years"), these mean "not a date", not "a wrong
# date": the text is kept as typed.
NOT_A_DATE = frozenset({"bad_date", "two_digit_year"})


class DateRefused(Refused, ValueError):
    """A text that is not a date this app accepts; `code` says why (see REFUSALS)."""


def plain(text: str) -> str:
    """Lower case, without accents, format characters or a final dot: "Févr." -> "fevr"."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").lower()
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip().rstrip(".")


def month_names(locales: Sequence[str] = LOCALES) -> list[list[str]]:
    """Twelve lists (January first) of the names a month is typed with, lower case:
    Babel's wide and abbreviated names in each locale, and each without its accents
    ("fevrier", "aout"): an old phone's browser cannot take accents off by itself. The
    phone page puts this list, as JSON, in its `data-month-names` attribute."""
    months: list[list[str]] = [[] for _ in range(12)]
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale).items():
                for form in (name.lower(), plain(name)):
                    if form not in months[number - 1]:
                        months[number - 1].append(form)
    return months


_MONTHS = [{plain(name) for name in names} for names in month_names()]
_ORDINALS = frozenset({"st", "nd", "rd", "th", "er", "re", "e", "eme"})  # 1st, 1er, 2e
_FROM = frozenset({"from", "de", "du", "d"})  # from 2012 to 2016, de mars 2012 à 2016
_TO = frozenset({"to", "till", "until", "a", "au"})
# Separators: / - . , spaces, the apostrophe of "d'avril", the Arabic comma and date
# separator, the Arabic decimal and thousands separators; any dash but "-" is a range.
_SEPARATORS = "/-.,'’\u060c\u060d\u066b\u066c"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_TOKEN = re.compile(r"(\d+)|([^\W\d_]+)|(\s+)|(.)")


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """("num" | "word" | "sep", text), or None when something else is in the text."""
    folded = []
    for ch in unicodedata.normalize("NFKC", text):
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            folded.append(str(digit))
        elif ch in _DASHES:
            folded.append("\u2013")
        elif unicodedata.category(ch) != "Cf":
            folded.append(ch)
    tokens: list[tuple[str, str]] = []
    for number, word, space, other in _TOKEN.findall(plain("".join(folded))):
        if number:
            tokens.append(("num", number))
        elif word:
            if tokens and tokens[-1][0] == "num" and word in _ORDINALS:
                continue  # "1er mars": the day, whatever its suffix
            tokens.append(("word", word))
        elif space:
            tokens.append(("sep", " "))
        elif other in _SEPARATORS or other == "\u2013":
            tokens.append(("sep", other))
        else:
            return None
    return _month_words_joined(tokens)


# Words between a month and its year: "marzo de 2015", "enero del 2016".
_FILLERS = frozenset({"de", "del"})


def _month_words_joined(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A month named in two words ("كانون الثاني") as one word; fillers left out."""
    joined: list[tuple[str, str]] = []
    at = 0
    while at < len(tokens):
        kind, text = tokens[at]
        two = tokens[at : at + 3]
        if kind == "word" and len(two) == 3 and two[1] == ("sep", " ") and two[2][0] == "word":
            both = f"{text} {two[2][1]}"
            if any(both in names for names in _MONTHS):
                joined.append(("word", both))
                at += 3
                continue
        if kind == "word" and text in _FILLERS and joined and at + 1 < len(tokens):
            at += 2 if at + 1 < len(tokens) and tokens[at + 1][0] == "sep" else 1
            continue
        joined.append((kind, text))
        at += 1
    return joined


def _month(word: str) -> int | None:
    """A month by its name, or by the first three letters or more of one month only."""
    exact = [n for n, names in enumerate(_MONTHS, 1) if word in names]
    if exact:
        return exact[0]
    if len(word) >= 3:
        starts = {n for n, names in enumerate(_MONTHS, 1) if any(m.startswith(word) for m in names)}
        if len(starts) == 1:
            return starts.pop()
    return None


def _year(digits: str, last_year: int) -> int:
    if len(digits) <= 2:
        raise DateRefused("two_digit_year")
    if len(digits) != 4:
        raise DateRefused("bad_date")
    year = int(digits)
    if year < MIN_YEAR:
        raise DateRefused("date_before_1900")
    if year > last_year:
        raise DateRefused("future_date")
    return year


def _one(tokens: Sequence[tuple[str, str]], last_year: int) -> str:
    """One date from its tokens (separators ignored), in its stored form."""
    items: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind == "word":
            month = _month(value)
            if month is None:
                raise DateRefused("bad_date")
            items.append(("month", str(month)))
        elif kind == "num":
            items.append(("num", value))
    shape = "".join("m" if kind == "month" else "y" if len(v) == 4 else "n" for kind, v in items)
    values = [v for _, v in items]
    # Which item is the year, the month, the day, for each order people write in.
    orders = {
        "y": (0, None, None),
        "n": (0, None, None),  # 15: a year written short
        "yy": (0, 1, None),  # 2015-03 (ISO), refused further on when "03" is not a month
        "yn": (0, 1, None),
        "ny": (1, 0, None),  # 03/2015
        "nn": (1, 0, None),  # 03/15
        "yyy": (0, 1, 2),
        "ynn": (0, 1, 2),  # 2015-03-14
        "nny": (2, 1, 0),  # 14/03/2015
        "nnn": (2, 1, 0),  # 14/03/15
        "my": (1, 0, None),  # mars 2015
        "mn": (1, 0, None),  # mars 15
        "ym": (0, 1, None),  # 2015 mars
        "nmy": (2, 1, 0),  # 14 mars 2015
        "nmn": (2, 1, 0),
        "mny": (2, 0, 1),  # March 14, 2015
        "ymn": (0, 1, 2),  # 2015 mars 14
    }
    if shape not in orders:
        raise DateRefused("bad_date")
    at_year, at_month, at_day = orders[shape]
    year = _year(values[at_year], last_year)
    if at_month is None:
        return f"{year:04d}"
    if len(values[at_month]) > 2:
        raise DateRefused("bad_date")
    month = int(values[at_month])
    if not 1 <= month <= 12:
        raise DateRefused("impossible_date")
    if at_day is None:
        return f"{year:04d}-{month:02d}"
    if len(values[at_day]) > 2:
        raise DateRefused("bad_date")
    day = int(values[at_day])
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateRefused("impossible_date")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _last_year(today: datetime.date | None) -> int:
    return (today or datetime.date.today()).year + YEARS_AHEAD


def parse_when(text: str, *, today: datetime.date | None = None) -> str:
    """The stored form of one typed date ("mars 2015" -> "2015-03"), or DateRefused."""
    tokens = _tokens(text) if isinstance(text, str) else None
    if not tokens:
        raise DateRefused("bad_date")
    return _one(tokens, _last_year(today))


def _priority(tokens: Sequence[tuple[str, str]], at: int) -> int:
    """How surely the token at `at` joins a start and an end: 3 for a dash, a spaced
    hyphen or a word (to, à, au), 2 for a slash, 1 for a bare hyphen, 0 never."""
    kind, value = tokens[at]
    if kind == "word":
        return 3 if value in _TO else 0
    if value == "\u2013":
        return 3
    if value == "-":
        spaced = any(0 <= i < len(tokens) and tokens[i] == ("sep", " ") for i in (at - 1, at + 1))
        return 3 if spaced else 1
    return 2 if value == "/" else 0


def _first_word_dropped(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while tokens and tokens[0][0] == "sep":
        tokens = tokens[1:]
    if tokens and tokens[0][0] == "word" and tokens[0][1] in _FROM:
        return tokens[1:]
    return tokens


def _end(tokens: list[tuple[str, str]], start: str, last_year: int) -> str:
    """The end of a span; "2012–16" ends in 2016 (the start's century, or the next)."""
    numbers = [value for kind, value in tokens if kind != "sep"]
    if len(numbers) == 1 and len(numbers[0]) == 2 and numbers[0].isdigit():
        year = int(start[:2] + numbers[0])
        year += 100 if year < int(start[:4]) else 0
        return _one([("num", str(year))], last_year)
    return _one(tokens, last_year)


def _in_order(start: str, end: str) -> bool:
    """Whether `end` is not before `start`, each read at the precision both have."""
    a, b = start.split("-"), end.split("-")
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def parse_span(text: str, *, today: datetime.date | None = None) -> str:
    """One date, or a span of two, in stored form: "2012–2016" -> "2012/2016",
    "03/2012 - 2016" -> "2012-03/2016"; or DateRefused with the most telling code."""
    tokens = _tokens(text) if isinstance(text, str) else None
    if not tokens:
        raise DateRefused("bad_date")
    ends = [token for token in tokens if token != ("sep", " ")]
    if any(_priority(ends, at) for at in (0, -1)):
        raise DateRefused("bad_date")  # "2021 –": since 2021, not 2021 alone
    last_year = _last_year(today)
    refusals: set[str] = set()
    try:
        return _one(tokens, last_year)
    except DateRefused as refused:
        refusals.add(refused.code)
    for priority in (3, 2, 1):
        found: set[str] = set()
        for at in range(len(tokens)):
            if _priority(tokens, at) != priority:
                continue
            try:
                start = _one(_first_word_dropped(tokens[:at]), last_year)
                end = _end(tokens[at + 1 :], start, last_year)
            except DateRefused as refused:
                refusals.add(refused.code)
                continue
            if not _in_order(start, end):
                refusals.add("end_before_start")
                continue
            found.add(f"{start}/{end}")
        if len(found) == 1:
            return found.pop()
        if found:  # "2012-03-2016": 2012 to March 2016, or March 2012 to 2016?
            raise DateRefused("bad_date")
    raise DateRefused(next(code for code in REFUSALS if code in refusals))


def span_or_text(text: str, *, today: datetime.date | None = None) -> str:
    """A date or a span in stored form, or else the text itself ("3 years", "since 2021"):
    refused only when it is a date, but a wrong one (31/02/2015, 2016–2012)."""
    try:
        return parse_span(text, today=today)
    except DateRefused as refused:
        if refused.code in NOT_A_DATE:
            return text
        raise


_STORED = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$", re.ASCII)


def _shown(value: str) -> str:
    return "/".join(reversed(value.split("-")))


def show_when(value: str) -> str:
    """A stored date as written by hand: 2015, 03/2015, 14/03/2015, 2012 – 2016. Any
    other text (an experience's "3 years") is shown as it is."""
    value = str(value).strip()
    parts = value.split("/")
    if len(parts) <= 2 and all(_STORED.match(part) for part in parts):
        return " – ".join(_shown(part) for part in parts)
    return value
