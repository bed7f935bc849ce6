"""Embedded CFF fonts without an offset for every glyph the document never draws.

WeasyPrint subsets a font keeping each glyph's number (the page's text codes are glyph
numbers), so a subset of Noto Sans CJK still has an entry for each of its 65,000 glyphs:
a one-byte empty outline and an offset to it. Those offsets count up by one and do not
compress: about 150 KB of a Chinese handout's 230 KB. Here each glyph the font's widths
(``/W``, the glyphs the pages draw) do not name gets a zero-length outline, so the offsets
repeat and compress to almost nothing; the glyphs keep their numbers, the drawn outlines
are the same bytes, and every other part of the font stays where it was (the shorter
CharStrings INDEX is padded with zeros to its old length). Poppler and PDFium draw the
pages the same (tests/test_scripts.py).

Written by hand: fontTools can rebuild a CFF, but compiling 65,000 charstrings takes longer
than laying out the document; this rewrites one INDEX in place and lets fontTools find it
and write the font's table directory and checksums.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterable
from typing import Any

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

#: A font with fewer glyphs than this is left as it is (a Latin subset: nothing to gain).
MANY_GLYPHS = 5000


def lean_fonts(pdf: pikepdf.Pdf) -> bool:
    """Every CID-keyed CFF font of ``pdf`` with empty outlines for the glyphs it does not draw;
    whether any font was made leaner."""
    changed = False
    for font in _cid_fonts(pdf, "/CIDFontType0"):
        descriptor = font.get("/FontDescriptor")
        stream = descriptor.get("/FontFile3") if isinstance(descriptor, pikepdf.Dictionary) else None
        if not isinstance(stream, pikepdf.Stream) or stream.get("/Subtype") != "/OpenType":
            continue
        lean = _without_undrawn(stream.read_bytes(), _drawn(font.get("/W", pikepdf.Array())))
        if lean is not None:
            stream.write(zlib.compress(lean, 9), filter=pikepdf.Name.FlateDecode)
            changed = True
    return changed


def _cid_fonts(pdf: pikepdf.Pdf, subtype: str) -> list[pikepdf.Dictionary]:
    """The CID fonts of ``subtype`` (CIDFontType0: CFF, CIDFontType2: TrueType) the pages and
    their forms name, each once."""
    found: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for fonts in _font_resources(pdf):
        for font in fonts.values():
            for descendant in font.get("/DescendantFonts", ()):
                if isinstance(descendant, pikepdf.Dictionary) and descendant.get("/Subtype") == subtype:
                    found[descendant.objgen] = descendant
    return list(found.values())


def _font_resources(pdf: pikepdf.Pdf) -> list[Any]:
    """The /Font resource dictionaries of the pages and their forms (each once): found through the
    resources, not by walking every object (a tagged page has hundreds of structure elements)."""
    found: list[Any] = []
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    seen: set[tuple[int, int]] = set()
    while resources:
        held = resources.pop()
        if not isinstance(held, pikepdf.Dictionary) or (held.is_indirect and held.objgen in seen):
            continue
        if held.is_indirect:
            seen.add(held.objgen)
        fonts = held.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary) and not (fonts.is_indirect and fonts.objgen in seen):
            if fonts.is_indirect:
                seen.add(fonts.objgen)
            found.append(fonts)
        for form in dict(held.get("/XObject", {})).values():
            if form.get("/Subtype") == "/Form":
                resources.append(form.get("/Resources"))
    return found


def _drawn(widths: Iterable[object]) -> set[int]:
    """The glyph numbers a ``/W`` array gives widths for (and 0, the missing glyph)."""
    return {0, *_widths(widths)}


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
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tables), reader.sfntVersion)
    for tag, table in tables.items():
        writer[tag] = table
    writer.close()
    return out.getvalue()


def join_fonts(pdf: pikepdf.Pdf) -> None:
    """One TrueType font where documents joined into ``pdf`` (joining.py) each embedded a subset.

    The subsets keep the font's glyph numbers, so their union is every glyph any of them draws,
    at its number: one program for them all. Their widths and text mappings are joined too, and
    every page names the one font, unless a part maps a glyph to other text than the others do
    (it keeps its own dictionaries, on the joined program). CFF fonts (CJK) stay one per part.
    """
    groups: dict[str, dict[tuple[int, int], Any]] = {}
    for fonts in _font_resources(pdf):
        for font in fonts.values():
            descendant = font.get("/DescendantFonts", [None])[0]
            if isinstance(descendant, pikepdf.Dictionary) and descendant.get("/Subtype") == "/CIDFontType2":
                descriptor = descendant.FontDescriptor
                if isinstance(descriptor.get("/FontFile2"), pikepdf.Stream) and "/ToUnicode" in font:
                    name = str(descriptor.FontName).split("+", 1)[-1]  # the subset's tag left out
                    groups.setdefault(name, {})[font.objgen] = font
    shared: dict[tuple[int, int], Any] = {}
    for group in groups.values():
        if len(group) > 1:
            shared |= _joined_font(pdf, list(group.values()))
    for fonts in _font_resources(pdf):
        for key, font in list(fonts.items()):
            if font.objgen in shared:
                fonts[key] = shared[font.objgen]


def _joined_font(pdf: pikepdf.Pdf, fonts: list[Any]) -> dict[tuple[int, int], Any]:
    """Subsets of one font joined: which font dictionaries the first now stands for."""
    descriptors = [font.DescendantFonts[0].FontDescriptor for font in fonts]
    union = _glyph_union([descriptor.FontFile2.read_bytes() for descriptor in descriptors])
    program = pdf.make_stream(zlib.compress(union, 9))
    program.Filter, program.Length1 = pikepdf.Name.FlateDecode, len(union)
    for descriptor in descriptors:
        descriptor.FontFile2 = program
    first = fonts[0]
    text, widths, joined = _text_of(first), _widths(first.DescendantFonts[0].get("/W", ())), {}
    for font in fonts[1:]:
        theirs = _text_of(font)
        if all(text.get(glyph, mapped) == mapped for glyph, mapped in theirs.items()):
            text |= theirs
            widths |= _widths(font.DescendantFonts[0].get("/W", ()))
            joined[font.objgen] = first
    first.ToUnicode = pdf.make_stream(_to_unicode(text))
    first.DescendantFonts[0].W = pikepdf.Array(_width_array(widths))
    return joined


def _text_of(font: Any) -> dict[str, str]:
    """What each glyph reads as, from a font's /ToUnicode map (bfchar entries, as WeasyPrint writes)."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    text: dict[str, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        text.update(re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block))
    return text


