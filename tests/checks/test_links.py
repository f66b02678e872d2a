"""The link check on small hand-made sites: every kind of problem, found at its line, and nothing else."""
from __future__ import annotations

from policyreader.checks.links import check_site, references, scan


def page(body: str, lang: str = "zh-Hans") -> str:
    return f'<!doctype html>\n<html lang="{lang}">\n<head><link rel="stylesheet" href="static/a.css"></head>\n' \
           f'<body>\n{body}\n</body>\n</html>\n'


def problems(pages: dict[str, str], files: set[str] | None = None, base_url: str = "") -> list[tuple[str, int, str]]:
    scans = {path: scan(html) for path, html in pages.items()}
    found = check_site(scans, set(pages) | (files or {"static/a.css"}), base_url)
    return [(p.path, p.line, p.message) for p in found]


def test_a_sound_site_has_no_problems() -> None:
    site = {"index.html": page('<a href="articles/a.html#p2">a</a>\n<a href="#top" id="top">top</a>'),
            "articles/a.html": page('<p id="p2">x</p>\n<a href="../index.html">home</a>')}
    assert problems(site, {"static/a.css", "articles/static/a.css"}) == []


def test_each_problem_is_named_at_its_line() -> None:
    body = "\n".join(['<a href="articles/none.html">1</a>',          # line 5: no such file
                      '<a href="articles/a.html#p9">2</a>',          # line 6: no such anchor
                      '<a href="/index.html">3</a>',                 # line 7: root-relative
                      '<a href="https://elsewhere.example/">4</a>',  # line 8: absolute
                      '<a href="articles/">5</a>',                   # line 9: a folder
                      '<a href="#gone">6</a>'])                      # line 10: no such anchor here
    site = {"index.html": page(body), "articles/a.html": page('<p id="p2">x</p>', lang="en")}
    found = problems(site, {"static/a.css", "articles/static/a.css"})
    assert [(path, line) for path, line, _ in found] == [
        ("_site/articles/a.html", 1), ("_site/index.html", 5), ("_site/index.html", 6), ("_site/index.html", 7),
        ("_site/index.html", 8), ("_site/index.html", 9), ("_site/index.html", 10)]
    messages = [message for _, _, message in found]
    assert "no <html lang>" in messages[0]
    assert "no articles/none.html" in messages[1] and "no id 'p9'" in messages[2]
    assert "root-relative" in messages[3] and "not relative" in messages[4] and "folder" in messages[5]


def test_a_link_repeated_is_reported_once_at_its_first_line() -> None:
    site = {"index.html": page('<a href="x.html">1</a>\n<a href="x.html">2</a>')}
    assert [line for _, line, _ in problems(site)] == [5]


def test_urls_with_any_character_survive_the_scan() -> None:
    """A scan keeps a page's links packed in one string: no URL may break the packing."""
    odd = "a\x1fb\x1ec\tz.html"
    html = page(f'<a href="{odd}">1</a>\n<a href="q.html?x=1&amp;y=2#p%32">2</a>\n<a href="w.html">3</a>')
    refs = references("index.html", scan(html))
    assert [(r.line, r.target, r.fragment) for r in refs] == [
        (3, "static/a.css", ""), (5, odd, ""), (6, "q.html", "p2"), (7, "w.html", "")]


def test_canonical_links_to_the_hosted_site_are_checked_as_files() -> None:
    head = '<link rel="canonical" href="https://site.example/reader/articles/a.html">'
    site = {"index.html": page(head + '\n<link rel="alternate" href="https://site.example/reader/gone.html">')}
    found = problems(site, {"static/a.css", "articles/a.html"}, base_url="https://site.example/reader/")
    assert [(line, message) for _, line, message in found] == [
        (6, "link 'https://site.example/reader/gone.html' names no page of the site")]
