"""Wallet help cards: 85 × 55 mm, as many to a sheet as keep 10 mm clear of the paper edge
(ten on A4, eight on Letter), with crop marks, backs mirrored for duplex.

One sheet per band group (child, teen, adult) × locale: the region's help line for
young people (or for worried adults), image removal for under-18s, a line that says
the reader is not in trouble, and a QR code. Each face is fitted alone on a
card-sized page, then imposed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import ReaderLocale
from ..project import Project
from ..resources import N_
from .product import Job, Options, Part, Product, Target, common_context, slotted, type_css

if TYPE_CHECKING:
    from ..render import Renderer

CARD_MM = (85.0, 55.0)
COLUMNS = 2
#: Nothing is printed closer to the paper edge than this (office printers clip there).
SAFE_MM = 10.0
#: Crop marks: their length, and the gap between a mark and the card it marks.
MARK_MM, MARK_GAP_MM = 4.0, 1.5
PAPER_MM = {"letter": (215.9, 279.4), "A4": (210.0, 297.0)}

#: Band group → (band whose words and help lines it uses, the card's help-line slots).
#: Each slot takes the first kind the region has: a line to talk to, then image removal.
GROUPS: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "child": ("grades-3-5", (("youth_helpline", "crisis_line", "emergency"), ("image_removal",))),
    "teen": ("grades-9-12", (("youth_helpline", "crisis_line", "report_exploitation"), ("image_removal",))),
    "adult": ("adults", (("report_exploitation", "adult_support"), ("image_removal",))),
}


class Cards(Product):
    """A sheet of identical cards, front and back; each face must fit one card."""

    kind = "cards"
    layout = "cards.html"
    label = N_("Help cards")
    budget = 1
    body_pt = 9.5
    min_pt = 8.0
    arranges = True

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        for group, (band, _) in GROUPS.items():
            if band in project.bands:
                yield Target(
                    self.kind, locale.tag, Path(locale.tag, f"help-cards-{group}.pdf"), band, "", group
                )

    def parts(self, job: Job) -> list[Part]:
        return [self.face(job, "front"), self.face(job, "back")]

    def face(self, job: Job, side: str) -> Part:
        """One side of the card, on a card-sized page for fitting."""
        project, target = job.project, job.target
        band = project.bands[target.band]
        _, slots = GROUPS[target.variant]
        translator = job.translator()
        gettext = translator.gettext
        kinds = tuple(kind for slot in slots for kind in slot)
        context = common_context(
            job, translator, band, for_children=target.variant != "adult", help_kinds=kinds
        )
        context["help"]["entries"] = [
            entry for entry in slotted(context["help"]["entries"], slots) if not entry["local"]
        ]
        qr = next((entry for entry in context["help"]["entries"] if entry["qr"]), None)
        title = gettext(self.label)
        context.update(
            kind=self.kind,
            side=side,
            group=target.variant,
            qr=qr,
            sheet=False,
            document_title=f"{title} ({context['band']['label']})",
            description=gettext("Wallet cards with help lines, to print and cut out."),
        )
        return self.part(
            context,
            translator,
            job.locale,
            band,
            f"{title}: {side}",
            paper=f"{CARD_MM[0]:g}mm {CARD_MM[1]:g}mm",
        )

    def arrange(self, job: Job, parts: list[Part], renderer: Renderer) -> list[Part]:
        paper = job.paper()
        width, height = PAPER_MM.get(paper, PAPER_MM["A4"])
        sheets = []
        for face, mirrored in ((parts[0], False), (parts[1], True)):
            t = face.translator
            fit = face.fit if face.fit.body_pt else face.natural
            face_style = type_css(fit, face.min_pt)
            context = {
                **face.context,
                "sheet": True,
                "face_html": face.html,
                "face_style": face_style,
                "cards": card_boxes(width, height, mirrored),
                "marks": crop_marks(width, height),
                "width": width,
                "height": height,
            }
            band = job.project.bands[job.target.band]
            sheet = self.part(context, t, face.locale, band, face.bookmark, budget=None, fits=False)
            sheet.html = renderer.html(self.layout, context, t.gettext, t.ngettext)
            sheets.append(sheet)
        return sheets


def rows(height: float) -> int:
    """How many rows of cards a sheet holds with every card 10 mm clear of the edge."""
    return int((height - 2 * SAFE_MM) // CARD_MM[1])


def _origin(width: float, height: float) -> tuple[float, float]:
    return (width - COLUMNS * CARD_MM[0]) / 2, (height - rows(height) * CARD_MM[1]) / 2


def card_boxes(width: float, height: float, mirrored: bool) -> list[dict[str, Any]]:
    """Where each card goes on the sheet (mm); a back side swaps columns so it backs its front."""
    x0, y0 = _origin(width, height)
    boxes = []
    for row in range(rows(height)):
        for column in range(COLUMNS):
            place = COLUMNS - 1 - column if mirrored else column
            boxes.append({"left": round(x0 + place * CARD_MM[0], 2), "top": round(y0 + row * CARD_MM[1], 2)})
    return boxes


def crop_marks(width: float, height: float) -> list[dict[str, float]]:
    """Short lines in the margins, in line with every cut, never touching a card (mm).

    Marks stay 10 mm clear of the paper edge too; where a margin is too narrow for one
    (A4's top and bottom), there is none.
    """
    x0, y0 = _origin(width, height)
    x1, y1 = x0 + COLUMNS * CARD_MM[0], y0 + rows(height) * CARD_MM[1]
    marks: list[dict[str, float]] = []
    side = min(MARK_MM, x0 - MARK_GAP_MM - SAFE_MM)
    end = min(MARK_MM, y0 - MARK_GAP_MM - SAFE_MM)
    for row in range(rows(height) + 1):
        y = y0 + row * CARD_MM[1]
        if side >= 2:
            marks.append({"left": x0 - MARK_GAP_MM - side, "top": y, "width": side, "height": 0})
            marks.append({"left": x1 + MARK_GAP_MM, "top": y, "width": side, "height": 0})
    for column in range(COLUMNS + 1):
        x = x0 + column * CARD_MM[0]
        if end >= 2:
            marks.append({"left": x, "top": y0 - MARK_GAP_MM - end, "width": 0, "height": end})
            marks.append({"left": x, "top": y1 + MARK_GAP_MM, "width": 0, "height": end})
    return [{key: round(value, 2) for key, value in mark.items()} for mark in marks]


PRODUCT = Cards()
