"""Scale benchmark: this project next to the bare loop, in the same run, at N = 100, 1,000, 10,000.

Run:  python3 benchmarks/scale.py                       # N = 100, 1,000 and 10,000 (long)
      python3 benchmarks/scale.py --sizes 100 1000      # the quick run

For each N, ``make_corpus.py --layout seeds`` makes N shuffled seeds from the real seeds'
paragraphs (each given a sidecar with a unique slug, a date and a source) and ``--layout plain``
the same corpus for ``ref_pipeline.py --jobs 2`` (the bare loop: markdown-it-py, glossary
marking, Jinja, both scripts), used as they come. Then, alternating the two programs:

- full build: a fresh project (no cache), wall and CPU seconds (the process tree's user+sys),
  peak memory (the sum of the PSS of the process tree, sampled);
- no-change rebuild, and the rebuilds after one seed is edited, a paragraph is taken out of
  another, and a new article (the newest) is added (the bare loop: ``--incremental`` after the
  same change of its articles);
- the size of the site and of the zip (the bare loop writes no zip), the weight of one
  article page (the same article at every N), and the search bytes a query loads (measured
  in Chromium from file://: the index files the page requested while answering the query).

Every run, of either program, starts after ``sync``: what the run before it wrote has reached
the disk. The machine this runs on is shared and noisy: compare a figure with the bare loop's of the
same run, and prefer CPU seconds to wall seconds. Figures are also written as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from measure import run_measured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
BENCH = Path(os.environ.get("BENCH_TOOLS", ROOT.parent / "shared" / "bench"))   # make_corpus.py, ref_pipeline.py
QUERIES = ("富矿精开", "新质生产力", "发展", "营商环境优化", "fukuang", "算力")
EPOCH = "1767225600"   # a fixed zip date: builds are reproducible


@dataclass
class Run:
    """One timed process: wall and CPU seconds, peak memory (bytes)."""

    wall: float
    cpu: float
    peak: int


@dataclass
class Case:
    """Every figure of one corpus size, for this project and the bare loop."""

    n: int
    ours: dict[str, Run] = field(default_factory=dict)
    bare: dict[str, Run] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    search: dict[str, int] = field(default_factory=dict)     # query → bytes loaded
    stages: list[str] = field(default_factory=list)


def timed(command: list[str], cwd: Path | None = None) -> tuple[Run, str]:
    """Run a command; its wall time, the CPU time of its whole process tree, its peak memory."""
    # Both programs run as installed: a machine that sets PYTHONDONTWRITEBYTECODE would make
    # this project compile its modules at every start (0.15 s), unlike an installed one.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Each run starts with the disk settled: the gigabytes a full build of 10,000 seeds leaves
    # in the page cache would otherwise be written out during the next run, which an editor's
    # rebuild, minutes later, does not share.
    os.sync()
    done = run_measured(command, {**env, "SOURCE_DATE_EPOCH": EPOCH}, cwd=cwd)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.output[-3000:]}")
    return Run(round(done.wall, 3), round(done.cpu, 3), done.peak), done.output


def make_corpora(n: int, folder: Path) -> tuple[Path, Path]:
    """The project (seeds with sidecars, the site's settings and glossary) and the plain corpus."""
    shutil.rmtree(folder, ignore_errors=True)
    project, plain = folder / "project", folder / "plain"
    seeds = f"{ROOT / 'seeds'}/*.txt"
    for layout, target in (("seeds", project / "seeds"), ("plain", plain)):
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--seeds", seeds, "--n", str(n),
                        "--layout", layout, "--out", str(target)], check=True, capture_output=True)
    (project / "site_src").mkdir()
    for name in ("site.yaml", "glossary.yaml", "conversion.yaml"):
        shutil.copy(ROOT / "site_src" / name, project / "site_src" / name)
    rng = random.Random(n)
    for path in sorted((project / "seeds").glob("*.txt")):
        number = path.name.split("_")[0]
        day = 1 + rng.randrange(28)
        path.with_suffix(".yaml").write_text(f"slug: bench-{number}\ndate: 2025-{1 + int(number) % 12:02d}-{day:02d}\n"
                                             "source: 基准语料\n", encoding="utf-8")
    return project, plain


