"""Filling a staged output folder: pages linked from the object store, other files written."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import BuildError
from .store import Blob, ObjectStore

MARKER = ".policyreader"   # proves we made the folder, so we may replace it


def ensure_ours(target: Path, shown: str) -> None:
    """Refuse to replace a folder that exists without our marker: we did not make it."""
    if os.path.lexists(target) and not (target / MARKER).is_file():
        raise BuildError(shown, None, f"exists but was not made by build.py (no {MARKER} file); "
                         "move it away or choose another output folder")


def fill(folder: Path, files: dict[str, bytes | Blob | Path], store: ObjectStore | None = None) -> None:
    """Put exactly ``files`` into the empty staged ``folder``, plus our marker.

    A file is given as bytes, as a Blob of ``store`` (linked in, not copied), or as the Path
    of a finished file to move in.
    """
    made: set[Path] = set()
    for name, data in sorted(files.items()):
        path = folder / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if isinstance(data, Blob):
            assert store is not None
            store.link(data, path)
        elif isinstance(data, Path):
            os.replace(data, path)
        else:
            path.write_bytes(data)
    (folder / MARKER).write_text("made by build.py; replaced as a whole on every build\n", encoding="utf-8")
