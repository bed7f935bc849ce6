"""A document of many parts (a packet) laid out, written and let go one part at a time, then joined.

A layout holds every page's boxes and styles until the PDF is written: a 97-page packet laid
out at once added 66 MiB to a worker of 110 MiB, and writing it 28 MiB more. Each part of a
packet starts on a page of its own, so the packet can be made part by part, holding one part's
pages at a time. What one layout gave for free is given here:

- page numbers: each part's pages are numbered on from where the part before ended, out of a
  total known before any part is laid out (a fitted part's pages are known from its fit, a part
  drawn to size may be remembered from its own product; the others are laid out once to
  count them);
- right- and left-hand starts: a part that must start on the other side begins with a page
  left blank that says so, as the one layout's ``:blank`` pages did;
- the contents page: the product writes in the page numbers (``Product.paginate``), and its
  links name destinations the joined PDF resolves to each part's first page;
- the PDF: pages, structure trees (their parent trees numbered on), named destinations,
  outlines, and each font's subsets joined into one font program (``embedded_fonts``).

A part laid out to another page count than planned makes ``joined`` return None, and the
document is laid out whole instead: never a wrong page number.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pikepdf

from .embedded_fonts import join_fonts
from .fitting import document_html, parts_css
from .preflight import Sheet, from_document
from .products.product import Part, Product
from .render import Page, Renderer
from .tagging import finish

#: A page number as wide as any a packet prints, for laying a contents page out to count it.
COUNTING_NUMBER = 888


@dataclass
class Piece:
    """A part laid out alone, where it goes in the joined document."""

    part: Part
    number: int  # its number among the document's parts (its article is ``part-<number>``)
    start: int  # the page number of its first page in the joined document
    pages: int  # how many pages it takes, a page left blank before it included
    after: Part | None = None  # the part before it, when a blank page comes first (its footers)


@dataclass
class Joined:
    """The joined PDF (tagged and finished), its page count and what preflight read of it."""

    pdf: bytes
    pages: int
    sheet: Sheet


def side(number: int, left_to_right: bool) -> str:
    """The side page ``number`` falls on: a left-to-right document's first page is a right-hand one."""
    return "right" if (number % 2 == 1) == left_to_right else "left"


def plan(parts: Sequence[Part], pages: Sequence[int], left_to_right: bool) -> list[Piece]:
    """Where each part goes, given how many pages each takes laid out alone."""
    pieces: list[Piece] = []
    start = 1
    for number, (part, count) in enumerate(zip(parts, pages, strict=True), start=1):
        blank = number > 1 and part.starts in ("right", "left") and side(start, left_to_right) != part.starts
        pieces.append(Piece(part, number, start, count + blank, parts[number - 2] if blank else None))
        start += count + blank
    return pieces


def joined(
    renderer: Renderer,
    product: Product,
    parts: list[Part],
    meta: dict[str, Any],
    page: Page,
    name: str,
) -> Joined | None:
    """The parts laid out and written one at a time and joined; None when a part does not take
    the pages planned for it (the caller lays the document out whole)."""
    left_to_right = parts[0].locale.direction != "rtl"
    every = [(part.bookmark, part.min_pt, part.fits) for part in parts]
    unknown = [part for part in parts if not part.pages]
    if unknown:
        product.paginate(parts, dict.fromkeys(range(1, len(parts) + 1), COUNTING_NUMBER))
        for part, pages in zip(
            unknown, _count(renderer, unknown, len(parts) + 1, meta, page, name), strict=True
        ):
            part.pages = pages
    pieces = plan(parts, [part.pages for part in parts], left_to_right)
    total = pieces[-1].start + pieces[-1].pages - 1
    product.paginate(parts, {piece.number: piece.start + (piece.after is not None) for piece in pieces})
    pdfs, sheets = [], []
    for piece in pieces:
        chunk = replace(page, first_page=piece.start, total=total, side=side(piece.start, left_to_right))
        document = _lay_out(renderer, piece, meta, chunk, name)
        if len(document.pages) != piece.pages:
            product.paginate(parts, None)
            return None
        sheets.append(from_document(document, every))
        pdfs.append(finish(renderer.write_pdf(document, name)))
        del document
        if piece.pages >= 8:  # a long part's boxes hold cycles: let them go before the next
            gc.collect()
    return Joined(join(pdfs), total, _joined_sheet(sheets, pieces))


