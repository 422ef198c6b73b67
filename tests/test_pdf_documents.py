"""The portfolio and the CV a participant takes away: complete, in order, and harmless.

No database: a realistic portfolio is built in memory (tests/portfolio_sample.py) and
rendered as production does, through the PDF worker.
"""

from __future__ import annotations

import dataclasses
import http.server
import io
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from flask import Flask
from pypdf import PdfReader

from app.models import Participant
from app.pdf import render_pdf
from app.pdf.fetcher import RefusingFetcher
from app.portfolio import cv as cv_module
from app.portfolio.pathway import pathway
from app.portfolio.projection import Comment, Entry, Portfolio, Provenance
from app.portfolio_pages.documents import cv_html, portfolio_html, stylesheet
from app.textdir import direction_of
from tests.portfolio_sample import ARABIC_EVENT, ARABIC_EVIDENCE, sample_portfolio
from tests.xss_corpus import VECTORS, assert_neutralised, assert_no_script_in_pdf, tag_names

HEADINGS = [
    ("profile", "About me"),
    ("languages", "Languages"),
    ("migration_pathway", "My migration pathway"),
    ("professional_experiences", "Professional experience"),
    ("social_experiences", "Social experience"),
    ("competences", "Competences"),
    ("action_plan", "Action plan"),
    ("cv", "Towards my CV"),
    ("evaluation", "Evaluation"),
]
CONTACT = {"email": "amina.b@example.org", "phone": "06 12 34 56 78", "address": ""}


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def amina(locale: str = "en") -> Participant:
    return Participant(display_name="Amina", locale=locale)


def pdf_text(pdf: bytes, first_page: int = 0) -> str:
    """The text of the pages, whitespace collapsed, as a reader would search it."""
    pages = PdfReader(io.BytesIO(pdf)).pages[first_page:]
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def needle(text: str, words: int = 6) -> str:
    """The first words of an entry, as printed: Markdown's emphasis marks are gone."""
    return " ".join(re.sub(r"[*_`]", "", text).split()[:words])


def portfolio_pdf(app: Flask, portfolio: Portfolio, locale: str = "en") -> bytes:
    return render_pdf(portfolio_html(portfolio, amina(locale)), stylesheet())


# --- the portfolio -------------------------------------------------------------------------


def test_the_portfolio_has_every_section_in_order_with_each_entry_under_its_heading(ctx):
    portfolio = sample_portfolio()
    assert len(portfolio) == 40
    text = pdf_text(portfolio_pdf(ctx, portfolio), first_page=1)  # after the cover

    positions = []
    start = 0
    for _, heading in HEADINGS:
        found = text.find(heading, start)
        assert found >= 0, f"heading {heading!r} missing or out of order"
        positions.append(found)
        start = found + len(heading)
    ends = [*positions[1:], len(text)]
    bounds = {s: (low, high) for (s, _), low, high in zip(HEADINGS, positions, ends, strict=True)}

    for section, entries in portfolio.sections.items():
        low, high = bounds[section]
        for entry in entries:
            if direction_of(entry.text) == "rtl":
                continue  # Arabic comes out of PDF text extraction reordered; see below
            words = needle(entry.text)
            found = text.find(words, low)
            assert low <= found < high, f"{words!r} is not under {section!r}"


def test_the_portfolio_shows_provenance_and_hidden_cards_but_no_tutor_comments(ctx):
    portfolio = sample_portfolio()
    entry = portfolio.entries("competences")[0]
    commented = dataclasses.replace(
        entry, comments=(Comment(1, entry.key, "Tutor only: strong profile", "Camille", 0),)
    )
    portfolio.sections["competences"][0] = commented
    portfolio.comments.append(Comment(2, None, "Tutor only: call her back", "Camille", 0))

    html = portfolio_html(portfolio, amina())
    text = pdf_text(render_pdf(html, stylesheet()))

    assert "Tutor only" not in html
    assert "Workshop 4 · My competences · October 5, 2026" in text
    assert "Added by the participant · September 16, 2026" in text
    assert "A tutor hid this card from the group's board. Reason given: It names another" in text
    assert "written down by a tutor" in text
    # Private entries are the participant's too: they are in their own document.
    assert "I joined the Migrapass workshops." in text


