"""Classroom materials and pictures (issue 11): every material a lesson names is printed, in the packet
after its lesson plan; card sheets have cut lines; young handouts have pictures with alt text."""

from __future__ import annotations

import json
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

from .conftest import ROOT, pdf_text, run

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


def _artifact_marks(page: pdfplumber.page.Page) -> list[dict[str, float]]:
    """Paths drawn as artifacts (decoration a screen reader skips) on a page."""
    return [o for o in (*page.curves, *page.lines, *page.rects) if o.get("tag") == "Artifact"]


def test_older_handout_marks_a_red_flags_section_with_a_small_icon(tmp_path: Path) -> None:
    result = run(
        "-C", ROOT, "build", "-l", "en-US", "-b", "grades-6-8", "-m", "spotting-scammers", "-k", "handout",
        "--out", tmp_path, "-j", "1", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = tmp_path / "en-US/grades-6-8/spotting-scammers.handout.pdf"
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "Red flags" in (p.extract_text() or ""))
        lines = page.extract_text_lines()
        heading = next(line for line in lines if line["text"] == "Red flags")
        size = heading["chars"][0]["size"]
        beside = [
            o
            for o in _artifact_marks(page)
            if o["x1"] <= heading["x0"] + 1 and heading["top"] - size / 2 < o["top"] < heading["bottom"]
        ]
        assert beside, "no icon drawn beside the 'Red flags' heading"
        # Drawn in the flag's red, about one and a half times the heading's cap height (Noto: 0.714 em).
        assert any(o.get("non_stroking_color") == pytest.approx((0.72, 0.2, 0.16), abs=0.01) for o in beside)
        height = max(o["bottom"] for o in beside) - min(o["top"] for o in beside)
        assert 1.0 < height / (0.714 * size) < 1.8, height
        # A section without an icon has nothing beside its heading.
        plain = next(line for line in lines if line["text"] == "Why it feels so real")
        assert not [o for o in _artifact_marks(page) if plain["top"] - 2 < o["top"] < plain["bottom"]]
    with pikepdf.open(path) as pdf:
        figures = [str(e.get("/Alt", "")) for e in _struct(pdf) if e.S == "/Figure"]
    # The icon is decoration (the heading says it): not a Figure a screen reader would announce.
    assert figures and all(alt.startswith("QR code for") for alt in figures), figures


def test_check_refuses_an_unknown_icon_and_an_icon_on_a_read_aloud_handout(project: Path) -> None:
    module = project / "curriculum/modules/stand-by-you.yaml"
    text = module.read_text()
    text = text.replace("          icon: say\n", "          icon: speech\n", 1)
    heading = '        - heading: "Keep telling"\n'  # the first is the grades K-2 handout's
    text = text.replace(heading, heading + "          icon: help\n", 1)
    module.write_text(text)
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert re.search(
        r"stand-by-you\.yaml:\d+:\d+: 'icon': Input should be 'warning', 'red-flag', 'say' or 'help'",
        result.output,
    ), result.output
    assert "Traceback" not in result.output
    text = text.replace("          icon: speech\n", "          icon: say\n", 1)
    module.write_text(text)
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert re.search(
        r"stand-by-you\.yaml:\d+:\d+: a grades-k-2 handout is read aloud to children who point to pictures: "
        r"give this section a 'picture' instead of an 'icon'",
        result.output,
    ), result.output


