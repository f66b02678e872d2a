"""What a reader does, in a real Chromium, on a phone (390×844) and a desktop (1366×900), in both
scripts, hosted (127.0.0.1) and from file://: term explanations, settings, finding one's way,
copying, the keyboard, search, typography.

One browser for the session and one page per device and origin for this module, reused by
every test (each test leaves the settings as it found them). Screenshots of each state go to
test-output/screenshots/reader-STATE-SCRIPT-DEVICE.png; the measured figures (marks per 100
characters under each setting, Tab stops per article, page weight) to test-output/reader-figures.json.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM_ARGS, Guard   # noqa: F401 - the shared Chromium flags and request guard
from helpers import REPO
from policyreader.site.search import read_script_file

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
ROUND = "articles/sige-dazhua.html"      # the round-table: the longest page
REPORT = "articles/gongye-da-tupo.html"  # a page of pieces: data box, timeline
SCRIPTS = {"zh-hans": "", "zh-hant": "zh-hant/"}
SHOTS = REPO / "test-output" / "screenshots"
FIGURES = REPO / "test-output" / "reader-figures.json"
AXE = REPO / "scripts" / "node" / "node_modules" / "axe-core" / "axe.min.js"

# Geometry of the open card and of the paragraph it explains, in viewport pixels.
GEOMETRY = """() => {
  const card = document.getElementById('card');
  const term = document.querySelector('a.term[aria-expanded="true"]');
  const para = term.closest('p, li, blockquote, figcaption');
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const header = document.querySelector('.site-header').getBoundingClientRect().bottom;
  return {card: box(card.getBoundingClientRect()), term: box(term.getClientRects()[0]), para: box(para.getBoundingClientRect()),
          vw: document.documentElement.clientWidth, vh: innerHeight, header, label: card.getAttribute('aria-label')};
}"""
SHOWN = "() => [...document.querySelectorAll('.card, .tip')].filter(e => e.getClientRects().length).length"


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def inside(box: dict, g: dict) -> bool:
    return box["left"] >= 0 and box["top"] >= 0 and box["right"] <= g["vw"] and box["bottom"] <= g["vh"]


@pytest.fixture(scope="module")
def origins(http_site: str, built_site: Path) -> dict[str, str]:
    return {"http": http_site, "file": (built_site / "_site").as_uri() + "/"}


@pytest.fixture(scope="module")
def tab(browser):
    """tab(device, origin, js=True): one page per kind, made once for the module."""
    made, guards = {}, []

    def get(device: str, js: bool = True, **extra):
        key = (device, js, tuple(sorted(extra)))
        if key not in made:
            context = browser.new_context(java_script_enabled=js, **(DESKTOP if device == "desktop" else PHONE), **extra)
            guard = Guard()
            guard.watch(context)
            guards.append(guard)
            made[key] = context.new_page()
        return made[key]

    yield get
    for page in made.values():
        page.context.close()
    for guard in guards:
        assert guard.outside == [], f"requests left the site: {guard.outside}"
        assert guard.errors == [], f"console errors: {guard.errors}"


@pytest.fixture(scope="module")
def figures():
    found: dict = {}
    yield found
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    FIGURES.write_text(json.dumps({**old, **found}, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def paragraphs(built_site: Path) -> dict[str, dict[str, str]]:
    """Each script's paragraph texts by page and ¶ id, from the search files the build wrote."""
    texts = {}
    for script, prefix in SCRIPTS.items():
        for path in (built_site / "_site" / prefix / "search" / "t").glob("*.js"):
            key, _, paragraphs = read_script_file(path.read_bytes())
            texts[prefix + key] = dict(paragraphs)
    return texts


