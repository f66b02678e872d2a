"""Search from shards loaded by query finds exactly what it finds with the whole index at hand,
in real Chromium from file://, and only ever finds paragraphs that hold the query."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import copy_project, run_build
from policyreader.site.search import bucket_of, decode_mask, encode_mask, read_script_file

QUERIES = ["富矿精开", "富礦精開", "工业", "发展", "产业大突破", "贵人智助", "算力", "2025", "产", "没有这个词语",
           "fukuang"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The project with 24 more articles (more than one page of results), built."""
    root = copy_project(tmp_path_factory.mktemp("shards") / "project", extra_seeds=24)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "_site"


def whole_index(site: Path, folder: str) -> str:
    """Every index file one script's search page can load, as one script."""
    files = sorted((site / folder / "search").rglob("*.js")) + sorted((site / "search" / "p").glob("*.js"))
    return "".join(dict.fromkeys(p.read_text(encoding="utf-8") for p in files))


def answers(page, page_url: str, query: str) -> list[str]:
    """The results the page shows for a query: the first page, then after "more" once."""
    page.goto(f"{page_url}?q={query}")
    page.wait_for_selector("#results .result-count")
    shown = [page.inner_html("#results")]
    if page.locator(".search-more").count():
        checked = page.inner_text(".result-count")
        page.click(".search-more")
        page.wait_for_function("c => document.querySelector('.result-count').textContent !== c || "
                               "!document.querySelector('.search-more')", arg=checked)
        shown.append(page.inner_html("#results"))
    return shown


def search_page(context, search_files: list[str]):
    """One tab for every query (each a new load of the search page), noting the index files it asks for."""
    page = context.new_page()
    page.on("request", lambda request: search_files.append(request.url) if "/search/" in request.url else None)
    return page


@pytest.mark.browser
def test_shards_give_the_same_results_as_the_whole_index(site: Path, context_factory) -> None:
    for folder in ("", "zh-hant"):
        page_url = (site / folder / "search.html").as_uri()
        whole_context = context_factory()
        whole_context.add_init_script(whole_index(site, folder))
        loaded_sharded: list[str] = []
        loaded_whole: list[str] = []
        sharded, whole = search_page(context_factory(), loaded_sharded), search_page(whole_context, loaded_whole)
        for query in QUERIES:
            before = len(loaded_sharded)
            from_shards = answers(sharded, page_url, query)
            assert from_shards == answers(whole, page_url, query), (folder, query)
            assert "result-count" in from_shards[0]
            # A query loads the meta file, its tokens' postings, the definitions of the terms it
            # names and the texts of the articles it shows: ten a page, never every article's
            # (the bytes a query loads at 10,000 articles are measured by benchmarks/scale.py).
            loaded = [u.split("/search/")[1] for u in loaded_sharded[before:]]
            texts = [u for u in loaded if u.startswith("t/")]
            assert "meta.js" in loaded and len(texts) <= 10 * len(from_shards), (query, loaded)
        assert loaded_whole == []   # everything was at hand: nothing was requested
        assert sum("/search/t/" in u for u in loaded_sharded) > 0


def shown_paragraphs(html: str) -> list[tuple[str, str]]:
    """(article, ¶ anchor) of every paragraph a results list links."""
    return re.findall(r'href="articles/([^"#]+)\.html#(p\d+)"', html)


@pytest.mark.browser
def test_every_result_holds_the_query_and_a_small_query_finds_every_article(site: Path, context_factory) -> None:
    texts: dict[str, dict[str, str]] = {}
    for path in (site / "search" / "t").glob("*.js"):
        url, _, paragraphs = read_script_file(path.read_bytes())
        texts[url[len("articles/"):-len(".html")]] = dict(paragraphs)
    page = search_page(context_factory(), [])
    rare = next(text[4:12] for text in texts["gongye-da-tupo"].values()
                if len(text) > 20 and sum(text[4:12] in t for p in texts.values() for t in p.values()) <= 3)
    for query in ("贵人智助", rare, "发展"):
        pages = answers(page, (site / "search.html").as_uri(), query)
        found = [pair for html in pages for pair in shown_paragraphs(html)]
        assert found and all(query in texts[slug][anchor] for slug, anchor in found), query
        holding = {slug for slug, paragraphs in texts.items() if any(query in t for t in paragraphs.values())}
        if len(holding) <= 10:   # one page of candidates: every article holding it is shown
            assert {slug for slug, _ in found} == holding, query


def test_postings_round_trip_and_buckets_match_the_browsers_hash() -> None:
    for mask in (1, 0b1011, 1 << 700, (1 << 64) - 1, int("1" * 30 + "0" * 500 + "1", 2), sum(1 << i for i in range(0, 9000, 3))):
        text = encode_mask(mask)
        assert decode_mask(text) == mask
        assert text.startswith("~") == (mask.bit_count() * 3 > 4 * (((mask.bit_length() + 7) // 8 + 2) // 3))
    # FNV-1a over UTF-16 units, as reader.js computes it (reference values from the algorithm).
    assert bucket_of("", 1 << 32) == 0x811C9DC5
    assert bucket_of("a", 1 << 32) == 0xE40C292C
    assert 0 <= bucket_of("富矿", 64) < 64 and bucket_of("富矿", 64) == bucket_of("富矿", 128) % 64


def test_the_index_files_are_small_and_every_token_lives_in_its_bucket(site: Path) -> None:
    meta = read_script_file((site / "search" / "meta.js").read_bytes())
    assert meta["n"] == 26 and len(meta["order"]) == 26 * meta["width"]
    for path in (site / "search" / "p").glob("*.js"):
        bucket = int(path.stem)
        for token in read_script_file(path.read_bytes()):
            assert bucket_of(token, meta["postings"]) == bucket
    # What a query loads: the meta file (the glossary's terms, the normalisation table) and a
    # few small files; none grows with the whole site's text.
    assert (site / "search" / "meta.js").stat().st_size < 128_000
    assert all(p.stat().st_size < 32_000 for p in (site / "search").rglob("*/*.js"))
    assert (site / "zh-hant" / "search" / "meta.js").is_file() and not (site / "zh-hant" / "search" / "p").exists()
