"""Render an article's Markdown to HTML: markdown-it-py tokens, our annotations, renderer rules.

``annotate`` runs once per article on the token stream: it numbers paragraphs (¶ ids the same
in every script), marks each term's first occurrence as primary, and collects what the
glossary and search need. ``ReaderRenderer`` then renders the same tokens once per script;
its text rule converts only human-readable text, never attributes, ids or URLs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..sources.glossary import Entry
from ..variants.convert import Converter
from .meta import ParticipantMeta, PieceMeta

# Paragraphs that are no running text get no ¶ number: labels, attributions, a document's
# number and addressees, subtitles, cross references, notes in brackets, datelines alone.
NO_NUMBER_CLASSES = {"label", "attribution", "docno", "salutation", "subtitle", "xref", "resp", "author-note",
                     "staff", "dateline"}
# Speakers whose turns are questions (shown apart from answers).
ASKER_ROLES = {"主持人", "问", "记者"}


@dataclass
class Occurrence:
    """A term marked in an article: where (a ¶ number, or 0 in a photo caption), first or not,
    and the sentence it stands in (Simplified), split around the written form."""

    term: str
    paragraph: int
    primary: bool
    anchor: str          # p12, or photo-1 for a caption
    before: str = ""     # the sentence up to the term
    written: str = ""    # the term as written here
    after: str = ""      # the rest of the sentence


SENTENCE_END = "。！？；"


def _sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence around text[start:end], as (before, term, after)."""
    left = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()


@dataclass
class ParagraphText:
    """A numbered paragraph's plain text, for search."""

    number: int
    piece: str
    text: str


@dataclass
class ArticleIndex:
    """What annotate learned about one article (the same for every script)."""

    paragraphs: list[ParagraphText] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Distinct term ids in order of first occurrence."""
        return list(dict.fromkeys(o.term for o in self.occurrences))

    place_map: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def places(self, term: str) -> list[tuple[str, str]]:
        """Where a term occurs, as (anchor, label): ("p12", "¶12") or ("photo-1", "图1")."""
        return self.place_map.get(term, [])


def _plain(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type == "text")


def annotate(tokens: list[Token]) -> ArticleIndex:
    """Number paragraphs and mark primary term occurrences, in place; return the index."""
    index = ArticleIndex()
    number, piece, in_caption, photos, in_notes = 0, "", False, 0, False
    first: dict[str, str] = {}      # term id → anchor of its first occurrence
    list_items: list[Token] = []
    for position, token in enumerate(tokens):
        if token.type == "container_piece_open":
            piece = token.info.split()[1] if len(token.info.split()) > 1 else ""
        elif token.type.startswith("container_caption"):
            in_caption = token.nesting == 1
            if in_caption:
                photos += 1
                token.attrSet("id", f"photo-{photos}")
        elif token.type.startswith("container_closing"):
            in_notes = token.nesting == 1   # a document's signature and date: not running text
        elif token.type in ("footnote_block_open", "footnote_block_close"):
            in_notes = token.nesting == 1   # editor's notes: not part of the article's ¶ numbers
        elif token.type == "list_item_open":
            list_items.append(token)
        elif token.type == "paragraph_open" and not in_caption and not in_notes:
            if (token.attrGet("class") or "") in NO_NUMBER_CLASSES:
                continue
            number += 1
            # A tight list hides its paragraphs: the number then goes on the list item.
            target = list_items[-1] if token.hidden and list_items else token
            target.attrSet("id", f"p{number}")
            target.meta["number"] = number
            index.paragraphs.append(ParagraphText(number, piece, _plain(tokens[position + 1])))
        elif token.type == "inline" and token.children:
            plain, found = "", []          # the paragraph's text; (occurrence, start, end) in it
            pending: Occurrence | None = None
            for child in token.children:
                if child.type == "text":
                    if pending is not None:
                        found.append((pending, len(plain), len(plain) + len(child.content)))
                        pending = None
                    plain += child.content
                term = child.attrGet("term") if child.type == "span_open" else None
                if term:
                    where = 0 if in_caption else number
                    # Before the first numbered paragraph (a subtitle, a lone attribution) a term
                    # points at its piece.
                    anchor = f"photo-{photos}" if in_caption else f"p{number}" if number else piece or "top"
                    primary = term not in first
                    first.setdefault(term, anchor)
                    child.meta.update(primary=primary, note=len(first) if primary else None,
                                      tip=f"t{len(index.occurrences) + 1}", first=first[term])
                    pending = Occurrence(term, where, primary, anchor)
                    index.occurrences.append(pending)
            for occurrence, start, end in found:
                occurrence.before, occurrence.written, occurrence.after = _sentence(plain, start, end)
    for o in index.occurrences:
        places = index.place_map.setdefault(o.term, [])
        if not places or places[-1][0] != o.anchor:   # occurrences come in page order
            label = (f"¶{o.paragraph}" if o.paragraph else "图" + o.anchor.split("-")[1]
                     if o.anchor.startswith("photo-") else "篇首")
            places.append((o.anchor, label))
    return index


@dataclass
class RenderContext:
    """What the renderer needs besides tokens: the script, the glossary, links, metadata."""

    converter: Converter
    glossary: dict[str, Entry]
    glossary_href: str                  # relative link to the glossary page from this page
    participants: dict[str, ParticipantMeta]
    pieces: dict[str, PieceMeta]        # id → the piece as the front matter lists it
    title: str
    strings: dict[str, str]             # UI strings already in this script
    entry_text: dict[str, dict[str, str]] = field(default_factory=dict)   # id → converted fields
    term_dir: str = "terms/"            # relative link to the folder of term pages, ending in /
    seed: str = ""                      # the seed this article was made from (for per-article notes)

    def t(self, text: str) -> str:
        return self.converter.convert(text)

    def term_href(self, term_id: str) -> str:
        """Relative link to a term's own page."""
        return f"{self.term_dir}{term_id}.html"

    def note(self, term_id: str) -> str:
        """What the glossary says about the term in this article only (converted), or ''."""
        note = self.glossary[term_id].note_for(self.seed) if self.seed else None
        return self.t(note) if note else ""

    def entry(self, term_id: str) -> dict[str, str]:
        """An entry's fields in this script (cached: converted once per build and script)."""
        if term_id not in self.entry_text:
            entry = self.glossary[term_id]
            term = entry.zh_hant if entry.zh_hant and self.converter.spec.converts else self.t(entry.term)
            self.entry_text[term_id] = {"term": term, "pinyin": entry.pinyin, "english": entry.english,
                                        "definition": self.t(entry.definition)}
        return self.entry_text[term_id]


