"""The translators' workflow: extract the template, start a catalog, bring catalogs up to date.

Each step is Babel's own (``pybabel extract``, ``init``, ``update``, run in-process with the
options ``make locales`` always used), so a catalog written here is the one pybabel, Poedit
and Weblate write. Nothing is compiled: builds read the PO files. Regional English catalogs
(``en_GB``…) hold only the strings that differ from the source and are written by
``tools/regional-english``; ``update`` leaves them to it.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from . import __version__
from .errors import HandoutsError
from .i18n import DOMAIN, SOURCE_LANGUAGE
from .project import Project
from .sources import BUILTIN

#: The full template, as pybabel extracts it (kept for regional English, which holds differences).
TEMPLATE = f"{DOMAIN}.pot"
#: Who reads a catalog's strings; a full catalog is one PO file per audience, in this order:
#: a string several audiences read goes to the first (families' words come first to a volunteer).
AUDIENCES = ("families", "students", "teachers")
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
    """One file the workflow writes (or removes: no data), or would (``--check``)."""

    path: Path
    data: bytes | None
    current: bool  # already says this (dates and line numbers aside)


def template_changes(root: Path, project: Project) -> list[Change]:
    """The audiences' templates as the sources say them now (the single template of old goes)."""
    parts = split_template(extract(root), project)
    changes = []
    for audience, data in parts.items():
        path = root / "locales" / f"{audience}.pot"
        changes.append(Change(path, data, path.is_file() and same_but_dates(path.read_bytes(), data)))
    legacy = root / "locales" / TEMPLATE
    if legacy.exists():
        changes.append(Change(legacy, None, False))
    return changes


def templates_of(changes: list[Change]) -> dict[str, bytes]:
    """The audiences' templates among ``changes``."""
    return {change.path.stem: change.data for change in changes if change.data is not None}


def read_templates(locales: Path) -> dict[str, bytes]:
    """The audiences' templates in a ``locales`` folder (the built-in one, in a project)."""
    missing = [f"{audience}.pot" for audience in AUDIENCES if not (locales / f"{audience}.pot").is_file()]
    if missing:
        raise HandoutsError(
            f"no {', '.join(missing)} in {locales}; run `handouts i18n extract` in the sources"
        )
    return {audience: (locales / f"{audience}.pot").read_bytes() for audience in AUDIENCES}


def full_catalogs(locales: Path) -> list[str]:
    """The folder of every full catalog (regional English holds only differences)."""
    folders = {po.parent.parent.name for po in locales.glob("*/LC_MESSAGES/*.po")}
    return sorted(folder for folder in folders if folder.split("_")[0] != SOURCE_LANGUAGE)


def _read(path: Path, folder: str) -> Catalog:
    return read_po(io.BytesIO(path.read_bytes()), locale=folder, domain=path.stem)


def language_changes(templates: dict[str, bytes], locales: Path, folder: str) -> list[Change]:
    """A language's catalogs brought up to date, one per audience, as ``pybabel update
    --no-wrap --ignore-obsolete --ignore-pot-creation-date`` does (fuzzy matching on).

    Every entry the language has, in any of its files, is offered to every audience's update,
    so a string that moves to another audience keeps its translation; the single catalog of
    old (``handouts.po``), whose entries win, is split and removed.
    """
    messages = locales / folder / "LC_MESSAGES"
    legacy = messages / f"{DOMAIN}.po"
    present = [
        messages / f"{audience}.po" for audience in AUDIENCES if (messages / f"{audience}.po").is_file()
    ]
    sources = present + ([legacy] if legacy.is_file() else [])
    pool: dict[str, Message] = {}
    for path in sources:  # the later wins: the single catalog of old over the audiences' files
        pool.update({_msgid(message): message for message in _read(path, folder) if message.id})
    changes = []
    for audience, template in templates.items():
        path = messages / f"{audience}.po"
        catalog = _read(sources[0], folder) if sources else None
        if catalog is None:
            changes.append(Change(path, new_catalog(template, folder), False))
            continue
        catalog.domain = audience
        for message in list(catalog):
            if message.id:
                del catalog[message.id]
        for message in pool.values():
            catalog[message.id] = message
        catalog.update(read_po(io.BytesIO(template)), update_creation_date=False)
        data = _written(catalog)
        changes.append(Change(path, data, path.is_file() and same_but_dates(path.read_bytes(), data)))
    if legacy.is_file():
        changes.append(Change(legacy, None, False))
    return changes


def catalog_changes(
    templates: dict[str, bytes], locales: Path, overrides: Path | None = None
) -> list[Change]:
    """What updating every full catalog under ``locales`` changes. With ``overrides`` (the
    built-in ``locales`` under a project's), a language that has a built-in catalog is left
    alone: the project's entries there override the built-in ones and must stay few."""
    builtin = set(full_catalogs(overrides)) if overrides is not None else set()
    return [
        change
        for folder in full_catalogs(locales)
        if folder not in builtin
        for change in language_changes(templates, locales, folder)
    ]


