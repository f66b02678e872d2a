"""What a reader does, in a real Chromium: hover, focus, tap and Escape on terms; switch script."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTICLES = ["articles/sige-dazhua.html", "zh-hant/articles/sige-dazhua.html"]


def tooltip_of(page, term):
    return page.locator(f"#{term.get_attribute('aria-describedby')}")


@pytest.mark.parametrize("path", ARTICLES)
def test_hover_opens_and_stays_open_over_the_tooltip(context_factory, http_site, path) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + path)
    term = page.locator("a.term.primary").nth(2)
    tip = tooltip_of(page, term)
    assert tip.get_attribute("role") == "tooltip"
    assert not tip.is_visible()
    term.hover()
    assert tip.is_visible()
    text = tip.inner_text()
    entry = term.get_attribute("data-term")
    assert tip.locator("[lang=zh-Latn-pinyin]").inner_text().strip()
    assert tip.locator(".def").inner_text().strip()
    assert tip.locator("a").last.get_attribute("href").endswith(f"terms/{entry}.html")
    assert len(text) > 20
    # WCAG 1.4.13: the pointer can move onto the tooltip without it closing.
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    assert tip.is_visible()
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()


@pytest.mark.parametrize("path", ARTICLES)
def test_tab_focus_opens_and_escape_closes(context_factory, http_site, path) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + path)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.term"):
            break
    term = page.locator(":focus")
    assert term.get_attribute("data-term"), "Tab never reached a term"
    tip = tooltip_of(page, term)
    assert tip.is_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden(timeout=100)   # at once, without the hover grace period
    assert page.evaluate("document.activeElement.dataset.term") == term.get_attribute("data-term")
    page.keyboard.press("Tab")   # focus moves on: the next term's tooltip opens again
    nxt = page.locator(":focus")
    if nxt.get_attribute("data-term"):
        assert tooltip_of(page, nxt).is_visible()


@pytest.mark.parametrize("path", ARTICLES)
def test_tap_opens_inside_a_phone_screen_and_tap_elsewhere_closes(context_factory, http_site, path) -> None:
    context = context_factory(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(http_site + path)
    for index in (0, 5, 12):
        term = page.locator("a.term").nth(index)
        term.scroll_into_view_if_needed()
        term.tap()
        tip = tooltip_of(page, term)
        assert tip.is_visible()
        assert page.url.startswith(http_site + path), "a tap must not navigate away"
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        page.locator("h1").tap()
        expect(tip).to_be_hidden()


@pytest.mark.parametrize("path", ARTICLES)
def test_a_later_occurrence_shows_the_definition_too(context_factory, http_site, path) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + path)
    later = page.locator("a.term:not(.primary)").nth(3)
    term = later.get_attribute("data-term")
    later.hover()
    tip = tooltip_of(page, later)
    assert tip.is_visible()
    primary_def = page.locator(f'a.term.primary[data-term="{term}"] + .tip .def').text_content()
    assert tip.locator(".def").inner_text() == primary_def


def test_css_alone_opens_tooltips_when_javascript_is_off(context_factory, http_site) -> None:
    page = context_factory(java_script_enabled=False, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_site + ARTICLES[1])
    term = page.locator("a.term").first
    box = term.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert tooltip_of(page, term).is_visible()
    page.mouse.move(5, 5)
    expect(tooltip_of(page, term)).to_be_hidden()
    term.focus()
    assert tooltip_of(page, term).is_visible()


@pytest.mark.parametrize("start, other, lang", [(ARTICLES[0], ARTICLES[1], "zh-Hant"), (ARTICLES[1], ARTICLES[0], "zh-Hans")])
def test_language_switch_lands_on_the_same_article(context_factory, http_site, start, other, lang) -> None:
    page = context_factory().new_page()
    page.goto(http_site + start)
    paragraphs = page.locator("[id^=p]").evaluate_all("els => els.map(e => e.id)")
    page.locator(f".lang-switch a[hreflang={lang}]").click()
    page.wait_for_load_state()
    assert page.url == http_site + other
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("[id^=p]").evaluate_all("els => els.map(e => e.id)") == paragraphs
