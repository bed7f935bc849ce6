"""Shared fixtures: the real project, copies of it to break, and PDFs read back."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from cli import cli

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("curriculum", "layouts", "locales", "handouts.toml")


def run(*args: str | Path) -> Result:
    """Run the CLI in-process, as a user would type it."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def pdf_text(path: Path) -> str:
    """All text of a PDF as a reader copies it, whitespace folded to single spaces.

    pypdf reads the hyphen WeasyPrint inserts at a line end (U+2010, never in our sources) as
    printed; the PDF gives the whole word as /ActualText (tests/test_scripts.py proves it), so
    the word is joined here as a reader's copy, search or screen reader gets it.
    """
    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", re.sub(r"\u2010\s+", "", text))


def one_handout(project: Path, locale: str, out: Path) -> tuple[str | Path, ...]:
    """CLI arguments that build the grades 3-5 body-safety handout alone."""
    return (
        "-C",
        project,
        "build",
        "-l",
        locale,
        "-m",
        "body-safety",
        "-b",
        "grades-3-5",
        "-k",
        "handout",
        "--out",
        out,
    )


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the shipped project, safe to break."""
    return copy_project(tmp_path)


def copy_project(folder: Path) -> Path:
    """The shipped project's content and settings copied into ``folder`` (which it returns)."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        elif source.exists():
            shutil.copy(source, folder / part)
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The body-safety module built in English and Spanish (US), once per test run."""
    output = tmp_path_factory.mktemp("output")
    result = run(
        "-C",
        ROOT,
        "build",
        "--module",
        "body-safety",
        "--locale",
        "en-US",
        "--locale",
        "es-US",
        "--out",
        output,
        "--jobs",
        "2",
    )
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture(scope="session")
def built_english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every English handout, lesson plan, family letter and flyer (en-US), once per test run."""
    output = tmp_path_factory.mktemp("english")
    kinds = ("-k", "handout", "-k", "lesson", "-k", "letter", "-k", "flyer")
    result = run("-C", ROOT, "build", "--locale", "en-US", *kinds, "--out", output, "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    return output
