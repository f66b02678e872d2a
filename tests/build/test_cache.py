"""The build's caches keyed by content: the memos of pinyin and QR codes, and what they spare."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, override
from policyreader.build.cache import qr_memo, spell_memo
from policyreader.site.handout import qr_svg
from policyreader.text.names import pinyin_words

SEED = "000_c77db80417356711.txt"   # a round-table: its guests have ids made from their names
NAMES = ["蒋莉莉", "谢强", "单霁翔", "曾国藩", "长孙无忌", "UNESCO 代表", "重庆"]


def test_the_memo_spells_as_pypinyin_and_asks_it_once_per_text(tmp_path: Path) -> None:
    asked: list[str] = []

    def spell(text: str) -> list[str]:
        asked.append(text)
        return pinyin_words(text)

    first = spell_memo(tmp_path / "pinyin", spell)
    assert [first(name) for name in NAMES] == [pinyin_words(name) for name in NAMES]
    # Another process (a later build, a worker) finds them without asking again.
    again = spell_memo(tmp_path / "pinyin", spell)
    assert [again(name) for name in NAMES] == [pinyin_words(name) for name in NAMES]
    assert asked == NAMES


def test_the_qr_memo_gives_the_code_segno_makes_and_makes_it_once(tmp_path: Path) -> None:
    made: list[str] = []

    def make(url: str, title: str) -> str:
        made.append(url)
        return qr_svg(url, title)

    urls = [f"https://example.org/articles/a{n}.html" for n in range(3)]
    first = qr_memo(tmp_path / "qr", make)
    assert [first(url, "在线阅读本文") for url in urls] == [qr_svg(url, "在线阅读本文") for url in urls]
    again = qr_memo(tmp_path / "qr", make)
    assert [again(url, "在线阅读本文") for url in urls] == [qr_svg(url, "在线阅读本文") for url in urls]
    assert again(urls[0], "線上閱讀本文") == qr_svg(urls[0], "線上閱讀本文")   # the title is part of the key
    assert made == [*urls, urls[0]]


def test_an_unreadable_entry_is_spelt_again(tmp_path: Path) -> None:
    memo = spell_memo(tmp_path / "pinyin", pinyin_words)
    memo("蒋莉莉")
    (entry,) = (tmp_path / "pinyin").rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert spell_memo(tmp_path / "pinyin", pinyin_words)("蒋莉莉") == ["jiang", "li", "li"]


def build_timing_imports(project: Path) -> subprocess.CompletedProcess:
    """A build whose stderr lists every module it imported (``-X importtime``)."""
    return subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--root", str(project)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_an_edit_of_a_seed_whose_people_were_spelt_before_does_not_load_pypinyin(project: Path) -> None:
    # The seed names its people (a round-table's guests): the first build spells them.
    shutil.rmtree(project / ".cache" / "pinyin", ignore_errors=True)
    first = build_timing_imports(project)
    assert first.returncode == 0, first.stderr
    assert any((project / ".cache" / "pinyin").rglob("*.pickle"))
    seed = project / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + "\n\n要坚持富矿精开。\n", encoding="utf-8")
    second = build_timing_imports(project)
    assert second.returncode == 0 and "1 built" in second.stdout, second.stderr
    assert re.search(r"\|\s+pypinyin\b", first.stderr), "the first build spells with pypinyin"
    assert not re.search(r"\|\s+pypinyin\b", second.stderr), "the rebuild found every name in the memo"


def test_a_template_edit_renders_every_article_again_without_making_its_qr_codes_again(project: Path) -> None:
    shutil.rmtree(project / ".cache" / "qr", ignore_errors=True)
    first = build_timing_imports(project)
    assert first.returncode == 0, first.stderr
    template = override(project, "templates/handout.html")
    template.write_text(template.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    second = build_timing_imports(project)
    articles = len(list((project / "seeds").glob("*.txt")))
    assert second.returncode == 0 and f"{articles} built" in second.stdout, second.stdout + second.stderr
    assert len(list((project / ".cache" / "qr").rglob("*.pickle"))) == 2 * articles   # one per article and script
    assert not re.search(r"\|\s+segno\b", second.stderr), "every code came from the memo"
