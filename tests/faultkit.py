"""What the fault-injection tests look at: the three outputs an editor relies on, and the
leftovers an interrupted build may leave. Also a script, run inside a private mount namespace
(``unshare -Urm``), that builds on a small tmpfs until the disk is full.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers import copy_built

REPO = Path(__file__).resolve().parent.parent
OUTPUTS = ("site_src/articles", "_site", "dist")
CHANGED_SEED = "003_c2d4cca183c9bd68.txt"
CHANGE = ("最大的希望在工业。", "最大的希望也在工业。")


def outputs(root: Path) -> dict[str, bytes]:
    """Every file of the articles folder, ``_site/`` and ``dist/`` with its bytes."""
    found = {}
    for top in OUTPUTS:
        for path in sorted((root / top).rglob("*")) if (root / top).is_dir() else []:
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def digest(files: dict[str, bytes]) -> str:
    """One hash over the outputs, to compare states across a namespace boundary."""
    sha = hashlib.sha256()
    for name, data in sorted(files.items()):
        sha.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return sha.hexdigest()


def leftovers(root: Path) -> list[str]:
    """Anything a build leaves only when interrupted: staged or old folders and files, a journal,
    scratch folders, half-written cache entries."""
    found = [p.name for p in root.iterdir() if re.match(r"\.(_site|dist)\.(new|old)-", p.name)]
    articles = root / "site_src" / "articles"
    found += [f"site_src/articles/{p.name}" for p in articles.iterdir() if p.name.startswith(".")] if articles.is_dir() else []
    cache = root / ".cache"
    if cache.is_dir():
        found += [f".cache/{p.name}" for p in cache.iterdir() if p.name == "commit.json" or re.match(r"\.?tmp-", p.name)]
        found += [p.relative_to(root).as_posix() for p in cache.glob("*/*/.tmp-*")]
    return sorted(found)


def add_extra_seed(root: Path) -> None:
    """A third, small article, so a change can remove one article and add another."""
    (root / "seeds" / "extra.txt").write_text("# 额外文章\n\n贵州推进富矿精开。\n", encoding="utf-8")
    (root / "seeds" / "extra.yaml").write_text("slug: extra\n", encoding="utf-8")


def change_inputs(root: Path) -> None:
    """The change every fault test builds: one seed edited, one removed, one added, so the
    commit rewrites, creates and removes an article besides replacing _site/ and dist/."""
    path = root / "seeds" / CHANGED_SEED
    text = path.read_text(encoding="utf-8")
    assert CHANGE[0] in text
    path.write_text(text.replace(*CHANGE, 1), encoding="utf-8")
    for suffix in (".txt", ".yaml"):
        (root / "seeds" / f"extra{suffix}").unlink()
    (root / "seeds" / "fresh.txt").write_text("# 新增文章\n\n贵州发展新质生产力。\n", encoding="utf-8")
    (root / "seeds" / "fresh.yaml").write_text("slug: fresh\n", encoding="utf-8")


def run_build(root: Path, *args: str, env: dict[str, str] | None = None, quiet: bool = True) -> subprocess.CompletedProcess:
    """``build.py --root ROOT -q ARGS`` in a child process."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *(["-q"] if quiet else []), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def disk_full(template: Path, free: int) -> dict:
    """Copy a built project onto a fresh tmpfs, change a seed, leave ``free`` bytes, build.
    Then free the space and build again. Needs a private mount namespace."""
    mount = Path(tempfile.mkdtemp(prefix="full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], check=True)
    root = mount / "project"
    copy_built(template, root)
    change_inputs(root)
    before = outputs(root)
    stats = os.statvfs(mount)
    filler = mount / "filler"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, stats.f_bavail * stats.f_frsize - free))
    full = run_build(root)
    state = {"returncode": full.returncode, "stderr": full.stderr, "unchanged": outputs(root) == before,
             "leftovers": leftovers(root)}
    filler.unlink()
    again = run_build(root)
    state.update(again_returncode=again.returncode, again_stderr=again.stderr, again_leftovers=leftovers(root),
                 again_outputs=digest(outputs(root)))
    return state


if __name__ == "__main__":
    print(json.dumps(disk_full(Path(sys.argv[1]), int(sys.argv[2]))))
