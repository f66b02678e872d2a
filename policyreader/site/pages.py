"""Build the pages of the site, in every script, with Jinja templates sharing one base layout.

``ArticleRenderer`` turns one generated article into its pages (one per script) plus what the
site-wide pages need; the result is plain, picklable data, so it can be cached and made in
worker processes. ``SitePages`` then builds home, the month pages, glossary, search, 404 and the
term pages from those each of them shows.
"""
from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import jinja2
from markupsafe import Markup, escape

import yaml
from markdown_it.token import Token

from ..errors import BuildError
from ..markdown.meta import ArticleMeta, read_meta
from ..markdown.parser import FAST_LOADER, make_parser
from ..markdown.renderer import ASKER_ROLES, ArticleIndex, ReaderRenderer, RenderContext, annotate, shown_term
from ..sources.config import Config, VariantSpec
from ..sources.glossary import Glossary, sort_keys
from ..text.pinyin import toneless
from ..theme import Theme
from ..variants.convert import Converter
from . import urls
from .strings import UI, format_date
from .urls import SITE_PAGES, href, path_of
from .interface import interface_for

TOC_QUESTION = 22      # characters of a question shown in the contents
TERM_PAGE_ARTICLES = 20      # articles a term page lists (the first up to twice as many); older ones further on
TERM_ARTICLE_SENTENCES = 20  # sentences a term page quotes of one article; the rest are counted and linked
HOME_ARTICLES = 30           # the home page lists the newest; every article is on its month's page

@dataclass
class ParsedArticle:
    """One article's Markdown parsed and annotated: what every rendering of it starts from."""

    slug: str
    meta: ArticleMeta
    tokens: list[Token]
    index: ArticleIndex


