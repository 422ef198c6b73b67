"""The direction a piece of text is written in, for the PDF documents.

WeasyPrint ignores `dir="auto"`, so a PDF that mixes an entry in Arabic with a French
page must say `dir="rtl"` on that entry itself. Everything else about bidirectional text
(the order of letters, numbers and brackets on a line, Arabic joining) is WeasyPrint's:
Pango with FriBidi and HarfBuzz. The paragraph direction comes from python-bidi (the
Rust `unicode-bidi` crate), not from a rule written here.
"""

from __future__ import annotations

from bidi import get_base_level


def direction_of(text: str) -> str:
    """Return "rtl" if the text's paragraph direction is right-to-left, else "ltr"."""
    # Unicode's rules P2 and P3: the first strong letter decides, skipping what sits in an
    # isolate; digits and punctuation do not. A text without paragraphs raises: left to right.
    try:
        return "rtl" if get_base_level(text) % 2 else "ltr"
    except ValueError:
        return "ltr"
