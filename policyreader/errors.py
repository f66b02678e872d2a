"""Problems found while building: fatal errors and reportable warnings, always with a place."""
from __future__ import annotations

import errno
import os
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


# What an editor can do about the operating system's refusals; others print the system's words.
_OS_ADVICE = {
    errno.ENOSPC: "no space left on the disk; free some space and build again",
    errno.EDQUOT: "disk quota exceeded; free some space and build again",
    errno.EACCES: "permission denied; make it writable (or readable) for you and build again",
    errno.EPERM: "operation not permitted; check the file's owner and permissions",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "file name too long",
    errno.EMFILE: "too many open files",
    errno.EIO: "input/output error",
}


def os_error(exc: OSError, root: Path, after: str = "") -> BuildError:
    """An operating system error as one line naming its file (project-relative where possible)."""
    name = exc.filename if exc.filename is not None else exc.filename2
    shown = "build.py"
    if name is not None:
        path = Path(os.fsdecode(name))
        try:
            shown = path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError, RuntimeError):
            shown = str(path)
        shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in shown)
    reason = _OS_ADVICE.get(exc.errno) or exc.strerror or str(exc) or type(exc).__name__
    return BuildError(shown, None, reason + after)


def one_line(exc: BaseException, root: Path, prog: str = "build.py") -> str:
    """Any failure as one line: an input's problem as it stands, the system's with its file, and
    anything else as what it is, with a plea to report it (it is a bug in the program)."""
    if isinstance(exc, BuildError):
        return str(exc)
    if isinstance(exc, OSError):
        return str(os_error(exc, root.resolve()))
    if isinstance(exc, MemoryError):
        return f"{prog}: error: out of memory"
    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    text = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}{': ' + text if text else ''}"
    place = f" at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}" if where else ""
    return f"{prog}: internal error: {what}{place}; please report it with the command you ran"
