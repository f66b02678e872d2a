"""Site-wide stage: the site-wide pages, the search index and the hosting files, around the
article pages the seeds' work already made; plus the static files.

Everything here is made from the seeds' summaries (``Lean``), never from their text. Each
site-wide file remembers a digest of what it was made from; a later build makes it again only
if that digest changed (an edit that leaves an article's card alone leaves the home page alone,
and a term's page changes only when a sentence it quotes or an article using it changes). The
few pages that need more than a summary (term pages, the site's study kit) read what they need
of the articles they show from the cache.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Callable, Iterator

from ..checks.conversion import Review, conversion_review, unused_overrides
from ..checks.links import PageLinks, scan
from ..errors import Report
from ..output.store import Blob, ObjectStore
from ..site import urls
from ..site.hosting import FEED_ENTRIES, feed_files, index_files, sitemap
from ..site.pages import (HOME_ARTICLES, Month, SitePages, TermUsers, archive_months, page_batch, page_of,
                          term_page_count, term_page_keys, term_pages_streamed)
from ..site.search import definition_files, meta_file, postings_path, text_path
from ..site.study import StudyPages
from ..site.urls import SITE_PAGES, path_of
from ..sources.config import Config, VariantSpec
from ..sources.glossary import Glossary
from ..theme import Theme
from ..variants.convert import Converter
from .cache import digest
from .corpus import Lean, Parts, each_present, Record, Shared, TermJob, render_term_pages, slim_article
from .slices import Slicer, term_page_reads
from .state import SearchState, SiteState


PARALLEL_USES = 5_000   # term pages quoting this many sentences or more are made in a process per core


@dataclass
class SiteFiles:
    """The site as this build makes it: every file, the scans and recipes of site-wide pages."""

    files: dict[str, Blob | bytes] = field(default_factory=dict)
    scanned: dict[str, PageLinks] = field(default_factory=dict)      # site-wide pages made by this build
    ids: dict[str, frozenset[str]] = field(default_factory=dict)     # every site-wide page's ids
    inputs: dict[str, str] = field(default_factory=dict)             # site-wide file → digest of its inputs
    rendered: int = 0                                                # site-wide pages made (not reused)


def site_order(leans: list[Lean]) -> list[Lean]:
    """Articles as the home page and the month pages list them: newest first."""
    return sorted(leans, key=lambda lean: (str(lean.date or ""), lean.slug), reverse=True)


def term_pages_listing(ordered: list[Lean], numbers: set[int]) -> set[tuple[str, int]]:
    """The (term, page number) of each term page that lists one of these articles: a term's
    pages list the articles that use it in site order (``page_of``)."""
    users: dict[str, list[int]] = {}
    for lean in ordered:
        for term in lean.term_parts or {}:
            users.setdefault(term, []).append(lean.number)
    return {(term, page_of(index, len(listed))) for term, listed in users.items()
            for index, number in enumerate(listed) if number in numbers}


def _page_number(key: str) -> int:
    found = urls.term_of(key)
    assert found is not None, key
    return found[1]


def _part_sentences(part: str) -> int:
    """The sentences an article's term part counts (its last field)."""
    return int(part.rpartition("/")[2])


def _sentences(lean: Lean, term: str) -> int:
    """The term's sentences in this article (what its term pages count), from the summary."""
    return _part_sentences((lean.term_parts or {})[term])


def _listed_sentences(stale: dict[str, list[str]], users: dict[str, list[Lean]]) -> dict[str, int]:
    """Per term, the sentences its pages to make list: the work of making them."""
    return {term: sum(_sentences(lean, term) for number in map(_page_number, keys)
                      for lean in page_batch(users.get(term, []), number)) for term, keys in stale.items()}


def _listed(ordered: list[Lean], stale: dict[str, list[str]], users: dict[str, list[Lean]]) -> list[Lean]:
    """The articles these term pages list, in site order."""
    numbers = {lean.number for term, keys in stale.items() for number in map(_page_number, keys)
               for lean in page_batch(users.get(term, []), number)}
    return [lean for lean in ordered if lean.number in numbers]


