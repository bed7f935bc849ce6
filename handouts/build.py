"""Planning, rendering in worker processes, and the one writer of ``output/``.

``build()`` reads like the pipeline: plan the targets, hash their inputs, skip
what is current, render the rest (in parallel), write each PDF atomically, and
record everything in ``manifest.json``.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .cache import CACHE_FOLDER, Digests, engine_digest
from .errors import HandoutsError, OutputError
from .i18n import parse_locale
from .inputs import Inputs, used_strings
from .products import PRODUCTS, Job, Options, Target
from .project import Project
from .stamp import Stamp

MANIFEST = "manifest.json"


@dataclass
class Outcome:
    """What happened to one target."""

    target: Target
    state: str  # built, unchanged, skipped, failed
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    translation: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    pdf: bytes = b""
    fit: list[dict[str, Any]] = field(default_factory=list)
    preflight: dict[str, Any] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)  # string keys of the catalog entries it used
    learned: dict[str, dict[str, Any]] = field(default_factory=dict)  # fits found (fitting.FitMemory)


@dataclass
class Report:
    """All outcomes of a build, and how long it took."""

    output: Path
    outcomes: list[Outcome]
    seconds: float

    def count(self, state: str) -> int:
        """How many targets ended in ``state``."""
        return sum(1 for outcome in self.outcomes if outcome.state == state)

    @property
    def failed(self) -> list[Outcome]:
        """Targets that could not be made."""
        return [outcome for outcome in self.outcomes if outcome.state == "failed"]

    def summary(self) -> str:
        """One line for the terminal."""
        parts = [f"{self.count(state)} {state}" for state in ("built", "unchanged", "skipped", "failed")]
        return f"{', '.join(parts)} in {self.seconds:.1f} s → {self.output}"


# --- planning ---------------------------------------------------------------


def plan(
    project: Project,
    modules: Sequence[str] = (),
    bands: Sequence[str] = (),
    locales: Sequence[str] = (),
    kinds: Sequence[str] = (),
    options: Options | None = None,
) -> list[Target]:
    """Every target the filters allow, in a stable order (empty filter: everything)."""
    options = options or Options()
    tags = [parse_locale(tag).tag for tag in (locales or project.settings.locales)]
    targets = []
    for tag in dict.fromkeys(tags):
        locale = parse_locale(tag)
        for kind, product in PRODUCTS.items():
            if kinds and kind not in kinds:
                continue
            for target in product.targets(project, locale, options):
                if bands and target.band and target.band not in bands:
                    continue
                narrowed = product.narrow(project, target, tuple(modules)) if modules else target
                if narrowed is not None:
                    targets.append(narrowed)
    return targets


def in_shard(target: Target, k: int, n: int) -> bool:
    """Whether ``target`` is in the K-th of N shards: by a hash of its path, the same everywhere."""
    return int(hashlib.sha256(target.path.as_posix().encode()).hexdigest(), 16) % n == k - 1


def inputs_hash(project: Project, target: Target, options: Options, used: Sequence[str] = ()) -> str:
    """A hash of everything that shapes the target's PDF (``used``: string keys of its catalog entries)."""
    return Inputs(project, options).of(target, used)


def catalog_failure(project: Project, target: Target, options: Options) -> str:
    """Why ``target`` cannot be built because a catalog its words come from is broken ('' if none).

    Only the products of that language fail; every other language still builds.
    """
    readers = [parse_locale(target.locale)]
    if options.bilingual and "bilingual" in PRODUCTS[target.kind].option_fields:
        readers.append(parse_locale(f"{parse_locale(options.bilingual).language}-{readers[0].region}"))
    found = list(
        dict.fromkeys(problem for reader in readers for problem in project.catalog_problems_for(reader))
    )

    if not found:
        return ""
    listed = "; ".join(str(problem) for problem in found[:5])
    more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
    return f"its catalog has {len(found)} problem(s): {listed}{more}"


# --- rendering (runs in workers) --------------------------------------------

_worker: dict[str, Any] = {}


def fits_folder(output: Path) -> Path:
    """Where a build into ``output`` remembers fits (``fitting.FitMemory``), one folder per engine."""
    return output / CACHE_FOLDER / f"fits-{engine_digest()[:16]}"


