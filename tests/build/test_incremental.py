"""Rebuilds redo only what changed, and equal a clean build byte for byte after every kind of change."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, THEME, copy_built, copy_project, run_build

SEED = "003_c2d4cca183c9bd68.txt"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
OUTPUTS = ("_site", "dist", "site_src/articles")
EXTRA = 6   # seeds made from the real ones, so that a change touches a small part of the site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                            capture_output=True, text=True, timeout=600, env={**os.environ, **EPOCH})
    assert result.returncode == 0, result.stderr
    return result


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return sorted(line for line in result.stderr.splitlines() if ": warning: " in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project with extra seeds, built once: the state every change starts from."""
    root = copy_project(tmp_path_factory.mktemp("incremental") / "project", extra_seeds=EXTRA)
    build(root)
    return root


def edit_seed(root: Path) -> str:
    seed = root / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("最大的希望在工业。", "最大的希望也在工业。"), encoding="utf-8")
    return "1 built"


def add_term_paragraph(root: Path) -> str:
    """A paragraph that uses glossary terms: the article gains anchors term pages link to."""
    seed = root / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + "\n\n要坚持富矿精开，发展新质生产力。\n",
                    encoding="utf-8")
    return "1 built"


def remove_paragraph(root: Path) -> str:
    """The paragraphs after it move up one number: the article loses its last paragraph's anchor."""
    seed = root / "seeds" / SEED
    paragraphs = seed.read_text(encoding="utf-8").split("\n\n")
    seed.write_text("\n\n".join(paragraphs[:3] + paragraphs[4:]), encoding="utf-8")
    return "1 built"


def edit_sidecar(root: Path) -> str:
    sidecar = root / "seeds" / "101_extra.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("date: 2025-02-11", "date: 2026-02-11"),
                       encoding="utf-8")
    return "1 built"


def add_seed(root: Path) -> str:
    (root / "seeds" / "200_new.txt").write_text("# 新增一篇\n\n发展新质生产力是推动高质量发展的内在要求和重要着力点。\n",
                                                encoding="utf-8")
    (root / "seeds" / "200_new.yaml").write_text("slug: xin-zeng\ndate: 2026-03-01\nsource: 贵州日报\n", encoding="utf-8")
    return "1 built"


def insert_seed(root: Path) -> str:
    """A seed whose name sorts in among the others: the articles after it are numbered anew."""
    (root / "seeds" / "050_mid.txt").write_text("# 插在中间的一篇\n\n要坚持富矿精开，发展新质生产力。\n", encoding="utf-8")
    (root / "seeds" / "050_mid.yaml").write_text("slug: cha-zai-zhongjian\ndate: 2025-05-01\nsource: 贵州日报\n",
                                                encoding="utf-8")
    return "1 built"


def delete_seed(root: Path) -> str:
    for suffix in (".txt", ".yaml"):
        (root / "seeds" / f"102_extra{suffix}").unlink()
    return "0 built"


def edit_glossary_entry(root: Path) -> str:
    """An entry's English: only the articles using the term show it."""
    users = sum("{term=yacangshi}" in p.read_text(encoding="utf-8") for p in (root / "site_src" / "articles").glob("*.md"))
    assert 0 < users < 2 + EXTRA
    path = root / "site_src" / "glossary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ballast stone", "ballast-stone"), encoding="utf-8")
    return f"{users} built"


def edit_template(root: Path) -> str:
    path = root / "templates" / "article.html"
    path.parent.mkdir(exist_ok=True)
    original = (THEME / "templates" / "article.html").read_text(encoding="utf-8")
    edited = original.replace('<article class="article"', '<article class="article" data-edited="yes"', 1)
    assert edited != original, "the edit must change the template"
    path.write_text(edited, encoding="utf-8")
    return f"{2 + EXTRA} built"


def edit_site_yaml(root: Path) -> str:
    path = root / "site_src" / "site.yaml"
    path.write_text(re.sub(r"^description: ", "description: 新版。", path.read_text(encoding="utf-8"), flags=re.M),
                    encoding="utf-8")
    return f"{2 + EXTRA} built"


def add_conversion_override(root: Path) -> str:
    path = root / "site_src" / "conversion.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  产业突破: 產業突破\n", encoding="utf-8")
    return f"{2 + EXTRA} built"


def lose_cached_parts(root: Path) -> str:
    """The cache loses every article's parts (removed by hand, a disk cleaner) and one article
    changes: its term pages need the others' parts, so those articles are made again."""
    lost = list((root / ".cache").rglob("*-parts.pickle"))
    assert len(lost) >= 2 + EXTRA
    for path in lost:
        path.unlink()
    add_term_paragraph(root)
    return "built"


CHANGES = [edit_seed, add_term_paragraph, remove_paragraph, edit_sidecar, add_seed, insert_seed, delete_seed, edit_glossary_entry, edit_template, edit_site_yaml,
           add_conversion_override, lose_cached_parts]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_rebuild_after_a_change_equals_a_clean_build(built: Path, tmp_path: Path, change) -> None:
    project = tmp_path / "project"
    copy_built(built, project)
    expected = change(project)
    incremental = build(project)
    assert expected in incremental.stdout, incremental.stdout
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    from_scratch = build(clean, "--clean")
    assert warnings(incremental) == warnings(from_scratch)   # the link check's verdicts included
    for folder in OUTPUTS:
        mine, theirs = tree(project / folder), tree(clean / folder)
        assert sorted(mine) == sorted(theirs), folder
        assert [name for name in mine if mine[name] != theirs[name]] == [], folder