@dataclass
class RenderedArticle:
    """One article rendered in every script, with what home, glossary and search need."""

    slug: str
    meta: ArticleMeta
    index: ArticleIndex
    titles: dict[str, str]                # lang → title in that script
    paragraphs: dict[str, list[str]]      # lang → numbered paragraphs' text, in that script
    headings: list[str] = field(default_factory=list)
    # lang → every term occurrence as (term id, anchor, before, written, after) in that script,
    # for the term pages (made here, per seed, so a rebuild of the site converts nothing again)
    sentences: dict[str, list[tuple[str, str, str, str, str]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def key(self) -> str:
        return urls.article(self.slug)

    def summary(self, lang: str, limit: int = 90) -> str:
        """The first sentence of the first numbered paragraph, in one script."""
        first = self.paragraphs[lang][0] if self.paragraphs[lang] else ""
        sentence = re.split(r"(?<=[。！？])", first, maxsplit=1)[0]
        return sentence if len(sentence) <= limit else sentence[:limit] + "…"


def _template_line(exc: BaseException, name: str) -> tuple[str | None, int | None]:
    """The template file and line a rendering error came from: Jinja maps its code's frames back
    to the template, so the innermost frame of a template file is the place."""
    found: tuple[str | None, int | None] = (None, None)
    frame = exc.__traceback__
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) and Path(filename).is_file():
            found = (filename, frame.tb_lineno)
        frame = frame.tb_next
    return found


def _bytecode_cache(glossary: Glossary) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the build's cache folder (keyed by each template's source):
    compiling them costs a small rebuild a tenth of a second in every process."""
    if glossary.cache is None:
        return None
    folder = glossary.cache / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None                 # a cache that cannot be written is only slower
    return jinja2.FileSystemBytecodeCache(str(folder))


class _Templates:
    """The Jinja environment and the context every page shares."""

    def __init__(self, config: Config, glossary: Glossary, converters: dict[str, Converter]) -> None:
        self.config = config
        self.glossary = glossary
        self.converters = converters
        self.env = jinja2.Environment(loader=Theme(config.templates_dir, config.static_dir).loader(),
                                      autoescape=True, undefined=jinja2.StrictUndefined,
                                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache(glossary))
        # Template strings are interface text: converted, then in the script's own screen words.
        self.env.filters["t"] = jinja2.pass_context(lambda ctx, text: ctx["interface"].text(str(text)))
        self.env.filters["date"] = format_date
        self.interfaces = {lang: interface_for(c) for lang, c in converters.items()}
        self.strings = {lang: {k: i.text(v) for k, v in UI.items()} for lang, i in self.interfaces.items()}
        self._entries: dict[str, dict[str, dict[str, str]]] = {lang: {} for lang in converters}

    def render_template(self, name: str, context: dict) -> str:
        """One page from a template; a template's problem stops the build in one line with its
        file and line (the site's own template, or the theme's)."""
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError(self._shown(exc.filename, name), exc.lineno, f"template: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            where, line = _template_line(exc, name)
            raise BuildError(self._shown(where, name), line, f"template {exc.name!r} is neither in the site's "
                             "templates/ nor in the theme") from None
        except Exception as exc:   # noqa: BLE001 - whatever a template raises, it is the template's line
            where, line = _template_line(exc, name)
            raise BuildError(self._shown(where, name), line, f"template: {type(exc).__name__}: {exc}") from None

    def _shown(self, filename: str | None, name: str) -> str:
        return self.config.rel(Path(filename)) if filename else f"templates/{name}"

    def context(self, key: str, variant: VariantSpec) -> dict:
        """What base.html needs: links relative to this page, alternates, strings."""
        path = path_of(variant, key)
        base = self.config.base_url
        links: dict[str, str] = {}

        def link(target: str) -> str:
            if target not in links:
                links[target] = href(path, path_of(variant, target))
            return links[target]

        return {
            "site": self.config, "variant": variant, "converter": self.converters[variant.lang], "page_key": key,
            "interface": self.interfaces[variant.lang],
            "link": link,
            "static": lambda name: href(path, urls.static(name)),
            "alternates": [{"variant": v, "href": href(path, path_of(v, key)),
                            "url": urls.absolute(base, v, key) if base else ""}
                           for v in self.config.variants],
            "canonical": base + path if base else "",
            "base_dir": base + (variant.folder + "/" if variant.folder else ""),
            "strings": self.strings[variant.lang],
        }

    def render_context(self, variant: VariantSpec, glossary_href: str, meta: ArticleMeta | None) -> RenderContext:
        """What the Markdown renderer needs for one article in one script."""
        return RenderContext(converter=self.converters[variant.lang], glossary=self.glossary.by_id,
                             glossary_href=glossary_href,
                             term_dir=posixpath.join(posixpath.dirname(glossary_href), urls.TERMS_DIR),
                             seed=meta.seed_file if meta else "",
                             participants={p.id: p for p in meta.participants} if meta else {},
                             pieces={p.id: p for p in meta.pieces} if meta else {}, title=meta.title if meta else "",
                             strings=self.strings[variant.lang], entry_text=self._entries[variant.lang],
                             form_pinyin=self.glossary.form_pinyin)


class ArticleRenderer(_Templates):
    """Renders one article in every script (made once per process; reused for every article)."""

    def __init__(self, config: Config, glossary: Glossary, converters: dict[str, Converter]) -> None:
        super().__init__(config, glossary, converters)
        self.md = make_parser(ReaderRenderer)

    def render(self, path: Path, text: str) -> tuple[RenderedArticle, dict[str, str]]:
        """Parse the article's Markdown once, then render it per script: (article, {lang: page})."""
        return self.render_parsed(self.parse(path, text))

    def parse(self, path: Path, text: str) -> ParsedArticle:
        """The article's tokens, annotated once (¶ numbers, first uses), and its front matter."""
        shown = self.config.rel(path)
        tokens = self.md.parse(text)
        if not tokens or tokens[0].type != "front_matter":
            raise BuildError(shown, 1, "article must start with '---' front matter")
        meta = read_meta(yaml.load(tokens.pop(0).content, Loader=FAST_LOADER), shown)  # noqa: S506 - a safe loader
        for token in tokens:
            for child in token.children or []:
                term = child.attrGet("term") if child.type == "span_open" else None
                if term and term not in self.glossary.by_id:
                    line = token.map[0] + 1 if token.map else None
                    raise BuildError(shown, line, f"unknown term id {term!r} (not in the glossary)")
        askers = frozenset(p.id for p in meta.participants if p.role in ASKER_ROLES)
        index = annotate(tokens, askers)
        return ParsedArticle(path.stem, meta, tokens, index)

    def render_parsed(self, parsed: ParsedArticle) -> tuple[RenderedArticle, dict[str, str]]:
        """Render a parsed article in every script: (article, {lang: page})."""
        slug, meta, tokens, index = parsed.slug, parsed.meta, parsed.tokens, parsed.index
        pages, titles, paragraphs, sentences = {}, {}, {}, {}
        for variant in self.config.variants:
            converter = self.converters[variant.lang]
            context = self.context(urls.article(slug), variant)
            ctx = self.render_context(variant, context["link"](urls.GLOSSARY), meta)
            context["body"] = self.md.renderer.render(tokens, self.md.options, {"ctx": ctx})
            context["notes"] = [{"number": n, "id": term, "entry": self.glossary.by_id[term], **ctx.entry(term),
                                 "href": ctx.term_href(term), "note": ctx.note(term),
                                 "places": [(a, converter.convert(label)) for a, label in index.places(term)]}
                                for n, term in enumerate(index.terms, start=1)]
            context.update(title=converter.convert(meta.title), date=meta.date,
                           date_known=meta.date is not None and not meta.date_note,
                           date_note=converter.convert(meta.date_note or ""),
                           source=converter.convert(meta.source or ""),
                           edition=converter.convert(meta.edition or ""),
                           url=meta.url or "", retrieved=meta.retrieved,
                           authors=[converter.convert(a) for a in meta.authors],
                           truncated=meta.truncated, slug=slug, archive=urls.archive(meta.date),
                           toc=contents(index, meta, ctx),
                           cite=converter.convert(citation(meta, "{n}")), cite_article=converter.convert(citation(meta)))
            pages[variant.lang] = self.render_template("article.html", context)
            titles[variant.lang] = context["title"]
            paragraphs[variant.lang] = [converter.convert(p.text) for p in index.paragraphs]
            sentences[variant.lang] = [(o.term, o.anchor, *converter.convert_parts([o.before, o.written, o.after]))
                                       for o in index.occurrences]
        headings = [t.content for i, t in enumerate(tokens) if t.type == "inline" and tokens[i - 1].type == "heading_open"]
        return RenderedArticle(slug, meta, index, titles, paragraphs, headings, sentences), pages


