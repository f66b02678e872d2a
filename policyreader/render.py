"""Render stage: the site-wide pages, the search index and the hosting files, around the
article pages the seeds' work already made; plus the static files."""
from __future__ import annotations

from pathlib import Path

from .check import conversion_review, unused_overrides
from .config import Config
from .errors import Report
from .glossary import Glossary
from .hosting import hosting_files
from .corpus import SeedResult
from .links import PageLinks, scan
from .pages import SITE_PAGES, SitePages, path_of
from .search import build_index
from .store import Blob, ObjectStore
from .variants import Converter, load_overrides


def override_tables(config: Config, glossary: Glossary) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Per script: the site's overrides plus the glossary's explicit Traditional forms; and the
    line of each override in conversion.yaml (for warnings)."""
    langs = [v.lang for v in config.variants]
    overrides, lines = load_overrides(config.conversion_path, config.rel(config.conversion_path), langs)
    tables = {}
    for variant in config.variants:
        table = {e.term: e.zh_hant for e in glossary.entries if e.zh_hant}
        table.update(overrides.get("all", {}))
        table.update(overrides.get(variant.lang, {}))
        tables[variant.lang] = table if variant.converts else {}
    return tables, lines


def converters_for(config: Config, tables: dict[str, dict[str, str]], workdir: Path) -> dict[str, Converter]:
    """One converter per script, with that script's override table."""
    return {v.lang: Converter(v, tables[v.lang], workdir) for v in config.variants}


def render_site(config: Config, glossary: Glossary, results: list[SeedResult], converters: dict[str, Converter],
                table: dict[str, str], override_lines: dict[str, int], report: Report,
                store: ObjectStore | None, review: bool = False) -> tuple[dict[str, Blob | bytes], dict[str, PageLinks]]:
    """Every file of ``_site/`` ({path: stored blob, or bytes when nothing is stored}) and the
    link scan of every page. With ``review``, the report's notes get the conversion review."""
    site = SitePages(config, glossary, converters, [r.rendered for r in results])
    files: dict[str, Blob | bytes] = {}
    scanned: dict[str, PageLinks] = {}

    def add(path: str, data: bytes) -> None:
        files[path] = store.put(data) if store else data

    for result in results:
        for variant in config.variants:
            path = path_of(variant, result.rendered.key)
            files[path] = result.pages[variant.lang] or b""
            scanned[path] = result.links[variant.lang]
    for variant in config.variants:
        for key in SITE_PAGES:
            html = site.render(key, variant)
            add(path_of(variant, key), html.encode("utf-8"))
            scanned[path_of(variant, key)] = scan(html)
    by_slug = {r.rendered.slug: r for r in results}
    for variant in config.variants:
        found = [(a, by_slug[a.slug].tokens) for a in site.articles]
        index = build_index(found, glossary, converters[variant.lang], table).encode("utf-8")
        add(path_of(variant, "search-index.js"), index)
        report.note(f"search index {variant.lang}: {len(index) / 1024:.1f} KB")
    for path, data in hosting_files(config, site).items():
        add(path, data)
    for path in sorted(config.static_dir.glob("*")):
        if path.is_file():
            add(f"static/{path.name}", path.read_bytes())
    for converter in converters.values():
        if converter.spec.converts:
            for phrase in unused_overrides(site.articles, glossary, converter):
                report.warn(config.rel(config.conversion_path), override_lines.get(phrase),
                            f"override {phrase!r} never matched in {converter.spec.lang}")
            if review:
                report.notes.extend(conversion_review(site.articles, glossary, converter))
    return files, scanned
