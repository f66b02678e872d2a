"""Render an article's Markdown to HTML: markdown-it-py tokens, our annotations, renderer rules.

``annotate`` runs once per article on the token stream: it numbers paragraphs (¶ ids the same
in every script), marks each term's first occurrence as primary, and collects what the
glossary and search need. ``ReaderRenderer`` then renders the same tokens once per script;
its text rule converts only human-readable text, never attributes, ids or URLs.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html import escape

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..sources.glossary import Entry
from ..text.cjk import HAN_CHAR
from ..text.pinyin import reference_syllables
from ..variants.convert import Converter
from .meta import ParticipantMeta, PieceMeta

# Paragraphs that are no running text get no ¶ number: labels, attributions, a document's
# number and addressees, subtitles, cross references, notes in brackets, datelines alone.
NO_NUMBER_CLASSES = {"label", "attribution", "docno", "salutation", "subtitle", "xref", "resp", "author-note",
                     "staff", "dateline"}
# Speakers whose turns are questions (shown apart from answers).
ASKER_ROLES = {"主持人", "问", "记者"}
GLOSS_LIMIT = 40    # characters a screen reader hears after a term: its gist, not the card
# Latin words and numbers (60GWh, 11.7%, PGA) kept whole, so justification never spaces them out.
LATIN_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,:/+\-][A-Za-z0-9]+)*%?")


@dataclass
class Occurrence:
    """A term marked in an article: where (a ¶ number, or 0 in a photo caption), first or not,
    and the sentence it stands in (Simplified), split around the written form."""

    term: str
    paragraph: int
    primary: bool
    anchor: str          # p12, or photo-1 for a caption
    marked: bool = True  # the term's first use in its section: marked unless the reader asks for more or less
    before: str = ""     # the sentence up to the term
    written: str = ""    # the term as written here
    after: str = ""      # the rest of the sentence


@dataclass
class TocEntry:
    """One line of an article's contents: a piece, a heading, or a turn of a round-table."""

    kind: str            # "piece", "heading", "question" or "answer"
    anchor: str          # the id it links to
    text: str = ""       # heading text, or the question without its speaker label (as written)
    speaker: str = ""    # participant id of a turn
    level: int = 1


SENTENCE_END = "。！？；"
SENTENCE_ENDS = re.compile(f"[{SENTENCE_END}]")


def _sentence(text: str, ends: list[int], start: int, end: int) -> tuple[str, str, str]:
    """The sentence around text[start:end], as (before, term, after); ``ends`` are the
    positions just after each sentence end in ``text`` (found once per paragraph: searching
    from every term made a long paragraph quadratic)."""
    before = bisect_right(ends, start)
    left = ends[before - 1] if before else 0
    after = bisect_right(ends, end)
    right = ends[after] if after < len(ends) else len(text)
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
    toc: list[TocEntry] = field(default_factory=list)

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


def _starts_with_speaker(inline: Token) -> bool:
    children = inline.children or []
    return bool(children) and children[0].type == "span_open" and children[0].attrGet("class") == "speaker"


def _span_text(children: list[Token], at: int) -> str:
    """The text inside the span opening at ``children[at]`` (terms hold no nested spans)."""
    text = []
    for position in range(at + 1, len(children)):    # by index: a slice per span is quadratic
        child = children[position]
        if child.type == "span_close":
            break
        text.append(child.content if child.type == "text" else "")
    return "".join(text)


def _after_label(inline: Token) -> str:
    """A turn's text without its speaker label and colon."""
    children = inline.children or []
    depth, rest = 0, []
    for child in children:
        if depth == 0 and child.type == "span_open" and child.attrGet("class") == "speaker":
            depth = 1
        elif depth and child.type == "span_close":
            depth = 0
        elif not depth and child.type == "text":
            rest.append(child.content)
    return "".join(rest).lstrip("：:").strip()


