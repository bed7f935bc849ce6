"""What WeasyPrint writes longer than a PDF needs, written shorter (tagging.finish calls these).

Each saves what it says on the largest Latin handout (es-US adults, saying-no: 42 KB before);
none changes a drawn pixel or a read character:

- ``joined()``: a ``TJ`` array without its zero adjustments (WeasyPrint writes a glyph and a
  ``0`` each): 0.8 KB.
- ``qr_mask()``: a QR code (resources.py makes it a gray PNG of one pixel a module) as an
  inline 1-bit image mask: its 33×33 modules are 165 bytes in the page's content stream, not
  an image object of 8 bits a pixel. A mask paints only the dark modules, as segno's SVG did,
  and renderers scale a mask without smoothing, so the code stays sharp (poppler blurs an
  image enlarged less than four times, whatever its ``/Interpolate``): 2.3 KB with the PNG.
- ``ranged_to_unicode()``: a font's ``/ToUnicode`` map with each run of glyphs whose
  characters follow each other (a to z are glyphs 68 to 93 in Noto Sans) as one ``bfrange``
  line, not one ``bfchar`` line a glyph, as WeasyPrint writes it: 0.5 KB. Written by hand:
  no library at hand writes a CMap (pdfminer reads one).
- ``short_text_strings()``: titles, outline entries and link descriptions in PDFDocEncoding
  where it has every character, as qpdf writes a string made from text; WeasyPrint writes
  UTF-16 hex, four bytes a letter: 0.5 KB.
- ``plain_spans_dissolved()``: a ``Span`` structure element that holds one run of text and
  says nothing of it (no language, no actual text) is that run's MCID in its parent's kids,
  the parent tree pointing at the parent. WeasyPrint wraps every text run in one; ISO 32000-1
  14.8.4.4 calls a Span without attributes a plain run of inline text, so the tree reads the
  same words in the same order, one object less a run: 1.3 KB (148 of 188 Spans).
"""

from __future__ import annotations

import re
from typing import Any, cast

import pikepdf
from PIL import Image

#: Keys whose values are text strings (ISO 32000-1 7.9.2.2) WeasyPrint writes as UTF-16.
TEXT_KEYS = frozenset(
    {
        "/Title",
        "/Subject",
        "/Author",
        "/Creator",
        "/Producer",
        "/Keywords",
        "/Contents",
        "/ActualText",
        "/Alt",
    }
)
#: A ToUnicode CMap's ``bfchar`` or ``bfrange`` block: its kind and its lines.
CMAP_BLOCKS = re.compile(rb"\d+ begin(bfchar|bfrange)(\n.*?\n)end\1", re.S)
#: A ``bfchar`` entry as WeasyPrint writes it, ``<0044> <0061>`` (a glyph with no text: ``<05e2> <>``).
BFCHAR = re.compile(rb"^<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>$", re.M)
#: A ``bfrange`` entry as ``to_unicode_cmap`` writes it: ``<0044> <005d> <0061>``.
BFRANGE = re.compile(rb"^<([0-9a-fA-F]{4})> <([0-9a-fA-F]{4})> <([0-9a-fA-F]{4})>$", re.M)
#: At most this many entries in one ``bfchar`` or ``bfrange`` block (Adobe TN 5411).
CMAP_BLOCK = 100
#: Between two hex strings of a ``TJ`` array, an adjustment of nothing.
ZERO_BETWEEN_STRINGS = re.compile(rb">\s+0\s+<")
#: The keys of a structure element that says nothing but its kind, its kids and where it is.
PLAIN_ELEMENT = frozenset({"/Type", "/S", "/K", "/P", "/Pg"})
#: An image larger than this (pixels) is not a QR code made by resources.py: it stays an object.
MAX_MASK_PIXELS = 80 * 80


