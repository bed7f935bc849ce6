"""Command line of handouts: a thin Click layer over the engine in ``handouts/``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from handouts import __version__
from handouts.build import Outcome, build, in_shard, output_lock, plan, source_folder_holding
from handouts.cache import Digests, cached_project, keep_project, project_cache
from handouts.coverage import Gap
from handouts.errors import HandoutsError
from handouts.i18n import ReaderLocale, canonical_language, check_region, parse_locale
from handouts.products import KINDS, PRODUCTS, Options
from handouts.project import Project, load_project
from handouts.sources import Sources, find_project
from handouts.web import WEB_KINDS, web_target, write_index
from handouts.workflow import Change


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Examples:\n\n\b\n  handouts build\n  handouts build --locale es-US --band grades-3-5\n"
    "  handouts packet --band grades-3-5 --locale en-US --locale es-US\n"
    "  handouts build --kind flyer --locale en-GB --size A3\n  handouts list\n"
    "  handouts check\n  handouts build --format html\n  handouts serve --locale en-US --open",
)
@click.version_option(__version__, "-V", "--version", prog_name="handouts")
@click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Start looking for the project here instead of the current folder. The project is the "
    "nearest folder holding handouts.toml, here or above; outside any, the built-in content is used.",
)
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None) -> None:
    """Turn curriculum modules into localized, age-banded print products.

    Handouts, lesson plans, family letters, flyers, help cards and classroom
    packets, in the reader's language, with help lines for their region.

    Everything is read and checked before anything is written; a mistake in the
    content is reported as file:line:col with what to fix, and exits with 1.
    """
    ctx.obj = _Lazy(project_dir or Path.cwd())


class _Lazy:
    """Finds and loads the project once, when a command needs it, so ``--help`` always works."""

    def __init__(self, start: Path):
        self.start = start
        self._project: Project | None = None
        self.digests: Digests | None = None  # the files read so far, each digested once
        self.keep: Path | None = None  # where to keep the checked project once a build has run

    @property
    def root(self) -> Path | None:
        """The project folder: the nearest holding handouts.toml, at or above the start."""
        if not self.start.is_dir():
            raise click.BadParameter(f"'{self.start}' is not a folder", param_hint="-C/--project")
        return find_project(self.start)

    def get(self, output: Path | None = None) -> Project:
        """The project; a build (``output``) keeps the checked project in ``OUTPUT/.cache``."""
        if self._project is None:
            root = self.root
            if root is None:
                click.secho(
                    f"note: no handouts.toml in {self.start.resolve()} or above; using the built-in content "
                    "with default settings (`handouts init` starts a project)",
                    err=True,
                    fg="cyan",
                )
            self.digests = Digests()
            folder = project_cache(root, output) if output is not None else None
            if folder is None:
                self._project = load_project(root)
            else:
                self._project, self.keep = cached_project(root, folder, self.digests)
        return self._project


def _project(ctx: click.Context) -> Project:
    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    return lazy.get()


def _check_choices(values: Sequence[str], valid: Sequence[str], option: str, what: str) -> None:
    unknown = [value for value in values if value not in valid]
    if unknown:
        raise click.BadParameter(
            f"unknown {what} {', '.join(repr(v) for v in unknown)}; choose from: {', '.join(valid)}",
            param_hint=option,
        )


def _check_locales(tags: Sequence[str]) -> list[str]:
    parsed = []
    for tag in tags:
        try:
            parsed.append(parse_locale(tag).tag)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--locale") from None
    return parsed


def _languages_available(project: Project) -> list[str]:
    return ["en", *sorted(project.catalogs)]


out_option = click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Output folder (relative to the project).",
)


@cli.command("build")
@click.option("-m", "--module", "modules", multiple=True, metavar="ID", help="Only this module. Repeatable.")
@click.option("-b", "--band", "bands", multiple=True, metavar="ID", help="Only this band. Repeatable.")
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    metavar="TAG",
    help="Language-region tag, e.g. es-US. Repeatable. Default: locales in handouts.toml.",
)
@click.option(
    "-k", "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind. Repeatable."
)
@click.option(
    "--size",
    type=click.Choice(["letter", "A4", "A3", "tabloid"], case_sensitive=False),
    help="Flyers only: paper size; A3 or tabloid makes a poster for a notice board.",
)
@click.option(
    "--bilingual",
    metavar="TAG",
    help="Family letters (also in packets): add the letter in this locale's language on the facing page, "
    "e.g. en-US, so school staff can read what goes home.",
)
@click.option(
    "--booklet",
    is_flag=True,
    help="Packets only: impose 2-up on sheets twice the page size, in saddle-stitch order.",
)
@out_option
@click.option(
    "-r",
    "--region",
    metavar="CC",
    help="Region for help lines and paper, replacing each locale's own (e.g. es-MX with -r US is es-US).",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "letter"], case_sensitive=False),
    help="Paper for every document, overriding the region.",
)
@click.option(
    "--include-unconfirmed",
    is_flag=True,
    help="Also print help lines the research could not confirm, each with a visible mark.",
)
@click.option(
    "--allow-fallback",
    is_flag=True,
    help="Build documents whose translation is incomplete, with English for the gaps and a printed notice.",
)
@click.option("--strict", is_flag=True, help="Treat skipped documents as errors.")
@click.option("-f", "--force", is_flag=True, help="Rebuild even documents whose inputs have not changed.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="number of cores, at most 4",
    help="Worker processes.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and problems.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="html: the web edition, one accessible page per handout, lesson plan, letter and flyer "
    "(.html beside the PDFs) and OUT/index.html, self-contained for any web host.",
)
@click.option(
    "--shard",
    metavar="K/N",
    callback=lambda ctx, param, value: _parse_shard(value),
    help="Build only the K-th of N shares of the targets (split by path, the same on every machine), "
    "e.g. one per CI runner; join their manifests with `handouts manifest merge`.",
)
@click.pass_context
def build_command(
    ctx: click.Context,
    modules: tuple[str, ...],
    bands: tuple[str, ...],
    locales: tuple[str, ...],
    kinds: tuple[str, ...],
    size: str | None,
    bilingual: str | None,
    booklet: bool,
    output: Path,
    region: str | None,
    paper: str | None,
    include_unconfirmed: bool,
    allow_fallback: bool,
    strict: bool,
    force: bool,
    jobs: int,
    quiet: bool,
    output_format: str = "pdf",
    shard: tuple[int, int] | None = None,
) -> None:
    """Render print products into the output folder (every kind unless --kind).

    Files go to OUT/<locale>/<band>/<module>.<kind>.pdf, packets to
    OUT/<locale>/<band>/classroom-packet.pdf and help cards to
    OUT/<locale>/help-cards-<group>.pdf, all listed in OUT/manifest.json.
    Documents whose inputs did not change are kept. A document whose
    translation is incomplete is skipped unless --allow-fallback is given.
    A product that cannot fit its page budget fails; the others still build.
    --format html makes the web edition instead: OUT/<locale>/<band>/<module>.<kind>.html
    for handouts, lesson plans, letters and flyers, and OUT/index.html.

    Examples:

    \b
      handouts build --locale es-US --band grades-3-5
      handouts build --format html --locale en-US --locale es-US
      handouts build --kind letter --locale es-US --bilingual en-US
      handouts build --kind flyer --locale en-GB --size A3
      handouts build --kind packet --band grades-3-5 --booklet
    """
    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    project = lazy.get(output)
    _check_choices(modules, sorted(project.modules), "--module", "module")
    _check_choices(bands, list(project.bands), "--band", "band")
    bands = bands or project.settings.bands
    tags = _check_locales(locales or project.settings.locales)
    if region:
        try:
            region = check_region(region)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--region") from None
        tags = _check_locales([f"{parse_locale(tag).language}-{region}" for tag in tags])
    for tag in tags:
        language = parse_locale(tag).language
        if not project.speaks(parse_locale(tag)):
            raise click.BadParameter(
                f"no translation catalog for '{language}' (locale {tag}); languages available: "
                f"{', '.join(_languages_available(project))}. "
                f"Start one with `handouts i18n init {_folder_name(parse_locale(tag))}`.",
                param_hint="--locale",
            )
    web = output_format == "html"
    if web:
        kinds = _web_kinds(kinds, size, booklet, paper)
    options = _options(project, kinds, size, bilingual, booklet, allow_fallback, paper, include_unconfirmed)
    if web:
        options = replace(options, locales=tuple(tags))
    targets = plan(project, modules, bands, tags, kinds, options)
    if web:
        targets = [web_target(target) for target in targets]
    if "packet" in kinds and not any(target.kind == "packet" for target in targets):
        offered = [
            b for b in project.bands if any(b in project.modules[m].bands for m in modules or project.modules)
        ]
        raise click.BadParameter(
            f"no module {'of ' + ', '.join(modules) + ' ' if modules else ''}offers "
            f"{', '.join(bands) or 'that band'}; bands with modules: {', '.join(offered)}",
            param_hint="--band",
        )
    if not targets:
        raise HandoutsError("nothing to build: no module offers that combination of band and kind")
    if shard is not None:  # a share may be empty: it still writes its (empty) manifest to merge
        targets = [target for target in targets if in_shard(target, *shard)]
    out = output if output.is_absolute() else project.root / output
    inside = source_folder_holding(project, out)
    if inside is not None:
        raise click.BadParameter(
            f"{output} is inside the project's sources ({inside}); PDFs go elsewhere, e.g. output/",
            param_hint="--out",
        )
    for missing in sorted(
        {parse_locale(target.locale).region for target in targets} - set(project.directories)
    ):
        click.secho(
            f"warning: no help lines for region {missing} (curriculum/resources/{missing}.yaml); "
            "its pages print the worldwide list and ask readers to look up local services",
            err=True,
            fg="yellow",
        )

    with Progress(len(targets), quiet) as progress:
        report = build(
            project,
            out,
            targets,
            options,
            jobs=jobs,
            force=force,
            progress=progress.update,
            digests=lazy.digests,
        )
    if lazy.keep is not None:
        keep_project(project, lazy.keep)
    if web:
        with output_lock(out.resolve()):
            write_index(out.resolve())
    click.echo(report.summary())
    if report.failed:
        lines = [
            outcome.message
            if outcome.message.startswith(outcome.target.path.as_posix())
            else f"{outcome.target.path.as_posix()}: {outcome.message}"
            for outcome in report.failed
        ]
        raise HandoutsError(f"{len(lines)} document(s) failed:\n  " + "\n  ".join(lines))
    skipped = report.count("skipped")
    if skipped and (strict or skipped == len(report.outcomes)):
        raise HandoutsError(
            f"{skipped} document(s) skipped because their translation is incomplete; "
            "complete the catalog or pass --allow-fallback"
        )


class Progress:
    """A build's progress: a bar with counts and the current product on a terminal; plain lines
    for what was built, skipped or failed elsewhere (CI, a log); only problems with ``-q``."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.quiet = total, quiet
        self.bar: Any = None
        self.later: list[tuple[str, str | None]] = []  # problems, printed once the bar is gone
        if not quiet and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=total,
                label="building",
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda path: path,
            )

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
        for line, color in self.later:
            click.secho(line, err=True, fg=color)

    def update(self, done: int, total: int, outcome: Outcome) -> None:
        """One more target is done."""
        path = outcome.target.path.as_posix()
        color = {"failed": "red", "skipped": "yellow"}.get(outcome.state)
        if self.bar is not None:
            self.bar.update(1, path)
            if color:
                self.later.append((f"{outcome.state:<9} {path} ({outcome.message})", color))
            return
        if outcome.state == "unchanged" or (self.quiet and outcome.state == "built"):
            return
        detail = {
            "built": f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}, {outcome.seconds:.1f} s",
        }.get(outcome.state, outcome.message)
        click.secho(f"[{done}/{total}] {outcome.state:<9} {path} ({detail})", err=True, fg=color)


