"""Where to get help: the right numbers for the reader's region, sourced, dated, scannable."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ROOT, pdf_text, run

GOLDEN = Path(__file__).parent / "golden"
HANDOUT = "body-safety.handout.pdf"
REGIONS = {"en-US": "letter", "en-GB": "A4", "en-AU": "A4", "en-IN": "A4", "en-DE": "A4", "es-MX": "letter"}
SIZES = {"letter": (612, 792), "A4": (595, 842)}
ADULT_ONLY = ("StopNCII", "Revenge Porn Helpline")


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grades 3-5 and adult body-safety handouts for six locales."""
    output = tmp_path_factory.mktemp("regional")
    args = ["-C", ROOT, "build", "-m", "body-safety", "-b", "grades-3-5", "-b", "adults", "-k", "handout"]
    for tag in REGIONS:
        args += ["-l", tag]
    result = run(*args, "--out", output, "-j", "2")
    assert result.exit_code == 0, result.output
    return output


def _dialled(path: Path) -> list[str]:
    """The distinct digits behind the tel: and sms: links of a PDF, sorted."""
    links = [
        str(annotation.get_object()["/A"]["/URI"])
        for page in PdfReader(path).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    return sorted({link.split(":", 1)[1] for link in links if link.startswith(("tel:", "sms:"))})


@pytest.mark.parametrize("tag", REGIONS)
@pytest.mark.parametrize("band", ["grades-3-5", "adults"])
def test_help_numbers_match_the_golden_file(regional: Path, tag: str, band: str) -> None:
    """Each number of the golden file is printed as written, and nothing else is dialable."""
    golden = GOLDEN / f"help-{tag}-{band}.txt"
    assert golden.exists(), f"missing {golden}"
    expected = [line for line in golden.read_text().splitlines() if line and not line.startswith("#")]
    path = regional / tag / band / HANDOUT
    text = pdf_text(path)
    for number in expected:
        assert number in text, f"{tag} {band}: {number} not printed"
    assert _dialled(path) == sorted({re.sub(r"[^0-9+]", "", number) for number in expected})


@pytest.mark.parametrize(("tag", "paper"), REGIONS.items())
def test_paper_follows_the_region(regional: Path, tag: str, paper: str) -> None:
    box = PdfReader(regional / tag / "grades-3-5" / HANDOUT).pages[0].mediabox
    assert (round(box.width), round(box.height)) == SIZES[paper]


def test_paper_option_overrides_the_region(project: Path) -> None:
    out = project / "out"
    result = run(
        "-C", project, "build", "-l", "en-US", "-b", "adults", "-k", "handout", "--paper", "A4", "--out", out
    )
    assert result.exit_code == 0, result.output
    box = PdfReader(out / "en-US/adults" / HANDOUT).pages[0].mediabox
    assert (round(box.width), round(box.height)) == SIZES["A4"]


@pytest.mark.parametrize("tag", REGIONS)
def test_no_adult_only_service_on_a_child_page(regional: Path, tag: str) -> None:
    text = pdf_text(regional / tag / "grades-3-5" / HANDOUT)
    for name in ADULT_ONLY:
        assert name not in text


def test_adult_pages_do_show_adult_services(regional: Path) -> None:
    assert "Revenge Porn Helpline" in pdf_text(regional / "en-GB/adults" / HANDOUT)


def test_numbers_are_links_and_urls_are_clickable(regional: Path) -> None:
    reader = PdfReader(regional / "en-US/adults" / HANDOUT)
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert {
        "tel:911",
        "tel:18008435678",
        "https://report.cybertip.org",
        "https://takeitdown.ncmec.org",
    } <= uris


def test_help_block_says_when_it_was_checked(regional: Path) -> None:
    assert "Help lines checked on November 25, 2026" in pdf_text(regional / "en-US/adults" / HANDOUT)
    assert "Help lines checked on 25 November 2026" in pdf_text(regional / "en-GB/adults" / HANDOUT)


def test_a_region_without_a_file_falls_back_to_the_world_list(project: Path) -> None:
    out = project / "out"
    result = run("-C", project, "build", "-l", "en-ZA", "-m", "body-safety", "-b", "adults", "--out", out)
    assert result.exit_code == 0, result.output
    assert "warning: no help lines for region ZA" in result.output
    text = pdf_text(out / "en-ZA/adults" / HANDOUT)
    assert "no checked list of local services for your country" in text
    assert "https://takeitdown.ncmec.org" in text and "https://findahelpline.com" in text


def test_unconfirmed_entries_print_only_when_asked_and_marked(project: Path) -> None:
    out = project / "out"
    args = ("-C", project, "build", "-l", "en-US", "-m", "body-safety", "-b", "adults", "--out", out)
    assert run(*args).exit_code == 0
    assert "1-800-225-5324" not in pdf_text(out / "en-US/adults" / HANDOUT)
    assert run(*args, "--include-unconfirmed").exit_code == 0
    text = pdf_text(out / "en-US/adults" / HANDOUT)
    assert "1-800-225-5324" in text and "(not yet confirmed)" in text.lower()


def test_region_option_replaces_the_locale_region(project: Path) -> None:
    out = project / "out"
    result = run(
        "-C", project, "build", "-l", "en-GB", "-r", "US", "-m", "body-safety", "-b", "adults", "--out", out
    )
    assert result.exit_code == 0, result.output
    assert "1-800-843-5678" in pdf_text(out / "en-US/adults" / HANDOUT)


def test_stale_help_line_fails_check_and_an_aging_one_warns(project: Path) -> None:
    path = project / "curriculum/resources/US.yaml"
    text = path.read_text()
    path.write_text(text.replace('checked: "2026-11-25"', 'checked: "2020-01-15"', 1))
    result = run("-C", project, "check")
    assert result.exit_code == 1
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "2020-01-15" in row)
    assert (
        f"curriculum/resources/US.yaml:{line}:" in result.output
        and "confirm it on the operator's own site" in result.output
    )
    path.write_text(text.replace('checked: "2026-11-25"', 'checked: "2025-06-01"', 1))
    result = run("-C", project, "check")
    assert result.exit_code == 0 and "warning:" in result.output
    assert run("-C", project, "check", "--strict").exit_code == 1


