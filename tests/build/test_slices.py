"""A glossary edit remakes only what it touches: each article's slice of the glossary (what its
pages read, what the matcher found in its texts), each term page's entry; and the result equals
a clean build byte for byte after every kind of glossary edit."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, copy_built, copy_project
from policyreader.build.corpus import HeardMatcher
from policyreader.build.slices import ALL, QUIZZES, Slicer, changes_between, term_page_reads, watched
from policyreader.site.pages import SitePages
from policyreader.site.study import distractors
from policyreader.sources.config import load_config
from policyreader.sources.glossary import load_glossary
from policyreader.variants.factory import converters_for, override_tables

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
OUTPUTS = ("_site", "dist", "site_src/articles")
EXTRA = 2
NEW_ENTRY = """
- id: fuji-cailiao
  term: 负极材料
  aliases: []
  pinyin: fùjí cáiliào
  english: anode material
  english_status: working
  definition: 锂电池中储存锂离子的一极所用的材料。
  category: 指标
  scope: national
  sources:
    - title: 当好排头兵 奋力推进工业大突破
      issuer: 贵州日报
      date: "2021-12-27"
"""


# ---- the slice of one text, with the real glossary and matcher ------------------------------------

def glossary_with(tmp_path: Path, name: str, edit) -> object:
    """The site's glossary, edited (``edit``: text → text), loaded as a build loads it."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(edit((REPO / "site_src" / "glossary.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    return load_glossary(path, path.name, cache=tmp_path / "cache")


def slice_of(glossary, texts: list[str], read: list[str]):
    """What an article's work would keep: it looks for terms in ``texts`` and reads ``read``."""
    slicer = Slicer(glossary)
    seen, found = [], []
    heard = HeardMatcher(slicer.matcher, seen, found)
    for text in texts:
        heard.find(text)
    reads: set = set()
    view = watched(glossary, reads)
    for term in read:
        view.by_id[term]
    return slicer.slice(reads, seen, found)


TEXTS = ["加快发展新质生产力，扎实推进高质量发展。", "宁德时代的负极材料项目开工。"]


def test_a_slice_holds_until_what_it_read_or_found_changes(tmp_path: Path) -> None:
    same = glossary_with(tmp_path, "same", lambda t: t)
    cut = slice_of(same, TEXTS, ["xinzhi-shengchanli"])
    assert ("entry", "xinzhi-shengchanli") in cut.reads and Slicer(same).holds(cut)
    # Another entry's definition, an entry moved to the end of the file: no part of this slice.
    other = glossary_with(tmp_path, "other", lambda t: t.replace("ballast stone", "ballast-stone"))
    assert Slicer(other).holds(cut)
    # Its own entry's definition: the pages read it.
    own = glossary_with(tmp_path, "own", lambda t: t.replace("先进生产力质态。", "先进生产力质态（改）。"))
    assert not Slicer(own).holds(cut)
    # A new term standing in the text: the matcher finds it; one standing elsewhere: nothing changes.
    new = glossary_with(tmp_path, "new", lambda t: t + NEW_ENTRY)
    assert not Slicer(new).holds(cut)
    elsewhere = slice_of(same, TEXTS[:1], ["xinzhi-shengchanli"])
    assert Slicer(new).holds(elsewhere)
    # Told what changed, it looks again only where a changed row stands or a changed read was
    # read, and finds what a full look finds.
    change = changes_between(Slicer(same).fingerprint(), Slicer(new).fingerprint())
    assert change.rows is not None and QUIZZES in change.reads   # a new id the quizzes may choose
    assert Slicer(new).holds_since(elsewhere, change) and not Slicer(new).holds_since(cut, change)
    edited = changes_between(Slicer(same).fingerprint(), Slicer(own).fingerprint())
    assert edited.rows is None and edited.reads == {("entry", "xinzhi-shengchanli"), ("entry", ALL)}
    assert not Slicer(own).holds_since(cut, edited) and Slicer(own).holds_since(slice_of(same, TEXTS, []), edited)
    assert changes_between(Slicer(same).fingerprint(), Slicer(other).fingerprint()).rows is None


def test_wrong_options_depend_on_ids_categories_and_related_terms_only(tmp_path: Path) -> None:
    """What the build's fingerprint of the quizzes holds: any other field, and the entries'
    order, may change without changing a quiz."""
    same = glossary_with(tmp_path, "same", lambda t: t)

    def reword(text: str) -> str:
        text = re.sub(r"(?m)^(  (?:definition|english): )(.*)$", r"\1（改）\2", text)
        head, _, body = text.partition("entries:\n")
        entries = re.split(r"(?m)^(?=- id: )", body)
        return head + "entries:\n" + "".join([entries[0], *reversed(entries[1:])])
    other = glossary_with(tmp_path, "reworded", reword)
    assert [e.id for e in other.entries] != [e.id for e in same.entries]
    pool = [e.id for e in same.entries[::7]]
    for term in pool:
        assert distractors(same.by_id[term], same, pool) == distractors(other.by_id[term], other, pool)
    assert Slicer(same).fingerprint().reads[QUIZZES] == Slicer(other).fingerprint().reads[QUIZZES]


