"""Accessible, print-ready PDFs: PDF/UA-1 by a real validator, and the preflight's rules.

Each preflight rule is proven by a fixture that breaks it; every product kind is
read back (page-validation, pikepdf, pdfplumber) as a reader or a printer meets it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from page import ValidationProfile, validate_pdf
from weasyprint import HTML

from handouts.preflight import check, from_document

from .conftest import ROOT, run

KINDS = ("handout", "lesson", "materials", "letter", "flyer", "cards", "packet")


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One module's products of every kind, in English and Spanish (the packet: two modules)."""
    output = tmp_path_factory.mktemp("every-kind")
    args = ["-C", ROOT, "build", "-m", "getting-help", "-m", "body-safety", "-b", "grades-6-8"]
    result = run(*args, "-b", "adults", "-l", "en-US", "-l", "es-US", "--out", output, "-j", "2", "--quiet")
    assert result.exit_code == 0, result.output
    return output


def _pdfs(output: Path) -> list[Path]:
    return sorted(output.glob("**/*.pdf"))


def _manifest(output: Path) -> dict[str, dict]:
    return {entry["path"]: entry for entry in json.loads((output / "manifest.json").read_text())["documents"]}


def test_every_product_kind_is_pdf_ua_1_compliant(every_kind: Path) -> None:
    kinds = {entry["kind"] for entry in _manifest(every_kind).values()}
    assert kinds == set(KINDS)
    for path in _pdfs(every_kind):
        report = validate_pdf(str(path), profile=ValidationProfile.PDF_UA_1)
        assert report.is_compliant, (path, [str(failure) for failure in report.failures][:3])


