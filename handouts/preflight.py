"""Preflight: what a print designer checks on every page before it goes to the printer.

Five rules, on what a page prints (``Ink``): no text below the smallest size its
part's readers need; nothing within 10 mm of the paper edge (office printers clip
there); no heading stranded at a page foot with fewer than two lines under it; no
part whose last page holds a single box; nothing running out of a box drawn to a fixed
size (a classroom card, which layouts name with ``data-contained``), which would be cut
off with the card. Running heads and footers are pagination artifacts for the adult
who prints: exempt from the size rule, not from the edge. The last rule needs the
layout (a written PDF no longer says where a card is): it runs when the build lays out.

The build reads a laid-out WeasyPrint document (``from_document``: every box's font
size and position); ``handouts check --preflight`` reads written PDFs back
(``from_pdf``: pdfplumber for what is printed, the tag tree for headings and boxes).
The same ``check`` judges both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

#: Nothing may print closer to the paper edge than this.
EDGE_MM = 10.0
#: Lines a heading needs under it at a page foot.
HEADING_LINES = 2
PX_TO_MM = 25.4 / 96  # CSS pixels, as WeasyPrint lays out
PT_TO_MM = 25.4 / 72
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Ink:
    """Something printed on a page: a run of text (body, heading, artifact) or a graphic."""

    page: int  # 1-based
    part: int  # 1-based; 0 for pagination artifacts
    kind: str  # text, heading, artifact, graphic; turned (text read back at an angle: not sized)
    box: tuple[float, float, float, float]  # mm from the page's top left: left, top, right, bottom
    size_pt: float = 0.0
    text: str = ""
    #: The top-level block of its part it belongs to (a section, a box), to tell whether one goes on.
    unit: str = ""


@dataclass(frozen=True)
class PartPages:
    """Where a part is in the document and the smallest type its readers need."""

    name: str
    first: int
    last: int
    min_pt: float
    fits: bool = True  # fitting may pull its last box back (a cover's page breaks are by design)


#: Text must stay this far inside the cut lines of a box drawn to size (a card).
CONTAINED_MM = 1.0


@dataclass(frozen=True)
class Spill:
    """Content running out of a box drawn to a fixed size: how far, and what the layout calls the box."""

    page: int
    label: str  # e.g. "card 3 (front) of material 'pressure-cards', es-US"
    over_mm: float
    text: str


@dataclass
class Sheet:
    """What a document prints, page by page, and its parts."""

    size_mm: tuple[float, float]
    inks: list[Ink]
    parts: list[PartPages]
    #: (part, page) → how many of the part's top-level boxes show on that page.
    units: dict[tuple[int, int], int] = field(default_factory=dict)
    #: Boxes drawn to size whose content runs out of them (read from the layout only).
    spills: list[Spill] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem on one page, with what to do about it."""

    page: int
    rule: str
    what: str
    fix: str

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""  # 0: the whole file
        return f"{where}{self.what}; {self.fix}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def small_text(sheet: Sheet) -> Iterator[Finding]:
    """Text below the smallest size of its part's readers (one finding per page and part)."""
    seen: set[tuple[int, int]] = set()
    for ink in sheet.inks:
        if ink.kind not in ("text", "heading") or not ink.part or not ink.text.strip():
            continue
        part = sheet.parts[ink.part - 1]
        if ink.size_pt < part.min_pt - 0.05 and (ink.page, ink.part) not in seen:
            seen.add((ink.page, ink.part))
            yield Finding(
                ink.page,
                "small-text",
                f"text at {ink.size_pt:.1f} pt in {part.name}, below the {part.min_pt:g} pt its readers need "
                f"({_quote(ink.text)})",
                "use the part's body or small size (var(--small) in style.css), not a smaller fixed size",
            )


