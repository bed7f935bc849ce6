"""An organization's own project: installed tool, `handouts init`, branding, overrides, local contacts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from .conftest import ROOT, pdf_text, run

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="40" height="40" rx="8" fill="#5b2a86"/></svg>'
)
BRANDING = """
organization = "Riverside Family Alliance"
logo = "assets/logo.svg"
accent_color = "#5b2a86"
locales = ["en-GB"]

[handouts.contact]
phone = "020 7946 0000"
website = "https://riverside.example.org"

[[handouts.local]]
name = "Riverside Library family desk"
description = "Ask a librarian for a private room and help finding support."
phone = "020 7946 0101"
audience = "adults"
"""


def _organization(folder: Path, settings: str = BRANDING) -> Path:
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    (folder / "assets/logo.svg").write_text(LOGO)
    text = (folder / "handouts.toml").read_text()
    head, _, _ = text.partition('organization = ""')
    (folder / "handouts.toml").write_text(head + settings)
    return folder


def test_init_writes_a_small_commented_project_and_refuses_to_overwrite(tmp_path: Path) -> None:
    result = run("init", tmp_path / "myorg")
    assert result.exit_code == 0, result.output
    settings = (tmp_path / "myorg/handouts.toml").read_text()
    for key in (
        "organization",
        "logo",
        "accent_color",
        "[handouts.contact]",
        "[[handouts.local]]",
        "locales",
    ):
        assert key in settings
    for folder in ("curriculum/modules", "curriculum/resources", "layouts", "locales", "assets"):
        assert (tmp_path / "myorg" / folder / "README.md").is_file()
    again = run("init", tmp_path / "myorg")
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_nonprofit_flyer_carries_its_name_logo_colour_and_local_contact_first(tmp_path: Path) -> None:
    project = _organization(tmp_path / "myorg")
    result = run("-C", project, "build", "--kind", "flyer", "--locale", "en-GB", "-m", "warning-signs")
    assert result.exit_code == 0, result.output
    path = project / "output/en-GB/adults/warning-signs.flyer.pdf"
    text = pdf_text(path)
    assert text.count("Riverside Family Alliance") >= 2  # masthead, contact block (and footer)
    assert "020 7946 0000" in text and "https://riverside.example.org" in text
    assert text.index("Riverside Library family desk") < text.index("CEOP")  # local first, then UK lines
    assert "LOCAL CONTACT" in text  # the kind label, set in capitals
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 for GB
        colours = {tuple(round(c, 2) for c in char["non_stroking_color"] or ()) for char in page.chars}
        assert (0.36, 0.16, 0.53) in colours  # the title in #5b2a86
        assert page.rects or page.curves  # the logo is drawn


def test_a_project_overrides_a_built_in_module_and_layout_and_adds_a_module(tmp_path: Path) -> None:
    project = _organization(tmp_path / "myorg")
    module = (ROOT / "curriculum/modules/warning-signs.yaml").read_text()
    own = module.replace("Warning Signs: When a Child May Be at Risk Online", "Signs Our Town Watches For")
    (project / "curriculum/modules/warning-signs.yaml").write_text(own)
    added = module.replace('id: "warning-signs"', 'id: "town-hall"')
    (project / "curriculum/modules/town-hall.yaml").write_text(added)
    layout = (ROOT / "layouts/flyer.html").read_text()
    (project / "layouts/flyer.html").write_text(
        layout.replace("<h1>{{ title }}</h1>", "<h1>Town: {{ title }}</h1>")
    )
    listing = run("-C", project, "list").output
    assert "curriculum/modules/warning-signs.yaml (overrides built-in)" in listing
    assert "curriculum/modules/town-hall.yaml (added)" in listing
    assert "layouts/flyer.html (overrides built-in)" in listing
    result = run("-C", project, "build", "-k", "flyer", "-m", "warning-signs", "-m", "town-hall")
    assert result.exit_code == 0, result.output
    assert "Town: Signs Our Town Watches For" in pdf_text(
        project / "output/en-GB/adults/warning-signs.flyer.pdf"
    )
    assert "Town: Warning Signs" in pdf_text(project / "output/en-GB/adults/town-hall.flyer.pdf")


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ('accent_color = "#f5d90a"', "accent_color #f5d90a has a contrast of 1.4:1 against white"),
        ('logo = "assets/missing.svg"', "logo 'assets/missing.svg': no such file in the project folder"),
        ('logo = "../outside.svg"', "logo '../outside.svg': must be a file inside the project folder"),
        ('logo = "assets/README.md"', "must be an SVG or PNG image"),
        ('logo = "assets/fake.png"', "is not a PNG image"),
        ('logo = "assets/huge.svg"', "a logo may be at most 2 MB"),
        ('accent_colour = "#5b2a86"', "'accent_colour': unknown setting; did you mean 'accent_color'?"),
        ('[handouts.contact]\nphone = "call us"', "contact.phone"),
    ],
)
def test_each_bad_branding_setting_is_named_with_its_line(tmp_path: Path, setting: str, says: str) -> None:
    project = _organization(tmp_path / "myorg", f'organization = "X"\n{setting}\n')
    (tmp_path / "outside.svg").write_text(LOGO)
    (project / "assets/fake.png").write_text("not a picture")
    (project / "assets/huge.svg").write_text(LOGO + " " * (2 * 1024 * 1024))
    result = run("-C", project, "check")
    assert result.exit_code == 1
    assert says in result.output
    assert "handouts.toml:" in result.output and "Traceback" not in result.output


def test_a_local_contact_without_a_translation_is_named_with_its_catalog(tmp_path: Path) -> None:
    project = _organization(
        tmp_path / "myorg", BRANDING.replace('locales = ["en-GB"]', 'locales = ["es-GB"]')
    )
    result = run("-C", project, "build", "-k", "flyer", "-m", "warning-signs")
    assert result.exit_code == 1
    assert "local contact 'Riverside Library family desk' (description)" in result.output
    assert "locales/es/LC_MESSAGES/families.po" in result.output
    catalog = project / "locales/es/LC_MESSAGES/handouts.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Ask a librarian for a private room and help finding support."\n'
        'msgstr "Pida a un bibliotecario una sala privada y ayuda para encontrar apoyo."\n'
    )
    result = run("-C", project, "build", "-k", "flyer", "-m", "warning-signs")
    assert result.exit_code == 0, result.output
    text = pdf_text(project / "output/es-GB/adults/warning-signs.flyer.pdf")
    assert "Pida a un bibliotecario" in text and "CONTACTO LOCAL" in text


def test_installed_tool_builds_an_organization_flyer_outside_the_repository(tmp_path: Path) -> None:
    """pip install of the repository (a wheel: the built-in content is package data), used elsewhere."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, ROOT],
        check=True,
        capture_output=True,
    )
    assert (target / "handouts/builtin/curriculum/modules/body-safety.yaml").is_file()
    assert not (target / "handouts/builtin/curriculum").is_symlink()
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    command = [sys.executable, "-c", "from cli import main; main()"]
    listed = subprocess.run(
        [*command, "list"], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert listed.returncode == 0, listed.stderr
    assert "using the built-in content" in listed.stderr and "body-safety" in listed.stdout
    subprocess.run([*command, "init", "myorg"], cwd=work, env=env, check=True, capture_output=True)
    _organization_settings(work / "myorg")
    built = subprocess.run(
        [*command, "build", "--kind", "flyer", "--locale", "en-GB", "-m", "warning-signs"],
        cwd=work / "myorg",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    text = pdf_text(work / "myorg/output/en-GB/adults/warning-signs.flyer.pdf")
    assert "Riverside Family Alliance" in text and "Riverside Library family desk" in text and "CEOP" in text


def _organization_settings(folder: Path) -> None:
    (folder / "assets/logo.svg").write_text(LOGO)
    text = (folder / "handouts.toml").read_text()
    (folder / "handouts.toml").write_text(text.partition('organization = ""')[0] + BRANDING)
