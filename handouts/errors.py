"""Errors a user may see: each knows where it happened and what to do.

All are ``click.ClickException`` subclasses, so the CLI prints them as
``Error: …`` with exit code 1 and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one file, at a 1-based line and column (0 when unknown)."""

    path: Path
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = str(self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {prefix}{self.message}"


class HandoutsError(click.ClickException):
    """A mistake the user can fix; exit code 1."""

    exit_code = 1


class ContentErrors(HandoutsError):
    """Every problem found while reading the project, reported together."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} found; nothing was built:"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class RenderError(HandoutsError):
    """A document could not be rendered (template or PDF engine failure)."""


class OutputError(HandoutsError):
    """The output folder cannot be written."""


class Found(Exception):
    """Internal carrier of one Problem out of a reader (caught and collected, never shown raw)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
