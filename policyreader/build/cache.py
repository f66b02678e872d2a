"""A content-hash cache: results keyed by the hash of everything that went into them.

A key covers the seed, its sidecar, every shared input (conversion overrides, site settings,
templates, static files and this program's own code) and the seed's slice of the glossary
(``slices``), so a hit is exactly what a fresh build would compute. Entries live in
``.cache/`` as one pickle per key.

Because a key names its content, an entry may be written as soon as it is made (workers write
their own, in parallel) and stays valid whether or not the build that made it succeeds; a
successful build only forgets the entries it did not use.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ..text.pinyin import pypinyin_version

VERSION = b"policyreader-cache-1"


def digest(*parts: bytes | str) -> str:
    """SHA-256 over parts, each length-prefixed so boundaries cannot blur."""
    sha = hashlib.sha256(VERSION)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def tree_digest(*folders: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Hash of every file (name and bytes) under the folders, in a stable order."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and (not suffixes or path.suffix in suffixes):
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class Cache:
    """Pickled results under one folder; a disabled cache finds nothing and keeps nothing."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        self._pending: dict[str, object] = {}
        self._used: set[str] = set()

    def get(self, key: str) -> object | None:
        """The stored result, or None (also for an unreadable entry, which is rebuilt)."""
        self._used.add(key)
        if not self.enabled:
            self.misses += 1
            return None
        value = read_entry(self.folder, key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def peek(self, key: str) -> object | None:
        """The stored result without counting it as used (a previous build's record, read for
        what it held), or None."""
        return read_entry(self.folder, key)

    def use(self, key: str) -> None:
        """Keep an entry through this build's sweep (it belongs to the current site)."""
        self._used.add(key)

    def put(self, key: str, value: object) -> None:
        """Remember a result; it is written by ``commit`` once the whole build succeeded."""
        self._pending[key] = value

    def commit(self, sweep: bool = True) -> None:
        """Write the new results and (``sweep``) forget every entry this build did not use."""
        for key, value in self._pending.items():
            self._write(key, value)
        self._pending.clear()
        if sweep and self.folder.is_dir():
            for path in self.folder.glob("*/*.pickle"):
                if path.stem.split("-", 1)[0] not in self._used:   # KEY-parts goes with KEY
                    path.unlink(missing_ok=True)

    def forget(self, keys: set[str]) -> None:
        """Remove these entries (those an incremental build knows it no longer needs)."""
        for key in keys - self._used:
            for name in (key, f"{key}-parts"):
                _entry_path(self.folder, name).unlink(missing_ok=True)

    def _write(self, key: str, value: object) -> None:
        write_entry(self.folder, key, value)


def _entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.pickle"


def read_entry(folder: Path, key: str) -> object | None:
    """One stored result, or None (also for an unreadable entry, which is rebuilt)."""
    try:
        with _entry_path(folder, key).open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None


def write_entry(folder: Path, key: str, value: object) -> None:
    """Store one result under its key, atomically (any process may call it)."""
    path = _entry_path(folder, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class FolderMemo:
    """A slow function of texts whose results are kept in one folder of the cache, a file per
    call, keyed by its texts and the function's name and version: a later build, or another
    worker, finds them without calling it. Any process may add to it."""

    def __init__(self, folder: Path, name: str, version: str, make: Callable[..., object],
                 valid: Callable[[object], bool]) -> None:
        self.folder = folder
        self.label = (name, version)
        self.make = make
        self.valid = valid

    def __call__(self, *texts: str):
        key = digest(*self.label, *texts)
        found = read_entry(self.folder, key)
        if found is not None and self.valid(found):
            return found
        made = self.make(*texts)
        write_entry(self.folder, key, made)
        return made


def spell_memo(folder: Path, spell: Callable[[str], list[str]]) -> FolderMemo:
    """Pinyin words of names and titles: a rebuild of a seed whose people and title were spelt
    before does not load pypinyin (a quarter of a second)."""
    return FolderMemo(folder, "pinyin", pypinyin_version(), spell,
                      lambda found: isinstance(found, list) and all(isinstance(word, str) for word in found))


def qr_memo(folder: Path, make: Callable[[str, str], str]) -> FolderMemo:
    """QR codes by URL and title: an article rendered again (a glossary or template edit
    renders them all) does not choose its codes' masks again (a sixth of an article's work)."""
    try:
        version = metadata.version("segno")
    except metadata.PackageNotFoundError:
        version = "?"
    return FolderMemo(folder, "qr", version, make, lambda found: isinstance(found, str))
