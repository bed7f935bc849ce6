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

from .coverage import default_gaps
from .curriculum import Document, load_valid, read_yaml
from .errors import Found, Problem
from .models import Band, CommonMaterials, Matrix
from .pictures import PICTURES
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
            # A section's picture and icon are names, not words the reader reads.
            text = _as_prose(s for loc, s in _strings(handout) if loc[-1] not in ("picture", "icon"))
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
            materials = document.data.get("materials") or {}
            used: set[str] = {
                str(use.get("provided"))
                for use in (variant.get("lesson") or {}).get("materials", [])
                if isinstance(use, dict)
            }
            texts = [
                *_strings(variant, ("bands", band_id)),
                *(
                    pair
                    for key in sorted(used & set(materials))
                    for pair in _strings(materials[key], ("materials", key))
                ),
            ]
            for loc, text in texts:
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
    """Lesson steps and the discussion add up to the stated duration."""
    problems = []
    for module_id, module in sorted(project.modules.items()):
        document = project.documents[module_id]
        for band_id, variant in module.bands.items():
            lesson = variant.lesson
            if lesson is None:
                continue
            total = sum(step.minutes for step in lesson.steps) + (lesson.discussion_minutes or 0)
            if total != lesson.duration_minutes:
                problems.append(
                    _at(
                        document,
                        ("bands", band_id, "lesson", "duration_minutes"),
                        f"the steps and the discussion add up to {total} minutes but duration_minutes is "
                        f"{lesson.duration_minutes}; make them agree",
                    )
                )
    return problems


#: Fewest and most items of a lesson's pre-/post-assessment, and fewest accommodations.
ASSESSMENT_ITEMS = (3, 5)
ACCOMMODATIONS_MIN = 3
#: Vague names for what goes home; a lesson names the product ("the family letter").
VAGUE_HOME = re.compile(
    r"\b(?:notes? (?:for|to) (?:the )?families|family notes?|family handouts?|take-home notes?|"
    r"(?:send|take) (?:the )?handouts home)\b",
    re.IGNORECASE,
)


def check_lessons(project: Project) -> list[Problem]:
    """Every lesson is complete: accommodations, an assessment with a key, time for its discussion,
    and everything it sends home is a product that exists."""
    problems = []
    for module_id, module in sorted(project.modules.items()):
        document = project.documents[module_id]
        for band_id, variant in module.bands.items():
            lesson = variant.lesson
            if lesson is None:
                continue
            at = ("bands", band_id, "lesson")
            if len(lesson.accommodations) < ACCOMMODATIONS_MIN:
                problems.append(
                    _at(
                        document,
                        at,
                        f"give 'accommodations' ({ACCOMMODATIONS_MIN} or more): for students with "
                        "disabilities, English learners, and students who may have been harmed",
                    )
                )
            fewest, most = ASSESSMENT_ITEMS
            if not fewest <= len(lesson.assessment) <= most:
                problems.append(
                    _at(
                        document,
                        (*at, "assessment") if lesson.assessment else at,
                        f"give an 'assessment' of {fewest} to {most} items, each with its 'answer' "
                        f"(it has {len(lesson.assessment)})",
                    )
                )
            if lesson.discussion and lesson.discussion_minutes is None:
                problems.append(
                    _at(document, (*at, "discussion"), "give the discussion time in 'discussion_minutes'")
                )
            if not lesson.sends_home:
                problems.append(
                    _at(
                        document,
                        at,
                        "name what the lesson sends home in 'sends_home' (e.g. [handout, letter])",
                    )
                )
            missing = {
                "letter": lesson.family_letter is None,
                "flyer": variant.flyer is None and not _has_adults_flyer(project, module_id),
            }
            for index, kind in enumerate(lesson.sends_home):
                if missing.get(kind):
                    problems.append(
                        _at(
                            document,
                            (*at, "sends_home", index),
                            f"the lesson sends home a {kind} that {module_id} does not make for {band_id}; "
                            + (
                                "add 'family_letter'"
                                if kind == "letter"
                                else "add a 'flyer' or an adults band"
                            ),
                        )
                    )
            for loc, text in _strings(document.data["bands"][band_id]["lesson"], at):
                found = VAGUE_HOME.search(text)
                if found:
                    message = (
                        f"'{found.group(0)}' names no product; say which one goes home "
                        "('the family letter', 'the student handout')"
                    )
                    problems.append(_at(document, loc, message))
    return problems


