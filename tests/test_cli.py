"""The command line as a teacher meets it: help, list, check, build, rebuild."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handouts import __version__
from handouts.models import schema_json
from handouts.resources import Directory

from .conftest import ROOT, run


def test_version_and_help_with_examples() -> None:
    assert run("--version").output.strip() == f"handouts, version {__version__}"
    result = run("--help")
    assert result.exit_code == 0
    assert "handouts build --locale es-US --band grades-3-5" in result.output
    build_help = run("build", "--help").output
    for option in ("--module", "--band", "--locale", "--kind", "--out", "--allow-fallback", "--jobs"):
        assert option in build_help


def test_console_script_is_installed_and_runs() -> None:
    script = Path(sys.executable).parent / "handouts"
    result = subprocess.run([script, "-C", ROOT, "list"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^body-safety +grades-3-5 +handout, lesson, materials, letter$", result.stdout, re.M)


def test_list_shows_modules_bands_kinds_and_languages() -> None:
    out = run("-C", ROOT, "list").output
    assert re.search(r"^body-safety +ages-3-5 +handout, lesson, materials, letter$", out, re.M)
    assert re.search(r"^body-safety +adults +handout, flyer$", out, re.M)
    assert re.search(r"^\(all modules\) +grades-3-5 +cards, packet$", out, re.M)
    assert "Grades K–2 (ages 5–8)" in out
    assert "es  " in out and "draft, not yet reviewed" in out


def test_check_passes_on_the_shipped_project() -> None:
    result = run("-C", ROOT, "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_schema_files_are_current() -> None:
    assert (ROOT / "curriculum/schema.json").read_text() == schema_json(), "run: handouts schema --write"
    directory = schema_json(Directory, "handouts help-line directory")
    assert (ROOT / "curriculum/resources/schema.json").read_text() == directory, (
        "run: handouts schema --write"
    )


def test_unchanged_documents_are_not_rebuilt_and_changed_ones_are(project: Path) -> None:
    out = project / "out"
    args = (
        "-C",
        project,
        "build",
        "-l",
        "en-US",
        "-m",
        "body-safety",
        "-b",
        "adults",
        "-k",
        "handout",
        "--out",
        out,
    )
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "1 built, 0 unchanged" in first.output
    pdf = out / "en-US/adults/body-safety.handout.pdf"
    before = pdf.stat().st_mtime_ns
    second = run(*args)
    assert "0 built, 1 unchanged" in second.output
    assert pdf.stat().st_mtime_ns == before
    layout = project / "layouts/style.css"
    layout.write_text(layout.read_text() + "\n/* a change */\n")
    assert "1 built, 0 unchanged" in run(*args).output
    pdf.write_bytes(b"tampered")  # a file that no longer matches the manifest is remade
    assert "1 built, 0 unchanged" in run(*args).output
    entry = json.loads((out / "manifest.json").read_text())["documents"][0]
    assert entry["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()


def test_source_date_epoch_gives_identical_bytes(project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    digests = []
    for name in ("one", "two"):
        out = project / name
        result = run(
            "-C", project, "build", "-l", "es-US", "-m", "body-safety", "-b", "grades-k-2", "--out", out
        )
        assert result.exit_code == 0, result.output
        digests.append(sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("**/*.pdf")))
    # handout, lesson plan, classroom materials, family letter and the classroom packet
    assert digests[0] == digests[1] and len(digests[0]) == 5


def test_filters_choose_exactly_what_is_built(project: Path) -> None:
    out = project / "out"
    result = run(
        "-C",
        project,
        "build",
        "-l",
        "en-GB",
        "-m",
        "body-safety",
        "-b",
        "grades-3-5",
        "-k",
        "lesson",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert [p.relative_to(out).as_posix() for p in out.glob("**/*.pdf")] == [
        "en-GB/grades-3-5/body-safety.lesson.pdf"
    ]


@pytest.mark.parametrize(
    ("args", "hint", "says"),
    [
        (
            ("-l", "en-UK"),
            "--locale",
            "'UK' is not an ISO 3166 region code; did you mean 'GB' (United Kingdom)?",
        ),
        (("-l", "en-US", "-r", "UK"), "--region", "did you mean 'GB' (United Kingdom)?"),
        (("-l", "es-XY"), "--locale", "'XY' is not an ISO 3166 region code"),
    ],
)
def test_regions_people_say_are_refused_with_the_code_they_mean(
    args: tuple[str, ...], hint: str, says: str
) -> None:
    result = run("-C", ROOT, "build", *args, "--out", "/tmp/never-written")
    assert result.exit_code == 2
    assert hint in result.output and says in result.output


def test_paper_is_accepted_in_any_case(tmp_path: Path) -> None:
    args = ("-l", "en-US", "-m", "warning-signs", "-k", "handout", "--out", tmp_path)
    assert run("-C", ROOT, "build", *args, "--paper", "a4").exit_code == 0
    assert run("-C", ROOT, "build", *args, "--paper", "Letter").exit_code == 0


def test_a_mistyped_setting_names_the_one_meant_and_every_problem(project: Path) -> None:
    (project / "handouts.toml").write_text('[handouts]\norganisation = "Our school"\nlocales = ["en-UK"]\n')
    result = run("-C", project, "list")
    assert result.exit_code == 1
    assert (
        "handouts.toml:2: [handouts] 'organisation': unknown setting; did you mean 'organization'?"
        in result.output
    )
    assert "Settings are: organization, logo, accent_color, contact, local, locales" in result.output
    assert (
        "handouts.toml:3: [handouts] locales: 'en-UK': 'UK' is not an ISO 3166 region code" in result.output
    )
