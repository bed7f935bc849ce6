"""`handouts serve` as an author uses it: start it on a project, edit a module, see the page change
in a real browser (Debian's chromium via Playwright); break the YAML, see file:line on the page
while the server keeps running."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run
from tests.test_web import browser, shots  # noqa: F401 (fixtures: the browser and the screenshot folder)

MODULE = "curriculum/modules/body-safety.yaml"
HEADING = 'heading: "Body safety online"'
PAGE = "/en-US/grades-3-5/body-safety.handout.html"
THUMB = "/__preview/thumb/"


class Server:
    """A `handouts serve` process and what it printed."""

    def __init__(self, project: Path, output: Path):
        self.project = project
        command = [str(Path(sys.executable).parent / "handouts"), "-C", str(project), "serve", "--port", "0"]
        command += ["-m", "body-safety", "-m", "saying-no", "-b", "grades-3-5", "-k", "handout"]
        self.process = subprocess.Popen(
            [*command, "-l", "en-US", "-j", "1", "--out", str(output)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self.wait_for(r"on (http://127\.0\.0\.1:\d+/)").group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 180) -> re.Match[str]:
        """The first line printed that matches ``pattern`` (waiting for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def status(self, path: str) -> int:
        host, port = self.url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        return status

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.reader.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A project of its own (`handouts init`) with one module copied in to edit, being served."""
    project = tmp_path / "org"
    assert run("init", project).exit_code == 0
    (project / "curriculum/modules").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / MODULE, project / MODULE)
    served = Server(project, tmp_path / "out")
    yield served
    served.stop()


def test_an_edit_rebuilds_one_product_and_the_open_page_shows_it_and_a_broken_one_its_line(
    server: Server,
    browser: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    project = server.project
    server.wait_for(r"4 built, 0 unchanged")  # two handouts, each a PDF and a web page
    # Loopback, and nothing outside the output folder (nor its dot-folders, nor folder listings).
    assert server.url.startswith("http://127.0.0.1:")
    assert server.status("/manifest.json") == 200 and server.status(PAGE) == 200
    outside_or_hidden = ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.cache/", "/.handouts.lock")
    for outside in (*outside_or_hidden, "/en-US/", THUMB + "../../../etc/passwd"):
        assert server.status(outside) == 404, outside
    index = browser.new_page(viewport={"width": 1000, "height": 900})
    index.goto(server.url)
    rows = index.locator("tbody tr")
    assert rows.count() == 2
    assert "body-safety" in rows.first.inner_text() and "passed" in rows.first.inner_text()
    thumbnail = rows.first.locator("img")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") > 100
    index.screenshot(path=str(shots / "serve-index.png"), full_page=True)

    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto(server.url.rstrip("/") + PAGE)
    assert "Body safety online" in page.inner_text("main")
    source = project / MODULE
    text = source.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1
    source.write_text(text.replace(HEADING, 'heading: "Body safety on every screen"'), encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('Body safety on every screen')", timeout=60_000)
    server.wait_for(r"2 built, 2 unchanged")  # the edited module's handout only, PDF and web page
    page.screenshot(path=str(shots / "serve-edited.png"), full_page=True)

    # A broken YAML edit: the page shows where, the server keeps running and recovers.
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if "Body safety on every screen" in line)
    lines.insert(number, "          oops: : :\n")
    source.write_text("".join(lines), encoding="utf-8")
    where = f"curriculum/modules/body-safety.yaml:{number + 1}:"
    page.wait_for_function(f"document.body.innerText.includes({where!r})", timeout=60_000)
    assert page.get_by_role("alert").is_visible()
    index.wait_for_function(f"document.body.innerText.includes({where!r})", timeout=60_000)
    page.screenshot(path=str(shots / "serve-error.png"), full_page=True)
    assert server.process.poll() is None
    source.write_text(text.replace(HEADING, 'heading: "Body safety, screen by screen"'), encoding="utf-8")
    fixed = "document.body.innerText.includes('Body safety, screen by screen')"
    page.wait_for_function(fixed, timeout=60_000)
    assert page.get_by_role("alert").count() == 0
    page.close()
    index.close()


def test_the_preview_page_says_why_a_product_was_skipped(tmp_path: Path) -> None:
    """A new sentence the Spanish catalog lacks: the es-US handout is skipped, and the page says which."""
    from handouts.serve import Preview, Selection

    project = tmp_path / "org"
    assert run("init", project).exit_code == 0
    (project / "curriculum/modules").mkdir(parents=True, exist_ok=True)
    text = (ROOT / MODULE).read_text(encoding="utf-8")
    (project / MODULE).write_text(text.replace(HEADING, 'heading: "Body safety, screen by screen"'))
    selection = Selection(("body-safety",), ("grades-3-5",), ("es-US",), ("handout",))
    preview = Preview(project, tmp_path / "out", selection)
    log: list[str] = []
    preview.rebuild(log.append)
    assert "0 built, 0 unchanged, 2 skipped" in log[0]
    page = preview.index()
    assert '<td class="skipped">skipped' in page and "Body safety, screen by screen" in page
