"""Block rules: what kind of thing each block of a page extraction is."""
from __future__ import annotations

import pytest

from policyreader.ingest.blocks import (Credit, Guest, classify, heading_text, is_headline, is_terminated, parse_credit,
                                        parse_dateline, parse_number, split_blocks)
from policyreader.ingest.structure import read_structure


def kinds(text: str) -> list[str]:
    return [b.kind for b in classify(split_blocks(text))]


def test_every_line_is_a_unit_with_its_line_number() -> None:
    # Lines are units: a short line over another is not glued to it without evidence of a break.
    units = split_blocks("\n\n　　第一段。\n\n第二段\n续行。  \n\n\n第三段。")
    assert [(u.text, u.line, u.indent) for u in units] == [("第一段。", 3, True), ("第二段", 5, False),
                                                          ("续行。", 6, False), ("第三段。", 9, False)]


def test_hard_wrapped_lines_are_one_paragraph_and_latin_words_keep_a_space() -> None:
    first = "各地要采用先进技术推动产业升级，加快培育新质生产力，推动传统产业向高端化、智能化、绿色化方向发展，全面提升 AI model 训练水平。"
    second = "各有关部门要加强协调配合，形成工作合力。"
    lines = ["各地要采用先进技术推动产业升级，加快培育", "新质生产力，推动传统产业向高端化、智能化", "、绿色化方向发展，全面提升 AI", "model 训练水平。"]
    assert "".join(lines).replace("AImodel", "AI model") == first
    text = "　　" + "\n".join(lines) + "\n　　" + second
    assert [u.text for u in split_blocks(text)] == [first, second]
    assert split_blocks("采用 AI\nmodel 训练。")[0].text == "采用 AI"      # two lines: no wrap, no evidence


@pytest.mark.parametrize("text, done", [
    ("推进工作。", True), ("他说：“好。”", True), ("如下：", True), ("真的吗？", True),
    ("避免同质化竞争。（农业农村部按职责分工负责）", True), ("（此件公开发布）", True), ("落实《指引》（2025年版）", False),
    ("省略……", True), ("技术创新转", False), ("推进“电动贵州”", False), ("增长**11.7%**", False),
    ("项目实行", False), ("人民共同的期盼。①", True), ("他说：“好。”②", True), ("约319万平方公里③", False),
])
def test_sentence_end(text: str, done: bool) -> None:
    assert is_terminated(text) is done


def test_credit_parsing() -> None:
    assert parse_credit("贵州日报天眼新闻记者 盛亚亿 摄") == Credit("贵州日报天眼新闻", "记者", ["盛亚亿"], True)
    assert parse_credit("本报记者 张三 李四").names == ["张三", "李四"]
    assert parse_credit("记者 王五摄").photo is True
    assert parse_credit("本报记者 刘洋 通讯员 赵敏").names == ["刘洋", "赵敏"]
    assert parse_credit("新华社记者 张三、李四").names == ["张三", "李四"]
    assert parse_credit("今天记者来到现场采访了很多人。") is None


def test_datelines() -> None:
    dateline = parse_dateline("新华社北京8月24日电（记者 张三 李四）国务院总理主持召开会议。")
    assert (dateline.text, dateline.org, dateline.names) == ("新华社北京8月24日电（记者 张三 李四）", "新华社", ["张三", "李四"])
    assert parse_dateline("本报讯　连日来，各地抢抓农时。").text == "本报讯"
    assert parse_dateline("本报贵阳1月5日讯 记者从省统计局获悉").org == "本报"
    assert parse_dateline("据新华社报道，会议召开。") is None


