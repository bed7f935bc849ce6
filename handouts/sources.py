"""Where content comes from: an organization's project folder over the built-in content, path by path.

The tool ships its curriculum, layouts and catalogs inside the package
(``handouts/builtin``; in a source checkout these are links to the repository's
own folders). A project folder, found like git finds its repository (the folder
holding ``handouts.toml``, here or above), overrides any built-in file of the same
path and adds new ones, as Sphinx and MkDocs themes are overridden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILTIN = Path(__file__).resolve().parent / "builtin"
SETTINGS_FILE = "handouts.toml"
#: The folders a project may hold, each overriding its built-in twin file by file.
CONTENT_FOLDERS = ("curriculum", "layouts", "locales", "assets")
BUILTIN_LABEL = "built-in"


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``handouts.toml``, or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None


@dataclass(frozen=True)
class Source:
    """One content file: where it is, how messages name it, and whose it is."""

    path: Path
    shown: Path
    origin: str  # "project" or "built-in"


@dataclass(frozen=True)
class Sources:
    """The project's own content (if any) layered over the built-in content."""

    project: Path | None
    builtin: Path = BUILTIN

    def _layers(self, folder: str) -> list[tuple[Path, Path, str]]:
        """(folder on disk, how it is shown, origin), the project's first; one layer if they are the same."""
        layers = []
        builtin = self.builtin / folder
        if self.project is not None:
            own = self.project / folder
            # The repository itself is a project whose folders are the built-in content.
            layers.append((own, Path(folder), BUILTIN_LABEL if _same(own, builtin) else "project"))
        if builtin.is_dir() and not any(_same(builtin, own) for own, _, _ in layers):
            shown = Path(folder) if self.project is None else Path(f"<{BUILTIN_LABEL}>", folder)
            layers.append((builtin, shown, BUILTIN_LABEL))
        return [layer for layer in layers if layer[0].is_dir()]

    def find(self, relative: str) -> Source | None:
        """The file at ``relative`` (e.g. ``curriculum/bands.yaml``): the project's, else the built-in one."""
        folder, _, rest = relative.partition("/")
        for root, shown, origin in self._layers(folder):
            if (root / rest).is_file():
                return Source(root / rest, shown / rest, origin)
        return None

    def each(self, folder: str, pattern: str) -> list[Source]:
        """Every file matching ``pattern`` under ``folder``, one per relative path, the project's winning."""
        found: dict[str, Source] = {}
        for root, shown, origin in self._layers(folder.split("/")[0]):
            base = root / folder.partition("/")[2] if "/" in folder else root
            for path in sorted(base.glob(pattern)):
                if path.is_file():
                    key = path.relative_to(root).as_posix()
                    found.setdefault(key, Source(path, shown / key, origin))
        return [found[key] for key in sorted(found)]

    def all_of(self, folder: str, pattern: str) -> list[Source]:
        """Every matching file in every layer, the built-in ones first (for merging catalogs)."""
        sources = []
        for root, shown, origin in reversed(self._layers(folder.split("/")[0])):
            base = root / folder.partition("/")[2] if "/" in folder else root
            for path in sorted(base.glob(pattern)):
                if path.is_file():
                    sources.append(Source(path, shown / path.relative_to(root), origin))
        return sources

    def folders(self, folder: str) -> list[Path]:
        """The layers of a folder on disk, the project's first (a template loader's search path)."""
        return [root for root, _, _ in self._layers(folder)]


def _same(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False
