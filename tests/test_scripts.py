"""Scripts printed right (issue 12, point 6): hyphenation, Chinese, Vietnamese, the done-when builds."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf

from handouts.tagging import struct_elements

from .conftest import ROOT, pdf_text

HYPHEN = "\u2010"  # the hyphen WeasyPrint inserts (hyphenate-character); the sources write "-"


def lines_of(pdf: Path) -> list[str]:
    """The printed lines of a PDF, top to bottom, page after page (pdfplumber)."""
    with pdfplumber.open(pdf) as document:
        return [line["text"] for page in document.pages for line in page.extract_text_lines()]


def copied_text(pdf: Path) -> str:
    """The text a reader copies or searches: poppler reads /ActualText as Acrobat does."""
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout


def actual_texts(pdf: Path) -> str:
    """Every /ActualText of the structure tree (what a screen reader reads for those elements)."""
    with pikepdf.open(pdf) as document:
        elements = struct_elements(document.Root.StructTreeRoot)
        return "\n".join(str(element.ActualText) for element in elements if "/ActualText" in element)


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


# --- hyphenation by language ------------------------------------------------------------------------


def test_hyphenated_words_read_whole_in_the_structure_and_in_copied_text(built: Path) -> None:
    for locale in ("es-US", "en-US"):
        pdf = built / f"{locale}/grades-3-5/body-safety.lesson.pdf"
        lines = lines_of(pdf)
        broken = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a.endswith(HYPHEN)]
        assert len(broken) >= 3, f"{locale}: too few hyphenated lines to judge: {lines}"
        words = [(a.split()[-1][: -len(HYPHEN)] + b.split()[0]).strip(".,;:!?()'\"«»") for a, b in broken]
        structure, copied = actual_texts(pdf), copied_text(pdf)
        assert HYPHEN not in copied and HYPHEN not in structure
        for word in words:
            assert has_word(structure, word), (locale, word)
            assert has_word(copied, word), (locale, word)
        letter = pdf_text(built / f"{locale}/grades-3-5/body-safety.letter.pdf")
        assert "1-800-843-5678" in letter and "https://report.cybertip.org" in letter  # never broken


def test_childrens_pages_are_never_hyphenated(built: Path) -> None:
    for locale in ("es-US", "en-US"):
        lines = lines_of(built / f"{locale}/grades-3-5/body-safety.handout.pdf")
        assert not [line for line in lines if line.endswith(HYPHEN)]


def test_headings_help_lines_numbers_and_links_never_hyphenate(tmp_path: Path) -> None:
    from handouts.render import Page, Renderer

    heading, help_line = "Extraordinarily incomprehensible", "Internationalization telecommunications"
    prose = "Notwithstanding responsibilities, communication and understanding of the consideration"
    html = f"""<html lang="en"><head><title>t</title></head><body>
    <article class="part letter" lang="en" style="width: 40mm">
    <h2>{heading}</h2><p>{prose}</p>
    <section class="help"><p>{help_line}</p>
    <p><span class="number">1-800-843-5678</span> <span class="number">0800&nbsp;1111</span></p>
    <p><a class="url long" href="https://example.org/">https://report.cybertip.org/incomprehensibly</a></p>
    </section></article></body></html>"""
    renderer = Renderer([ROOT / "layouts"], [])
    pdf = tmp_path / "hyphens.pdf"
    pdf.write_bytes(renderer.write(renderer.layout(html, Page("A4", "%(page)s").css(), "test"), "test"))
    lines = lines_of(pdf)
    fragments = [line.split()[-1][: -len(HYPHEN)] for line in lines if line.endswith(HYPHEN)]
    assert fragments, lines  # the prose breaks words…
    assert all(any(word.startswith(part) for word in prose.split()) for part in fragments), lines
    printed = " ".join(lines)
    for word in (*heading.split(), *help_line.split()):  # …its heading and the help lines never
        assert word in printed, (word, lines)
    text = pdf_text(pdf)
    assert "1-800-843-5678" in text and "0800 1111" in text and HYPHEN not in copied_text(pdf)
