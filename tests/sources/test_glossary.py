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


# ---- schema 2 (issue 12) -------------------------------------------------------------------

V2_HEAD = "schema: 2\nentries:\n"
V2_ENTRY = """\
- id: {id}
  term: {term}
  pinyin: xiāofèi fúpín
  english: consumption-based poverty alleviation
  english_status: official
  definition: {definition}
  category: 扶贫与乡村振兴
  scope: national
  sources:
    - title: 国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见
      issuer: 国务院办公厅
      date: "2018-12-30"
      number: 国办发〔2018〕129号
"""
DEFINITION = "社会各界通过消费来自贫困地区和贫困人口的产品与服务，帮助贫困人口增收脱贫的扶贫方式。"


def v2(id: str = "xiaofei-fupin", term: str = "消费扶贫", definition: str = DEFINITION, extra: str = "") -> str:
    return V2_ENTRY.format(id=id, term=term, definition=definition) + extra


def load_text(tmp_path: Path, text: str):
    return load_glossary(glossary_file(tmp_path, text), "site_src/glossary.yaml")


def test_schema_2_entry_loads_into_typed_fields(tmp_path: Path) -> None:
    notes = ("  first_used: {year: \"2018\", event: 国务院办公厅印发指导意见}\n"
             "  notes:\n    - {seed: a.txt, note: 这篇报道讲的是某市的消费扶贫专馆。}\n"
             "  not_in: [消费扶贫网]\n")
    glossary = load_text(tmp_path, V2_HEAD + v2(extra=notes))
    entry = glossary.entries[0]
    assert glossary.schema == 2 and glossary.categories[0] == "战略与口号" and len(glossary.categories) == 13
    assert entry.scope == "national" and entry.national and entry.source is None
    source = entry.sources[0]
    assert (source.title, source.issuer, source.date, source.number) == (
        "国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见", "国务院办公厅", "2018-12-30", "国办发〔2018〕129号")
    assert source.cite() == "国务院办公厅《国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见》（国办发〔2018〕129号，2018-12-30）"
    assert (entry.first_used.year, entry.first_used.event) == ("2018", "国务院办公厅印发指导意见")
    assert entry.note_for("a.txt") == "这篇报道讲的是某市的消费扶贫专馆。" and entry.note_for("b.txt") is None
    assert entry.not_in == ("消费扶贫网",)


BROKEN_V2 = [
    ("no scope", V2_HEAD + v2().replace("  scope: national\n", ""), 3, "missing 'scope'"),
    ("no sources", V2_HEAD + v2().split("  sources:\n")[0], 3, "missing 'sources'"),
    ("empty sources", V2_HEAD + v2().split("  sources:\n")[0] + "  sources: []\n", 11, "'sources' needs at least one"),
    ("source without issuer", V2_HEAD + v2().replace("      issuer: 国务院办公厅\n", ""), 12, "each of 'sources' needs 'issuer'"),
    ("bad date", V2_HEAD + v2().replace('"2018-12-30"', '"2018-13"'), 14, "source date '2018-13' must be"),
    ("unknown source key", V2_HEAD + v2().replace("      issuer:", "      publisher: x\n      issuer:"), 13, "unknown key 'publisher'"),
    ("文中 in definition", V2_HEAD + v2(definition="文中指通过消费帮助贫困人口增收的做法。"), 8, "names one article ('文中')"),
    ("本文 in definition", V2_HEAD + v2(definition="本文所说的消费扶贫。"), 8, "names one article ('本文')"),
    ("报道 in definition", V2_HEAD + v2(definition="报道提到的一种扶贫方式。"), 8, "names one article ('报道')"),
    ("该文 in definition", V2_HEAD + v2(definition="该文介绍的扶贫方式。"), 8, "names one article ('该文')"),
    ("old category", V2_HEAD + v2().replace("扶贫与乡村振兴", "产业"), 9, "category '产业' is not one of"),
    ("v1 category list", "schema: 2\ncategories: [产业]\nentries:\n" + v2(), 2, "schema 2 has these categories"),
    ("bad first use", V2_HEAD + v2(extra="  first_used: {year: 2018年, event: x}\n"), 16, "first_used year '2018年'"),
    ("note twice", V2_HEAD + v2(extra="  notes:\n    - {seed: a.txt, note: x}\n    - {seed: a.txt, note: y}\n"), 16,
     "one note per seed"),
    ("not_in without the term", V2_HEAD + v2(extra="  not_in: [扶贫网]\n"), 16, "not_in word '扶贫网' does not hold"),
    ("unknown schema", "schema: 3\nentries:\n" + v2(), 1, "schema 3"),
    ("unknown top key", "schema: 2\nversion: 2\nentries:\n" + v2(), 2, "unknown key 'version'"),
]


