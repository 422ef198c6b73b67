"""Checks on what clients send: each returns the clean value or raises BadPayload.

Value checks (`text_of`, `whole_number`, `true_or_false`…) are what the command table
in `commands.py` declares per field; `integer` and `boolean` read one key with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from app import texts
from app.refusals import Refused

MAX_CLIENT_ID = 64
CLIENT_ID = re.compile(rf"[A-Za-z0-9._:-]{{8,{MAX_CLIENT_ID}}}")
MAX_WHOLE_NUMBER = 2**31


class BadPayload(Refused, ValueError):
    """A payload of the wrong shape; `code` names the error the sender is shown, `what`
    (the detail) the field or shape expected."""

    def __init__(self, what: str, code: str = "bad_request") -> None:
        super().__init__(code, what, message=what)


def as_dict(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadPayload("expected an object")
    return data


def storable(value: str) -> bool:
    """Text every database can keep: no NUL (PostgreSQL refuses it), no lone surrogate
    (not encodable as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable_tree(value: Any) -> bool:
    """The same for every string in a JSON-like value, keys included."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return all(storable_tree(k) and storable_tree(v) for k, v in value.items())
    if isinstance(value, list):
        return all(storable_tree(item) for item in value)
    return True


def text_of(limit: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not storable(value):
            raise BadPayload(f"text of at most {limit} characters")
        if texts.too_long(value, limit):  # the one a person can cause by typing: say so
            raise BadPayload(f"text of at most {limit} characters", "text_too_long")
        return value

    return check


def whole_number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_WHOLE_NUMBER:
        raise BadPayload("a whole number")
    return value


def optional_whole_number(value: Any) -> int | None:
    return None if value is None else whole_number(value)


def true_or_false(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadPayload("true or false")
    return value


def integer(data: dict[str, Any], key: str) -> int:
    return whole_number(data.get(key))


def boolean(data: dict[str, Any], key: str) -> bool:
    return true_or_false(data.get(key))


def client_id(data: dict[str, Any], *, required: bool = True) -> str | None:
    value = data.get("client_id")
    if value is None and not required:
        return None
    if not isinstance(value, str) or not CLIENT_ID.fullmatch(value):
        raise BadPayload("client_id must be 8 to 64 letters, digits or ._:-")
    return value
