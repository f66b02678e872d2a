"""Each seed's own work, done once and remembered: read it, ingest it, render its pages, scan them.

A seed's result depends only on the seed, its sidecar, its slug, the shared inputs and its slice
of the glossary (``slices``: what its pages read of it, what the matcher found in its texts), so
it is cached by the hash of all of them and, when many seeds need work, made in worker processes
(each sets up OpenCC, markdown-it-py and Jinja once and reuses them for every seed). Every
stage of a seed's work runs in the worker: reading the seed, ingest, rendering its pages,
handouts and study pages, storing them and its search text, scanning their links, its search
tokens, and writing its cache entries. The build then keeps only a small summary of each seed
(``Lean``), enough for every site-wide output; the full record, and the parts a few site-wide
pages need (``Parts``: the sentences of the term pages, the study kit's items), stay in the cache
for the rare step that needs them.
"""
from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import gc
import hashlib
import multiprocessing
import operator
import os
import pickle
import posixpath
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, TypeVar

from ..checks.links import PageLinks, Reference, local_problems, reference_problems, references, scan
from ..checks.metadata import check_metadata
from ..errors import BuildError, Problem, Report
from ..ingest import Article, ArticleSource, SlugClaim, ingest_seed, planned_text
from ..markdown.meta import ArticleMeta
from ..markdown.renderer import ArticleIndex, Occurrence
from ..output.store import Blob, ObjectStore
from ..output.transaction import checkpoint
from ..site.handout import HandoutPages, qr_svg
from ..site.pages import ArticleRenderer, RenderedArticle, SitePages, TermUsers, term_pages_streamed
from ..site.search import article_tokens, text_file, text_path, translation
from ..site.study import ArticleStudy, StudyPages, distractors
from ..site.urls import path_of
from ..sources.config import Config, VariantSpec
from ..sources.glossary import Entry, Glossary, check_terms_off
from ..sources.seeds import read_seed
from ..text.matcher import Matcher
from ..text.names import pinyin_words
from ..text.pinyin import release_pypinyin
from ..theme import Theme
from ..variants.factory import converter_for
from .cache import Cache, digest, qr_memo, read_entry, spell_memo, tree_digest, write_entry
from .searchindex import Fragments
from .slices import Read, Slice, Slicer, quiz_read, watched

PACKAGE = Path(__file__).resolve().parent.parent   # the whole policyreader package: its code is an input
# Libraries that shape the pages: a new version may change them, so it invalidates the cache.
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "opencc", "pypinyin",
                    "pyahocorasick", "segno")
PARALLEL_FROM = 12          # below this many seeds to do, a process pool costs more than it saves
CHUNK = 32                  # seeds per task sent to a worker
PARTS = "-parts"            # the cache entry beside a seed's record that holds its Parts


class Card(NamedTuple):
    """An article as home, glossary and feeds see it: metadata, titles, the first paragraph (for
    the summary), the terms it uses and where they stand; plain data, quick to keep and read."""

    slug: str
    meta: ArticleMeta                                        # without pieces and participants
    titles: dict[str, str]
    first: dict[str, list[str]]                              # lang → [first numbered paragraph]
    places: dict[str, tuple[tuple[str, str], ...]]           # term → (anchor, label)…, in order of first use

    @property
    def key(self) -> str:
        return f"articles/{self.slug}.html"

    @classmethod
    def of(cls, rendered: RenderedArticle) -> "Card":
        """The card of a rendered article (its text stays behind)."""
        meta = dataclasses.replace(rendered.meta, pieces=(), participants=())
        first = {lang: texts[:1] for lang, texts in rendered.paragraphs.items()}
        places = {term: tuple(rendered.index.places(term)) for term in rendered.index.terms}
        return cls(rendered.slug, meta, dict(rendered.titles), first, places)

    def rendered(self, parts: "Parts | None" = None) -> RenderedArticle:
        """The article as the site-wide templates take it (with ``parts``, as term pages need it)."""
        # Term ids, anchors and labels ("p12", "¶12") repeat across thousands of articles, which a
        # site-wide page holds at once: one copy of each string.
        places = {sys.intern(term): [(sys.intern(anchor), sys.intern(label)) for anchor, label in spots]
                  for term, spots in self.places.items()}
        if parts is not None:
            occurrences = list(parts.occurrences)
        else:
            occurrences = [Occurrence(term, _paragraph(spots[0][0]) if spots else 0, True, spots[0][0] if spots else "")
                           for term, spots in places.items()]
        index = ArticleIndex(paragraphs=[], occurrences=occurrences, place_map=places)
        return RenderedArticle(self.slug, self.meta, index, dict(self.titles), dict(self.first),
                               sentences=dict(parts.sentences) if parts is not None else {})