def near_edge(sheet: Sheet) -> Iterator[Finding]:
    """Ink closer than 10 mm to the paper edge (one finding per page)."""
    width, height = sheet.size_mm
    seen: set[int] = set()
    for ink in sheet.inks:
        left, top, right, bottom = ink.box
        gap = min(left, top, width - right, height - bottom)
        if gap < EDGE_MM - 0.05 and ink.page not in seen:
            seen.add(ink.page)
            what = _quote(ink.text) if ink.text.strip() else f"a {ink.kind}"
            yield Finding(
                ink.page,
                "near-edge",
                f"{what} prints {max(gap, 0):.1f} mm from the paper edge (less than {EDGE_MM:g} mm)",
                "keep margins and positioned boxes 10 mm or more from the edge; printers clip there",
            )


def _lines(inks: Sequence[Ink]) -> int:
    """How many lines of text some inks make (runs whose tops are within a point are one line)."""
    tops = sorted({round(ink.box[1], 1) for ink in inks})
    lines, last = 0, None
    for top in tops:
        if last is None or top - last > 0.35:
            lines += 1
        last = top
    return lines


def _continues(sheet: Sheet, heading: Ink) -> bool:
    """Whether the block a heading opens goes on at the top of the next page."""
    after = [
        i for i in sheet.inks if i.page == heading.page + 1 and i.part == heading.part and i.text.strip()
    ]
    if not after:
        return False
    first = min(after, key=lambda ink: (ink.box[1], ink.box[0]))
    return first.kind == "text" and first.unit == heading.unit


def stranded_headings(sheet: Sheet) -> Iterator[Finding]:
    """A heading at a page foot with fewer than two lines under it, its block going on overleaf."""
    for part_number, part in enumerate(sheet.parts, start=1):
        for page in range(part.first, part.last):  # the part continues after these pages
            inks = [i for i in sheet.inks if i.page == page and i.part == part_number and i.text.strip()]
            headings = [i for i in inks if i.kind == "heading"]
            if not headings:
                continue
            last = max(headings, key=lambda ink: ink.box[3])
            below = [
                i
                for i in inks
                if i.kind == "text" and i.box[1] >= last.box[3] - 1.0
                # A line under a heading overlaps its box by the leading: 1 mm of leeway.
            ]
            if _lines(below) < HEADING_LINES and _continues(sheet, last):
                yield Finding(
                    page,
                    "stranded-heading",
                    f"the heading {_quote(last.text)} ends the page with "
                    f"{_lines(below)} line{'s' if _lines(below) != 1 else ''} under it",
                    "keep headings with what follows (break-after: avoid) or move the break",
                )


def lonely_last_page(sheet: Sheet) -> Iterator[Finding]:
    """A part of several pages whose last page holds a single box."""
    for part_number, part in enumerate(sheet.parts, start=1):
        if part.fits and part.last > part.first and sheet.units.get((part_number, part.last)) == 1:
            yield Finding(
                part.last,
                "lonely-last-page",
                f"the last page of {part.name} holds a single box",
                "shorten the part so the box fits on the page before, or keep it with the box before it",
            )


def overflowing(sheet: Sheet) -> Iterator[Finding]:
    """Text running past the cut lines of a card (it would be cut off, or clipped by the printer)."""
    for spill in sheet.spills:
        yield Finding(
            spill.page,
            "overflow",
            f"the text of {spill.label} does not fit its card: it runs {spill.over_mm:.1f} mm past "
            f"the cut lines ({_quote(spill.text)})",
            "shorten the card's text (in the module file, or its translation in that locale's catalog)",
        )


RULES = (small_text, near_edge, stranded_headings, lonely_last_page, overflowing)


def check(sheet: Sheet) -> list[Finding]:
    """Every finding of every rule, by page."""
    return sorted(finding for rule in RULES for finding in rule(sheet))


def summary(findings: Sequence[Finding], limit: int = 5) -> str:
    """The first findings, then how many more."""
    shown = "; ".join(str(finding) for finding in findings[:limit])
    more = len(findings) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


# --- reading a laid-out document (the build) --------------------------------