def _term_users(stale: dict[str, list[str]], users: dict[str, list[Lean]]) -> dict[str, TermUsers]:
    """What every page of these terms counts: the articles using each, and its sentences in them."""
    return {term: TermUsers(tuple(lean.slug for lean in users.get(term, [])),
                            sum(_sentences(lean, term) for lean in users.get(term, []))) for term in stale}


class _Sites:
    """The site-wide page makers, set up only when one of their pages has to be made (reading
    every article's card and the glossary's pinyin costs time a build that changed little need
    not spend); term pages and the study kit get the parts of exactly the articles they show."""

    def __init__(self, config: Config, glossary: Glossary, converters: dict[str, Converter], ordered: list[Lean],
                 parts: Callable[[Lean], Parts | None], months: list[Month], article_counts: Counter) -> None:
        self.args = (config, glossary, converters)
        self.ordered = ordered
        self.parts = parts
        self.months = months
        self.article_counts = article_counts
        self.listed: list[Lean] = []   # the articles of the month pages to make
        self._cards: SitePages | None = None

    def cards(self) -> SitePages:
        """Home, month pages, glossary, feeds: from the cards of the newest articles and of the
        months whose pages are made (``listed``), with the counts of all."""
        if self._cards is None:
            wanted = {lean.name: lean for lean in [*self.ordered[:max(HOME_ARTICLES, FEED_ENTRIES)], *self.listed]}
            self._cards = SitePages(*self.args, [lean.body().card.rendered() for lean in wanted.values()],
                                    months=self.months, article_counts=self.article_counts)
        return self._cards

    def _each_parts(self, leans: list[Lean]) -> Iterator[tuple[Lean, Parts]]:
        """Each article's parts (``each_present``)."""
        return each_present(leans, self.parts, attrgetter("name"))

    def term_pages(self, stale: dict[str, list[str]], users: dict[str, list[Lean]]) -> Iterator[tuple[str, VariantSpec, str]]:
        """Term pages (key, variant, html): from the articles these pages list (not every
        article of their terms), with the sentences of just these terms, and each term's counts
        from the summaries."""
        term_ids = set(stale)
        articles = (slim_article(part, term_ids) for _, part in self._each_parts(_listed(self.ordered, stale, users)))
        return term_pages_streamed(SitePages(*self.args, [], _term_users(stale, users)), stale, articles)

    def term_jobs(self, stale: dict[str, list[str]], users: dict[str, list[Lean]], count: int) -> list[TermJob]:
        """The term pages to make (term → its pages), in ``count`` jobs of about the same
        number of sentences listed."""
        weight = _listed_sentences(stale, users)
        groups: list[list[str]] = [[] for _ in range(count)]
        weights = [0] * count
        for term in sorted(stale, key=lambda t: (-weight[t], t)):
            lightest = weights.index(min(weights))
            groups[lightest].append(term)
            weights[lightest] += weight[term] + 1
        jobs = []
        for group in groups:
            if group:
                pages = {term: stale[term] for term in group}
                jobs.append((pages, [(lean.name, lean.key) for lean in _listed(self.ordered, pages, users)],
                             _term_users(pages, users)))
        return jobs

    def study(self, kit: list[Lean], uses: dict[str, int]) -> dict[str, str]:
        """The site's study page and deck, from the study items of the articles it shows
        (``kit_articles``) and every term's uses on the site."""
        site = self.cards()
        studies, titles, seen = [], {}, set()
        for lean, part in self._each_parts(kit):
            if part.study:   # each term's fill-in comes from its newest article: drop the others now
                studies.append(replace(part.study, blanks=[b for b in part.study.blanks if b.term not in seen]))
                seen.update(b.term for b in part.study.blanks)
                titles[lean.slug] = part.card.titles
        return StudyPages(site).render_site(studies, titles, uses, len(self.ordered))


