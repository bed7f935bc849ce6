"""Parts into one laid-out document, each fitted to its page budget or failing with the reason.

A part over its budget is tightened in small steps: first its spacing, then its
body size, never below the smallest size its readers need. A part whose last page
would hold a single box is pulled back a page when a small step allows, or the box
keeps the unit before it company. Nothing is clipped: what cannot fit fails.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from weasyprint.document import Document

from .errors import RenderError
from .products.product import Fit, Part, type_css
from .render import Page, Renderer

#: Spacing factors tried in turn before the type gets smaller.
SPACING_STEPS = (1.0, 0.85, 0.7, 0.55)
#: How much smaller the body gets in each step after the spacing is at its tightest.
TYPE_STEP_PT = 0.5
#: How many steps beyond the budget's fit may be spent to pull back a lonely last box.
PULL_BACK_STEPS = 2
PX_TO_MM = 25.4 / 96


class OverBudget(RenderError):
    """A part does not fit its budget even at the smallest size its readers allow."""


@dataclass
class Laid:
    """A laid-out document and the parts it was made of."""

    document: Document
    parts: Sequence[Part]
    sheet: Any = None  # what preflight read of it, once read (preflight.Sheet)

    @property
    def pages(self) -> int:
        """How many pages the document has."""
        return len(self.document.pages)


@dataclass
class FitMemory:
    """Fits found before, in this build or an earlier one, by the digest of what shapes them.

    A part is fitted from the HTML it is laid out with alone, its page and its sizes; the
    same inputs always find the same fit, so a packet's handout remembers the fit its own
    handout found instead of laying it out again step by step. ``folder`` is read here;
    what this document learns is returned in ``learned`` for the build's one writer to keep
    (``keep_fits``). Nothing but speed depends on it: a miss fits as without it.
    """

    folder: Path | None = None
    learned: dict[str, dict[str, Any]] = field(default_factory=dict)

    def recall(self, key: str) -> dict[str, Any] | None:
        """The fit remembered for ``key``, if any (an unreadable entry counts as none)."""
        if key in self.learned:
            return self.learned[key]
        if self.folder is None:
            return None
        try:
            found = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) and found.keys() >= _FIT_FIELDS else None

    def learn(self, key: str, part: Part) -> None:
        """Remember the fit ``part`` was given."""
        self.learned[key] = {
            "spacing": part.fit.spacing,
            "body_pt": part.fit.body_pt,
            "keep_end": part.fit.keep_end,
            "pages": part.pages,
            "last_boxes": part.last_boxes,
            "budget": part.budget,  # a translation's budget, stretched when it needs more pages
            "stretch": part.stretch,
        }


_FIT_FIELDS = {"spacing", "body_pt", "keep_end", "pages", "last_boxes", "budget", "stretch"}


def keep_fits(folder: Path, learned: dict[str, dict[str, Any]]) -> None:
    """Write learned fits into ``folder``, each file whole or not at all; best effort (a cache)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for key, record in learned.items():
            tmp = folder / f".{key}.tmp"
            tmp.write_text(json.dumps(record), encoding="utf-8")
            tmp.replace(folder / f"{key}.json")
    except OSError:
        pass


def fit_key(renderer: Renderer, part: Part, html: str, css: str, created: str = "") -> str:
    """The digest of what shapes a part's fit: its HTML laid out alone (its element ids made the
    same whatever its place in a document, the creation time in its head left out), page CSS,
    sizes, budget, the stylesheet and the engine."""
    from .cache import engine_digest  # the project's modules, imported once a worker renders

    uid = str(part.context.get("uid", ""))
    if uid:
        html = re.sub(rf'(?<=["#]){re.escape(uid)}-', "uid-", html)
    head_end = html.find("</head>")
    if created and head_end >= 0:
        html = html[:head_end].replace(created, "") + html[head_end:]
    digest = hashlib.sha256(f"{engine_digest()}\0{renderer.identity}".encode())
    for item in (css, html, repr((part.body_pt, part.min_pt, part.budget, part.stretch, part.fits))):
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()


def alone_key(renderer: Renderer, part: Part, meta: dict[str, Any], page: Page) -> str:
    """The ``fit_key`` of a part laid out alone from a new page (as ``fit_part`` lays it out)."""
    html = document_html(renderer, [part], meta, "page")
    return fit_key(renderer, part, html, page.css(), meta.get("created", ""))


