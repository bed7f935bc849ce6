"""Rebuilds: an edit remakes exactly the documents it shows in, and a build with nothing to do is cheap."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run

MODULE = "curriculum/modules/saying-no.yaml"
CATALOG = "locales/es/LC_MESSAGES/students.po"
TARGETS = {
    "en-US/grades-3-5/saying-no.handout.pdf",
    "en-US/grades-6-8/saying-no.handout.pdf",
    "en-US/grades-3-5/classroom-packet.pdf",
    "en-US/grades-6-8/classroom-packet.pdf",
    "es-US/grades-3-5/saying-no.handout.pdf",
    "es-US/grades-6-8/saying-no.handout.pdf",
}


def _state(out: Path) -> dict[str, tuple[int, str]]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {
        entry["path"]: ((out / entry["path"]).stat().st_mtime_ns, entry["status"])
        for entry in manifest["documents"]
    }


def _build(project: Path, out: Path, *where: str) -> set[str]:
    """Build the test's targets; the paths it remade (written anew, or skipped and marked stale)."""
    before = _state(out) if (out / "manifest.json").exists() else {}
    args = ["-C", project, "build", "-m", "saying-no", "--out", out, "-j", "2", *where]
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    after = _state(out)
    return {path for path, state in after.items() if before.get(path) != state}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_each_kind_of_input_rebuilds_exactly_its_documents(project: Path) -> None:
    out = project / "out"
    en = ["-l", "en-US", "-b", "grades-3-5", "-b", "grades-6-8", "-k", "handout", "-k", "packet"]
    es = ["-l", "es-US", "-b", "grades-3-5", "-b", "grades-6-8", "-k", "handout"]

    def both() -> set[str]:
        return _build(project, out, *en) | _build(project, out, *es)

    assert both() == TARGETS
    assert both() == set()

    # One band's sentence: that band's products and the packet holding them; the Spanish
    # handout is now missing a translation, so it is skipped (and its old file marked stale).
    _edit(project / MODULE, "Keep them short and strong.", "Keep them short and clear.")
    assert both() == {
        "en-US/grades-3-5/saying-no.handout.pdf",
        "en-US/grades-3-5/classroom-packet.pdf",
        "es-US/grades-3-5/saying-no.handout.pdf",
    }

    # Another band of the same module, and another module: nothing here.
    _edit(project / MODULE, "can make all the difference.", "can make a real difference.")
    _edit(project / "curriculum/modules/body-safety.yaml", "id: ", "# edited\nid: ")
    assert both() == set()

    # One catalog entry, used by the grades 6-8 handout only: that Spanish document alone.
    catalog = project / CATALOG
    lines = catalog.read_text(encoding="utf-8").split("\n")
    msgid = 'msgid "Requests often come from someone who has been kind, funny or flattering'
    at = next(n for n, line in enumerate(lines) if line.startswith(msgid))
    assert lines[at + 1].startswith('msgstr "') and lines[at + 1].endswith('."')
    lines[at + 1] = lines[at + 1][:-2] + '. Es así."'
    catalog.write_text("\n".join(lines), encoding="utf-8")
    assert both() == {"es-US/grades-6-8/saying-no.handout.pdf"}

    # A layout that only packets include (the lesson plan's): the packets alone.
    lesson = project / "layouts/lesson.html"
    lesson.write_text(lesson.read_text() + "{# edited #}\n")
    assert both() == {"en-US/grades-3-5/classroom-packet.pdf", "en-US/grades-6-8/classroom-packet.pdf"}

    # Help lines of a region none of them is for: nothing; of their region: all of them.
    for region, expected in (("GB", set()), ("US", TARGETS - {"es-US/grades-3-5/saying-no.handout.pdf"})):
        resources = project / f"curriculum/resources/{region}.yaml"
        resources.write_text("# checked again\n" + resources.read_text())
        assert both() == expected, region  # (the skipped Spanish handout stays skipped: unchanged)


