"""Reading curriculum YAML into models, with a file:line:col for every problem.

YAML is read with ruamel.yaml (YAML 1.2: ``no`` stays a string) in round-trip
mode, which remembers where each key and item stood. Anchors and aliases are
refused (they hide where text comes from), duplicate keys are refused, and a
value of the wrong kind is reported where it stands in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .errors import Problem
from .models import Band, Bands, Module
from .sources import Source

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain Python data plus the tree that knows positions."""

    path: Path
    data: Any
    tree: Any

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


def read_yaml(path: Path, shown: Path | None = None) -> Document:
    """Parse one YAML file; raise ``Problem`` wrapped in ``YamlProblem`` on failure."""
    shown = shown or path
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(Problem(shown, 0, 0, f"not UTF-8 text ({error.reason})")) from None
    except OSError as error:
        raise YamlProblem(Problem(shown, 0, 0, f"cannot read: {error.strerror}")) from None
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        if "duplicate key" in message:
            message = message.replace("while constructing a mapping", "").strip()
            message += "; each key may appear only once in a mapping"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlProblem(Problem(shown, line, col, message)) from None
    document = Document(shown, _plain(tree), tree)
    anchored = _anchored(tree, ())
    if anchored is not None:
        line, col = document.locate(anchored)
        raise YamlProblem(
            Problem(
                shown, line, col, "anchors and aliases (&name, *name) are not allowed; write the text out"
            )
        )
    return document


def _anchored(node: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Path of the first node carrying an anchor (every alias points at one), or None."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        return path
    children: Any = ()
    if isinstance(node, CommentedMap):
        children = node.items()
    elif isinstance(node, CommentedSeq):
        children = enumerate(node)
    for key, child in children:
        found = _anchored(child, (*path, key))
        if found is not None:
            return found
    return None


class YamlProblem(Exception):
    """Internal carrier of one Problem out of the parser."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


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