def _init_worker(project: Project, fits: Path | None = None) -> None:
    """Per process: keep the project and make the renderer once; ``fits``: the fits found before.

    A renderer that cannot be made (a refused stylesheet) is kept as its error, so each
    document fails with that message instead of the worker pool breaking.
    """
    from .render import Renderer  # the PDF engine is imported only when something renders

    _worker["project"] = project
    _worker["fits"] = fits
    try:
        _worker["renderer"] = Renderer(project.layouts, project.assets)
    except HandoutsError as error:
        _worker["renderer"] = error
    # The project, the engine and the renderer live as long as the worker: the cycle collector
    # need not walk them again each time the layout's many new objects trigger it (about 4%
    # of a build, measured on 52 documents).
    gc.freeze()


def render_target(target: Target, options: Options) -> Outcome:
    """Build one target's parts, lay them out fitted to their budgets, make the PDF (pure);
    a ``.html`` target is its web page (handouts/web.py)."""
    from .fitting import FitMemory
    from .making import make_pdf
    from .web import is_web, make_html

    project: Project = _worker["project"]
    renderer = _worker["renderer"]
    if isinstance(renderer, HandoutsError):
        raise renderer
    started = time.perf_counter()
    job = Job(project, target, options)
    if is_web(target):
        made = make_html(PRODUCTS[target.kind], job, renderer)
    else:
        made = make_pdf(PRODUCTS[target.kind], job, renderer, FitMemory(_worker["fits"]))
    if made.skipped:
        return Outcome(
            target,
            "skipped",
            translation=made.translation,
            message=made.gaps,
            seconds=time.perf_counter() - started,
        )
    return Outcome(
        target,
        "built",
        pages=made.pages,
        size=len(made.pdf),
        translation=made.translation,
        pdf=made.pdf,
        fit=made.fit,
        preflight=made.preflight,
        strings=used_strings(made.used),
        learned=made.learned,
        seconds=time.perf_counter() - started,
    )


def _render_safely(target: Target, options: Options) -> Outcome:
    """Every error comes back as this document's failure; a worker never dies of one."""
    try:
        return render_target(target, options)
    except HandoutsError as error:
        return Outcome(target, "failed", message=error.format_message())
    except Exception as error:  # an engine's own error: still this document's, reported, not raised
        return Outcome(target, "failed", message=f"the PDF engine failed: {type(error).__name__}: {error}")


# --- writing (the one writer) -----------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _check_writable(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / ".handouts-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise OutputError(
            f"cannot write to the output folder {output}: {error.strerror}; "
            "choose another with --out or fix its permissions"
        ) from None


#: Folders that hold what a project is made of; no build may write into them.
SOURCE_FOLDERS = ("curriculum", "layouts", "locales", "assets")
LOCK = ".handouts.lock"


def source_folder_holding(project: Project, output: Path) -> Path | None:
    """The source folder (the project's or the built-in one) that ``output`` is inside, if any."""
    output = output.resolve()
    for name in SOURCE_FOLDERS:
        for folder in (project.root / name, *project.sources.folders(name)):
            if output.is_relative_to(folder.resolve()):
                return folder
    return None


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build at once stops, naming the first."""
    path = output / LOCK
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole build)
    except OSError as error:
        raise OutputError(f"cannot write to the output folder {output}: {error.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise OutputError(
                f"another build (process {holder}) is writing to {output}; "
                "wait for it to finish, or choose another folder with --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _generator(output: Path) -> str:
    """The generator a manifest names: its first lines, not the whole file."""
    try:
        with open(output / MANIFEST, encoding="utf-8") as handle:
            head = handle.read(200)
    except OSError:
        return ""
    found = re.search(r'"generator": "([^"]*)"', head)
    return found.group(1) if found else ""


def read_manifest(output: Path) -> dict[str, dict[str, Any]]:
    """Manifest entries by relative path ({} when there is none or it is unreadable)."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in data.get("documents", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# --- the pipeline -----------------------------------------------------------


def schedule(targets: Sequence[Target]) -> tuple[list[Target], dict[Target, set[Target]]]:
    """The order targets go to the workers, and for each composing target (a packet) the
    targets it waits for: those of the kinds it holds, for its locale and band.

    A packet takes longest (4-5 s against 0.1-0.3 s) and goes fastest after its parts (their
    fits remembered), so each packet's parts come first, the packet as soon as they are made,
    and what no packet holds (flyers, cards) last, to fill the workers while packets run.
    """
    composers = [t for t in targets if PRODUCTS[t.kind].holds]
    waits = {
        c: {
            t
            for t in targets
            if t.kind in PRODUCTS[c.kind].holds and (t.locale, t.band) == (c.locale, c.band)
        }
        for c in composers
    }
    composers.sort(key=lambda c: -len(waits[c]))  # the one with most parts (the longest) first
    first = dict.fromkeys(t for c in composers for t in targets if t in waits[c])
    rest = [t for t in targets if t not in waits and t not in first]
    return [*first, *rest, *composers], waits


