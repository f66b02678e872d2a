"""Render stage: the site-wide pages, the search index and the hosting files, around the
article pages the seeds' work already made; plus the static files."""
from __future__ import annotations

from pathlib import Path

from .check import conversion_review, unused_overrides
from .config import Config
from .errors import Report
from .glossary import Glossary
from .hosting import hosting_files
from .pages import SITE_PAGES, RenderedArticle, SitePages, path_of
from .search import build_index, normalisation_table
from .variants import Converter, load_overrides


def override_tables(config: Config, glossary: Glossary) -> dict[str, dict[str, str]]:
    """Per script: the site's overrides plus the glossary's explicit Traditional forms."""
    langs = [v.lang for v in config.variants]
    overrides, _ = load_overrides(config.conversion_path, config.rel(config.conversion_path), langs)
    tables = {}
    for variant in config.variants:
        table = {e.term: e.zh_hant for e in glossary.entries if e.zh_hant}
        table.update(overrides.get("all", {}))
        table.update(overrides.get(variant.lang, {}))
        tables[variant.lang] = table if variant.converts else {}
    return tables


def converters_for(config: Config, glossary: Glossary, workdir: Path) -> dict[str, Converter]:
    """One converter per script."""
    tables = override_tables(config, glossary)
    return {v.lang: Converter(v, tables[v.lang], workdir) for v in config.variants}


def render_site(config: Config, glossary: Glossary, articles: list[RenderedArticle], converters: dict[str, Converter],
                report: Report, review: bool = False) -> dict[str, bytes]:
    """Every file of ``_site/`` as {path: bytes}. With ``review``, notes get the conversion review."""
    site = SitePages(config, glossary, converters, articles)
    files: dict[str, bytes] = {}
    for variant in config.variants:
        for article in site.articles:
            files[path_of(variant, article.key)] = article.pages[variant.lang].encode("utf-8")
        for key in SITE_PAGES:
            files[path_of(variant, key)] = site.render(key, variant).encode("utf-8")
    pairs = [(p.text, text) for article in site.articles for lang, texts in article.paragraphs.items()
             if converters[lang].spec.converts for p, text in zip(article.index.paragraphs, texts)]
    table = normalisation_table(pairs)
    for variant in config.variants:
        index = build_index(site.articles, glossary, converters[variant.lang], table)
        files[path_of(variant, "search-index.js")] = index.encode("utf-8")
        report.note(f"search index {variant.lang}: {len(index.encode('utf-8')) / 1024:.1f} KB")
    files.update(hosting_files(config, site))
    for path in sorted(config.static_dir.glob("*")):
        if path.is_file():
            files[f"static/{path.name}"] = path.read_bytes()
    _, lines = load_overrides(config.conversion_path, config.rel(config.conversion_path), [v.lang for v in config.variants])
    for converter in converters.values():
        if converter.spec.converts:
            for phrase in unused_overrides(site.articles, glossary, converter):
                report.warn(config.rel(config.conversion_path), lines.get(phrase),
                            f"override {phrase!r} never matched in {converter.spec.lang}")
            if review:
                report.notes.extend(conversion_review(site.articles, glossary, converter))
    return files
