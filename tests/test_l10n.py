"""Localization at scale: one bad entry stops only its language, tags people use, gaps named."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.i18n import check_translation

from .conftest import pdf_text, run

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: handouts test\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

"""


def write_catalog(project: Path, folder: str, entries: dict[str, str]) -> Path:
    """A small crafted catalog at ``locales/<folder>/LC_MESSAGES/handouts.po``."""
    path = project / "locales" / folder / "LC_MESSAGES" / "handouts.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n' for msgid, msgstr in entries.items())
    path.write_text(HEADER.format(language=folder) + body, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


# --- point 3: the digit rule refuses what could be dialled, allows what a language needs ----------


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Grade 4", "CM1"),
        ("Grade 6", "6e"),
        ("Ages 5 to 8", "5–8 ans"),
        ("For children from 10 to 12", "Pour les enfants de 10-12 ans"),
        ("Grades 3–5 (ages 8–11)", "Years 4–6 (ages 8–11)"),
        ("Call 911", "Llama al 911"),
        ("Call 800-843-5678", "Llame al 800 843 5678"),
    ],
)
def test_short_numbers_a_language_needs_are_allowed(msgid: str, msgstr: str) -> None:
    assert check_translation(msgid, msgstr) is None


@pytest.mark.parametrize(
    ("msgstr", "digits"),
    [
        ("appelez le 119", "119"),
        ("appelez le 1 1 9", "119"),
        ("appelez le 1 19", "119"),
        ("appelez le 11.9", "119"),
        ("appelez le 01 23 45 67 89", "0123456789"),
        ("appelez le 01-23-45", "012345"),
        ("appelez le 3020", "3020"),
    ],
)
def test_what_could_be_dialled_is_refused(msgstr: str, digits: str) -> None:
    reason = check_translation("Call for help", msgstr) or ""
    assert "digits" in reason and digits in reason, reason


# --- point 3: one broken catalog fails only its language -----------------------------------------


def test_a_broken_french_entry_does_not_stop_english_or_spanish(project: Path, tmp_path: Path) -> None:
    po = write_catalog(
        project,
        "fr",
        {"Where to get help": "Où trouver de l'aide : appelez le 119", "Grade 4": "CM1"},
    )
    out = tmp_path / "out"
    args = ["-C", project, "build", "-m", "body-safety", "-b", "grades-3-5", "-k", "handout", "--out", out]
    result = run(*args, "-l", "en-US", "-l", "es-US", "-l", "fr-FR", "-j", "2")
    assert result.exit_code == 1, result.output
    assert (out / "en-US/grades-3-5/body-safety.handout.pdf").exists()
    assert (out / "es-US/grades-3-5/body-safety.handout.pdf").exists()
    assert not (out / "fr-FR").exists()
    line = line_of(po, "appelez le 119")
    shown = "locales/fr/LC_MESSAGES/handouts.po"
    assert f"{shown}:{line}: msgid 'Where to get help': the translation brings its own digits (119)" in (
        result.output
    )
    assert "Spanish" not in result.output and "2 built" in result.output and "1 failed" in result.output
    assert "Where to get help" in pdf_text(out / "en-US/grades-3-5/body-safety.handout.pdf")
    # `handouts check` names the same entry, and fails.
    checked = run("-C", project, "check")
    assert checked.exit_code == 1 and f"{shown}:{line}: msgid 'Where to get help'" in checked.output
