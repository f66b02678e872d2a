"""The trainer's kit in a real Chromium, from file:// as trainees open the unzipped site:
quiz and fill-in scoring kept across reloads, and the handout printed to PDF."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import opencc
import pytest
from playwright.sync_api import expect

from helpers import REPO

pytestmark = pytest.mark.browser
SHOTS = REPO / "test-output" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
S2TW = opencc.OpenCC("s2tw")


def file_url(built_site: Path, path: str) -> str:
    return (built_site / "_site" / path).as_uri()


def score(page, part: str) -> tuple[int, int, int]:
    """(answered, total, right) as the score line shows them."""
    done, total, right = map(int, re.findall(r"\d+", page.locator(f"#{part} .score").inner_text()))
    return done, total, right


def test_quiz_scores_a_right_and_a_wrong_answer_and_keeps_the_score(context_factory, built_site) -> None:
    page = context_factory(**PHONE).new_page()
    page.goto(file_url(built_site, "study/sige-dazhua.html"))
    page.locator("[data-tab=quiz]").click()
    questions = page.locator("#quiz .q")
    total = questions.count()
    assert score(page, "quiz") == (0, total, 0)
    first, second = questions.nth(0), questions.nth(1)
    first.locator(f'.option[data-id="{first.get_attribute("data-id")}"]').click()
    expect(first.locator(".feedback")).to_have_class(re.compile(r"\bright\b"))
    second.locator(f'.option:not([data-id="{second.get_attribute("data-id")}"])').first.click()
    expect(second.locator(".feedback")).to_have_class(re.compile(r"\bwrong\b"))
    assert score(page, "quiz") == (2, total, 1)
    # A second click does not change a given answer.
    second.locator(f'.option[data-id="{second.get_attribute("data-id")}"]').click(force=True)
    assert score(page, "quiz") == (2, total, 1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -140)")
    page.screenshot(path=str(SHOTS / "zh-hans-study-quiz-phone.png"))
    page.reload()
    assert page.locator("#quiz").is_visible(), "the tab chosen last is shown again"
    assert score(page, "quiz") == (2, total, 1)
    expect(first.locator(".option.right")).to_have_count(1)
    expect(second.locator(".option.wrong")).to_have_count(1)
    assert second.locator(".option").first.is_disabled()


def test_fill_in_accepts_the_term_in_either_script(context_factory, built_site) -> None:
    page = context_factory(**PHONE).new_page()
    page.goto(file_url(built_site, "study/sige-dazhua.html") + "#fill")
    simplified = {item.get_attribute("data-id"): item.locator(".feedback").get_attribute("data-wrong").rsplit("：", 1)[1]
                  for item in page.locator("#fill .b").all()}
    # Items whose term is written differently in the two scripts, so typing the other script means something.
    differ = [i for i, (term, written) in enumerate(simplified.items()) if S2TW.convert(written) != written][:2]
    assert len(differ) == 2
    for path, to_other in (("study/sige-dazhua.html", S2TW.convert), ("zh-hant/study/sige-dazhua.html", None)):
        if to_other is None:
            # The score is one for both scripts: the Traditional page shows what was answered on the other.
            page.goto(file_url(built_site, path) + "#fill")
            assert score(page, "fill")[::2] == (3, 2)
            page = context_factory(**PHONE).new_page()   # a fresh browser for the Traditional page's own answers
        page.goto(file_url(built_site, path) + "#fill")
        items = page.locator("#fill .b")
        total = items.count()
        typed = []
        for index in differ:
            item = items.nth(index)
            shown = item.locator(".feedback").get_attribute("data-wrong").rsplit("：", 1)[1]
            # On the Simplified page type Traditional; on the Traditional page type Simplified.
            answer = to_other(shown) if to_other else simplified[item.get_attribute("data-id")]
            assert answer != shown
            typed.append(answer)
            item.locator("input").fill(answer)
            item.locator("input").press("Enter")
            expect(item.locator(".feedback")).to_have_class(re.compile(r"\bright\b"))
        wrong = items.nth(max(differ) + 1)
        wrong.locator("input").fill("不是这个词")
        wrong.locator(".check").click()
        expect(wrong.locator(".feedback")).to_have_class(re.compile(r"\bwrong\b"))
        assert score(page, "fill") == (3, total, 2)
        if to_other is None:
            items.nth(differ[0]).scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -160)")
            page.screenshot(path=str(SHOTS / "zh-hant-study-fill-phone.png"))
        page.reload()
        assert score(page, "fill") == (3, total, 2)
        assert items.nth(differ[0]).locator("input").input_value() == typed[0]


def test_flashcards_flip_and_remember_on_a_phone(context_factory, built_site) -> None:
    for prefix, script in (("", "zh-hans"), ("zh-hant/", "zh-hant")):
        page = context_factory(**PHONE).new_page()   # a fresh browser: what one script remembers, both share
        page.goto(file_url(built_site, prefix + "study/sige-dazhua.html") + "#cards")
        card = page.locator(".card.current")
        expect(card).to_have_count(1)
        assert card.locator(".card-term").is_visible() and not card.locator(".card-def").is_visible()
        page.screenshot(path=str(SHOTS / f"{script}-study-flashcard-front-phone.png"))
        page.locator(".card-flip").click()
        assert card.locator(".card-def").is_visible() and card.locator(".card-py").is_visible()
        page.screenshot(path=str(SHOTS / f"{script}-study-flashcard-back-phone.png"))
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        first = card.get_attribute("data-id")
        page.locator(".card-known").click()
        page.locator(".card-next").click()
        assert page.locator(".card.current").get_attribute("data-id") != first
        page.reload()
        assert page.locator(f'.card[data-id="{first}"]').get_attribute("class").split().count("known") == 1
        # Definition first: the clue shows, the term and the unmasked definition do not.
        page.locator(".card-reverse").check()
        card = page.locator(".card.current")
        term = card.locator(".card-term").text_content()
        assert not card.locator(".card-term").is_visible() and not card.locator(".card-def").is_visible()
        assert card.locator(".card-clue").is_visible() and term not in card.locator(".card-clue").inner_text()
        page.locator(".card-flip").click()
        assert card.locator(".card-term").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def pdf_text(pdf: Path) -> list[str]:
    """Each page's text in drawing order (two note columns one after the other), read by poppler's
    pdftotext; pages end with a form feed."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [unicodedata.normalize("NFKC", page) for page in text.split("\f")[:-1]]


