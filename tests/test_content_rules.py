"""Issue 10's content rules kept by `handouts check`, and the products it asked for, read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, pdf_text, run

SAYING_NO = "curriculum/modules/saying-no.yaml"
GB = "curriculum/resources/GB.yaml"


def _line_of(project: Path, relative: str, needle: str) -> int:
    lines = (project / relative).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def _replace(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_grades_3_5_refusal_that_keeps_chatting_is_refused(project: Path) -> None:
    _replace(
        project, SAYING_NO, '- "No. Stop asking."', "- \"Real friends don't need that. Let's just play.\""
    )
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, SAYING_NO, "Let's just play.")
    assert f"{SAYING_NO}:{line}:" in result.output
    assert "'Let's just play' keeps the conversation going" in result.output
    assert "stop, leave, tell" in result.output


def test_a_self_blaming_script_is_refused(project: Path) -> None:
    _replace(
        project,
        SAYING_NO,
        "Something happened online",
        "I messed up online and I'm scared. Something happened",
    )
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, SAYING_NO, "I messed up online")
    assert f"{SAYING_NO}:{line}:" in result.output and "puts the blame on the young person" in result.output


def test_it_is_not_my_fault_is_not_self_blame() -> None:
    from handouts.checks import SELF_BLAME

    assert not SELF_BLAME.search("It is not my fault. Not even if I broke a rule.")
    assert not SELF_BLAME.search("It wasn't my fault, and it is never my fault.")
    assert SELF_BLAME.search("Everyone makes choices they wish they could undo.")


def test_a_research_note_in_a_printed_field_is_refused(project: Path) -> None:
    _replace(
        project, GB, 'caveat: "E-mail: help@nspcc.org.uk"', 'caveat: "Hours unclear; check before printing."'
    )
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, GB, "check before printing")
    assert f"{GB}:{line}:" in result.output and "move it to 'research_note'" in result.output


def test_research_notes_are_listed_but_never_printed(tmp_path: Path) -> None:
    listed = run("-C", ROOT, "resources", "GB")
    assert "research note (never printed): NSPCC pages disagree on hours" in listed.output
    result = run(
        "-C", ROOT, "build", "-l", "en-GB", "-m", "warning-signs", "-k", "handout", "--out", tmp_path
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "en-GB/adults/warning-signs.handout.pdf")
    assert "NSPCC Helpline" in text and "help@nspcc.org.uk" in text
    assert "disagree" not in text and "check before printing" not in text


def test_a_lesson_without_accommodations_or_assessment_is_refused(project: Path) -> None:
    path = project / SAYING_NO
    text = path.read_text()
    start = text.index("      accommodations:")
    end = text.index("      assessment:", start)
    path.write_text(text[:start] + text[end:])
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert "give 'accommodations' (3 or more)" in result.output


def test_a_lesson_that_sends_home_a_vague_note_is_refused(project: Path) -> None:
    sent = "take home the student handout and the family letter."
    _replace(project, SAYING_NO, sent, "take home a note for families.")
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, SAYING_NO, "a note for families")
    assert f"{SAYING_NO}:{line}:" in result.output and "names no product" in result.output


def test_a_lesson_that_sends_home_a_product_that_does_not_exist_is_refused(project: Path) -> None:
    path = project / SAYING_NO
    text = path.read_text()
    start = text.index("      family_letter:")
    end = text.index("\n  grades-6-8:", start)
    path.write_text(text[:start] + text[end + 1 :])
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert (
        "sends home a letter that saying-no does not make for grades-3-5; add 'family_letter'"
        in result.output
    )


@pytest.mark.parametrize(
    ("locale", "shown", "absent"),
    [
        ("en-US", "US National Sex Education Standards", "statutory guidance for England"),
        ("en-GB", "statutory guidance for England", "US National"),
        ("en-IN", None, "US National"),
    ],
)
def test_standards_print_only_for_a_region_the_lesson_can_cite(
    tmp_path: Path, locale: str, shown: str | None, absent: str
) -> None:
    args = ("-l", locale, "-m", "saying-no", "-b", "grades-6-8", "-k", "lesson", "--out", tmp_path)
    result = run("-C", ROOT, "build", *args)
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / f"{locale}/grades-6-8/saying-no.lesson.pdf")
    assert absent not in text
    if shown:
        assert "Standards alignment" in text and shown in text
    else:
        assert "Standards alignment" not in text


def test_the_teen_card_is_a_one_page_flyer_with_a_line_to_talk_to(tmp_path: Path) -> None:
    args = ("-l", "en-US", "-l", "en-GB", "-m", "getting-help", "-k", "flyer", "--out", tmp_path)
    result = run("-C", ROOT, "build", *args)
    assert result.exit_code == 0, result.output
    for band in ("grades-6-8", "grades-9-12"):
        us = pdf_text(tmp_path / f"en-US/{band}/getting-help.flyer.pdf")
        gb = pdf_text(tmp_path / f"en-GB/{band}/getting-help.flyer.pdf")
        assert "988" in us and "Take It Down" in us and "1-800-843-5678" in us
        assert "Childline" in gb and "0800 1111" in gb and "Report Remove" in gb
        assert "not your fault" in us.lower()
    assert (tmp_path / "en-US/adults/getting-help.flyer.pdf").exists()


def test_the_staff_card_is_a_one_page_flyer_for_staff_rooms(tmp_path: Path) -> None:
    args = ("-l", "en-US", "-m", "when-a-child-tells", "-k", "flyer", "-k", "handout", "--out", tmp_path)
    result = run("-C", ROOT, "build", *args)
    assert result.exit_code == 0, result.output
    card = pdf_text(tmp_path / "en-US/adults/when-a-child-tells.flyer.pdf")
    assert "1-800-843-5678" in card and "secret" in card.lower()
