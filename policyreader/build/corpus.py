"""Each seed's own work, done once and remembered: read it, ingest it, render its pages, scan them.

A seed's result depends only on the seed, its sidecar and the shared inputs, so it is cached
by the hash of all of them and, when many seeds need work, made in worker processes (each
sets up OpenCC, markdown-it-py and Jinja once and reuses them for every seed). Every stage of
a seed's work runs in the worker: reading the seed, ingest, rendering, storing its pages and
its search text, scanning their links, its search tokens, and writing its cache entry. The
build then keeps only a small summary of each seed (``Lean``), enough for every site-wide
output; the full record stays in the cache for the rare step that needs it.
"""
from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import os
import posixpath
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import astuple, dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from ..checks.links import PageLinks, Reference, local_problems, references, scan
from ..checks.metadata import check_metadata
from ..errors import BuildError, Problem, Report
from ..ingest import Article, ArticleSource, ingest_seed, planned_text
from ..markdown.renderer import ArticleIndex, Occurrence
from ..output.store import Blob, ObjectStore
from ..output.transaction import checkpoint
from ..site.pages import ArticleRenderer, RenderedArticle, SitePages, path_of
from ..site.search import article_tokens, text_file, text_path, translation
from ..sources.config import Config
from ..sources.glossary import Glossary, check_terms_off
from ..sources.seeds import read_seed
from ..theme import Theme
from ..text.matcher import Matcher
from ..variants.factory import converter_for
from .cache import Cache, digest, tree_digest, write_entry

PACKAGE = Path(__file__).resolve().parent.parent   # the whole policyreader package: its code is an input
# Libraries that shape the pages: a new version may change them, so it invalidates the cache.
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "opencc", "pypinyin",
                    "pyahocorasick")
PARALLEL_FROM = 12          # below this many seeds to do, a process pool costs more than it saves
CHUNK = 32                  # seeds per task sent to a worker
# Front matter a site-wide page never reads: left out of the summary the build keeps.
HEAVY_META = ("pieces", "participants", "column_breaks", "fixes", "leftovers", "terms", "sidecar", "truncated")


class Card(NamedTuple):
    """An article as site-wide pages see it: metadata, titles, the first paragraph (for the
    summary), the terms it uses and where they stand; plain data, quick to keep and to read."""

    slug: str
    meta: dict
    titles: dict[str, str]
    first: dict[str, list[str]]                              # lang → [first numbered paragraph]
    places: dict[str, tuple[tuple[str, str], ...]]           # term → (anchor, label)…, in order of first use

    @property
    def key(self) -> str:
        return f"articles/{self.slug}.html"

    @classmethod
    def of(cls, rendered: RenderedArticle) -> "Card":
        """The card of a rendered article (its text stays behind)."""
        meta = {k: v for k, v in rendered.meta.items() if k not in HEAVY_META}
        first = {lang: texts[:1] for lang, texts in rendered.paragraphs.items()}
        places = {term: tuple(rendered.index.places(term)) for term in rendered.index.terms}
        return cls(rendered.slug, meta, dict(rendered.titles), first, places)

    def rendered(self) -> RenderedArticle:
        """The article as the site-wide page templates take it."""
        occurrences = [Occurrence(term, _paragraph(spots[0][0]) if spots else 0, True, spots[0][0] if spots else "")
                       for term, spots in self.places.items()]
        index = ArticleIndex(paragraphs=[], occurrences=occurrences,
                             place_map={term: list(spots) for term, spots in self.places.items()})
        return RenderedArticle(self.slug, dict(self.meta), index, dict(self.titles), dict(self.first))


def _paragraph(anchor: str) -> int:
    """The ¶ number of an anchor (p12 → 12; 0 for a photo's caption)."""
    return int(anchor[1:]) if anchor[:1] == "p" and anchor[1:].isdigit() else 0