def shot(page, state: str, script: str, device: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reader-{state}-{script}-{device}.png"))


def reset(page) -> None:
    """Forget the settings, so the next test starts from the defaults."""
    page.evaluate("localStorage.clear()")


# ---- Term explanations -------------------------------------------------------------------

MIXED = [("zh-hans", "http"), ("zh-hant", "file")]     # both scripts, both origins, in two runs
MIXED_TOO = [("zh-hant", "http"), ("zh-hans", "file")]


@pytest.mark.parametrize("script, origin", MIXED)
def test_desktop_card_stays_in_the_viewport_and_off_the_paragraph(tab, origins, origin, script) -> None:
    page = tab("desktop")
    page.goto(origins[origin] + SCRIPTS[script] + ROUND)
    terms = page.locator("a.term.fs")
    count = terms.count()
    for index in (0, count // 3, 2 * count // 3, count - 1):
        term = terms.nth(index)
        for where in ("low", "high"):
            # The term's line 30 px above the bottom of the window, or just under the header.
            term.evaluate("(el, low) => { const r = el.getClientRects()[0]; "
                          "scrollBy(0, low ? r.bottom - innerHeight + 30 : r.top - 90); }", where == "low")
            term.hover()
            g = page.evaluate(GEOMETRY)
            assert g["label"] == term.inner_text()
            assert inside(g["card"], g) and g["card"]["top"] >= g["header"], (index, where, g)
            assert not overlaps(g["card"], g["para"]), f"the card covers the paragraph being read: {g}"
            height = g["card"]["bottom"] - g["card"]["top"]
            if g["term"]["top"] + height > g["vh"] - 8:   # no room below the line: it flips above
                assert g["card"]["bottom"] <= g["term"]["bottom"] + 8, g
            else:                                           # else level with the term's line
                assert abs(g["card"]["top"] - g["term"]["top"]) <= 8, g
            assert page.evaluate(SHOWN) == 1
            if origin == "http" and index == count // 3 and where == "low":
                shot(page, "card", script, "desktop")
            page.keyboard.press("Escape")
            expect(page.locator("#card")).to_be_hidden()


@pytest.mark.parametrize("script, origin", MIXED_TOO)
def test_phone_sheet_one_at_a_time_second_tap_escape_outside_and_close_button(tab, origins, origin, script) -> None:
    page = tab("phone")
    page.goto(origins[origin] + SCRIPTS[script] + ROUND)
    card = page.locator("#card")
    first, second = page.locator("a.term.fs").nth(5), page.locator("a.term.fs").nth(9)
    first.tap()
    g = page.evaluate(GEOMETRY)
    assert "sheet" in card.get_attribute("class")
    assert g["card"]["left"] == 0 and g["card"]["right"] == 390 and abs(g["card"]["bottom"] - 844) < 1, g
    assert g["term"]["bottom"] <= g["card"]["top"] and g["term"]["top"] >= g["header"], "the term stays in sight above the sheet"
    assert page.url.split("#")[0].endswith(ROUND), "a tap must not navigate away"
    expect(card.locator(".card-close")).to_be_visible()
    if origin == "http":
        shot(page, "sheet", script, "phone")
    second.tap()
    assert page.evaluate(SHOWN) == 1 and card.get_attribute("aria-label") == second.inner_text()
    second.tap()                                          # a second tap closes it
    expect(card).to_be_hidden()
    first.tap()
    page.touchscreen.tap(386, 300)                        # a tap outside closes it
    expect(card).to_be_hidden()
    first.tap()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    first.tap()
    card.locator(".card-close").tap()
    expect(card).to_be_hidden()
    assert page.evaluate(SHOWN) == 0


@pytest.mark.parametrize("script", ["zh-hant"])
def test_desktop_one_at_a_time_on_hover_click_and_quick_tabbing(tab, origins, script) -> None:
    page = tab("desktop")
    page.goto(origins["http"] + SCRIPTS[script] + ROUND)
    card = page.locator("#card")
    terms = page.locator("a.term.fs")
    terms.nth(2).hover()
    terms.nth(2).click()                 # pins it: the pointer may leave
    page.mouse.move(5, 500)
    page.wait_for_timeout(500)
    expect(card).to_be_visible()
    terms.nth(2).click()                 # a second click closes it
    expect(card).to_be_hidden()
    terms.nth(3).focus()
    for _ in range(6):                   # quick tabbing never stacks explanations
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert page.evaluate(SHOWN) <= 1
    if focused.get_attribute("data-term"):
        assert card.get_attribute("aria-label") == focused.inner_text()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert page.locator(":focus").get_attribute("data-term") == focused.get_attribute("data-term")


def test_without_javascript_css_opens_the_marked_terms_explanation(tab, origins, paragraphs) -> None:
    page = tab("desktop", js=False)
    page.goto(origins["http"] + SCRIPTS["zh-hant"] + ROUND)
    marked = page.locator("a.term.fs").nth(4)
    tip = page.locator("#" + marked.get_attribute("aria-describedby"))
    marked.hover()
    expect(tip).to_be_visible()
    shot(page, "no-javascript-tip", "zh-hant", "desktop")
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()
    marked.focus()
    expect(tip).to_be_visible()
    plain = page.locator("a.term:not(.fs)").first
    plain.hover()
    expect(page.locator("#" + plain.get_attribute("aria-describedby"))).to_be_hidden()
    page.mouse.move(5, 5)
    page.locator("body").focus()
    text = page.evaluate("id => { const r = document.createRange(); r.selectNodeContents(document.getElementById(id)); "
                         "getSelection().removeAllRanges(); getSelection().addRange(r); return getSelection().toString(); }", "p8")
    assert text == paragraphs["zh-hant/" + ROUND]["p8"]


@pytest.mark.parametrize("script", ["zh-hant"])
def test_screen_readers_hear_the_term_and_a_short_gloss(tab, origins, script) -> None:
    page = tab("desktop")
    page.goto(origins["http"] + SCRIPTS[script] + ROUND)
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "a.term.fs"})["nodeIds"][:12]:
        (ax,) = [n for n in cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
                 if n.get("role", {}).get("value") == "link"]
        name, description = ax["name"]["value"], ax["description"]["value"]
        term, _, gist = description.partition("：")
        assert term.strip("“”「」") in name.replace("“", "").replace("”", "").replace("「", "").replace("」", "") or name in term
        assert 4 <= len(gist) <= 42, description
    cdp.detach()