@pytest.mark.parametrize("text, style, value, lead", [
    ("一、总体要求", "cn", 1, ""), ("（十二）强化保障", "cn-paren", 12, ""), ("(三)加强协调", "cn-paren", 3, ""),
    ("1.指导思想。以习近平新时代中国特色社会主义思想为指导。", "num", 1, "1.指导思想。"),
    ("（2）开展试点。各地要积极探索。", "num-paren", 2, "（2）开展试点。"), ("第二十一条 本办法自发布之日起施行。", "article", 21, ""),
    ("②完善机制", "circled", 2, ""),
])
def test_numbering(text: str, style: str, value: int, lead: str) -> None:
    number = parse_number(text)
    assert (number.style, number.value, number.lead) == (style, value, lead)


@pytest.mark.parametrize("text", ["1.5万亿元资金已下达。", "2021年前三季度", "一是加强统筹。", "10月18日，农民收获玉米。"])
def test_not_numbering(text: str) -> None:
    assert parse_number(text) is None


def test_photo_caption_with_credit_on_its_own_line() -> None:
    block = classify(split_blocks("工人在车间操作机床。\n本报记者 张三 摄"))[0]
    assert block.kind == "caption"
    assert block.caption.description == "工人在车间操作机床。"
    assert block.caption.credit == "本报记者 张三 摄"


@pytest.mark.parametrize("text, description, credit", [
    ("农民驾驶收割机收获玉米。（新华社记者 李安 摄）", "农民驾驶收割机收获玉米。", "（新华社记者 李安 摄）"),
    ("科研人员调试中试设备。新华社记者 季春鹏 摄", "科研人员调试中试设备。", "新华社记者 季春鹏 摄"),
    ("图为新建成的产业园区。", "图为新建成的产业园区。", ""),
])
def test_captions_with_credits_in_print(text: str, description: str, credit: str) -> None:
    unit = classify(split_blocks(text))[0]
    assert unit.kind == "caption" and (unit.caption.description, unit.caption.credit) == (description, credit)


def test_caption_with_credit_at_end_of_line_without_she() -> None:
    block = classify(split_blocks("车间内一派忙碌的生产景象。贵州日报记者 杨涛"))[0]
    assert block.kind == "caption" and block.caption.names == ["杨涛"]


def test_bylines_reporter_organisation_and_author_after_headline() -> None:
    text = "本报记者 张三 李四\n\n贵州日报理论周刊编辑部\n\n筑牢经济“压舱石”\n\n王小明\n\n正文。"
    assert kinds(text) == ["byline", "byline", "headline", "byline", "para"]


def test_a_bare_name_is_only_a_byline_right_after_a_headline() -> None:
    assert kinds("正文第一段。\n\n王小明\n\n正文第二段。") == ["para", "headline", "para"]


def test_guest_list_entries_follow_the_guest_label() -> None:
    blocks = classify(split_blocks("嘉宾：张三 某大学教授\n\n李四 某研究院院长\n\n某报编辑部"))
    assert [b.kind for b in blocks] == ["guests", "guest", "byline"]
    assert blocks[0].guests == [Guest("张三", "某大学教授")]
    assert blocks[1].guests == [Guest("李四", "某研究院院长")]


def test_a_name_and_position_outside_a_guest_list_is_a_headline() -> None:
    assert kinds("正文。\n\n李四 某研究院院长") == ["para", "headline"]


@pytest.mark.parametrize("text, kind", [
    ("编者按", "label"), ("数据", "label"), ("大事记：", "label"),
    ("扫码观看\n《某某》\n微视频", "promo"), ("——2025年3月17日，某某强调", "dash"),
    ("国发〔2024〕5号", "docno"), ("黔府办发[2021]17号", "docno"), ("新华社北京8月24日电", "dateline"),
    ("（讲话全文见第二版）", "xref"), ("（下转第三版）", "xref"), ("（国家发展改革委牵头，各有关部门按职责分工负责）", "resp"),
    ("（作者系中共中央党校教授）", "author-note"), ("（此件公开发布）", "pubnote"), ("2025年9月18日", "date"),
    ("二〇二五年九月十八日", "date"), ("一、总体要求", "numbered"), ("（三）做强主导产业", "numbered"),
    ("本报评论员", "byline"), ("□ 张小明", "byline"), ("（责任编辑：王五）", "staff"),
    ("● 2021年3月2日，会议召开。", "item"), ("## 小标题", "heading"), ("# 大标题", "heading"),
    ("做实重大项目 做大产业规模", "headline"), ("这是一个很长的正文段落，" * 4, "para"),
])
def test_single_block_kinds(text: str, kind: str) -> None:
    assert kinds(text) == [kind]


