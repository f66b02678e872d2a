"""Recover the article from its units: join column breaks, read the structure, attribute
speakers, group the page into pieces, and put the pieces in reading order."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BuildError, Report
from ..sources.seeds import Seed
from ..text.names import Spell, person_id, pinyin_words, slugify
from .blocks import (ANSWERER_TITLE, BOX_LABELS, DOC_TITLE_END, MODERATOR, OFFICE_NAME, REPLY_UNIT, SPEAKER_LABEL,
                     STOCK_SPEAKERS, Unit, classify, heading_text, is_terminated, join_text, split_blocks)
from .document import (Byline, Caption, Closing, Document, Heading, KeyPoints, Leftover, Paragraph,
                       Participant, Piece, Quote, Run, Timeline, TimelineItem)
from .joins import cut_evidence, join_column_breaks
from .structure import read_structure

ASKERS = {MODERATOR, "问", "记者"}
# Reading order of piece kinds on a multi-piece page; equal ranks keep the seed's order.
KIND_RANK = {"lead": 0, "editors-note": 1, "report": 2, "roundtable": 2, "interview": 2, "document": 2,
             "article": 2, "commentary": 3, "data": 4, "timeline": 4, "box": 4}
DATE_PREFIX = re.compile(
    r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日(?:至(?:\d{1,2}月)?\d{1,2}日)?|[上中下]+旬)?)?")
BOLD = re.compile(r"\*\*(.+?)\*\*")
LABEL = re.compile(rf"^(?P<label>{SPEAKER_LABEL.pattern}|[^：:，。！？\s]{{1,6}})[：:]")
NOTE_ROLES = {"docno", "salutation", "subtitle", "xref", "resp", "author-note", "staff", "dateline"}
FUNCTION_END = "的之和与及并对把被将从向于为以关于印发"


def inline_runs(text: str) -> list[Run]:
    """Split seed text into plain and ``**bold**`` runs (the seeds mark data figures so)."""
    runs: list[Run] = []
    position = 0
    for match in BOLD.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position:match.start()]))
        runs.append(Run(match.group(1), "bold"))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


@dataclass
class Speakers:
    """Who speaks in the seed: label as printed → participant."""

    by_label: dict[str, Participant] = field(default_factory=dict)
    repeated: list[Leftover] = field(default_factory=list)

    def label_of(self, text: str) -> str | None:
        """The speaker label a paragraph opens with, if it is one of this seed's."""
        match = LABEL.match(text)
        return match["label"] if match and match["label"] in self.by_label else None


def _after_number(unit: Unit) -> str:
    """A paragraph's text after the number it opens with (a numbered question: 1.问：…)."""
    if unit.number is None:
        return unit.text
    return unit.text[len(unit.number.marker):].lstrip(" \u3000")


def _introduced_as(units: list[Unit], name: str) -> str | None:
    """The office an interview gives its guest where it introduces them, in its subtitle or its
    opening (——访某省农业农村厅厅长陈国强; 记者专访了某省农业农村厅厅长陈国强): no guest list."""
    found = re.compile(rf"(?:^——(?:专访|访谈|访问|对话|访)?|专访|采访|访问|对话)了?"
                       rf"(?P<office>[^，。、；：“”]{{2,30}}?){re.escape(name)}")
    for unit in units:
        match = found.search(unit.text) if unit.kind in ("dash", "para") else None
        if match and OFFICE_NAME.fullmatch(match["office"]):
            return match["office"]
        if unit.kind == "para" and LABEL.match(unit.text):
            return None                  # the turns have begun
    return None


