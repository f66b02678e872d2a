"""The built site's pages: structure, both scripts, relative links that resolve, glossary."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import REPO, link_problems, start_tags

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


def dates(site: Path) -> dict[str, object]:
    """Each article's date, as its front matter gives it."""
    found = {}
    for slug in SLUGS:
        text = (site.parent / "site_src" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
        found[slug] = yaml.safe_load(text.split("---\n")[1])["date"]
    return found


def test_every_page_exists_in_both_scripts_with_its_lang(site: Path) -> None:
    expected = {f"{folder}{page}" for folder in FOLDERS for page in
                ["index.html", "glossary.html", "search.html", "404.html", "study.html",
                 *[f"archive/{d:%Y-%m}.html" for d in dates(site).values()],
                 *[f"{kind}/{s}.html" for s in SLUGS for kind in ("articles", "handouts", "study")],
                 *[f"terms/{i}.html" for i in glossary_ids()]]}
    assert set(html_files(site)) == expected
    for path in expected:
        lang = next(attrs.get("lang") for tag, attrs in start_tags(site / path) if tag == "html")
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
        tags = start_tags(site / path)
        links = [(attrs.get("rel", "").split(), attrs) for tag, attrs in tags if tag == "link"]
        alternates = {a["hreflang"]: a["href"] for rel, a in links if "alternate" in rel and "hreflang" in a}
        assert set(alternates) == {"zh-Hans", "zh-Hant", "x-default"}, path
        key = path.removeprefix("zh-hant/")
        for lang, href in alternates.items():
            assert href == BASE_URL + (key if lang in ("zh-Hans", "x-default") else "zh-hant/" + key)
        canonical = [a["href"] for rel, a in links if "canonical" in rel]
        assert canonical == ([] if path.endswith("404.html") else [BASE_URL + path]), path
        # The script switch: one list, and in it (among its items) the page's one link naming a language.
        (start,) = [i for i, (tag, a) in enumerate(tags) if tag == "ul" and "lang-switch" in a.get("class", "").split()]
        (named,) = [i for i, (tag, a) in enumerate(tags) if tag == "a" and "hreflang" in a]
        assert start < named and {tag for tag, _ in tags[start + 1:named]} <= {"li", "span"}, path


def test_article_page_shows_what_ingest_recovered(site: Path) -> None:
    page = soup(site, "articles/sige-dazhua.html")
    assert page.h1.text == "以“四个大抓”培育壮大高质量发展内生动力"
    meta = page.select_one(".meta").text
    # The paper printed no date: the page says so, and the note says what the known date is.
    assert "贵州日报" in meta and "刊发日期不详" in meta and "2026年1月20日" not in meta
    assert page.select_one(".date-note").text.startswith("2026年1月20日：原报未载刊发日期")
    assert page.select_one(".notice")
    guests = page.select(".participants li")
    assert len(guests) == 4 and "贵州财经大学经济学院教授" in page.select_one(".participants").text
    turns = page.select("p.turn-start")
    assert len(turns) == 22 and all(t.select_one(".speaker") for t in turns)
    assert page.select(".position") == [] and page.text.count("贵州财经大学经济学院教授") == 1
    # Every other paragraph of a turn names its speaker (drawn by CSS from data-who).
    assert all(p.get("data-who") for p in page.select("p.turn:not(.turn-start)"))
    assert len(page.select("p.turn.question")) == 11
    assert page.select_one(".truncation")
    assert page.select_one("figure.photo .credit").text == "贵州日报天眼新闻记者 杨涛"
    assert len(page.select("blockquote .attribution")) == 2
    assert [f.figcaption.text for f in page.select("#editors-note figure.quotation")] == ["引文", "引文"]
    notes = page.select("#terms li")
    assert len(notes) == len({t["data-term"] for t in page.select("[data-term]")}) > 40
    assert all(re.fullmatch(r"\.\./terms/[a-z0-9-]+\.html", n.select_one("a.note-term")["href"]) for n in notes)


def test_contents_list_pieces_sections_and_questions_with_who_answers(site: Path) -> None:
    page = soup(site, "zh-hant/articles/sige-dazhua.html")
    lines = page.select(".toc li")
    assert lines[0].a["href"] == "#editors-note" and lines[0].a.text == "總書記的話"
    questions = page.select(".toc li.toc-question")
    assert len(questions) == 11 and questions[0].a["href"] == "#p3"
    assert questions[0].select_one(".toc-who").text == "田蔚"
    assert lines[-1].a["href"] == "#terms"
    report = soup(site, "articles/gongye-da-tupo.html")
    headings = [a["href"] for a in report.select(".toc li.toc-2 a")]
    assert [report.select_one(h)["id"] for h in headings if report.select_one(h).name == "h3"][:3] == ["s2", "s3", "s4"]


def test_article_ends_with_its_citation_and_the_way_on(site: Path) -> None:
    page = soup(site, "zh-hant/articles/gongye-da-tupo.html")
    cite = page.select_one(".cite-article").text
    assert "江婷婷、桂榕：《當好排頭兵 奮力推進工業大突破》，《貴州日報》，刊發日期不詳。" in cite
    assert page.select_one("article")["data-cite"].endswith("，第{n}段。")
    pager = {a["class"][0]: a["href"] for a in page.select(".pager a")}
    month = f"../archive/{dates(site)['gongye-da-tupo']:%Y-%m}.html"   # its month's list, where every article is
    assert pager == {"pager-prev": f"{month}#before-gongye-da-tupo", "pager-top": "#top",
                     "pager-next": f"{month}#after-gongye-da-tupo"}


def test_traditional_pages_use_taiwan_quotes_and_screen_words(site: Path) -> None:
    page = soup(site, "zh-hant/articles/sige-dazhua.html")
    assert page.h1.text == "以「四個大抓」培育壯大高品質發展內生動力".replace("高品質", "高質量")
    body = page.select_one("main").text
    assert "“" not in body and "”" not in body and "「富礦精開」" in body
    header = page.select_one(".site-header")
    assert header.select_one("button[type=submit]").text == "搜尋" and header.select_one("input")["placeholder"] == "搜尋"
    assert page.select_one(".settings-toggle").text == "設定"
    data = soup(site, "zh-hant/articles/gongye-da-tupo.html")
    assert data.select_one("#data h2").text == "數據", "the paper's own heading keeps its word"


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
        assert "贵州日报" in meta and "刊发日期不详" in meta and re.search(r"术语 \d+", meta)
        assert item["id"] == "before-" + item["data-slug"] and item.h2["id"] == "after-" + item["data-slug"]
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
            tags = start_tags(path)
            fetched = [a["src"] for _, a in tags if "src" in a]
            fetched += [a["href"] for tag, a in tags if tag == "link" and "href" in a
                        and not {"canonical", "alternate"} & set(a.get("rel", "").split())]
            assert [u for u in fetched if re.match(r"^[a-z]+:|^//", u) and not u.startswith("data:")] == [], path
        if path.suffix in (".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(r"\b(fetch|XMLHttpRequest|importScripts|Worker|WebAssembly)\b", text), path


def test_sidecar_provenance_reaches_the_page_and_the_citation(project: Path) -> None:
    from helpers import run_build
    sidecar = project / "seeds" / "003_c2d4cca183c9bd68.yaml"
    text = sidecar.read_text(encoding="utf-8").replace(
        "date_note: 原报未载刊发日期；此为文中所记最晚日期，刊发当在此日或其后。\n",
        "edition: 第3版\nurl: https://example.org/gz/2021-12-28/3.html\nretrieved: 2026-02-01\n")
    sidecar.write_text(text, encoding="utf-8")
    result = run_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    article = (project / "site_src" / "articles" / "gongye-da-tupo.md").read_text(encoding="utf-8")
    assert "edition: 第3版\n" in article and "retrieved: 2026-02-01\n" in article
    page = soup(project / "_site", "articles/gongye-da-tupo.html")
    meta = page.select_one(".meta").text
    assert "第3版" in meta and "2021年12月27日" in meta and "不详" not in meta   # a known date is the date
    assert page.select_one(".origin").text == "原文地址：https://example.org/gz/2021-12-28/3.html（2026年2月1日检索）"
    assert page.select_one(".cite-article").text.endswith(
        "《贵州日报》，2021年12月27日，第3版。https://example.org/gz/2021-12-28/3.html（2026年2月1日检索）")
    assert not page.select("a[href^='https://example.org']"), "an address is shown, not linked: links stay inside the site"
    home = soup(project / "_site", "index.html")
    dates = [li.select_one(".meta").text for li in home.select(".article-list li")]
    assert "2021年12月27日" in dates[1] and "刊发日期不详" in dates[0]
