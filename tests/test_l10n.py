"""Localization at scale: one bad entry stops only its language, tags people use, gaps named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handouts.i18n import catalog_chain, check_translation, parse_locale

from .conftest import pdf_text, run

FIXTURES = Path(__file__).parent / "fixtures" / "l10n"


def add_catalog(project: Path, folder: str, into: str = "") -> Path:
    """Copy a small real catalog from tests/fixtures/l10n into the project (its entries win over
    the shipped catalog of that language); its path. ``into``: the folder of a language
    handouts does not ship, for a catalog whose every other string is a gap."""
    target = project / "locales" / (into or folder)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(FIXTURES / folder, target)
    po = target / "LC_MESSAGES" / "families.po"
    if into:
        po.write_text(po.read_text().replace(f"Language: {folder}", f"Language: {into}"))
    return po


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


# --- point 3: the digit rule refuses what could be dialled, allows what a language needs ----------


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Grade 4", "CM1"),
        ("Grade 6", "6e"),
        ("Ages 5 to 8", "5–8 ans"),
        ("For children from 10 to 12", "Pour les enfants de 10-12 ans"),
        ("Grades 3–5 (ages 8–11)", "Years 4–6 (ages 8–11)"),
        ("Call 911", "Llama al 911"),
        ("Call 800-843-5678", "Llame al 800 843 5678"),
    ],
)
def test_short_numbers_a_language_needs_are_allowed(msgid: str, msgstr: str) -> None:
    assert check_translation(msgid, msgstr) is None


@pytest.mark.parametrize(
    ("msgstr", "digits"),
    [
        ("appelez le 119", "119"),
        ("appelez le 1 1 9", "119"),
        ("appelez le 1 19", "119"),
        ("appelez le 11.9", "119"),
        ("appelez le 01 23 45 67 89", "0123456789"),
        ("appelez le 01-23-45", "012345"),
        ("appelez le 3020", "3020"),
    ],
)
def test_what_could_be_dialled_is_refused(msgstr: str, digits: str) -> None:
    reason = check_translation("Call for help", msgstr) or ""
    assert "digits" in reason and digits in reason, reason


def test_chinese_sentences_are_not_hosts_but_an_ascii_host_after_a_chinese_full_stop_is() -> None:
    promise = "Your body belongs to you. You can come to me. You will not be in trouble."
    assert check_translation(promise, "你的身体属于你。你可以来找我。你不会有麻烦。") is None
    assert "web address" in (check_translation("Get help", "访问example。com获得帮助") or "")


# --- point 3: one broken catalog fails only its language -----------------------------------------


def test_a_broken_french_entry_does_not_stop_english_or_spanish(project: Path, tmp_path: Path) -> None:
    po = add_catalog(project, "fr")
    po.write_text(po.read_text() + '\nmsgid "Where to get help (call)"\nmsgstr "Appelez le 119"\n')
    out = tmp_path / "out"
    args = ["-C", project, "build", "-m", "body-safety", "-b", "grades-3-5", "-k", "handout", "--out", out]
    result = run(*args, "-l", "en-US", "-l", "es-US", "-l", "fr-FR", "-j", "2")
    assert result.exit_code == 1, result.output
    assert (out / "en-US/grades-3-5/body-safety.handout.pdf").exists()
    assert (out / "es-US/grades-3-5/body-safety.handout.pdf").exists()
    assert not (out / "fr-FR").exists()
    line = line_of(po, "Appelez le 119")
    shown = "locales/fr/LC_MESSAGES/families.po"
    expected = (
        f"{shown}:{line}: msgid 'Where to get help (call)': the translation brings its own digits (119)"
    )
    assert expected in result.output
    assert "2 built" in result.output and "1 failed" in result.output
    assert "Dónde conseguir ayuda" in pdf_text(out / "es-US/grades-3-5/body-safety.handout.pdf")
    manifest = {
        entry["path"]: entry for entry in json.loads((out / "manifest.json").read_text())["documents"]
    }
    assert manifest["fr-FR/grades-3-5/body-safety.handout.pdf"]["status"] == "failed"
    # `handouts check` names the same entry, and fails.
    checked = run("-C", project, "check")
    assert checked.exit_code == 1 and expected in checked.output


# --- point 5: tags people use ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "canonical", "catalog"),
    [
        ("zh-CN", "zh-Hans-CN", "zh-hans"),
        ("zh-SG", "zh-Hans-SG", "zh-hans"),
        ("zh-US", "zh-Hans-US", "zh-hans"),
        ("zh_hans_us", "zh-Hans-US", "zh-hans"),
        ("zh-TW", "zh-Hant-TW", "zh-hant"),
        ("zh-HK", "zh-Hant-HK", "zh-hant"),
        ("zh-Hant-US", "zh-Hant-US", "zh-hant"),
        ("es-US", "es-US", "es"),
        ("en-GB", "en-GB", "en-001"),
    ],
)
def test_tags_people_use_find_their_script(tag: str, canonical: str, catalog: str) -> None:
    locale = parse_locale(tag)
    assert locale.tag == canonical
    assert catalog in catalog_chain(locale)


def test_traditional_chinese_never_falls_back_to_a_simplified_catalog() -> None:
    assert "zh" not in catalog_chain(parse_locale("zh-TW"))


def test_zh_cn_and_zh_us_build_from_the_simplified_catalog_into_one_spelling(
    project: Path, tmp_path: Path
) -> None:
    add_catalog(project, "zh_Hans")
    out = tmp_path / "out"
    args = ["-C", project, "build", "-k", "flyer", "-m", "body-safety", "-b", "adults", "--out", out]
    result = run(*args, "-l", "zh-CN", "-l", "zh-us", "--allow-fallback", "-j", "2")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir() if path.is_dir() and not path.name.startswith(".")) == [
        "zh-Hans-CN",
        "zh-Hans-US",
    ]
    assert "哪里可以获得帮助" in pdf_text(out / "zh-Hans-US/adults/body-safety.flyer.pdf").replace(" ", "")
    refused = run(*args, "-l", "zh-TW")
    assert refused.exit_code == 2 and "handouts i18n init zh_Hant" in refused.output


# --- point 2: every gap named ---------------------------------------------------------------------


def test_status_names_every_gap_with_its_po_line(project: Path, tmp_path: Path) -> None:
    po = add_catalog(project, "fr", into="de")  # every string not in the fixture a gap
    toml = project / "handouts.toml"
    toml.write_text(toml.read_text().replace('locales = ["en-US", "es-US"]', 'locales = ["en-US", "de-DE"]'))
    result = run("-C", project, "i18n", "status", "--kind", "flyer", "--module", "body-safety", "--missing")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("de-DE"))
    assert row.split()[1] == "flyer" and row.endswith("no (draft)")
    strings, translated, fuzzy, missing = (int(cell) for cell in row.split()[2:6])
    assert translated == 3 and strings == translated + fuzzy + missing
    shown = "locales/de/LC_MESSAGES/families.po"
    assert f'{shown}:{line_of(po, "In an emergency")}: "In an emergency"' in result.output
    assert 'locales/de/LC_MESSAGES: (no entry; run `handouts i18n update`): "Call %(name)s' in result.output
    assert "Where to get help" not in result.output.split("percent")[1]  # translated: not a gap
    checked = run("-C", project, "i18n", "status", "--check", "--kind", "flyer", "--module", "body-safety")
    assert checked.exit_code == 1 and "de-DE" in checked.output
    # A skipped product's message names its gaps the same way (the first five, then a count),
    # and the manifest lists it.
    out = tmp_path / "out"
    built = run("-C", project, "build", "-l", "de-DE", "-k", "flyer", "-m", "body-safety", "--out", out)
    assert built.exit_code == 1, built.output
    assert "strings untranslated or fuzzy): locales/de/LC_MESSAGES" in built.output
    assert f"and {missing + fuzzy - 5} more" in built.output
    entry = json.loads((out / "manifest.json").read_text())["documents"][0]
    assert entry["status"] == "skipped" and entry["translation"]["missing"] == missing
    # `handouts check` warns of the gaps of the default locales, at their entries.
    warned = run("-C", project, "check")
    assert f'{shown}:{line_of(po, "In an emergency")}: warning: de-DE: untranslated "In an emergency"' in (
        warned.output
    )


# --- point 1: the workflow commands -------------------------------------------------------------


def test_init_update_and_check_in_an_organizations_project(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "org"
    assert run("init", folder).exit_code == 0
    # A language handouts does not ship (a shipped one is an override set, left to its project).
    result = run("-C", folder, "i18n", "init", "zh-hant")
    assert result.exit_code == 0, result.output
    po = folder / "locales/zh_Hant/LC_MESSAGES/families.po"
    for audience in ("students", "teachers"):
        assert (po.parent / f"{audience}.po").is_file()
    text = po.read_text()
    assert '"Language: zh_Hant\\n"' in text and "nplurals=1" in text and 'msgid "Where to get help"' in text
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)
    assert run("-C", folder, "i18n", "init", "zh_Hant").exit_code == 1  # never overwrites
    assert run("-C", folder, "i18n", "init", "en_GB").exit_code == 2  # English is the source
    assert run("-C", folder, "i18n", "update", "--check").exit_code == 0
    po.write_text(text.replace('msgid "Where to get help"\nmsgstr ""\n', ""))
    stale = run("-C", folder, "i18n", "update", "--check")
    assert stale.exit_code == 1 and f"{po}: out of date" in stale.output
    assert 'msgid "Where to get help"' not in po.read_text()  # --check writes nothing
    assert run("-C", folder, "i18n", "update").exit_code == 0
    assert 'msgid "Where to get help"' in po.read_text()
    assert run("-C", folder, "i18n", "update", "--check").exit_code == 0
    # A new catalog's strings are all gaps; status lists it in the region of the default locales.
    status = run("-C", folder, "i18n", "status", "-k", "cards")
    assert status.exit_code == 0 and "zh-Hant-US" in status.output


def test_the_shipped_template_and_catalogs_are_up_to_date() -> None:
    from .conftest import ROOT

    result = run("-C", ROOT, "i18n", "update", "--check")
    assert result.exit_code == 0, result.output + "\nrun: make locales"


def test_what_families_receive_needs_only_families_po() -> None:
    from babel.messages.pofile import read_po

    from handouts.coverage import survey
    from handouts.project import load_project
    from handouts.workflow import AUDIENCES, product_audience

    from .conftest import ROOT

    held = {}
    for audience in AUDIENCES:
        with (ROOT / f"locales/{audience}.pot").open("rb") as handle:
            held[audience] = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for item in survey(load_project(None), [parse_locale("es-US")]):
        target = item.target
        audience = product_audience(target.kind, target.band, target.variant)
        allowed = set().union(*(held[a] for a in AUDIENCES[: AUDIENCES.index(audience) + 1]))
        assert item.strings <= allowed, (target.path, sorted(item.strings - allowed)[:3])
    assert len(held["families"]) < len(held["teachers"])  # a volunteer starts with far fewer


def test_update_splits_a_single_catalog_of_old_keeping_every_entry(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    assert run("init", folder).exit_code == 0
    legacy = folder / "locales/de/LC_MESSAGES/handouts.po"  # a language handouts does not ship
    legacy.parent.mkdir(parents=True)
    french = (FIXTURES / "fr/LC_MESSAGES/families.po").read_text()
    legacy.write_text(
        french.replace("Language: fr", "Language: de").replace("Où trouver de l'aide", "Wo es Hilfe gibt")
    )
    result = run("-C", folder, "i18n", "update")
    assert result.exit_code == 0, result.output
    assert not legacy.exists() and "removed" in result.output
    families = (legacy.parent / "families.po").read_text()
    assert 'msgid "Where to get help"\nmsgstr "Wo es Hilfe gibt"' in families
    assert '"Language: de\\n"' in families
    assert run("-C", folder, "i18n", "update", "--check").exit_code == 0


@pytest.mark.parametrize(("msgstr", "lost"), [("Llama al 91", "911"), ("Llama al 9 1", "911")])
def test_a_translation_may_not_drop_or_change_a_number_of_the_source(msgstr: str, lost: str) -> None:
    reason = check_translation("Call 911", msgstr) or ""
    assert "drops or changes" in reason and lost in reason, reason


# --- point 6: scripts printed right ----------------------------------------------------------------


def _flyer(project: Path, out: Path, *locales: str) -> str:
    args: list[str | Path] = ["-C", project, "build", "-k", "flyer", "-m", "body-safety", "-b", "adults"]
    for locale in locales:
        args += ["-l", locale]
    result = run(*args, "--allow-fallback", "--out", out, "-j", "2")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Flyers from the small Arabic and Chinese catalogs (English for the rest, marked)."""
    from .conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("scripts"))
    for folder in ("ar", "zh_Hans", "zh_Hant"):
        add_catalog(project, folder)
    # Content edited after translation: the lead is a new string, printed in English until translated.
    module = project / "curriculum/modules/body-safety.yaml"
    module.write_text(
        module.read_text().replace("later, online and offline.", "later, online and offline, always.")
    )
    _flyer(project, project / "out", "ar-US", "zh-CN", "zh-TW")
    return project / "out"