@dataclass(frozen=True)
class _Where:
    part: int = 0
    unit: str = ""
    heading: bool = False
    margin: bool = False
    in_article: bool = False


def _walk(box: Any, where: _Where) -> Iterator[tuple[Any, _Where]]:
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", None)
    if tag == "article" and element is not None and str(element.get("id", "")).startswith("part-"):
        where = replace(where, part=int(str(element.get("id"))[5:]), unit="", in_article=True)
    elif where.in_article and not where.unit and element is not None:
        where = replace(where, unit=str(id(element)))
    if tag in HEADINGS:
        where = replace(where, heading=True)
    if isinstance(box, boxes.MarginBox):
        where = replace(where, margin=True)
    yield box, where
    for child in getattr(box, "children", ()):
        yield from _walk(child, where)


def _visible(box: Any) -> bool:
    """Whether a box paints a background, a border or an image."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.ReplacedBox):
        return True
    style = box.style
    color = style["background_color"]
    if color is not None and getattr(color, "alpha", 0) > 0 and not isinstance(box, boxes.PageBox):
        return True
    return any(
        style[f"border_{side}_width"] and style[f"border_{side}_style"] not in ("none", "hidden")
        for side in ("top", "right", "bottom", "left")
    )


def _spill(box: Any, page: int) -> Spill | None:
    """How far the text and pictures inside a box drawn to size run past its borders, less a margin."""
    from weasyprint.formatting_structure import boxes

    left = box.border_box_x() + box.border_left_width
    top = box.border_box_y() + box.border_top_width
    right = box.border_box_x() + box.border_width() - box.border_right_width
    bottom = box.border_box_y() + box.border_height() - box.border_bottom_width
    over, words = float("-inf"), []
    for inner in _boxes(box):
        if isinstance(inner, boxes.TextBox):
            words.append(inner.text)
        elif not isinstance(inner, boxes.ReplacedBox):
            continue
        x, y = inner.position_x, inner.position_y
        w, h = inner.margin_width(), inner.margin_height()
        over = max(over, left - x, top - y, x + w - right, y + h - bottom)
    over_mm = over * PX_TO_MM + CONTAINED_MM
    if over_mm <= 0.05:
        return None
    return Spill(page, str(box.element.get("data-contained")), round(over_mm, 1), " ".join(words))


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


#: How far glyphs reach above and below the baseline, in ems: accents over capitals, Arabic
#: marks and CJK ideographs stay within these, descenders and marks below too.
_ASCENT_EM, _DESCENT_EM = 0.95, 0.35


def _ink_rows(box: Any) -> tuple[float, float]:
    """A text box's top and bottom ink in mm: around its baseline, not its font's line box
    (Noto Sans Arabic and CJK fonts declare a line box twice the type size, so a running head
    set 5 mm from the edge would "print" 2 mm nearer than any of its glyphs do)."""
    size = box.style["font_size"]
    baseline = box.position_y + box.baseline
    return (baseline - _ASCENT_EM * size) * PX_TO_MM, (baseline + _DESCENT_EM * size) * PX_TO_MM


def from_document(document: Any, parts: Sequence[tuple[str, float, bool]]) -> Sheet:
    """A laid-out WeasyPrint document's inks; ``parts``: each part's name, smallest size and
    whether it is fitted, in order."""
    from weasyprint.formatting_structure import boxes

    from .fitting import units_on_page

    first = document.pages[0]
    size = (first.width * PX_TO_MM, first.height * PX_TO_MM)
    inks: list[Ink] = []
    pages: dict[int, list[int]] = {}
    units: dict[tuple[int, int], int] = {}
    spills: list[Spill] = []
    for number, page in enumerate(document.pages, start=1):
        contained: set[int] = set()  # an element's outermost box only (anonymous boxes share it)
        for box, where in _walk(page._page_box, _Where()):
            part, margin = where.part, where.margin
            element = getattr(box, "element", None)
            if element is not None and element.get("data-contained") and id(element) not in contained:
                contained.add(id(element))
                spill = _spill(box, number)
                if spill is not None:
                    spills.append(spill)
            if isinstance(box, boxes.TextBox):
                kind = "artifact" if margin else "heading" if where.heading else "text"
                x, top, bottom = box.position_x * PX_TO_MM, *_ink_rows(box)
                extent = (x, top, x + box.width * PX_TO_MM, bottom)
                font_pt = box.style["font_size"] * 0.75
                inks.append(Ink(number, 0 if margin else part, kind, extent, font_pt, box.text, where.unit))
            elif not isinstance(box, (boxes.PageBox, boxes.LineBox)) and _visible(box):
                x, y = box.border_box_x() * PX_TO_MM, box.border_box_y() * PX_TO_MM
                extent = (x, y, x + box.border_width() * PX_TO_MM, y + box.border_height() * PX_TO_MM)
                if extent[2] > extent[0] or extent[3] > extent[1]:
                    inks.append(Ink(number, part, "graphic", extent))
            if part and not margin:
                pages.setdefault(part, []).append(number)
        for part in {ink.part for ink in inks if ink.page == number and ink.part}:
            units[(part, number)] = units_on_page(page, part)
    found = [
        PartPages(name, min(pages.get(index, [0])), max(pages.get(index, [0])), min_pt, fits)
        for index, (name, min_pt, fits) in enumerate(parts, start=1)
    ]
    return Sheet(size, inks, found, units, spills)


# --- reading a written PDF (check --preflight) -------------------------------


def _struct_kinds(pdf: Any) -> tuple[dict[tuple[int, int], tuple[str, str]], dict[int, list[int]]]:
    """Per (page index, MCID): its kind ('heading' or 'text') and top-level block (the tag of the
    part's child holding it); per page index: the kid counts of its Art elements."""
    import pikepdf

    from .tagging import marked_content, struct_elements

    kinds: dict[tuple[int, int], tuple[str, str]] = {}
    arts: dict[int, list[int]] = {}
    if "/StructTreeRoot" not in pdf.Root:
        return kinds, arts
    headings = {f"/{tag.upper()}" for tag in HEADINGS}
    for page, mcid, struct, _ in marked_content(pdf):
        kind, unit = "text", ""
        node: Any = struct
        while isinstance(node, pikepdf.Dictionary) and "/S" in node:
            kind = "heading" if str(node.S) in headings else kind
            parent = node.get("/P")
            if isinstance(parent, pikepdf.Dictionary) and parent.get("/S") == "/Art":
                unit = str(node.S)
            node = parent
        kinds[(page, mcid)] = (kind, unit)
    page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    for element in struct_elements(pdf.Root.StructTreeRoot):
        if element.S == "/Art" and "/Pg" in element:
            count = sum(1 for kid in element.get("/K", []) if isinstance(kid, pikepdf.Dictionary))
            arts.setdefault(page_index.get(element.Pg.objgen, -1), []).append(count)
    return kinds, arts


def from_pdf(path: Path, parts: Sequence[PartPages]) -> Sheet:
    """A written PDF's inks, read back; ``parts`` as the manifest recorded them."""
    import pdfplumber
    import pikepdf

    with pikepdf.open(path) as pdf:
        kinds, arts = _struct_kinds(pdf)
    inks: list[Ink] = []
    units: dict[tuple[int, int], int] = {}

    def part_of(page: int) -> int:
        return next((n for n, p in enumerate(parts, start=1) if p.first <= page <= p.last), 0)

    with pdfplumber.open(path) as document:
        first = document.pages[0]
        size = (float(first.width) * PT_TO_MM, float(first.height) * PT_TO_MM)
        for index, page in enumerate(document.pages):
            number = index + 1
            part = part_of(number)
            for char in page.chars:
                mcid = char.get("mcid")
                artifact = mcid is None or char.get("tag") == "Artifact"
                mcid = int(mcid or 0)
                kind, unit = ("artifact", "") if artifact else kinds.get((index, mcid), ("text", ""))
                if not char.get("upright", True):
                    kind = "turned"  # pdfminer cannot size turned text; the build measured it
                x0, top, x1, bottom = (float(char[k]) * PT_TO_MM for k in ("x0", "top", "x1", "bottom"))
                font_pt = float(char["size"])
                inks.append(
                    Ink(
                        number,
                        0 if artifact else part,
                        kind,
                        (x0, top, x1, bottom),
                        font_pt,
                        char["text"],
                        unit,
                    )
                )
            for graphic in (*page.rects, *page.lines, *page.curves, *page.images):
                x0, top, x1, bottom = (float(graphic[k]) * PT_TO_MM for k in ("x0", "top", "x1", "bottom"))
                inks.append(Ink(number, part, "graphic", (x0, top, x1, bottom)))
            if part and arts.get(index):
                units[(part, number)] = sum(arts[index])
    return Sheet(size, _joined(inks), list(parts), units)


def _joined(inks: list[Ink]) -> list[Ink]:
    """Characters of one line and size joined into runs, so findings quote words, not letters."""
    runs: list[Ink] = []
    for ink in inks:
        last = runs[-1] if runs else None
        if (
            last is not None
            and ink.kind == last.kind != "graphic"
            and ink.unit == last.unit
            and (ink.page, ink.part, round(ink.size_pt, 1)) == (last.page, last.part, round(last.size_pt, 1))
            and abs(ink.box[1] - last.box[1]) < 0.3
            and -0.5 < ink.box[0] - last.box[2] < 3
        ):
            box = (last.box[0], min(last.box[1], ink.box[1]), ink.box[2], max(last.box[3], ink.box[3]))
            gap = " " if ink.box[0] - last.box[2] > 0.6 else ""
            text = last.text + gap + ink.text
            runs[-1] = Ink(last.page, last.part, last.kind, box, last.size_pt, text, last.unit)
        else:
            runs.append(ink)
    return runs


# --- what is already built (check --preflight) -------------------------------


@dataclass
class Verdict:
    """The preflight of one PDF in the output folder."""

    path: str
    pages: int
    findings: list[Finding]
    note: str = ""  # why it was not read back (imposed, not in the manifest)

    @property
    def state(self) -> str:
        """passed, failed or the reason it was not checked."""
        if self.note:
            return "not checked"
        return "failed" if self.findings else "passed"


def record(sheet: Sheet, pages: int) -> dict[str, Any]:
    """What the manifest keeps of a passed preflight, for ``check --preflight`` to read back by."""
    return {"state": "passed", "pages": pages, "parts": [asdict(part) for part in sheet.parts]}


def check_output(output: Path, manifest: dict[str, dict[str, Any]]) -> list[Verdict]:
    """Read back every PDF the manifest lists and judge it by the same rules as the build."""
    verdicts = []
    for key, entry in sorted(manifest.items()):
        path = output / key
        if not path.is_file() or path.suffix != ".pdf":  # the web edition's pages have no preflight
            continue
        pages = entry.get("pages", 0)
        kept = entry.get("preflight") or {}
        try:
            parts = [PartPages(**part) for part in kept.get("parts", [])]
        except TypeError:
            parts = []
        if not parts:
            verdicts.append(Verdict(key, pages, [], "no preflight record in manifest.json; rebuild it"))
        elif pages != kept.get("pages"):
            verdicts.append(Verdict(key, pages, [], "imposed as a booklet; checked when built"))
        else:
            try:
                verdicts.append(Verdict(key, pages, check(from_pdf(path, parts))))
            except Exception as error:  # a damaged or foreign file: say so, check the rest
                verdicts.append(
                    Verdict(
                        key,
                        pages,
                        [Finding(0, "unreadable", f"cannot read {path}: {error}", "rebuild it with --force")],
                    )
                )
    return verdicts
