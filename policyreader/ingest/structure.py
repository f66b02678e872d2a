"""Read units in their context: titles over several lines, subtitles, key points, closing
blocks, salutations, captions whose credit stands on the next line.

Each rule in ``CONTEXT_RULES`` walks the units once (after column breaks are joined) and
renames the kinds it is sure of; the order of the list is the order they run in.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .blocks import (ARCHIVE_PHOTO, CIRCLED, CLOSERS, DOC_TITLE_END, ISSUER_PREFIXES, MONTH_ONLY, OFFICE_BYLINE, PROMO_TAIL,
                     SPEAKER_LABEL, STOCK_SPEAKERS, CaptionInfo, Credit, Unit, has_clause_mark, is_bare_name, is_issuer,
                     is_terminated)
from .joins import cut_evidence

Context = Callable[[list[Unit]], None]
# Units after which a run of short lines is a title: what a piece's head holds.
HEAD_FOLLOWERS = {"byline", "docno", "dateline", "dash", "subtitle", "date-note"}
ISSUER_END = re.compile(r"(?:院|部|委|厅|局|办|办公室|政府|委员会|中心|小组|会|署|行|司|处|组|党委|人大|政协|法院|检察院)$")
SALUTATION = re.compile(r"^(?:(?:各|[^。！？]{0,30}(?:人民政府|委员会|各部门|各单位|各部委|直属机构))[^。！？]{1,200}"
                        r"|同志们|朋友们|女士们、先生们|女士们，先生们)[：:]$")
LIST_INTRO = re.compile(r"[：:]$")
SECTION_NUMBER = re.compile(r"^0[1-9]$")
SECTION_HEADING = re.compile(r"^0[1-9] \S")   # one merge_section_numbers made: a heading, never a title
ATTACHMENTS = re.compile(r"^附件[：:]\s*(?:1|１|一)[.．、]")
SHORT = 45


def _question_title(unit: Unit) -> bool:
    """A seed's first line that asks or exclaims and says nothing more: a title, though it ends
    with ？ or ！ (a speaker's turn has a colon, a paragraph more than one sentence)."""
    text = unit.text.rstrip("”’」』）)")
    return unit.kind == "para" and len(unit.lines) == 1 and len(text) <= 40 and text[-1:] in "？！?!" \
        and not re.search(r"[。；：:]|[？！?!].", text)


def _is_short_line(unit: Unit) -> bool:
    """A complete short line: a headline, or a short unterminated line with no sign of a cut."""
    if unit.kind == "headline":
        return True
    return (unit.kind == "para" and len(unit.text) <= SHORT and not unit.joined and not unit.number and not unit.kept_apart
            and not is_terminated(unit.text) and cut_evidence(unit.text).score < 3)


# By index, never by slice: a slice per unit makes a seed of many lines quadratic.
def _next(units: list[Unit], index: int, skip: tuple[str, ...] = ("joined", "merged")) -> Unit | None:
    for position in range(index + 1, len(units)):
        if units[position].kind not in skip:
            return units[position]
    return None


def _previous(units: list[Unit], index: int) -> Unit | None:
    for position in range(index - 1, -1, -1):
        if units[position].kind not in ("joined", "merged"):
            return units[position]
    return None


def merge_photo_credits(units: list[Unit]) -> None:
    """A photo credit on its own line belongs to the short description before it."""
    for index, unit in enumerate(units):
        if unit.kind != "photo-credit":
            continue
        before = _previous(units, index)
        # An archive note names no photographer: it stands under a photo without a caption as
        # often as under one, so only a single statement above it is that caption.
        archive = re.fullmatch(ARCHIVE_PHOTO, unit.text) is not None
        if (before is not None and before.kind in ("para", "caption") and len(before.text) <= 160
                and is_terminated(before.text) and not before.joined and before.caption is None
                and not (archive and re.search(r"[。！？]", before.text.rstrip(CLOSERS)[:-1]))):
            before.kind = "caption"
            before.caption = CaptionInfo(before.text, unit.text, unit.caption.names if unit.caption else [])
            before.lines = [*before.lines, unit.text]
            before.joined.extend(unit.seed_lines)
            before.end_line = unit.end_line
            unit.kind = "merged"
        else:
            unit.kind = "caption"


def merge_promo_tails(units: list[Unit]) -> None:
    """A promo printed over several lines of one block (扫码观看 / 《…》 / 微视频) is one promo."""
    for index, unit in enumerate(units):
        if unit.kind != "promo":
            continue
        for follower in units[index + 1:index + 3]:
            if follower.block == unit.block and follower.kind == "headline" and PROMO_TAIL.match(follower.text):
                unit.text += follower.text
                unit.lines.append(follower.text)
                unit.joined.extend(follower.seed_lines)
                follower.kind = "merged"
            else:
                break


def mark_printed_contents(units: list[Unit]) -> None:
    """A printed table of contents (目　录 and the headings it lists, each printed again where
    its part begins) is left out: the site makes its own."""
    plain = [re.sub(r"\s+", "", u.text) for u in units]
    last = {text: position for position, text in enumerate(plain)}   # where each text is printed last
    for index, unit in enumerate(units):
        if unit.kind not in ("para", "headline", "numbered", "division") or plain[index] != "目录":
            continue
        listed: list[int] = []
        for position in range(index + 1, len(units)):
            if units[position].kind in ("joined", "merged"):
                continue
            if last[plain[position]] > position and plain[position] not in {plain[p] for p in listed}:
                listed.append(position)
                continue
            break
        if listed:
            for position in (index, *listed):
                units[position].kind = "contents"


def _absorb(unit: Unit, follower: Unit, text: str, kind: str) -> None:
    """``unit`` takes in the line under it: one unit of ``kind`` reading ``text``."""
    unit.text = text
    unit.lines.extend(follower.lines)
    unit.joined.extend(follower.seed_lines)
    unit.kind, follower.kind = kind, "merged"


def merge_speaker_lines(units: list[Unit]) -> None:
    """A speaker's label on a line of its own (主持人 寿小丽： / 国家发展改革委副主任 赵辰昕：), as
    transcripts print them, opens the paragraph under it: one turn."""
    for index, unit in enumerate(units):
        if unit.kind not in ("para", "headline") or unit.text[-1:] not in "：:" \
                or not (SPEAKER_LABEL.fullmatch(unit.text[:-1]) or unit.text[:-1] in STOCK_SPEAKERS):
            continue
        follower = _next(units, index)
        if follower is None or follower.kind != "para":
            continue
        _absorb(unit, follower, unit.text + follower.text, "para")


def merge_issuer_names(units: list[Unit]) -> None:
    """The state's name on a line over an issuing body's (中华人民共和国 / 国务院新闻办公室, as
    white papers print them) is the first part of that body's name."""
    for index, unit in enumerate(units):
        if unit.kind != "headline" or unit.text not in ISSUER_PREFIXES:
            continue
        follower = _next(units, index)
        if follower is not None and follower.kind == "headline" and is_issuer(follower.text):
            _absorb(unit, follower, unit.text + follower.text, "headline")


def merge_section_numbers(units: list[Unit]) -> None:
    """A section number on a line of its own (01, 02, as phone-made layouts set them) over a
    short line is one heading with it: 01 政策体系更加完善."""
    for index, unit in enumerate(units):
        if unit.kind not in ("headline", "para") or not SECTION_NUMBER.match(unit.text):
            continue
        follower = _next(units, index)
        if follower is None or not _is_short_line(follower) or SECTION_NUMBER.match(follower.text):
            continue
        _absorb(unit, follower, f"{unit.text} {follower.text}", "headline")


def mark_titles(units: list[Unit]) -> None:
    """Short lines that head a piece (at the start of the seed or after a document's closing, or
    right before a byline, dateline, document number or subtitle) are its title, however many
    lines it takes."""
    group = 0
    index = 0
    started = False          # whether body text came before
    while index < len(units):
        unit = units[index]
        if unit.kind in ("joined", "merged"):
            index += 1
            continue
        if not started and group == 0 and _question_title(unit):
            group += 1                     # a title asking a question (政策问答｜企业如何…？)
            unit.kind, unit.group = "title", group
            index += 1
            continue
        if _is_short_line(unit) and not SECTION_HEADING.match(unit.text):
            run = [index]
            position = index + 1
            while position < len(units) and len(run) < 4:
                if units[position].kind in ("joined", "merged"):
                    position += 1
                    continue
                if _is_short_line(units[position]) and units[position].kind == "headline" \
                        and not SECTION_HEADING.match(units[position].text):
                    # The body issuing the piece, under its title; not one of several bodies
                    # signing a document over its date (国家发展改革委 / 国家能源局 / 2025年9月18日).
                    after = _next(units, position)
                    if is_issuer(units[position].text) and not any(is_issuer(units[r].text) for r in run) \
                            and not (after is not None and after.kind == "date"):
                        name = units[position].text
                        units[position].kind, units[position].credit = "byline", Credit(name, "organisation", [name])
                        if after is not None and MONTH_ONLY.match(after.text):
                            after.kind = "date-note"     # the month a white paper was issued (2025年3月)
                        break
                    run.append(position)
                    position += 1
                    continue
                break
            follower = _next(units, run[-1])
            heads = follower is not None and (follower.kind in HEAD_FOLLOWERS or follower.dateline is not None
                                              or _signed_at_end(units, run[-1]))
            if follower is not None and follower.kind == "byline" and follower.credit is not None \
                    and follower.credit.role == "organisation" and not follower.text.endswith("评论员") \
                    and not is_issuer(follower.text):
                heads = False       # a desk's name closes a page, it does not head a piece
            if heads or (not started and len(run) <= 3 and follower is not None):
                group += 1
                for position in run:
                    units[position].kind = "title"
                    units[position].group = group
                index = run[-1] + 1
                continue
        if unit.kind not in ("caption", "photo-credit", "promo", "label", "heading", "byline"):
            started = True
        if unit.kind in ("label", "heading"):
            started = False if unit.kind == "heading" and unit.level == 1 else started
        if unit.kind == "pubnote" or (unit.kind == "date" and _signed(units, index)):
            started = False      # a document's closing: what it sends (实施方案) begins with its own title
        index += 1


def _signed(units: list[Unit], index: int) -> bool:
    """Whether the date at ``index`` closes a document: a body signs over it (…办公厅 / 2025年4月2日)."""
    before = _previous(units, index)
    return before is not None and len(before.text) <= 40 and not is_terminated(before.text) \
        and ISSUER_END.search(before.text.split()[-1]) is not None


def _signed_at_end(units: list[Unit], index: int) -> bool:
    """Whether the paragraphs under a headline end with their reporters' credit (…。（记者　王五）):
    a short item of its own on a page, not a section of the piece before."""
    for position in range(index + 1, min(len(units), index + 12)):
        unit = units[position]
        if unit.kind in ("joined", "merged", "caption", "photo-credit"):
            continue
        if unit.kind != "para":
            return False
        if unit.end_credit:
            return True
    return False


def mark_mastheads(units: list[Unit]) -> None:
    """A masthead over a document's number (国家税务总局公告 / 2025年第5号, …文件 / 国发〔2025〕5号)
    is read with the number; the title is what follows the number (…关于…的公告), however many
    lines it takes."""
    for index, unit in enumerate(units):
        if unit.kind != "docno":
            continue
        before = _previous(units, index)
        if before is None or before.kind != "title" or "关于" in before.text:
            continue
        lines: list[Unit] = []
        position = index + 1
        while position < len(units) and len(lines) < 3:
            line = units[position]
            position += 1
            if line.kind in ("joined", "merged"):
                continue
            if line.kind not in ("headline", "para", "keypoint") or len(line.text) > 60 or is_terminated(line.text):
                break
            lines.append(line)
            title = "".join(u.text for u in lines)
            if "关于" in title and DOC_TITLE_END.search(title):
                for head in range(index):
                    if units[head].kind == "title" and units[head].group == before.group:
                        units[head].kind = "docno"
                for line in lines:
                    line.kind, line.group = "title", before.group
                break


def read_dashes(units: list[Unit]) -> None:
    """A line opening with —— is a subtitle under a title, a key point in a run of them or
    after a line ending with a colon, and otherwise a quotation's attribution."""
    for index, unit in enumerate(units):
        if unit.kind != "dash":
            continue
        before = _previous(units, index)
        after = _next(units, index)
        if (before is not None and (before.kind == "keypoint" or LIST_INTRO.search(before.text))) or \
                (after is not None and after.kind == "dash"):
            unit.kind = "keypoint"
        elif before is not None and (before.kind in ("title", "heading", "subtitle")):
            unit.kind = "subtitle"
        else:
            unit.kind = "attribution"


def mark_closing(units: list[Unit]) -> None:
    """A document's closing block: issuer lines, the date, and a note such as （此件公开发布）."""
    for index, unit in enumerate(units):
        if unit.kind != "date":
            continue
        before = _previous(units, index)
        if before is None:
            continue
        block = [index]
        position = index - 1
        while position >= 0 and len(block) < 5:
            candidate = units[position]
            if candidate.kind in ("joined", "merged"):
                position -= 1
                continue
            if candidate.kind in ("headline", "title", "para") and len(candidate.text) <= 40 \
                    and not is_terminated(candidate.text) and ISSUER_END.search(candidate.text.split()[-1]):
                block.insert(0, position)
                position -= 1
                continue
            break
        position = index + 1
        while position < len(units) and units[position].kind in ("pubnote", "joined", "merged"):
            if units[position].kind == "pubnote":
                block.append(position)
            position += 1
        for position in block:
            units[position].kind = "closing"
    for unit in units:
        if unit.kind == "pubnote":
            unit.kind = "closing"


def mark_salutations(units: list[Unit]) -> None:
    """The addressees of a document (各省、自治区、直辖市人民政府…：) before its first paragraph."""
    body_seen = False
    for unit in units:
        if unit.kind == "para" and not body_seen:
            if SALUTATION.match(unit.text) and len(unit.text) <= 200:
                unit.kind = "salutation"
                continue
            body_seen = True
        elif unit.kind in ("numbered", "keypoint"):
            body_seen = True


def mark_listed_numbers(units: list[Unit]) -> None:
    """Short numbered lines after a line ending with a colon (注释：1.… 2.…) are the items it
    introduces, not headings of the text that follows; so are those after a document's list of
    attachments that opens with its first (附件：1.… / 2.…), which joins them, and those a box
    lists under its title (专栏2　重点工程 / 01　…)."""
    for index, unit in enumerate(units):
        before = _previous(units, index)
        if unit.kind != "numbered" or before is None or \
                before.kind not in ("para", "headline", "keypoint", "box-title"):
            continue
        if ATTACHMENTS.match(before.text):
            before.kind = "keypoint"
        elif not LIST_INTRO.search(before.text) and before.kind != "box-title":
            continue
        assert unit.number is not None
        rank = unit.number.rank
        run = []
        for position in range(index, len(units)):
            follower = units[position]
            if follower.kind in ("joined", "merged"):
                continue
            if follower.kind != "numbered" or follower.number is None or follower.number.rank != rank:
                break
            run.append(position)
        if not _numbering_goes_on(units, run[-1]):
            for position in run:
                units[position].kind = "keypoint"


def _numbering_goes_on(units: list[Unit], start: int) -> bool:
    """Whether the next number of the style at ``start`` comes after text of its own: then the
    numbered lines head sections (…通告如下： / 一、… / text / 二、…), they list nothing."""
    last = units[start]
    assert last.number is not None
    for position in range(start + 1, len(units)):
        unit = units[position]
        if unit.number is not None and unit.number.rank == last.number.rank and unit.kind in ("numbered", "para"):
            return unit.number.value == last.number.value + 1 and position > start + 1
        if unit.number is not None and unit.number.rank < last.number.rank:
            return False
    return False


def mark_notes(units: list[Unit]) -> None:
    """Lines led by ①, ② … whose marks the text set after its sentences (…动力。①) are its notes,
    a list, even without a 注释： over them; never headings or items of the text."""
    marked: set[str] = set()          # marks the text has set so far
    note = 0                          # the number of the note just read, 0 after anything else
    for unit in units:
        if unit.kind in ("joined", "merged"):
            continue
        if unit.number is not None and unit.number.style == "circled" and unit.kind in ("numbered", "para") \
                and (unit.number.marker in marked or (note and unit.number.value == note + 1)):
            unit.kind, note = "keypoint", unit.number.value
            continue
        note = 0
        if unit.kind in ("para", "item"):
            # a mark after a sentence or a word (…动力。①, …公里③，), not an item run in (：①…；②…)
            marked.update(ch for before, ch in zip(unit.text, unit.text[1:]) if ch in CIRCLED and before not in "：:；;，,、（(")


def mark_key_points(units: list[Unit]) -> None:
    """Two or more short complete lines in a row inside the text are a list of key points."""
    index = 0
    while index < len(units):
        if not _is_short_line(units[index]):
            index += 1
            continue
        run = [index]
        position = index + 1
        while position < len(units):
            if units[position].kind in ("joined", "merged"):
                position += 1
                continue
            if _is_short_line(units[position]):
                run.append(position)
                position += 1
                continue
            break
        follower = _next(units, run[-1])
        if len(run) >= 2 and not (follower is not None and follower.kind == "byline"):
            for position in run:
                units[position].kind = "keypoint"
        index = run[-1] + 1


def mark_end_bylines(units: list[Unit]) -> None:
    """A bare name right after a title, or closing a piece, is its author's byline; so is an
    office and a name closing a piece (a letter signed 贵州省省长　李炳军)."""
    for index, unit in enumerate(units):
        if unit.kind not in ("headline", "keypoint"):
            continue
        office = OFFICE_BYLINE.fullmatch(unit.text)
        if not office and not is_bare_name(unit.text):
            continue
        before, after = _previous(units, index), _next(units, index)
        closes = before is not None and before.kind == "para" and \
            (after is None or after.kind in ("title", "label", "heading"))
        if not closes and not (before is not None and before.kind == "title" and not office):
            continue
        unit.kind = "byline"
        unit.credit = (Credit(office["office"], "author", [office["name"]]) if office
                       else Credit("", "author", [unit.text]))


def mark_subheads(units: list[Unit]) -> None:
    """A short unterminated line with a comma or colon, followed by text, is a sub-head."""
    for index, unit in enumerate(units):
        if unit.kind == "para" and _is_short_line(unit) and len(unit.text) <= 32 and has_clause_mark(unit.text):
            after = _next(units, index)
            if after is not None and after.kind == "para":
                unit.kind = "headline"


CONTEXT_RULES: list[Context] = [
    merge_photo_credits, merge_promo_tails, mark_printed_contents, merge_speaker_lines, merge_issuer_names,
    merge_section_numbers, mark_titles, mark_mastheads, read_dashes, mark_closing, mark_salutations, mark_end_bylines,
    mark_listed_numbers, mark_notes, mark_key_points, mark_subheads,
]


def read_structure(units: list[Unit]) -> list[Unit]:
    """Run every context rule over the units, in order."""
    for rule in CONTEXT_RULES:
        rule(units)
    return units
