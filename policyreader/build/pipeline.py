"""The whole build, stage by stage: ingest → articles → site → check → zip → one commit.

Nothing an editor sees changes until everything is computed: the new articles, the site and
the zip are staged beside their places and switched in together (output/transaction.py), so
a failure or a kill leaves ``site_src/articles/``, ``_site/`` and ``dist/`` all as they were
or all new. One build at a time per project (a lock); each build first finishes or sweeps
what an interrupted one left.

Work follows the change: the last build's state (build/state.py) says what each seed was, so
only seeds whose stat or content changed are read and rendered; site-wide files are made again
only when what they show changed; the postings, the link check, the zip and ``_site/``
itself are updated, not redone. The result is the same, byte for byte, as a clean build's.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from ..checks.conversion import Review
from ..checks.links import Reference, local_problems, reference_ok, reference_problems, references, scan
from ..errors import BuildError, Problem, Report, os_error
from ..ingest import ArticlePlan, _read_article, ingest_all, is_generated_unchanged
from ..output.bundle import build_date, howto, write_zip, zip_name
from ..output.store import Blob, ObjectStore
from ..output.transaction import Transaction, build_lock, checkpoint, recover
from ..output.writer import MARKER, ensure_ours, fill
from ..site.pages import path_of
from ..site.search import normalisation_table
from ..sources.config import Config
from ..sources.glossary import check_sources, load_glossary
from ..sources.seeds import MAX_SLUG, find_seeds, read_seed
from ..variants.factory import converters_for, override_tables
from . import manifest
from .cache import Cache, digest
from .corpus import (Done, Lean, Record, Shared, Task, inputs_digest, load_record, plain, problems_of, renumber,
                     run_tasks, seed_key)
from .progress import Progress
from .searchindex import Fragments, build_all, update
from .sitewide import SiteFiles, render_site
from .state import (VERSION, SearchState, SeedEntry, SiteState, Stat, forget_state, load_state, racy_bound,
                    save_state, stat_of)


@dataclass
class Options:
    """What the command line asked for."""

    force: bool = False
    clean: bool = False
    zip: bool = True


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
        if not config.articles_dir.parent.resolve().is_relative_to(config.root):
            raise BuildError(config.rel(config.articles_dir.parent), None, "is a link to a folder outside the project")
        with build_lock(cache_dir, config.rel(cache_dir / "build.lock")):
            dirty = cache_dir / DIRTY
            note = recover(config.root, cache_dir, [config.site_dir, config.dist_dir], config.articles_dir,
                           thorough=dirty.exists())
            if note:
                report.note(note)
            checkpoint("locked")
            dirty.touch()
            with tempfile.TemporaryDirectory(prefix="tmp-", dir=cache_dir) as work:
                yield Path(work)
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
            _, articles, plan = ingest_all(config, report, force=options.force)
            info["summary"] = f"{len(articles)} articles"
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
        transaction.stage_file(path, text)
    for path in plan.remove:
        transaction.remove(path)
    checkpoint("staged-articles")


def _note_articles(config: Config, plan: ArticlePlan, report: Report) -> None:
    report.note(f"articles: {len(plan.write)} written, {plan.unchanged} unchanged, {len(plan.remove)} removed")


@dataclass
class SeedInfo:
    """One seed as this build finds it."""

    name: str
    path: Path
    seed_stat: Stat | None
    sidecar_stat: Stat | None
    seed_sha: str
    sidecar_sha: str
    key: str = ""


@dataclass
class Outcome:
    """What the articles stage leaves for the rest: each seed's summary, what changed."""

    leans: list[Lean]
    done: dict[int, Done] = field(default_factory=dict)          # article number → this build's work
    records: list[Record] = field(default_factory=list)          # full records (the check command)
    plan: ArticlePlan = field(default_factory=ArticlePlan)
    built: int = 0
    renumbered: bool = False


