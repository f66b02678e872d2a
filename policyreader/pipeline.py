"""The whole build, stage by stage: ingest → render → check → publish → zip."""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .bundle import build_date, make_zip
from .config import Config
from .errors import Report
from .cache import Cache
from .corpus import process_seeds
from .ingest import finish, prepare
from .links import check_site
from .progress import Progress
from .render import converters_for, override_tables, render_site
from .writer import publish


@dataclass
class Options:
    """What the command line asked for."""

    force: bool = False
    strict: bool = False
    clean: bool = False
    zip: bool = True


def build(config: Config, options: Options, report: Report, progress: Progress, write: bool = True,
          review: bool = False) -> dict[str, bytes]:
    """Run every stage; with ``write=False`` nothing is written (``check``). Returns the site files."""
    with tempfile.TemporaryDirectory(prefix="policyreader-") as work:
        return _build(config, options, report, progress, write, review, Path(work))


def _build(config: Config, options: Options, report: Report, progress: Progress, write: bool,
           review: bool, work: Path) -> dict[str, bytes]:
    with progress.stage("ingest") as info:
        glossary, seeds = prepare(config, report)
        info["summary"] = f"{len(seeds)} seeds, {len(glossary.entries)} glossary entries"
    with progress.stage("articles") as info:
        cache = Cache(config.root / ".cache" / "seeds", enabled=not options.clean)
        results = process_seeds(config, glossary, seeds, override_tables(config, glossary), work, cache,
                                report, progress)
        articles = [r.article for r in results]
        finish(config, glossary, articles, report, force=options.force, write=write)
        info["summary"] = f"{len(results)} articles: {cache.misses} built, {cache.hits} from cache"
    with progress.stage("site") as info:
        converters = converters_for(config, glossary, work)
        files = render_site(config, glossary, [r.rendered for r in results], converters, report, review=review)
        info["summary"] = f"{len(files)} files in {len(config.variants)} scripts"
    with progress.stage("check") as info:
        problems = check_site(files, config.base_url)
        report.warnings.extend(problems)
        info["summary"] = f"{sum(1 for f in files if f.endswith('.html'))} pages, {len(problems)} link problems"
    if not write:
        return files
    with progress.stage("publish") as info:
        publish(files, config.site_dir, config.rel(config.site_dir))
        info["summary"] = f"{config.rel(config.site_dir)}/ ({sum(map(len, files.values())) / 1e6:.1f} MB)"
    if options.zip:
        with progress.stage("zip") as info:
            dates = [a.date for a in articles if isinstance(a.date, dt.date)]
            name, data = make_zip(files, config, build_date(config, max(dates, default=None)), converters)
            publish({name: data}, config.dist_dir, config.rel(config.dist_dir))
            info["summary"] = f"{config.rel(config.dist_dir)}/{name} ({len(data) / 1e6:.2f} MB)"
    cache.commit()
    return files