def _paragraph(anchor: str) -> int:
    """The ¶ number of an anchor (p12 → 12; 0 for a photo's caption or the opening)."""
    return int(anchor[1:]) if anchor[:1] == "p" and anchor[1:].isdigit() else 0


@dataclass
class Parts:
    """What only some site-wide pages need from an article, kept apart from the summary: every
    term occurrence with its sentence (term pages) and its study items (the site's study kit)."""

    occurrences: list[Occurrence]
    sentences: dict[str, list[tuple[str, str, str, str, str]]]
    study: ArticleStudy | None
    card: Card | None = None      # the article's card, here too: term pages read it with the sentences


class LeanBody(NamedTuple):
    """A summary's body, the part most builds never read (see ``Lean``)."""

    card: Card
    pages: dict[str, Blob | None]          # lang → its stored article page
    texts: dict[str, Blob | None]          # lang → its stored search text
    files: dict[str, Blob | None]          # site path → its other files (handouts, study pages, decks)
    markdown_sha: str                      # what the article file must hold


class Lean:
    """What the build keeps of one seed from one build to the next, enough for home, glossary,
    feeds, sitemap, search, link check and the article plan.

    Two parts: the head, plain values every build reads for every seed, and the body (the card,
    the stored files, the anchors), which a build that changed little never needs for most
    seeds. Kept in the build's state, the body stays encoded until a field of it is read, so
    reading the state of ten thousand seeds costs little."""

    HEAD = ("name", "key", "own_key", "number", "source", "slug", "date", "terms", "home", "whole", "term_parts", "study",
            "blanks", "problems", "linked", "overrides", "warnings", "paths", "anchors")
    BODY = ("card", "pages", "texts", "files", "markdown_sha")
    __slots__ = (*HEAD, "_body", "_encoded")

    name: str                                  # the seed's file name
    key: str                                   # its cache key: own_key and its slice of the glossary
    own_key: str                               # the hash of its inputs but the glossary (its slice's key)
    number: int                                # its article number in the search index
    source: tuple                              # the ArticleSource's fields
    slug: str
    date: dt.date | None
    terms: tuple[str, ...]                     # glossary ids it uses
    home: str                                  # digest of what the home page shows of it
    whole: str                                 # digest of its card (feeds)
    term_parts: dict[str, str]                 # term → "DIGEST/N": what its pages show of it, N sentences
    study: str                                 # digest of what the site's study kit takes from it
    blanks: tuple[str, ...]                    # the terms it has a fill-in item for (the site kit asks the newest)
    problems: tuple[tuple, ...]                # (path, line, message): link problems whatever the site holds
    linked: tuple[tuple, ...]                  # broken links to other files, at the last check
    overrides: frozenset[str]                  # conversion overrides its text contains
    warnings: tuple[tuple, ...]                # (path, line, message): what reading and ingest warned about
    paths: tuple[str, ...]                     # every file of the site it made (pages, texts, others)
    anchors: dict[str, str]                    # lang → the ids of its page site-wide pages link to, space-separated

    def __init__(self, card: Card, pages: dict[str, Blob | None], texts: dict[str, Blob | None],
                 files: dict[str, Blob | None], markdown_sha: str, **head) -> None:
        for name in self.HEAD:
            object.__setattr__(self, name, head[name])
        self._body: tuple | None = (card, pages, texts, files, markdown_sha)
        self._encoded: bytes | None = None

    # card: Card; pages/texts: lang → stored page or search text; files: site path → its other
    # files (handouts, study pages, decks); markdown_sha: what the article file must hold.
    def __getattr__(self, name: str):
        if name not in Lean.BODY:
            raise AttributeError(name)
        if self._body is None:
            self._body = pickle.loads(self._encoded)
        return self._body[Lean.BODY.index(name)]

    def body(self) -> "LeanBody":
        """The body, decoded for this one use: a compact summary stays compact (a site-wide pass
        over ten thousand summaries must not leave every body decoded in memory)."""
        return LeanBody(*(self._body if self._body is not None else pickle.loads(self._encoded)))

    @property
    def article_source(self) -> ArticleSource:
        return ArticleSource(*self.source)

    def compact(self) -> "Lean":
        """Keep the body encoded only (a build holding thousands of summaries needs few bodies)."""
        self.encoded()
        self._body = None
        return self

    def head(self) -> tuple:
        """The head's values, in order (plain data)."""
        return _HEAD_OF(self)

    def encoded(self) -> bytes:
        """The body, encoded (as it was read, when it never was decoded)."""
        if self._encoded is None:
            self._encoded = pickle.dumps(self._body, protocol=pickle.HIGHEST_PROTOCOL)
        return self._encoded

    @classmethod
    def stored(cls, head: tuple, body: bytes) -> "Lean":
        """A summary as the state keeps it; its body is decoded when first read."""
        lean = cls.__new__(cls)
        for name, value in zip(cls.HEAD, head):
            object.__setattr__(lean, name, value)
        lean._body, lean._encoded = None, body
        return lean

    def _replace(self, **changes) -> "Lean":
        """A copy with some fields changed."""
        head = {name: getattr(self, name) for name in self.HEAD}
        if self._encoded is not None and not set(changes) & set(self.BODY):   # the body stays as it is, encoded
            head.update(changes)
            return Lean.stored(tuple(head[name] for name in self.HEAD), self._encoded)
        body = dict(zip(self.BODY, (getattr(self, name) for name in self.BODY)))
        for name, value in changes.items():
            (body if name in body else head)[name] = value
        return Lean(**body, **head)

    def __reduce__(self):
        return (Lean.stored, (self.head(), self.encoded()))


