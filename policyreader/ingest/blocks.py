"""Split a seed into units and tell what each unit is, by ordered rules about Chinese print.

A unit is one line of the seed, or a small block read as one thing (a caption with its credit
on the next line, a promo over three lines), or the lines of a hard-wrapped paragraph. Each
rule in ``UNIT_RULES`` looks at one unit (and the unit before it) and either names its kind or
passes; the first rule that names a kind wins, so a new kind of line is one new rule. Joining
column breaks (joins.py) and reading the structure around units (structure.py) come later.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..text.cjk import HAN
from ..text.pinyin import PLACES

NAME = rf"[{HAN}][{HAN}·]{{1,4}}"
SPACE = r"[ \t\u3000\u00a0]"
_STRIP = " \t\u3000\u00a0\ufeff"

# Labels of the small boxes a newspaper page carries, and the kind of piece each opens (a summary
# opens none: it is read in the piece it heads).
BOX_LABELS = {
    "编者按": "editors-note",
    "数据": "data",
    "数说": "data",
    "数读": "data",
    "大事记": "timeline",
    "链接": "box",
    "相关链接": "box",
    "新闻链接": "box",
    "知识链接": "box",
    "背景": "box",
    "背景链接": "box",
    "延伸阅读": "box",
    "相关阅读": "box",
    "相关新闻": "box",
    "相关报道": "box",
    "名词解释": "box",
    "小资料": "box",
    "核心阅读": "summary",      # a report's lead summary under its byline: labelled, in the report
}
ROLES = r"(?:特约记者|摄影记者|见习记者|记者|通讯员|实习生)"
CREDIT_NAME = rf"(?!{ROLES})[{HAN}][{HAN}·]{{1,4}}"
# A credit as printed under photos and headlines: outlet, role, names, and 摄 for photos.
CREDIT = re.compile(
    rf"(?P<org>[{HAN}]{{0,12}}?)(?P<role>{ROLES})"
    rf"{SPACE}*(?P<names>{CREDIT_NAME}(?:(?:{SPACE}+|、){CREDIT_NAME})*?)(?P<photo>{SPACE}*摄)?")
# More than one role on a line: 本报记者 张三 李四 通讯员 王五
CREDIT_SEGMENT = re.compile(
    rf"{ROLES}{SPACE}*(?P<names>{CREDIT_NAME}(?:(?:{SPACE}+|、){CREDIT_NAME})*?)(?={SPACE}*(?:{ROLES}|摄|$))")
# A short item's reporters, in brackets closing its last paragraph: …比重达到60%以上。（记者　王五）
END_CREDIT = re.compile(rf"(?<=[。！？”])[（(](?P<credit>[{HAN}]{{0,12}}?{ROLES}[^（）()]{{2,40}})[）)]$")
BYLINE_MARK = re.compile(rf"^(?:[□■◎]{SPACE}*|文{SPACE}*[/／｜|]{SPACE}*)")
ORG_BYLINE = re.compile(rf"[{HAN}]{{2,16}}(?:编辑部|评论员|评论部|工作室|调研组|课题组)")
# A speaker or author named with the office they hold, as reports and speeches print them
# under their title: 贵州省省长　李炳军, 国家发展改革委主任 郑栅洁.
OFFICE = (rf"[{HAN}]{{0,16}}(?:省长|市长|县长|区长|州长|主席|总理|书记|部长|局长|厅长|主任|院长|行长|署长|秘书长|"
          rf"检察长|会长|董事长|总经理|发言人|司长|处长)")
OFFICE_NAME = re.compile(OFFICE)
OFFICE_BYLINE = re.compile(rf"(?P<office>{OFFICE}){SPACE}+(?P<name>{NAME})")
# Kinds of the line above where an office and a name are a byline: a piece's head.
BYLINE_AFTER = {"headline", "dash", "date-note", "byline"}
MODERATOR = "主持人"
# Labels that open a turn in any interview, with the id and role each speaker gets.
# A message board's 网友 asks and the office's 回复内容 answers (their roles are 问 and 答).
STOCK_SPEAKERS = {MODERATOR: ("moderator", MODERATOR), "问": ("question", "问"), "答": ("answer", "答"),
                  "记者": ("reporter", "记者"), "本报记者": ("reporter", "记者"), "新华社记者": ("reporter", "记者"),
                  "网友": ("netizen", "问"), "留言内容": ("netizen", "问"), "回复内容": ("reply", "答"),
                  "答复内容": ("reply", "答"), "回复意见": ("reply", "答"), "答复意见": ("reply", "答"), "回复": ("reply", "答"),
                  "答复": ("reply", "答")}
# Who speaks, as a press conference's transcript labels a turn before its colon: the host by
# name, an official by office and name, a reporter by outlet (主持人 寿小丽, 国家发展改革委副主任
# 赵辰昕, 中央广播电视总台央视记者).
SPEAKER_LABEL = re.compile(rf"主持人{SPACE}*(?P<host>{NAME})|(?P<office>{OFFICE}){SPACE}+(?P<name>{NAME})"
                           rf"|(?P<outlet>[{HAN}]{{2,16}})记者")
# The ministries and administrations of the State Council that sign without a prefix (财政部).
MINISTRIES = ("外交部 国防部 教育部 科学技术部 科技部 工业和信息化部 工信部 公安部 国家安全部 民政部 司法部 财政部 "
              "人力资源和社会保障部 人力资源社会保障部 人社部 自然资源部 生态环境部 住房和城乡建设部 住房城乡建设部 "
              "交通运输部 水利部 农业农村部 商务部 文化和旅游部 退役军人事务部 应急管理部 审计署 海关总署").split()
# The name of a body that issues what it prints (国家统计局, 国家发展改革委, 贵州省人民政府办公厅,
# 财政部): a ministry, or an institution's or a place's name first and an office's last. Words
# ending alike are no office (新发展格局, 西部地区, 中国式现代化之路), and a title's line rarely
# opens with 国家 or a province and ends with one of them.
ISSUER_NAME = re.compile(
    rf"(?:{'|'.join(MINISTRIES)})(?:办公厅|[{HAN}]{{0,8}}(?:司|局|中心))?"
    rf"|(?:中华人民共和国|中共中央|中央|国务院|全国人大|全国政协|国家|中国|最高人民|(?:{'|'.join(sorted(PLACES, key=len, reverse=True))})"
    rf"(?:省|市|自治区|自治州|新区)?)[{HAN}]{{0,14}}"
    r"(?:办公厅|办公室|委员会|人民政府|总局|总署|银行|(?<![格布大全变开新结当时残])局|(?<![东西南北中全内外局干总])部"
    r"|委|(?<![庭书])院|厅|署|办|中心)")
# Names printed on a line of their own over an issuing body's (中华人民共和国 / 国务院新闻办公室).
ISSUER_PREFIXES = {"中华人民共和国", "中国共产党"}
PROMO = re.compile(r"^(?:扫码(?:观看|收看|阅读|收听|了解|关注|下载|参与|查看|看|读|听)|扫描(?:二维码|上方|下方|左侧|右侧)"
                   r"|扫一扫|长按(?:识别|二维码|关注)|识别二维码|点击(?:上方|下方)?(?:蓝字|“?关注”?|“?阅读原文”?)"
                   r"|关注我们|阅读原文|欢迎(?:关注|分享|转发))")
# What a promo's later lines hold: the title of what to watch or read, and what it is.
PROMO_TAIL = re.compile(r"^(?:《[^》]{1,30}》.{0,8}|.{0,12}(?:视频|微视频|直播|全文|海报|专题|客户端|小程序))$")
# A printed page's number, as copies of PDFs keep it between paragraphs: — 3 —, －3－, 第3页, 3/12
PAGE_NUMBER = re.compile(r"^(?:[—－–-]{1,2}\s*\d{1,3}\s*[—－–-]{1,2}|第\s*\d{1,3}\s*页(?:\s*[/／，,]?\s*共\s*\d{1,3}\s*页)?"
                         r"|\d{1,3}\s*[/／]\s*\d{1,3})$")
GUESTS = re.compile(r"^嘉宾[：:]\s*(?P<rest>.*)$", re.S)
GUEST = re.compile(rf"^(?P<name>{NAME}){SPACE}+(?P<position>[^\s。！？；].{{1,40}})$")
NAME_ONLY = re.compile(rf"^{NAME}$")
# What a document's title ends with: the kind of document it is (…的意见, 实施方案).
DOC_TITLE_END = re.compile(r"(?:意见|通知|决定|方案|办法|规划|纲要|条例|规定|批复|函|报告|通告|公告|细则|规则|措施|计划|指南|清单)$")
MARKED_NAME = re.compile(rf"^(?:[□■◎]{SPACE}*|文{SPACE}*[/／｜|]{SPACE}*)(?P<name>{NAME})$")
DASH = re.compile(r"^(?:——|－－|--|—)\s*")
ITEM = re.compile(r"^[●•■◆▲◎]\s*")
MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*$")
LABEL_WITH_TEXT = re.compile(r"^(?P<label>编者按)[：:]\s*(?P<rest>.+)$", re.S)
# 国发〔2024〕5号, 国办函〔2023〕1号, 黔府发[2021]7号; a notice's or announcement's number: 2025年第3号,
# （第12号）, 国家税务总局公告2025年第3号.
DOCNO = re.compile(rf"^(?:[{HAN}]{{1,12}}[〔\[［【（(]\s*(?:19|20)\d\d\s*[〕\]］】）)]\s*\d{{1,4}}\s*号"
                   rf"|[（(]?[{HAN}]{{0,12}}?(?:(?:19|20)\d\d年)?第\d{{1,4}}号[）)]?)$")
# 新华社北京8月24日电, 本报贵阳1月5日讯, 本报讯, each with an optional (记者 …) credit.
DATELINE = re.compile(
    rf"^(?P<head>(?:(?P<org>新华社|中新社|本报|[{HAN}]{{2,8}}(?:社|报|台|网))[{HAN}]{{0,8}}?"
    rf"(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})日(?:电|讯)"
    rf"|本报讯))"
    rf"(?:{SPACE}*[（(](?P<credit>[^（）()]{{2,40}})[）)])?{SPACE}*")
# A message board's title, labelled: 留言标题：孩子入学户籍和房产不一致怎么办？
MESSAGE_TITLE = re.compile(rf"^(?:留言标题|留言主题|来信标题|来信主题)[：:]{SPACE}*(?P<title>[^。]{{2,60}})$")
DISPATCH_TITLE = re.compile(rf"^题{SPACE}*[：:]{SPACE}*(?P<title>[^。！？]{{2,60}})$")
# A photo's note that it comes from the archive, with no photographer: （资料图片）
ARCHIVE_PHOTO = r"[（(]资料(?:图片|照片)[）)]"
# Photo credits: (新华社记者 张三 摄), 新华社发（张三 摄）, 本报记者 张三 摄, 张三 摄
PHOTO_CREDIT = re.compile(
    rf"(?:[（(][^（）()]{{1,40}}摄[）)]|[{HAN}]{{2,12}}发{SPACE}*[（(][^（）()]{{1,30}}[）)]"
    rf"|[{HAN}]{{0,12}}?{ROLES}{SPACE}*{NAME}(?:(?:{SPACE}+|、){NAME})*{SPACE}*摄|{NAME}{SPACE}*摄|{ARCHIVE_PHOTO})$")
CAPTION_START = re.compile(r"^(?:图为|上图[：:]|下图[：:]|左图[：:]|右图[：:]|▲|△)")
# Cross references and continuation marks: （讲话全文见第二版）（下转第三版）（上接第一版）
XREF = re.compile(r"^[（(][^（）()]{0,40}(?:见|转|接)(?:本报)?第?[一二三四五六七八九十\d]+版[^（）()]{0,10}[）)]$")
RESPONSIBILITY = re.compile(r"^[（(][^（）()]{2,200}(?:负责|牵头)[）)]$")
AUTHOR_NOTE = re.compile(r"^[（(](?:(?:作者|本文作者|执笔)[^（）()]{1,80}|[^（）()，。]{2,16}(?:评论员|编辑部|评论部))[）)]$")
END_MARK = re.compile(r"^[（(【\[](?:完|全文完)[）)】\]]$")     # a wire story's or a web copy's （完）
# Staff credits, in brackets or not, a web page's 【纠错】 before them: （责编：王五）, 【责任编辑:张三】
STAFF = re.compile(r"^(?:【纠错】\s*)?[（(【\[]?(?:责任编辑|责编|编辑|校对|审核|监制|制图|美编|版式设计|统筹)[：:][^。]{1,40}?"
                   r"[）)】\]]?$")
# Who answers a 答记者问, named by its title: 国家发展改革委有关负责同志就《…》答记者问
ANSWERER_TITLE = re.compile(r"^(?P<who>[^，。、；：《》“”]{2,30}?)就[^。]{2,80}?答(?:记者问|网友问|记者提问)$")
REPLIERS = "回复单位|答复单位|办理单位"        # the office that answers a message board's question
REPLY_UNIT = re.compile(rf"^(?:{REPLIERS})[：:]{SPACE}*(?P<unit>[^。！？]{{2,40}})$")
STAMP = r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"     # 2025-04-25 19:32:10
# Where a copy taken from the web says it came from (a message board: when and by whom a message
# was answered), and a paper's edition line: small print, neither a title nor a heading
# (来源：新华网　2025-11-20 10:22:31; 2025-04-25 19:32:10　来源：新华网; 《 人民日报 》（ 2025年11月21日 04 版））.
SOURCE_LINE = re.compile(rf"^(?:(?:{STAMP}{SPACE}*)?(?:来源|稿源|信息来源|发布时间|发布日期|留言时间|留言日期|回复时间|回复日期"
                         rf"|答复时间|答复日期|{REPLIERS})[：:]{SPACE}*[^。！？]{{1,60}}|{STAMP}"
                         rf"|《{SPACE}*[^》]{{2,16}}{SPACE}*》{SPACE}*[（(]{SPACE}*(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日"
                         rf"{SPACE}*第?{SPACE}*\d{{1,2}}{SPACE}*版{SPACE}*[）)])$")
# What closes an official document after its date: 此件公开发布, to whom copies went, who printed
# it when (抄送：…; …秘书处　2025年3月11日印发).
PUBLICATION_NOTE = re.compile(rf"^(?:[（(]此件[^（）()]{{1,20}}[）)]|抄送[：:][^。！？]{{2,300}}。?"
                              rf"|[^。！？]{{2,40}}?{SPACE}*(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日印发)$")
DATE = (r"(?:(?:19|20)\d\d年\d{1,2}月\d{1,2}日|[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,2}月"
        r"[一二三四五六七八九十]{1,3}日)")
DATE_ONLY = re.compile(rf"^{DATE}$")
# The month a white paper or report is issued, printed under its issuer: 2025年3月, 二〇二五年三月
MONTH_ONLY = re.compile(r"^(?:(?:19|20)\d\d年\d{1,2}月|[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,2}月)$")
# A date in brackets on a line of its own, as printed under a speech's or a law's title: when it
# was given or adopted (（2025年2月18日）, （2024年11月28日…常务委员会第十三次会议通过）).
DATE_NOTE = re.compile(rf"^[（(]{DATE}[^（）()]{{0,80}}[）)]$")
ATTACHMENT = re.compile(r"^附件\d*[：:]?")
# A box set in a plan's or a document's text, with its number and title (专栏1　重点工程, 专栏：…).
BOX_TITLE = re.compile(rf"^专栏{SPACE}*(?:(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){SPACE}*[：:]?|[：:]){SPACE}*[^。！？]{{0,40}}$")

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"     # items (①完善用地保障) and note marks (…期盼。①)
# The parts of a long text that carry no number: a white paper's or report's front and back
# matter, and its printed contents.
DIVISIONS = {"前言", "引言", "序言", "导言", "绪论", "结束语", "结语", "后记", "附录", "目录"}

# Numbered headings and items, highest level first; a style's place here is its rank.
NUMBER_STYLES: list[tuple[str, re.Pattern[str]]] = [
    # a part's number stands apart from its title (第一篇　…): 第一篇文章 is prose
    ("part", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇\d]+)(?:篇|编|部分)(?:\s+|[：:]\s*)")),
    ("chapter", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇\d]+)章\s*")),
    ("section", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇\d]+)节\s*")),
    ("article", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇\d]+)条\s*")),
    ("cn", re.compile(r"^(?P<n>[一二三四五六七八九十百]+)、\s*")),
    ("cn-paren", re.compile(r"^[（(](?P<n>[一二三四五六七八九十百]+)[）)]\s*")),
    ("num", re.compile(r"^(?P<n>\d{1,2})(?:[.．、](?!\d)|\s)\s*")),
    ("num-paren", re.compile(r"^[（(](?P<n>\d{1,2})[）)]\s*")),
    ("circled", re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
]

TERMINAL = "。！？…；：!?;:"
CLOSERS = "”’」』）》)】〕\"'*"
CLAUSE = "，、；：,;:"
HEADLINE_MAX = 32
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


@dataclass
class Credit:
    """A byline or photo credit: outlet, role, the names it holds, and whether it is a photo's."""

    org: str
    role: str
    names: list[str]
    photo: bool = False