# ---- Settings ----------------------------------------------------------------------------

MARKS = """() => {
  const marked = [...document.querySelectorAll('a.term')].filter(t => getComputedStyle(t).textDecorationLine !== 'none');
  const text = [...document.querySelectorAll('.article p[id^="p"], .article li[id^="p"], .article figcaption')]
    .map(e => e.innerText).join('').replace(/\\s/g, '');
  const tabbable = [...document.querySelectorAll('a.term')].filter(t => t.tabIndex >= 0).length;
  return {marks: marked.length, characters: text.length, tabbable, ruby: document.querySelectorAll('a.term ruby').length};
}"""


@pytest.mark.parametrize("origin", ["http", "file"])
def test_settings_are_remembered_across_pages_and_scripts(tab, origins, origin, figures) -> None:
    page = tab("desktop")
    base = origins[origin]
    page.goto(base + ROUND)
    reset(page)
    page.reload()
    default = page.evaluate(MARKS)
    page.locator(".settings-toggle").click()
    expect(page.locator("#settings")).to_be_visible()
    if origin == "http":
        shot(page, "settings", "zh-hans", "desktop")
    page.check("#settings input[name=marks][value=every]")
    page.check("#settings input[name=pinyin]")
    page.check("#settings input[name=size][value=l]")
    page.keyboard.press("Escape")
    page.goto(base + "zh-hant/" + REPORT)                  # another article, the other script
    html = page.locator("html")
    assert (html.get_attribute("data-marks"), html.get_attribute("data-pinyin"), html.get_attribute("data-size")) == ("every", "on", "l")
    every = page.evaluate(MARKS)
    assert every["marks"] == every["tabbable"] == every["ruby"] == page.locator("a.term").count()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "19.125px"   # 1.0625rem of 112.5 %
    if origin == "http":
        page.locator("a.term").nth(3).scroll_into_view_if_needed()
        shot(page, "pinyin-every-use", "zh-hant", "desktop")
    page.locator(".settings-toggle").click()
    assert page.is_checked("#settings input[name=marks][value=every]") and page.is_checked("#settings input[name=pinyin]")
    page.check("#settings input[name=marks][value=off]")
    page.goto(base + "glossary.html")
    assert page.locator("html").get_attribute("data-marks") == "off"
    page.goto(base + ROUND)
    off = page.evaluate(MARKS)
    assert off["marks"] == off["tabbable"] == off["ruby"] == 0
    reset(page)
    if origin == "http":
        page.goto(base + "zh-hant/" + REPORT)
        report_default = page.evaluate(MARKS)
        page.evaluate("localStorage.setItem('policy-reader', JSON.stringify({marks: 'every'}))")
        page.reload()
        report_every = page.evaluate(MARKS)
        reset(page)
        page.goto(base + ROUND)
        page.evaluate("localStorage.setItem('policy-reader', JSON.stringify({marks: 'every'}))")
        page.reload()
        round_every = page.evaluate(MARKS)
        reset(page)
        per100 = {}
        for name, found in ((ROUND, {"section": default, "every": round_every}), (REPORT, {"section": report_default, "every": report_every})):
            chars = found["section"]["characters"]
            per100[name] = {mode: round(100 * f["marks"] / chars, 2) for mode, f in found.items()}
            per100[name].update(off=0.0, characters=chars, marks={mode: f["marks"] for mode, f in found.items()})
        figures["marks per 100 characters"] = per100
        assert per100[ROUND]["section"] < 1.5 < per100[ROUND]["every"], per100