def test_editors_note_label_with_text_on_the_same_line() -> None:
    block = classify(split_blocks("编者按：今天我们讨论产业发展。"))[0]
    assert block.kind == "label" and (block.label, block.rest) == ("编者按", "今天我们讨论产业发展。")


def test_headline_rules() -> None:
    assert is_headline("突出创新驱动 发展量质齐升", ["x"])
    assert not is_headline("突出创新驱动。", ["x"])
    assert not is_headline("甲" * 40, ["x"])
    assert not is_headline("两行", ["a", "b"])


def kinds_in_context(text: str) -> list[str]:
    return [u.kind for u in read_structure(classify(split_blocks(text)))]


def test_dash_lines_by_context() -> None:
    # Under a title a dash line is a subtitle; several in a row are key points; after a
    # quotation it is the attribution.
    assert kinds_in_context("让更多成果走出实验室\n——访科学技术部有关负责人\n\n新华社记者 周明")[:2] == ["title", "subtitle"]
    assert kinds_in_context("全国秋粮收获过七成\n\n——机收率达到八成\n——烘干能力增加一成\n\n新华社北京10月20日电（记者 王立）正文。")[1:3] \
        == ["keypoint", "keypoint"]
    assert kinds_in_context("“一分部署，九分落实。”\n\n——引自某书")[1] == "attribution"


def test_a_title_printed_over_two_lines_and_a_closing_block() -> None:
    text = ("国务院关于推动某某产业高质量发展\n奋力开创新局面的意见\n\n国发〔2025〕3号\n\n各省、自治区、直辖市人民政府：\n\n"
            "现提出如下意见。\n\n国务院\n\n2025年1月8日\n\n（此件公开发布）")
    assert kinds_in_context(text) == ["title", "title", "docno", "salutation", "para", "closing", "closing", "closing"]


@pytest.mark.parametrize("text, read", [
    ("第一章　总　　则", "第一章 总则"), ("目　　录", "目录"), ("政　府　工　作　报　告", "政府工作报告"),
    ("春耕备耕忙　田间农事兴", "春耕备耕忙 田间农事兴"), ("第二章　　数字基础设施", "第二章 数字基础设施"),
    ("推动 5G 网络建设", "推动 5G 网络建设"), ("A 股　市场", "A 股 市场"), ("一、总体要求", "一、总体要求"),
])
def test_a_headings_justifying_spaces_are_dropped_and_other_spaces_are_one(text: str, read: str) -> None:
    assert heading_text(text) == read


@pytest.mark.parametrize("text, box", [("专栏1　县域产业融合重点工程", True), ("专栏：先进制造业重点工程", True), ("专栏二 主要指标", True),
                                       ("专栏作家张三认为经济平稳", False), ("专栏1　重点工程建设加快推进。", False)])
def test_a_box_title_needs_its_number_or_colon(text: str, box: bool) -> None:
    assert (kinds(text) == ["box-title"]) is box


@pytest.mark.parametrize("text, style", [("第一篇　开启现代化建设新征程", "part"), ("第二部分：重点任务", "part"),
                                         ("第一篇文章发表于2024年。", None), ("第一部分内容已完成，第二部分正在推进。", None)])
def test_a_parts_number_stands_apart_from_its_title(text: str, style: str | None) -> None:
    number = parse_number(text)
    assert (number.style if number else None) == style
