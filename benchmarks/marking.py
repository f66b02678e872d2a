"""Benchmark glossary marking: throughput over both seeds with a 5,000-entry synthetic glossary.

Run: python3 benchmarks/marking.py [--entries 5000] [--repeat 50]
Prints the automaton build time and marking throughput for the real glossary and for the
real glossary plus synthetic entries drawn from the seeds' own characters (so many match).
"""
from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyreader.sources.config import load_config  # noqa: E402
from policyreader.errors import Report  # noqa: E402
from policyreader.sources.glossary import load_glossary  # noqa: E402
from policyreader.text.matcher import Matcher  # noqa: E402
from policyreader.ingest.assemble import assemble  # noqa: E402
from policyreader.ingest.marking import mark_document  # noqa: E402
from policyreader.sources.seeds import find_seeds, read_seed  # noqa: E402


def synthetic_forms(text: str, count: int, rng: random.Random) -> dict[str, str]:
    """Forms of 2–8 characters cut from the seed text (so they occur) or shuffled (so they don't)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    forms: dict[str, str] = {}
    while len(forms) < count:
        length = rng.randint(2, 8)
        if rng.random() < 0.5:
            start = rng.randrange(len(han) - length)
            form = "".join(han[start:start + length])
        else:
            form = "".join(rng.choice(han) for _ in range(length))
        forms.setdefault(form, f"synthetic-{len(forms)}")
    return forms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    config = load_config(ROOT)
    report = Report()
    seeds = [read_seed(p, config, report) for p in find_seeds(config)]
    documents = [assemble(s, report) for s in seeds]
    chars = sum(len(s.text) for s in seeds)
    glossary = load_glossary(config.glossary_path, "glossary", cache=ROOT / ".cache")
    real = {form: e.id for e in glossary.entries for form in e.forms}
    synthetic = {**synthetic_forms("".join(s.text for s in seeds), args.entries - len(real), random.Random(7)), **real}
    print(f"corpus: {len(seeds)} seeds, {chars:,} characters; repeat {args.repeat}×")
    # The glossary's own matcher adds the guards (not_in, word edges); the bare automaton shows their cost.
    for name, forms in (("real glossary, guarded", None), ("real glossary, bare", real),
                        (f"{len(synthetic):,}-entry synthetic", synthetic)):
        started = time.perf_counter()
        matcher = glossary.matcher() if forms is None else Matcher(forms)
        forms = forms if forms is not None else real
        build_ms = (time.perf_counter() - started) * 1000
        copies = [copy.deepcopy(d) for _ in range(args.repeat) for d in documents]
        marks = Counter()
        started = time.perf_counter()
        for document in copies:
            marks = mark_document(document, matcher)
        seconds = max(time.perf_counter() - started, 1e-9)
        rate = chars * args.repeat / seconds
        print(f"{name:>24}: {len(forms):>6,} forms, automaton built in {build_ms:7.1f} ms, "
              f"marking {rate / 1e6:6.2f} M chars/s ({seconds / args.repeat * 1000:6.2f} ms per pass over both seeds), "
              f"{sum(marks.values())} marks in the last article")


if __name__ == "__main__":
    main()
