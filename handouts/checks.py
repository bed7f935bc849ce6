"""Content linting that needs no rendering: each check is one function returning findings.

Errors fail ``handouts check``; advice ("warning") is printed and fails only
with ``--strict``. Every finding names its file and line and what to change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import textstat

from .curriculum import Document, load_valid, read_yaml
from .errors import Found, Problem
from .models import Band, Matrix
from .project import Project
from .reading import read_toml, toml_line

MATRIX_FILE = Path("curriculum/matrix.yaml")
#: Lesson scripts are spoken by a teacher: judged against the band's limit plus this.
SCRIPT_ALLOWANCE = 2.0


@dataclass(frozen=True)
class Reading:
    """A measured reading level of one text."""

    module: str
    band: str
    text: str  # 'handout' or 'lesson script'
    grade: float
    limit: float | None
    words: int


def _strings(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _as_prose(parts: Iterator[str]) -> str:
    """Join bits of text as sentences, so headings and bullets count as sentences."""
    return " ".join(part if part.rstrip()[-1:] in ".!?:…" else f"{part}." for part in parts)


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade of a text (textstat)."""
    return float(textstat.flesch_kincaid_grade(text))


def _at(document: Document, loc: tuple[str | int, ...], message: str, severity: str = "error") -> Problem:
    line, col = document.locate(loc)
    return Problem(document.path, line, col, message, severity)


def check_reading_levels(project: Project) -> tuple[list[Problem], list[Reading]]:
    """Each handout within its band's reading level; lesson scripts within it plus an allowance."""
    problems, readings = [], []
    for module_id, document in sorted(project.documents.items()):
        for band_id, variant in document.data.get("bands", {}).items():
            band: Band | None = project.bands.get(band_id)
            if band is None:
                continue
            limit = band.max_grade_level
            handout = variant.get("handout", {})
            text = _as_prose(s for _, s in _strings(handout))
            grade = grade_level(text)
            readings.append(
                Reading(module_id, band_id, "handout", grade, limit, textstat.lexicon_count(text))
            )
            if limit is not None and grade > limit:
                how = "as read aloud" if band.read_aloud else "to read"
                severity = "error" if band.for_children else "warning"
                problems.append(
                    _at(
                        document,
                        ("bands", band_id, "handout"),
                        f"reading level {grade:.1f} is above the {band_id} limit of {limit:g} ({how}); "
                        "use shorter sentences and simpler words",
                        severity,
                    )
                )
            lesson = variant.get("lesson")
            if lesson:
                script = _as_prose(
                    step.get("script", "") for step in lesson.get("steps", []) if step.get("script")
                )
                grade = grade_level(script)
                script_limit = None if limit is None else limit + SCRIPT_ALLOWANCE
                readings.append(
                    Reading(
                        module_id,
                        band_id,
                        "lesson script",
                        grade,
                        script_limit,
                        textstat.lexicon_count(script),
                    )
                )
                if script_limit is not None and grade > script_limit:
                    problems.append(
                        _at(
                            document,
                            ("bands", band_id, "lesson", "steps"),
                            f"the teacher's script reads at level {grade:.1f}, above {script_limit:g} "
                            f"for {band_id}; simplify what the teacher says",
                            "warning",
                        )
                    )
    return problems, readings


def check_denied_words(project: Project) -> list[Problem]:
    """Words a band must not meet (e.g. 'sextortion' below grade 6), wherever they stand."""
    problems = []
    for _, document in sorted(project.documents.items()):
        for band_id, variant in document.data.get("bands", {}).items():
            band = project.bands.get(band_id)
            if band is None or not band.denied_words:
                continue
            pattern = re.compile(
                r"\b(" + "|".join(re.escape(word) for word in band.denied_words) + r")\b", re.IGNORECASE
            )
            for loc, text in _strings(variant, ("bands", band_id)):
                found = pattern.search(text)
                if found:
                    problems.append(
                        _at(
                            document,
                            loc,
                            f"'{found.group(0)}' is not used with {band_id}; say it in the band's own terms "
                            "(e.g. 'pictures of private parts', 'tricky people online')",
                        )
                    )
    return problems


#: References to where something is on the paper: pagination (paper size, type size, language)
#: moves things, so texts name the place instead ("at the end of this handout").
PAGE_REFERENCE = re.compile(
    r"\b(?:(?:end|top|bottom|back) of (?:this|the) page|on (?:this|the next|the other) page|"
    r"on page \d+|overleaf)\b",
    re.IGNORECASE,
)


def check_page_references(project: Project) -> list[Problem]:
    """Texts that say something is on a page: the page it lands on depends on the print."""
    problems = []
    for _, document in sorted(project.documents.items()):
        for loc, text in _strings(document.data):
            found = PAGE_REFERENCE.search(text)
            if found:
                message = (
                    f"'{found.group(0)}' may point to the wrong page once printed; name the place "
                    "instead (e.g. 'at the end of this handout', 'in the help lines below')"
                )
                problems.append(_at(document, loc, message))
    return problems