def test_the_cover_names_the_participant_and_the_footer_numbers_pages(ctx):
    pdf = portfolio_pdf(ctx, sample_portfolio())
    reader = PdfReader(io.BytesIO(pdf))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Amina" in cover and "PORTFOLIO OF COMPETENCES" in cover.upper()
    assert "Exported on" in cover and "CONTENTS" in cover.upper()
    total = len(reader.pages)
    second = " ".join(reader.pages[1].extract_text().split())
    assert f"Amina — Portfolio — 2 / {total}" in second
    assert reader.metadata.title == "Amina — Portfolio"


def test_empty_sections_are_left_out(ctx):
    portfolio = sample_portfolio()
    del portfolio.sections["evaluation"], portfolio.sections["social_experiences"]
    html = portfolio_html(portfolio, amina())
    assert 'id="section-competences"' in html
    assert 'id="section-evaluation"' not in html
    assert 'id="section-social_experiences"' not in html


def test_a_french_participant_gets_a_french_document(ctx):
    html = portfolio_html(sample_portfolio(), amina("fr"))
    assert '<html lang="fr" dir="ltr">' in html
    text = pdf_text(render_pdf(html, stylesheet())).casefold()
    assert "portfolio de compétences" in text and "mon parcours de migration" in text
    cv = cv_html(cv_module.current(sample_portfolio()), sample_portfolio(), amina("fr"), CONTACT)
    text = pdf_text(render_pdf(cv, stylesheet())).casefold()
    assert "expérience professionnelle" in text and "compétences linguistiques" in text


# --- the CV ----------------------------------------------------------------------------------


def test_the_cv_has_the_name_headline_experience_languages_and_contact_given(ctx):
    portfolio = sample_portfolio()
    cv = cv_module.current(portfolio)
    html = cv_html(cv, portfolio, amina(), CONTACT)
    text = pdf_text(render_pdf(html, stylesheet()))

    assert "Amina" in text
    assert cv["headline"] in text
    for item in cv["work"]:
        assert item["title"] in text
    assert "Vocational diploma in cooking" in text
    assert "Mother tongue(s) Arabic" in text
    assert re.search(r"French B2 B1 B1 B1 A2", text)
    assert re.search(r"English A2 A2 A1 A1 A1", text)
    assert "C1 and C2: proficient user" in text
    labels = text.upper()  # the labels are set in capitals
    assert "E-MAIL AMINA.B@EXAMPLE.ORG" in labels
    assert "PHONE 06 12 34 56 78" in labels
    assert "ADDRESS" not in labels  # left empty at export: no label either
    assert "Amina — Curriculum vitae — 1 /" in text


def test_the_cv_without_contact_details_has_no_contact_labels(ctx):
    portfolio = sample_portfolio()
    html = cv_html(cv_module.current(portfolio), portfolio, amina(), {})
    text = pdf_text(render_pdf(html, stylesheet()))
    for label in ("E-mail", "Phone", "Address"):
        assert label not in html and label.upper() not in text.upper()


def test_the_cv_asks_nothing_a_recruiter_does_not_need(ctx):
    portfolio = sample_portfolio()
    html = cv_html(cv_module.current(portfolio), portfolio, amina(), CONTACT)
    for word in ("Date of birth", "Nationality", "<img"):
        assert word not in html


# --- hostile text -------------------------------------------------------------------------


