"""Helpers shared by test modules: where the repository is, and running build.py."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python build.py --root ROOT ARGS`` as a user would, capturing its output."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)
