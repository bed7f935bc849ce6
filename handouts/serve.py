"""`handouts serve`: a live preview of the products, rebuilt as their sources change.

The first build makes what the filters select (PDFs, and the web edition of the kinds that
have one); a page at ``/`` lists every product with a thumbnail of its first page, its page
count, translation, review and preflight state, and the problem of any that failed or was
skipped. ``watchfiles`` watches the sources; each change runs the incremental build (same
rules, so only what changed is remade), and the open pages reload: a small script in each
served HTML page polls ``/__preview/version`` (no websocket, nothing to install). A content
error is shown on every page with its file:line, and the server keeps running.

The server is the standard library's (``http.server``), bound to loopback unless told
otherwise, and serves only files inside the output folder (no dot-folders such as ``.cache``);
thumbnails are drawn in memory with pypdfium2, nothing is written for them.
"""

from __future__ import annotations

import html
import io
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .build import Report, build, plan, read_manifest
from .cache import Digests, cached_project, keep_project, project_cache
from .errors import HandoutsError
from .products import Options, Target
from .project import Project
from .web import WEB_KINDS, web_target, write_index

#: What a project is made of: a change under any of these rebuilds.
WATCHED = ("curriculum", "layouts", "locales", "assets")
VERSION_PATH = "/__preview/version"
THUMB_PREFIX = "/__preview/thumb/"


@dataclass(frozen=True)
class Selection:
    """What the preview builds: the build's filters, planned anew for each rebuild."""

    modules: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    options: Options = field(default_factory=Options)

    def targets(self, project: Project) -> list[Target]:
        """The PDFs the filters select, then the web pages of those that have one."""
        pdfs = plan(project, self.modules, self.bands, self.locales, self.kinds, self.options)
        return pdfs + [web_target(target) for target in pdfs if target.kind in WEB_KINDS]


