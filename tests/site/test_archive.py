"""The home page lists the newest articles and the months; each month's page lists its articles,
so no listing grows with the site, and every article is on exactly one month's page."""
from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import copy_built, copy_project, link_problems, run_build
from policyreader.site.pages import HOME_ARTICLES

MONTHS = [dt.date(2024, m, 1) for m in (1, 2, 3, 5, 8, 11)] + [dt.date(2025, 1, 1)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seeds and 40 short articles spread over seven months (some sharing a day), and two
    without a date; seed names in random order, so the order is the dates', not the names'."""
    root = copy_project(tmp_path_factory.mktemp("archive") / "project")
    rng = random.Random(7)
    numbers = rng.sample(range(100, 999), 42)
    for n, number in enumerate(numbers):
        seed = root / "seeds" / f"{number}_short"
        seed.with_suffix(".txt").write_text(f"# 短评之{n}\n\n推动高质量发展，第{n}个要点是把任务落到实处。\n", encoding="utf-8")
        date = f"date: {MONTHS[n % len(MONTHS)].replace(day=1 + n % 3)}\n" if n < 40 else ""
        seed.with_suffix(".yaml").write_text(f"slug: short-{n}\n{date}source: 测试\n", encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "_site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(page: BeautifulSoup) -> list[str]:
    return [li["data-slug"] for li in page.select("ol.article-list > li")]


def site_order(site: Path) -> list[tuple[str, str]]:
    """Every article (slug, ISO date or "") newest first, the date as its front matter gives it."""
    found = []
    for path in (site.parent / "site_src" / "articles").glob("*.md"):
        date = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]).get("date")
        found.append((path.stem, date.isoformat() if date else ""))
    return sorted(found, key=lambda item: (item[1], item[0]), reverse=True)


def month_page(date: str) -> str:
    """The page of the month of an ISO date ("": no date)."""
    return f"archive/{date[:7]}.html" if date else "archive/undated.html"


@pytest.mark.parametrize("folder", ["", "zh-hant"])
def test_home_lists_the_newest_articles_and_every_month(site: Path, folder: str) -> None:
    home = soup(site / folder / "index.html")
    order = site_order(site)
    assert len(order) > HOME_ARTICLES + 10
    assert listed(home) == [slug for slug, _ in order[:HOME_ARTICLES]]
    months = [(a["href"], a.parent.text) for a in home.select(".archive-months li a")]
    counts = Counter(month_page(date) for _, date in order)   # in the order of first appearance: newest first
    assert [href for href, _ in months] == list(counts)
    assert [int(text.rsplit("（", 1)[1].rstrip("）")) for _, text in months] == list(counts.values())
    assert months[-1][1].startswith("刊发日期不详" if not folder else "刊發日期不詳")


@pytest.mark.parametrize("folder", ["", "zh-hant"])
def test_every_article_is_on_its_months_page_once_in_site_order_and_the_months_are_chained(site: Path, folder: str) -> None:
    order = site_order(site)
    pages = sorted((site / folder / "archive").glob("*.html"), key=lambda p: (p.stem != "undated", p.stem), reverse=True)
    seen = []
    for at, path in enumerate(pages):
        page = soup(path)
        slugs = listed(page)
        seen += slugs
        assert all(month_page(date) == f"archive/{path.name}" for slug, date in order if slug in slugs)
        chain = page.select_one("ol.article-list")
        assert chain.get("data-newer") == (f"{pages[at - 1].name}" if at else None)
        assert chain.get("data-older") == (f"{pages[at + 1].name}" if at + 1 < len(pages) else None)
    assert seen == [slug for slug, _ in order]
    for slug, date in order:   # an article's 上一篇/下一篇 land on its own line of its month's list
        pager = soup(site / folder / "articles" / f"{slug}.html").select_one(".pager-prev")["href"]
        assert pager == f"../{month_page(date)}#before-{slug}"


def test_no_listing_links_a_page_that_is_not_there(site: Path) -> None:
    base_url = yaml.safe_load((site.parent / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]
    problems, checked = link_problems(site, base_url)
    assert problems == [] and checked > 0


def test_a_changed_card_remakes_its_months_page_and_no_other_listing(site: Path, tmp_path: Path) -> None:
    """An old article's new title is on its month's page only: the home page and the other
    months' pages stay as they were (a listing is made from the articles it shows)."""
    project = copy_built(site.parent, tmp_path / "project")
    listings = lambda: {p.relative_to(project).as_posix(): p.read_bytes()   # noqa: E731
                        for p in [*project.glob("_site/**/index.html"), *project.glob("_site/**/archive/*.html"),
                                  *project.glob("_site/sitemap*.xml")]}
    before = listings()
    slug, date = next(item for item in reversed(site_order(site)) if item[1])   # the oldest dated article
    sidecar = next(p for p in (project / "seeds").glob("*.yaml") if f"slug: {slug}\n" in p.read_text(encoding="utf-8"))
    seed = sidecar.with_suffix(".txt")
    seed.write_text(seed.read_text(encoding="utf-8").replace("\n", "（修订）\n", 1), encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    after = listings()
    assert sorted(after) == sorted(before)
    assert sorted(p for p in after if after[p] != before[p]) == [f"_site/{folder}archive/{date[:7]}.html"
                                                                for folder in ("", "zh-hant/")]
    assert "（修订）" in (project / "_site" / "archive" / f"{date[:7]}.html").read_text(encoding="utf-8")


def test_the_site_study_kit_asks_each_term_of_the_newest_article_with_a_fill_in_for_it(site: Path) -> None:
    """The kit reads only the newest articles and, per term, the newest article that has a
    fill-in for it: each item it asks is that article's, read here from every article's own
    study page; it lists the newest articles' study pages and counts the others."""
    order = [slug for slug, _ in site_order(site)]
    own = {slug: {li["data-id"] for li in soup(site / "study" / f"{slug}.html").select("ol.blanks > li")} for slug in order}
    kit = soup(site / "study.html")
    asked = {li["data-id"]: li.select_one("a.source")["href"] for li in kit.select("ol.blanks > li")}
    expected = {term: next(slug for slug in order if term in own[slug]) for term in set().union(*own.values())}
    assert {term: href.split("/")[-1].split(".html")[0] for term, href in asked.items()} == expected
    assert any(order.index(slug) >= HOME_ARTICLES for slug in expected.values())   # some come from old articles
    assert [a["href"] for a in kit.select(".study-articles li a")] == [f"study/{slug}.html" for slug in order[:HOME_ARTICLES]]
    assert f"{len(order) - HOME_ARTICLES}" in kit.select_one(".study-older").text


def test_the_sitemaps_list_every_page_once_a_month_each(site: Path) -> None:
    """sitemap.xml indexes one sitemap of the pages no month holds and one per month (its page
    and its articles): together every listing, article and term page, in both scripts, once."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    base_url = yaml.safe_load((site.parent / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]
    index = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert index.tag == "{%s}sitemapindex" % ns["s"]
    parts = [loc.text[len(base_url):] for loc in index.findall("s:sitemap/s:loc", ns)]
    order = site_order(site)
    months = list(dict.fromkeys(month_page(date) for _, date in order))
    assert parts == ["sitemap-site.xml", *(f"sitemap-{m[len('archive/'):-len('.html')]}.xml" for m in months)]
    listed: list[str] = []
    for part in parts:
        urls = [loc.text[len(base_url):] for loc in ET.fromstring((site / part).read_bytes()).findall("s:url/s:loc", ns)]
        if part != "sitemap-site.xml":   # a month's sitemap: its page and its articles, nothing else
            month = f"archive/{part[len('sitemap-'):-len('.xml')]}.html"
            assert {u.removeprefix("zh-hant/") for u in urls} == {month} | {f"articles/{slug}.html" for slug, date in order
                                                                           if month_page(date) == month}
        listed += urls
    expected = {f"{folder}{key}" for folder in ("", "zh-hant/") for key in
                ["index.html", "glossary.html", *months, *(f"articles/{slug}.html" for slug, _ in order),
                 *(p.relative_to(site).as_posix() for p in (site / "terms").glob("*.html") if p.name.count(".") == 1)]}
    assert sorted(listed) == sorted(expected)
