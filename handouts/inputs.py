"""What shapes one target's PDF, as a hash, so a build rebuilds exactly what an edit changed.

A target's hash covers its kind and options, its band, the content it prints (its
module's title, summary and sources and that band's variant; a packet: every module it
holds), the layouts it includes, its region's help lines, the settings (local contacts
among them), the engine and ``SOURCE_DATE_EPOCH``, and the catalog entries it used.
Which entries a document used is known once it is made: the build records their
digests in the manifest (``strings``) and the next build hashes their translations now.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import jinja2
from jinja2 import meta

from .cache import Digests, engine_digest
from .i18n import LanguageCatalog, ReaderLocale, catalog_chain, parse_locale
from .products import PRODUCTS, Options, Target
from .project import Project

#: The document shell every part is laid out in (a web page's: ``web.html``).
SHELL = "document.html"
WEB_SHELL = "web.html"


def string_key(msgid: str) -> str:
    """A short, stable name for a catalog entry (the manifest lists these, not whole sentences)."""
    return hashlib.sha256(msgid.encode()).hexdigest()[:16]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)


class Inputs:
    """Hashes targets of one build; every file and catalog is digested once, however many ask."""

    def __init__(self, project: Project, options: Options, digests: Digests | None = None) -> None:
        self.project = project
        self.options = options
        self.digests = digests or Digests()
        self._layouts: dict[str, str] = {}
        self._entries: dict[str, dict[str, str]] = {}
        self._content: dict[Target, str] = {}
        #: What a kind prints of a module and band (every locale's target prints the same content).
        self._printed: dict[tuple[str, str, str, str], str] = {}
        self._help_lines: dict[tuple[str, ...], str] = {}
        self._strings: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        self._problems: str | None = None
        self._shared = _hash(
            engine_digest(),
            project.settings.model_dump_json(),
            os.environ.get("SOURCE_DATE_EPOCH", ""),
            self.digests.files(
                [s.path for s in project.sources.each("assets", "**/*")]
                + [
                    path
                    for folder in project.layouts
                    for path in folder.glob("**/*")
                    if path.is_file() and path.suffix != ".html"
                ]
            ),
        )
        self._environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(project.layouts), extensions=["jinja2.ext.i18n"]
        )

    # --- layouts -------------------------------------------------------------

    def _templates(self, name: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        try:
            source, _, _ = self._environment.loader.get_source(self._environment, name)  # type: ignore[union-attr]
            referenced = meta.find_referenced_templates(self._environment.parse(source))
        except jinja2.TemplateError:
            return  # the build reports a broken layout; it is hashed by name and content below
        for other in referenced:
            if other:
                self._templates(other, seen)

    def layouts(self, kind: str, shell: str = SHELL) -> str:
        """The digest of the layouts a kind includes (its own, its parts', the shell, theirs)."""
        key = f"{kind}:{shell}"
        if key not in self._layouts:
            seen: set[str] = set()
            for name in (*(PRODUCTS[kind].layouts or (PRODUCTS[kind].layout,)), shell):
                self._templates(name, seen)
            files = [path for name in seen for folder in self.project.layouts if (path := folder / name)]
            self._layouts[key] = _hash(*sorted(seen), self.digests.files([p for p in files if p.is_file()]))
        return self._layouts[key]

    # --- catalogs ------------------------------------------------------------

    def readers(self, target: Target) -> list[ReaderLocale]:
        """The locales a target is read in: its own, and a bilingual letter's facing copy; a web
        page's language switcher also reads the other locales built (is the page complete there?)."""
        locale = parse_locale(target.locale)
        readers = [locale]
        if self.options.bilingual and "bilingual" in PRODUCTS[target.kind].option_fields:
            language = parse_locale(self.options.bilingual).language
            readers.append(parse_locale(f"{language}-{locale.region}"))
        if target.path.suffix == ".html" and not self.options.allow_fallback:
            readers += [parse_locale(tag) for tag in self.options.locales if tag != locale.tag]
        return readers

    def _catalog_entries(self, key: str, catalog: LanguageCatalog) -> dict[str, str]:
        """Each entry's digest by its string key: state and every form of its translation."""
        if key not in self._entries:
            forms: dict[str, list[str]] = {}
            raw = getattr(catalog.translations, "_catalog", {})
            for msgid, msgstr in raw.items():
                name = msgid if isinstance(msgid, str) else msgid[0]
                if name:
                    forms.setdefault(name, []).append(f"{msgid!r}={msgstr}")
            entries = {}
            for msgid in catalog.translated | catalog.fuzzy | set(forms):
                state = "translated" if msgid in catalog.translated else "fuzzy"
                entries[string_key(msgid)] = _hash(state, *sorted(forms.get(msgid, [])))
            self._entries[key] = entries
        return self._entries[key]

    def strings(self, target: Target, used: Iterable[str]) -> str:
        """The digest of the catalog entries ``used`` (string keys) in each reader's catalogs."""
        keys = tuple(
            key
            for reader in self.readers(target)
            for key in catalog_chain(reader)
            if self.project.catalogs.get(key) is not None
        )
        wanted = tuple(sorted(set(used)))
        if (keys, wanted) not in self._strings:  # targets of many regions share their catalogs
            parts = []
            for key in keys:
                catalog = self.project.catalogs[key]
                entries = self._catalog_entries(key, catalog)
                parts.append(_hash(key, catalog.reviewed_by or "", *(entries.get(u, "-") for u in wanted)))
            self._strings[keys, wanted] = _hash(*parts)
        return self._strings[keys, wanted]

    def problems_digest(self) -> str:
        """The digest of the problems of the catalogs the build's locales (``Options.locales``) read."""
        if self._problems is None:
            found = [
                str(p)
                for tag in self.options.locales
                for p in self.project.catalog_problems_for(parse_locale(tag))
            ]
            self._problems = _hash(*found)
        return self._problems

    # --- the target ----------------------------------------------------------

    def content(self, target: Target) -> str:
        """Everything but the catalog entries: what the target prints and how."""
        if target not in self._content:
            self._content[target] = self._content_of(target)
        return self._content[target]

    def _content_of(self, target: Target) -> str:
        project = self.project
        product = PRODUCTS[target.kind]
        locale = parse_locale(target.locale)
        band = project.bands.get(target.band)
        regions = tuple(dict.fromkeys(reader.region for reader in self.readers(target)))
        printed = (target.kind, target.module, target.band, target.variant)
        if printed not in self._printed:
            self._printed[printed] = _json(product.content(project, target))
        # A web page also depends on its shell and the locales its language switcher links to
        # (whether their catalogs are sound: the entries it uses there are in ``strings``).
        web = (self.layouts(target.kind, WEB_SHELL), _json(self.options.locales), self.problems_digest())
        return _hash(
            self._shared,
            _json(asdict(target)),
            _json({name: getattr(self.options, name) for name in product.option_fields}),
            band.model_dump_json() if band else "",
            self._printed[printed],
            self.layouts(target.kind),
            self._help_lines_of(regions),
            locale.tag,
            *(web if target.path.suffix == ".html" else ()),
        )

    def _help_lines_of(self, regions: tuple[str, ...]) -> str:
        """The digest of the help-line files of ``regions`` and the worldwide one."""
        if regions not in self._help_lines:
            files = [
                path
                for region in regions
                for name in (region, "001")
                if (path := self.project.file(f"curriculum/resources/{name}.yaml"))
            ]
            self._help_lines[regions] = self.digests.files(files)
        return self._help_lines[regions]

    def of(self, target: Target, used: Iterable[str]) -> str:
        """The target's full hash, given the string keys of the catalog entries it uses."""
        return _hash(self.content(target), self.strings(target, used))


def used_strings(msgids: Iterable[str]) -> list[str]:
    """The manifest's record of the catalog entries a document used."""
    return sorted({string_key(msgid) for msgid in msgids})
