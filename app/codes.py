"""Short codes people read off a screen or hear, and type on a phone."""

from __future__ import annotations

import hashlib
import secrets

from app import texts

# No 0/O, 1/I/l: those are misread on a projector and mistyped on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
REJOIN_CODE_LENGTH = 8


def new_code(length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """A code as typed on any keyboard: 'abc 234', 'ABC-234', full-width or Arabic-Indic
    digits, a space or an invisible character copied with it (see app/texts.py)."""
    return texts.code_as_typed(typed)


def looks_valid(code: str, length: int) -> bool:
    return len(code) == length and all(ch in ALPHABET for ch in code)


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