def hostile_portfolio(vectors: list[str]) -> Portfolio:
    """Every vector in every kind of field: sentences, short fields, the timeline picture."""
    portfolio = Portfolio(1)
    prov = Provenance(1, "w4-professional-competences", "competences", 1_790_000_000_000)

    def add(section: str, board: str, fields: dict[str, Any], **flags: Any) -> None:
        n = sum(len(e) for e in portfolio.sections.values())
        entry = Entry(f"s1:c{n}", section, board, fields, prov, added_ms=prov.posted_ms, **flags)
        portfolio.sections.setdefault(section, []).append(entry)

    for vector in vectors:
        add("profile", "free_text", {"text": vector}, hidden=True, hidden_reason=vector)
        add("migration_pathway", "timeline", {"when": "2019", "place": vector, "text": vector})
        add(
            "competences", "competences", {"name": vector, "category": "social", "evidence": vector}
        )
        experience = {"what": vector, "where": vector, "when": vector, "details": vector}
        add(
            "professional_experiences",
            "experiences",
            {**experience, "setting": "abroad", "kind": "paid"},
        )
        add(
            "action_plan",
            "action_plan",
            {
                "goal": vector,
                "actions": [{"what": vector, "deadline": "2027-01"}],
                "resources": vector,
            },
        )
        add("languages", "language", {"language": vector, "mother_tongue": "no", "reading": "B1"})
    return portfolio