@dataclass
class Guest:
    """One entry of a round-table's guest list."""

    name: str
    position: str | None


@dataclass
class Number:
    """A numbered heading or item: its style (rank in NUMBER_STYLES), value, and lead-in text."""

    style: str
    rank: int
    value: int
    marker: str          # the number as printed: 一、 （三） 1.
    lead: str            # a run-in lead ending the first sentence (（一）指导思想。) or ""


@dataclass
class Dateline:
    """A dateline (新华社北京8月24日电) opening a report, with the reporters it credits."""

    text: str            # as printed, credit included
    org: str
    names: list[str]


@dataclass
class CaptionInfo:
    """A photo caption: what it shows, and its credit as printed (may be empty)."""

    description: str
    credit: str
    names: list[str]


@dataclass
class Unit:
    """One unit of the seed with its seed lines, its kind and what the rules found in it."""

    text: str
    line: int
    lines: list[str]
    block: int = 0                   # index of the blank-line block it sits in
    indent: bool = False
    kind: str = "para"
    level: int = 0                   # Markdown heading level
    label: str = ""                  # box label, or the text after it
    rest: str = ""
    credit: Credit | None = None
    guests: list[Guest] = field(default_factory=list)
    number: Number | None = None
    dateline: Dateline | None = None
    caption: CaptionInfo | None = None
    end_credit: str = ""             # reporters credited in brackets at its end, split off
    joined: list[int] = field(default_factory=list)     # seed lines of continuations joined in
    truncated: bool = False
    inside_break: bool = False       # the page set it between the halves of a broken paragraph
    kept_apart: bool = False         # some evidence that a break cut it: stays a paragraph
    group: int = 0                   # units read together (a title over several lines, a closing block)
    end_line: int = 0

    def __post_init__(self) -> None:
        if not self.end_line:
            self.end_line = self.line + len(self.lines) - 1

    @property
    def seed_lines(self) -> tuple[int, ...]:
        """Every seed line this unit holds, joined continuations included."""
        return (*range(self.line, self.line + len(self.lines)), *self.joined)