def find_speakers(units: list[Unit], spell: Spell = pinyin_words) -> Speakers:
    """The seed's speakers: the moderator and guests of a round-table, 问/答 and 记者 turns, and
    names that open two or more paragraphs in a text that has an interviewer's turns."""
    opening = [m["label"] for u in units if u.kind == "para" and (m := LABEL.match(_after_number(u)))]
    guests = [(g, u.line) for u in units if u.kind in ("guests", "guest") for g in u.guests]
    used_stock = [label for label in dict.fromkeys(opening) if label in STOCK_SPEAKERS]
    # A message board's labels are turns only as a question and its reply: a report quoting one
    # netizen (网友：…) gives the rest of its text no speaker.
    board = [label for label in used_stock if STOCK_SPEAKERS[label][0] in ("netizen", "reply")]
    if len({STOCK_SPEAKERS[label][0] for label in board}) < 2:
        used_stock = [label for label in used_stock if label not in board]
    people: list[Participant] = []
    if MODERATOR in used_stock:
        people.append(Participant("moderator", MODERATOR, MODERATOR, None, None))
    repeated: list[Leftover] = []
    for guest, line in guests:
        if any(p.name == guest.name for p in people):
            # A guest listed twice: one participant, the repeat kept for the editor.
            repeated.append(Leftover(line, "repeated-guest", f"{guest.name} {guest.position or ''}".strip()))
            continue
        people.append(Participant(person_id(guest.name, spell), guest.name, "嘉宾", guest.position, line))
    # Who answers: the office a message board names (回复单位：…), the one a 答记者问's title names.
    replier = next((m["unit"] for u in units if u.kind == "staff" and (m := REPLY_UNIT.match(u.text))), None)
    answerer = next((m["who"] for u in units[:3] if (m := ANSWERER_TITLE.match(u.text))), None)
    for label in used_stock:
        if label != MODERATOR:
            ident, role = STOCK_SPEAKERS[label]
            position = {"reply": replier, "answer": answerer}.get(ident)
            people.append(Participant(ident, label, role, position, None))
    if any(label in ASKERS for label in used_stock):
        known = {p.name for p in people}
        counts: dict[str, int] = {}
        for label in opening:
            counts[label] = counts.get(label, 0) + 1
        for label, count in counts.items():
            if label not in known and count >= 2 and re.fullmatch(r"[\u3400-\u9fff·]{2,4}", label) \
                    and not label.endswith(("方面", "来看", "显示", "表示", "指出", "认为", "介绍")):
                people.append(Participant(person_id(label, spell), label, "受访者", _introduced_as(units, label), None))
    # A transcript's labels: the host by name, officials by office and name, reporters by outlet.
    labelled: dict[str, Participant] = {}
    for label in dict.fromkeys(opening):
        found = SPEAKER_LABEL.fullmatch(label)
        if found is None or label in STOCK_SPEAKERS:
            continue
        if found["host"]:
            labelled[label] = Participant("moderator", found["host"], MODERATOR, None, None)
        elif found["name"]:
            same = next((p for p in [*people, *labelled.values()] if p.name == found["name"]), None)
            labelled[label] = same or Participant(person_id(found["name"], spell), found["name"], "嘉宾", found["office"], None)
        else:
            labelled[label] = Participant("reporter", label, "记者", None, None)
    for person in labelled.values():
        if not any(person is known for known in people):
            people.append(person)
    seen: set[str] = set()
    for person in people:
        base, n = person.id or "speaker", 2
        person.id = base
        while person.id in seen:
            person.id, n = f"{base}-{n}", n + 1
        seen.add(person.id)
    return Speakers({**{p.name: p for p in people}, **labelled}, repeated)


def join_title(lines: list[str]) -> str:
    """A title printed over several lines, as one line: no space where a line breaks a phrase
    (关于…的 / 意见), one space between phrases that each stand alone."""
    lines = [heading_text(line) for line in lines]
    title = lines[0]
    for line in lines[1:]:
        whole = title + line
        glued = (title.endswith(tuple(FUNCTION_END)) or line.startswith(("的", "《", "（", "(")) or title.endswith("》")
                 or ("关于" in whole and DOC_TITLE_END.search(whole) is not None) or len(line) <= 4)
        title = join_text(title, line) if glued else f"{title} {line}"
    return title


