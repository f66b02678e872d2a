"""What readers read around the articles: interface strings, dates, and the A–Z order.

The strings are written in Simplified and converted like everything else.
"""
from __future__ import annotations

import datetime as dt


UI = {
    "truncated": "［原文至此中断］",
    "photo_missing": "［图片未收录］",
    "to_glossary": "查看词条",
    "see_first": "释义见首次出现处",
    "editor_notes": "编辑说明",
    "paragraph": "第{n}段",
    "guests": "嘉宾",
    "quotation": "引文",
    "kind_lead": "导语",
    "kind_article": "正文",
    "kind_report": "报道",
    "kind_roundtable": "访谈",
    "kind_commentary": "评论",
    "kind_editors-note": "编者按",
    "kind_data": "数据",
    "kind_timeline": "大事记",
    "kind_box": "链接",
    "kind_document": "文件",
    "kind_interview": "访谈",
    "contents": "目录",
}


def format_date(value: object) -> str:
    """A date as Chinese readers write it: 2026年1月20日."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value or "")
