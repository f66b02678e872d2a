"""The whole build, stage by stage: ingest → articles → site → check → zip → one commit.

Nothing an editor sees changes until everything is computed: the new articles, the site and
the zip are staged beside their places and switched in together (output/transaction.py), so
a failure or a kill leaves ``site_src/articles/``, ``_site/`` and ``dist/`` all as they were
or all new. One build at a time per project (a lock); each build first finishes or sweeps
what an interrupted one left.

Work follows the change: the last build's state (build/state.py) says what each seed was, so
only seeds whose stat changed are read, and only those whose content changed are rendered;
site-wide files are made again only when what they show changed; the postings, the link check,
the zip and ``_site/`` itself are updated, not redone. The result is the same, byte for byte,
as a clean build's.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from ..checks.conversion import Review
from ..checks.links import local_problems, reference_ok, reference_problems, references, scan
from ..errors import BuildError, Problem, Report, os_error
from ..ingest import (ArticlePlan, SlugClaim, _read_article, _seed_of, check_slugs, ingest_all, is_generated_unchanged,
                      resolve_claims)
from ..output.bundle import build_date, howto, write_zip, zip_name
from ..output.store import Blob, ObjectStore
from ..output.transaction import Transaction, build_lock, checkpoint, recover
from ..output.writer import ensure_ours, fill
from ..site.search import normalisation_table
from ..site import urls
from ..site.urls import path_of
from ..sources.config import Config
from ..sources.glossary import check_sources, load_glossary, pinyin_findings, report_findings, sort_keys, unused_findings
from ..sources.seeds import find_seeds, read_seed
from ..variants.factory import converters_for, override_tables
from . import manifest
from .cache import Cache, digest
from .corpus import (Done, Lean, MissingParts, Record, Shared, Task, article_key, inputs_digest, load_parts, needs_of,
                     plain, problems_of, run_tasks, seed_key, unpack_tokens)
from .progress import Progress
from .searchindex import Fragments, SearchState, build_all, update
from .sitewide import SiteFiles, render_site, site_order, term_pages_listing
from .slices import Slice, Slicer, changes_between
from .state import VERSION, SeedEntry, SiteState, Stat, forget_state, load_state, racy_bound, save_state, stat_of


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
DIRTY = "building"          # in .cache/ while a build runs: left behind, it means one was killed
PER_FILE_UP_TO = 0.25       # update _site/ file by file when at most this share of it changes


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
            dirty = cache_dir / DIRTY
            note = recover(config.root, cache_dir, [config.site_dir, config.dist_dir], config.articles_dir,
                           thorough=dirty.exists())
            if note:
                report.note(note)
            checkpoint("locked")
            dirty.touch()
            try:
                with tempfile.TemporaryDirectory(prefix="tmp-", dir=cache_dir) as work:
                    yield Path(work)
            finally:   # a build that stopped with an error undid its work: only a killed one leaves the mark
                dirty.unlink(missing_ok=True)
    except OSError as exc:
        raise os_error(exc, config.root, UNCHANGED) from None
    except MemoryError:
        raise BuildError("build.py", None, "out of memory" + UNCHANGED) from None


def build(config: Config, options: Options, report: Report, progress: Progress, write: bool = True,
          review: Review | None = None) -> dict[str, Blob | bytes]:
    """Run every stage; with ``write=False`` nothing is written (``check``), and ``review`` gets
    the conversion review of the articles it names. Returns the site files."""
    with _exclusive(config, report) as work:
        return _Build(config, options, report, progress, write, review, work).run()


def ingest(config: Config, options: Options, report: Report, progress: Progress) -> None:
    """Only ``seeds/`` → ``site_src/articles/`` (the ``ingest`` command), in one transaction."""
    with _exclusive(config, report):
        with progress.stage("ingest") as info:
            glossary, articles, plan = ingest_all(config, report, force=options.force)
            info["summary"] = f"{len(articles)} articles"
            report_findings(glossary.findings, report)
        manifest.forget(config.root / ".cache")
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
        if text:   # "" : staged already, by the worker that made it
            transaction.stage_file(path, text)
    for path in plan.remove:
        transaction.remove(path)
    checkpoint("staged-articles")


def _note_articles(config: Config, plan: ArticlePlan, report: Report) -> None:
    report.note(f"articles: {len(plan.write)} written, {plan.unchanged} unchanged, {len(plan.remove)} removed")


@dataclass
class SeedInfo:
    """One seed as this build finds it (its hashes and claim come from the last build when its
    stat is unchanged, else from the worker that reads it)."""

    name: str
    path: Path
    seed_stat: Stat | None
    sidecar_stat: Stat | None
    old: SeedEntry | None = None       # the last build's entry, when the stats match


@dataclass
class Outcome:
    """What the articles stage leaves for the rest: each seed's summary, what changed."""

    leans: list[Lean]
    claims: list[tuple]
    hashes: list[tuple[str, str]]
    done: dict[int, Done] = field(default_factory=dict)          # article number → this build's work
    records: list[Record] = field(default_factory=list)          # full records (the check command)
    plan: ArticlePlan = field(default_factory=ArticlePlan)
    built: int = 0
    masks: Fragments | None = None                               # the made articles' tokens, as masks
    reused: set[str] = field(default_factory=set)                # seeds whose summary is the last build's


