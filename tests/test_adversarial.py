"""Hostile input, one class per test: refused with exit 1 or 2, file:line, no traceback, nothing lost.

Each test breaks a private copy of the shipped project the way an attacker or a
careless edit would (issue 15) and asserts what the user sees.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import one_handout, pdf_text, run

PO = "locales/es/LC_MESSAGES/families.po"
US = "curriculum/resources/US.yaml"
MODULE = "curriculum/modules/body-safety.yaml"


# --- helpers ------------------------------------------------------------------


def refused(result: Result, code: int = 1) -> str:
    """The output of a run that must have been refused cleanly with ``code``."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


def translate(project: Path, msgid: str, msgstr: str) -> int:
    """Give ``msgid`` the raw PO string ``msgstr`` in the Spanish copy; the msgstr's line."""
    path = project / PO
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf'^msgid "{re.escape(msgid)}"\nmsgstr ".*"$', re.M)
    found = pattern.search(text)
    assert found, msgid
    replacement = f'msgid "{msgid}"\nmsgstr "{msgstr}"'
    path.write_text(text[: found.start()] + replacement + text[found.end() :], encoding="utf-8")
    return text[: found.start()].count("\n") + 2


def edit(project: Path, relative: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a project file with ``new``; the 1-based line it stood on."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- translations are judged by what the reader sees -------------------------------------


@pytest.mark.parametrize(
    ("msgstr", "reason"),
    [
        ("Denuncia en ayuda-falsa.mx/denuncia", "web address (ayuda-falsa.mx/denuncia)"),
        ("Ayuda: bit.ly/ayuda", "web address (bit.ly/ayuda)"),
        ("Ayuda en https&colon;&sol;&sol;falso", "character references"),
        ("Escribe a ayuda&commat;falso", "character references"),
        ("Escribe a ayuda＠ejemplo．es", "e-mail address (ayuda@ejemplo.es)"),
        ("Llama al 9\\u200b1\\u200b1", "invisible or control characters (U+200B)"),
        ("Llama al ９１１", "digits (911)"),
        ("\u202edaduya regesnoc", "invisible or control characters (U+202E)"),
        ("Ayuda\u2066 oculta\u2069", "U+2066"),
        ("Ayuda\\x01", "control characters (U+0001)"),
        ("&lt;b&gt;Ayuda", "character references"),
    ],
)
def test_translation_smuggling_by_another_spelling_is_refused_with_its_po_line(
    project: Path, msgstr: str, reason: str
) -> None:
    msgstr = msgstr.replace("\\u200b", "\u200b").replace("\\x01", "\x01")
    line = translate(project, "Where to get help", msgstr)
    out = refused(run("-C", project, "check"))
    assert f"{PO}:{line}: " in out and reason in out


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Grades 3–5 (ages 8–11)", "Grados 3–5 (de 8 a 11 años)"),
        ("In the US", "En EE.UU."),
        ("Visit stopncii.org.", "Visita stopncii.org."),
        ("Ages 12-24. 24/7 since late 2023", "De 12 a 24 años. 24/7 desde finales de 2023"),
    ],
)
def test_faithful_translations_pass(msgid: str, msgstr: str) -> None:
    from handouts.i18n import check_translation

    assert check_translation(msgid, msgstr) is None


def test_layout_label_prints_as_text_and_a_lone_percent_as_written(project: Path, tmp_path: Path) -> None:
    translate(project, "Where to get help", "Ayuda & apoyo: cien % gratis > nada")
    result = run(*one_handout(project, "es-US", tmp_path / "out"))
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out/es-US/grades-3-5/body-safety.handout.pdf")
    assert "Ayuda & apoyo: cien % gratis > nada" in text


# --- help-line data ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('url: "https://report.cybertip.org"', 'url: "https://report.cybertip.org/\u202egro.live"', "U+202E"),
        ('url: "https://report.cybertip.org"', 'url: "https://report\u200b.cybertip.org"', "U+200B"),
        ('organization: "', 'organization: "\u2067', "U+2067"),
        ('checked: "2026-11-25"', 'checked: "2026-02-30"', "'2026-02-30' is not a date of the calendar"),
        ('checked: "2026-11-25"', 'checked: "2999-01-01"', "'2999-01-01' is in the future"),
    ],
)
def test_help_line_field_with_hidden_characters_or_a_bad_date_is_refused(
    project: Path, old: str, new: str, reason: str
) -> None:
    line = edit(project, US, old, new)
    out = refused(run("-C", project, "check"))
    assert f"{US}:{line}:" in out and reason in out


