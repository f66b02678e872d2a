"""Quality gates, by tools nobody here wrote: the Nu HTML Checker, axe-core, a real Chromium.

Screenshots of what a reader sees go to test-output/screenshots/ (ignored by git).
"""
from __future__ import annotations

import gzip
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from helpers import REPO, THEME, link_problems

NODE = REPO / "scripts" / "node" / "node_modules"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE / "axe-core" / "axe.min.js"
SHOTS = REPO / "test-output" / "screenshots"
BASE_URL = yaml.safe_load((REPO / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]
KINDS = ["index.html", "archive/2026-01.html", "articles/sige-dazhua.html", "articles/gongye-da-tupo.html", "glossary.html",
         "search.html", "404.html"]
PAGES = [prefix + kind for prefix in ("", "zh-hant/") for kind in KINDS]


def test_nu_html_checker_finds_no_errors(built_site: Path) -> None:
    every = sorted((built_site / "_site").rglob("*.html"))
    terms = len(yaml.safe_load((REPO / "site_src" / "glossary.yaml").read_text(encoding="utf-8"))["entries"])
    # In 2 scripts: 5 site-wide pages, a month's page for each of the seeds' two months, 2
    # articles × (page, handout, study page), a page per term.
    assert len(every) == 2 * (5 + 2 + 2 * 3 + terms)
    # Term pages share one template: of those, every 20th, which includes pages with and
    # without occurrences in the seeds.
    term_pages = [p for p in every if p.parent.name == "terms"]
    pages = [str(p) for p in every if p.parent.name != "terms"] + [str(p) for p in term_pages[::20]]
    # One JVM for every page; vnu exits 1 both on findings and on a crash, so read its JSON.
    result = subprocess.run(["java", "-Xss4m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(VNU),
                             "--errors-only", "--format", "json", "--stdout", *pages],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    errors = [f"{m.get('url', '').rsplit('/_site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation(context_factory, http_site, path) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + path)
    if "articles/" in path:   # with a tooltip open too: it is part of what readers see
        page.locator("a.term").first.focus()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
    assert violations == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1440])
def test_no_page_scrolls_sideways_or_logs_an_error(context_factory, http_site, width) -> None:
    context = context_factory(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in PAGES:
        page.goto(http_site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1440])
def test_tooltips_stay_inside_the_viewport(context_factory, http_site, width) -> None:
    page = context_factory(viewport={"width": width, "height": 800}).new_page()
    page.goto(http_site + "zh-hant/articles/sige-dazhua.html")
    terms = page.locator("a.term.fs")
    for index in range(0, terms.count(), 7):
        term = terms.nth(index)
        term.focus()
        box = page.locator("#card").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 800, (index, box)
        page.keyboard.press("Escape")


@pytest.mark.browser
def test_print_shows_endnotes_keeps_paragraph_numbers_and_hides_navigation(context_factory, http_site) -> None:
    page = context_factory().new_page()
    page.goto(http_site + "articles/sige-dazhua.html")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("#terms").is_visible() and page.locator("#terms li").count() > 40
    assert page.locator(".pnum").first.is_visible()
    marker = page.evaluate("getComputedStyle(document.querySelector('a.term.primary'), '::after').content")
    assert marker == '"[" attr(data-note) "]"' or marker.startswith('"[')
    page.locator("a.term").first.focus()
    assert page.locator(".tip").first.is_hidden()


@pytest.mark.browser
def test_search_finds_fukuang_jingkai_in_both_scripts(context_factory, http_site) -> None:
    page = context_factory().new_page()
    for path, query, shown in (("search.html", "富矿精开", "富矿精开"), ("zh-hant/search.html", "富矿精开", "富礦精開")):
        page.goto(http_site + path)
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_selector(".result-count")
        assert page.locator(".results a[href^='articles/sige-dazhua.html#p']").count() == 5
        assert page.locator(".results mark").first.inner_text() == shown
        assert page.locator(".result-term a").get_attribute("href").endswith("terms/fukuang-jingkai.html")


def test_unzipped_zip_has_no_broken_link_or_anchor(built_site: Path, tmp_path: Path) -> None:
    (archive,) = (built_site / "dist").glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    problems, checked = link_problems(folder, BASE_URL)
    assert problems == [] and checked > 1000


@pytest.mark.browser
def test_screenshots_of_what_readers_see(context_factory, http_site) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for width, height, name in ((390, 844, "phone"), (1440, 900, "desktop")):
        page = context_factory(viewport={"width": width, "height": height}).new_page()
        for prefix, script in (("", "zh-hans"), ("zh-hant/", "zh-hant")):
            for key, label in (("index.html", "home"), ("glossary.html", "glossary")):
                page.goto(http_site + prefix + key)
                written.append(SHOTS / f"{script}-{label}-{name}.png")
                page.screenshot(path=str(written[-1]))
            page.goto(http_site + prefix + "articles/sige-dazhua.html")
            term = page.locator("a.term.primary").nth(4)
            term.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.evaluate("window.scrollBy(0, -160)")
            term.evaluate("el => el.focus({preventScroll: true})")
            written.append(SHOTS / f"{script}-article-tooltip-{name}.png")
            page.screenshot(path=str(written[-1]))
    assert all(p.stat().st_size > 10_000 for p in written)


@pytest.mark.browser
def test_an_article_loads_itself_one_stylesheet_and_one_script(context_factory, http_site) -> None:
    context = context_factory()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url[len(http_site):]))
    page = context.new_page()
    page.goto(http_site + "zh-hant/articles/sige-dazhua.html")
    page.wait_for_load_state("networkidle")
    assert sorted(requests) == ["static/reader.css", "static/reader.js", "zh-hant/articles/sige-dazhua.html"]
    shared = sum(len(gzip.compress((THEME / "static" / name).read_bytes(), 9)) for name in ("reader.css", "reader.js"))
    assert shared < 16_000   # compressed, as served
