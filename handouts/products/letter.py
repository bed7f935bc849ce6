"""The family letter: what a lesson teaches, ways to talk at home, help lines, an opt-out slip.

One page per module × band with a lesson plan × locale. With ``--bilingual en-US``
the letter is followed by the same letter in that language on the facing page, so
school staff can read what goes home.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.lists import format_list

from ..i18n import ReaderLocale, localize, parse_locale
from ..models import Lesson, Module
from ..project import Project
from ..resources import N_
from .handout import Handout
from .materials import used
from .product import Job, Part, common_context, document_title

#: What a lesson sends home besides the letter, in the families' words.
FAMILY_HOME_LABELS = {
    "handout": N_("a student handout"),
    "flyer": N_("a flyer for families"),
    "cards": N_("a wallet card with help lines"),
}

#: The help lines a letter has room for, most important first (readers are parents and caregivers).
LETTER_HELP = ("report_exploitation", "image_removal", "adult_support", "youth_helpline", "crisis_line")
LETTER_HELP_COUNT = 3


class Letter(Handout):
    """One page, printed at the size adults read."""

    kind = "letter"
    layout = "letter.html"
    label = N_("Family letter")
    budget = 1
    option_fields = (*Handout.option_fields, "bilingual")
    body_pt = 11.0
    min_pt = 10.0

    def offered(self, project: Project, module_id: str, band_id: str) -> bool:
        # A letter goes home from a children's lesson; a workshop for adults sends none (no opt-out slip).
        variant = project.modules[module_id].bands.get(band_id)
        band = project.bands.get(band_id)
        return (
            variant is not None
            and variant.lesson is not None
            and variant.lesson.family_letter is not None
            and band is not None
            and band.for_children
        )

    def parts(self, job: Job) -> list[Part]:
        parts = [letter_part(job, job.target.module, job.target.band, job.locale)]
        second = bilingual_locale(job)
        if second is not None:
            parts[0].context["language_name"] = language_name(job.locale)
            parts.append(letter_part(job, job.target.module, job.target.band, second))
            parts[1].context["language_name"] = language_name(second)
        return parts


def bilingual_locale(job: Job) -> ReaderLocale | None:
    """The locale of the facing copy (its language, the reader's region), if one is asked for."""
    if not job.options.bilingual:
        return None
    other = parse_locale(job.options.bilingual)
    if other.language == job.locale.language:
        return None
    return parse_locale(f"{other.language}-{job.locale.region}")


def language_name(locale: ReaderLocale) -> str:
    """The language's own name, e.g. 'Español', 'English'."""
    name = locale.babel.get_language_name(locale.babel) or locale.language
    return name[:1].upper() + name[1:]


def letter_part(job: Job, module_id: str, band_id: str, locale: ReaderLocale) -> Part:
    """The letter of one module's lesson for one band, in ``locale``'s language."""
    project = job.project
    module = project.modules[module_id]
    band = project.bands[band_id]
    lesson = module.bands[band_id].lesson
    assert lesson is not None
    translator = job.translator(locale)
    _ = translator.gettext
    context = common_context(
        job,
        translator,
        band,
        locale,
        for_children=False,
        help_limit=LETTER_HELP_COUNT,
        help_kinds=LETTER_HELP,
    )
    # Only what the letter prints is translated: a language may send letters home without
    # having translated the lesson plan they come from.
    printed = {key: value for key, value in lesson.model_dump().items() if key in LETTER_FIELDS}
    content = localize(printed, translator)
    module_title = _(module.title)
    kind_label = _(LETTER.label)
    band_label = context["band"]["label"]
    context.update(
        kind="letter",
        module_id=module_id,
        module_title=module_title,
        kind_label=kind_label + (f" ({language_name(locale)})" if job.options.bilingual else ""),
        lesson=content,
        family=content.get("family_letter"),
        summary=_(module.summary),
        title=content["title"],
        kicker=f"{module_title} · {kind_label} · {band_label}",
        document_title=document_title(_, content["title"], kind_label, band_label),
        description=_(module.summary),
        language_name="",
        **lesson_materials(module, lesson, _, locale),
    )
    return LETTER.part(
        context,
        translator,
        locale,
        band,
        bookmark=f"{module_title}: {context['kind_label']}",
        footer_left=band_label,
        footer_right=project.settings.organization or module_title,
    )


def lesson_materials(
    module: Module, lesson: Lesson, _: Callable[[str], str], locale: ReaderLocale
) -> dict[str, str]:
    """What the class uses (the materials the module provides, in the lesson's order) and what
    comes home besides the letter, each as one list in the reader's language ('A, B and C')."""
    # Each title in the language's quotation marks, so a title reads as a name inside the sentence.
    names = [_("“%(title)s”") % {"title": _(material.title)} for _key, material in used(module, lesson)]
    home = [_(FAMILY_HOME_LABELS[kind]) for kind in lesson.sends_home if kind in FAMILY_HOME_LABELS]
    return {
        "class_materials": format_list(names, locale=locale.babel) if names else "",
        "home_materials": format_list(home, locale=locale.babel) if home else "",
    }


#: The fields of a lesson that its family letter prints (layouts/letter.html).
LETTER_FIELDS = frozenset({"title", "vocabulary", "family_connection", "family_letter"})

LETTER = PRODUCT = Letter()