def test_a_watched_glossary_notes_each_lookup_and_a_walk_through_all(tmp_path: Path) -> None:
    glossary = glossary_with(tmp_path, "same", lambda t: t)
    reads: set = set()
    view = watched(glossary, reads)
    assert view.by_id["tongbi"] is glossary.by_id["tongbi"]
    assert "nope" not in view.by_id and view.names.get("yacangshi") == glossary.names["yacangshi"]
    assert reads == {("entry", "tongbi"), ("entry", "nope"), ("name", "yacangshi")}
    list(view.by_category)
    view.entries.index(glossary.by_id["tongbi"])
    assert {("category", ALL), ("entry", ALL)} <= reads


def test_a_term_page_reads_no_more_of_the_glossary_than_its_recipe_names(tmp_path: Path) -> None:
    """The term pages' recipe names what they read; a page that read more would go stale."""
    config = load_config(REPO)
    glossary = load_glossary(REPO / "site_src" / "glossary.yaml", "glossary.yaml", cache=tmp_path / "cache")
    overrides, _ = override_tables(config, glossary)
    converters = converters_for(config, overrides, tmp_path)
    related = [e for e in glossary.entries if e.related][:5]
    assert related
    for entry in related:
        reads: set = set()
        pages = SitePages(config, watched(glossary, reads), converters, [])
        for variant in config.variants:
            pages.render(f"terms/{entry.id}.html", variant)
        assert reads <= term_page_reads(entry), entry.id


# ---- every kind of glossary edit, built on the last build and from scratch ---------------------------

def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                            capture_output=True, text=True, timeout=600, env={**os.environ, **EPOCH})
    assert result.returncode == 0, result.stderr
    return result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("slices") / "project", extra_seeds=EXTRA)
    build(root)
    return root


def articles_holding(root: Path, pattern: str) -> int:
    return sum(bool(re.search(pattern, p.read_text(encoding="utf-8"))) for p in (root / "site_src" / "articles").glob("*.md"))


def edit_glossary(root: Path, edit) -> None:
    path = root / "site_src" / "glossary.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


def add_term(root: Path) -> str:
    """A new term: the articles where its form stands in the running text, and no other."""
    users = articles_holding(root, "负极材料")
    assert 0 < users < 2 + EXTRA
    edit_glossary(root, lambda t: t + NEW_ENTRY)
    return f"{users} built"


def move_entry(root: Path) -> str:
    """An entry cut and pasted at the end: every line below it moves, no page shows a line."""
    def move(text: str) -> str:
        start = text.index("- id: yacangshi\n")
        end = text.index("\n- id: ", start + 1) + 1
        return text[:start] + text[end:] + "\n" + text[start:end]
    edit_glossary(root, move)
    return ": 0 built"


def add_alias(root: Path) -> str:
    """Another form of a term: where it stands, the term is marked."""
    users = articles_holding(root, "主战场")
    assert 0 < users < 2 + EXTRA
    edit_glossary(root, lambda t: t.replace("- id: yacangshi\n  term: 压舱石\n  aliases: []",
                                            "- id: yacangshi\n  term: 压舱石\n  aliases: [主战场]"))
    return f"{users} built"


def remove_used_entry(root: Path) -> str:
    """A term taken out: the articles using it lose its marks."""
    def remove(text: str) -> str:
        start = text.index("- id: yacangshi\n")
        end = text.index("\n- id: ", start + 1) + 1
        text = text[:start] + text[end:]
        return re.sub(r"(related: \[[^\]]*)\byacangshi, |, yacangshi\b|\byacangshi\b", r"\1", text)
    edit_glossary(root, remove)
    return "built"


def change_category(root: Path) -> str:
    """A term moved to another category: quizzes drawing wrong options from either may change."""
    edit_glossary(root, lambda t: re.sub(r"(- id: tongbi\n(?:  .*\n)*?  category: )指标", r"\1产业与数字经济", t))
    return "from cache"


CHANGES = [add_term, move_entry, add_alias, remove_used_entry, change_category]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_glossary_edit_remakes_what_it_touches_and_equals_a_clean_build(built: Path, tmp_path: Path, change) -> None:
    project = copy_built(built, tmp_path / "project")
    before = (project / "site_src" / "glossary.yaml").read_text(encoding="utf-8")
    expected = change(project)
    assert (project / "site_src" / "glossary.yaml").read_text(encoding="utf-8") != before
    incremental = build(project)
    assert expected in incremental.stdout, incremental.stdout
    built_now = int(re.search(r"articles: (\d+) built", incremental.stdout)[1])
    assert built_now < 2 + EXTRA, incremental.stdout   # some articles came from the cache
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    from_scratch = build(clean, "--clean")
    assert sorted(l for l in incremental.stderr.splitlines() if ": warning: " in l) == \
        sorted(l for l in from_scratch.stderr.splitlines() if ": warning: " in l)
    for folder in OUTPUTS:
        mine, theirs = tree(project / folder), tree(clean / folder)
        assert sorted(mine) == sorted(theirs), folder
        assert [name for name in mine if mine[name] != theirs[name]] == [], folder
