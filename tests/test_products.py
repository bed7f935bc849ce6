"""The print products a teacher, a nonprofit and a city office print: read back from the PDFs."""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from page import ValidationProfile, validate_pdf
from pypdf import PdfReader
from ruamel.yaml import YAML
from weasyprint import HTML

from handouts import joining
from handouts.fitting import Laid, OverBudget, fit_part, lay_out
from handouts.imposition import booklet, saddle_order
from handouts.products import Job, Options, Part, Target
from handouts.products.cards import CARD_MM, card_boxes
from handouts.products.handout import PRODUCT as HANDOUT
from handouts.products.handout import variant_part
from handouts.products.materials import material_count
from handouts.products.packet import Packet
from handouts.project import load_project
from handouts.render import Page, Renderer

from .conftest import ROOT, pdf_text, run


def qr_codes(pdf: Path, page: int, workdir: Path) -> list[str]:
    """What the QR codes on a page say, scanned from a rendering of it (poppler, zbar)."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", str(page), "-l", str(page), pdf, workdir / "scan"], check=True
    )
    image = next(workdir.glob("scan*.png"))
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=False
    )
    image.unlink()
    return scanned.stdout.split()


PACKET_MODULES = ("body-safety", "consent-and-boundaries")
#: The parts of a packet other than a lesson's classroom materials.
MAIN_PARTS = ("Lesson plan", "Handout", "Family letter")


@pytest.fixture(scope="session")
def packets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A grade 3-5 packet of two modules, in English and Spanish, made with `handouts packet`."""
    output = tmp_path_factory.mktemp("packets")
    args = ["-C", ROOT, "packet", "--band", "grades-3-5", "-l", "en-US", "-l", "es-US", "--out", output]
    for module in PACKET_MODULES:
        args += ["--module", module]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return output


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]


def test_packet_contents_page_numbers_are_where_each_part_starts(packets: Path) -> None:
    reader = PdfReader(packets / "en-US/grades-3-5/classroom-packet.pdf")
    outline = _outline(reader)
    # cover, then lesson plan, its classroom materials, handout and family letter for each of the two modules
    project = load_project(ROOT)
    materials = sum(material_count(project, module, "grades-3-5") for module in PACKET_MODULES)
    assert len(outline) == 1 + 3 * len(PACKET_MODULES) + materials
    lines = reader.pages[1].extract_text().splitlines()
    assert lines[0].strip() == "Contents"
    listed = [
        (m.group(1), int(m.group(2))) for line in lines if (m := re.match(r"^(\w[\w ]*?)[ .]+(\d+)$", line))
    ]
    # A material's entry names its kind ('Cards: ...') and may start on either side; the others start right.
    main = [(title, start) for title, start in outline[1:] if title.split(": ")[-1] in MAIN_PARTS]
    assert [page for _, page in listed] == [start for _, start in main]
    for (label, _), (title, start) in zip(listed, main, strict=True):
        kind = title.split(": ")[-1]
        assert label == kind, (label, title)
        assert start % 2 == 1, f"{title} starts on page {start}, a left-hand page"
        assert kind in " ".join(reader.pages[start - 1].extract_text().split()), (title, start)
    assert "My Body Belongs to Me" in lines[1]