def _count(
    renderer: Renderer, parts: list[Part], first: int, meta: dict[str, Any], page: Page, name: str
) -> list[int]:
    """How many pages each part takes that was not fitted (a cover, a material drawn to size),
    each laid out alone (numbered ``first``, after the document's own numbers: the contents page
    names those). One at a time: laid out together they took as long and 9 MiB more."""
    alone = [Piece(part, first, 1, 0) for part in parts]
    return [len(_lay_out(renderer, piece, meta, page, name, "page").pages) for piece in alone]


def parts_on(page: Any) -> set[int]:
    """The numbers of the parts (``<article id="part-N">``) a laid-out page shows."""
    found, boxes = set(), [page._page_box]
    while boxes:
        box = boxes.pop()
        element = getattr(box, "element", None)
        if getattr(box, "element_tag", None) == "article" and element is not None:
            found.add(int(str(element.get("id", "part-0")).removeprefix("part-")))
        else:
            boxes.extend(getattr(box, "children", ()))
    return found


def _lay_out(
    renderer: Renderer, piece: Piece, meta: dict[str, Any], page: Page, name: str, starts: str | None = None
) -> Any:
    """A piece laid out alone (``starts``: its part's page break instead of its own)."""
    html = document_html(renderer, [piece.part], meta, starts, piece.number, piece.after)
    return renderer.layout(html, page.css() + parts_css([piece.part], piece.number), name)


def _joined_sheet(sheets: Sequence[Sheet], pieces: Sequence[Piece]) -> Sheet:
    """One preflight reading from each piece's, its pages numbered as in the joined document."""
    inks, parts, units, spills = [], [], {}, []
    for sheet, piece in zip(sheets, pieces, strict=True):
        shift = piece.start - 1
        inks += [replace(ink, page=ink.page + shift) for ink in sheet.inks]
        own = sheet.parts[piece.number - 1]
        parts.append(replace(own, first=own.first + shift, last=own.last + shift))
        units.update({(part, page + shift): count for (part, page), count in sheet.units.items()})
        spills += [replace(spill, page=spill.page + shift) for spill in sheet.spills]
    return Sheet(sheets[0].size_mm, inks, parts, units, spills)


# --- the PDFs joined ---------------------------------------------------------


