"""Each seed's own work, done once and remembered: ingest it, then render its pages.

A seed's result depends only on the seed, its sidecar and the shared inputs, so it is cached
by the hash of all of them and, when many seeds need work, made in worker processes (each
sets up OpenCC, markdown-it-py and Jinja once and reuses them for every seed).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache, digest, tree_digest
from .config import Config
from .errors import Problem, Report
from .glossary import Glossary
from .ingest import Article, ingest_seed
from .pages import ArticleRenderer, RenderedArticle
from .progress import Progress
from .seeds import Seed
from .variants import Converter

PACKAGE = Path(__file__).resolve().parent
PARALLEL_FROM = 12          # below this many seeds to do, a process pool costs more than it saves


@dataclass
class SeedResult:
    """What one seed gives: its article (Markdown), its rendered pages, its warnings."""

    article: Article
    rendered: RenderedArticle
    warnings: list[Problem] = field(default_factory=list)


class SeedWorker:
    """Everything needed to process seeds, built once per process."""

    def __init__(self, config: Config, glossary: Glossary, overrides: dict[str, dict[str, str]], workdir: Path) -> None:
        self.config = config
        self.matcher = glossary.matcher()
        converters = {v.lang: Converter(v, overrides.get(v.lang, {}), workdir) for v in config.variants}
        self.renderer = ArticleRenderer(config, glossary, converters)

    def run(self, seed: Seed) -> SeedResult:
        """Ingest and render one seed."""
        report = Report()
        article = ingest_seed(seed, self.matcher, self.config, report)
        rendered = self.renderer.render(article.path, article.markdown)
        return SeedResult(article, rendered, report.warnings)


_worker: SeedWorker | None = None   # one per worker process, set by _start_worker


def _start_worker(*args) -> None:
    global _worker
    _worker = SeedWorker(*args)


def _run(seed: Seed) -> SeedResult:
    assert _worker is not None
    return _worker.run(seed)


def inputs_digest(config: Config) -> str:
    """Hash of every input shared by all seeds, and of this program itself."""
    shared = [path.read_bytes() if path.exists() else b"" for path in
              (config.glossary_path, config.conversion_path, config.site_yaml)]
    return digest(*shared, tree_digest(PACKAGE, suffixes=(".py",)), tree_digest(config.templates_dir),
                  (PACKAGE.parent / "requirements.txt").read_bytes() if (PACKAGE.parent / "requirements.txt").exists() else b"")


def process_seeds(config: Config, glossary: Glossary, seeds: list[Seed], overrides: dict[str, dict[str, str]],
                  workdir: Path, cache: Cache, report: Report, progress: Progress) -> list[SeedResult]:
    """Results for every seed, in seed order: from the cache, or made (in parallel when many)."""
    shared = inputs_digest(config)
    keys = [digest(shared, seed.name, seed.sha256, seed.sidecar.sha256 or "") for seed in seeds]
    results: list[SeedResult | None] = [cache.get(key) for key in keys]
    todo = [i for i, result in enumerate(results) if result is None]
    args = (config, glossary, overrides, workdir)
    if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8), initializer=_start_worker, initargs=args) as pool:
            for done, (i, result) in enumerate(zip(todo, pool.map(_run, [seeds[i] for i in todo], chunksize=8)), 1):
                results[i] = result
                progress.tick(done, len(todo), "articles")
    elif todo:
        worker = SeedWorker(*args)
        for done, i in enumerate(todo, 1):
            results[i] = worker.run(seeds[i])
            progress.tick(done, len(todo), "articles")
    for i in todo:
        cache.put(keys[i], results[i])
    for result in results:
        report.warnings.extend(result.warnings)
    return results  # type: ignore[return-value]