def _web_kinds(kinds: Sequence[str], size: str | None, booklet: bool, paper: str | None) -> tuple[str, ...]:
    """The kinds a web edition may have (all of them when none is asked); print options refused."""
    for given, option in ((size, "--size"), (booklet, "--booklet"), (paper, "--paper")):
        if given:
            message = f"{option} is for paper; it does not apply to --format html"
            raise click.BadParameter(message, param_hint=option)
    other = [kind for kind in kinds if kind not in WEB_KINDS]
    if other:
        raise click.BadParameter(
            f"{', '.join(other)} has no web edition; --format html makes {', '.join(WEB_KINDS)}",
            param_hint="--kind",
        )
    return tuple(kinds) or WEB_KINDS


def _parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N, e.g. 2/4", param_hint="--shard")
    return int(k), int(n)


def _options(
    project: Project,
    kinds: Sequence[str],
    size: str | None,
    bilingual: str | None,
    booklet: bool,
    allow_fallback: bool,
    paper: str | None,
    include_unconfirmed: bool,
) -> Options:
    """Options checked against the kinds they apply to; a misfit is a usage error naming the valid ones."""
    if booklet and kinds and "packet" not in kinds:
        single = ", ".join(kind for kind in kinds)
        raise click.BadParameter(
            f"--booklet imposes a packet; it does not apply to {single}. Use it with --kind packet",
            param_hint="--booklet",
        )
    if size and kinds and "flyer" not in kinds:
        raise click.BadParameter("--size applies to flyers only; add --kind flyer", param_hint="--size")
    if bilingual:
        tag = _check_locales([bilingual])[0]
        language = parse_locale(tag).language
        if not project.speaks(parse_locale(tag)):
            raise click.BadParameter(
                f"no translation catalog for '{language}'; languages available: "
                f"{', '.join(_languages_available(project))}",
                param_hint="--bilingual",
            )
        bilingual = tag
    canonical = {"letter": "letter", "a4": "A4", "a3": "A3", "tabloid": "tabloid"}
    return Options(
        allow_fallback=allow_fallback,
        paper=paper,
        include_unconfirmed=include_unconfirmed,
        size=canonical[size.lower()] if size else None,
        bilingual=bilingual,
        booklet=booklet,
    )


