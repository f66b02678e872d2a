"""The renderer rules on small inputs: terms become tooltips, text converts, attributes do not."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from policyreader.markdown.parser import make_parser
from policyreader.sources.config import VariantSpec
from policyreader.sources.glossary import Entry, Note
from policyreader.markdown.renderer import ReaderRenderer, RenderContext, annotate
from policyreader.markdown.meta import ParticipantMeta, PieceMeta
from policyreader.site.strings import UI
from policyreader.variants.convert import Converter

GLOSSARY = {
    "fukuang-jingkai": Entry("fukuang-jingkai", "富矿精开", "fù kuàng jīng kāi", "refined development",
                             "贵州推进矿产资源精细开发。", "工程与政策", 1,
                             notes=(Note("a.txt", "本文说的是磷矿。", 9),)),
    "xin-zhengcheng": Entry("xin-zhengcheng", "新征程", "xīn zhēng chéng", "new journey", "新的征程。", "战略与口号", 2,
                            zh_hant="新征程"),
}
HANT = VariantSpec("zh-Hant", "繁體", "s2tw", "zh-hant")
HANS = VariantSpec("zh-Hans", "简体", None, "")

SOURCE = """\
:::: piece roundtable
## 标题

{speaker=tian-wei}
[田蔚]{.speaker}：推进[富矿精开]{term=fukuang-jingkai}，发展[富矿精开]{term=fukuang-jingkai}。

{speaker=tian-wei .truncated}
继续[发展]{.nc}，增长[80%]{.bold}左右