# --- tracebacks become messages ----------------------------------------------------


def test_matrix_with_a_list_where_a_mapping_belongs_is_a_located_problem(project: Path) -> None:
    (project / "curriculum/matrix.yaml").write_text("# plan\nmodules:\n  - what-is-sextortion\n")
    out = refused(run("-C", project, "check"))
    assert "curriculum/matrix.yaml:2:" in out


def test_deeply_nested_yaml_is_refused_with_its_line(project: Path) -> None:
    (project / MODULE).write_text("id: body-safety\ntitle: " + "[" * 2000 + "]" * 2000 + "\n")
    out = refused(run("-C", project, "check"))
    assert f"{MODULE}:2:" in out and "nested more than" in out


def test_yaml_nested_by_indentation_is_refused_with_its_line(project: Path) -> None:
    """A thousand indented mappings (no brackets) are refused as deep, not a crash."""
    nested = "\n".join(" " * depth + f"k{depth}:" for depth in range(1200)) + " x\n"
    (project / MODULE).write_text("id: body-safety\ntitle:\n" + nested)
    out = refused(run("-C", project, "check"))
    assert f"{MODULE}:" in out and "nested more than 32 levels" in out and "Traceback" not in out


def test_non_utf8_yaml_names_the_bad_bytes_line_and_column(project: Path) -> None:
    path = project / MODULE
    path.write_bytes(path.read_bytes().replace(b"My Body", b"M\xe9 Body", 1))
    line = path.read_bytes().split(b"\xe9")[0].count(b"\n") + 1
    out = refused(run("-C", project, "check"))
    assert re.search(rf"{MODULE}:{line}:\d+: not UTF-8 text \(byte 0xe9", out), out


def test_nul_in_yaml_is_a_located_problem(project: Path) -> None:
    line = edit(project, MODULE, 'title: "My Body', 'title: "My\x00 Body')
    out = refused(run("-C", project, "check"))
    assert f"{MODULE}:{line}:" in out


def test_non_utf8_settings_name_line_and_column(project: Path) -> None:
    (project / "handouts.toml").write_bytes(b'[handouts]\norganization = "Caf\xe9"\n')
    out = refused(run("-C", project, "check"))
    assert "handouts.toml:2:20: not UTF-8 text" in out


def test_malformed_settings_name_the_line(project: Path) -> None:
    (project / "handouts.toml").write_text('[handouts]\norganization = "x"\n[handouts\n')
    out = refused(run("-C", project, "check"))
    assert "handouts.toml:3:" in out and "not valid TOML" in out


def test_misspelt_handouts_table_is_refused_with_did_you_mean(project: Path) -> None:
    (project / "handouts.toml").write_text('# settings\n[handout]\norganization = "Our school"\n')
    out = refused(run("-C", project, "check"))
    assert "handouts.toml:2: [handout]: unknown table; did you mean [handouts]?" in out


def test_hidden_character_in_settings_is_refused(project: Path) -> None:
    (project / "handouts.toml").write_text('[handouts]\norganization = "Our\u202e school"\n')
    out = refused(run("-C", project, "check"))
    assert "handouts.toml:2: handouts.organization: contains invisible" in out


def test_own_help_entry_with_a_bidi_override_is_refused(project: Path) -> None:
    (project / "handouts.toml").write_text(
        '[handouts]\n[[handouts.local]]\nname = "Our line"\ndescription = "Talk to us"\n'
        'audience = "both"\nurl = "https://example.org/\u202egro.live"\n'
    )
    out = refused(run("-C", project, "check"))
    assert "handouts.toml:6: handouts.local.0.url: contains invisible" in out and "U+202E" in out


def test_type_error_in_reviews_names_the_line(project: Path) -> None:
    (project / "locales/reviews.toml").write_text("# reviews\n[es]\nreviewed_by = 3\n")
    out = refused(run("-C", project, "check"))
    assert "locales/reviews.toml:3: [es] reviewed_by must be text" in out


def test_review_of_a_catalog_that_does_not_exist_fails_check(project: Path) -> None:
    reviews = '[es]\nreviewed_by = "Ana, 2026"\n[de]\nreviewed_by = "Luc"\n'
    (project / "locales/reviews.toml").write_text(reviews)
    out = refused(run("-C", project, "check"))
    assert "locales/reviews.toml:4: [de] records a review of a catalog that does not exist" in out


