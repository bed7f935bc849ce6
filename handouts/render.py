"""HTML from Jinja layouts, PDF from WeasyPrint: pure functions returning strings and bytes.

One ``Renderer`` per process holds what is costly to make and safe to reuse:
the Jinja environment, the font configuration and the pre-parsed stylesheet.
WeasyPrint may only fetch files inside the project's ``layouts/`` and
``curriculum/`` folders, and any warning it logs fails the document.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup, escape
from weasyprint import CSS, HTML
from weasyprint import __version__ as weasyprint_version
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import RenderError
from .glyphs import font_css, one_weight
from .i18n import Fallback
from .tagging import finish, hyphenated_words, tagged


class ProjectFetcher(URLFetcher):
    """Serves files from the given folders only: no network, no escape by ``..`` or links."""

    def __init__(self, roots: Sequence[Path]):
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is a data URL or a file inside the allowed folders."""
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise ValueError(f"only the project's own files may be used, not {url}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"{path} is outside the project's layouts/ and curriculum/ folders")
        if not path.is_file():
            raise ValueError(f"file not found: {path}")
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes())


class _Collect(logging.Handler):
    """Keeps every warning or error WeasyPrint logs while one document renders."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings_fail(name: str) -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    if handler.messages:
        details = "\n  ".join(dict.fromkeys(handler.messages))
        raise RenderError(f"{name}: the PDF engine reported problems:\n  {details}")


def as_label(text: str) -> Markup:
    """A layout label as Jinja's i18n may use it: text, never markup; a stray ``%`` kept as written.

    Jinja marks what gettext returns as safe HTML and then %-formats it; escaping here
    means a translation prints exactly as the catalog's checks saw it, and doubling every
    ``%`` that does not start a ``%(name)s`` placeholder means a lone ``%`` prints as ``%``.
    """
    return Markup(re.sub(r"%(?!\([A-Za-z_]+\)[sd])", "%%", str(escape(text))))


#: Private-use marks around source text printed for want of a translation, while a layout is
#: drawn; ``mark_fallback`` turns them into ``<span lang="en" dir="ltr">`` (or drops them inside
#: tags and the head). No data file or catalog may hold private-use characters (safety.py).
FALLBACK_START, FALLBACK_END = "\ue000", "\ue001"
_MARKS = re.compile(f"[{FALLBACK_START}{FALLBACK_END}]")
_MARKED = re.compile(f"{FALLBACK_START}([^{FALLBACK_START}{FALLBACK_END}]*){FALLBACK_END}")


def marked(value: Any) -> Any:
    """Jinja's ``finalize``: a fallback string is printed between the marks."""
    return f"{FALLBACK_START}{value}{FALLBACK_END}" if isinstance(value, Fallback) else value


def mark_fallback(html: str) -> str:
    """Marked fallback text becomes ``<span lang="en" dir="ltr">``; marks inside a tag (an
    ``aria-label``, an ``alt``) or in the head are dropped, as is any unpaired mark."""
    head_end = html.find("</head>")
    head, body = (html[:head_end], html[head_end:]) if head_end >= 0 else ("", html)
    body = re.sub(r"<[^>]*>", lambda tag: _MARKS.sub("", tag.group()), body)
    body = _MARKED.sub(r'<span lang="en" dir="ltr">\1</span>', body)
    return _MARKS.sub("", head) + _MARKS.sub("", body)


def _label(text: str) -> Markup:
    """A layout label; fallback text between the marks (see ``mark_fallback``)."""
    label = as_label(text)
    return Markup(f"{FALLBACK_START}{label}{FALLBACK_END}") if isinstance(text, Fallback) else label