def edit(path: Path) -> None:
    """One editor's change: a sentence added to the first long paragraph."""
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    at = next(i for i, p in enumerate(paragraphs) if len(p) > 60 and not p.lstrip().startswith("#"))
    paragraphs[at] = paragraphs[at].rstrip("\n") + "编辑补记：基准测试改动了这一段。"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def remove_paragraph(path: Path) -> None:
    """Another editor's change: a paragraph in the middle taken out (those after it move up)."""
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def add_article(seeds: Path, plain: Path, n: int) -> None:
    """The editors' weekly change: a new article, the newest, made of an existing one's text;
    its seed's name sorts after the others', as a numbered or dated name does (one sorted in
    among them renumbers the articles after it: see README, Speed)."""
    text = (seeds / "0005_bench.txt").read_text(encoding="utf-8")
    (seeds / "new_bench.txt").write_text(text, encoding="utf-8")
    (seeds / "new_bench.yaml").write_text("slug: bench-new\ndate: 2025-12-31\nsource: 基准语料\n", encoding="utf-8")
    (plain / "new.md").write_text((plain / "0005.md").read_text(encoding="utf-8"), encoding="utf-8")


def size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def search_bytes(site: Path, queries: tuple[str, ...]) -> dict[str, int]:
    """Bytes of search data each query makes the search page load, in Chromium from file://.

    Each query runs on a fresh page; what the page loads before the query (itself, the
    stylesheet and reader.js) is not counted."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    found: dict[str, int] = {}
    page_url = (site / "search.html").as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        for query in queries:
            page = browser.new_page()
            page.goto(page_url)
            page.wait_for_load_state("load")
            loaded: list[str] = []
            page.on("request", lambda request: loaded.append(request.url))
            page.fill("#q", query)
            page.press("#q", "Enter")
            page.wait_for_selector("#results .result-count", timeout=600_000)
            page.wait_for_timeout(200)
            total = 0
            for url in dict.fromkeys(loaded):
                if url.startswith("file://"):
                    from urllib.parse import unquote, urlparse
                    total += size(Path(unquote(urlparse(url).path)))
            found[query] = total
            page.close()
        browser.close()
    return found


def run_case(n: int, keep: bool) -> Case:
    """Every measure of one size, alternating this project and the bare loop."""
    folder = OUT / f"scale-{n}"
    project, plain = make_corpora(n, folder)
    bare_out = folder / "bare-out"
    ours_cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "-q"]
    bare_cmd = [sys.executable, str(BENCH / "ref_pipeline.py"), str(plain), str(bare_out), "--jobs", "2"]
    case = Case(n)
    time.sleep(2.1)   # seeds are written well before a build in real use (a file changed within 2 s is read again)
    stages_cmd = [c for c in ours_cmd if c != "-q"]
    case.ours["full"], output = timed(stages_cmd)
    case.stages = ["full: " + line for line in output.splitlines() if re.match(r"^\w+\s+.*\d s$", line)]
    case.bare["full"], _ = timed(bare_cmd)
    case.ours["nochange"], _ = timed(ours_cmd)
    case.bare["nochange"], _ = timed(bare_cmd + ["--incremental"])
    edit(project / "seeds" / "0007_bench.txt")
    time.sleep(0.01)   # the bare loop compares modification times
    edit(plain / "articles" / "0007.md")
    case.ours["oneseed"], output = timed(stages_cmd)
    case.stages += ["one seed: " + line for line in output.splitlines() if re.match(r"^\w+\s+.*\d s$", line)]
    case.bare["oneseed"], _ = timed(bare_cmd + ["--incremental"])
    remove_paragraph(project / "seeds" / "0008_bench.txt")
    time.sleep(0.01)
    remove_paragraph(plain / "articles" / "0008.md")
    case.ours["paragraph"], output = timed(stages_cmd)
    case.stages += ["paragraph removed: " + line for line in output.splitlines() if re.match(r"^\w+\s+.*\d s$", line)]
    case.bare["paragraph"], _ = timed(bare_cmd + ["--incremental"])
    add_article(project / "seeds", plain / "articles", n)
    case.ours["new"], output = timed(stages_cmd)
    case.stages += ["new article: " + line for line in output.splitlines() if re.match(r"^\w+\s+.*\d s$", line)]
    case.bare["new"], _ = timed(bare_cmd + ["--incremental"])
    (archive,) = (project / "dist").glob("*.zip")
    case.sizes = {"site": size(project / "_site"), "zip": size(archive), "bare_site": size(bare_out),
                  "article_page": size(project / "_site" / "articles" / "bench-0001.html"),
                  "bare_article_page": size(bare_out / "hans" / "0001.html")}
    case.search = search_bytes(project / "_site", QUERIES)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return case


def mb(value: int) -> str:
    return f"{value / 1e6:.1f} MB"


def table(cases: list[Case]) -> str:
    """The figures as a Markdown table: this project, the bare loop, and their ratio."""
    head = "| same run, 2 cores | " + " | ".join(f"N = {c.n:,}" for c in cases) + " |"
    lines = [head, "|---|" + "---|" * len(cases)]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(c) for c in cases) + " |")

    for key, label in (("full", "full build"), ("oneseed", "one seed edited"), ("paragraph", "a paragraph removed"),
                       ("new", "a new article"), ("nochange", "nothing changed")):
        row(f"{label}, wall s (ours / bare)", lambda c, k=key: f"{c.ours[k].wall:.2f} / {c.bare[k].wall:.2f} "
            f"({c.ours[k].wall / max(c.bare[k].wall, 1e-9):.2f}×)")
        row(f"{label}, CPU s (ours / bare)", lambda c, k=key: f"{c.ours[k].cpu:.2f} / {c.bare[k].cpu:.2f} "
            f"({c.ours[k].cpu / max(c.bare[k].cpu, 1e-9):.2f}×)")
    row("one seed edited ÷ bare full build (CPU)", lambda c: f"{c.ours['oneseed'].cpu / max(c.bare['full'].cpu, 1e-9):.3f}×")
    row("peak memory, full build (ours / bare)", lambda c: f"{c.ours['full'].peak / 2**20:.0f} / {c.bare['full'].peak / 2**20:.0f} MB")
    row("site / zip (ours)", lambda c: f"{mb(c.sizes['site'])} / {mb(c.sizes['zip'])}")
    row("site (bare loop, no zip)", lambda c: mb(c.sizes["bare_site"]))
    row("article page bench-0001 (ours / bare)", lambda c: f"{c.sizes['article_page'] / 1024:.1f} / "
        f"{c.sizes['bare_article_page'] / 1024:.1f} KB")
    row("search bytes per query, largest (bare: none)",
        lambda c: (f"{max(c.search.values()) / 1024:.0f} KB ({max(c.search, key=c.search.get)})" if c.search else "—"))
    row("search bytes per query, median",
        lambda c: f"{sorted(c.search.values())[len(c.search) // 2] / 1024:.0f} KB" if c.search else "—")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--keep", action="store_true", help="keep the generated projects in benchmarks/out/")
    parser.add_argument("--json", type=Path, default=OUT / "scale.json", help="where to write the figures")
    args = parser.parse_args()
    if not (BENCH / "make_corpus.py").is_file():
        raise SystemExit(f"no {BENCH / 'make_corpus.py'}: the benchmark corpus tools live in ../shared/bench/")
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    for n in args.sizes:
        case = run_case(n, args.keep)
        cases.append(case)
        print(f"N = {n:,}: full {case.ours['full'].wall:.1f} s (bare {case.bare['full'].wall:.1f} s); "
              f"one seed {case.ours['oneseed'].wall:.2f} s; no change {case.ours['nochange'].wall:.2f} s", flush=True)
        for line in case.stages:
            print("    " + line, flush=True)
    print()
    print(table(cases))
    for case in cases:
        print(f"\nsearch bytes per query at N = {case.n:,}: " +
              ", ".join(f"{q} {b / 1024:.0f} KB" for q, b in case.search.items()))
    args.json.write_text(json.dumps([asdict(c) for c in cases], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
