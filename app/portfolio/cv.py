"""The CV: built from the portfolio in the common European layout, edited before export.

A first draft comes from the entries (experiences, competences, the profile); the
participant rewrites it as a recruiter should read it and saves it or not. Languages
always come from the portfolio's self-assessment, so there is one place to keep them.
Contact details are never part of the CV as stored: they are typed at export time.

Plain Python: the page turns its form into the raw shape `clean` expects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app import texts
from app.dates import show_when
from app.portfolio.errors import PortfolioRefused
from app.portfolio.projection import Portfolio
from app.vocabulary.boards import COMPETENCE_CATEGORIES

LISTS = ("work", "volunteering", "education")
ITEM_FIELDS = ("title", "place", "when", "details")
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


def _experience(fields: Mapping[str, Any]) -> dict[str, str]:
    return {
        "title": str(fields.get("what", "")),
        "place": str(fields.get("where", "")),
        "when": show_when(str(fields.get("when", ""))),
        "details": str(fields.get("details", "")),
    }


def draft_from(portfolio: Portfolio) -> dict[str, Any]:
    """A first CV from the entries: paid work, voluntary work, competences, the profile."""
    work, volunteering = [], []
    for section in ("professional_experiences", "social_experiences"):
        for entry in portfolio.entries(section):
            if entry.board != "experiences":
                continue
            paid = entry.fields.get("kind") == "paid" and section == "professional_experiences"
            (work if paid else volunteering).append(_experience(entry.fields))
    skills = [
        {"name": str(entry.fields["name"]), "category": str(entry.fields["category"])}
        for entry in portfolio.entries("competences")
        if entry.board == "competences"
    ]
    about = next(
        (str(e.fields["text"]) for e in portfolio.entries("profile") if e.board == "free_text"),
        "",
    )
    return {
        "headline": "",
        "about": texts.cut(about, LIMITS["about"]),
        "work": work[:MAX_ITEMS],
        "volunteering": volunteering[:MAX_ITEMS],
        "education": [],
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
            cv["skills"].append({"name": name, "category": item["category"]})
    return cv


def from_form(get: Callable[[str], str | None], rows: Mapping[str, int]) -> dict[str, Any]:
    """Read the editor's flat form (`work-0-title`, `skills-3-name`, …) into `clean`'s shape.

    A row is kept only when its "keep" box is ticked (new rows are ticked by default);
    `rows` says how many rows of each list the page showed.
    """
    raw: dict[str, Any] = {name: get(name) for name in ("headline", "about", "other")}
    for name in (*LISTS, "skills"):
        fields = ITEM_FIELDS if name != "skills" else ("name", "category")
        items = []
        for i in range(min(rows.get(name, 0), MAX_ITEMS if name != "skills" else MAX_SKILLS)):
            if not get(f"{name}-{i}-keep"):
                continue
            items.append({f: get(f"{name}-{i}-{f}") or "" for f in fields})
        raw[name] = [item for item in items if any(v for k, v in item.items() if k != "category")]
    return raw