_HEAD_OF = operator.attrgetter(*Lean.HEAD)   # (one call for the 18 fields: a state saves ten thousand heads)


def pack_tokens(tokens: frozenset[str]) -> str:
    """An article's search tokens as one string: a build that made thousands of articles holds
    theirs until the postings are updated (as a set, 100 KB an article; packed, 7 KB)."""
    return "\x00".join(sorted(tokens))


def unpack_tokens(packed: str) -> frozenset[str]:
    """The tokens ``pack_tokens`` packed."""
    return frozenset(packed.split("\x00")) if packed else frozenset()


def plain(problems) -> tuple[tuple, ...]:
    """Problems as plain tuples (kept from build to build)."""
    return tuple((p.path, p.line, p.message) for p in problems)


def problems_of(rows) -> list[Problem]:
    """Plain tuples back as problems."""
    return [Problem(*row) for row in rows]


@dataclass
class Record:
    """Everything one seed's work made, kept in the cache (read back only when needed)."""

    lean: Lean
    article: Article
    rendered: RenderedArticle
    links: dict[str, PageLinks]                      # site path → scan, for every HTML file it made
    tokens: frozenset[str]
    references: dict[str, tuple[Reference, ...]]     # site path → its links to other files
    claim: tuple = ()                                # the SlugClaim's fields: what decides its slug
    hashes: tuple[str, str] = ("", "")               # the seed's and the sidecar's SHA-256


def needs_of(references: dict[str, tuple[Reference, ...]]) -> frozenset[tuple[str, str]]:
    """The (file, anchor) pairs an article's pages link to outside themselves."""
    return frozenset((sys.intern(r.target), sys.intern(r.fragment)) for refs in references.values() for r in refs)


@dataclass
class Done:
    """What a worker sends back for one seed: the summary, and for this build only its tokens
    (packed; unless they went into the chunk's masks), what its pages link to and the article
    text when the file must be (re)written."""

    lean: Lean
    tokens: str | None
    needs: frozenset[tuple[str, str]]
    claim: tuple                               # the SlugClaim's fields
    hashes: tuple[str, str]                    # the seed's and the sidecar's SHA-256
    write: str | None = None                   # the article's new text, when the file differs ("": staged)
    cached: bool = False                       # found in the cache, not made


@dataclass
class Shared:
    """What every seed's work needs besides the seed: made once, sent to each worker."""

    config: Config
    glossary: Glossary
    overrides: dict[str, dict[str, str]]
    table: dict[str, str]              # search normalisation
    workdir: Path
    store: ObjectStore | None          # None: write nothing (the check command)
    cache_dir: Path | None = None      # where workers write their records (None: nowhere)
    spell_dir: Path | None = None      # where the pinyin of names and titles is kept (None: nowhere, not with --clean)
    qr_dir: Path | None = None         # where the handouts' QR codes are kept (likewise)
    base: str = ""                     # hash of every shared input but the glossary (keys start from it)
    use_cache: bool = True             # look in the cache before making (not with --clean)
    force: bool = False
    plan_articles: bool = True         # compare with site_src/articles/ (not when nothing is published)
    keep_full: bool = False            # return the full record (the check command reviews text)
    masks: bool = False                # send tokens as masks over each chunk's articles (a big build)
    stage_id: str | None = None        # write a changed article beside its file, staged for this transaction


