"""The web edition (`build --format html`) read in a real browser: Debian's chromium, headless,
driven by Playwright, with axe-core (from the npm registry, installed by `make test`) run on
the pages. Screenshots go to $HANDOUTS_SCREENSHOTS (default: the test's temporary folder)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run

AXE = ROOT / ".node/node_modules/axe-core/axe.min.js"
CHROMIUM = shutil.which("chromium")
PAGES = (
    "grades-3-5/body-safety.handout.html",
    "grades-3-5/body-safety.letter.html",
    "grades-3-5/body-safety.lesson.html",
    "adults/body-safety.handout.html",
    "adults/body-safety.flyer.html",
)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """body-safety's web pages for grades 3-5 and adults in English and Arabic (fallback allowed)."""
    output = tmp_path_factory.mktemp("web")
    args = ["-C", ROOT, "build", "--format", "html", "-m", "body-safety", "-b", "grades-3-5", "-b", "adults"]
    args += ["-k", "handout", "-k", "letter", "-k", "lesson", "-k", "flyer", "-l", "en-US", "-l", "ar-US"]
    result = run(*args, "--allow-fallback", "-j", "1", "--out", output)
    assert result.exit_code == 0, result.output
    return output


def test_every_page_is_built_with_its_language_direction_and_an_index(web: Path) -> None:
    for tag, direction in (("en-US", "ltr"), ("ar-US", "rtl")):
        for name in PAGES:
            page = (web / tag / name).read_text(encoding="utf-8")
            assert f'<html lang="{tag}" dir="{direction}">' in page
            assert "<h1>" in page and "<h2" in page
    index = (web / "index.html").read_text(encoding="utf-8")
    for tag in ("en-US", "ar-US"):
        for name in PAGES:
            assert f'href="{tag}/{name}"' in index


def test_pages_are_self_contained(web: Path) -> None:
    """Nothing is fetched: no scripts, no linked stylesheets or fonts, every image inlined."""
    for path in web.glob("*/*/*.html"):
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page and "<link" not in page and "@import" not in page, path
        assert not re.search(r"url\((?!data:)", page), path
        assert not re.search(r'<img[^>]*src="(?!data:)', page), path
        assert all('alt="' in img for img in re.findall(r"<img[^>]*>", page)), path


def test_help_lines_are_real_links_and_draft_is_marked(web: Path) -> None:
    english = (web / "en-US/adults/body-safety.handout.html").read_text(encoding="utf-8")
    assert 'href="tel:18008435678"' in english and 'href="https://report.cybertip.org"' in english
    arabic = (web / "ar-US/adults/body-safety.handout.html").read_text(encoding="utf-8")
    assert 'class="draft"' in arabic  # the draft or incomplete-translation notice, as printed
    assert '<span lang="en" dir="ltr">' in arabic or 'class="draft-mark"' in arabic


def test_the_navigation_speaks_the_page_language(web: Path) -> None:
    english = (web / "en-US/grades-3-5/body-safety.handout.html").read_text(encoding="utf-8")
    assert '<a class="skip" href="#main">Skip to the content</a>' in english
    arabic = (web / "ar-US/grades-3-5/body-safety.handout.html").read_text(encoding="utf-8")
    # Arabic words, in the page's language (no lang="en" on the navigation any more).
    assert '<a class="skip" href="#main">الانتقال إلى المحتوى</a>' in arabic
    assert '<nav class="site" aria-label="الصفحات">' in arabic and ">جميع الصفحات</a>" in arabic
    assert '<ul class="languages" aria-label="اللغات">' in arabic
    # The index lists pages in many languages: its own words stay English, and say so.
    assert '<html lang="en" dir="ltr">' in (web / "index.html").read_text(encoding="utf-8")


def test_a_second_build_changes_nothing(web: Path) -> None:
    args = ["-C", ROOT, "build", "--format", "html", "-m", "body-safety", "-b", "grades-3-5", "-b", "adults"]
    args += ["-k", "handout", "-k", "letter", "-k", "lesson", "-k", "flyer", "-l", "en-US", "-l", "ar-US"]
    result = run(*args, "--allow-fallback", "-j", "1", "--out", web)
    assert result.exit_code == 0, result.output
    assert "0 built, 10 unchanged" in result.output