def annotate(tokens: list[Token], askers: frozenset[str] = frozenset()) -> ArticleIndex:
    """Number paragraphs, give headings ids, mark primary term occurrences and each term's first
    use per section (a piece, or a heading's part of it), in place; return the index.
    ``askers`` are the participants whose turns are questions: the contents list them."""
    index = ArticleIndex()
    number, piece, in_caption, photos, in_notes = 0, "", False, 0, False
    first: dict[str, str] = {}      # term id → anchor of its first occurrence
    list_items: list[Token] = []
    section, seen, headings = 0, set(), 0     # sections: pieces and headings
    for position, token in enumerate(tokens):
        if token.type == "container_piece_open":
            piece = token.info.split()[1] if len(token.info.split()) > 1 else ""
            section += 1
            index.toc.append(TocEntry("piece", piece))
        elif token.type == "heading_open" and not in_notes:
            if not token.attrGet("id"):
                headings += 1
                token.attrSet("id", f"s{headings}")
            section += 1
            opens_piece = position > 0 and tokens[position - 1].type == "container_piece_open"
            if not (token.tag == "h2" and opens_piece):    # a piece's own title: the piece's line
                index.toc.append(TocEntry("heading", token.attrGet("id"), _plain(tokens[position + 1]),
                                          level=int(token.tag[1])))
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
            speaker = token.attrGet("speaker")
            if speaker and _starts_with_speaker(tokens[position + 1]):
                if speaker in askers:
                    index.toc.append(TocEntry("question", f"p{number}", _after_label(tokens[position + 1]), speaker))
                else:
                    index.toc.append(TocEntry("answer", f"p{number}", speaker=speaker))
        elif token.type == "inline" and token.children:
            children = token.children
            texts, length, found = [], 0, []   # the paragraph's text; (occurrence, start, end) in it
            pending: Occurrence | None = None
            for at, child in enumerate(children):
                if child.type == "text":
                    if pending is not None:
                        found.append((pending, length, length + len(child.content)))
                        pending = None
                    texts.append(child.content)
                    length += len(child.content)
                term = child.attrGet("term") if child.type == "span_open" else None
                if term:
                    child.meta["form"] = _span_text(children, at)
                    where = 0 if in_caption else number
                    # Before the first numbered paragraph (a subtitle, a lone attribution) a term
                    # points at its piece.
                    anchor = f"photo-{photos}" if in_caption else f"p{number}" if number else piece or "top"
                    primary = term not in first
                    marked = (section, term) not in seen
                    seen.add((section, term))
                    first.setdefault(term, anchor)
                    child.meta.update(primary=primary, marked=marked, note=len(first) if primary else None,
                                      tip=f"t{len(index.occurrences) + 1}", first=first[term])
                    pending = Occurrence(term, where, primary, anchor, marked)
                    index.occurrences.append(pending)
            plain = "".join(texts)
            ends = [m.end() for m in SENTENCE_ENDS.finditer(plain)] if found else []
            for occurrence, start, end in found:
                occurrence.before, occurrence.written, occurrence.after = _sentence(plain, ends, start, end)
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
    form_pinyin: dict[str, str] = field(default_factory=dict)   # the glossary's: a form's Han characters → pinyin

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
        entry = self.glossary[term_id]   # looked up even when remembered: the build notes what each article reads
        if term_id not in self.entry_text:
            term = shown_term(entry.term, entry.zh_hant, self.converter)
            definition = self.t(entry.definition)
            self.entry_text[term_id] = {"term": term, "pinyin": entry.pinyin, "english": entry.english,
                                        "definition": definition, "gloss": f"{term}：{gloss(definition)}"}
        return self.entry_text[term_id]


def shown_term(term: str, zh_hant: str | None, converter: Converter) -> str:
    """A term as a script shows it: the glossary's own Traditional form where it gives one."""
    return zh_hant if zh_hant and converter.spec.converts else converter.convert(term)