def test_a_copy_that_kept_its_times_builds_from_its_cache_and_a_damaged_store_is_not_trusted(built: Path, tmp_path: Path) -> None:
    """A cache copied with its times (cp -a; tar --posix below) is used as it was left;
    one missing a stored page is not trusted at all. Either way the site is the same."""
    project = copy_built(built, tmp_path / "project")
    result = build(project)
    assert "0 built" in result.stdout and "(0 site pages made)" in result.stdout, result.stdout
    for folder in OUTPUTS:
        assert tree(project / folder) == tree(built / folder), folder
    damaged = copy_built(built, tmp_path / "damaged")
    victim = next((damaged / ".cache" / "objects").glob("*/*"))
    victim.unlink()
    result = build(damaged)
    made = int(re.search(r"\((\d+) site pages made\)", result.stdout).group(1))
    assert made > 1000, result.stdout
    for folder in OUTPUTS:
        assert tree(damaged / folder) == tree(built / folder), folder


def test_a_cache_restored_from_a_tar_archive_serves_a_fresh_checkout(built: Path, tmp_path: Path) -> None:
    """What CI does (.github/workflows/site.yml): a fresh checkout of the inputs, the last
    run's .cache/ restored from a tar archive, a build. It makes no page again, and makes
    what the last build made."""
    archive = tmp_path / "cache.tar"
    # As actions/cache archives: --posix keeps times to the nanosecond (the default format
    # keeps whole seconds, and a store whose folders changed their times is not trusted).
    subprocess.run(["tar", "--posix", "-cf", str(archive), "-C", str(built), ".cache"], check=True)
    checkout = tmp_path / "checkout"
    shutil.copytree(built, checkout, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    subprocess.run(["tar", "-xf", str(archive), "-C", str(checkout)], check=True)
    result = build(checkout)
    assert "0 built" in result.stdout and "(0 site pages made)" in result.stdout, result.stdout
    for folder in OUTPUTS:
        assert tree(checkout / folder) == tree(built / folder), folder


def test_an_edit_touches_few_files_and_nothing_changed_touches_none(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_built(built, project)
    build(project)   # a copy's folders are new to the state: this build replaces _site/ whole
    edit_seed(project)
    result = build(project)
    assert "1 built" in result.stdout and "files updated" in result.stdout, result.stdout
    updated = int(re.search(r"(\d+) files updated", result.stdout).group(1))
    assert 0 < updated < len(tree(project / "_site")) // 4
    again = build(project)
    assert "0 built" in again.stdout and ("0 files updated" in again.stdout or "nothing changed" in again.stdout)


def test_nothing_changed_answers_from_the_manifest_and_repeats_warnings(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_built(built, project)
    override = project / "site_src" / "conversion.yaml"
    # Under `all:`: the file's last section, `general:`, holds fixes that are never warned about.
    text = override.read_text(encoding="utf-8")
    assert "\nall:\n" in text
    override.write_text(text.replace("\nall:\n", "\nall:\n  从未出现的词: 從未出現的詞\n", 1), encoding="utf-8")
    first = build(project)
    old = 1_000_000_000   # make every input look long settled, as it is in real use
    for path in [*project.rglob("*")]:
        if ".cache" not in path.parts:
            os.utime(path, ns=(old, old), follow_symlinks=False)
    build(project)   # records a manifest of settled stats
    fast = build(project)
    assert "nothing changed since the last build" in fast.stdout
    assert "override '从未出现的词' never matched" in fast.stderr
    assert first.stderr.count("warning") == fast.stderr.count("warning")
    assert run_build(project, "--strict").returncode == 1
    (project / "_site" / "index.html").unlink()
    rebuilt = build(project)
    assert "nothing changed" not in rebuilt.stdout and (project / "_site" / "index.html").is_file()
    assert "nothing changed" in build(project).stdout
    # The fast path stats the site's folders the last build recorded, without listing them: a
    # folder made deep inside one of them still changes its parent, and is seen.
    (project / "_site" / "zh-hant" / "terms" / "made-by-hand").mkdir()
    assert "nothing changed" not in build(project).stdout


def test_a_shared_input_changes_every_article_and_a_glossary_entry_those_using_it(built_project: Path) -> None:
    project = built_project
    glossary = project / "site_src" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("ballast stone", "ballast-stone"), encoding="utf-8")
    result = run_build(project)
    assert "1 built, 1 from cache" in result.stdout   # 压舱石 stands in one of the two
    assert "ballast-stone" in (project / "_site/articles/gongye-da-tupo.html").read_text(encoding="utf-8")
    assert "yacangshi" not in (project / "_site/articles/sige-dazhua.html").read_text(encoding="utf-8")
    site_yaml = project / "site_src" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert "2 built, 0 from cache" in run_build(project).stdout


def test_clean_ignores_the_cache(built_project: Path) -> None:
    project = built_project
    assert "2 built, 0 from cache" in run_build(project, "--clean").stdout
    assert "0 built, 2 from cache" in run_build(project).stdout


STEPS_BY_FILE = ["staged-site", "journal", "switch:_site/articles/gongye-da-tupo.html:out",
                 "switch:_site/articles/gongye-da-tupo.html:in", "switched", "committed"]


@pytest.fixture(scope="module")
def edited_outputs(built: Path, tmp_path_factory) -> dict[str, bytes]:
    """What a build makes after edit_seed: the "new" state every kill below must reach or undo."""
    from faultkit import outputs
    project = copy_built(built, tmp_path_factory.mktemp("edited") / "project")
    edit_seed(project)
    build(project)
    return outputs(project)


@pytest.mark.parametrize("step", STEPS_BY_FILE)
def test_a_site_updated_file_by_file_is_all_old_or_all_new_after_a_kill(built: Path, edited_outputs: dict[str, bytes],
                                                                         tmp_path: Path, step: str) -> None:
    from faultkit import leftovers, outputs
    from policyreader.output.transaction import recover
    project = tmp_path / "project"
    copy_built(built, project)
    build(project)   # a copy's folders are new to the state: this build replaces _site/ whole
    old = outputs(project)
    edit_seed(project)
    new = edited_outputs
    killed = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project), "-q"],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, **EPOCH, "POLICYREADER_FAULT": step})
    assert killed.returncode == -9, killed.stderr
    recover(project, project / ".cache", [project / "_site", project / "dist"], project / "site_src" / "articles")
    committed = STEPS_BY_FILE.index(step) >= STEPS_BY_FILE.index("journal")
    assert outputs(project) == (new if committed else old)
    assert leftovers(project) == [] and not [p for p in (project / "_site").rglob(".*") if p.name != ".policyreader"]
    build(project)
    assert outputs(project) == new


