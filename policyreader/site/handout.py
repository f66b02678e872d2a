"""The handout: a print page per article in every script, for trainers.

One page per article and script holds the article and one list of notes. Term notes and the
editor's notes on mended text share one numbering, in order of first appearance, so no number
ever means two things. The trainer picks what to print on the page itself (CSS alone, so it
works without JavaScript and from ``file://``): the article only (then the editor's notes are
numbered on their own), the article with a note for every term marked at each use with the
paragraphs it stands in, or the article with notes marked at each term's first use only. Print
adds page numbers, a running title and the source line; a QR code made at build time (segno,
no network) points to the hosted page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from html import escape

from markdown_it.token import Token

from ..markdown.parser import make_parser
from ..markdown.renderer import ReaderRenderer, RenderContext, matching_close
from ..sources.config import VariantSpec
from . import urls
from .pages import ArticleRenderer, ParsedArticle, RenderedArticle
from .strings import format_date
from .urls import path_of

# What the trainer can choose to print, in the order the page offers them (the first is the default).
CHOICES = (
    ("first", "文章＋术语注释（只在首次出现处标注）"),
    ("all", "文章＋术语注释（每处标注，注明所在段落）"),
    ("text", "只印文章"),
)


@dataclass
class Numbering:
    """One numbering for every note of an article: terms and editor's notes, in reading order."""

    order: list[tuple[str, str]] = field(default_factory=list)      # (kind, key): ("term", id) / ("fix", label)
    number: dict[tuple[str, str], int] = field(default_factory=dict)
    fix_only: dict[str, int] = field(default_factory=dict)         # editor's notes numbered alone (article only)

    def add(self, kind: str, key: str) -> None:
        """Give a note its number at its first mark; later marks reuse it."""
        if (kind, key) not in self.number:
            self.order.append((kind, key))
            self.number[(kind, key)] = len(self.order)
            if kind == "fix":
                self.fix_only[key] = len(self.fix_only) + 1


def number_notes(tokens: list[Token]) -> Numbering:
    """Number term notes and editor's notes together, in the order their marks are read."""
    numbering = Numbering()
    for token in tokens:
        for child in token.children or []:
            if child.type == "span_open" and child.attrGet("term"):
                numbering.add("term", child.attrGet("term"))
            elif child.type == "footnote_ref":
                numbering.add("fix", str(child.meta["label"]))
    return numbering


def split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[str, Token]]:
    """The article's tokens without the editor's-notes block, and each note's inline token by label."""
    body: list[Token] = []
    notes: dict[str, Token] = {}
    label, inside = "", False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif inside and token.type == "footnote_open":
            label = str(token.meta["label"])
        elif inside and token.type == "inline" and label not in notes:
            notes[label] = token
        elif not inside:
            body.append(token)
    return body, notes


class HandoutRenderer(ReaderRenderer):
    """The reader's renderer, with terms as plain text plus a note number instead of a tooltip."""

    def span_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        term = token.attrGet("term")
        if not term:
            return super().span_open(tokens, idx, options, env)
        close = matching_close(tokens, idx)
        close.meta["tag"] = "handout-term"
        close.meta["term"] = term
        close.meta["later"] = not token.meta.get("primary", False)
        return '<span class="ht">'

    def span_close(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if token.meta.get("tag") != "handout-term":
            return super().span_close(tokens, idx, options, env)
        number = env["numbering"].number[("term", token.meta["term"])]
        later = " later" if token.meta["later"] else ""
        return f'</span><sup class="nref term{later}"><a href="#n{number}">{number}</a></sup>'

    def footnote_ref(self, tokens, idx, options, env) -> str:
        label = str(tokens[idx].meta["label"])
        numbering: Numbering = env["numbering"]
        number, alone = numbering.number[("fix", label)], numbering.fix_only[label]
        return (f'<sup class="nref fix"><a href="#n{number}"><span class="n-full">{number}</span>'
                f'<span class="n-text">{alone}</span></a></sup>')


def qr_svg(url: str, title: str) -> str:
    """A QR code for a URL as inline SVG (sized by CSS through its viewBox)."""
    import segno   # here: a build whose codes are all remembered never loads it
    code = segno.make(url, error="m")
    return code.svg_inline(scale=1, border=2, omitsize=True, title=title, svgclass="qr")


def css_string(text: str) -> str:
    """Text as a CSS string literal, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{escaped}"'


class HandoutPages:
    """Renders the handout of one article in every script (one per process, like ArticleRenderer)."""

    def __init__(self, renderer: ArticleRenderer, qr: Callable[[str, str], str] = qr_svg) -> None:
        self.renderer = renderer
        self.md = make_parser(HandoutRenderer)
        self.qr = qr   # (url, title) → inline SVG; the build passes one that remembers

    def render(self, parsed: ParsedArticle, rendered: RenderedArticle) -> dict[str, str]:
        """The handout page of one article in every script: {site path: html}."""
        tokens, notes = split_footnotes(parsed.tokens)
        numbering = number_notes(tokens)
        pages = {}
        for variant in self.renderer.config.variants:
            key = urls.handout(parsed.slug)
            pages[path_of(variant, key)] = self._page(key, variant, parsed, rendered, tokens, notes, numbering)
        return pages

    def _page(self, key: str, variant: VariantSpec, parsed: ParsedArticle, rendered: RenderedArticle,
              tokens: list[Token], notes: dict[str, Token], numbering: Numbering) -> str:
        r = self.renderer
        converter = r.converters[variant.lang]
        meta = parsed.meta
        context = r.context(key, variant)
        ctx: RenderContext = r.render_context(variant, context["link"]("glossary.html"), meta)
        body = self.md.renderer.render(tokens, self.md.options, {"ctx": ctx, "numbering": numbering})
        items = []
        for kind, note_key in numbering.order:
            number = numbering.number[(kind, note_key)]
            if kind == "term":
                items.append({"kind": kind, "number": number, "id": note_key, **ctx.entry(note_key), "note": ctx.note(note_key),
                              "places": [(a, converter.convert(label)) for a, label in parsed.index.places(note_key)]})
            else:
                inline = notes.get(note_key)
                items.append({"kind": kind, "number": number, "alone": numbering.fix_only[note_key],
                              "text": converter.convert(inline.content if inline else "")})
        article_url = r.config.base_url + path_of(variant, rendered.key) if r.config.base_url else ""
        title = rendered.titles[variant.lang]
        source = converter.convert(meta.source or "")
        date = meta.date
        source_line = "　".join(x for x in (source, format_date(date)) if x)
        context.update(
            title=title, body=body, notes=items, slug=parsed.slug, choices=[(v, converter.convert(label)) for v, label in CHOICES],
            source=source, date=date, date_note=converter.convert(meta.date_note or ""),
            authors=[converter.convert(a) for a in meta.authors],
            article_url=article_url,
            qr=self.qr(article_url, converter.convert("在线阅读本文") + " " + article_url) if article_url else "",
            running_title=css_string(title), running_source=css_string(source_line),
            running_site=css_string(converter.convert(r.config.title)),
            fixes=sum(1 for kind, _ in numbering.order if kind == "fix"),
            terms=sum(1 for kind, _ in numbering.order if kind == "term"),
            study=context["link"](urls.study(parsed.slug)),
            article=context["link"](rendered.key))
        return r.render_template("handout.html", context)