def gloss(definition: str, limit: int = GLOSS_LIMIT) -> str:
    """The gist of a definition: its first sentence, cut to ``limit`` characters."""
    sentence = re.split(r"(?<=[。；！？])", definition, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    # Too long: up to the last comma that leaves no quotation open, else cut.
    for cut in (m.start() for m in reversed(list(re.finditer("，", sentence[:limit])))):
        head = sentence[:cut]
        if cut >= 8 and head.count("“") == head.count("”"):
            return head + "……"
    return sentence[:limit - 1] + "…"


def form_pinyin(form: str, known: dict[str, str] | None = None) -> str:
    """Pinyin with tone marks of another written form of a term (an alias), syllable by syllable:
    from ``known`` (the glossary's, worked out once) when it is there."""
    han = "".join(HAN_CHAR.findall(form))
    if not han:
        return ""
    return (known.get(han) if known is not None else None) or " ".join(reference_syllables(han))


class ReaderRenderer(RendererHTML):
    """markdown-it-py's HTML renderer with the reader's rules; ``env['ctx']`` is a RenderContext."""

    def renderInline(self, tokens, options, env) -> str:  # noqa: N802 - markdown-it's API
        """Convert the text of a whole paragraph at once so phrases across spans stay phrases."""
        ctx: RenderContext = env["ctx"]
        texts, stack, terms = [], [], []
        for token in tokens:
            if token.type == "span_open":
                stack.append("nc" in (token.attrGet("class") or "").split())
                terms.append(bool(token.attrGet("term")))
            elif token.type == "span_close" and stack:
                stack.pop()
                terms.pop()
            elif token.type == "text":
                token.meta["whole"] = not any(terms)
                if not any(stack):
                    texts.append(token)
        for token, converted in zip(texts, ctx.converter.convert_parts([t.content for t in texts])):
            token.meta["converted"] = converted
        return super().renderInline(tokens, options, env)

    def text(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        text = token.meta.get("converted", token.content)
        if not token.meta.get("whole"):
            return escape(text, quote=False)
        out, position = [], 0
        for match in LATIN_RUN.finditer(text):
            if match.end() - match.start() > 1:
                out += [escape(text[position:match.start()], quote=False),
                        f'<span class="lat">{escape(match.group(), quote=False)}</span>']
                position = match.end()
        return "".join(out) + escape(text[position:], quote=False)

    # ---- spans: terms, speakers, dates, credits, bold, no-convert --------------------------
    def span_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        ctx: RenderContext = env["ctx"]
        close = matching_close(tokens, idx)
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
            person = ctx.participants.get(speaker)
            classes.append("turn")
            if person is not None and person.role in ASKER_ROLES:
                classes.append("question")
            attrs["data-speaker"] = speaker
            if _starts_with_speaker(tokens[idx + 1]):
                classes.append("turn-start")
            elif person is not None and person.name:
                # Who is speaking, on every paragraph of a turn: shown by the stylesheet, so
                # copying the paragraph copies its text only.
                attrs["data-who"] = ctx.t(person.name)
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
        ident = token.attrGet("id")
        at = f' id="{escape(ident)}"' if ident else ""
        if token.tag == "h2" and tokens[idx + 1].content == ctx.title:
            # The piece carries the article's own title, already the page's h1.
            return f'<h2{at} class="visually-hidden">'
        return f"<{token.tag}{at}>"

    def heading_close(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        html = f"</{token.tag}>\n"
        opening = _matching_open(tokens, idx)
        piece = opening.meta.get("piece")
        if token.tag == "h2" and piece:
            html += _piece_header(piece, env["ctx"]) + opening.meta.get("contents", "")
        return html

    def blockquote_open(self, tokens, idx, options, env) -> str:
        """A quotation says it is one, whatever box it stands in (an editor's note quotes a leader)."""
        label = escape(env["ctx"].strings["quotation"])
        return f'<figure class="quotation"><figcaption class="quote-label">{label}</figcaption><blockquote>\n'

    def blockquote_close(self, tokens, idx, options, env) -> str:
        return "</blockquote></figure>\n"

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


def matching_close(tokens: list[Token], idx: int) -> Token:
    """The token that closes the one opening at ``tokens[idx]``."""
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
    """The paragraph's permalink. Its number is drawn by the stylesheet (``data-n``), so a copied
    paragraph does not start with it."""
    label = ctx.strings["paragraph"].format(n=number)
    return f'<a class="pnum" href="#p{number}" aria-label="{escape(label)}" data-n="{number}"></a>'


def _speaker_open(tokens: list[Token], idx: int, close: Token, ctx: RenderContext) -> str:
    """The speaker's name as printed; the guest list gives each position once."""
    close.meta["tag"] = "</b>"
    return '<b class="speaker">'


def _term_open(token: Token, ctx: RenderContext) -> str:
    """A term occurrence: one link, one Tab stop. Only a term's first use in its section is
    marked (and reachable by Tab) unless the reader asks for every use."""
    term = token.attrGet("term")
    primary, marked = token.meta.get("primary", False), token.meta.get("marked", True)
    classes = "term" + (" primary" if primary else "") + (" fs" if marked else "")
    note = f' data-note="{token.meta["note"]}"' if primary else ""
    tab = "" if marked else ' tabindex="-1"'
    form = token.meta.get("form", "")
    py = f' data-py="{escape(form_pinyin(form, ctx.form_pinyin))}"' if form and form != ctx.glossary[term].term else ""
    return (f'<span class="tw"><a class="{classes}" data-term="{term}"{note}{py} href="{escape(ctx.term_href(term))}"{tab} '
            f'aria-describedby="{token.meta.get("tip", "")}">')


def _term_close(tokens: list[Token], idx: int, ctx: RenderContext) -> str:
    """The explanation, shown by CSS on hover and focus when JavaScript is off (reader.js shows
    one card for all terms instead). Screen readers hear its label: the term and its gist.
    The first occurrence carries the definition; later ones stay light (term, pinyin, English,
    links) and the card takes the definition from the article's term list."""
    opening = _matching_open(tokens, idx)
    term = opening.attrGet("term")
    entry = ctx.entry(term)
    href = escape(ctx.term_href(term))
    tip = f'<span class="tip" role="tooltip" id="{opening.meta.get("tip", "")}" aria-label="{escape(entry["gloss"])}">'
    if not opening.meta.get("marked", True):
        # An unmarked use opens nothing without JavaScript; reader.js fills its card from the
        # article's term list, so it carries only what a screen reader says.
        return f"</a>{tip}</span></span>"
    if opening.meta.get("primary"):
        body = f'<span class="def">{escape(entry["definition"])}</span>'
        note = ctx.note(term)
        if note:    # what this article says about the term: in this article's tooltip only
            body += f' <span class="ctx">{escape(note)}</span>'
    else:
        first = opening.meta.get("first", "")
        body = f'<a class="first" href="#{first}" tabindex="-1">{escape(ctx.strings["see_first"])}</a> ' if first else ""
    return (f'</a>{tip}<b>{escape(entry["term"])}</b> <span class="py" lang="zh-Latn-pinyin">{escape(entry["pinyin"])}</span> '
            f'<i lang="en">{escape(entry["english"])}</i> {body}'
            f'<a href="{href}" tabindex="-1">{escape(ctx.strings["to_glossary"])}</a></span></span>')


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