def join_text(left: str, right: str) -> str:
    """Join two pieces of text: no space between Chinese or digits, one space between Latin words."""
    if left and right and re.match(r"[A-Za-z]", left[-1]) and re.match(r"[A-Za-z]", right[0]):
        return f"{left} {right}"
    return left + right


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space between Chinese, one space between Latin words."""
    out = ""
    for line in lines:
        out = join_text(out, line) if out else line
    return out


def heading_text(text: str) -> str:
    """A heading or title as read: the spaces that justify single characters dropped (第一章　总　　则
    → 第一章 总则), any other run of spaces one space."""
    parts = re.split(rf"{SPACE}+", text.strip(_STRIP))
    words: list[str] = []
    letters: list[str] = []       # a run of single characters set apart to fill the line
    for part in [*parts, ""]:
        if re.fullmatch(rf"[{HAN}]", part):
            letters.append(part)
            continue
        if letters:
            words.extend(["".join(letters)] if len(letters) > 1 else letters)
            letters = []
        if part:
            words.append(part)
    return " ".join(words)


def is_terminated(text: str) -> bool:
    """Whether a text ends a sentence, or is only a note in brackets (so no break cut it)."""
    stripped = text.rstrip(_STRIP)
    # A note mark after a sentence (…共同的期盼。①) belongs to it and ends with it.
    marks = re.search(rf"[{TERMINAL}{re.escape(CLOSERS)}][{CIRCLED}]+$", stripped)
    if marks:
        stripped = stripped.rstrip(CIRCLED)
    while True:
        note = _TRAILING_NOTE.search(stripped)
        if not note:
            break
        before = stripped[:note.start()].rstrip(_STRIP)
        if not before:
            return True
        # A note after a full sentence (。（…负责）) ends it; a note after an open clause does not.
        if before.rstrip(CLOSERS)[-1:] and before.rstrip(CLOSERS)[-1] in TERMINAL:
            return True
        if note.group().endswith(("负责）", "负责)", "牵头）", "牵头)")):
            return True
        stripped = before
        break
    stripped = stripped.rstrip(CLOSERS)
    if not stripped:
        return True
    return stripped[-1] in TERMINAL


def has_clause_mark(text: str) -> bool:
    """Whether a text holds clause punctuation (a comma, enumeration comma, colon, semicolon)."""
    return any(mark in text for mark in CLAUSE)


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits and circled numbers too."""
    if len(text) == 1 and "①" <= text <= "⑳":
        return ord(text) - ord("①") + 1
    if text.isascii() and text.isdigit():
        return int(text)
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def parse_credit(text: str) -> Credit | None:
    """Parse a credit line (``贵州日报天眼新闻记者 盛亚亿 摄``) into org, role, names, photo."""
    body = BYLINE_MARK.sub("", text.strip(_STRIP))
    match = CREDIT.fullmatch(body)
    if not match:
        segments = list(CREDIT_SEGMENT.finditer(body))
        first = re.match(rf"^[{HAN}]{{0,12}}?(?={ROLES})", body)
        if len(segments) < 2 or first is None:
            return None
        rebuilt = first.group() + "".join(f"{m.group()}" for m in segments)
        if re.sub(rf"{SPACE}", "", rebuilt) != re.sub(rf"{SPACE}|摄$", "", body):
            return None
        names = [n for m in segments for n in re.split(rf"{SPACE}+|、", m["names"]) if n]
        return Credit(first.group(), re.match(ROLES, segments[0].group())[0], names, body.endswith("摄"))
    names = [n for n in re.split(rf"{SPACE}+|、", match["names"]) if n]
    photo = bool(match["photo"])
    if not photo and names[-1].endswith("摄") and len(names[-1]) > 2:
        names[-1], photo = names[-1][:-1], True
    return Credit(match["org"], match["role"], names, photo)