def hostile_cv(vectors: list[str]) -> dict[str, Any]:
    items = [{"title": v, "place": v, "when": v, "details": v} for v in vectors]
    return {
        "headline": " ".join(vectors),
        "about": "\n\n".join(vectors),
        "work": items,
        "volunteering": items,
        "education": items,
        "skills": [{"name": v, "category": "migration"} for v in vectors],
        "other": "\n\n".join(vectors),
    }


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request: rendering must make none."""
    requests: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_every_xss_vector_is_neutralised_in_both_documents_and_fetches_nothing(ctx, listener):
    base, requests = listener
    local = [
        f"![x]({base}/markdown.png)",
        f'<img src="{base}/img.png">',
        f"<link rel=stylesheet href={base}/link.css>",
        f"<style>@import '{base}/import.css';</style>",
        f'<div style="background:url({base}/bg.png)">x</div>',
        f'<svg><image href="{base}/svg.png"/></svg>',
        f'<iframe src="{base}/frame.html"></iframe>',
    ]
    vectors = [*VECTORS, *local]
    portfolio = hostile_portfolio(vectors)

    person = Participant(display_name='"><img src=x onerror=alert(1)>', locale="en")
    html = portfolio_html(portfolio, person)
    assert_neutralised(html)
    contact = {"email": vectors[0], "phone": vectors[1], "address": vectors[2]}
    cv = cv_html(hostile_cv(vectors), portfolio, person, contact)
    assert_neutralised(cv)
    # A document has no frame of its own to excuse: none of these, at any address.
    for document in (html, cv):
        assert not tag_names(document) & {"script", "form", "input", "meta", "link", "img"}

    for document in (html, cv):
        assert_no_script_in_pdf(render_pdf(document, stylesheet()))
    # Belt and braces: even HTML that escaped the sanitiser fetches nothing in the worker.
    raw = f'<img src="{base}/raw.png"><link rel="stylesheet" href="{base}/raw.css">'
    render_pdf(f"<html><body>{raw}<p>x</p></body></html>", f"@import '{base}/css.css';")
    assert requests == []


def test_the_checker_catches_what_it_is_meant_to_catch():
    for bad in (
        "<script>alert(1)</script>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<p onclick=x>",
        '<img src="file:///etc/passwd">',
        "<link rel=stylesheet href=http://evil.example/x.css>",
        "<style>p{}</style>",
        '<div style="background:url(x.png)">',
        '<form action="https://evil.example/steal">',
        "<meta http-equiv=refresh content=0>",
        '<script src="//evil.example/x.js"></script>',
        '<a href="\\\\evil.example\\x">x</a>',
    ):
        with pytest.raises(AssertionError):
            assert_neutralised(bad)
    # Escaped text, ordinary links and the application's own frame are fine.
    assert_neutralised('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><a href="https://x.org">x</a>')
    assert_neutralised(
        '<meta charset="utf-8"><link rel="stylesheet" href="/static/css/app.css">'
        '<script src="/static/js/live.js" defer></script><form method="post" action="/me">'
    )
    assert len(VECTORS) >= 40


def test_the_pathway_picture_escapes_text_and_refers_to_nothing(ctx):
    portfolio = Portfolio(1)
    fields = {"when": "2019-03", "place": "<b>Tunis</b>", "text": '"&" <script>alert(1)</script>'}
    entry = Entry("p1:e1", "migration_pathway", "timeline", fields, None, added_ms=0)
    portfolio.sections["migration_pathway"] = [entry]
    html = portfolio_html(portfolio, amina())
    picture = html[html.index('<figure class="pathway"') : html.index("</figure>")]
    assert "<script" not in picture and "&lt;script&gt;" in picture and "&lt;b&gt;Tunis" in picture
    assert "03/2019" in picture
    assert "href" not in picture and "style" not in picture
    assert picture.count("<circle") == 1
    assert pathway([]) == []


# --- Arabic ----------------------------------------------------------------------------------


def walk_boxes(box: Any, ancestors: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from walk_boxes(child, (*ancestors, box))


def test_arabic_entries_are_right_to_left_and_aligned_right(ctx):
    html = portfolio_html(sample_portfolio(), amina())
    for arabic in (ARABIC_EVENT, ARABIC_EVIDENCE):
        assert re.search(rf'<div class="md[^"]*" dir="rtl"><p>{arabic}</p>', html)

    document = weasyprint.HTML(string=html, url_fetcher=RefusingFetcher()).render(
        stylesheets=[weasyprint.CSS(string=stylesheet())]
    )
    checked = 0
    for page in document.pages:
        for box, ancestors in walk_boxes(page._page_box):
            text = getattr(box, "text", "")
            if ARABIC_EVIDENCE[:5] not in text or not ancestors:
                continue
            line = ancestors[-1]
            paragraph = ancestors[-2]  # the <p>: the line's containing block
            assert box.style["direction"] == "rtl"
            right_edge = paragraph.content_box_x() + paragraph.width
            assert abs((line.position_x + line.width) - right_edge) < 1
            assert abs((box.position_x + box.width) - right_edge) < 2
            assert box.position_x > paragraph.content_box_x() + paragraph.width / 2
            checked += 1
    assert checked == 1


# --- pictures of the pages -----------------------------------------------------------------------


def to_png(pdf: bytes, name: str, folder: Path) -> list[Path]:
    for old in folder.glob(f"{name}-page-*.png"):
        old.unlink()
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["/usr/bin/pdftoppm", "-png", "-r", "60", str(source), str(folder / f"{name}-raw")],
        check=True,
    )
    pages = []
    for raw in sorted(folder.glob(f"{name}-raw-*.png")):
        number = int(raw.stem.rsplit("-", 1)[1])  # pdftoppm pads to the page count's width
        pages.append(raw.rename(folder / f"{name}-page-{number}.png"))
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def test_every_page_of_both_documents_renders_to_a_picture(ctx, artefacts):
    portfolio = sample_portfolio()
    documents = {
        "portfolio": portfolio_pdf(ctx, portfolio),
        "cv": render_pdf(
            cv_html(cv_module.current(portfolio), portfolio, amina(), CONTACT), stylesheet()
        ),
    }
    for name, pdf in documents.items():
        count = len(PdfReader(io.BytesIO(pdf)).pages)
        pages = to_png(pdf, name, artefacts)
        assert [p.name for p in pages] == [f"{name}-page-{n}.png" for n in range(1, count + 1)]
        assert all(p.stat().st_size > 1000 for p in pages)
    assert len(list(artefacts.glob("portfolio-page-*.png"))) >= 4


def test_a_spaced_out_heading_keeps_its_arabic_letters_joined():
    """Letter-spacing pulls Arabic's joined letters apart: every rule of the PDFs that
    spaces letters out is undone for a right-to-left document."""
    rules = [
        ([" ".join(s.split()) for s in selectors.split(",")], body)
        for selectors, body in re.findall(
            r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.S)
        )
    ]
    spaced = {
        selector
        for selectors, body in rules
        if re.search(r"letter-spacing:\s*(?!normal)\S", body)
        for selector in selectors
        if "cover-brand" not in selector  # "MIGRAPASS", in Latin capitals, stays spaced
    }
    undone = {
        selector
        for selectors, body in rules
        if "letter-spacing: normal" in body
        for selector in selectors
    }
    missing = [s for s in spaced if f'[dir="rtl"] {s}' not in undone]
    assert spaced and not missing, missing
