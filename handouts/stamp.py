"""A finished build's stamp: an unchanged rebuild known in one comparison, not one per target.

A build whose every target ended built or unchanged leaves ``OUT/.cache/stamp-<selection>.json``:
one digest of everything any of its targets can depend on (every file of the curriculum,
catalogs, layouts and assets of each layer, the settings, the engine, ``SOURCE_DATE_EPOCH``,
the options and the targets chosen) and the size and modification time of each file it
left, the manifest among them. The next build with the same selection compares that digest
and those times first, as ``make`` and ninja compare times: when all agree, every target is
unchanged and none is hashed on its own. Any difference (an edited sentence, a PDF touched
or replaced by hand, another build's files) falls back to hashing each target, so the
stamp can make a build faster, never staler.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .cache import CACHE_FOLDER, Digests, engine_digest, project_files
from .products import Options, Target
from .project import Project

PREFIX = "stamp-"
#: Stamps kept per output folder (one per selection of targets and options; the oldest go).
KEPT = 8


def _files(project: Project) -> list[Path]:
    """Every file a target of this project can be shaped by."""
    return project_files(project.sources.project, ("curriculum", "locales", "layouts", "assets"))


def _stat(path: str) -> list[int] | None:
    """Size, times and inode: the change time moves with any write, rename or copy over the file."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


class Stamp:
    """The stamp of one selection (targets and options) of a build into ``output``."""

    def __init__(
        self, project: Project, output: Path, targets: Sequence[Target], options: Options, digests: Digests
    ) -> None:
        self.output = output
        chosen = json.dumps(
            [asdict(options), [target.path.as_posix() for target in targets]], sort_keys=True, default=str
        )
        self.path = output / CACHE_FOLDER / f"{PREFIX}{hashlib.sha256(chosen.encode()).hexdigest()[:16]}.json"
        self.key = hashlib.sha256(
            "\0".join(
                (
                    chosen,
                    engine_digest(),
                    os.environ.get("SOURCE_DATE_EPOCH", ""),
                    digests.files(_files(project)),
                )
            ).encode()
        ).hexdigest()

    def unchanged(self, manifest: str, targets: Sequence[Target]) -> list[tuple[int, int]] | None:
        """Each target's pages and bytes when the last build of this selection left everything as it
        is now (``manifest``: the manifest's name, whose entries it wrote then); else None."""
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
            files: dict[str, list[int]] = kept["files"]
            made: dict[str, list[int]] = kept["made"]
            if kept["key"] != self.key or manifest not in files:
                return None
            folder = f"{self.output}{os.sep}"
            if any(_stat(folder + name) != seen for name, seen in files.items()):
                return None
            return [(made[key][0], made[key][1]) for key in (t.path.as_posix() for t in targets)]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def keep(self, manifest: str, made: dict[str, tuple[int, int]]) -> None:
        """Record the files this build left (``made``: each target's path, pages and bytes; and the
        manifest); best effort."""
        folder = f"{self.output}{os.sep}"
        files = {name: _stat(folder + name) for name in (manifest, *made)}
        if any(seen is None for seen in files.values()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            record = {"key": self.key, "files": files, "made": made}
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, self.path)
            stamps = sorted(self.path.parent.glob(f"{PREFIX}*.json"), key=lambda p: p.stat().st_mtime_ns)
            for old in stamps[:-KEPT]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def forget(self) -> None:
        """Remove this selection's stamp (a build that changed or failed anything)."""
        self.path.unlink(missing_ok=True)
