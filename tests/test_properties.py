"""Properties over any input (hypothesis): a translation is refused with its PO line or printed
exactly as seen, never bringing a number that could be dialled or an address; random YAML raises
only our content errors."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from handouts.curriculum import ModelProblems, YamlProblem, read_yaml, validate
from handouts.errors import Problem
from handouts.i18n import Translator, make_catalog, read_catalog
from handouts.models import Module
from handouts.render import as_label
from handouts.safety import addresses, hidden_characters, numbers, phone_like, seen

MSGID = "Call for help, 24 hours a day"
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "60"))  # make fuzz raises it
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Pieces an attacker would reach for, mixed with any text.
SMUGGLED = [
    "9",
    "1",
    "\u200b",
    "\u202e",
    "\u2066",
    "\x00",
    "&#57;",
    "&commat;",
    "&colon;&sol;&sol;",
    "@",
    ".",
    "/",
    "ayuda-falsa.mx",
    "bit.ly",
    "www.",
    "https://",
    "＠",
    "．",
    "。",
    "９",
    "<b>",
    "%",
    "%(x)s",
    "\\",
    '"',
    "\n",
]
msgstrs = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(SMUGGLED), st.text(max_size=4)), max_size=12).map("".join),
)
_folder = Path(tempfile.mkdtemp(prefix="handouts-properties-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)


def _po_with(msgstr: str) -> tuple[Path, int]:
    """A one-entry Spanish catalog translating MSGID as ``msgstr``, and its msgstr's first line."""
    catalog = Catalog(locale="es", domain="handouts", fuzzy=False)
    catalog.add(MSGID, msgstr)
    path = _folder / "handouts.po"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = next(n for n, line in enumerate(lines, 1) if line.startswith("msgid") and "Call" in line)
    return path, next(n for n, line in enumerate(lines, 1) if n > entry and line.startswith("msgstr"))


@FAST
@given(msgstrs)
def test_any_msgstr_is_refused_with_its_line_or_printed_exactly_as_seen(msgstr: str) -> None:
    path, line = _po_with(msgstr)
    problems: list[Problem] = []
    catalog = read_catalog(path, path, "es", problems)
    if catalog is None:
        assert problems and all(problem.line for problem in problems), problems
        assert any(problem.line == line for problem in problems) or msgstr == "", problems
        return
    assert not problems
    translator = Translator(make_catalog(catalog, "es", path, (path,), None))
    printed = translator.gettext(MSGID)
    if not msgstr:
        return  # untranslated: the English is printed (and the gap reported)
    assert printed == msgstr
    assert str(as_label(printed) % {}) == str(escape(msgstr))  # a layout label shows the text itself
    shown = seen(msgstr)
    assert phone_like(shown) <= numbers(seen(MSGID))  # short numbers (ages, grades) are a language's own
    assert all(not (new - old) for new, old in zip(addresses(shown), addresses(seen(MSGID)), strict=True))
    assert set(hidden_characters(msgstr)) <= set(hidden_characters(MSGID) + ["U+000A"])


YAML_PIECES = [
    ":",
    " ",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!",
    "|",
    ">",
    "'",
    '"',
    "#",
    "%",
    "@",
    ",",
    "?",
    "\n",
    "\n  ",
    "id",
    "title",
    "bands",
    "x",
    "1",
    "2026-02-30",
    "\t",
    "\x00",
    "\u202e",
    "~",
    "<<",
]


@FAST
@given(st.one_of(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join), st.binary(max_size=80)))
def test_random_yaml_raises_only_content_errors(document: str | bytes) -> None:
    path = _folder / "module.yaml"
    if isinstance(document, str):
        path.write_text(document, encoding="utf-8")
    else:
        path.write_bytes(document)
    try:
        validate(read_yaml(path), Module)
    except YamlProblem as error:
        assert error.problem.path == path
    except ModelProblems as error:
        assert error.problems