class Lean(NamedTuple):
    """What the build keeps of one seed from one build to the next: small plain data, enough
    for home, glossary, feeds, sitemap, search, link check and the article plan."""

    name: str                                  # the seed's file name
    key: str                                   # its cache key (inputs' hash)
    number: int                                # its article number in the search index
    source: tuple                              # the ArticleSource's fields
    slug: str
    date: dt.date | None
    terms: tuple[str, ...]                     # glossary ids it uses
    card: Card
    pages: dict[str, Blob | None]              # lang → stored page (None when nothing is written)
    texts: dict[str, Blob | None]              # lang → stored search text (its number is inside)
    markdown_sha: str                          # what the article file must hold
    anchors: dict[str, frozenset[str]]         # lang → ids of the page that site-wide pages link to
    home: str = ""                             # digest of what the home page shows of it
    glossary: str = ""                         # digest of what the glossary shows of it
    whole: str = ""                            # digest of the whole card
    problems: tuple[tuple, ...] = ()           # (path, line, message): link problems whatever the site holds
    linked: tuple[tuple, ...] = ()             # broken links to other files, at the last check
    overrides: frozenset[str] = frozenset()    # conversion overrides its text contains
    warnings: tuple[tuple, ...] = ()           # (path, line, message): what its ingest warned about

    @property
    def article_source(self) -> ArticleSource:
        return ArticleSource(*self.source)


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
    links: dict[str, PageLinks]
    tokens: frozenset[str]
    references: dict[str, tuple[Reference, ...]]


@dataclass
class Done:
    """What a worker sends back for one seed: the summary, and for this build only its tokens,
    its references and the article text when the file must be (re)written."""

    lean: Lean
    tokens: frozenset[str]
    references: dict[str, tuple[Reference, ...]]
    write: str | None = None                   # the article's new text, when the file differs


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
    force: bool = False
    base: str = ""                     # hash of every shared input
    keep_full: bool = False            # return the full record (the check command reviews text)


@dataclass
class Task:
    """One seed to do: its path, its article number and its cache key."""

    path: Path
    number: int
    key: str


