"""Reading the project's text files strictly: UTF-8 with the bad byte's place, capped, TOML located.

Every data file is read through here, so a hostile file is refused with its line
and column before a parser sees it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import Found, Problem

#: Caps that keep a hostile file from exhausting memory or time (the shipped files are far below).
MAX_FILE_BYTES = {"yaml": 1_000_000, "po": 8_000_000, "toml": 256_000}
MAX_DEPTH = 32


def read_text(path: Path, shown: Path, kind: str) -> str:
    """A file's text, read as UTF-8 and capped in size; ``Found`` names the bad byte's line and column."""
    limit = MAX_FILE_BYTES[kind]
    try:
        size = path.stat().st_size
        if size > limit:
            raise Found(Problem(shown, 0, 0, f"file too large ({size:,} bytes; at most {limit:,})"))
        data = path.read_bytes()
    except OSError as error:
        raise Found(Problem(shown, 0, 0, f"cannot read: {error.strerror}")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        byte = data[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x}: {error.reason}); save it as UTF-8"
        raise Found(Problem(shown, line, column, message)) from None


def read_toml(path: Path, shown: Path) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; ``Found`` with line and column when it is not valid TOML."""
    text = read_text(path, shown, "toml")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(where[1]), int(where[2])) if where else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", str(error))
        if "(at end of document)" in str(error):
            line = text.count("\n") + 1
        raise Found(Problem(shown, line, column, f"not valid TOML: {message}")) from None


def toml_line(text: str, key: str, table: str | None = None) -> int:
    """The 1-based line where ``key = …`` is set in TOML text, under ``[table]`` if given (0: not there)."""
    lines = text.split("\n")
    start = 0
    if table is not None:
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        start = next((n for n, line in enumerate(lines) if header.match(line)), -1)
        if start < 0:  # a dotted or inline table: the first line that names it
            named = re.compile(rf"^\s*{re.escape(table)}\s*[.=]")
            return next((n + 1 for n, line in enumerate(lines) if named.match(line)), 0)
    for number, line in enumerate(lines[start:], start=start + 1):
        if number > start + 1 and table is not None and line.lstrip().startswith("["):
            break
        if line.split("=", 1)[0].strip().strip('"') == key:
            return number
    return start + 1 if table is not None else 0