def kit_articles(ordered: list[Lean]) -> list[Lean]:
    """The articles the site's study kit shows, in site order: the newest (it lists their study
    pages) and, for each term, the newest with a fill-in item for it (the one it asks). Its
    counts come from the summaries, so a new article does not read every article's items."""
    askers: dict[str, str] = {}
    for lean in ordered:
        for term in lean.blanks:
            askers.setdefault(term, lean.name)
    wanted = set(askers.values())
    return [lean for at, lean in enumerate(ordered) if at < HOME_ARTICLES or lean.name in wanted]


def _listings(base: str, ordered: list[Lean], months: list[Month]) -> tuple[dict[str, str], dict[str, list[Lean]]]:
    """The recipes of the home page (its newest articles and the archive's months) and of each
    month's page (its articles and the months beside it), and each month's articles."""
    by_month: dict[str, list[Lean]] = {}
    for lean in ordered:
        by_month.setdefault(urls.archive(lean.date), []).append(lean)
    recipes = {urls.HOME: digest(base, urls.HOME, repr(months), *(lean.home for lean in ordered[:HOME_ARTICLES]))}
    keys = ["", *(m.key for m in months), ""]
    for at, key in enumerate(keys[1:-1], 1):   # a month's page names the months beside it, not their counts
        recipes[key] = digest(base, key, keys[at - 1], keys[at + 1], *(lean.home for lean in by_month[key]))
    return recipes, by_month


def _glossary(base: str, article_counts: Counter) -> str:
    return digest(base, urls.GLOSSARY, repr(sorted(article_counts.items())))   # the index shows how many use each


