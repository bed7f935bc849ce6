"""A project folder read whole: settings, bands, modules and catalogs.

``load_project`` reads and cross-checks everything before anything is rendered,
collects every problem, and raises them together (as MkDocs does with config).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, Strict, ValidationError

from .branding import Color, ContactLine, LocalContact, check_branding
from .curriculum import Document, load_bands, load_modules
from .errors import ContentErrors, Found, Problem
from .i18n import (
    SOURCE_LANGUAGE,
    CatalogShelf,
    LanguageCatalog,
    ReaderLocale,
    catalog_chain,
    chain_catalogs,
    parse_locale,
)
from .models import Band, Model, Module
from .reading import read_toml, toml_line
from .resources import Directory, load_directories
from .safety import text_problem
from .sources import SETTINGS_FILE, Sources


class Settings(Model):
    """The ``[handouts]`` table of ``handouts.toml``."""

    organization: Annotated[str, Strict()] = Field(
        default="", description="Printed on every page, e.g. your school or nonprofit."
    )
    logo: Annotated[str, Strict()] | None = Field(
        default=None, description="An SVG or PNG file inside the project, at most 2 MB."
    )
    accent_color: Color | None = Field(default=None, description="Headings and rules, e.g. '#1d5c8c'.")
    contact: ContactLine = Field(default_factory=ContactLine, description="Phone, e-mail, website, address.")
    local: tuple[LocalContact, ...] = Field(default=(), description="Your own help entries, printed first.")
    locales: tuple[str, ...] = Field(default=("en-US",), min_length=1)
    bands: tuple[str, ...] = Field(default=(), description="Bands `handouts build` makes (default: all).")
    paper: Annotated[str, Strict()] | None = Field(
        default=None, pattern=r"^(A4|letter)$", description="Overrides the region's paper."
    )
    freshness_warn_months: int = Field(default=12, gt=0, description="Warn when a help line is older.")
    freshness_error_months: int = Field(default=24, gt=0, description="Fail when a help line is older.")


@dataclass(frozen=True)
class Project:
    """Everything a build needs, validated."""

    root: Path  # the project folder (outside any project: the current folder, for output)
    sources: Sources
    settings: Settings
    bands: dict[str, Band]
    modules: dict[str, Module]
    documents: dict[str, Document]
    catalogs: Mapping[str, LanguageCatalog]  # each read when first asked for (i18n.CatalogShelf)
    directories: dict[str, Directory]
    #: Module ids in the order they are taught (``curriculum/matrix.yaml``), then any others.
    teaching_order: tuple[str, ...] = ()
    #: Problems of catalogs that could not be read, by language: only that language's products fail.
    catalog_problems: Mapping[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def layouts(self) -> list[Path]:
        """Folders of Jinja templates and CSS, the project's first."""
        return self.sources.folders("layouts")

    @property
    def assets(self) -> list[Path]:
        """Folders layouts may read files from (pictures, logos): every layer's curriculum and assets."""
        return [*self.sources.folders("assets"), *self.sources.folders("curriculum")]

    def file(self, relative: str) -> Path | None:
        """The file at ``relative`` on disk: the project's own, else the built-in one."""
        found = self.sources.find(relative)
        return found.path if found else None

    def has_catalog(self, key: str) -> bool:
        """Whether the catalog folder keyed ``key`` (``es``, ``en-gb``) exists, readable or not."""
        return key in self.catalogs or key in self.catalog_problems

    def speaks(self, locale: ReaderLocale) -> bool:
        """Whether a reader of ``locale`` can be served: the source language, or a catalog of its
        chain (readable or not: a broken one fails its products, with its problems)."""
        if locale.language == SOURCE_LANGUAGE:
            return True
        return any(self.has_catalog(key) for key in catalog_chain(locale))

    def catalog_problems_for(self, locale: ReaderLocale) -> list[Problem]:
        """Problems of the catalogs a reader's words come from (empty: they can be built)."""
        return [problem for key in catalog_chain(locale) for problem in self.catalog_problems.get(key, ())]

    def catalog_for_locale(self, locale: ReaderLocale) -> LanguageCatalog | None:
        """The catalogs a reader's words come from, as one: ``en-GB`` looks in ``en_GB``, then ``en_001``."""
        return chain_catalogs([self.catalogs[key] for key in catalog_chain(locale) if key in self.catalogs])


def _table_line(text: str, table: str) -> int:
    """The line of a ``[table]`` header (0 if there is none)."""
    header = re.compile(rf"^\s*\[+\s*{re.escape(table)}\s*[\].]")
    return next((n for n, line in enumerate(text.split("\n"), 1) if header.match(line)), 0)


