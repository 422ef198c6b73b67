"""The one Markdown path (render, then sanitise) and the join QR code, for pages and PDFs."""

from __future__ import annotations

import functools

import markdown as markdown_lib
import nh3
import segno
from markupsafe import Markup

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "hr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render Markdown to HTML and keep only an allow-list of tags and safe links.

    Remembered by text: a portfolio page renders hundreds of entries, and rendering each
    again on every reload would hold every live room as long."""
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def join_url(public_url: str, code: str) -> str:
    return f"{public_url}/j/{code}"


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code (no style attributes, so the strict CSP allows it)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    return Markup(svg.replace('class="segno"', 'class="qr" role="img" aria-hidden="true"', 1))
