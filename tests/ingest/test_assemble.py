"""Recovering articles from made-up page extractions: joins, speakers, pieces, truncation."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.errors import BuildError, Report
from policyreader.ingest.assemble import assemble, inline_runs, join_title, paragraphs_of
from policyreader.ingest.blocks import classify, split_blocks
from policyreader.ingest.document import Caption, Heading, Paragraph, Quote, Timeline
from policyreader.sources.seeds import Seed, Sidecar


def recover(text: str, order: tuple[str, ...] = (), title: str | None = None):
    sidecar = Sidecar(path=None, sha256=None, title=title, order=order)
    seed = Seed(path=Path("seeds/t.txt"), shown="seeds/t.txt", sidecar_shown="seeds/t.yaml",
                sha256="0", encoding="utf-8", text=text, sidecar=sidecar, fixes=())
    report = Report()
    return assemble(seed, report), report


def paragraphs(doc) -> list[Paragraph]:
    return [b for piece in doc.pieces for b in piece.blocks if isinstance(b, Paragraph)]


LONG = "加快科技创新和产业创新深度融合步伐，激发产学研各类要素有效整合，引领产业焕新。着力推动技术创新转"


def test_column_break_is_joined_and_recorded_with_its_evidence() -> None:
    doc, report = recover(f"{LONG}\n\n化和产业化，加快建设特色科技强省。\n\n下一段。")
    assert [p.text for p in paragraphs(doc)] == [LONG + "化和产业化，加快建设特色科技强省。", "下一段。"]
    assert [(j.line, j.continued_at, j.skipped) for j in doc.joins] == [(1, 3, [])]
    assert "a sentence ends inside it" in doc.joins[0].why and report.warnings == []


def test_a_short_line_without_a_cut_is_never_glued_to_the_next() -> None:
    # Key points, sub-heads with a comma, headings: complete lines without final punctuation.
    text = "坚持稳中求进，推动高质量发展\n\n今年以来，各地认真贯彻落实中央决策部署。\n\n经济运行总体平稳\n\n就业形势保持稳定"
    doc, report = recover(text)
    texts = [b.text if isinstance(b, Heading) else b.text if isinstance(b, Paragraph) else [i.text for i in b.items]
             for b in doc.pieces[0].blocks]
    assert texts == ["今年以来，各地认真贯彻落实中央决策部署。", ["经济运行总体平稳", "就业形势保持稳定"]]
    assert doc.title == "坚持稳中求进，推动高质量发展" and doc.joins == [] and report.warnings == []


def test_weak_evidence_keeps_lines_apart_and_names_them() -> None:
    text = "各地区各部门要加强组织领导，推动各项任务落地见效，确保取得实\n\n效，以工作实效取信于民。"
    doc, report = recover(text)
    assert len(paragraphs(doc)) == 2 and doc.joins == []
    assert [(k.line, k.next_line) for k in doc.kept_apart] == [(1, 3)]
    assert report.warnings[0].line == 1 and "line 3 may continue it" in report.warnings[0].message


def test_join_skips_a_guest_list_and_byline_dropped_between_the_halves() -> None:
    answer = "张三：要创新供应链金融产品，设立政策性担保风险池和专项担保基金，建立风险共担机制，拓宽融资渠道，为企"
    text = (f"主持人：如何破解融资难题？\n\n{answer}\n\n嘉宾：张三 某局局长\n\n李四 某院教授\n\n"
            "某报理论周刊编辑部\n\n业提供金融支持。\n\n继续回答。")
    doc, _ = recover(text)
    texts = [p.text for p in paragraphs(doc)]
    assert texts == ["主持人：如何破解融资难题？", answer + "业提供金融支持。", "继续回答。"]
    assert [p.speaker for p in paragraphs(doc)] == ["moderator", "zhang-san", "zhang-san"]
    assert doc.pieces[0].bylines[0].text == "某报理论周刊编辑部"
    assert doc.joins[0].skipped == [5, 7, 9]


def test_join_skips_another_pieces_headline_and_byline() -> None:
    lead = "抓主导产业壮大产业集群、抓龙头企业强化示范引领，贵州工业规模总量不断扩大、产业结构不断优化、项目贡献更加突"
    text = f"{lead}\n\n筑牢经济“压舱石”\n\n王小明\n\n出、成效明显。\n\n评论正文。"
    doc, _ = recover(text)
    first, commentary = doc.pieces
    assert [p.text for p in first.blocks] == [lead + "出、成效明显。"]
    assert (first.kind, commentary.kind, commentary.title) == ("lead", "commentary", "筑牢经济“压舱石”")
    assert [p.text for p in commentary.blocks] == ["评论正文。"]
    assert commentary.bylines[0].names == ["王小明"]


def test_a_headline_dropped_in_a_break_starts_its_piece_at_its_own_dateline() -> None:
    # The news agency's report keeps its paragraphs up to the other piece's 本报讯: none of them
    # is credited to the other piece's reporters.
    text = ("秋粮收获过七成\n\n新华社北京10月20日电（记者 王立新）记者从农业农村部获悉，全国秋粮收获进度快于上年同期，各地组织农机跨区作业，"
            "最大限度减少\n\n抢抓晴好天气 确保颗粒归仓\n\n本报记者 刘洋\n\n因灾损失。\n\n下一步将加强调度指导。\n\n"
            "本报讯　连日来，我省各地加快秋粮收获进度。")
    doc, _ = recover(text)
    report, local = doc.pieces
    assert [p.text[-6:] for p in paragraphs_of(report)] == ["减少因灾损失。"[-6:], "加强调度指导。"[-6:]]
    assert [b.names for b in report.bylines] == [["王立新"]] and [b.names for b in local.bylines] == [["刘洋"]]
    assert [p.text for p in paragraphs_of(local)] == ["本报讯连日来，我省各地加快秋粮收获进度。"]
    assert local.body_from == 13


def test_a_turn_never_continues_a_broken_paragraph() -> None:
    question = "主持人：近年来各地大抓项目，涌现了一批百亿级重大项目，如何通过政策设计实现重大项目顶天立地、小项目铺天盖地的"
    doc, report = recover(f"{question}\n\n张三：回答。\n\n嘉宾：张三 教授")
    first = paragraphs(doc)[0]
    assert first.text == question and not first.truncated       # not the last text: never marked
    assert "what follows cannot continue it" in report.warnings[0].message


def test_text_cut_off_at_the_end_is_marked_truncated_without_a_warning() -> None:
    cut = "第二段说，要设立民间资本“绿色通道”，对低空物流、无人机制造、磷煤化工智能化改造等项目实行"
    doc, report = recover(f"第一段。\n\n{cut}\n\n扫码观看视频")
    assert paragraphs(doc)[-1].truncated
    assert doc.truncated_line == 3
    assert report.warnings == []
    assert [(x.line, x.kind) for x in doc.leftovers] == [(5, "promo")]


def test_a_short_last_line_is_not_marked_as_breaking_off() -> None:
    doc, _ = recover("第一段写完了。\n\n本报记者 张三 综合报道\n\n全文完")
    assert doc.truncated_line is None and not any(p.truncated for p in paragraphs(doc))


def test_unlabelled_paragraphs_continue_the_current_speaker_and_positions_come_from_guests() -> None:
    text = ("主持人：第一问？\n\n李四：答一。\n\n补充一。\n\n主持人：第二问？\n\n张三：答二。\n\n"
            "嘉宾：张三 某局局长\n\n李四 某院教授")
    doc, _ = recover(text)
    assert [p.speaker for p in paragraphs(doc)] == ["moderator", "li-si", "li-si", "moderator", "zhang-san"]
    positions = {p.name: p.position for p in doc.participants}
    assert positions == {"主持人": None, "张三": "某局局长", "李四": "某院教授"}
    assert doc.pieces[0].kind == "roundtable"
    assert [r.kind for r in paragraphs(doc)[1].runs][:1] == ["speaker"]


def test_a_short_unpunctuated_line_is_a_headline_not_a_broken_paragraph() -> None:
    doc, _ = recover("正文。\n\n小标题一\n\n后文。")
    assert [type(b) for b in doc.pieces[0].blocks] == [Paragraph, Heading, Paragraph]


def test_colon_after_an_unknown_name_is_not_a_turn() -> None:
    doc, _ = recover("主持人：问？\n\n一方面：要加强。\n\n嘉宾：张三 教授")
    assert paragraphs(doc)[1].runs[0].kind == "text"
    assert paragraphs(doc)[1].speaker == "moderator"  # continues the moderator


def test_editors_note_quotes_keep_their_attributions() -> None:
    doc, _ = recover("## 总书记的话\n\n编者按\n\n要推动高质量发展。\n\n——2026年1月20日，某某强调\n\n# 正文标题\n\n正文。")
    note, main = doc.pieces
    assert (note.kind, note.title, note.label) == ("editors-note", "总书记的话", "编者按")
    quote = note.blocks[1]
    assert isinstance(quote, Quote)
    assert quote.paragraphs[0].text == "要推动高质量发展。"
    assert quote.attribution.text == "——2026年1月20日，某某强调"
    assert main.title == doc.title == "正文标题"


def test_page_with_several_pieces_in_reading_order() -> None:
    text = ("照片说明文字。\n本报记者 张三 摄\n\n导语。\n\n评论标题\n\n王五\n\n评论正文。\n\n数据\n\n"
            "前三季度态势\n\n增长**11.7%**。\n\n大事记\n\n● 2021年3月2日，会议召开。\n\n"
            "● 2021年3月中下旬，文件印发。\n\n报道标题\n\n本报记者 张三 李四\n\n报道正文。\n\n小标题 二\n\n更多正文。")
    doc, _ = recover(text)
    assert [p.kind for p in doc.pieces] == ["lead", "report", "commentary", "data", "timeline"]
    lead, report, commentary, data, timeline = doc.pieces
    assert isinstance(lead.blocks[0], Caption) and lead.blocks[0].credit == "本报记者 张三 摄"
    assert [type(b) for b in report.blocks] == [Paragraph, Heading, Paragraph]
    assert report.bylines[0].names == ["张三", "李四"]
    assert isinstance(data.blocks[0], Heading) and data.blocks[0].text == "前三季度态势"
    assert [r.kind for r in data.blocks[1].runs] == ["text", "bold", "text"]
    items = timeline.blocks[0]
    assert isinstance(items, Timeline)
    assert [i.date for i in items.items] == ["2021年3月2日", "2021年3月中下旬"]
    assert doc.title == "报道标题"  # no sidecar title, no "#" heading: first titled piece read


def test_sidecar_order_overrides_reading_order() -> None:
    text = "导语。\n\n数据\n\n增长。\n\n大事记\n\n● 2021年3月2日，会议召开。"
    doc, _ = recover(text, order=("timeline", "data"))
    assert [p.id for p in doc.pieces] == ["timeline", "data", "lead"]
    with pytest.raises(BuildError, match="order names piece 'nope'"):
        recover(text, order=("nope",))


def test_bold_runs() -> None:
    runs = inline_runs("增长**11.7%**，第**12**位")
    assert [(r.text, r.kind) for r in runs] == [("增长", "text"), ("11.7%", "bold"), ("，第", "text"),
                                                ("12", "bold"), ("位", "text")]


BODY = "前三季度，各地区各部门坚持稳中求进工作总基调，国民经济运行总体平稳、稳中有进，高质量发展取得新成效。"


@pytest.mark.parametrize("issuer", ["国家统计局", "国家发展改革委", "贵州省人民政府办公厅", "中国人民银行", "国务院新闻办公室",
                                    "贵阳市统计局", "国家数据局", "中央网信办", "国家卫生健康委员会", "财政部", "工业和信息化部",
                                    "农业农村部办公厅"])
@pytest.mark.parametrize("title", [["2025年前三季度国民经济运行总体平稳"], ["坚持稳中求进", "推动经济持续回升向好"]])
def test_an_issuing_body_under_the_title_is_its_byline_not_a_line_of_the_title(issuer: str, title: list[str]) -> None:
    # Agencies print their name on its own line between a release's title and its text.
    doc, report = recover("\n\n".join([*title, issuer, BODY, "一、农业生产形势稳定", BODY]))
    assert doc.title == join_title(title)
    assert [(b.text, b.role) for b in doc.pieces[0].bylines] == [(issuer, "organisation")]
    assert [b.text for b in doc.pieces[0].blocks if isinstance(b, Paragraph)] == [BODY, BODY]


@pytest.mark.parametrize("title", [["坚持总体国家安全观", "塑造国家安全新格局"], ["加快建设全国统一大市场", "推动形成新发展格局"],
                                   ["擦亮中国西部", "这张发展名片"], ["贵州全面开启", "中国式现代化新局"], ["奋力开创", "贵州高质量发展全局"],
                                   ["加快构建", "国家安全新格局"], ["深化改革", "激活中国西部"]])
def test_a_title_line_ending_like_an_office_stays_in_the_title(title: list[str]) -> None:
    doc, _ = recover("\n\n".join([*title, BODY]))
    assert doc.title == join_title(title) and doc.pieces[0].bylines == []


def test_numbered_lines_a_colon_introduces_are_its_items_and_others_head_sections() -> None:
    notes = ["1.本公报中数据均为初步统计数。", "2.部分数据因四舍五入的原因，存在总计与分项合计不等的情况。"]
    text = "\n\n".join(["国民经济运行总体平稳", BODY, "一、总体要求", "1.加强组织领导。", BODY, "注释：", *notes, BODY])
    doc, _ = recover(text)
    blocks = doc.pieces[0].blocks
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")] == [notes]
    assert [b.text for b in blocks if isinstance(b, Heading)] == ["一、总体要求", "1.加强组织领导。"]


def test_a_desk_closing_a_page_does_not_make_the_line_above_it_a_title() -> None:
    text = "\n\n".join(["坚持稳中求进", BODY, BODY, "做实重大项目 做大产业规模", "贵州日报理论周刊编辑部"])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["坚持稳中求进"]
    assert isinstance(doc.pieces[0].blocks[-1], Heading) and doc.pieces[0].blocks[-1].text == "做实重大项目 做大产业规模"


def test_bodies_signing_a_document_over_its_date_stay_its_closing() -> None:
    text = "\n\n".join(["关于推进算力基础设施高质量发展的通知", BODY, "国家发展改革委", "国家能源局", "2025年9月18日"])
    doc, _ = recover(text)
    closing = [b for b in doc.pieces[0].blocks if hasattr(b, "lines") and not isinstance(b, Paragraph)]
    assert [[line.text for line in b.lines] for b in closing] == [["国家发展改革委", "国家能源局", "2025年9月18日"]]
    assert doc.pieces[0].bylines == [] and len(doc.pieces) == 1


@pytest.mark.parametrize("line, name", [("贵州省省长　李炳军", "李炳军"), ("国家发展改革委主任 郑栅洁", "郑栅洁"),
                                        ("中共贵州省委书记　徐麟", "徐麟")])
def test_a_speaker_named_with_their_office_under_a_speech_is_its_byline(line: str, name: str) -> None:
    # Reports and speeches print who gave them, with the office they hold, under the title.
    text = "\n\n".join(["在全省推进新型工业化大会上的讲话", "——2025年2月18日", line, "同志们：", BODY])
    doc, _ = recover(text)
    assert doc.title == "在全省推进新型工业化大会上的讲话"
    assert [(b.text, b.role, b.names) for b in doc.pieces[0].bylines] == [(line, "author", [name])]
    assert [(b.text, b.role) for b in paragraphs(doc)][-2:] == [("同志们：", "salutation"), (BODY, None)]


def test_a_documents_attachments_are_a_list_and_its_copies_and_print_line_close_it() -> None:
    text = "\n\n".join(["贵州省人民政府办公厅关于印发若干措施的通知", "各市、自治州人民政府，省政府各部门、各直属机构：", BODY,
                        "附件：1.贵州省推进数字经济发展若干措施", "2.重点任务分工表", "贵州省人民政府办公厅", "二〇二五年三月十日",
                        "（此件公开发布）", "抄送：省委办公厅，省人大常委会办公厅，省政协办公厅。",
                        "贵州省人民政府办公厅秘书处　　　　2025年3月11日印发"])
    doc, _ = recover(text)
    blocks = doc.pieces[0].blocks
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")] == [
        ["附件：1.贵州省推进数字经济发展若干措施", "2.重点任务分工表"]]
    assert not [b for b in blocks if isinstance(b, Heading)]
    closing = [[line.text for line in b.lines] for b in blocks if hasattr(b, "lines") and not isinstance(b, Paragraph)]
    assert closing == [["贵州省人民政府办公厅", "二〇二五年三月十日", "（此件公开发布）", "抄送：省委办公厅，省人大常委会办公厅，省政协办公厅。",
                        "贵州省人民政府办公厅秘书处　　　　2025年3月11日印发"]]


@pytest.mark.parametrize("top, bottom", [("来源：新华网　　2025-11-20 10:22:31", "《 人民日报 》（ 2025年11月21日 04 版）"),
                                         ("发布时间：2025-11-20", "《人民日报》（2025年11月21日第4版）")])
def test_a_web_copys_source_line_and_a_papers_edition_line_are_small_print(top: str, bottom: str) -> None:
    # Copies taken from news sites carry them; neither is a title or a heading.
    wire = "新华社贵阳11月20日电（记者 张三、李四）今年以来，贵州坚持“富矿精开”，推动资源优势转化为产业优势。"
    doc, _ = recover("\n\n".join(["贵州：以“富矿精开”推动工业大突破", top, wire, BODY, bottom, "（责编：王五、赵六）"]))
    assert [p.title for p in doc.pieces] == ["贵州：以“富矿精开”推动工业大突破"]
    assert not [b for b in doc.pieces[0].blocks if isinstance(b, Heading)]
    assert [(b.text, b.role) for b in paragraphs(doc) if b.role == "staff"] == [
        (top, "staff"), (bottom, "staff"), ("（责编：王五、赵六）", "staff")]


def test_a_phone_layouts_section_numbers_head_their_sections_and_its_follow_prompt_is_left_out() -> None:
    text = "\n\n".join(["一图读懂｜贵州“富矿精开”这一年", "点击蓝字 关注我们", "01", "政策体系更加完善", BODY,
                        "02", "产业链条不断延伸", BODY, "12", "页面上的短行", BODY])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["一图读懂｜贵州“富矿精开”这一年"]
    assert [b.text for b in doc.pieces[0].blocks if isinstance(b, Heading)][:2] == ["01 政策体系更加完善", "02 产业链条不断延伸"]
    assert [(left.kind, left.text) for left in doc.leftovers] == [("promo", "点击蓝字 关注我们")]
    assert not [b for b in doc.pieces[0].blocks if isinstance(b, Heading) and b.text.startswith("12 ")]


@pytest.mark.parametrize("own_lines", [True, False])
def test_a_press_conferences_transcript_is_a_round_table_of_host_officials_and_reporters(own_lines: bool) -> None:
    # Transcripts label each turn with the host's name, an official's office and name, or a
    # reporter's outlet, on a line of its own or opening the paragraph.
    turns = [("主持人 寿小丽", "女士们、先生们，大家上午好！欢迎出席新闻发布会。"),
             ("国家发展改革委副主任 赵辰昕", "谢谢主持人。今年以来，我们坚持以科技创新引领产业创新。"),
             ("中央广播电视总台央视记者", "请问下一步在推动东数西算方面有哪些考虑？"),
             ("国家发展改革委副主任 赵辰昕", "谢谢你的提问。我们将进一步优化算力布局。")]
    lines = [part for label, said in turns for part in ([f"{label}：", said] if own_lines else [f"{label}：{said}"])]
    doc, _ = recover("\n\n".join(["国务院新闻办公室举行新闻发布会", *lines]))
    assert [(p.id, p.name, p.role, p.position) for p in doc.participants] == [
        ("moderator", "寿小丽", "主持人", None), ("zhao-chenxin", "赵辰昕", "嘉宾", "国家发展改革委副主任"),
        ("reporter", "中央广播电视总台央视记者", "记者", None)]
    said = [(p.speaker, p.text) for p in paragraphs(doc)]
    assert said == [(speaker, f"{label}：{text}") for (label, text), speaker in
                    zip(turns, ["moderator", "zhao-chenxin", "reporter", "zhao-chenxin"])]
    assert doc.pieces[0].kind == "roundtable"


def test_a_wire_commentarys_dateline_and_title_on_one_line_are_its_title_and_dateline() -> None:
    text = "\n\n".join(["新华社北京11月20日电　题：以“富矿精开”推动贵州高质量发展", "新华社记者　张三　李四", BODY])
    doc, _ = recover(text)
    assert doc.title == "以“富矿精开”推动贵州高质量发展" and [p.title for p in doc.pieces] == [doc.title]
    assert [(p.text, p.role) for p in paragraphs(doc)] == [("新华社北京11月20日电", "dateline"), (BODY, None)]
    assert [b.names for b in doc.pieces[0].bylines] == [["张三", "李四"]]


@pytest.mark.parametrize("note", ["（人民日报评论员）", "（本报评论员）", "（贵州日报理论周刊编辑部）"])
def test_a_desk_in_brackets_closing_a_commentary_is_an_author_note(note: str) -> None:
    doc, _ = recover("\n\n".join(["以高质量发展新成效开创新局面", BODY, note]))
    assert [(p.text, p.role) for p in paragraphs(doc)][-1] == (note, "author-note")


def test_a_laws_articles_are_paragraphs_led_by_their_number_and_its_printed_contents_are_left_out() -> None:
    text = "\n\n".join(["贵州省数字经济促进条例", "（2024年11月28日贵州省第十四届人民代表大会常务委员会第十三次会议通过）",
                        "目　　录", "第一章　总　　则", "第二章　数字基础设施", "第一章　总　　则",
                        "第一条　为了促进数字经济发展，结合本省实际，制定本条例。", "第二条　本条例适用于本省行政区域内的相关活动。",
                        "第二章　数字基础设施", "第三条　县级以上人民政府应当统筹推进算力基础设施建设。另一句。"])
    doc, _ = recover(text)
    blocks = doc.pieces[0].blocks
    assert [(b.text, b.anchor) for b in blocks if isinstance(b, Heading)] == [("第一章 总则", "sec-1"),
                                                                               ("第二章 数字基础设施", "sec-2")]
    articles = [p for p in paragraphs(doc) if p.runs[0].kind == "runin"]
    assert [(p.runs[0].text, p.runs[0].anchor) for p in articles] == [("第一条", "sec-1-1"), ("第二条", "sec-1-2"),
                                                                       ("第三条", "sec-2-3")]
    assert [(left.kind, left.text) for left in doc.leftovers] == [
        ("contents", "目　　录"), ("contents", "第一章　总　　则"), ("contents", "第二章　数字基础设施")]


@pytest.mark.parametrize("title", ["政策问答｜企业如何享受研发费用加计扣除政策？", "“富矿精开”为何是贵州的必答题？"])
def test_a_first_line_that_asks_a_question_is_the_title(title: str) -> None:
    doc, _ = recover("\n\n".join([title, BODY, BODY]))
    assert doc.title == title and [p.title for p in doc.pieces] == [title]
    assert [p.text for p in paragraphs(doc)] == [BODY, BODY]


def test_numbered_questions_are_the_askers_turns_and_the_answers_the_answerers() -> None:
    text = "\n\n".join(["政策问答｜企业如何享受研发费用加计扣除政策？", "1.问：哪些企业可以享受研发费用加计扣除政策？",
                        "答：会计核算健全、能够准确归集研发费用的居民企业，可以享受该政策。", "2.问：加计扣除比例是多少？",
                        "答：按照实际发生额的100%在税前加计扣除。"])
    doc, _ = recover(text)
    turns = [(p.speaker, [r.text for r in p.runs if r.kind in ("runin", "speaker")]) for p in paragraphs(doc)]
    assert turns == [("question", ["1.", "问"]), ("answer", ["答"]), ("question", ["2.", "问"]), ("answer", ["答"])]
    assert [p.role for p in doc.participants] == ["问", "答"]


@pytest.mark.parametrize("date", ["（2025年2月18日）", "（2024年11月28日贵州省第十四届人民代表大会常务委员会第十三次会议通过）"])
def test_a_date_in_brackets_under_a_title_is_the_pieces_printed_date(date: str) -> None:
    # Speeches and laws print when they were given or adopted under the title; the salutation
    # after it still opens the text.
    text = "\n\n".join(["在全省推进新型工业化大会上的讲话", date, "贵州省省长　李炳军", "同志们：", BODY])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["在全省推进新型工业化大会上的讲话"]
    assert [(p.text, p.role) for p in paragraphs(doc)] == [(date, "dateline"), ("同志们：", "salutation"), (BODY, None)]
    assert [b.names for b in doc.pieces[0].bylines] == [["李炳军"]]


def test_a_date_in_a_sentence_stays_text() -> None:
    text = "\n\n".join(["在全省推进新型工业化大会上的讲话", "（2025年2月18日，在贵阳）会议召开。", BODY])
    assert [p.role for p in paragraphs(recover(text)[0])] == [None, None]


def test_an_office_and_a_name_inside_the_text_are_no_byline() -> None:
    # Only under a piece's head, or closing it, does such a line sign the piece.
    text = "\n\n".join(["在全省推进新型工业化大会上的讲话", "贵州省省长　李炳军", BODY, "贵州省副省长　张三", BODY, BODY,
                        "贵州省人民政府省长　王五"])
    doc, _ = recover(text)
    assert [b.text for b in doc.pieces[0].bylines] == ["贵州省省长　李炳军", "贵州省人民政府省长　王五"]
    assert [b.text for b in doc.pieces[0].blocks if isinstance(b, Heading)] == ["贵州省副省长 张三"]


def test_a_white_papers_issuer_divisions_and_note_marks() -> None:
    # 中华人民共和国 over 国务院新闻办公室 is one issuer; 前言 and 结束语 head parts without a
    # number (never a name or a title); the printed 目录 is left out; a note mark after a
    # sentence ends it, so the next paragraph is not joined to it.
    marked = "良好生态环境是美好生活的基础、人民共同的期盼。①"
    text = "\n\n".join(["新时代的中国绿色发展", "中华人民共和国", "国务院新闻办公室", "目录", "前言", "一、坚定不移走绿色发展之路",
                        "结束语", "前言", marked, BODY, "一、坚定不移走绿色发展之路", BODY, "结束语", BODY, "注释：",
                        "①参见《中国共产党第二十次全国代表大会文件汇编》，人民出版社2022年版，第40页。"])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["新时代的中国绿色发展"]
    assert [(b.text, b.role) for b in doc.pieces[0].bylines] == [("中华人民共和国国务院新闻办公室", "organisation")]
    assert [left.text for left in doc.leftovers] == ["目录", "前言", "一、坚定不移走绿色发展之路", "结束语"]
    assert [b.text for b in doc.pieces[0].blocks if isinstance(b, Heading)] == ["前言", "一、坚定不移走绿色发展之路", "结束语"]
    assert [p.text for p in paragraphs(doc)][:2] == [marked, BODY] and doc.joins == []



def test_a_plans_parts_chapters_and_boxes() -> None:
    # 第一篇 over 第一章 over 第一节; a 专栏 heads the lines it lists, numbered or not, and never
    # joins a title or a list of key points.
    text = "\n\n".join(["某省国民经济和社会发展第十五个五年规划纲要", "第一篇　开启现代化建设新征程", "第一章　发展环境", BODY,
                        "第一节　发展基础", BODY, "专栏1　“十五五”时期主要指标", "地区生产总值年均增长：5%左右",
                        "研发经费投入强度：2.5%以上", "第二篇　加快建设现代化产业体系", "第二章　推进新型工业化", BODY,
                        "专栏2　先进制造业重点工程", "01　新能源电池材料基地", "02　高端装备制造产业园", "第一节　做强先进制造业", BODY])
    doc, _ = recover(text)
    assert doc.title == "某省国民经济和社会发展第十五个五年规划纲要"
    blocks = doc.pieces[0].blocks
    assert [(b.text, b.anchor, b.level) for b in blocks if isinstance(b, Heading)] == [
        ("第一篇 开启现代化建设新征程", "sec-1", 3), ("第一章 发展环境", "sec-1-1", 4), ("第一节 发展基础", "sec-1-1-1", 5),
        ("专栏1 “十五五”时期主要指标", None, 3), ("第二篇 加快建设现代化产业体系", "sec-2", 3),
        ("第二章 推进新型工业化", "sec-2-2", 4), ("专栏2 先进制造业重点工程", None, 3), ("第一节 做强先进制造业", "sec-2-2-1", 5)]
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")] == [
        ["地区生产总值年均增长：5%左右", "研发经费投入强度：2.5%以上"], ["01　新能源电池材料基地", "02　高端装备制造产业园"]]



def test_a_notices_number_sections_and_table_of_attachments() -> None:
    # 2025年第3号 is its number; 一、 after 现将有关情况通告如下： heads a section like 二、 does
    # (the numbering goes on after text); a table's rows (1　芹菜　…) are no headings.
    text = "\n\n".join(["某市市场监督管理局", "关于2025年第一批食品安全监督抽检情况的通告", "2025年第3号",
                        "近期，市市场监督管理局组织抽检食品样品320批次。现将有关情况通告如下：", "一、抽检基本情况", BODY,
                        "二、不合格产品情况", BODY, "特此通告。", "附件：不合格产品信息", "序号　产品名称　生产企业　不合格项目",
                        "1　芹菜　某农贸市场　毒死蜱", "2　鲜鸡蛋　某超市　恩诺沙星", "某市市场监督管理局", "2025年4月15日"])
    doc, _ = recover(text)
    assert doc.title == "某市市场监督管理局关于2025年第一批食品安全监督抽检情况的通告"
    blocks = doc.pieces[0].blocks
    assert [(p.text, p.role) for p in paragraphs(doc)][0] == ("2025年第3号", "docno")
    assert [(b.text, b.anchor) for b in blocks if isinstance(b, Heading)] == [("一、抽检基本情况", "sec-1"),
                                                                               ("二、不合格产品情况", "sec-2")]
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")][0][-2:] == [
        "1　芹菜　某农贸市场　毒死蜱", "2　鲜鸡蛋　某超市　恩诺沙星"]


def test_numbered_lines_a_colon_introduces_stay_a_list_when_no_text_goes_on_with_them() -> None:
    text = "\n\n".join(["国民经济运行总体平稳", BODY, "注释：", "1.本公报中数据均为初步统计数。", "2.部分数据为快报数。", BODY,
                        "附表：", "1.国内生产总值", BODY, "3.另一项"])
    blocks = recover(text)[0].pieces[0].blocks
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")] == [
        ["1.本公报中数据均为初步统计数。", "2.部分数据为快报数。"], ["1.国内生产总值"]]


def test_an_archive_photo_note_under_body_text_is_a_caption_of_its_own() -> None:
    # （资料图片） names no photographer: under a paragraph of several sentences it marks a photo
    # without a caption; under a single statement it is that statement's credit. （完） is small print.
    body = "与此同时，农资供应保障有力。全县共储备化肥1.2万吨，能够满足春耕生产需要。"
    text = "\n\n".join(["春耕备耕忙　田间农事兴", "本报记者　王五　赵六", BODY, body, "（资料图片）", BODY,
                        "农技人员在田间指导农户科学施肥。", "（资料图片）", "农技人员在田间指导农户。当日，该县启动春耕。",
                        "本报记者　李四摄", BODY, "（完）"])
    doc, _ = recover(text)
    captions = [(b.text if hasattr(b, "text") else "".join(r.text for r in b.runs), b.credit)
                for b in doc.pieces[0].blocks if isinstance(b, Caption)]
    assert captions == [("", "（资料图片）"), ("农技人员在田间指导农户科学施肥。", "（资料图片）"),
                        ("农技人员在田间指导农户。当日，该县启动春耕。", "本报记者　李四摄")]
    assert [(p.text, p.role) for p in paragraphs(doc)] == [(BODY, None), (body, None), (BODY, None), (BODY, None),
                                                           ("（完）", "staff")]


def test_a_message_boards_question_and_reply_are_turns_and_its_times_small_print() -> None:
    # 网友 asks, 回复内容 answers (its label on a line of its own opens the reply), every later
    # paragraph is the reply's; when and by whom it was answered is small print, and the office
    # that answers is the reply's position.
    text = "\n\n".join(["关于小区加装电梯补贴政策的咨询", "网友：请问政府有没有补贴？补贴标准是多少？",
                        "留言时间：2025-03-05 09:12:33", "回复单位：某市住房和城乡建设局", "回复时间：2025-03-10 16:40:02",
                        "回复内容：", "网友您好！现就您反映的问题答复如下：", "一、关于补贴政策。对符合条件的项目给予补贴。", BODY])
    doc, _ = recover(text)
    said = [(p.speaker, p.role, p.text[:6]) for p in paragraphs(doc)]
    assert said == [("netizen", None, "网友：请问政"), (None, "staff", "留言时间：2"), (None, "staff", "回复单位：某"),
                    (None, "staff", "回复时间：2"), ("reply", None, "回复内容：网"), ("reply", None, "一、关于补贴"),
                    ("reply", None, BODY[:6])]
    assert [(p.id, p.role, p.position) for p in doc.participants] == [("netizen", "问", None),
                                                                      ("reply", "答", "某市住房和城乡建设局")]


@pytest.mark.parametrize("intro, position", [
    ("——访某省农业农村厅厅长陈国强", "某省农业农村厅厅长"),
    ("围绕促进农民增收，记者专访了某省农业农村厅厅长陈国强。", "某省农业农村厅厅长"),
    ("围绕促进农民增收，记者采访了正在田间劳作的种粮大户陈国强。", None)])
def test_an_interviews_guest_takes_the_office_it_is_introduced_with(intro: str, position: str | None) -> None:
    # No guest list: the subtitle or the opening paragraph names the guest with their office.
    text = "\n\n".join(["让更多农民在家门口就业增收", intro, "本报记者　刘某", "记者：今年有哪些新特点？", "陈国强：规模扩大、效益提升。",
                        "特别值得一提的是，乡村休闲旅游快速发展。", "记者：下一步有哪些考虑？", "陈国强：我们将重点抓好三件事。"])
    doc, _ = recover(text)
    assert [(p.id, p.role, p.position) for p in doc.participants] == [("reporter", "记者", None),
                                                                      ("chen-guoqiang", "受访者", position)]
    assert [p.speaker for p in paragraphs(doc) if p.role is None][-5:] == ["reporter", "chen-guoqiang", "chen-guoqiang",
                                                                           "reporter", "chen-guoqiang"]


def test_a_notice_and_the_plan_it_sends_are_two_documents_each_with_its_title() -> None:
    # After the notice's closing, the plan it sends begins with its own title, over two lines
    # whose second (实施方案) is no author's name.
    text = "\n\n".join(["某省人民政府办公厅关于印发", "某省推动大规模设备更新", "实施方案的通知", "某府办发〔2025〕9号", BODY,
                        "某省人民政府办公厅", "2025年4月2日", "（此件公开发布）", "某省推动大规模设备更新", "实施方案", BODY,
                        "一、总体要求", BODY])
    doc, _ = recover(text)
    assert [(p.title, p.bylines) for p in doc.pieces] == [("某省人民政府办公厅关于印发某省推动大规模设备更新实施方案的通知", []),
                                                          ("某省推动大规模设备更新实施方案", [])]


def test_a_pdfs_page_numbers_are_left_out_and_a_paragraph_goes_on_across_them() -> None:
    head = "围绕钢铁、有色、石化、化工、建材等重点行业，推动生产设备、用能设备、发输配电设备等更新和技术改造，加快推广应用节能设"
    text = "\n\n".join(["某省推动大规模设备更新实施方案", BODY, head, "— 3 —", "备和工艺。", "3.开展汽车以旧换新。加大政策支持力度。",
                        "－4－", "4.开展家电产品以旧换新。支持企业开展促销活动。", "第5页"])
    doc, _ = recover(text)
    assert [p.text for p in paragraphs(doc)] == [BODY, head + "备和工艺。", "3.开展汽车以旧换新。加大政策支持力度。",
                                                 "4.开展家电产品以旧换新。支持企业开展促销活动。"]
    assert [(left.kind, left.text) for left in doc.leftovers] == [("page-number", "— 3 —"), ("page-number", "－4－"),
                                                                  ("page-number", "第5页")]


def test_a_short_item_signed_at_its_end_is_a_piece_of_its_own() -> None:
    # Papers close a short item with its reporters in brackets: the item under its headline is
    # a piece, the credit its byline, never the byline of the report above it.
    item = "近日，多地出台支持民营经济发展的政策措施。某省提出，到2027年民营经济增加值比重达到60%以上。"
    text = "\n\n".join(["我国数字经济规模稳步扩大", "本报北京3月2日电　（记者张三）记者从国家数据局获悉：数字经济规模稳步扩大。", BODY,
                        "多地出台措施促进民营经济发展", BODY, f"{item}（记者　王五）", "图为某地政务服务中心企业服务窗口。（资料图片）"])
    doc, _ = recover(text)
    assert [(p.title, [b.names for b in p.bylines]) for p in doc.pieces] == [("我国数字经济规模稳步扩大", [["张三"]]),
                                                                             ("多地出台措施促进民营经济发展", [["王五"]])]
    assert [b.text for b in doc.pieces[1].blocks if isinstance(b, Paragraph)] == [BODY, item]


@pytest.mark.parametrize("ending", ["（新华社记者　张三　摄）", "（记者　王五）表示", "（见第二版）"])
def test_other_brackets_closing_a_paragraph_are_no_credit(ending: str) -> None:
    text = "\n\n".join(["我国数字经济规模稳步扩大", BODY, "多地出台措施", f"近日，多地出台政策措施。{ending}", BODY])
    doc, _ = recover(text)
    assert len(doc.pieces) == 1 and doc.pieces[0].bylines == []


@pytest.mark.parametrize("masthead, number", [("国家税务总局公告", "2025年第5号"), ("国务院文件", "国发〔2025〕5号")])
def test_a_masthead_over_a_documents_number_is_read_with_it_and_the_title_follows(masthead: str, number: str) -> None:
    text = "\n\n".join([masthead, number, "国家税务总局关于优化纳税缴费服务", "有关事项的公告", "现将有关事项公告如下：",
                        "一、纳税人可通过电子税务局办理相关业务。", "二、本公告自2025年6月1日起施行。", "特此公告。"])
    doc, _ = recover(text)
    assert [(p.title, p.first_line) for p in doc.pieces] == [("国家税务总局关于优化纳税缴费服务有关事项的公告", 1)]
    assert [(p.text, p.role) for p in paragraphs(doc)][:2] == [(masthead, "docno"), (number, "docno")]


def test_a_title_over_a_documents_number_stays_the_title() -> None:
    text = "\n\n".join(["国务院关于推动县域经济高质量发展的意见", "国发〔2025〕18号", "各省、自治区、直辖市人民政府：", BODY])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["国务院关于推动县域经济高质量发展的意见"]


def test_a_message_boards_labelled_title_message_and_reply() -> None:
    text = "\n\n".join(["留言标题：孩子入学户籍和房产不一致怎么办？", "留言内容：请问应该在哪个区报名？", "办理单位：某市教育局",
                        "回复意见：", "您好！可在房产所在区或户籍所在区任选其一报名。", BODY])
    doc, _ = recover(text)
    assert doc.title == "孩子入学户籍和房产不一致怎么办？"
    assert [(p.speaker, p.role) for p in paragraphs(doc)] == [("netizen", None), (None, "staff"), ("reply", None),
                                                              ("reply", None)]


def test_the_month_a_white_paper_was_issued_is_its_printed_date() -> None:
    text = "\n\n".join(["中国的粮食安全", "中华人民共和国", "国务院新闻办公室", "2025年3月", "前言", BODY])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["中国的粮食安全"]
    assert [(p.text, p.role) for p in paragraphs(doc)] == [("2025年3月", "dateline"), (BODY, None)]


def test_a_pages_small_print_after_a_box_closes_the_text_not_the_box() -> None:
    text = "\n\n".join(["我国数字经济规模稳步扩大", "本报记者　张三", BODY, "链接", "民营经济促进法", BODY,
                        "《 人民日报 》（ 2025年03月03日　01 版）", "（责编：赵六、孙七）", "（完）"])
    doc, _ = recover(text)
    report, box = doc.pieces
    staff = [b.text for b in report.blocks if isinstance(b, Paragraph) and b.role == "staff"]
    assert staff == ["《 人民日报 》（ 2025年03月03日　01 版）", "（责编：赵六、孙七）", "（完）"]
    assert box.label == "链接" and [b.text for b in box.blocks if isinstance(b, Paragraph)] == [BODY]


def test_small_print_inside_a_box_stays_in_it() -> None:
    text = "\n\n".join(["我国数字经济规模稳步扩大", "本报记者　张三", BODY, "链接", BODY, "（责编：赵六）", BODY])
    doc, _ = recover(text)
    assert [b.role for b in doc.pieces[1].blocks if isinstance(b, Paragraph)] == [None, "staff", None]


def test_a_news_sites_time_and_source_line_correction_link_and_related_news() -> None:
    # 2025-04-25 19:32:10　来源：新华网 under the title and 【纠错】 【责任编辑:张三】 are small print;
    # 相关新闻 opens a box of headlines.
    wire = "新华社北京4月25日电　国务院总理主持召开国务院常务会议，研究部署推动服务消费高质量发展有关举措。"
    text = "\n\n".join(["国务院常务会议研究部署推动服务消费高质量发展", "2025-04-25 19:32:10　来源：新华网", wire, BODY,
                        "【纠错】 【责任编辑:张三】", "相关新闻", "多部门部署扩大服务消费", "商务部：今年将开展服务消费季活动"])
    doc, _ = recover(text)
    assert [(p.title, p.label) for p in doc.pieces] == [("国务院常务会议研究部署推动服务消费高质量发展", None), ("相关新闻", "相关新闻")]
    assert [p.role for p in paragraphs(doc)] == ["staff", None, None, "staff"]
    assert [[i.text for i in b.items] for b in doc.pieces[1].blocks] == [["多部门部署扩大服务消费", "商务部：今年将开展服务消费季活动"]]


def test_lines_led_by_the_note_marks_the_text_set_are_its_notes() -> None:
    # Without a 注释： over them, ① and ② closing a white paper are its notes, not headings;
    # items run into a sentence (工作：①…；②…) make no note marks.
    text = "\n\n".join(["中国的能源转型", "能源是人类文明进步的重要物质基础和动力。①进入新时代，能源发展取得历史性成就。", "一、能源转型的中国路径",
                        BODY, "重点做好以下工作：③完善用地保障；④加大金融支持。", "（二）要素保障", "③完善用地保障", "④加大金融支持",
                        "结束语", BODY, "①《习近平关于能源发展论述摘编》，中央文献出版社2024年版，第3页。", "②数据来源于国家能源局。"])
    blocks = recover(text)[0].pieces[0].blocks
    assert [[i.text for i in b.items] for b in blocks if hasattr(b, "items")] == [
        ["①《习近平关于能源发展论述摘编》，中央文献出版社2024年版，第3页。", "②数据来源于国家能源局。"]]
    assert [b.text for b in blocks if isinstance(b, Heading)][-3:-1] == ["③完善用地保障", "④加大金融支持"]


def test_a_date_under_text_is_no_closing_and_the_headline_after_it_no_title() -> None:
    text = "\n\n".join(["坚持稳中求进", BODY, "2025年3月5日", "延链补链强链 产业集群崛起", BODY])
    doc, _ = recover(text)
    assert [p.title for p in doc.pieces] == ["坚持稳中求进"]
    assert [b.text for b in doc.pieces[0].blocks if isinstance(b, Heading)] == ["延链补链强链 产业集群崛起"]


@pytest.mark.parametrize("quote", ["网友：这个政策实实在在，点赞！", "回复：已转相关部门办理。"])
def test_one_netizens_words_in_a_report_make_no_turns(quote: str) -> None:
    doc, _ = recover("\n\n".join(["小区加装电梯受欢迎", BODY, quote, BODY]))
    assert [p.speaker for p in paragraphs(doc)] == [None, None, None] and doc.participants == []


def test_a_reports_lead_summary_is_labelled_in_the_report() -> None:
    # 核心阅读 under a report's byline sums it up; the report's text after it stays the report's.
    text = "\n\n".join(["山乡巨变看今朝", "本报记者　王五　赵六", "核心阅读", "近年来，某县坚持以产业振兴带动乡村全面振兴。", BODY, BODY])
    doc, _ = recover(text)
    assert [(p.title, p.kind, [b.names for b in p.bylines]) for p in doc.pieces] == [
        ("山乡巨变看今朝", "report", [["王五", "赵六"]])]
    assert [(p.text, p.role) for p in paragraphs(doc)] == [("核心阅读", "label"), ("近年来，某县坚持以产业振兴带动乡村全面振兴。", None),
                                                           (BODY, None), (BODY, None)]


@pytest.mark.parametrize("title, position", [
    ("国家发展改革委有关负责同志就《关于深入推进“东数西算”工程的实施意见》答记者问", "国家发展改革委有关负责同志"),
    ("商务部有关负责人就《服务消费提质惠民行动方案》答记者问", "商务部有关负责人"), ("《服务消费提质惠民行动方案》解读", None)])
def test_the_answerer_of_a_press_qa_is_who_its_title_names(title: str, position: str | None) -> None:
    doc, _ = recover("\n\n".join([title, BODY, "问：《方案》出台的背景是什么？", "答：服务消费是消费的重要组成部分。"]))
    assert [(p.id, p.position) for p in doc.participants] == [("question", None), ("answer", position)]
