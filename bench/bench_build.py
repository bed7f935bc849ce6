"""Benchmark: a cold build of the default curriculum, then a no-op rebuild.

Prints wall time, time per document and peak memory (parent and workers);
writes the same as JSON to bench/results/build.json. Run: make bench.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDOUTS = Path(sys.executable).parent / "handouts"


def run(output: Path, *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [HANDOUTS, "-C", ROOT, "build", "--quiet", "--out", output, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        sys.exit(result.stderr)
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder)
        cold, summary = run(output, "--force")
        manifest = json.loads((output / "manifest.json").read_text())
        documents = len(manifest["documents"])
        warm, _ = run(output)
        single, _ = run(output, "--force", "--jobs", "1")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results = {
        "documents": documents,
        "cold_seconds": round(cold, 2),
        "cold_seconds_one_job": round(single, 2),
        "seconds_per_document_one_job": round(single / max(documents, 1), 3),
        "noop_rebuild_seconds": round(warm, 2),
        "peak_rss_mib_largest_process": round(peak_mib, 1),
        "summary": summary,
    }
    (ROOT / "bench/results").mkdir(exist_ok=True)
    (ROOT / "bench/results/build.json").write_text(json.dumps(results, indent=2) + "\n")
    for key, value in results.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
