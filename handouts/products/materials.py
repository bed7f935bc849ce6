"""Classroom materials: everything a lesson plan asks the teacher to print, in the order it uses them.

One PDF per module × band × locale whose lesson uses a material its module provides
(``materials:`` in the module file) or has a pre-/post-assessment. Each material is
one part: card sheets (8 or 12 cards to a page inside dashed cut lines, large type
for read-aloud bands, backs mirrored on the next page for double-sided printing),
worksheets with room to write and draw, story strips, made-up profile-and-chat
sheets, checklists and exit tickets; then the assessment as a student sheet and its
answer key on a separate teacher page. The packet places them after the lesson plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..i18n import ReaderLocale, Translator
from ..models import Band, Lesson, Material, Module
from ..project import Project
from ..resources import N_
from .lesson import lowered
from .product import Job, Options, Part, Product, Target, common_context, localized, module_path

#: Card grid by cards to a page: columns × rows, and the card height (mm). The width is shared
#: out of the 180 mm every paper holds between its 15 mm margins.
GRIDS = {8: (2, 4), 12: (3, 4)}
ROW_WIDTH_MM = 179.0  # 180 mm less the grid's left cut line
#: Exit tickets to a page (one column of strips to cut apart): four with one prompt; three, taller, with
#: two or more (each prompt then gets two lines instead of three).
TICKETS_PER_PAGE = 4
TALL_TICKETS_PER_PAGE = 3
#: Story strips are lettered in this shuffled order, so a group cannot read the order off the page.
STRIP_ORDER = (2, 0, 3, 1, 5, 4, 7, 6)
LETTERS = "ABCDEFGH"

#: Materials that are one page with a large picture (a picture to show, a hand to trace).
ONE_PAGE_KINDS = ("picture", "worksheet")

KIND_LABELS = {
    "cards": N_("Cards"),
    "worksheet": N_("Worksheet"),
    "story-strips": N_("Story strips"),
    "sheet": N_("Activity sheet"),
    "picture": N_("Picture"),
    "checklist": N_("Checklist"),
    "exit-ticket": N_("Exit ticket"),
}


class Materials(Product):
    """A lesson's materials; each part is drawn to its own size (nothing is scaled to fit)."""

    kind = "materials"
    layout = "materials.html"
    label = N_("Classroom materials")

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        for module_id in sorted(project.modules):
            for band_id in project.bands:
                if self.offered(project, module_id, band_id):
                    path = module_path(locale, band_id, module_id, self.kind)
                    yield Target(self.kind, locale.tag, path, band_id, module_id)

    def offered(self, project: Project, module_id: str, band_id: str) -> bool:
        """Whether the band's lesson in the module has anything to print."""
        variant = project.modules[module_id].bands.get(band_id)
        lesson = variant.lesson if variant else None
        return lesson is not None and bool(used(project.modules[module_id], lesson) or lesson.assessment)

    def parts(self, job: Job) -> list[Part]:
        return self.module_parts(job, job.target.module, job.target.band)

    def module_parts(self, job: Job, module_id: str, band_id: str) -> list[Part]:
        """The parts for one module's lesson in one band, in the order the lesson names them."""
        module = job.project.modules[module_id]
        lesson = module.bands[band_id].lesson
        if lesson is None:
            return []
        parts = [
            self.material_part(job, module, band_id, lesson, key, material)
            for key, material in used(module, lesson)
        ]
        if lesson.assessment:
            parts.append(self.assessment_part(job, module, band_id, lesson, key=False))
            parts.append(self.assessment_part(job, module, band_id, lesson, key=True))
        return parts

    def _context(
        self,
        job: Job,
        translator: Translator,
        module: Module,
        band: Band,
        title: str,
        what: str,
        copies: str = "",
    ) -> dict[str, Any]:
        _ = translator.gettext
        context = common_context(job, translator, band)
        module_title = _(module.title)
        collection = _(self.label)
        context.update(
            kind=self.kind,
            module_id=module.id,
            module_title=module_title,
            title=title,
            kind_label=f"{what}: {title}" + (f" ({copies})" if copies else ""),
            kicker=f"{module_title} · {what} · {context['band']['label']}",
            document_title=_("%(title)s — %(kind)s, %(band)s")
            % {"title": module_title, "kind": collection, "band": context["band"]["label"]},
            description=_(module.summary),
        )
        return context

    def material_part(
        self, job: Job, module: Module, band_id: str, lesson: Lesson, key: str, material: Material
    ) -> Part:
        """One provided material, laid out by its kind."""
        band = job.project.bands[band_id]
        translator = job.translator()
        _ = translator.gettext
        content = localized(material, translator)
        what = _(KIND_LABELS[material.kind])
        context = self._context(
            job, translator, module, band, content["title"], what, lowered(content["copies"])
        )
        item: dict[str, Any] = {"id": key, **content}
        if material.kind == "cards":
            cards = content["cards"]
            if material.from_lesson == "scenarios" and lesson.practice:
                cards = [
                    {"front": _(text), "back": None, "picture": None} for text in lesson.practice.scenarios
                ]
            # Numbered as the module lists them, so an error can name the card (repeats keep theirs).
            cards = [{**card, "number": number} for number, card in enumerate(cards, start=1)]
            item["pages"] = card_pages(cards, material.per_page, material.fill)
            item["columns"], _rows = GRIDS[material.per_page]
            item["card_width"] = round(ROW_WIDTH_MM / item["columns"], 2)
            item["large"] = band.read_aloud
        elif material.kind == "exit-ticket":
            prompts = content["prompts"]
            if material.from_lesson == "check":
                asked = exit_items(lesson)
                prompts = [
                    {"label": exit_prompt(_(text), _), "lines": 3 if len(asked) == 1 else 2, "draw": False}
                    for text in asked
                ]
            item["prompts"] = prompts
            item["tickets"] = TICKETS_PER_PAGE if len(prompts) == 1 else TALL_TICKETS_PER_PAGE
        elif material.kind == "story-strips":
            order = [i for i in STRIP_ORDER if i < len(content["strips"])]
            item["strips"] = [
                {"letter": LETTERS[n], "text": content["strips"][i]} for n, i in enumerate(order)
            ]
            item["answer"] = ", ".join(LETTERS[order.index(i)] for i in range(len(order)))
        context["material"] = item
        starts = "right" if item.get("pages") and any(page["backs"] for page in item["pages"]) else "page"
        if material.kind in ONE_PAGE_KINDS:
            # One page, its picture a little smaller if the page needs it (a translation's draft notice,
            # a title on two lines): the fitting's spacing steps shrink it (style.css, --space).
            return self._sheet(
                job, context, translator, band, content["title"], starts=starts, fits=True, budget=1
            )
        return self._sheet(job, context, translator, band, content["title"], starts=starts)

    def assessment_part(self, job: Job, module: Module, band_id: str, lesson: Lesson, key: bool) -> Part:
        """The pre-/post-assessment as a student sheet, or its answer key for the teacher."""
        band = job.project.bands[band_id]
        translator = job.translator()
        _ = translator.gettext
        title = _("Answer key (for the teacher)") if key else _("Pre- and post-assessment")
        copies = "" if key else lowered(_("One per student"))
        context = self._context(job, translator, module, band, title, _("Assessment"), copies)
        items = []
        for item in lesson.assessment:
            question = item.question
            answer_with = (
                "thumbs"
                if question.startswith("Thumbs up or thumbs down")
                else ("colors" if question.startswith("Green or red") else "draw")
            )
            items.append({"question": _(question), "answer": _(item.answer), "answer_with": answer_with})
        context["assessment"] = {"key": key, "items": items, "oral": band.read_aloud}
        return self._sheet(job, context, translator, band, title)

    def _sheet(
        self,
        job: Job,
        context: dict[str, Any],
        translator: Translator,
        band: Band,
        title: str,
        fits: bool = False,
        budget: int | None = None,
        **changes: Any,
    ) -> Part:
        """A material's part: drawn to size (unless ``fits``: fitted to ``budget``), footed like the
        lesson it serves."""
        return self.part(
            context,
            translator,
            job.locale,
            band,
            bookmark=f"{context['module_title']}: {title}",
            footer_left=context["band"]["label"],
            footer_right=job.project.settings.organization or context["module_title"],
            fits=fits,
            budget=budget,
            **changes,
        )