def parse_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a paragraph, if there is one."""
    match = DATELINE.match(text)
    if not match:
        return None
    names: list[str] = []
    if match["credit"]:
        credit = parse_credit(match["credit"])
        if credit:
            names = credit.names
        else:
            names = [n for n in re.split(rf"{SPACE}+|、|，", re.sub(ROLES, " ", match["credit"])) if re.fullmatch(NAME, n)]
    org = match["org"] or "本报"
    return Dateline(match.group().rstrip(_STRIP), org, names)


def parse_number(text: str) -> Number | None:
    """The numbering a unit opens with (一、 （一） 1. 第一条 …), with a short run-in lead."""
    for rank, (style, pattern) in enumerate(NUMBER_STYLES):
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end():]
        if not rest or (style == "num" and not re.match(rf"[{HAN}“《]", rest)):
            return None
        if style == "num" and re.match(rf"\d+{SPACE}", text) and re.search(SPACE, rest):
            return None   # a table's row, its cells set apart by spaces: 1　芹菜　某农贸市场　毒死蜱
        lead = ""
        first = re.match(r"^[^。！？；：:]{1,30}[。！？；：:]", rest)
        if first and len(rest) > len(first.group()):
            lead = text[:match.end()] + first.group()
        return Number(style, rank, chinese_number(match["n"]), text[:match.end()].strip(_STRIP), lead)
    return None


def parse_photo_caption(text: str) -> CaptionInfo | None:
    """A caption whose credit stands at its end: ``…景象。（新华社记者 张三 摄）``."""
    if len(text) > 240:
        return None
    credit = PHOTO_CREDIT.search(text)
    if credit:
        description = text[:credit.start()].rstrip(_STRIP)
        if description and not is_terminated(description) and not CAPTION_START.match(description):
            return None
        credit_text = credit.group()
        inner = re.sub(r"^[（(]|[）)]$", "", credit_text)
        parsed = parse_credit(inner) or parse_credit(re.sub(r"^[" + HAN + r"]{2,12}发[（(]|[）)]$", "", credit_text))
        names = parsed.names if parsed else re.findall(NAME + r"(?=" + SPACE + r"*摄)", inner)
        return CaptionInfo(description, credit_text, names)
    # A caption ending in a reporter's name, without 摄: …生产景象。贵州日报天眼新闻记者 杨涛
    match = re.match(rf"^(?P<description>.+[。！？）)]){SPACE}*(?P<credit>[^。！？）)]+)$", text)
    if match:
        parsed = parse_credit(match["credit"])
        if parsed:
            return CaptionInfo(match["description"], match["credit"], parsed.names)
    return None


def is_headline(text: str, lines: list[str]) -> bool:
    """A short single line with no clause punctuation that does not end like a sentence.

    Clause punctuation matters: the first half of a paragraph cut by a column break is
    also short and unterminated, but it is cut out of a sentence and so nearly always
    holds a comma; headlines separate their phrases with a space instead.
    """
    return (len(lines) == 1 and len(text) <= HEADLINE_MAX and not is_terminated(text)
            and not any(mark in text for mark in "。，、；！？,;") and "**" not in text
            and not re.search(r"[：:].", text) and not DASH.match(text))


# ---- splitting ------------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    number: int
    indent: bool


def _blocks(text: str) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(_STRIP)
        if line:
            current.append(_Line(line, number, raw[:1] in "\u3000 \t" and not raw.startswith("#")))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _caption_like(description: str) -> bool:
    """Whether text can be a photo's description: short, one statement, no colon at its end."""
    return (len(description) <= 120 and (is_terminated(description) or bool(CAPTION_START.match(description)))
            and not description.rstrip(CLOSERS).endswith(("：", ":", "；", ";")) and description[:1] not in "，、。；：")


