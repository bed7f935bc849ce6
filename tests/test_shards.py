"""Sharded builds for CI: every target in exactly one share, and the shares join into the serial build."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.build import in_shard, plan
from handouts.project import load_project
from tests.conftest import ROOT, run

WHAT = ("-l", "en-US", "-l", "es-US", "-m", "saying-no", "-b", "grades-6-8")


def test_shards_cover_every_default_target_exactly_once() -> None:
    targets = plan(load_project(ROOT))
    assert len(targets) > 100
    for n in (1, 2, 3, 7):
        shares = [[t for t in targets if in_shard(t, k, n)] for k in range(1, n + 1)]
        paths = [t.path for share in shares for t in share]
        assert sorted(paths) == sorted(t.path for t in targets), n  # each once, none missing
        assert all(share for share in shares), n  # a share never left idle by the split


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")}


def test_parallel_sharded_and_serial_builds_make_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert run("-C", ROOT, "build", *WHAT, "-j", "1", "--out", serial).exit_code == 0
    assert run("-C", ROOT, "build", *WHAT, "-j", "2", "--out", parallel).exit_code == 0
    shares = []
    for k in (1, 2):
        share = tmp_path / f"shard-{k}"
        result = run("-C", ROOT, "build", *WHAT, "--shard", f"{k}/2", "-j", "1", "--out", share)
        assert result.exit_code == 0, result.output
        shares.append(share)
    expected = _files(serial)
    assert len(expected) >= 6
    assert _files(parallel) == expected
    one, two = (_files(share) for share in shares)
    assert one and two and not set(one) & set(two)
    assert {**one, **two} == expected
    merged = tmp_path / "manifest.json"
    result = run("manifest", "merge", *(share / "manifest.json" for share in shares), "-o", merged)
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} documents from 2 manifests" in result.output
    assert merged.read_bytes() == (serial / "manifest.json").read_bytes()


def test_a_bad_shard_is_a_usage_error() -> None:
    result = run("build", "--shard", "3/2")
    assert result.exit_code == 2
    assert "--shard" in result.output and "K/N" in result.output


def test_merging_something_else_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"pages": 3}')
    result = run("manifest", "merge", bad, "-o", tmp_path / "manifest.json")
    assert result.exit_code == 1
    assert "notes.json: not a handouts manifest" in result.output
    assert not (tmp_path / "manifest.json").exists()