def _has_adults_flyer(project: Project, module_id: str) -> bool:
    bands = project.modules[module_id].bands
    return any(project.bands[band].audience == "adults" for band in bands if band in project.bands)


#: Refusal lines for ages 8–11 and younger end contact at once (stop, leave, tell): these phrases
#: keep a conversation going after a request for pictures.
CONTINUING = re.compile(
    r"\b(?:let'?s (?:just )?(?:play|talk|chat)|instead|how about|send (?:you )?something|something silly|"
    r"(?:if|when) they ask again|maybe later|not now|ask (?:my|your) (?:mom|dad|parents?|mum)|ask first)\b",
    re.IGNORECASE,
)
#: The oldest age of a band whose refusal lines must end contact.
ENDS_CONTACT_UP_TO_AGE = 11
#: A quoted line of speech in a script.
QUOTED = re.compile(r"[\"'‘“]((?:No|Nope|I don't|I do not|Stop)\b[^\"’”]*?)[\"'’”](?=\W|$)")


def check_refusals(project: Project) -> list[Problem]:
    """No refusal line for grades 3–5 and younger that keeps the chat going after a request for pictures."""
    problems = []
    for _, document in sorted(project.documents.items()):
        for band_id, variant in document.data.get("bands", {}).items():
            band = project.bands.get(band_id)
            if band is None or band.ages[1] > ENDS_CONTACT_UP_TO_AGE:
                continue
            for loc, text in _strings(variant, ("bands", band_id)):
                spoken = [text] if "say" in loc else [m.group(1) for m in QUOTED.finditer(text)]
                for line in spoken:
                    found = CONTINUING.search(line)
                    if found:
                        message = (
                            f"'{found.group(0)}' keeps the conversation going; for {band_id} a request for "
                            "pictures ends contact at once: stop, leave, tell a trusted adult"
                        )
                        problems.append(_at(document, loc, message))
    return problems


#: What a young person says that blames themselves, and framings that make them the one at fault.
SELF_BLAME = re.compile(
    r"\b(?:I (?:messed|screwed) up|(?<!not )(?<!never )(?<!n't )my (?:own )?fault|"
    r"I (?:have |'ve )?made a (?:big |bad )?mistake|my (?:big |bad )?mistake|"
    r"I did something (?:stupid|bad|wrong|dumb)|I was (?:so )?(?:stupid|dumb)|"
    r"mistakes? defines?|choices? (?:they|you|we) wish|the child in trouble|I(?:'m| am) in trouble)\b",
    re.IGNORECASE,
)


def check_self_blame(project: Project) -> list[Problem]:
    """No script in which a young person blames themselves, and no text that casts them as at fault."""
    problems = []
    for _, document in sorted(project.documents.items()):
        for loc, text in _strings(document.data.get("bands", {}), ("bands",)):
            found = SELF_BLAME.search(text)
            if found:
                message = (
                    f"'{found.group(0)}' puts the blame on the young person; use a neutral opener "
                    "('Something happened online and I need help')"
                )
                problems.append(_at(document, loc, message))
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


def _help_documents(project: Project) -> Iterator[tuple[str, Document]]:
    """Each loaded help-line file, by region, read again for the lines of its entries."""
    for region in sorted(project.directories):
        source = project.sources.find(f"curriculum/resources/{region}.yaml")
        assert source is not None  # every loaded directory has its file
        yield region, read_yaml(source.path, source.shown)


def check_freshness(project: Project, today: dt.date | None = None) -> list[Problem]:
    """Help lines checked too long ago: advice after the warn age, an error after the error age."""
    today = today or dt.date.today()
    warn, fail = project.settings.freshness_warn_months, project.settings.freshness_error_months
    problems = []
    for region, document in _help_documents(project):
        for index, resource in enumerate(project.directories[region].resources):
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
    for _, document in _help_documents(project):
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


#: Words of a note for whoever maintains the data, not for a family.
RESEARCH_NOTE = re.compile(
    r"\b(?:check before print\w*|sources? (?:conflict|disagree|differ)|disagree|second-hand|"
    r"secondary sources?|not seen in|(?:not|partly|only partly) confirmed|unconfirmed|per the source|"
    r"(?:a|an older|from a) \d{4} source)\b|; check\.?$",
    re.IGNORECASE,
)