@cli.command("serve")
@click.option("-m", "--module", "modules", multiple=True, metavar="ID", help="Only this module. Repeatable.")
@click.option("-b", "--band", "bands", multiple=True, metavar="ID", help="Only this band. Repeatable.")
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    metavar="TAG",
    help="Language-region tag, e.g. es-US. Repeatable.",
)
@click.option(
    "-k", "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind. Repeatable."
)
@out_option
@click.option("--allow-fallback", is_flag=True, help="Build incomplete translations, English for the gaps.")
@click.option("--include-unconfirmed", is_flag=True, help="Also print help lines not yet confirmed, marked.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; only this computer can connect unless you give another.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="number of cores, at most 4",
    help="Worker processes.",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    modules: tuple[str, ...],
    bands: tuple[str, ...],
    locales: tuple[str, ...],
    kinds: tuple[str, ...],
    output: Path,
    allow_fallback: bool,
    include_unconfirmed: bool,
    host: str,
    port: int,
    open_browser: bool,
    jobs: int,
) -> None:
    """Live preview: build what the filters select, serve it, rebuild on every change.

    The page at / lists every product with a thumbnail of its first page, its page
    count, translation and preflight state, and why any failed or was skipped; each
    product links to its PDF and, for handouts, lesson plans, letters and flyers, its
    web page (as `build --format html` makes). Edits under curriculum/, layouts/,
    locales/, assets/ and to handouts.toml rebuild only what they change, and open
    pages reload. A content error shows on the page with its file:line; the server
    keeps running. Serves only the output folder, on this computer unless --host.

    \b
      handouts serve --locale en-US --band grades-3-5 --open
    """
    from handouts.serve import Preview, Selection, serve

    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    root = lazy.root
    base = root or Path.cwd()
    out = output if output.is_absolute() else base / output
    tags = _check_locales(locales) if locales else []
    try:
        project = lazy.get(output)
    except HandoutsError:
        project = None  # the preview starts anyway and shows the problem (file:line) on its page
    if project is not None:
        _check_choices(modules, sorted(project.modules), "--module", "module")
        _check_choices(bands, list(project.bands), "--band", "band")
        if source_folder_holding(project, out) is not None:
            raise click.BadParameter(f"{output} is inside the project's sources", param_hint="--out")
        for tag in tags:
            if not project.speaks(parse_locale(tag)):
                languages = ", ".join(_languages_available(project))
                message = f"no translation catalog for {tag}; languages available: {languages}"
                raise click.BadParameter(message, param_hint="--locale")
    if host not in ("127.0.0.1", "localhost", "::1"):
        message = f"warning: listening on {host}: other computers on the network can see the preview"
        click.secho(message, err=True, fg="yellow")
    options = Options(allow_fallback=allow_fallback, include_unconfirmed=include_unconfirmed)
    selection = Selection(tuple(modules), tuple(bands), tuple(tags), tuple(kinds), options)
    preview = Preview(root, out, selection, jobs)
    try:
        serve(preview, host, port, open_browser, log=lambda line: click.echo(line, err=True))
    except OSError as error:
        raise HandoutsError(f"cannot listen on {host}:{port}: {error.strerror}; try another --port") from None


