"""Session packs: just the chosen articles, as a small site that works from file://."""
from __future__ import annotations

import zipfile
from pathlib import Path

import yaml

from helpers import REPO, link_problems, run_build

BASE_URL = yaml.safe_load((REPO / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]


def test_pack_holds_only_the_chosen_article_and_nothing_points_outside(project: Path, tmp_path: Path) -> None:
    result = run_build(project, "pack", "sige-dazhua", "--title", "四个大抓 专题研讨")
    assert result.returncode == 0, result.stderr
    (archive,) = (project / "packs").glob("*.zip")
    assert archive.name.startswith("guizhou-policy-reader-si-ge-da-zhua-zhuan-ti-yan-tao-")
    first = archive.read_bytes()
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unzipped")
    (folder,) = [p for p in (tmp_path / "unzipped").iterdir() if p.is_dir()]
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for prefix in ("", "zh-hant/"):
        for path in ("articles/sige-dazhua.html", "handouts/sige-dazhua.html", "study/sige-dazhua.html",
                     "study/sige-dazhua.csv", "study.html", "glossary.html", "index.html"):
            assert prefix + path in files
    assert not any(name.endswith(f"{kind}/gongye-da-tupo.html") for name in names for kind in ("articles", "handouts", "study"))
    # Term pages: just those of the terms the article uses; links to the others go to the glossary.
    terms = {p.stem for p in (folder / "terms").iterdir()}
    assert terms and terms == {p.stem for p in (folder / "zh-hant" / "terms").iterdir()}
    assert "fukuang-jingkai" in terms and "xiaofei-fupin" not in terms
    assert 'href="#xiaofei-fupin"' in (folder / "glossary.html").read_text(encoding="utf-8")
    index = (folder / "search" / "meta.js").read_text(encoding="utf-8")
    assert '["fukuang-jingkai",' in index and '["xiaofei-fupin",' not in index
    assert "使用说明.txt" in files
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert "四个大抓 专题研讨" in home and "gongye" not in home
    term = (folder / "terms" / "gaozhiliang-fazhan.html").read_text(encoding="utf-8")   # used by both articles
    assert "articles/sige-dazhua.html" in term and "articles/gongye-da-tupo" not in term
    problems, checked = link_problems(folder, BASE_URL)
    assert problems == [] and checked > 500
    # The same pack again gives the same bytes.
    assert run_build(project, "pack", "000_c77db80417356711", "--title", "四个大抓 专题研讨").returncode == 0
    assert archive.read_bytes() == first
    # The site's own build leaves packs alone (it replaces dist/ as a whole).
    assert run_build(project).returncode == 0 and archive.is_file()


def test_pack_refuses_an_unknown_article_in_one_line(project: Path) -> None:
    result = run_build(project, "pack", "sige-dazhua", "no-such-article", "--title", "x")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "'no-such-article'" in result.stderr and "sige-dazhua" in result.stderr
    assert not (project / "packs").exists()
    result = run_build(project, "pack", "sige-dazhua")
    assert result.returncode == 2 and "--title" in result.stderr   # a usage error, as argparse says
