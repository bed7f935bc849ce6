"""WeasyPrint may read the project's own files and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.errors import RenderError
from handouts.render import Page, ProjectFetcher, Renderer

from .conftest import ROOT

PAGE = Page(paper="A4", page_template="%(page)s")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer([ROOT / "layouts"], [ROOT / "curriculum"])


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
        renderer.layout(html, PAGE.css(), "probe.pdf")