def test_a_build_with_nothing_to_do_prints_one_line_and_never_imports_the_pdf_engine(project: Path) -> None:
    out = project / "out"
    args = ["-C", str(project), "build", "-l", "en-US", "-m", "saying-no", "-b", "adults", "-k", "flyer"]
    assert run(*args, "--out", out).exit_code == 0
    probe = (
        "import sys\nfrom cli import cli\n"
        f"cli.main({[*args, '--out', str(out)]!r}, standalone_mode=False)\n"
        "print('weasyprint' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    written = (out / "manifest.json").stat().st_mtime_ns
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr
    assert (out / "manifest.json").stat().st_mtime_ns == written  # nothing changed: not rewritten
    summary = done.stdout.splitlines()[0]
    assert summary.startswith("0 built, 1 unchanged, 0 skipped, 0 failed in "), done.stdout
    assert done.stderr == ""  # a build with nothing to do prints one line


def test_the_cached_project_still_sees_every_edit_and_locates_every_mistake(project: Path) -> None:
    out = project / "out"
    args = ("-C", project, "build", "-l", "en-US", "-m", "saying-no", "-b", "adults", "-k", "flyer")
    assert run(*args, "--out", out).exit_code == 0
    assert list((out / ".cache").glob("project-*.pickle"))
    _edit(project / MODULE, 'id: "saying-no"\ntitle: "Saying No', 'id: "saying-no"\ntitle: [broken')
    result = run(*args, "--out", out)
    assert result.exit_code == 1
    assert re.search(r"curriculum/modules/saying-no\.yaml:\d+:\d+: ", result.output), result.output


def test_a_packet_takes_its_parts_fits_from_their_own_products_and_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same date in both packets
    where = ["-C", ROOT, "build", "-l", "en-US", "-m", "saying-no", "-b", "grades-6-8", "-j", "1"]
    out, alone = tmp_path / "out", tmp_path / "alone"
    parts = ("-k", "handout", "-k", "lesson", "-k", "materials", "-k", "letter")
    assert run(*where, *parts, "--out", out).exit_code == 0
    fits = {path.name for path in out.glob(".cache/fits-*/*.json")}
    assert len(fits) >= 3  # the handout's, the lesson plan's, the family letter's, a one-page sheet's
    assert run(*where, "-k", "packet", "--out", out).exit_code == 0
    # Nothing fitted or counted again: the one thing the packet learns is its cover's page count.
    assert len({path.name for path in out.glob(".cache/fits-*/*.json")} - fits) == 1
    assert run(*where, "-k", "packet", "--out", alone).exit_code == 0
    packet = "en-US/grades-6-8/classroom-packet.pdf"
    assert (out / packet).read_bytes() == (alone / packet).read_bytes()


def test_a_pdf_changed_by_hand_is_made_again_even_with_its_old_size_and_time(project: Path) -> None:
    """The whole-build stamp (handouts/stamp.py) never keeps a file the build did not leave."""
    out = project / "out"
    args = (
        "-C",
        project,
        *["build", "-l", "en-US", "-m", "saying-no", "-b", "adults", "-k", "flyer", "-k", "handout"],
    )
    assert run(*args, "--out", out).exit_code == 0
    assert list((out / ".cache").glob("stamp-*.json"))
    assert run(*args, "--out", out).output.startswith("0 built, 2 unchanged")
    flyer = out / "en-US/adults/saying-no.flyer.pdf"
    made, seen = flyer.read_bytes(), flyer.stat()
    flyer.write_bytes(made.replace(b"%PDF-", b"%XXX-", 1))  # same size, then its old times back
    os.utime(flyer, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert "1 built, 1 unchanged" in run(*args, "--out", out).output
    assert flyer.read_bytes().startswith(b"%PDF-")
    (out / "en-US/adults/saying-no.handout.pdf").unlink()
    assert "1 built, 1 unchanged" in run(*args, "--out", out).output
    assert run(*args, "--out", out).output.startswith("0 built, 2 unchanged")


def test_a_parallel_build_starts_each_packet_once_its_parts_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers get a packet's parts first and the packet only when they are made (so it takes
    their fits instead of fitting them again), and what no packet holds after the parts."""
    import time

    build_module = sys.modules["handouts.build"]  # (``handouts.build`` is also the function's name)
    made = build_module.render_target
    log = tmp_path / "log.jsonl"

    def logged(target, options):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        outcome = made(target, options)
        with log.open("a") as handle:  # one short line per document: appends do not interleave
            handle.write(json.dumps([target.path.as_posix(), target.kind, started, time.monotonic()]) + "\n")
        return outcome

    monkeypatch.setattr(build_module, "render_target", logged)  # the forked workers inherit it
    modules = ("saying-no", "getting-help", "stand-by-you", "warning-signs")
    args = ["-C", ROOT, "build", "-l", "en-US", *[f"--module={m}" for m in modules], "-b", "adults"]
    result = run(*args, "-j", "2", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    packet = next(row for row in rows if row[1] == "packet")
    held = [row for row in rows if row[1] in ("lesson", "materials", "handout", "letter")]
    assert len(rows) > len(held) + 1 and held  # flyers and cards too
    assert packet[2] >= max(row[3] for row in held)
    first = sorted(rows, key=lambda row: row[2])[:2]
    assert all(row[1] in ("lesson", "materials", "handout", "letter") for row in first)
    assert packet[2] < max(row[2] for row in rows if row[1] == "flyer")  # they fill in while it runs
