"""Short codes people read off a screen or hear, and type on a phone."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/l: those are misread on a projector and mistyped on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
REJOIN_CODE_LENGTH = 8


def new_code(length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """Upper-case and drop spaces and dashes, so 'abc 234' and 'ABC-234' both work."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def looks_valid(code: str, length: int) -> bool:
    return len(code) == length and all(ch in ALPHABET for ch in code)


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