def used(module: Module, lesson: Lesson) -> list[tuple[str, Material]]:
    """The module's materials a lesson names, each once, in the order it names them."""
    seen: list[str] = []
    for use in lesson.materials:
        provided = getattr(use, "provided", None)
        if provided and provided in module.materials and provided not in seen:
            seen.append(provided)
    return [(key, module.materials[key]) for key in seen]


def exit_items(lesson: Lesson) -> list[str]:
    """The check-for-understanding items an exit ticket asks (those that say 'Exit ticket'; else all)."""
    tickets = [text for text in lesson.check_for_understanding if text.startswith("Exit ticket")]
    return tickets or list(lesson.check_for_understanding[:1])


def exit_prompt(text: str, gettext: Any) -> str:
    """An exit-ticket item without its 'Exit ticket:' label (the ticket has it as its heading)."""
    label = gettext("Exit ticket")
    if text.startswith(label) and text[len(label) : len(label) + 1] == ":":
        rest = text[len(label) + 1 :].strip()
        return rest[:1].upper() + rest[1:]
    return text


def card_pages(cards: list[dict[str, Any]], per_page: int, fill: bool) -> list[dict[str, Any]]:
    """Cards in pages of ``per_page``; a page's backs are mirrored row by row for double-sided printing."""
    if fill and cards:
        cards = [cards[i % len(cards)] for i in range(max(per_page, len(cards)))]
    columns, _rows = GRIDS[per_page]
    pages = []
    for start in range(0, len(cards), per_page):
        front = cards[start : start + per_page]
        backs: list[dict[str, Any] | None] = []
        if any(card.get("back") for card in front):
            padded: list[dict[str, Any] | None] = [*front, *[None] * (-len(front) % columns)]
            for row in range(0, len(padded), columns):
                backs += list(reversed(padded[row : row + columns]))
        pages.append({"fronts": front, "backs": backs})
    return pages


def material_count(project: Project, module_id: str, band_id: str) -> int:
    """How many parts the materials of a module's lesson make (for tests and the packet)."""
    variant = project.modules[module_id].bands.get(band_id)
    if variant is None or variant.lesson is None:
        return 0
    lesson = variant.lesson
    return len(used(project.modules[module_id], lesson)) + (2 if lesson.assessment else 0)


def picture_ids(module: Module, lesson: Lesson) -> set[str]:
    """Pictures a lesson's materials print."""
    found = set()
    for _key, material in used(module, lesson):
        if material.picture:
            found.add(material.picture)
        found |= {card.picture for card in material.cards if card.picture}
    return found


PRODUCT = Materials()
