"""Each seed's own work, done once and remembered: ingest it, render its pages, scan them.

A seed's result depends only on the seed, its sidecar and the shared inputs, so it is cached
by the hash of all of them and, when many seeds need work, made in worker processes (each
sets up OpenCC, markdown-it-py and Jinja once and reuses them for every seed). Pages go
straight into the object store; only small facts about them travel back.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from importlib import metadata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.links import PageLinks, scan
from ..checks.metadata import check_metadata
from ..errors import Problem, Report
from ..ingest import Article, ingest_seed
from ..output.store import Blob, ObjectStore
from ..site.handout import HandoutPages
from ..output.transaction import checkpoint
from ..site.pages import ArticleRenderer, RenderedArticle
from ..site.search import paragraph_tokens, translation
from ..site.study import ArticleStudy, StudyPages
from ..sources.config import Config
from ..sources.glossary import Glossary
from ..sources.seeds import Seed
from ..theme import Theme
from ..variants.convert import Converter
from ..variants.factory import converter_for
from .cache import Cache, digest, tree_digest
from .progress import Progress

PACKAGE = Path(__file__).resolve().parent.parent   # the whole policyreader package: its code is an input
# Libraries that shape the pages: a new version may change them, so it invalidates the cache.
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "opencc", "pypinyin",
                    "pyahocorasick")
PARALLEL_FROM = 12          # below this many seeds to do, a process pool costs more than it saves


@dataclass
class SeedResult:
    """What one seed gives: its article, its pages (stored), their links, its search tokens."""

    article: Article
    rendered: RenderedArticle
    pages: dict[str, Blob | None]          # lang → stored page (None when nothing is written)
    links: dict[str, PageLinks]
    tokens: str                            # search tokens of the source text, one per line
    warnings: list[Problem] = field(default_factory=list)
    # The article's other files (handouts, study pages, decks) by site path, stored like its pages.
    files: dict[str, Blob | None] = field(default_factory=dict)
    file_links: dict[str, PageLinks] = field(default_factory=dict)
    study: ArticleStudy | None = None      # what the site-wide study kit takes from this article


@dataclass
class Shared:
    """What every seed's work needs besides the seed: made once, sent to each worker."""

    config: Config
    glossary: Glossary
    overrides: dict[str, dict[str, str]]
    table: dict[str, str]              # search normalisation
    workdir: Path
    store: ObjectStore | None          # None: write nothing (the check command)


class SeedWorker:
    """Everything needed to process seeds, built once per process."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.matcher = shared.glossary.matcher()
        converters = {v.lang: converter_for(v, shared.overrides.get(v.lang, {}), shared.workdir) for v in shared.config.variants}
        self.renderer = ArticleRenderer(shared.config, shared.glossary, converters)
        self.handouts = HandoutPages(self.renderer)
        self.study = StudyPages(self.renderer)
        self.translate = translation(shared.table)

    def run(self, seed: Seed) -> SeedResult:
        """Ingest and render one seed; store its pages."""
        report = Report()
        shared = self.shared
        article = ingest_seed(seed, self.matcher, shared.config, report)
        parsed = self.renderer.parse(article.path(shared.config), article.markdown)
        rendered, pages = self.renderer.render_parsed(parsed)
        check_metadata(seed, rendered.meta.title, rendered.meta.date, rendered.meta.source, report)
        study = self.study.study(parsed)
        files = {**self.handouts.render(parsed, rendered), **self.study.render_article(study, rendered)}
        return SeedResult(
            article, rendered,
            pages={lang: shared.store.put(html.encode("utf-8")) if shared.store else None for lang, html in pages.items()},
            links={lang: scan(html) for lang, html in pages.items()},
            tokens=paragraph_tokens([p.text for p in rendered.index.paragraphs], rendered.index.terms, self.translate),
            warnings=report.warnings,
            files={path: shared.store.put(text.encode("utf-8")) if shared.store else None for path, text in files.items()},
            file_links={path: scan(text) for path, text in files.items() if path.endswith(".html")},
            study=study)


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


def _run(seed: Seed) -> SeedResult:
    assert _worker is not None
    return _worker.run(seed)


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


def _usable(result: object, store: ObjectStore | None) -> bool:
    return isinstance(result, SeedResult) and (store is None or all(b and store.has(b) for b in result.pages.values()))


def process_seeds(shared: Shared, seeds: list[Seed], cache: Cache, report: Report, progress: Progress) -> list[SeedResult]:
    """Results for every seed, in seed order: from the cache, or made (in parallel when many)."""
    base = inputs_digest(shared.config)
    keys = [digest(base, seed.name, seed.sha256, seed.sidecar.sha256 or "", seed.sidecar.slug or "", "store" if shared.store else "") for seed in seeds]
    results: list[SeedResult | None] = []
    for key in keys:
        hit = cache.get(key)
        results.append(hit if _usable(hit, shared.store) else None)
    todo = [i for i, result in enumerate(results) if result is None]
    cache.misses, cache.hits = len(todo), len(seeds) - len(todo)
    if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        direct = multiprocessing.get_start_method() != "forkserver"   # then the build is each worker's parent
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8), initializer=_start_worker,
                                 initargs=(shared, os.getpid() if direct else None)) as pool:
            for done, (i, result) in enumerate(zip(todo, pool.map(_run, [seeds[i] for i in todo], chunksize=4)), 1):
                results[i] = result
                progress.tick(done, len(todo), "articles")
                checkpoint("pool")
    elif todo:
        worker = SeedWorker(shared)
        for done, i in enumerate(todo, 1):
            results[i] = worker.run(seeds[i])
            progress.tick(done, len(todo), "articles")
    for i in todo:
        cache.put(keys[i], results[i])
    for result in results:
        report.warnings.extend(result.warnings)
    return results  # type: ignore[return-value]
