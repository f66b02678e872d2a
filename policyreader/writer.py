"""Publish a built site atomically: write everything to a temporary folder, then swap it in."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError

MARKER = ".policyreader"   # proves we made the folder, so we may replace it


def publish(files: dict[str, bytes], target: Path, shown: str) -> None:
    """Replace ``target`` with exactly ``files``; a failure leaves the old folder untouched.

    A folder that exists without our marker was not made by us and is never emptied.
    """
    if target.exists() and not (target / MARKER).is_file():
        raise BuildError(shown, None, f"exists but was not made by build.py (no {MARKER} file); "
                         "move it away or choose another output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    staging.chmod(0o755)   # mkdtemp makes it private; a published site must be readable
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
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