class Preview:
    """The state the server shows: the output folder, the last build and its problem."""

    def __init__(self, root: Path | None, output: Path, selection: Selection, jobs: int = 1):
        self.root = root
        self.output = output.resolve()
        self.selection = selection
        self.jobs = jobs
        self.version = 0
        self.error = ""  # the last build's problem, shown on every page ('' when it built)
        self.summary = ""
        self.lock = threading.Lock()
        self._thumbs: dict[str, tuple[float, bytes]] = {}  # by PDF: its mtime and its thumbnail
        self._pdfium = threading.Lock()  # PDFium is not thread-safe; the server answers in threads
        self.output.mkdir(parents=True, exist_ok=True)

    def watched(self) -> list[Path]:
        """The folders and settings file a change in which rebuilds (the project's and the built-in)."""
        from .sources import SETTINGS_FILE, Sources

        sources = Sources(self.root)
        paths = [folder for name in WATCHED for folder in sources.folders(name)]
        if self.root is not None:
            paths += [self.root / name for name in WATCHED] + [self.root / SETTINGS_FILE]
        return sorted({path.resolve() for path in paths if path.exists()})

    def rebuild(self, log: Callable[[str], None] = print) -> Report | None:
        """Load the project and build what changed; a content error is kept to show, never raised."""
        with self.lock:
            report = None
            try:
                folder = project_cache(self.root, self.output)
                digests = Digests()
                if folder is None:
                    raise HandoutsError(
                        f"{self.output} is inside the project's sources; choose another --out"
                    )
                project, keep = cached_project(self.root, folder, digests)
                options = replace(self.selection.options, locales=self._locales(project))
                selection = replace(self.selection, options=options)
                report = build(
                    project, self.output, selection.targets(project), options, self.jobs, digests=digests
                )
                if keep is not None:
                    keep_project(project, keep)
                write_index(self.output)
                failed = [f"{o.target.path.as_posix()}: {o.message}" for o in report.failed]
                self.error = "\n".join(failed)
                self.summary = report.summary()
            except HandoutsError as error:
                self.error = error.format_message()
                self.summary = "the build stopped: nothing was rebuilt"
            except Exception as error:  # noqa: BLE001 (shown on the page; the server keeps running)
                self.error = f"the build failed: {type(error).__name__}: {error}"
                self.summary = "the build stopped: nothing was rebuilt"
            self.version += 1
            log(f"{time.strftime('%H:%M:%S')} {self.summary}")
            if self.error:
                log(self.error)
            return report

    def _locales(self, project: Project) -> tuple[str, ...]:
        from .i18n import parse_locale

        return tuple(parse_locale(tag).tag for tag in (self.selection.locales or project.settings.locales))

    def thumbnail(self, relative: str) -> bytes | None:
        """A PNG of a PDF's first page, about 200 px wide (kept in memory until the PDF changes)."""
        path = self.output / relative
        if path.suffix != ".pdf" or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        with self._pdfium:
            kept = self._thumbs.get(relative)
            if kept is None or kept[0] != mtime:
                import pypdfium2

                document = pypdfium2.PdfDocument(str(path))
                try:
                    page = document[0]
                    image = page.render(scale=200 / page.get_width()).to_pil()
                    buffer = io.BytesIO()
                    image.save(buffer, format="PNG")
                    kept = self._thumbs[relative] = (mtime, buffer.getvalue())
                finally:
                    document.close()
        return kept[1]

    # --- pages ----------------------------------------------------------------

    def banner(self) -> str:
        """The live-reload script, and the last build's problem if any (inserted into served pages)."""
        script = (
            f"<script>(() => {{ const seen = '{self.version}'; setInterval(async () => {{ try {{ "
            f"const r = await fetch('{VERSION_PATH}', {{cache: 'no-store'}}); "
            "if ((await r.text()) !== seen) location.reload(); } catch (e) {} }, 700); })();</script>"
        )
        if not self.error:
            return script
        return (
            '<div role="alert" class="preview-error" lang="en" dir="ltr" style="border: 3px solid #b00020; '
            "background: #fff0f0; color: #5c0010; padding: 0.75rem 1rem; margin: 0.5rem 0; font: 15px/1.4 "
            'monospace; white-space: pre-wrap;"><strong>The last build failed:</strong>\n'
            f"{html.escape(self.error)}</div>{script}"
        )

    def index(self) -> str:
        """The preview's own page: every product, with its thumbnail, pages and states."""
        manifest = read_manifest(self.output)
        rows = []
        for key, entry in sorted(manifest.items(), key=lambda item: _order(item[1])):
            if key.endswith(".html"):
                continue
            rows.append(self._row(key, entry, manifest.get(str(Path(key).with_suffix(".html")))))
        table = "\n".join(rows) or '<tr><td colspan="6">Nothing built yet.</td></tr>'
        return (
            '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
            "<title>handouts preview</title>\n<style>\n"
            "body { font: 15px/1.45 system-ui, sans-serif; margin: 1rem 2rem; color: #1a1a1a; }\n"
            "table { border-collapse: collapse; } th, td { border-bottom: 1px solid #ccc; padding: 0.4rem; "
            "text-align: start; vertical-align: top; }\n"
            "img { border: 1px solid #999; width: 100px; } .failed, .skipped, .stale { color: #b00020; }\n"
            "a { color: #1d5c8c; }\n</style>\n</head>\n<body>\n"
            f"<h1>handouts preview</h1>\n{self.banner()}\n"
            f'<p>{html.escape(self.summary)} · <a href="/index.html">web edition</a></p>\n'
            '<table>\n<thead><tr><th scope="col">First page</th><th scope="col">Product</th>'
            '<th scope="col">Pages</th><th scope="col">Translation</th><th scope="col">Preflight</th>'
            '<th scope="col">State</th></tr></thead>\n<tbody>\n'
            f"{table}\n</tbody>\n</table>\n</body>\n</html>\n"
        )

    def _row(self, key: str, entry: dict[str, Any], web: dict[str, Any] | None) -> str:
        status = entry.get("status", "")
        name = html.escape(
            " · ".join(x for x in (entry.get("locale"), entry.get("band"), entry.get("module")) if x)
        )
        link = f'<a href="/{html.escape(key)}">{html.escape(entry.get("kind", ""))} (PDF)</a>'
        if web and (self.output / web["path"]).is_file():
            link += f' · <a href="/{html.escape(web["path"])}">web page</a>'
        thumb = ""
        if status in ("current", "stale") and (self.output / key).is_file():
            thumb = f'<img src="{THUMB_PREFIX}{html.escape(key)}" alt="First page of {html.escape(key)}">'
        translation = entry.get("translation") or {}
        state = translation.get("state", "")
        if translation.get("reviewed_by"):
            state += f" (reviewed by {translation['reviewed_by']})"
        elif translation.get("missing"):
            state += f" ({translation['missing']} missing)"
        preflight = (entry.get("preflight") or {}).get("state", "—")
        problem = f"<br>{html.escape(entry['problem'])}" if entry.get("problem") else ""
        return (
            f"<tr><td>{thumb}</td><td>{name}<br>{link}</td><td>{entry.get('pages', '—')}</td>"
            f"<td>{html.escape(state)}</td><td>{html.escape(preflight)}</td>"
            f'<td class="{html.escape(status)}">{html.escape(status)}{problem}</td></tr>'
        )