def part_view(part: Part, starts: str | None = None) -> dict[str, Any]:
    """What the document shell needs of a part."""
    _ = part.translator.gettext
    draft = part.context.get("translation", {}).get("draft", False)
    mark = ""
    if draft:
        mark = _("Draft translation")
        if part.locale.language != "en":
            mark += " · Draft translation"
    return {
        "kind": part.kind,
        "locale": part.locale,
        "html": part.html,
        "footer_left": part.footer_left,
        "footer_right": part.footer_right,
        "draft_mark": mark,
        "bookmark": part.bookmark,
        "starts": starts or part.starts,
        "audience": part.context.get("band", {}).get("audience", ""),
    }


def parts_css(parts: Sequence[Part], first: int = 1) -> str:
    """Each part's body size and spacing, and whether its last two units stay together
    (``first``: the number of the first part in its document)."""
    rules = []
    for index, part in enumerate(parts, start=first):
        fit = part.fit if part.fit.body_pt else part.natural
        rules.append(f".part-{index} {{ {type_css(fit, part.min_pt)} }}")
        if fit.keep_end:
            rules.append(f".part-{index} > :nth-last-child(2) {{ break-before: page; }}")
    return "\n".join(rules) + "\n"


def render_html(renderer: Renderer, part: Part) -> None:
    """Draw a part's layout in its own language (once)."""
    if not part.html:
        t = part.translator
        part.html = renderer.html(part.layout, part.context, t.gettext, t.ngettext)


def document_html(
    renderer: Renderer,
    parts: Sequence[Part],
    meta: dict[str, Any],
    starts: str | None = None,
    first: int = 1,
    after: Part | None = None,
) -> str:
    """The parts composed into one HTML document (``starts``: every part's page break, if given).

    A document made part by part (joining.py): ``first`` is the number of its first part, and
    ``after`` the part before it when a page is left blank first (it carries that part's footers).
    """
    for part in parts:
        render_html(renderer, part)
    translator = parts[0].translator
    context = {"parts": [part_view(part, starts) for part in parts], "first": first}
    if after is not None:
        context["blank_after"] = part_view(after)
    return renderer.html("document.html", {**meta, **context}, translator.gettext, translator.ngettext)


def lay_out(
    renderer: Renderer,
    parts: Sequence[Part],
    meta: dict[str, Any],
    page: Page,
    name: str,
    html: str = "",
) -> Laid:
    """Compose the parts into one HTML document (unless ``html`` is that document) and lay it out."""
    html = html or document_html(renderer, parts, meta)
    return Laid(renderer.layout(html, page.css() + parts_css(parts), name), parts)


def _steps(part: Part) -> Iterator[Fit]:
    """Fits from the natural one to the tightest the part's readers allow."""
    for spacing in SPACING_STEPS:
        yield Fit(spacing, part.body_pt)
    size = part.body_pt - TYPE_STEP_PT
    while size >= part.min_pt - 1e-9:
        yield Fit(SPACING_STEPS[-1], round(size, 2))
        size -= TYPE_STEP_PT


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _article(page: Any, index: int) -> Any | None:
    """The fragment of part ``index`` on a page, if it has one."""
    wanted = f"part-{index}"
    for box in _boxes(page._page_box):
        element = getattr(box, "element", None)
        if (
            getattr(box, "element_tag", None) == "article"
            and element is not None
            and element.get("id") == wanted
        ):
            return box
    return None


def units_on_page(page: Any, index: int) -> int:
    """How many of the part's top-level blocks (sections, boxes, paragraphs) show on a page."""
    article = _article(page, index)
    if article is None:
        return 0
    return sum(
        1
        for child in article.children
        if getattr(child, "element", None) is not None
        and child.element is not article.element
        and child.margin_height() > 0
    )


def used_height_mm(page: Any, index: int) -> float:
    """How far down the page the part's content reaches, from the top of the content area."""
    article = _article(page, index)
    if article is None:
        return 0.0
    top = page._page_box.content_box_y()
    bottom = max((child.position_y + child.margin_height() for child in article.children), default=top)
    return float(bottom - top) * PX_TO_MM


def lonely_end(laid: Laid, index: int = 1) -> bool:
    """Whether the part's last page holds a single box (and the part has more than one page)."""
    pages = [page for page in laid.document.pages if _article(page, index) is not None]
    return len(pages) > 1 and units_on_page(pages[-1], index) == 1