@dataclass
class Task:
    """One seed to do: its path, its slug (None: the one it claims) and its article number."""

    path: Path
    slug: str | None
    number: int


class SeedWorker:
    """Everything needed to process seeds, built once per process."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        # What each seed's work reads of the glossary and the texts it looks for terms in: its
        # slice, which decides whether a later glossary still gives it the same pages.
        self.reads: set[Read] = set()
        self.texts: list[str] = []
        self.found: list[list[tuple[int, int, str]]] = []
        self.glossary = watched(shared.glossary, self.reads)
        self.slicer = Slicer(shared.glossary)
        self.matcher = HeardMatcher(self.slicer.matcher, self.texts, self.found)
        converters = {v.lang: converter_for(v, shared.overrides.get(v.lang, {}), shared.workdir) for v in shared.config.variants}
        self.renderer = ArticleRenderer(shared.config, self.glossary, converters)
        self.handouts = HandoutPages(self.renderer, qr_memo(shared.qr_dir, qr_svg) if shared.qr_dir else qr_svg)
        self.study = StudyPages(self.renderer, self._distractors)
        self.site = SitePages(shared.config, shared.glossary, converters, [])
        self.translate = translation(shared.table)
        self.spell = spell_memo(shared.spell_dir, pinyin_words) if shared.spell_dir else pinyin_words
        phrases = {p for table in shared.overrides.values() for p in table}
        self.override_matcher = Matcher({p: p for p in phrases}) if phrases else None

    def warm(self) -> None:
        """Load now what the first seed would load: OpenCC's dictionaries and pypinyin's (made
        before workers are forked, they are shared by all of them)."""
        for converter in self.renderer.converters.values():
            converter.convert("中")
        pinyin_words("中")

    def run(self, task: Task) -> Done | Record:
        """Read one seed; unless the cache has its work, ingest and render it, store its files
        and write its cache entries."""
        shared, config, store = self.shared, self.shared.config, self.shared.store
        report = Report()
        seed = read_seed(task.path, config, report)
        claim = SlugClaim.of(seed, self.spell)
        slug = task.slug or claim.sidecar_slug or claim.derived
        hashes = (seed.sha256, seed.sidecar.sha256 or "")
        own = seed_key(shared.base, seed.name, *hashes, slug, store is not None)
        found = self._cached(own, task.number) if shared.use_cache else None
        if found is not None:
            record, lean = found
            if shared.keep_full:
                return dataclasses.replace(record, lean=lean, claim=astuple(claim), hashes=hashes)
            write = self._stage(record.article)
            return Done(lean, pack_tokens(record.tokens), needs_of(record.references), astuple(claim), hashes, write, cached=True)
        if seed.sidecar.slug != slug:   # a slug made from its title, as the build resolved it
            seed = dataclasses.replace(seed, sidecar=dataclasses.replace(seed.sidecar, slug=slug))
        self.reads.clear()
        self.texts.clear()
        self.found.clear()
        check_terms_off(self.glossary, seed.sidecar.terms_off, seed.sidecar_shown, seed.sidecar.line_of("terms_off"))
        article = ingest_seed(seed, self.matcher, config, report, self.spell)
        parsed = self.renderer.parse(article.path(config), article.markdown)
        rendered, pages = self.renderer.render_parsed(parsed)
        check_metadata(seed, rendered.meta.title, rendered.meta.date, rendered.meta.source, report)
        study = self.study.study(parsed)
        others = {**self.handouts.render(parsed, rendered), **self.study.render_article(study, rendered)}
        html = {path_of(v, rendered.key): pages[v.lang] for v in config.variants}
        html.update((path, text) for path, text in others.items() if path.endswith(".html"))
        links, refs, problems = {}, {}, []
        for path, text in html.items():
            links[path] = page = scan(text)
            problems += local_problems(path, page, config.base_url)
            refs[path] = references(path, page, config.base_url)
        # Links between the article's own files are checked here: the rest of the site need
        # only hear of the site-wide files they name.
        mine = {*html, *others, *(path_of(v, text_path(task.number)) for v in config.variants)}
        for path, page_refs in refs.items():
            problems += reference_problems(path, tuple(r for r in page_refs if r.target in mine), frozenset(mine),
                                           lambda target, anchor: target in links and anchor not in links[target].ids)
            refs[path] = tuple(r for r in page_refs if r.target not in mine)
        places = {a for term in rendered.index.terms for a, _ in rendered.index.places(term)}
        anchors = {v.lang: " ".join(sorted(places & links[path_of(v, rendered.key)].ids)) for v in config.variants}
        put = (lambda data: store.put(data)) if store else (lambda data: None)
        texts = {v.lang: put(search_text(v, rendered, task.number)) for v in config.variants}
        blobs = {lang: put(text.encode("utf-8")) for lang, text in pages.items()}
        files = {path: put(text.encode("utf-8")) for path, text in others.items()}
        card = Card.of(rendered)
        cut = self.slicer.slice(self.reads, self.texts, self.found)
        key = article_key(own, cut)
        parts = Parts(list(rendered.index.occurrences), rendered.sentences, study, card)
        paths = (*(path_of(v, rendered.key) for v in config.variants), *(path_of(v, text_path(task.number))
                                                                           for v in config.variants), *files)
        lean = Lean(card, blobs, texts, files, hashlib.sha256(article.markdown.encode("utf-8")).hexdigest(),
                    anchors=anchors,
                    name=seed.name, key=key, own_key=own, number=task.number, source=astuple(article.source), slug=article.slug,
                    date=article.date, terms=tuple(sorted(article.term_counts)),
                    home=digest(repr([self.site._card(card.rendered(), v) for v in config.variants])),
                    whole=digest(repr(card)), term_parts=term_parts(rendered), study=digest(repr((study, card.titles))),
                    blanks=tuple(sorted({blank.term for blank in study.blanks})),
                    problems=plain(problems), linked=(), overrides=self._overrides(rendered),
                    warnings=plain(report.warnings), paths=paths)
        tokens = frozenset(article_tokens([p.text for p in rendered.index.paragraphs], rendered.index.terms,
                                          self.translate))
        record = Record(lean, article, rendered, links, tokens, refs, astuple(claim), hashes)
        if shared.cache_dir is not None:
            write_entry(shared.cache_dir, key, record)
            write_entry(shared.cache_dir, key + PARTS, parts)
            write_entry(shared.cache_dir, own, cut)
        if shared.keep_full:
            return record
        return Done(lean, pack_tokens(tokens), needs_of(refs), astuple(claim), hashes, self._stage(article))

    def _stage(self, article: Article) -> str | None:
        """The article's text if its file must be written (refusing to overwrite a hand edit);
        written here, beside the file under the transaction's staged name, when the build
        stages as it goes ("" then): thousands of articles need not wait in the build's memory."""
        shared, config = self.shared, self.shared.config
        if shared.store is None or not shared.plan_articles:
            return None
        text = planned_text(article, config, shared.force)
        if text is None or shared.stage_id is None:
            return text
        target = article.path(config)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / f".{target.name}.new-{shared.stage_id}", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return ""

    def _cached(self, own: str, number: int) -> tuple[Record, Lean] | None:
        """A record of this very work in the cache (its inputs ``own`` and a slice of the
        glossary this glossary still holds), with its files still stored, as the summary for
        this article number."""
        shared = self.shared
        if shared.cache_dir is None:
            return None
        cut = read_entry(shared.cache_dir, own)
        if not isinstance(cut, Slice) or not self.slicer.holds(cut):
            return None
        key = article_key(own, cut)
        found = read_entry(shared.cache_dir, key)
        if not isinstance(found, Record) or read_entry(shared.cache_dir, key + PARTS) is None:
            return None
        lean, store = found.lean, shared.store
        if store is not None and not all(b and store.has(b) for b in [*lean.pages.values(), *lean.texts.values(),
                                                                      *lean.files.values()]):
            return None
        if lean.number != number:
            lean = renumber(found, number, shared.config, store)
        return found, lean

    def _distractors(self, entry: Entry, glossary: Glossary, pool: list[str]) -> list[str]:
        """A quiz question's wrong options, noted as one read of the choice: the entries it
        weighed (a whole category) are no part of the page."""
        self.reads.add(quiz_read(entry.id, pool))
        return distractors(entry, self.shared.glossary, pool)

    def _overrides(self, rendered: RenderedArticle) -> frozenset[str]:
        """The conversion overrides whose phrase stands in the article's text."""
        if self.override_matcher is None:
            return frozenset()
        return frozenset(p for text in source_texts(rendered) for _, _, p in self.override_matcher.find(text))


