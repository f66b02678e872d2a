"""Marking on the real seeds: every occurrence of every entry is marked, entry by entry."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from policyreader.markdown.parser import make_parser, split_front_matter
from policyreader.sources.glossary import load_glossary
from policyreader.sources.seeds import apply_fixes, load_sidecar

from helpers import REPO, brute_force, run_build

MD = make_parser()
UNMARKED_SPANS = {"speaker", "date", "credit"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("marking")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    assert run_build(root, "ingest").returncode == 0
    return root


def split_text(body: str) -> tuple[list[str], list[str], Counter]:
    """(running text per paragraph, text never marked, term spans per id) of a Markdown body."""
    running, unmarked, spans = [], [], Counter()
    tokens = MD.parse(body)
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if tokens[index - 1].type == "heading_open":
            unmarked.append(token.content)
            continue
        text, stack = [], []
        for child in token.children:
            if child.type == "span_open":
                stack.append(child.attrGet("class") or "")
                if child.attrGet("term"):
                    spans[child.attrGet("term")] += 1
            elif child.type == "span_close":
                stack.pop()
            elif child.type == "text":
                (unmarked.append(child.content) if UNMARKED_SPANS & set(stack) else text.append(child.content))
        running.append("".join(text))
    return running, unmarked, spans


@pytest.mark.parametrize("stem, slug", [("000_c77db80417356711", "sige-dazhua"), ("003_c2d4cca183c9bd68", "gongye-da-tupo")])
def test_every_occurrence_of_every_entry_is_marked(built: Path, stem: str, slug: str) -> None:
    glossary = load_glossary(built / "site_src" / "glossary.yaml", "g")
    forms = {form: e.id for e in glossary.entries for form in e.forms}
    meta, body, _ = split_front_matter((built / "site_src/articles" / f"{slug}.md").read_text(encoding="utf-8"), slug)
    running, unmarked, spans = split_text(body)
    # 1. In running text, the marks are exactly what leftmost-longest matching finds.
    in_text = Counter(i for paragraph in running for _, _, i in brute_force(paragraph, forms))
    assert spans == in_text
    # 2. Against the seed: every occurrence is either marked or stands where marks never go
    #    (headings, speaker labels, dates, credits, and metadata such as guest positions).
    unmarked += [p["position"] or "" for p in meta.get("participants", [])]
    unmarked += [x["text"] for x in meta.get("leftovers", [])]
    unmarked += [b["text"] for piece in meta["pieces"] for b in piece.get("bylines", [])]
    elsewhere = Counter(i for text in unmarked for _, _, i in brute_force(text, forms))
    seed = (built / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    fixed, _ = apply_fixes(seed, load_sidecar(built / "seeds" / f"{stem}.yaml", "s").fixes, "s")
    in_seed = Counter(i for block in re.split(r"\n\s*\n", fixed)
                      for _, _, i in brute_force(re.sub(r"\s+|\*\*|^#+|●", "", block), forms))
    joined = Counter(i for paragraph in running for _, _, i in brute_force(paragraph, forms))
    differences = {e.id: (in_seed[e.id], spans[e.id], elsewhere[e.id]) for e in glossary.entries
                   if in_seed[e.id] != spans[e.id] + elsewhere[e.id]}
    assert differences == {}, "entry: (in seed, marked, in headings/labels/metadata)"
    assert sum(spans.values()) > 50
    assert meta["terms"] == dict(sorted(spans.items()))
    assert joined == spans


def test_terms_off_leaves_a_term_plain_in_one_article(built: Path) -> None:
    sidecar = built / "seeds" / "003_c2d4cca183c9bd68.yaml"
    original = sidecar.read_text(encoding="utf-8")
    try:
        sidecar.write_text(original + "terms_off: [yacangshi]\n", encoding="utf-8")
        assert run_build(built, "ingest").returncode == 0
        text = (built / "site_src/articles/gongye-da-tupo.md").read_text(encoding="utf-8")
        assert "term=yacangshi" not in text and "压舱石" in text
        assert "term=yacangshi" in (built / "site_src/articles/sige-dazhua.md").read_text(encoding="utf-8") or \
            "压舱石" not in (built / "seeds/000_c77db80417356711.txt").read_text(encoding="utf-8")
        sidecar.write_text(original + "terms_off: [nope]\n", encoding="utf-8")
        result = run_build(built, "ingest")
        assert result.returncode == 1 and "terms_off names 'nope'" in result.stderr
    finally:
        sidecar.write_text(original, encoding="utf-8")
        run_build(built, "ingest", "--force")
