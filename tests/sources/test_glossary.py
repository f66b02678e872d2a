"""The glossary: validation of broken files, the matcher, and the real glossary's content."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypinyin import Style, pinyin

from policyreader.errors import BuildError, Report
from policyreader.sources.glossary import CATEGORIES_V2, check_sources, load_glossary

from helpers import REPO

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
    ("form without Chinese", HEAD + entry(extra="  aliases: [fkjk]\n"), 3, "form 'fkjk' has no Chinese"),
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
    assert check_sources(glossary, {"a.txt": "我们推进工作。"}, Report()) == []
    with pytest.raises(BuildError, match="source quote '推进' is not in a.txt"):
        check_sources(glossary, {"a.txt": "我们做工作。"}, Report())
    report = Report()
    findings = check_sources(glossary, {}, report)
    assert report.warnings == []          # glossary-wide: a finding, summarised once, not a warning
    assert "source seed 'a.txt' is not in seeds/" in findings[0].message


@pytest.fixture(scope="module")
def real():
    return load_glossary(REPO / "site_src" / "glossary.yaml", "site_src/glossary.yaml")


REQUIRED_TERMS = ("富矿精开 东数西算 四个大抓 新质生产力 专精特新 电动贵州 风光水火储 内卷式竞争 六大产业集群 算力快线 "
                  "西部陆海新通道 十五五 十四五 新型工业化 工业倍增行动 链主企业 全国统一大市场 内陆开放型经济试验区 一网通办 压舱石").split()


def test_real_glossary_covers_the_required_terms(real) -> None:
    terms = {e.term for e in real.entries}
    assert [t for t in REQUIRED_TERMS if t not in terms] == []
    if real.schema >= 2:
        assert len(real.entries) >= 400 and real.categories == CATEGORIES_V2
        assert all(e.scope and e.sources for e in real.entries)
    for entry in real.entries:
        assert 1 <= len(re.findall(r"[。！？]", entry.definition)) <= 3, entry.id
        assert entry.english_status in ("official", "working")


def syllables(pinyin_text: str) -> str:
    """Pinyin letters only: no spaces, hyphens, apostrophes or punctuation, lowercase."""
    return re.sub(r"[^\w+]|_", "", pinyin_text).lower()


def test_pinyin_agrees_with_pypinyin_or_is_a_reviewed_polyphone(real) -> None:
    """Lists every entry whose pinyin differs from pypinyin's without a pinyin_note, both as
    written and as shown (by word), computed here independently of the build's check."""
    unreviewed = []
    for entry in real.entries:
        han = "".join(re.findall(r"[\u4e00-\u9fff]", entry.term))
        expected = "".join(s[0] for s in pinyin(han, style=Style.TONE))
        for shown in (entry.pinyin_written, entry.pinyin):
            letters = re.sub(r"[0-9+]", "", syllables(shown))
            if letters != expected and not entry.pinyin_note:
                unreviewed.append(f"{entry.id}: {shown!r} vs pypinyin {expected!r}")
    assert unreviewed == []


def test_the_seed_quotes_hold_and_every_seed_entry_occurs(real) -> None:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")}
    report = Report()
    assert check_sources(real, seeds, report) == [] and report.warnings == []
    text = "".join(seeds.values())
    quoted = [e for e in real.entries if e.source is not None]
    assert quoted and [e.id for e in quoted if not any(f in text for f in e.forms)] == []