class _Build:
    """One build: the stages in order, sharing what they found."""

    def __init__(self, config: Config, options: Options, report: Report, progress: Progress, write: bool,
                 review: Review | None, work: Path) -> None:
        self.config, self.options, self.report, self.progress = config, options, report, progress
        self.write, self.review, self.work = write, review, work
        self.publish = write and options.publish
        self.cache_dir = config.root / ".cache"
        self.racy_after = racy_bound()
        self.cache = Cache(self.cache_dir / "seeds", enabled=not options.clean)
        self.store = object_store(config) if write else None
        self.previous = load_state(self.cache_dir) if write and not options.clean else None
        if self.previous is not None and self.store is not None and self.store.fingerprint() != self.previous.store:
            self.previous = None   # someone changed the store: trust nothing the state says is in it
        self.site_problems: dict[str, tuple] = {}
        # One transaction for the whole build: workers stage the articles they make as they go.
        self.transaction = Transaction(config.root, self.cache_dir)
        self.staged: dict[int, Path] = {}   # article number → the article file its worker staged
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}   # each (file, anchor) pair kept once
        self._planned: set[Path] = set()    # the article files in the plan's writes
        self._intact: dict[str, Stat] = {}  # article file → its stat, found as the last build left it

    def run(self) -> dict[str, Blob | bytes]:
        try:
            return self._run()
        except BaseException:
            self.transaction.abort()
            raise

    def _run(self) -> dict[str, Blob | bytes]:
        config, progress, report = self.config, self.progress, self.report
        with progress.stage("ingest") as info:
            glossary = load_glossary(config.glossary_path, config.rel(config.glossary_path), cache=self.cache_dir)
            # One reading of the shared inputs: ``base`` holds them all, ``core`` (below) all but the glossary.
            glossary_bytes = config.glossary_path.read_bytes()
            self.glossary_sha = hashlib.sha256(glossary_bytes).hexdigest()
            self.inputs = inputs_digest(config)
            self.base = digest(self.inputs, glossary_bytes)
            self.seeds = self._find()
            names = {e.source.seed for e in glossary.entries if e.source is not None}
            texts = {info.name: read_seed(info.path, config, Report()).text for info in self.seeds if info.name in names}
            glossary.findings = check_sources(glossary, texts, report) + pinyin_findings(glossary)
            sort_keys(glossary)   # into the cache now: the build lets pypinyin go after its workers
            info["summary"] = f"{len(self.seeds)} seeds, {len(glossary.entries)} glossary entries"
        checkpoint("ingested")
        with progress.stage("articles") as info:
            overrides, override_lines = override_tables(config, glossary)
            # Articles are keyed by every input but the glossary, of which each takes its slice;
            # the glossary's Traditional forms convert every text, so they count as all of it.
            self.core = digest(self.inputs, repr(sorted((lang, sorted(table.items())) for lang, table in overrides.items())))
            converters = converters_for(config, overrides, self.work)
            table = self._table(converters)
            memos = self.store is not None and self.cache.enabled
            shared = Shared(config, glossary, overrides, table, self.work, self.store, cache_dir=self.cache.folder,
                            spell_dir=self.cache_dir / "pinyin" if memos else None, qr_dir=self.cache_dir / "qr" if memos else None,
                            base=self.core, use_cache=self.cache.enabled, force=self.options.force,
                            plan_articles=self.publish, keep_full=not self.write,
                            stage_id=self.transaction.id if self.publish else None)
            outcome = self._articles(shared)
            self._finish(glossary, outcome)
            if self.review is None:
                report_findings(glossary.findings, report)
            info["summary"] = f"{len(outcome.leans)} articles: {outcome.built} built, " \
                              f"{len(outcome.leans) - outcome.built} from cache"
        with progress.stage("site") as info:
            search = self._search(outcome) if self.store is not None else None
            while True:
                try:
                    site = render_site(config, glossary, outcome.leans, converters, override_lines, report, self.store,
                                       self.base, self.core, search, table, lambda lean: load_parts(self.cache, lean.key),
                                       self.previous, frozenset(outcome.reused), review=self.review,
                                       records=outcome.records if self.review else None,
                                       shared=shared if self.store is not None else None)
                    break
                except MissingParts as missing:   # the cache lost some articles' parts: make them again
                    self._redo(shared, outcome, set(missing.names))
            if self.review is not None and self.review.whole_site:   # after the conversion review
                self.review.lines.extend(f.format("glossary") for f in glossary.findings)
            info["summary"] = f"{len(site.files)} files in {len(config.variants)} scripts ({site.rendered} site pages made)"
        with progress.stage("check") as info:
            checked, ref_counts, broken = self._check(outcome, site)
            info["summary"] = f"{checked} pages checked, {len(site.files) - checked} unchanged"
        checkpoint("rendered")
        if not self.write or self.store is None:
            return site.files
        if not self.options.publish:   # serve places the files itself; the cache still serves the next rebuild
            self.cache.commit(sweep=False)
            return site.files
        return self._publish(outcome, site, search, ref_counts, broken, converters)

    # ---- ingest: which seeds are there, and which the last build saw as they are -------------

    def _find(self) -> list[SeedInfo]:
        """Every seed with its stat; one whose seed and sidecar stats are as the last build saw
        them keeps that build's entry (nothing of it is read)."""
        before = self.previous.seeds if self.previous else {}
        found = []
        stats: dict[str, os.stat_result] = {}
        for path in find_seeds(self.config, stats):
            text = str(path)
            sidecar = text[:-len(".txt")] + ".yaml"
            seed_stat = manifest.stat_from(stats[text], self.racy_after)
            sidecar_stat = manifest.stat_from(stats[sidecar], self.racy_after) if sidecar in stats else None
            old = before.get(path.name)
            same = old is not None and seed_stat is not None and seed_stat == old.seed_stat and (
                sidecar_stat == old.sidecar_stat if sidecar_stat is not None else
                (not old.sidecar_sha and not os.path.lexists(sidecar)))
            found.append(SeedInfo(path.name, path, seed_stat, sidecar_stat, old if same else None))
        return found

    def _table(self, converters) -> dict[str, str]:
        """The search normalisation table: the same for the same converters, so kept in the cache."""
        key = digest("normalisation", self.base)
        table = self.cache.peek(key) if self.cache.enabled else None
        if not isinstance(table, dict):
            table = normalisation_table(list(converters.values()))
            self.cache.put(key, table)
        self.cache.use(key)
        return table

    # ---- articles: the seeds' work, from the last build or the workers (which use the cache) ----

    def _articles(self, shared: Shared) -> Outcome:
        config = self.config
        n = len(self.seeds)
        leans: list[Lean | None] = [None] * n
        claims: list[tuple | None] = [None] * n
        hashes: list[tuple[str, str] | None] = [None] * n
        tasks: list[Task] = []
        reused: set[str] = set()
        holds = self._slices(shared)
        for number, info in enumerate(self.seeds):
            old = info.old
            if old is not None and old.lean.number == number and (not self.publish or self._article_intact(old)) \
                    and old.lean.own_key == seed_key(self.core, info.name, old.seed_sha, old.sidecar_sha, old.lean.slug, True) \
                    and holds(old.lean):
                leans[number], claims[number], hashes[number] = old.lean, old.claim, (old.seed_sha, old.sidecar_sha)
                self.cache.use(old.lean.key)
                self.cache.use(old.lean.own_key)
                reused.add(info.name)
                continue
            tasks.append(Task(info.path, None, number))
        outcome = Outcome([], [], [], built=0, reused=reused)
        records: list[Record | None] = [None] * n
        # Many seeds to do: their tokens come back as masks over runs of articles (a clean build
        # of thousands would otherwise hold every article's tokens at once).
        masks = len(tasks) > max(64, n // 4) and shared.store is not None
        results, outcome.masks = run_tasks(replace(shared, masks=masks), tasks, self.progress)
        self._take(results, leans, claims, hashes, records, outcome)
        # Slugs: each seed's own, or its title's unless another seed took it first.
        slugs = resolve_claims([SlugClaim(*claim) for claim in claims], self.report)
        redo = [Task(info.path, slug, number) for number, (info, slug) in enumerate(zip(self.seeds, slugs))
                if leans[number].slug != slug]
        self._take(run_tasks(shared, redo, self.progress)[0], leans, claims, hashes, records, outcome)
        outcome.leans, outcome.claims, outcome.hashes = leans, claims, hashes   # type: ignore[assignment]
        outcome.records = [r for r in records if r is not None]
        outcome.plan.unchanged = n - len(outcome.plan.write)
        for lean in outcome.leans:
            self.cache.use(lean.key)
            self.cache.use(lean.own_key)
            self.report.warnings.extend(problems_of(lean.warnings))
        return outcome

    def _slices(self, shared: Shared) -> Callable[[Lean], bool]:
        """Whether a summary of the last build still stands with this glossary: always, when the
        glossary is as it was; else when the article's slice of it is (what its pages read of
        the glossary, and no changed form, blocker or crosser standing in its text)."""
        previous = self.previous
        if previous is not None and previous.glossary == self.glossary_sha and previous.fingerprint is not None:
            self.fingerprint = previous.fingerprint
            return lambda lean: True
        slicer = Slicer(shared.glossary)
        self.fingerprint = slicer.fingerprint()
        if previous is None or previous.fingerprint is None:
            return lambda lean: False
        change = changes_between(previous.fingerprint, self.fingerprint)

        def holds(lean: Lean) -> bool:
            cut = self.cache.peek(lean.own_key)
            return isinstance(cut, Slice) and article_key(lean.own_key, cut) == lean.key and slicer.holds_since(cut, change)
        return holds

    def _redo(self, shared: Shared, outcome: Outcome, names: set[str]) -> None:
        """Make these seeds' work again (the cache lost part of it); same result, so the rest stands."""
        tasks = [Task(info.path, lean.slug, lean.number) for info, lean in zip(self.seeds, outcome.leans)
                 if info.name in names]
        records: list[Record | None] = [None] * len(outcome.leans)
        self._take(run_tasks(replace(shared, use_cache=False), tasks, self.progress)[0], outcome.leans,
                   outcome.claims, outcome.hashes, records, outcome)

    def _take(self, results, leans, claims, hashes, records, outcome: Outcome) -> None:
        """Put the workers' results in place (with the strings thousands of articles share,
        anchors, term ids and link targets, kept once)."""
        for result in results:
            done = result if isinstance(result, Done) else None
            lean = result.lean = _shared_strings(result.lean).compact() if done is not None else result.lean
            outcome.reused.discard(lean.name)
            if done is not None:
                done.needs = frozenset(self._pairs.setdefault(pair, pair) for pair in done.needs)
            number = lean.number
            leans[number], claims[number], hashes[number] = lean, result.claim, result.hashes
            if isinstance(result, Record):
                records[number] = result
                continue
            outcome.done[number] = done
            outcome.built += 0 if done.cached else 1
            path = self.config.articles_dir / f"{lean.slug}.md"
            earlier = self.staged.pop(number, None)
            if earlier in self._planned or path in self._planned:   # (filtering each time: quadratic at 10,000)
                outcome.plan.write = [w for w in outcome.plan.write if w[0] not in (earlier, path)]
                self._planned -= {earlier, path}
            if earlier is not None and (earlier != path or done.write != ""):
                self.transaction.drop(earlier)   # made again (under another slug): its first article goes
                earlier = None
            if done.write is not None:
                outcome.plan.write.append((path, done.write))
                self._planned.add(path)
                if done.write == "":   # the worker staged it (over the first one, if any)
                    if earlier is None:
                        self.transaction.adopt(path)
                    self.staged[number] = path

    def _article_intact(self, entry: SeedEntry) -> bool:
        """Whether the seed's article file is as the last build left it (by its stat)."""
        path = os.path.join(self.config.articles_dir, f"{entry.lean.slug}.md")
        if entry.article_stat is None or stat_of(path) != entry.article_stat:
            return False
        self._intact[path] = entry.article_stat
        return True

    def _finish(self, glossary, outcome: Outcome) -> None:
        """Check the articles together; plan removing articles no seed makes any more."""
        config, report = self.config, self.report
        check_slugs([(lean.slug, lean.article_source) for lean in outcome.leans])
        used: Counter = Counter()
        for lean in outcome.leans:
            used.update(lean.terms)
        glossary.findings += unused_findings(glossary, used)
        if not self.publish:
            outcome.plan = ArticlePlan()
            return
        wanted = {f"{lean.slug}.md" for lean in outcome.leans}
        seeds = {lean.name for lean in outcome.leans}
        existing = sorted(e.name for e in os.scandir(config.articles_dir) if e.name.endswith(".md")) \
            if config.articles_dir.is_dir() else []
        gone = []
        for name in existing:
            if name in wanted:
                continue
            path = config.articles_dir / name
            if not path.is_file():
                continue
            text = _read_article(path, config)
            if not is_generated_unchanged(text):
                report.warn(config.rel(path), None, "not made from any seed and edited by hand; left in place")
                continue
            outcome.plan.remove.append(path)
            if _seed_of(text) not in seeds:   # else its seed now makes an article under another slug
                gone.append(path)
        if len(gone) * 2 > len(existing) and not self.options.force:
            names = ", ".join(p.name for p in gone[:3]) + (" …" if len(gone) > 3 else "")
            raise BuildError(config.rel(config.seeds_dir), None,
                             f"this build would remove {len(gone)} of the {len(existing)} articles ({names}) because "
                             "their seeds are gone; rerun with --force if that is what you want")

    # ---- the search postings ------------------------------------------------------------------

    def _old_record(self, lean: Lean) -> Record | None:
        found = self.cache.peek(lean.key)
        return found if isinstance(found, Record) else None

    def _tokens(self, outcome: Outcome, lean: Lean) -> frozenset[str] | None:
        done = outcome.done.get(lean.number)
        if done is not None and done.tokens is not None:
            return unpack_tokens(done.tokens)
        record = self._old_record(lean)
        return record.tokens if record is not None else None

    def _search(self, outcome: Outcome) -> SearchState:
        """The postings: updated from the last build's when the article numbers held, else made
        from every article's tokens."""
        assert self.store is not None
        previous = self.previous
        if outcome.masks is None and previous is not None and previous.search is not None and previous.core == self.core:
            changes = self._token_changes(outcome)
            if changes is not None:
                return update(previous.search, changes, self.store)
        fragments = outcome.masks or Fragments.empty()
        for lean in outcome.leans:
            done = outcome.done.get(lean.number)
            if done is None or done.tokens is not None:
                fragments.add(lean.number, self._tokens(outcome, lean) or frozenset())
        return build_all(fragments.masks(), self.store)

    def _token_changes(self, outcome: Outcome) -> dict[int, tuple[frozenset[str], frozenset[str]]] | None:
        """Per article number, its tokens before and now; None when articles moved to other
        numbers (a seed removed or added before others), or what they held is not at hand."""
        before = {entry.lean.number: entry.lean for entry in self.previous.seeds.values()}
        changes: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        for lean in outcome.leans:
            old = before.get(lean.number)
            if old is not None and old.key == lean.key:
                continue
            if old is not None and old.name != lean.name:
                return None
            now = self._tokens(outcome, lean)
            record = self._old_record(old) if old is not None else None
            then = record.tokens if record is not None else None
            if now is None or (old is not None and then is None):
                return None
            if then != now:   # a glossary edit remakes pages whose text, and tokens, stay as they were
                changes[lean.number] = (then or frozenset(), now)
        for number, old in before.items():
            if number >= len(outcome.leans):
                record = self._old_record(old)
                if record is None:
                    return None
                changes[number] = (record.tokens, frozenset())
        return changes

    # ---- the link check -------------------------------------------------------------------------

    def _check(self, outcome: Outcome, site: SiteFiles) -> tuple[int, Counter, frozenset]:
        """Every page's links: site-wide pages when made or when a file they need changed,
        article pages when they changed or a file they need changed. Returns how many pages were
        checked, and for the next build the (file, anchor) pairs article pages need and those
        found missing."""
        config, previous = self.config, self.previous
        files = frozenset(site.files)
        by_path = {path_of(v, urls.article(lean.slug)): (lean, v.lang) for lean in outcome.leans for v in config.variants}
        record_ids: dict[str, frozenset[str]] = {}
        head_ids: dict[str, frozenset[str]] = {}    # a page's anchors from its summary, split once

        def lacks(target: str, anchor: str) -> bool:
            """Whether ``target`` is a page without the id ``anchor``."""
            if target in site.ids:
                return anchor not in site.ids[target]
            if target not in by_path:
                return False   # not a page: nothing to look for
            lean, lang = by_path[target]
            if target not in head_ids:
                head_ids[target] = frozenset(lean.anchors[lang].split())
            if anchor in head_ids[target]:
                return False
            if target not in record_ids:
                record = self._old_record(lean)
                record_ids[target] = record.links[target].ids if record and target in record.links else frozenset()
            return anchor not in record_ids[target]

        problems: list[Problem] = []
        checked = 0
        needs_now, ref_counts, full = self._references(outcome)
        # A page that passed its last check still passes if no file went and no article lost an
        # anchor it links to; one that had problems is checked again whenever a file came (a new
        # article, a term's page more) or an article gained anchors. An article that lost some
        # (a paragraph removed) has checked again every page that is not a term page and the one
        # page of each of its terms that lists it: a term page links only to the articles it
        # lists, and one that listed the article before and does not now changed, so it was
        # made again (and is checked as made).
        before_files = frozenset(previous.files) if previous is not None else frozenset()
        settled = previous is not None and not full and before_files <= files
        grown = settled and before_files != files
        lost: set[int] = set()   # articles that lost an anchor
        for lean in outcome.leans:
            if settled and lean.number in outcome.done:
                before = previous.seeds.get(lean.name)
                if before is None and not any(path_of(v, urls.article(lean.slug)) in before_files
                                              for v in config.variants):
                    continue   # a new article: it lost nothing (its pages came, so ``grown``)
                change = _anchor_change(before.lean.anchors if before else None, lean.anchors)
                if change == "lost" and before is not None and set(before.lean.anchors) == set(lean.anchors):
                    lost.add(lean.number)
                    grown = grown or _anchors_added(before.lean.anchors, lean.anchors)
                else:
                    settled, grown = change != "lost", grown or change == "grown"
        listing = term_pages_listing(site_order(outcome.leans), lost) if settled and lost else set()

        def suspect(path: str) -> bool:
            if not lost:
                return False
            found = urls.term_of(urls.key_of(config.variants, path))
            return found is None or found in listing

        for path in site.ids:
            if path not in site.scanned and settled and path in previous.site_problems and \
                    not (grown and previous.site_problems[path]) and not suspect(path):
                self.site_problems[path] = previous.site_problems[path]
            else:   # made now, or a file it may link to changed: check it (read it back if reused)
                page = site.scanned.get(path) or scan(self.store.read(site.files[path]).decode("utf-8"))
                self.site_problems[path] = plain(local_problems(path, page, config.base_url) + reference_problems(
                    path, references(path, page, config.base_url), files, lacks))
                checked += 1
            problems += problems_of(self.site_problems[path])
        broken = frozenset(ref for ref in ref_counts if not reference_ok(ref[0], ref[1], files, lacks))
        recheck_all = full or previous is None or broken != previous.broken
        for index, lean in enumerate(outcome.leans):
            needs = needs_now.get(lean.number)
            if needs is None and not recheck_all:
                problems += problems_of(lean.problems + lean.linked)
                continue
            linked: list[Problem] = []
            if needs is None or needs & broken:   # where exactly: its record has every link with its line
                record = self._old_record(lean)
                for path, page_refs in sorted((record.references if record else {}).items()):
                    linked += reference_problems(path, page_refs, files, lacks)
            outcome.leans[index] = lean._replace(linked=plain(linked))
            problems += problems_of(lean.problems) + linked
            checked += 1
        self.report.warnings.extend(sorted(problems, key=lambda p: (p.path, p.line or 0)))
        return checked, ref_counts, broken

    def _references(self, outcome: Outcome) -> tuple[dict[int, frozenset[tuple[str, str]]], Counter, bool]:
        """What the articles this build made link to, and how many articles need each (file,
        anchor): the last build's counts with the changes applied, or (``full``) counted again
        over every article when they cannot be."""
        previous = self.previous
        # Each article as the last build had it, by seed: a seed named in among the others
        # renumbers those after it, which changes none of their links.
        before = {name: entry.lean for name, entry in previous.seeds.items()} if previous else {}
        counts: Counter = Counter(previous.ref_counts) if previous else Counter()
        needs_now: dict[int, frozenset[tuple[str, str]]] = {}
        full = previous is None or previous.core != self.core
        if not full:
            for lean in outcome.leans:
                old = before.get(lean.name)
                if old is not None and old.key == lean.key:
                    continue
                needs = self._needs_of(outcome, lean)
                old_needs = self._needs_of(outcome, old) if old is not None else frozenset()
                if needs is None or old_needs is None:
                    full = True
                    break
                counts.subtract(old_needs)
                counts.update(needs)
                needs_now[lean.number] = needs
        if not full:
            names = {lean.name for lean in outcome.leans}
            for name, old in before.items():
                if name not in names:
                    old_needs = self._needs_of(outcome, old)
                    if old_needs is None:
                        full = True
                        break
                    counts.subtract(old_needs)
        if full:
            counts, needs_now = Counter(), {}
            for lean in outcome.leans:
                needs = self._needs_of(outcome, lean) or frozenset()
                counts.update(needs)
                needs_now[lean.number] = needs
        return needs_now, +counts, full

    def _needs_of(self, outcome: Outcome, lean: Lean) -> frozenset[tuple[str, str]] | None:
        done = outcome.done.get(lean.number)
        if done is not None and done.lean.key == lean.key:
            return done.needs
        record = self._old_record(lean)
        return needs_of(record.references) if record else None

    # ---- zip and publish ------------------------------------------------------------------------

    def _publish(self, outcome: Outcome, site: SiteFiles, search: SearchState | None, ref_counts: Counter,
                 broken: frozenset, converters) -> dict[str, Blob | bytes]:
        config, store, previous, options = self.config, self.store, self.previous, self.options
        assert store is not None
        files: dict[str, Blob] = {p: b for p, b in site.files.items() if isinstance(b, Blob)}
        ensure_ours(config.site_dir, config.rel(config.site_dir))   # both, before anything is staged
        ensure_ours(config.dist_dir, config.rel(config.dist_dir))
        when = None
        if options.zip:   # a date the zip cannot hold stops the build before anything is written
            dated = [lean for lean in outcome.leans if isinstance(lean.date, dt.date)]
            newest = max(dated, key=lambda lean: lean.date, default=None)
            when = build_date(config, newest.date if newest else None, newest.article_source.sidecar if newest else "")
        extra: tuple[Blob, ...] = ()
        archive, layout = None, None
        if when is not None:
            with self.progress.stage("zip") as info:
                folder = zip_name(config, when)
                entries = {**files, "使用说明.txt": store.put(howto(config, when, folder, converters))}
                extra = (entries["使用说明.txt"],)
                old_zip = config.dist_dir / f"{previous.archive.folder}.zip" if previous and previous.archive else None
                usable = old_zip is not None and previous.dist_stat is not None and stat_of(old_zip) == previous.dist_stat
                if usable and previous.archive.folder == folder and previous.archive.when == when and \
                        [(name, sha) for name, sha, _, _ in previous.archive.entries] == \
                        [(name, entries[name].sha) for name in sorted(entries)]:
                    layout = previous.archive
                    info["summary"] = f"{old_zip.name} unchanged"
                else:
                    archive = self.work / f"{folder}.zip"
                    layout = write_zip(archive, folder, entries, store, when,
                                       previous=(old_zip, previous.archive) if usable else None)
                    info["summary"] = f"{archive.name} ({archive.stat().st_size / 1e6:.2f} MB)"
        manifest.forget(self.cache_dir)
        forget_state(self.cache_dir)
        transaction = self.transaction
        per_file = self._per_file(files)
        try:
            with self.progress.stage("publish") as info:
                _stage_articles(transaction, outcome.plan)
                if per_file is not None:
                    changed, removed = per_file
                    for path in changed:
                        transaction.stage_made(config.site_dir / path, lambda target, b=files[path]: store.link(b, target))
                    for path in removed:
                        transaction.remove(config.site_dir / path)
                else:
                    fill(transaction.stage_folder(config.site_dir), files, store)
                checkpoint("staged-site")
                if archive is not None:
                    fill(transaction.stage_folder(config.dist_dir), {archive.name: archive})
                    checkpoint("staged-dist")
                transaction.commit()
                if per_file is not None:
                    _prune_folders(config.site_dir, per_file[1])
                _note_articles(config, outcome.plan, self.report)
                size = sum(b.size for b in files.values()) / 1e6
                how = f"{len(per_file[0]) + len(per_file[1])} files updated" if per_file is not None else "replaced"
                info["summary"] = f"{len(outcome.plan.write)} articles written, {len(outcome.plan.remove)} removed; " + \
                    f"{config.rel(config.site_dir)}/ ({size:.1f} MB, {how})" + (f", {config.rel(config.dist_dir)}/" if archive else "")
        except BaseException:
            transaction.abort()
            raise
        try:   # the build is done; what follows only saves work next time
            self._remember(outcome, site, files, search, ref_counts, broken, layout, extra)
        except OSError as exc:
            problem = os_error(exc, config.root).problem
            self.report.warn(problem.path, None, f"{problem.message} (while updating the cache; the site is built)")
        checkpoint("done")
        return dict(site.files)

    def _per_file(self, files: dict[str, Blob]) -> tuple[list[str], list[str]] | None:
        """The files to switch one by one when few changed and _site/ is as the last build left
        it; None to replace the whole folder."""
        previous = self.previous
        if previous is None or not previous.files or not previous.site_folders:
            return None
        if _folders(self.config.site_dir) != previous.site_folders:
            return None
        changed = [p for p, b in files.items() if previous.files.get(p) != b]
        removed = [p for p in previous.files if p not in files]
        if len(changed) + len(removed) > PER_FILE_UP_TO * len(files):
            return None
        return changed, removed

    def _remember(self, outcome: Outcome, site: SiteFiles, files: dict[str, Blob], search: SearchState | None,
                  ref_counts: Counter, broken: frozenset, layout, extra: tuple[Blob, ...]) -> None:
        """After the commit: the state and the manifest for the next build; what the cache and
        the store hold that no build needs any more goes."""
        config, store, previous = self.config, self.store, self.previous
        assert store is not None
        seeds: dict[str, SeedEntry] = {}
        written = {str(path) for path, _ in outcome.plan.write} | {str(path) for path in outcome.plan.remove}
        for info, lean, claim, (seed_sha, sidecar_sha) in zip(self.seeds, outcome.leans, outcome.claims, outcome.hashes):
            path = os.path.join(config.articles_dir, f"{lean.slug}.md")
            article = self._intact[path] if path in self._intact and path not in written else stat_of(path)
            seeds[info.name] = SeedEntry(info.seed_stat, info.sidecar_stat, seed_sha, sidecar_sha, lean, claim, article)
        kept = {b.sha for b in files.values()} | {b.sha for b in extra}
        if previous is None or self.options.clean:
            self.cache.commit()
            store.keep_only({*files.values(), *extra})
        else:
            self.cache.commit(sweep=False)
            self.cache.forget({key for e in previous.seeds.values() for key in (e.lean.key, e.lean.own_key)})
            store.remove(({b.sha for b in previous.files.values()} | {b.sha for b in previous.extra}) - kept)
        dist_zip = config.dist_dir / f"{layout.folder}.zip" if layout else None
        state = SiteState(VERSION, self.base, seeds, files, site.inputs, dict(site.ids), self.site_problems,
                          ref_counts, broken, search, layout, dist_stat=stat_of(dist_zip) if dist_zip else None,
                          site_folders=_folders(config.site_dir), extra=extra, store=store.fingerprint(),
                          core=self.core, glossary=self.glossary_sha, fingerprint=self.fingerprint)
        save_state(self.cache_dir, state)
        n = len(outcome.leans)
        manifest.record(config.root, self.cache_dir, self.racy_after, ("build",),
                        [f"nothing changed since the last build: {n} articles: 0 built, {n} from cache; "
                         f"{config.rel(config.site_dir)}/ and {config.rel(config.dist_dir)}/ are up to date"],
                        [note for note in self.report.notes if "glossary" in note] +
                        [f"articles: 0 written, {n} unchanged, 0 removed"],
                        [(p.path, p.line, p.message) for p in self.report.warnings])


def _anchor_change(before: dict[str, str] | None, now: dict[str, str]) -> str:
    """How an article's anchors changed: "same", "grown" (only added) or "lost" (some gone, or
    the last build's are unknown)."""
    if before == now:
        return "same"
    if before is None or set(before) != set(now):
        return "lost"
    return "grown" if all(set(before[lang].split()) <= set(now[lang].split()) for lang in now) else "lost"


def _anchors_added(before: dict[str, str], now: dict[str, str]) -> bool:
    """Whether an article has an anchor in some script it did not have before."""
    return any(not set(now[lang].split()) <= set(before[lang].split()) for lang in now)


def _shared_strings(lean: Lean) -> Lean:
    """The summary with its repeated strings (term ids) interned."""
    return lean._replace(terms=tuple(map(sys.intern, lean.terms)),
                         term_parts={sys.intern(t): d for t, d in (lean.term_parts or {}).items()})


def _folders(site_dir: Path) -> dict[str, Stat | None]:
    """Every folder of the published site with its stat: a file added or removed by hand
    changes its folder's stat, and then the site is replaced whole rather than patched."""
    found: dict[str, Stat | None] = {}

    def walk(folder: Path) -> None:
        found[folder.relative_to(site_dir).as_posix()] = stat_of(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                walk(Path(entry.path))
    if site_dir.is_dir():
        walk(site_dir)
    return found


def _prune_folders(site_dir: Path, removed: list[str]) -> None:
    """Folders a removal left empty go too (a clean build would not have them)."""
    for path in sorted({str(Path(p).parent) for p in removed}, key=len, reverse=True):
        folder = site_dir / path
        while folder != site_dir:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


