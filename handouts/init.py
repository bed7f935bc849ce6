"""``handouts init``: a small project folder for an organization, over the built-in content."""

from __future__ import annotations

from pathlib import Path

from .errors import HandoutsError
from .sources import SETTINGS_FILE

SETTINGS_TEMPLATE = """\
# Settings of this handouts project. Every key is optional; `handouts build` here uses the
# built-in curriculum, layouts and translations, and any file you add under curriculum/,
# layouts/ or locales/ replaces the built-in file of the same path.
[handouts]
# Your school, city office or nonprofit: printed at the top and foot of every page.
organization = ""
# Your logo: an SVG or PNG file inside this folder, at most 2 MB (its alt text is the name above).
# logo = "assets/logo.svg"
# Colour of headings and rules; it must stand out 4.5:1 against white (e.g. "#1d5c8c").
# accent_color = "#1d5c8c"
# What `handouts build` makes when no --locale or --band is given.
# The language picks the translation, the region picks help lines and paper (en-GB: A4).
locales = ["en-US"]
# bands = ["grades-3-5", "adults"]
# Paper for every document, overriding the region's ("A4" or "letter").
# paper = "A4"

# How to reach you: printed on flyers, family letters and packet covers, never translated.
[handouts.contact]
# phone = "555 0100"
# email = "info@example.org"
# website = "https://example.org"
# address = "1 Main Street, Springfield"

# Your own help entries (a school counselor, the city's family services line): printed first
# in every help block, marked as local. Names and numbers print as written; the description
# and hours are translated like the built-in help lines (add them to your locales/ catalogs).
# [[handouts.local]]
# name = "Riverside School counselor"
# description = "Talk to someone at school, in confidence."
# phone = "555 0199"
# hours = "School days, 8 am to 4 pm"
# audience = "both"   # children, adults or both
"""

FOLDERS = {
    "curriculum/modules": "Module files here replace built-in modules of the same name, or add new ones.",
    "curriculum/resources": "Help-line files here (<REGION>.yaml) replace the built-in file of that region.",
    "layouts": "Layouts here (e.g. style.css, flyer.html) replace the built-in layout of the same name.",
    "locales": "Catalogs here (<lang>/LC_MESSAGES/*.po) override built-in translations by entry.",
    "assets": "Pictures for your layouts, and your logo.",
}


def init_project(folder: Path) -> list[Path]:
    """Write a new project into ``folder``; refuse to touch an existing one. Returns what was written."""
    settings = folder / SETTINGS_FILE
    if settings.exists():
        raise HandoutsError(f"{settings} already exists: this is a project already; nothing was changed")
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    settings.write_text(SETTINGS_TEMPLATE, encoding="utf-8")
    written.append(settings)
    for name, purpose in FOLDERS.items():
        readme = folder / name / "README.md"
        readme.parent.mkdir(parents=True, exist_ok=True)
        if not readme.exists():
            readme.write_text(purpose + "\n", encoding="utf-8")
            written.append(readme)
    return written
