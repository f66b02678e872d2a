"""Benchmark the build on very long text: a 2 MB paragraph, a seed at the size cap, a 20 MB seed.

Run:  python3 benchmarks/longtext.py                 # every case
      python3 benchmarks/longtext.py --cases para    # the 2 MB paragraph only
Each case is a copy of this project's site_src/ (glossary, conversion, site.yaml) with one seed
made of the real seeds' sentences: "para" joins them into a single paragraph of about 2 MB,
"seed" into ordinary paragraphs up to just under the seed size cap (MAX_SEED_BYTES), "over"
into a 20 MB seed, which the build must refuse in one line without reading it. Prints wall
time, CPU time and peak memory (largest resident set of the build or one of its workers) of a
clean build of each.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from policyreader.sources.seeds import MAX_SEED_BYTES  # noqa: E402  (the checkout's own cap)

MB = 1024 * 1024
LABELS = {"para": "one 2 MB paragraph", "seed": "one seed at the size cap", "over": "one 20 MB seed (refused)"}


def sentences() -> list[str]:
    """The real seeds' sentences that end in a full stop, without headings or lists."""
    found: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.endswith("。") and not line.startswith(("#", "—", "嘉宾")):
                found.extend(s + "。" for s in line.split("。") if s)
    return found


def make_project(target: Path, case: str, rng: random.Random) -> None:
    """A project with this one's site_src/ and one long seed."""
    shutil.copytree(ROOT / "site_src", target / "site_src", ignore=shutil.ignore_patterns("articles"))
    (target / "site_src" / "articles").mkdir()
    seeds = target / "seeds"
    seeds.mkdir()
    pool = sentences()
    parts: list[str] = []
    size = 0
    goal = {"para": 2 * MB, "seed": MAX_SEED_BYTES - 64 * 1024, "over": 20 * MB}[case]
    paragraph: list[str] = []
    while size < goal:
        sentence = rng.choice(pool)
        paragraph.append(sentence)
        size += len(sentence.encode("utf-8"))
        if case != "para" and len(paragraph) >= rng.randint(3, 8):
            parts.append("".join(paragraph))
            paragraph = []
    if paragraph:
        parts.append("".join(paragraph))
    title = "长段落测试" if case == "para" else "长文测试"
    (seeds / "long.txt").write_text(f"# {title}\n\n" + "\n\n".join(parts) + "\n", encoding="utf-8")
    (seeds / "long.yaml").write_text(
        f"slug: long\ntitle: {title}\ndate: 2026-01-01\nsource: 测试\n", encoding="utf-8")


# Runs the build as its only child and reports that child's peak: the benchmark's own
# RUSAGE_CHILDREN would carry the largest build of any earlier case.
PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "sys.stderr.write(f'\\nPEAK {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'); sys.exit(done.returncode)")


def measure(project: Path) -> tuple[float, float, float, int]:
    """Wall and CPU seconds, peak resident MB (the build or its largest worker) and exit status
    of one clean build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, sys.executable, str(ROOT / "build.py"), "--root", str(project)],
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    peak = int(lines[-1].split()[1]) / 1024 if lines and lines[-1].startswith("PEAK ") else float("nan")
    if done.returncode:
        print("  " + "".join(lines[-2:-1]))
    return wall, cpu, peak, done.returncode


def main() -> None:
    """Build each case once and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(LABELS), choices=list(LABELS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    print(f"{'case':<30}{'seed size':>10}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}{'exit':>6}")
    for case in args.cases:
        project = Path(tempfile.mkdtemp(prefix=f"longtext-{case}-"))
        make_project(project, case, random.Random(20261130))
        size = (project / "seeds" / "long.txt").stat().st_size / MB
        wall, cpu, peak, status = measure(project)
        label = LABELS[case]
        print(f"{label:<30}{size:>8.1f}MB{wall:>9.1f}{cpu:>9.1f}{peak:>9.0f}{status:>6}")
        if args.keep:
            print(f"  kept {project}")
        else:
            shutil.rmtree(project)


if __name__ == "__main__":
    main()
