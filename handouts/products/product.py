"""What every print product shares: the target it makes, the parts it lays out, the interface.

A product is one module in this package and one layout in ``layouts/``. It says
which targets it makes for module × band × locale, builds each target's parts
(pure data in the reader's language), and names its layout, page budget and
smallest body size. Laying out, fitting and writing are the build's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..branding import logo_uri
from ..clock import source_date
from ..i18n import ReaderLocale, Translator, localize, parse_locale
from ..pictures import alt_texts
from ..resources import help_context, select

if TYPE_CHECKING:
    from ..models import Band, Module, Variant
    from ..project import Project
    from ..render import Renderer


@dataclass(frozen=True)
class Options:
    """Build options that change what a PDF looks like (each product hashes those it uses)."""

    allow_fallback: bool = False
    paper: str | None = None
    include_unconfirmed: bool = False
    size: str | None = None  # flyers: letter, A4, A3, tabloid
    bilingual: str | None = None  # letters: a second locale printed on the facing page
    booklet: bool = False  # packets: imposed 2-up in saddle-stitch order
    locales: tuple[str, ...] = ()  # web pages: the locales built, for the language switcher


@dataclass(frozen=True)
class Target:
    """One PDF to make: a product kind for a locale, and the band and module it is about."""

    kind: str
    locale: str
    path: Path  # relative to the output folder
    band: str = ""
    module: str = ""
    variant: str = ""  # what else tells two targets of one kind apart (a card group)


@dataclass(frozen=True)
class Fit:
    """How a part was fitted to its budget: spacing factor, body size, and a kept-together end."""

    spacing: float = 1.0
    body_pt: float = 0.0
    keep_end: bool = False

    def record(self, natural_pt: float, min_pt: float) -> dict[str, Any]:
        """What the manifest says about it."""
        return {
            "spacing": self.spacing,
            "body_pt": self.body_pt,
            "min_pt": min_pt,
            "scale": round(self.body_pt / natural_pt, 3) if natural_pt else 1.0,
            "kept_end_together": self.keep_end,
        }


@dataclass
class Part:
    """One laid-out piece of a document: a product's layout with its data and page settings."""

    kind: str
    layout: str
    context: dict[str, Any]
    translator: Translator
    locale: ReaderLocale
    body_pt: float
    min_pt: float
    budget: int | None
    footer_left: str
    footer_right: str
    bookmark: str
    stretch: int = 0  # pages it may add to its budget when the budget is too few (a translation)
    fits: bool = True  # whether fitting may scale it (covers and card sheets are drawn to size)
    fit: Fit = field(default_factory=Fit)
    html: str = ""
    starts: str = "page"  # break-before: page, right or left (packets); "any": the next page, either side
    paper: str | None = None  # its own page size when fitted alone (a card)
    pages: int = 0  # laid out alone, once fitted
    last_boxes: int = 0  # top-level boxes on its last page, once fitted

    @property
    def natural(self) -> Fit:
        """The fit before any fitting: full spacing, natural body size."""
        return Fit(1.0, self.body_pt)


#: How much smaller than the body secondary text is (labels, notes, the help block), at most.
SMALL = 0.85


def type_css(fit: Fit, min_pt: float) -> str:
    """A part's body size, spacing and small size: never below the smallest its readers need."""
    small = max(round(fit.body_pt * SMALL, 2), min_pt)
    return f"font-size: {fit.body_pt:g}pt; --space: {fit.spacing:g}; --small: {small:g}pt;"


@dataclass
class Job:
    """Everything a product needs to build one target."""

    project: Project
    target: Target
    options: Options

    @property
    def locale(self) -> ReaderLocale:
        """The reader's locale."""
        return parse_locale(self.target.locale)

    def translator(self, locale: ReaderLocale | None = None) -> Translator:
        """A fresh translator for ``locale`` (default: the target's), recording its gaps."""
        locale = locale or self.locale
        return Translator(self.project.catalog_for_locale(locale))

    def paper(self, locale: ReaderLocale | None = None) -> str:
        """Paper size: the option, then the project's setting, then the region's."""
        return self.options.paper or self.project.settings.paper or (locale or self.locale).paper