def check_research_notes(project: Project) -> list[Problem]:
    """No note for whoever maintains the help lines is printed: those go in 'research_note'."""
    problems = []
    for _, document in _help_documents(project):
        for index, entry in enumerate(document.data.get("resources", [])):
            for key in ("description", "hours", "caveat"):
                found = RESEARCH_NOTE.search(entry.get(key) or "")
                if found:
                    message = (
                        f"'{found.group(0)}' is a note for whoever maintains the data and would print for "
                        "families; move it to 'research_note' (shown by 'handouts resources', never printed)"
                    )
                    problems.append(_at(document, ("resources", index, key), message))
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
            if not project.has_catalog(str(language).replace("_", "-").lower()):
                problems.append(
                    Problem(
                        source.shown,
                        toml_line(text, "reviewed_by", str(language)),
                        0,
                        f"[{language}] records a review of a catalog that does not exist "
                        f"(locales/{language}/LC_MESSAGES/*.po); remove it or add the catalog",
                    )
                )
    return problems


COMMON_MATERIALS_FILE = "curriculum/common-materials.yaml"


def common_materials(project: Project, problems: list[Problem]) -> dict[str, str]:
    """The shared list of common classroom items (``curriculum/common-materials.yaml``), by id."""
    source = project.sources.find(COMMON_MATERIALS_FILE)
    if source is None:
        return {}
    loaded = load_valid(source.path, source.shown, CommonMaterials, problems)
    return dict(loaded[0].items) if loaded else {}


def check_materials(project: Project) -> list[Problem]:
    """Every lesson material is provided by its module or is a common classroom item; none is unknown."""
    problems: list[Problem] = []
    common = common_materials(project, problems)
    for module_id, module in sorted(project.modules.items()):
        document = project.documents[module_id]
        used: set[str] = set()
        for band_id, variant in module.bands.items():
            if variant.lesson is None:
                continue
            for index, use in enumerate(variant.lesson.materials):
                at = ("bands", band_id, "lesson", "materials", index)
                if isinstance(use, str):
                    problems.append(
                        _at(
                            document,
                            at,
                            "this material is neither provided nor common: write it as "
                            "'text: ...' with 'provided: ID' (a material in the module's 'materials') "
                            f"or 'common: ID' (one of {', '.join(sorted(common)) or COMMON_MATERIALS_FILE})",
                        )
                    )
                elif use.provided is not None:
                    used.add(use.provided)
                    material = module.materials.get(use.provided)
                    if material is None:
                        known = ", ".join(sorted(module.materials)) or "none yet"
                        problems.append(
                            _at(
                                document,
                                (*at, "provided"),
                                f"'{use.provided}' is not a material of this module (it has: {known}); "
                                "define it under 'materials:' or fix the id",
                            )
                        )
                    elif material.from_lesson == "scenarios" and not (
                        variant.lesson.practice and variant.lesson.practice.scenarios
                    ):
                        problems.append(
                            _at(
                                document,
                                (*at, "provided"),
                                f"'{use.provided}' takes its cards from the practice scenarios, "
                                "and this lesson has none",
                            )
                        )
                    elif material.from_lesson == "check" and not variant.lesson.check_for_understanding:
                        problems.append(
                            _at(
                                document,
                                (*at, "provided"),
                                f"'{use.provided}' takes its prompts from 'check_for_understanding', "
                                "and this lesson has none",
                            )
                        )
                elif use.common is not None and use.common not in common:
                    problems.append(
                        _at(
                            document,
                            (*at, "common"),
                            f"'{use.common}' is not in {COMMON_MATERIALS_FILE} "
                            f"({', '.join(sorted(common))}); use one of those or add it there",
                        )
                    )
            lesson = variant.lesson
            asks = [
                i for i, text in enumerate(lesson.check_for_understanding) if text.startswith("Exit ticket")
            ]
            provided = [use.provided for use in lesson.materials if not isinstance(use, str) and use.provided]
            gives = any(m in module.materials and module.materials[m].kind == "exit-ticket" for m in provided)
            if asks and not gives:
                problems.append(
                    _at(
                        document,
                        ("bands", band_id, "lesson", "check_for_understanding", asks[0]),
                        "the lesson asks for an exit ticket that nobody prints: add a material of kind "
                        "'exit-ticket' (from_lesson: check) and name it in the lesson's materials",
                        "warning",
                    )
                )
        for material_id in sorted(set(module.materials) - used):
            problems.append(
                _at(
                    document,
                    ("materials", material_id),
                    f"material '{material_id}' is used by no lesson; remove it or name it in a lesson",
                    "warning",
                )
            )
    return problems


