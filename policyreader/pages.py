"""Build every page of the site, in every script, from the articles and the glossary (Jinja)."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it.token import Token
from pypinyin import Style, lazy_pinyin

from .articles import make_parser, split_front_matter
from .config import Config, VariantSpec
from .errors import BuildError
from .glossary import Glossary
from .markup import ArticleIndex, ReaderRenderer, RenderContext, annotate
from .variants import Converter

# Interface strings, written in Simplified and converted like everything else.
UI = {
    "truncated": "［原文至此中断］",
    "photo_missing": "［图片未收录］",
    "to_glossary": "查看词条",
    "see_first": "释义见首次出现处",
    "paragraph": "第{n}段",
    "guests": "嘉宾",
    "kind_lead": "导语",
    "kind_article": "正文",
    "kind_report": "报道",
    "kind_roundtable": "访谈",
    "kind_commentary": "评论",
    "kind_editors-note": "编者按",
    "kind_data": "数据",
    "kind_timeline": "大事记",
    "kind_box": "链接",
}


@dataclass
class ArticleSource:
    """One generated article read back: front matter, parsed tokens and its index."""

    slug: str
    meta: dict
    tokens: list[Token]
    index: ArticleIndex
    shown: str

    @property
    def title(self) -> str:
        return self.meta["title"]


@dataclass
class Page:
    """A page to write: its path under the variant's folder, template and context."""

    key: str                 # path inside a variant: index.html, articles/x.html …
    template: str
    context: dict = field(default_factory=dict)


def read_articles(config: Config, glossary: Glossary, sources: list[tuple[Path, str]]) -> list[ArticleSource]:
    """Parse generated articles (path, Markdown text); unknown term ids are reported with their line."""
    md = make_parser()
    articles = []
    for path, text in sorted(sources):
        shown = config.rel(path)
        meta, body, body_line = split_front_matter(text, shown)
        tokens = md.parse(body)
        for token in tokens:
            for child in token.children or []:
                term = child.attrGet("term") if child.type == "span_open" else None
                if term and term not in glossary.by_id:
                    line = body_line + (token.map[0] if token.map else 0)
                    raise BuildError(shown, line, f"unknown term id {term!r} (not in the glossary)")
        for key in ("title", "slug", "pieces"):
            if key not in meta:
                raise BuildError(shown, 2, f"front matter lacks {key!r}; rebuild it from its seed")
        articles.append(ArticleSource(path.stem, dict(meta), tokens, annotate(tokens), shown))
    articles.sort(key=lambda a: (str(a.meta.get("date") or ""), a.slug), reverse=True)
    return articles


def pinyin_key(text: str) -> str:
    """Toneless pinyin for sorting entries A–Z."""
    return " ".join(lazy_pinyin(text, style=Style.NORMAL))


