"""One HTML form for every kind of entry: read it back into the fields a schema checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.vocabulary.boards import MAX_ACTIONS, BoardType

Getter = Callable[[str], str | None]


def raw_fields(schema: BoardType, get: Getter) -> dict[str, Any]:
    """The form's values by field name; the schema then checks and cleans them.

    An action plan's steps come as numbered rows (`actions-0-what`, `actions-0-deadline`);
    a row left blank is dropped, so the form can always offer a few empty ones.
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
        value = get(field.name)
        if value is not None:
            raw[field.name] = value.replace("\r\n", "\n")
    return raw


def error_field(detail: str) -> str:
    """The field an IllegalMove's detail names ("text:500" -> "text")."""
    return detail.split(":", 1)[0].split(".", 1)[0]
