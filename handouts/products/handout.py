"""The student handout: one band's handout of a module, closing with the region's help lines."""

from __future__ import annotations

from collections.abc import Iterator

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
    module_path,
)

#: The help lines for the grown-up reading a young child's handout, in this order, and how many.
GROWN_UP_HELP = ("adult_support", "report_exploitation", "emergency")
GROWN_UP_HELP_COUNT = 2


class Handout(Product):
    """At most two pages (three in a translation that cannot fit two), in the band's own print size."""

    kind = "handout"
    layout = "handout.html"
    label = N_("Handout")
    budget = 2
    translation_stretch = 1

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        for module_id in sorted(project.modules):
            for band_id in project.bands:
                if self.offered(project, module_id, band_id):
                    path = module_path(locale, band_id, module_id, self.kind)
                    yield Target(self.kind, locale.tag, path, band_id, module_id)

    def offered(self, project: Project, module_id: str, band_id: str) -> bool:
        """Whether the module has this product for the band."""
        return band_id in project.modules[module_id].bands

    def parts(self, job: Job) -> list[Part]:
        return [variant_part(self, job, job.target.module, job.target.band)]


def variant_part(product: Product, job: Job, module_id: str, band_id: str) -> Part:
    """The part of a module's band variant that ``product`` draws (its handout or lesson plan)."""
    project = job.project
    module = project.modules[module_id]
    band = project.bands[band_id]
    model = getattr(module.bands[band_id], product.kind)
    translator = job.translator()
    _ = translator.gettext
    content = localized(model, translator)
    context = common_context(job, translator, band)
    if band.read_aloud and product.kind == "handout":
        # A page read aloud to a young child: one short line of help for the grown-up reading it,
        # at the child's type size; the full block is on the adults' pages, letters and cards.
        grown_up = common_context(
            job,
            translator,
            band,
            for_children=False,
            help_limit=GROWN_UP_HELP_COUNT,
            help_kinds=GROWN_UP_HELP,
        )
        context["help"] = {**grown_up["help"], "grown_up": True}
    module_title = _(module.title)
    kind_label = _(product.label)
    context.update(
        kind=product.kind,
        module_id=module_id,
        content=content,
        title=content["title"],
        module_title=module_title,
        kind_label=kind_label,
        kicker=f"{module_title} · {kind_label} · {context['band']['label']}",
        document_title=document_title(_, content["title"], kind_label, context["band"]["label"]),
        description=_(module.summary),
        **product.details(model, band, _, module),
    )
    return product.part(
        context,
        translator,
        job.locale,
        band,
        bookmark=f"{module_title}: {kind_label}",
        footer_left=context["band"]["label"],
        footer_right=project.settings.organization or module_title,
    )


PRODUCT = Handout()