@pytest.fixture(scope="module")
def linked(built: Path, tmp_path_factory) -> tuple[Path, int, list[str]]:
    """The built project with a 404 page of the site's own linking to the last paragraph of an
    article and to two articles that are not there yet, built once: (project, that last
    paragraph's number, the warnings of that build)."""
    from helpers import override
    project = copy_built(built, tmp_path_factory.mktemp("linked") / "project")
    article = (project / "_site" / "articles" / "gongye-da-tupo.html").read_text(encoding="utf-8")
    last = max(int(n) for n in re.findall(r'id="p(\d+)"', article))
    links = "".join(f'<a href="{{{{ link("articles/{target}") }}}}#p{n}">x</a>'
                    for target, n in (("gongye-da-tupo.html", last), ("xin-zeng.html", 1), ("cha-zai-zhongjian.html", 1)))
    page = override(project, "templates/404.html")
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}\n" + links, 1),
                    encoding="utf-8")
    return project, last, warnings(build(project))


def checked_share(result: subprocess.CompletedProcess) -> tuple[int, int]:
    """(pages checked, pages in all) from a build's report."""
    checked, unchanged = map(int, re.search(r"(\d+) pages checked, (\d+) unchanged", result.stdout).groups())
    return checked, checked + unchanged


def test_an_article_that_lost_anchors_has_the_pages_linking_into_it_checked_again(linked, tmp_path: Path) -> None:
    """A paragraph removed takes the article's last paragraph anchor with it: the pages that may
    link there are checked again (a page of the site's own linking to it warns, as a clean build
    would), and no more than those."""
    source, last, first = linked
    project = copy_built(source, tmp_path / "project")
    assert not any("gongye-da-tupo.html" in w for w in first), first
    remove_paragraph(project)
    result = build(project)
    assert "1 built" in result.stdout, result.stdout
    assert any(f"gongye-da-tupo.html#p{last}'" in w and "404.html" in w for w in warnings(result)), warnings(result)
    checked, pages = checked_share(result)
    assert checked < pages // 4, result.stdout
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    assert warnings(build(clean, "--clean")) == warnings(result)


@pytest.mark.parametrize("add", [add_seed, insert_seed], ids=["named-last", "named-in-between"])
def test_a_new_article_has_only_the_pages_with_problems_checked_again(linked, tmp_path: Path, add) -> None:
    """A new article takes no anchor from any page, wherever its seed's name sorts (one in
    between renumbers the articles after it): the pages that passed their last check are not
    read again, and one whose link the new article mends no longer warns, as in a clean build."""
    source, _, first = linked
    slug = "xin-zeng" if add is add_seed else "cha-zai-zhongjian"
    project = copy_built(source, tmp_path / "project")
    assert any(f"{slug}.html" in w and "404.html" in w for w in first), first
    add(project)
    result = build(project)
    assert "1 built" in result.stdout, result.stdout
    assert not any(f"{slug}.html" in w for w in warnings(result)), warnings(result)
    checked, pages = checked_share(result)
    assert checked < pages // 4, result.stdout
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    assert warnings(build(clean, "--clean")) == warnings(result)