def pdf_size(pdf: Path) -> str:
    """The paper size poppler's pdfinfo reads from the PDF (e.g. "A4")."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Page size:.*\((\w+)\)", info, flags=re.M).group(1)


def note_numbers(pages: list[str], heading: str) -> list[str]:
    """Numbers that open a line of the printed notes (after their heading), * marking an editor's note."""
    text = "\n".join(pages)
    notes = text[text.rindex(heading):] if heading in text else ""
    return re.findall(r"^(\*?\d+)\s", notes, flags=re.M)


def test_handout_pdf_pages_page_numbers_and_one_note_numbering(context_factory, built_site, tmp_path) -> None:
    assert shutil.which("pdftotext") and shutil.which("pdftoppm"), \
        "poppler-utils reads and draws the printed pages; scripts/ensure-test-deps.sh installs it"
    page = context_factory().new_page()
    counts = {}
    for path, choices in (("handouts/sige-dazhua.html", ("first", "all", "text")),
                          ("handouts/gongye-da-tupo.html", ("first", "text")),
                          ("zh-hant/handouts/sige-dazhua.html", ("first",))):
        for choice in choices:
            page.goto(file_url(built_site, path) + f"?notes={choice}")
            pdf = tmp_path / f"{path.replace('/', '-')}-{choice}.pdf"
            page.pdf(path=str(pdf), prefer_css_page_size=True)
            pages = pdf_text(pdf)
            counts[path, choice] = len(pages)
            assert pdf_size(pdf) == "A4", (path, choice)
            title = unicodedata.normalize("NFKC", page.locator("h1").inner_text())
            for number, text in enumerate(pages, 1):
                flat = re.sub(r"\s", "", text)
                assert f"{number}/{len(pages)}" in flat, (path, choice, number)      # page numbers
                assert re.sub(r"\s", "", title) in flat                               # running title
                assert "贵州日报" in text or "貴州日報" in text                          # source line
            numbers = note_numbers(pages, unicodedata.normalize("NFKC", page.locator("#hnotes-title").inner_text()))
            fixes = page.locator(".handout-body .nref.fix").count()
            if choice == "text":
                assert numbers == [f"*{n}" for n in range(1, fixes + 1)] and fixes == 1
                continue
            # One numbering: 1, 2, 3 … once each; the editor's note holds a number no term note has.
            assert [int(n.lstrip("*")) for n in numbers] == list(range(1, page.locator(".hnote").count() + 1)), (path, choice)
            assert sum(n.startswith("*") for n in numbers) == fixes == 1, (path, choice, numbers)
            page.emulate_media(media="print")
            visible = page.locator(".handout-body .nref:visible").all_inner_texts()
            page.emulate_media(media="null")   # back to no emulation: page.pdf prints with the print rules
            marks = [int(re.sub(r"\D", "", v)) for v in visible]
            firsts = list(dict.fromkeys(marks))
            assert firsts == list(range(1, len(numbers) + 1))
            if choice == "first":
                assert len(marks) == len(firsts), "first use: each note marked once"
            else:
                assert len(marks) > len(firsts), "every use: later uses marked too"
            if choice == "first" and "sige" in path:
                script = "zh-hant" if path.startswith("zh-hant") else "zh-hans"
                SHOTS.mkdir(parents=True, exist_ok=True)
                for old in SHOTS.glob(f"handout-{script}-sige-dazhua-first-page-*.png"):
                    old.unlink()
                subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / f"handout-{script}-sige-dazhua-first-page")],
                               check=True)
                assert len(list(SHOTS.glob(f"handout-{script}-sige-dazhua-first-page-*.png"))) == len(pages)
    assert counts["handouts/sige-dazhua.html", "first"] <= 9
    assert counts["handouts/sige-dazhua.html", "text"] < counts["handouts/sige-dazhua.html", "first"] \
        <= counts["handouts/sige-dazhua.html", "all"]
    assert counts["handouts/gongye-da-tupo.html", "text"] < counts["handouts/gongye-da-tupo.html", "first"]
    (SHOTS / "handout-page-counts.txt").write_text(
        "".join(f"{path}\t{choice}\t{n} pages\n" for (path, choice), n in sorted(counts.items())), encoding="utf-8")