#: Pictures every handout of a read-aloud band (ages 3-5, K-2) has at least.
READ_ALOUD_PICTURES = 2


def check_pictures(project: Project) -> list[Problem]:
    """Every picture named exists, and every read-aloud band's handout has two or more."""
    problems = []
    known = ", ".join(sorted(PICTURES))
    for _, document in sorted(project.documents.items()):
        named: list[tuple[tuple[str | int, ...], Any]] = []
        for band_id, variant in document.data.get("bands", {}).items():
            at: tuple[str | int, ...] = ("bands", band_id, "handout")
            sections = (variant.get("handout") or {}).get("sections") or []
            found = [
                ((*at, "sections", i, "picture"), s["picture"])
                for i, s in enumerate(sections)
                if s.get("picture")
            ]
            named += found
            band = project.bands.get(band_id)
            if band is not None and band.read_aloud and len(found) < READ_ALOUD_PICTURES:
                problems.append(
                    _at(
                        document,
                        at,
                        f"a {band_id} handout is read aloud to children who point to pictures: give "
                        f"{READ_ALOUD_PICTURES} or more of its sections a 'picture' (one of {known})",
                    )
                )
        for key, material in (document.data.get("materials") or {}).items():
            if material.get("picture"):
                named.append((("materials", key, "picture"), material["picture"]))
            for i, card in enumerate(material.get("cards") or []):
                if card.get("picture"):
                    named.append((("materials", key, "cards", i, "picture"), card["picture"]))
        for loc, picture in named:
            if picture not in PICTURES:
                problems.append(_at(document, loc, f"no picture '{picture}'; the pictures are: {known}"))
    return problems


def check_icons(project: Project) -> list[Problem]:
    """Section icons only where children read for themselves or adults read, and sparingly:
    each kind of icon on one section of a handout at most (advice)."""
    problems = []
    for _, document in sorted(project.documents.items()):
        for band_id, variant in document.data.get("bands", {}).items():
            band = project.bands.get(band_id)
            sections = (variant.get("handout") or {}).get("sections") or []
            seen: dict[str, int] = {}
            for i, section in enumerate(sections):
                icon = section.get("icon")
                if not icon:
                    continue
                at = ("bands", band_id, "handout", "sections", i, "icon")
                if band is not None and band.read_aloud:
                    problems.append(
                        _at(
                            document,
                            at,
                            f"a {band_id} handout is read aloud to children who point to pictures: "
                            "give this section a 'picture' instead of an 'icon'",
                        )
                    )
                elif icon in seen:
                    problems.append(
                        _at(
                            document,
                            at,
                            f"icon '{icon}' is already on section {seen[icon] + 1} of this handout; "
                            "icons mark one section of each kind, remove this one",
                            "warning",
                        )
                    )
                seen.setdefault(icon, i)
    return problems


def check_catalogs(project: Project) -> list[Problem]:
    """Catalog entries that stop their language from building (the others still build)."""
    return [problem for found in project.catalog_problems.values() for problem in found]


def run_checks(project: Project) -> tuple[list[Problem], list[Reading]]:
    """All content checks, findings sorted by file and line."""
    reading_problems, readings = check_reading_levels(project)
    problems = [
        *reading_problems,
        *check_denied_words(project),
        *check_page_references(project),
        *check_lesson_minutes(project),
        *check_lessons(project),
        *check_materials(project),
        *check_pictures(project),
        *check_icons(project),
        *check_refusals(project),
        *check_self_blame(project),
        *check_research_notes(project),
        *check_matrix(project),
        *check_freshness(project),
        *check_help_words(project),
        *check_reviews(project),
        *check_catalogs(project),
        *default_gaps(project),
    ]
    return sorted(problems), readings