def direction(text: str) -> str:
    """``"rtl"`` when ``text`` starts (first strong character) in a right-to-left script, else
    ``"ltr"``: the ``dir`` of a name from the data, so that "988 Suicide & Crisis Lifeline" on an
    Arabic page keeps its number in front (HTML's ``dir="auto"``, which WeasyPrint lacks)."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def display_width(text: str) -> int:
    """How many Latin letters' room ``text`` takes on a line, roughly: a wide or full-width
    character (Chinese, Japanese, Korean: Unicode's East Asian Width W or F) counts two, a
    combining mark or an invisible format character none, any other character one. The card
    layout's "long text" rule counts with it, so a Chinese card is not judged by half its width."""
    width = 0
    for char in str(text):
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def css_content(template: str, counters: dict[str, str]) -> str:
    """A CSS ``content`` value from a translated template like 'Page %(page)s of %(pages)s'."""
    parts: list[str] = []
    rest = template
    while rest:
        positions = [(rest.find(f"%({name})s"), name) for name in counters]
        positions = [(index, name) for index, name in positions if index >= 0]
        if not positions:
            parts.append(css_string(rest))
            break
        index, name = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(counters[name])
        rest = rest[index + len(f"%({name})s") :]
    return " ".join(parts) or '""'


@dataclass(frozen=True)
class Page:
    """The page box of a document: paper and the page-number template.

    Footers and the draft mark are named strings that each part sets
    (``string-set`` in ``style.css``), so the parts of a packet keep their own.
    """

    paper: str
    page_template: str
    accent: str | None = None  # the organization's colour, replacing the default accent
    language: str = ""  # the first part's language tag: a CJK draft mark keeps one weight
    blank: str = ""  # what a page left blank says (a right-hand start), in the page's middle
    # A document made part by part (joining.py): the number of its first page, the joined
    # document's page count, and the side its first page falls on.
    first_page: int = 0
    total: int = 0
    side: str = ""

    def css(self) -> str:
        """The per-document stylesheet."""
        pages = css_string(str(self.total)) if self.total else "counter(pages)"
        counters = {"page": "counter(page)", "pages": pages}
        brand = ""
        if self.accent:
            from .branding import tint

            brand = f":root {{ --accent: {self.accent}; --accent-soft: {tint(self.accent)}; }}\n"
        return brand + (
            f"@page {{ size: {self.paper}; "
            "@top-center { content: string(draft); } "
            "@bottom-left { content: string(footer-left); } "
            f"@bottom-center {{ content: {css_content(self.page_template, counters)}; }} "
            "@bottom-right { content: string(footer-right); } "
            + ("@top-center { font-weight: normal; } " if one_weight(self.language) else "")
            + "}\n"
            + self.blank_css()
            + self.part_css()
            + font_css()
        )

    def part_css(self) -> str:
        """Where a document made part by part starts: its first page's number and side."""
        if not self.total:
            return ""
        return (
            f"@page :first {{ counter-reset: page {self.first_page}; }}\n"
            f"html {{ break-before: {self.side or 'auto'}; }}\n"
        )

    def blank_css(self) -> str:
        """A blank page's notice half-way down (its top margin box reaches there), the draft mark under it."""
        if not self.blank:
            return ""
        # A document made part by part begins with such a page as a named one (joining.py).
        selectors = (":blank", "blank-lead") if self.total else (":blank",)
        return "".join(
            f"@page {selector} {{ margin-top: 135mm; "
            f'@top-center {{ content: {css_string(self.blank)} "\\A" string(draft); white-space: pre-line; '
            "font-size: 10pt; font-weight: normal; color: #555; vertical-align: bottom; } }\n"
            for selector in selectors
        )


class Renderer:
    """Jinja environment, fonts and base CSS, made once per process and reused."""

    def __init__(self, layouts: Sequence[Path], assets: Sequence[Path]):
        """``layouts``: template folders, the first found wins (a project's over the built-in ones)."""
        self.layouts = list(layouts)
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.layouts),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=marked,
        )
        self.environment.filters["direction"] = direction
        self.environment.filters["display_width"] = display_width
        self.fetcher = ProjectFetcher([*self.layouts, *assets])
        self.font_config = FontConfiguration()
        style = next(
            (folder / "style.css" for folder in self.layouts if (folder / "style.css").is_file()), None
        )
        if style is None:
            raise RenderError("layout not found: layouts/style.css")
        #: What lays a document out besides its HTML: the engine's version and the stylesheet.
        self.identity = hashlib.sha256(f"{weasyprint_version}\0".encode() + style.read_bytes()).hexdigest()
        with _weasyprint_warnings_fail("layouts/style.css"):
            self.stylesheet = CSS(
                filename=str(style),
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            )

    def html(
        self,
        template: str,
        context: dict[str, Any],
        gettext: Callable[[str], str],
        ngettext: Callable[[str, str, int], str],
    ) -> str:
        """Render a layout to an HTML string; template mistakes name the file and line."""
        self.environment.install_gettext_callables(  # type: ignore[attr-defined]
            lambda message: _label(gettext(message)),
            lambda singular, plural, n: _label(ngettext(singular, plural, n)),
            newstyle=True,
        )
        try:
            return mark_fallback(self.environment.get_template(template).render(context))
        except jinja2.TemplateSyntaxError as error:
            where = f"layouts/{error.name or template}:{error.lineno}"
            raise RenderError(f"{where}: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise RenderError(f"layout not found: layouts/{error.name}") from None
        except jinja2.UndefinedError as error:
            raise RenderError(f"layouts/{template}: {error.message}{_template_line(error)}") from None

    def html_template_check(self, template: str) -> None:
        """Compile a layout and everything it includes; raise RenderError with file and line."""
        try:
            self.environment.get_template(template)
            for name in self.environment.list_templates(extensions=["html"]):
                self.environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise RenderError(f"layouts/{error.name or template}:{error.lineno}: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise RenderError(f"layout not found: layouts/{error.name}") from None

    def layout(self, html: str, css: str, name: str) -> Document:
        """Lay out an HTML document with the shared stylesheet and ``css`` (not yet written)."""
        with _weasyprint_warnings_fail(name):
            return HTML(string=html, base_url=str(self.layouts[-1]) + "/", url_fetcher=self.fetcher).render(
                font_config=self.font_config,
                stylesheets=[self.stylesheet, CSS(string=css, font_config=self.font_config)],
                pdf_variant="pdf/ua-1",
            )

    def write(self, document: Document, name: str) -> bytes:
        """A laid-out document as a tagged PDF (PDF/UA-1) with fonts embedded and subset."""
        return finish(self.write_pdf(document, name))

    def write_pdf(self, document: Document, name: str) -> bytes:
        """The PDF as WeasyPrint writes it, before ``tagging.finish`` (so the caller may let the
        laid-out document go first: a packet's boxes are the most memory a worker holds)."""
        with _weasyprint_warnings_fail(name), tagged(hyphenated_words(document)):
            pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"handouts")
        return pdf


def _template_line(error: BaseException) -> str:
    """' (line N)' for the innermost template frame of a traceback, if any."""
    tb = error.__traceback__
    line = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            line = f" (layouts/{Path(filename).name}:{tb.tb_lineno})"
        tb = tb.tb_next
    return line
