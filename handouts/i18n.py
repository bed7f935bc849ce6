"""Locales, translation catalogs, localization of content, and our Babel extractor.

A locale is language plus region (``es-US``): the region picks help lines and
paper; language and region pick a chain of catalogs in
``locales/<locale>/LC_MESSAGES/*.po`` (one file per audience) by CLDR's parent locales (``en-GB``:
``en_GB``, then ``en_001``; ``es-MX``: ``es_MX``, ``es_419``, then ``es``), the most
specific entry winning. English catalogs hold only the strings that differ from
the source, which is English: what they lack is the source text, not a gap.
The source text is the msgid (as in Sphinx); translating is a pure step
that returns new data and records which strings had no translation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations

from .errors import Found, Problem
from .glyphs import font_families, glyph_problems
from .pofile import read_po_strictly
from .reading import read_toml, toml_line
from .safety import MAX_TEXT_CHARS, text_problem, unsafe_translation
from .sources import Source, Sources

DOMAIN = "handouts"
SOURCE_LANGUAGE = "en"

#: Keys whose values are identifiers or citations, never translated.
UNTRANSLATED_KEYS = frozenset(
    {
        *("id", "sources", "audience", "denied_words", "sends_home"),
        *("provided", "common", "picture", "icon", "kind", "from_lesson", "sender"),
    }
)
#: In help-directory files only these keys are prose; names, numbers and links never translate.
RESOURCE_PROSE_KEYS = frozenset({"description", "caveat", "hours", "note"})

# Regions that print on US Letter; everyone else uses A4.
LETTER_REGIONS = frozenset(
    {"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "SV", "HN", "NI", "PA", "DO", "PR", "BZ"}
)


@dataclass(frozen=True)
class ReaderLocale:
    """A BCP 47 language-region pair, e.g. ``es-US``."""

    tag: str
    language: str
    region: str
    babel: Locale

    @property
    def paper(self) -> str:
        """Default paper size for the region (CSS page size keyword)."""
        return "letter" if self.region in LETTER_REGIONS else "A4"

    @property
    def direction(self) -> str:
        """Text direction of the language, ``ltr`` or ``rtl``."""
        return "rtl" if self.babel.character_order == "right-to-left" else "ltr"


def check_region(code: str) -> str:
    """An ISO 3166 region code (or a UN M.49 area such as 001), upper-cased; ValueError naming the nearest.

    ``UK`` is refused with ``GB`` (CLDR's territory aliases), other near misses with
    the closest code or country name.
    """
    from difflib import get_close_matches

    from babel.core import get_global

    wanted = code.strip().upper()
    names = {key: name for key, name in Locale("en").territories.items() if key != "ZZ"}
    if wanted in names and (len(wanted) == 2 or wanted.isdigit()):
        return wanted
    aliases = get_global("territory_aliases").get(wanted) or []
    suggestion = next((alias for alias in aliases if alias in names), None)
    if suggestion is None:
        by_name = {name.upper(): key for key, name in names.items() if len(key) == 2}
        close = get_close_matches(wanted, by_name, n=1, cutoff=0.6)
        suggestion = by_name[close[0]] if close else None
    if suggestion is None and len(wanted) == 2:  # a typo keeps its first letter, most often
        codes = [key for key in names if len(key) == 2 and key[0] == wanted[0]]
        close = get_close_matches(wanted, codes, n=1, cutoff=0.5)
        suggestion = close[0] if close else None
    hint = f"; did you mean '{suggestion}' ({names[suggestion]})?" if suggestion else ", such as US or GB"
    raise ValueError(f"'{code}' is not an ISO 3166 region code{hint}")


@cache  # a build asks for each target's locale several times; CLDR's region table is slow to walk
def parse_locale(tag: str) -> ReaderLocale:
    """Parse ``es-US`` (or ``es_US``); raise ValueError with a fix when it is not one."""
    cleaned = tag.strip().replace("_", "-")
    parts = cleaned.split("-")
    two_letters = len(parts) >= 2 and parts[-1].isalpha() and len(parts[-1]) == 2
    if not two_letters and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*-(\d{3})", cleaned):
        raise ValueError(
            f"'{tag}' needs a language and a region, e.g. 'es-US' or 'en-GB' "
            "(the region chooses help lines and paper)"
        )
    try:
        region = check_region(parts[-1])
    except ValueError as error:
        raise ValueError(f"'{tag}': {error}") from None
    language = with_script("-".join(parts[:-1]), region)
    try:
        babel_locale = Locale.parse(f"{language.replace('-', '_')}_{region}")
    except (UnknownLocaleError, ValueError):
        try:  # a language spoken outside its usual regions, e.g. es-DE
            babel_locale = Locale.parse(language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"'{tag}' is not a known language-region pair") from None
    return ReaderLocale(f"{canonical_language(language)}-{region}", language.lower(), region, babel_locale)


def _written_in_scripts(language: str) -> bool:
    """Whether CLDR has locales of ``language`` by script (``zh_Hans``, ``sr_Cyrl``): tags name the script."""
    from babel.localedata import locale_identifiers

    likely = get_global("likely_subtags").get(language, "").split("_")
    return len(likely) >= 2 and f"{language}_{likely[1]}" in locale_identifiers()


def with_script(language: str, region: str) -> str:
    """``zh`` with the script its readers in ``region`` use (Babel's likely subtags): ``zh-Hant``
    in TW, HK and MO, where Chinese is the region's own language; ``zh-Hans`` elsewhere (CN, SG,
    US: the language's own default). A language written in one script, or a tag naming its
    script, is returned as it is.
    """
    subtags = language.split("-")
    if len(subtags) != 1 or not _written_in_scripts(subtags[0].lower()):
        return language
    base = subtags[0].lower()
    likely = get_global("likely_subtags")
    regional = likely.get(f"und_{region}", "").split("_")
    chosen = regional if regional[0] == base and len(regional) >= 2 else likely[base].split("_")
    return f"{base}-{chosen[1]}"


def canonical_language(language: str) -> str:
    """The one spelling of a language subtag chain in output folders: ``zh-Hans``, ``es``, ``pt``."""
    subtags = language.split("-")
    rest = [tag.title() if len(tag) == 4 and tag.isalpha() else tag.upper() for tag in subtags[1:]]
    return "-".join([subtags[0].lower(), *rest])


# --- catalogs ---------------------------------------------------------------


@dataclass(frozen=True)
class LanguageCatalog:
    """One language's translations, checked, ready to translate with."""

    language: str
    path: Path  # as messages name it: the project's catalog if it has one, else the built-in one
    translations: NullTranslations
    translated: frozenset[str]
    fuzzy: frozenset[str]
    reviewed_by: str | None = None
    files: tuple[Path, ...] = ()  # every PO file it was made of, built-in first
    #: Where each msgid's entry stands, as messages name it: (PO file, line of its msgid).
    places: Mapping[str, tuple[Path, int]] = field(default_factory=dict)

    def place(self, msgid: str) -> tuple[Path, int]:
        """The PO file and line of ``msgid``'s entry; line 0 when the catalog lacks the entry."""
        return self.places.get(msgid, (self.path, 0))

    @property
    def reviewed(self) -> bool:
        """Whether a native speaker has reviewed this catalog."""
        return bool(self.reviewed_by)

    @property
    def of_source_language(self) -> bool:
        """Whether it is a regional variant of the source language (``en-gb``): only differences."""
        return self.language.split("-")[0] == SOURCE_LANGUAGE


class ChainTranslations(NullTranslations):
    """Translations that ask each catalog of a chain in turn, most specific first."""

    def __init__(self, layers: Sequence[LanguageCatalog]) -> None:
        super().__init__()
        self.layers = tuple(layers)

    def _layer(self, message: str) -> LanguageCatalog | None:
        return next((layer for layer in self.layers if message in layer.translated), None)

    def gettext(self, message: str) -> str:
        """The most specific translation of ``message``, or ``message``."""
        layer = self._layer(message)
        return layer.translations.gettext(message) if layer else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The most specific plural form, or the source's."""
        layer = self._layer(msgid1)
        return layer.translations.ngettext(msgid1, msgid2, n) if layer else (msgid1 if n == 1 else msgid2)


def catalog_chain(locale: ReaderLocale) -> tuple[str, ...]:
    """Catalog keys to look in for ``locale``, most specific first, by CLDR's parent locales.

    ``en-GB``: ``en-gb``, ``en-001``; ``es-MX``: ``es-mx``, ``es-419``, ``es``. The source
    language itself (``en``) is no catalog: it is what every English chain falls back to.
    """
    parents: Mapping[str, str] = get_global("parent_exceptions")
    subtags = locale.language.split("-")
    language = subtags[0]
    rest = [tag.title() if len(tag) == 4 else tag.upper() for tag in subtags[1:]]
    name = "_".join([language, *rest, locale.region])
    chain: list[str] = []
    while name and name != "root":
        chain.append(name.replace("_", "-").lower())
        name = parents.get(name) or name.rpartition("_")[0]
    chain += [locale.language, language]  # a language-only catalog (``pt-br``), as before
    # A script other than the language's default is its own root (CLDR: zh_Hant's parent is root):
    # Traditional Chinese never falls back to a ``zh`` catalog, which is Simplified.
    scripts = [tag.title() for tag in subtags[1:] if len(tag) == 4 and tag.isalpha()]
    default = get_global("likely_subtags").get(language, "").split("_")
    if scripts and (len(default) < 2 or scripts[0] != default[1]):
        chain = [key for key in chain if key != language]
    return tuple(dict.fromkeys(key for key in chain if key != SOURCE_LANGUAGE))


def chain_catalogs(layers: Sequence[LanguageCatalog]) -> LanguageCatalog | None:
    """One catalog that looks in ``layers`` in turn (most specific first); None when there are none.

    It counts as reviewed only when every catalog in it is: each was written by someone.
    """
    if len(layers) <= 1:
        return layers[0] if layers else None
    translated = frozenset().union(*(layer.translated for layer in layers))
    fuzzy = frozenset().union(*(layer.fuzzy for layer in layers)) - translated
    reviewers = [layer.reviewed_by for layer in layers]
    reviewed_by = ", ".join(dict.fromkeys(r for r in reviewers if r)) if all(reviewers) else None
    files = tuple(path for layer in reversed(layers) for path in layer.files)
    places: dict[str, tuple[Path, int]] = {}
    for layer in reversed(layers):  # the most specific entry wins, translated or not
        places.update(layer.places)
    first = layers[0]
    return LanguageCatalog(
        first.language, first.path, ChainTranslations(layers), translated, fuzzy, reviewed_by, files, places
    )


_DIGITS = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|\{[A-Za-z_]+\}")


@cache
def check_translation(msgid: str, msgstr: str) -> str | None:
    """Why a translation is unsafe to print, or None (a Babel-style checker: one function).
    Remembered per process: a project's catalogs and the built-in ones hold the same entries,
    and a server or test run reads them again and again (22,000 entries take about 2 s).

    Judged on what the reader will see (``safety.seen``): no hidden or control characters,
    character references, digits, addresses or markup the source lacks; the same placeholders.
    """
    if not msgstr:
        return None
    if len(msgstr) > MAX_TEXT_CHARS:
        return f"the translation is too long ({len(msgstr):,} characters; at most {MAX_TEXT_CHARS:,})"
    reason = unsafe_translation(msgid, msgstr)
    if reason:
        return reason
    if sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(msgstr)):
        return "the placeholders (%(name)s or {name}) must be the same as in the source text"
    return None


def load_reviews(path: Path, shown: Path, problems: list[Problem]) -> dict[str, str]:
    """``locales/reviews.toml``: which catalogs a native speaker has reviewed, and who.

    Tables are named like the catalog's folder (``[es]``, ``[en_GB]``) and keyed like
    :class:`CatalogShelf` keys catalogs (``es``, ``en-gb``).
    """
    if not path.exists():
        return {}
    try:
        data, text = read_toml(path, shown)
    except Found as error:
        problems.append(error.problem)
        return {}
    reviews = {}
    for language, entry in data.items():
        reviewer = entry.get("reviewed_by", "") if isinstance(entry, dict) else entry
        if not isinstance(entry, dict) or not isinstance(reviewer, str):
            key = "reviewed_by" if isinstance(entry, dict) else language
            line = toml_line(text, key, language if isinstance(entry, dict) else None)
            message = f'[{language}] reviewed_by must be text, e.g. "Name, date"'
            problems.append(Problem(shown, line, 0, message))
            continue
        why = text_problem(reviewer)
        if why:
            line = toml_line(text, "reviewed_by", language)
            problems.append(Problem(shown, line, 0, f"[{language}] {why}"))
        elif reviewer.strip():
            reviews[language.replace("_", "-").lower()] = reviewer.strip()
    return reviews


def read_catalog(path: Path, shown: Path, language: str, problems: list[Problem]) -> Catalog | None:
    """Read and check one PO file; unsafe or malformed entries become problems (None then)."""
    try:
        catalog = read_po_strictly(path, shown, language)
    except Found as error:
        problems.append(error.problem)
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")

    def msgstr_line(start: int) -> int:
        """The line of the msgstr that follows a msgid starting at ``start`` (1-based)."""
        for number in range(max(start, 1), len(lines) + 1):
            if lines[number - 1].startswith("msgstr"):
                return number
        return start

    count = len(problems)
    printed: list[tuple[str, str, int]] = []  # what reaches paper: the fonts must draw it
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        sources = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        forms = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        reason = next((why for form in forms if form and (why := check_translation(sources[-1], form))), None)
        if reason:
            named = sources[0] if len(sources[0]) <= 60 else sources[0][:59] + "…"
            problems.append(Problem(shown, msgstr_line(message.lineno or 0), 0, f"msgid {named!r}: {reason}"))
        else:
            printed += [(sources[0], form, msgstr_line(message.lineno or 0)) for form in forms if form]
    problems += glyph_problems(printed, shown, font_families(language), language)
    return catalog if len(problems) == count else None


def _twice(layers: Sequence[Source], read: Sequence[Catalog | None]) -> list[Problem]:
    """A msgid in two files of one layer (families.po and students.po): which one prints is a guess."""
    problems = []
    first: dict[tuple[str, str], tuple[Path, int]] = {}
    for layer, catalog in zip(layers, read, strict=True):
        for message in catalog or ():
            if not message.id:
                continue
            key = (layer.origin, _key(message.id))
            if key in first:
                path, line = first[key]
                text = f"msgid {_key(message.id)[:60]!r} is also in {path}:{line}; keep one entry"
                problems.append(Problem(layer.shown, message.lineno or 0, 0, text))
            else:
                first[key] = (layer.shown, message.lineno or 0)
    return problems


def merge_catalogs(layers: list[Catalog]) -> Catalog:
    """One catalog from several, later ones winning entry by entry (a project's over the built-in)."""
    merged = layers[0]
    for layer in layers[1:]:
        for message in layer:
            if message.id:
                if message.id in merged:  # setting would merge the two entries; the project's replaces
                    del merged[message.id]
                merged[message.id] = message
    return merged


def make_catalog(
    catalog: Catalog,
    language: str,
    shown: Path,
    files: tuple[Path, ...],
    reviewed_by: str | None,
    places: Mapping[str, tuple[Path, int]] | None = None,
) -> LanguageCatalog:
    """A checked catalog ready to translate with: what is translated, what is fuzzy."""
    translated: set[str] = set()
    fuzzy: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        forms = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        if not forms or not all(forms):
            continue
        (fuzzy if message.fuzzy else translated).add(key)
    if places is None:
        places = {_key(message.id): (shown, message.lineno or 0) for message in catalog if message.id}
    return LanguageCatalog(
        language,
        shown,
        _translations(catalog),
        frozenset(translated),
        frozenset(fuzzy),
        reviewed_by,
        files,
        places,
    )


class MoTranslations(Translations):
    """Babel translations that pickle as their MO bytes (a parsed plural rule cannot be pickled).

    So a checked project can be cached whole (``handouts.cache``).
    """

    def __init__(self, mo: bytes) -> None:
        super().__init__(io.BytesIO(mo), domain=DOMAIN)
        self.mo = mo

    def __reduce__(self) -> tuple[Any, ...]:
        return (MoTranslations, (self.mo,))


def _key(msgid: str | Sequence[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _translations(catalog: Catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return MoTranslations(buffer.getvalue())


class CatalogShelf:
    """Every catalog under ``locales/``, each read and checked when a build first needs its language.

    A project's catalog of a language is laid over the built-in one entry by entry: what it
    has wins (an empty translation too), what it lacks comes from the built-in one. Reading
    and checking a language takes about 0.3 s; a build of one locale reads only its chain,
    and a worker forked after planning finds what the planning read. ``reviews.toml`` is read
    at once (its problems go to ``problems``). ``catalogs`` and ``problems`` are mappings by
    language: the readable catalogs, and the problems of those that cannot be built.
    """

    def __init__(self, sources: Sources, problems: list[Problem]) -> None:
        self.reviews: dict[str, str] = {}
        for review in sources.all_of("locales", "reviews.toml"):
            self.reviews.update(load_reviews(review.path, review.shown, problems))
        self.layers: dict[str, list[Source]] = {}
        for source in sources.all_of("locales", "*/LC_MESSAGES/*.po"):  # families.po, students.po…
            language = source.path.parent.parent.name.replace("_", "-").lower()
            self.layers.setdefault(language, []).append(source)
        self.read: dict[str, LanguageCatalog | tuple[Problem, ...]] = {}
        self.catalogs = _Shelved(self, LanguageCatalog)
        self.problems = _Shelved(self, tuple)

    def get(self, language: str) -> LanguageCatalog | tuple[Problem, ...] | None:
        """The language's catalog, or its problems; None when there is no such catalog."""
        if language not in self.read and language in self.layers:
            self.read[language] = self._read(language, self.layers[language])
        return self.read.get(language)

    def _read(self, language: str, layers: list[Source]) -> LanguageCatalog | tuple[Problem, ...]:
        found: list[Problem] = []
        read = [read_catalog(layer.path, layer.shown, language, found) for layer in layers]
        found += _twice(layers, read)
        if found or any(catalog is None for catalog in read):
            return tuple(found)
        places = {
            _key(message.id): (layer.shown, message.lineno or 0)
            for layer, catalog in zip(layers, read, strict=True)
            if catalog is not None
            for message in catalog
            if message.id
        }
        merged = merge_catalogs([catalog for catalog in read if catalog is not None])
        files = tuple(layer.path for layer in layers)
        return make_catalog(merged, language, layers[-1].shown, files, self.reviews.get(language), places)


class _Shelved(Mapping[str, Any]):
    """The shelf's languages whose entry is of ``kind`` (a catalog, or a tuple of problems)."""

    def __init__(self, shelf: CatalogShelf, kind: type) -> None:
        self.shelf, self.kind = shelf, kind

    def __getitem__(self, language: str) -> Any:
        found = self.shelf.get(language)
        if not isinstance(found, self.kind):
            raise KeyError(language)
        return found

    def __iter__(self) -> Iterator[str]:
        return (
            language
            for language in sorted(self.shelf.layers)
            if isinstance(self.shelf.get(language), self.kind)
        )

    def __len__(self) -> int:
        return sum(1 for _ in self)


# --- translating ------------------------------------------------------------


class Fallback(str):
    """Source text printed for want of a translation: the layouts mark it ``lang="en" dir="ltr"``
    (``render.mark_fallback``), so it reads left to right on a right-to-left page and a screen
    reader speaks it in English. Anything made from it in Python is plain text again."""

    __slots__ = ()


@dataclass
class Translator:
    """Translates for one reader and remembers what it could not translate."""

    catalog: LanguageCatalog | None
    missing: set[str] = field(default_factory=set)
    fuzzy: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)

    @property
    def is_source(self) -> bool:
        """Whether the reader's language is the source language (no catalog needed)."""
        return self.catalog is None

    def gettext(self, message: str) -> str:
        """The translation of ``message``, or ``message`` itself, noting the gap.

        A regional English catalog lacks most strings on purpose: no gap then.
        """
        self.used.add(message)
        if self.catalog is None:
            return message
        if message in self.catalog.translated:
            return self.catalog.translations.gettext(message)
        if self.catalog.of_source_language:
            return message
        (self.fuzzy if message in self.catalog.fuzzy else self.missing).add(message)
        return Fallback(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Plural-aware translation (for layout labels)."""
        self.used.add(singular)
        if self.catalog is None:
            return singular if n == 1 else plural
        if singular in self.catalog.translated:
            return self.catalog.translations.ngettext(singular, plural, n)
        if self.catalog.of_source_language:
            return singular if n == 1 else plural
        (self.fuzzy if singular in self.catalog.fuzzy else self.missing).add(singular)
        return Fallback(singular if n == 1 else plural)

    def status(self) -> dict[str, Any]:
        """What the manifest and the summary say about this document's translation."""
        if self.catalog is None:
            return {"state": "source", "missing": 0, "fuzzy": 0, "strings": 0}
        gaps = len(self.missing) + len(self.fuzzy)
        state = "incomplete" if gaps else ("reviewed" if self.catalog.reviewed else "draft")
        return {
            "state": state,
            "missing": len(self.missing),
            "fuzzy": len(self.fuzzy),
            "strings": len(self.used),
            "reviewed_by": self.catalog.reviewed_by,
        }


def localize(data: Any, translator: Translator, key: str = "") -> Any:
    """A copy of plain content data with every translatable string translated."""
    if key in UNTRANSLATED_KEYS:
        return data
    if isinstance(data, str):
        return translator.gettext(data)
    if isinstance(data, Mapping):
        return {k: localize(v, translator, k) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [localize(v, translator, key) for v in data]
    return data


# --- extraction (a Babel extractor: one function) ---------------------------


def extract_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for curriculum YAML: every text value, with its place as a comment.

    Registered as the ``handouts_yaml`` extraction method (see ``babel.cfg``).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tree = YAML(typ="rt", pure=True).load(fileobj.read().decode("utf-8"))
    is_directory = isinstance(tree, CommentedMap) and "resources" in tree

    def walk(node: Any, where: str) -> Iterator[tuple[int, str, str, list[str]]]:
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                if key in UNTRANSLATED_KEYS:
                    continue
                if (
                    is_directory
                    and key not in RESOURCE_PROSE_KEYS
                    and not isinstance(value, CommentedSeq | CommentedMap)
                ):
                    continue
                if is_directory and key == "languages":
                    continue
                if is_directory and key == "note" and isinstance(value, str) and _DIGITS.search(value):
                    continue  # a number's own spelling, e.g. 1-800-THE-LOST: printed as is
                place = f"{where}.{key}" if where else str(key)
                if isinstance(value, str):
                    yield node.lc.value(key)[0] + 1, "gettext", str(value), [place]
                else:
                    yield from walk(value, place)
        elif isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                place = f"{where}[{index}]"
                if isinstance(value, str):
                    yield node.lc.item(index)[0] + 1, "gettext", str(value), [place]
                else:
                    yield from walk(value, place)

    yield from walk(tree, "")
