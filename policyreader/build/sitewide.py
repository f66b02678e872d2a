"""Site-wide stage: the site-wide pages, the search index and the hosting files, around the
article pages the seeds' work already made; plus the static files.

Everything here is made from the seeds' summaries (``Lean``), never from their text. Each
site-wide file remembers a digest of what it was made from; a later build makes it again only
if that digest changed (an edit that leaves an article's card alone leaves the home page alone).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..checks.conversion import Review, conversion_review, unused_overrides
from ..checks.links import PageLinks, scan
from ..errors import Report
from ..output.store import Blob, ObjectStore
from ..site.hosting import FEED_ENTRIES, hosting_files
from ..site import pages
from ..site.pages import SITE_PAGES, SitePages, path_of
from ..site.search import definition_files, meta_file, postings_path, text_path
from ..sources.config import Config
from ..sources.glossary import Glossary
from ..theme import Theme
from ..variants.convert import Converter
from .cache import digest
from .corpus import Lean, Record
from .state import SearchState, SiteState


# Term pages, where the site has them: one per glossary entry.
term_keys = (lambda glossary: [pages.term_key(e.id) for e in glossary.entries]) if hasattr(pages, "term_key") else None


@dataclass
class SiteFiles:
    """The site as this build makes it: every file, the scans and recipes of site-wide pages."""

    files: dict[str, Blob | bytes] = field(default_factory=dict)
    scanned: dict[str, PageLinks] = field(default_factory=dict)      # site-wide pages made by this build
    ids: dict[str, frozenset[str]] = field(default_factory=dict)     # every site-wide page's ids
    inputs: dict[str, str] = field(default_factory=dict)             # site-wide file → digest of its inputs
    rendered: int = 0                                                # site-wide pages made (not reused)


def site_order(leans: list[Lean]) -> list[Lean]:
    """Articles as the home page lists them: newest first."""
    return sorted(leans, key=lambda lean: (str(lean.card.meta.get("date") or ""), lean.slug), reverse=True)


class _LazySite:
    """The site-wide pages, set up only if one of them has to be made (reading every article's
    card and the glossary's pinyin costs time a build that changed little need not spend)."""

    def __init__(self, config: Config, glossary: Glossary, converters: dict[str, Converter], ordered: list[Lean]) -> None:
        self.args = (config, glossary, converters)
        self.ordered = ordered
        self._site: SitePages | None = None

    def get(self) -> SitePages:
        if self._site is None:
            self._site = SitePages(*self.args, [lean.card.rendered() for lean in self.ordered])
        return self._site

    def __getattr__(self, name: str):
        return getattr(self.get(), name)


def _page_inputs(key: str, base: str, ordered: list[Lean]) -> str:
    """What one site-wide page is made of: the shared inputs, and the articles' parts it shows."""
    if key == "index.html":
        return digest(base, key, *(lean.home for lean in ordered))
    if key == "glossary.html":
        return digest(base, key, *(lean.glossary for lean in ordered if lean.card.places))
    if key in ("search.html", "404.html"):
        return digest(base, key)
    return digest(base, key, *(lean.whole for lean in ordered))


def render_site(config: Config, glossary: Glossary, leans: list[Lean], converters: dict[str, Converter],
                override_lines: dict[str, int], report: Report, store: ObjectStore | None, base: str,
                search: SearchState | None, table: dict[str, str], previous: SiteState | None = None,
                review: Review | None = None, records: list[Record] | None = None) -> SiteFiles:
    """Every file of ``_site/`` ({path: stored blob, or bytes when nothing is stored}), with the
    scan of every site-wide page. A site-wide file whose inputs did not change since
    ``previous`` is taken from it. With ``review`` (and the full ``records``), its lines get
    the conversion review of the articles it names."""
    ordered = site_order(leans)
    site = _LazySite(config, glossary, converters, ordered)
    out = SiteFiles()

    def add(path: str, data: bytes) -> None:
        out.files[path] = store.put(data) if store else data

    def reuse(path: str, recipe: str) -> bool:
        """Take the file from the previous build if it was made from the same inputs."""
        out.inputs[path] = recipe
        if previous is None or store is None or previous.inputs.get(path) != recipe:
            return False
        blob = previous.files.get(path)
        if blob is None or not store.has(blob) or (path.endswith(".html") and path not in previous.site_ids):
            return False
        out.files[path] = blob
        if path in previous.site_ids:
            out.ids[path] = previous.site_ids[path]
        return True

    for lean in leans:
        for variant in config.variants:
            out.files[path_of(variant, lean.card.key)] = lean.pages[variant.lang] or b""
            out.files[path_of(variant, text_path(lean.number))] = lean.texts[variant.lang] or b""
    for variant in config.variants:
        for key in [*SITE_PAGES, *(term_keys(glossary) if term_keys else [])]:
            path = path_of(variant, key)
            if reuse(path, _page_inputs(key, base, ordered)):
                continue
            html = site.render(key, variant)
            add(path, html.encode("utf-8"))
            out.scanned[path] = scan(html)
            out.ids[path] = out.scanned[path].ids
            out.rendered += 1
    if search is not None:
        for b, blob in enumerate(search.buckets):
            out.files[postings_path(b)] = blob
    order = [lean.number for lean in ordered]
    for variant in config.variants:
        converter = converters[variant.lang]
        definitions = definition_files(glossary, converter)
        for path, data in definitions.items():
            add(path_of(variant, path), data)
        up = "../" * (variant.folder.count("/") + 1) if variant.folder else ""
        meta = meta_file(glossary, converter, table, len(leans), order, search.count if search else 1,
                         len(definitions), up, "glossary.html")
        add(path_of(variant, "search/meta.js"), meta)
    recipe = digest(base, "hosting", *(lean.slug for lean in leans), *(lean.whole for lean in ordered[:FEED_ENTRIES]))
    out.inputs["hosting"] = recipe
    before = [p[len("hosting:"):] for p in previous.inputs if p.startswith("hosting:")] if previous else []
    if previous is not None and store is not None and previous.inputs.get("hosting") == recipe and \
            all(p in previous.files and store.has(previous.files[p]) for p in before):
        for path in before:
            out.files[path] = previous.files[path]
            out.inputs[f"hosting:{path}"] = recipe
    else:
        for path, data in hosting_files(config, site.get()).items():
            add(path, data)
            out.inputs[f"hosting:{path}"] = recipe
    for name, path in Theme(config.templates_dir, config.static_dir).static_files().items():
        add(f"static/{name}", path.read_bytes())
    _override_warnings(config, glossary, leans, converters, override_lines, report)
    if review is not None and records is not None:
        _review(config, glossary, records, converters, review)
    return out


def _override_warnings(config: Config, glossary: Glossary, leans: list[Lean], converters: dict[str, Converter],
                       override_lines: dict[str, int], report: Report) -> None:
    """An override no text of the site contains is a warning (it never matched)."""
    found: Counter = Counter()
    for lean in leans:
        found.update(lean.overrides)
    for converter in converters.values():
        if converter.spec.converts and converter.overrides:
            unused = set(unused_overrides([], glossary, converter)) - set(found)
            for phrase in sorted(unused):
                report.warn(config.rel(config.conversion_path), override_lines.get(phrase),
                            f"override {phrase!r} never matched in {converter.spec.lang}")


def _review(config: Config, glossary: Glossary, records: list[Record], converters: dict[str, Converter],
            review: Review) -> None:
    """The conversion review of the articles ``check`` names (the whole site with --all)."""
    articles = [r.rendered for r in records]
    by_slug = {a.slug: a for a in articles}
    ordered = [by_slug[lean.slug] for lean in site_order([r.lean for r in records])]
    chosen = review.select([(r.article.source.seed_name, r.rendered.slug) for r in records], config.rel(config.seeds_dir))
    for converter in converters.values():
        if not converter.spec.converts:
            continue
        if review.whole_site:
            review.lines.extend(conversion_review(ordered, glossary, converter, review.full))
            continue
        for article in ordered:   # one block per article named, in site order
            if article.slug in chosen:
                review.lines.extend(conversion_review([article], None, converter, review.full, label=f", {article.slug}"))