def fit_part(
    renderer: Renderer,
    part: Part,
    meta: dict[str, Any],
    page: Page,
    name: str,
    what: str,
    memory: FitMemory | None = None,
    alone: bool = False,
    printable: Callable[[Laid], bool] | None = None,
) -> Laid | None:
    """Lay out one part alone, fitted to its budget; raise OverBudget with how much is over.

    ``printable``: whether a layout keeps its headings with what follows; one that strands a
    heading at a page foot is tried a step or two tighter, and the first that does not is taken.

    ``alone``: the part is fitted for a document of several (a packet) as its own product
    fits it, starting on any page; its fit is all that is wanted, and a fit found before
    (``memory``) is taken without laying it out (None is returned then).
    """
    html = document_html(renderer, [part], meta, "page" if alone else None)
    key = fit_key(renderer, part, html, page.css(), meta.get("created", "")) if memory is not None else ""
    known = memory.recall(key) if memory is not None else None
    if known is not None:
        asked = part.budget, part.stretch
        part.fit = Fit(known["spacing"], known["body_pt"], known["keep_end"])
        part.pages, part.last_boxes = known["pages"], known["last_boxes"]
        part.budget, part.stretch = known["budget"], known["stretch"]
        if alone:
            return None
        laid = lay_out(renderer, [part], meta, page, name, html)
        if laid.pages == part.pages:
            return laid
        part.budget, part.stretch = asked  # not as remembered (fonts changed?): fitted afresh
    laid = _search(renderer, part, meta, page, name, what, html, printable)
    if memory is not None:
        memory.learn(key, part)
    return laid


def _search(
    renderer: Renderer,
    part: Part,
    meta: dict[str, Any],
    page: Page,
    name: str,
    what: str,
    html: str,
    printable: Callable[[Laid], bool] | None = None,
) -> Laid:
    """The largest fit, from the natural one down, with which the part keeps to its budget."""
    steps = list(_steps(part)) if part.fits else [part.natural]
    chosen, laid = _largest_fitting(renderer, part, meta, page, name, html, steps)
    if part.budget and laid.pages > part.budget and part.stretch:
        # Too long even at its smallest: a translation takes its extra pages, at the largest size
        # that fits them (the fitting starts again from the natural size).
        part.budget, part.stretch = part.budget + part.stretch, 0
        chosen, laid = _largest_fitting(renderer, part, meta, page, name, html, steps)
    if part.budget and laid.pages > part.budget:
        raise OverBudget(_over_message(laid, part, what))
    if part.fits and lonely_end(laid):
        small_steps = steps[chosen + 1 : chosen + 1 + PULL_BACK_STEPS]
        if not _may_pull_back(laid, len(small_steps)):
            small_steps = []
        laid = _pull_back(renderer, part, meta, page, name, laid, small_steps, html)
    if printable is not None and part.fits and not printable(laid):
        laid = _printable(renderer, part, meta, page, name, laid, html, printable, steps)
    part.pages = laid.pages
    part.last_boxes = units_on_page(laid.document.pages[-1], 1)
    return laid


#: The most one step of ``_steps`` is taken to shorten a part, as a share of its height: a
#: step shortens a part by 2-5% where measured (flyers, letters, handouts, lesson plans).
STEP_SHRINKS_AT_MOST = 0.1
#: How much of the height the spacing is taken to be (spacing 0.55 then shortens by about 7%).
SPACING_SHARE = 0.15
#: How the height follows the body size before any trial says: height ~ size ** exponent.
SIZE_EXPONENT = 1.3


def _height_mm(laid: Laid) -> float:
    """The part's height: how far down its content reaches on each of its pages, added up."""
    return sum(used_height_mm(page, 1) for page in laid.document.pages)


def _page_mm(laid: Laid) -> float:
    return float(laid.document.pages[0]._page_box.height) * PX_TO_MM


def _largest_fitting(
    renderer: Renderer,
    part: Part,
    meta: dict[str, Any],
    page: Page,
    name: str,
    html: str,
    steps: Sequence[Fit],
) -> tuple[int, Laid]:
    """The first of ``steps`` that keeps to the budget, and its layout; else the last one's.

    The same answer as trying every step in turn (a tighter step never makes more pages),
    in fewer layouts: after the natural fit is over, each trial is the step a model of the
    part's height predicts (spacing takes a share of it; the rest follows the body size,
    with an exponent taken from the trials so far), always inside the interval between the
    tightest step known to be over and the largest known to fit, until they meet.
    """
    tried: dict[int, Laid] = {}

    def trial(index: int) -> Laid:
        part.fit = steps[index]
        tried[index] = lay_out(renderer, [part], meta, page, name, html)
        return tried[index]

    if fits_at(trial(0), part) or len(steps) == 1:
        part.fit = steps[0]
        return 0, tried[0]
    over, under = 0, len(steps)  # the tightest step known to be over; the largest known to fit
    first, room = _height_mm(tried[0]), (part.budget or 1) * _page_mm(tried[0])
    exponent = SIZE_EXPONENT
    while under - over > 1:
        upper = under - 1
        guess = next(
            (i for i in range(over + 1, upper + 1) if first * _shrink(steps[0], steps[i], exponent) <= room),
            upper,
        )
        if fits_at(trial(guess), part):
            under = guess
        else:
            over = guess
        exponent = _exponent(steps[0], steps[guess], _height_mm(tried[guess]) / first, exponent)
    index = under if under < len(steps) else len(steps) - 1
    part.fit = steps[index]
    return index, tried[index]


