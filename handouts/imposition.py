"""Booklet imposition: pages 2-up on sheets twice their width, in saddle-stitch order.

Printed double-sided (flip on the short edge), folded and stapled in the middle,
the sheets read in page order. Pages keep their size (A4 pages on A3 sheets,
Letter on Tabloid), so nothing prints smaller than it was laid out. Blank pages
pad the count to a multiple of four.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation


def saddle_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indexes of each sheet side in print order; None is a blank page."""
    total = -(-pages // 4) * 4

    def page(index: int) -> int | None:
        return index if index < pages else None

    sides = []
    for sheet in range(total // 4):
        sides.append((page(total - 1 - 2 * sheet), page(2 * sheet)))  # front
        sides.append((page(2 * sheet + 1), page(total - 2 - 2 * sheet)))  # back
    return sides


def booklet(pdf: bytes) -> bytes:
    """The PDF imposed as a booklet."""
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    writer = PdfWriter()
    for left, right in saddle_order(len(reader.pages)):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for index, offset in ((left, 0.0), (right, width)):
            if index is not None:
                sheet.merge_transformed_page(reader.pages[index], Transformation().translate(offset, 0))
        writer.add_page(sheet)
    writer.add_metadata(
        {"/Title": str(reader.metadata.title or "") + " (booklet)" if reader.metadata else ""}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
