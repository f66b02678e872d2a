"""The study kit as built: every exercise made from glossary facts and the article's own text."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import REPO
from policyreader.site.study import (BLANK, Blank, Sentence, distractors, make_blanks, masked_definition,
                                     normalise_answer)
from policyreader.sources.config import load_config
from policyreader.sources.glossary import load_glossary
from policyreader.variants.factory import converters_for, override_tables

GLOSSARY = {e["id"]: e for e in yaml.safe_load((REPO / "site_src" / "glossary.yaml").read_text(encoding="utf-8"))["entries"]}
SLUGS = ["sige-dazhua", "gongye-da-tupo"]
PAGES = [f"study/{slug}.html" for slug in SLUGS] + ["study.html"]
FOLDERS = {"": "zh-Hans", "zh-hant/": "zh-Hant"}


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site / "_site"


@pytest.fixture(scope="module")
def convert(tmp_path_factory) -> dict:
    """The real converters of the site (OpenCC with the site's overrides), by folder."""
    config = load_config(REPO)
    glossary = load_glossary(config.glossary_path, "glossary.yaml")
    converters = converters_for(config, override_tables(config, glossary)[0], tmp_path_factory.mktemp("opencc"))
    return {folder: converters[lang].convert for folder, lang in FOLDERS.items()}


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def term_in(entry: dict, folder: str, convert: dict) -> str:
    return entry["zh_hant"] if folder and entry.get("zh_hant") else convert[folder](entry["term"])


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("page", PAGES)
def test_every_quiz_answer_is_a_glossary_fact(site: Path, convert: dict, page: str, folder: str) -> None:
    questions = soup(site, folder + page).select("#quiz .q")
    assert len(questions) >= 20
    for q in questions:
        entry = GLOSSARY[q["data-id"]]
        prompt = q.select_one(".prompt").get_text()
        # The prompt is the answer's own definition, word for word, where only the answer's
        # own written forms are blanked: nothing in it comes from anywhere else.
        forms = sorted({f for form in [entry["term"], *entry.get("aliases", [])]
                        for f in (convert[folder](form), convert[folder](re.sub(r"[“”]", "", form)))}, key=len, reverse=True)
        pattern = "(?:" + "|".join(map(re.escape, forms)) + ")"
        assert re.fullmatch(pattern.join(map(re.escape, prompt.split(BLANK))), convert[folder](entry["definition"])), q["data-id"]
        options = [(b["data-id"], re.sub(r"^[A-H]\s*", "", b.get_text(" ", strip=True))) for b in q.select(".option")]
        ids = [o for o, _ in options]
        assert len(ids) == 4 and len(set(ids)) == 4 and ids.count(entry["id"]) == 1
        for oid, text in options:
            assert text == term_in(GLOSSARY[oid], folder, convert)
        same = [e for e in GLOSSARY.values() if e["category"] == entry["category"]]
        if len(same) >= 4:   # wrong options are terms of the same category
            assert all(GLOSSARY[o]["category"] == entry["category"] for o in ids)
        related_same = [r for r in entry.get("related", []) if GLOSSARY[r]["category"] == entry["category"]]
        assert set(related_same[:3]) <= set(ids), "related terms of the category come first"
        assert q.select_one(".feedback")["data-wrong"].endswith(term_in(entry, folder, convert))


def article_paragraphs(site: Path, path: str) -> dict[str, str]:
    page = soup(site, path)
    for junk in page.select(".tip, .pnum, .position, .speaker, sup, .truncation"):
        junk.decompose()
    return {p["id"]: p.get_text() for p in page.select("[id^=p]") if re.fullmatch(r"p\d+", p["id"])}


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("slug", SLUGS)
def test_fill_in_items_are_the_articles_own_sentences_and_take_either_script(site: Path, convert: dict, slug: str,
                                                                             folder: str) -> None:
    paragraphs = article_paragraphs(site, f"{folder}articles/{slug}.html")
    items = soup(site, f"{folder}study/{slug}.html").select("#fill .b")
    assert len(items) >= 20
    sentences = set()
    for item in items:
        entry = GLOSSARY[item["data-id"]]
        sentence = item.select_one(".sentence")
        blank = sentence.select_one(".blank-line").get_text()
        html = sentence.decode_contents()
        before = BeautifulSoup(html.split("<input")[0], "html.parser").get_text()
        after = BeautifulSoup(html.rsplit("</span>", 1)[1], "html.parser").get_text()
        answer = item.select_one(".feedback")["data-wrong"].rsplit("：", 1)[1]
        assert len(blank) == len(answer)
        anchor = item.select_one("a.source")["href"].split("#")[1]
        whole = (before + answer + after).strip("…")
        assert whole in paragraphs[anchor], (item["data-id"], whole)
        accepted = item["data-accept"].split("|")
        assert normalise_answer(answer) in accepted
        # Either script: the Simplified and the Traditional form of the term are both right.
        assert normalise_answer(entry["term"]) in accepted
        assert normalise_answer(term_in(entry, "zh-hant/", convert)) in accepted
        forms = {convert[folder](f) for f in [entry["term"], *entry.get("aliases", [])]}
        assert answer in forms, (answer, forms)
        sentences.add(whole)
    assert len(sentences) > 0.6 * len(items), "items mostly use different sentences"


@pytest.mark.parametrize("folder", FOLDERS)
def test_worksheet_and_answer_key_match(site: Path, folder: str) -> None:
    page = soup(site, f"{folder}study/sige-dazhua.html")
    on_sheet = page.select("#quiz .q.ws")
    keys = page.select("#sheet .key-list")
    assert len(on_sheet) == 15 and len(keys[0].select("li")) == 15
    for question, key in zip(on_sheet, keys[0].select("li")):
        letter, term = key.get_text().split("\u3000")
        right = next(b for b in question.select(".option") if b["data-id"] == question["data-id"])
        assert right.select_one(".letter").get_text() == letter and right.get_text().endswith(term)
    blanks = page.select("#fill .b.ws")
    assert [k.get_text() for k in keys[1].select("li")] == [b.select_one(".feedback")["data-wrong"].rsplit("：", 1)[1]
                                                            for b in blanks]


@pytest.mark.parametrize("folder", FOLDERS)
def test_anki_deck_holds_the_articles_terms(site: Path, built_site: Path, convert: dict, folder: str) -> None:
    text = (site / f"{folder}study/sige-dazhua.csv").read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("#")]
    assert "#separator:Comma" in headers and "#columns:Front,Back,Tags" in headers and "#html:true" in headers
    rows = list(csv.reader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    front = yaml.safe_load((built_site / "site_src" / "articles" / "sige-dazhua.md").read_text(encoding="utf-8").split("---\n")[1])
    terms = front["terms"]
    assert len(rows) == len(terms)
    assert {r[0] for r in rows} == {term_in(GLOSSARY[t], folder, convert).replace("&", "&amp;") for t in terms}
    for row in rows:
        assert len(row) == 3 and row[1].count("<br>") == 2 and row[2]
    study = soup(site, f"{folder}study/sige-dazhua.html")
    assert study.select_one('a[href="sige-dazhua.csv"]') is not None


def test_study_pages_are_linked_from_articles_and_home(site: Path) -> None:
    for folder in FOLDERS:
        article = soup(site, f"{folder}articles/sige-dazhua.html")
        assert article.select_one('a[href="../study/sige-dazhua.html"]') and article.select_one('a[href="../handouts/sige-dazhua.html"]')
        assert soup(site, f"{folder}index.html").select_one('a[href="study.html"]')


# ---- the rules on small inputs -------------------------------------------------------------------

def test_masking_removes_every_form_of_the_answer() -> None:
    glossary = load_glossary(REPO / "site_src" / "glossary.yaml", "glossary.yaml")
    for entry in glossary.entries:
        masked = masked_definition(entry)
        assert all(form not in masked for form in entry.forms if len(form) > 1), entry.id


def test_distractors_prefer_related_terms_of_the_same_category() -> None:
    glossary = load_glossary(REPO / "site_src" / "glossary.yaml", "glossary.yaml")
    entry = glossary.by_id["sige-dazhua"]
    chosen = distractors(entry, glossary, [])
    related_same = [r for r in entry.related if glossary.by_id[r].category == entry.category]
    assert chosen[:len(related_same[:3])] == related_same[:3]
    assert entry.id not in chosen and len(chosen) == 3
    assert all(glossary.by_id[c].category == entry.category for c in chosen)


def test_a_sentence_using_the_term_twice_is_not_asked_and_long_ones_are_cut() -> None:
    twice = Sentence("p1", "甲乙甲乙都在。", ((0, 2, "x"), (2, 4, "y"), (4, 6, "x")))
    long = Sentence("p2", "第一句很长很长，" * 16 + "甲乙出现在这里，" + "后面还有很多话，" * 16 + "完。", ())
    start = long.text.index("甲乙")
    long = Sentence("p2", long.text, ((start, start + 2, "x"),))
    blanks = make_blanks([twice, long], ["x", "y"], "a")
    assert blanks[0] == Blank("x", "p2", blanks[0].before, "甲乙", blanks[0].after, "a")
    assert blanks[0].before.startswith("…") and blanks[0].after.endswith("…")
    assert len(blanks[0].before + "甲乙" + blanks[0].after) <= 95
    assert blanks[1].term == "y" and blanks[1].anchor == "p1"


def test_answers_compare_without_spaces_quotes_or_width() -> None:
    assert normalise_answer(" “内卷式”竞争 ") == normalise_answer("内卷式竞争") == "内卷式竞争"
    assert normalise_answer("「內捲式」競爭") == "內捲式競爭"
    assert normalise_answer("ＡＢＣ（一）") == "ABC一"
