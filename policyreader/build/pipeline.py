"""The whole build, stage by stage: ingest → articles → site → check → zip → one commit.

Nothing an editor sees changes until everything is computed: the new articles, the site and
the zip are staged beside their places and switched in together (output/transaction.py), so
a failure or a kill leaves ``site_src/articles/``, ``_site/`` and ``dist/`` all as they were
or all new. One build at a time per project (a lock); each build first finishes or sweeps
what an interrupted one left.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..checks.conversion import Review
from ..checks.links import check_site
from ..errors import BuildError, Report, os_error
from ..ingest import ArticlePlan, finish, ingest_all, prepare
from ..output.bundle import build_date, howto, write_zip, zip_name
from ..output.store import Blob, ObjectStore
from ..output.transaction import Transaction, build_lock, checkpoint, recover
from ..output.writer import ensure_ours, fill
from ..site.urls import path_of
from ..site.search import normalisation_table
from ..sources.config import Config
from ..sources.glossary import report_findings
from ..variants.factory import converters_for, override_tables
from .cache import Cache, digest
from .corpus import Shared, process_seeds
from .progress import Progress
from .sitewide import render_site


@dataclass
class Options:
    """What the command line asked for."""

    force: bool = False
    clean: bool = False
    zip: bool = True
    publish: bool = True   # False (serve): write no article, site or zip; return the files to place


def object_store(config: Config) -> ObjectStore:
    """Where built files are kept once, by content (published pages are hard links to them)."""
    return ObjectStore(config.root / ".cache" / "objects")


UNCHANGED = " (nothing was changed: the articles, _site/ and dist/ are as they were)"


@contextmanager
def _exclusive(config: Config, report: Report) -> Iterator[Path]:
    """The project to ourselves: the lock taken, an interrupted build finished or swept, and a
    scratch folder inside the project (OpenCC's generated config, the zip being written).
    Operating system errors leave as one line naming their file."""
    cache_dir = config.root / ".cache"
    try:
        articles = config.articles_dir
        if not articles.resolve().is_relative_to(config.root):
            raise BuildError(config.rel(articles), None, "is a link to a folder outside the project; "
                             "articles are written inside it")
        if os.path.lexists(articles) and not articles.is_dir():
            raise BuildError(config.rel(articles), None, "is a file; articles are written into a folder of that name")
        with build_lock(cache_dir, config.rel(cache_dir / "build.lock")):
            note = recover(config.root, cache_dir, [config.site_dir, config.dist_dir], config.articles_dir)
            if note:
                report.note(note)
            checkpoint("locked")
            with tempfile.TemporaryDirectory(prefix="tmp-", dir=cache_dir) as work:
                yield Path(work)
    except OSError as exc:
        raise os_error(exc, config.root, UNCHANGED) from None
    except MemoryError:
        raise BuildError("build.py", None, "out of memory" + UNCHANGED) from None


def build(config: Config, options: Options, report: Report, progress: Progress, write: bool = True,
          review: Review | None = None) -> dict[str, Blob | bytes]:
    """Run every stage; with ``write=False`` nothing is written (``check``), and ``review`` gets
    the conversion review of the articles it names. Returns the site files."""
    with _exclusive(config, report) as work:
        return _build(config, options, report, progress, write, review, work)


def ingest(config: Config, options: Options, report: Report, progress: Progress) -> None:
    """Only ``seeds/`` → ``site_src/articles/`` (the ``ingest`` command), in one transaction."""
    with _exclusive(config, report):
        with progress.stage("ingest") as info:
            glossary, articles, plan = ingest_all(config, report, force=options.force)
            info["summary"] = f"{len(articles)} articles"
            report_findings(glossary.findings, report)
        transaction = Transaction(config.root, config.root / ".cache")
        try:
            _stage_articles(transaction, plan)
        except BaseException:
            transaction.abort()
            raise
        transaction.commit()
        _note_articles(config, plan, report)


def _stage_articles(transaction: Transaction, plan: ArticlePlan) -> None:
    for path, text in plan.write:
        transaction.stage_file(path, text)
    for path in plan.remove:
        transaction.remove(path)
    checkpoint("staged-articles")


def _note_articles(config: Config, plan: ArticlePlan, report: Report) -> None:
    report.note(f"articles: {len(plan.write)} written, {plan.unchanged} unchanged, {len(plan.remove)} removed")


def _known_good(cache: Cache, files: dict, scanned: dict, results: list, config: Config):
    """Article pages that need no new link check: unchanged since a clean check of a site with
    the same files and the same site-wide pages' ids (an article page links only to those, to
    itself and to static files). Returns them, and a function that records this check."""
    variants = {v.lang: v for v in config.variants}
    articles = {path_of(variants[lang], r.rendered.key): blob.sha
                for r in results for lang, blob in r.pages.items() if blob is not None}
    shared = digest(*sorted(files), *(f"{p}:{','.join(sorted(links.ids))}" for p, links in sorted(scanned.items())
                                     if p not in articles))
    key = digest("link-check", shared)
    state = cache.get(key) if articles else None
    skip = frozenset(p for p, sha in articles.items() if state and state.get(p) == sha)

    def remember(problems: list) -> None:
        broken = {p.path.split("/", 1)[1] for p in problems}
        cache.put(key, {p: sha for p, sha in articles.items() if p not in broken})
    return skip, remember


def _build(config: Config, options: Options, report: Report, progress: Progress, write: bool,
           review: Review | None, work: Path) -> dict[str, Blob | bytes]:
    with progress.stage("ingest") as info:
        glossary, seeds = prepare(config, report)
        info["summary"] = f"{len(seeds)} seeds, {len(glossary.entries)} glossary entries"
    checkpoint("ingested")
    with progress.stage("articles") as info:
        cache = Cache(config.root / ".cache" / "seeds", enabled=not options.clean)
        store = object_store(config) if write else None
        overrides, override_lines = override_tables(config, glossary)
        converters = converters_for(config, overrides, work)
        table = normalisation_table(list(converters.values()))
        shared = Shared(config, glossary, overrides, table, work, store)
        results = process_seeds(shared, seeds, cache, report, progress)
        plan = finish(config, glossary, [r.article for r in results], report, force=options.force,
                      write=write and options.publish)
        if review is None:
            report_findings(glossary.findings, report)
        info["summary"] = f"{len(results)} articles: {cache.misses} built, {cache.hits} from cache"
    with progress.stage("site") as info:
        files, scanned = render_site(config, glossary, results, converters, table, override_lines, report, store,
                                     review=review)
        if review is not None and review.whole_site:   # after the conversion review
            review.lines.extend(f.format("glossary") for f in glossary.findings)
        info["summary"] = f"{len(files)} files in {len(config.variants)} scripts"
    with progress.stage("check") as info:
        skip, remember = _known_good(cache, files, scanned, results, config)
        problems = check_site(scanned, set(files), config.base_url, skip=skip)
        report.warnings.extend(problems)
        remember(problems)
        info["summary"] = f"{len(scanned) - len(skip)} pages checked, {len(skip)} unchanged, {len(problems)} link problems"
    checkpoint("rendered")
    if not write or store is None:
        return files
    if not options.publish:   # serve places the files itself; the cache still serves the next rebuild
        cache.commit()
        return files
    ensure_ours(config.site_dir, config.rel(config.site_dir))   # both, before anything is staged
    ensure_ours(config.dist_dir, config.rel(config.dist_dir))
    when = None
    if options.zip:   # a date the zip cannot hold stops the build before anything is written
        dated = [r.article for r in results if isinstance(r.article.date, dt.date)]
        newest = max(dated, key=lambda a: a.date, default=None)
        when = build_date(config, newest.date if newest else None, newest.source.sidecar if newest else "")
    kept = set(files.values())
    archive = None
    if when is not None:
        with progress.stage("zip") as info:
            folder = zip_name(config, when)
            entries = {**files, "使用说明.txt": store.put(howto(config, when, folder, converters))}
            archive = work / f"{folder}.zip"
            write_zip(archive, folder, entries, store, when)
            kept |= set(entries.values())
            info["summary"] = f"{archive.name} ({archive.stat().st_size / 1e6:.2f} MB)"
    transaction = Transaction(config.root, config.root / ".cache")
    try:
        with progress.stage("publish") as info:
            _stage_articles(transaction, plan)
            fill(transaction.stage_folder(config.site_dir), files, store)
            checkpoint("staged-site")
            if archive is not None:
                fill(transaction.stage_folder(config.dist_dir), {archive.name: archive})
                checkpoint("staged-dist")
            transaction.commit()
            _note_articles(config, plan, report)
            size = sum(b.size for b in files.values() if isinstance(b, Blob)) / 1e6
            info["summary"] = f"{len(plan.write)} articles written, {len(plan.remove)} removed; " + \
                f"{config.rel(config.site_dir)}/ ({size:.1f} MB)" + (f", {config.rel(config.dist_dir)}/" if archive else "")
    except BaseException:
        transaction.abort()
        raise
    try:   # the build is done; the cache only saves work next time
        cache.commit()
        store.keep_only(kept)
    except OSError as exc:
        problem = os_error(exc, config.root).problem
        report.warn(problem.path, None, f"{problem.message} (while updating the cache; the site is built)")
    checkpoint("done")
    return files

