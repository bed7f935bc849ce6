"""What a teacher finds in the PDFs: read back with pypdf, as text, pages, fonts and tags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from ruamel.yaml import YAML

from .conftest import ROOT, pdf_text

MODULE = YAML(typ="safe").load((ROOT / "curriculum/modules/body-safety.yaml").read_text())
LETTER = (612, 792)


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("band", ["ages-3-5", "grades-k-2", "grades-3-5", "adults"])
def test_english_handout_carries_every_heading_of_its_module(built: Path, band: str) -> None:
    handout = MODULE["bands"][band]["handout"]
    text = pdf_text(built / f"en-US/{band}/body-safety.handout.pdf")
    assert _fold(handout["title"]) in text
    for section in handout["sections"]:
        assert _fold(section["heading"]) in text


def test_grades_3_5_handout_and_lesson_exist_in_english_and_spanish(built: Path) -> None:
    for locale in ("en-US", "es-US"):
        for kind in ("handout", "lesson"):
            path = built / f"{locale}/grades-3-5/body-safety.{kind}.pdf"
            assert path.stat().st_size > 5000, path


def test_spanish_handout_is_in_spanish_and_says_it_is_a_draft(built: Path) -> None:
    text = pdf_text(built / "es-US/grades-3-5/body-safety.handout.pdf")
    assert "Página 1 de 2" in text
    assert "partes privadas" in text.lower()
    assert "Borrador" in text or "borrador" in text
    assert "Draft translation: not yet reviewed by a native speaker." in text
    english = _fold(MODULE["bands"]["grades-3-5"]["handout"]["sections"][0]["heading"])
    assert english not in text


def test_english_handout_has_no_draft_notice(built: Path) -> None:
    assert "Draft translation" not in pdf_text(built / "en-US/grades-3-5/body-safety.handout.pdf")


def test_footer_numbers_pages_and_names_the_band(built: Path) -> None:
    reader = PdfReader(built / "en-US/grades-3-5/body-safety.lesson.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = _fold(page.extract_text())
        assert f"Page {number} of {total}" in text
        assert "Grades 3–5 (ages 8–11)" in text


def test_us_documents_are_letter_sized(built: Path) -> None:
    for path in built.glob("*-US/**/*.pdf"):
        box = PdfReader(path).pages[0].mediabox
        assert (round(box.width), round(box.height)) == LETTER, path


def test_handouts_fit_two_pages_and_lessons_six(built: Path) -> None:
    for path in built.glob("**/*.handout.pdf"):
        assert 1 <= len(PdfReader(path).pages) <= 2, path
    for path in built.glob("**/*.lesson.pdf"):
        assert 1 <= len(PdfReader(path).pages) <= 6, path


def test_title_language_and_tags_are_set_for_screen_readers(built: Path) -> None:
    for locale, language in (("en-US", "en-US"), ("es-US", "es-US")):
        reader = PdfReader(built / f"{locale}/grades-3-5/body-safety.handout.pdf")
        root = reader.trailer["/Root"]
        assert str(root["/Lang"]) == language
        assert root["/MarkInfo"]["/Marked"]
        assert "/StructTreeRoot" in root
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]
        title = reader.metadata.title
        assert title and "3–5" in title and len(title) > 20
        assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()


def _fonts(reader: PdfReader) -> dict[str, DictionaryObject]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_fonts_are_noto_embedded_and_subset(built: Path) -> None:
    fonts = _fonts(PdfReader(built / "es-US/grades-3-5/body-safety.lesson.pdf"))
    assert fonts
    for name, font in fonts.items():
        assert "+Noto" in name and name.index("+") == 7, name  # six-letter subset tag
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_manifest_lists_each_pdf_with_its_inputs_and_translation(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    entries = {entry["path"]: entry for entry in manifest["documents"]}
    pdfs = sorted(path.relative_to(built).as_posix() for path in built.glob("**/*.pdf"))
    assert sorted(entries) == pdfs
    spanish = entries["es-US/grades-3-5/body-safety.handout.pdf"]
    assert spanish["translation"]["state"] == "draft"
    assert spanish["translation"]["missing"] == 0
    assert spanish["pages"] == len(PdfReader(built / spanish["path"]).pages)
    assert entries["en-US/grades-3-5/body-safety.handout.pdf"]["translation"]["state"] == "source"
    assert all(len(entry["inputs"]) == 64 and entry["status"] == "current" for entry in entries.values())


def test_one_process_switching_languages_keeps_each_page_in_its_own(project: Path) -> None:
    """Macros must not keep the first language a worker rendered (Jinja caches imported templates)."""
    from .conftest import run

    out = project / "out"
    args = ("-C", project, "build", "-m", "body-safety", "-b", "grades-3-5", "-k", "handout", "-j", "1")
    result = run(*args, "-l", "es-MX", "-l", "en-GB", "--out", out)
    assert result.exit_code == 0, result.output
    english = pdf_text(out / "en-GB/grades-3-5/body-safety.handout.pdf")
    spanish = pdf_text(out / "es-MX/grades-3-5/body-safety.handout.pdf")
    assert "Say this:" in english and "Frases para decir" not in english
    assert "Frases para decir" in spanish and "Say this:" not in spanish