@cli.command("packet")
@click.option(
    "-b", "--band", "bands", multiple=True, metavar="ID", help="Band. Repeatable. Default: every band."
)
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    metavar="TAG",
    help="Locale. Repeatable. Default: handouts.toml.",
)
@click.option("-m", "--module", "modules", multiple=True, metavar="ID", help="Only this module. Repeatable.")
@click.option("--bilingual", metavar="TAG", help="Family letters also in this locale's language, facing.")
@click.option("--booklet", is_flag=True, help="Impose 2-up in saddle-stitch order for folding.")
@out_option
@click.option("-f", "--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.pass_context
def packet_command(
    ctx: click.Context,
    bands: tuple[str, ...],
    locales: tuple[str, ...],
    modules: tuple[str, ...],
    bilingual: str | None,
    booklet: bool,
    output: Path,
    force: bool,
) -> None:
    """Build classroom packets: one PDF per band and locale, ready to print.

    Each packet holds a cover, a contents page, then for every module in
    teaching order its lesson plan, student handout and family letter.
    Same as `handouts build --kind packet`. Examples:

    \b
      handouts packet --band grades-3-5 --locale en-US --locale es-US
      handouts packet --band grades-k-2 --module body-safety --bilingual en-US
      handouts packet --band adults --booklet
    """
    ctx.invoke(
        build_command,
        modules=modules,
        bands=bands,
        locales=locales,
        kinds=("packet",),
        bilingual=bilingual,
        booklet=booklet,
        output=output,
        force=force,
    )


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init_command(folder: Path) -> None:
    """Start a project for your organization in FOLDER (default: here).

    Writes a commented handouts.toml (name, logo, colour, contact line, local
    help lines, default locales) and empty curriculum/, layouts/, locales/ and
    assets/ folders. Building there uses the built-in content; a file you add
    replaces the built-in file of the same path.

    \b
      handouts init myorg && cd myorg
      handouts build --kind flyer --locale en-GB
    """
    from handouts.init import init_project

    for path in init_project(folder):
        click.echo(f"wrote {path}")
    click.echo(f"Next: set your organization's name in {folder / 'handouts.toml'}, then `handouts build`.")


@cli.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Show what can be built: products by module and band, and the languages available."""
    project = _project(ctx)
    targets = plan(project, locales=project.settings.locales[:1])
    by_place: dict[tuple[str, str], list[str]] = {}
    for target in targets:
        by_place.setdefault((target.module or "(all modules)", target.band or "(all bands)"), []).append(
            target.kind
        )
    width = max(len(module) for module, _ in by_place)
    click.echo(f"{'module':<{width}}  {'band':<12}  products")
    order = {module: index for index, module in enumerate(project.teaching_order)}
    bands = list(project.bands)

    def rank(place: tuple[str, str]) -> tuple[int, int]:
        module, band = place
        return order.get(module, -1), bands.index(band) if band in bands else -1

    for place in sorted(by_place, key=rank):
        click.echo(f"{place[0]:<{width}}  {place[1]:<12}  {', '.join(dict.fromkeys(by_place[place]))}")
    click.echo("\nbands:")
    for band in project.bands.values():
        click.echo(f"  {band.id:<12}  {band.label}")
    click.echo("\nlanguages:")
    click.echo("  en  (source)")
    for language, catalog in sorted(project.catalogs.items()):
        state = f"reviewed by {catalog.reviewed_by}" if catalog.reviewed else "draft, not yet reviewed"
        if catalog.of_source_language:
            click.echo(f"  {language}  {len(catalog.translated)} regional differences, {state}")
        else:
            total = f" of {len(catalog.places)}" if catalog.places else ""
            click.echo(f"  {language}  {len(catalog.translated)}{total} strings translated, {state}")
    for language, found in sorted(project.catalog_problems.items()):
        click.echo(f"  {language}  cannot be used: {len(found)} problem(s) (`handouts check` names them)")
    click.echo(f"\ndefault locales: {', '.join(project.settings.locales)}")
    _list_sources(project)


def _overrides(label: str) -> str:
    return "its entries override the built-in ones" if label == "catalogs" else "overrides built-in"


def _list_sources(project: Project) -> None:
    """Which content is built-in and which is the project's own (overriding or added)."""
    sources = project.sources
    if sources.project is None:
        click.echo("\ncontent: all built-in (no project)")
        return
    click.echo(f"\ncontent of the project {sources.project}:")
    builtin = Sources(None, sources.builtin)
    for label, folder, pattern in (
        ("modules", "curriculum/modules", "*.yaml"),
        ("help lines", "curriculum/resources", "*.yaml"),
        ("layouts", "layouts", "*"),
        ("catalogs", "locales", "*/LC_MESSAGES/*.po"),
    ):
        found = [source for source in sources.each(folder, pattern) if source.path.name != "README.md"]
        own = [source for source in found if source.origin == "project"]
        names = []
        for source in own:
            relative = source.shown.as_posix()
            names.append(f"{relative} ({_overrides(label) if builtin.find(relative) else 'added'})")
        built_in = len(found) - len(own)
        click.echo(
            f"  {label}: {built_in} built-in" + (f"; the project's own: {', '.join(names)}" if own else "")
        )


@cli.group("manifest")
def manifest_group() -> None:
    """Work with manifest.json files."""


@manifest_group.command("merge")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("manifest.json"),
    show_default=True,
    help="The merged manifest.",
)
def manifest_merge_command(manifests: tuple[Path, ...], output: Path) -> None:
    """Join the manifests of sharded builds (`build --shard K/N`) into one.

    Put every shard's PDFs in one folder and the merged manifest beside them:

    \b
      handouts manifest merge shard-*/manifest.json -o output/manifest.json
    """
    from handouts.build import merge_manifests, write_atomically

    merged = merge_manifests(manifests)
    write_atomically(output, (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode())
    click.echo(f"{len(merged['documents'])} documents from {len(manifests)} manifests → {output}")


@cli.command("check")
@click.option("--strict", is_flag=True, help="Fail on advice (warnings) too.")
@click.option("--readability", is_flag=True, help="Print the reading level measured for every text.")
@click.option(
    "--preflight",
    is_flag=True,
    help="Also read back every PDF in the output folder and run the print checks on it.",
)
@out_option
@click.pass_context
def check_command(ctx: click.Context, strict: bool, readability: bool, preflight: bool, output: Path) -> None:
    """Validate and lint everything without rendering PDFs.

    Checks the YAML against the models, the catalogs, the layouts, the
    reading level of every text for its band, words a band must not meet,
    lesson minutes, and that every planned module, band and lesson exists.

    With --preflight it also reads back the PDFs already built (pdfplumber and
    the tag tree) and prints a table per product: text below its readers'
    smallest size, ink within 10 mm of the paper edge, headings stranded at a
    page foot, a last page holding a single box. Example:

      handouts check --preflight -o output
    """
    from handouts.checks import run_checks
    from handouts.render import Renderer

    project = _project(ctx)
    renderer = Renderer(project.layouts, project.assets)
    for product in PRODUCTS.values():
        renderer.html_template_check(product.layout)
    problems, readings = run_checks(project)
    if readability:
        click.echo(f"{'module':<26} {'band':<12} {'text':<14} {'grade':>5} {'limit':>5} {'words':>5}")
        for r in readings:
            limit = "" if r.limit is None else f"{r.limit:g}"
            click.echo(f"{r.module:<26} {r.band:<12} {r.text:<14} {r.grade:5.1f} {limit:>5} {r.words:5d}")
    for problem in problems:
        click.secho(str(problem), err=True, fg="red" if problem.severity == "error" else "yellow")
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    if errors or (strict and warnings):
        raise HandoutsError(f"check found {errors} error(s) and {warnings} warning(s)")
    click.echo(
        f"OK: {len(project.modules)} module(s), {len(project.bands)} bands, "
        f"{len(project.catalogs)} catalog(s), layouts compile"
        + (f"; {warnings} warning(s)" if warnings else "")
        + "."
    )
    if preflight:
        _preflight(output if output.is_absolute() else project.root / output)


def _preflight(output: Path) -> None:
    """Print a table of the preflight of every PDF in ``output``; fail when one fails."""
    from handouts.build import read_manifest
    from handouts.preflight import check_output

    manifest = read_manifest(output)
    if not manifest:
        raise click.UsageError(
            f"no built products in {output} (no manifest.json); run 'handouts build' first"
        )
    verdicts = check_output(output, manifest)
    width = max(len(verdict.path) for verdict in verdicts) if verdicts else 10
    click.echo(f"{'product':<{width}}  {'pages':>5}  preflight")
    for verdict in verdicts:
        detail = verdict.note or "; ".join(str(finding) for finding in verdict.findings[:3])
        more = len(verdict.findings) - 3
        detail += f"; and {more} more" if more > 0 else ""
        color = {"failed": "red", "not checked": "yellow"}.get(verdict.state)
        state = verdict.state + (f": {detail}" if detail else "")
        click.secho(f"{verdict.path:<{width}}  {verdict.pages:>5}  {state}", fg=color)
    failed = [verdict for verdict in verdicts if verdict.state == "failed"]
    click.echo(f"preflight: {len(failed)} of {len(verdicts)} failed")
    if failed:
        raise HandoutsError(f"preflight failed for {len(failed)} product(s) in {output}")


@cli.command("resources")
@click.argument("regions", nargs=-1, metavar="[REGION]...")
@click.option(
    "--include-unconfirmed", is_flag=True, help="Show what --include-unconfirmed would add, marked."
)
@click.pass_context
def resources_command(ctx: click.Context, regions: tuple[str, ...], include_unconfirmed: bool) -> None:
    """List the help lines each audience will see, by region (default: every region)."""
    from handouts.resources import WORLD, select

    project = _project(ctx)
    known = sorted(project.directories)
    wanted = [region.upper() for region in regions] or known
    for region in wanted:
        name = project.directories[region].name if region in project.directories else "no file"
        click.secho(f"{region} ({name})", bold=True)
        if region not in project.directories:
            click.echo(f"  falls back to {WORLD}; known regions: {', '.join(known)}")
        for audience, for_children in (("children's pages", True), ("adults' pages", False)):
            selection = select(project.directories, region, for_children, include_unconfirmed)
            click.echo(f"  {audience}:")
            for resource in selection.resources:
                numbers = ", ".join(c.number for c in (*resource.phones, *resource.sms))
                where = " ".join(part for part in (numbers, resource.url or "") if part)
                mark = "" if resource.confirmed else " [unconfirmed]"
                click.echo(
                    f"    {resource.kind:<20} {resource.service or resource.organization}"
                    f" ({resource.description}): {where}"
                    f" | checked {resource.checked}, source {resource.source_date}{mark}"
                )
                if resource.research_note:
                    click.echo(f"      research note (never printed): {resource.research_note}")


@cli.group("i18n")
def i18n_group() -> None:
    """Translators' workflow: extract, init, update and status of the catalogs.

    Catalogs are gettext PO files under locales/<LANG>/LC_MESSAGES/, read as
    they are at build time (nothing to compile); pybabel, Poedit and Weblate
    open them as they are. Every gap is named as PO file:line: "msgid".

    \b
      handouts i18n status
      handouts i18n status --missing --locale fr-CA --kind flyer
      handouts i18n status --check
    """


def _catalogs_folder(ctx: click.Context) -> Path:
    """Where init and update write: the project's locales/, or the source checkout's."""
    from handouts.workflow import source_tree

    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    root = lazy.root
    return (root if root is not None else source_tree()) / "locales"


def _source_root(ctx: click.Context) -> Path | None:
    """The source checkout to extract from: the project if it holds babel.cfg (the handouts
    repository itself), the built-in one outside any project; None in an organization's project."""
    from handouts.workflow import source_tree

    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    root = lazy.root
    if root is None:
        return source_tree()
    return root if (root / "babel.cfg").is_file() else None


def _templates(ctx: click.Context) -> tuple[list[Change], dict[str, bytes]]:
    """The audiences' templates: extracted afresh in a source checkout (with the changes to
    its template files), else the built-in ones (no changes)."""
    from handouts.sources import BUILTIN
    from handouts.workflow import read_templates, template_changes, templates_of

    root = _source_root(ctx)
    if root is None:
        return [], read_templates(BUILTIN / "locales")
    changes = template_changes(root, _project(ctx))
    return changes, templates_of(changes)


def _apply(changes: Sequence[Change], check: bool, fix: str) -> None:
    """Write the changes, or with ``check`` report them and fail when one is due."""
    from handouts.workflow import write

    stale = [change for change in changes if not change.current]
    for change in changes:
        if check:
            click.echo(f"{change.path}: {'up to date' if change.current else 'out of date'}")
        elif change.data is None:
            write(change)
            click.echo(f"removed {change.path} (split into one catalog per audience)")
        else:
            click.echo(f"wrote {change.path}" if write(change) else f"{change.path}: up to date")
    if check and stale:
        raise HandoutsError(f"{len(stale)} file(s) out of date; run `{fix}`")


@i18n_group.command("extract")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a template is out of date.")
@click.pass_context
def i18n_extract_command(ctx: click.Context, check: bool) -> None:
    """Write the templates locales/{families,students,teachers}.pot from the sources.

    Needs a source checkout (it reads babel.cfg). Babel extracts every string
    (as `pybabel extract -F babel.cfg --no-wrap --sort-by-file`); each goes to the
    first audience whose products print it: families (letters, flyers, adults'
    handouts and cards, help lines), students (children's handouts and cards),
    teachers (lesson plans, packets).
    """
    if _source_root(ctx) is None:
        raise HandoutsError(
            "extract works in a source checkout of handouts (with babel.cfg); in a "
            "project, `handouts i18n update` uses the built-in templates"
        )
    changes, _ = _templates(ctx)
    _apply(changes, check, "handouts i18n extract")


@i18n_group.command("init")
@click.argument("language")
@click.pass_context
def i18n_init_command(ctx: click.Context, language: str) -> None:
    """Start the catalogs of LANGUAGE (fr, ar, vi, zh_Hans…), one per audience.

    Writes locales/LANGUAGE/LC_MESSAGES/families.po, students.po and teachers.po
    (in the project, or in the source checkout outside one), every string
    untranslated, ready for Poedit or Weblate; start with families.po. Same as
    `pybabel init -D families -l LANGUAGE --no-wrap` for each.
    """
    from handouts.workflow import catalog_folder, language_changes

    folder = catalog_folder(language)
    if folder.split("_")[0] == "en":
        raise click.BadParameter(
            "English is the source language; regional English catalogs hold only the strings that "
            "differ and are written by hand or by tools/regional-english",
            param_hint="LANGUAGE",
        )
    target = _catalogs_folder(ctx) / folder / "LC_MESSAGES"
    if target.is_dir() and any(target.glob("*.po")):
        raise HandoutsError(f"{target} holds catalogs; bring them up to date with `handouts i18n update`")
    _, templates = _templates(ctx)
    _apply(language_changes(templates, _catalogs_folder(ctx), folder), False, "")
    click.echo(
        "Next: translate families.po first (Poedit, Weblate or any PO editor), then `handouts i18n status`."
    )


@i18n_group.command("update")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when a catalog or a template is out of date."
)
@click.pass_context
def i18n_update_command(ctx: click.Context, check: bool) -> None:
    """Bring the templates and every full catalog up to date with the sources.

    In the source checkout the templates are extracted afresh first; in a project
    its own catalogs are updated from the built-in templates. New strings arrive
    untranslated, changed ones fuzzy (their old translation kept for reference),
    removed ones go; a string that moves to another audience keeps its translation.
    A language's single catalog of old (handouts.po) is split. In a project, a
    language with a built-in catalog is left alone (its files there are overrides).
    Regional English (en_*) is left to tools/regional-english. As `pybabel update --no-wrap
    --ignore-obsolete` does, per audience.
    """
    from handouts.sources import BUILTIN
    from handouts.workflow import catalog_changes

    changes, templates = _templates(ctx)
    builtin = None if _source_root(ctx) is not None else BUILTIN / "locales"
    changes += catalog_changes(templates, _catalogs_folder(ctx), builtin)
    _apply(changes, check, "handouts i18n update")


