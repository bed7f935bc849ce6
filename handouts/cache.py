"""What a build computes once: file digests, the engine's digest, and the checked project itself.

``cached_project`` keeps the validated project as a pickle under ``OUT/.cache``, keyed on
the sha256 of every file ``load_project`` reads (settings, curriculum, catalogs), the
engine's own code and the Python version. An unchanged project is then read back in tens
of milliseconds instead of being parsed and checked again; any changed byte misses the
cache and the project is loaded (and its mistakes located) exactly as without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

from . import __version__
from .project import Project, load_project
from .sources import SETTINGS_FILE, Sources

CACHE_FOLDER = ".cache"
PROJECT_PREFIX = "project-"


class Digests:
    """The sha256 of each file, read once per build however many targets ask."""

    def __init__(self) -> None:
        self._known: dict[Path, str] = {}

    def file(self, path: Path) -> str:
        """The file's digest ('' when it cannot be read)."""
        known = self._known.get(path)
        if known is None:
            try:
                known = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                known = ""
            self._known[path] = known
        return known

    def files(self, paths: list[Path] | tuple[Path, ...]) -> str:
        """One digest of several files, each named by its path (order does not matter)."""
        digest = hashlib.sha256()
        for path in sorted(paths):
            digest.update(f"{path}\0{self.file(path)}\0".encode())
        return digest.hexdigest()


@cache
def engine_digest() -> str:
    """The digest of the engine's own code (every ``.py`` of the package), once per process."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.glob("**/*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def project_files(root: Path | None, folders: tuple[str, ...] = ("curriculum", "locales")) -> list[Path]:
    """Every file ``load_project`` may read: settings, curriculum and catalogs of every layer
    (``folders``: other folders' files too, e.g. the layouts a build also depends on)."""
    sources = Sources(root)
    files = [root / SETTINGS_FILE] if root is not None else []
    for folder in folders:
        for layer in sources.folders(folder):
            files += [path for path in layer.rglob("*") if path.is_file()]
    return files


def project_key(root: Path | None, digests: Digests) -> str:
    """The cache key: the input files' content, where the project is, the engine and Python."""
    place = str(root) if root is not None else f"built-in@{Path.cwd()}"
    parts = (engine_digest(), sys.version, place, digests.files(project_files(root)))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def project_cache(root: Path | None, output: Path) -> Path | None:
    """Where a build into ``output`` keeps the checked project; None when ``output`` is in the sources."""
    base = root if root is not None else Path.cwd()
    output = (output if output.is_absolute() else base / output).resolve()
    sources = Sources(root.resolve() if root is not None else None)
    for name in ("curriculum", "layouts", "locales", "assets"):
        for folder in (base / name, *sources.folders(name)):
            if output.is_relative_to(folder.resolve()):
                return None
    return output / CACHE_FOLDER


def cached_project(
    root: Path | None, folder: Path, digests: Digests | None = None
) -> tuple[Project, Path | None]:
    """The checked project, from ``folder`` when its inputs are unchanged, else loaded.

    Also returns where to keep a freshly loaded project (``keep_project``, once the build has
    begun: a command that stops at a usage error writes nothing), or None when it came from
    the cache. The cached project carries no YAML documents (only ``handouts check`` locates
    with them). Content errors are raised as by ``load_project``; a cache that cannot be read
    is ignored.
    """
    root = root.resolve() if root is not None else None
    key = project_key(root, digests or Digests())
    path = folder / f"{PROJECT_PREFIX}{key}.pickle"
    try:
        project = pickle.loads(path.read_bytes())
        if isinstance(project, Project):
            return project, None
    except Exception:  # noqa: BLE001 (absent, truncated or from another version: load afresh)
        pass
    return replace(load_project(root), documents={}), path


def keep_project(project: Project, path: Path) -> None:
    """Keep the checked project at ``path`` for the next build (the older one goes); best effort."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{PROJECT_PREFIX}*.pickle"):
            old.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        pass
