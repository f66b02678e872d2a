"""A session pack: the chosen articles as a small site of their own, zipped for one training session.

The pack is built, not cut out of the big site: the chosen seeds are built in a scratch project
that shares the site's glossary, settings and theme, so its home page, glossary, search, study
kit and every link know only the articles in the pack (the build's link check proves nothing
points outside it). Then the site goes into ``dist/`` as a zip that works from ``file://``.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import BuildError, Report
from ..markdown.parser import split_front_matter
from ..output.bundle import build_date
from ..output.pack import pack_howto, prune_terms, write_pack
from ..sources.config import Config, load_config
from ..sources.seeds import find_seeds, load_sidecar
from ..text.names import slugify
from ..variants.factory import converters_for, override_tables
from ..sources.glossary import load_glossary
from .pipeline import Options, build
from .progress import Progress

PACKS = "packs"   # where session packs go: dist/ is replaced as a whole by every build


@dataclass(frozen=True)
class Pack:
    """What ``pack`` wrote."""

    path: Path
    files: int
    size: int
    articles: list[str]          # slugs


def find_articles(config: Config, names: list[str]) -> list[Path]:
    """The seed of each name given: a seed's name or file, or an article's slug (from its
    generated Markdown, else from the sidecars' ``slug``)."""
    seeds = {p.stem: p for p in find_seeds(config)}
    slugs: dict[str, Path] | None = None
    found: list[Path] = []
    for name in names:
        stem = Path(name).name.removesuffix(".txt")
        markdown = config.articles_dir / f"{name}.md"
        seed = seeds.get(stem)
        if seed is None and markdown.is_file():
            meta, _, _ = split_front_matter(markdown.read_text(encoding="utf-8"), config.rel(markdown))
            seed = seeds.get(Path(str((meta.get("seed") or {}).get("file", ""))).stem)
        if seed is None:
            if slugs is None:
                slugs = {}
                for path in seeds.values():
                    sidecar = load_sidecar(path.with_suffix(".yaml"), config.rel(path.with_suffix(".yaml")))
                    if sidecar.slug:
                        slugs[sidecar.slug] = path
            seed = slugs.get(name)
        if seed is None:
            known = sorted({*slugs, *(p.stem for p in config.articles_dir.glob("*.md"))} if config.articles_dir.is_dir()
                           else slugs)
            raise BuildError(config.rel(config.seeds_dir), None,
                             f"pack: no article {name!r} (give a slug or a seed's name; known slugs: {', '.join(known) or 'none'})")
        if seed not in found:
            found.append(seed)
    return found


def _scratch_project(config: Config, seeds: list[Path], title: str, root: Path) -> Config:
    """A project holding only the chosen seeds, with the site's own inputs and the pack's title."""
    (root / "seeds").mkdir(parents=True)
    for seed in seeds:
        shutil.copy2(seed, root / "seeds" / seed.name)
        if seed.with_suffix(".yaml").exists():
            shutil.copy2(seed.with_suffix(".yaml"), root / "seeds" / seed.with_suffix(".yaml").name)
    shutil.copytree(config.src_dir, root / "site_src", ignore=shutil.ignore_patterns("articles"))
    settings = yaml.safe_load(config.site_yaml.read_text(encoding="utf-8"))
    settings["title"] = title
    (root / "site_src" / "site.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
    for folder in (config.templates_dir, config.static_dir):
        if folder.is_dir():
            shutil.copytree(folder, root / folder.name)
    return load_config(root)


def make_pack(config: Config, names: list[str], title: str, report: Report, progress: Progress) -> Pack:
    """Build the chosen articles as a site of their own and zip it into ``packs/``."""
    title = " ".join(title.split())
    if not title:
        raise BuildError("pack", None, "--title must name the session (e.g. --title \"产业政策专题培训\")")
    if not names:
        raise BuildError("pack", None, "name at least one article (a slug or a seed's name)")
    seeds = find_articles(config, names)
    scratch = config.root / ".cache"
    scratch.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pack-", dir=scratch) as work:
        small = _scratch_project(config, seeds, title, Path(work) / "project")
        inner = Report()
        with progress.stage("pack") as info:
            build(small, Options(zip=False), inner, Progress(quiet=True))
            info["summary"] = f"{len(seeds)} articles built on their own"
        broken = [p for p in inner.warnings if "link" in p.message or "anchor" in p.message]
        if broken:
            raise BuildError(broken[0].path, broken[0].line, f"pack: {broken[0].message}")
        entries = {p.relative_to(small.site_dir).as_posix(): p.read_bytes()
                   for p in sorted(small.site_dir.rglob("*")) if p.is_file()}
        slugs = sorted(p.stem for p in small.articles_dir.glob("*.md"))
        titles, dates, used = [], [], set()
        for slug in slugs:
            meta, _, _ = split_front_matter((small.articles_dir / f"{slug}.md").read_text(encoding="utf-8"), slug)
            titles.append(str(meta.get("title", slug)))
            used |= set(meta.get("terms") or {})
            if isinstance(meta.get("date"), dt.date):
                dates.append(meta["date"])
        entries = prune_terms(entries, used, [f"{v.folder}/" if v.folder else "" for v in small.variants])
        when = build_date(small, max(dates, default=None))
        folder = f"{config.name}-{slugify(title, max_words=10) or 'pack'}-{when:%Y-%m-%d}"
        glossary = load_glossary(small.glossary_path, small.rel(small.glossary_path))
        converters = converters_for(small, override_tables(small, glossary)[0], Path(work))
        text = pack_howto(title, when, folder, titles)
        howto = "\n".join(converters[v.lang].convert(text) for v in small.variants)
        entries["使用说明.txt"] = ("\ufeff" + howto).replace("\n", "\r\n").encode("utf-8")
        target = config.root / PACKS / f"{folder}.zip"
        write_pack(target, folder, entries, when)
    size = target.stat().st_size
    report.note(f"pack: {config.rel(target)} ({len(slugs)} articles, {len(entries)} files, {size / 1e6:.2f} MB)")
    return Pack(target, len(entries), size, slugs)