def _whole_block(lines: list[_Line], index: int) -> Unit | None:
    """A small block that is one thing over several lines: a caption and its credit, a promo,
    a guest list."""
    texts = [line.text for line in lines]
    if len(lines) < 2 or len(lines) > 4 or sum(map(len, texts)) > 240:
        return None
    unit = Unit(join_lines(texts), lines[0].number, texts, index)
    if PROMO.match(texts[0]) and all(PROMO_TAIL.match(t) for t in texts[1:]):
        unit.kind = "promo"
        return unit
    if GUESTS.match(texts[0]) and all(GUEST.match(t) for t in texts[1:]):
        return unit
    # A description over two lines is one wrapped statement, never a caption and something else.
    if any(is_terminated(t) for t in texts[:-2]) or any(_structural(t) for t in texts[:-1]):
        return None
    last_credit = parse_credit(texts[-1])
    if last_credit and (last_credit.photo or is_terminated(texts[-2])) and len(lines) <= 3:
        description = join_lines(texts[:-1])
        if _caption_like(description):
            unit.kind = "caption"
            unit.caption = CaptionInfo(description, texts[-1], last_credit.names)
            return unit
    if PHOTO_CREDIT.fullmatch(texts[-1]) and len(lines) <= 3:
        description = join_lines(texts[:-1])
        if _caption_like(description):
            unit.kind = "caption"
            unit.caption = CaptionInfo(description, texts[-1], _credit_names(texts[-1]))
            return unit
    return None