# ---- Finding one's way --------------------------------------------------------------------

@pytest.mark.parametrize("origin", ["http", "file"])
def test_script_switch_keeps_paragraph_query_and_anchor(tab, origins, origin) -> None:
    page = tab("desktop")
    base = origins[origin]
    page.goto(base + ROUND)
    page.locator("#p12").evaluate("el => scrollBy(0, el.getBoundingClientRect().top - 70)")
    # Click where the link is, as a reader would (Playwright's own click scrolls a sticky
    # header's link "into view", which moves the page).
    box = page.locator(".lang-switch a[hreflang=zh-Hant]").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.url == base + "zh-hant/" + ROUND + "#p12"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    target = page.locator("#p12")
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 241, 184)"   # highlighted
    top = target.evaluate("el => el.getBoundingClientRect().top")
    assert 40 <= top < 200, "in sight, under the sticky header"
    if origin == "http":
        shot(page, "switched-paragraph", "zh-hant", "desktop")
    page.goto(base + "zh-hant/search.html?q=" + "富礦")
    page.wait_for_selector(".result-count")
    page.locator(".lang-switch a[hreflang=zh-Hans]").click()
    page.wait_for_selector(".result-count")
    assert page.url.startswith(base + "search.html?q=") and page.input_value("#q") == "富礦"
    assert page.locator(".result-term a").first.inner_text() == "富矿精开"
    page.goto(base + "glossary.html#fukuang-jingkai")
    page.locator(".lang-switch a[hreflang=zh-Hant]").click()
    page.wait_for_load_state()
    assert page.url == base + "zh-hant/glossary.html#fukuang-jingkai"


@pytest.mark.parametrize("origin", ["http", "file"])
def test_previous_next_back_to_top_and_contents(tab, origins, origin) -> None:
    page = tab("desktop")
    base = origins[origin]
    page.goto(base + ROUND)
    page.locator(".toc summary").click()
    page.locator(".toc a[href='#p25']").click()
    assert page.url.endswith("#p25")
    page.evaluate("scrollTo(0, 4000)")
    up = page.locator(".to-top")
    expect(up).to_be_visible()
    up.click()
    page.wait_for_function("scrollY === 0")
    # The two articles are of different months (2026-01, 2021-12): each hop lands on the list of
    # the article's month and goes on past its end to the next month's.
    page.locator(".pager-next").click()
    page.wait_for_url(base + REPORT)
    page.locator(".pager-prev").click()
    page.wait_for_url(base + ROUND)
    page.locator(".pager-prev").click()                    # the first has none: the list says so
    page.wait_for_url(base + "archive/2026-01.html#before-sige-dazhua")
    expect(page.locator("#hop-note")).to_be_visible()
    assert page.locator("#hop-note").inner_text() == "这已是第一篇。"