def test_packet_numbers_pages_throughout_and_teaches_in_order(packets: Path) -> None:
    reader = PdfReader(packets / "en-US/grades-3-5/classroom-packet.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    titles = [title for title, _ in _outline(reader) if title.split(": ")[-1] in MAIN_PARTS]
    assert titles[:3] == [
        "My Body Belongs to Me: Lesson plan",
        "My Body Belongs to Me: Handout",
        "My Body Belongs to Me: Family letter",
    ]
    assert "Consent and Boundaries" in titles[3]


def test_lesson_plan_names_the_family_letter_it_sends_home(packets: Path) -> None:
    text = pdf_text(packets / "en-US/grades-3-5/classroom-packet.pdf")
    assert "family handout" not in text
    assert "the family letter (in the classroom packet, right after the student handout)" in text


def test_every_page_of_a_spanish_draft_carries_the_draft_mark(packets: Path, built: Path) -> None:
    pdfs = [packets / "es-US/grades-3-5/classroom-packet.pdf", *sorted((built / "es-US").rglob("*.pdf"))]
    kinds = {path.name.split(".")[-2] for path in pdfs}
    assert {"handout", "lesson", "letter", "flyer", "classroom-packet", "help-cards-child"} <= kinds
    for path in pdfs:
        for number, page in enumerate(PdfReader(path).pages, start=1):
            assert "Borrador de traducción" in page.extract_text(), f"{path.name} page {number}"


@pytest.fixture(scope="session")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every family letter in English and Spanish (US)."""
    output = tmp_path_factory.mktemp("letters")
    result = run("-C", ROOT, "build", "-k", "letter", "-l", "en-US", "-l", "es-US", "--out", output, "-q")
    assert result.exit_code == 0, result.output
    return output


def test_every_family_letter_fits_one_page_with_its_opt_out_slip(letters: Path) -> None:
    paths = sorted(letters.rglob("*.letter.pdf"))
    # 21 lessons; the family-night workshop for adults sends no letter home.
    assert len(paths) == 2 * 20
    assert not list(letters.rglob("adults/*.letter.pdf"))
    for path in paths:
        reader = PdfReader(path)
        assert len(reader.pages) == 1, path
        text = " ".join(reader.pages[0].extract_text().split())
        spanish = "/es-US/" in path.as_posix()
        slip = "Formulario para no participar" if spanish else "Opt-out slip"
        name = "Nombre del estudiante" if spanish else "Student name"
        assert slip in text and name in text, path
        assert "✂" in text, path


def test_family_letter_slip_is_below_a_dashed_cut_line(letters: Path) -> None:
    with pdfplumber.open(letters / "en-US/grades-3-5/body-safety.letter.pdf") as pdf:
        page = pdf.pages[0]
        slip_top = page.search("Opt-out slip")[0]["top"]
        dashed = [
            edge
            for edge in page.edges
            if edge["orientation"] == "h"
            and edge["width"] > page.width / 2
            and slip_top - 30 < edge["top"] < slip_top
        ]
        assert dashed, "no cut line above the slip"


def test_bilingual_letter_prints_english_facing_the_home_language(tmp_path: Path) -> None:
    result = run(
        "-C", ROOT, "build", "-k", "letter", "-l", "es-US", "-m", "body-safety", "-b", "grades-3-5",
        "--bilingual", "en-US", "--out", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "es-US/grades-3-5/body-safety.letter.pdf")
    assert len(reader.pages) == 2
    spanish, english = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Estimadas familias" in spanish and "Español" in spanish
    assert "Dear families" in english and "English" in english


@pytest.mark.parametrize(("locale", "paper", "cards"), [("en-GB", (595, 842), 10), ("en-US", (612, 792), 8)])
def test_card_sheet_holds_cards_10_mm_clear_of_the_edge_with_crop_marks_outside_them(
    tmp_path: Path, locale: str, paper: tuple[int, int], cards: int
) -> None:
    result = run("-C", ROOT, "build", "-k", "cards", "-l", locale, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    path = tmp_path / f"{locale}/help-cards-teen.pdf"
    mm = 72 / 25.4
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2  # fronts, then backs for duplex
        front, back = pdf.pages
        assert (round(front.width), round(front.height)) == paper
        codes = qr_codes(path, 1, tmp_path)
        assert len(codes) == cards and len(set(codes)) == 1 and codes[0].startswith("https://")  # one a card
        assert front.extract_text().count("You are not in trouble") == cards
        assert back.extract_text().count("My trusted adults") == cards
        width_mm, height_mm = front.width / mm, front.height / mm
        boxes = [
            (
                box["left"] * mm,
                box["top"] * mm,
                (box["left"] + CARD_MM[0]) * mm,
                (box["top"] + CARD_MM[1]) * mm,
            )
            for box in card_boxes(width_mm, height_mm, mirrored=False)
        ]
        # Crop marks are hairlines of 3 to 7 mm.
        marks = [
            rect
            for rect in front.rects
            if min(rect["width"], rect["height"]) <= 1
            and 3 * mm <= max(rect["width"], rect["height"]) <= 7 * mm
        ]
        assert len(marks) >= 12
        for mark in marks:
            for x0, top, x1, bottom in boxes:
                inside = mark["x0"] < x1 - 0.5 and mark["x1"] > x0 + 0.5
                inside = inside and mark["top"] < bottom - 0.5 and mark["bottom"] > top + 0.5
                assert not inside, f"crop mark {mark['x0']:.0f},{mark['top']:.0f} lies on a card"


def test_back_of_the_card_sheet_is_mirrored_for_duplex() -> None:
    fronts = card_boxes(210, 297, mirrored=False)
    backs = card_boxes(210, 297, mirrored=True)
    for front, back in zip(fronts, backs, strict=True):
        assert front["top"] == back["top"]
        assert round(front["left"] + back["left"] + CARD_MM[0], 2) == 210  # columns swap about the centre


def test_flyer_is_one_page_with_three_help_lines_in_large_type(tmp_path: Path) -> None:
    result = run("-C", ROOT, "build", "-k", "flyer", "-l", "en-GB", "-m", "warning-signs", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    path = tmp_path / "en-GB/adults/warning-signs.flyer.pdf"
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        assert len(qr_codes(path, 1, tmp_path)) == 3  # one for each help line
        body = [char["size"] for char in page.chars if char["text"].isalpha()]
        assert sorted(body)[len(body) // 2] >= 14  # most of the text is large
    text = pdf_text(path)
    assert "Where to get help" in text and "CEOP" in text


def test_poster_size_flyer_is_a3(tmp_path: Path) -> None:
    flyer = ("-k", "flyer", "-l", "en-GB", "-m", "warning-signs")
    result = run("-C", ROOT, "build", *flyer, "--size", "A3", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    page = PdfReader(tmp_path / "en-GB/adults/warning-signs.flyer-a3.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)


# --- fitting ----------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    project = load_project(ROOT)
    return Renderer(project.layouts, project.assets)


PAGE = Page(paper="letter", page_template="Page %(page)s of %(pages)s")


def _long_handout(words: int) -> Part:
    """The adults' warning-signs handout with ``words`` more words in a last section."""
    project = load_project(ROOT)
    target = Target("handout", "en-US", Path("x.pdf"), "adults", "warning-signs")
    part = variant_part(HANDOUT, Job(project, target, Options()), "warning-signs", "adults")
    part.context["uid"] = "test"
    filler = " ".join(["Stay calm and keep talking with your child."] * (words // 8))
    part.context["content"]["sections"] = [
        *part.context["content"]["sections"],
        {"heading": "More", "blocks": [{"text": filler}]},
    ]
    return part


def _meta(part: Part) -> dict[str, Any]:
    return {"kind": "handout", "locale": part.locale, "title": "t", "description": "", "author": "",
            "created": "2026-01-01T00:00:00Z"}  # fmt: skip


def _fit(renderer: Renderer, words: int) -> tuple[Laid, Part]:
    part = _long_handout(words)
    laid = fit_part(renderer, part, _meta(part), PAGE, "x.pdf", "handout en-US adults warning-signs")
    return laid, part


def test_a_slightly_long_handout_is_fitted_at_or_above_the_band_minimum(renderer: Renderer) -> None:
    # Find the shortest addition that pushes the natural layout past two pages.
    low, high = 0, 1600
    while high - low > 16:
        middle = (low + high) // 2
        part = _long_handout(middle)
        pages = lay_out(renderer, [part], _meta(part), PAGE, "x.pdf").pages
        low, high = (middle, high) if pages <= 2 else (low, middle)
    laid, part = _fit(renderer, high + 8)
    assert laid.pages == 2
    assert part.fit.spacing < 1
    assert part.fit.body_pt >= 10  # the adults band's minimum


def test_a_far_too_long_handout_fails_naming_what_and_how_much(renderer: Renderer) -> None:
    with pytest.raises(OverBudget) as raised:
        _fit(renderer, 3000)
    message = str(raised.value)
    assert "handout en-US adults warning-signs: does not fit on 2 pages" in message
    assert re.search(r"about \d+ mm \(some \d+ lines\) too long even at 10 pt", message)


def test_a_product_over_budget_fails_the_build_and_the_others_still_build(
    project: Path, tmp_path: Path
) -> None:
    module = project / "curriculum/modules/warning-signs.yaml"
    text = module.read_text()
    filler = " ".join(["Stay calm and keep talking with your child every day."] * 300)
    text = text.replace('closing: "', f'closing: "{filler} ', 1)
    module.write_text(text)
    result = run("-C", project, "build", "-l", "en-US", "-m", "warning-signs", "-k", "handout", "-k", "flyer",
                 "--out", tmp_path)  # fmt: skip
    assert result.exit_code == 1
    assert "handout en-US adults warning-signs: does not fit on 2 pages" in result.output
    assert "shorten its text" in result.output
    assert not (tmp_path / "en-US/adults/warning-signs.handout.pdf").exists()


def test_no_product_ends_on_a_page_holding_a_single_box(built_english: Path) -> None:
    manifest = json.loads((built_english / "manifest.json").read_text())
    bands = {
        band["id"]: band["min_font_pt"]
        for band in YAML(typ="safe").load(ROOT / "curriculum/bands.yaml")["bands"]
    }
    checked = 0
    for entry in manifest["documents"]:
        for part in entry["fit"]:
            if part["pages"] > 1:
                checked += 1
                assert part["last_page_boxes"] >= 2, (entry["path"], part)
            assert part["body_pt"] >= part["min_pt"], (entry["path"], part)
            if entry["kind"] == "handout":  # what children read never goes below their band's size
                assert part["min_pt"] == bands[entry["band"]]
    assert checked > 50


# --- booklets ---------------------------------------------------------------


def _numbered_pdf(pages: int) -> bytes:
    body = "".join(f'<p style="break-after: page">P{n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


@pytest.mark.parametrize("pages", [8, 10, 13])
def test_booklet_sheets_hold_pages_in_saddle_stitch_order(pages: int) -> None:
    imposed = booklet(_numbered_pdf(pages))
    total = -(-pages // 4) * 4
    seen = []
    with pdfplumber.open(io.BytesIO(imposed)) as pdf:
        assert len(pdf.pages) == total // 2
        for sheet in pdf.pages:
            assert sheet.width > sheet.height  # landscape, two pages side by side
            for half in (
                sheet.crop((0, 0, sheet.width / 2, sheet.height)),
                sheet.crop((sheet.width / 2, 0, sheet.width, sheet.height)),
            ):
                text = (half.extract_text() or "").strip()
                seen.append(int(text[1:]) if text else None)
    expected = []
    for left, right in saddle_order(pages):
        expected += [None if left is None else left + 1, None if right is None else right + 1]
    assert seen == expected
    # Folded, the first sheet's front holds the last and first pages; blank pages pad to a multiple of four.
    assert seen[:2] == [None if pages % 4 else total, 1]
    assert sorted(p for p in seen if p) == list(range(1, pages + 1))


def test_booklet_packet_is_written_beside_nothing_else(tmp_path: Path) -> None:
    result = run("-C", ROOT, "packet", "-b", "adults", "-m", "community-action", "-l", "en-US", "--booklet",
                 "--out", tmp_path)  # fmt: skip
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "en-US/adults/classroom-packet.booklet.pdf")
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(2 * 612) and float(
        page.mediabox.height
    ) == pytest.approx(792)


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("packet", "-b", "ages-3-5", "-m", "saying-no"), "bands with modules"),
        (("build", "-k", "poster"), "'poster' is not one of"),
        (("build", "-k", "letter", "--bilingual", "de-DE"), "no translation catalog for 'de'"),
        (("build", "-k", "flyer", "--booklet"), "--booklet imposes a packet"),
        (("build", "-k", "handout", "--size", "A3"), "--size applies to flyers only"),
    ],
)
def test_bad_product_options_are_usage_errors_naming_valid_values(args: tuple[str, ...], says: str) -> None:
    result = run("-C", ROOT, *args, "--out", "/tmp/never-written")
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert "Traceback" not in result.output


def test_a_flyer_option_does_not_rebuild_the_other_products(tmp_path: Path) -> None:
    args = (
        "-C",
        ROOT,
        "build",
        "-l",
        "en-GB",
        "-m",
        "warning-signs",
        "-k",
        "handout",
        "-k",
        "flyer",
        "--out",
        tmp_path,
    )
    assert "2 built, 0 unchanged" in run(*args).output
    poster = run(*args, "--size", "A3").output
    assert "1 built, 1 unchanged" in poster  # the A3 flyer is new; the handout is as it was
    assert (tmp_path / "en-GB/adults/warning-signs.flyer-a3.pdf").exists()


def _page_texts(path: Path) -> list[str]:
    """Each page's text as poppler lays it out (columns and footers where they print)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return text.stdout.split("\f")[:-1]


def _page_images(path: Path, prefix: Path) -> list[bytes]:
    """Each page drawn by poppler at 30 dpi: a glyph drawn from another font's outline shows."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(prefix)], check=True)
    return [png.read_bytes() for png in sorted(prefix.parent.glob(f"{prefix.name}-*.png"))]


def test_a_packet_made_part_by_part_reads_as_the_packet_laid_out_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """joining.py: a worker lays out and writes a packet one part at a time (it holds one part's
    pages, not 97), and the joined PDF reads as the packet laid out whole: the same text on every
    page (page numbers, contents, pages left blank), outline and links. A part that takes other
    pages than planned makes the build lay the packet out whole instead. Drawn the same too, and
    still PDF/UA-1: each part's font subset joins the others' only where their glyph numbers agree."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    args = [
        "-C",
        ROOT,
        "build",
        "-k",
        "packet",
        "-b",
        "grades-3-5",
        "-m",
        "body-safety",
        "-l",
        "es-US",  # ñ and á are composite glyphs, whose parts each subset numbers its own way
        "-j",
        "1",
    ]
    planned = joining.plan
    made: dict[str, Path] = {}
    for way in ("parts", "whole", "misplanned"):
        with monkeypatch.context() as patch:
            if way == "whole":
                patch.setattr(Packet, "joins", False)
            if way == "misplanned":
                patch.setattr(
                    joining, "plan", lambda *a: [replace(p, pages=p.pages + 1) for p in planned(*a)]
                )
            assert run(*args, "--out", tmp_path / way).exit_code == 0
        made[way] = tmp_path / way / "es-US/grades-3-5/classroom-packet.pdf"
    texts = _page_texts(made["parts"])
    assert texts == _page_texts(made["whole"]) == _page_texts(made["misplanned"])
    assert _page_images(made["parts"], tmp_path / "parts.png") == _page_images(
        made["whole"], tmp_path / "whole.png"
    )
    report = validate_pdf(str(made["parts"]), profile=ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [str(failure) for failure in report.failures][:3]
    assert made["misplanned"].read_bytes() == made["whole"].read_bytes()
    blank = [
        number
        for number, text in enumerate(texts, start=1)
        if "Esta página se deja en blanco a propósito." in text
    ]
    assert blank and all(f"Página {number} de {len(texts)}" in texts[number - 1] for number in blank)
    parts, whole = PdfReader(made["parts"]), PdfReader(made["whole"])
    assert _outline(parts) == _outline(whole)
    for reader in (parts, whole):  # each contents link opens the page its entry names
        contents = reader.pages[1]
        targets = [
            reader.get_destination_page_number(reader.named_destinations[str(link.get_object()["/Dest"])]) + 1
            for link in contents.get("/Annots", [])
        ]
        printed = [int(n) for n in re.findall(r"(\d+)\s*$", contents.extract_text(), re.M)]
        assert targets and sorted(set(targets)) == sorted(set(printed))
    # The parts' font subsets joined where their glyph numbers agree: not one font program per part.
    with pikepdf.open(made["parts"]) as pdf:
        programs = {
            descriptor.FontFile2.objgen
            for descriptor in pdf.objects
            if isinstance(descriptor, pikepdf.Dictionary) and "/FontFile2" in descriptor
        }
    assert len(programs) <= 2 * len(parts.outline)
    assert made["parts"].stat().st_size < 1.25 * made["whole"].stat().st_size
