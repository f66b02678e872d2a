"""Ingest on texts it was not fitted to: a policy document, a news page of two pieces with the
second's headline and byline dropped inside the first's column break, an interview in 问/答
turns, a commentary. Each fixture's expectation (tests/fixtures/ingest/NAME.expected.yaml) was
written from the original document, paragraph by paragraph; the published pages are checked
against it in both scripts, through the real build, OpenCC and markdown-it-py."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.sources.config import load_config
from policyreader.variants.factory import converter_for

from fixture_reading import (NAMES, article_of, build_fixtures, expected, expected_pieces, expected_texts, markdown_pieces,
                      measure, page_texts, squeeze)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every fixture built once, in full (Markdown, both scripts' pages)."""
    return build_fixtures(tmp_path_factory.mktemp("fixtures") / "project")


@pytest.mark.parametrize("name", NAMES)
def test_title_pieces_and_bylines(built: Path, name: str) -> None:
    meta, body = article_of(built, name)
    assert meta["title"] == expected(name)["title"]
    got, want = markdown_pieces(meta, body), expected_pieces(name)
    assert [(p.kind, p.title, sorted(p.bylines)) for p in got] == [(p.kind, p.title, sorted(p.bylines)) for p in want]


@pytest.mark.parametrize("name", NAMES)
def test_blocks_paragraph_by_paragraph(built: Path, name: str) -> None:
    meta, body = article_of(built, name)
    got, want = markdown_pieces(meta, body), expected_pieces(name)
    for got_piece, want_piece in zip(got, want):
        got_blocks = [(b.kind, [squeeze(t) for t in b.texts], b.anchor) for b in got_piece.blocks]
        want_blocks = [(b.kind, [squeeze(t) for t in b.texts], b.anchor) for b in want_piece.blocks]
        assert got_blocks == want_blocks


@pytest.mark.parametrize("name", NAMES)
def test_pages_in_both_scripts(built: Path, name: str) -> None:
    meta, _ = article_of(built, name)
    config = load_config(built)
    texts = expected_texts(expected_pieces(name))
    for variant in config.variants:
        converter = converter_for(variant, {}, built / ".cache")
        want = [squeeze(converter.convert(t)) for t in texts]
        assert page_texts(built, meta["slug"], variant.folder) == want, variant.lang


@pytest.mark.parametrize("name", NAMES)
def test_measures(built: Path, name: str) -> None:
    meta, body = article_of(built, name)
    m = measure(name, markdown_pieces(meta, body), meta)
    assert (m.whole, m.lost, m.doubled, m.false_truncations, m.wrong_byline) == (m.paragraphs, 0, 0, 0, 0)


def test_every_decision_is_listed_with_its_seed_lines(built: Path) -> None:
    meta, _ = article_of(built, "news-page")
    breaks = meta["column_breaks"]
    assert [(b["line"], b["continued_at"], b.get("skipped")) for b in breaks] == [(17, 23, [19, 21])]
    report, second = meta["pieces"][0], meta["pieces"][1]
    assert second["body_from"] == 29 and second["title"] == "抢抓晴好天气 确保颗粒归仓"
    assert report["bylines"][0]["role"] == "dateline"
    meta, _ = article_of(built, "policy")
    assert meta["pieces"][0]["title_lines"] == [1, 2]
    assert "truncated" not in meta