def _credit_names(credit: str) -> list[str]:
    parsed = parse_credit(re.sub(r"^[（(]|[）)]$", "", credit))
    return parsed.names if parsed else re.findall(NAME + r"(?=" + SPACE + r"*摄)", credit)


def _wrapped(lines: list[_Line]) -> bool:
    """Whether a block's lines are hard-wrapped at one width (a PDF or e-paper extraction):
    most lines but the last have nearly the same length."""
    if len(lines) < 3:
        return False
    widths = [len(line.text) for line in lines[:-1]]
    width = max(widths)
    open_ends = sum(not is_terminated(line.text) for line in lines[:-1])
    prose = sum(has_clause_mark(line.text) for line in lines[:-1])
    return (width >= 15 and sum(w >= 0.8 * width for w in widths) >= 0.75 * len(widths)
            and open_ends >= 0.5 * len(widths) and prose >= 0.5 * len(widths)
            and not any(_structural(line.text) for line in lines))


def split_blocks(text: str) -> list[Unit]:
    """Split text into units: lines, small blocks read whole, hard-wrapped paragraphs rejoined."""
    units: list[Unit] = []
    for index, lines in enumerate(_blocks(text)):
        whole = _whole_block(lines, index)
        if whole is not None:
            units.append(whole)
            continue
        if _wrapped(lines):
            width = max(len(line.text) for line in lines[:-1])
            indented = any(line.indent for line in lines[1:])
            group: list[_Line] = []
            for line in lines:
                # Indentation opens a paragraph where the extraction kept it; otherwise a short
                # line or a full stop closes one (a false split is better than a false join).
                starts = group and (line.indent if indented else
                                    len(group[-1].text) < 0.8 * width or is_terminated(group[-1].text))
                if starts or (group and _starts_unit(line.text)):
                    units.append(_unit_of(group, index))
                    group = []
                group.append(line)
            units.append(_unit_of(group, index))
            continue
        units.extend(_unit_of([line], index) for line in lines)
    return units


def _starts_unit(text: str) -> bool:
    return bool(parse_number(text) or MD_HEADING.match(text) or ITEM.match(text) or DATELINE.match(text))


def _structural(text: str) -> bool:
    """Whether a line is something of its own (a credit, caption, label, note), never a wrapped line."""
    return bool(_starts_unit(text) or parse_credit(text) or parse_photo_caption(text) or PROMO.match(text)
                or GUESTS.match(text) or DOCNO.match(text) or XREF.match(text) or DASH.match(text)
                or text.rstrip("：:") in BOX_LABELS or ORG_BYLINE.fullmatch(text) or is_headline(text, [text]))


