"""One HTML form for every kind of entry: read it back into the fields a schema checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app.vocabulary.boards import DOCUMENT_KINDS, MAX_ACTIONS, BoardType
from app.workshops.suggestions import Suggestion, esco_of

Getter = Callable[[str], str | None]


def raw_fields(
    schema: BoardType, get: Getter, suggestions: Iterable[Suggestion] = ()
) -> dict[str, Any]:
    """The form's values by field name; the schema then checks and cleans them.

    An action plan's steps come as numbered rows (`actions-0-what`, `actions-0-deadline`);
    a row left blank is dropped, so the form can always offer a few empty ones. The papers
    behind an entry come as one choice per kind of paper (`documents-payslip`: held or
    not), "" for a kind that does not apply. A competence's ESCO skill is never typed: it
    is the one of the suggestion the competence is named after, if any, so a name changed
    away from the list loses it (and nothing sent can name another).
    """
    raw: dict[str, Any] = {}
    for field in schema.fields:
        if field.name == "actions":
            rows = []
            for i in range(MAX_ACTIONS):
                what = (get(f"actions-{i}-what") or "").strip()
                deadline = (get(f"actions-{i}-deadline") or "").strip()
                if what or deadline:
                    rows.append({"what": what, "deadline": deadline})
            raw["actions"] = rows
            continue
        if field.name == "documents":
            raw["documents"] = [
                {"kind": kind, "held": held}
                for kind in DOCUMENT_KINDS
                if (held := (get(f"documents-{kind}") or "").strip())
            ]
            continue
        if field.name == "esco":
            raw["esco"] = esco_of(suggestions, get("name")) or ""
            continue
        value = get(field.name)
        if value is not None:
            raw[field.name] = value.replace("\r\n", "\n")
    return raw


def error_field(detail: str) -> str:
    """The field an IllegalMove's detail names ("text:500" -> "text")."""
    return detail.split(":", 1)[0].split(".", 1)[0]
