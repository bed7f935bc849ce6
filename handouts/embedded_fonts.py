"""Embedded fonts without what a PDF never reads: CFF offsets for undrawn glyphs, TrueType tables.

WeasyPrint subsets a font keeping each glyph's number (the page's text codes are glyph
numbers), so a subset of Noto Sans CJK still has an entry for each of its 65,000 glyphs:
a one-byte empty outline and an offset to it. Those offsets count up by one and do not
compress: about 150 KB of a Chinese handout's 230 KB. Here each glyph the font's widths
(``/W``, the glyphs the pages draw) do not name gets a zero-length outline, so the offsets
repeat and compress to almost nothing; the glyphs keep their numbers, the drawn outlines
are the same bytes, and every other part of the font stays where it was (the shorter
CharStrings INDEX is padded with zeros to its old length). Poppler and PDFium draw the
pages the same (tests/test_scripts.py).

A TrueType subset (``/FontFile2`` of a CIDFontType2: the Latin, Greek and Cyrillic fonts) loses
the tables only an installed font needs (``name``, ``post``, ``gasp``, ``GDEF``, ``cmap``): the
PDF gives each glyph by its number (``/CIDToGIDMap /Identity``), its name (``/BaseFont``) and
its text (``/ToUnicode``), ISO 32000-1 9.9 asks only for the outlines and metrics tables, and
OS/2 stays (its ``fsType`` says the font may be embedded). About 0.45 KB less per font.

Written by hand: fontTools can rebuild a CFF, but compiling 65,000 charstrings takes longer
than laying out the document; this rewrites one INDEX in place and lets fontTools find it
and write the font's table directory and checksums.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

#: A font with fewer glyphs than this is left as it is (a Latin subset: nothing to gain).
MANY_GLYPHS = 5000
#: TrueType tables a PDF reader does not use for a CIDFontType2 (ISO 32000-1 9.9, 9.7.4.2).
UNREAD_TABLES = frozenset({"name", "post", "gasp", "GDEF", "GPOS", "GSUB", "cmap", "DSIG"})


def lean_fonts(pdf: pikepdf.Pdf) -> bool:
    """Every CID-keyed CFF font of ``pdf`` with empty outlines for the glyphs it does not draw,
    every CID-keyed TrueType font without the tables a PDF does not read; whether any changed."""
    changed = False
    for font in _cid_fonts(pdf):
        descriptor = font.get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary):
            continue
        stream = descriptor.get("/FontFile3")
        if font.get("/Subtype") == "/CIDFontType2":
            stream = descriptor.get("/FontFile2")
            lean = _without_unread(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else None
        elif isinstance(stream, pikepdf.Stream) and stream.get("/Subtype") == "/OpenType":
            lean = _without_undrawn(stream.read_bytes(), _drawn(font.get("/W", pikepdf.Array())))
        else:
            continue
        if isinstance(stream, pikepdf.Stream) and lean is not None:
            stream.write(zlib.compress(lean, 9), filter=pikepdf.Name.FlateDecode)
            if "/Length1" in stream:
                stream.Length1 = len(lean)
            changed = True
    return changed


def _cid_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The CIDFontType0 and CIDFontType2 fonts the pages and their forms name (each once): found
    through the resources, not by walking every object (a tagged page has hundreds of structure
    elements)."""
    found: dict[tuple[int, int], pikepdf.Dictionary] = {}
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    seen: set[tuple[int, int]] = set()
    while resources:
        held = resources.pop()
        if not isinstance(held, pikepdf.Dictionary) or (held.is_indirect and held.objgen in seen):
            continue
        if held.is_indirect:
            seen.add(held.objgen)
        for font in dict(held.get("/Font", {})).values():
            for descendant in font.get("/DescendantFonts", ()):
                if isinstance(descendant, pikepdf.Dictionary) and descendant.get("/Subtype") in (
                    "/CIDFontType0",
                    "/CIDFontType2",
                ):
                    found[descendant.objgen] = descendant
        for form in dict(held.get("/XObject", {})).values():
            if form.get("/Subtype") == "/Form":
                resources.append(form.get("/Resources"))
    return list(found.values())


def _drawn(widths: Iterable[object]) -> set[int]:
    """The glyph numbers a ``/W`` array gives widths for: ``c [w ...]`` and ``first last w``."""
    items, drawn, index = list(widths), {0}, 0
    while index + 1 < len(items):
        first, after = int(items[index]), items[index + 1]  # type: ignore[call-overload]
        if isinstance(after, pikepdf.Array):
            drawn.update(range(first, first + len(after)))
            index += 2
        else:
            drawn.update(range(first, int(after) + 1))  # type: ignore[call-overload]
            index += 3
    return drawn


def _without_unread(data: bytes) -> bytes | None:
    """The TrueType font ``data`` without the tables in UNREAD_TABLES; None: it has none of them."""
    reader = SFNTReader(io.BytesIO(data))
    kept = [tag for tag in reader.tables if tag not in UNREAD_TABLES]
    if len(kept) == len(reader.tables) or "glyf" not in kept:
        return None
    return _written(reader.sfntVersion, {tag: reader[tag] for tag in kept})


def _written(version: str | bytes, tables: dict[str, bytes]) -> bytes:
    """An sfnt font of these ``tables``, its directory and checksums by fontTools."""
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tables), version)
    for tag, table in tables.items():
        writer[tag] = table
    writer.close()
    return out.getvalue()


def _without_undrawn(data: bytes, drawn: set[int]) -> bytes | None:
    """The OpenType font ``data`` with zero-length outlines for glyphs not ``drawn``; None: unchanged."""
    reader = SFNTReader(io.BytesIO(data))
    if "CFF " not in reader.tables:
        return None
    tables = {tag: reader[tag] for tag in reader.tables}
    cff = tables["CFF "]
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    start = fonts.topDictIndex[0].rawDict.get("CharStrings")
    if not isinstance(start, int):
        return None
    count, size = struct.unpack_from(">HB", cff, start)
    if count < MANY_GLYPHS or not 1 <= size <= 4:
        return None
    offsets = [
        int.from_bytes(cff[at : at + size], "big")
        for at in range(start + 3, start + 3 + (count + 1) * size, size)
    ]
    base = start + 3 + (count + 1) * size - 1  # offsets count from the byte before the data
    end = base + offsets[-1]
    kept = bytearray()
    new = [1]
    for glyph in range(count):
        if glyph in drawn:
            kept += cff[base + offsets[glyph] : base + offsets[glyph + 1]]
        new.append(len(kept) + 1)
    index = struct.pack(">HB", count, size) + b"".join(o.to_bytes(size, "big") for o in new) + kept
    tables["CFF "] = cff[:start] + index + bytes(end - start - len(index)) + cff[end:]
    return _written(reader.sfntVersion, tables)
