"""The web edition: each handout, lesson plan, family letter and flyer as one accessible HTML page.

The same products, parts, layouts and translations as the PDFs; only the shell differs:
``layouts/web.html`` instead of ``document.html``, with the print stylesheet and the screen
one (``layouts/web.css``) inlined, the pictures inlined as data URIs, and a language switcher
between the locales built. A page fetches nothing (no fonts, scripts or trackers), so the
output folder can be copied to any web host. ``write_index`` lists every page in ``index.html``.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale
from markupsafe import Markup

from .build import read_manifest, write_atomically
from .i18n import parse_locale
from .products import Job, Product, Target

if TYPE_CHECKING:  # the PDF engine is imported only when something renders
    from .making import Made
    from .render import Renderer

#: The kinds that have a web edition (cards, classroom materials and packets are for paper).
WEB_KINDS = ("handout", "lesson", "letter", "flyer")
#: The shell every web page is drawn in, and the stylesheets inlined into it, in order.
SHELL = "web.html"
STYLESHEETS = ("style.css", "web.css")
INDEX = "index.html"
_PICTURE = re.compile(r'src="pictures/([a-z0-9-]+)\.svg"')
_ICON = re.compile(r"url\(pictures/([a-z0-9-]+)\.svg\)")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)

__all__ = ["WEB_KINDS", "is_web", "make_html", "web_target", "write_index"]


def web_target(target: Target) -> Target:
    """The web page of a print target: the same product, ``.html`` instead of ``.pdf``."""
    return replace(target, path=target.path.with_suffix(".html"))


def is_web(target: Target) -> bool:
    """Whether a target is a web page."""
    return target.path.suffix == ".html"


def language_label(tag: str) -> str:
    """A locale's name in its own language, e.g. 'español (Estados Unidos)'."""
    locale = parse_locale(tag)
    name = locale.babel.get_display_name(locale.babel) or tag
    return name[:1].upper() + name[1:]


def _stylesheet(renderer: Renderer) -> str:
    css = []
    for name in STYLESHEETS:
        found = next((folder / name for folder in renderer.layouts if (folder / name).is_file()), None)
        if found is not None:
            css.append(found.read_text(encoding="utf-8"))
    return "\n".join(css)


def inline_pictures(page: str, layouts: list[Path]) -> str:
    """Each ``pictures/<id>.svg`` as a data URI, so the page fetches nothing."""

    def encoded(match: re.Match[str]) -> str | None:
        name = f"pictures/{match.group(1)}.svg"
        found = next((folder / name for folder in layouts if (folder / name).is_file()), None)
        return None if found is None else base64.b64encode(found.read_bytes()).decode()

    def data_uri(match: re.Match[str]) -> str:
        data = encoded(match)
        return match.group(0) if data is None else f'src="data:image/svg+xml;base64,{data}"'

    def css_uri(match: re.Match[str]) -> str:  # a section's icon, a CSS background
        data = encoded(match)
        return match.group(0) if data is None else f"url(data:image/svg+xml;base64,{data})"

    return _ICON.sub(css_uri, _PICTURE.sub(data_uri, page))


def sibling(target: Target, tag: str) -> Target:
    """The same page in another locale."""
    return replace(target, locale=tag, path=Path(tag, *target.path.parts[1:]))


def builds(product: Product, job: Job, renderer: Renderer, tag: str) -> bool:
    """Whether this build makes the page in locale ``tag`` too: its catalogs are sound and its
    translation complete (or fallback allowed), so a link to it works."""
    if tag == job.target.locale:
        return True
    if job.project.catalog_problems_for(parse_locale(tag)):
        return False
    if job.options.allow_fallback:
        return True
    from .fitting import render_html
    from .making import translation_status

    parts = product.parts(Job(job.project, sibling(job.target, tag), job.options))
    for number, part in enumerate(parts, start=1):
        part.context["uid"] = f"p{number}"
        render_html(renderer, part)
    return bool(translation_status(parts)["state"] != "incomplete")