def band_view(band: Band, _: Any) -> dict[str, Any]:
    """What layouts know of a band, in the reader's language."""
    return {
        "id": band.id,
        "label": _(band.label),
        "audience": band.audience,
        # Bands with words they must not meet see help lines without the research's caveats.
        "plain": bool(band.denied_words),
        "read_aloud": band.read_aloud,
    }


def common_context(
    job: Job,
    translator: Translator,
    band: Band,
    locale: ReaderLocale | None = None,
    for_children: bool | None = None,
    help_limit: int | None = None,
    help_kinds: Sequence[str] = (),
) -> dict[str, Any]:
    """The context every part layout may use: locale, band, help lines, draft state."""
    locale = locale or job.locale
    _ = translator.gettext
    catalog = translator.catalog
    children = band.for_children if for_children is None else for_children
    selection = select(
        job.project.directories,
        locale.region,
        children,
        job.options.include_unconfirmed,
        help_kinds,
        job.project.settings.local,
    )
    if help_limit is not None:
        selection = replace(selection, resources=selection.resources[:help_limit])
    settings = job.project.settings
    return {
        "locale": locale,
        "band": band_view(band, _),
        "organization": settings.organization,
        "logo": logo_uri(job.project.root, settings.logo),
        "contact": settings.contact.parts(),
        "created": source_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "translation": {
            "draft": bool(catalog and not catalog.reviewed),
            "regional": bool(catalog and catalog.of_source_language),
            "fallback": False,
        },
        "help": {**help_context(selection, locale, translator), "for_children": children, "grown_up": False},
        "pictures": alt_texts(_),
    }