def contents(index: ArticleIndex, meta: ArticleMeta, ctx: RenderContext) -> list[dict]:
    """The article's contents in one script: its pieces, their headings, and in a round-table
    each question with the guests who answer it. Empty when there is only one line."""
    pieces = {p.id: p for p in meta.pieces}
    names = {p.id: p.name for p in meta.participants}
    lines: list[dict] = []
    for entry in index.toc:
        if entry.kind == "piece":
            piece = pieces.get(entry.anchor)
            text = ctx.t(piece.title) if piece and piece.title else ctx.strings["kind_" + (piece.kind if piece else "article")]
            lines.append({"href": f"#{entry.anchor}", "text": text, "level": 1, "who": [], "question": False})
        elif entry.kind == "heading":
            lines.append({"href": f"#{entry.anchor}", "text": ctx.t(entry.text), "level": 2 if entry.level <= 3 else 3,
                          "who": [], "question": False})
        elif entry.kind == "question":
            text = entry.text if len(entry.text) <= TOC_QUESTION else entry.text[:TOC_QUESTION - 1] + "…"
            lines.append({"href": f"#{entry.anchor}", "text": ctx.t(text), "level": 2, "who": [], "question": True})
        elif entry.kind == "answer" and lines and lines[-1]["question"]:
            name = ctx.t(names.get(entry.speaker, ""))
            if name and name not in lines[-1]["who"]:
                lines[-1]["who"].append(name)
    return lines if len(lines) > 1 else []