def summary(article: ArticleSource, limit: int = 90) -> str:
    """The first sentence of the article's first numbered paragraph, for the home page."""
    first = next((p.text for p in article.index.paragraphs), "")
    sentence = re.split(r"(?<=[。！？])", first, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


class SiteBuilder:
    """Renders the pages of every variant; paths are computed relative to each page."""

    def __init__(self, config: Config, glossary: Glossary, articles: list[ArticleSource],
                 converters: dict[str, Converter]) -> None:
        self.config = config
        self.glossary = glossary
        self.articles = articles
        self.converters = converters
        self.md = make_parser()
        self.renderer = ReaderRenderer(self.md)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(config.templates_dir),
                                      autoescape=True, undefined=jinja2.StrictUndefined,
                                      trim_blocks=True, lstrip_blocks=True)
        self.env.filters["t"] = jinja2.pass_context(lambda ctx, text: ctx["converter"].convert(str(text)))
        self.env.filters["date"] = format_date
        self._entries: dict[str, dict[str, dict[str, str]]] = {}   # lang → term id → fields

    # ---- paths ---------------------------------------------------------------------------------
    @staticmethod
    def path_of(variant: VariantSpec, key: str) -> str:
        return posixpath.join(variant.folder, key) if variant.folder else key

    def href(self, from_path: str, to_path: str) -> str:
        """Relative link from one output file to another (always names a file)."""
        return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")

    # ---- pages ---------------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        """Every page, variant-independent (rendered per variant by ``render``)."""
        pages = [Page("index.html", "home.html"), Page("glossary.html", "glossary.html"),
                 Page("search.html", "search.html"), Page("404.html", "404.html")]
        pages += [Page(f"articles/{a.slug}.html", "article.html", {"article": a}) for a in self.articles]
        return pages

    def render(self, page: Page, variant: VariantSpec) -> str:
        """One page in one script."""
        converter = self.converters[variant.lang]
        path = self.path_of(variant, page.key)
        link = lambda key: self.href(path, self.path_of(variant, key))  # noqa: E731
        context = {
            "site": self.config, "variant": variant, "converter": converter, "page_key": page.key,
            "link": link, "static": lambda name: self.href(path, f"static/{name}"),
            "alternates": [{"variant": v, "href": self.href(path, self.path_of(v, page.key)),
                            "url": self.config.base_url + self.path_of(v, page.key) if self.config.base_url else ""}
                           for v in self.config.variants],
            "canonical": self.config.base_url + path if self.config.base_url else "",
            "base_dir": self.config.base_url + (variant.folder + "/" if variant.folder else ""),
            "strings": {k: converter.convert(v) for k, v in UI.items()},
        }
        context.update(page.context)
        if page.template == "article.html":
            context.update(self._article_context(page.context["article"], variant, converter, link))
        elif page.template == "home.html":
            context["articles"] = [self._card(a, converter) for a in self.articles]
        elif page.template == "glossary.html":
            context.update(self._glossary_context(converter, link))
        return self.env.get_template(page.template).render(context)

    def _card(self, article: ArticleSource, converter: Converter) -> dict:
        meta = article.meta
        return {"slug": article.slug, "title": converter.convert(article.title), "date": meta.get("date"),
                "date_note": converter.convert(meta.get("date_note") or ""), "source": converter.convert(meta.get("source") or ""),
                "summary": converter.convert(summary(article)), "terms": len(article.index.terms)}

    def _render_context(self, article: ArticleSource, converter: Converter, link) -> RenderContext:
        return RenderContext(converter=converter, glossary=self.glossary.by_id, glossary_href=link("glossary.html"),
                             participants={p["id"]: p for p in article.meta.get("participants") or []},
                             pieces={p["id"]: p for p in article.meta["pieces"]}, title=article.title,
                             strings={k: converter.convert(v) for k, v in UI.items()},
                             entry_text=self._entries.setdefault(converter.spec.lang, {}))

    def _article_context(self, article: ArticleSource, variant: VariantSpec, converter: Converter, link) -> dict:
        ctx = self._render_context(article, converter, link)
        body = self.renderer.render(article.tokens, self.md.options, {"ctx": ctx})
        notes = []
        for number, term_id in enumerate(article.index.terms, start=1):
            entry = self.glossary.by_id[term_id]
            places = [(anchor, converter.convert(label)) for anchor, label in article.index.places(term_id)]
            notes.append({"number": number, "id": term_id, "places": places, "entry": entry, **ctx.entry(term_id)})
        meta = article.meta
        return {"body": body, "notes": notes, "title": converter.convert(article.title),
                "date": meta.get("date"), "date_note": converter.convert(meta.get("date_note") or ""),
                "source": converter.convert(meta.get("source") or ""),
                "authors": [converter.convert(a) for a in meta.get("authors") or []],
                "truncated": bool(meta.get("truncated"))}

    def _glossary_context(self, converter: Converter, link) -> dict:
        backrefs: dict[str, list[dict]] = {}
        for article in self.articles:
            for term_id in article.index.terms:
                places = [(anchor, converter.convert(label)) for anchor, label in article.index.places(term_id)]
                backrefs.setdefault(term_id, []).append(
                    {"href": link(f"articles/{article.slug}.html"), "title": converter.convert(article.title),
                     "places": places})
        cache = self._entries.setdefault(converter.spec.lang, {})
        entries = []
        for entry in self.glossary.entries:
            ctx = RenderContext(converter, self.glossary.by_id, "", {}, {}, "", {}, cache)
            fields = ctx.entry(entry.id)
            entries.append({"entry": entry, **fields, "category": converter.convert(entry.category),
                            "uncertain": converter.convert(entry.uncertain or ""),
                            "related": [(r, ctx.entry(r)["term"]) for r in entry.related],
                            "backrefs": backrefs.get(entry.id, []), "sort": pinyin_key(entry.term)})
        entries.sort(key=lambda e: e["sort"])
        categories = [(converter.convert(c), [e for e in entries if e["entry"].category == c]) for c in self.glossary.categories]
        letters: dict[str, list[dict]] = {}
        for e in entries:
            letters.setdefault(e["sort"][:1].upper(), []).append(e)
        return {"categories": [c for c in categories if c[1]], "letters": sorted(letters.items())}


def format_date(value: object) -> str:
    """A date as Chinese readers write it: 2026年1月20日."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value or "")

