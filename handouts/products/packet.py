"""The classroom packet: one PDF per band × locale, ready to print double-sided.

A cover and a contents page (real page numbers, by ``target-counter``), then for
each module in teaching order its lesson plan, the classroom materials it uses (in
the order it names them), its student handout and family letter, each part but a
one-sided material starting on a right-hand page, numbered throughout, one outline entry
per part. ``--module`` narrows it; ``--booklet`` imposes it for saddle stitching.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from babel.dates import format_date

from ..clock import source_date
from ..i18n import ReaderLocale
from ..project import Project
from ..resources import N_
from . import handout, lesson, letter, materials
from .product import (
    Job,
    Options,
    Part,
    Product,
    Target,
    common_context,
    module_content,
    module_variants,
)

COVER_PT = 11.0


class Packet(Product):
    """Composes the parts of other products; each part keeps its own budget and fit."""

    kind = "packet"
    layout = "packet.html"
    layouts = ("packet.html", "lesson.html", "handout.html", "letter.html", "materials.html")
    label = N_("Classroom packet")
    option_fields = (*Product.option_fields, "bilingual", "booklet")
    holds = (lesson.PRODUCT.kind, materials.PRODUCT.kind, handout.PRODUCT.kind, letter.PRODUCT.kind)
    joins = True

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        name = "classroom-packet.booklet.pdf" if options.booklet else "classroom-packet.pdf"
        for band_id in project.bands:
            if any(True for _ in module_variants(project, band_id)):
                yield Target(self.kind, locale.tag, Path(locale.tag, band_id, name), band_id)

    def narrow(self, project: Project, target: Target, modules: tuple[str, ...]) -> Target | None:
        """Only these modules; None when none of them offers the packet's band."""
        kept = [m for m, _, _ in module_variants(project, target.band) if m in modules]
        return replace(target, variant=",".join(kept)) if kept else None

    def modules(self, job: Job) -> list[str]:
        """The modules the packet holds, in teaching order."""
        every = [m for m, _, _ in module_variants(job.project, job.target.band)]
        chosen = job.target.variant.split(",") if job.target.variant else every
        return [m for m in every if m in chosen]

    def content(self, project: Project, target: Target) -> Any:
        """Every module the packet holds, in teaching order, with that band's variant."""
        job = Job(project, target, Options())
        return [module_content(project.modules[m], target.band) for m in self.modules(job)]

    def parts(self, job: Job) -> list[Part]:
        project, target = job.project, job.target
        contents: list[Part] = []
        for module_id in self.modules(job):
            variant = project.modules[module_id].bands[target.band]
            if variant.lesson is not None:
                contents.append(handout.variant_part(lesson.PRODUCT, job, module_id, target.band))
                for sheet in materials.PRODUCT.module_parts(job, module_id, target.band):
                    if sheet.starts == "page":  # a one-sided sheet follows on the next page, any side
                        sheet.starts = "any"
                    contents.append(sheet)
            contents.append(handout.variant_part(handout.PRODUCT, job, module_id, target.band))
            if letter.PRODUCT.offered(project, module_id, target.band):
                letters = letter.PRODUCT.parts(replace(job, target=replace(target, module=module_id)))
                contents += letters
                if len(letters) == 2:  # home language on the left page, the copy facing it
                    letters[0].starts = "left"
        for part in contents:
            if part.starts == "page":
                part.starts = "right"
        return [self.cover(job, contents), *contents]

    def cover(self, job: Job, contents: list[Part]) -> Part:
        """The cover and contents page, which list the parts that follow."""
        project, target = job.project, job.target
        band = project.bands[target.band]
        translator = job.translator()
        _ = translator.gettext
        context = common_context(job, translator, band)
        title = _(self.label)
        context.update(
            kind=self.kind,
            title=title,
            date=format_date(source_date().date(), format="long", locale=job.locale.babel),
            modules=_grouped(contents),
            lessons=sum(1 for part in contents if part.kind == "lesson"),
            document_title=f"{title}: {context['band']['label']}",
            description=_(
                "Lesson plans, classroom materials, student handouts and family letters for %(band)s."
            )
            % {"band": context["band"]["label"]},
        )
        return self.part(
            context,
            translator,
            job.locale,
            band,
            bookmark=_("Cover and contents"),
            footer_left=context["band"]["label"],
            footer_right=project.settings.organization or title,
            body_pt=COVER_PT,
            min_pt=COVER_PT,
            fits=False,
        )

    def paginate(self, parts: list[Part], starts: dict[int, int] | None) -> None:
        """The contents page lists the page each part starts on (the cover is part 1); without
        ``starts`` it finds them itself, laid out as one document (``target-counter``)."""
        cover = parts[0]
        for group in cover.context["modules"]:
            for entry in group["entries"]:
                entry.pop("page", None)
                if starts is not None:
                    entry["page"] = starts[int(entry["id"].removeprefix("part-"))]
        cover.html = ""

    def finish(self, pdf: bytes, pages: int, job: Job) -> bytes:
        if not job.options.booklet:
            return pdf
        from ..imposition import booklet  # pypdf, only when a booklet is made

        return booklet(pdf)


def _grouped(contents: list[Part]) -> list[dict[str, Any]]:
    """The contents by module: its title, then each part's kind and where it is (``part-N``)."""
    groups: list[dict[str, Any]] = []
    for index, part in enumerate(contents, start=2):
        if not groups or groups[-1]["module"] != part.context["module_id"]:
            groups.append(
                {"module": part.context["module_id"], "title": part.context["module_title"], "entries": []}
            )
        groups[-1]["entries"].append({"id": f"part-{index}", "label": part.context["kind_label"]})
    return groups


PRODUCT = Packet()
