"""The no-change fast path: a manifest of every input's and output's stat, written by a build that
succeeded; when nothing in it changed, the next build has nothing to do and says so at once.

Inputs are the seeds folder, ``site_src/`` (articles included: a hand edit must be seen), the
site's ``templates/`` and ``static/``, this program (its package files and the folders its
libraries are installed in) and ``SOURCE_DATE_EPOCH``; outputs are ``_site/`` (its folders) and
``dist/``. A file changed too close to the build that recorded it may not show the change in its
stat, so it is recorded as unknown and the next build runs in full. This module imports only
the standard library: answering "nothing changed" must cost less than starting the build.
"""
from __future__ import annotations

import gc
import marshal
import os
import struct
import sys
from pathlib import Path

VERSION = 3
FILE = "manifest.marshal"
# A file changed this close to a build may change again without its stat showing it (2 s: the
# coarsest timestamps in common use, FAT's): the next build reads it again. One owner: the
# build state's seed stats use the same bound.
RACY_NS = 2_000_000_000
NO_BOUND = 1 << 62
PACKAGE = Path(__file__).resolve().parent.parent
# What the fast path looks at besides the inputs: an interrupted commit means work to do.
JOURNAL = "commit.json"
_PACK = struct.Struct("<qqqq").pack   # a file's size, modification and change times, inode


def stat_from(info: os.stat_result, racy_after: int | None = None) -> tuple[int, int, int, int] | None:
    """A file's identity from a stat already taken (size, modification and change times, inode),
    or None if it changed at ``racy_after`` or later."""
    if racy_after is not None and info.st_mtime_ns >= racy_after:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _stat(path: str, racy_after: int) -> tuple[int, int, int, int] | None:
    try:
        return stat_from(os.stat(path), racy_after)
    except OSError:
        return None


def _walk(folder: str, racy_after: int, into: dict[str, object], skip_files: bool = False,
          skip: frozenset[str] = frozenset()) -> None:
    """Every file and folder under ``folder`` (folders by their own stat: an entry added or
    removed changes it), or the folder's absence."""
    if not os.path.isdir(folder):
        into[folder] = "absent"
        return
    # A folder's own stat needs no caution: what it tells (entries added or removed) the list
    # of entries tells as well.
    into[folder] = _stat(folder, NO_BOUND)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    # The folder's files in one value: their names and stats packed in bytes (a record of
    # thousands of seeds would otherwise be tens of thousands of objects to read back), or
    # None when one of them is too fresh to trust or cannot be read.
    files: list[bytes] | None = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            # Compiled modules say nothing the sources do not: a module compiled after the
            # record (its first import, by this build or any later one) changes nothing.
            if entry.name != "__pycache__" and entry.path not in skip:
                _walk(entry.path, racy_after, into, skip_files)
        elif not skip_files and files is not None:
            found = _stat(entry.path, racy_after)
            if found is None:
                files = None
            else:
                files += (os.fsencode(entry.name), b"\0", _PACK(*found))
    if not skip_files:
        into[folder + "\0files"] = b"".join(files) if files is not None else None   # (no path holds a NUL)


def _known_folders(folder: str, known: dict[str, object], into: dict[str, object]) -> None:
    """The stat of each folder under ``folder`` the last build recorded: if none changed, no
    entry was added or removed in any of them, so there is no new folder to find (and the
    site's folders, tens of thousands of files each, need not be listed)."""
    inside = folder + os.sep
    for key in known:
        if key == folder or key.startswith(inside):
            into[key] = _stat(key, NO_BOUND) if os.path.isdir(key) else "absent"


def snapshot(root: Path, racy_after: int, known: dict[str, object] | None = None) -> dict[str, object]:
    """The stat of everything that decides what a build makes (see the module's docstring);
    with ``known`` (the last snapshot), the site's folders are those it recorded."""
    found: dict[str, object] = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
                                "python": sys.version, "executable": sys.executable}
    base = str(root)
    articles = os.path.join(base, "site_src", "articles")
    for name in ("seeds", "site_src", "templates", "static"):
        # The articles are walked once, below, as the build left them (not twice: one stat each).
        _walk(os.path.join(base, name), racy_after, found, skip=frozenset({articles}))
    # What the build itself writes is recorded as it left it: no later edit can share its stat.
    _walk(articles, NO_BOUND, found)
    if known is None:
        _walk(os.path.join(base, "_site"), NO_BOUND, found, skip_files=True)
    else:
        _known_folders(os.path.join(base, "_site"), known, found)
    _walk(os.path.join(base, "dist"), NO_BOUND, found)
    _walk(str(PACKAGE), racy_after, found)
    for entry in sys.path:
        if entry and os.path.isdir(entry):
            found[f"path:{entry}"] = _stat(entry, racy_after)
    return found


def record(root: Path, cache_dir: Path, racy_after: int, options: tuple, lines: list[str], notes: list[str],
           warnings: list[tuple[str, int | None, str]]) -> None:
    """After a build that succeeded: what it saw, and what it printed (for the next one to repeat)."""
    data = {"version": VERSION, "options": options, "inputs": snapshot(root, racy_after), "lines": lines,
            "notes": notes, "warnings": warnings}
    temp = cache_dir / f".tmp-{FILE}-{os.getpid()}"
    with open(temp, "wb") as handle:
        marshal.dump(data, handle)
    os.replace(temp, cache_dir / FILE)


def forget(cache_dir: Path) -> None:
    """A build is about to change the outputs: the manifest no longer describes them."""
    try:
        os.unlink(cache_dir / FILE)
    except FileNotFoundError:
        pass


def unchanged(root: Path, options: tuple) -> dict | None:
    """The last build's record if nothing it depended on has changed since (else None)."""
    cache_dir = root / ".cache"
    enabled = gc.isenabled()
    gc.disable()   # the record of a big site is a million objects: no collection walks them as they come
    try:
        with open(cache_dir / FILE, "rb") as handle:
            data = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("options") != options:
        return None
    if os.path.exists(cache_dir / JOURNAL):
        return None
    then = data["inputs"]
    if any(value is None for key, value in then.items() if key.startswith(("/", "path:"))):
        return None   # recorded as unknown: too fresh to trust, or missing
    return data if snapshot(root, NO_BOUND, known=then) == then else None