def slotted(entries: list[dict[str, Any]], slots: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """One help line per slot, each the first of the slot's kinds the region has (local entries first)."""
    chosen = [entry for entry in entries if entry["local"]]
    for slot in slots:
        found = next((entry for kind in slot for entry in entries if entry["kind"] == kind), None)
        if found is not None:
            chosen.append(found)
    return chosen


class Product:
    """One kind of print product. Subclasses set the class attributes and ``targets``/``parts``."""

    kind: ClassVar[str]
    #: The layout in ``layouts/`` that draws one part of this kind.
    layout: ClassVar[str]
    #: Every layout a document of this kind draws its parts with (what a layout edit rebuilds).
    layouts: ClassVar[tuple[str, ...]] = ()
    #: The name of the kind, printed on the page (marked for translation).
    label: ClassVar[str]
    #: Most pages one part may take (None: no limit).
    budget: ClassVar[int | None] = None
    #: Pages a translation may add when the budget is too few: translated text runs longer
    #: (French about a quarter longer than the English), and a longer page beats no page.
    translation_stretch: ClassVar[int] = 0
    #: The build options that change this product (the others do not make it rebuild).
    option_fields: ClassVar[tuple[str, ...]] = ("allow_fallback", "paper", "include_unconfirmed")
    #: Body size and the smallest size fitting may reach; None: the band's minimum (children read it).
    body_pt: ClassVar[float | None] = None
    min_pt: ClassVar[float | None] = None
    #: The kinds whose parts a document of this kind holds (for its locale and band): a build
    #: makes those first, so it finds their fits remembered (fitting.FitMemory).
    holds: ClassVar[tuple[str, ...]] = ()

    def sizes(self, band: Band) -> tuple[float, float]:
        """Body size and smallest size for a part of this kind in ``band``."""
        return (self.body_pt or band.min_font_pt, self.min_pt or band.min_font_pt)

    def targets(self, project: Project, locale: ReaderLocale, options: Options) -> Iterator[Target]:
        """Every target of this kind for one locale (the build filters by module and band)."""
        raise NotImplementedError

    def part(
        self,
        context: dict[str, Any],
        translator: Translator,
        locale: ReaderLocale,
        band: Band,
        bookmark: str,
        footer_left: str = "",
        footer_right: str = "",
        **changes: Any,
    ) -> Part:
        """A part drawn by this product's layout, at its sizes and budget (``changes`` replace them)."""
        body_pt, min_pt = self.sizes(band)
        stretch = self.translation_stretch if locale.language != "en" else 0
        fields: dict[str, Any] = {
            "body_pt": body_pt,
            "min_pt": min_pt,
            "budget": self.budget,
            "stretch": stretch,
            **changes,
        }
        return Part(
            kind=self.kind,
            layout=self.layout,
            context=context,
            translator=translator,
            locale=locale,
            footer_left=footer_left,
            footer_right=footer_right,
            bookmark=bookmark,
            **fields,
        )

    def details(
        self, model: Any, band: Band, _: Callable[[str], str], module: Module | None = None
    ) -> dict[str, Any]:
        """What else this kind's layout needs of a module's content model, in the reader's language."""
        return {}

    def narrow(self, project: Project, target: Target, modules: tuple[str, ...]) -> Target | None:
        """The target limited to ``modules`` (``--module``); None when it is about none of them."""
        return target if not target.module or target.module in modules else None

    def parts(self, job: Job) -> list[Part]:
        """The parts of one target's document, in order, with their data."""
        raise NotImplementedError

    def content(self, project: Project, target: Target) -> Any:
        """The content that shapes the target, as plain data: its module's own fields and its band's
        variant (an edit elsewhere in the module does not rebuild it)."""
        module = project.modules.get(target.module)
        return module_content(module, target.band) if module else None

    #: Whether ``arrange`` turns the fitted parts into other parts (a card sheet, a packet).
    arranges: ClassVar[bool] = False

    def arrange(self, job: Job, parts: list[Part], renderer: Renderer) -> list[Part]:
        """The parts to lay out, once each part that fits was fitted alone (as they are by default)."""
        return parts

    #: Whether its arranged parts, each starting on a page of its own, are laid out and written one
    #: at a time and joined (joining.py: a long document in a part's memory).
    joins: ClassVar[bool] = False

    def paginate(self, parts: list[Part], starts: dict[int, int] | None) -> None:
        """Tell the parts where each part starts (``starts``: part number -> page number), for a
        document made part by part to print them (a contents page); None: it is laid out whole
        after all. A part it changes is drawn again."""

    def finish(self, pdf: bytes, pages: int, job: Job) -> bytes:
        """A last step on the written PDF (imposition); unchanged by default."""
        return pdf


def document_title(_: Any, title: str, kind_label: str, band_label: str) -> str:
    """A PDF's title, unique among the products: what it is about, what it is, for whom."""
    return _("%(title)s — %(kind)s, %(band)s") % {"title": title, "kind": kind_label, "band": band_label}


def module_content(module: Module, band_id: str) -> dict[str, Any]:
    """A module's title, summary and sources and one band's variant, as plain data."""
    variant = module.bands.get(band_id)
    return {
        **module.model_dump(mode="json", exclude={"bands"}),
        "variant": variant.model_dump(mode="json") if variant else None,
    }


def module_path(locale: ReaderLocale, band: str, module: str, kind: str) -> Path:
    """Where a module's product goes: ``<locale>/<band>/<module>.<kind>.pdf``."""
    return Path(locale.tag, band, f"{module}.{kind}.pdf")


def module_variants(project: Project, band_id: str) -> Iterator[tuple[str, Module, Variant]]:
    """The modules that offer ``band_id``, in teaching order."""
    for module_id in project.teaching_order:
        module = project.modules[module_id]
        variant = module.bands.get(band_id)
        if variant is not None:
            yield module_id, module, variant


def localized(model: Any, translator: Translator) -> dict[str, Any]:
    """A content model as plain data in the reader's language."""
    result: dict[str, Any] = localize(model.model_dump(), translator)
    return result
