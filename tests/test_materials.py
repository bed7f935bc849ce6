"""Classroom materials and pictures (issue 11): every material a lesson names is printed, in the packet
after its lesson plan; card sheets have cut lines; young handouts have pictures with alt text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from handouts.products.materials import material_count
from handouts.project import load_project

from .conftest import ROOT, run

YOUNG = ("ages-3-5", "grades-k-2")
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def young(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grades K-2 packet, every ages 3-5 and K-2 handout, and the K-2 body-safety materials (en-US)."""
    out = tmp_path_factory.mktemp("young")
    bands = [arg for band in YOUNG for arg in ("-b", band)]
    for args in (
        ("-b", "grades-k-2", "-k", "packet", "-k", "materials"),
        (*bands, "-k", "handout"),
    ):
        result = run("-C", ROOT, "build", "-l", "en-US", *args, "--out", out, "--jobs", "2", "--quiet")
        assert result.exit_code == 0, result.output
    result = run(
        "-C", ROOT, "build", "-l", "es-US", *bands, "-k", "handout", "--out", out, "--quiet", "-j", "2"
    )
    assert result.exit_code == 0, result.output
    return out


def _outline(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [item.title for item in reader.outline if not isinstance(item, list)]


def test_check_reports_no_unprovided_material() -> None:
    result = run("-C", ROOT, "check")
    assert result.exit_code == 0, result.output
    assert "neither provided nor common" not in result.output


def test_check_names_file_and_line_of_an_unprovided_material(project: Path) -> None:
    module = project / "curriculum/modules/body-safety.yaml"
    text = module.read_text()
    old = '        - text: "Swimsuit line drawing"\n          provided: swimsuit-picture\n'
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    text = text.replace(old, '        - "Swimsuit line drawing"\n', 1)
    text = text.replace("provided: hand-outline", "provided: hand-outlines", 1)
    module.write_text(text)
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert f"curriculum/modules/body-safety.yaml:{line}:11: this material is neither provided nor common" in (
        result.output
    )
    assert "'hand-outlines' is not a material of this module" in result.output
    assert "Traceback" not in result.output


def test_packet_puts_the_lesson_materials_after_the_lesson_plan(young: Path) -> None:
    outline = _outline(young / "en-US/grades-k-2/classroom-packet.pdf")
    start = outline.index("My Body Belongs to Me: Lesson plan")
    end = outline.index("My Body Belongs to Me: Handout")
    between = outline[start + 1 : end]
    for title in (
        "The parts a swimsuit covers are private",  # the swimsuit drawing
        "Surprise or secret?",  # sorting cards
        "My helping hand",  # worksheet
        "Pass cards",  # picture cards
        "Pre- and post-assessment",
        "Answer key (for the teacher)",
    ):
        assert f"My Body Belongs to Me: {title}" in between, between
    # The answer key is its own part, after the student sheet.
    assert between.index("My Body Belongs to Me: Answer key (for the teacher)") > between.index(
        "My Body Belongs to Me: Pre- and post-assessment"
    )


def test_no_material_is_missing_from_the_packet(young: Path) -> None:
    project = load_project(ROOT)
    outline = _outline(young / "en-US/grades-k-2/classroom-packet.pdf")
    for module_id, module in project.modules.items():
        variant = module.bands.get("grades-k-2")
        if variant is None or variant.lesson is None:
            continue
        title = module.title
        start = outline.index(f"{title}: Lesson plan")
        end = outline.index(f"{title}: Handout")
        assert end - start - 1 == material_count(project, module_id, "grades-k-2"), outline[start:end]
    reader = PdfReader(young / "en-US/grades-k-2/classroom-packet.pdf")
    contents = re.sub(r"\s+", " ", reader.pages[1].extract_text() or "")
    assert "Cards: Surprise or secret? (one set for the teacher to read aloud)" in contents


def test_lesson_plan_names_each_material_and_its_copies(young: Path) -> None:
    reader = PdfReader(young / "en-US/grades-k-2/classroom-packet.pdf")
    text = " ".join(page.extract_text() or "" for page in reader.pages[2:6])
    text = re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", text))  # a hyphenated word as copied (conftest)
    assert "In the classroom materials: Pass cards, one sheet per 8 children; each child gets one" in text


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_young_handouts_have_two_pictures_with_alt_text(young: Path, locale: str) -> None:
    paths = sorted(young.glob(f"{locale}/*/*.handout.pdf"))
    assert {path.parent.name for path in paths} == set(YOUNG)
    assert len(paths) == 6
    for path in paths:
        with pikepdf.open(path) as pdf:
            alts = [str(e.Alt) for e in _struct(pdf) if e.S == "/Figure" and "/Alt" in e]
            figures = sum(1 for e in _struct(pdf) if e.S == "/Figure")
        assert figures == len(alts) >= 2, path
        if locale == "es-US":  # in the reader's language
            assert not any(alt.startswith(("A ", "Two ", "Four ", "Trusted ")) for alt in alts), alts


def _struct(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def _card_cells(page: pdfplumber.page.Page, width_mm: float, height_mm: float) -> set[tuple[int, int]]:
    """Where cards of this size are drawn (the box their cut lines go round), to the point."""
    w, h = width_mm * PT_PER_MM, height_mm * PT_PER_MM
    return {
        (round(r["x0"]), round(r["top"]))
        for r in page.rects
        if abs(r["width"] - w) < 2 and abs(r["height"] - h) < 2
    }


def test_card_sheet_has_eight_cards_inside_dashed_cut_lines(young: Path, tmp_path: Path) -> None:
    path = young / "en-US/grades-k-2/body-safety.materials.pdf"
    with pdfplumber.open(path) as pdf:
        page_number = next(i for i, p in enumerate(pdf.pages) if "Pass cards" in (p.extract_text() or ""))
        page = pdf.pages[page_number]
        cells = _card_cells(page, 89.5, 55)
        assert len(cells) == 8
        assert (page.extract_text() or "").count("Pass") == 9  # eight cards and the title
        columns = sorted({x for x, _ in cells})
        rows = sorted({y for _, y in cells})
        assert len(columns) == 2 and len(rows) == 4
        # The back follows, mirrored for double-sided printing.
        back = pdf.pages[page_number + 1].extract_text() or ""
        assert back.count("I don't want a turn now.") == 8
    # A cut line read back from the printed page: the vertical line between the two columns is dashed.
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "100",
            "-f",
            str(page_number + 1),
            "-l",
            str(page_number + 1),
            "-png",
            str(path),
            str(tmp_path / "sheet"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("sheet*.png"))).convert("L")
    scale = 100 / 72
    x = round(columns[1] * scale)
    top, bottom = round(rows[0] * scale) + 5, round((rows[-1] + 55 * PT_PER_MM) * scale) - 5
    column = [min(image.getpixel((x + dx, y)) for dx in (-1, 0, 1)) < 128 for y in range(top, bottom)]
    dashes = sum(1 for a, b in zip(column, column[1:], strict=False) if a and not b)
    assert dashes > 40, f"expected a dashed cut line at x={x}px, found {dashes} dashes"
    assert 0.3 < sum(column) / len(column) < 0.8  # dashes and gaps, not a solid rule


def test_twelve_card_sheet_has_three_columns() -> None:
    from handouts.products.materials import card_pages

    cards = [{"front": str(n), "back": f"back {n}"} for n in range(14)]
    pages = card_pages(cards, 12, fill=False)
    assert [len(page["fronts"]) for page in pages] == [12, 2]
    # The second row's backs are mirrored: 5 4 3, and a short last page is padded so backs meet fronts.
    assert [card["back"] for card in pages[0]["backs"][3:6]] == ["back 5", "back 4", "back 3"]
    assert pages[1]["backs"][0] is None and pages[1]["backs"][1]["back"] == "back 13"


def test_check_wants_two_pictures_on_a_read_aloud_handout(project: Path) -> None:
    module = project / "curriculum/modules/consent-and-boundaries.yaml"
    text = module.read_text()
    for picture in ("wave", "high-five", "phone-stop"):
        text = text.replace(f"          picture: {picture}\n", "")
    text = text.replace("          picture: tell\n", "          picture: telling\n", 1)
    module.write_text(text)
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert "a grades-k-2 handout is read aloud to children who point to pictures" in result.output
    assert re.search(r"consent-and-boundaries\.yaml:\d+:\d+: no picture 'telling'", result.output)
