"""``check ARTICLE…`` shows only those articles' warnings and review; ``--all`` the whole site."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_build

SEED = "000_c77db80417356711"


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".cache" not in p.parts)


@pytest.mark.parametrize("target", ["sige-dazhua", f"seeds/{SEED}.txt", f"{SEED}.yaml", SEED])
def test_check_of_one_article_shows_only_its_review(project: Path, target: str) -> None:
    # A problem in the other article must not show in this one's review.
    other = project / "seeds" / "003_c2d4cca183c9bd68.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("source: 贵州日报\n", ""), encoding="utf-8")
    before = files(project)
    result = run_build(project, "check", target)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("zh-Hant (s2tw), sige-dazhua: ") and "characters of several Traditional forms" in lines[0]
    assert "gongye-da-tupo" not in result.stdout
    assert "  征 → 征 ×1 (OpenCC forms: 徵/征): 新征程" in lines        # the override at work in this article
    assert result.stderr == ""                                      # the other seed's warning is not shown
    assert lines[-1] == "(1 warnings about other files not shown; --all shows them)"
    assert len(lines) < 100, "one line per character and chosen form, not per phrase"
    assert files(project) == before


def test_check_all_reviews_the_site_and_shows_every_warning(project: Path) -> None:
    other = project / "seeds" / "003_c2d4cca183c9bd68.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("source: 贵州日报\n", ""), encoding="utf-8")
    result = run_build(project, "check", "--all", "--strict")
    assert result.returncode == 1
    assert "seeds/003_c2d4cca183c9bd68.yaml: error: placeholder metadata: no source" in result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("zh-Hant (s2tw): ") for line in lines)
    assert any(": glossary: entry " in line for line in lines)        # glossary-wide findings, listed in full


def test_check_names_an_unknown_article_in_one_line(project: Path) -> None:
    result = run_build(project, "check", "seeds/nothing.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["seeds/nothing.txt: error: no seed or article of that name in seeds "
                                          "(give a seed, seeds/NAME.txt, or an article's slug)"]


def test_check_needs_articles_or_all(project: Path) -> None:
    for args in ([], ["sige-dazhua", "--all"]):
        result = run_build(project, "check", *args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1
        assert "name the seeds or slugs to review, or give --all" in result.stderr
