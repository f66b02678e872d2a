"""Terminal progress: one line per stage with counts and time, a bar while a long stage runs."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO


class Progress:
    """Prints stage lines to ``stream``; draws a bar only when it is a terminal."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.bar = not quiet and self.stream.isatty()
        self.lines: list[str] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[dict]:
        """Time a stage; the caller fills ``info['summary']`` with its counts."""
        info: dict = {"summary": ""}
        started = time.perf_counter()
        yield info
        line = f"{name:<8} {info['summary']:<52} {time.perf_counter() - started:6.2f} s"
        self.lines.append(line)
        if not self.quiet:
            self._write(("\r\x1b[K" if self.bar else "") + line + "\n")

    def tick(self, done: int, total: int, label: str) -> None:
        """Redraw the bar (terminal only)."""
        if self.bar and total and (done == total or done % 25 == 0):
            filled = int(30 * done / total)
            self._write(f"\r  {label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")

    def _write(self, text: str) -> None:
        # A reader that stops early (``build.py | head``) must not stop the build: the rest of
        # the progress goes nowhere, as with ``git log | head``.
        try:
            self.stream.write(text)
            self.stream.flush()
        except BrokenPipeError:
            self.quiet, self.bar = True, False
