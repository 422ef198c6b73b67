"""Reading a PDF back as its reader sees it: the fonts embedded, the text, each word with
its box (pdftotext -bbox), in lines. The PDF tests build on these; the tests here check
the reading itself on a PDF whose layout is known."""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from app.pdf import render_pdf

XHTML = "{http://www.w3.org/1999/xhtml}"


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        return subprocess.run(
            [f"/usr/bin/{tool}", *args, str(source), *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdffonts(pdf: bytes) -> str:
    """pdffonts' table of the fonts embedded."""
    return _poppler("pdffonts", pdf)


def pdftotext(pdf: bytes) -> str:
    """The text as pdftotext gives it back, in reading order."""
    return _poppler("pdftotext", pdf)


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox sees it, in points from the page's top left corner."""

    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def pdf_words(pdf: bytes) -> list[Page]:
    """Each page's words and their boxes, in pdftotext's order (glyphs as drawn, left to
    right: a right-to-left word comes out reversed)."""
    pages = []
    for page in ET.fromstring(_poppler("pdftotext", pdf, "-bbox")).iter(f"{XHTML}page"):
        words = [
            Word(
                word.text or "",
                *(float(word.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")),
            )
            for word in page.iter(f"{XHTML}word")
        ]
        pages.append(Page(float(page.attrib["width"]), float(page.attrib["height"]), words))
    return pages


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped in lines, top to bottom, each line left to right. Fonts of different
    scripts sit at different heights on one line: a line is what its first word spans."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y_min + w.y_max) / 2):
        middle = (word.y_min + word.y_max) / 2
        if lines and lines[-1][0].y_min < middle < lines[-1][0].y_max:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x_min) for line in lines]


def test_words_come_back_with_their_boxes_in_lines_and_right_to_left_reversed():
    html = '<p>Bonjour Amina</p><p dir="rtl">طبخت كل يوم</p><p>Tunis</p>'
    page = pdf_words(render_pdf(f"<html><body>{html}</body></html>"))[0]

    lines = [[word.text for word in line] for line in lines_of(page.words)]
    assert lines == [["Bonjour", "Amina"], ["موي", "لك", "تخبط"], ["Tunis"]]
    first, second = page.words[:2]
    assert first.x_max < second.x_min and first.y_min == second.y_min
    assert 0 < first.x_min < page.width and 0 < first.y_max < page.height


def test_fonts_and_text_come_back_from_poppler():
    pdf = render_pdf("<p style='font-family: DejaVu Sans'>Bonjour Amina</p>")
    assert "DejaVu-Sans" in pdffonts(pdf)
    assert pdftotext(pdf).strip() == "Bonjour Amina"