def fits_at(laid: Laid, part: Part) -> bool:
    """Whether a layout keeps to the part's budget."""
    return not part.budget or laid.pages <= part.budget


def _shrink(natural: Fit, fit: Fit, exponent: float) -> float:
    """The modelled height of ``fit`` as a share of the natural one's."""
    spacing = 1 - SPACING_SHARE * (1 - fit.spacing / natural.spacing)
    return spacing * (fit.body_pt / natural.body_pt) ** exponent


def _exponent(natural: Fit, fit: Fit, measured: float, known: float) -> float:
    """The size exponent a trial's measured height share implies (``known`` when it says nothing)."""
    size = fit.body_pt / natural.body_pt
    if size >= 1 or measured <= 0:
        return known
    spacing = 1 - SPACING_SHARE * (1 - fit.spacing / natural.spacing)
    return min(max(math.log(measured / spacing) / math.log(size), 0.3), 3.0)


def _may_pull_back(laid: Laid, steps: int) -> bool:
    """Whether ``steps`` small steps could possibly move a lonely last box to the page before:
    not when the box is taller than the room left there plus all those steps could free."""
    pages = [page for page in laid.document.pages if _article(page, 1) is not None]
    lonely, before = used_height_mm(pages[-1], 1), _page_mm(laid) - used_height_mm(pages[-2], 1)
    return lonely - before <= STEP_SHRINKS_AT_MOST * steps * _height_mm(laid)


def _pull_back(
    renderer: Renderer,
    part: Part,
    meta: dict[str, Any],
    page: Page,
    name: str,
    laid: Laid,
    small_steps: Sequence[Fit],
    html: str,
) -> Laid:
    """A lonely last box: a small step back a page, else keep it with the unit before it."""
    kept = part.fit
    for fit in small_steps:
        part.fit = fit
        tighter = lay_out(renderer, [part], meta, page, name, html)
        if tighter.pages < laid.pages:
            return tighter
    part.fit = replace(kept, keep_end=True)
    together = lay_out(renderer, [part], meta, page, name, html)
    if (not part.budget or together.pages <= part.budget) and not lonely_end(together):
        return together
    part.fit = kept
    return laid


def _printable(
    renderer: Renderer,
    part: Part,
    meta: dict[str, Any],
    page: Page,
    name: str,
    laid: Laid,
    html: str,
    printable: Callable[[Laid], bool],
    steps: Sequence[Fit],
) -> Laid:
    """A layout that strands a heading, tried at the next ``steps`` after its fit within the
    budget: the first that does not, else the layout as it was (preflight then says what is wrong)."""
    kept = part.fit
    at = next(
        (i for i, fit in enumerate(steps) if (fit.spacing, fit.body_pt) == (kept.spacing, kept.body_pt)), 0
    )
    for fit in steps[at + 1 : at + 1 + PULL_BACK_STEPS]:
        part.fit = replace(fit, keep_end=kept.keep_end)
        tighter = lay_out(renderer, [part], meta, page, name, html)
        if (not part.budget or tighter.pages <= part.budget) and printable(tighter):
            return tighter
    part.fit = kept
    return laid


def _over_message(laid: Laid, part: Part, what: str) -> str:
    budget = part.budget or 0
    extra = laid.document.pages[budget:]
    height = sum(used_height_mm(page, 1) for page in extra)
    line_mm = part.fit.body_pt * 1.25 * 25.4 / 72
    plural = "s" if budget != 1 else ""
    return (
        f"{what}: does not fit on {budget} page{plural}; about {height:.0f} mm "
        f"(some {max(1, round(height / line_mm))} lines) too long even at {part.fit.body_pt:g} pt "
        f"with tight spacing, the smallest its readers allow; shorten its text"
    )