def _struct(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def test_each_link_is_one_annotation_in_its_link_tag_saying_what_it_calls(every_kind: Path) -> None:
    path = every_kind / "en-US/adults/getting-help.handout.pdf"
    with pikepdf.open(path) as pdf:
        annotations = [annot for page in pdf.pages for annot in page.get("/Annots", [])]
        tagged = [
            kid.Obj
            for element in _struct(pdf)
            if element.S == "/Link"
            for kid in element.K
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
        ]
        assert len(annotations) == len(tagged) > 5
        assert {a.objgen for a in annotations} == {a.objgen for a in tagged}  # one each, none untagged
        contents = {str(a.A.URI): str(a.Contents) for a in annotations}
    assert contents["tel:18008435678"] == "Call CyberTipline, 1-800-843-5678"
    assert contents["tel:911"] == "Call emergency services, 911"
    assert contents["https://takeitdown.ncmec.org"].startswith("Website of Take It Down")


def test_an_english_sentence_in_a_spanish_page_carries_its_language(every_kind: Path) -> None:
    with pikepdf.open(every_kind / "es-US/grades-6-8/getting-help.handout.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es-US"
        langs = {(str(e.S), str(e.Lang)) for e in _struct(pdf) if "/Lang" in e}
    assert ("/Span", "en") in langs  # "Draft translation: not yet reviewed…"
    assert ("/Art", "es-US") in langs


def test_steps_and_word_lists_are_tagged_as_lists_with_bodies(every_kind: Path) -> None:
    with pikepdf.open(every_kind / "en-US/grades-6-8/getting-help.lesson.pdf") as pdf:
        elements = _struct(pdf)
        items = [e for e in elements if e.S == "/LI"]
        assert len(items) > 10
        for item in items:
            assert item.P.S == "/L"
            assert {str(kid.S) for kid in item.K if isinstance(kid, pikepdf.Dictionary)} <= {"/Lbl", "/LBody"}
        headings_in_bodies = [e for e in elements if e.S == "/H3" and e.P.S == "/LBody"]
        assert headings_in_bodies  # a step's title sits in its list item's body


def test_footers_and_running_heads_are_pagination_artifacts(every_kind: Path) -> None:
    with pdfplumber.open(every_kind / "es-US/adults/getting-help.handout.pdf") as pdf:
        for page in pdf.pages:
            footer = [c for c in page.chars if c["top"] > page.height - 20 * 72 / 25.4]
            head = [c for c in page.chars if c["bottom"] < 15 * 72 / 25.4]
            assert footer and head
            assert {c.get("tag") for c in footer + head} == {"Artifact"}
            assert "Página" in "".join(c["text"] for c in footer)


def test_titles_are_unique_and_say_what_and_for_whom(every_kind: Path) -> None:
    titles = {}
    for path in _pdfs(every_kind):
        with pikepdf.open(path) as pdf:
            titles[path.relative_to(every_kind).as_posix()] = str(pdf.docinfo.Title)
    assert len(set(titles.values())) == len(titles)
    assert titles["en-US/grades-6-8/getting-help.lesson.pdf"].endswith(
        "— Lesson plan, Grades 6–8 (ages 11–14)"
    )
    assert titles["en-US/grades-6-8/getting-help.handout.pdf"].endswith("— Handout, Grades 6–8 (ages 11–14)")


def test_figure_boxes_are_where_the_qr_codes_print(every_kind: Path) -> None:
    # Each QR figure's box, in PDF user space, holds the QR code's many small modules.
    path = every_kind / "en-US/adults/getting-help.handout.pdf"
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        figures = [
            (pages[e.Pg.objgen], [float(v) for v in e.A.BBox]) for e in _struct(pdf) if e.S == "/Figure"
        ]
    assert len(figures) >= 4
    with pdfplumber.open(path) as pdf:
        for index, (x0, y0, x1, y1) in figures:
            page = pdf.pages[index]
            assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
            codes = [  # a code is a 1-bit image mask of one pixel a module, painted where its box says
                image
                for image in page.images
                if abs(image["x0"] - x0) < 1
                and abs(image["x1"] - x1) < 1
                and abs(page.height - image["bottom"] - y0) < 1
                and abs(page.height - image["top"] - y1) < 1
            ]
            assert len(codes) == 1 and codes[0]["imagemask"], (index, (x0, y0, x1, y1), page.images)
            assert 21 <= codes[0]["srcsize"][0] <= 80, codes[0]["srcsize"]


def test_check_preflight_reads_back_every_product_and_finds_no_small_print(every_kind: Path) -> None:
    result = run("-C", ROOT, "check", "--preflight", "--out", every_kind)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.endswith(".pdf  ") or ".pdf " in line]
    assert len(lines) == len(_pdfs(every_kind))
    assert all(" passed" in line or "booklet" in line for line in lines), result.output
    for entry in _manifest(every_kind).values():
        assert entry["preflight"]["state"] == "passed"


def test_check_preflight_fails_a_product_whose_readers_need_bigger_type(
    every_kind: Path, tmp_path: Path
) -> None:
    # The same letter, recorded as if its readers needed 12 pt: the read-back finds its 10 pt text.
    subprocess.run(["cp", "-r", str(every_kind), str(tmp_path / "out")], check=True)
    manifest_path = tmp_path / "out/manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for entry in manifest["documents"]:
        if entry["path"] == "en-US/grades-6-8/getting-help.letter.pdf":
            entry["preflight"]["parts"][0]["min_pt"] = 12
    manifest_path.write_text(json.dumps(manifest))
    result = run("-C", ROOT, "check", "--preflight", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "en-US/grades-6-8/getting-help.letter.pdf" in result.output
    assert "below the 12 pt its readers need" in result.output


# --- each rule, broken on purpose ---------------------------------------------


def test_small_help_text_on_a_young_page_fails_the_build(project: Path, tmp_path: Path) -> None:
    with open(project / "layouts/style.css", "a") as css:
        css.write("\n.grown-up p { font-size: 9pt; }\n")
    result = run("-C", project, "build", "-m", "body-safety", "-b", "ages-3-5", "-k", "handout",
                 "-l", "en-US", "--out", tmp_path)  # fmt: skip
    assert result.exit_code == 1
    assert "en-US/ages-3-5/body-safety.handout.pdf: preflight failed: page" in result.output
    assert "text at 9.0 pt" in result.output
    assert "below the 16 pt its readers need" in result.output
    assert not (tmp_path / "en-US/ages-3-5/body-safety.handout.pdf").exists()


def test_ink_near_the_paper_edge_fails_the_build(project: Path, tmp_path: Path) -> None:
    with open(project / "layouts/style.css", "a") as css:
        css.write("\n@page { margin: 6mm; }\n")
    result = run("-C", project, "build", "-m", "getting-help", "-b", "adults", "-k", "flyer",
                 "-l", "en-GB", "--out", tmp_path)  # fmt: skip
    assert result.exit_code == 1
    assert "preflight failed: page 1:" in result.output
    assert "mm from the paper edge (less than 10 mm)" in result.output


def _sheet(body: str) -> list[str]:
    css = (
        "@page { size: A4; margin: 20mm; } body { margin: 0; font-size: 12pt; }"
        " h2, p { font-size: 12pt; line-height: 20pt; margin: 0; orphans: 1; widows: 1; }"
    )
    html = f"<html><head><style>{css}</style></head><body><article id='part-1'>{body}</article></body></html>"
    document = HTML(string=html).render()
    return [finding.rule for finding in check(from_document(document, [("test part", 12.0, True)]))]


def test_a_heading_with_one_line_under_it_at_the_page_foot_is_stranded() -> None:
    # 257 mm of content area: a 242 mm block, then the heading and one line of its section.
    lines = " ".join(["Keep telling until someone helps."] * 40)
    body = f"<div style='height: 242mm'>Filler</div><section><h2>Keep telling</h2><p>{lines}</p></section>"
    assert "stranded-heading" in _sheet(body)
    # With the heading moved overleaf, nothing is stranded.
    body = body.replace("<h2>", "<h2 style='break-before: page'>")
    assert "stranded-heading" not in _sheet(body)


def test_a_last_page_holding_a_single_box_is_reported() -> None:
    lonely = "<div style='height: 250mm'>First</div><section><p>Alone on the last page.</p></section>"
    assert _sheet(lonely).count("lonely-last-page") == 1
    together = "<div style='height: 200mm'>First</div><section><p>Kept on the first page.</p></section>"
    assert "lonely-last-page" not in _sheet(together)


def test_grayscale_print_bounds_every_tinted_box(every_kind: Path) -> None:
    # Every tinted box has a dark border or rule on its edge (WeasyPrint paints borders as filled
    # frames): tint alone would vanish on a black-and-white printer.
    path = every_kind / "en-US/grades-6-8/getting-help.lesson.pdf"
    boxes = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for rect in page.rects:
                color = rect.get("non_stroking_color") or ()
                tinted = rect["fill"] and len(color) == 3 and 0.85 < min(color) < 1
                if not tinted or rect["width"] < 30 or rect["height"] < 10:
                    continue
                edges = [
                    r
                    for r in page.rects
                    if r is not rect
                    and len(r.get("non_stroking_color") or ()) == 3
                    and max(r["non_stroking_color"]) < 0.8
                    and abs(r["x0"] - rect["x0"]) <= 1.5  # a rule on its start edge, or a frame round it
                    and r["top"] <= rect["bottom"]
                    and r["bottom"] >= rect["top"]
                ]
                assert edges, (path.name, page.page_number, rect["x0"], rect["top"])
                boxes += 1
    assert boxes >= 3  # the essential question, the facilitator note, the family connection


def test_check_preflight_names_a_damaged_pdf_and_checks_the_others(every_kind: Path, tmp_path: Path) -> None:
    subprocess.run(["cp", "-r", str(every_kind), str(tmp_path / "out")], check=True)
    (tmp_path / "out/en-US/help-cards-adult.pdf").write_bytes(b"not a PDF")
    result = run("-C", ROOT, "check", "--preflight", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "en-US/help-cards-adult.pdf" in result.output and "cannot read" in result.output
    assert "rebuild it with --force" in result.output
    assert result.output.count(" passed") == len(_pdfs(every_kind)) - 1


def test_latin_products_embed_no_cjk_font(every_kind: Path) -> None:
    """A CJK face is a 19 MB font to open and a large one to embed: no English or Spanish page needs
    it (the letter's scissors come from the symbols face)."""
    for path in _pdfs(every_kind):
        with pikepdf.open(path) as pdf:
            fonts = {
                str(font.BaseFont) for page in pdf.pages for font in page.Resources.get("/Font", {}).values()
            }
        assert fonts and not [font for font in fonts if "CJK" in font], (path, fonts)


def test_a_heading_stranded_at_a_page_foot_is_fitted_a_step_tighter(tmp_path: Path) -> None:
    """On A4 the Spanish (Spain) adults' handout first broke right after "Qué decir ahora…" and
    its one-line paragraph (preflight refused it); the fitting now tries the next steps."""
    args = ["-C", ROOT, "build", "-l", "es-ES", "-b", "adults", "-m", "what-is-sextortion", "-k", "handout"]
    result = run(*args, "--out", tmp_path, "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "es-ES/adults/what-is-sextortion.handout.pdf"
    with pdfplumber.open(pdf) as document:
        first = document.pages[0].extract_text()
    heading = "Qué decir ahora, antes de que pase algo"
    assert heading in first and "Frases para decir" in first.split(heading)[1]  # what follows came along
