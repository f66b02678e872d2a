"""Site-wide stage: the site-wide pages, the search index and the hosting files, around the
article pages the seeds' work already made; plus the static files."""
from __future__ import annotations

from ..checks.conversion import Review, conversion_review, unused_overrides
from ..checks.links import PageLinks, scan
from ..errors import Report
from ..output.store import Blob, ObjectStore
from ..site.hosting import hosting_files
from ..site import urls
from ..site.pages import SitePages
from ..site.urls import SITE_PAGES, path_of
from ..site.search import build_index
from ..site.study import StudyPages
from ..sources.config import Config
from ..sources.glossary import Glossary
from ..theme import Theme
from ..variants.convert import Converter
from .corpus import SeedResult


def render_site(config: Config, glossary: Glossary, results: list[SeedResult], converters: dict[str, Converter],
                table: dict[str, str], override_lines: dict[str, int], report: Report,
                store: ObjectStore | None, review: Review | None = None) -> tuple[dict[str, Blob | bytes], dict[str, PageLinks]]:
    """Every file of ``_site/`` ({path: stored blob, or bytes when nothing is stored}) and the
    link scan of every page. With ``review``, its lines get the conversion review of the
    articles it names."""
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
        for path, blob in result.files.items():
            files[path] = blob or b""
            if path in result.file_links:
                scanned[path] = result.file_links[path]
    for variant in config.variants:
        for key in [*SITE_PAGES, *site.term_keys()]:
            html = site.render(key, variant)
            add(path_of(variant, key), html.encode("utf-8"))
            scanned[path_of(variant, key)] = scan(html)
    by_slug = {r.rendered.slug: r for r in results}
    kit = StudyPages(site)
    studies = [by_slug[a.slug].study for a in site.articles if by_slug[a.slug].study]
    for path, text in kit.render_site(studies, {a.slug: a.titles for a in site.articles}).items():
        add(path, text.encode("utf-8"))
        if path.endswith(".html"):
            scanned[path] = scan(text)
    for variant in config.variants:
        found = [(a, by_slug[a.slug].tokens) for a in site.articles]
        index = build_index(found, glossary, converters[variant.lang], table).encode("utf-8")
        add(path_of(variant, urls.SEARCH_INDEX), index)
        report.note(f"search index {variant.lang}: {len(index) / 1024:.1f} KB")
    for path, data in hosting_files(config, site).items():
        add(path, data)
    for name, path in Theme(config.templates_dir, config.static_dir).static_files().items():
        add(urls.static(name), path.read_bytes())
    chosen = review.select([(r.article.source.seed_name, r.rendered.slug) for r in results],
                           config.rel(config.seeds_dir)) if review else set()
    for converter in converters.values():
        if converter.spec.converts:
            for phrase in unused_overrides(site.articles, glossary, converter):
                report.warn(config.rel(config.conversion_path), override_lines.get(phrase),
                            f"override {phrase!r} never matched in {converter.spec.lang}")
            if review and review.whole_site:
                review.lines.extend(conversion_review(site.articles, glossary, converter, review.full))
            elif review:
                for article in site.articles:   # one block per article named, in site order
                    if article.slug in chosen:
                        review.lines.extend(conversion_review([article], None, converter, review.full,
                                                              label=f", {article.slug}"))
    return files, scanned