def join(pdfs: Sequence[bytes]) -> bytes:
    """Tagged PDFs joined into one: the first's catalog, metadata and language, everyone's pages,
    structure elements, named destinations and outline entries, and one program per font."""
    with pikepdf.open(io.BytesIO(pdfs[0])) as pdf:
        tree = pdf.Root.StructTreeRoot
        document = _document(tree)
        nums: list[Any] = list(tree.ParentTree.Nums)
        names = _destinations(pdf, pdf, 0)
        entries = _outline(pdf, pdf, 0)
        for data in pdfs[1:]:
            with pikepdf.open(io.BytesIO(data)) as part:
                offset = _next_key(nums)
                first = len(pdf.pages)
                _number_on(part, offset)
                pdf.pages.extend(part.pages)
                own = part.Root.StructTreeRoot
                kids = _document(own).K
                for kid in kids:
                    if isinstance(kid, pikepdf.Dictionary):
                        del kid["/P"]  # not to copy the part's own tree root along
                for kid in pdf.copy_foreign(part.make_indirect(kids)):
                    if isinstance(kid, pikepdf.Dictionary):
                        kid.P = document
                    document.K.append(kid)
                found = own.ParentTree.Nums
                for index in range(0, len(found), 2):
                    value = found[index + 1]
                    if isinstance(value, pikepdf.Array) and not value.is_indirect:
                        value = part.make_indirect(value)
                    nums += [int(found[index]) + offset, pdf.copy_foreign(value)]
                names.update(_destinations(pdf, part, first))
                entries += _outline(pdf, part, first)
        tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        if "/ParentTreeNextKey" in tree:
            tree.ParentTreeNextKey = _next_key(nums)
        pdf.Root.Names = pikepdf.Dictionary(
            Dests=pikepdf.Dictionary(Names=pikepdf.Array([x for key in sorted(names) for x in names[key]]))
        )
        _write_outline(pdf, entries)
        join_fonts(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _document(tree: Any) -> Any:
    """The tree's /Document element (WeasyPrint writes one under the root)."""
    kids = tree.K
    element = kids[0] if isinstance(kids, pikepdf.Array) else kids
    if not isinstance(element.get("/K"), pikepdf.Array):
        element.K = pikepdf.Array([element.K] if "/K" in element else [])
    return element


def _next_key(nums: Sequence[Any]) -> int:
    keys = [int(nums[index]) for index in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _number_on(part: pikepdf.Pdf, offset: int) -> None:
    """The part's pages and annotations name their parent-tree entries ``offset`` further on."""
    for page in part.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset


def _page_of(source: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: index for index, page in enumerate(source.pages)}


def _destination(pdf: pikepdf.Pdf, where: Any, pages: dict[tuple[int, int], int], first: int) -> Any:
    """An explicit destination ([page /XYZ x y 0]) of a source page, pointing at the joined page."""
    if not isinstance(where, pikepdf.Array) or len(where) == 0:
        return None
    index = pages.get(where[0].objgen) if isinstance(where[0], pikepdf.Dictionary) else None
    if index is None:
        return None
    return pikepdf.Array([pdf.pages[first + index].obj, *list(where)[1:]])


def _destinations(pdf: pikepdf.Pdf, source: pikepdf.Pdf, first: int) -> dict[str, tuple[Any, Any]]:
    """The source's named destinations (a flat name tree, as WeasyPrint writes it), re-pointed."""
    found: dict[str, tuple[Any, Any]] = {}
    names = source.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, pikepdf.Dictionary) else None
    flat: Any = dests.get("/Names") if isinstance(dests, pikepdf.Dictionary) else None
    pages = _page_of(source)
    for index in range(0, len(flat) if flat is not None else 0, 2):
        where = _destination(pdf, flat[index + 1], pages, first)
        if where is not None:
            found[str(flat[index])] = (pikepdf.String(str(flat[index])), where)
    return found


def _outline(pdf: pikepdf.Pdf, source: pikepdf.Pdf, first: int) -> list[tuple[str, Any, list[Any]]]:
    """The source's outline entries (title, destination, children), re-pointed."""
    pages = _page_of(source)

    def entries(item: Any) -> list[tuple[str, Any, list[Any]]]:
        found = []
        while isinstance(item, pikepdf.Dictionary):
            where = _destination(pdf, item.get("/Dest"), pages, first)
            found.append((str(item.Title), where, entries(item.get("/First"))))
            item = item.get("/Next")
        return found

    outlines = source.Root.get("/Outlines")
    return entries(outlines.get("/First")) if isinstance(outlines, pikepdf.Dictionary) else []


def _write_outline(pdf: pikepdf.Pdf, entries: list[tuple[str, Any, list[Any]]]) -> None:
    with pdf.open_outline() as outline:
        outline.root.clear()
        outline.root.extend(_items(entries))


def _items(entries: list[tuple[str, Any, list[Any]]]) -> list[pikepdf.OutlineItem]:
    items = []
    for title, where, children in entries:
        item = pikepdf.OutlineItem(title, where if where is not None else 0)
        item.children.extend(_items(children))
        items.append(item)
    return items
