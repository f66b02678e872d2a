"""The Markdown writer: escaping, bold, spans and blocks survive a real markdown-it-py parse."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policyreader.markdown.parser import make_parser, split_front_matter
from policyreader.ingest.document import (Caption, Document, Heading, Paragraph, Piece, Quote, Run,
                                          Timeline, TimelineItem)
from policyreader.ingest.markdown import digest, inline, write_markdown

MD = make_parser()


def inline_tokens(markdown: str):
    blocks = [t for t in MD.parse(markdown) if t.type == "inline"]
    assert len(blocks) == 1, markdown
    return blocks[0].children


def plain(markdown: str) -> str:
    return "".join(t.content for t in inline_tokens(markdown) if t.type in ("text", "code_inline"))


PIECES = list("推进富矿精开，。“”《》*_[]{}<>&#\\`!+-=:|~1.)") + [" ", "&amp;", "1. ", "# ", "**", ":::"]
TRICKY = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_any_text_comes_back_literally(text: str) -> None:
    assert plain(inline([Run(text)])) == text


@settings(max_examples=200, deadline=None)
@given(TRICKY, TRICKY, TRICKY)
def test_bold_always_parses_as_bold_whatever_its_neighbours(before: str, bold: str, after: str) -> None:
    markdown = inline([Run(before), Run(bold, "bold"), Run(after)])
    tokens = inline_tokens(markdown)
    opened = [t for t in tokens if t.type == "strong_open" or (t.type == "span_open" and t.attrGet("class") == "bold")]
    assert len(opened) == 1, markdown
    assert plain(markdown) == before + bold + after


def test_bold_next_to_cjk_punctuation_falls_back_to_a_span() -> None:
    assert inline([Run("增长"), Run("11.7%", "bold"), Run("，")]) == "增长**11.7%**，"
    assert inline([Run("保持"), Run("80%", "bold"), Run("左右")]) == "保持[80%]{.bold}左右"


def test_term_speaker_and_date_spans_carry_their_attributes() -> None:
    markdown = inline([Run("田蔚", "speaker"), Run("：推进"), Run("富矿精开", "term", "fukuang-jingkai"), Run("。")])
    assert markdown == "[田蔚]{.speaker}：推进[富矿精开]{term=fukuang-jingkai}。"
    spans = [t for t in inline_tokens(markdown) if t.type == "span_open"]
    assert [dict(t.attrs) for t in spans] == [{"class": "speaker"}, {"term": "fukuang-jingkai"}]


def document() -> Document:
    para = Paragraph([Run("张三", "speaker"), Run("：说。")], 3, speaker="zhang-san")
    quote = Quote([Paragraph([Run("引文。")], 5)], Paragraph([Run("——某某强调")], 7, role="attribution"))
    piece = Piece("roundtable", "roundtable", "标题", 1, 9, blocks=[
        Heading("小标题", 2), para, quote, Caption([Run("图说。")], "本报记者 王五 摄", 8),
        Paragraph([Run("说到一半")], 9, speaker="zhang-san", truncated=True)])
    timeline = Piece("timeline", "timeline", "大事记", 10, 12, label="大事记", blocks=[
        Timeline([TimelineItem("2021年3月2日", [Run("，会议召开。")], 11)])])
    return Document("标题", "biao-ti", None, None, "某报", [piece, timeline], [], [], 9)


def test_blocks_become_the_documented_structure() -> None:
    text = write_markdown(document(), {}, "# header\n")
    meta, body, _ = split_front_matter(text, "t.md")
    assert meta["title"] == "标题" and [p["id"] for p in meta["pieces"]] == ["roundtable", "timeline"]
    tokens = MD.parse(body)
    types = [t.type for t in tokens if t.nesting >= 0 and t.type != "inline"]
    assert types.count("container_piece_open") == 2
    assert "container_caption_open" in types and "blockquote_open" in types and "bullet_list_open" in types
    paragraphs = [t for t in tokens if t.type == "paragraph_open"]
    assert paragraphs[0].attrGet("speaker") == "zhang-san"
    assert any(t.attrGet("class") == "attribution" for t in paragraphs)
    assert any(t.attrGet("class") == "truncated" for t in paragraphs)
    assert [t.info.strip() for t in tokens if t.type == "container_piece_open"] == ["piece roundtable", "piece timeline"]


def test_digest_detects_any_change() -> None:
    text = write_markdown(document(), {}, "")
    assert f"digest: {digest(text)}" in text
    edited = text.replace("引文。", "引文！")
    assert digest(edited) != digest(text)
