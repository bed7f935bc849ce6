"""The one-page flyer: a module's message in large type, with the top help lines.

For notice boards in libraries, community centres, offices and staff rooms. The
adults' flyer of a module is made from its adults' handout; a band variant with a
``flyer`` of its own (a teen's "what to do right now" card, a staff card) gets a
flyer of numbered steps. Letter or A4 by region; ``--size A3`` or ``tabloid`` makes
a poster, everything scaled up with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..i18n import ReaderLocale
from ..project import Project
from ..resources import N_
from .product import (
    Job,
    Options,
    Part,
    Product,
    Target,
    common_context,
    document_title,
    localized,
    slotted,
)

#: The three help lines a flyer prints, chosen in this order of importance.
FLYER_HELP = (
    "report_exploitation",
    "image_removal",
    "adult_support",
    "youth_helpline",
    "crisis_line",
    "emergency",
)
FLYER_HELP_COUNT = 3
#: A children's band flyer (a teen's card): a line to talk to, image removal, then reporting.
YOUNG_FLYER_SLOTS = (
    ("youth_helpline", "crisis_line"),
    ("image_removal",),
    ("report_exploitation", "emergency"),
)
#: Poster sizes and how much larger than a letter-size flyer they print.
POSTER_SCALE = {"A3": 1.41, "tabloid": 1.29}
FLYER_BODY_PT = 16.0
FLYER_MIN_PT = 12.0


def adult_band(project: Project) -> str | None:
    """The band whose readers are adults (the flyer's audience)."""
    return next((band.id for band in project.bands.values() if band.audience == "adults"), None)


class Flyer(Product):
    """One page, large type; it fits in every language or the build fails."""

    kind = "flyer"
    layout = "flyer.html"
    label = N_("Flyer")
    budget = 1
    option_fields = (*Product.option_fields, "size")

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        adults = adult_band(project)
        suffix = f"-{options.size.lower()}" if options.size else ""
        for module_id, module in sorted(project.modules.items()):
            for band, variant in module.bands.items():
                if variant.flyer is not None or band == adults:
                    path = Path(locale.tag, band, f"{module_id}.flyer{suffix}.pdf")
                    yield Target(self.kind, locale.tag, path, band, module_id, options.size or "")

    def parts(self, job: Job) -> list[Part]:
        project, target = job.project, job.target
        module = project.modules[target.module]
        band = project.bands[target.band]
        variant = module.bands[target.band]
        translator = job.translator()
        _ = translator.gettext
        if band.for_children:
            context = common_context(job, translator, band)
            context["help"]["entries"] = slotted(context["help"]["entries"], YOUNG_FLYER_SLOTS)
        else:
            context = common_context(
                job, translator, band, help_limit=FLYER_HELP_COUNT, help_kinds=FLYER_HELP
            )
        text = localized(variant.flyer or variant.handout, translator)
        module_title = _(module.title)
        context.update(
            kind=self.kind,
            title=text["title"],
            lead=text["lead"],
            steps=text.get("steps", ()),
            closing=text.get("closing"),
            kicker=module_title,
            document_title=document_title(
                _,
                text["title"],
                _(self.label) + (f" ({target.variant})" if target.variant else ""),
                context["band"]["label"],
            ),
            description=_(module.summary),
        )
        scale = POSTER_SCALE.get(target.variant, 1.0)
        return [
            self.part(
                context,
                translator,
                job.locale,
                band,
                bookmark=text["title"],
                footer_left=project.settings.organization,
                body_pt=round(FLYER_BODY_PT * scale, 1),
                min_pt=round(FLYER_MIN_PT * scale, 1),
                paper=target.variant or None,
            )
        ]


PRODUCT = Flyer()
