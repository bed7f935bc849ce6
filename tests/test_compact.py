"""Lean Latin PDFs (handouts/compact.py, embedded_fonts.py): fewer bytes, the same pages.

The largest Latin handout (Spanish, for adults) built as it ships and without the compaction
that tagging.finish does: smaller, the same text, the same first page in poppler and PDFium,
its QR codes sharp image masks that scan to the web addresses linked beside them, PDF/UA-1.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from page import ValidationProfile, validate_pdf

import handouts.tagging

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
        assert run(*args, "--out", out / "whole").exit_code == 0
    return out / "lean" / HANDOUT, out / "whole" / HANDOUT


def test_the_largest_latin_handout_is_lean_and_reads_the_same(lean_and_whole: tuple[Path, Path]) -> None:
    lean, whole = lean_and_whole
    assert lean.stat().st_size < 37_000 and lean.stat().st_size < 0.9 * whole.stat().st_size  # 35.9 / 41.4 KB
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