def _render_all(
    project: Project, targets: Sequence[Target], options: Options, jobs: int, fits: Path | None = None
) -> Iterator[Outcome]:
    if not targets:  # nothing to render: no engine, no fonts, no workers
        return
    order, waits = schedule(targets)
    if jobs <= 1 or len(targets) <= 1:
        _init_worker(project, fits)
        try:
            for target in order:
                yield _render_safely(target, options)
        finally:
            gc.unfreeze()  # this process goes on (a server's next build): its old objects may go
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(project, fits)
    ) as pool:
        running: dict[Future[Outcome], Target] = {}
        queue = deque(t for t in order if t not in waits)  # parts first, then what no packet holds
        composers = [t for t in order if t in waits]
        unfinished = set(order)
        while queue or composers or running:
            # One more than the workers, so none waits for the next; a packet only once its
            # parts are made, and then before anything else.
            while len(running) <= jobs:
                ready = next((c for c in composers if waits[c].isdisjoint(unfinished)), None)
                if ready is not None:
                    composers.remove(ready)
                elif queue:
                    ready = queue.popleft()
                elif composers and not running:  # (cannot happen: their parts are made or making)
                    ready = composers.pop(0)
                else:  # only packets are left, their parts still being made
                    break
                running[pool.submit(_render_safely, ready, options)] = ready
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                target = running.pop(future)
                unfinished.discard(target)
                try:
                    yield future.result()
                except BrokenProcessPool as error:  # a worker killed from outside (out of memory)
                    yield Outcome(target, "failed", message=f"a worker stopped: {error}")


def build(
    project: Project,
    output: Path,
    targets: Sequence[Target],
    options: Options | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: Callable[[int, int, Outcome], None] | None = None,
    digests: Digests | None = None,
) -> Report:
    """Render ``targets`` into ``output``; unchanged ones are kept, each write is atomic.

    ``digests``: file digests already computed in this build (the project cache's), reused.
    """
    options = options or Options()
    output = output.resolve()
    inside = source_folder_holding(project, output)
    if inside is not None:
        raise OutputError(f"{output} is inside the project's sources ({inside}); choose another --out")
    _check_writable(output)
    with output_lock(output):
        return _build_locked(project, output, targets, options, jobs, force, progress, digests or Digests())


def _build_locked(
    project: Project,
    output: Path,
    targets: Sequence[Target],
    options: Options,
    jobs: int,
    force: bool,
    progress: Callable[[int, int, Outcome], None] | None,
    digests: Digests,
) -> Report:
    started = time.perf_counter()
    stamp = Stamp(project, output, targets, options, digests)
    kept = None if force or not targets else stamp.unchanged(MANIFEST, targets)
    if kept is not None:  # as the last build of these targets left them: nothing is hashed or read
        same = [Outcome(t, "unchanged", pages=p, size=b) for t, (p, b) in zip(targets, kept, strict=True)]
        for done, outcome in enumerate(same, start=1):
            if progress:
                progress(done, len(targets), outcome)
        return Report(output, same, time.perf_counter() - started)
    manifest = read_manifest(output)
    read = dict(manifest)  # as it was read, so a build that changed nothing leaves it as it is
    inputs = Inputs(project, options, digests)
    outcomes: list[Outcome] = []
    todo: list[Target] = []
    for target in targets:
        entry = manifest.get(target.path.as_posix())
        on_disk = output / target.path
        broken = catalog_failure(project, target, options)
        if broken:
            outcome = Outcome(target, "failed", message=broken)
            if entry and on_disk.exists():
                manifest[target.path.as_posix()] = {**entry, "status": "stale", "problem": broken}
            else:
                manifest[target.path.as_posix()] = _unmade(outcome)
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(targets), outcome)
        elif (
            not force
            and entry
            and entry.get("status") == "current"
            and entry.get("inputs") == inputs.of(target, entry.get("strings", []))
            and entry.get("sha256") == _sha256(on_disk)
        ):
            outcome = _unchanged(target, entry)
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(targets), outcome)
        else:
            todo.append(target)
    fits = fits_folder(output)
    if todo:
        _forget_other_fits(fits)
    try:
        for outcome in _render_all(project, todo, options, jobs, fits):
            keep_fits(fits, outcome.learned)
            path = output / outcome.target.path
            key = outcome.target.path.as_posix()
            if outcome.state == "built":
                try:
                    write_atomically(path, outcome.pdf)
                except OSError as error:
                    outcome.state, outcome.message = "failed", f"cannot write {path}: {error.strerror}"
            if outcome.state == "built":
                manifest[key] = _entry(
                    outcome,
                    inputs.of(outcome.target, outcome.strings),
                    hashlib.sha256(outcome.pdf).hexdigest(),
                )
            elif key in manifest and (output / key).exists():
                # The old file, if any, no longer matches its inputs: never present it as fresh.
                manifest[key] = {**manifest[key], "status": "stale", "problem": outcome.message}
            else:  # listed with why there is no file, so a reader of the manifest sees every product
                manifest[key] = _unmade(outcome)
            outcome.pdf = b""
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(targets), outcome)
    finally:
        _write_manifest(output, manifest, read)
    if all(outcome.state in ("built", "unchanged") for outcome in outcomes):
        stamp.keep(MANIFEST, {o.target.path.as_posix(): (o.pages, o.size) for o in outcomes})
    else:
        stamp.forget()
    return Report(output, outcomes, time.perf_counter() - started)


