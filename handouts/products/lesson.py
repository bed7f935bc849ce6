"""The lesson plan: what the teacher reads and does, timed, with the disclosure box."""

from __future__ import annotations

from ..project import Project
from ..resources import N_
from .handout import Handout


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


PRODUCT = Lesson()
