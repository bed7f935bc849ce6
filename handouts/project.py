"""A project folder read whole: settings, bands, modules and catalogs.

``load_project`` reads and cross-checks everything before anything is rendered,
collects every problem, and raises them together (as MkDocs does with config).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, Strict, ValidationError

from .curriculum import Document, load_bands, load_modules
from .errors import ContentErrors, Problem
from .i18n import LanguageCatalog, load_catalogs, parse_locale
from .models import Band, Model, Module
from .resources import Directory, load_directories

SETTINGS_FILE = "handouts.toml"


class Settings(Model):
    """The ``[handouts]`` table of ``handouts.toml``."""

    organization: Annotated[str, Strict()] = Field(
        default="", description="Printed on every page, e.g. your school or nonprofit."
    )
    locales: tuple[str, ...] = Field(default=("en-US",), min_length=1)
    paper: Annotated[str, Strict()] | None = Field(
        default=None, pattern=r"^(A4|letter)$", description="Overrides the region's paper."
    )
    freshness_warn_months: int = Field(default=12, gt=0, description="Warn when a help line is older.")
    freshness_error_months: int = Field(default=24, gt=0, description="Fail when a help line is older.")


@dataclass(frozen=True)
class Project:
    """Everything a build needs, validated."""

    root: Path
    settings: Settings
    bands: dict[str, Band]
    modules: dict[str, Module]
    documents: dict[str, Document]
    catalogs: dict[str, LanguageCatalog]
    directories: dict[str, Directory]
    #: Module ids in the order they are taught (``curriculum/matrix.yaml``), then any others.
    teaching_order: tuple[str, ...] = ()

    @property
    def layouts(self) -> Path:
        """Folder of Jinja templates and CSS."""
        return self.root / "layouts"

    @property
    def curriculum(self) -> Path:
        """Folder of content YAML."""
        return self.root / "curriculum"

    def catalog_for(self, language: str) -> LanguageCatalog | None:
        """The catalog that translates into ``language`` (``es-419`` falls back to ``es``)."""
        return self.catalogs.get(language) or self.catalogs.get(language.split("-")[0])


def toml_line(text: str, key: str) -> int:
    """The 1-based line where ``key = …`` is set in TOML text (0 if it is not there)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=", 1)[0].strip() == key:
            return number
    return 0


def _nearest_setting(name: str) -> str:
    """'did you mean …?' for a mistyped setting, and the settings there are."""
    from difflib import get_close_matches

    allowed = list(Settings.model_fields)
    close = get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{hint}Settings are: {', '.join(allowed)}"


def load_settings(root: Path, problems: list[Problem]) -> Settings:
    """Read ``handouts.toml`` if present; defaults otherwise."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", 0)
        col = getattr(error, "colno", 0)
        message = str(error).split(" (at line")[0]
        problems.append(Problem(Path(SETTINGS_FILE), line, col, f"not valid TOML: {message}"))
        return Settings()
    try:
        settings = Settings.model_validate(data.get("handouts", {}))
    except ValidationError as error:
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"])
            line = toml_line(text, str(item["loc"][0])) if item["loc"] else 0
            message = f"[handouts] {name}: {item['msg']}"
            if item["type"] == "extra_forbidden":
                message = f"[handouts] '{name}': unknown setting; {_nearest_setting(name)}"
            problems.append(Problem(Path(SETTINGS_FILE), line, 0, message))
        settings = Settings()
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


def load_project(root: Path) -> Project:
    """Read and check the whole project; raise ``ContentErrors`` listing every problem."""
    root = root.resolve()
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    bands_path = root / "curriculum" / "bands.yaml"
    bands = load_bands(bands_path, bands_path.relative_to(root), problems)
    band_ids = [band.id for band in bands]
    loaded = load_modules(root / "curriculum" / "modules", root, band_ids, problems)
    catalogs = load_catalogs(root / "locales", root, problems)
    directories = load_directories(root / "curriculum" / "resources", root, problems)
    if not loaded and not problems:
        problems.append(
            Problem(Path("curriculum/modules"), 0, 0, "no modules found; add a <module-id>.yaml file")
        )
    if problems:
        raise ContentErrors(problems)
    planned = _planned_order(root / "curriculum" / "matrix.yaml")
    order = [module for module in planned if module in loaded]
    order += sorted(set(loaded) - set(order))
    return Project(
        teaching_order=tuple(order),
        root=root,
        settings=settings,
        bands={band.id: band for band in bands},
        modules={key: module for key, (module, _) in loaded.items()},
        documents={key: document for key, (_, document) in loaded.items()},
        catalogs=catalogs,
        directories=directories,
    )
