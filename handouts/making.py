"""One target's PDF, from a product's parts: translate, fit, arrange, lay out, write, finish.

Pure: returns bytes and what was learned (pages, translation state, fits); the
build writes them.
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .coverage import Gap, describe_gaps, gaps_of
from .errors import RenderError
from .fitting import FitMemory, Laid, alone_key, fit_part, lay_out, render_html
from .joining import joined, parts_on
from .preflight import Sheet, check, from_document, record, stranded_headings, summary
from .products.product import Job, Part, Product
from .render import Page, Renderer
from .tagging import finish

#: A document this long (a packet) has its laid-out pages collected before it is finished.
LARGE_PAGES = 16


@dataclass
class Made:
    """A finished PDF, or the reason there is none."""

    pdf: bytes = b""
    pages: int = 0
    translation: dict[str, Any] = field(default_factory=dict)
    fit: list[dict[str, Any]] = field(default_factory=list)
    skipped: bool = False
    gaps: str = ""  # which strings lack a translation, and in which catalog
    preflight: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # the catalog entries it asked for
    learned: dict[str, dict[str, Any]] = field(default_factory=dict)  # fits found (FitMemory)


class PreflightFailed(RenderError):
    """A laid-out document breaks a print rule (small type, ink near the edge…); nothing is written."""


def translation_status(parts: list[Part]) -> dict[str, Any]:
    """The translation state of all parts together (the weakest wins)."""
    statuses = [part.translator.status() for part in parts]
    states = [status["state"] for status in statuses]
    state = next((s for s in ("incomplete", "draft", "reviewed") if s in states), "source")
    total: dict[str, Any] = {
        "state": state,
        "missing": sum(status["missing"] for status in statuses),
        "fuzzy": sum(status["fuzzy"] for status in statuses),
        "strings": sum(status["strings"] for status in statuses),
    }
    reviewers = {str(status["reviewed_by"]) for status in statuses if status.get("reviewed_by")}
    if reviewers:
        total["reviewed_by"] = ", ".join(sorted(reviewers))
    return total


def gaps(job: Job, parts: list[Part]) -> str:
    """Every untranslated string named by its PO entry (the organization's own entries by name),
    the first five, then a count."""
    catalogs = {part.translator.catalog.path.parent for part in parts if part.translator.catalog}
    folder = f"{sorted(catalogs)[0]}/" if catalogs else "locales/<language>/LC_MESSAGES/"
    local = {}
    for entry in job.project.settings.local:
        for key in ("description", "hours"):
            if getattr(entry, key):
                local[getattr(entry, key)] = (
                    f"local contact '{entry.name}' ({key}) in handouts.toml: translate it in your "
                    f"project's {folder}families.po"
                )
    found: dict[str, Gap | str] = {}
    for part in parts:
        translator = part.translator
        for gap in gaps_of(translator.catalog, translator.missing, translator.fuzzy):
            found.setdefault(gap.msgid, local.get(gap.msgid) or gap)
    strings = len({text for part in parts for text in part.translator.used})
    return describe_gaps(list(found.values()), strings)


def document_meta(kind: str, job: Job, part: Part) -> dict[str, Any]:
    """Title, language and dates of a PDF of ``kind``, from its first part."""
    context = part.context
    return {
        "kind": kind,
        "locale": part.locale,
        "title": context["document_title"],
        "description": context.get("description", ""),
        "author": job.project.settings.organization or "handouts",
        "created": context["created"],
    }


def drawn_parts(product: Product, job: Job, renderer: Renderer) -> tuple[list[Part], Made | None]:
    """A target's parts drawn in HTML, and the skipped outcome when the translation has gaps and
    fallback is not allowed (the PDF and the web page are skipped alike). With fallback, the
    parts are drawn again marked as such."""
    parts = product.parts(job)
    for number, part in enumerate(parts, start=1):
        part.context["uid"] = f"p{number}"  # element ids stay unique when parts are joined
        render_html(renderer, part)
    translation = translation_status(parts)
    if translation["state"] == "incomplete":
        if not job.options.allow_fallback:
            return parts, Made(translation=translation, skipped=True, gaps=gaps(job, parts))
        for part in parts:
            part.context["translation"] = {**part.context["translation"], "fallback": True}
            part.html = ""
            render_html(renderer, part)
    return parts, None


def printable(laid: Laid) -> bool:
    """Whether a layout keeps every heading with what follows it (the preflight rule a step of
    fitting can mend; the others are the layout's or the content's to fix)."""
    laid.sheet = from_document(laid.document, [(p.bookmark, p.min_pt, p.fits) for p in laid.parts])
    return not any(stranded_headings(laid.sheet))


def make_pdf(product: Product, job: Job, renderer: Renderer, memory: FitMemory | None = None) -> Made:
    """Lay out and write one target; skipped when its translation has gaps (unless allowed).

    ``memory``: fits found before; a part of a packet fitted as its own product was is not
    fitted again.
    """
    memory = memory or FitMemory()
    target = job.target
    parts, skipped = drawn_parts(product, job, renderer)
    if skipped is not None:
        return skipped
    translation = translation_status(parts)
    name = target.path.as_posix()
    first = parts[0].translator
    meta = document_meta(product.kind, job, parts[0])

    def page(part: Part | None = None) -> Page:
        paper = (part.paper if part else None) or job.paper()
        template = first.gettext("Page %(page)s of %(pages)s")
        # A page left blank so the next part starts on a right-hand page (a card set's fronts and
        # backs on one sheet) says so, as print shops expect; otherwise it looks like a lost page.
        blank = first.gettext("This page is intentionally blank.")
        accent = job.project.settings.accent_color
        return Page(
            paper=paper, page_template=template, accent=accent, language=parts[0].locale.tag, blank=blank
        )

    what = " ".join(x for x in (target.kind, target.locale, target.band, target.module, target.variant) if x)
    if len(parts) == 1 and not product.arranges:
        laid = fit_part(renderer, parts[0], meta, page(parts[0]), name, what, memory, printable=printable)
        assert laid is not None
    else:
        for part in parts:  # each fitted as it is alone, as its own product (a handout…) fits it
            if part.fits:
                alone = document_meta(part.kind, job, part)
                where = f"{what}: {part.bookmark}"
                fit_part(renderer, part, alone, page(part), name, where, memory, True, printable)
        fitted = parts
        parts = product.arrange(job, parts, renderer)
        # The pages of each part drawn to size, by what shapes it alone: a packet holds the materials
        # their own product laid out, and need not lay them out again to count their pages.
        drawn = (
            {} if product.arranges else {id(part): _alone(renderer, job, part, page(part)) for part in parts}
        )
        if product.joins:
            gc.collect()  # the fitting trials' boxes hold cycles: gone before the parts are laid out
            for part in parts:
                known = None if part.fits else memory.recall(drawn[id(part)])
                if known:
                    part.pages = known["pages"]
            made = joined(renderer, product, parts, meta, page(), name)
            if made is not None:  # laid out and written part by part: the preflight reads them all
                _remember(memory, drawn, parts, {id(part): part.pages for part in parts})
                _check(made.sheet, name)
                return _made(
                    product, job, made.pdf, made.pages, made.sheet, (fitted, parts), translation, memory
                )
        laid = lay_out(renderer, parts, meta, page(), name)
        if drawn and not product.joins:
            counts = Counter(number for laid_page in laid.document.pages for number in parts_on(laid_page))
            _remember(memory, drawn, parts, {id(part): counts[n] for n, part in enumerate(parts, start=1)})
        parts = fitted
    sheet = laid.sheet or from_document(laid.document, [(p.bookmark, p.min_pt, p.fits) for p in laid.parts])
    _check(sheet, name)
    pages, laid_parts = laid.pages, list(laid.parts)
    written = renderer.write_pdf(laid.document, name)
    del laid  # the laid-out pages go before the PDF is finished: less memory at the peak
    if pages >= LARGE_PAGES:  # their boxes hold cycles: collected now (a packet's peak 240 -> 216 MiB),
        gc.collect()  # not after every document (a full collection costs some 40 ms)
    return _made(product, job, finish(written), pages, sheet, (parts, laid_parts), translation, memory)


def _alone(renderer: Renderer, job: Job, part: Part, page: Page) -> str:
    """What shapes a part drawn to size laid out alone ('' for a part fitted: it has its fit)."""
    return "" if part.fits else alone_key(renderer, part, document_meta(part.kind, job, part), page)


def _remember(memory: FitMemory, drawn: dict[int, str], parts: list[Part], pages: dict[int, int]) -> None:
    """Keep how many pages each part drawn to size took (``pages``, by part)."""
    for part in parts:
        if drawn.get(id(part)) and pages.get(id(part)):
            part.pages = pages[id(part)]
            memory.learn(drawn[id(part)], part)


def _check(sheet: Sheet, name: str) -> None:
    findings = check(sheet)
    if findings:
        raise PreflightFailed(f"{name}: preflight failed: {summary(findings)}")


def _made(
    product: Product,
    job: Job,
    tagged: bytes,
    pages: int,
    sheet: Sheet,
    parts: tuple[list[Part], list[Part]],
    translation: dict[str, Any],
    memory: FitMemory,
) -> Made:
    """What a document that passed preflight is (``parts``: those fitted, and those laid out)."""
    pdf = product.finish(tagged, pages, job)
    fitted, laid = parts
    used = {msgid for part in [*fitted, *laid] for msgid in part.translator.used}
    return Made(
        learned=memory.learned,
        used=used,
        pdf=pdf,
        pages=pages,
        translation=translation,
        preflight=record(sheet, pages),
        fit=[
            {"part": part.bookmark, "pages": part.pages, "last_page_boxes": part.last_boxes}
            | part.fit.record(part.body_pt, part.min_pt)
            for part in fitted
            if part.fits
        ],
    )