def switcher(product: Product, job: Job, renderer: Renderer) -> list[dict[str, Any]]:
    """The same page in each locale of the build (``Options.locales``) that makes it, this one
    marked current (a locale whose translation of it is incomplete is left out)."""
    target = job.target
    tags = list(dict.fromkeys(job.options.locales or (target.locale,)))
    name = target.path.name
    links = []
    for tag in tags:
        if not builds(product, job, renderer, tag):
            continue
        locale = parse_locale(tag)
        href = "../../" + Path(tag, target.band, name).as_posix()
        links.append(
            {
                "tag": tag,
                "dir": locale.direction,
                "label": language_label(tag),
                "href": href,
                "current": tag == target.locale,
            }
        )
    return links


def make_html(product: Product, job: Job, renderer: Renderer) -> Made:
    """One target's web page; skipped when its translation has gaps (unless allowed), as a PDF is."""
    from .fitting import part_view
    from .making import Made, document_meta, drawn_parts, translation_status

    parts, skipped = drawn_parts(product, job, renderer)
    if skipped is not None:
        return skipped
    translation = translation_status(parts)
    first = parts[0].translator
    context = {
        **document_meta(product.kind, job, parts[0]),
        "parts": [part_view(part) for part in parts],
        "stylesheet": Markup(_stylesheet(renderer)),
        "languages": switcher(product, job, renderer),
        "index": "../../" + INDEX,
    }
    page = renderer.html(SHELL, context, first.gettext, first.ngettext)
    data = inline_pictures(page, renderer.layouts).encode()
    used = {msgid for part in parts for msgid in part.translator.used}
    return Made(pdf=data, pages=1, translation=translation, used=used)


# --- the index page -----------------------------------------------------------


def _title(path: Path) -> str:
    try:
        found = _TITLE.search(path.read_text(encoding="utf-8"))
    except OSError:
        return path.name
    return html.unescape(found.group(1)).strip() if found else path.name


def _kind_label(kind: str) -> str:
    return {"handout": "Handout", "lesson": "Lesson plan", "letter": "Family letter", "flyer": "Flyer"}.get(
        kind, kind
    )


def index_page(output: Path, manifest: dict[str, dict[str, Any]]) -> str:
    """The index of the web edition: every page built, by language and band, with its title.

    Its own words are English and the page says so (``lang="en"``): one index lists the pages of
    every language built, each title and language name marked with its own language, and no one
    reader's language is the right one for all of them."""
    by_locale: dict[str, list[dict[str, Any]]] = {}
    for key, entry in sorted(manifest.items()):
        if key.endswith(".html") and entry.get("status") == "current" and (output / key).is_file():
            by_locale.setdefault(entry["locale"], []).append(entry)
    sections = []
    for tag, entries in by_locale.items():
        locale = parse_locale(tag)
        rows = []
        for entry in entries:
            title = html.escape(_title(output / entry["path"]))
            draft = entry.get("translation", {}).get("state") in ("draft", "incomplete")
            mark = ' <span class="draft-tag">(draft translation)</span>' if draft else ""
            rows.append(
                f'<li><a href="{html.escape(entry["path"])}" hreflang="{tag}" lang="{tag}" '
                f'dir="{locale.direction}">{title}</a>{mark} '
                f'<span class="kind">{_kind_label(entry["kind"])}</span></li>'
            )
        heading = html.escape(language_label(tag))
        english = html.escape(Locale("en").languages.get(locale.language, tag))
        sections.append(
            f'<section aria-labelledby="l-{tag}">\n<h2 id="l-{tag}"><span lang="{tag}" '
            f'dir="{locale.direction}">{heading}</span> · {english} ({tag})</h2>\n<ul>\n'
            + "\n".join(rows)
            + "\n</ul>\n</section>"
        )
    body = "\n".join(sections) or "<p>No web pages have been built yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Handouts: web edition</title>\n<style>\n"
        "body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 50rem; margin: 0 auto; "
        "padding: 1rem; color: #1a1a1a; }\n"
        "h1, h2 { color: #1d5c8c; } a { color: #1d5c8c; } a:focus { outline: 3px solid #8a4b00; }\n"
        ".kind, .draft-tag { color: #555; font-size: 0.9em; }\n"
        "</style>\n</head>\n<body>\n<main>\n<h1>Handouts: web edition</h1>\n"
        "<p>Every handout, lesson plan, family letter and flyer built, by language.</p>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def write_index(output: Path) -> Path:
    """Write ``index.html`` in the output folder from its manifest (atomically)."""
    path = output / INDEX
    write_atomically(path, index_page(output, read_manifest(output)).encode())
    return path
