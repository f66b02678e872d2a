"""The whole build, stage by stage: ingest → articles → site → check → publish → zip."""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..checks.links import check_site
from ..errors import Report
from ..ingest import finish, prepare
from ..output.bundle import build_date, howto, write_zip, zip_name
from ..output.store import Blob, ObjectStore
from ..output.writer import ensure_ours, publish
from ..site.pages import path_of
from ..site.search import normalisation_table
from ..sources.config import Config
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


def build(config: Config, options: Options, report: Report, progress: Progress, write: bool = True,
          review: bool = False) -> dict[str, bytes]:
    """Run every stage; with ``write=False`` nothing is written (``check``). Returns the site files."""
    # Scratch space (OpenCC's generated config, the zip being written) stays in the project.
    scratch = config.root / ".cache"
    scratch.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tmp-", dir=scratch) as work:
        return _build(config, options, report, progress, write, review, Path(work))


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
           review: bool, work: Path) -> dict[str, Blob | bytes]:
    with progress.stage("ingest") as info:
        glossary, seeds = prepare(config, report)
        info["summary"] = f"{len(seeds)} seeds, {len(glossary.entries)} glossary entries"
    with progress.stage("articles") as info:
        cache = Cache(config.root / ".cache" / "seeds", enabled=not options.clean)
        store = ObjectStore(config.root / ".cache" / "objects") if write else None
        overrides, override_lines = override_tables(config, glossary)
        converters = converters_for(config, overrides, work)
        table = normalisation_table(list(converters.values()))
        shared = Shared(config, glossary, overrides, table, work, store)
        results = process_seeds(shared, seeds, cache, report, progress)
        finish(config, glossary, [r.article for r in results], report, force=options.force, write=write)
        info["summary"] = f"{len(results)} articles: {cache.misses} built, {cache.hits} from cache"
    with progress.stage("site") as info:
        files, scanned = render_site(config, glossary, results, converters, table, override_lines, report, store,
                                     review=review)
        info["summary"] = f"{len(files)} files in {len(config.variants)} scripts"
    with progress.stage("check") as info:
        skip, remember = _known_good(cache, files, scanned, results, config)
        problems = check_site(scanned, set(files), config.base_url, skip=skip)
        report.warnings.extend(problems)
        remember(problems)
        info["summary"] = f"{len(scanned) - len(skip)} pages checked, {len(skip)} unchanged, {len(problems)} link problems"
    if not write or store is None:
        return files
    ensure_ours(config.site_dir, config.rel(config.site_dir))   # both, before either is replaced
    ensure_ours(config.dist_dir, config.rel(config.dist_dir))
    with progress.stage("publish") as info:
        publish(files, config.site_dir, config.rel(config.site_dir), store)
        info["summary"] = f"{config.rel(config.site_dir)}/ ({sum(b.size for b in files.values()) / 1e6:.1f} MB)"
    kept = set(files.values())
    if options.zip:
        with progress.stage("zip") as info:
            dates = [r.article.date for r in results if isinstance(r.article.date, dt.date)]
            when = build_date(config, max(dates, default=None))
            folder = zip_name(config, when)
            entries = {**files, "使用说明.txt": store.put(howto(config, when, folder, converters))}
            archive = work / f"{folder}.zip"
            write_zip(archive, folder, entries, store, when)
            publish({archive.name: archive}, config.dist_dir, config.rel(config.dist_dir))
            kept |= set(entries.values())
            info["summary"] = f"{config.rel(config.dist_dir)}/{archive.name} ({(config.dist_dir / archive.name).stat().st_size / 1e6:.2f} MB)"
    cache.commit()
    store.keep_only(kept)
    return files