def test_an_arabic_page_is_right_to_left_and_its_english_fallback_is_tagged_english(scripts: Path) -> None:
    import pikepdf

    from handouts.tagging import struct_elements

    pdf = scripts / "ar-US/adults/body-safety.flyer.pdf"
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "ar-US"
        langs = [str(element.get("/Lang")) for element in struct_elements(document.Root.StructTreeRoot)]
    assert langs.count("en") >= 1  # each English passage a /Span /Lang en
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "أين تجد المساعدة" in text or "أين تجد المساعدة"[::-1] in text
    assert "later, online and offline, always." in text and ".always" not in text  # not mirrored
    assert "1-800-843-5678" in text and "https://report.cybertip.org" in text  # numbers, links whole


def test_fallback_marks_become_english_spans_but_never_inside_a_tag() -> None:
    from handouts.render import FALLBACK_END as E
    from handouts.render import FALLBACK_START as S
    from handouts.render import mark_fallback

    html = (
        f'<html><head><title>{S}Flyer{E}</title></head><body><a aria-label="{S}Call{E}">{S}Call{E}</a></body>'
    )
    assert mark_fallback(html) == (
        '<html><head><title>Flyer</title></head><body><a aria-label="Call">'
        '<span lang="en" dir="ltr">Call</span></a></body>'
    )


