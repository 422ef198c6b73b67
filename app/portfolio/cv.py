"""The CV: built from the portfolio in the common European layout, edited before export.

A first draft comes from the entries: the job title and sentences of workshop 7's CV
lines, the strengths of workshop 4, experiences, education, competences (each with its
ESCO skill when it was picked from the suggestions). The participant rewrites it as a
recruiter should read it and saves it or not. Languages always come from the
portfolio's self-assessment, so there is one place to keep them. The full name and
contact details are never part of the CV as stored: they are typed at export time, and
so is the CV's language (French, the language of the job search, unless the person
chooses their own).

Plain Python: the page turns its form into the raw shape `clean` expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app import texts
from app.dates import show_when
from app.portfolio.errors import PortfolioRefused
from app.portfolio.projection import Entry, Portfolio
from app.vocabulary.boards import COMPETENCE_CATEGORIES, FieldRefused, esco_skill

LISTS = ("work", "volunteering", "education")
ITEM_FIELDS = ("title", "place", "when", "details")
SKILL_FIELDS = ("name", "category", "esco")
MAX_ITEMS = 12
MAX_SKILLS = 30
LIMITS = {
    "headline": 120,
    "about": 800,
    "other": 600,
    "title": 120,
    "place": 120,
    "when": 60,
    "details": 600,
    "name": 120,
}
# The CV's language unless the person chooses the interface's: the job search is in French.
JOB_SEARCH_LANGUAGE = "fr"

# The Europass order of the skills: digital skills, then the other skills by category,
# then the driving licence. A competence is digital or a driving licence when the
# suggestions say so (`kinds`, by ESCO skill or by name); otherwise its category decides.
DIGITAL, DRIVING = "digital", "driving"
SKILL_GROUPS = (DIGITAL, *COMPETENCE_CATEGORIES, DRIVING)


def _experience(fields: Mapping[str, Any]) -> dict[str, str]:
    return {
        "title": str(fields.get("what", "")),
        "place": str(fields.get("where", "")),
        "when": show_when(str(fields.get("when", ""))),
        "details": str(fields.get("details", "")),
    }


def _education(fields: Mapping[str, Any]) -> dict[str, str]:
    where = (str(fields.get(name, "")).strip() for name in ("where", "country"))
    return {
        "title": str(fields.get("title", "")),
        "place": ", ".join(part for part in where if part),
        "when": show_when(str(fields.get("when", ""))),
        "details": str(fields.get("details", "")),
    }


def _skill(fields: Mapping[str, Any]) -> dict[str, str]:
    skill = {"name": str(fields["name"]), "category": str(fields["category"])}
    if fields.get("esco"):
        skill["esco"] = str(fields["esco"])
    return skill


def _joined(pieces: Iterable[str], limit: int) -> str:
    """Texts one under the other, each whole: one that no longer fits is left out (it is
    still in the portfolio), rather than cut in the middle of a sentence."""
    kept: list[str] = []
    for piece in (p.strip() for p in pieces):
        if piece and not texts.too_long("\n\n".join([*kept, piece]), limit):
            kept.append(piece)
    return texts.cut("\n\n".join(kept), limit)


def _put_forward(portfolio: Portfolio, section: str, board: str) -> list[Entry]:
    """The section's entries of `board` a first CV may offer: not a card a tutor hid from
    the room (a phone number, words that hurt), which stays in the portfolio only."""
    return [e for e in portfolio.entries(section) if e.board == board and not e.hidden]


def cv_lines(portfolio: Portfolio) -> Entry | None:
    """The latest CV lines the person wrote (workshop 7): the top of their CV."""
    found = _put_forward(portfolio, "cv", "cv_lines")
    return found[-1] if found else None


def draft_from(portfolio: Portfolio) -> dict[str, Any]:
    """A first CV from the entries.

    The headline is the job title of the latest CV lines; "about me" is their sentences,
    then the strengths (the short texts of the CV section, from workshop 4), each in its
    own paragraph: these are the sentences the phone says go into the CV. The
    self-introduction of workshop 1 stays in the portfolio: it was said to the group.
    """
    work, volunteering = [], []
    for section in ("professional_experiences", "social_experiences"):
        for entry in _put_forward(portfolio, section, "experiences"):
            paid = entry.fields.get("kind") == "paid" and section == "professional_experiences"
            (work if paid else volunteering).append(_experience(entry.fields))
    education = [_education(e.fields) for e in _put_forward(portfolio, "education", "education")]
    skills = [_skill(e.fields) for e in _put_forward(portfolio, "competences", "competences")]
    lines = cv_lines(portfolio)
    strengths = [str(e.fields.get("text", "")) for e in _put_forward(portfolio, "cv", "free_text")]
    about = [str(lines.fields.get("about", "")) if lines else "", *strengths]
    return {
        "headline": texts.cut(str(lines.fields["headline"]), LIMITS["headline"]) if lines else "",
        "about": _joined(about, LIMITS["about"]),
        "work": work[:MAX_ITEMS],
        "volunteering": volunteering[:MAX_ITEMS],
        "education": education[:MAX_ITEMS],
        "skills": skills[:MAX_SKILLS],
        "other": "",
    }


def current(portfolio: Portfolio) -> dict[str, Any]:
    """The CV as the participant last saved it, or the draft if they never did."""
    return dict(portfolio.cv) if portfolio.cv else draft_from(portfolio)


def _text(name: str, value: Any, limit_key: str | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PortfolioRefused("bad_field", name)
    value = value.replace("\r\n", "\n").strip()
    limit = LIMITS[limit_key or name]
    if texts.too_long(value, limit):
        raise PortfolioRefused("text_too_long", f"{name}:{limit}")
    return value


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The CV ready to store or print, or PortfolioRefused naming the first problem."""
    if not isinstance(raw, Mapping):
        raise PortfolioRefused("bad_field", "cv")
    cv: dict[str, Any] = {
        name: _text(name, raw.get(name)) for name in ("headline", "about", "other")
    }
    for name in LISTS:
        items = raw.get(name) or []
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise PortfolioRefused("bad_field", name)
        cv[name] = []
        for item in items:
            if not isinstance(item, Mapping):
                raise PortfolioRefused("bad_field", name)
            row = {f: _text(f"{name}.{f}", item.get(f), f) for f in ITEM_FIELDS}
            if row["title"]:
                cv[name].append(row)
            elif any(row.values()):
                raise PortfolioRefused("missing_field", f"{name}.title")
    skills = raw.get("skills") or []
    if not isinstance(skills, list) or len(skills) > MAX_SKILLS:
        raise PortfolioRefused("bad_field", "skills")
    cv["skills"] = []
    for item in skills:
        if not isinstance(item, Mapping) or item.get("category") not in COMPETENCE_CATEGORIES:
            raise PortfolioRefused("bad_field", "skills")
        name = _text("skills.name", item.get("name"), "name")
        if name:
            cv["skills"].append({"name": name, "category": item["category"], **_esco(item)})
    return cv


