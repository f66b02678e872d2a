"""Shared fixtures: a throwaway copy of the project to build in."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs (seeds, site_src without articles) in a temp folder."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "site_src").mkdir(parents=True)
    for name in ("site.yaml", "glossary.yaml"):
        shutil.copy(REPO / "site_src" / name, root / "site_src" / name)
    for folder in ("templates", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def empty_project(project: Path) -> Path:
    """The project copy with no seeds, for tests that write their own."""
    for path in (project / "seeds").iterdir():
        path.unlink()
    return project