@pytest.mark.parametrize("path", ["study/sige-dazhua.html#quiz", "zh-hant/handouts/sige-dazhua.html"])
def test_axe_finds_nothing_serious_on_the_trainer_pages(context_factory, http_site, path) -> None:
    page = context_factory(**PHONE).new_page()
    page.goto(http_site + path)   # over HTTP: axe reads the stylesheets, which file:// forbids
    page.add_script_tag(path=str(REPO / "scripts" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
    violations = page.evaluate("async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_printed_worksheet_has_its_answer_key_on_a_page_of_its_own(context_factory, built_site, tmp_path) -> None:
    page = context_factory().new_page()
    page.goto(file_url(built_site, "study/sige-dazhua.html"))
    pdf = tmp_path / "worksheet.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pdf_text(pdf)
    heading = page.locator("#key-title").inner_text()
    assert [heading in p for p in pages] == [False] * (len(pages) - 1) + [True]
    key = pages[-1]
    assert "姓名" in pages[0] and "姓名" not in key
    first_prompt = page.locator("#quiz .q.ws .prompt").first.inner_text()[:12]
    assert first_prompt in re.sub(r"\s", "", "".join(pages[:-1])) and first_prompt not in re.sub(r"\s", "", key)
    answers = page.locator("#sheet .key-list").first.locator("li").all_inner_texts()
    assert len(answers) == 15 and all(re.sub(r"\s", "", a) in re.sub(r"\s", "", key) for a in answers)
    # Only the worksheet's questions are printed: fifteen of each kind, not every term.
    page.emulate_media(media="print")
    assert page.locator("#quiz .q:visible").count() == 15 and page.locator("#fill .b:visible").count() == 15
    assert not page.locator("#cards").is_visible()
