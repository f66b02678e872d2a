"""Any UTF-8 text builds or gets one clear line: no traceback, honest slugs, no silent blanks."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_build


def write(project: Path, name: str, text: str, sidecar: str | None = None) -> None:
    (project / "seeds" / f"{name}.txt").write_text(text, encoding="utf-8")
    if sidecar is not None:
        (project / "seeds" / f"{name}.yaml").write_text(sidecar, encoding="utf-8")


@pytest.mark.parametrize("text", [
    "——2026年1月20日，习近平总书记在学习贯彻党的二十届四中全会精神专题研讨班开班式上发表重要讲话强调\n",
    "国发〔2024〕5号\n",
    "一、总体要求\n\n（一）指导思想\n",
    "问：\n\n答：\n",
    "（讲话全文见第二版）\n",
    "……\n\n——\n\n**\n\n# \n\n●\n",
    "a\nb\nc\nd\ne\n",
    "扫码观看\n《视频》\n微视频\n",
])
def test_odd_seeds_build_without_a_traceback(empty_project: Path, text: str) -> None:
    write(empty_project, "odd", text, "title: 测试\ndate: 2025-01-01\nsource: 测试\nslug: odd\n")
    result = run_build(empty_project, "check", "--all")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


def test_slugs_from_one_title_get_a_suffix_and_a_warning(empty_project: Path) -> None:
    for name in ("a", "b"):
        write(empty_project, name, "国务院关于加快发展县域特色产业的意见\n\n国发〔2025〕1号\n\n现提出如下意见。\n")
    result = run_build(empty_project, "ingest")
    assert result.returncode == 0, result.stderr
    slugs = sorted(p.stem for p in (empty_project / "site_src" / "articles").glob("*.md"))
    assert slugs == ["guo-wu-yuan-guan-yu-jia-kuai-fa", "guo-wu-yuan-guan-yu-jia-kuai-fa-2"]
    assert "seeds/b.txt: warning: its title gives the slug 'guo-wu-yuan-guan-yu-jia-kuai-fa', which seeds/a.txt already has" \
        in result.stderr


def test_two_sidecars_naming_one_slug_is_an_error_naming_both_files(empty_project: Path) -> None:
    for name in ("a", "b"):
        write(empty_project, name, "正文。\n", "slug: same\n")
    result = run_build(empty_project, "ingest")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "seeds/b.yaml:1: error: slug 'same' is already used by seeds/a.yaml" in result.stderr


def test_a_missing_date_or_source_is_a_warning_and_an_error_under_strict(empty_project: Path) -> None:
    write(empty_project, "a", "国务院关于加快发展县域特色产业的意见\n\n现提出如下意见。\n")
    result = run_build(empty_project, "build")
    assert result.returncode == 0
    assert "seeds/a.txt: warning: placeholder metadata: no date, no source" in result.stderr
    strict = run_build(empty_project, "build", "--strict")
    assert strict.returncode == 1 and "seeds/a.txt: error: placeholder metadata: no date" in strict.stderr


def test_without_a_sidecar_the_title_takes_every_title_line(empty_project: Path) -> None:
    write(empty_project, "a", "国务院关于推动内河航运高质量发展\n奋力开创新局面的意见\n\n国发〔2025〕2号\n\n各省、自治区、直辖市人民政府：\n\n现提出如下意见。\n")
    assert run_build(empty_project, "ingest").returncode == 0
    text = next((empty_project / "site_src" / "articles").glob("*.md")).read_text(encoding="utf-8")
    assert "title: 国务院关于推动内河航运高质量发展奋力开创新局面的意见\n" in text
