"""Render stage: ``site_src/`` → every page in every script, plus static files, in memory."""
from __future__ import annotations

from pathlib import Path

from .check import conversion_review
from .config import Config
from .errors import Report
from .glossary import Glossary
from .hosting import hosting_files
from .pages import SiteBuilder, read_articles
from .progress import Progress
from .search import build_index, normalisation_table
from .variants import Converter, load_overrides


def converters_for(config: Config, glossary: Glossary, workdir: Path) -> dict[str, Converter]:
    """One converter per variant, with the site's overrides and the glossary's explicit forms."""
    langs = [v.lang for v in config.variants]
    overrides = load_overrides(config.conversion_path, config.rel(config.conversion_path), langs)
    result = {}
    for variant in config.variants:
        table = {e.term: e.zh_hant for e in glossary.entries if e.zh_hant}
        table.update(overrides.get("all", {}))
        table.update(overrides.get(variant.lang, {}))
        result[variant.lang] = Converter(variant, table if variant.converts else {}, workdir)
    return result


def render_site(config: Config, glossary: Glossary, sources: list[tuple[Path, str]], converters: dict[str, Converter],
                report: Report, review: bool = False, progress: Progress | None = None) -> dict[str, bytes]:
    """All output files of ``_site/`` as {relative path: bytes}, from (path, Markdown) pairs.

    With ``review``, the editorial conversion review is added to the report's notes.
    """
    articles = read_articles(config, glossary, sources)
    builder = SiteBuilder(config, glossary, articles, converters)
    pages = builder.pages()
    files: dict[str, bytes] = {}
    total = len(pages) * len(config.variants)
    for variant in config.variants:
        for page in pages:
            files[builder.path_of(variant, page.key)] = builder.render(page, variant).encode("utf-8")
            if progress:
                progress.tick(len(files), total, "pages")
    table = normalisation_table([(p.text, converter.convert(p.text))
                                 for converter in converters.values() if converter.spec.converts
                                 for article in articles for p in article.index.paragraphs])
    for variant in config.variants:
        index = build_index(articles, glossary, converters[variant.lang], table)
        files[builder.path_of(variant, "search-index.js")] = index.encode("utf-8")
        report.note(f"search index {variant.lang}: {len(index.encode('utf-8')) / 1024:.1f} KB")
    files.update(hosting_files(config, builder))
    for path in sorted(config.static_dir.glob("*")):
        if path.is_file():
            files[f"static/{path.name}"] = path.read_bytes()
    if review:
        for converter in converters.values():
            if converter.spec.converts:
                report.notes.extend(conversion_review(articles, glossary, converter))
    for converter in converters.values():
        for phrase in converter.overrides:
            if converter.spec.converts and not converter.used[phrase]:
                report.warn(config.rel(config.conversion_path), None,
                            f"override {phrase!r} never matched in {converter.spec.lang}")
    return files