def _to_unicode(text: dict[str, str]) -> bytes:
    """A /ToUnicode CMap of ``text`` (glyph code -> UTF-16 hex), in blocks of 100 as the format asks."""
    codes = sorted(text, key=lambda code: int(code, 16))
    blocks = []
    for start in range(0, len(codes), 100):
        chunk = codes[start : start + 100]
        lines = "\n".join(f"<{code}> <{text[code]}>" for code in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
        "<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("latin-1")


def _widths(array: Iterable[object]) -> dict[int, object]:
    """The widths a ``/W`` array gives, by glyph number (``c [w ...]`` and ``first last w``)."""
    items, index = list(array), 0
    widths: dict[int, object] = {}
    while index + 1 < len(items):
        first, after = int(items[index]), items[index + 1]  # type: ignore[call-overload]
        if isinstance(after, pikepdf.Array):
            widths.update({first + offset: width for offset, width in enumerate(after)})
            index += 2
        else:
            last, width = int(after), items[index + 2]  # type: ignore[call-overload]
            widths.update(dict.fromkeys(range(first, last + 1), width))
            index += 3
    return widths


def _width_array(widths: dict[int, object]) -> list[Any]:
    """A ``/W`` array of ``widths``: each run of consecutive glyph numbers as ``c [w ...]``."""
    array: list[Any] = []
    for glyph in sorted(widths):
        if array and array[-2] + len(array[-1]) == glyph:
            array[-1].append(widths[glyph])
        else:
            array += [glyph, pikepdf.Array([widths[glyph]])]
    return array


def _glyph_union(programs: list[bytes]) -> bytes:
    """TrueType subsets of one font (glyph numbers kept) as one program holding every glyph any has.

    The longest subset (a subset keeps the glyphs up to the last it draws) takes from each other
    one, read a font at a time, the outlines (raw, as they were) and metrics of the glyphs it lacks.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    fonts = [TTFont(io.BytesIO(data), recalcBBoxes=False) for data in programs]  # tables read when asked
    fonts.sort(key=lambda font: -int(font["maxp"].numGlyphs))
    base, others = fonts[0], fonts[1:]
    del fonts  # each other subset goes once read
    names, glyphs, metrics = base.getGlyphOrder(), base["glyf"].glyphs, base["hmtx"].metrics
    maxp = base["maxp"]  # the most points, contours… any glyph has: the most any subset's has
    for field in (name for name in vars(maxp) if name.startswith("max")):
        setattr(maxp, field, max(getattr(font["maxp"], field, 0) for font in [base, *others]))
    while others:
        font = others.pop()
        offsets, outlines, their_metrics = font["loca"], font.reader["glyf"], font["hmtx"].metrics
        for number, name in enumerate(font.getGlyphOrder()):
            ours = names[number]
            start, end = offsets[number], offsets[number + 1]
            if end > start and not _outlined(glyphs[ours]):
                glyphs[ours], metrics[ours] = (
                    Glyph(outlines[start:end]),
                    their_metrics[name],
                )  # a mark's bearing too
            elif any(their_metrics[name]) and not any(metrics[ours]):  # a subset zeroes what it drops
                metrics[ours] = their_metrics[name]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _outlined(glyph: object) -> bool:
    """Whether a glyph (read or not yet) has an outline: an undrawn glyph of a subset is empty."""
    data = getattr(glyph, "data", None)
    return bool(data) if data is not None else getattr(glyph, "numberOfContours", 0) != 0