def render_site(config: Config, glossary: Glossary, leans: list[Lean], converters: dict[str, Converter],
                override_lines: dict[str, int], report: Report, store: ObjectStore | None, base: str, core: str,
                search: SearchState | None, table: dict[str, str], parts: Callable[[Lean], Parts | None],
                previous: SiteState | None = None, reused: frozenset[str] = frozenset(), review: Review | None = None,
                records: list[Record] | None = None, shared: Shared | None = None) -> SiteFiles:
    """Every file of ``_site/`` ({path: stored blob, or bytes when nothing is stored}), with the
    scan of every site-wide page made. A site-wide file whose inputs did not change since
    ``previous`` is taken from it, as are the files of the seeds in ``reused`` (those the last
    build made as they are). With ``review`` (and the full ``records``), its lines get
    the conversion review of the articles it names.

    ``base`` hashes every shared input, ``core`` every one but the glossary: a page that shows
    none of it, or only one term's (a term page), is made again only when that changed."""
    ordered = site_order(leans)
    months = archive_months(lean.date for lean in ordered)
    article_counts = Counter(term for lean in ordered for term in lean.terms)   # term → articles using it
    sites = _Sites(config, glossary, converters, ordered, parts, months, article_counts)
    out = SiteFiles()

    def add(path: str, data: bytes) -> None:
        out.files[path] = store.put(data) if store else data

    def reuse(path: str, recipe: str) -> bool:
        """Take the file from the previous build if it was made from the same inputs."""
        out.inputs[path] = recipe
        if previous is None or store is None or previous.inputs.get(path) != recipe:
            return False
        # The last build's files are in the store: the build trusts its state only if the
        # store's folders are as that build left them.
        blob = previous.files.get(path)
        if blob is None or (path.endswith(".html") and path not in previous.site_ids):
            return False
        out.files[path] = blob
        if path in previous.site_ids:
            out.ids[path] = previous.site_ids[path]
        return True

    def page(path: str, html: str) -> None:
        add(path, html.encode("utf-8"))
        out.scanned[path] = scan(html)
        out.ids[path] = out.scanned[path].ids
        out.rendered += 1

    def reuse_group(name: str, recipe: str, make: Callable[[], dict[str, bytes]]) -> None:
        """Files made together (the feeds, the sitemap, a script's search meta): taken from the
        previous build if made from the same inputs, else made."""
        out.inputs[name] = recipe
        before = [p[len(name) + 1:] for p in previous.inputs if p.startswith(name + ":")] if previous else []
        if previous is not None and store is not None and previous.inputs.get(name) == recipe and \
                all(p in previous.files for p in before):
            made = {path: previous.files[path] for path in before}
        else:
            made = {path: store.put(data) if store else data for path, data in make().items()}
        for path, blob in made.items():
            out.files[path] = blob
            out.inputs[f"{name}:{path}"] = recipe

    for lean in leans:
        if lean.name in reused and previous is not None and all(p in previous.files for p in lean.paths):
            for path in lean.paths:   # as the last build published them (its body need not be read)
                out.files[path] = previous.files[path]
            continue
        body = lean.body()
        for variant in config.variants:
            out.files[path_of(variant, urls.article(lean.slug))] = body.pages[variant.lang] or b""
            out.files[path_of(variant, text_path(lean.number))] = body.texts[variant.lang] or b""
        for path, blob in body.files.items():
            out.files[path] = blob or b""
    recipes, by_month = _listings(core, ordered, months)
    recipes[urls.GLOSSARY] = _glossary(base, article_counts)
    stale = [(path_of(variant, key), key, variant) for variant in config.variants
             for key in [*SITE_PAGES, *(m.key for m in months)]
             if not reuse(path_of(variant, key), recipes.get(key) or digest(core, key))]
    sites.listed = [lean for key in dict.fromkeys(key for _, key, _ in stale) for lean in by_month.get(key, [])]
    for path, key, variant in stale:
        page(path, sites.cards().render(key, variant))
    # Term pages: each page from the batch of articles it lists and what it shows of them,
    # and the first page from the counts it shows: an edit or a new article remakes the page
    # that lists the article and the term's first, not all its pages; a page more for a term
    # (numbered on from the oldest) leaves the others as they were but the one before it.
    users: dict[str, list[Lean]] = {}   # term → the articles using it, in site order
    rows: dict[str, list[str]] = {}      # term → what each of them shows of it
    uses: Counter = Counter()            # term → its sentences on the site
    for lean in ordered:   # one pass: at 10,000 articles, a third of a million (article, term) pairs
        for term, part in (lean.term_parts or {}).items():
            users.setdefault(term, []).append(lean)
            rows.setdefault(term, []).append(f"{lean.slug}:{part}")
            uses[term] += _part_sentences(part)
    stale: dict[str, list[str]] = {}
    slicer = Slicer(glossary)
    for entry in glossary.entries:
        shown = rows.get(entry.id, [])
        own = slicer.shown(term_page_reads(entry))   # its entry and its related terms' names
        count = term_page_count(len(shown))
        for number, key in enumerate(term_page_keys(entry.id, len(shown)), 1):
            # The first page shows the counts; a page further on, whether the first is the next
            # newer page (it is the newest further page) or another.
            counts = f"{len(shown)}/{uses[entry.id]}" if number == 1 else str(number == count)
            recipe = digest(core, own, key, counts, "\n".join(page_batch(shown, number)))
            if not all([reuse(path_of(v, key), recipe) for v in config.variants]):
                stale.setdefault(entry.id, []).append(key)
    listed = sum(_listed_sentences(stale, users).values())
    if shared is not None and listed >= PARALLEL_USES and (os.cpu_count() or 1) > 1:
        for path, blob, found in render_term_pages(shared, sites.term_jobs(stale, users, 2 * (os.cpu_count() or 1))):
            out.files[path] = blob
            out.scanned[path] = found
            out.ids[path] = found.ids
            out.rendered += 1
    elif stale:
        for key, variant, html in sites.term_pages(stale, users):
            page(path_of(variant, key), html)
    # The site's study kit: every term's uses, the newest articles' study pages, each term's
    # fill-in from the newest article that has one.
    kit_leans = kit_articles(ordered)
    used = {term: n for term, n in uses.items() if n}
    recipe = digest(base, urls.STUDY, repr(sorted(used.items())), str(len(ordered)),
                    *(f"{lean.slug}:{lean.study}" for lean in kit_leans))
    kit = [path_of(v, k) for v in config.variants for k in (urls.STUDY, urls.STUDY_DECK)]
    if not all([reuse(path, recipe) for path in kit]):
        for path, text in sites.study(kit_leans, used).items():
            out.inputs[path] = recipe
            if path.endswith(".html"):
                page(path, text)
            else:
                add(path, text.encode("utf-8"))
    _search_files(config, glossary, leans, ordered, converters, table, search, reuse_group, out, base)
    # The sitemaps: one of the pages no month holds, one per month (its page and articles),
    # and their index; each made again only when the pages it lists change.
    if config.base_url:
        parts = {urls.sitemap_part(urls.HOME): [urls.HOME, urls.GLOSSARY, *(urls.term(e.id) for e in glossary.entries)]}
        for month in months:
            parts[urls.sitemap_part(month.key)] = [month.key, *(urls.article(lean.slug) for lean in by_month[month.key])]
        for path, keys in parts.items():
            if not reuse(path, digest(core, path, *keys)):
                add(path, sitemap(config, keys))
        reuse_group("hosting", digest(core, "hosting", *parts), lambda: index_files(config, list(parts)))
    # A feed shows the newest articles' cards.
    for variant in config.variants:
        reuse_group(f"feed-{variant.lang}", digest(core, "feed", variant.lang, *(lean.whole for lean in ordered[:FEED_ENTRIES])),
                    lambda variant=variant: feed_files(config, sites.cards(), variant))
    for name, path in Theme(config.templates_dir, config.static_dir).static_files().items():
        add(urls.static(name), path.read_bytes())
    _override_warnings(config, glossary, leans, converters, override_lines, report)
    if review is not None and records is not None:
        _review(config, glossary, records, converters, review)
    return out