def test_the_language_switcher_links_only_to_pages_that_are_built(tmp_path: Path) -> None:
    """A German catalog just started (every string a gap): no German page, so no link to one."""
    project = tmp_path / "org"
    assert run("init", project).exit_code == 0
    assert run("-C", project, "i18n", "init", "de").exit_code == 0
    args = ["-C", project, "build", "--format", "html", "-k", "flyer", "-m", "body-safety", "-l", "en-US"]
    result = run(*args, "-l", "de-DE", "-j", "1", "--out", tmp_path / "out")
    assert result.exit_code == 0 and "1 built, 0 unchanged, 1 skipped" in result.output, result.output
    english = tmp_path / "out/en-US/adults/body-safety.flyer.html"
    assert "de-DE" not in english.read_text(encoding="utf-8")
    assert "de-DE" not in (tmp_path / "out/index.html").read_text(encoding="utf-8")
    result = run(*args, "-l", "de-DE", "--allow-fallback", "-j", "1", "--out", tmp_path / "out")
    assert result.exit_code == 0 and "2 built" in result.output, result.output
    assert 'href="../../de-DE/adults/body-safety.flyer.html"' in english.read_text(encoding="utf-8")
    # German lacks the navigation's words: they print in English, marked so for a screen reader.
    german = (tmp_path / "out/de-DE/adults/body-safety.flyer.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">All pages</span>' in german


def test_print_options_and_kinds_without_a_web_edition_are_usage_errors(tmp_path: Path) -> None:
    result = run("-C", ROOT, "build", "--format", "html", "-k", "cards", "--out", tmp_path)
    assert result.exit_code == 2 and "cards has no web edition" in result.output
    result = run("-C", ROOT, "build", "--format", "html", "--booklet", "--out", tmp_path)
    assert result.exit_code == 2 and "--booklet is for paper" in result.output


# --- in the browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or not AXE.is_file():
        message = "needs Debian's chromium and axe-core in .node/ (`make test` installs both)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("HANDOUTS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser: Any, path: Path, fetched: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path.as_uri())
    return page


def _serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, each with where it is."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{[node['target'] for node in violation['nodes'][:3]]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "name",
    ["index.html", "en-US/grades-3-5/body-safety.handout.html", "ar-US/grades-3-5/body-safety.handout.html"]
    + [f"{tag}/{page}" for tag in ("en-US", "ar-US") for page in PAGES[1:]],
)
def test_axe_finds_no_serious_violation(web: Path, browser: Any, shots: Path, name: str) -> None:
    fetched: list[str] = []
    page = _open(browser, web / name, fetched)
    page.screenshot(path=str(shots / (name.replace("/", "_") + ".png")), full_page=True)
    problems = _serious(page)
    # Nothing wider than the screen, on a laptop and on a phone.
    widths = [page.evaluate("document.documentElement.scrollWidth")]
    page.set_viewport_size({"width": 390, "height": 800})
    widths.append(page.evaluate("document.documentElement.scrollWidth"))
    page.close()
    assert not problems, "\n".join(problems)
    assert widths[0] <= 900 and widths[1] <= 390, widths
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched


def test_language_switcher_and_every_link(web: Path, browser: Any, shots: Path) -> None:
    fetched: list[str] = []
    page = _open(browser, web / "en-US/grades-3-5/body-safety.handout.html", fetched)
    assert page.get_attribute("html", "dir") == "ltr"
    page.get_by_role("link", name=re.compile("العربية")).click()
    page.wait_for_load_state()
    assert page.url.endswith("ar-US/grades-3-5/body-safety.handout.html")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar-US"
    assert page.locator("main").evaluate("main => getComputedStyle(main).direction") == "rtl"
    page.screenshot(path=str(shots / "switched-to-arabic.png"), full_page=True)
    page.get_by_role("link", name=re.compile("English")).click()
    page.wait_for_load_state()
    assert page.url.endswith("en-US/grades-3-5/body-safety.handout.html")
    # Every link of every page: pages and anchors resolve, help lines are tel:, sms: or https:.
    for path in [web / "index.html", *sorted(web.glob("*/*/*.html"))]:
        page.goto(path.as_uri())
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            if href.startswith("file:"):
                target = href.split("#")[0]
                assert Path(target.removeprefix("file://")).is_file(), f"{path}: broken link {href}"
            else:
                assert re.match(r"(tel:\+?\d+|sms:\d+|https://[\w.-]+\.\w+)", href), f"{path}: {href}"
    page.close()
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched
