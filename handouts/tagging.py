"""What WeasyPrint 70's tag tree lacks for PDF/UA-1, added while it is built and after it is written.

While WeasyPrint builds the structure tree (``tagged()``): an element whose HTML
element carries its own ``lang`` gets ``/Lang``, so a Spanish voice does not read
an English sentence (WeasyPrint writes only the catalog's language); a link's
annotation gets ``/Contents`` from the ``aria-label`` of its ``<a>`` ("Call
Childline, 0800 1111") instead of the raw ``tel:`` URI (Kozea/WeasyPrint#2482).

Hyphenated words (``hyphenated_words()``): WeasyPrint writes the hyphen it inserts at a line
end into the page text, so a screen reader, a search and a copy would get "protec‐ tion". The
line ending in the hyphen carries the whole word as ``/ActualText`` and the next line the rest
of its text, both on the marked content (read by copy and paste and by poppler) and on the
line's structure element (read by screen readers), as PDF/UA asks for text drawn otherwise
than it reads.

After it is written (``finish()``, with pikepdf): text of the page margin boxes
(footers, the running draft mark) is marked content whose structure elements
WeasyPrint leaves out of the tree (it could only say "Artifact" in PDF 2.0, see
``weasyprint/pdf/tags.py``); it becomes ``/Artifact /Pagination`` content. Figure
bounding boxes, written in CSS pixels from the top left, move to PDF user space.

While the pages are rewritten, what WeasyPrint writes longer than needed is written shorter
(compact.py: text runs, QR codes, text strings, ToUnicode maps, plain Spans; embedded_fonts.py:
fonts), and the file is saved with every stream at zlib's level 9.

Lists and definition lists are fixed in our HTML instead (see ``layouts/``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pikepdf
import pydyf
from weasyprint import Document
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.pdf.stream import Stream

from . import compact
from .embedded_fonts import lean_fonts

_build_box_tree = weasyprint_tags._build_box_tree
_marked = Stream.marked
PX_TO_PT = 0.75
#: Per text box, the text it reads as (its /ActualText), while a document is written.
_actual: Mapping[Any, str] = {}


def _text_boxes(box: Any) -> Iterator[Any]:
    """The text boxes under ``box``, in the order they are drawn (the document's order)."""
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def hyphenated_words(document: Document) -> dict[Any, str]:
    """The /ActualText of each line broken by an inserted hyphen, and of the line after it.

    "the protec‐" reads "the protection" and the next line "tion of…" reads " of…".
    """
    texts = [box for page in document.pages for box in _text_boxes(page._page_box)]
    actual: dict[Any, str] = {}
    start: dict[Any, int] = {}
    for box, following in zip(texts, texts[1:], strict=False):
        hyphen = box.style["hyphenate_character"]
        if box.style["hyphens"] != "auto" or not hyphen or not box.text.endswith(hyphen):
            continue
        tail = re.match(r"[^\s" + re.escape(hyphen) + "]*", following.text)
        length = len(tail.group()) if tail else 0
        actual[box] = box.text[start.get(box, 0) : -len(hyphen)] + following.text[:length]
        start[following] = length
    for box, length in start.items():
        actual.setdefault(box, box.text[length:])
    return actual


@contextmanager
def _marked_as(self: Any, box: Any, tag: str) -> Iterator[None]:
    """WeasyPrint's ``Stream.marked``, the box's /ActualText on its marked content if it has one."""
    with _marked(self, box, tag):
        text = _actual.get(box)
        properties = self.stream[-2] if text is not None and self._tags is not None else None
        if isinstance(properties, pydyf.Dictionary) and "MCID" in properties:  # /Span <<…>> BDC
            properties["ActualText"] = pydyf.String(text)
        yield


def _labelled(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
    """WeasyPrint's ``_build_box_tree``, adding /Lang, link /Contents and /ActualText."""
    source = getattr(box, "_box", box)  # absolutely placed boxes hide behind a placeholder
    element = getattr(source, "element", None)
    own = element is not None and getattr(source, "element_tag", None) not in ("html", "body")
    pdf, nums, tags = args[0], args[2], args[4]
    lines = [
        child
        for line in getattr(box, "children", ())
        if isinstance(line, boxes.LineBox)
        for child in line.children
    ]
    reading = {tags[child]["mcid"]: _actual[child] for child in lines if child in _actual and child in tags}
    for struct in _build_box_tree(box, parent, *args):
        for mcid, text in reading.items():
            span = pdf.objects[int(nums[mcid].split()[0])] if mcid in nums else None
            if span is not None and span.get("S") == "/Span":
                span["ActualText"] = pydyf.String(text)
        if own and element is not None:
            lang = element.get("lang")
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            annotation = getattr(source, "link_annotation", None)
            label = element.get("aria-label")
            if annotation is not None and label:
                annotation["Contents"] = pydyf.String(label)
        yield struct


@contextmanager
def tagged(actual: Mapping[Any, str] | None = None) -> Iterator[None]:
    """Write PDFs with the additions above (WeasyPrint calls its tree builder by its module name).

    ``actual``: what each text box reads as, from ``hyphenated_words()``.
    """
    global _actual
    weasyprint_tags._build_box_tree = _labelled
    Stream.marked = _marked_as
    _actual = actual or {}
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = _build_box_tree
        Stream.marked = _marked
        _actual = {}


def struct_elements(root: Any) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from ``root`` (the tree root or an element), each once."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)
                yield kid


def marked_content(pdf: pikepdf.Pdf) -> Iterator[tuple[int, int, Any, pikepdf.Array]]:
    """(page index, MCID, its structure element, the page's entry array) from the parent tree."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for index in range(0, len(nums), 2):
        key, value = int(nums[index]), nums[index + 1]
        if key < len(pdf.pages) and isinstance(value, pikepdf.Array):  # annotations' come after
            for mcid, struct in enumerate(value):
                yield key, mcid, struct, value


def _artifact_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """Per page index, the MCIDs whose structure elements are not in the tree (margin boxes)."""
    reachable = {element.objgen for element in struct_elements(pdf.Root.StructTreeRoot)}
    orphans: dict[int, set[int]] = {}
    for page, mcid, struct, entries in marked_content(pdf):
        if isinstance(struct, pikepdf.Dictionary) and struct.objgen not in reachable:
            orphans.setdefault(page, set()).add(mcid)
            entries[mcid] = None
    return orphans


def _rewrite_page(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> list[tuple[Any, str]]:
    """The page's margin-box content (``mcids``) as artifacts; its text runs and QR codes in
    fewer bytes (compact.py). The images it now draws inline: (its XObject dictionary, name)."""
    pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    images = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
    instructions: list[Any] = []
    inlined: list[tuple[Any, str]] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in mcids:
                instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact, pagination], operator)
        elif str(operator) == "TJ" and len(operands) == 1 and isinstance(operands[0], pikepdf.Array):
            instruction = pikepdf.ContentStreamInstruction([compact.joined(operands[0])], operator)
        elif str(operator) == "Do" and (mask := compact.qr_mask(pdf, images.get(str(operands[0])))):
            instructions += mask
            inlined.append((images, str(operands[0])))
            continue
        instructions.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return inlined


def _figures_in_user_space(pdf: pikepdf.Pdf) -> None:
    heights = {page.obj.objgen: float(page.mediabox[3]) for page in pdf.pages}
    for element in struct_elements(pdf.Root.StructTreeRoot):
        attributes = element.get("/A")
        if element.S == "/Figure" and isinstance(attributes, pikepdf.Dictionary) and "/BBox" in attributes:
            height = heights.get(element.Pg.objgen, 0.0)
            x1, y1, x2, y2 = (float(value) * PX_TO_PT for value in attributes.BBox)
            attributes.BBox = pikepdf.Array(
                [round(x1, 2), round(height - y2, 2), round(x2, 2), round(height - y1, 2)]
            )


def finish(data: bytes) -> bytes:
    """A PDF written by WeasyPrint with footers as pagination artifacts, figure boxes in user
    space, leaner fonts (embedded_fonts.py), text runs and QR codes in fewer bytes, and every
    stream compressed at zlib's level 9 (qpdf's default, 6, leaves 0.8 KB of a handout)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tagged = "/StructTreeRoot" in pdf.Root
        if tagged:
            artifacts = _artifact_mcids(pdf)
            inlined = [
                drawn
                for index, page in enumerate(pdf.pages)
                for drawn in _rewrite_page(pdf, page, artifacts.get(index, set()))
            ]
            for images, name in inlined:  # after every page: pages may share their resources
                if name in images:
                    del images[name]  # drawn inline now, no longer written
            _figures_in_user_space(pdf)
            compact.plain_spans_dissolved(pdf)
        compact.short_text_strings_and_maps(pdf)
        lean_fonts(pdf)
        out = io.BytesIO()
        pikepdf.settings.set_flate_compression_level(9)
        pdf.save(out, deterministic_id=True, recompress_flate=True)
        return out.getvalue()
