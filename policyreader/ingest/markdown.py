"""Write a Document as annotated Markdown with YAML front matter.

The body uses CommonMark plus three mdit-py-plugins syntaxes the renderer enables:
``:::: piece ID`` containers, ``{.class key=value}`` block attributes, and
``[text]{term=ID}`` spans. One paragraph is one line, so a diff shows whole paragraphs.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from ..sources.yamlfile import dump_yaml
from .document import Caption, Closing, Document, Heading, KeyPoints, Paragraph, Piece, Quote, Run, Timeline

DIGEST_LINE = re.compile(r"^digest: ([0-9a-f]{64})\n", re.M)
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>{}])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(#|>|-|\+|=|:|\||~~~|```)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape(text: str) -> str:
    """Escape text so Markdown shows it literally."""
    return _ENTITY.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape_line(text: str) -> str:
    """Escape a whole line, including what only matters at its start (``#``, ``1.``, ``>``)."""
    line = _LINE_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", line)


def _is_punct_or_space(ch: str) -> bool:
    return ch == "" or ch.isspace() or unicodedata.category(ch)[0] in "PS"


def _bold(text: str, before: str, after: str) -> str:
    """``**text**`` where CommonMark's flanking rules allow it, else a ``.bold`` span.

    Around CJK punctuation (``经济**“压舱石”**是``) the delimiters would stay literal.
    """
    first, last = text[:1], text[-1:]
    opens = not first.isspace() and (not _is_punct_or_space(first) or _is_punct_or_space(before))
    closes = not last.isspace() and (not _is_punct_or_space(last) or _is_punct_or_space(after))
    return f"**{escape(text)}**" if opens and closes else f"[{escape(text)}]{{.bold}}"


def inline(runs: list[Run]) -> str:
    """Markdown for a list of runs."""
    out = []
    for index, run in enumerate(runs):
        if run.kind == "text":
            out.append(escape(run.text))
        elif run.kind == "bold":
            before = runs[index - 1].text[-1:] if index else ""
            after = runs[index + 1].text[:1] if index + 1 < len(runs) else ""
            out.append(_bold(run.text, before, after))
        elif run.kind == "term":
            out.append(f"[{escape(run.text)}]{{term={run.term}}}")
        elif run.kind == "note":
            out.append(f"[^{run.text}]")
        elif run.kind == "runin":
            out.append(f"[{escape(run.text)}]{{#{run.anchor} .runin}}")
        else:  # speaker, date, credit: a span with that class
            out.append(f"[{escape(run.text)}]{{.{run.kind}}}")
    return escape_line("".join(out))


def _attrs(paragraph: Paragraph) -> str:
    parts = []
    if paragraph.role:
        parts.append(f".{paragraph.role}")
    if paragraph.truncated:
        parts.append(".truncated")
    if paragraph.speaker:
        parts.append(f"speaker={paragraph.speaker}")
    return "{" + " ".join(parts) + "}\n" if parts else ""


def _block(block: object) -> str:
    if isinstance(block, Heading):
        anchor = f"{{#{block.anchor}}}\n" if block.anchor else ""
        return f"{anchor}{'#' * block.level} {escape_line(escape(block.text))}\n"
    if isinstance(block, Paragraph):
        return _attrs(block) + inline(block.runs) + "\n"
    if isinstance(block, Quote):
        parts = [_attrs(p) + inline(p.runs) for p in [*block.paragraphs, block.attribution]]
        return "\n".join(f"> {line}" if line else ">" for line in "\n\n".join(parts).split("\n")) + "\n"
    if isinstance(block, Caption):
        credit = f"[{escape(block.credit)}]{{.credit}}" if block.credit else ""
        return f"::: caption\n{inline(block.runs)}{credit}\n:::\n"
    if isinstance(block, KeyPoints):
        return "{.keypoints}\n" + "".join(f"- {inline(item.runs)}\n" for item in block.items)
    if isinstance(block, Closing):
        return "::: closing\n" + "\n".join(inline(line.runs) + "\n" for line in block.lines) + ":::\n"
    if isinstance(block, Timeline):
        return "".join(f"- [{escape(i.date)}]{{.date}}{inline(i.runs)}\n" for i in block.items)
    raise TypeError(f"unknown block {block!r}")


def _piece(piece: Piece) -> str:
    parts = [f":::: piece {piece.id}\n"]
    if piece.title:
        parts.append(f"## {escape_line(escape(piece.title))}\n")
    parts.extend(_block(b) for b in piece.blocks)
    return "\n".join(parts) + "\n::::\n"


def front_matter(doc: Document, provenance: dict) -> dict:
    """The metadata an editor and the renderer need, in a stable key order."""
    authors: list[str] = []
    for piece in doc.pieces:
        for byline in piece.bylines:
            authors.extend(n for n in byline.names if n not in authors)
    data: dict = {"title": doc.title, "slug": doc.slug, "date": doc.date}
    if doc.date_note:
        data["date_note"] = doc.date_note
    data["source"] = doc.source
    data["authors"] = authors
    data["pieces"] = [_piece_meta(p, doc.truncated_line) for p in doc.pieces]
    if doc.participants:
        data["participants"] = [{"id": p.id, "name": p.name, "role": p.role, "position": p.position}
                                for p in doc.participants]
    if doc.truncated_line:
        data["truncated"] = {"line": doc.truncated_line}
    if doc.kept_apart:
        data["kept_apart"] = [{"line": k.line, "next": k.next_line, "why": k.why} for k in doc.kept_apart]
    if doc.leftovers:
        data["leftovers"] = [{"line": x.line, "kind": x.kind, "text": x.text} for x in doc.leftovers]
    data.update(provenance)
    return data


def _piece_meta(piece: Piece, truncated: int | None) -> dict:
    meta: dict = {"id": piece.id, "kind": piece.kind, "title": piece.title}
    if piece.label:
        meta["label"] = piece.label
    if piece.bylines:
        meta["bylines"] = [{"text": b.text, "role": b.role, "names": b.names} for b in piece.bylines]
    meta["lines"] = f"{piece.first_line}-{piece.last_line}"
    if piece.title_lines:
        meta["title_lines"] = list(piece.title_lines)
    if piece.body_from:
        meta["body_from"] = piece.body_from
    if piece.truncated_line and piece.truncated_line != truncated:
        meta["truncated"] = piece.truncated_line
    return meta


def digest(text: str) -> str:
    """SHA-256 of a generated file without its own digest line."""
    return hashlib.sha256(DIGEST_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def write_markdown(doc: Document, provenance: dict, header: str) -> str:
    """The complete file text: comment header, front matter, body, and a self-digest."""
    meta = dump_yaml(front_matter(doc, provenance))
    body = "\n".join(_piece(p) for p in doc.pieces)
    if doc.notes:
        body += "\n" + "".join(f"[^{note_id}]: {escape_line(escape(text))}\n" for note_id, text in doc.notes)
    text = f"---\n{header}{meta}digest: {'0' * 64}\n---\n\n{body}"
    return text.replace("0" * 64, digest(text), 1)
