"""Benchmark the whole build on a synthetic corpus remixed from the seeds' own paragraphs.

Run:  python3 benchmarks/build.py                    # N = 200 and 1,000; glossaries of 60 and 5,000
      python3 benchmarks/build.py --sizes 1000 --glossaries 60
Prints, per case: clean build wall time, ms per article, peak memory (PSS of the process tree),
the rebuild time after one seed changes, and the sizes of _site/, the zip and each search
index; writes the same figures to benchmarks/out/results.json. Every case builds both scripts
with every feature on (tooltips, back-references, search, zip).
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
from pathlib import Path

import yaml

from measure import run_measured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
CHARS_PER_ARTICLE = 2600


def seed_blocks() -> list[list[str]]:
    """Runs of blocks from the real seeds that keep their structure when moved: a turn with its
    continuation paragraphs, a caption, a dated item, a plain paragraph."""
    runs: list[list[str]] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if b.strip()]
        for block in blocks:
            if block.endswith(("。", "？", "摄")) and not block.startswith(("#", "嘉宾")):
                runs.append([block])
    return runs


def make_corpus(target: Path, count: int, rng: random.Random) -> None:
    """``count`` seeds of about 2,600 characters, with titles, sub-headings and a guest list."""
    runs = seed_blocks()
    seeds = target / "seeds"
    seeds.mkdir(parents=True)
    guests = "嘉宾：田蔚 贵州产业技术发展研究院科技成果转化部部长\n\n白明 贵州财经大学经济学院教授\n\n谢强 贵州省投资促进局局长\n\n蒋莉莉 贵州省社会科学院科研处处长"
    for number in range(count):
        parts = [f"# 第{number}期 以产业大突破推动高质量发展"]
        size = 0
        while size < CHARS_PER_ARTICLE:
            block = rng.choice(runs)[0]
            if rng.random() < 0.08:
                parts.append(rng.choice(["做实重大项目 做大产业规模", "延链补链强链 产业集群崛起", "突出创新驱动 发展量质齐升"]))
            parts.append(block)
            size += len(block)
        parts.append(guests)
        (seeds / f"s{number:05d}.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def make_glossary(target: Path, entries: int, rng: random.Random) -> None:
    """The real glossary cut to ``entries``, or grown to it with forms cut from the corpus."""
    glossary = yaml.safe_load((ROOT / "site_src" / "glossary.yaml").read_text(encoding="utf-8"))
    real = glossary["entries"]
    if entries <= len(real):
        kept = real[:entries]
        ids = {e["id"] for e in kept}
        for entry in kept:
            entry["related"] = [r for r in entry.get("related", []) if r in ids]
        glossary["entries"] = kept
    else:
        taken = {f for e in real for f in [e["term"], *e.get("aliases", [])]}
        text = "".join(p.read_text(encoding="utf-8") for p in sorted((target / "seeds").glob("*.txt"))[:50])
        han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
        while len(glossary["entries"]) < entries:
            length = rng.randint(3, 7)
            start = rng.randrange(len(han) - length)
            # A large glossary is mostly terms a given article does not use: 2 % of the forms
            # are cut from the corpus (so they occur), the rest are made of its characters.
            form = "".join(han[start:start + length]) if rng.random() < 0.02 else "".join(rng.choice(han) for _ in range(length))
            if form in taken:
                continue
            taken.add(form)
            n = len(glossary["entries"])
            glossary["entries"].append({"id": f"synthetic-{n}", "term": form, "pinyin": "pinyin", "english": "synthetic entry",
                                        "definition": "基准测试用的合成词条。", "category": glossary["categories"][n % 6],
                                        "source": {"seed": "s00000.txt", "quote": "产业"}})
    (target / "site_src" / "glossary.yaml").write_text(yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False),
                                                       encoding="utf-8")


def project(count: int, entries: int) -> Path:
    """A fresh project folder with the code's templates and static files and a synthetic corpus."""
    target = OUT / f"n{count}-g{entries}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "site_src", target / "site_src", ignore=shutil.ignore_patterns("articles"))
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, target / folder)
    rng = random.Random(count * 7919 + entries)
    make_corpus(target, count, rng)
    make_glossary(target, entries, rng)
    return target


def timed_build(target: Path, *args: str) -> tuple[float, int, str]:
    """(wall seconds, peak memory of the process tree, stdout) of one ``build.py`` run."""
    done = run_measured([sys.executable, str(ROOT / "build.py"), "--root", str(target), *args],
                        {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}, stderr=subprocess.DEVNULL, every=0.25)
    if done.returncode != 0:
        raise SystemExit(f"build failed in {target}:\n{done.output}")
    return done.wall, done.peak, done.output


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def run_case(count: int, entries: int) -> dict:
    """Clean build, then a rebuild after one seed changes; sizes of what was built."""
    target = project(count, entries)
    characters = sum(len(p.read_text(encoding="utf-8")) for p in (target / "seeds").glob("*.txt"))
    clean, peak, output = timed_build(target, "--clean")
    seed = target / "seeds" / "s00007.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    rebuild, rebuild_peak, rebuild_output = timed_build(target)
    (archive,) = (target / "dist").glob("*.zip")
    return {
        "articles": count, "characters": characters, "glossary_entries": entries,
        "clean_build_s": round(clean, 3), "ms_per_article": round(clean * 1000 / count, 2),
        "peak_memory_mb": round(peak / 2**20, 1),
        "rebuild_one_seed_s": round(rebuild, 3), "rebuild_peak_memory_mb": round(rebuild_peak / 2**20, 1),
        "site_mb": round(size(target / "_site") / 1e6, 2), "zip_mb": round(size(archive) / 1e6, 2),
        "search_index_kb": {"zh-Hans": round(size(target / "_site" / "search") / 1024, 1),
                            "zh-Hant": round(size(target / "_site" / "zh-hant" / "search") / 1024, 1)},
        "stages_clean": [l for l in output.splitlines() if re.match(r"^\w+\s+.*\d s$", l)],
        "stages_rebuild": [l for l in rebuild_output.splitlines() if re.match(r"^\w+\s+.*\d s$", l)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--glossaries", type=int, nargs="+", default=[60, 5000])
    parser.add_argument("--keep", action="store_true", help="keep the generated projects in benchmarks/out/")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    print(f"{'articles':>8} {'glossary':>8} {'clean s':>8} {'ms/art':>7} {'peak MB':>8} {'rebuild s':>9} "
          f"{'site MB':>8} {'zip MB':>7} {'index KB (Hans/Hant)':>21}")
    for count in args.sizes:
        for entries in args.glossaries:
            r = run_case(count, entries)
            results.append(r)
            print(f"{r['articles']:>8} {r['glossary_entries']:>8} {r['clean_build_s']:>8.2f} {r['ms_per_article']:>7.2f} "
                  f"{r['peak_memory_mb']:>8.1f} {r['rebuild_one_seed_s']:>9.3f} {r['site_mb']:>8.1f} {r['zip_mb']:>7.2f} "
                  f"{r['search_index_kb']['zh-Hans']:>10.1f}/{r['search_index_kb']['zh-Hant']:<10.1f}", flush=True)
            for line in r["stages_clean"]:
                print("      clean   | " + line)
            for line in r["stages_rebuild"]:
                print("      rebuild | " + line)
            if not args.keep:
                shutil.rmtree(OUT / f"n{count}-g{entries}", ignore_errors=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