class ReaderRenderer(RendererHTML):
    """markdown-it-py's HTML renderer with the reader's rules; ``env['ctx']`` is a RenderContext."""

    def renderInline(self, tokens, options, env) -> str:  # noqa: N802 - markdown-it's API
        """Convert the text of a whole paragraph at once so phrases across spans stay phrases."""
        ctx: RenderContext = env["ctx"]
        texts, stack = [], []
        for token in tokens:
            if token.type == "span_open":
                stack.append("nc" in (token.attrGet("class") or "").split())
            elif token.type == "span_close" and stack:
                stack.pop()
            elif token.type == "text" and not any(stack):
                texts.append(token)
        for token, converted in zip(texts, ctx.converter.convert_parts([t.content for t in texts])):
            token.meta["converted"] = converted
        return super().renderInline(tokens, options, env)

    def text(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        return escape(token.meta.get("converted", token.content), quote=False)

    # ---- spans: terms, speakers, dates, credits, bold, no-convert --------------------------
    def span_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        ctx: RenderContext = env["ctx"]
        close = _matching_close(tokens, idx)
        term = token.attrGet("term")
        classes = (token.attrGet("class") or "").split()
        if term:
            close.meta["tag"] = "term"
            return _term_open(token, ctx)
        if "speaker" in classes:
            return _speaker_open(tokens, idx, close, ctx)
        if "bold" in classes:
            close.meta["tag"] = "</strong>"
            return "<strong>"
        if "nc" in classes:
            close.meta["tag"] = "</span>"
            return '<span class="nc">'
        name = classes[0] if classes else "span"
        close.meta["tag"] = "</span>"
        ident = token.attrGet("id")
        at = f' id="{escape(ident)}"' if ident else ""
        return f'<span class="{escape(name)}"{at}>'

    def span_close(self, tokens, idx, options, env) -> str:
        tag = tokens[idx].meta.get("tag", "</span>")
        if tag == "term":
            return _term_close(tokens, idx, env["ctx"])
        return tag

    # ---- blocks ------------------------------------------------------------------------------
    def paragraph_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if token.hidden:
            return ""
        ctx: RenderContext = env["ctx"]
        attrs = {}
        classes = (token.attrGet("class") or "").split()
        speaker = token.attrGet("speaker")
        if speaker:
            classes.append("turn")
            if (person := ctx.participants.get(speaker)) is not None and person.role in ASKER_ROLES:
                classes.append("question")
            attrs["data-speaker"] = speaker
            if _starts_with_speaker(tokens[idx + 1]):
                classes.append("turn-start")
        number = token.meta.get("number")
        html = "<p"
        if number:
            html += f' id="p{number}"'
        if classes:
            html += f' class="{escape(" ".join(classes))}"'
        for key, value in attrs.items():
            html += f' {key}="{escape(value)}"'
        html += ">"
        if number:
            html += _pnum(number, ctx)
        return html

    def paragraph_close(self, tokens, idx, options, env) -> str:
        opening = _matching_open(tokens, idx)
        if tokens[idx].hidden:
            return ""
        ctx: RenderContext = env["ctx"]
        note = ""
        if "truncated" in (opening.attrGet("class") or "").split():
            note = f'<span class="truncation">{escape(ctx.strings["truncated"])}</span>'
        return f"{note}</p>\n"

    def list_item_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        number = token.meta.get("number")
        if not number:
            return "<li>"
        return f'<li id="p{number}">{_pnum(number, env["ctx"])}'

    def bullet_list_open(self, tokens, idx, options, env) -> str:
        if tokens[idx].attrGet("class") == "keypoints":
            return '<ul class="keypoints">\n'
        return '<ol class="timeline">\n'

    def bullet_list_close(self, tokens, idx, options, env) -> str:
        return "</ul>\n" if _matching_open(tokens, idx).attrGet("class") == "keypoints" else "</ol>\n"

    def heading_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        ctx: RenderContext = env["ctx"]
        if token.tag == "h2" and tokens[idx + 1].content == ctx.title:
            # The piece carries the article's own title, already the page's h1.
            return '<h2 class="visually-hidden">'
        ident = token.attrGet("id")
        return f'<{token.tag} id="{escape(ident)}">' if ident else f"<{token.tag}>"

    def heading_close(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        html = f"</{token.tag}>\n"
        opening = _matching_open(tokens, idx)
        piece = opening.meta.get("piece")
        if token.tag == "h2" and piece:
            html += _piece_header(piece, env["ctx"]) + opening.meta.get("contents", "")
        return html

    def container_piece_open(self, tokens, idx, options, env) -> str:
        ctx: RenderContext = env["ctx"]
        parts = tokens[idx].info.split()
        piece_id = parts[1] if len(parts) > 1 else "piece"
        piece = ctx.pieces.get(piece_id)
        kind = piece.kind if piece else "article"
        following = tokens[idx + 1]
        header = ""
        contents = _contents(tokens, idx, ctx)
        if following.type == "heading_open" and following.tag == "h2":
            following.meta["piece"] = piece
            following.meta["contents"] = contents
        else:
            header = _piece_header(piece, ctx) + contents
        label = f' aria-label="{escape(ctx.strings["kind_" + kind])}"' if not (piece and piece.title) else ""
        return f'<section class="piece piece-{escape(kind)}" id="{escape(piece_id)}"{label}>\n{header}'

    def container_piece_close(self, tokens, idx, options, env) -> str:
        return "</section>\n"

    def footnote_block_open(self, tokens, idx, options, env) -> str:
        """Editor's notes on fixed text close the article body, under their own heading."""
        title = escape(env["ctx"].strings["editor_notes"])
        return (f'<section class="footnotes" aria-labelledby="notes-title"><h2 id="notes-title">{title}</h2>\n'
                '<ol class="footnotes-list">\n')

    def container_closing_open(self, tokens, idx, options, env) -> str:
        return '<div class="closing">\n'

    def container_closing_close(self, tokens, idx, options, env) -> str:
        return "</div>\n"

    def container_caption_open(self, tokens, idx, options, env) -> str:
        ctx: RenderContext = env["ctx"]
        return (f'<figure class="photo" id="{tokens[idx].attrGet("id")}"><div class="photo-missing">{escape(ctx.strings["photo_missing"])}</div>'
                "<figcaption>")

    def container_caption_close(self, tokens, idx, options, env) -> str:
        return "</figcaption></figure>\n"


def _matching_close(tokens: list[Token], idx: int) -> Token:
    # Walk by index: slicing the token list on every span made long paragraphs quadratic.
    depth = 0
    for position in range(idx, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return tokens[position]
    raise ValueError("unbalanced span")


def _matching_open(tokens: list[Token], idx: int) -> Token:
    depth = 0
    for position in range(idx, -1, -1):
        depth += tokens[position].nesting
        if depth == 0:
            return tokens[position]
    raise ValueError("unbalanced block")


def _pnum(number: int, ctx: RenderContext) -> str:
    label = ctx.strings["paragraph"].format(n=number)
    return f'<a class="pnum" href="#p{number}" aria-label="{escape(label)}">{number}</a>'


def _starts_with_speaker(inline: Token) -> bool:
    children = inline.children or []
    return bool(children) and children[0].type == "span_open" and children[0].attrGet("class") == "speaker"


def _speaker_open(tokens: list[Token], idx: int, close: Token, ctx: RenderContext) -> str:
    """The speaker's name as printed, followed by the position the guest list gives."""
    name = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    person = next((p for p in ctx.participants.values() if p.name == name), None)
    position = ""
    if person and person.position:
        position = f'<span class="position">（{escape(ctx.t(person.position))}）</span>'
    close.meta["tag"] = "</b>" + position
    return '<b class="speaker">'


def _term_open(token: Token, ctx: RenderContext) -> str:
    term = token.attrGet("term")
    primary = token.meta.get("primary", False)
    classes = "term primary" if primary else "term"
    note = f' data-note="{token.meta["note"]}"' if primary else ""
    return (f'<span class="tw"><a class="{classes}" data-term="{term}"{note} href="{escape(ctx.term_href(term))}" '
            f'aria-describedby="{token.meta.get("tip", "")}">')


def _term_close(tokens: list[Token], idx: int, ctx: RenderContext) -> str:
    """The tooltip. The first occurrence carries the definition; later ones stay light
    (term, pinyin, English, links) and reader.js copies the definition in when one opens."""
    opening = _matching_open(tokens, idx)
    term = opening.attrGet("term")
    entry = ctx.entry(term)
    href = escape(ctx.term_href(term))
    if opening.meta.get("primary"):
        body = f'<span class="def">{escape(entry["definition"])}</span>'
        note = ctx.note(term)
        if note:    # what this article says about the term: in this article's tooltip only
            body += f' <span class="ctx">{escape(note)}</span>'
    else:
        first = opening.meta.get("first", "")
        body = f'<a class="first" href="#{first}">{escape(ctx.strings["see_first"])}</a> ' if first else ""
    return (f'</a><span class="tip" role="tooltip" id="{opening.meta.get("tip", "")}">'
            f'<b>{escape(entry["term"])}</b> <span class="py" lang="zh-Latn-pinyin">{escape(entry["pinyin"])}</span> '
            f'<i lang="en">{escape(entry["english"])}</i> {body}'
            f'<a href="{href}">{escape(ctx.strings["to_glossary"])}</a></span></span>')


def _piece_header(piece: PieceMeta | None, ctx: RenderContext) -> str:
    """Bylines and, for a round-table, its participants, right under the piece's heading."""
    if piece is None:
        return ""
    html = ""
    bylines = [b for b in piece.bylines if b.role != "dateline"]   # the dateline shows them
    if bylines:
        html += '<p class="byline">' + "　".join(escape(ctx.t(b.text)) for b in bylines) + "</p>\n"
    if piece.kind == "roundtable":
        guests = [p for p in ctx.participants.values() if p.position]
        if guests:
            items = "".join(f'<li><b>{escape(ctx.t(p.name))}</b> {escape(ctx.t(p.position or ""))}</li>'
                            for p in guests)
            html += (f'<aside class="participants" aria-label="{escape(ctx.strings["guests"])}">'
                     f'<p class="participants-label">{escape(ctx.t(guests[0].role))}</p><ul>{items}</ul></aside>\n')
    return html


def _contents(tokens: list[Token], idx: int, ctx: RenderContext) -> str:
    """A contents box for a piece with numbered sections: its two top levels of headings and
    run-in items, each linking to its stable id."""
    entries: list[tuple[int, str, str]] = []          # (depth, id, text)
    depth = 0
    for position in range(idx + 1, len(tokens)):
        token = tokens[position]
        depth += token.nesting if token.type.startswith("container_piece") else 0
        if depth < 0:
            break
        ident = token.attrGet("id") or ""
        if token.type == "heading_open" and ident.startswith("sec-"):
            entries.append((ident.count("-"), ident, tokens[position + 1].content))
        elif token.type == "inline":
            for child_index, child in enumerate(token.children or []):
                ident = child.attrGet("id") or "" if child.type == "span_open" else ""
                if ident.startswith("sec-"):
                    entries.append((ident.count("-"), ident, token.children[child_index + 1].content))
    if len(entries) < 2:
        return ""
    top = min(d for d, _, _ in entries)
    items = "".join(f'<li class="toc-{d - top + 1}"><a href="#{escape(i)}">{escape(ctx.t(text))}</a></li>'
                    for d, i, text in entries if d - top < 2)
    label = escape(ctx.strings["contents"])
    return f'<nav class="contents" aria-label="{label}"><p class="contents-label">{label}</p><ol>{items}</ol></nav>\n'
