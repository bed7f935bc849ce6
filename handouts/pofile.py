"""Reading a gettext PO file strictly: what Babel's lenient parser would let through is an error.

Babel reads a duplicate msgid (the first wins), an unterminated string (its last
letter cut) and any declared charset without complaint; here each is refused with
its PO line, the charset must be UTF-8, and a fuzzy header means the catalog is not
ready (GNU gettext ignores such a header too).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser

from .errors import Found, Problem
from .reading import read_text

_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf"^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$")
_CHARSET = re.compile(r'^"Content-Type:.*charset=([^\s";\\]+)', re.I)


class _StrictParser(PoFileParser):
    """Babel's parser, refusing a second entry for the same msgid and context."""

    def _add_message(self) -> None:
        if self.messages and not self.obsolete:
            msgid = self.messages[0].denormalize()
            context = self.context.denormalize() if self.context else None
            first = self.catalog.get(msgid, context) if msgid else None
            if first is not None:
                message = f"duplicate entry for this msgid (first on line {first.lineno})"
                self._invalid_pofile("", self.offset, message)
        super()._add_message()


def _syntax_problem(text: str, shown: Path) -> Problem | None:
    """The first line that is neither a comment nor a keyword with one whole quoted string."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _LINE.match(line):
            hint = "an unterminated string" if stripped.count('"') % 2 else "not a PO line"
            return Problem(shown, number, 1, f"{hint}: {stripped[:60]!r}; each string is one quoted line")
    return None


def read_po_strictly(path: Path, shown: Path, language: str) -> Catalog:
    """The catalog in ``path``; ``Found`` with the PO line for anything Babel would guess at."""
    text = read_text(path, shown, "po")
    problem = _syntax_problem(text, shown)
    if problem:
        raise Found(problem)
    if not text.strip():
        raise Found(Problem(shown, 0, 0, "empty catalog; start one with `make locales NEW_LANGUAGE=xx`"))
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        charset = _CHARSET.match(line.strip())
        if charset and charset[1].lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise Found(Problem(shown, number, 0, f"charset '{charset[1]}': catalogs must be UTF-8"))
    catalog = Catalog(locale=language.replace("-", "_"), domain="handouts")
    try:
        _StrictParser(catalog, abort_invalid=True).parse(io.StringIO(text))
    except PoFileError as error:
        raise Found(Problem(shown, (error.lineno or 0) + 1, 0, f"not a valid PO file: {error}")) from None
    except ValueError as error:  # e.g. a Plural-Forms header Babel cannot read
        raise Found(Problem(shown, 0, 0, f"not a valid PO file: {error}")) from None
    if catalog.fuzzy:
        header = next((n for n, line in enumerate(lines, 1) if line.startswith("#,") and "fuzzy" in line), 1)
        message = "the header is marked fuzzy: the catalog is not ready; remove 'fuzzy' from it"
        raise Found(Problem(shown, header, 0, message))
    return catalog