::: caption
图片说明。[本报记者 张三 摄]{.credit}
:::
::::
"""


PARTICIPANTS = {"tian-wei": ParticipantMeta("tian-wei", "田蔚", "嘉宾", "某院部长"),
                "moderator": ParticipantMeta("moderator", "主持人", "主持人", None)}


def render(spec: VariantSpec, tmp_path: Path, source: str = SOURCE, seed: str = "a.txt"):
    md = make_parser()
    tokens = md.parse(source)
    index = annotate(tokens, frozenset({"moderator"}))
    converter = Converter(spec, {"新征程": "新征程"} if spec.converts else {}, tmp_path)
    ctx = RenderContext(converter=converter, glossary=GLOSSARY, glossary_href="../glossary.html",
                        participants=PARTICIPANTS,
                        pieces={"roundtable": PieceMeta("roundtable", "roundtable", "标题")},
                        title="另一个标题", strings={k: converter.convert(v) for k, v in UI.items()},
                        term_dir="../terms/", seed=seed)
    html = ReaderRenderer(md).render(tokens, md.options, {"ctx": ctx})
    return BeautifulSoup(html, "html.parser"), index


@pytest.mark.parametrize("spec", [HANS, HANT], ids=["hans", "hant"])
def test_every_term_is_a_data_term_element_described_by_its_tooltip(spec: VariantSpec, tmp_path: Path) -> None:
    soup, index = render(spec, tmp_path)
    terms = soup.select("[data-term]")
    assert [t["data-term"] for t in terms] == ["fukuang-jingkai", "fukuang-jingkai"]
    for term in terms:
        tip = soup.find(id=term["aria-describedby"])
        gist = "富礦精開：貴州推進礦產資源精細開發。" if spec.converts else "富矿精开：贵州推进矿产资源精细开发。"
        assert tip["role"] == "tooltip" and tip["aria-label"] == gist
    first, later = (soup.find(id=t["aria-describedby"]) for t in terms)
    assert first.select_one("[lang=zh-Latn-pinyin]").text == "fù kuàng jīng kāi"
    assert first.select_one("[lang=en]").text == "refined development"
    assert first.select("a")[-1]["href"] == "../terms/fukuang-jingkai.html"
    assert first.select_one(".def").text.startswith(("贵州推进", "貴州推進"))
    # A later use in the same section is unmarked: it carries only its gist (reader.js fills
    # its card from the term list when the reader asks for every use).
    assert later.text == "" and not later.find()
    assert "primary" in terms[0]["class"] and "primary" not in terms[1]["class"]
    assert terms[0]["data-note"] == "1" and not terms[1].has_attr("data-note")
    assert len({t["aria-describedby"] for t in terms}) == 2
    assert [(o.term, o.paragraph, o.primary) for o in index.occurrences] == [
        ("fukuang-jingkai", 1, True), ("fukuang-jingkai", 1, False)]


def test_a_note_for_one_article_shows_in_that_article_only(tmp_path: Path) -> None:
    soup, _ = render(HANS, tmp_path, seed="a.txt")
    assert soup.select_one(".tip .ctx").text == "本文说的是磷矿。"
    soup, _ = render(HANS, tmp_path, seed="b.txt")
    assert soup.select_one(".tip .ctx") is None and soup.select_one(".tip .def")


def test_each_occurrence_knows_its_sentence(tmp_path: Path) -> None:
    _, index = render(HANS, tmp_path)
    first, second = index.occurrences
    assert (first.before, first.written, first.after) == ("田蔚：推进", "富矿精开", "，发展富矿精开。")
    assert (second.before, second.written, second.after) == ("田蔚：推进富矿精开，发展", "富矿精开", "。")


def test_traditional_converts_text_but_never_ids_urls_or_attributes(tmp_path: Path) -> None:
    soup, _ = render(HANT, tmp_path)
    term = soup.select_one("[data-term]")
    assert term.text == "富礦精開"
    assert term["href"] == "../terms/fukuang-jingkai.html"
    assert soup.select_one(".tip .def").text == "貴州推進礦產資源精細開發。"
    assert soup.select_one(".speaker").text == "田蔚"
    assert soup.select_one(".position") is None, "the position stands once, in the guest list"
    assert soup.select_one("[data-speaker]")["data-speaker"] == "tian-wei"


def test_no_convert_span_stays_as_written(tmp_path: Path) -> None:
    soup, _ = render(HANT, tmp_path)
    second = soup.select("p.turn")[1]
    assert second.select_one(".nc").text == "发展"
    assert "繼續" in second.text


def test_paragraphs_are_numbered_with_permalinks_and_captions_are_not(tmp_path: Path) -> None:
    soup, index = render(HANS, tmp_path)
    numbered = soup.select("p[id]")
    assert [p["id"] for p in numbered] == ["p1", "p2"]
    assert [a["href"] for a in soup.select("a.pnum")] == ["#p1", "#p2"]
    assert soup.select_one("figure.photo figcaption .credit").text == "本报记者 张三 摄"
    assert [p.number for p in index.paragraphs] == [1, 2]


def test_turns_truncation_bold_and_pieces(tmp_path: Path) -> None:
    soup, _ = render(HANS, tmp_path)
    first, second = soup.select("p.turn")
    assert "turn-start" in first["class"] and "turn-start" not in second["class"]
    assert second.select_one(".truncation").text == UI["truncated"]
    assert second.select_one("strong").text == "80%"
    section = soup.select_one("section.piece-roundtable")
    assert section["id"] == "roundtable" and section.select_one("h2").text == "标题"


def test_piece_titled_like_the_page_is_kept_for_screen_readers_only(tmp_path: Path) -> None:
    soup, _ = render(HANS, tmp_path, SOURCE.replace("## 标题", "## 另一个标题"))
    assert "visually-hidden" in soup.select_one("h2")["class"]


ROUNDTABLE = """\
:::: piece roundtable
## 标题

{speaker=moderator}
[主持人]{.speaker}：如何推进[富矿精开]{term=fukuang-jingkai}？

{speaker=tian-wei}
[田蔚]{.speaker}：推进[富矿精开]{term=fukuang-jingkai}，发展[富矿精开]{term=fukuang-jingkai}，产能60GWh。

{speaker=tian-wei}
继续推进[富矿精开]{term=fukuang-jingkai}。

{speaker=moderator}
[主持人]{.speaker}：还有什么？

{speaker=tian-wei}
[田蔚]{.speaker}：还有[富矿精开]{term=fukuang-jingkai}。
::::

