"""Reading curriculum YAML into models, with a file:line:col for every problem.

YAML is read with ruamel.yaml (YAML 1.2: ``no`` stays a string) in round-trip
mode, which remembers where each key and item stood. Anchors and aliases are
refused where the parser meets them (they hide where text comes from, and an
alias bomb would expand forever), duplicate keys are refused, size, depth and
text length are capped, and a value of the wrong kind is reported where it
stands in the file.

That parser is pure Python: the shipped curriculum took it 0.5 s, most of a build's start.
A file is therefore read first by ruamel's C parser (libyaml, from ``ruamel.yaml.clib``, the
same YAML 1.2 rules), which knows no positions, and its round-trip tree is made only when
a position is asked for (a problem to report). Whatever the fast reading cannot vouch for
goes to the round-trip parser at once, which then reports it as before: any error, a text
where an anchor or alias might stand, nested sequences on one line or many brackets (its
depth cap), data deeper than the cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from .errors import Found, Problem
from .models import Band, Bands, Module
from .reading import MAX_DEPTH, read_text
from .safety import text_problem
from .sources import Source

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain Python data, and the tree that knows positions when asked."""

    path: Path
    data: Any
    text: str = field(default="", repr=False, compare=False)

    @cached_property
    def tree(self) -> Any:
        """ruamel's round-trip tree of ``text`` (made once, when a position is first asked); None
        should it refuse what libyaml read: a problem is then placed at the file's start, not lost."""
        try:
            return _round_trip(self.text, self.path)
        except YamlProblem:
            return None

    def locate(self, loc: Sequence[int | str]) -> tuple[int, int]:
        """1-based line and column of the deepest node of ``loc`` found in the file."""
        node, line, col = self.tree, 1, 1
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                line, col = node.lc.value(key) if _is_scalar(node[key]) else node.lc.key(key)
                line, col = line + 1, col + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line, col = node.lc.item(key)
                line, col = line + 1, col + 1
                node = node[key]
            else:
                break
        return line, col


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (CommentedMap, CommentedSeq))


def _plain(value: Any) -> Any:
    """ruamel's annotated containers and scalars as plain Python values."""
    if isinstance(value, CommentedMap):
        return {str(k) if isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, CommentedSeq):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


ANCHORS = "anchors and aliases (&name, *name) are not allowed; write the text out"


class _Composer(Composer):
    """Refuses an anchor or alias where the parser meets it, before anything is expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, ANCHORS, event.start_mark)
        return super().compose_node(parent, index)


class _Constructor(RoundTripConstructor):
    """An impossible unquoted date (``2026-02-30``) is a located problem, not a crash."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as error:
            message = f"'{node.value}' is not a date of the calendar ({error})"
            raise ConstructorError(None, None, message, node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


#: Where an anchor (``&name``) or alias (``*name``) might begin: such a text is read located.
MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*]\S", re.M)
#: A block sequence nested in another on one line (``- - x``): its depth is read located.
COMPACT_NEST = re.compile(r"[-?:][ \t]+[-?][ \t]")
#: More flow brackets than this and the depth is read located (the C parser has no depth cap).
MAX_FLOW_BRACKETS = 200


def read_yaml(path: Path, shown: Path | None = None) -> Document:
    """Parse one YAML file; raise ``YamlProblem`` (file:line:col) on failure.

    Anchors are refused as the parser meets them (an alias bomb never expands), depth,
    file size and text length are capped, and every string is checked for hidden characters.
    """
    shown = shown or path
    try:
        text = read_text(path, shown, "yaml")
    except Found as error:
        raise YamlProblem(error.problem) from None
    data = _fast(text)
    if data is None:
        tree = _round_trip(text, shown)
        document = Document(shown, _plain(tree), text)
        document.__dict__["tree"] = tree  # (cached_property's place)
    else:
        document = Document(shown, data, text)
    found = _bad_text(document.data, ())
    if found is not None:
        where, why = found
        line, col = document.locate(where)
        raise YamlProblem(Problem(shown, line, col, why))
    return document


def _fast(text: str) -> Any:
    """The data of ``text`` as libyaml reads it, or None where the round-trip parser must read it."""
    if not FAST_YAML or MAYBE_ANCHOR.search(text) or COMPACT_NEST.search(text):
        return None
    if text.count("[") + text.count("{") > MAX_FLOW_BRACKETS:
        return None
    yaml = YAML(typ="safe", pure=False)
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except Exception:  # any problem: the round-trip parser finds it again and says where
        return None
    return None if _deeper_than(data, MAX_DEPTH) else data


