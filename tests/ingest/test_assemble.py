"""Recovering articles from made-up page extractions: joins, speakers, pieces, truncation."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.errors import BuildError, Report
from policyreader.ingest.assemble import assemble, inline_runs
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


def test_column_break_is_joined() -> None:
    doc, _ = recover("加快融合步伐，推动技术创新转\n\n化和产业化。\n\n下一段。")
    assert [p.text for p in paragraphs(doc)] == ["加快融合步伐，推动技术创新转化和产业化。", "下一段。"]
    assert [(j.line, j.continued_at) for j in doc.joins] == [(1, 3)]


def test_join_skips_a_guest_list_and_byline_dropped_between_the_halves() -> None:
    text = ("主持人：问题？\n\n张三：回答开始，为企\n\n嘉宾：张三 某局局长\n\n李四 某院教授\n\n"
            "某报理论周刊编辑部\n\n业提供金融支持。\n\n继续回答。")
    doc, _ = recover(text)
    texts = [p.text for p in paragraphs(doc)]
    assert texts == ["主持人：问题？", "张三：回答开始，为企业提供金融支持。", "继续回答。"]
    assert [p.speaker for p in paragraphs(doc)] == ["moderator", "zhang-san", "zhang-san"]
    assert doc.pieces[0].bylines[0].text == "某报理论周刊编辑部"


def test_join_skips_another_pieces_headline_and_byline() -> None:
    text = "导语说，项目贡献更加突\n\n筑牢经济“压舱石”\n\n王小明\n\n出、成效明显。\n\n评论正文。"
    doc, _ = recover(text)
    lead, commentary = doc.pieces
    assert [p.text for p in lead.blocks] == ["导语说，项目贡献更加突出、成效明显。"]
    assert (lead.kind, commentary.kind, commentary.title) == ("lead", "commentary", "筑牢经济“压舱石”")
    assert [p.text for p in commentary.blocks] == ["评论正文。"]
    assert commentary.bylines[0].names == ["王小明"]


def test_a_turn_never_continues_a_broken_paragraph() -> None:
    doc, report = recover("主持人：问题是\n\n张三：回答。\n\n嘉宾：张三 教授")
    first = paragraphs(doc)[0]
    assert first.truncated and first.text == "主持人：问题是"
    assert "mid-sentence" in report.warnings[0].message


def test_text_cut_off_at_the_end_is_marked_truncated_without_a_warning() -> None:
    doc, report = recover("第一段。\n\n第二段，说到一半\n\n扫码观看视频")
    assert paragraphs(doc)[-1].truncated
    assert doc.truncated_line == 3
    assert report.warnings == []
    assert [(x.line, x.kind) for x in doc.leftovers] == [(5, "promo")]


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
    # The known limit of the rules: with no comma, a cut-off fragment looks like a headline.
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
