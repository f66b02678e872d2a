"""The front matter of an article, typed: the one place that reads its keys.

Ingest writes the front matter (ingest/markdown.py); everything after reads it through
``ArticleMeta``, so a renamed or missing key fails here, with the file, not as a silent empty
value in some page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import BuildError


@dataclass(frozen=True)
class BylineMeta:
    """A byline as printed (``本报记者 张三``), with its role and the names it holds."""

    text: str
    role: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class PieceMeta:
    """One piece of the page: its id (the section's anchor), kind, heading and bylines."""

    id: str
    kind: str
    title: str | None = None
    label: str | None = None
    bylines: tuple[BylineMeta, ...] = ()


@dataclass(frozen=True)
class ParticipantMeta:
    """A round-table speaker, with the position the guest list gives."""

    id: str
    name: str
    role: str
    position: str | None = None


@dataclass(frozen=True)
class ArticleMeta:
    """What the pages need from an article's front matter."""

    title: str
    slug: str
    date: dt.date | None
    date_note: str | None
    source: str | None
    authors: tuple[str, ...]
    pieces: tuple[PieceMeta, ...]
    participants: tuple[ParticipantMeta, ...]
    truncated: bool
    seed_file: str = ""          # the seed's file name (NAME.txt), as ingest recorded it
    edition: str | None = None   # edition and page, as the sidecar gives them (第3版)
    url: str | None = None       # the original's address
    retrieved: dt.date | None = None   # when the text was retrieved from there


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def read_meta(data: object, shown: str) -> ArticleMeta:
    """Type the parsed front matter; what the renderer cannot do without stops the build."""
    if not isinstance(data, dict) or not all(key in data for key in ("title", "slug", "pieces")) \
            or not isinstance(data["pieces"], list):
        raise BuildError(shown, 2, "front matter lacks title, slug or pieces; rebuild it from its seed")
    try:
        pieces = tuple(PieceMeta(id=str(p["id"]), kind=str(p.get("kind") or "article"), title=_text(p.get("title")),
                                 label=_text(p.get("label")),
                                 bylines=tuple(BylineMeta(str(b["text"]), str(b.get("role") or ""),
                                                          tuple(map(str, b.get("names") or ())))
                                               for b in p.get("bylines") or ()))
                       for p in data["pieces"])
        participants = tuple(ParticipantMeta(id=str(p["id"]), name=str(p["name"]), role=str(p.get("role") or ""),
                                             position=_text(p.get("position")))
                             for p in data.get("participants") or ())
    except (KeyError, TypeError, AttributeError) as exc:
        raise BuildError(shown, 2, f"front matter: a piece, byline or participant is malformed ({exc}); "
                         "rebuild it from its seed") from None
    date = data.get("date")
    seed = data.get("seed")
    return ArticleMeta(title=str(data["title"]), slug=str(data["slug"]),
                       date=date if isinstance(date, dt.date) else None,
                       date_note=_text(data.get("date_note")), source=_text(data.get("source")),
                       authors=tuple(map(str, data.get("authors") or ())), pieces=pieces,
                       participants=participants, truncated=bool(data.get("truncated")),
                       seed_file=str(seed.get("file") or "") if isinstance(seed, dict) else "",
                       edition=_text(data.get("edition")), url=_text(data.get("url")),
                       retrieved=data.get("retrieved") if isinstance(data.get("retrieved"), dt.date) else None)