def _strings(data: Any, keys: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in parsed TOML, with the keys leading to it."""
    if isinstance(data, str):
        yield keys, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*keys, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*keys, index))


def _nearest_setting(name: str) -> str:
    """'did you mean …?' for a mistyped setting, and the settings there are."""
    allowed = list(Settings.model_fields)
    close = get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{hint}Settings are: {', '.join(allowed)}"


def load_settings(root: Path, problems: list[Problem]) -> Settings:
    """Read ``handouts.toml`` if present; defaults otherwise."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        data, text = read_toml(path, Path(SETTINGS_FILE))
    except Found as error:
        problems.append(error.problem)
        return Settings()
    for table in sorted(set(data) - {"handouts"}):
        close = get_close_matches(table, ["handouts"], n=1, cutoff=0.6)
        hint = "did you mean [handouts]? " if close else ""
        message = f"[{table}]: unknown table; {hint}Settings go in the [handouts] table"
        line = _table_line(text, table) or toml_line(text, table)
        problems.append(Problem(Path(SETTINGS_FILE), line, 0, message))
    for where, value in _strings(data):
        why = text_problem(value)
        if why:
            named = [key for key in where if isinstance(key, str)]
            line = toml_line(text, named[-1]) if named else 0
            name = ".".join(str(key) for key in where)
            problems.append(Problem(Path(SETTINGS_FILE), line, 0, f"{name}: {why}"))
    try:
        settings = Settings.model_validate(data.get("handouts", {}))
    except ValidationError as error:
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"])
            keys = [part for part in item["loc"] if isinstance(part, str)]
            line = toml_line(text, keys[-1]) if keys else 0
            message = f"[handouts] {name}: {item['msg']}"
            if item["type"] == "extra_forbidden":
                message = f"[handouts] '{name}': unknown setting; {_nearest_setting(name)}"
            problems.append(Problem(Path(SETTINGS_FILE), line, 0, message))
        settings = Settings()
    check_branding(root, settings.accent_color, settings.logo, lambda key: toml_line(text, key), problems)
    table = data.get("handouts", {})
    tags = table.get("locales") if isinstance(table, dict) else None
    for tag in tags if isinstance(tags, list) else ():
        if not isinstance(tag, str):
            continue
        try:
            parse_locale(tag)
        except ValueError as error:
            line = toml_line(text, "locales")
            problems.append(Problem(Path(SETTINGS_FILE), line, 0, f"[handouts] locales: {error}"))
    return settings


def _planned_order(path: Path) -> list[str]:
    """Module ids in the order ``matrix.yaml`` plans them (the linter reports its mistakes)."""
    from .curriculum import YamlProblem, read_yaml

    if not path.exists():
        return []
    try:
        data = read_yaml(path).data
    except YamlProblem:  # `handouts check` reports it; the order falls back to alphabetical
        return []
    modules = data.get("modules") if isinstance(data, dict) else None
    return [str(key) for key in modules] if isinstance(modules, dict) else []


def load_project(root: Path | None) -> Project:
    """Read and check the project at ``root`` (None: built-in content, default settings).

    Raises ``ContentErrors`` listing every problem.
    """
    root = root.resolve() if root is not None else None
    sources = Sources(root)
    problems: list[Problem] = []
    settings = load_settings(root, problems) if root is not None else Settings()
    bands_file = sources.find("curriculum/bands.yaml")
    bands: tuple[Band, ...] = ()
    if bands_file is None:
        problems.append(Problem(Path("curriculum/bands.yaml"), 0, 0, "cannot read: no such file"))
    else:
        bands = load_bands(bands_file.path, bands_file.shown, problems)
    band_ids = [band.id for band in bands]
    for band_id in settings.bands:
        if bands and band_id not in band_ids:
            message = f"[handouts] bands: unknown band '{band_id}'; known bands: {', '.join(band_ids)}"
            problems.append(Problem(Path(SETTINGS_FILE), 0, 0, message))
    loaded = load_modules(sources.each("curriculum/modules", "*.yaml"), band_ids, problems)
    shelf = CatalogShelf(sources, problems)
    directories = load_directories(sources.each("curriculum/resources", "*.yaml"), problems)
    if not loaded and not problems:
        problems.append(
            Problem(Path("curriculum/modules"), 0, 0, "no modules found; add a <module-id>.yaml file")
        )
    if problems:
        raise ContentErrors(problems)
    matrix = sources.find("curriculum/matrix.yaml")
    planned = _planned_order(matrix.path) if matrix else []
    order = [module for module in planned if module in loaded]
    order += sorted(set(loaded) - set(order))
    return Project(
        teaching_order=tuple(order),
        root=root or Path.cwd(),
        sources=sources,
        settings=settings,
        bands={band.id: band for band in bands},
        modules={key: module for key, (module, _) in loaded.items()},
        documents={key: document for key, (_, document) in loaded.items()},
        catalogs=shelf.catalogs,
        directories=directories,
        catalog_problems=shelf.problems,
    )