def citation(meta: ArticleMeta, paragraph: str = "") -> str:
    """How to cite the article (or one paragraph of it), in Simplified: authors, title, paper,
    date or that it is unknown, edition, paragraph; then the address and when it was retrieved."""
    when = format_date(meta.date) if meta.date and not meta.date_note else "刊发日期不详"
    text = (f"{'、'.join(meta.authors)}：" if meta.authors else "") + f"《{meta.title}》"
    if meta.source:
        text += f"，《{meta.source}》"
    text += f"，{when}" + (f"，{meta.edition}" if meta.edition else "")
    text += (f"，第{paragraph}段" if paragraph else "") + "。"
    if meta.url:
        text += meta.url + (f"（{format_date(meta.retrieved)}检索）" if meta.retrieved else "")
    return text


class Month(NamedTuple):
    """One month's page of the archive: its key, the month (None: articles without a date) and
    how many articles it lists."""

    key: str
    month: dt.date | None
    count: int


def archive_months(dates: Iterable[dt.date | None]) -> list[Month]:
    """The archive's months, from the articles' dates in site order (newest first, undated last)."""
    months: dict[str, Month] = {}
    for date in dates:
        key = urls.archive(date)
        found = months.get(key)
        months[key] = Month(key, date.replace(day=1) if date else None, found.count + 1 if found else 1)
    return list(months.values())


class TermUsers(NamedTuple):
    """Every article that uses a term (slugs, newest first) and its sentences in them (in any one
    script): what each page of the term counts, so that a page is made from its own batch of
    articles without the others."""

    slugs: tuple[str, ...]
    sentences: int


