"""Recover the article from classified blocks: join column breaks, attribute speakers,
group the page into pieces, and put the pieces in reading order."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BuildError, Report
from ..sources.seeds import Seed
from ..text.names import person_id, slugify
from .blocks import BOX_LABELS, RawBlock, is_terminated
from .document import (Byline, Caption, Document, Heading, Leftover, Paragraph, Participant,
                       Piece, Quote, Run, Timeline, TimelineItem)

# Blocks a column break can jump over: the page put them between two halves of a paragraph.
SKIPPABLE = {"guests", "guest", "byline", "headline", "caption", "promo"}
MODERATOR = "主持人"
# Reading order of piece kinds on a multi-piece page; equal ranks keep the seed's order.
KIND_RANK = {"lead": 0, "editors-note": 1, "report": 2, "roundtable": 2, "article": 2,
             "commentary": 3, "data": 4, "timeline": 4, "box": 4}
DATE_PREFIX = re.compile(
    r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日(?:至(?:\d{1,2}月)?\d{1,2}日)?|[上中下]+旬)?)?")
BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class _Join:
    """Where a column break was repaired, for the editor's record."""

    line: int
    continued_at: int


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


def join_column_breaks(blocks: list[RawBlock], speaker_labels: set[str]) -> list[_Join]:
    """Join paragraphs cut by a column break, also across blocks the page set between them.

    A paragraph that does not end a sentence continues in the next body paragraph, skipping
    guest lists, bylines, headlines and captions; a speaker's turn or a dated item never
    continues a paragraph. Paragraphs with no continuation are marked truncated.
    """
    joins: list[_Join] = []
    for index, block in enumerate(blocks):
        if block.kind not in ("para", "item"):
            continue
        while not is_terminated(block.text):
            follower = None
            for candidate in blocks[index + 1:]:
                if candidate.kind in SKIPPABLE:
                    continue
                if candidate.kind == "para" and not _speaker_label(candidate.text, speaker_labels):
                    follower = candidate
                break
            if follower is None:
                block.data["truncated"] = True
                break
            joins.append(_Join(block.line, follower.line))
            block.text += follower.text
            block.data["last_line"] = follower.line
            block.data.setdefault("joined", []).extend(range(follower.line, follower.line + len(follower.lines)))
            if block.kind == "item":
                block.data["text"] += follower.text
            follower.kind = "joined"
    return joins


def _speaker_label(text: str, labels: set[str]) -> str | None:
    head, colon, _ = text.partition("：")
    return head if colon and head in labels else None


def _participants(blocks: list[RawBlock], has_moderator: bool) -> list[Participant]:
    people: list[Participant] = []
    if has_moderator:
        people.append(Participant("moderator", MODERATOR, MODERATOR, None, None))
    for block in blocks:
        entries = block.data["entries"] if block.kind == "guests" else [block.data] if block.kind == "guest" else []
        for entry in entries:
            people.append(Participant(person_id(entry["name"]), entry["name"], "嘉宾",
                                      entry.get("position"), block.line))
    seen: set[str] = set()
    for person in people:
        base, n = person.id, 2
        while person.id in seen:
            person.id, n = f"{base}-{n}", n + 1
        seen.add(person.id)
    return people


