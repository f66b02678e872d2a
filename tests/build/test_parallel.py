"""The process pools change nothing but speed: articles and term pages made in worker processes
(forked from the build, or started from a fork server) equal those made in the build's own process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO, copy_project

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
OUTPUTS = ("_site", "dist", "site_src/articles")


def build(root: Path, pools: bool) -> subprocess.CompletedProcess:
    """A build with the pools forced on for any number of seeds and term uses, or off."""
    at = "0" if pools else "10**9"
    program = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
               "from policyreader.build import corpus, sitewide\n"
               f"corpus.PARALLEL_FROM = {at}; sitewide.PARALLEL_USES = {at}\n"
               "from policyreader.cli import main\n"
               f"sys.exit(main(['--root', {str(root)!r}]))\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=600,
                            env={**os.environ, **EPOCH}, cwd=root)
    assert result.returncode == 0, result.stderr
    return result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_pools_make_what_one_process_makes(tmp_path: Path) -> None:
    alone, pooled = (copy_project(tmp_path / name, extra_seeds=6) for name in ("alone", "pooled"))
    first = build(alone, pools=False)
    second = build(pooled, pools=True)
    assert "8 built" in first.stdout and "8 built" in second.stdout
    assert first.stderr.replace(str(alone), "") == second.stderr.replace(str(pooled), "")
    for folder in OUTPUTS:
        mine, theirs = tree(alone / folder), tree(pooled / folder)
        assert sorted(mine) == sorted(theirs), folder
        assert [name for name in mine if mine[name] != theirs[name]] == [], folder
    assert len(tree(pooled / "_site" / "terms")) > 20   # term pages were made, by the pool
