"""Split a seed into blocks and tell what each block is, by rules about newspaper text.

A block is a run of non-blank lines. Each rule looks at one block (and at most the block
before it) and names its kind; joining broken paragraphs and grouping pieces come later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.cjk import HAN

NAME = rf"[{HAN}][{HAN}·]{{1,4}}"
_SPACE = r"[ \t\u3000\u00a0]"

# Labels of the small boxes a newspaper page carries, and the kind of piece each opens.
BOX_LABELS = {
    "编者按": "editors-note",
    "数据": "data",
    "数说": "data",
    "大事记": "timeline",
    "链接": "box",
    "相关链接": "box",
    "背景": "box",
    "延伸阅读": "box",
    "名词解释": "box",
}
# A credit as printed under photos and headlines: outlet, role, names, and 摄 for photos.
CREDIT = re.compile(
    rf"(?P<org>[{HAN}]{{0,12}}?)(?P<role>记者|通讯员|实习生|特约记者|摄影记者)"
    rf"{_SPACE}*(?P<names>{NAME}(?:{_SPACE}+{NAME})*?)(?P<photo>{_SPACE}*摄)?")
ORG_BYLINE = re.compile(rf"[{HAN}]{{2,16}}(?:编辑部|评论员|评论部|工作室|调研组|课题组)")
PROMO = re.compile(r"^(?:扫码|扫描二维码|扫一扫|长按识别|长按二维码|识别二维码)")
GUESTS = re.compile(r"^嘉宾[：:]\s*(?P<rest>.*)$", re.S)
GUEST = re.compile(rf"^(?P<name>{NAME}){_SPACE}+(?P<position>[^\s。！？；].{{1,40}})$")
NAME_ONLY = re.compile(rf"^{NAME}$")
ATTRIBUTION = re.compile(r"^(?:——|－－|--|—)\s*")
ITEM = re.compile(r"^[●•■◆▲◎]\s*")
MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*$")
LABEL_WITH_TEXT = re.compile(r"^(?P<label>编者按)[：:]\s*(?P<rest>.+)$", re.S)

TERMINAL = "。！？…；：!?;:"
CLOSERS = "”’」』）》)】〕\"'*"
HEADLINE_MAX = 32


@dataclass
class RawBlock:
    """A block of the seed with its first line number, kind, and parsed details."""

    text: str
    line: int
    lines: list[str]
    kind: str = "para"
    data: dict = field(default_factory=dict)


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space between Chinese, one space between Latin words."""
    out = ""
    for line in lines:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", line[0]):
            out += " "
        out += line
    return out


def split_blocks(text: str) -> list[RawBlock]:
    """Split text into blocks separated by blank lines; strip indentation and trailing space."""
    blocks: list[RawBlock] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(" \t\u3000\u00a0\ufeff")
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(RawBlock(join_lines(current), start, current))
            current = []
    if current:
        blocks.append(RawBlock(join_lines(current), start, current))
    return blocks


def is_terminated(text: str) -> bool:
    """Whether a paragraph ends a sentence (so a column break did not cut it)."""
    stripped = text.rstrip(CLOSERS)
    if not stripped:
        return True
    return stripped[-1] in TERMINAL


def parse_credit(text: str) -> dict | None:
    """Parse a credit line (``贵州日报天眼新闻记者 盛亚亿 摄``) into org, role, names, photo."""
    match = CREDIT.fullmatch(text)
    if not match:
        return None
    names = re.split(rf"{_SPACE}+", match["names"])
    photo = bool(match["photo"])
    if not photo and names[-1].endswith("摄") and len(names[-1]) > 2:
        names[-1], photo = names[-1][:-1], True
    return {"org": match["org"], "role": match["role"], "names": names, "photo": photo}


def _caption(block: RawBlock) -> dict | None:
    """A photo caption: a description followed by a credit, on its own line or at the end."""
    if len(block.text) > 240:
        return None
    if len(block.lines) > 1:
        credit = parse_credit(block.lines[-1])
        if credit and (credit["photo"] or is_terminated(block.lines[-2])):
            return {"description": join_lines(block.lines[:-1]), "credit": block.lines[-1], **credit}
    match = re.match(rf"^(?P<description>.+[。！？）)]){_SPACE}*(?P<credit>[^。！？）)]+)$", block.text)
    if match:
        credit = parse_credit(match["credit"])
        if credit:
            return {"description": match["description"], "credit": match["credit"], **credit}
    return None


def is_headline(text: str, lines: list[str]) -> bool:
    """A short single line with no clause punctuation that does not end like a sentence.

    Clause punctuation matters: the first half of a paragraph cut by a column break is
    also short and unterminated, but it is cut out of a sentence and so nearly always
    holds a comma; headlines separate their phrases with a space instead.
    """
    return (len(lines) == 1 and len(text) <= HEADLINE_MAX and not is_terminated(text)
            and not any(mark in text for mark in "。，、；：！？") and "**" not in text)


def classify(blocks: list[RawBlock]) -> list[RawBlock]:
    """Name the kind of every block. Context used: guest lists and the block before."""
    previous = ""
    for block in blocks:
        text = block.text
        heading = MD_HEADING.match(text) if len(block.lines) == 1 else None
        guests = GUESTS.match(text)
        label = LABEL_WITH_TEXT.match(text)
        credit = parse_credit(text) if len(block.lines) == 1 else None
        if heading:
            block.kind = "heading"
            block.data = {"level": len(heading["hashes"]), "text": heading["text"]}
        elif text.rstrip("：:") in BOX_LABELS:
            block.kind = "label"
            block.data = {"label": text.rstrip("：:")}
        elif label:
            block.kind = "label"
            block.data = {"label": label["label"], "rest": label["rest"]}
        elif PROMO.match(text):
            block.kind = "promo"
        elif guests:
            block.kind = "guests"
            block.data = {"entries": [], "label": "嘉宾"}
            rest = [guests["rest"], *block.lines[1:]] if guests["rest"] else block.lines[1:]
            for entry in rest:
                match = GUEST.match(entry)
                block.data["entries"].append(match.groupdict() if match else {"name": entry, "position": None})
        elif previous in ("guests", "guest") and GUEST.match(text) and len(block.lines) == 1:
            block.kind = "guest"
            block.data = GUEST.match(text).groupdict()
        elif credit and not credit["photo"]:
            block.kind = "byline"
            block.data = {"role": "reporter", "names": credit["names"]}
        elif ORG_BYLINE.fullmatch(text):
            block.kind = "byline"
            block.data = {"role": "organisation", "names": [text]}
        elif (caption := _caption(block)) is not None:
            block.kind = "caption"
            block.data = caption
        elif previous == "headline" and NAME_ONLY.match(text):
            block.kind = "byline"
            block.data = {"role": "author", "names": [text]}
        elif ATTRIBUTION.match(text) and len(text) > 2:
            block.kind = "attribution"
        elif ITEM.match(text):
            block.kind = "item"
            block.data = {"text": ITEM.sub("", text, count=1)}
        elif is_headline(text, block.lines):
            block.kind = "headline"
        else:
            block.kind = "para"
        previous = block.kind
    return blocks
