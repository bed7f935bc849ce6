"""The whole curriculum: every planned module, band and lesson, with its key messages, and the linter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .conftest import ROOT, pdf_text, run

MATRIX = YAML(typ="safe").load((ROOT / "curriculum/matrix.yaml").read_text())["modules"]
MODULES = {
    path.stem: YAML(typ="safe").load(path.read_text())
    for path in (ROOT / "curriculum/modules").glob("*.yaml")
}
PLANNED = [(module, band) for module, plan in MATRIX.items() for band in plan["bands"]]
LESSONS = [(module, band) for module, plan in MATRIX.items() for band in plan.get("lessons", [])]

#: What a reader must meet in each module's handouts (any band), case-insensitive.
KEY_MESSAGES = {
    "what-is-sextortion": [r"crime", r"(not|never) (your|their) fault", r"AI"],
    "body-safety": [r"private parts", r"trusted adult"],
    "consent-and-boundaries": [r"ask first", r"\bno\b"],
    "talking-about-online-life": [r"once a week|weekly|every week"],
    "warning-signs": [r"secretive|secret", r"mood|sad|withdraw"],
    "spotting-scammers": [r"another app|different app", r"gift", r"compliment"],
    "saying-no": [r"\bno\b", r"block|leave|tell"],
    "stand-by-you": [r"trouble", r"(not|never) (your|their) fault"],
    "getting-help": [r"(do not|don't) pay", r"screenshot", r"(not|never) (your|their) fault"],
    "community-action": [r"school", r"AI"],
    "when-a-child-tells": [r"(keep it|a) secret", r"(not|never) (your|their) fault", r"same day"],
}
YOUNG = ("ages-3-5", "grades-k-2", "grades-3-5")
DENIED = r"\b(sextortion|nudes?|naked photos?|sexual(ly)?|explicit|blackmail|porn)\b"


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_every_planned_module_is_present() -> None:
    assert len(MATRIX) == 11
    assert sorted(MODULES) == sorted(MATRIX)


def test_list_shows_the_full_matrix() -> None:
    out = run("-C", ROOT, "list").output
    for module, band in PLANNED:
        variant = MODULES[module]["bands"][band]
        kinds = "handout"
        if (module, band) in LESSONS:
            # every lesson has an assessment, so classroom materials
            kinds += ", lesson, materials" + (", letter" if band != "adults" else "")
        kinds += ", flyer" if band == "adults" or "flyer" in variant else ""
        assert re.search(rf"^{module}\s+{band}\s+{kinds}$", out, re.M), (module, band)


def test_check_passes_on_the_shipped_curriculum() -> None:
    result = run("-C", ROOT, "check", "--strict")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("module", "band"), PLANNED)
def test_every_handout_prints_its_headings_and_where_to_get_help(
    built_english: Path, module: str, band: str
) -> None:
    handout = MODULES[module]["bands"][band]["handout"]
    text = pdf_text(built_english / f"en-US/{band}/{module}.handout.pdf")
    assert _fold(handout["title"]) in text
    for section in handout["sections"]:
        assert _fold(section["heading"]) in text
    if band in ("ages-3-5", "grades-k-2"):  # read aloud: one line of help for the grown-up reading
        assert "For the grown-up reading with the child" in text and "Where to get help" not in text
    else:
        assert "Where to get help" in text


@pytest.mark.parametrize(("module", "band"), LESSONS)
def test_every_lesson_plan_prints_its_steps_and_the_disclosure_box(
    built_english: Path, module: str, band: str
) -> None:
    lesson = MODULES[module]["bands"][band]["lesson"]
    text = pdf_text(built_english / f"en-US/{band}/{module}.lesson.pdf")
    assert _fold(lesson["essential_question"]) in text
    for step in lesson["steps"]:
        assert _fold(step["title"]) in text
    assert "If a child tells you something" in text and "mandated-reporting duty" in text
    minutes = sum(step["minutes"] for step in lesson["steps"]) + lesson.get("discussion_minutes", 0)
    assert minutes == lesson["duration_minutes"]
    for field in ("vocabulary", "ground_rules", "discussion", "check_for_understanding"):
        assert lesson.get(field), f"{module} {band} lesson lacks {field}"
    assert lesson.get("practice") and lesson.get("family_connection")
    # Issue 10, point 14: accommodations, an assessment with its answer key, what goes home.
    assert "Accommodations" in text and "Pre- and post-assessment" in text and "Answer key" in text
    for item in lesson["assessment"]:
        assert _fold(item["question"]) in text and _fold(item["answer"]) in text
    assert "Goes home" in text
    if "letter" in lesson["sends_home"]:
        assert "Family letter (one per family)" in text


@pytest.mark.parametrize("module", sorted(KEY_MESSAGES))
def test_each_module_carries_its_key_messages(built_english: Path, module: str) -> None:
    text = " ".join(pdf_text(path) for path in built_english.glob(f"en-US/*/{module}.handout.pdf"))
    for message in KEY_MESSAGES[module]:
        assert re.search(message, text, re.I), f"{module}: {message}"


@pytest.mark.parametrize("band", YOUNG)
def test_young_children_never_meet_sextortion_words(built_english: Path, band: str) -> None:
    for path in built_english.glob(f"en-US/{band}/*.pdf"):
        found = re.search(DENIED, pdf_text(path), re.I)
        assert not found, f"{path.name}: {found and found.group(0)}"


def test_module_text_holds_no_phone_numbers_or_links() -> None:
    for module, data in MODULES.items():
        text = (ROOT / f"curriculum/modules/{module}.yaml").read_text()
        assert not re.search(r"https?://|www\.|\b\d{3}[ -]?\d{3,4}\b", text), module
        assert data["sources"]


# --- the linter on bad fixtures -------------------------------------------------

MODULE = "curriculum/modules/body-safety.yaml"


def _line_of(project: Path, relative: str, needle: str) -> int:
    lines = (project / relative).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_linter_flags_a_word_too_old_for_the_band(project: Path) -> None:
    path = project / MODULE
    text = path.read_text()
    lead = re.search(r'  ages-3-5:\n    handout:\n      title: "[^"]*"\n      lead: "', text)
    assert lead
    path.write_text(text[: lead.end()] + "Sextortion is a crime. " + text[lead.end() :])
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, MODULE, "Sextortion is a crime.")
    assert f"{MODULE}:{line}:" in result.output
    assert "'Sextortion' is not used with ages-3-5" in result.output


def test_linter_flags_text_too_hard_for_the_band(project: Path) -> None:
    path = project / MODULE
    text = path.read_text()
    hard = (
        "Comprehensive developmental considerations necessitate institutional accountability "
        "regarding interpersonal boundaries, particularly concerning technologically mediated communication. "
    ) * 30
    lead = re.search(r'  ages-3-5:\n    handout:\n      title: "[^"]*"\n      lead: "', text)
    assert lead
    path.write_text(text[: lead.end()] + hard + text[lead.end() :])
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, MODULE, "  ages-3-5:") + 1
    assert f"{MODULE}:{line}:" in result.output
    assert "above the ages-3-5 limit of 3 (as read aloud)" in result.output


def test_linter_flags_minutes_that_do_not_add_up(project: Path) -> None:
    path = project / MODULE
    text = path.read_text()
    path.write_text(text.replace("duration_minutes: 20", "duration_minutes: 25", 1))
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, MODULE, "duration_minutes: 25")
    assert (
        f"{MODULE}:{line}:" in result.output
        and "add up to 20 minutes but duration_minutes is 25" in result.output
    )


def test_linter_flags_a_planned_band_that_is_missing(project: Path) -> None:
    matrix = project / "curriculum/matrix.yaml"
    matrix.write_text(
        matrix.read_text().replace(
            "  body-safety:\n    bands: [ages-3-5, grades-k-2, grades-3-5, adults]",
            "  body-safety:\n    bands: [ages-3-5, grades-k-2, grades-3-5, grades-6-8, adults]",
        )
    )
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert "band 'grades-6-8' is planned for 'body-safety'" in result.output


def test_readability_report_lists_every_text(project: Path) -> None:
    result = run("-C", ROOT, "check", "--readability")
    assert result.exit_code == 0
    assert re.search(r"^body-safety\s+ages-3-5\s+handout\s+\d+\.\d\s+3\s+\d+$", result.output, re.M)


def test_linter_flags_help_line_words_too_old_for_young_pages(project: Path) -> None:
    path = project / "curriculum/resources/US.yaml"
    text = path.read_text()
    old = '"Get private pictures of young people removed from participating platforms."'
    assert old in text
    path.write_text(text.replace(old, '"Get nude images of minors removed."'))
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, "curriculum/resources/US.yaml", "Get nude images of minors removed.")
    assert f"curriculum/resources/US.yaml:{line}:" in result.output
    assert "'nude' is printed on young children's pages" in result.output