def _esco(item: Mapping[str, Any]) -> dict[str, str]:
    """The competence's ESCO skill, kept from the suggestion it was picked from."""
    if not item.get("esco"):
        return {}
    try:
        return {"esco": esco_skill("skills.esco", item["esco"])}
    except FieldRefused as refused:
        raise PortfolioRefused(refused.code, refused.detail) from None


def from_form(get: Callable[[str], str | None], rows: Mapping[str, int]) -> dict[str, Any]:
    """Read the editor's flat form (`work-0-title`, `skills-3-name`, …) into `clean`'s shape.

    A row is kept only when its "keep" box is ticked (new rows are ticked by default);
    `rows` says how many rows of each list the page showed.
    """
    raw: dict[str, Any] = {name: get(name) for name in ("headline", "about", "other")}
    for name in (*LISTS, "skills"):
        fields = ITEM_FIELDS if name != "skills" else SKILL_FIELDS
        items = []
        for i in range(min(rows.get(name, 0), MAX_ITEMS if name != "skills" else MAX_SKILLS)):
            if not get(f"{name}-{i}-keep"):
                continue
            items.append({f: get(f"{name}-{i}-{f}") or "" for f in fields})
        # A row of only a category or an ESCO skill (a hidden field) is an empty row.
        raw[name] = [
            item
            for item in items
            if any(v for k, v in item.items() if k not in ("category", "esco"))
        ]
    return raw


def language(chosen: str | None, interface: str) -> str:
    """The CV's language as chosen at export: French (the default: the language of the
    job search) or the person's interface language; anything else is refused."""
    if not chosen:
        return JOB_SEARCH_LANGUAGE
    if chosen not in (JOB_SEARCH_LANGUAGE, interface):
        raise PortfolioRefused("bad_field", "cv_language")
    return chosen


def skill_groups(
    skills: Iterable[Mapping[str, Any]], kinds: Mapping[str, str]
) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """The skills in the Europass order, grouped: (group of SKILL_GROUPS, its skills).

    `kinds` names the digital skills and the driving licences, by ESCO skill or by
    name in lower case (the suggestions know them); every other skill goes by category.
    """
    groups: dict[str, list[Mapping[str, Any]]] = {group: [] for group in SKILL_GROUPS}
    for skill in skills:
        kind = kinds.get(str(skill.get("esco") or "")) or kinds.get(
            str(skill.get("name", "")).casefold()
        )
        groups[kind if kind in (DIGITAL, DRIVING) else str(skill["category"])].append(skill)
    return [(group, found) for group, found in groups.items() if found]