:::: piece editors-note
## 话

> 要推进[富矿精开]{term=fukuang-jingkai}。
>
> {.attribution}
> ——某人
::::
"""


def test_each_section_marks_a_term_once_and_only_marks_take_a_tab_stop(tmp_path: Path) -> None:
    soup, index = render(HANS, tmp_path, ROUNDTABLE)
    terms = soup.select("a.term")
    # sections: the round-table piece (its questions do not start sections), the second piece
    assert [("fs" in t["class"], "primary" in t["class"]) for t in terms] == [
        (True, True), (False, False), (False, False), (False, False), (False, False), (True, False)]
    assert [t.get("tabindex") for t in terms] == [None, "-1", "-1", "-1", "-1", None]
    assert [o.marked for o in index.occurrences] == [True, False, False, False, False, True]


def test_screen_readers_hear_the_term_and_its_gist_not_the_card(tmp_path: Path) -> None:
    soup, _ = render(HANT, tmp_path, ROUNDTABLE)
    for term in soup.select("a.term"):
        tip = soup.find(id=term["aria-describedby"])
        assert tip["role"] == "tooltip" and tip["aria-label"] == "富礦精開：貴州推進礦產資源精細開發。"
        assert all(a.get("tabindex") == "-1" for a in tip.select("a")), "the card's links are no Tab stops"


def test_turns_say_who_speaks_and_questions_stand_apart(tmp_path: Path) -> None:
    soup, index = render(HANT, tmp_path, ROUNDTABLE)
    turns = soup.select("p.turn")
    assert ["question" in t["class"] for t in turns] == [True, False, False, True, False]
    assert [t.get("data-who") for t in turns] == [None, None, "田蔚", None, None]
    assert [t.select_one(".speaker").text if t.select_one(".speaker") else None for t in turns] == \
        ["主持人", "田蔚", None, "主持人", "田蔚"]
    assert [(e.kind, e.anchor, e.text) for e in index.toc] == [
        ("piece", "roundtable", ""), ("question", "p1", "如何推进富矿精开？"), ("answer", "p2", ""),
        ("question", "p4", "还有什么？"), ("answer", "p5", ""), ("piece", "editors-note", "")]


def test_a_quotation_is_labelled_as_one(tmp_path: Path) -> None:
    soup, _ = render(HANT, tmp_path, ROUNDTABLE)
    figure = soup.select_one("#editors-note figure.quotation")
    assert figure.figcaption.text == "引文" and figure.blockquote.select_one(".attribution")


def test_numbers_are_drawn_not_written_and_latin_runs_are_kept_whole(tmp_path: Path) -> None:
    soup, _ = render(HANS, tmp_path, ROUNDTABLE)
    pnum = soup.select_one("#p2 a.pnum")
    assert pnum.text == "" and pnum["data-n"] == "2" and pnum["aria-label"] == "第2段"
    assert [s.text for s in soup.select("#p2 .lat")] == ["60GWh"]
    assert soup.select_one("#p2").text.endswith("产能60GWh。")


def test_another_written_form_of_a_term_carries_its_own_pinyin(tmp_path: Path) -> None:
    glossary = dict(GLOSSARY)
    glossary["fukuang-jingkai"] = Entry("fukuang-jingkai", "富矿精开", "fù kuàng jīng kāi", "refined development",
                                        "贵州推进矿产资源精细开发。", "工程与政策", 1, aliases=("精开",))
    md = make_parser()
    tokens = md.parse("推进[精开]{term=fukuang-jingkai}和[富矿精开]{term=fukuang-jingkai}。\n")
    annotate(tokens)
    ctx = RenderContext(converter=Converter(HANS, {}, tmp_path), glossary=glossary, glossary_href="g.html",
                        participants={}, pieces={}, title="", strings=dict(UI))
    soup = BeautifulSoup(ReaderRenderer(md).render(tokens, md.options, {"ctx": ctx}), "html.parser")
    assert [t.get("data-py") for t in soup.select("a.term")] == ["jīng kāi", None]