def term_parts(rendered: RenderedArticle) -> dict[str, str]:
    """Per term, a digest of what its page shows of this article: title, date, source and the
    sentences it stands in, in every script."""
    meta = rendered.meta
    head = repr((rendered.titles, meta.date, meta.source))
    found: dict[str, list] = {}
    for lang, rows in rendered.sentences.items():
        for row, occurrence in zip(rows, rendered.index.occurrences):
            found.setdefault(row[0], []).append((lang, row, occurrence.paragraph, occurrence.anchor))
    scripts = max(1, len(rendered.sentences))
    # "DIGEST/N": N, the term's sentences here, adds up to the count every page of the term shows.
    return {term: f"{digest(head, repr(rows))[:16]}/{len(rows) // scripts}" for term, rows in found.items()}


def search_text(variant: VariantSpec, rendered: RenderedArticle, number: int) -> bytes:
    """One article's title and numbered paragraphs in one script, as its search file."""
    paragraphs = [(f"p{p.number}", text) for p, text in zip(rendered.index.paragraphs, rendered.paragraphs[variant.lang])]
    url = posixpath.relpath(path_of(variant, rendered.key), variant.folder or ".")
    return text_file(number, url, rendered.titles[variant.lang], paragraphs)


def source_texts(rendered: RenderedArticle) -> list[str]:
    """Every human-readable text of an article that conversion touches (for override use)."""
    texts = [rendered.meta.title, *rendered.headings, *(p.text for p in rendered.index.paragraphs)]
    texts += [p.position or "" for p in rendered.meta.participants]
    texts += [b.text for piece in rendered.meta.pieces for b in piece.bylines]
    return [t for t in texts if t]


