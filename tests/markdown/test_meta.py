"""The front matter typed once (ArticleMeta): what the pages read, and one line when it is broken."""
from __future__ import annotations

import datetime as dt

import pytest

from helpers import REPO
from policyreader.errors import BuildError
from policyreader.markdown.meta import read_meta
from policyreader.markdown.parser import split_front_matter


def front_matter(slug: str) -> dict:
    path = REPO / "site_src" / "articles" / f"{slug}.md"
    return split_front_matter(path.read_text(encoding="utf-8"), path.name)[0]


def test_a_generated_article_reads_as_typed_metadata() -> None:
    meta = read_meta(front_matter("sige-dazhua"), "sige-dazhua.md")
    assert meta.title == "以“四个大抓”培育壮大高质量发展内生动力" and meta.slug == "sige-dazhua"
    assert meta.date == dt.date(2026, 1, 20) and meta.source == "贵州日报" and meta.truncated
    roundtable = next(p for p in meta.pieces if p.kind == "roundtable")
    guests = [p for p in meta.participants if p.position]
    assert roundtable.id and guests and all(g.role == "嘉宾" for g in guests)
    assert any(b.text == "贵州日报理论周刊编辑部" for p in meta.pieces for b in p.bylines)


@pytest.mark.parametrize("damage, reason", [
    (lambda m: m.pop("pieces"), "lacks title, slug or pieces"),
    (lambda m: m.update(pieces="lead"), "lacks title, slug or pieces"),
    (lambda m: m["pieces"][0].pop("id"), "a piece, byline or participant is malformed"),
    (lambda m: m.update(participants=[{"id": "x"}]), "a piece, byline or participant is malformed"),
])
def test_broken_front_matter_is_one_line_naming_the_file(damage, reason: str) -> None:
    meta = front_matter("gongye-da-tupo")
    damage(meta)
    with pytest.raises(BuildError) as error:
        read_meta(meta, "site_src/articles/gongye-da-tupo.md")
    assert str(error.value).startswith("site_src/articles/gongye-da-tupo.md:2: error: front matter")
    assert reason in str(error.value)