class _PageBuilder:
    """Walks the units in seed order and groups them into pieces."""

    def __init__(self, seed: Seed, speakers: Speakers, report: Report) -> None:
        self.seed = seed
        self.report = report
        self.speakers = speakers
        self.pieces: list[Piece] = []
        self.leftovers: list[Leftover] = []
        self.speaker: str | None = None
        self.piece = self._new_piece(None, 1)
        self.held: Piece | None = None         # the piece a dropped headline interrupted
        self.hold_until = -1
        self.numbering: dict[int, int] = {}    # style rank → current value, for section ids
        self.anchors: set[str] = set()

    def _new_piece(self, title: str | None, line: int, label: str | None = None) -> Piece:
        piece = Piece(id="", kind="", title=title, first_line=line, last_line=line, label=label)
        self.pieces.append(piece)
        self.speaker = None
        self.numbering = {}
        return piece

    def _is_empty(self) -> bool:
        return not self.piece.blocks and not self.piece.title and not self.piece.bylines

    def _has_body(self, piece: Piece) -> bool:
        return any(isinstance(b, Paragraph) and b.role is None for b in piece.blocks)

    def _start(self, title: str | None, line: int, label: str | None = None) -> None:
        if self._is_empty():
            self.piece.title, self.piece.first_line, self.piece.label = title, line, label
            self.speaker, self.numbering = None, {}
        else:
            self.piece = self._new_piece(title, line, label)

    # ---- paragraphs ----------------------------------------------------------------------
    def _paragraph(self, unit: Unit, role: str | None = None) -> Paragraph:
        text = unit.text
        runs: list[Run] = []
        label = self.speakers.label_of(text) if role is None else None
        numbered = None
        if not label and role is None and unit.number is not None and unit.kind == "para":
            numbered = self.speakers.label_of(_after_number(unit))
        if label:
            self.speaker = self.speakers.by_label[label].id
            runs.append(Run(label, "speaker"))
            text = text[len(label):]
        elif numbered:   # 1.问：… a numbered turn: its number, then who speaks
            assert unit.number is not None
            self.speaker = self.speakers.by_label[numbered].id
            runs += [Run(unit.number.marker, "runin", anchor=self._anchor(unit)), Run(numbered, "speaker")]
            text = _after_number(unit)[len(numbered):]
        elif unit.dateline is not None and role is None:
            runs.append(Run(unit.dateline.text, "dateline"))
            text = text[len(unit.dateline.text):].lstrip(" \u3000")
        elif unit.number is not None and unit.kind == "para":
            lead = unit.number.marker if unit.number.style == "article" else unit.number.lead or unit.number.marker
            runs.append(Run(lead, "runin", anchor=self._anchor(unit)))
            text = unit.text[len(lead):]
        runs.extend(inline_runs(text))
        return Paragraph(runs=runs, line=unit.line, speaker=self.speaker if role is None else None, role=role,
                         truncated=unit.truncated, lines=unit.seed_lines)

    def _anchor(self, unit: Unit) -> str:
        """A stable id for a numbered heading or item: its numbers from the top level down."""
        number = unit.number
        assert number is not None
        self.numbering = {rank: value for rank, value in self.numbering.items() if rank < number.rank}
        self.numbering[number.rank] = number.value
        base = "sec-" + "-".join(str(v) for _, v in sorted(self.numbering.items()))
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return anchor

    # ---- placing units -------------------------------------------------------------------
    def add(self, units: list[Unit]) -> None:
        """Place every unit: new pieces, body blocks, metadata or leftovers."""
        for index, unit in enumerate(units):
            if unit.kind in ("joined", "merged"):
                continue
            target = self.piece
            if self.held is not None and index < self.hold_until and unit.kind not in ("title", "label", "heading",
                                                                                        "byline", "promo"):
                self.piece = self.held          # the interrupted piece's own text, until the other's begins
            if self._is_empty():
                self.piece.first_line = unit.line
            self._place(unit, units, index)
            self.piece.last_line = max(self.piece.last_line, unit.end_line)
            if self.piece is self.held:
                self.piece = target
            if index + 1 == self.hold_until:
                self.held = None

    def _place(self, unit: Unit, units: list[Unit], index: int) -> None:
        kind, piece = unit.kind, self.piece
        if kind == "heading":
            if unit.level == 1 or self._is_empty():
                self._start(unit.label, unit.line)
            else:
                piece.blocks.append(Heading(unit.label, unit.line))
        elif kind == "label":
            if BOX_LABELS[unit.label] in ("editors-note", "summary"):   # a summary leaves its piece as it is
                if BOX_LABELS[unit.label] == "editors-note":
                    piece.label = unit.label
                piece.blocks.append(Paragraph([Run(unit.label)], unit.line, role="label", lines=unit.seed_lines))
            else:
                self._start(unit.label, unit.line, unit.label)
            if unit.rest:
                self.piece.blocks.append(Paragraph(inline_runs(unit.rest), unit.line, lines=unit.seed_lines))
        elif kind == "title":
            self._title(unit, units, index)
        elif kind == "byline":
            assert unit.credit is not None
            self.piece.bylines.append(Byline(unit.text, unit.credit.names, unit.credit.role, unit.line))
        elif kind in ("caption", "photo-credit"):
            caption = unit.caption
            assert caption is not None
            self.piece.blocks.append(Caption(inline_runs(caption.description), caption.credit, unit.line,
                                             unit.seed_lines))
        elif kind in ("promo", "contents", "page-number"):
            self.leftovers.append(Leftover(unit.line, kind, unit.text))
        elif kind == "attribution":
            self._attribute(unit)
        elif kind == "item":
            self._item(unit)
        elif kind == "keypoint":
            self._keypoint(unit)
        elif kind == "closing":
            self._closing(unit)
        elif kind == "numbered":
            anchor = self._anchor(unit)
            assert unit.number is not None
            level = min(6, 3 + self._depth(unit.number.rank, units))
            piece.blocks.append(Heading(heading_text(unit.text), unit.line, level, anchor))
        elif kind in ("headline", "division", "box-title"):
            piece.blocks.append(Heading(heading_text(unit.text), unit.line))
        elif kind == "staff":
            self.piece = self._page_end(units, index)
            self.piece.blocks.append(self._paragraph(unit, role=kind))
        elif kind in ("docno", "salutation", "subtitle", "xref", "resp", "author-note"):
            piece.blocks.append(self._paragraph(unit, role=kind))
        elif kind == "dateline":
            self._report_start(unit)
            assert unit.dateline is not None
            self.piece.blocks.append(Paragraph([Run(unit.text, "dateline")], unit.line, role="dateline",
                                               lines=unit.seed_lines))
        elif kind == "date-note":   # the printed date under a title: when it was given or adopted
            piece.blocks.append(Paragraph([Run(unit.text)], unit.line, role="dateline", lines=unit.seed_lines))
        elif kind in ("para", "date"):
            if unit.dateline is not None:
                self._report_start(unit)
            self.piece.blocks.append(self._paragraph(unit))
            if unit.end_credit and unit.credit is not None:
                self.piece.bylines.append(Byline(unit.end_credit, unit.credit.names, unit.credit.role, unit.line))
        # guests and guest units became participants

    def _page_end(self, units: list[Unit], index: int) -> Piece:
        """Where small print goes: its piece, but the page's editor and edition lines closing a
        page after a box (相关阅读, 链接 …) go with the text before the box, not into it."""
        boxed = self.piece.label is not None and BOX_LABELS[self.piece.label] in ("box", "data", "timeline")
        if not boxed or any(units[p].kind not in ("staff", "joined", "merged") for p in range(index + 1, len(units))):
            return self.piece
        text = [p for p in self.pieces if p.label is None or BOX_LABELS[p.label] not in ("box", "data", "timeline")]
        return text[-1] if text else self.piece

    def _depth(self, rank: int, units: list[Unit]) -> int:
        """How deep a numbering style sits among the styles this seed uses (0 is the top)."""
        ranks = sorted({u.number.rank for u in units if u.number is not None and u.kind in ("numbered", "para")})
        return ranks.index(rank) if rank in ranks else 0

    def _title(self, unit: Unit, units: list[Unit], index: int) -> None:
        if index > 0 and any(u.group == unit.group for u in units[:index] if u.kind == "title"):
            return                                   # a later line of a title already placed
        lines = [u for u in units if u.kind == "title" and u.group == unit.group]
        title = join_title([u.text for u in lines])
        interrupted = self.piece if unit.inside_break and self._has_body(self.piece) else None
        # A masthead and number printed over the title (国家税务总局公告 / 2025年第5号) head its piece.
        masthead = (self.piece.title is None and bool(self.piece.blocks) and not self.piece.bylines
                    and all(isinstance(b, Paragraph) and b.role == "docno" for b in self.piece.blocks))
        self.piece = self._new_piece(title, unit.line) if not (self._is_empty() or masthead) else self.piece
        if self.piece.title is None:
            self.piece.title = title
            self.piece.first_line = self.piece.first_line if masthead else unit.line
        self.piece.title_lines = tuple(u.line for u in lines) if len(lines) > 1 else ()
        for line in lines:   # a wire commentary's dateline, printed before its title (…电　题：…)
            if line.dateline is not None:
                self.piece.blocks.append(Paragraph([Run(line.dateline.text, "dateline")], line.line, role="dateline",
                                                   lines=line.seed_lines))
        if interrupted is not None:
            # The page dropped this piece's head inside another's column break: the other piece
            # keeps its text until this one's own text begins (its dateline), if it has one.
            start = self._own_text_start(units, index)
            if start is not None:
                self.held, self.hold_until = interrupted, start
                self.piece.body_from = units[start].line

    @staticmethod
    def _own_text_start(units: list[Unit], index: int) -> int | None:
        for position in range(index + 1, len(units)):
            unit = units[position]
            if unit.kind in ("title", "label", "heading"):
                return None
            if unit.dateline is not None:
                body_before = any(u.kind == "para" for u in units[index + 1:position])
                return position if body_before else None
        return None

    def _report_start(self, unit: Unit) -> None:
        """A dateline opens a report: a new piece if this one already has a report's text."""
        assert unit.dateline is not None
        if any(b.role == "dateline" or (b.runs and b.runs[0].kind == "dateline")
               for b in self.piece.blocks if isinstance(b, Paragraph)):
            self.piece = self._new_piece(None, unit.line)
        if unit.dateline.names:
            self.piece.bylines.append(Byline(unit.dateline.text, unit.dateline.names, "dateline", unit.line))

    def _attribute(self, unit: Unit) -> None:
        attribution = Paragraph(inline_runs(unit.text), unit.line, role="attribution", lines=unit.seed_lines)
        blocks = self.piece.blocks
        if blocks and isinstance(blocks[-1], Paragraph) and blocks[-1].role is None:
            blocks[-1] = Quote([blocks[-1]], attribution)
        else:
            self.report.warn(self.seed.shown, unit.line, "attribution line with no quotation before it")
            blocks.append(attribution)

    def _item(self, unit: Unit) -> None:
        text = unit.rest
        date = DATE_PREFIX.match(text)
        if self.piece.label and BOX_LABELS.get(self.piece.label) == "timeline" and date:
            item = TimelineItem(date.group(), inline_runs(text[date.end():]), unit.line)
            if self.piece.blocks and isinstance(self.piece.blocks[-1], Timeline):
                self.piece.blocks[-1].items.append(item)
            else:
                self.piece.blocks.append(Timeline([item]))
        else:
            self.piece.blocks.append(self._paragraph(unit))

    def _keypoint(self, unit: Unit) -> None:
        item = Paragraph(inline_runs(unit.text), unit.line, lines=unit.seed_lines)
        if self.piece.blocks and isinstance(self.piece.blocks[-1], KeyPoints):
            self.piece.blocks[-1].items.append(item)
        else:
            self.piece.blocks.append(KeyPoints([item]))

    def _closing(self, unit: Unit) -> None:
        line = Paragraph(inline_runs(unit.text), unit.line, lines=unit.seed_lines)
        if self.piece.blocks and isinstance(self.piece.blocks[-1], Closing):
            self.piece.blocks[-1].lines.append(line)
        else:
            self.piece.blocks.append(Closing([line]))