def _unchanged(target: Target, entry: dict[str, Any]) -> Outcome:
    """A target kept as its manifest entry describes it."""
    return Outcome(
        target,
        "unchanged",
        pages=entry["pages"],
        size=entry["bytes"],
        translation=entry.get("translation", {}),
        fit=entry.get("fit", []),
        preflight=entry.get("preflight", {}),
    )


def keep_fits(folder: Path, learned: dict[str, dict[str, Any]]) -> None:
    """Keep the fits a document found, for the documents after it (a packet's parts)."""
    if learned:
        from .fitting import keep_fits as write

        write(folder, learned)


def _forget_other_fits(folder: Path) -> None:
    """Fits found by another version of the engine are of no use: remove them."""
    for other in folder.parent.glob("fits-*"):
        if other != folder and other.is_dir():
            for path in other.iterdir():
                path.unlink(missing_ok=True)
            other.rmdir()


def _about(target: Target) -> dict[str, Any]:
    """What a manifest entry says of its target, made or not."""
    return {
        "path": target.path.as_posix(),
        "module": target.module,
        "band": target.band,
        "locale": target.locale,
        "kind": target.kind,
    }


def _entry(outcome: Outcome, inputs: str, sha256: str) -> dict[str, Any]:
    return {
        **_about(outcome.target),
        "pages": outcome.pages,
        "bytes": outcome.size,
        "sha256": sha256,
        "inputs": inputs,
        "translation": outcome.translation,
        "fit": outcome.fit,
        "preflight": outcome.preflight,
        "strings": outcome.strings,
        "status": "current",
    }


def merge_manifests(paths: Sequence[Path]) -> dict[str, Any]:
    """One manifest from the manifests of shards (each document once; a path twice must agree)."""
    documents: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["documents"]
            keyed = [(entry["path"], entry) for entry in entries]
        except OSError as error:
            raise OutputError(f"cannot read {path}: {error.strerror}") from None
        except (ValueError, KeyError, TypeError):
            raise OutputError(f"{path}: not a handouts manifest (no 'documents' list of entries)") from None
        for key, entry in keyed:
            if key in documents and documents[key] != entry:
                raise OutputError(f"{path}: {key} is also in another manifest, built differently")
            documents[key] = entry
    return {"generator": f"handouts {__version__}", "documents": [documents[k] for k in sorted(documents)]}


def _unmade(outcome: Outcome) -> dict[str, Any]:
    """A manifest entry for a product with no file: skipped (translation gaps) or failed, and why."""
    return {
        **_about(outcome.target),
        "translation": outcome.translation,
        "status": outcome.state,
        "problem": outcome.message,
    }


def _write_manifest(
    output: Path, manifest: dict[str, dict[str, Any]], read: dict[str, dict[str, Any]] | None = None
) -> None:
    """Write the manifest, unless it would say what the one ``read`` at the start says."""
    documents = [
        entry
        for key, entry in sorted(manifest.items())
        if (output / key).exists() or entry.get("status") in ("skipped", "failed")
    ]
    generator = f"handouts {__version__}"
    if (
        read is not None
        and documents == [read[key] for key in sorted(read)]
        and _generator(output) == generator
    ):
        return
    data = {"generator": generator, "documents": documents}
    try:
        write_atomically(output / MANIFEST, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    except OSError as error:
        raise OutputError(f"cannot write {output / MANIFEST}: {error.strerror}") from None