@pytest.mark.parametrize("name, text, line, reason", BROKEN_V2, ids=[b[0] for b in BROKEN_V2])
def test_schema_2_stops_on_a_missing_source_scope_or_article_words(tmp_path: Path, name: str, text: str, line: int,
                                                                   reason: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_text(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"site_src/glossary.yaml:{line}: error: "), message
    assert reason in message


def test_schema_1_files_still_load_with_v2_fields_optional(tmp_path: Path) -> None:
    glossary = load_text(tmp_path, HEAD + entry().replace("推进资源精深加工。", "文中指推进资源精深加工。"))
    assert glossary.schema == 1 and glossary.entries[0].source.seed == "a.txt" and glossary.entries[0].scope is None
    with pytest.raises(BuildError, match="missing 'source'"):
        load_text(tmp_path, HEAD + entry().replace("  source: {seed: a.txt, quote: 推进}\n", ""))


def test_a_seed_quote_is_still_checked_under_schema_2(tmp_path: Path) -> None:
    glossary = load_text(tmp_path, V2_HEAD + v2(extra="  source: {seed: a.txt, quote: 消费扶贫专馆}\n"))
    assert check_sources(glossary, {"a.txt": "在消费扶贫专馆里"}, Report()) == []
    with pytest.raises(BuildError, match="source quote '消费扶贫专馆' is not in a.txt"):
        check_sources(glossary, {"a.txt": "别的文字"}, Report())


def test_not_in_keeps_the_term_out_of_a_longer_word(tmp_path: Path) -> None:
    extra = "  aliases: [三保]\n  not_in: [三保障]\n"
    glossary = load_text(tmp_path, V2_HEAD + v2(id="sanbao", term="保基本民生保工资保运转", extra=extra))
    text = "实现“两不愁三保障”，兜牢三保底线"
    assert [text[s:e] for s, e, _ in glossary.matcher().find(text)] == ["三保"]


def test_the_dictionary_keeps_a_term_out_of_a_word_it_cuts(tmp_path: Path) -> None:
    glossary = load_text(tmp_path, V2_HEAD + v2(id="minsheng", term="民生"))
    text = "国民生产总值持续增长，民生不断改善"
    assert [(s, text[s:e]) for s, e, _ in glossary.matcher().find(text)] == [(11, "民生")]
    assert any(b.word == "国民生产" for b in glossary.blockers)


def test_aliases_and_quoted_forms_find_the_entry(tmp_path: Path) -> None:
    extra = "  aliases: [易地搬迁, “易地扶贫搬迁”工程]\n"
    glossary = load_text(tmp_path, V2_HEAD + v2(id="yidi-fupin-banqian", term="易地扶贫搬迁", extra=extra))
    text = "实施易地扶贫搬迁，易地搬迁群众稳得住，“易地扶贫搬迁”工程收官"
    assert [text[s:e] for s, e, _ in glossary.matcher().find(text)] == ["易地扶贫搬迁", "易地搬迁", "“易地扶贫搬迁”工程"]


def test_a_one_seed_build_counts_glossary_findings_once_and_check_all_lists_them(empty_project: Path) -> None:
    from helpers import run_build
    seed = REPO / "tests" / "fixtures" / "articles" / "xiaofei-fupin.txt"
    (empty_project / "seeds" / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(empty_project)
    assert result.returncode == 0, result.stderr
    assert "occurs in no article" not in result.stderr and "glossary.yaml" not in result.stderr
    summary = [line for line in result.stdout.splitlines() if line.startswith("glossary: ")]
    assert len(summary) == 1
    unused = int(re.search(r"(\d+) entries occur in no article", summary[0]).group(1))
    assert unused > 300
    listed = run_build(empty_project, "check", "--all")
    lines = [line for line in listed.stdout.splitlines() if "occurs in no article" in line]
    assert len(lines) == unused and all(re.match(r"site_src/glossary\.yaml:\d+: glossary: entry '", l) for l in lines)
    one = run_build(empty_project, "check", seed.name)
    assert "occurs in no article" not in one.stdout + one.stderr


def test_a_meeting_is_cited_without_title_marks() -> None:
    from policyreader.sources.glossary import Source
    assert Source("中央全面深化改革委员会第十四次会议", "中央全面深化改革委员会", "2020-06-30").cite() == \
        "中央全面深化改革委员会中央全面深化改革委员会第十四次会议（2020-06-30）"
    assert Source("政府工作报告", "国务院", "2024").cite() == "国务院《政府工作报告》（2024）"
