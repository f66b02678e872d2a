"""Problems found while building: fatal errors and reportable warnings, always with a place."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One finding about an input file, printed as ``path:line: level: message``."""

    path: str
    line: int | None
    message: str

    def format(self, level: str) -> str:
        """Render the problem as one line, compiler style."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {level}: {self.message}"


class BuildError(Exception):
    """A fatal problem with the input: the build stops and nothing is written."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(str(path), line, message)

    def __str__(self) -> str:
        return self.problem.format("error")

    def __reduce__(self):
        # Errors cross process boundaries when articles are built in parallel.
        return (BuildError, (self.problem.path, self.problem.line, self.problem.message))


@dataclass
class Report:
    """Warnings and notes collected by every stage, printed at the end of the build."""

    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def warn(self, path: str | Path, line: int | None, message: str) -> None:
        """Record a problem that does not stop the build (``--strict`` makes it fatal)."""
        self.warnings.append(Problem(str(path), line, message))

    def note(self, message: str) -> None:
        """Record an informational line for the build summary."""
        self.notes.append(message)