@pytest.mark.parametrize("script", SCRIPTS)
def test_phone_header_is_slim_and_sticky_and_the_term_list_starts_closed(tab, origins, script) -> None:
    page = tab("phone")
    page.goto(origins["http"] + SCRIPTS[script] + ROUND)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 48
    page.evaluate("scrollTo(0, 3000)")
    assert header.bounding_box()["y"] == 0
    expect(page.locator("#site-q")).to_be_visible()
    toggle = page.locator(".terms-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    expect(page.locator("#terms-list")).to_be_hidden()
    toggle.tap()
    expect(page.locator("#terms-list")).to_be_visible()
    page.goto(origins["http"] + SCRIPTS[script] + ROUND + "#note-fukuang-jingkai")
    expect(page.locator("#note-fukuang-jingkai")).to_be_visible()
    # The date the paper did not print is said so in words, not in a hover hint.
    page.goto(origins["http"] + SCRIPTS[script] + ROUND)
    expect(page.locator(".meta .date-unknown")).to_be_visible()
    expect(page.locator(".date-note")).to_be_visible()
    shot(page, "top", script, "phone")
    page.locator("#site-q").fill("fukuang")
    page.locator("#site-q").press("Enter")
    page.wait_for_selector(".result-term")
    assert page.locator(".result-term a").first.get_attribute("href").endswith("terms/fukuang-jingkai.html")


# ---- Copying, the keyboard -----------------------------------------------------------------

SELECT = """id => { const r = document.createRange(); r.selectNodeContents(document.getElementById(id));
  getSelection().removeAllRanges(); getSelection().addRange(r); return getSelection().toString(); }"""


@pytest.mark.parametrize("script, origin", MIXED + MIXED_TOO)
def test_copying_a_paragraph_gives_its_text(tab, origins, paragraphs, origin, script) -> None:
    page = tab("desktop", permissions=["clipboard-read", "clipboard-write"]) if origin == "http" else tab("desktop")
    for key, ids in ((ROUND, ["p3", "p5", "p8", "p21"]), (REPORT, ["p26", "p31"])):
        path = SCRIPTS[script] + key
        page.goto(origins[origin] + path)
        page.locator("a.term.fs").first.hover()           # an open explanation is never part of it
        for pid in ids:
            expected = paragraphs[path][pid]
            assert page.evaluate(SELECT, pid) == expected, pid
            if origin == "http":
                page.evaluate("document.execCommand('copy')")
                assert page.evaluate("navigator.clipboard.readText()") == expected, pid


RECORD_FOCUS = """() => { window.stops = []; const seen = new Map();
  document.addEventListener('focusin', e => { const t = e.target; if (!seen.has(t)) seen.set(t, seen.size);
    stops.push([t.tagName, t.className, t.dataset.term ? [...document.querySelectorAll('a.term')].indexOf(t) : -1,
                !!t.closest('.tip, .card'), seen.get(t)]); }); }"""


def test_one_tab_stop_per_marked_term_and_none_inside_explanations(tab, origins, figures) -> None:
    page = tab("desktop")
    counts = {}
    for key in (ROUND, REPORT):
        page.goto(origins["http"] + key)
        marked = page.locator("a.term.fs").count()
        tabbable = page.evaluate("[...document.querySelectorAll('a[href], button, input, summary, [tabindex]')]"
                                 ".filter(e => e.tabIndex >= 0 && e.getClientRects().length).length")
        page.evaluate(RECORD_FOCUS)
        for _ in range(tabbable + 2):
            page.keyboard.press("Tab")
        stops = page.evaluate("stops")
        stops = stops[:next((i for i, s in enumerate(stops) if s[4] < i), len(stops))]   # until Tab comes round again
        terms = [s[2] for s in stops if s[2] >= 0]
        assert len(terms) == len(set(terms)) == marked, "each marked term once, the others never"
        assert not any(s[3] for s in stops), "nothing inside an explanation takes a Tab stop"
        counts[key] = {"tab stops": len(stops), "terms": len(terms), "paragraph numbers": sum(s[1] == "pnum" for s in stops),
                       "terms with every use marked": page.locator("a.term").count()}
    figures["Tab stops per article (default marks)"] = counts


@pytest.mark.parametrize("origin", ["http", "file"])
def test_a_paragraph_number_offers_its_citation(tab, origins, origin) -> None:
    page = tab("desktop", permissions=["clipboard-read", "clipboard-write"]) if origin == "http" else tab("desktop")
    page.goto(origins[origin] + "zh-hant/" + REPORT)
    page.locator("#p12 a.pnum").click()
    card = page.locator("#card")
    expect(card).to_be_visible()
    assert page.url.endswith("#p12")
    cite = card.locator(".cite-text").inner_text()
    assert cite.startswith("江婷婷、桂榕：《當好排頭兵 奮力推進工業大突破》，《貴州日報》，刊發日期不詳，第12段。")
    if origin == "http":
        shot(page, "cite", "zh-hant", "desktop")
        card.locator("button.copy").click()
        expect(card.locator("button.copy")).to_have_text("已複製")
        assert page.evaluate("navigator.clipboard.readText()") == cite
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()


# ---- Search --------------------------------------------------------------------------------

@pytest.mark.parametrize("script, origin", MIXED + MIXED_TOO)
def test_search_finds_terms_by_english_pinyin_and_part(tab, origins, origin, script) -> None:
    page = tab("desktop")
    for query, term in (("digital", "shuzi-jingji"), ("fukuang", "fukuang-jingkai"), ("fùkuàng", "fukuang-jingkai"),
                        ("fu4kuang4 jing1kai1", "fukuang-jingkai"), ("富矿", "fukuang-jingkai"), ("富礦", "fukuang-jingkai"),
                        ("energy storage", None), ("yingshang huanjing", "yingshang-huanjing")):
        page.goto(origins[origin] + SCRIPTS[script] + "search.html?q=" + query)
        page.wait_for_selector(".result-count")
        if term is None:
            continue
        cards = page.locator(".result-term a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert any(h.endswith("terms/" + term + ".html") for h in cards[:5]), (query, cards)
        assert page.locator(".results a[href*='#p']").count() > 0, f"{query}: the paragraphs naming the term"
        if query == "fukuang" and origin == "http":
            shot(page, "search-pinyin", script, "desktop")


# ---- Typography ----------------------------------------------------------------------------

TYPE = """() => {
  const out = {gaps: [], lineStarts: [], pnums: [], pairs: []};
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
  document.body.appendChild(probe);
  for (const run of document.querySelectorAll('.article p .lat')) {
    probe.style.font = getComputedStyle(run).font;
    probe.textContent = run.textContent;
    const gap = run.getBoundingClientRect().width - probe.getBoundingClientRect().width;
    if (run.getClientRects().length === 1 && Math.abs(gap) > 0.5) out.gaps.push([run.textContent, gap]);
  }
  // No line starts with a comma or stop (the timeline's stray "，" was one).
  for (const block of document.querySelectorAll('.article p[id^="p"], .article li[id^="p"]')) {
    const left = block.getBoundingClientRect().left + parseFloat(getComputedStyle(block).paddingLeft);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      if (n.parentElement.closest('.tip')) continue;
      for (let i = 0; i < n.length; i++) {
        if ('，。、；：'.includes(n.data[i])) {
          const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
          const box = r.getBoundingClientRect();
          if (box.width && box.left - left < 2) out.lineStarts.push(block.id + ':' + n.data.slice(i, i + 8));
        }
      }
    }
  }
  // Paragraph numbers stand clear of the boxes' borders.
  for (const pnum of document.querySelectorAll('.piece-data .pnum, .piece-timeline .pnum, .piece-editors-note .pnum, .question .pnum')) {
    const box = pnum.closest('.piece-data, .piece-timeline, .piece-editors-note, .question').getBoundingClientRect();
    const r = pnum.getBoundingClientRect();
    if (!(r.right <= box.left - 2 && r.left >= 0)) out.pnums.push([pnum.dataset.n, r.left, r.right, box.left]);
  }
  // Adjacent CJK punctuation shares one em (”，  。“  」，).
  const size = parseFloat(getComputedStyle(document.querySelector('.article p[id^="p"]')).fontSize);
  const walker = document.createTreeWalker(document.querySelector('.article'), NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const m = /[”」][，。、]|[，。][“「]/.exec(n.data);
    if (m && !n.parentElement.closest('.tip')) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + 2);
      const rects = r.getClientRects();
      if (rects.length === 1) out.pairs.push(rects[0].width / size);
    }
  }
  probe.remove();
  return out;
}"""


@pytest.mark.parametrize("device, script", [("desktop", "zh-hans"), ("phone", "zh-hant"), ("phone", "zh-hans")])
def test_justification_punctuation_timeline_and_paragraph_numbers(tab, origins, script, device) -> None:
    page = tab(device)
    for key in (REPORT, ROUND):
        page.goto(origins["http"] + SCRIPTS[script] + key)
        found = page.evaluate(TYPE)
        assert found["gaps"] == [], "no justification gaps inside Latin words and numbers"
        assert found["lineStarts"] == [], "no line starts with a comma or a stop"
        assert found["pnums"] == [], "paragraph numbers clear of box borders"
        assert found["pairs"] and max(found["pairs"]) <= 1.75, "adjacent punctuation shares one em (2 em uncompressed), plus justification"
    page.goto(origins["http"] + SCRIPTS[script] + REPORT + "#timeline")
    shot(page, "timeline", script, device)


# ---- Speakers, quotations ------------------------------------------------------------------

@pytest.mark.parametrize("script", ["zh-hant"])
def test_every_turn_says_who_speaks_and_questions_look_like_questions(tab, origins, script) -> None:
    page = tab("phone")
    page.goto(origins["http"] + SCRIPTS[script] + ROUND)
    labels = page.evaluate("""() => [...document.querySelectorAll('p.turn')].map(p => {
        const b = p.querySelector('.speaker');
        return [b ? b.textContent : getComputedStyle(p, '::before').content.replace(/"/g, ''), p.classList.contains('question'),
                getComputedStyle(p).backgroundColor]; })""")
    assert len(labels) == 34 and all(name for name, _, _ in labels)
    questions = {bg for _, question, bg in labels if question}
    answers = {bg for _, question, bg in labels if not question}
    assert len(questions) == 1 and not questions & answers
    assert sum(question for _, question, _ in labels) == 11
    page.locator("p.turn:not(.turn-start)").first.scroll_into_view_if_needed()
    shot(page, "speakers", script, "phone")
    assert page.locator("#editors-note .quote-label").all_inner_texts() == ["引文", "引文"]


# ---- Accessibility and weight -----------------------------------------------------------------

@pytest.mark.parametrize("device, script", [("desktop", "zh-hans"), ("phone", "zh-hant")])
def test_axe_finds_no_violation_in_any_state(tab, origins, script, device) -> None:
    """Every rule axe-core runs by default (not only serious ones), in the states readers see:
    an explanation open, the settings open, contents open with pinyin over the terms."""
    page = tab(device)
    base = origins["http"] + SCRIPTS[script]

    def axe(state: str) -> None:
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => (await axe.run()).violations.map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].html.slice(0, 120)])")
        assert found == [], state

    page.goto(base + ROUND)
    term = page.locator("a.term.fs").nth(3)
    term.tap() if device == "phone" else term.hover()
    page.locator(".settings-toggle").click()
    axe("explanation and settings open")
    page.check("#settings input[name=pinyin]")
    page.keyboard.press("Escape")
    page.goto(base + REPORT)
    page.locator(".toc summary").click()
    axe("contents open, pinyin on")
    reset(page)
    page.goto(base + "search.html?q=fukuang")
    page.wait_for_selector(".result-term")
    axe("search")


def test_page_weight_of_the_longest_article(built_site: Path, figures) -> None:
    site = built_site / "_site"
    pages = sorted(site.rglob("articles/*.html"), key=lambda p: p.stat().st_size)
    longest = pages[-1]
    raw = longest.read_bytes()
    assets = sum(len(gzip.compress((site / "static" / n).read_bytes(), 9)) for n in ("reader.css", "reader.js"))
    figures["page weight"] = {"page": longest.relative_to(site).as_posix(), "bytes": len(raw),
                              "gzip bytes": len(gzip.compress(raw, 9)), "css+js gzip bytes": assets}
    assert len(gzip.compress(raw, 9)) < 52_000 and assets < 16_000   # budget: about 6 % over the page before Reader v2
