"""Planning, rendering in worker processes, and the one writer of ``output/``.

``build()`` reads like the pipeline: plan the targets, hash their inputs, skip
what is current, render the rest (in parallel), write each PDF atomically, and
record everything in ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import HandoutsError, OutputError
from .i18n import Translator, localize, parse_locale
from .models import KINDS
from .project import Project
from .render import Page, Renderer, source_date
from .resources import help_context, select

#: Most pages each kind may take; a longer document fails with a hint to shorten it.
PAGE_BUDGET = {"handout": 2, "lesson": 6}
LESSON_BODY_PT = 11.0
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Target:
    """One PDF to make: a module's variant for a band, in a locale, of a kind."""

    module: str
    band: str
    locale: str
    kind: str

    @property
    def path(self) -> Path:
        """Where it goes, relative to the output folder."""
        return Path(self.locale, self.band, f"{self.module}.{self.kind}.pdf")


@dataclass(frozen=True)
class Options:
    """Build options that change what a PDF looks like."""

    allow_fallback: bool = False
    paper: str | None = None
    include_unconfirmed: bool = False


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
        parts = [f"{self.count('built')} built", f"{self.count('unchanged')} unchanged"]
        if self.count("skipped"):
            parts.append(f"{self.count('skipped')} skipped")
        if self.count("failed"):
            parts.append(f"{self.count('failed')} failed")
        return f"{', '.join(parts)} in {self.seconds:.1f} s → {self.output}"


# --- planning ---------------------------------------------------------------


def plan(
    project: Project,
    modules: Sequence[str] = (),
    bands: Sequence[str] = (),
    locales: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Target]:
    """Every target the filters allow, in a stable order (empty filter: everything)."""
    tags = [parse_locale(tag).tag for tag in (locales or project.settings.locales)]
    targets = []
    for tag in dict.fromkeys(tags):
        for module_id, module in sorted(project.modules.items()):
            if modules and module_id not in modules:
                continue
            for band_id in project.bands:
                variant = module.bands.get(band_id)
                if variant is None or (bands and band_id not in bands):
                    continue
                for kind in KINDS:
                    if kinds and kind not in kinds:
                        continue
                    if kind == "lesson" and variant.lesson is None:
                        continue
                    targets.append(Target(module_id, band_id, tag, kind))
    return targets


def _files_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_hash(project: Project, target: Target, options: Options) -> str:
    """A hash of everything that shapes the target's PDF."""
    root = project.root
    locale = parse_locale(target.locale)
    catalog = project.catalog_for(locale.language)
    digest = hashlib.sha256()
    for part in (
        __version__,
        _files_digest(Path(__file__).parent.glob("*.py")),  # the engine itself
        json.dumps(asdict(target), sort_keys=True),
        json.dumps(asdict(options), sort_keys=True),
        project.settings.model_dump_json(),
        _files_digest([root / "curriculum" / "modules" / f"{target.module}.yaml"]),
        _files_digest([root / "curriculum" / "bands.yaml"]),
        _files_digest(path for path in project.layouts.rglob("*") if path.is_file()),
        _files_digest([root / catalog.path, root / "locales" / "reviews.toml"] if catalog else []),
        _files_digest(
            root / "curriculum" / "resources" / f"{region}.yaml" for region in (locale.region, "001")
        ),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


# --- rendering (runs in workers) --------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(project: Project) -> None:
    """Per process: keep the project and make the renderer once."""
    _worker["project"] = project
    _worker["renderer"] = Renderer(project.layouts, [project.curriculum])


def render_target(target: Target, options: Options) -> Outcome:
    """Localize, lay out and make the PDF of one target (pure: returns bytes)."""
    project: Project = _worker["project"]
    renderer: Renderer = _worker["renderer"]
    started = time.perf_counter()
    locale = parse_locale(target.locale)
    module = project.modules[target.module]
    band = project.bands[target.band]
    variant = module.bands[target.band]
    content_model = variant.handout if target.kind == "handout" else variant.lesson
    assert content_model is not None
    catalog = None if locale.language == "en" else project.catalog_for(locale.language)
    translator = Translator(catalog)
    _ = translator.gettext
    content = localize(content_model.model_dump(), translator)
    band_view: dict[str, Any] = {
        "id": band.id,
        "label": _(band.label),
        "audience": band.audience,
        # Bands with words they must not meet see help lines without the research's caveats.
        "plain": bool(band.denied_words),
    }
    module_title = _(module.title)
    kind_label = _("Handout") if target.kind == "handout" else _("Lesson plan")
    context: dict[str, Any] = {
        "locale": locale,
        "kind": target.kind,
        "band": band_view,
        "content": content,
        "title": content["title"],
        "document_title": f"{content['title']} ({module_title}, {band_view['label']})",
        "description": _(module.summary),
        "kicker": f"{module_title} · {kind_label} · {band_view['label']}",
        "organization": project.settings.organization,
        "created": source_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "translation": {"draft": bool(catalog and not catalog.reviewed), "fallback": False},
    }
    selection = select(project.directories, locale.region, band.for_children, options.include_unconfirmed)
    context["help"] = help_context(selection, locale, translator)
    page = Page(
        paper=options.paper or project.settings.paper or locale.paper,
        footer_left=band_view["label"],
        footer_right=project.settings.organization or module_title,
        page_template=_("Page %(page)s of %(pages)s"),
        # Lesson plans are read by the teacher; handouts by the band's own readers.
        body_pt=band.min_font_pt if target.kind == "handout" else LESSON_BODY_PT,
    )
    layout = f"{target.kind}.html"
    html = renderer.html(layout, context, translator.gettext, translator.ngettext)
    status = translator.status()
    if status["state"] == "incomplete":
        if not options.allow_fallback:
            gaps = status["missing"] + status["fuzzy"]
            return Outcome(
                target,
                "skipped",
                translation=status,
                message=f"translation incomplete ({gaps} of {status['strings']} strings "
                "untranslated or fuzzy)",
                seconds=time.perf_counter() - started,
            )
        context["translation"]["fallback"] = True
        html = renderer.html(layout, context, translator.gettext, translator.ngettext)
    rendered = renderer.pdf(html, page, str(target.path), PAGE_BUDGET.get(target.kind))
    return Outcome(
        target,
        "built",
        pages=rendered.pages,
        size=len(rendered.pdf),
        translation=status,
        pdf=rendered.pdf,
        seconds=time.perf_counter() - started,
    )


def _render_safely(target: Target, options: Options) -> Outcome:
    try:
        return render_target(target, options)
    except HandoutsError as error:
        return Outcome(target, "failed", message=error.format_message())


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


def _render_all(
    project: Project, targets: Sequence[Target], options: Options, jobs: int
) -> Iterator[Outcome]:
    if jobs <= 1 or len(targets) <= 1:
        _init_worker(project)
        for target in targets:
            yield _render_safely(target, options)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(project,)) as pool:
        futures: list[Future[Outcome]] = [pool.submit(_render_safely, t, options) for t in targets]
        for future in as_completed(futures):
            yield future.result()