def _order(entry: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(entry.get(key, "")) for key in ("locale", "band", "module", "kind", "path"))


class Handler(SimpleHTTPRequestHandler):
    """Files of the output folder only; HTML pages get the reload script and the error banner."""

    preview: Preview

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.output), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        """Quiet: the terminal shows the builds, not every request."""

    def do_GET(self) -> None:
        """The preview's page, its version and thumbnails, or a file of the output folder."""
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            return self._send(self.preview.index().encode(), "text/html; charset=utf-8")
        if path == VERSION_PATH:
            return self._send(str(self.preview.version).encode(), "text/plain")
        if path.startswith(THUMB_PREFIX):
            relative = path[len(THUMB_PREFIX) :]
            png = self.preview.thumbnail(relative) if self._inside(relative) else None
            return self._send(png, "image/png") if png else self.send_error(HTTPStatus.NOT_FOUND)
        relative = path.lstrip("/")
        if not self._inside(relative):
            return self.send_error(HTTPStatus.NOT_FOUND)
        file = self.preview.output / relative
        if file.suffix == ".html" and file.is_file():
            return self._send(
                _with_banner(file.read_text(encoding="utf-8"), self.preview.banner()),
                "text/html; charset=utf-8",
            )
        return super().do_GET()

    def do_HEAD(self) -> None:
        """Only GET is answered (HEAD of a file of the output folder too)."""
        relative = unquote(urlsplit(self.path).path).lstrip("/")
        if not self._inside(relative):
            return self.send_error(HTTPStatus.NOT_FOUND)
        return super().do_HEAD()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No folder listings: the preview's page at / lists what there is."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _inside(self, relative: str) -> bool:
        """Whether a requested path is a file or folder inside the output folder, no dot-folder on the way."""
        parts = Path(relative).parts
        if any(part.startswith(".") for part in parts):
            return False
        resolved = (self.preview.output / relative).resolve()
        return resolved.is_relative_to(self.preview.output) and resolved.exists()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _with_banner(page: str, banner: str) -> bytes:
    """The page with the banner (reload script, last error) at the top of its body."""
    found = re.search(r"<body[^>]*>", page)
    at = found.end() if found else 0
    return (page[:at] + banner + page[at:]).encode()


def server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server for the preview (not yet serving); port 0 picks a free one."""
    return ThreadingHTTPServer((host, port), partial(Handler, preview=preview))


def watch(preview: Preview, stop: threading.Event, log: Callable[[str], None] = print) -> Iterator[int]:
    """Rebuild on each change of the sources until ``stop`` is set; yields each new version."""
    from watchfiles import watch as watch_files

    for changes in watch_files(*preview.watched(), stop_event=stop, debounce=300, step=100):
        names = sorted({Path(path).name for _, path in changes})
        log(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
        preview.rebuild(log)
        yield preview.version


def serve(preview: Preview, host: str, port: int, open_browser: bool, log: Callable[[str], None]) -> None:
    """Build, serve and rebuild on every change until interrupted (Ctrl+C)."""
    preview.rebuild(log)
    httpd = server(preview, host, port)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{httpd.server_address[1]}/"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    log(f"Serving {preview.output} on {url} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    stop = threading.Event()
    try:
        for _ in watch(preview, stop, log):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


__all__: Sequence[str] = ("Preview", "Selection", "serve", "server", "watch")
