"""Term pages stay light as the site grows: a batch of articles a page, a bounded quote of each,
every use reachable, in both scripts."""
from __future__ import annotations

import dataclasses
import random
import re
import shutil
import weakref
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, strategies as st

from helpers import REPO, copy_built, copy_project, link_problems, run_build
from policyreader.site import urls
from policyreader.site.pages import (TERM_ARTICLE_SENTENCES, TERM_PAGE_ARTICLES, ArticleRenderer, SitePages, TermUsers,
                                     page_batch, page_of, page_order, term_page_count, term_page_keys,
                                     term_pages_streamed)
from policyreader.sources.config import load_config
from policyreader.sources.glossary import load_glossary
from policyreader.variants.factory import converters_for, override_tables

TERM = "gaozhiliang-fazhan"
BASE_URL = yaml.safe_load((REPO / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seeds, 4 more articles, 60 short ones on 高质量发展 (so it has three pages), and an
    older article that uses it in 30 paragraphs."""
    root = copy_project(tmp_path_factory.mktemp("terms") / "project", extra_seeds=4)
    for n in range(1, 61):
        (root / "seeds" / f"8{n:02d}_short.txt").write_text(
            f"# 短评之{n}\n\n推动高质量发展，第{n}个要点是把任务落到实处。\n", encoding="utf-8")
        (root / "seeds" / f"8{n:02d}_short.yaml").write_text(
            f"slug: short-{n}\ndate: 2024-{1 + n % 12:02d}-{1 + n % 28:02d}\nsource: 测试\n", encoding="utf-8")
    body = "\n\n".join(f"推动高质量发展，还要在这{n}个方面持续用力，久久为功，确保各项任务落到实处。"
                       for n in range(1, 31))
    (root / "seeds" / "900_many.txt").write_text(f"# 高质量发展三十条\n\n{body}\n", encoding="utf-8")
    (root / "seeds" / "900_many.yaml").write_text("slug: many-uses\ndate: 2023-02-01\nsource: 测试\n", encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "_site"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_as_a_clean_build(project: Path, clean: Path) -> None:
    """The project's site is byte for byte what a clean build of its inputs makes."""
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("_site", "dist", ".cache", "articles"))
    assert run_build(clean, "--clean").returncode == 0
    mine, theirs = tree(project / "_site"), tree(clean / "_site")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def users(site: Path, folder: str) -> set[str]:
    """The articles whose page links the term's page (each marks a term's first use)."""
    return {p.stem for p in (site / folder / "articles").glob("*.html")
            if f'href="../terms/{TERM}.html"' in p.read_text(encoding="utf-8")}


def pages_of(site: Path, folder: str) -> list[Path]:
    """The term's pages from the newest uses to the oldest: the first, then the others, numbered
    from the oldest (``TERM.2.html`` lists the oldest)."""
    first = site / folder / "terms" / f"{TERM}.html"
    return [first] + sorted((site / folder / "terms").glob(f"{TERM}.*.html"), key=lambda p: -int(p.name.split(".")[1]))


@pytest.mark.parametrize("folder", ["", "zh-hant"])
def test_every_article_using_a_term_is_on_exactly_one_of_its_pages_newest_first(site: Path, folder: str) -> None:
    using = users(site, folder)
    assert len(using) >= 2 * TERM_PAGE_ARTICLES
    pages = pages_of(site, folder)
    assert len(pages) > 1
    listed, dates = [], []
    for number, page in enumerate(pages, 1):
        sections = soup(page).select(".entry-uses section.use")
        # Every page lists a batch; the first also the newest left over (never a short page).
        assert TERM_PAGE_ARTICLES <= len(sections) < 2 * TERM_PAGE_ARTICLES if number == 1 else \
            len(sections) == TERM_PAGE_ARTICLES
        for section in sections:
            listed.append(section.h3.a["href"].split("/")[-1][:-len(".html")])
            dates.append(tuple(map(int, re.search(r"(\d{4})年(\d+)月(\d+)日", section.select_one(".meta").text).groups())))
    assert sorted(listed) == sorted(using) and len(listed) == len(set(listed))
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("folder", ["", "zh-hant"])
def test_pages_link_each_other_and_say_which_they_are(site: Path, folder: str) -> None:
    pages = pages_of(site, folder)
    titles = set()
    for at, page in enumerate(pages):
        html = soup(page)
        titles.add(html.title.text)
        pager = html.select_one("nav.pager")
        newer, older = pager.select_one("a[rel=prev]"), pager.select_one("a[rel=next]")
        assert (newer["href"] if newer else None) == (pages[at - 1].name if at else None)
        assert (older["href"] if older else None) == (pages[at + 1].name if at + 1 < len(pages) else None)
        ends = {a.text: a["href"] for a in pager.select("a:not([rel])")}   # the ends, unless next door
        assert ends == {**({"最新" if not folder else "最新": pages[0].name} if at > 1 else {}),
                        **({"最早": pages[-1].name} if at + 2 < len(pages) else {})}
        if at:   # a page further on says which uses it holds: their dates
            span = re.search(r"（(\d{4}年\d+月\d+日)—(\d{4}年\d+月\d+日)）", html.select_one("#uses-title").text)
            dates = [m.group(0) for m in (re.search(r"\d{4}年\d+月\d+日", li.select_one(".meta").text)
                                          for li in html.select(".entry-uses section.use"))]
            key = lambda d: tuple(map(int, re.findall(r"\d+", d)))   # noqa: E731
            assert span and span.groups() == (min(dates, key=key), max(dates, key=key))
        # The entry itself is on every page, and the citation always names the first.
        assert html.select_one(".entry-def").text.strip()
        assert html.select_one(".cite-line").text.endswith(f"terms/{TERM}.html")
    assert len(titles) == len(pages)


@pytest.mark.parametrize("folder", ["", "zh-hant"])
def test_an_article_with_many_uses_is_quoted_up_to_the_limit_and_links_the_rest(site: Path, folder: str) -> None:
    section = next(s for page in pages_of(site, folder) for s in soup(page).select(".entry-uses section.use")
                   if s.h3.a["href"].endswith("articles/many-uses.html"))
    quoted = section.select("li")
    assert len(quoted) == TERM_ARTICLE_SENTENCES
    assert [li.a["href"].split("#")[1] for li in quoted] == [f"p{n}" for n in range(1, TERM_ARTICLE_SENTENCES + 1)]
    more = section.select_one(".more-uses a")
    assert more["href"].endswith(f"many-uses.html#p{TERM_ARTICLE_SENTENCES + 1}")
    assert str(30 - TERM_ARTICLE_SENTENCES) in more.text
    heading = soup(pages_of(site, folder)[0]).select_one("#uses-title").text
    assert re.search(r"（(\d+)）", heading)   # the count of every use site-wide, not of the page
    later = soup(pages_of(site, folder)[-1]).select_one("#uses-title").text   # a later page says which uses instead
    assert re.search(r"（\d{4}年\d+月\d+日—\d{4}年\d+月\d+日）", later), later


def test_no_term_page_links_a_page_that_is_not_there(site: Path) -> None:
    problems, checked = link_problems(site, BASE_URL)
    assert checked and not problems, problems[:5]


def test_a_term_page_key_names_its_term_and_page() -> None:
    for term_id, number in [("gaozhiliang-fazhan", 1), ("gaozhiliang-fazhan", 2), ("a", 17), ("x-1", 3)]:
        assert urls.term_of(urls.term(term_id, number)) == (term_id, number)
    assert urls.term(TERM) == f"terms/{TERM}.html"
    for other in ("terms/a.1.html", "terms/a.02.html", "terms/a.x.html", "articles/a.html", "terms/a.css"):
        assert urls.term_of(other) is None, other


def test_a_term_losing_a_page_loses_it_in_a_rebuild_as_in_a_clean_build(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_built(site.parent, project)
    using = sorted(users(site, ""))
    gone = [slug for slug in using if slug.startswith(("extra-", "short-"))][:len(using) - (2 * TERM_PAGE_ARTICLES - 1)]
    for sidecar in (project / "seeds").glob("*.yaml"):
        if yaml.safe_load(sidecar.read_text(encoding="utf-8")).get("slug") in gone:
            sidecar.unlink()
            sidecar.with_suffix(".txt").unlink()
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert len(pages_of(project / "_site", "")) == 1 and not list((project / "_site" / "terms").glob(f"{TERM}.*.html"))
    assert_as_a_clean_build(project, tmp_path / "clean")


@pytest.mark.parametrize("edit", ["reword", "one_more_use", "new_article", "a_page_more"])
def test_an_edit_remakes_the_term_pages_it_changes_as_a_clean_build_makes_them(site: Path, tmp_path: Path,
                                                                                 edit: str) -> None:
    """Rewording a quoted sentence changes the one page listing its article; one more use
    changes that page and the first (which counts the uses); a new article changes the first
    page only; new articles that make the term due a page more change the first, add the new
    page and change the one that was the newest further on (it links the new one), no other."""
    project = tmp_path / "project"
    copy_built(site.parent, project)
    pages = pages_of(project / "_site", "")
    before = {p.name: p.read_bytes() for p in pages}
    assert len(before) > 2
    listing = next(p.name for p in pages if b"articles/many-uses.html" in before[p.name])
    seed = project / "seeds" / "900_many.txt"
    text = seed.read_text(encoding="utf-8")
    using = len(users(site, ""))
    new = {"new_article": 1, "a_page_more": (term_page_count(using) + 1) * TERM_PAGE_ARTICLES - using}.get(edit, 0)
    if edit == "reword":
        seed.write_text(text.replace("在这7个方面持续用力", "在这7个领域持续用力"), encoding="utf-8")
    elif edit == "one_more_use":
        seed.write_text(text + "\n推动高质量发展，是这篇文章新增的一句。\n", encoding="utf-8")
    for n in range(new):
        (project / "seeds" / f"95{n:02d}_new.txt").write_text(f"# 新的一篇之{n}\n\n推动高质量发展，要久久为功。\n",
                                                             encoding="utf-8")
        (project / "seeds" / f"95{n:02d}_new.yaml").write_text(f"slug: new-{n}\ndate: 2027-01-{1 + n:02d}\nsource: 测试\n",
                                                              encoding="utf-8")
    assert term_page_count(using + new) == term_page_count(using) + (edit == "a_page_more")
    assert listing != pages[0].name or new
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    after = {p.name: p.read_bytes() for p in pages_of(project / "_site", "")}
    changed = sorted(name for name in after if before.get(name) != after[name])
    first, newest_further = pages[0].name, pages[1].name
    added = f"{TERM}.{len(pages) + 1}.html"
    expected = {"reword": [listing], "one_more_use": sorted({first, listing}), "new_article": [first],
                "a_page_more": sorted([first, newest_further, added])}
    assert changed == expected[edit]
    made = int(re.search(r"\((\d+) site pages made\)", result.stdout).group(1))
    if not new:   # the pages that changed and at most one other (the study kit), in both scripts
        assert made <= 2 * (len(expected[edit]) + 1) < 2 * (len(before) + 1), result.stdout
    assert_as_a_clean_build(project, tmp_path / "clean")


@given(st.integers(0, 200), st.data())
def test_pages_are_counted_from_the_oldest_so_a_new_article_changes_the_first_only(count: int, data) -> None:
    articles = list(range(count))   # newest first
    pages = {n: page_batch(articles, n) for n in range(1, term_page_count(count) + 1)}
    assert sum((pages[n] for n in page_order(len(pages))), []) == articles   # newest to oldest, each once
    assert all(len(page) == TERM_PAGE_ARTICLES for n, page in pages.items() if n > 1)
    assert len(pages[1]) == count if count < TERM_PAGE_ARTICLES else TERM_PAGE_ARTICLES <= len(pages[1]) < 2 * TERM_PAGE_ARTICLES
    assert all(articles[i] in page_batch(articles, page_of(i, count)) for i in range(count))
    newer = [-1, *articles]   # a new article: every page but the first stays as it was, a page more or not
    assert all(page_batch(newer, n) == pages[n] for n in pages if n > 1)
    if count:   # an article gone: the pages older than the one that listed it stay as they were
        gone = data.draw(st.integers(0, count - 1))
        fewer = articles[:gone] + articles[gone + 1:]
        if term_page_count(count - 1) == term_page_count(count):
            assert all(page_batch(fewer, n) == pages[n] for n in range(2, page_of(gone, count)))


def test_streamed_term_pages_are_the_pages_and_each_is_made_once_its_last_article_has_come(tmp_path: Path) -> None:
    """Term pages made from articles coming one at a time in site order equal those made from
    all of them at once; each page comes as soon as the last article it lists has come, and an
    article no page still waiting lists is let go."""
    config = load_config(REPO)
    glossary = load_glossary(config.glossary_path, "glossary")
    converters = converters_for(config, override_tables(config, glossary)[0], tmp_path)
    renderer = ArticleRenderer(config, glossary, converters)
    real = [renderer.render(path, path.read_text(encoding="utf-8"))[0]
            for path in sorted((REPO / "site_src" / "articles").glob("*.md"))]
    rng = random.Random(15)
    articles = []   # 70 articles, from the real ones under other slugs and dates, in site order
    for n in range(70):
        article = rng.choice(real)
        meta = dataclasses.replace(article.meta, date=article.meta.date.replace(day=1 + n % 28, month=1 + n // 28))
        articles.append(dataclasses.replace(article, slug=f"a{n:02d}", meta=meta))
    articles.sort(key=lambda a: (str(a.meta.date), a.slug), reverse=True)
    used_in = {}
    for article in articles:
        for term in article.index.terms:
            used_in.setdefault(term, []).append(article)
    users = {term: TermUsers(tuple(a.slug for a in found), sum(1 for a in found for row in a.sentences["zh-Hans"]
                                                                 if row[0] == term)) for term, found in used_in.items()}
    several = [term for term, found in used_in.items() if len(found) >= 2 * TERM_PAGE_ARTICLES]
    assert several, "some term must have more than one page"
    stale = {term: term_page_keys(term, len(used_in[term])) for term in sorted(used_in)}
    stale[several[0]] = stale[several[0]][1:]   # a rebuild may make only some pages of a term
    unused = next(e.id for e in glossary.entries if e.id not in used_in)
    stale[unused], users[unused] = term_page_keys(unused, 0), TermUsers((), 0)
    whole = SitePages(config, glossary, converters, articles, users)
    position = {a.slug: n for n, a in enumerate(articles)}
    pulled, alive = 0, []

    def one_at_a_time():
        nonlocal pulled
        for article in articles:
            pulled += 1
            copy = dataclasses.replace(article)   # only the stream holds it
            alive.append(weakref.ref(copy))
            yield copy

    made = {}
    for key, variant, html in term_pages_streamed(SitePages(config, glossary, converters, [], users), stale,
                                                   one_at_a_time()):
        assert html == whole.render(key, variant), key
        made[key, variant.lang] = html
        term, number = urls.term_of(key)
        listed = [position[s] for s in page_batch(list(users[term].slugs), number)] if term in users else []
        assert pulled == (max(listed) + 1 if listed else 0), key
        waiting = {s for t, keys in stale.items() for k in keys if (k, variant.lang) not in made
                   for s in (page_batch(list(users[t].slugs), urls.term_of(k)[1]) if t in users else ())}
        held = {ref().slug for ref in alive if ref() is not None}
        assert held <= waiting | {articles[n].slug for n in listed} | {articles[pulled - 1].slug}, key
    assert set(made) == {(k, v.lang) for keys in stale.values() for k in keys for v in config.variants}
