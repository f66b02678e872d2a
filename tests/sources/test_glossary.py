"""The glossary: validation of broken files, the matcher, and the real glossary's content."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from policyreader.errors import BuildError, Report
from policyreader.sources.glossary import check_sources, load_glossary
from policyreader.text.matcher import Matcher

from helpers import REPO, brute_force

ENTRY = """\
- id: {id}
  term: {term}
  pinyin: fù kuàng jīng kāi
  english: refined development of rich mineral resources
  definition: 推进资源精深加工。
  category: 工程与政策
  source: {{seed: a.txt, quote: 推进}}
"""
HEAD = "categories: [工程与政策, 产业]\nentries:\n"


def glossary_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entry(id: str = "fukuang-jingkai", term: str = "富矿精开", extra: str = "") -> str:
    return ENTRY.format(id=id, term=term) + extra


BROKEN = [
    ("yaml error", HEAD + entry() + "  related: [unclosed\n", 11, "not valid YAML"),
    ("missing field", HEAD + entry().replace("  english: refined development of rich mineral resources\n", ""), 3, "missing 'english'"),
    ("duplicate id", HEAD + entry() + entry(term="富矿"), 10, "duplicate id 'fukuang-jingkai' (first at line 3)"),
    ("form claimed twice", HEAD + entry() + entry(id="other", term="富矿", extra="  aliases: [富矿精开]\n"), 10,
     "form '富矿精开' of 'other' is already claimed by 'fukuang-jingkai' (line 3)"),
    ("related missing", HEAD + entry(extra="  related: [nope]\n"), 3, "related id 'nope' does not exist"),
    ("non-ascii id", HEAD + entry(id="富矿"), 3, "id '富矿' must be lowercase ASCII"),
    ("unsafe id", HEAD + entry(id="../x"), 3, "id '../x' must be lowercase ASCII"),
    ("unknown category", HEAD + entry().replace("category: 工程与政策", "category: 其他"), 8, "category '其他' is not one of"),
    ("unknown key", HEAD + entry(extra="  defintion: 错字\n"), 10, "unknown key 'defintion'"),
    ("bad source", HEAD + entry().replace("{seed: a.txt, quote: 推进}", "第一篇"), 9, "source must be a mapping"),
    ("no categories", "entries:\n" + entry(), 1, "'categories' must be a list"),
    ("form without Chinese", HEAD + entry(extra="  aliases: [FKJK]\n"), 3, "form 'FKJK' has no Chinese"),
    ("not a mapping", "- a\n", 1, "glossary must be a mapping"),
]


@pytest.mark.parametrize("name, text, line, reason", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_glossary_stops_with_file_line_and_reason(tmp_path: Path, name: str, text: str, line: int, reason: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_glossary(glossary_file(tmp_path, text), "site_src/glossary.yaml")
    message = str(caught.value)
    assert message.startswith(f"site_src/glossary.yaml:{line}: error: "), message
    assert reason in message


def test_source_quote_must_be_in_its_seed(tmp_path: Path) -> None:
    glossary = load_glossary(glossary_file(tmp_path, HEAD + entry()), "g.yaml")
    check_sources(glossary, {"a.txt": "我们推进工作。"}, Report())
    with pytest.raises(BuildError, match="source quote '推进' is not in a.txt"):
        check_sources(glossary, {"a.txt": "我们做工作。"}, Report())
    report = Report()
    check_sources(glossary, {}, report)
    assert "source seed 'a.txt' is not in seeds/" in report.warnings[0].message


def test_longest_match_wins_in_running_text() -> None:
    matcher = Matcher({"数据要素": "a", "国家数据要素综合试验区": "b", "数据": "c", "富矿精开": "d"})
    text = "抢抓建设国家数据要素综合试验区机遇，推进富矿精开工作，数据要素和数据"
    assert [(text[s:e], i) for s, e, i in matcher.find(text)] == [
        ("国家数据要素综合试验区", "b"), ("富矿精开", "d"), ("数据要素", "a"), ("数据", "c")]


HAN = st.sampled_from(list("东数西算富矿精开新质生产力数据要素"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(HAN, min_size=1, max_size=5), min_size=1, max_size=12, unique=True),
       st.text(HAN, max_size=80))
def test_matcher_equals_brute_force_leftmost_longest(forms: list[str], text: str) -> None:
    mapping = {form: f"id{n}" for n, form in enumerate(forms)}
    assert Matcher(mapping).find(text) == brute_force(text, mapping)


@pytest.fixture(scope="module")
def real():
    return load_glossary(REPO / "site_src" / "glossary.yaml", "site_src/glossary.yaml")


REQUIRED_TERMS = ("富矿精开 东数西算 四个大抓 新质生产力 专精特新 电动贵州 风光水火储 内卷式竞争 六大产业集群 算力快线 "
                  "西部陆海新通道 十五五 十四五 新型工业化 工业倍增行动 链主企业 全国统一大市场 内陆开放型经济试验区 一网通办 压舱石").split()


def test_real_glossary_covers_the_required_terms(real) -> None:
    assert len(real.entries) >= 50
    terms = {e.term for e in real.entries}
    assert [t for t in REQUIRED_TERMS if t not in terms] == []
    assert set(real.categories) >= {"战略与口号", "工程与政策", "产业", "区域与平台", "机构与机制", "指标"}
    for entry in real.entries:
        assert 1 <= len(re.findall(r"[。！？]", entry.definition)) <= 3, entry.id
        assert entry.english_status in ("official", "working")


def syllables(entry) -> list[str]:
    """Pinyin syllables, leaving out digits and signs written as such (6+3)."""
    return [s for s in re.split(r"[\s-]+", entry.pinyin.strip()) if re.search(r"[a-zü]", s)]


def test_pinyin_agrees_with_pypinyin_or_is_a_reviewed_polyphone(real) -> None:
    """Lists every entry whose pinyin differs from pypinyin's without a pinyin_note."""
    unreviewed = []
    for entry in real.entries:
        han = "".join(re.findall(r"[\u4e00-\u9fff]", entry.term))
        expected = [s[0] for s in pinyin(han, style=Style.TONE)]
        actual = syllables(entry)
        if actual != expected and not entry.pinyin_note:
            unreviewed.append(f"{entry.id}: {entry.pinyin!r} vs pypinyin {' '.join(expected)!r}")
    assert unreviewed == []


def test_every_entry_occurs_and_the_sources_hold(real) -> None:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")}
    report = Report()
    check_sources(real, seeds, report)
    assert report.warnings == []
    text = "".join(seeds.values())
    assert [e.id for e in real.entries if not any(f in text for f in e.forms)] == []
