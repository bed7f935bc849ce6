"""The lesson plan: what the teacher reads and does, timed, with the disclosure box."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Band, Module
from ..project import Project
from ..resources import N_
from .handout import Handout

#: What a lesson sends home, as the teacher reads it in the lesson's facts: what to print, how many.
HOME_LABELS = {
    "handout": N_("Student handout (one per student)"),
    "letter": N_("Family letter (one per family)"),
    "flyer": N_("Flyer (one per family)"),
    "cards": N_("Help cards (one per student)"),
}
#: For a workshop with adults, what they take home is one per family.
ADULT_HOME_LABELS = {
    **HOME_LABELS,
    "handout": N_("Handout (one per family)"),
    "cards": N_("Help cards (one per family)"),
}


class Lesson(Handout):
    """At most six pages, printed at the teacher's size."""

    kind = "lesson"
    layout = "lesson.html"
    label = N_("Lesson plan")
    budget = 6
    body_pt = 11.0
    min_pt = 10.0

    def offered(self, project: Project, module_id: str, band_id: str) -> bool:
        variant = project.modules[module_id].bands.get(band_id)
        return variant is not None and variant.lesson is not None

    def details(
        self, model: Any, band: Band, _: Callable[[str], str], module: Module | None = None
    ) -> dict[str, Any]:
        labels = HOME_LABELS if band.for_children else ADULT_HOME_LABELS
        materials = []
        for use in model.materials:
            if isinstance(use, str):  # refused by 'handouts check'; printed as written
                materials.append({"text": _(use), "printed": None})
                continue
            provided = module.materials.get(use.provided) if module and use.provided else None
            printed = None
            if provided is not None:
                printed = _("In the classroom materials: %(title)s, %(copies)s") % {
                    "title": _(provided.title),
                    "copies": lowered(_(provided.copies)),
                }
            materials.append({"text": _(use.text), "printed": printed})
        return {"home": [_(labels[kind]) for kind in model.sends_home], "materials": materials}


def lowered(text: str) -> str:
    """A sentence's first letter in lower case, to follow a comma ('One per student' → 'one per student')."""
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


PRODUCT = Lesson()