_worker: SeedWorker | None = None   # one per worker process, set by _start_worker
PR_SET_PDEATHSIG = 1                 # linux/prctl.h


def _die_with_parent(parent: int | None) -> None:
    """A worker must never outlive its build (a killed build left 160 MB workers running):
    on Linux the kernel kills it when the build's process dies; elsewhere a watcher thread
    notices the build is gone within a second."""
    killed_by_kernel = False
    if sys.platform.startswith("linux"):
        try:
            killed_by_kernel = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
        except (OSError, AttributeError):
            pass
    if parent is None:   # started by a fork server, which itself ends with the build
        parent = os.getppid()
    elif os.getppid() != parent:   # the build died before the request took effect
        os._exit(1)
    if not killed_by_kernel:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _start_worker(shared: Shared, parent: int | None) -> None:
    global _worker
    _die_with_parent(parent)
    _worker = SeedWorker(shared)


class TermPageWorker:
    """What a term-page process needs: the shared inputs and the converters (none of the seed
    worker's article renderer, matchers, handout and study pages: one such process per core)."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.converters = {v.lang: converter_for(v, shared.overrides.get(v.lang, {}), shared.workdir)
                           for v in shared.config.variants}


_term_worker: TermPageWorker | None = None   # one per term-page process


def _start_term_worker(shared: Shared) -> None:
    global _term_worker
    _die_with_parent(None)
    _term_worker = TermPageWorker(shared)


def _adopt_worker(parent: int) -> None:
    """In a process forked from the build: the build's own worker, made before the fork."""
    _die_with_parent(parent)


@contextmanager
def _pool(shared: Shared) -> Iterator[ProcessPoolExecutor]:
    """A process per core (at most 8), each with a seed worker for ``shared``.

    Where processes are forked, the worker is made and warmed here, before the fork, and the
    collector is told to leave everything the build holds alone (``gc.freeze``): the workers
    then share its pages (OpenCC's dictionaries, pypinyin's, the glossary, the summaries of
    thousands of articles) instead of each copying them, page by page, as a collection
    walks them (at 1,000 articles, 148 MB → 108 MB each)."""
    global _worker
    workers = min(os.cpu_count() or 1, 8)
    if multiprocessing.get_start_method() != "fork":
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(shared, None)) as pool:
            yield pool
        return
    _worker = SeedWorker(shared)
    _worker.warm()
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_adopt_worker, initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        gc.unfreeze()
        _worker = None
        release_pypinyin()


def _run_chunk(tasks: list[Task]) -> tuple[list[Done | Record], Fragments | None]:
    assert _worker is not None
    done = [_worker.run(task) for task in tasks]
    return done, _masks(done) if _worker.shared.masks else None


def _masks(results: list[Done | Record]) -> Fragments:
    """The results' tokens as masks over their article numbers (taken out of each result: a
    big build's tokens would fill the build's memory)."""
    fragments = Fragments.empty()
    for result in results:
        if isinstance(result, Done) and result.tokens is not None:
            fragments.add(result.lean.number, unpack_tokens(result.tokens))
            result.tokens = None
    return fragments