def joined(shown: pikepdf.Array) -> pikepdf.Array:
    """A ``TJ`` array without its zero adjustments, the strings they parted joined:
    ``[<0025> 0 <0052> 0 <0055> 20 <0044>]`` is ``[<002500520055> 20 <0044>]``.

    On the array's text, which is only hex strings and numbers (WeasyPrint writes glyph numbers
    in hex; with a literal string, which could hold the bytes ``> 0 <``, it stays): four times
    faster than joining its items one by one (0.2 s of a 100-page packet).
    """
    text = shown.unparse()
    if b"(" in text:
        return shown
    return cast(pikepdf.Array, pikepdf.Object.parse(ZERO_BETWEEN_STRINGS.sub(b"", text)))


def qr_mask(pdf: pikepdf.Pdf, image: object) -> list[Any] | None:
    """The instructions painting ``image`` (an XObject drawn by ``Do``) black as an inline image
    mask, if it is a small gray image of black and white pixels only; None: it stays as it is."""
    if (
        not isinstance(image, pikepdf.Stream)
        or image.get("/Subtype") != "/Image"
        or image.get("/ColorSpace") != "/DeviceGray"
        or image.get("/BitsPerComponent") != 8
        or any(key in image for key in ("/SMask", "/Mask", "/Decode"))
        or int(image.Width) * int(image.Height) > MAX_MASK_PIXELS
    ):
        return None
    samples = image.read_bytes()
    if samples.translate(None, b"\x00\xff"):
        return None  # a shade of gray: a picture, not a code
    gray = Image.frombytes("L", (int(image.Width), int(image.Height)), samples)
    bits = gray.convert("1", dither=Image.Dither.NONE).tobytes()  # rows in whole bytes, 0 black
    head = b"q 0 g BI /W %d /H %d /IM true /BPC 1 ID " % (gray.width, gray.height)
    return list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, head + bits + b"\nEI Q")))


def short_text_strings_and_maps(pdf: pikepdf.Pdf) -> None:
    """Text strings in PDFDocEncoding where it has every character (``(Cómo)``, not
    ``<feff0043…>``; a string it cannot say stays UTF-16), fonts' ToUnicode maps in ranges."""
    for held in pdf.objects:
        if isinstance(held, pikepdf.Dictionary):
            for key in TEXT_KEYS.intersection(held.keys()):
                value = held[key]
                if isinstance(value, pikepdf.String):
                    held[key] = pikepdf.String(str(value))
            to_unicode = held.get("/ToUnicode")
            if held.get("/Type") == "/Font" and isinstance(to_unicode, pikepdf.Stream):
                ranged_to_unicode(to_unicode)


def ranged_to_unicode(stream: pikepdf.Stream) -> None:
    """The ToUnicode CMap ``stream`` with runs of consecutive glyphs mapping to consecutive
    characters as ``bfrange`` entries; one it cannot read entry by entry stays as it is."""
    text = cmap_text(stream.read_bytes())
    if text is not None:
        stream.write(to_unicode_cmap(text))


def cmap_text(data: bytes) -> dict[int, str] | None:
    """What each glyph code reads as (UTF-16 hex) in a ToUnicode CMap of ``bfchar`` entries
    (as WeasyPrint writes them) and ``bfrange`` ones (as ``to_unicode_cmap`` does); None: the
    CMap holds something else."""
    text: dict[int, str] = {}
    blocks = CMAP_BLOCKS.findall(data)
    for kind, body in blocks:
        entries = (BFCHAR if kind == b"bfchar" else BFRANGE).findall(body)
        if len(entries) != body.count(b"\n") - 1:
            return None  # an entry of another form
        for entry in entries:
            if kind == b"bfchar":
                text[int(entry[0], 16)] = entry[1].decode()
            else:
                first, last, start = int(entry[0], 16), int(entry[1], 16), int(entry[2], 16)
                text.update({code: f"{start + code - first:04x}" for code in range(first, last + 1)})
    return text if blocks and data.count(b"begincodespacerange") == 1 else None