class _PageBuilder:
    """Walks the blocks in seed order and groups them into pieces."""

    def __init__(self, seed: Seed, participants: list[Participant], report: Report) -> None:
        self.seed = seed
        self.report = report
        self.by_name = {p.name: p for p in participants}
        self.pieces: list[Piece] = []
        self.leftovers: list[Leftover] = []
        self.speaker: str | None = None
        self.piece = self._new_piece(None, 1)

    def _new_piece(self, title: str | None, line: int, label: str | None = None) -> Piece:
        piece = Piece(id="", kind="", title=title, first_line=line, last_line=line, label=label)
        self.pieces.append(piece)
        self.speaker = None
        return piece

    def _is_empty(self) -> bool:
        return not self.piece.blocks and not self.piece.title and not self.piece.bylines

    def _start(self, title: str | None, line: int, label: str | None = None) -> None:
        if self._is_empty():
            self.piece.title, self.piece.first_line, self.piece.label = title, line, label
        else:
            self.piece = self._new_piece(title, line, label)

    def _paragraph(self, block: RawBlock) -> Paragraph:
        label = _speaker_label(block.text, set(self.by_name))
        if label:
            self.speaker = self.by_name[label].id
            rest = block.text[len(label):]
            runs = [Run(label, "speaker"), *inline_runs(rest)]
        else:
            runs = inline_runs(block.text)
        lines = (*range(block.line, block.line + len(block.lines)), *block.data.get("joined", []))
        return Paragraph(runs=runs, line=block.line, speaker=self.speaker,
                         truncated=bool(block.data.get("truncated")), lines=lines)

    def add(self, blocks: list[RawBlock]) -> None:
        """Place every block: new pieces, body blocks, metadata or leftovers."""
        for index, block in enumerate(blocks):
            following = next((b for b in blocks[index + 1:] if b.kind != "joined"), None)
            if self._is_empty():
                self.piece.first_line = block.line
            self._place(block, following)
            if block.kind != "joined":
                self.piece.last_line = max(self.piece.last_line, block.data.get("last_line", block.line))

    def _place(self, block: RawBlock, following: RawBlock | None) -> None:
        kind, piece = block.kind, self.piece
        if kind == "heading":
            if block.data["level"] == 1 or self._is_empty():
                self._start(block.data["text"], block.line)
            else:
                piece.blocks.append(Heading(block.data["text"], block.line))
        elif kind == "label":
            label = block.data["label"]
            if BOX_LABELS[label] == "editors-note":
                piece.label = label
                piece.blocks.append(Paragraph([Run(label)], block.line, role="label"))
            else:
                self._start(label, block.line, label)
            if block.data.get("rest"):
                self.piece.blocks.append(Paragraph(inline_runs(block.data["rest"]), block.line))
        elif kind == "headline":
            if following is not None and following.kind == "byline" and following.data["role"] != "organisation":
                self._start(block.text, block.line)
            else:
                self.piece.blocks.append(Heading(block.text, block.line))
        elif kind == "byline":
            self.piece.bylines.append(Byline(block.text, block.data["names"], block.data["role"], block.line))
        elif kind == "caption":
            self.piece.blocks.append(Caption(inline_runs(block.data["description"]), block.data["credit"], block.line))
        elif kind == "promo":
            self.leftovers.append(Leftover(block.line, "promo", block.text))
        elif kind == "attribution":
            self._attribute(block)
        elif kind == "item":
            self._item(block)
        elif kind == "para":
            self.piece.blocks.append(self._paragraph(block))
        # guests and guest blocks became participants; joined blocks live on in their paragraph

    def _attribute(self, block: RawBlock) -> None:
        attribution = Paragraph(inline_runs(block.text), block.line, role="attribution")
        blocks = self.piece.blocks
        if blocks and isinstance(blocks[-1], Paragraph) and blocks[-1].role is None:
            blocks[-1] = Quote([blocks[-1]], attribution)
        else:
            self.report.warn(self.seed.shown, block.line, "attribution line with no quotation before it")
            blocks.append(attribution)

    def _item(self, block: RawBlock) -> None:
        text = block.data["text"]
        date = DATE_PREFIX.match(text)
        if self.piece.label and BOX_LABELS.get(self.piece.label) == "timeline" and date:
            item = TimelineItem(date.group(), inline_runs(text[date.end():]), block.line)
            if self.piece.blocks and isinstance(self.piece.blocks[-1], Timeline):
                self.piece.blocks[-1].items.append(item)
            else:
                self.piece.blocks.append(Timeline([item]))
        else:
            self.piece.blocks.append(self._paragraph(block))


def _kind(piece: Piece, first: bool) -> str:
    if piece.label:
        return BOX_LABELS[piece.label]
    if any(isinstance(b, Paragraph) and b.speaker for b in piece.blocks):
        return "roundtable"
    roles = {b.role for b in piece.bylines}
    if "reporter" in roles:
        return "report"
    if "author" in roles:
        return "commentary"
    if first and piece.title is None:
        return "lead"
    return "article"


def _name_pieces(pieces: list[Piece]) -> None:
    seen: set[str] = set()
    for index, piece in enumerate(pieces):
        piece.kind = _kind(piece, index == 0)
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


def assemble(seed: Seed, blocks: list[RawBlock], report: Report) -> Document:
    """Turn classified blocks into a Document with pieces, participants and leftovers."""
    guests = {b.data["name"] for b in blocks if b.kind == "guest"}
    guests |= {e["name"] for b in blocks if b.kind == "guests" for e in b.data["entries"]}
    labels = guests | {MODERATOR}
    has_moderator = any(b.kind == "para" and b.text.startswith(MODERATOR + "：") for b in blocks)
    joins = join_column_breaks(blocks, labels)
    participants = _participants(blocks, has_moderator)
    builder = _PageBuilder(seed, participants, report)
    builder.add(blocks)
    pieces = [p for p in builder.pieces if p.blocks or p.title or p.bylines]
    _name_pieces(pieces)
    pieces = _reading_order(pieces, seed.sidecar.order, seed)

    truncated = [p for piece in pieces for p in _paragraphs(piece) if p.truncated]
    last_line = max((b.line for b in blocks if b.kind in ("para", "item")), default=0)
    for para in truncated:
        if para.line != last_line:
            report.warn(seed.shown, para.line, "paragraph ends mid-sentence and no continuation "
                        "was found; marked as truncated (fix the seed or add a sidecar fix)")
    headings = [b for b in blocks if b.kind == "heading" and b.data["level"] == 1]
    title = (seed.sidecar.title or (headings[0].data["text"] if headings else None)
             or next((p.title for p in pieces if p.title), None) or seed.path.stem)
    slug = seed.sidecar.slug or slugify(title) or slugify(seed.path.stem) or "article"
    return Document(title=title, slug=slug, date=seed.sidecar.date, date_note=seed.sidecar.date_note,
                    source=seed.sidecar.source, pieces=pieces, participants=participants,
                    leftovers=builder.leftovers,
                    truncated_line=truncated[-1].line if truncated else None,
                    column_breaks=[(j.line, j.continued_at) for j in joins])


def _paragraphs(piece: Piece) -> list[Paragraph]:
    out: list[Paragraph] = []
    for block in piece.blocks:
        if isinstance(block, Paragraph):
            out.append(block)
        elif isinstance(block, Quote):
            out.extend(block.paragraphs)
    return out