@i18n_group.command("status")
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    metavar="TAG",
    help="Locale to survey. Repeatable. Default: every translated language, in the default locales' region.",
)
@click.option("-m", "--module", "modules", multiple=True, metavar="ID", help="Only this module. Repeatable.")
@click.option("-b", "--band", "bands", multiple=True, metavar="ID", help="Only this band. Repeatable.")
@click.option(
    "-k", "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind. Repeatable."
)
@click.option("--missing", is_flag=True, help='List every gap as PO file:line: "msgid".')
@click.option("--check", is_flag=True, help="Exit 1 when a default locale has a gap or a broken catalog.")
@click.pass_context
def i18n_status_command(
    ctx: click.Context,
    locales: tuple[str, ...],
    modules: tuple[str, ...],
    bands: tuple[str, ...],
    kinds: tuple[str, ...],
    missing: bool,
    check: bool,
) -> None:
    """How much of each product kind each language has: a table per language and kind.

    Strings are those the products really print (their layouts are drawn,
    without making PDFs): translated, fuzzy, missing, whether the catalog is
    reviewed, and the percent translated. A catalog that cannot be used is
    listed with its problems.
    """
    from handouts.coverage import status_locales, survey

    project = _project(ctx)
    _check_choices(modules, sorted(project.modules), "--module", "module")
    _check_choices(bands, list(project.bands), "--band", "band")
    chosen = [parse_locale(tag) for tag in _check_locales(locales)] if locales else status_locales(project)
    for locale in chosen:
        if not project.speaks(locale):
            raise click.BadParameter(
                f"no translation catalog for {locale.tag}; start one with `handouts i18n init "
                f"{_folder_name(locale)}`",
                param_hint="--locale",
            )
    defaults = {parse_locale(tag).tag for tag in project.settings.locales}
    failing: list[str] = []
    click.echo(
        f"{'locale':<12} {'kind':<9} {'strings':>7} {'translated':>10} {'fuzzy':>5} {'missing':>7} "
        f"{'percent':>7}  reviewed"
    )
    for locale in chosen:
        broken = project.catalog_problems_for(locale)
        if broken:
            click.secho(
                f"{locale.tag:<12} {'(all)':<9} catalog cannot be used: {len(broken)} problem(s)", fg="red"
            )
            for problem in broken:
                click.secho(f"  {problem}", fg="red")
            if locale.tag in defaults:
                failing.append(f"{locale.tag}: {len(broken)} catalog problem(s)")
            continue
        found = survey(project, [locale], modules, bands, kinds)
        catalog = project.catalog_for_locale(locale)
        reviewed = (
            "source"
            if catalog is None
            else (f"yes ({catalog.reviewed_by})" if catalog.reviewed else "no (draft)")
        )
        gaps = 0
        for kind in dict.fromkeys(item.target.kind for item in found):
            of_kind = [item for item in found if item.target.kind == kind]
            strings = frozenset().union(*(item.strings for item in of_kind))
            fuzzy = frozenset().union(*(item.fuzzy for item in of_kind))
            lacking = frozenset().union(*(item.missing for item in of_kind))
            done = len(strings) - len(fuzzy) - len(lacking)
            percent = 100 * done / len(strings) if strings else 100.0
            gaps += len(fuzzy) + len(lacking)
            click.echo(
                f"{locale.tag:<12} {kind:<9} {len(strings):>7} {done:>10} {len(fuzzy):>5} {len(lacking):>7} "
                f"{percent:>6.1f}%  {reviewed}"
            )
        if missing:
            for gap in sorted({gap for item in found for gap in item.gaps()}, key=_gap_order):
                click.echo(str(gap))
        if gaps and locale.tag in defaults:
            failing.append(f"{locale.tag}: {gaps} string(s) untranslated or fuzzy")
    if check and failing:
        raise HandoutsError("default locales with gaps: " + "; ".join(failing))


