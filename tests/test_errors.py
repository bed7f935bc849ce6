"""Bad input: a clear message naming file, line and fix; exit 1 (or 2 for usage); nothing lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import one_handout, pdf_text, run

MODULE = "curriculum/modules/body-safety.yaml"


def _replace(project: Path, relative: str, old: str, new: str, count: int = 1) -> None:
    path = project / relative
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def _line_of(project: Path, relative: str, needle: str) -> int:
    lines = (project / relative).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_malformed_yaml_names_file_line_and_column_without_traceback(project: Path) -> None:
    _replace(project, MODULE, 'title: "My Body Belongs to Me"', 'title: "My Body Belongs to Me\n  oops: [')
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert f"{MODULE}:" in result.output
    assert "Traceback" not in result.output


def test_schema_violations_are_all_reported_together(project: Path) -> None:
    module = project / MODULE
    text = module.read_text()
    text = text.replace("  grades-k-2:", "  grade-k-2:", 1)  # unknown band
    text = text.replace('    handout:\n      title: "', '    handout:\n      tittle: "', 1)  # missing title
    text = text.replace("duration_minutes: 20", 'duration_minutes: "twenty"', 1)  # wrong type
    module.write_text(text)
    _replace(project, MODULE, 'summary: "', 'summary: 2024\nsummary_note: "', 1)  # number, unknown key
    result = run("-C", project, "check")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "unknown band 'grade-k-2'" in out and "known bands: ages-3-5" in out
    assert "'title' is missing" in out
    assert "'tittle': unknown field" in out
    assert "'duration_minutes'" in out
    assert "'summary' must be text: quote it" in out and "a number" in out
    line = _line_of(project, MODULE, "summary: 2024")
    assert f"{MODULE}:{line}:" in out
    assert "problems found; nothing was built" in out


def test_duplicate_key_is_refused_with_its_line(project: Path) -> None:
    _replace(
        project, MODULE, 'title: "My Body Belongs to Me"', 'title: "My Body Belongs to Me"\ntitle: "Again"'
    )
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, MODULE, 'title: "Again"')
    assert f"{MODULE}:{line}:1: " in result.output and "duplicate key" in result.output


def test_yes_and_no_stay_text_but_true_is_refused(project: Path) -> None:
    _replace(project, MODULE, 'title: "My Body Belongs to Me"', "title: true")
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert "'title' must be text: quote it" in result.output and "a boolean" in result.output


def test_anchors_and_aliases_are_refused(project: Path) -> None:
    _replace(project, MODULE, 'title: "My Body Belongs to Me"', 'title: &t "My Body Belongs to Me"')
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert "anchors and aliases" in result.output


@pytest.mark.parametrize(
    ("option", "value", "listed"),
    [
        ("--module", "body-safty", "body-safety"),
        ("--band", "grade-3", "grades-3-5"),
        ("--locale", "es", "es-US"),
    ],
)
def test_unknown_filter_is_a_usage_error_listing_valid_values(
    project: Path, option: str, value: str, listed: str
) -> None:
    result = run("-C", project, "build", option, value, "--out", project / "out")
    assert result.exit_code == 2
    assert listed in result.output
    assert not (project / "out").exists()


def test_locale_without_a_catalog_is_a_usage_error(project: Path) -> None:
    result = run("-C", project, "build", "--locale", "de-DE", "--out", project / "out")
    assert result.exit_code == 2
    assert "no translation catalog for 'de'" in result.output and "es" in result.output


def test_template_error_names_the_layout_and_line(project: Path) -> None:
    _replace(project, "layouts/handout.html", "{% for section in content.sections %}", "{% for section in %}")
    line = _line_of(project, "layouts/handout.html", "{% for section in %}")
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert f"layouts/handout.html:{line}" in result.output
    assert "Traceback" not in result.output


def test_unsafe_translation_with_its_own_phone_number_is_rejected(project: Path) -> None:
    po = "locales/es/LC_MESSAGES/families.po"
    text = (project / po).read_text()
    marker = 'msgid "Where to get help"\nmsgstr "'
    assert marker in text
    (project / po).write_text(text.replace(marker, marker + "Llame al 555-0100: ", 1))
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = _line_of(project, po, "Llame al 555-0100")
    assert f"{po}:{line}: msgid 'Where to get help': the translation brings its own digits (0100, 555)" in (
        result.output
    )


def test_incomplete_translation_is_skipped_unless_fallback_is_allowed(project: Path) -> None:
    po = project / "locales/es/LC_MESSAGES/families.po"
    text = po.read_text()
    start = text.index('msgid "Where to get help"\nmsgstr "') + len('msgid "Where to get help"\nmsgstr "')
    end = text.index('"', start)
    po.write_text(text[:start] + text[end:])
    out = project / "out"
    args = one_handout(project, "es-US", out)
    result = run(*args)
    assert result.exit_code == 1
    assert "skipped" in result.output and "translation incomplete (1 of" in result.output
    assert not (out / "es-US/grades-3-5/body-safety.handout.pdf").exists()
    result = run(*args, "--allow-fallback")
    assert result.exit_code == 0, result.output
    text = " ".join(
        (PdfReader(out / "es-US/grades-3-5/body-safety.handout.pdf").pages[-1].extract_text()).split()
    )
    assert "Where to get help" in text  # the English fallback, announced:
    assert "Traducción incompleta" in pdf_text(out / "es-US/grades-3-5/body-safety.handout.pdf")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"][0]["translation"]["state"] == "incomplete"


def test_failed_write_keeps_the_good_pdf_and_marks_it_stale(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "out"
    args = (*one_handout(project, "en-US", out), "-j", "1")
    assert run(*args).exit_code == 0
    pdf = out / "en-US/grades-3-5/body-safety.handout.pdf"
    good = pdf.read_bytes()
    _replace(
        project, MODULE, 'title: "My Body Belongs to Me — Online and Offline"', 'title: "A changed title"'
    )

    real_fsync = os.fsync

    def disk_full_for_pdfs(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".pdf.tmp"):
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_for_pdfs)
    result = run(*args)
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert pdf.read_bytes() == good  # the old PDF is whole
    assert not list(out.glob("**/.*.tmp"))  # and no partial file is left behind
    entry = json.loads((out / "manifest.json").read_text())["documents"][0]
    assert entry["status"] == "stale"
    monkeypatch.undo()
    result = run(*args)
    assert result.exit_code == 0
    assert "A changed title" in " ".join(PdfReader(pdf).pages[0].extract_text().split())


def test_unwritable_output_folder_is_a_clear_error(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = run("-C", project, "build", "-l", "en-US", "--out", blocker / "out")
    assert result.exit_code == 1
    assert "cannot write to the output folder" in result.output
    assert "Traceback" not in result.output


def test_outside_any_project_the_built_in_content_is_used_and_said_so(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "check")
    assert result.exit_code == 0, result.output
    assert "note: no handouts.toml" in result.output and "using the built-in content" in result.output
    assert "OK: 11 module(s)" in result.output


def test_missing_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("-C", tmp_path / "nowhere", "check")
    assert result.exit_code == 2
    assert "is not a folder" in result.output


def test_bad_settings_name_the_line_and_the_setting(project: Path) -> None:
    settings = project / "handouts.toml"
    settings.write_text(
        settings.read_text().replace('locales = ["en-US", "es-US"]', 'locales = ["en-US", "es"]')
    )
    settings.write_text(settings.read_text() + 'colour = "blue"\n')
    result = run("-C", project, "check")
    assert result.exit_code == 1
    lines = settings.read_text().splitlines()
    colour = next(n for n, line in enumerate(lines, 1) if line.startswith("colour"))
    assert (
        f"handouts.toml:{colour}: [handouts] 'colour': unknown setting; Settings are: organization"
        in result.output
    )
    locales = next(n for n, line in enumerate(lines, 1) if line.startswith("locales"))
    assert (
        f"handouts.toml:{locales}: [handouts] locales: 'es' needs a language" in result.output
    )  # both at once
    settings.write_text(settings.read_text().replace('colour = "blue"\n', ""))
    result = run("-C", project, "check")
    assert f"handouts.toml:{locales}: [handouts] locales: 'es' needs a language and a region" in result.output


def test_the_fast_reading_of_every_shipped_file_is_the_located_reading(project: Path) -> None:
    """libyaml reads each shipped YAML file (none needs the slow parser) to the very data the
    round-trip parser makes, and a problem found after it is still placed on its line."""
    from handouts import curriculum

    files = sorted((project / "curriculum").rglob("*.yaml"))
    assert curriculum.FAST_YAML and len(files) > 20
    for path in files:
        text = path.read_text()
        fast = curriculum._fast(text)
        assert fast is not None, path
        assert repr(fast) == repr(curriculum._plain(curriculum._round_trip(text, path))), path
    # Should the round-trip parser ever refuse what libyaml read, a position is still given.
    assert curriculum.Document(Path("x.yaml"), {"a": 1}, "a: [1\n").locate(("a",)) == (1, 1)
    _replace(project, MODULE, "minutes: ", "minutes: many ", 1)
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert f"{MODULE}:{_line_of(project, MODULE, 'minutes: many')}:" in result.output
