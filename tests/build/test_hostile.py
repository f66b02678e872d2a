"""Hostile and unlucky input, one row per class: one line naming the real file (and line where
there is one), exit status 1, no traceback, no hang, and every output exactly as it was."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import REPO, copy_built
from policyreader.cli import main

SEED = "000_c77db80417356711"
OTHER = "003_c2d4cca183c9bd68"
TIMEOUT = 60   # a FIFO once hung the build forever: any row over this is a hang


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file and link of the project but the cache's content-addressed stores (seeds,
    objects, the pinyin of names, the QR codes and Jinja's compiled templates, keyed by their
    source: a new entry changes nothing already there); the cache's top level is listed, so a
    leftover journal, scratch folder or lock holder shows."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".cache/seeds/", ".cache/objects/", ".cache/pinyin/", ".cache/qr/", ".cache/templates/")):
            continue
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file() and rel != ".cache/build.lock":
            found[rel] = path.read_bytes()
        elif path.is_dir() and rel.startswith(".cache"):
            found[rel] = "dir"
    return found


def build(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``build.py`` as an editor runs it, in its own process (a hang shows as a timeout)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q", *args],
                          capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, **(env or {})})


def build_here(root: Path, capsys, monkeypatch, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The same command line run in this process: the table is long, and a new interpreter per
    row costs more than most rows' whole build. Rows that could hang or crash run in a process."""
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    status = main(["--root", str(root), "-q"])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["build.py"], status, out, err)


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The project built once; each row damages its own copy."""
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def built(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    copy_built(template, root)
    return root


def write(rel: str, text: str, mode: str = "w") -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / rel
        if mode == "a":
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
    return damage


def raw(rel: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / rel).write_bytes(data)


def sidecar(text: str) -> Callable[[Path], None]:
    return write(f"seeds/{SEED}.yaml", "title: 以“四个大抓”培育壮大高质量发展内生动力\nslug: sige-dazhua\n" + text)


def seed_text(replace: tuple[str, str]) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / "seeds" / f"{OTHER}.txt"
        path.write_text(path.read_text(encoding="utf-8").replace(*replace, 1), encoding="utf-8")
    return damage


def only(*names: str) -> Callable[[Path], None]:
    """Replace the seeds by files of these names (each a copy of one real seed)."""
    def damage(root: Path) -> None:
        text = (root / "seeds" / f"{OTHER}.txt").read_bytes()
        for path in (root / "seeds").iterdir():
            path.unlink()
        for name in names:
            (root / "seeds" / name).write_bytes(text)
    return damage


def both(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        for one in damages:
            one(root)
    return damage


def link(rel: str, target: str | Callable[[Path], str]) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.symlink_to(target(root) if callable(target) else target)
    return damage


def fifo(root: Path) -> None:
    os.mkfifo(root / "seeds" / "x.txt")


def folder_named_txt(root: Path) -> None:
    (root / "seeds" / "x.txt").mkdir()


def sparse(size: int) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        with open(root / "seeds" / "big.txt", "wb") as handle:
            handle.truncate(size)
    return damage


def newline_name(root: Path) -> None:
    shutil.copy(root / "seeds" / f"{OTHER}.txt", root / "seeds" / "a\nb.txt")


def long_name(root: Path) -> None:
    shutil.copy(root / "seeds" / f"{OTHER}.txt", root / "seeds" / ("x" * 240 + ".txt"))


def bytes_name(root: Path) -> None:
    shutil.copy(root / "seeds" / f"{OTHER}.txt", os.fsencode(root / "seeds") + b"/\xff\xfe.txt")


def article_folder(root: Path) -> None:
    path = root / "site_src" / "articles" / "sige-dazhua.md"
    path.unlink()
    path.mkdir()
    (path / "keep").write_text("x", encoding="utf-8")


def remove_both_seeds_but_add_one(root: Path) -> None:
    only("new.txt")(root)


@dataclass
class Row:
    name: str
    damage: Callable[[Path], None]
    line: str | None                    # the error's start; None: the build must succeed
    env: dict[str, str] | None = None
    real_file: bool = True              # the named file exists (not an unprintable name, an env var)
    process: bool = False               # run in a process of its own (it once hung or ate the memory)


ROWS = [
    # seeds/: which files are seeds, and what they may be
    Row("empty seeds folder", only(), "seeds: error: no seeds"),
    Row("only upper-case .TXT", only("a.TXT"), "seeds/a.TXT: error: seeds end in .txt"),
    Row("link to /etc/passwd", link("seeds/x.txt", "/etc/passwd"), "seeds/x.txt: error: is a link to a file outside"),
    Row("link to /dev/zero", link("seeds/x.txt", "/dev/zero"), "seeds/x.txt: error: is a link to a file outside",
        process=True),
    Row("dangling link", link("seeds/x.txt", "nowhere.txt"), "seeds/x.txt: error: is a link that leads nowhere"),
    Row("seeds folder links outside", link("seeds", lambda r: str(r.parent.parent)), "seeds: error: is a link to a folder outside"),
    Row("FIFO named x.txt", fifo, "seeds/x.txt: error: is a FIFO", process=True),
    Row("folder named x.txt", folder_named_txt, "seeds/x.txt: error: is a folder"),
    Row("9 MB seed", sparse(9 * 1024 * 1024), "seeds/big.txt: error: is 9.0 MB, larger than the 8 MB allowed",
        process=True),
    Row("newline in a seed's name", newline_name, "seeds/a\\nb.txt: error: file name holds a line break", real_file=False,
        process=True),
    Row("name of 244 bytes", long_name, "seeds/xxxxxxxx", real_file=False),
    Row("name not UTF-8", bytes_name, "seeds/\\udcff\\udcfe.txt: error: file name holds", real_file=False),
    Row(".yml sidecar", raw(f"seeds/{SEED}.yml", b"title: x\n"), f"seeds/{SEED}.yml: error: sidecars are named NAME.yaml"),
    Row("sidecar links outside", link(f"seeds/{SEED}.yaml", "/etc/hostname"), f"seeds/{SEED}.yaml: error: is a link to a file outside"),
    # sidecars: dates, YAML shapes, lengths, control characters
    Row("date 2026-13-45", sidecar("date: 2026-13-45\n"), f"seeds/{SEED}.yaml:3: error: '2026-13-45' is not a real date"),
    Row("date 0000-01-01", sidecar("date: 0000-01-01\n"), f"seeds/{SEED}.yaml:3: error: '0000-01-01' is not a real date"),
    Row("date 2150-01-01", sidecar("date: 2150-01-01\n"), f"seeds/{SEED}.yaml:3: error: date 2150-01-01 is not between"),
    Row("complex key", sidecar("? [a, b]\n: x\n"), f"seeds/{SEED}.yaml:3: error: a key must be a plain word"),
    Row("--- in a title", write(f"seeds/{SEED}.yaml", 'title: "以“四个大抓”\\n---\\n培育"\n'),
        f"seeds/{SEED}.yaml:1: error: 'title' must be one line"),
    Row("second document", write(f"seeds/{SEED}.yaml", "title: a\n---\ntitle: b\n"), f"seeds/{SEED}.yaml:2: error: not valid YAML"),
    Row("bell in a title", sidecar('source: "贵州\\a日报"\n'), f"seeds/{SEED}.yaml:3: error: control character U+0007"),
    Row("U+FFFF in a title", write(f"seeds/{SEED}.yaml", 'title: "标题\\uFFFF"\n'), f"seeds/{SEED}.yaml:1: error: noncharacter U+FFFF"),
    Row("slug of 260 bytes", write(f"seeds/{SEED}.yaml", f"slug: {'a' * 260}\n"), f"seeds/{SEED}.yaml:1: error: slug is 260 characters long"),
    Row("order [x, x]", sidecar("order: [lead, lead]\n"), f"seeds/{SEED}.yaml:3: error: 'order' lists 'lead' twice"),
    Row("fix deletes the whole text", both(write("seeds/x.txt", "# 标题\n\n一段话。\n"),
                                          write("seeds/x.yaml", 'fixes:\n  - {find: "# 标题\\n\\n一段话。", replace: ""}\n')),
        "seeds/x.yaml:2: error: the fixes delete the whole text"),
    Row("fix inserts a control character", sidecar('fixes:\n  - {find: 业提供金融支持。, replace: "业\\x01"}\n'),
        f"seeds/{SEED}.yaml:4: error: control character U+0001"),
    Row("fix why over two lines", sidecar('fixes:\n  - {find: 业提供金融支持。, replace: 提供金融支持。, why: "a\\nb"}\n'),
        f"seeds/{SEED}.yaml:4: error: 'why' must be one line"),
    Row("sidecar not UTF-8", raw(f"seeds/{SEED}.yaml", "title: 标题\n".encode("gb18030")), f"seeds/{SEED}.yaml:1: error: sidecar is not UTF-8"),
    Row("sidecar is a list", write(f"seeds/{SEED}.yaml", "- a\n"), f"seeds/{SEED}.yaml:1: error: sidecar must be a mapping"),
    # seed text
    Row("control character in a seed", seed_text(("最大的希望在工业。", "最大的\x07希望在工业。")), f"seeds/{OTHER}.txt:"),
    Row("U+FFFF in a seed", seed_text(("最大的希望在工业。", "最大的\uffff希望在工业。")), f"seeds/{OTHER}.txt:"),
    Row("C1 control in a seed", seed_text(("最大的希望在工业。", "最大的\x85希望在工业。")), f"seeds/{OTHER}.txt:"),
    # conversion.yaml and OpenCC
    Row("newline in an override phrase", write("site_src/conversion.yaml", 'all:\n  "新\\n征程": 新征程\n'),
        "site_src/conversion.yaml:2: error: override '新\\n征程'"),
    Row("tab in an override form", write("site_src/conversion.yaml", 'all:\n  新征程: "新\\t征程"\n'),
        "site_src/conversion.yaml:2: error: override '新征程'"),
    Row("complex key in conversion.yaml", write("site_src/conversion.yaml", "all:\n  ? [新征程]\n  : 新征程\n"),
        "site_src/conversion.yaml:2: error: a key must be a plain word"),
    Row("unknown OpenCC config", write("site_src/site.yaml", "title: 读本\nname: reader\nvariants:\n"
                                       "  - {lang: zh-Hans, label: 简体}\n  - {lang: zh-Hant, label: 繁體, opencc: s2nowhere}\n"),
        "site_src/site.yaml: error: OpenCC has no config 's2nowhere'"),
    # the zip's date
    Row("SOURCE_DATE_EPOCH after 2107", lambda r: None, "SOURCE_DATE_EPOCH: error: 4354819200 is after 2107",
        env={"SOURCE_DATE_EPOCH": "4354819200"}, real_file=False),
    Row("SOURCE_DATE_EPOCH overflows", lambda r: None, "SOURCE_DATE_EPOCH: error: 99999999999999999999999 is after",
        env={"SOURCE_DATE_EPOCH": "99999999999999999999999"}, real_file=False),
    Row("SOURCE_DATE_EPOCH not a number", lambda r: None, "SOURCE_DATE_EPOCH: error: '1e9' is not a whole number",
        env={"SOURCE_DATE_EPOCH": "1e9"}, real_file=False),
    # what is already there
    Row("a folder where an article belongs", article_folder, "site_src/articles/sige-dazhua.md: error: is a folder"),
    Row("hand edit not UTF-8", raw("site_src/articles/sige-dazhua.md", b"---\n\xff\n"), "site_src/articles/sige-dazhua.md:2: error: not UTF-8"),
    Row("_site is a file", both(lambda r: shutil.rmtree(r / "_site"), raw("_site", b"x")),
        "_site: error: exists but was not made by build.py"),
    Row("every seed replaced", remove_both_seeds_but_add_one, "seeds: error: this build would remove 2 of the 2 articles"),
    Row("site_src/articles is a file", both(lambda r: shutil.rmtree(r / "site_src" / "articles"),
                                           raw("site_src/articles", b"x")),
        "site_src/articles: error: is a file"),
    Row("site_src/articles links outside", link("site_src/articles", lambda r: str(r.parent)),
        "site_src/articles: error: is a link to a folder outside the project"),
    Row("template syntax error", write("templates/base.html", "<p>\n{% block main %}\n"),
        "templates/base.html:2: error: template: Unexpected end of template"),
    Row("template fails while rendering", write("templates/base.html", "<p>\n{{ 1 // 0 }}\n"),
        "templates/base.html:2: error: template: ZeroDivisionError"),
    Row("glossary complex key", write("site_src/glossary.yaml", "? [a]\n: b\n"), "site_src/glossary.yaml:1: error: a key must be a plain word"),
    # what must still build
    Row("'---' as a whole title", sidecar("source: '---'\n"), None),
    Row("link to a seed inside the project", both(
        lambda r: shutil.move(r / "seeds" / f"{OTHER}.txt", r / f"{OTHER}.txt"),
        link(f"seeds/{OTHER}.txt", f"../{OTHER}.txt")), None),
    Row("other files in seeds/ are left alone", raw("seeds/notes.md", b"# notes\n"), None),
    Row("a term in an attribution before any paragraph",   # once an IndexError that stopped serve
        write("seeds/x.txt", "——2026年1月20日，富矿精开会议强调\n"), None),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_hostile_input(built: Path, row: Row, capsys, monkeypatch) -> None:
    row.damage(built)
    before = snapshot(built)
    result = build(built, env=row.env) if row.process else build_here(built, capsys, monkeypatch, row.env)
    assert "Traceback" not in result.stderr, result.stderr
    if row.line is None:
        assert result.returncode == 0, result.stderr
        return
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert result.returncode == 1, result.stderr
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(row.line), errors[0]
    if row.real_file:
        named = re.match(r"^(.+?)(?::(\d+))?: error: ", errors[0])
        assert named, errors[0]
        path = built / named.group(1)
        assert os.path.lexists(path), f"the error names {named.group(1)}, which does not exist"
        if named.group(2) and path.is_file():
            assert int(named.group(2)) <= max(1, len(path.read_bytes().splitlines())), errors[0]
    assert snapshot(built) == before, "a failed build changed the project"


def test_removing_most_articles_is_done_with_force(built: Path) -> None:
    remove_both_seeds_but_add_one(built)
    result = build(built, "--force")
    assert result.returncode == 0, result.stderr
    (article,) = (built / "site_src" / "articles").iterdir()
    assert "file: new.txt" in article.read_text(encoding="utf-8")
