"""Regional English: small catalogs of differences, looked up by CLDR parent locales."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from handouts import __version__
from handouts.i18n import Translator, catalog_chain, check_translation, parse_locale
from handouts.project import load_project

from .conftest import ROOT, pdf_text, run
from .test_i18n import _extracted

TOOL = ROOT / "tools" / "regional-english"
REGIONAL = sorted((ROOT / "locales").glob("en_*/LC_MESSAGES/handouts.po"))


def _entries(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def _tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, TOOL, *map(str, args)], capture_output=True, text=True, check=False, cwd=ROOT
    )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's template, extracted as `make locales` does, without touching locales/."""
    pot = tmp_path_factory.mktemp("pot") / "handouts.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command: list[str | Path] = [
        pybabel,
        "extract",
        "-F",
        "babel.cfg",
        "--no-wrap",
        "--sort-by-file",
        "-k",
        "ngettext:1,2",
    ]
    command += ["--project=handouts", f"--version={__version__}", "--msgid-bugs-address="]
    subprocess.run([*command, "-o", pot, "."], cwd=ROOT, check=True, capture_output=True)
    return pot


@pytest.fixture(scope="session")
def regional_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grades 3–5 body-safety lesson, handout and letter in en-GB and en-US; the handout in es-MX."""
    out = tmp_path_factory.mktemp("regional")
    common = ("-C", ROOT, "build", "-m", "body-safety", "-b", "grades-3-5", "--out", out, "--jobs", "1")
    kinds = ("-k", "lesson", "-k", "handout", "-k", "letter")
    result = run(*common, "-l", "en-GB", "-l", "en-US", *kinds)
    assert result.exit_code == 0, result.output
    result = run(*common, "-l", "es-MX", "-k", "handout", "--allow-fallback")  # Spanish is being edited
    assert result.exit_code == 0, result.output
    return out


def test_chains_follow_cldr_parent_locales() -> None:
    assert catalog_chain(parse_locale("en-GB")) == ("en-gb", "en-001")
    assert catalog_chain(parse_locale("en-AU")) == ("en-au", "en-001")
    assert catalog_chain(parse_locale("es-MX")) == ("es-mx", "es-419", "es")
    assert catalog_chain(parse_locale("en-US")) == ("en-us",)


def test_english_variants_fall_back_to_the_source_without_gaps() -> None:
    project = load_project(ROOT)
    translator = Translator(project.catalog_for_locale(parse_locale("en-GB")))
    assert translator.gettext("Grades 3–5 (ages 8–11)") == "Years 4–6 (ages 8–11)"  # en_GB
    british = _entries(ROOT / "locales/en_GB/LC_MESSAGES/handouts.po")
    msgid, spelled = next(item for item in _entries(ROOT / "locales/en_001/LC_MESSAGES/handouts.po").items())
    assert msgid not in british and translator.gettext(msgid) == spelled  # en_001, through the chain
    assert translator.gettext("Not in any catalog") == "Not in any catalog"
    status = translator.status()
    assert (status["state"], status["missing"], status["fuzzy"]) == ("draft", 0, 0)
    assert project.catalog_for_locale(parse_locale("en-US")) is None
    assert project.catalog_for_locale(parse_locale("es-MX")) is project.catalogs["es"]


def test_a_regional_catalog_is_a_draft_until_every_catalog_of_its_chain_is_reviewed(project: Path) -> None:
    reviews = project / "locales" / "reviews.toml"
    reviews.write_text('[en_GB]\nreviewed_by = "A. Reader, 2026-12-04"\n', encoding="utf-8")
    assert not load_project(project).catalog_for_locale(parse_locale("en-GB")).reviewed  # type: ignore[union-attr]
    reviews.write_text(
        '[en_GB]\nreviewed_by = "A. Reader, 2026-12-04"\n[en_001]\nreviewed_by = "B. Reader, 2026-12-04"\n',
        encoding="utf-8",
    )
    catalog = load_project(project).catalog_for_locale(parse_locale("en-GB"))
    assert catalog is not None and catalog.reviewed
    assert catalog.reviewed_by == "A. Reader, 2026-12-04, B. Reader, 2026-12-04"


def test_british_pages_say_years_and_safeguarding(regional_pdfs: Path) -> None:
    folder = regional_pdfs / "en-GB" / "grades-3-5"
    lesson = pdf_text(folder / "body-safety.lesson.pdf")
    assert "Years 4–6" in lesson and "designated safeguarding lead" in lesson
    assert "mandated" not in lesson and "Grades 3–5" not in lesson
    for kind in ("lesson", "handout", "letter"):
        text = pdf_text(folder / f"body-safety.{kind}.pdf")
        assert "Years 4–6" in text, kind
        assert "Draft regional wording" in text, kind
    assert "practise" in pdf_text(folder / "body-safety.letter.pdf")


def test_us_pages_are_unchanged(regional_pdfs: Path) -> None:
    folder = regional_pdfs / "en-US" / "grades-3-5"
    lesson = pdf_text(folder / "body-safety.lesson.pdf")
    assert "Grades 3–5" in lesson and "mandated-reporting duty" in lesson
    for kind in ("lesson", "handout", "letter"):
        text = pdf_text(folder / f"body-safety.{kind}.pdf")
        assert "Draft" not in text and "Years 4–6" not in text, kind


def test_mexican_spanish_still_reads_the_spanish_catalog(regional_pdfs: Path) -> None:
    spanish = load_project(ROOT).catalogs["es"].translations.gettext("Grades 3–5 (ages 8–11)")
    assert spanish != "Grades 3–5 (ages 8–11)"
    assert spanish in pdf_text(regional_pdfs / "es-MX" / "grades-3-5" / "body-safety.handout.pdf")


def test_regional_catalogs_hold_only_differences() -> None:
    spelling = _entries(ROOT / "locales/en_001/LC_MESSAGES/handouts.po")
    for po in REGIONAL:
        for msgid, msgstr in _entries(po).items():
            assert msgstr and msgstr != msgid, f"{po}: {msgid!r}"
            if po.parent.parent.name not in ("en_001", "en_CA"):
                assert msgstr != spelling.get(msgid), f"{po}: the same as en_001: {msgid!r}"


def test_every_regional_msgid_is_still_in_the_sources() -> None:
    extracted = _extracted()
    for po in REGIONAL:
        gone = sorted(set(_entries(po)) - extracted)
        assert not gone, f"{po}: msgids no longer in the sources (rewrite them): {gone[:3]}"


def test_the_spelling_catalogs_are_up_to_date(template: Path) -> None:
    result = _tool("--pot", template, "--check")
    assert result.returncode == 0, result.stderr + "\nrun: tools/regional-english --pot <fresh template>"


# --- the tool, on a small sample (the real sources are moving) ---------------

SAMPLE = {
    "Grades 3–5 (ages 8–11)": "Years 4–6 (ages 8–11)",
    "Children color a hand outline.": None,
    "Know your mandated-reporting duty, and report it. Have a counselor near.": (
        "Know your safeguarding duty, and tell the designated safeguarding lead. Have a counsellor near."
    ),
    "Practice what you say.": None,
}


def _po(path: Path, entries: dict[str, str], locale: str | None = None, comment: str = "") -> Path:
    catalog = Catalog(locale=locale, fuzzy=False)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, user_comments=[comment] if comment else [])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return path


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, Path]:
    """A template of four strings, the real word table and a hand-written en_GB catalog: (pot, locales)."""
    locales = tmp_path / "locales"
    (locales / "en_001").mkdir(parents=True)
    shutil.copy(ROOT / "locales/en_001/spelling.tsv", locales / "en_001/spelling.tsv")
    written = {msgid: msgstr for msgid, msgstr in SAMPLE.items() if msgstr}
    _po(locales / "en_GB/LC_MESSAGES/handouts.po", written, "en_GB")
    canadian = {
        msgid: "Know your duty to report, and report it. Have a counsellor near."
        for msgid in written
        if "Know" in msgid
    }
    _po(locales / "en_CA/LC_MESSAGES/handouts.po", canadian, "en_CA", comment="term: hand-written")
    pot = _po(tmp_path / "handouts.pot", dict.fromkeys(SAMPLE, ""))
    return pot, locales


def test_the_tool_writes_only_what_the_spelling_changes(sample: tuple[Path, Path]) -> None:
    pot, locales = sample
    assert _tool("--pot", pot, "--locales", locales).returncode == 0
    spelling = _entries(locales / "en_001/LC_MESSAGES/handouts.po")
    assert spelling == {
        "Children color a hand outline.": "Children colour a hand outline.",
        "Know your mandated-reporting duty, and report it. Have a counselor near.": (
            "Know your mandated-reporting duty, and report it. Have a counsellor near."
        ),
        "Practice what you say.": "Practise what you say.",
    }
    canadian = _entries(locales / "en_CA/LC_MESSAGES/handouts.po")
    assert canadian["Children color a hand outline."] == "Children colour a hand outline."
    assert _tool("--pot", pot, "--locales", locales, "--check").returncode == 0


def test_check_says_when_a_catalog_is_out_of_date(sample: tuple[Path, Path]) -> None:
    pot, locales = sample
    _tool("--pot", pot, "--locales", locales)
    generated = locales / "en_001/LC_MESSAGES/handouts.po"
    entries = _entries(generated)
    generated.write_text(generated.read_text(encoding="utf-8").replace("colour", "color"), encoding="utf-8")
    result = _tool("--pot", pot, "--locales", locales, "--check")
    assert result.returncode == 1
    assert "en_001/LC_MESSAGES/handouts.po: out of date" in result.stderr
    assert _entries(generated) != entries  # --check writes nothing
    _tool("--pot", pot, "--locales", locales)
    assert _entries(generated) == entries


def test_check_names_a_term_entry_whose_msgid_changed(sample: tuple[Path, Path]) -> None:
    pot, locales = sample
    _tool("--pot", pot, "--locales", locales)
    pot.write_text(pot.read_text(encoding="utf-8").replace("counselor near.", "counselor nearby."), "utf-8")
    result = _tool("--pot", pot, "--locales", locales, "--check")
    assert result.returncode == 1
    assert (
        "msgid no longer in the template: 'Know your mandated-reporting duty, and report it." in result.stderr
    )
    assert "closest now differs by: 'near.' -> 'nearby.'" in result.stderr


def test_follow_carries_a_writers_edit_into_a_term_entry_and_leaves_it_to_read(
    sample: tuple[Path, Path],
) -> None:
    pot, locales = sample
    _tool("--pot", pot, "--locales", locales)
    pot.write_text(pot.read_text(encoding="utf-8").replace("near.", "nearby, and tell families."), "utf-8")
    result = _tool("--pot", pot, "--locales", locales, "--follow")
    assert "en_GB/LC_MESSAGES/handouts.po: moved 1 entries" in result.stdout, result.stdout + result.stderr
    moved = _entries(locales / "en_GB/LC_MESSAGES/handouts.po")
    new_id = next(msgid for msgid in moved if msgid.startswith("Know"))
    assert moved[new_id].endswith("safeguarding lead. Have a counsellor nearby, and tell families.")
    result = _tool("--pot", pot, "--locales", locales, "--check")
    assert result.returncode == 1 and "fuzzy; read it, then remove the fuzzy flag" in result.stderr


def test_check_asks_for_an_entry_where_new_text_says_a_us_term(sample: tuple[Path, Path]) -> None:
    pot, locales = sample
    _po(locales / "en_AU/LC_MESSAGES/handouts.po", {}, "en_AU")
    _tool("--pot", pot, "--locales", locales)
    pot.write_text(
        pot.read_text(encoding="utf-8") + '\nmsgid "Tell the principal at recess."\nmsgstr ""\n', "utf-8"
    )
    result = _tool("--pot", pot, "--locales", locales, "--check")
    assert result.returncode == 1
    assert "en_GB/LC_MESSAGES/handouts.po: no entry for a msgid that says 'principal'" in result.stderr
    assert "en_AU/LC_MESSAGES/handouts.po: no entry for a msgid that says 'mandated'" in result.stderr
    flagged = [line.split("/")[1] for line in result.stderr.splitlines() if "says 'principal'" in line]
    assert flagged == ["en_GB"]  # Australian schools have principals too


def test_check_asks_hand_written_entries_for_the_regions_spelling(sample: tuple[Path, Path]) -> None:
    pot, locales = sample
    _tool("--pot", pot, "--locales", locales)
    term = locales / "en_GB/LC_MESSAGES/handouts.po"
    term.write_text(term.read_text(encoding="utf-8").replace("counsellor", "counselor"), encoding="utf-8")
    result = _tool("--pot", pot, "--locales", locales, "--check")
    assert result.returncode == 1 and "spell it" in result.stderr and "counsellor near" in result.stderr


def test_regional_english_may_renumber_school_years_but_not_bring_phone_numbers() -> None:
    assert check_translation("Grades 3–5 (ages 8–11)", "Years 4–6 (ages 8–11)") is None
    assert "digits" in (check_translation("Call for help", "Ring 999 for help") or "")