def test_chinese_lines_never_start_with_closing_punctuation(scripts: Path) -> None:
    import pdfplumber

    with pdfplumber.open(scripts / "zh-Hans-CN/adults/body-safety.flyer.pdf") as pdf:
        lines = [line["text"] for line in pdf.pages[0].extract_text_lines()]
    chinese = [line for line in lines if any("\u4e00" <= char <= "\u9fff" for char in line)]
    assert len(chinese) >= 4, lines
    assert not [line for line in chinese if line[0] in "，。、：；！？）」』"], chinese


def test_traditional_chinese_is_drawn_with_its_own_glyphs(scripts: Path) -> None:
    import subprocess

    fonts = subprocess.run(
        ["pdffonts", scripts / "zh-Hant-TW/adults/body-safety.flyer.pdf"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CJK-TC" in fonts and "CJK-SC" not in fonts


def test_a_character_no_font_can_draw_fails_its_language_with_its_po_line(
    project: Path, tmp_path: Path
) -> None:
    import subprocess

    amulet = "\U0001f9ff"
    if subprocess.run(["fc-list", ":charset=1f9ff"], capture_output=True, text=True).stdout.strip():
        pytest.skip("a font on this machine draws U+1F9FF")
    po = add_catalog(project, "ar")
    po.write_text(po.read_text().replace('msgstr "اتصل"', f'msgstr "اتصل {amulet}"'))
    out = tmp_path / "out"
    args = ["-C", project, "build", "-k", "flyer", "-m", "body-safety", "-b", "adults", "--out", out]
    result = run(*args, "-l", "ar-US", "-l", "en-US", "--allow-fallback")
    assert result.exit_code == 1
    line = line_of(po, amulet)
    assert (
        f"locales/ar/LC_MESSAGES/families.po:{line}: msgid 'Call': no font can draw U+1F9FF" in result.output
    )
    assert "NAZAR AMULET" in result.output and (out / "en-US/adults/body-safety.flyer.pdf").exists()


def test_the_default_locales_have_no_gaps() -> None:
    from .conftest import ROOT

    result = run("-C", ROOT, "i18n", "status", "--check")
    assert result.exit_code == 0, result.output
    assert "es-US" in result.output and "100.0%" in result.output


def test_a_chinese_sentence_followed_by_a_name_or_latin_word_is_not_a_host() -> None:
    """ "照片。Take It Down" ends one sentence and names a service the source names too."""
    source = "Do not send the photo. Take It Down can help. They may use AI to fake pictures."
    assert check_translation(source, "不要发送照片。Take It Down可以帮忙。照片。他们用AI伪造图片。") is None
    assert "web address" in (check_translation(source, "不要发送照片。例子。com") or "")


def test_a_translation_too_long_for_two_pages_takes_a_third_but_english_never_does(tmp_path: Path) -> None:
    """French runs about a quarter longer than the English: its handout takes three pages, at a
    size its readers allow, instead of failing; the English source keeps to two."""
    from pypdf import PdfReader

    from .conftest import ROOT

    out = tmp_path / "out"
    args = ["-C", ROOT, "build", "-k", "handout", "-m", "saying-no", "-b", "grades-6-8", "--out", out]
    result = run(*args, "-l", "fr-CA", "-l", "en-US", "-j", "2")
    assert result.exit_code == 0, result.output
    french = PdfReader(out / "fr-CA/grades-6-8/saying-no.handout.pdf")
    assert len(french.pages) == 3
    assert "Où obtenir de l’aide" in french.pages[2].extract_text()
    assert len(PdfReader(out / "en-US/grades-6-8/saying-no.handout.pdf").pages) == 2


@pytest.mark.parametrize(
    "msgstr", ["Reçois 1\u00a0000 pièces gratuites", "Nhận 1.000 xu miễn phí", "1’000 Münzen"]
)
def test_a_number_grouped_in_thousands_the_languages_way_is_the_same_number(msgstr: str) -> None:
    assert check_translation("Get 1,000 free coins", msgstr) is None
    assert "1001" in (check_translation("Get 1,000 free coins", msgstr.replace("000", "001")) or "")
