"""Runs ``handouts`` in this process with two probes, for ``bench_build.py`` (never for users).

    python bench/probe.py TIMES.jsonl HTML_DIR -- <handouts arguments>

TIMES.jsonl gets one line per document made: its path, kind and the seconds ``make_pdf``
took (the engine time: parts, fitting trials, writing, tagging). HTML_DIR ('-' for none)
gets the last HTML and page CSS each document was laid out with, so a bare WeasyPrint pool
can render exactly the same HTML. It works on older commits too (``make_pdf`` and
``Renderer.layout`` have kept their names), with the commit's folder first on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    times, html_dir = Path(sys.argv[1]), sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1 :]
    import handouts.build
    import handouts.making
    import handouts.render

    made = handouts.making.make_pdf

    def timed(product: Any, job: Any, renderer: Any, *rest: Any) -> Any:
        started = time.perf_counter()
        result = made(product, job, renderer, *rest)
        seconds = time.perf_counter() - started
        with times.open("a") as handle:
            path = job.target.path.as_posix()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            line = {
                "path": path,
                "kind": job.target.kind,
                "seconds": seconds,
                "pid": os.getpid(),
                "rss_mib": rss,
            }
            handle.write(json.dumps(line) + "\n")
        return result

    handouts.making.make_pdf = timed
    build_module = sys.modules["handouts.build"]  # (``handouts.build`` is also the function's name)
    if hasattr(build_module, "make_pdf"):
        build_module.make_pdf = timed
    if html_dir != "-":
        folder = Path(html_dir)
        folder.mkdir(parents=True, exist_ok=True)
        layout = handouts.render.Renderer.layout

        def dumped(self: Any, html: str, css: str, name: str) -> Any:
            stem = name.replace("/", "__")
            (folder / f"{stem}.html").write_text(html)
            (folder / f"{stem}.css").write_text(css)
            return layout(self, html, css, name)

        handouts.render.Renderer.layout = dumped  # type: ignore[method-assign]
        try:
            import handouts.joining
        except ImportError:  # a commit before packets were joined part by part
            return run(args)
        joined = handouts.joining.joined

        def whole(renderer: Any, product: Any, parts: Any, meta: Any, page: Any, name: str) -> Any:
            # A packet laid out part by part is, for the pool, the whole packet in one document.
            result = joined(renderer, product, parts, meta, page, name)
            product.paginate(parts, None)
            from handouts.fitting import document_html, parts_css

            stem = name.replace("/", "__")
            (folder / f"{stem}.html").write_text(document_html(renderer, parts, meta))
            (folder / f"{stem}.css").write_text(page.css() + parts_css(parts))
            return result

        handouts.joining.joined = whole
        handouts.making.joined = whole  # type: ignore[attr-defined]
    run(args)


def run(args: list[str]) -> None:
    from cli import cli

    cli.main(args, prog_name="handouts")


if __name__ == "__main__":
    main()
