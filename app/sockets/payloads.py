"""Checks on what clients send: each returns the clean value or raises BadPayload."""

from __future__ import annotations

from typing import Any

MAX_CLIENT_ID = 64


class BadPayload(ValueError):
    pass


def as_dict(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadPayload("expected an object")
    return data


def text(data: dict[str, Any], key: str, max_len: int, *, required: bool = True) -> str:
    value = data.get(key, "" if not required else None)
    if not isinstance(value, str):
        raise BadPayload(f"{key} must be text")
    if len(value) > max_len:
        raise BadPayload(f"{key} is too long")
    return value


def integer(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadPayload(f"{key} must be a whole number")
    return value


def boolean(data: dict[str, Any], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise BadPayload(f"{key} must be true or false")
    return value


def client_id(data: dict[str, Any], *, required: bool = True) -> str | None:
    value = data.get("client_id")
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 8 <= len(value) <= MAX_CLIENT_ID:
        raise BadPayload("client_id must be 8 to 64 characters")
    return value
