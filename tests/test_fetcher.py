"""WeasyPrint may read the project's own files and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.errors import RenderError
from handouts.render import Page, ProjectFetcher, Renderer

from .conftest import ROOT

PAGE = Page(paper="A4", footer_left="", footer_right="", page_template="%(page)s", body_pt=11)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(ROOT / "layouts", [ROOT / "curriculum"])


def test_project_files_are_served(tmp_path: Path) -> None:
    fetcher = ProjectFetcher([ROOT / "layouts"])
    response = fetcher.fetch((ROOT / "layouts/style.css").as_uri())
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://127.0.0.1/x.css",
        "file:///etc/passwd",
        "ftp://example.org/a",
    ],
)
def test_network_and_outside_files_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        ProjectFetcher([ROOT / "layouts"]).fetch(url)


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "layouts"
    inside.mkdir()
    (inside / "escape.css").symlink_to("/etc/hostname")
    with pytest.raises(ValueError, match="outside"):
        ProjectFetcher([inside]).fetch((inside / "escape.css").as_uri())


def test_a_document_that_reaches_outside_fails_instead_of_printing_without_it(renderer: Renderer) -> None:
    html = (
        '<html lang="en"><title>t</title><body>'
        '<img src="file:///etc/hostname" alt="x"><p>Hi</p></body></html>'
    )
    with pytest.raises(RenderError, match="outside the project"):
        renderer.pdf(html, PAGE, "probe.pdf")


def test_page_budget_fails_a_document_that_is_too_long(renderer: Renderer) -> None:
    html = '<html lang="en"><title>t</title><body>' + "<p>Line.</p>" * 400 + "</body></html>"
    with pytest.raises(RenderError, match="must fit on 2"):
        renderer.pdf(html, PAGE, "long.pdf", max_pages=2)