def build(
    project: Project,
    output: Path,
    targets: Sequence[Target],
    options: Options = Options(),
    jobs: int = 1,
    force: bool = False,
    progress: Callable[[int, int, Outcome], None] | None = None,
) -> Report:
    """Render ``targets`` into ``output``; unchanged ones are kept, each write is atomic."""
    started = time.perf_counter()
    output = output.resolve()
    _check_writable(output)
    manifest = read_manifest(output)
    hashes = {target: inputs_hash(project, target, options) for target in targets}
    outcomes: list[Outcome] = []
    todo: list[Target] = []
    for target in targets:
        entry = manifest.get(target.path.as_posix())
        on_disk = output / target.path
        if (
            not force
            and entry
            and entry.get("status") == "current"
            and entry.get("inputs") == hashes[target]
            and entry.get("sha256") == _sha256(on_disk)
        ):
            outcome = Outcome(
                target,
                "unchanged",
                pages=entry["pages"],
                size=entry["bytes"],
                translation=entry.get("translation", {}),
            )
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(targets), outcome)
        else:
            todo.append(target)
    try:
        for outcome in _render_all(project, todo, options, jobs):
            path = output / outcome.target.path
            key = outcome.target.path.as_posix()
            if outcome.state == "built":
                try:
                    write_atomically(path, outcome.pdf)
                except OSError as error:
                    outcome.state, outcome.message = "failed", f"cannot write {path}: {error.strerror}"
            if outcome.state == "built":
                manifest[key] = _entry(
                    outcome, hashes[outcome.target], hashlib.sha256(outcome.pdf).hexdigest()
                )
            elif key in manifest:
                # The old file, if any, no longer matches its inputs: never present it as fresh.
                manifest[key] = {**manifest[key], "status": "stale", "problem": outcome.message}
            outcome.pdf = b""
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(targets), outcome)
    finally:
        _write_manifest(output, manifest)
    return Report(output, outcomes, time.perf_counter() - started)


def _entry(outcome: Outcome, inputs: str, sha256: str) -> dict[str, Any]:
    target = outcome.target
    return {
        "path": target.path.as_posix(),
        "module": target.module,
        "band": target.band,
        "locale": target.locale,
        "kind": target.kind,
        "pages": outcome.pages,
        "bytes": outcome.size,
        "sha256": sha256,
        "inputs": inputs,
        "translation": outcome.translation,
        "status": "current",
    }


def _write_manifest(output: Path, manifest: dict[str, dict[str, Any]]) -> None:
    documents = [entry for key, entry in sorted(manifest.items()) if (output / key).exists()]
    data = {"generator": f"handouts {__version__}", "documents": documents}
    try:
        write_atomically(output / MANIFEST, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    except OSError as error:
        raise OutputError(f"cannot write {output / MANIFEST}: {error.strerror}") from None