class SeedWorker:
    """Everything needed to process seeds, built once per process."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.matcher = shared.glossary.matcher()
        converters = {v.lang: converter_for(v, shared.overrides.get(v.lang, {}), shared.workdir) for v in shared.config.variants}
        self.renderer = ArticleRenderer(shared.config, shared.glossary, converters)
        self.site = SitePages(shared.config, shared.glossary, converters, [])
        self.translate = translation(shared.table)
        phrases = {p for table in shared.overrides.values() for p in table}
        self.override_matcher = Matcher({p: p for p in phrases}) if phrases else None

    def run(self, task: Task) -> Done | Record:
        """Read, ingest and render one seed; store its pages; write its cache entry."""
        shared, config = self.shared, self.shared.config
        report = Report()
        seed = read_seed(task.path, config, report)
        check_terms_off(shared.glossary, seed.sidecar.terms_off, seed.sidecar_shown, seed.sidecar.line_of("terms_off"))
        article = ingest_seed(seed, self.matcher, config, report)
        rendered, pages = self.renderer.render(article.path(config), article.markdown)
        check_metadata(seed, rendered.meta["title"], rendered.meta.get("date"), rendered.meta.get("source"), report)
        store = shared.store
        links, refs, problems, anchors, texts = {}, {}, [], {}, {}
        places = {a for term in rendered.index.terms for a, _ in rendered.index.places(term)}
        for variant in config.variants:
            path = path_of(variant, rendered.key)
            html = pages[variant.lang]
            links[variant.lang] = page = scan(html)
            problems += local_problems(path, page, config.base_url)
            refs[variant.lang] = references(path, page)
            anchors[variant.lang] = frozenset(places & page.ids)
            paragraphs = [(f"p{p.number}", text) for p, text in zip(rendered.index.paragraphs, rendered.paragraphs[variant.lang])]
            data = text_file(task.number, href_from_search(variant, rendered.key), rendered.titles[variant.lang], paragraphs)
            texts[variant.lang] = store.put(data) if store else None
        blobs = {lang: store.put(html.encode("utf-8")) if store else None for lang, html in pages.items()}
        found = frozenset(p for text in source_texts(rendered) for _, _, p in self.override_matcher.find(text)) \
            if self.override_matcher else frozenset()
        card = Card.of(rendered)
        shown = card.rendered()
        lean = Lean(seed.name, task.key, task.number, astuple(article.source), article.slug, article.date,
                    tuple(sorted(article.term_counts)), card, blobs, texts,
                    hashlib.sha256(article.markdown.encode("utf-8")).hexdigest(), anchors,
                    home=digest(repr([self.site._card(shown, v) for v in config.variants])),
                    glossary=digest(repr((card.key, card.titles, list(card.places.items())))),
                    whole=digest(repr(card)), problems=plain(problems), overrides=found,
                    warnings=plain(report.warnings))
        tokens = frozenset(article_tokens([p.text for p in rendered.index.paragraphs], rendered.index.terms,
                                          self.translate))
        record = Record(lean, article, rendered, links, tokens, refs)
        if shared.cache_dir is not None:
            write_entry(shared.cache_dir, task.key, record)
        if shared.keep_full:
            return record
        write = planned_text(article, config, shared.force) if store else None
        return Done(lean, tokens, refs, write)


def href_from_search(variant, key: str) -> str:
    """A page's link as written on its script's search page (which sits at the script's top)."""
    return posixpath.relpath(path_of(variant, key), variant.folder or ".")


def source_texts(rendered: RenderedArticle) -> list[str]:
    """Every human-readable text of an article that conversion touches (for override use)."""
    texts = [rendered.meta.get("title") or "", *rendered.headings, *(p.text for p in rendered.index.paragraphs)]
    texts += [p.get("position") or "" for p in rendered.meta.get("participants") or []]
    texts += [b["text"] for piece in rendered.meta.get("pieces") or [] for b in piece.get("bylines") or []]
    return [t for t in texts if t]


_worker: SeedWorker | None = None   # one per worker process, set by _start_worker
PR_SET_PDEATHSIG = 1                 # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A worker must never outlive its build (a killed build left 160 MB workers running):
    on Linux the kernel kills it when the build's process dies."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # the build died before the request took effect
        os._exit(1)


def _start_worker(shared: Shared, parent: int) -> None:
    global _worker
    _die_with_parent(parent)
    _worker = SeedWorker(shared)


def _run_chunk(tasks: list[Task]) -> list[Done | Record]:
    assert _worker is not None
    return [_worker.run(task) for task in tasks]


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
    """Hash of every input shared by all seeds, and of this program itself."""
    shared = [path.read_bytes() if path.exists() else b"" for path in
              (config.glossary_path, config.conversion_path, config.site_yaml)]
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


def seed_key(base: str, name: str, seed_sha: str, sidecar_sha: str, storing: bool) -> str:
    """The cache key of one seed's work: every shared input, the seed and its sidecar."""
    return digest(base, name, seed_sha, sidecar_sha, "store" if storing else "")


def run_tasks(shared: Shared, tasks: list[Task], progress) -> list[Done | Record]:
    """Do the tasks, in order: in a process pool when there are many."""
    if not tasks:
        return []
    results: list[Done | Record] = []
    if len(tasks) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        chunks = [tasks[i:i + CHUNK] for i in range(0, len(tasks), CHUNK)]
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8), initializer=_start_worker,
                                 initargs=(shared, os.getpid())) as pool:
            for done in pool.map(_run_chunk, chunks):
                results += done
                progress.tick(len(results), len(tasks), "articles")
                checkpoint("pool")
    else:
        worker = SeedWorker(shared)
        for task in tasks:
            results.append(worker.run(task))
            progress.tick(len(results), len(tasks), "articles")
    return results


def load_record(cache: Cache, key: str, store: ObjectStore | None) -> Record | None:
    """A seed's full record from the cache, if it is there and its stored files too."""
    found = cache.peek(key)
    if not isinstance(found, Record):
        return None
    if store is not None and not all(b and store.has(b) for b in [*found.lean.pages.values(), *found.lean.texts.values()]):
        return None
    return found


def renumber(record: Record, number: int, config: Config, store: ObjectStore | None) -> Lean:
    """A cached seed's summary for another article number: its search texts rewritten."""
    rendered, texts = record.rendered, {}
    for variant in config.variants:
        paragraphs = [(f"p{p.number}", text) for p, text in zip(rendered.index.paragraphs, rendered.paragraphs[variant.lang])]
        data = text_file(number, href_from_search(variant, rendered.key), rendered.titles[variant.lang], paragraphs)
        texts[variant.lang] = store.put(data) if store else None
    return record.lean._replace(number=number, texts=texts)


def stale_article(lean: Lean, config: Config, force: bool) -> str | None:
    """Whether a cached seed's article file must be written again: None if it holds exactly
    what it should; otherwise the caller reads the record and plans the write."""
    path = config.articles_dir / f"{lean.slug}.md"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise BuildError(config.rel(path), None, "is a folder where an article belongs; move it away") from None
    if hashlib.sha256(data).hexdigest() == lean.markdown_sha:
        return None
    return "differs"