def _deeper_than(data: Any, most: int) -> bool:
    """Whether ``data`` nests more than ``most`` levels (walked without recursion: indented
    mappings can nest a thousand deep in a file under the size cap)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if children and depth == most:
            return True
        stack += [(child, depth + 1) for child in children]
    return False


def _has_c_parser() -> bool:
    try:
        return YAML(typ="safe", pure=False).Parser.__name__ == "CParser"
    except Exception:
        return False


#: Whether ruamel.yaml.clib is installed (without it, every file is read round-trip).
FAST_YAML = _has_c_parser()


def _round_trip(text: str, shown: Path) -> Any:
    """ruamel's round-trip tree of ``text``; raise ``YamlProblem`` (file:line:col) on failure."""
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        if "duplicate key" in message:
            message = message.replace("while constructing a mapping", "").strip()
            message += "; each key may appear only once in a mapping"
        if "maximum depth" in message:
            message = f"nested more than {MAX_DEPTH} levels deep; flatten it"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(Problem(shown, line, col, message)) from None
    except ReaderError as error:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, error.position) + 1
        col = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise YamlProblem(Problem(shown, line, col, f"{error.reason} (U+{error.character:04X})")) from None
    except (ValueError, OverflowError) as error:  # a constructor's own error, should one slip through
        raise YamlProblem(Problem(shown, 0, 0, f"cannot read: {error}")) from None
    except RecursionError:
        raise YamlProblem(Problem(shown, 0, 0, f"nested more than {MAX_DEPTH} levels deep")) from None


def _bad_text(node: Any, path: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], str] | None:
    """Path of the first key or text that may not be printed, and why (``safety.text_problem``)."""
    if isinstance(node, str):
        why = text_problem(node)
        return (path, why) if why else None
    children: Any = ()
    if isinstance(node, dict):
        children = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    for key, child in children:
        found = _bad_text(key, path) if isinstance(key, str) else None
        found = found or _bad_text(child, (*path, key))
        if found is not None:
            return found
    return None


class YamlProblem(Found):
    """Internal carrier of one Problem out of the parser."""


_TYPE_HINTS = {
    "string_type": 'quote it, e.g. "…" (YAML read this value as {kind})',
    "missing": "this field is required",
    "extra_forbidden": "unknown field; check its spelling",
}


def _describe(error: Any, value: Any) -> str:
    kind = error["type"]
    field = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), "")
    if kind == "string_type" and isinstance(value, (bool, int, float)):
        what = "a boolean" if isinstance(value, bool) else "a number"
        return f"'{field}' must be text: {_TYPE_HINTS['string_type'].format(kind=what)}"
    if kind == "missing":
        return f"'{field}' is missing: {_TYPE_HINTS['missing']}"
    if kind == "extra_forbidden":
        return f"'{field}': {_TYPE_HINTS['extra_forbidden']}"
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    return f"'{field}': {message}" if field else message


def validate(document: Document, model: type[M]) -> M:
    """Validate a document against a model; raise ``ModelProblems`` with locations."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = item["loc"]
            line, col = document.locate(loc)
            problems.append(Problem(document.path, line, col, _describe(item, item.get("input"))))
        raise ModelProblems(problems) from None


class ModelProblems(Exception):
    """Internal carrier of all validation problems of one file."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load_valid(path: Path, shown: Path, model: type[M], problems: list[Problem]) -> tuple[M, Document] | None:
    """Read and validate one file; on failure append its problems and return None."""
    try:
        document = read_yaml(path, shown)
        return validate(document, model), document
    except YamlProblem as error:
        problems.append(error.problem)
    except ModelProblems as error:
        problems.extend(error.problems)
    return None


def load_bands(path: Path, shown: Path, problems: list[Problem]) -> tuple[Band, ...]:
    """Read ``bands.yaml``; append problems instead of raising."""
    loaded = load_valid(path, shown, Bands, problems)
    if loaded is None:
        return ()
    bands, document = loaded[0].bands, loaded[1]
    seen: set[str] = set()
    for index, band in enumerate(bands):
        if band.id in seen:
            line, col = document.locate(("bands", index, "id"))
            problems.append(Problem(shown, line, col, f"band '{band.id}' is defined twice"))
        seen.add(band.id)
    return bands


def load_module(path: Path, shown: Path, band_ids: Sequence[str]) -> tuple[Module, Document]:
    """Read one module file and cross-check it against the known bands (all problems at once)."""
    document = read_yaml(path, shown)
    problems = []
    data = document.data if isinstance(document.data, dict) else {}
    module_id = data.get("id")
    if isinstance(module_id, str) and module_id != path.stem:
        line, col = document.locate(("id",))
        problems.append(Problem(shown, line, col, f"id '{module_id}' must match the file name '{path.stem}'"))
    bands = data.get("bands")
    if band_ids and isinstance(bands, dict):
        for band_id in bands:
            if band_id not in band_ids:
                line, col = document.locate(("bands", band_id))
                problems.append(
                    Problem(shown, line, col, f"unknown band '{band_id}'; known bands: {', '.join(band_ids)}")
                )
    try:
        module = validate(document, Module)
    except ModelProblems as error:
        problems.extend(error.problems)
    if problems:
        raise ModelProblems(problems)
    return module, document


def load_modules(
    files: Iterable[Source], band_ids: Sequence[str], problems: list[Problem]
) -> dict[str, tuple[Module, Document]]:
    """Every module file, by id; problems are appended, not raised."""
    modules: dict[str, tuple[Module, Document]] = {}
    for source in files:
        try:
            module, document = load_module(source.path, source.shown, band_ids)
        except YamlProblem as error:
            problems.append(error.problem)
            continue
        except ModelProblems as error:
            problems.extend(error.problems)
            continue
        modules[module.id] = (module, document)
    return modules