class SitePages(_Templates):
    """Home, archive, glossary, search, 404 and one page per term, in every script, from all
    rendered articles; or from some of them, with what the pages count of the others given:
    ``months`` (the archive) and ``article_counts`` (term id → articles using it) for home,
    month and glossary pages made from just the articles they list, ``term_users`` for term
    pages made from just the articles on them."""

    def __init__(self, config: Config, glossary: Glossary, converters: dict[str, Converter],
                 articles: list[RenderedArticle], term_users: dict[str, TermUsers] | None = None,
                 months: list[Month] | None = None, article_counts: dict[str, int] | None = None) -> None:
        super().__init__(config, glossary, converters)
        self.articles = sorted(articles, key=lambda a: (str(a.meta.date or ""), a.slug), reverse=True)
        self.term_users = term_users or {}
        self.months = months if months is not None else archive_months(a.meta.date for a in self.articles)
        self.article_counts = article_counts
        self.used_in: dict[str, list[RenderedArticle]] = {}                      # term id → articles, newest first
        for article in self.articles:
            for term_id in article.index.terms:
                self.used_in.setdefault(term_id, []).append(article)
        # (article, lang) → term id → its sentences with labels: grouped once, so the term
        # pages of a long article do not each read all of its sentences.
        self._sentences_by_term: dict[tuple[str, str], dict[str, list[tuple]]] = {}
        self._users_by_lang: dict[tuple[str, str], TermUsers] = {}   # (term id, lang) → its users here

    def forget(self, article: RenderedArticle) -> None:
        """Drop what was grouped of an article (no page still to make lists it)."""
        for lang in self.converters:
            self._sentences_by_term.pop((article.key, lang), None)

    def _uses(self, article: RenderedArticle, lang: str) -> dict[str, list[tuple]]:
        """An article's term sentences in one script, grouped by term, each with its label."""
        key = (article.key, lang)
        if key not in self._sentences_by_term:
            grouped: dict[str, list[tuple]] = {}
            for row, label in zip(article.sentences[lang], _labels(article)):
                grouped.setdefault(row[0], []).append((*row[1:], label))
            self._sentences_by_term[key] = grouped
        return self._sentences_by_term[key]

    @functools.cached_property
    def sort_keys(self) -> dict[str, str]:
        """Each entry's A–Z key (pinyin), made once for every script, and only if the glossary
        page is made."""
        return sort_keys(self.glossary)

    def term_keys(self) -> list[str]:
        """The key of every term's first page (``terms/ID.html``)."""
        return [urls.term(e.id) for e in self.glossary.entries]

    def term_page_keys(self, term_id: str) -> list[str]:
        """The keys of every page of one term: its first, then one per further batch of articles."""
        given = self.term_users.get(term_id)
        return term_page_keys(term_id, len(given.slugs) if given is not None else len(self.used_in.get(term_id, [])))

    def _users_here(self, term_id: str, lang: str) -> TermUsers:
        """A term's users as these articles hold them (when no ``term_users`` were given)."""
        if (term_id, lang) not in self._users_by_lang:
            users = self.used_in.get(term_id, [])
            self._users_by_lang[term_id, lang] = TermUsers(tuple(a.slug for a in users),
                                                       sum(len(self._uses(a, lang).get(term_id, [])) for a in users))
        return self._users_by_lang[term_id, lang]

    @functools.cached_property
    def _by_slug(self) -> dict[str, RenderedArticle]:
        return {a.slug: a for a in self.articles}

    def render(self, key: str, variant: VariantSpec) -> str:
        """One site-wide page in one script."""
        if urls.term_of(key):
            return self.term_page(key, variant)
        context = self.context(key, variant)
        if key.startswith(urls.ARCHIVE_DIR):
            context.update(self._month(key, variant, context["link"]))
            return self.render_template("archive.html", context)
        if key == urls.HOME:
            context["articles"] = [self._card(a, variant) for a in self.articles[:HOME_ARTICLES]]
            context["months"] = [self._month_link(m, variant, context["link"]) for m in self.months]
        elif key == urls.GLOSSARY:
            context.update(self._glossary(variant, context["link"]))
        return self.render_template(SITE_PAGES[key], context)

    def _month_link(self, month: Month, variant: VariantSpec, link) -> dict:
        label = f"{month.month.year}年{month.month.month}月" if month.month else "刊发日期不详"
        return {"href": link(month.key), "label": self.interfaces[variant.lang].text(label), "count": month.count}

    def _month(self, key: str, variant: VariantSpec, link) -> dict:
        """One month's page: its articles (newest first) and the months next to it. Its list is
        where an article's 上一篇 and 下一篇 land; at either end they go on to the next month's."""
        at = next(i for i, m in enumerate(self.months) if m.key == key)
        articles = [self._card(a, variant) for a in self.articles if urls.archive(a.meta.date) == key]
        assert len(articles) == self.months[at].count, f"{key}: the articles of its month are not all here"
        newer = self._month_link(self.months[at - 1], variant, link) if at else None
        older = self._month_link(self.months[at + 1], variant, link) if at + 1 < len(self.months) else None
        return {"month": self._month_link(self.months[at], variant, link), "articles": articles,
                "newer": newer, "older": older}

    def term_page(self, key: str, variant: VariantSpec, batch: list[RenderedArticle] | None = None) -> str:
        """One page of a term in one script; ``batch``: the articles it lists, in site order
        (by default, those of its batch among the articles given)."""
        found = urls.term_of(key)
        assert found is not None, key
        context = self.context(key, variant)
        context.update(self._term(*found, variant, context["link"], batch))
        return self.render_template("term.html", context)

    def _card(self, article: RenderedArticle, variant: VariantSpec) -> dict:
        convert = self.converters[variant.lang].convert
        meta = article.meta
        return {"slug": article.slug, "title": article.titles[variant.lang], "date": meta.date,
                "date_known": meta.date is not None and not meta.date_note,
                "date_note": convert(meta.date_note or ""), "source": convert(meta.source or ""),
                "summary": article.summary(variant.lang), "terms": len(article.index.terms)}

    def _glossary(self, variant: VariantSpec, link) -> dict:
        """The index: one short line per entry (its occurrences live on its own page)."""
        convert = self.converters[variant.lang].convert
        ctx = self.render_context(variant, "", None)
        entries = []
        for entry in self.glossary.entries:
            fields = ctx.entry(entry.id)
            forms = {entry.term, fields["term"], *entry.aliases, *(convert(a) for a in entry.aliases)}
            keys = " ".join(sorted(forms)) + " " + filter_key(entry.pinyin, entry.english)
            entries.append({"entry": entry, **fields, "href": link(urls.term(entry.id)), "filter": keys,
                            "articles": self._article_count(entry.id), "sort": self.sort_keys[entry.id]})
        entries.sort(key=lambda e: e["sort"])
        categories = [(convert(c), [e for e in entries if e["entry"].category == c]) for c in self.glossary.categories]
        return {"categories": [c for c in categories if c[1]], "entry_count": len(entries)}

    def _article_count(self, term_id: str) -> int:
        if self.article_counts is not None:
            return self.article_counts.get(term_id, 0)
        return len(self.used_in.get(term_id, []))

    def _term(self, term_id: str, number: int, variant: VariantSpec, link,
              batch: list[RenderedArticle] | None = None) -> dict:
        """One page of a term: the entry in full and the places the site uses it, newest first,
        a batch of articles a page (each quoted up to a limit), so no page grows with the site."""
        convert = self.converters[variant.lang].convert
        entry = self.glossary.by_id[term_id]
        ctx = self.render_context(variant, "", None)
        given = self.term_users.get(term_id) or self._users_here(term_id, variant.lang)
        count = term_page_count(len(given.slugs))
        if number > count:
            raise KeyError(urls.term(term_id, number))
        uses = []
        if batch is None:
            batch = [self._by_slug[slug] for slug in page_batch(list(given.slugs), number)]
        for article in batch:
            target = link(article.key)
            rows = self._uses(article, variant.lang).get(term_id, [])
            sentences = [{"href": f"{target}#{anchor}", "before": before, "written": written, "after": after,
                          "label": convert(label)}
                         for anchor, before, written, after, label in rows[:TERM_ARTICLE_SENTENCES]]
            more = rows[TERM_ARTICLE_SENTENCES:]
            uses.append({"title": article.titles[variant.lang], "href": target, "date": article.meta.date,
                         "source": convert(article.meta.source or ""), "sentences": sentences,
                         "more": len(more), "more_href": f"{target}#{more[0][0]}" if more else ""})
        # A page further on names its own span of dates and links its neighbours and the two
        # ends, never the page count: a page more leaves the pages before it as they were.
        order = page_order(count)
        at = order.index(number)
        newer = order[at - 1] if at else None
        older = order[at + 1] if at + 1 < count else None
        dates = sorted(a.meta.date for a in batch if a.meta.date)
        span = "" if number == 1 else (f"{format_date(dates[0])}—{format_date(dates[-1])}" if dates else "刊发日期不详")
        pager = {"number": number, "count": count, "span": convert(span),
                 "newer": link(urls.term(term_id, newer)) if newer else "",
                 "older": link(urls.term(term_id, older)) if older else "",
                 "newest": link(urls.term(term_id, 1)) if newer not in (None, 1) else "",
                 "oldest": link(urls.term(term_id, 2)) if older not in (None, 2) else ""}
        base = self.config.base_url
        url = urls.absolute(base, variant, urls.term(term_id)) if base else path_of(variant, urls.term(term_id))
        fields = ctx.entry(term_id)
        return {"entry": entry, **fields, "aliases": [convert(a) for a in entry.aliases],
                "category": convert(entry.category), "uncertain": convert(entry.uncertain or ""),
                "scope": convert("全国" if entry.national else entry.scope or ""),
                "first_used": entry.first_used and {"year": entry.first_used.year, "event": convert(entry.first_used.event)},
                "sources": [convert(s.cite()) for s in entry.sources],
                "seed_source": entry.source,
                "related": [(link(urls.term(r)), shown_term(*self.glossary.names[r], self.converters[variant.lang]))
                            for r in entry.related],
                # The counts are on the first page only: an edit that adds or takes a use (or a
                # new article) remakes that page and the one listing the article, not all of a
                # common term's.
                "uses": uses, "use_count": given.sentences if number == 1 else None,
                "article_count": len(given.slugs) if number == 1 else None,
                "pager": pager,
                "cite": convert(f"《{self.config.title}》术语表“{entry.term}”条，") + url}