class _Build:
    """One build: the stages in order, sharing what they found."""

    def __init__(self, config: Config, options: Options, report: Report, progress: Progress, write: bool,
                 review: Review | None, work: Path) -> None:
        self.config, self.options, self.report, self.progress = config, options, report, progress
        self.write, self.review, self.work = write, review, work
        self.cache_dir = config.root / ".cache"
        self.racy_after = racy_bound()
        self.previous = load_state(self.cache_dir) if write and not options.clean else None
        self.cache = Cache(self.cache_dir / "seeds", enabled=not options.clean)
        self.store = ObjectStore(self.cache_dir / "objects") if write else None

    def run(self) -> dict[str, Blob | bytes]:
        config, progress = self.config, self.progress
        with progress.stage("ingest") as info:
            glossary = load_glossary(config.glossary_path, config.rel(config.glossary_path))
            self.base = inputs_digest(config)
            seeds = self._seeds_seen = self._find()
            self._check_sources(glossary, seeds)
            info["summary"] = f"{len(seeds)} seeds, {len(glossary.entries)} glossary entries"
        checkpoint("ingested")
        with progress.stage("articles") as info:
            overrides, override_lines = override_tables(config, glossary)
            converters = converters_for(config, overrides, self.work)
            table = self._table(converters)
            shared = Shared(config, glossary, overrides, table, self.work, self.store,
                            cache_dir=self.cache.folder, force=self.options.force, base=self.base,
                            keep_full=not self.write)
            outcome = self._articles(shared, seeds)
            self._finish(glossary, outcome)
            info["summary"] = f"{len(outcome.leans)} articles: {outcome.built} built, " \
                              f"{len(outcome.leans) - outcome.built} from cache"
        with progress.stage("site") as info:
            search = self._search(outcome) if self.store is not None else None
            site = render_site(config, glossary, outcome.leans, converters, override_lines, self.report, self.store,
                               self.base, search, table, self.previous, review=self.review,
                               records=outcome.records if self.review else None)
            info["summary"] = f"{len(site.files)} files in {len(config.variants)} scripts ({site.rendered} site pages made)"
        with progress.stage("check") as info:
            checked, ref_counts, broken = self._check(outcome, site)
            info["summary"] = f"{checked} pages checked, {len(site.files) - checked} unchanged"
        checkpoint("rendered")
        if not self.write or self.store is None:
            return site.files
        return self._publish(outcome, site, search, ref_counts, broken, converters)

    # ---- ingest: which seeds are there, and which changed -------------------------------------

    def _find(self) -> list[SeedInfo]:
        """Every seed with its stat and hashes; a file whose stat is as the last build saw it is
        not read (its hashes are the last build's)."""
        before = self.previous.seeds if self.previous else {}
        found = []
        for path in find_seeds(self.config):
            sidecar = path.with_suffix(".yaml")
            seed_stat, sidecar_stat = stat_of(path, self.racy_after), stat_of(sidecar, self.racy_after)
            old = before.get(path.name)
            has_sidecar = os.path.lexists(sidecar)
            if old and seed_stat and seed_stat == old.seed_stat and (
                    sidecar_stat == old.sidecar_stat if has_sidecar else not old.sidecar_sha) \
                    and (sidecar_stat is not None or not has_sidecar):
                info = SeedInfo(path.name, path, seed_stat, sidecar_stat, old.seed_sha, old.sidecar_sha)
            else:
                info = SeedInfo(path.name, path, seed_stat, sidecar_stat, _sha(path), _sha(sidecar) if has_sidecar else "")
            info.key = seed_key(self.base, info.name, info.seed_sha, info.sidecar_sha, self.store is not None)
            found.append(info)
        return found

    def _check_sources(self, glossary, seeds: list[SeedInfo]) -> None:
        """Each glossary entry's quote must stand in the seed it names (only those seeds are read)."""
        names = {entry.source["seed"] for entry in glossary.entries}
        texts = {info.name: read_seed(info.path, self.config, Report()).text for info in seeds if info.name in names}
        check_sources(glossary, texts, self.report)

    def _table(self, converters) -> dict[str, str]:
        """The search normalisation table: the same for the same converters, so kept in the cache."""
        key = digest("normalisation", self.base)
        table = self.cache.peek(key) if self.cache.enabled else None
        if not isinstance(table, dict):
            table = normalisation_table(list(converters.values()))
            self.cache.put(key, table)
        self.cache.use(key)
        return table

    # ---- articles: the seeds' work, from the last build, the cache or the workers ---------------

    def _articles(self, shared: Shared, seeds: list[SeedInfo]) -> Outcome:
        config, previous, store = self.config, self.previous, self.store
        leans: list[Lean | None] = [None] * len(seeds)
        tasks: list[Task] = []
        records: list[Record | None] = [None] * len(seeds)
        renumbered = False
        for number, info in enumerate(seeds):
            old = previous.seeds.get(info.name) if previous else None
            self.cache.use(info.key)
            if self.write and old is not None and old.lean.key == info.key and old.lean.number == number \
                    and self._article_intact(old) and all(b and store.has(b) for b in [*old.lean.pages.values(),
                                                                                      *old.lean.texts.values()]):
                leans[number] = old.lean
                continue
            record = load_record(self.cache, info.key, store) if self.cache.enabled else None
            if record is not None and (not self.write or self._file_holds(record)):
                records[number] = record
                if record.lean.number != number:
                    renumbered = True
                    leans[number] = renumber(record, number, config, store)
                else:
                    leans[number] = record.lean
                continue
            tasks.append(Task(info.path, number, info.key))
        outcome = Outcome([], built=len(tasks))
        for result in run_tasks(shared, tasks, self.progress):
            if isinstance(result, Record):
                records[result.lean.number] = result
                leans[result.lean.number] = result.lean
                continue
            number = result.lean.number
            leans[number] = result.lean
            outcome.done[number] = result
            if result.write is not None:
                outcome.plan.write.append((config.articles_dir / f"{result.lean.slug}.md", result.write))
        outcome.leans = [lean for lean in leans if lean is not None]
        outcome.records = [r for r in records if r is not None] if not self.write else []
        outcome.renumbered = renumbered
        outcome.plan.unchanged = len(seeds) - len(outcome.plan.write)
        for lean in outcome.leans:
            self.report.warnings.extend(problems_of(lean.warnings))
        return outcome

    def _article_intact(self, entry: SeedEntry) -> bool:
        """Whether the seed's article file is as the last build left it (by its stat)."""
        path = self.config.articles_dir / f"{entry.lean.slug}.md"
        return entry.article_stat is not None and stat_of(path) == entry.article_stat

    def _file_holds(self, record: Record) -> bool:
        """Whether the article file holds what the record says (else the seed is built again,
        which plans the write or refuses to overwrite a hand edit)."""
        path = self.config.articles_dir / f"{record.lean.slug}.md"
        try:
            return _sha_bytes(path.read_bytes()) == record.lean.markdown_sha
        except OSError:
            return False

    def _finish(self, glossary, outcome: Outcome) -> None:
        """Check the articles together; plan removing articles no seed makes any more."""
        config, report = self.config, self.report
        slugs: dict[str, Lean] = {}
        used: Counter = Counter()
        for lean in outcome.leans:
            if len(lean.slug) > MAX_SLUG:
                where, line = lean.article_source.slug_place()
                raise BuildError(where, line, f"slug {lean.slug[:40]}… is {len(lean.slug)} characters long; set a "
                                 f"'slug' of at most {MAX_SLUG} in {lean.article_source.sidecar}")
            other = slugs.get(lean.slug)
            if other:
                where, line = lean.article_source.slug_place()
                raise BuildError(where, line, f"slug {lean.slug!r} is already used by {other.article_source.seed}")
            slugs[lean.slug] = lean
            used.update(lean.terms)
        for entry in glossary.entries:
            if not used[entry.id]:
                report.warn(glossary.path, entry.line, f"entry {entry.id!r} ({entry.term}) occurs in no article")
        if not self.write:
            outcome.plan = ArticlePlan()
            return
        wanted = {f"{slug}.md" for slug in slugs}
        seeds = {lean.name for lean in outcome.leans}
        existing = sorted(e.name for e in os.scandir(config.articles_dir) if e.name.endswith(".md")) \
            if config.articles_dir.is_dir() else []
        gone = []
        for name in existing:
            path = config.articles_dir / name
            if name in wanted or not path.is_file():
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

    def _search(self, outcome: Outcome) -> SearchState:
        """The postings: updated from the last build's when the article numbers held, else made
        from every article's tokens."""
        assert self.store is not None
        previous = self.previous
        before = {entry.lean.number: entry.lean for entry in previous.seeds.values()} if previous else {}
        n = len(outcome.leans)
        if previous is not None and previous.search is not None and previous.base == self.base \
                and not outcome.renumbered and len(before) == len(previous.seeds):
            changes: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
            possible = True
            for lean in outcome.leans:
                old = before.get(lean.number)
                if old is not None and old.key == lean.key:
                    continue
                now = outcome.done[lean.number].tokens if lean.number in outcome.done else self._tokens(lean)
                then: frozenset[str] = frozenset()
                if old is not None:
                    record = self._old_record(old)
                    if record is None:
                        possible = False
                        break
                    if old.name != lean.name:
                        possible = False
                        break
                    then = record.tokens
                if now is None:
                    possible = False
                    break
                changes[lean.number] = (then, now)
            for number, old in before.items():
                if number >= n and possible:
                    record = self._old_record(old)
                    if record is None:
                        possible = False
                        break
                    changes[number] = (record.tokens, frozenset())
            if possible:
                return update(previous.search, changes, self.store)
        fragments = Fragments.empty()
        for lean in outcome.leans:
            tokens = outcome.done[lean.number].tokens if lean.number in outcome.done else self._tokens(lean)
            fragments.add(lean.number, tokens or frozenset())
        return build_all(fragments.masks(), self.store)

    def _tokens(self, lean: Lean) -> frozenset[str] | None:
        record = self._old_record(lean)
        return record.tokens if record is not None else None

    # ---- the link check -------------------------------------------------------------------------

    def _check(self, outcome: Outcome, site: SiteFiles) -> tuple[int, Counter, frozenset]:
        """Every page's links: site-wide pages each time (they are few), article pages when they
        changed or a file they need changed. Returns how many pages were checked, and for the
        next build the (file, anchor) pairs article pages need and those found missing."""
        config, previous = self.config, self.previous
        files = frozenset(site.files)
        by_path = {path_of(v, lean.card.key): (lean, v.lang) for lean in outcome.leans for v in config.variants}
        record_ids: dict[str, frozenset[str]] = {}
        checked = 0

        def lacks(target: str, anchor: str) -> bool:
            """Whether ``target`` is a page without the id ``anchor``."""
            if target in site.ids:
                return anchor not in site.ids[target]
            if target not in by_path:
                return False   # not a page: nothing to look for
            lean, lang = by_path[target]
            if anchor in lean.anchors[lang]:
                return False
            if target not in record_ids:
                record = self._old_record(lean)
                record_ids[target] = record.links[lang].ids if record else frozenset()
            return anchor not in record_ids[target]

        problems: list[Problem] = []
        refs_now, ref_counts, full = self._references(outcome)
        settled = previous is not None and not full and frozenset(previous.files) == files and \
            all(lean.anchors == self._old_anchors(lean) for lean in outcome.leans if lean.number in outcome.done)
        site_problems: dict[str, tuple] = {}
        for path, ids in site.ids.items():
            if path not in site.scanned and settled and path in previous.site_problems:
                site_problems[path] = previous.site_problems[path]
            else:   # made now, or a file it may link to changed: check it (read it back if reused)
                page = site.scanned.get(path) or scan(self.store.read(site.files[path]).decode("utf-8"))
                site_problems[path] = plain(local_problems(path, page, config.base_url) + reference_problems(
                    path, references(path, page, config.base_url), files, lacks))
                checked += 1
            problems += problems_of(site_problems[path])
        self.site_problems = site_problems
        broken = frozenset(ref for ref in ref_counts if not reference_ok(ref[0], ref[1], files, lacks))
        recheck_all = full or previous is None or broken != previous.broken
        for index, lean in enumerate(outcome.leans):
            refs = refs_now.get(lean.number)
            if refs is None and not recheck_all:
                problems += problems_of(lean.problems + lean.linked)
                continue
            if refs is None:
                record = self._old_record(lean)
                refs = record.references if record else {}
            linked = []
            for variant in config.variants:
                linked += reference_problems(path_of(variant, lean.card.key), refs.get(variant.lang, ()), files, lacks)
            outcome.leans[index] = lean._replace(linked=plain(linked))
            problems += problems_of(lean.problems) + linked
            checked += len(config.variants)
        self.report.warnings.extend(sorted(problems, key=lambda p: (p.path, p.line or 0)))
        return checked, ref_counts, broken

    def _old_anchors(self, lean: Lean) -> dict[str, frozenset[str]] | None:
        """The anchors the last build's version of this article had."""
        before = self.previous.seeds.get(lean.name) if self.previous else None
        return before.lean.anchors if before is not None else None

    def _references(self, outcome: Outcome) -> tuple[dict[int, dict[str, tuple[Reference, ...]]], Counter, bool]:
        """The references of the article pages this build made, and how many article pages need
        each (file, anchor): the last build's counts with the changes applied, or (``full``)
        counted again over every article when they cannot be."""
        previous = self.previous
        before = {entry.lean.number: entry.lean for entry in previous.seeds.values()} if previous else {}
        counts: Counter = Counter(previous.ref_counts) if previous else Counter()
        refs_now: dict[int, dict[str, tuple[Reference, ...]]] = {}
        full = previous is None or previous.base != self.base or outcome.renumbered

        def count(refs: dict[str, tuple[Reference, ...]], sign: int) -> None:
            for page in refs.values():
                for pair in {(r.target, r.fragment) for r in page}:
                    counts[pair] += sign

        if not full:
            for lean in outcome.leans:
                old = before.get(lean.number)
                if old is not None and old.key == lean.key:
                    continue
                refs = self._refs_of(outcome, lean)
                old_record = self._old_record(old) if old is not None else None
                if refs is None or (old is not None and old_record is None):
                    full = True
                    break
                if old_record is not None:
                    count(old_record.references, -1)
                count(refs, +1)
                refs_now[lean.number] = refs
        if not full:
            for number, old in before.items():
                if number >= len(outcome.leans):
                    record = self._old_record(old)
                    if record is None:
                        full = True
                        break
                    count(record.references, -1)
        if full:
            counts, refs_now = Counter(), {}
            for lean in outcome.leans:
                refs = self._refs_of(outcome, lean) or {}
                count(refs, +1)
                refs_now[lean.number] = refs
        return refs_now, +counts, full

    def _refs_of(self, outcome: Outcome, lean: Lean) -> dict[str, tuple[Reference, ...]] | None:
        if lean.number in outcome.done:
            return outcome.done[lean.number].references
        record = self._old_record(lean)
        return record.references if record else None

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
        archive, layout, zip_same = None, None, False
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
                    zip_same, layout = True, previous.archive
                    info["summary"] = f"{old_zip.name} unchanged"
                else:
                    archive = self.work / f"{folder}.zip"
                    layout = write_zip(archive, folder, entries, store, when,
                                       previous=(old_zip, previous.archive) if usable else None)
                    info["summary"] = f"{archive.name} ({archive.stat().st_size / 1e6:.2f} MB)"
        manifest.forget(self.cache_dir)
        forget_state(self.cache_dir)
        transaction = Transaction(config.root, self.cache_dir)
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
        infos = {info.name: info for info in self._seeds_seen}
        for lean in outcome.leans:
            info = infos[lean.name]
            article = stat_of(config.articles_dir / f"{lean.slug}.md")
            seeds[lean.name] = SeedEntry(info.seed_stat, info.sidecar_stat, info.seed_sha, info.sidecar_sha, lean, article)
        dist_zip = config.dist_dir / f"{layout.folder}.zip" if layout else None
        state = SiteState(VERSION, self.base, True, seeds, files, site.inputs, dict(site.ids), self.site_problems,
                          ref_counts, broken, search, layout, dist_stat=stat_of(dist_zip) if dist_zip else None,
                          site_folders=_folders(config.site_dir), extra=extra)
        kept = {b.sha for b in files.values()} | {b.sha for b in extra}
        if previous is None or self.options.clean:
            self.cache.commit()
            store.keep_only({b for b in files.values()} | set(extra))
        else:
            self.cache.commit(sweep=False)
            self.cache.forget({e.lean.key for e in previous.seeds.values()})
            store.remove(({b.sha for b in previous.files.values()} | {b.sha for b in previous.extra}) - kept)
        save_state(self.cache_dir, state)
        n = len(outcome.leans)
        manifest.record(config.root, self.cache_dir, self.racy_after, ("build",),
                        [f"nothing changed since the last build: {n} articles: 0 built, {n} from cache; "
                         f"{config.rel(config.site_dir)}/ and {config.rel(config.dist_dir)}/ are up to date"],
                        [f"articles: 0 written, {n} unchanged, 0 removed"],
                        [(p.path, p.line, p.message) for p in self.report.warnings])


def _sha(path: Path) -> str:
    try:
        return _sha_bytes(path.read_bytes())
    except OSError:
        return ""


def _sha_bytes(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def _seed_of(text: str) -> str | None:
    from ..ingest import _seed_of as seed_of
    return seed_of(text)


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


__all__ = ["Options", "build", "ingest", "MARKER"]