_Item = TypeVar("_Item")


class MissingParts(Exception):
    """Some articles' parts are not in the cache (removed by hand): they must be made again."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names

    def __reduce__(self):
        return (MissingParts, (self.names,))


def each_present(items: Iterable[_Item], read: Callable[[_Item], Parts | None],
                 name: Callable[[_Item], str]) -> Iterator[tuple[_Item, Parts]]:
    """Each item with its article's parts, read one at a time (all at once they fill memory);
    those the cache lost are named together at the end, to be made again in one go."""
    missing = []
    for item in items:
        parts = read(item)
        if parts is None:
            missing.append(name(item))
        else:
            yield item, parts
    if missing:
        raise MissingParts(missing)


def slim_article(parts: Parts, term_ids: set[str]) -> RenderedArticle:
    """An article as the pages of some terms show it: with the sentences of just those terms."""
    keep = [i for i, o in enumerate(parts.occurrences) if o.term in term_ids]
    slim = Parts([parts.occurrences[i] for i in keep], {lang: [rows[i] for i in keep] for lang, rows in parts.sentences.items()},
                 None)
    assert parts.card is not None
    return parts.card.rendered(slim)


# The pages to make of some terms (term → its pages); (seed name, cache key) of the articles they
# list, in site order; what every page of each term counts. No cards: each article's comes with
# its sentences from the cache (four jobs sent the cards of ten thousand articles four times,
# 17 KB each once decoded).
TermJob = tuple[dict[str, list[str]], list[tuple[str, str]], dict[str, TermUsers]]


def _term_job(job: TermJob) -> list[tuple[str, Blob | bytes, PageLinks]]:
    """Some term pages, made in a term-page process."""
    assert _term_worker is not None
    return make_term_pages(_term_worker, job)


def make_term_pages(worker: TermPageWorker, job: TermJob) -> list[tuple[str, Blob | bytes, PageLinks]]:
    """Some term pages, in every script: each stored, with its scan."""
    shared = worker.shared
    pages, items, users = job
    wanted = set(pages)

    def read(item: tuple[str, str]) -> Parts | None:
        parts = read_entry(shared.cache_dir, item[1] + PARTS) if shared.cache_dir else None
        return parts if isinstance(parts, Parts) and parts.card is not None else None

    articles = (slim_article(parts, wanted) for _, parts in each_present(items, read, operator.itemgetter(0)))
    site = SitePages(shared.config, shared.glossary, worker.converters, [], users)
    made = {}
    for key, variant, html in term_pages_streamed(site, pages, articles):
        data = html.encode("utf-8")
        made[path_of(variant, key)] = (shared.store.put(data) if shared.store else data, scan(html))
    variants = shared.config.variants
    return [(path, *made[path]) for keys in pages.values() for key in keys for path in (path_of(v, key) for v in variants)]


def render_term_pages(shared: Shared, jobs: list[TermJob]) -> list[tuple[str, Blob | bytes, PageLinks]]:
    """Term pages made on every core, in the build's process and one more process per further
    core (a site of thousands of articles has pages that quote tens of thousands of sentences)."""
    cores = min(os.cpu_count() or 1, 8)
    # Started from a fork server, not forked from the build: by now the build holds every
    # article's summary, and processes forked from it fill the free space of its pages with
    # their own objects, copying those pages (at 1,000 articles a forked term-page process
    # takes 195 MB, one from a fork server 137 MB). The build makes every cores-th job itself:
    # it holds the converters already, and a process fewer holds a second copy of them.
    context = multiprocessing.get_context("forkserver")
    found: dict[int, list[tuple[str, Blob | bytes, PageLinks]]] = {}
    with ProcessPoolExecutor(max_workers=max(1, cores - 1), initializer=_start_term_worker,
                             initargs=(shared,), mp_context=context) as pool:
        elsewhere = {i: pool.submit(_term_job, job) for i, job in enumerate(jobs) if i % cores}
        here = TermPageWorker(shared)
        for i, job in enumerate(jobs):
            if i not in elsewhere:
                found[i] = make_term_pages(here, job)
        for i, future in elsewhere.items():
            found[i] = future.result()
    return [page for i in range(len(jobs)) for page in found[i]]


def library_versions() -> list[str]:
    """The installed versions of the libraries whose output ends up in the pages (a checkout
    and an installed engine alike: no requirements file needs to be at hand)."""
    found = []
    for name in OUTPUT_LIBRARIES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}: missing")
    return found


def inputs_digest(config: Config) -> str:
    """Hash of every input shared by all seeds but the glossary (each seed takes its own slice
    of it), and of this program itself."""
    shared = [path.read_bytes() if path.exists() else b"" for path in (config.conversion_path, config.site_yaml)]
    return digest(*shared, *library_versions(), tree_digest(PACKAGE, suffixes=(".py",)), theme_digest(Theme(config.templates_dir, config.static_dir)))


def theme_digest(theme: Theme) -> str:
    """Hash of the templates pages are made with: the site's overrides and the package's own
    (a site template may extend ``theme/NAME``). Static files are copied, never rendered, so
    they are no input of an article's pages."""
    parts: list[bytes | str] = []
    for label, files in (("site", theme.template_files()), ("theme", theme.theme_templates())):
        for name, path in files.items():
            parts += [f"{label}:{name}", path.read_bytes()]
    return digest(*parts)