def _unit_of(lines: list[_Line], index: int) -> Unit:
    texts = [line.text for line in lines]
    return Unit(join_lines(texts), lines[0].number, texts, index, lines[0].indent)


# ---- the unit rules, in order ---------------------------------------------------------------
# Each rule gets the unit and the unit before it; it sets the unit's kind and returns True, or
# returns False to let the next rule look.

Rule = Callable[[Unit, "Unit | None"], bool]


def _md_heading(unit: Unit, previous: Unit | None) -> bool:
    heading = MD_HEADING.match(unit.text) if len(unit.lines) == 1 else None
    if heading:
        unit.kind, unit.level, unit.label = "heading", len(heading["hashes"]), heading["text"]
    return bool(heading)


def _whole(unit: Unit, previous: Unit | None) -> bool:
    return unit.kind in ("promo", "caption")      # read whole by split_blocks


def _box_label(unit: Unit, previous: Unit | None) -> bool:
    label = unit.text.rstrip("：:").strip("【】[]")
    if label in BOX_LABELS:
        unit.kind, unit.label = "label", label
        return True
    match = LABEL_WITH_TEXT.match(unit.text)
    if match:
        unit.kind, unit.label, unit.rest = "label", match["label"], match["rest"]
    return bool(match)


def _promo(unit: Unit, previous: Unit | None) -> bool:
    if PROMO.match(unit.text) and len(unit.text) <= 60:
        unit.kind = "promo"
        return True
    return False


def _page_number(unit: Unit, previous: Unit | None) -> bool:
    if PAGE_NUMBER.match(unit.text):
        unit.kind = "page-number"     # kept out of the text; a paragraph may go on after it
        return True
    return False


def _guests(unit: Unit, previous: Unit | None) -> bool:
    match = GUESTS.match(unit.lines[0])
    if match:
        unit.kind = "guests"
        entries = [match["rest"], *unit.lines[1:]] if match["rest"] else unit.lines[1:]
        for entry in entries:
            guest = GUEST.match(entry)
            unit.guests.append(Guest(guest["name"], guest["position"]) if guest else Guest(entry, None))
        return True
    if previous is not None and previous.kind in ("guests", "guest") and len(unit.lines) == 1:
        guest = GUEST.match(unit.text)
        if guest:
            unit.kind = "guest"
            unit.guests = [Guest(guest["name"], guest["position"])]
            return True
    return False


def _division(unit: Unit, previous: Unit | None) -> bool:
    """前言, 结束语, 目　录: a heading of a part without a number, never a name or a title."""
    if re.sub(SPACE, "", unit.text) in DIVISIONS:
        unit.kind = "division"
        return True
    return False


def _box_title(unit: Unit, previous: Unit | None) -> bool:
    """专栏1　…: the title of a box inside the text, heading the lines it lists."""
    if BOX_TITLE.match(unit.text) and len(unit.lines) == 1:
        unit.kind = "box-title"
        return True
    return False


def _docno(unit: Unit, previous: Unit | None) -> bool:
    if DOCNO.match(unit.text):
        unit.kind = "docno"
        return True
    return False


def is_bare_name(text: str) -> bool:
    """Whether a line can be just a person's name (2 to 4 characters): not the last line of a
    document's title (实施方案) or a part's heading (前言)."""
    return (NAME_ONLY.match(text) is not None and len(text) <= 4 and DOC_TITLE_END.search(text) is None
            and text not in DIVISIONS)


def is_issuer(text: str) -> bool:
    """Whether a line is just the name of an issuing body (not a desk: 理论周刊编辑部)."""
    return len(text) <= 24 and ISSUER_NAME.fullmatch(text) is not None and ORG_BYLINE.fullmatch(text) is None


def _byline(unit: Unit, previous: Unit | None) -> bool:
    if len(unit.lines) > 1:
        return False
    credit = parse_credit(unit.text)
    if credit and not credit.photo:
        unit.kind, unit.credit = "byline", Credit(credit.org, "reporter", credit.names)
        return True
    body = BYLINE_MARK.sub("", unit.text)
    if ORG_BYLINE.fullmatch(body):
        unit.kind, unit.credit = "byline", Credit(body, "organisation", [body])
        return True
    office = OFFICE_BYLINE.fullmatch(body)
    # An office and a name sign a speech or report under its head (title, subtitle, date);
    # elsewhere such a line is what the text says (structure.py reads one closing a piece).
    if office and previous is not None and previous.kind in BYLINE_AFTER:
        unit.kind, unit.credit = "byline", Credit(office["office"], "author", [office["name"]])
        return True
    marked = MARKED_NAME.match(unit.text)
    if marked:
        unit.kind, unit.credit = "byline", Credit("", "author", [marked["name"]])
        return True
    return False


def _caption(unit: Unit, previous: Unit | None) -> bool:
    if PHOTO_CREDIT.fullmatch(unit.text) and len(unit.text) <= 40:
        unit.kind = "photo-credit"
        unit.caption = CaptionInfo("", unit.text, _credit_names(unit.text))
        return True
    caption = parse_photo_caption(unit.text)
    if caption is None and CAPTION_START.match(unit.text) and len(unit.text) <= 160 and is_terminated(unit.text):
        caption = CaptionInfo(unit.text, "", [])
    if caption is not None:
        unit.kind, unit.caption = "caption", caption
        return True
    return False


