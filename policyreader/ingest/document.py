"""The recovered article: plain data passed from structure recovery to the Markdown writer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .joins import Join, KeptApart


@dataclass
class Run:
    """A stretch of inline text. ``kind`` is text, bold, term, speaker, date, credit, dateline,
    or runin (a numbered item's lead, with ``anchor`` its id in the contents)."""

    text: str
    kind: str = "text"
    term: str | None = None
    anchor: str | None = None


@dataclass
class Paragraph:
    """A body paragraph; ``speaker`` is the participant id in a round-table."""

    runs: list[Run]
    line: int
    speaker: str | None = None
    role: str | None = None          # label, attribution, docno, salutation, subtitle, xref …
    truncated: bool = False
    lines: tuple[int, ...] = ()      # every seed line it came from, column breaks included

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    """A section heading inside a piece (a piece's own title lives on the Piece); numbered
    headings of a document carry a stable ASCII ``anchor`` and a deeper ``level``."""

    text: str
    line: int
    level: int = 3
    anchor: str | None = None


@dataclass
class KeyPoints:
    """Short complete lines printed as a list: a lead's key points, a box's headlines."""

    items: list[Paragraph]


@dataclass
class Closing:
    """A document's closing block: issuer, date, publication note, one line each."""

    lines: list[Paragraph]


@dataclass
class Quote:
    """A quotation with its attribution line (``——2026年1月20日，…强调``)."""

    paragraphs: list[Paragraph]
    attribution: Paragraph


@dataclass
class Caption:
    """A photo caption and its credit; the photo itself is not in the seed."""

    runs: list[Run]
    credit: str
    line: int
    lines: tuple[int, ...] = ()


@dataclass
class TimelineItem:
    """One dated entry of a 大事记 box."""

    date: str
    runs: list[Run]
    line: int


@dataclass
class Timeline:
    """The entries of a timeline, in seed order."""

    items: list[TimelineItem]


Block = Paragraph | Heading | Quote | Caption | Timeline | KeyPoints | Closing


@dataclass
class Byline:
    """A byline as printed, with the names it holds (``贵州日报天眼新闻记者 江婷婷 桂榕``)."""

    text: str
    names: list[str]
    role: str            # reporter, author, organisation, dateline
    line: int


@dataclass
class Participant:
    """A round-table speaker: the moderator or a guest with the position from the guest list."""

    id: str
    name: str
    role: str            # 主持人, 嘉宾, 问, 答, 记者 or 受访者
    position: str | None
    line: int | None


@dataclass
class Piece:
    """One distinct piece of a newspaper page: lead, commentary, data box, timeline, report …"""

    id: str
    kind: str
    title: str | None
    first_line: int
    last_line: int
    label: str | None = None         # box label as printed (数据, 大事记, 编者按)
    bylines: list[Byline] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    title_lines: tuple[int, ...] = ()     # seed lines of a title printed over several lines
    truncated_line: int | None = None     # its last paragraph breaks off (seed line)
    body_from: int | None = None          # a piece dropped inside a break: where its own text begins


@dataclass
class Leftover:
    """Seed text kept out of the reader's text but recorded for the editor."""

    line: int
    kind: str
    text: str


@dataclass
class Document:
    """Everything ingest recovered from one seed."""

    title: str
    slug: str
    date: dt.date | None
    date_note: str | None
    source: str | None
    pieces: list[Piece]
    participants: list[Participant]
    leftovers: list[Leftover]
    truncated_line: int | None = None
    joins: list[Join] = field(default_factory=list)
    kept_apart: list[KeptApart] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)           # (footnote id, editor's note)