def test_a_refused_stylesheet_fails_each_document_cleanly_with_two_workers(
    project: Path, tmp_path: Path
) -> None:
    style = project / "layouts/style.css"
    style.write_text('@import url("file:///etc/passwd");\n' + style.read_text())
    args = (*one_handout(project, "en-US", tmp_path / "out"), "-l", "es-US", "-j", "2")
    out = refused(run(*args))
    assert "BrokenProcessPool" not in out
    assert out.count("style.css") >= 2 and "2 document(s) failed" in out


# --- resource limits ---------------------------------------------------------------


def test_billion_laughs_is_refused_fast_before_any_expansion(project: Path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(9)]
    (project / MODULE).write_text("\n".join(rows) + "\n")
    started = time.perf_counter()
    out = refused(run("-C", project, "check"))
    assert time.perf_counter() - started < 10
    assert f"{MODULE}:1:4: anchors and aliases" in out


def test_huge_string_and_huge_file_are_refused(project: Path) -> None:
    line = edit(project, MODULE, 'title: "My Body Belongs to Me"', f'title: "{"a" * 30_000}"')
    out = refused(run("-C", project, "check"))
    assert f"{MODULE}:{line}:" in out and "text too long (30,000 characters" in out
    (project / MODULE).write_text("# padding\n" * 200_000)
    out = refused(run("-C", project, "check"))
    assert f"{MODULE}: file too large" in out


def test_huge_translation_is_refused(project: Path) -> None:
    line = translate(project, "Where to get help", "ayuda " * 4000)
    out = refused(run("-C", project, "check"))
    assert f"{PO}:{line}: msgid 'Where to get help': the translation is too long" in out


# --- catalog integrity ---------------------------------------------------------------


def test_fuzzy_header_means_the_catalog_is_not_ready(project: Path) -> None:
    edit(project, PO, 'msgid ""\nmsgstr ""\n"Project', '#, fuzzy\nmsgid ""\nmsgstr ""\n"Project')
    out = refused(run("-C", project, "check"))
    assert f"{PO}:6: the header is marked fuzzy" in out


def test_duplicate_msgid_is_an_error_with_its_line(project: Path) -> None:
    path = project / PO
    path.write_text(path.read_text() + '\nmsgid "Where to get help"\nmsgstr "Otra"\n')
    line = len(path.read_text().splitlines()) - 1
    out = refused(run("-C", project, "check"))
    assert f"{PO}:{line}: " in out and "duplicate entry" in out


def test_unterminated_string_is_an_error_with_its_line(project: Path) -> None:
    line = edit(project, PO, 'msgstr "Dónde conseguir ayuda"', 'msgstr "Dónde conseguir ayuda')
    out = refused(run("-C", project, "check"))
    assert f"{PO}:{line}:1: an unterminated string" in out


@pytest.mark.parametrize("charset", ["klingon", "ISO-8859-1"])
def test_catalog_charset_must_be_utf8(project: Path, charset: str) -> None:
    line = edit(project, PO, "charset=utf-8", f"charset={charset}")
    out = refused(run("-C", project, "check"))
    assert f"{PO}:{line}: charset '{charset}': catalogs must be UTF-8" in out


def test_empty_catalog_is_named(project: Path) -> None:
    (project / PO).write_text("")
    out = refused(run("-C", project, "check"))
    assert f"{PO}: empty catalog" in out


# --- the writer ---------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["layouts", "curriculum", "curriculum/modules", "locales", "assets"])
def test_output_inside_the_sources_is_a_usage_error(project: Path, folder: str) -> None:
    before = sorted(p.name for p in (project / folder).rglob("*")) if (project / folder).exists() else []
    out = refused(run(*one_handout(project, "en-US", project / folder)), code=2)
    assert "inside the project's sources" in out and "--out" in out
    after = sorted(p.name for p in (project / folder).rglob("*")) if (project / folder).exists() else []
    assert after == before


def test_second_build_stops_naming_the_first_and_the_manifest_stays_true(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(*one_handout(project, "en-US", out)).exit_code == 0
    pdf = out / "en-US/grades-3-5/body-safety.handout.pdf"
    good = digest(pdf)
    with open(out / ".handouts.lock", "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder.write("4242\n")
        holder.flush()
        message = refused(run(*one_handout(project, "en-US", out), "--force"))
    assert "another build (process 4242) is writing to" in message
    assert digest(pdf) == good
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["documents"]:
        assert entry["sha256"] == digest(out / entry["path"])
    assert run(*one_handout(project, "en-US", out)).exit_code == 0  # free again: builds
    assert os.path.getsize(out / ".handouts.lock") == 0  # and lets go when done
