"""The glossary's filter box and a term page, in a real Chromium, hosted and from file://."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(".entries li[data-k]", "els => els.filter(e => !e.hidden && e.offsetParent)"
                                     ".map(e => e.id)")


QUERIES = [   # (script folder, what a reader types, an entry it must find)
    ("", "消费扶贫", "xiaofei-fupin"),
    ("", "xiaofei", "xiaofei-fupin"),
    ("", "xiāofèi fúpín", "xiaofei-fupin"),
    ("", "xiao fei fu pin", "xiaofei-fupin"),
    ("", "Poverty Alleviation through", "xiaofei-fupin"),
    ("zh-hant/", "消費扶貧", "xiaofei-fupin"),
    ("zh-hant/", "消费扶贫", "xiaofei-fupin"),      # Simplified typed on the Traditional page
    ("", "lvyou chanye", "lvyou-chanyehua"),      # ü typed as v
]


@pytest.mark.parametrize("folder, query, expected", QUERIES, ids=[q[1] for q in QUERIES])
def test_filter_finds_by_characters_pinyin_and_english(context_factory, http_site, folder, query, expected) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + folder + "glossary.html")
    total = len(visible_ids(page))
    assert total >= 400
    box = page.locator("#glossary-filter-input")
    assert box.is_visible()
    box.fill(query)
    shown = visible_ids(page)
    assert expected in shown, (query, shown[:10])
    assert len(shown) < total / 10
    assert page.locator(".filter-count").inner_text() == f"{len(shown)} / {total}"
    box.fill("")
    assert len(visible_ids(page)) == total


def test_filter_hides_empty_categories_and_works_from_file(context_factory, built_site) -> None:
    page = context_factory().new_page()
    page.goto((built_site / "_site" / "glossary.html").as_uri())
    page.locator("#glossary-filter-input").fill("xiaofei fupin")
    sections = page.eval_on_selector_all("section.category", "els => els.filter(e => !e.hidden).length")
    assert sections == 1
    page.locator("#xiaofei-fupin a").click()
    page.wait_for_load_state()
    assert page.url.endswith("terms/xiaofei-fupin.html")
    assert page.locator("h1 .entry-term").inner_text() == "消费扶贫"


def test_without_javascript_the_filter_stays_hidden_and_the_list_is_whole(context_factory, http_site) -> None:
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(http_site + "glossary.html")
    assert not page.locator(".glossary-filter").is_visible()
    assert page.locator(".entries li[data-k]").count() >= 400