def new_catalog(template: bytes, folder: str) -> bytes:
    """A new catalog for ``folder`` (``fr``, ``zh_Hans``) from a template, as ``pybabel init``."""
    try:
        locale = Locale.parse(folder)
    except (UnknownLocaleError, ValueError):
        raise HandoutsError(
            f"'{folder}' is not a language CLDR knows; use a folder name such as fr, ar, vi or zh_Hans"
        ) from None
    catalog = read_po(io.BytesIO(template))  # plural forms follow the locale's
    catalog.locale = locale
    catalog.fuzzy = False
    catalog.revision_date = catalog.creation_date
    return _written(catalog)


def _written(catalog: Catalog, sort_by_file: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, ignore_obsolete=True, sort_by_file=sort_by_file)
    return buffer.getvalue()


def _msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def catalog_folder(language: str) -> str:
    """The folder a language's catalog lives in (``zh-hans`` → ``zh_Hans``, ``FR`` → ``fr``)."""
    subtags = language.replace("_", "-").split("-")
    rest = [tag.title() if len(tag) == 4 and tag.isalpha() else tag.upper() for tag in subtags[1:]]
    return "_".join([subtags[0].lower(), *rest])


def write(change: Change) -> bool:
    """Write one file whole (a reader never sees half of it), or remove it; False when it
    already says this, dates aside, and is left alone."""
    if change.data is None:
        change.path.unlink(missing_ok=True)
        return True
    if change.path.is_file() and same_but_dates(change.path.read_bytes(), change.data, locations=True):
        return False
    change.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = change.path.with_name(f".{change.path.name}.tmp")
    tmp.write_bytes(change.data)
    tmp.replace(change.path)
    return True


# --- one catalog per audience -------------------------------------------------

_TEACHERS_PLACE = re.compile(r"^bands\.[^.]+\.lesson\.(?!family_letter)")
_STUDENTS_PLACE = re.compile(r"^bands\.(?!adults\.)[^.]+\.handout\.")
_TEACHERS_LAYOUTS = ("layouts/lesson.html", "layouts/packet.html")


def product_audience(kind: str, band: str | None, variant: str) -> str:
    """Who reads a product: lesson plans and packets teachers; children's handouts, classroom
    materials (cards, worksheets, story strips) and cards students; letters, flyers, adults'
    handouts and cards families and the community. Materials go with the students' handouts:
    a volunteer translating what children hold gets both in one file."""
    if kind in ("lesson", "packet"):
        return "teachers"
    if kind == "materials" or (kind == "handout" and band != "adults"):
        return "students"
    if kind == "cards" and variant != "adult":
        return "students"
    return "families"


def place_audience(message: Message) -> str:
    """Who reads a string no product printed in the survey, by where it stands in the sources."""
    found = set()
    for place in message.auto_comments:
        if _TEACHERS_PLACE.match(place):
            found.add("teachers")
        elif _STUDENTS_PLACE.match(place):
            found.add("students")
        else:
            found.add("families")
    for filename, _ in message.locations:
        found.add("teachers" if filename in _TEACHERS_LAYOUTS else "families")
    return next((audience for audience in AUDIENCES if audience in found), "families")


def audiences(template: Catalog, project: Project) -> dict[str, str]:
    """The audience of every msgid: the first audience whose products print it (every product
    of the project's first default region, its layouts drawn without making PDFs), else by
    where it stands in the sources (help lines of other regions: families)."""
    from .coverage import survey
    from .i18n import parse_locale

    region = parse_locale(project.settings.locales[0]).region
    readers: dict[str, set[str]] = {}
    for item in survey(project, [parse_locale(f"{SOURCE_LANGUAGE}-{region}")]):
        target = item.target
        audience = product_audience(target.kind, target.band, target.variant)
        for msgid in item.strings:
            readers.setdefault(msgid, set()).add(audience)
    chosen = {}
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        seen = readers.get(key)
        chosen[key] = next(a for a in AUDIENCES if a in seen) if seen else place_audience(message)
    return chosen


def split_template(template: bytes, project: Project) -> dict[str, bytes]:
    """One template per audience, each with the full template's header and order."""
    full = read_po(io.BytesIO(template))
    chosen = audiences(full, project)
    parts = {}
    for audience in AUDIENCES:
        part = read_po(io.BytesIO(template))
        for message in list(part):
            if message.id and chosen[_msgid(message)] != audience:
                del part[message.id]
        parts[audience] = _written(part, sort_by_file=True)
    return parts
