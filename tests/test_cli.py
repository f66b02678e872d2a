"""``python build.py`` as an editor runs it: defaults, idempotence, hand edits, bad input."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, run_build

SEED = "000_c77db80417356711"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, but the cache: a failed build may have stored
    pages there already (content-addressed, so never wrong), and the next build cleans it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".cache/")}


def assert_one_line_error(result, starts: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(starts), lines[0]


def test_help_explains_every_command() -> None:
    result = run_build(REPO, "--help")
    assert result.returncode == 0
    for word in ("build", "ingest", "check", "serve", "new", "site_src/articles", "--version"):
        assert word in result.stdout
    flags = {"build": ["--force", "--strict", "--clean"], "ingest": ["--force"], "check": ["--all", "--strict", "ARTICLE"],
             "serve": ["--port", "--strict", "--clean"], "new": ["DIR", "--title"]}
    for command, words in flags.items():
        result = run_build(REPO, command, "--help")
        assert result.returncode == 0 and all(w in result.stdout for w in words + ["--root"]), result.stdout


@pytest.mark.parametrize("args, refused", [
    (["build", "--port", "9"], "build.py build: error: unrecognized arguments: --port 9"),
    (["--port", "9"], "build.py build: error: unrecognized arguments: --port 9"),   # no command: build
    (["serve", "--force"], "build.py serve: error: unrecognized arguments: --force"),
    (["ingest", "--strict"], "build.py ingest: error: unrecognized arguments: --strict"),
    (["check", "--clean"], "build.py check: error: unrecognized arguments: --clean"),
    (["publish"], "build.py: error: argument COMMAND: invalid choice: 'publish'"),
])
def test_each_command_refuses_flags_it_does_not_take(project: Path, args: list[str], refused: str) -> None:
    before = tree(project)
    result = run_build(project, *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(refused), result.stderr
    assert tree(project) == before


def test_version_and_python_dash_m(tmp_path: Path) -> None:
    version = run_build(REPO, "--version")
    assert version.returncode == 0 and version.stdout.startswith("policyreader ")
    module = subprocess.run([sys.executable, "-m", "policyreader", "--version"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert module.stdout == version.stdout


def test_the_default_root_is_the_current_folder(project: Path) -> None:
    """``policyreader`` (here ``python -m policyreader``) builds the site it is run in."""
    result = subprocess.run([sys.executable, "-m", "policyreader", "-q"], cwd=project, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert (project / "_site" / "index.html").is_file()
    assert (project / "site_src" / "articles" / "sige-dazhua.md").is_file()


def test_flags_go_before_or_after_the_command(project: Path) -> None:
    after = subprocess.run([sys.executable, str(REPO / "build.py"), "ingest", "--root", str(project), "-q"],
                           capture_output=True, text=True, timeout=300)
    assert after.returncode == 0, after.stderr
    assert after.stdout == "" and (project / "site_src" / "articles" / "sige-dazhua.md").is_file()


def test_default_build_writes_both_articles_and_nothing_else(project: Path) -> None:
    before = tree(project)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    after = tree(project)
    added = sorted(set(after) - set(before))
    assert [a for a in added if not a.startswith(("_site/", "dist/"))] == [
        "site_src/articles/gongye-da-tupo.md", "site_src/articles/sige-dazhua.md"]
    assert [a for a in added if a.startswith("dist/")] == ["dist/.policyreader", "dist/guizhou-policy-reader-2026-01-20.zip"]
    assert "_site/index.html" in added and "_site/zh-hant/articles/sige-dazhua.html" in added
    assert all(after[k] == v for k, v in before.items())


def test_a_reader_that_stops_early_does_not_stop_the_build(project: Path) -> None:
    """``build.py | head -1``: the build goes on once the pipe is closed, and exits 0."""
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert build.stdout is not None and build.stdout.readline().startswith(b"ingest")
    build.stdout.close()
    _, errors = build.communicate(timeout=300)
    assert build.returncode == 0, errors
    assert b"Broken pipe" not in errors
    assert (project / "_site" / "zh-hant" / "articles" / "sige-dazhua.html").is_file()
    assert list((project / "dist").glob("*.zip"))


def test_rebuild_is_byte_identical_and_writes_nothing(project: Path) -> None:
    run_build(project)
    first = tree(project)
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "site_src" / "articles").iterdir()}
    result = run_build(project)
    assert result.returncode == 0
    assert tree(project) == first
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert "0 written, 2 unchanged" in result.stdout


def test_hand_edit_is_refused_then_force_overwrites(built_project: Path) -> None:
    project = built_project
    article = project / "site_src" / "articles" / "sige-dazhua.md"
    original = article.read_text(encoding="utf-8")
    edited = original.replace("新年第一会", "新年第一次会议", 1)
    article.write_text(edited, encoding="utf-8")
    line = next(n for n, l in enumerate(edited.splitlines(), 1) if "新年第一次会议" in l)
    result = run_build(project)
    assert_one_line_error(result, f"site_src/articles/sige-dazhua.md:{line}: error: edited by hand")
    assert f"seeds/{SEED}.txt" in result.stderr and "--force" in result.stderr
    assert article.read_text(encoding="utf-8") == edited
    result = run_build(project, "--force")
    assert result.returncode == 0
    assert article.read_text(encoding="utf-8") == original


def test_crlf_and_bom_give_the_same_article(built_project: Path) -> None:
    project = built_project
    expected = (project / "site_src/articles/sige-dazhua.md").read_text(encoding="utf-8")
    seed = project / "seeds" / f"{SEED}.txt"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes().replace(b"\n", b"\r\n"))
    assert run_build(project).returncode == 0
    rebuilt = (project / "site_src/articles/sige-dazhua.md").read_text(encoding="utf-8")
    strip = lambda t: [l for l in t.splitlines() if not l.startswith(("  sha256:", "  encoding:", "digest:"))]
    assert strip(rebuilt) == strip(expected)


def test_gb18030_seed_builds_with_a_warning(project: Path) -> None:
    seed = project / "seeds" / f"{SEED}.txt"
    seed.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    result = run_build(project)
    assert result.returncode == 0
    # the line of the first byte that is not UTF-8: the seed starts with two blank lines
    assert f"seeds/{SEED}.txt:3: warning: not UTF-8; decoded as GB18030" in result.stderr
    assert "encoding: gb18030" in (project / "site_src/articles/sige-dazhua.md").read_text(encoding="utf-8")


BAD_INPUTS = [
    ("undecodable", lambda p: (p / f"{SEED}.txt").write_bytes("第一行\n".encode() + b"\xff\x00\xfe\n"),
     f"seeds/{SEED}.txt:2: error: undecodable bytes"),
    ("empty", lambda p: (p / f"{SEED}.txt").write_bytes(b"\n \n"), f"seeds/{SEED}.txt: error: empty seed"),
    ("not yaml", lambda p: (p / f"{SEED}.yaml").write_text("slug: [x\n", encoding="utf-8"),
     f"seeds/{SEED}.yaml:2: error: not valid YAML"),
    ("unknown key", lambda p: (p / f"{SEED}.yaml").write_text("title: t\nauthor: x\n", encoding="utf-8"),
     f"seeds/{SEED}.yaml:2: error: unknown key 'author'"),
    ("unsafe slug", lambda p: (p / f"{SEED}.yaml").write_text("slug: ../x\n", encoding="utf-8"),
     f"seeds/{SEED}.yaml:1: error: slug '../x' is not a safe ASCII name"),
    ("fix misses", lambda p: (p / f"{SEED}.yaml").write_text("fixes:\n  - {find: 不存在的文字, replace: x}\n", encoding="utf-8"),
     f"seeds/{SEED}.yaml:2: error: fix '不存在的文字' does not match"),
    ("stray sidecar", lambda p: (p / "zzz.yaml").write_text("title: x\n", encoding="utf-8"),
     "seeds/zzz.yaml: error: sidecar without a seed"),
    ("slug clash", lambda p: (p / "003_c2d4cca183c9bd68.yaml").write_text(
        "slug: sige-dazhua\ndate: 2021-12-27\nsource: 贵州日报\n", encoding="utf-8"),
     "seeds/003_c2d4cca183c9bd68.yaml:1: error: slug 'sige-dazhua' is already used"),
]


@pytest.mark.parametrize("name, damage, message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_line_and_writes_nothing(built_project: Path, name: str, damage, message: str) -> None:
    project = built_project
    damage(project / "seeds")
    before = tree(project)
    result = run_build(project)
    assert_one_line_error(result, message)
    assert tree(project) == before


def test_seed_without_sidecar_gets_defaults(empty_project: Path) -> None:
    (empty_project / "seeds" / "new.txt").write_text("# 推进富矿精开\n\n正文。\n", encoding="utf-8")
    assert run_build(empty_project).returncode == 0
    article = (empty_project / "site_src/articles/tui-jin-fu-kuang-jing-kai.md").read_text(encoding="utf-8")
    assert "title: 推进富矿精开" in article and "sidecar: null" in article


def test_removed_seed_removes_its_article_but_never_a_hand_edited_file(built_project: Path) -> None:
    project = built_project
    articles = project / "site_src" / "articles"
    (articles / "notes.md").write_text("editor's own notes\n", encoding="utf-8")
    for suffix in (".txt", ".yaml"):
        (project / "seeds" / f"{SEED}{suffix}").unlink()
    result = run_build(project)
    assert result.returncode == 0
    assert sorted(p.name for p in articles.iterdir()) == ["gongye-da-tupo.md", "notes.md"]
    assert "notes.md: warning: not made from any seed" in result.stderr


def test_runs_from_any_working_directory(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)   # given back before tmp_path goes: a later build must not start in a removed folder
    assert run_build(project).returncode == 0
    assert not any(tmp_path.glob("*.md"))


@pytest.mark.parametrize("folder", ["_site", "dist"])
def test_refuses_to_replace_an_output_folder_it_did_not_make(project: Path, folder: str) -> None:
    (project / folder).mkdir()
    (project / folder / "mine.txt").write_text("an editor's file\n", encoding="utf-8")
    result = run_build(project)
    assert_one_line_error(result, f"{folder}: error: exists but was not made by build.py")
    assert (project / folder / "mine.txt").read_text(encoding="utf-8") == "an editor's file\n"
    assert not (project / ("dist" if folder == "_site" else "_site")).exists(), "nothing is published"


def test_a_failed_build_leaves_the_previous_site_as_it_was(built_project: Path) -> None:
    project = built_project
    before = {k: v for k, v in tree(project).items() if k.startswith(("_site/", "dist/"))}
    (project / "seeds" / f"{SEED}.yaml").write_text("slug: ../x\n", encoding="utf-8")
    assert run_build(project).returncode == 1
    assert {k: v for k, v in tree(project).items() if k.startswith(("_site/", "dist/"))} == before
