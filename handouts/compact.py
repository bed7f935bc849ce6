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
- ``short_text_strings()``: titles, outline entries and link descriptions in PDFDocEncoding
  where it has every character, as qpdf writes a string made from text; WeasyPrint writes
  UTF-16 hex, four bytes a letter: 0.5 KB.
"""

from __future__ import annotations

from typing import Any

import pikepdf
from PIL import Image

#: Keys whose values are text strings (ISO 32000-1 7.9.2.2) WeasyPrint writes as UTF-16.
TEXT_KEYS = (
    "/Title",
    "/Subject",
    "/Author",
    "/Creator",
    "/Producer",
    "/Keywords",
    "/Contents",
    "/ActualText",
    "/Alt",
)
#: An image larger than this (pixels) is not a QR code made by resources.py: it stays an object.
MAX_MASK_PIXELS = 80 * 80


def joined(shown: pikepdf.Array) -> pikepdf.Array:
    """A ``TJ`` array without its zero adjustments, the strings they parted joined:
    ``[<0025> 0 <0052> 0 <0055> 20 <0044>]`` is ``[<002500520055> 20 <0044>]``."""
    items: list[Any] = []
    for item in shown:
        if isinstance(item, pikepdf.String):
            if items and isinstance(items[-1], bytes):
                items[-1] += bytes(item)
            else:
                items.append(bytes(item))
        elif float(item) != 0:
            items.append(item)
    return pikepdf.Array([pikepdf.String(item) if isinstance(item, bytes) else item for item in items])


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


def short_text_strings(pdf: pikepdf.Pdf) -> None:
    """Text strings in PDFDocEncoding where it has every character (``(Cómo)``, not
    ``<feff0043…>``); a string it cannot say stays UTF-16."""
    for held in pdf.objects:
        if isinstance(held, pikepdf.Dictionary):
            for key in TEXT_KEYS:
                value = held.get(key)
                if isinstance(value, pikepdf.String):
                    held[key] = pikepdf.String(str(value))