def term_page_count(articles: int) -> int:
    """How many pages a term used by ``articles`` articles has (one, even when no article uses it)."""
    return max(1, articles // TERM_PAGE_ARTICLES)


def page_bounds(articles: int, number: int) -> tuple[int, int]:
    """Where page ``number``'s articles are among the ``articles`` using a term (newest first).

    Pages are counted out from the oldest article, ``TERM_PAGE_ARTICLES`` each, and numbered
    from it too (page 2 holds the oldest); the first page takes the newest that are left (up to
    twice as many, so it is never short). A new article changes the first page only; when a
    page more is due, it holds what the first page gave up, and no other page changes."""
    if number == 1:
        return 0, articles - (term_page_count(articles) - 1) * TERM_PAGE_ARTICLES
    return articles - (number - 1) * TERM_PAGE_ARTICLES, articles - (number - 2) * TERM_PAGE_ARTICLES


def page_batch(articles: list, number: int) -> list:
    """The articles page ``number`` of a term lists, of all those using it (newest first)."""
    start, end = page_bounds(len(articles), number)
    return articles[start:end]


def page_of(index: int, articles: int) -> int:
    """The page listing the article at ``index`` among the ``articles`` using a term (newest first)."""
    number = (articles - 1 - index) // TERM_PAGE_ARTICLES + 2
    return 1 if number > term_page_count(articles) else number


def page_order(count: int) -> list[int]:
    """A term's page numbers as readers go from the newest uses to the oldest."""
    return [1, *range(count, 1, -1)]


def term_pages_streamed(site: SitePages, stale: dict[str, list[str]],
                        articles: Iterable[RenderedArticle]) -> Iterator[tuple[str, VariantSpec, str]]:
    """The pages ``stale`` names (term → its page keys), each in every script as (key,
    variant, html), made as soon as the last article it lists has come: ``articles`` come in
    site order and ``site.term_users`` counts every term. Only the articles of pages still
    waiting are held: a page lists twenty, the site may have tens of thousands."""
    listing: dict[str, list[str]] = {}       # page key → the slugs it lists
    listed_on: dict[str, list[str]] = {}     # slug → the keys of the pages listing it
    for term_id, keys in stale.items():
        slugs = list(site.term_users[term_id].slugs)
        for key in keys:
            found = urls.term_of(key)
            assert found is not None, key
            listing[key] = page_batch(slugs, found[1])
            for slug in listing[key]:
                listed_on.setdefault(slug, []).append(key)
    waiting: dict[str, dict[str, RenderedArticle]] = {key: {} for key in listing}
    held: dict[str, int] = {slug: len(keys) for slug, keys in listed_on.items()}

    def make(key: str) -> Iterator[tuple[str, VariantSpec, str]]:
        got = waiting.pop(key)
        batch = [got[slug] for slug in listing[key]]
        for variant in site.config.variants:
            yield key, variant, site.term_page(key, variant, batch)
        for article in batch:
            held[article.slug] -= 1
            if not held[article.slug]:
                site.forget(article)

    for key in [k for k, slugs in listing.items() if not slugs]:
        yield from make(key)
    for article in articles:
        for key in listed_on.get(article.slug, ()):
            waiting[key][article.slug] = article
            if len(waiting[key]) == len(listing[key]):
                yield from make(key)


def term_page_keys(term_id: str, articles: int) -> list[str]:
    """The keys of every page of a term used by ``articles`` articles."""
    return [urls.term(term_id, n) for n in range(1, term_page_count(articles) + 1)]


def filter_key(pinyin_text: str, english: str) -> str:
    """What the glossary's filter box matches besides the characters: the pinyin with and
    without tones and the English (reader.js drops tone marks, spaces and case on both sides)."""
    return f"{pinyin_text} {toneless(pinyin_text)} {english}"


def _labels(article: RenderedArticle) -> list[str]:
    """A label for each occurrence of an article, in order (¶12, or 图1 in a caption)."""
    return [f"¶{o.paragraph}" if o.paragraph else "图" + o.anchor.split("-")[1] if o.anchor.startswith("photo-")
            else "篇首" for o in article.index.occurrences]