def _kind(piece: Piece, first: bool, speakers: Speakers) -> str:
    if piece.label:
        return BOX_LABELS[piece.label]
    turns = {b.speaker for b in piece.blocks if isinstance(b, Paragraph) and b.speaker}
    if turns:
        roles = {p.role for p in speakers.by_label.values() if p.id in turns}
        return "roundtable" if roles & {MODERATOR, "嘉宾"} else "interview"
    paragraphs = [b for b in piece.blocks if isinstance(b, Paragraph)]
    numbered = sum(1 for b in piece.blocks if isinstance(b, Heading) and b.anchor)
    if any(p.role in ("docno", "salutation") for p in paragraphs) or any(isinstance(b, Closing) for b in piece.blocks) \
            or numbered >= 2:
        return "document"
    roles = {b.role for b in piece.bylines}
    if roles & {"reporter", "dateline"}:
        return "report"
    if "author" in roles or any(b.text.endswith("评论员") for b in piece.bylines):
        return "commentary"
    if first and piece.title is None:
        return "lead"
    return "article"


def _name_pieces(pieces: list[Piece], speakers: Speakers) -> None:
    seen: set[str] = set()
    for index, piece in enumerate(pieces):
        piece.kind = _kind(piece, index == 0, speakers)
        piece.id, n = piece.kind, 2
        while piece.id in seen:
            piece.id, n = f"{piece.kind}-{n}", n + 1
        seen.add(piece.id)