def _gap_order(gap: Gap) -> tuple[str, int, str]:
    return str(gap.path), gap.line, gap.msgid


def _folder_name(locale: ReaderLocale) -> str:
    """A catalog's folder name for a locale's language (``zh_Hans``, ``fr``)."""
    return canonical_language(locale.language).replace("-", "_")


def _schemas() -> dict[str, str]:
    from handouts.models import schema_json
    from handouts.resources import Directory

    return {
        "curriculum/schema.json": schema_json(),
        "curriculum/resources/schema.json": schema_json(Directory, "handouts help-line directory"),
    }


@cli.command("schema")
@click.option("--write", is_flag=True, help="Write the schema files instead of printing the module schema.")
@click.pass_context
def schema_command(ctx: click.Context, write: bool) -> None:
    """JSON Schemas of module and help-line files, for editors' YAML validation.

    Files: curriculum/schema.json (modules) and curriculum/resources/schema.json.
    """
    schemas = _schemas()
    if not write:
        click.echo(schemas["curriculum/schema.json"], nl=False)
        return
    lazy: _Lazy = ctx.find_object(_Lazy)  # type: ignore[assignment]
    root = lazy.root
    if root is None:
        raise HandoutsError("no project here: run `handouts init` first, or pass -C with a project folder")
    for relative, text in schemas.items():
        path = root / relative
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="handouts")


if __name__ == "__main__":
    main()
