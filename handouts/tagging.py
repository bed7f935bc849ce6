"""What WeasyPrint 70's tag tree lacks for PDF/UA-1, added while it is built and after it is written.

While WeasyPrint builds the structure tree (``tagged()``): an element whose HTML
element carries its own ``lang`` gets ``/Lang``, so a Spanish voice does not read
an English sentence (WeasyPrint writes only the catalog's language); a link's
annotation gets ``/Contents`` from the ``aria-label`` of its ``<a>`` ("Call
Childline, 0800 1111") instead of the raw ``tel:`` URI (Kozea/WeasyPrint#2482).

After it is written (``finish()``, with pikepdf): text of the page margin boxes
(footers, the running draft mark) is marked content whose structure elements
WeasyPrint leaves out of the tree (it could only say "Artifact" in PDF 2.0, see
``weasyprint/pdf/tags.py``); it becomes ``/Artifact /Pagination`` content. Figure
bounding boxes, written in CSS pixels from the top left, move to PDF user space.

Lists and definition lists are fixed in our HTML instead (see ``layouts/``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pikepdf
import pydyf
from weasyprint.pdf import tags as weasyprint_tags

_build_box_tree = weasyprint_tags._build_box_tree
PX_TO_PT = 0.75


def _labelled(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
    """WeasyPrint's ``_build_box_tree``, adding /Lang and link /Contents from the HTML."""
    source = getattr(box, "_box", box)  # absolutely placed boxes hide behind a placeholder
    element = getattr(source, "element", None)
    own = element is not None and getattr(source, "element_tag", None) not in ("html", "body")
    for struct in _build_box_tree(box, parent, *args):
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
def tagged() -> Iterator[None]:
    """Write PDFs with the additions above (WeasyPrint calls its tree builder by its module name)."""
    weasyprint_tags._build_box_tree = _labelled
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = _build_box_tree


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


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    instructions = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in mcids:
                instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact, pagination], operator)
        instructions.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


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
    """A PDF written by WeasyPrint with footers as pagination artifacts and figure boxes in user space."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        for index, mcids in _artifact_mcids(pdf).items():
            _mark_artifacts(pdf, pdf.pages[index], mcids)
        _figures_in_user_space(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
