"""The translators' workflow: extract the template, start a catalog, bring catalogs up to date.

Each step is Babel's own (``pybabel extract``, ``init``, ``update``, run in-process with the
options ``make locales`` always used), so a catalog written here is the one pybabel, Poedit
and Weblate write. Nothing is compiled: builds read the PO files. Regional English catalogs
(``en_GB``…) hold only the strings that differ from the source and are written by
``tools/regional-english``; ``update`` leaves them to it.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from . import __version__
from .errors import HandoutsError
from .i18n import DOMAIN, SOURCE_LANGUAGE
from .sources import BUILTIN

#: The template, beside the catalogs: ``locales/handouts.pot``.
TEMPLATE = f"{DOMAIN}.pot"
#: Options every catalog is written with (as ``make locales`` has always written them).
EXTRACT_OPTIONS = (
    "--no-wrap",
    "--sort-by-file",
    "--add-comments=TRANSLATORS:",
    "-k",
    "ngettext:1,2",
    "--project=handouts",
    f"--version={__version__}",
    "--msgid-bugs-address=",
)
#: Header lines that change with the clock, not with the catalog.
_DATES = ("POT-Creation-Date:", "PO-Revision-Date:")


def source_tree() -> Path:
    """The source checkout the built-in content links to: the folder holding ``babel.cfg``."""
    root = (BUILTIN / "locales").resolve().parent
    if not (root / "babel.cfg").is_file():
        raise HandoutsError(
            f"no babel.cfg in {root}: extracting needs a source checkout of handouts "
            "(git clone, then `make setup`); init and update work in any project"
        )
    return root


def extract(root: Path) -> bytes:
    """The template of every translatable string under ``root``, as pybabel writes it."""
    import os

    with tempfile.TemporaryDirectory(prefix="handouts-extract-") as folder:
        output = Path(folder) / TEMPLATE
        here = Path.cwd()
        os.chdir(root)  # locations in the template stay relative: curriculum/bands.yaml:8
        try:
            CommandLineInterface().run(
                ["pybabel", "-q", "extract", "-F", "babel.cfg", *EXTRACT_OPTIONS, "-o", str(output), "."]
            )
        finally:
            os.chdir(here)
        return output.read_bytes()


def same_but_dates(old: bytes, new: bytes, locations: bool = False) -> bool:
    """Whether two PO files say the same, their dates aside (and source line numbers, ``#:``,
    unless ``locations``): what a translator sees has not changed."""

    def kept(data: bytes) -> list[bytes]:
        return [
            line
            for line in data.splitlines()
            if (locations or not line.startswith(b"#: "))
            and not any(f'"{d}'.encode() in line for d in _DATES)
        ]

    return kept(old) == kept(new)


@dataclass(frozen=True)
class Change:
    """One file the workflow writes, or would write (``--check``)."""

    path: Path
    data: bytes
    current: bool  # already says this (dates aside)


def template_change(root: Path) -> Change:
    """The template as the sources say it now."""
    path = root / "locales" / TEMPLATE
    data = extract(root)
    current = path.is_file() and same_but_dates(path.read_bytes(), data)
    return Change(path, data, current)


def full_catalogs(locales: Path) -> list[tuple[str, Path]]:
    """Every full catalog's folder name and PO file (regional English is differences only)."""
    found = []
    for po in sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        folder = po.parent.parent.name
        if folder.split("_")[0] != SOURCE_LANGUAGE:
            found.append((folder, po))
    return found


def updated(template: bytes, po: Path, folder: str) -> bytes:
    """``po`` brought up to date with ``template`` as ``pybabel update --no-wrap
    --ignore-obsolete --ignore-pot-creation-date`` does (fuzzy matching on)."""
    catalog = read_po(io.BytesIO(po.read_bytes()), locale=folder, domain=DOMAIN)
    catalog.update(read_po(io.BytesIO(template)), update_creation_date=False)
    return _written(catalog)


def _written(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, ignore_obsolete=True, sort_by_file=False)
    return buffer.getvalue()


def catalog_changes(template: bytes, locales: Path) -> list[Change]:
    """What updating every full catalog under ``locales`` with ``template`` changes."""
    changes = []
    for folder, po in full_catalogs(locales):
        data = updated(template, po, folder)
        changes.append(Change(po, data, same_but_dates(po.read_bytes(), data)))
    return changes


def new_catalog(template: bytes, folder: str) -> bytes:
    """A new catalog for ``folder`` (``fr``, ``zh_Hans``) from the template, as ``pybabel init``."""
    try:
        locale = Locale.parse(folder)
    except (UnknownLocaleError, ValueError):
        raise HandoutsError(
            f"'{folder}' is not a language CLDR knows; use a folder name such as fr, ar, vi or zh_Hans"
        ) from None
    catalog = read_po(io.BytesIO(template), domain=DOMAIN)  # plural forms follow the locale's
    catalog.locale = locale
    catalog.fuzzy = False
    catalog.revision_date = catalog.creation_date
    return _written(catalog)


def catalog_folder(language: str) -> str:
    """The folder a language's catalog lives in (``zh-hans`` → ``zh_Hans``, ``FR`` → ``fr``)."""
    subtags = language.replace("_", "-").split("-")
    rest = [tag.title() if len(tag) == 4 and tag.isalpha() else tag.upper() for tag in subtags[1:]]
    return "_".join([subtags[0].lower(), *rest])


def write(change: Change) -> bool:
    """Write one file whole (a reader never sees half of it); False when it already says this,
    dates aside, and is left alone."""
    if change.path.is_file() and same_but_dates(change.path.read_bytes(), change.data, locations=True):
        return False
    change.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = change.path.with_name(f".{change.path.name}.tmp")
    tmp.write_bytes(change.data)
    tmp.replace(change.path)
    return True