def _reading_order(pieces: list[Piece], order: tuple[str, ...], seed: Seed) -> list[Piece]:
    by_id = {p.id: p for p in pieces}
    for wanted in order:
        if wanted not in by_id:
            known = ", ".join(by_id)
            raise BuildError(seed.sidecar_shown, seed.sidecar.line_of("order"),
                             f"order names piece {wanted!r}, which this seed does not have (pieces: {known})")
    ranked = sorted(pieces, key=lambda p: KIND_RANK.get(p.kind, 2))
    chosen = [by_id[i] for i in order]
    return chosen + [p for p in ranked if p.id not in order]


def paragraphs_of(piece: Piece) -> list[Paragraph]:
    """Every body paragraph of a piece, quotations included, in order."""
    out: list[Paragraph] = []
    for block in piece.blocks:
        if isinstance(block, Paragraph):
            out.append(block)
        elif isinstance(block, Quote):
            out.extend(block.paragraphs)
    return out


def _mark_truncations(units: list[Unit], pieces: list[Piece], seed: Seed, report: Report) -> int | None:
    """Only the last text of a piece can break off, and only if it shows a cut. Other
    unterminated paragraphs with a cut are reported, not marked. Returns the seed's last cut line."""
    last_of_piece = {}
    for piece in pieces:
        body = [p for p in paragraphs_of(piece) if p.role is None]
        if body:
            last_of_piece[body[-1].line] = piece
    last_text = max((p.line for piece in pieces for p in paragraphs_of(piece) if p.role is None), default=0)
    seed_end: int | None = None
    for unit in units:
        if unit.kind not in ("para", "item") or is_terminated(unit.text):
            continue
        evidence = cut_evidence(unit.text)
        if evidence.score < 3:
            continue
        piece = last_of_piece.get(unit.line)
        if piece is None:
            report.warn(seed.shown, unit.end_line, f"line {unit.end_line} ends mid-sentence "
                        f"({'; '.join(evidence.reasons)}) and what follows cannot continue it; kept as printed "
                        "(if the page lost text here, add a fix to the sidecar)")
            continue
        for paragraph in paragraphs_of(piece):
            if paragraph.line == unit.line:
                paragraph.truncated = True
        piece.truncated_line = unit.end_line
        if unit.line == last_text:
            seed_end = unit.end_line
        else:
            report.warn(seed.shown, unit.end_line, f"the last paragraph of piece '{piece.id}' ends mid-sentence "
                        "and nothing after it continues it; marked as breaking off")
    return seed_end


