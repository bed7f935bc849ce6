"""Which strings each product needs in a language, and which of them the catalogs lack.

A product's strings are found the way a build finds them: its parts are made and their
layouts drawn (Jinja only, no PDF), and the translator records every string asked for.
So a gap is reported exactly when a build would skip the product, and each gap is named
by the PO entry a translator opens: ``PO file:line: "msgid"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .i18n import SOURCE_LANGUAGE, LanguageCatalog, ReaderLocale, canonical_language, parse_locale
from .products import PRODUCTS, Job, Options, Target
from .project import Project

if TYPE_CHECKING:
    from .render import Renderer

#: How many gaps a skipped product's message names before giving a count.
NAMED_GAPS = 5


@dataclass(frozen=True)
class Gap:
    """One string a reader would see in English: where a translator fills it in."""

    msgid: str
    path: Path
    line: int
    fuzzy: bool = False

    def __str__(self) -> str:
        text = self.msgid if len(self.msgid) <= 80 else self.msgid[:79] + "…"
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        where = (
            f"{self.path}:{self.line}"
            if self.line
            else f"{self.path.parent}: (no entry; run `handouts i18n update`)"
        )
        return f'{where}: {"fuzzy " if self.fuzzy else ""}"{text}"'


@dataclass(frozen=True)
class Coverage:
    """The strings of one target in its reader's language, and the gaps among them."""

    target: Target
    strings: frozenset[str]
    missing: frozenset[str]
    fuzzy: frozenset[str]
    catalog: LanguageCatalog | None

    @property
    def translated(self) -> int:
        """How many of its strings have a translation."""
        return len(self.strings) - len(self.missing) - len(self.fuzzy)

    def gaps(self) -> list[Gap]:
        """Every gap, in catalog order (file, then line)."""
        return sorted(
            gaps_of(self.catalog, self.missing, self.fuzzy), key=lambda gap: (str(gap.path), gap.line)
        )


def gaps_of(catalog: LanguageCatalog | None, missing: Iterable[str], fuzzy: Iterable[str]) -> list[Gap]:
    """Gaps named by their catalog entries (the most specific catalog holding each)."""
    if catalog is None:
        return []
    found = [Gap(msgid, *catalog.place(msgid)) for msgid in missing]
    found += [Gap(msgid, *catalog.place(msgid), fuzzy=True) for msgid in fuzzy]
    return sorted(found, key=lambda gap: (str(gap.path), gap.line, gap.msgid))


def describe_gaps(gaps: Sequence[Gap | str], strings: int) -> str:
    """A skipped product's message: how many gaps, the first five named, then a count."""
    named = "; ".join(str(gap) for gap in gaps[:NAMED_GAPS])
    more = f"; and {len(gaps) - NAMED_GAPS} more" if len(gaps) > NAMED_GAPS else ""
    return f"translation incomplete ({len(gaps)} of {strings} strings untranslated or fuzzy): {named}{more}"


def coverage(
    project: Project, target: Target, renderer: Renderer, options: Options | None = None
) -> Coverage:
    """The strings ``target`` needs and which of them have no translation."""
    job = Job(project, target, options or Options())
    parts = PRODUCTS[target.kind].parts(job)
    for number, part in enumerate(parts, start=1):
        part.context["uid"] = f"p{number}"
        from .fitting import render_html  # the PDF engine, only when drawing

        render_html(renderer, part)
    own = [part.translator for part in parts if part.locale.tag == target.locale]
    return Coverage(
        target,
        frozenset().union(*(t.used for t in own)),
        frozenset().union(*(t.missing for t in own)),
        frozenset().union(*(t.fuzzy for t in own)),
        project.catalog_for_locale(parse_locale(target.locale)),
    )


def status_locales(project: Project) -> list[ReaderLocale]:
    """The locales whose gaps matter: the project's default locales in a translated language,
    then every other full catalog in the region of the first default locale (``es``: es-US)."""
    defaults = [parse_locale(tag) for tag in project.settings.locales]
    region = defaults[0].region
    chosen: dict[str, ReaderLocale] = {}
    for locale in defaults:
        if locale.language.split("-")[0] != SOURCE_LANGUAGE:
            chosen.setdefault(locale.language, locale)
    for language in sorted({*project.catalogs, *project.catalog_problems}):
        subtags = language.split("-")
        if subtags[0] == SOURCE_LANGUAGE or language in chosen:
            continue  # regional English holds only the strings that differ: it has no gaps
        if len(subtags) > 1 and len(subtags[-1]) != 4:  # a regional catalog (pt-br, es-419)
            if subtags[0] not in chosen and subtags[0] not in project.catalogs:
                chosen[language] = parse_locale(language)
            continue
        chosen[language] = parse_locale(f"{canonical_language(language)}-{region}")
    return list(chosen.values())


def survey(
    project: Project,
    locales: Sequence[ReaderLocale],
    modules: Sequence[str] = (),
    bands: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Coverage]:
    """The coverage of every product the filters allow, in every locale given (broken
    catalogs left out: :attr:`Project.catalog_problems` names their problems)."""
    from .build import plan  # the build imports making, which names gaps with this module
    from .render import Renderer

    renderer = Renderer(project.layouts, project.assets)
    targets = plan(project, modules, bands, [locale.tag for locale in locales], kinds)
    return [
        coverage(project, target, renderer)
        for target in targets
        if not project.catalog_problems_for(parse_locale(target.locale))
    ]


def _complete(project: Project, locale: ReaderLocale) -> bool:
    """Whether the catalogs of ``locale`` translate every string of the built-in templates and
    the project's own help entries (then no product can have a gap)."""
    from babel.messages.pofile import read_po

    from .sources import BUILTIN

    catalog = project.catalog_for_locale(locale)
    if catalog is None:
        return False
    wanted = {text for entry in project.settings.local for text in (entry.description, entry.hours) if text}
    for template in sorted((BUILTIN / "locales").glob("*.pot")):
        with template.open("rb") as handle:
            wanted.update(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id)
    return bool(wanted) and wanted <= catalog.translated


def default_gaps(project: Project) -> list[Problem]:
    """Warnings for every gap of the project's default locales (``handouts check``), at its PO
    entry, naming the product kinds that would be skipped for it."""
    problems = []
    for tag in dict.fromkeys(project.settings.locales):
        locale = parse_locale(tag)
        if locale.language.split("-")[0] == SOURCE_LANGUAGE or project.catalog_problems_for(locale):
            continue  # the source has no gaps; a broken catalog is reported as errors
        if _complete(project, locale):
            continue  # every string there is has a translation: drawing every product would find none
        kinds: dict[Gap, set[str]] = {}
        for item in survey(project, [locale]):
            for gap in item.gaps():
                kinds.setdefault(gap, set()).add(item.target.kind)
        for gap, used in kinds.items():
            text = str(gap).split(": ", 1)[1] if gap.line else str(gap)
            message = f"{locale.tag}: untranslated {text}; {', '.join(sorted(used))} products are skipped"
            problems.append(Problem(gap.path, gap.line, 0, message, "warning"))
    return problems
