"""Benchmark (``make bench``; never part of ``make test``): this checkout against a baseline commit.

Ratios come from paired runs (A then B, repeated) because absolute times on a shared
machine swing up to 2x. Measures: cold builds with --jobs 1 and N; a bare warm WeasyPrint
pool rendering the exact HTML the build laid out; one ``weasyprint`` process per document
(a few per kind); no-op rebuild; a one-band edit; median engine time per kind; handout
engine time against the commit before the flex help block; peak memory per worker; PDF
sizes by kind. Writes bench/README.md and bench/results/bench.json.

    make bench                          # the default subset (en-US, grades 6-8 and adults)
    make bench BENCH_ARGS=--full        # every default product (194 documents)
    .venv/bin/python bench/bench_build.py --baseline <commit> --repeat 3 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "bench/probe.py"
BIN = Path(sys.executable).parent
#: main when this work began, and the last commit before the help block became a flex list.
BASELINE, BEFORE_FLEX = "b385f5b", "39fcd7a"
SUBSET = ("-l", "en-US", "-b", "grades-6-8", "-b", "adults")
EDIT = ("curriculum/modules/saying-no.yaml", "Keep them short and strong.", "Keep them short and clear.")
#: Two modules in every band: the edit (one sentence of saying-no's grades 3-5 handout) should
#: remake that band's saying-no products and its packet, nothing of the other bands.
EDIT_SET = ("-l", "en-US", "-m", "saying-no", "-m", "body-safety")
EPOCH = "1767225600"
SYNTHETIC = ROOT / "bench/synthetic.py"
#: The no-op's growth: one locale's default products (about 100), then ten locales' (about 1,000).
SMALL_LOCALES = ("en-US",)
LARGE_LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IE", "en-NZ", "es-US", "es-MX", "es-ES", "en-IN")
#: Per script: one locale each (fallback English where a catalog is still untranslated).
SCRIPTS = {"Latin": "en-US", "Arabic": "ar-US", "CJK": "zh-Hans-CN"}  # as the manifest names them
SCRIPT_MODULES = ("what-is-sextortion", "saying-no", "getting-help", "when-a-child-tells")
SCRIPT_SET: tuple[str, ...] = ("-b", "adults", "-k", "handout", "-k", "flyer", "--allow-fallback")
SCRIPT_SET += tuple(a for module in SCRIPT_MODULES for a in ("-m", module))


def tree(rev: str, scratch: Path) -> Path:
    """A checkout of ``rev``: this one for HEAD, else a detached git worktree."""
    if rev == "HEAD":
        return ROOT
    folder = scratch / f"tree-{rev}"
    if not folder.exists():
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", folder, rev], check=True)
    return folder


def handouts(
    checkout: Path, out: Path, *args: str, times: Path | None = None, html: Path | None = None
) -> float:
    """Run one build of ``checkout`` (its code and content) through the probe; wall seconds."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "SOURCE_DATE_EPOCH": EPOCH}
    project = args[args.index("-C") + 1] if "-C" in args else str(checkout)
    rest = [a for i, a in enumerate(args) if a != "-C" and (i == 0 or args[i - 1] != "-C")]
    probe = [PROBE, times or os.devnull, html or "-", "--"]
    # Without probes (a no-op), the plain command: the probes import the PDF engine up front.
    command = [sys.executable, *(probe if times or html else ["-c", "import cli; cli.main()"])]
    command += ["-C", project, "build", "-q", "--out", str(out), *rest]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, command))}\n{done.stderr}")
    return seconds


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- the bare pool --------------------------------------------------------------

_pool: dict[str, Any] = {}


def _warm(style: str) -> None:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _pool["fonts"] = FontConfiguration()
    _pool["style"] = CSS(filename=style, font_config=_pool["fonts"])