def to_unicode_cmap(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap of ``text`` (glyph code -> UTF-16 hex): each run of consecutive codes
    reading as consecutive characters one ``bfrange`` entry, the others ``bfchar`` ones."""
    single: list[bytes] = []
    ranges: list[bytes] = []
    run: list[tuple[int, str]] = []
    for code, read in [*sorted(text.items()), (-2, "")]:
        if (
            run
            and code == run[-1][0] + 1
            and code >> 8 == run[0][0] >> 8  # a range keeps its first byte (and so its last)
            and len(read) == len(run[-1][1]) == 4
            and int(read, 16) == int(run[-1][1], 16) + 1
            and int(read, 16) & 0xFF
        ):
            run.append((code, read))
            continue
        if len(run) > 1:
            ranges.append(b"<%04x> <%04x> <%s>" % (run[0][0], run[-1][0], run[0][1].encode()))
        else:
            single += [b"<%04x> <%s>" % (first, read.encode()) for first, read in run]
        run = [(code, read)]
    blocks = [
        b"%d begin%s\n%s\nend%s\n" % (len(part), kind, b"\n".join(part), kind)
        for kind, lines in ((b"bfchar", single), (b"bfrange", ranges))
        for part in (lines[at : at + CMAP_BLOCK] for at in range(0, len(lines), CMAP_BLOCK))
    ]
    return (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
        b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
        b"/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        + b"".join(blocks)
        + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )


def plain_spans_dissolved(pdf: pikepdf.Pdf) -> int:
    """Each plain ``Span`` (see above) replaced by its MCID in its parent; how many there were.

    Only where its parent is on the same page (an MCID in ``/K`` is on the element's ``/Pg``),
    and only with a flat parent tree, as WeasyPrint writes it (one with ``/Kids`` is left).
    """
    root = pdf.Root.get("/StructTreeRoot")
    tree = root.get("/ParentTree") if isinstance(root, pikepdf.Dictionary) else None
    nums = tree.get("/Nums") if isinstance(tree, pikepdf.Dictionary) else None
    if not isinstance(tree, pikepdf.Dictionary) or "/Kids" in tree or not isinstance(nums, pikepdf.Array):
        return 0
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    return _dissolved_under(root, entries, set())


def _dissolved_under(element: Any, entries: dict[int, Any], seen: set[tuple[int, int]]) -> int:
    """Plain Spans dissolved under ``element``, kids first: a ``<span>`` around a single run is
    plain once its run's own Span is gone."""
    kids = element.get("/K")
    if not isinstance(kids, pikepdf.Array):
        return 0
    dissolved, below, kept = 0, 0, list[Any]()
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
            seen.add(kid.objgen)
            below += _dissolved_under(kid, entries, seen)
        mcid = _plain_span_mcid(kid, element, entries)
        if mcid is None:
            kept.append(kid)
            continue
        entries[int(kid.Pg.StructParents)][mcid] = element
        kept.append(mcid)
        dissolved += 1
    if dissolved:
        element.K = pikepdf.Array(kept)
    return dissolved + below


def _plain_span_mcid(kid: object, parent: pikepdf.Dictionary, entries: dict[int, Any]) -> int | None:
    """The MCID a plain Span holds, if ``kid`` is one on its parent's page; else None."""
    if not (
        isinstance(kid, pikepdf.Dictionary)
        and kid.get("/S") == "/Span"
        and PLAIN_ELEMENT.issuperset(kid.keys())
        and isinstance(parent.get("/Pg"), pikepdf.Dictionary)
        and isinstance(kid.get("/Pg"), pikepdf.Dictionary)
        and kid.Pg.objgen == parent.Pg.objgen
    ):
        return None
    held = kid.get("/K")
    mcid = held[0] if isinstance(held, pikepdf.Array) and len(held) == 1 else None
    entry = entries.get(int(kid.Pg.get("/StructParents", -1)))
    if not isinstance(mcid, int) or not isinstance(entry, pikepdf.Array) or not 0 <= mcid < len(entry):
        return None
    pointed = entry[mcid]
    return mcid if isinstance(pointed, pikepdf.Dictionary) and pointed.objgen == kid.objgen else None
