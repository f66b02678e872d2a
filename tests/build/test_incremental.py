"""Rebuilds reuse the cache for unchanged seeds, and equal a clean build byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers import run_build

SEED = "003_c2d4cca183c9bd68.txt"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rebuild_after_one_seed_changes_equals_a_clean_build(project: Path, tmp_path: Path) -> None:
    assert run_build(project).returncode == 0
    seed = project / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("最大的希望在工业。", "最大的希望也在工业。"), encoding="utf-8")
    incremental = run_build(project)
    assert incremental.returncode == 0, incremental.stderr
    assert "1 built, 1 from cache" in incremental.stdout
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    result = run_build(clean, "--clean")
    assert result.returncode == 0 and "2 built, 0 from cache" in result.stdout
    for folder in ("_site", "dist", "site_src/articles"):
        assert tree(project / folder) == tree(clean / folder), folder
    assert "最大的希望也在工业。" in (project / "_site/articles/gongye-da-tupo.html").read_text(encoding="utf-8")


def test_a_shared_input_changes_every_article(project: Path) -> None:
    assert run_build(project).returncode == 0
    glossary = project / "site_src" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("ballast stone", "ballast-stone"), encoding="utf-8")
    result = run_build(project)
    assert "2 built, 0 from cache" in result.stdout
    assert "ballast-stone" in (project / "_site/articles/gongye-da-tupo.html").read_text(encoding="utf-8")


def test_clean_ignores_the_cache(project: Path) -> None:
    assert run_build(project).returncode == 0
    assert "2 built, 0 from cache" in run_build(project, "--clean").stdout
    assert "0 built, 2 from cache" in run_build(project).stdout