def _render(html_path: str, base: str) -> tuple[str, float, int]:
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    css = CSS(string=Path(html_path[:-5] + ".css").read_text(), font_config=_pool["fonts"])
    document = HTML(string=Path(html_path).read_text(), base_url=base).render(
        font_config=_pool["fonts"], stylesheets=[_pool["style"], css], pdf_variant="pdf/ua-1"
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return html_path, time.perf_counter() - started, len(pdf)


def bare_pool(documents: list[Path], jobs: int) -> tuple[float, dict[str, float]]:
    """A warm pool (engine imported, fonts and stylesheet made) renders each HTML once."""
    style, base = str(ROOT / "layouts/style.css"), str(ROOT / "layouts") + "/"
    with ProcessPoolExecutor(jobs, initializer=_warm, initargs=(style,)) as pool:
        list(pool.map(_warm, [style] * jobs))  # every worker warm before the clock starts
        started = time.perf_counter()
        results = list(pool.map(_render, [str(d) for d in documents], [base] * len(documents)))
        wall = time.perf_counter() - started
    return wall, {Path(path).name: seconds for path, seconds, _ in results}


def cli_per_document(documents: list[Path]) -> float:
    """One ``weasyprint`` process per document (start-up and all), total seconds."""
    total = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for document in documents:
            command: list[str | Path] = [
                BIN / "weasyprint",
                "-s",
                ROOT / "layouts/style.css",
                "-s",
                str(document)[:-5] + ".css",
            ]
            command += [
                "-u",
                str(ROOT / "layouts") + "/",
                "--pdf-variant",
                "pdf/ua-1",
                document,
                Path(folder) / "x.pdf",
            ]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            total += time.perf_counter() - started
    return total


def kind_of(name: str) -> str:
    stem = name.split("__")[-1]
    return "packet" if "packet" in stem else "cards" if stem.startswith("help-cards") else stem.split(".")[1]


# --- the run ----------------------------------------------------------------------


def project_copy(checkout: Path, folder: Path) -> Path:
    """A scratch project with ``checkout``'s content, safe to edit."""
    folder.mkdir(parents=True)
    for part in ("curriculum", "layouts", "locales"):
        shutil.copytree(checkout / part, folder / part)
    shutil.copy(checkout / "handouts.toml", folder / "handouts.toml")
    return folder


def run(args: argparse.Namespace) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    what = () if args.full else tuple(args.only.split()) if args.only else SUBSET
    head, base, old = (tree(rev, scratch) for rev in ("HEAD", args.baseline, args.before_flex))
    result: dict[str, Any] = {"what": "all default products" if args.full else " ".join(what)}
    result["jobs"], result["repeat"] = args.jobs, args.repeat
    walls: dict[str, list[float]] = defaultdict(list)
    engine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    html = scratch / "html"
    for rep in range(args.repeat):
        for name, checkout in (("head", head), ("base", base)):
            for jobs in (1, args.jobs):
                out, times = scratch / f"{name}-{rep}-{jobs}", scratch / f"{name}-{rep}-{jobs}.jsonl"
                dump = html if (name == "head" and rep == 0 and jobs == 1) else None
                walls[f"{name}_cold_j{jobs}"].append(
                    handouts(checkout, out, *what, "-j", str(jobs), times=times, html=dump)
                )
                engine[f"{name}_j{jobs}"] += lines(times)
                if jobs == args.jobs:
                    for _ in range(3):
                        walls[f"{name}_noop"].append(handouts(checkout, out, *what, "-j", str(jobs)))
    for name, checkout in (("head", head), ("base", base)):
        for rep in range(args.repeat):
            project = project_copy(checkout, scratch / f"edit-{name}-{rep}")
            out = scratch / f"edit-{name}-{rep}-out"
            handouts(checkout, out, "-C", str(project), *EDIT_SET, "-j", str(args.jobs))
            path = project / EDIT[0]
            path.write_text(path.read_text().replace(EDIT[1], EDIT[2]))
            before = {
                e["path"]: e["sha256"] for e in json.loads((out / "manifest.json").read_text())["documents"]
            }
            times = scratch / f"edit-{name}-{rep}.jsonl"
            walls[f"{name}_edit"].append(
                handouts(checkout, out, "-C", str(project), *EDIT_SET, "-j", str(args.jobs), times=times)
            )
            result[f"{name}_edit_rebuilt"] = sorted(line["path"] for line in lines(times))
            result[f"{name}_edit_of"] = len(before)
    # Handout engine time: HEAD against the commit before the flex help block, same machine, paired.
    for rep in range(args.repeat):
        for name, checkout in (("head", head), ("before_flex", old)):
            times = scratch / f"handouts-{name}-{rep}.jsonl"
            handouts(
                checkout, scratch / f"h-{name}-{rep}", "-l", "en-US", "-k", "handout", "-j", "1", times=times
            )
            engine[f"handout_{name}"] += lines(times)
    result["noop_growth"] = noop_growth(head, scratch, scratch / "head-0-1/manifest.json", args.repeat)
    result["scripts"] = per_script(head, scratch, args.repeat)
    documents = sorted(html.glob("*.html"))
    pool = {jobs: bare_pool(documents, jobs) for jobs in (1, args.jobs)}
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for document in documents:
        by_kind[kind_of(document.name)].append(document)
    sample = [d for kind in sorted(by_kind) for d in by_kind[kind][: args.cli_docs]]
    cli = cli_per_document(sample)
    pool_sample = sum(pool[1][1][d.name] for d in sample)
    result.update(documents=len(documents), walls={k: [round(v, 3) for v in vs] for k, vs in walls.items()})
    result["pool_wall"] = {jobs: round(wall, 3) for jobs, (wall, _) in pool.items()}
    result["cli"] = {
        "documents": len(sample),
        "seconds": round(cli, 3),
        "pool_j1_seconds": round(pool_sample, 3),
    }
    result["engine_median"] = {
        key: {
            kind: round(median([x["seconds"] for x in ls if x["kind"] == kind]), 3)
            for kind in sorted({x["kind"] for x in ls})
        }
        for key, ls in engine.items()
    }
    result["pool_engine_median"] = {
        kind: round(median([pool[1][1][d.name] for d in ds]), 3) for kind, ds in sorted(by_kind.items())
    }
    common = {x["path"] for x in engine["handout_head"]} & {x["path"] for x in engine["handout_before_flex"]}
    result["handout_common"] = len(common)
    for key in ("handout_head", "handout_before_flex"):
        result[f"{key}_median"] = round(median([x["seconds"] for x in engine[key] if x["path"] in common]), 3)
    sizes: dict[str, list[int]] = defaultdict(list)
    for entry in json.loads((scratch / "head-0-1/manifest.json").read_text())["documents"]:
        sizes[entry["kind"]].append(entry["bytes"])
    result["sizes_kb"] = {
        k: [round(min(v) / 1024), round(median(v) / 1024), round(max(v) / 1024)]
        for k, v in sorted(sizes.items())
    }
    peaks: dict[int, float] = defaultdict(float)
    for line in engine[f"head_j{args.jobs}"]:
        peaks[line.get("pid", 0)] = max(peaks[line.get("pid", 0)], line.get("rss_mib", 0.0))
    result["peak_worker_mib"] = round(max(peaks.values()), 1) if peaks else None
    subprocess.run(["git", "-C", ROOT, "worktree", "prune"], check=False)
    for checkout in (base, old):
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", checkout], check=False)
    shutil.rmtree(scratch, ignore_errors=True)
    return result


def noop_growth(checkout: Path, scratch: Path, manifest: Path, repeat: int) -> dict[str, Any]:
    """The no-op for about 100 and about 1,000 targets, timed alternately (HEAD only).

    The output folders are made by ``bench/synthetic.py`` as a finished build leaves them,
    without rendering a thousand documents first.
    """
    env = {**os.environ, "PYTHONPATH": str(checkout), "SOURCE_DATE_EPOCH": EPOCH}
    sizes: dict[str, Any] = {}
    for name, locales in (("small", SMALL_LOCALES), ("large", LARGE_LOCALES)):
        out = scratch / f"noop-{name}"
        made = subprocess.run(
            [sys.executable, str(SYNTHETIC), str(out), str(manifest), *locales],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        args = [a for locale in locales for a in ("-l", locale)]
        handouts(checkout, out, *args)  # the checked project kept in the cache, as after a build
        sizes[name] = {"targets": int(made.stdout.split()[-1]), "out": out, "args": args, "seconds": []}
    for _ in range(max(3, repeat * 2)):
        for name in ("small", "large"):
            size = sizes[name]
            size["seconds"].append(handouts(checkout, size["out"], *size["args"]))
    ratios = [b / a for a, b in zip(sizes["small"]["seconds"], sizes["large"]["seconds"], strict=True)]
    return {
        name: {"targets": size["targets"], "seconds": [round(x, 3) for x in size["seconds"]]}
        for name, size in sizes.items()
    } | {"ratio": round(median(ratios), 3)}


def per_script(checkout: Path, scratch: Path, repeat: int) -> dict[str, Any]:
    """Engine time and size of handouts and flyers in each script, one build per repetition (HEAD)."""
    args = [a for locale in SCRIPTS.values() for a in ("-l", locale)]
    lines_: list[dict[str, Any]] = []
    entries: dict[str, dict[str, Any]] = {}
    for rep in range(repeat):
        out, times = scratch / f"scripts-{rep}", scratch / f"scripts-{rep}.jsonl"
        handouts(checkout, out, *args, *SCRIPT_SET, "-j", "1", times=times)
        lines_ += lines(times)
        for entry in json.loads((out / "manifest.json").read_text())["documents"]:
            entries[entry["path"]] = entry
    result: dict[str, Any] = {}
    for script, locale in SCRIPTS.items():
        for kind in ("handout", "flyer"):
            seconds = [
                x["seconds"] for x in lines_ if x["kind"] == kind and x["path"].startswith(locale + "/")
            ]
            mine = [
                e for e in entries.values() if e["kind"] == kind and e["locale"] == locale and "bytes" in e
            ]
            result[f"{script} {kind}"] = {
                "locale": locale,
                "documents": len(mine),
                "engine_s": round(median(seconds), 3),
                "kb": [
                    round(min(e["bytes"] for e in mine) / 1024),
                    round(median([e["bytes"] for e in mine]) / 1024),
                    round(max(e["bytes"] for e in mine) / 1024),
                ]
                if mine
                else [],
                "untranslated": round(median([e["translation"].get("missing", 0) for e in mine]))
                if mine
                else 0,
            }
    return result


def paired(result: dict[str, Any], a: str, b: str) -> float:
    """The median of run-by-run ratios b / a."""
    ws = result["walls"]
    return median([y / x for x, y in zip(ws[a], ws[b], strict=False)])


def table(r: dict[str, Any], jobs: int) -> str:
    """The results as a Markdown table."""
    w = {k: median(v) for k, v in r["walls"].items()}
    rows = [
        (
            "cold build --jobs 1 (s)",
            w["head_cold_j1"],
            w["base_cold_j1"],
            paired(r, "head_cold_j1", "base_cold_j1"),
        ),
        (
            f"cold build --jobs {jobs} (s)",
            w[f"head_cold_j{jobs}"],
            w[f"base_cold_j{jobs}"],
            paired(r, f"head_cold_j{jobs}", f"base_cold_j{jobs}"),
        ),
        ("no-op rebuild (s)", w["head_noop"], w["base_noop"], w["base_noop"] / w["head_noop"]),
        ("one-band edit, rebuild (s)", w["head_edit"], w["base_edit"], w["base_edit"] / w["head_edit"]),
    ]
    out = ["| measure | HEAD | baseline | baseline / HEAD |", "|---|---:|---:|---:|"]
    out += [f"| {name} | {h:.2f} | {b:.2f} | {ratio:.2f}x |" for name, h, b, ratio in rows]
    out.append(
        f"| one-band edit: documents remade | {len(r['head_edit_rebuilt'])} of {r['head_edit_of']} "
        f"| {len(r['base_edit_rebuilt'])} of {r['base_edit_of']} | |"
    )
    for kind in sorted(r["engine_median"]["head_j1"]):
        h, b = r["engine_median"]["head_j1"][kind], r["engine_median"]["base_j1"].get(kind, float("nan"))
        out.append(f"| median engine time, {kind} (s) | {h:.3f} | {b:.3f} | {b / h:.2f}x |")
    pool = r["pool_wall"]
    handout_ratio = r["handout_head_median"] / r["handout_before_flex_median"]
    out += [
        "",
        "| against the engine alone (same HTML) | value |",
        "|---|---:|",
        f"| bare warm pool --jobs 1 / HEAD cold --jobs 1 (throughput, target >= 0.9) | "
        f"{pool['1'] / w['head_cold_j1']:.2f} |",
        f"| bare warm pool --jobs {jobs} / HEAD cold --jobs {jobs} | "
        f"{pool[str(jobs)] / w[f'head_cold_j{jobs}']:.2f} |",
        f"| one `weasyprint` process per document / warm pool, {r['cli']['documents']} documents "
        f"| {r['cli']['seconds'] / r['cli']['pool_j1_seconds']:.2f}x slower |",
        f"| handout engine time, HEAD vs {r['before_flex']} (before the flex help block), median of "
        f"{r['handout_common']} en-US handouts | {r['handout_head_median']:.3f} s vs "
        f"{r['handout_before_flex_median']:.3f} s = {handout_ratio:.2f} "
        "(target <= 0.33) |",
        f"| peak memory of a worker (MiB, target <= 150) | {r['peak_worker_mib']} |",
    ]
    growth = r.get("noop_growth")
    if growth:
        small, large = growth["small"], growth["large"]
        out.append(
            f"| no-op rebuild, {small['targets']} vs {large['targets']} targets (s, median; target <= 1.10x) "
            f"| {median(small['seconds']):.2f} vs {median(large['seconds']):.2f} = {growth['ratio']:.2f}x |"
        )
    out += [
        "",
        "| kind | bare pool median (s) | PDF size min / median / max (KB) |",
        "|---|---:|---:|",
    ]
    for kind, sizes in r["sizes_kb"].items():
        engine = r["pool_engine_median"].get(kind, float("nan"))
        out.append(f"| {kind} | {engine:.3f} | {' / '.join(map(str, sizes))} |")
    scripts = r.get("scripts")
    if scripts:
        out += [
            "",
            "| script, kind (adults, --allow-fallback) | locale | documents | median engine time (s) "
            "| PDF size min / median / max (KB) | untranslated strings (median) |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for name, row in scripts.items():
            sizes_ = " / ".join(map(str, row["kb"])) or "-"
            out.append(
                f"| {name} | {row['locale']} | {row['documents']} | {row['engine_s']:.3f} | {sizes_} "
                f"| {row['untranslated']} |"
            )
        latin, cjk = scripts.get("Latin handout"), scripts.get("CJK handout")
        if latin and cjk and cjk["kb"]:
            out.append(
                f"\nChinese handout / English handout, median engine time: "
                f"{cjk['engine_s'] / latin['engine_s']:.2f}x (target <= 1.5); largest Chinese handout "
                f"{cjk['kb'][2]} KB (target <= 200).\n"
            )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="every default product, not the subset")
    parser.add_argument("--baseline", default=BASELINE, help=f"commit to compare with (default {BASELINE})")
    parser.add_argument("--before-flex", default=BEFORE_FLEX, help="commit for the handout engine time")
    parser.add_argument("--only", help="build arguments choosing another subset, e.g. '-l en-US -b adults'")
    parser.add_argument("--repeat", type=int, default=2, help="paired repetitions (default 2)")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--cli-docs", type=int, default=2, help="weasyprint processes per kind (default 2)")
    parser.add_argument("--report", action="store_true", help="only rewrite the table from the last results")
    parser.add_argument(
        "--scripts-only", action="store_true", help="measure the scripts again into the last results"
    )
    args = parser.parse_args()
    saved = ROOT / "bench/results/bench.json"
    if args.scripts_only:
        result = json.loads(saved.read_text())
        scratch = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
        result["scripts"] = per_script(ROOT, scratch, args.repeat)
        shutil.rmtree(scratch, ignore_errors=True)
        saved.write_text(json.dumps(result, indent=2) + "\n")
        args.report = True
    if args.report:
        result = json.loads(saved.read_text())
        args.jobs, args.repeat, args.baseline = result["jobs"], result["repeat"], result["baseline"]
    else:
        result = run(args)
        result.update(baseline=args.baseline, before_flex=args.before_flex)
        result = json.loads(json.dumps(result))  # keys as JSON has them (the pool's jobs as strings)
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(result, indent=2) + "\n")
    text = table(result, args.jobs)
    print(text)
    readme = ROOT / "bench/README.md"
    head = readme.read_text().split(MARK)[0] if readme.exists() else ""
    readme.write_text(
        f"{head}{MARK}\n\nWhat: {result['what']}, {result['documents']} documents; --jobs {args.jobs}; "
        f"{args.repeat} paired runs; baseline {args.baseline}.\n\n{text}"
    )


MARK = "## Last run"

if __name__ == "__main__":
    main()
