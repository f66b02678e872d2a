"""Block rules: what kind of thing each block of a page extraction is."""
from __future__ import annotations

import pytest

from policyreader.ingest.blocks import classify, is_headline, is_terminated, parse_credit, split_blocks


def kinds(text: str) -> list[str]:
    return [b.kind for b in classify(split_blocks(text))]


def test_blocks_are_split_on_blank_lines_with_line_numbers() -> None:
    blocks = split_blocks("\n\n　　第一段。\n\n第二段\n续行。  \n\n\n第三段。")
    assert [(b.text, b.line) for b in blocks] == [("第一段。", 3), ("第二段续行。", 5), ("第三段。", 9)]


def test_latin_words_keep_a_space_when_lines_are_joined() -> None:
    assert split_blocks("采用 AI\nmodel 训练。")[0].text == "采用 AI model 训练。"


@pytest.mark.parametrize("text, done", [
    ("推进工作。", True), ("他说：“好。”", True), ("如下：", True), ("真的吗？", True),
    ("省略……", True), ("技术创新转", False), ("推进“电动贵州”", False), ("增长**11.7%**", False),
    ("项目实行", False),
])
def test_sentence_end(text: str, done: bool) -> None:
    assert is_terminated(text) is done


def test_credit_parsing() -> None:
    assert parse_credit("贵州日报天眼新闻记者 盛亚亿 摄") == {
        "org": "贵州日报天眼新闻", "role": "记者", "names": ["盛亚亿"], "photo": True}
    assert parse_credit("本报记者 张三 李四")["names"] == ["张三", "李四"]
    assert parse_credit("记者 王五摄")["photo"] is True
    assert parse_credit("今天记者来到现场采访了很多人。") is None


def test_photo_caption_with_credit_on_its_own_line() -> None:
    block = classify(split_blocks("工人在车间操作机床。\n本报记者 张三 摄"))[0]
    assert block.kind == "caption"
    assert block.data["description"] == "工人在车间操作机床。"
    assert block.data["credit"] == "本报记者 张三 摄"


def test_caption_with_credit_at_end_of_line_without_she() -> None:
    block = classify(split_blocks("车间内一派忙碌的生产景象。贵州日报记者 杨涛"))[0]
    assert block.kind == "caption" and block.data["names"] == ["杨涛"]


def test_bylines_reporter_organisation_and_author_after_headline() -> None:
    text = "本报记者 张三 李四\n\n贵州日报理论周刊编辑部\n\n筑牢经济“压舱石”\n\n王小明\n\n正文。"
    assert kinds(text) == ["byline", "byline", "headline", "byline", "para"]


def test_a_bare_name_is_only_a_byline_right_after_a_headline() -> None:
    assert kinds("正文第一段。\n\n王小明\n\n正文第二段。") == ["para", "headline", "para"]


def test_guest_list_entries_follow_the_guest_label() -> None:
    blocks = classify(split_blocks("嘉宾：张三 某大学教授\n\n李四 某研究院院长\n\n某报编辑部"))
    assert [b.kind for b in blocks] == ["guests", "guest", "byline"]
    assert blocks[0].data["entries"] == [{"name": "张三", "position": "某大学教授"}]
    assert blocks[1].data == {"name": "李四", "position": "某研究院院长"}


def test_a_name_and_position_outside_a_guest_list_is_a_headline() -> None:
    assert kinds("正文。\n\n李四 某研究院院长") == ["para", "headline"]


@pytest.mark.parametrize("text, kind", [
    ("编者按", "label"), ("数据", "label"), ("大事记：", "label"),
    ("扫码观看\n《某某》\n微视频", "promo"), ("——2025年3月17日，某某强调", "attribution"),
    ("● 2021年3月2日，会议召开。", "item"), ("## 小标题", "heading"), ("# 大标题", "heading"),
    ("做实重大项目 做大产业规模", "headline"), ("这是一个很长的正文段落，" * 4, "para"),
])
def test_single_block_kinds(text: str, kind: str) -> None:
    assert kinds(text) == [kind]


def test_editors_note_label_with_text_on_the_same_line() -> None:
    block = classify(split_blocks("编者按：今天我们讨论产业发展。"))[0]
    assert block.kind == "label" and block.data == {"label": "编者按", "rest": "今天我们讨论产业发展。"}


def test_headline_rules() -> None:
    assert is_headline("突出创新驱动 发展量质齐升", ["x"])
    assert not is_headline("突出创新驱动。", ["x"])
    assert not is_headline("甲" * 40, ["x"])
    assert not is_headline("两行", ["a", "b"])
