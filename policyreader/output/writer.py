"""Publish a built site atomically: write everything to a temporary folder, then swap it in."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BuildError
from .store import Blob, ObjectStore

MARKER = ".policyreader"   # proves we made the folder, so we may replace it


def ensure_ours(target: Path, shown: str) -> None:
    """Refuse to replace a folder that exists without our marker: we did not make it."""
    if target.exists() and not (target / MARKER).is_file():
        raise BuildError(shown, None, f"exists but was not made by build.py (no {MARKER} file); "
                         "move it away or choose another output folder")


def publish(files: dict[str, bytes | Blob | Path], target: Path, shown: str, store: ObjectStore | None = None) -> None:
    """Replace ``target`` with exactly ``files``; a failure leaves the old folder untouched.

    A file is given as bytes, as a Blob of ``store`` (linked in, not copied), or as the Path
    of a finished file to move in.
    A folder that exists without our marker was not made by us and is never emptied.
    """
    ensure_ours(target, shown)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    staging.chmod(0o755)   # mkdtemp makes it private; a published site must be readable
    try:
        folders: set[Path] = set()
        for name, data in sorted(files.items()):
            path = staging / name
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if isinstance(data, Blob):
                assert store is not None
                store.link(data, path)
            elif isinstance(data, Path):
                os.replace(data, path)
            else:
                path.write_bytes(data)
        (staging / MARKER).write_text("made by build.py; replaced as a whole on every build\n", encoding="utf-8")
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
