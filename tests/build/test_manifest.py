"""The no-change manifest: a folder's files are recorded together, and any change to one shows."""
from __future__ import annotations

import os
import time
from pathlib import Path

from policyreader.build import manifest

OLD = time.time_ns() - 10 * manifest.RACY_NS   # a time well before any build


def _project(tmp_path: Path, n: int = 50) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(n):
        path = seeds / f"{i:04d}.txt"
        path.write_text(f"第{i}篇。", encoding="utf-8")
        os.utime(path, ns=(OLD, OLD))
    return tmp_path


def test_an_edit_that_keeps_the_size_shows(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = manifest.snapshot(root, manifest.NO_BOUND)
    target = root / "seeds" / "0017.txt"
    target.write_text("第71篇。", encoding="utf-8")   # same length in bytes, another text
    os.utime(target, ns=(OLD + 1, OLD + 1))
    assert len(target.read_bytes()) == len("第17篇。".encode("utf-8"))
    assert manifest.snapshot(root, manifest.NO_BOUND) != before


def test_a_file_added_removed_or_untouched(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = manifest.snapshot(root, manifest.NO_BOUND)
    assert manifest.snapshot(root, manifest.NO_BOUND) == before
    (root / "seeds" / "0003.txt").unlink()
    assert manifest.snapshot(root, manifest.NO_BOUND) != before


def test_a_fresh_file_makes_its_folder_unknown(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "seeds" / "0001.txt").write_text("刚改过。", encoding="utf-8")   # now: inside the racy window
    found = manifest.snapshot(root, time.time_ns() - manifest.RACY_NS)
    files = [value for key, value in found.items() if key.startswith(str(root / "seeds")) and key.endswith("\0files")]
    assert files == [None]


def test_compiled_modules_written_after_the_record_change_nothing(tmp_path: Path) -> None:
    """A module compiled during a build or after it (Python writes __pycache__ on first import)
    is neither a change nor too fresh to trust: only the sources are the program."""
    root = _project(tmp_path)
    module = root / "seeds" / "tool.py"   # any walked folder: the package's are walked alike
    module.write_text("X = 1\n", encoding="utf-8")
    cache = root / "seeds" / "__pycache__"
    cache.mkdir()
    os.utime(module, ns=(OLD, OLD))
    for path in (cache, root / "seeds"):
        os.utime(path, ns=(OLD, OLD))
    racy_after = time.time_ns() - manifest.RACY_NS
    (cache / "tool.cpython-311.pyc").write_bytes(b"compiled during the build")
    recorded = manifest.snapshot(root, racy_after)
    assert recorded[str(root / "seeds") + "\0files"] is not None, "a fresh compiled module made the folder unknown"
    (cache / "other.cpython-311.pyc").write_bytes(b"compiled by the next build")
    assert manifest.snapshot(root, manifest.NO_BOUND, known=recorded) == recorded
