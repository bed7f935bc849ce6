"""Lean Latin PDFs (handouts/compact.py, embedded_fonts.py): fewer bytes, the same pages.

The largest Latin handout (Spanish, for adults) built as it ships and without the compaction
that tagging.finish does: smaller, the same text, the same first page in poppler and PDFium,
its QR codes sharp image masks that scan to the web addresses linked beside them, PDF/UA-1.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
from page import ValidationProfile, validate_pdf

import handouts.tagging
from handouts.tagging import struct_elements

from .conftest import pdf_text, run

HANDOUT = "es-US/adults/saying-no.handout.pdf"  # 42.2 KB before this compaction


def _scanned(image: Path) -> set[str]:
    out = subprocess.run(["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=False)
    return set(out.stdout.split())


@pytest.fixture(scope="module")
def lean_and_whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("compact")
    args = ["build", "-l", "es-US", "-b", "adults", "-m", "saying-no", "-k", "handout", "-j", "1", "-q"]
    assert run(*args, "--out", out / "lean").exit_code == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handouts.tagging, "lean_fonts", lambda pdf: False)
        for name in ("joined", "short_text_strings_and_maps"):
            patch.setattr(handouts.tagging.compact, name, lambda held: held)
        patch.setattr(handouts.tagging.compact, "qr_mask", lambda pdf, image: None)
        patch.setattr(handouts.tagging.compact, "plain_spans_dissolved", lambda pdf: 0)
        assert run(*args, "--out", out / "whole").exit_code == 0
    return out / "lean" / HANDOUT, out / "whole" / HANDOUT


def test_the_largest_latin_handout_is_lean_and_reads_the_same(lean_and_whole: tuple[Path, Path]) -> None:
    lean, whole = lean_and_whole
    size, before = lean.stat().st_size, whole.stat().st_size
    assert size < 35_000 and size < 0.9 * before  # 34.2 / 40.1 KB
    assert pdf_text(lean) == pdf_text(whole)
    renders = []
    for pdf in (lean, whole):  # page 1 has no QR code: drawn to the pixel alike
        subprocess.run(
            ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", pdf, pdf.with_suffix("")], check=True
        )
        renders.append(pdf.with_name(pdf.stem + "-1.png").read_bytes())
        renders.append(pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().tobytes())
    assert renders[0] == renders[2] and renders[1] == renders[3]
    report = validate_pdf(str(lean), profile=ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [str(failure) for failure in report.failures][:3]


def _read_by_tags(path: Path) -> tuple[list[str], list[str]]:
    """The text as the tag tree reads it, run by run, and each run's element kind; every MCID
    the tree holds is checked against the parent tree (which says whose run it is)."""
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumbed:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        runs: dict[tuple[int, int], str] = {}
        for index, page in enumerate(plumbed.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    runs[key] = runs.get(key, "") + char["text"]
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        texts, kinds = [], []

        def read(element: pikepdf.Dictionary) -> None:
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    page = element.Pg
                    assert entries[int(page.StructParents)][kid].objgen == element.objgen
                    texts.append(runs.get((pages[page.objgen], kid), ""))
                    kinds.append(str(element.S))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    read(kid)

        read(pdf.Root.StructTreeRoot)
    return texts, kinds


def test_plain_spans_are_their_runs_and_the_tags_read_the_same(lean_and_whole: tuple[Path, Path]) -> None:
    """A text run's Span that says nothing (no language, no actual text) is the run itself in
    its paragraph: the tag tree reads the same runs in the same order, one object less each."""
    (lean, lean_kinds), (whole, whole_kinds) = (_read_by_tags(path) for path in lean_and_whole)
    assert lean == whole and "presionan en internet" in "".join(lean)
    assert whole_kinds.count("/Span") > 150 and lean_kinds.count("/Span") < 40
    with pikepdf.open(lean_and_whole[0]) as pdf:
        kept = [e for e in struct_elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Span"]
        for span in kept:  # what stays says something, holds more than one run, or is on another page
            said, runs = {"/Lang", "/ActualText"} & set(span.keys()), list(span.K)
            lone_run = len(runs) == 1 and isinstance(runs[0], int)
            assert said or not lone_run or span.Pg != span.P.Pg


def test_qr_codes_are_sharp_masks_that_scan_to_the_linked_addresses(
    lean_and_whole: tuple[Path, Path], tmp_path: Path
) -> None:
    lean = lean_and_whole[0]
    with pdfplumber.open(lean) as pdf:
        page = pdf.pages[-1]
        codes = page.images
        linked = {link["uri"] for link in page.hyperlinks if link["uri"].startswith("https://")}
    assert len(codes) == 5 and all(code["imagemask"] and code["bits"] == 1 for code in codes)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "2", "-l", "2", lean, tmp_path / "poppler"], check=True
    )
    pypdfium2.PdfDocument(lean)[1].render(scale=200 / 72).to_pil().save(tmp_path / "pdfium.png")
    assert _scanned(tmp_path / "poppler-2.png") == linked  # five codes, five addresses
    assert _scanned(tmp_path / "pdfium.png") == linked
