"""Names of downloaded files, and the header that gives a download its name.

API, for every download of the app (PDFs, CSV, Markdown, JSON):

- ``attachment(filename_utf8, ascii_fallback) -> dict[str, str]``: the headers to add to
  a ``Response``: ``{"Content-Disposition": 'attachment; filename="<ascii>";
  filename*=UTF-8\\'\\'<percent-encoded UTF-8>'}`` (RFC 6266, RFC 5987/8187). Both names
  are cleaned again here (no quotes, slashes, control or direction characters), so any
  text can be passed.
- ``download_names(words, day, extension, neutral="file") -> tuple[str, str]``: the
  ``(utf8, ascii)`` pair for a file named after its words and a day, e.g.
  ``download_names(["portfolio", "Zoë"], date(2026, 11, 29), "pdf")`` →
  ``("migrapass-portfolio-zoë-2026-11-29.pdf", "migrapass-portfolio-zoe-2026-11-29.pdf")``.
  A word with nothing left in ASCII (a name in Arabic script) becomes ``neutral``
  in the ASCII name; a word with nothing left at all, in both.
- ``ascii_words(text, neutral="") -> str``: "Zoë Benali" → "zoe-benali" (NFKD, accents
  dropped); "أمينة" → ``neutral``.
- ``organisation_today() -> date``: today in the organisation's time zone
  (``MIGRAPASS_TIMEZONE``), the day a download is named after. Needs an app context.

So ``Response(body, headers=attachment(*download_names([...], organisation_today(), "csv")))``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import quote

PREFIX = "migrapass"
MAX_WORD = 40  # characters of one word (a long name) kept in a file name

_ASCII_WORD = re.compile(r"[^a-z0-9]+")
# Latin letters that NFKD does not take apart into a base letter and an accent.
_LATIN = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Characters no file name should carry: path separators, quotes, reserved on Windows.
_UNSAFE = set('/\\:*?"<>|%;')


def ascii_words(text: str, neutral: str = "") -> str:
    """Lower-case ASCII letters and digits joined by hyphens, accents taken off."""
    folded = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = plain.casefold().translate(_LATIN)
    words = _ASCII_WORD.sub("-", plain.encode("ascii", "ignore").decode())
    return _whole_words(words.strip("-")) or neutral


def utf8_words(text: str) -> str:
    """Letters and digits of any script, lower-cased, joined by hyphens."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Mn":
            kept.append(char)
        else:  # spaces, punctuation, symbols, control and direction marks
            kept.append("-")
    words = re.sub("-+", "-", "".join(kept)).lower().strip("-")
    return _whole_words(words)


def _whole_words(words: str) -> str:
    """At most MAX_WORD characters, cut between two words (a single longer word is cut)."""
    if len(words) <= MAX_WORD:
        return words
    cut = words[: MAX_WORD + 1].rsplit("-", 1)[0]
    return (cut if len(cut) < len(words[: MAX_WORD + 1]) else words[:MAX_WORD]).strip("-")


def download_names(
    words: Sequence[str], day: date, extension: str, neutral: str = "file"
) -> tuple[str, str]:
    """The (UTF-8, ASCII) names of a download: ``migrapass-<words>-<day>.<extension>``."""
    unicode_parts = [PREFIX] + [utf8_words(word) or neutral for word in words]
    ascii_parts = [PREFIX] + [ascii_words(word, neutral) for word in words]
    stamp = day.isoformat()
    return (
        "-".join([*unicode_parts, stamp]) + f".{extension}",
        "-".join([*ascii_parts, stamp]) + f".{extension}",
    )


def attachment(filename_utf8: str, ascii_fallback: str) -> dict[str, str]:
    """The Content-Disposition header of a download with both of its names."""
    fallback = "".join(
        c for c in ascii_fallback if c.isascii() and c.isprintable() and c not in _UNSAFE
    ).strip(" .")
    fallback = fallback or "download"
    utf8 = "".join(
        c
        for c in unicodedata.normalize("NFC", filename_utf8)
        if c not in _UNSAFE and unicodedata.category(c)[0] != "C"
    ).strip(" .")
    value = f'attachment; filename="{fallback}"'
    if utf8 and utf8 != fallback:
        value += f"; filename*=UTF-8''{quote(utf8, safe='')}"
    return {"Content-Disposition": value}


def organisation_today() -> date:
    """Today in the organisation's time zone (Flask-Babel's), not the server's."""
    from flask_babel import to_user_timezone

    return to_user_timezone(datetime.now(UTC)).date()