def check_lesson_minutes(project: Project) -> list[Problem]:
    """Lesson steps add up to the stated duration."""
    problems = []
    for module_id, module in sorted(project.modules.items()):
        document = project.documents[module_id]
        for band_id, variant in module.bands.items():
            lesson = variant.lesson
            if lesson is None:
                continue
            total = sum(step.minutes for step in lesson.steps)
            if total != lesson.duration_minutes:
                problems.append(
                    _at(
                        document,
                        ("bands", band_id, "lesson", "duration_minutes"),
                        f"the steps add up to {total} minutes but duration_minutes is "
                        f"{lesson.duration_minutes}; make them agree",
                    )
                )
    return problems


def check_matrix(project: Project) -> list[Problem]:
    """Every module, band and lesson plan that ``curriculum/matrix.yaml`` asks for is present."""
    found = project.sources.find(MATRIX_FILE.as_posix())
    if found is None:
        return []
    problems: list[Problem] = []
    loaded = load_valid(found.path, found.shown, Matrix, problems)
    if loaded is None:
        return problems
    matrix, document = loaded
    for module_id, wanted in matrix.modules.items():
        module = project.modules.get(module_id)
        if module is None:
            problems.append(
                _at(
                    document,
                    ("modules", module_id),
                    f"module '{module_id}' is planned but curriculum/modules/{module_id}.yaml does not exist",
                )
            )
            continue
        module_doc = project.documents[module_id]
        for band_id in wanted.bands:
            if band_id not in module.bands:
                problems.append(
                    _at(
                        module_doc,
                        ("bands",),
                        f"band '{band_id}' is planned for '{module_id}' ({MATRIX_FILE}) but missing here",
                    )
                )
        for band_id in wanted.lessons:
            variant = module.bands.get(band_id)
            if variant is not None and variant.lesson is None:
                problems.append(
                    _at(
                        module_doc,
                        ("bands", band_id),
                        f"a lesson plan is planned for '{module_id}' "
                        f"{band_id} ({MATRIX_FILE}) but missing here",
                    )
                )
        for band_id in module.bands:
            if band_id not in wanted.bands:
                problems.append(
                    _at(
                        module_doc,
                        ("bands", band_id),
                        f"band '{band_id}' is not planned in {MATRIX_FILE}; add it there or remove it here",
                        "warning",
                    )
                )
    return problems


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def check_freshness(project: Project, today: dt.date | None = None) -> list[Problem]:
    """Help lines checked too long ago: advice after the warn age, an error after the error age."""
    today = today or dt.date.today()
    warn, fail = project.settings.freshness_warn_months, project.settings.freshness_error_months
    problems = []
    for region, directory in sorted(project.directories.items()):
        source = project.sources.find(f"curriculum/resources/{region}.yaml")
        assert source is not None  # every loaded directory has its file
        document = read_yaml(source.path, source.shown)
        for index, resource in enumerate(directory.resources):
            age = _months_between(resource.checked_date, today)
            if age < warn:
                continue
            severity = "error" if age >= fail else "warning"
            problems.append(
                _at(
                    document,
                    ("resources", index, "checked"),
                    f"{resource.service} was checked {age} months ago ({resource.checked}); confirm it on "
                    f"the operator's own site and update 'checked' "
                    f"(limit: {fail if severity == 'error' else warn} months)",
                    severity,
                )
            )
    return problems


def check_help_words(project: Project) -> list[Problem]:
    """Help-line prose printed on young children's pages avoids the words their bands must not meet."""
    from .resources import CHILD_KINDS

    denied = sorted(
        {word for band in project.bands.values() if band.for_children for word in band.denied_words}
    )
    if not denied:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(word) for word in denied) + r")\b", re.IGNORECASE)
    problems = []
    for region in sorted(project.directories):
        source = project.sources.find(f"curriculum/resources/{region}.yaml")
        assert source is not None  # every loaded directory has its file
        document = read_yaml(source.path, source.shown)
        for index, entry in enumerate(document.data.get("resources", [])):
            if entry.get("kind") not in CHILD_KINDS or entry.get("audience") == "adults":
                continue
            shown = {"description": entry.get("description"), "hours": entry.get("hours")}
            for key, value in shown.items():
                found = pattern.search(value or "")
                if found:
                    problems.append(
                        _at(
                            document,
                            ("resources", index, key),
                            f"'{found.group(0)}' is printed on young children's pages; "
                            "describe the service in words every band may read",
                        )
                    )
    return problems


def check_reviews(project: Project) -> list[Problem]:
    """Every review in ``locales/reviews.toml`` vouches for a catalog that exists."""
    problems = []
    for source in project.sources.all_of("locales", "reviews.toml"):
        try:
            data, text = read_toml(source.path, source.shown)
        except Found:  # reported when the project was loaded
            continue
        for language in data:
            if project.catalog_for(str(language).lower()) is None:
                problems.append(
                    Problem(
                        source.shown,
                        toml_line(text, "reviewed_by", str(language)),
                        0,
                        f"[{language}] records a review of a catalog that does not exist "
                        f"(locales/{language}/LC_MESSAGES/handouts.po); remove it or add the catalog",
                    )
                )
    return problems


def run_checks(project: Project) -> tuple[list[Problem], list[Reading]]:
    """All content checks, findings sorted by file and line."""
    reading_problems, readings = check_reading_levels(project)
    problems = [
        *reading_problems,
        *check_denied_words(project),
        *check_page_references(project),
        *check_lesson_minutes(project),
        *check_matrix(project),
        *check_freshness(project),
        *check_help_words(project),
        *check_reviews(project),
    ]
    return sorted(problems), readings