def seed_key(base: str, name: str, seed_sha: str, sidecar_sha: str, slug: str, storing: bool) -> str:
    """The key of one seed's inputs but the glossary: every other shared input, the seed, its
    sidecar and its slug (which may come from another seed having taken the one its title gives).
    Its cache entry is the seed's slice of the glossary."""
    return digest(base, name, seed_sha, sidecar_sha, slug, "store" if storing else "")


def article_key(own: str, cut: Slice) -> str:
    """The cache key of one seed's work: its own inputs and what it read of the glossary."""
    return digest(own, cut.shown, cut.matched)


class HeardMatcher:
    """The glossary's matcher, noting every text it is asked to look in (a seed's haystack)
    and what it found there."""

    def __init__(self, matcher: Matcher, texts: list[str], found: list[list[tuple[int, int, str]]]) -> None:
        self.matcher, self.texts, self.found = matcher, texts, found

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found = self.matcher.find(text)
        self.texts.append(text)
        self.found.append(found)
        return found


def run_tasks(shared: Shared, tasks: list[Task], progress) -> tuple[list[Done | Record], Fragments | None]:
    """Do the tasks, in order: in a process pool when there are many. With ``shared.masks``,
    the tokens come back as masks (and the results without them)."""
    masks = Fragments.empty() if shared.masks else None
    if not tasks:
        return [], masks
    results: list[Done | Record] = []
    if len(tasks) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        workers = min(os.cpu_count() or 1, 8)
        size = max(1, min(CHUNK, len(tasks) // (workers * 4)))
        chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        with _pool(shared) as pool:
            for done, fragments in pool.map(_run_chunk, chunks):
                results += done
                if masks is not None and fragments is not None:
                    masks.merge(fragments)
                progress.tick(len(results), len(tasks), "articles")
                checkpoint("pool")
    else:
        worker = SeedWorker(shared)
        for task in tasks:
            results.append(worker.run(task))
            progress.tick(len(results), len(tasks), "articles")
        if masks is not None:
            masks.merge(_masks(results))
    return results, masks


def load_record(cache: Cache, key: str, store: ObjectStore | None) -> Record | None:
    """A seed's full record from the cache, if it is there and its stored files too."""
    found = cache.peek(key)
    if not isinstance(found, Record):
        return None
    lean = found.lean
    if store is not None and not all(b and store.has(b) for b in [*lean.pages.values(), *lean.texts.values(),
                                                                  *lean.files.values()]):
        return None
    return found


def load_parts(cache: Cache, key: str) -> Parts | None:
    """The parts of a seed's work that term pages and the study kit need."""
    found = cache.peek(key + PARTS)
    return found if isinstance(found, Parts) and found.card is not None else None


def renumber(record: Record, number: int, config: Config, store: ObjectStore | None) -> Lean:
    """A cached seed's summary for another article number: its search texts rewritten."""
    texts = {v.lang: store.put(search_text(v, record.rendered, number)) if store else None for v in config.variants}
    lean = record.lean
    paths = (*(path_of(v, lean.card.key) for v in config.variants), *(path_of(v, text_path(number))
                                                                     for v in config.variants), *lean.files)
    return lean._replace(number=number, texts=texts, paths=paths)


def stale_article(lean: Lean, config: Config) -> bool:
    """Whether a seed's article file does not hold what it should (missing, or other bytes)."""
    path = config.articles_dir / f"{lean.slug}.md"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return True
    except IsADirectoryError:
        raise BuildError(config.rel(path), None, "is a folder where an article belongs; move it away") from None
    return hashlib.sha256(data).hexdigest() != lean.markdown_sha