def test_family_letter_names_what_the_lesson_uses_and_sends_home(tmp_path: Path) -> None:
    for locale in ("en-US", "es-US"):
        result = run(
            "-C", ROOT, "build", "-l", locale, "-b", "grades-6-8", "-m", "getting-help", "-k", "letter",
            "--out", tmp_path, "-j", "1", "--quiet",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    english = pdf_text(tmp_path / "en-US/grades-6-8/getting-help.letter.pdf")
    assert (
        "In class we will use “The four steps”, “Save it or skip it?”, “Scenario cards”, “My trusted "
        "adults”, and “Exit ticket”, and your child will bring home a student handout and a flyer for "
        "families."
    ) in english
    spanish = pdf_text(tmp_path / "es-US/grades-6-8/getting-help.letter.pdf")
    assert "En clase usaremos «Los cuatro pasos», «¿Guardar o no guardar?»," in spanish
    assert (
        "«Mis adultos de confianza» y «Boleto de salida», y su hijo o hija llevará a casa un folleto"
        in spanish
    )


def test_a_card_whose_text_does_not_fit_fails_naming_material_card_and_locale(
    project: Path, tmp_path: Path
) -> None:
    module = project / "curriculum/modules/body-safety.yaml"
    text = module.read_text()
    old = '      - front: "Our class made a present for a friend. We give it to her tomorrow."\n'
    assert old in text
    long = (
        "Our class made a present for a friend. We wrapped it in paper with stars, tied a big red bow, wrote "
        "a card with all our names, hid it in the cupboard by the window, and we will give it to her "
        "tomorrow morning when she comes in, and everyone will sing a song and clap."
    )
    module.write_text(text.replace(old, f'      - front: "{long}"\n'))
    out = tmp_path / "out"
    result = run(
        "-C", project, "build", "-l", "en-US", "-b", "grades-k-2", "-m", "body-safety", "-k", "materials",
        "--out", out, "-j", "1",
    )  # fmt: skip
    assert result.exit_code == 1
    found = re.findall(
        r"the text of (card \d+ \(\w+\) of material '[a-z0-9-]+', [A-Za-z-]+) does not fit", result.output
    )
    # Named once in the build's line and once in the summary; only the long card, in large type.
    assert set(found) == {"card 3 (front) of material 'surprise-secret-cards', en-US"}, result.output
    assert re.search(r"it runs \d+\.\d mm past the cut lines \(“Our class made a present", result.output)
    assert not (out / "en-US/grades-k-2/body-safety.materials.pdf").exists()
    assert "Traceback" not in result.output


def test_a_page_left_blank_for_duplex_says_so(young: Path) -> None:
    reader = PdfReader(young / "en-US/grades-k-2/body-safety.materials.pdf")
    texts = [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
    blank = [n for n, text in enumerate(texts, start=1) if "This page is intentionally blank." in text]
    assert blank == [2, 6], texts
    for n in blank:
        # Nothing else on it but the footers, and it is there so a two-sided card set starts on a right-hand
        # page: its fronts and backs print on one sheet.
        assert texts[n - 1].startswith("This page is intentionally blank. Grades K–2"), texts[n - 1]
        assert "· front" in texts[n] and "· back" in texts[n + 1] and (n + 1) % 2 == 1
    # Every other page prints something of its own beyond the footers.
    footer_only = [n for n, text in enumerate(texts, start=1) if len(text) < 80 and n not in blank]
    assert not footer_only, [texts[n - 1] for n in footer_only]


def test_every_lesson_that_asks_for_an_exit_ticket_prints_one(project: Path) -> None:
    shipped = load_project(ROOT)
    asking = [
        (module_id, band_id)
        for module_id, module in shipped.modules.items()
        for band_id, variant in module.bands.items()
        if variant.lesson and any(t.startswith("Exit ticket") for t in variant.lesson.check_for_understanding)
    ]
    assert len(asking) >= 10
    for module_id, band_id in asking:
        module = shipped.modules[module_id]
        lesson = module.bands[band_id].lesson
        assert lesson is not None
        kinds = [
            module.materials[key].kind
            for key in (getattr(use, "provided", None) for use in lesson.materials)
            if key
        ]
        assert "exit-ticket" in kinds, (module_id, band_id)
    # A lesson that asks for one and prints none is named (file:line) by 'handouts check --strict'.
    path = project / "curriculum/modules/body-safety.yaml"
    text = path.read_text()
    use = '        - text: "Exit tickets"\n          provided: exit-ticket\n'
    assert text.count(use) == 1
    path.write_text(text.replace(use, ""))
    result = run("-C", project, "check", "--strict")
    assert result.exit_code == 1
    assert re.search(
        r"body-safety\.yaml:\d+:\d+: warning: the lesson asks for an exit ticket that nobody prints",
        result.output,
    ), result.output


def test_an_exit_ticket_asking_two_things_prints_three_to_a_page(tmp_path: Path) -> None:
    result = run(
        "-C", ROOT, "build", "-l", "en-US", "-b", "grades-6-8", "-m", "getting-help", "-k", "materials",
        "--out", tmp_path, "-j", "1", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "en-US/grades-6-8/getting-help.materials.pdf")
    texts = [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
    page = next(text for text in texts if "One per student (three to a page)" in text)
    # Both questions on each of the three tickets (nothing clipped by the ticket's edge).
    assert page.count("Put the four steps in order and explain one of them.") == 3
    assert page.count("Name two things to screenshot and one thing never to save.") == 3


def test_a_one_page_picture_sheet_stays_one_page_under_a_draft_notice(tmp_path: Path) -> None:
    result = run(
        "-C", ROOT, "build", "-l", "es-US", "-b", "grades-k-2", "-m", "body-safety", "-k", "materials",
        "--out", tmp_path, "-j", "1", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (entry,) = manifest["documents"]
    fits = {fit["part"]: fit for fit in entry["fit"]}
    # The swimsuit picture and the hand to trace: one page each, the picture a little smaller in Spanish.
    for title in ("Las partes que cubre el traje de baño son privadas", "Mi mano de ayuda"):
        fit = fits[f"Mi cuerpo es mío: {title}"]
        assert fit["pages"] == 1 and fit["spacing"] < 1.0, fit
    reader = PdfReader(tmp_path / "es-US/grades-k-2/body-safety.materials.pdf")
    first = reader.pages[0].extract_text() or ""
    assert "Las partes que cubre" in first and "/XObject" in reader.pages[0]["/Resources"]


def test_chinese_and_arabic_young_card_sets_fit_their_cards_in_large_type(tmp_path: Path) -> None:
    # A Chinese character takes about two Latin letters' room, and Chinese and Arabic lines stand taller
    # than Latin ones: the surprise-or-secret cards overflowed their cut lines in both languages.
    result = run(
        "-C", ROOT, "build", "-l", "ar-US", "-l", "zh-CN", "-b", "grades-k-2", "-m", "body-safety",
        "-k", "materials", "--out", tmp_path, "-j", "2", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "does not fit its card" not in result.output
    sizes: dict[str, float] = {}
    with pdfplumber.open(tmp_path / "zh-Hans-CN/grades-k-2/body-safety.materials.pdf") as pdf:
        page = next(page for page in pdf.pages if "惊喜还是秘密？" in (page.extract_text() or ""))
        for char in page.chars:
            sizes.setdefault(char["text"], round(char["size"], 1))
    # Two lines of Chinese keep the read-aloud type (15 pt × 1.35); 22 characters, as wide as some
    # 44 Latin letters, take the smaller type a long English card takes (15 pt × 1.1).
    assert sizes["爷"] == 20.2 and sizes["戏"] == 16.5, sizes
    with pdfplumber.open(tmp_path / "ar-US/grades-k-2/body-safety.materials.pdf") as pdf:
        # The characters in read-aloud type, in the order they are drawn (right to left, so reversed).
        large = "".join(c["text"] for page in pdf.pages for c in page.chars if round(c["size"], 1) == 20.2)
    # The short Arabic cards (two lines each) keep the read-aloud type too.
    assert "شخص يقول" in large[::-1] and "صنع هدية لصديقة" in large[::-1], large


def test_display_width_counts_a_chinese_character_as_two_latin_letters() -> None:
    from handouts.render import display_width

    assert display_width("Pass") == 4
    assert display_width("我们给爷爷做生日蛋糕，") == 22
    assert display_width("صفّنا") == 4  # the shadda is a mark above a letter: no room of its own
