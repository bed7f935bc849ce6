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
from typing import Any

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

from .compact import cmap_text, to_unicode_cmap

#: A font with fewer glyphs than this is left as it is (a Latin subset: nothing to gain).
MANY_GLYPHS = 5000
#: TrueType tables a PDF reader does not use for a CIDFontType2 (ISO 32000-1 9.9, 9.7.4.2).
UNREAD_TABLES = frozenset({"name", "post", "gasp", "GDEF", "GPOS", "GSUB", "cmap", "DSIG"})


def lean_fonts(pdf: pikepdf.Pdf) -> bool:
    """Every CID-keyed CFF font of ``pdf`` with empty outlines for the glyphs it does not draw,
    every CID-keyed TrueType font without the tables a PDF does not read; whether any changed."""
    changed = False
    for font in _cid_fonts(pdf, "/CIDFontType0") + _cid_fonts(pdf, "/CIDFontType2"):
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
    """Subsets of one font name joined where they agree: which font dictionaries stand for others.

    A subset joins a group only if every glyph number it shares with the group has the same
    outline, metrics and text: two font files can carry one name (a fallback font of the same
    family), and their glyph numbers then mean other glyphs. Each group gets one program and
    one set of dictionaries (its first subset's); a subset that agrees with none keeps its own.
    """
    groups: list[_Joined] = []
    for subset in sorted((_Subset(font) for font in fonts), key=lambda subset: -subset.count):
        group = next((group for group in groups if group.agrees(subset)), None)
        if group is None:  # the longest first: a group's first has every number the others use
            groups.append(_Joined(subset))
        else:
            group.add(subset)
    stands: dict[tuple[int, int], Any] = {}
    for group in groups:
        if len(group.members) > 1:
            stands |= group.write(pdf)
    return stands


class _Joined:
    """Subsets whose glyph numbers agree, and what they draw together: one program for all, one
    set of dictionaries for those whose codes also read as the same text."""

    def __init__(self, first: _Subset) -> None:
        self.members, self.sharing = [first], [first]
        self.outlines, self.metrics = dict(first.outlines), dict(first.metrics)
        self.text = dict(first.text) if first.text is not None else None
        self.widths = dict(first.widths)

    def agrees(self, subset: _Subset) -> bool:
        """Whether each glyph number ``subset`` shares with the group means the same glyph."""
        return all(
            self.outlines.get(number, outline) == outline for number, outline in subset.outlines.items()
        ) and all(self.metrics.get(number, metric) == metric for number, metric in subset.metrics.items())

    def add(self, subset: _Subset) -> None:
        self.members.append(subset)
        self.outlines |= subset.outlines
        self.metrics |= subset.metrics
        if (
            self.text is not None
            and subset.text is not None  # a map it cannot read: its own
            and all(self.text.get(code, read) == read for code, read in subset.text.items())
        ):
            self.sharing.append(subset)  # a hyphen read as U+2010 here, U+002D there: its own map
            self.text |= subset.text
            self.widths |= subset.widths

    def write(self, pdf: pikepdf.Pdf) -> dict[tuple[int, int], Any]:
        """The group's program, and its first font's dictionaries: which fonts that font stands for."""
        first = self.members[0]
        programs = [member.program for member in self.members]
        union = _union(first.program, self.outlines, self.metrics, programs)
        program = pdf.make_stream(zlib.compress(union, 9))
        program.Filter, program.Length1 = pikepdf.Name.FlateDecode, len(union)
        for member in self.members:
            member.font.DescendantFonts[0].FontDescriptor.FontFile2 = program
        if self.text is not None and len(self.sharing) > 1:
            first.font.ToUnicode = pdf.make_stream(to_unicode_cmap(self.text))
            first.font.DescendantFonts[0].W = pikepdf.Array(_width_array(self.widths))
        return {member.font.objgen: first.font for member in self.sharing[1:]}


class _Subset:
    """A TrueType subset as a page embeds it: its glyphs' outlines (raw) and metrics by number,
    the text each code reads as, and its widths."""

    def __init__(self, font: Any) -> None:
        from fontTools.ttLib import TTFont

        self.font = font
        descendant = font.DescendantFonts[0]
        self.program = bytes(descendant.FontDescriptor.FontFile2.read_bytes())
        self.text = cmap_text(font.ToUnicode.read_bytes())  # by code; None: not readable
        self.widths = _widths(descendant.get("/W", ()))
        program = TTFont(io.BytesIO(self.program))
        self.count = int(program["maxp"].numGlyphs)
        offsets, data = program["loca"], program.reader["glyf"]
        self.outlines = {
            number: bytes(data[offsets[number] : offsets[number + 1]])
            for number in range(self.count)
            if offsets[number + 1] > offsets[number]
        }
        by_name = program["hmtx"].metrics
        self.metrics = {
            number: tuple(by_name[name])
            for number, name in enumerate(program.getGlyphOrder())
            if any(by_name[name])  # a subset zeroes what it drops
        }


def _union(
    base: bytes, outlines: dict[int, bytes], metrics: dict[int, tuple[int, ...]], programs: list[bytes]
) -> bytes:
    """The ``base`` subset with these outlines (raw, as they were) and metrics, by glyph number;
    its limits (most points, contours…) the most any of the joined ``programs`` has."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = TTFont(io.BytesIO(base), recalcBBoxes=False)
    names, glyphs, table = font.getGlyphOrder(), font["glyf"].glyphs, font["hmtx"].metrics
    for number, outline in outlines.items():
        glyphs[names[number]] = Glyph(outline)
    for number, metric in metrics.items():
        table[names[number]] = metric  # a mark's side bearing too
    maxp, limits = font["maxp"], [TTFont(io.BytesIO(data))["maxp"] for data in programs]
    for field in (name for name in vars(maxp) if name.startswith("max")):
        setattr(maxp, field, max(getattr(other, field, 0) for other in limits))
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


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