def test_resources_command_lists_what_each_audience_sees() -> None:
    out = run("-C", ROOT, "resources", "GB").output
    children, adults = out.split("adults' pages:")
    assert "0800 1111" in children and "Revenge Porn" not in children
    assert "Revenge Porn Helpline" in adults


def test_translations_may_not_bring_numbers_into_the_help_block() -> None:
    for po in (ROOT / "locales/es/LC_MESSAGES").glob("*.po"):
        text = po.read_text()
        for number in ("911", "988", "1-800", "0800"):
            assert f'msgstr "{number}' not in text


def test_qr_codes_scan_to_the_printed_urls(regional: Path, tmp_path: Path) -> None:
    pdf = regional / "en-US/adults" / HANDOUT
    pages = len(PdfReader(pdf).pages)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", str(pages), "-l", str(pages), pdf, tmp_path / "page"],
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=True
    )
    urls = set(scanned.stdout.split())
    reader = PdfReader(pdf)
    linked = {
        str(annotation.get_object()["/A"]["/URI"])
        for annotation in reader.pages[-1].get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert urls and urls <= linked  # every code scans to a web address printed as a link on the page
    assert "https://report.cybertip.org" in urls and "https://takeitdown.ncmec.org" in urls


def test_numbers_and_links_stay_whole_on_right_to_left_pages(project: Path) -> None:
    """An Arabic page (the shipped draft) keeps numbers and URLs left-to-right."""
    out = project / "out"
    args = ("-C", project, "build", "-l", "ar-US", "-m", "body-safety", "-b", "adults", "--out", out)
    result = run(*args, "--allow-fallback")
    assert result.exit_code == 0, result.output
    text = pdf_text(out / "ar-US/adults" / HANDOUT)
    for printed in ("1-800-843-5678", "911", "https://report.cybertip.org"):
        assert printed in text
    assert _dialled(out / "ar-US/adults" / HANDOUT) == sorted({"911", "18008435678", "18004224453", "988"})