def _notes(unit: Unit, previous: Unit | None) -> bool:
    """Lines in brackets that are no sentence: cross references, responsibility and author
    notes, the 此件公开发布 line, staff credits, a story's （完）."""
    for kind, pattern in (("xref", XREF), ("resp", RESPONSIBILITY), ("author-note", AUTHOR_NOTE),
                          ("pubnote", PUBLICATION_NOTE), ("staff", STAFF), ("staff", SOURCE_LINE), ("staff", END_MARK)):
        if pattern.match(unit.text):
            unit.kind = kind
            return True
    return False


def _message_title(unit: Unit, previous: Unit | None) -> bool:
    """留言标题：…: the message's title, without its label (a headline: structure.py reads it)."""
    found = MESSAGE_TITLE.match(unit.text) if len(unit.lines) == 1 else None
    if found:
        unit.kind, unit.text = "headline", found["title"]
    return found is not None


def _dispatch_title(unit: Unit, previous: Unit | None) -> bool:
    """A wire commentary's dateline and title on one line (新华社北京11月20日电　题：…): a
    headline, its dateline kept with it."""
    dateline = parse_dateline(unit.text) if len(unit.lines) == 1 else None
    found = DISPATCH_TITLE.match(unit.text[len(dateline.text):].lstrip(_STRIP)) if dateline else None
    if dateline is None or found is None:
        return False
    unit.kind, unit.dateline, unit.text = "headline", dateline, found["title"]
    return True


def _dateline(unit: Unit, previous: Unit | None) -> bool:
    dateline = parse_dateline(unit.text)
    if dateline is None:
        return False
    unit.dateline = dateline
    if len(dateline.text) >= len(unit.text.rstrip(_STRIP)):
        unit.kind = "dateline"
        return True
    return False      # a paragraph that opens with a dateline: still a paragraph


def _date(unit: Unit, previous: Unit | None) -> bool:
    if DATE_ONLY.match(unit.text):
        unit.kind = "date"
        return True
    if DATE_NOTE.match(unit.text):
        unit.kind = "date-note"       # the piece's printed date, never a paragraph of its text
        return True
    return False


def _numbered(unit: Unit, previous: Unit | None) -> bool:
    number = parse_number(unit.text)
    if number is None:
        return False
    unit.number = number
    short = len(unit.text) <= 48 and not number.lead
    if number.style == "article":
        return False  # 第一条 … is an article of a law or rule: its text, the number run in
    if short and (not is_terminated(unit.text) or unit.text.count("。") <= 1) and "\n" not in unit.text:
        unit.kind = "numbered"
        return True
    return False      # a numbered paragraph, read as a paragraph with a run-in lead


def _dash(unit: Unit, previous: Unit | None) -> bool:
    if DASH.match(unit.text) and len(unit.text) > 2 and not is_terminated(unit.text):
        unit.kind = "dash"       # a subtitle, an attribution or a key point: structure.py decides
        return True
    return False


def _item(unit: Unit, previous: Unit | None) -> bool:
    if ITEM.match(unit.text):
        unit.kind = "item"
        unit.rest = ITEM.sub("", unit.text, count=1)
        return True
    return False


def _name_under_headline(unit: Unit, previous: Unit | None) -> bool:
    """A bare name (2 to 4 characters) right under a headline is its author's byline."""
    if previous is not None and previous.kind == "headline" and is_bare_name(unit.text):
        issuer = is_issuer(unit.text)   # 财政部, 商务部: a body, not a person
        unit.kind, unit.credit = "byline", Credit(unit.text if issuer else "", "organisation" if issuer else "author",
                                                  [unit.text])
        return True
    return False


def _end_credit(unit: Unit, previous: Unit | None) -> bool:
    """A paragraph closed by its reporters' credit in brackets: a paragraph, the credit split
    off as the byline of the piece it ends."""
    found = END_CREDIT.search(unit.text)
    credit = parse_credit(found["credit"]) if found else None
    if found is None or credit is None or credit.photo:
        return False
    unit.credit = Credit(credit.org, "reporter", credit.names)
    unit.end_credit = found["credit"]
    unit.text = unit.text[:found.start()]
    return False          # still a paragraph: the next rules read it


def _headline(unit: Unit, previous: Unit | None) -> bool:
    if is_headline(unit.text, unit.lines):
        unit.kind = "headline"
        return True
    return False


UNIT_RULES: list[Rule] = [
    _md_heading, _whole, _box_label, _promo, _page_number, _guests, _division, _box_title, _docno, _byline, _caption,
    _notes, _message_title, _dispatch_title, _dateline, _date, _end_credit, _numbered, _dash, _item, _name_under_headline,
    _headline,
]


def classify(units: list[Unit]) -> list[Unit]:
    """Name the kind of every unit with the first rule that applies; the rest are paragraphs."""
    previous: Unit | None = None
    for unit in units:
        if not any(rule(unit, previous) for rule in UNIT_RULES):
            unit.kind = "para"
        previous = unit
    return units
