"""An output folder as a finished build leaves it, without rendering, for ``bench_build.py``'s
no-op growth (never for users).

    python bench/synthetic.py OUT MANIFEST LOCALE...

Every default product of each LOCALE gets a file of the size its kind has in MANIFEST (a real
build's manifest) and a current manifest entry: its inputs hashed as a build hashes them, with
the catalog entries a real document of the same kind, module and band used. A plain
``handouts build -l LOCALE... --out OUT`` then finds every target unchanged, which is what is
timed: the no-op for 100 or 1,000 targets, with no hour of rendering first.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from handouts.build import MANIFEST, Outcome, _entry, plan
from handouts.inputs import Inputs
from handouts.products import Options, Target
from handouts.project import load_project
from handouts.sources import find_project


def main() -> None:
    out, real, locales = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    entries = json.loads(real.read_text())["documents"]
    sizes: dict[str, list[int]] = defaultdict(list)
    strings: dict[tuple[str, str, str], list[str]] = {}
    for entry in entries:
        if entry.get("status") == "current":
            sizes[entry["kind"]].append(entry["bytes"])
            strings.setdefault((entry["kind"], entry["module"], entry["band"]), entry["strings"])
            strings.setdefault((entry["kind"], "", ""), entry["strings"])
    project = load_project(find_project(Path.cwd()))
    options = Options()
    inputs = Inputs(project, options)
    blobs = {
        kind: hashlib.sha256(kind.encode()).digest() * (int(statistics.median(found)) // 32 + 1)
        for kind, found in sizes.items()
    }
    documents = []
    for target in plan(project, locales=locales, options=options):
        data = blobs.get(target.kind) or blobs["handout"]
        used = strings.get((target.kind, target.module, target.band)) or strings.get((target.kind, "", ""))
        path = out / target.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        documents.append(_entry_for(target, inputs.of(target, used or []), data, used or []))
    manifest = {"generator": "bench/synthetic.py", "documents": sorted(documents, key=lambda e: e["path"])}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(len(documents))


def _entry_for(target: Target, inputs: str, data: bytes, used: list[str]) -> dict[str, Any]:
    outcome = Outcome(target, "built", pages=1, size=len(data), strings=used)
    return _entry(outcome, inputs, hashlib.sha256(data).hexdigest())


if __name__ == "__main__":
    main()
