"""Helpers shared by test modules: where the repository is, and running build.py."""
from __future__ import annotations

import functools
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag


REPO = Path(__file__).resolve().parent.parent
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
THEME = REPO / "policyreader" / "theme"


def copy_project(root: Path, extra_seeds: int = 0, theme: bool = False) -> Path:
    """This repository's inputs at ``root``: its seeds and site_src/ without the articles, with
    ``extra_seeds`` more seeds (``add_seeds``) and, with ``theme``, its templates/ and static/."""
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    if theme:
        for folder in ("templates", "static"):
            if (REPO / folder).is_dir():
                shutil.copytree(REPO / folder, root / folder)
    if extra_seeds:
        add_seeds(root, extra_seeds)
    return root


def copy_built(source: Path, target: Path) -> Path:
    """A copy of a built project as ``cp -a`` makes it (links, times and hard links kept: its
    published pages stay links into its own store, as the build left them), at a third of
    ``shutil.copytree``'s time for a site's thousands of files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", "--", str(source), str(target)], check=True)
    return target


def override(root: Path, name: str) -> Path:
    """Copy one theme file (``templates/base.html``, ``static/reader.css``) into the site at
    root, where it overrides the theme's; returns the copy, to be edited."""
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((THEME / name).read_bytes())
    return target


def add_override(root: Path, simplified: str, traditional: str) -> None:
    """One more entry in the ``all:`` section of the site's conversion.yaml (the section whose
    entries must match some article: ``general:`` entries may stand unused)."""
    path = root / "site_src" / "conversion.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nall:\n" in text, "conversion.yaml has no all: section"
    path.write_text(text.replace("\nall:\n", f"\nall:\n  {simplified}: {traditional}\n", 1), encoding="utf-8")


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python build.py --root ROOT ARGS`` as a user would, capturing its output."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def add_seeds(root: Path, count: int) -> None:
    """``count`` more seeds in the project at ``root``, made of its real seeds' paragraphs
    (reordered), each with a sidecar giving its slug, a date and a source."""
    paragraphs = [p for path in sorted((root / "seeds").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n")
                  if len(p.strip()) > 40 and not p.startswith(("#", "——"))]
    for n in range(count):
        body = paragraphs[n % len(paragraphs)::max(1, count // 2)][:8]
        (root / "seeds" / f"1{n:02d}_extra.txt").write_text(f"# 第{n + 1}篇 增补文章\n\n" + "\n\n".join(body) + "\n",
                                                            encoding="utf-8")
        (root / "seeds" / f"1{n:02d}_extra.yaml").write_text(f"slug: extra-{n + 1}\ndate: 2025-0{1 + n % 9}-1{n % 10}\n"
                                                             "source: 贵州日报\n", encoding="utf-8")


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for name, value in attrs:
            found.setdefault(name, value or "")   # the first of a repeated attribute, as browsers read it
        self.tags.append((tag, found))

    handle_startendtag = handle_starttag


@functools.lru_cache(maxsize=4096)   # three sites of a worker: about 55 MB each
def _start_tags(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, dict[str, str]], ...]:
    reader = _StartTags()
    reader.feed(Path(path).read_text(encoding="utf-8"))
    reader.close()
    return tuple(reader.tags)


def start_tags(path: Path) -> tuple[tuple[str, dict[str, str]], ...]:
    """Every start tag of an HTML file with its attributes (entities decoded), in order.

    The standard library's tokenizer, without building a tree: the whole-site scans read every
    page of a site (a thousand and more), which BeautifulSoup takes eight times as long to do.
    Kept per file and its stat, so the tests of one worker read a page once; treat as read-only.
    """
    info = path.stat()
    return _start_tags(str(path), info.st_mtime_ns, info.st_size)


def link_problems(site: Path, base_url: str) -> tuple[list[str], int]:
    """Every link, script and stylesheet of every page: relative, naming a file that exists,
    with its anchor present. Independent of the build's own link check. (problems, count)"""
    pages = {p.relative_to(site).as_posix(): start_tags(p) for p in sorted(site.rglob("*.html"))}
    ids = {path: {attrs["id"] for _, attrs in tags if "id" in attrs} for path, tags in pages.items()}
    linking = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}
    problems, checked = [], 0
    for path, tags in pages.items():
        for tag, attrs in tags:
            attr = linking.get(tag)
            if attr is None or attr not in attrs:
                continue
            url = attrs[attr]
            checked += 1
            if url.startswith("data:"):
                continue
            if tag == "link" and {"canonical", "alternate"} & set(attrs.get("rel", "").split()) and url.startswith(base_url):
                if not (site / url[len(base_url):]).is_file():   # for search engines: must name a real page
                    problems.append(f"{path}: {url}")
                continue
            if re.match(r"^[a-z]+:|^//|^/", url):
                problems.append(f"{path}: not relative: {url}")
                continue
            target, fragment = urldefrag(url)
            target = unquote(target)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            if target.endswith("/") or not (site / resolved).is_file():
                problems.append(f"{path}: {url} → {resolved} is not a file")
            elif fragment and resolved.endswith(".html") and unquote(fragment) not in ids[resolved]:
                problems.append(f"{path}: anchor #{fragment} not in {resolved}")
    return problems, checked


def brute_force(text: str, forms: dict[str, str]) -> list[tuple[int, int, str]]:
    """Longest form first (then leftmost), never overlapping, the obvious way: the matcher's
    rule for plain text, to check the automaton against."""
    candidates = sorted((-len(f), i, f) for f in forms for i in range(len(text)) if text.startswith(f, i))
    taken: set[int] = set()
    found = []
    for negative, start, form in candidates:
        span = set(range(start, start - negative))
        if not span & taken:
            taken |= span
            found.append((start, start - negative, forms[form]))
    return sorted(found)
