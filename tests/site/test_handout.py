"""Handouts as built: one note numbering, the trainer's three choices, the QR code, print furniture."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno
import yaml
from bs4 import BeautifulSoup

from helpers import REPO

BASE_URL = yaml.safe_load((REPO / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]
HANDOUTS = [f"{folder}handouts/{slug}.html" for folder in ("", "zh-hant/") for slug in ("sige-dazhua", "gongye-da-tupo")]


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site / "_site"


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def marks(page: BeautifulSoup) -> list[tuple[str, int, bool]]:
    """Every note mark in the text, in reading order: (kind, number, later use)."""
    found = []
    for sup in page.select(".handout-body sup.nref"):
        kind = "fix" if "fix" in sup["class"] else "term"
        number = int((sup.select_one(".n-full") or sup.a).get_text())
        assert sup.a["href"] == f"#n{number}"
        found.append((kind, number, "later" in sup["class"]))
    return found


@pytest.mark.parametrize("path", HANDOUTS)
def test_one_numbering_for_term_notes_and_editors_notes(site: Path, path: str) -> None:
    page = soup(site, path)
    found = marks(page)
    firsts = [n for _, n, later in found if not later]
    # Numbers appear in reading order, each note marked first exactly once: 1, 2, 3, …
    assert firsts == list(range(1, len(firsts) + 1))
    kinds = {}
    for kind, number, _ in found:
        assert kinds.setdefault(number, kind) == kind, f"[{number}] means two things"
    assert "fix" in kinds.values() and "term" in kinds.values()
    notes = page.select(".hnote-list > li")
    assert [li["id"] for li in notes] == [f"n{n}" for n in range(1, len(notes) + 1)] and len(notes) == len(firsts)
    for li in notes:
        number = int(li["id"][1:])
        assert ("fix" if "fix" in li["class"] else "term") == kinds[number]
    # Printed alone, the editor's notes are numbered 1, 2, … on their own.
    alone = [int(s.get_text()) for s in page.select(".handout-body .nref.fix .n-text")]
    assert alone == list(range(1, len(alone) + 1))
    # No mark anywhere reuses the reader's footnote style, so no "[1]" can mean two things.
    assert not page.select(".footnote-ref, .footnotes")


def test_the_same_numbering_in_both_scripts(site: Path) -> None:
    assert marks(soup(site, "handouts/sige-dazhua.html")) == marks(soup(site, "zh-hant/handouts/sige-dazhua.html"))


@pytest.mark.parametrize("path", HANDOUTS)
def test_three_choices_and_every_term_of_the_article_noted(site: Path, path: str) -> None:
    page = soup(site, path)
    assert [i["value"] for i in page.select(".handout-controls input[name=notes]")] == ["first", "all", "text"]
    assert page.select_one("#notes-first").has_attr("checked")
    article = soup(site, path.replace("handouts/", "articles/"))
    terms = list(dict.fromkeys(a["data-term"] for a in article.select("a.term")))
    assert [li.select_one(".hterm").get_text() for li in page.select(".hnote.term")] == \
           [article.select_one(f'a.term.primary[data-term="{t}"] + .tip b').get_text() for t in terms]
    assert len([m for m in marks(page) if m[0] == "term" and not m[2]]) == len(terms)
    assert not page.select("[data-term]"), "handouts carry no tooltips, so no data-term"


@pytest.mark.parametrize("path", HANDOUTS)
def test_qr_code_running_title_and_source_line(site: Path, path: str) -> None:
    page = soup(site, path)
    article = path.replace("handouts/", "articles/")
    url = BASE_URL + article
    svg = page.select_one("svg.qr")
    assert url in svg.title.get_text()
    expected = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, title=svg.title.get_text(), svgclass="qr")
    assert str(svg).replace(" ", "") == BeautifulSoup(expected, "html.parser").svg.decode().replace(" ", "")
    assert page.select_one(".online .url").get_text() == url
    style = page.select_one("head style").get_text()
    title = page.select_one("h1").get_text()
    assert re.search(r'@top-left \{ content: "' + re.escape(title) + '"', style)
    assert "@bottom-left" in style and page.select_one(".source-line").get_text(strip=True)
