"""Built files kept once, by content.

Pages are written here by whichever process made them; publishing links them into the new
site folder, and the zip deflates only the pages its previous edition does not hold (the rest
it copies from that edition), so an unchanged page costs almost nothing on a rebuild.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from pathlib import Path
from typing import NamedTuple

LEVEL = 3   # deflate level: 6 takes twice the time here for 7 % smaller zips (9: 1 % more)


class Blob(NamedTuple):
    """A stored file: its hash, size and CRC-32 (what a zip entry needs besides its bytes).
    A named tuple: a build keeps tens of thousands of them from one run to the next."""

    sha: str
    size: int
    crc: int


class ObjectStore:
    """Content-addressed files under one folder (``.cache/objects``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._folders: set[Path] = set()   # made already: a mkdir per page costs as much as its write

    def path(self, blob: Blob) -> Path:
        return self.folder / blob.sha[:2] / blob.sha

    def put(self, data: bytes) -> Blob:
        """Store bytes (once); return the blob describing them."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.folder / sha[:2] / sha
        if not path.exists():
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            _write(path, data)
        return Blob(sha, len(data), zlib.crc32(data))

    def has(self, blob: Blob) -> bool:
        return self.path(blob).exists()

    def read(self, blob: Blob) -> bytes:
        return self.path(blob).read_bytes()

    def deflate(self, blob: Blob) -> bytes:
        """The file's raw deflate stream, as a zip entry holds it (the same bytes for the same file)."""
        return zlib.compress(self.read(blob), LEVEL, wbits=-15)

    def link(self, blob: Blob, target: Path) -> None:
        """Place the file at ``target``: a hard link where possible, else a copy."""
        try:
            os.link(self.path(blob), target)
        except OSError:
            shutil.copyfile(self.path(blob), target)

    def fingerprint(self) -> tuple:
        """Each of the store's folders with its modification time: a file removed by hand
        changes its folder's. Not its inode or change time, which no copy keeps: a cache
        restored with its times (``cp -a``, ``tar``, a CI cache) is as good as the one left."""
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except OSError:
            return ()
        return tuple((e.name, e.stat().st_mtime_ns) for e in entries if e.is_dir())

    def remove(self, shas: set[str]) -> None:
        """Remove these stored files (those an incremental build no longer needs)."""
        for sha in shas:
            (self.folder / sha[:2] / sha).unlink(missing_ok=True)

    def keep_only(self, blobs: set[Blob]) -> None:
        """Remove every stored file that no longer belongs to the site or the zip."""
        keep = {b.sha for b in blobs}
        if self.folder.is_dir():
            for path in self.folder.glob("*/*"):
                if path.name not in keep:   # also the deflated copies (.z3) earlier versions kept
                    path.unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    # A name of this process's own (mkstemp's random names and retries cost more than the
    # write of a page); read-only, as published pages are hard links to these files.
    temp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:     # left by a killed build whose process id this one now has
        temp.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)   # a full disk must not leave half a file behind
        raise