def recover_units(text: str, spell: Spell = pinyin_words) -> tuple[list[Unit], Speakers, list, list]:
    """Units of a seed's text with column breaks joined and structure read."""
    units = classify(split_blocks(text))
    speakers = find_speakers(units, spell)
    joins, apart = join_column_breaks(units, set(speakers.by_label))
    read_structure(units)
    return units, speakers, joins, apart


def _title(seed: Seed, units: list[Unit], pieces: list[Piece]) -> str:
    """The sidecar's title, else the first "# " heading, else the title (every line of it) of
    the first titled piece in reading order, else the first headline, else the file name."""
    headings = [u for u in units if u.kind == "heading" and u.level == 1]
    headlines = [u for u in units if u.kind == "headline"]
    return (seed.sidecar.title or (headings[0].label if headings else None)
            or next((p.title for p in pieces if p.title and not p.label), None)
            or (headlines[0].text if headlines else None) or seed.path.stem)


def derive_slug(seed: Seed, spell: Spell = pinyin_words) -> str:
    """The slug a seed gets from its sidecar, or else from its title (read as assemble reads it)."""
    if seed.sidecar.slug:
        return seed.sidecar.slug
    title = seed.sidecar.title
    if title is None:
        heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", seed.text, re.M)
        title = heading.group(1) if heading else assemble(seed, Report(), spell).title
    return slugify(title, spell=spell) or slugify(seed.path.stem, spell=spell) or "article"


def assemble(seed: Seed, report: Report, spell: Spell = pinyin_words) -> Document:
    """Recover a seed's article: a Document with pieces, participants, joins and leftovers."""
    units, speakers, joins, apart = recover_units(seed.text, spell)
    for kept in apart:
        report.warn(seed.shown, kept.line, f"line {kept.line} ends without punctuation and line {kept.next_line} "
                    f"may continue it ({kept.why}); kept apart: if a column break cut it, join them with a fix")
    builder = _PageBuilder(seed, speakers, report)
    builder.add(units)
    pieces = [p for p in builder.pieces if p.blocks or p.title or p.bylines]
    _name_pieces(pieces, speakers)
    truncated = _mark_truncations(units, pieces, seed, report)
    pieces = _reading_order(pieces, seed.sidecar.order, seed)
    title = _title(seed, units, pieces)
    slug = seed.sidecar.slug or slugify(title, spell=spell) or slugify(seed.path.stem, spell=spell) or "article"
    participants = list({p.id: p for p in speakers.by_label.values()}.values())
    return Document(title=title, slug=slug, date=seed.sidecar.date, date_note=seed.sidecar.date_note,
                    source=seed.sidecar.source, pieces=pieces, participants=participants,
                    leftovers=builder.leftovers + speakers.repeated, truncated_line=truncated, joins=joins, kept_apart=apart)