def _search_files(config: Config, glossary: Glossary, leans: list[Lean], ordered: list[Lean],
                  converters: dict[str, Converter], table: dict[str, str], search: SearchState | None,
                  reuse_group: Callable[[str, str, Callable[[], dict[str, bytes]]], None], out: SiteFiles, base: str) -> None:
    """The search index around the articles' texts: postings, then per script the definitions
    and the meta file (made again only when the glossary, the site's order or the postings' count changed)."""
    if search is not None:
        for b, blob in enumerate(search.buckets):
            out.files[postings_path(b)] = blob
    order = [lean.number for lean in ordered]
    count = search.count if search else 1
    for variant in config.variants:
        def make(variant: VariantSpec = variant) -> dict[str, bytes]:
            converter = converters[variant.lang]
            definitions = definition_files(glossary, converter)
            files = {path_of(variant, path): data for path, data in definitions.items()}
            up = "../" * (variant.folder.count("/") + 1) if variant.folder else ""
            files[path_of(variant, urls.SEARCH_INDEX)] = meta_file(glossary, converter, table, len(leans), order,
                                                                   count, len(definitions), up)
            return files
        reuse_group(f"search-{variant.lang}", digest(base, "search", variant.lang, repr(order), str(count)), make)


def _override_warnings(config: Config, glossary: Glossary, leans: list[Lean], converters: dict[str, Converter],
                       override_lines: dict[str, int], report: Report) -> None:
    """An override no text of the site contains is a warning (it never matched)."""
    found: set[str] = set()
    for lean in leans:
        found |= lean.overrides
    for converter in converters.values():
        if converter.spec.converts and converter.overrides:
            for phrase in sorted(set(unused_overrides([], glossary, converter)) - found):
                report.warn(config.rel(config.conversion_path), override_lines.get(phrase),
                            f"override {phrase!r} never matched in {converter.spec.lang}")


def _review(config: Config, glossary: Glossary, records: list[Record], converters: dict[str, Converter],
            review: Review) -> None:
    """The conversion review of the articles ``check`` names (the whole site with --all)."""
    by_slug = {r.rendered.slug: r.rendered for r in records}
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
