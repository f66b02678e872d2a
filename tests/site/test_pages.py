"""The built site's pages: structure, both scripts, relative links that resolve, glossary."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import REPO, link_problems

BASE_URL = yaml.safe_load((REPO / "site_src" / "site.yaml").read_text(encoding="utf-8"))["base_url"]

SLUGS = ["sige-dazhua", "gongye-da-tupo"]
FOLDERS = {"": "zh-Hans", "zh-hant/": "zh-Hant"}


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site / "_site"


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def html_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def glossary_ids() -> list[str]:
    glossary = yaml.safe_load((REPO / "site_src" / "glossary.yaml").read_text(encoding="utf-8"))
    return [e["id"] for e in glossary["entries"]]


def test_every_page_exists_in_both_scripts_with_its_lang(site: Path) -> None:
    expected = {f"{folder}{page}" for folder in FOLDERS for page in
                ["index.html", "glossary.html", "search.html", "404.html", "study.html",
                 *[f"{kind}/{s}.html" for s in SLUGS for kind in ("articles", "handouts", "study")],
                 *[f"terms/{i}.html" for i in glossary_ids()]]}
    assert set(html_files(site)) == expected
    for path in expected:
        lang = soup(site, path).html["lang"]
        assert lang == (FOLDERS["zh-hant/"] if path.startswith("zh-hant/") else FOLDERS[""]), path


def test_every_link_is_relative_names_a_file_and_resolves(site: Path) -> None:
    problems, checked = link_problems(site, BASE_URL)
    assert problems == []
    assert checked > 1000


def test_ids_are_unique_and_identical_in_both_scripts(site: Path) -> None:
    for page in ["glossary.html", *[f"articles/{s}.html" for s in SLUGS]]:
        hans = [t["id"] for t in soup(site, page).find_all(id=True)]
        hant = [t["id"] for t in soup(site, "zh-hant/" + page).find_all(id=True)]
        assert len(hans) == len(set(hans)), page
        assert hans == hant, page


def test_every_page_links_its_counterparts(site: Path) -> None:
    for path in html_files(site):
        page = soup(site, path)
        alternates = {l["hreflang"]: l["href"] for l in page.find_all("link", rel="alternate", hreflang=True)}
        assert set(alternates) == {"zh-Hans", "zh-Hant", "x-default"}, path
        key = path.removeprefix("zh-hant/")
        for lang, href in alternates.items():
            assert href == BASE_URL + (key if lang in ("zh-Hans", "x-default") else "zh-hant/" + key)
        if path.endswith("404.html"):
            assert not page.find("link", rel="canonical")
        else:
            assert page.find("link", rel="canonical")["href"] == BASE_URL + path
        switch = page.select(".lang-switch a[hreflang]")
        assert len(switch) == 1


def test_article_page_shows_what_ingest_recovered(site: Path) -> None:
    page = soup(site, "articles/sige-dazhua.html")
    assert page.h1.text == "以“四个大抓”培育壮大高质量发展内生动力"
    assert "贵州日报" in page.select_one(".meta").text and "2026年1月20日" in page.select_one(".meta").text
    assert page.select_one(".date-note") and page.select_one(".notice")
    guests = page.select(".participants li")
    assert len(guests) == 4 and "贵州财经大学经济学院教授" in page.select_one(".participants").text
    turns = page.select("p.turn-start")
    assert len(turns) == 22 and all(t.select_one(".speaker") for t in turns)
    positions = [t.select_one(".position") for t in turns if t.select_one(".speaker").text != "主持人"]
    assert len(positions) == 11 and all(positions)
    assert page.select_one(".truncation")
    assert page.select_one("figure.photo .credit").text == "贵州日报天眼新闻记者 杨涛"
    assert len(page.select("blockquote .attribution")) == 2
    notes = page.select("#terms li")
    assert len(notes) == len({t["data-term"] for t in page.select("[data-term]")}) > 40
    assert all(re.fullmatch(r"\.\./terms/[a-z0-9-]+\.html", n.select_one("a.note-term")["href"]) for n in notes)


def test_editors_notes_close_the_article_in_both_scripts(site: Path) -> None:
    for prefix, heading in (("", "编辑说明"), ("zh-hant/", "編輯說明")):
        page = soup(site, prefix + "articles/gongye-da-tupo.html")
        notes = page.select_one("section.footnotes")
        assert notes.h2.text == heading and len(notes.select("li")) == 1
        ref = page.select_one("sup.footnote-ref a")
        assert ref["href"] == "#fn1" and page.find(id="fn1")
        assert ref.find_parent("p")["id"] == "p3"   # the lead's last paragraph, which the fix mended


def test_page_of_pieces_shows_data_box_timeline_and_bylines(site: Path) -> None:
    page = soup(site, "zh-hant/articles/gongye-da-tupo.html")
    kinds = [s["class"][1] for s in page.select("section.piece")]
    assert kinds == ["piece-lead", "piece-report", "piece-commentary", "piece-data", "piece-timeline"]
    assert len(page.select(".piece-data strong")) == 20
    assert len(page.select(".piece-timeline ol.timeline li[id]")) == 8
    assert page.select_one("#report .byline").text == "貴州日報天眼新聞記者 江婷婷 桂榕"
    assert page.select_one("#commentary .byline").text == "江婷婷"
    assert [h.text for h in page.select("#report h3")] == ["做實重大項目 做大產業規模", "延鏈補鏈強鏈 產業集群崛起", "突出創新驅動 發展量質齊升"]


def test_home_lists_articles_with_date_source_summary_and_term_count(site: Path) -> None:
    items = soup(site, "index.html").select(".article-list li")
    assert [i.a["href"] for i in items] == ["articles/sige-dazhua.html", "articles/gongye-da-tupo.html"]
    for item in items:
        meta = item.select_one(".meta").text
        assert "贵州日报" in meta and re.search(r"\d{4}年\d+月\d+日", meta) and re.search(r"术语 \d+", meta)
        assert item.select_one(".summary").text.strip()


def test_glossary_index_is_small_grouped_by_category_and_links_each_term_page(site: Path) -> None:
    page = soup(site, "glossary.html")
    categories = [h.text for h in page.select("section.category > h2")]
    assert categories[0] == "战略与口号" and len(categories) == len(set(categories))
    entry = page.find(id="fukuang-jingkai")
    assert entry.a.text == "富矿精开" and entry.a["href"] == "terms/fukuang-jingkai.html"
    assert entry.select_one(".entry-pinyin").text == "fùkuàng jīngkāi"
    assert "fukuang jingkai" in entry["data-k"]                 # toneless pinyin for the filter
    assert len(page.select("li[data-k]")) == len(glossary_ids())
    assert not page.select("a[href*='articles/']")               # occurrences live on the term pages
    assert (site / "glossary.html").stat().st_size < 300_000
    hant = soup(site, "zh-hant/glossary.html").find(id="fukuang-jingkai")
    assert hant.a["href"] == "terms/fukuang-jingkai.html" and hant.a.text == "富礦精開"


def test_term_page_has_the_entry_its_uses_newest_first_and_a_citation(site: Path) -> None:
    page = soup(site, "terms/gaozhiliang-fazhan.html")
    assert page.html["lang"] == "zh-Hans"
    assert page.h1.select_one(".entry-term").text == "高质量发展"
    assert page.h1.select_one(".entry-pinyin").text == "gāozhìliàng fāzhǎn"
    assert page.select_one(".entry-english").text.startswith("high-quality development")
    assert page.select_one(".entry-def").text.strip()
    facts = {dt.text: dt.find_next_sibling("dd").text for dt in page.select(".entry-facts dt")}
    assert facts["适用范围"] == "全国"
    assert "相关术语" in facts
    uses = page.select(".entry-uses section.use")
    dates = [re.search(r"(\d{4})年(\d+)月(\d+)日", u.select_one(".meta").text).groups() for u in uses]
    assert len(uses) == 2 and dates == sorted(dates, key=lambda d: tuple(map(int, d)), reverse=True)
    sentences = page.select(".entry-uses li")
    assert len(sentences) >= 5
    for item in sentences:
        assert item.mark.text == "高质量发展"
        assert re.fullmatch(r"\.\./articles/[a-z-]+\.html#p\d+", item.a["href"])
        target = soup(site, "terms/" + item.a["href"].split("#")[0])
        paragraph = target.find(id=item.a["href"].split("#")[1])
        for extra in paragraph.select(".tip, .pnum, .position"):  # what the page adds to the text
            extra.decompose()
        assert item.mark.text in paragraph.text                 # the link leads to the sentence's paragraph
        sentence = item.text.split(" ", 1)[1]
        assert sentence in paragraph.text                       # the whole sentence, as it stands there
    cite = page.select_one(".cite-line").text
    assert "“高质量发展”条" in cite and cite.endswith("terms/gaozhiliang-fazhan.html")
    hant = soup(site, "zh-hant/terms/gaozhiliang-fazhan.html")
    assert hant.html["lang"] == "zh-Hant" and hant.h1.select_one(".entry-term").text == "高質量發展"
    assert [a["href"] for a in hant.select(".entry-uses li a")] == [item.a["href"] for item in sentences]


def test_tooltips_and_term_lists_link_the_term_pages(site: Path) -> None:
    for prefix in FOLDERS:
        page = soup(site, prefix + "articles/sige-dazhua.html")
        term = page.select_one("a.term[data-term='fukuang-jingkai']")
        assert term["href"] == "../terms/fukuang-jingkai.html"
        tip = page.find(id=term["aria-describedby"])
        assert tip["role"] == "tooltip" and tip.select("a")[-1]["href"] == "../terms/fukuang-jingkai.html"


def test_no_page_requests_anything_outside_the_site(site: Path) -> None:
    for path in site.rglob("*"):
        if path.suffix == ".html":
            page = soup(site, path.relative_to(site).as_posix())
            fetched = [e.get("src") for e in page.find_all(src=True)]
            fetched += [e["href"] for e in page.find_all("link", href=True)
                        if not {"canonical", "alternate"} & set(e.get("rel", []))]
            assert [u for u in fetched if re.match(r"^[a-z]+:|^//", u) and not u.startswith("data:")] == [], path
        if path.suffix in (".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(r"\b(fetch|XMLHttpRequest|importScripts|Worker|WebAssembly)\b", text), path
