"""The build's caches keyed by content: the pinyin memo of names and titles, and what it spares."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO
from policyreader.build.cache import SpellMemo
from policyreader.text.names import pinyin_words

SEED = "000_c77db80417356711.txt"   # a round-table: its guests have ids made from their names
NAMES = ["蒋莉莉", "谢强", "单霁翔", "曾国藩", "长孙无忌", "UNESCO 代表", "重庆"]


def test_the_memo_spells_as_pypinyin_and_asks_it_once_per_text(tmp_path: Path) -> None:
    asked: list[str] = []

    def spell(text: str) -> list[str]:
        asked.append(text)
        return pinyin_words(text)

    first = SpellMemo(tmp_path / "pinyin", spell)
    assert [first(name) for name in NAMES] == [pinyin_words(name) for name in NAMES]
    # Another process (a later build, a worker) finds them without asking again.
    again = SpellMemo(tmp_path / "pinyin", spell)
    assert [again(name) for name in NAMES] == [pinyin_words(name) for name in NAMES]
    assert asked == NAMES


def test_an_unreadable_entry_is_spelt_again(tmp_path: Path) -> None:
    memo = SpellMemo(tmp_path / "pinyin", pinyin_words)
    memo("蒋莉莉")
    (entry,) = (tmp_path / "pinyin").rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert SpellMemo(tmp_path / "pinyin", pinyin_words)("蒋莉莉") == ["jiang", "li", "li"]


def test_an_edit_of_a_seed_whose_people_were_spelt_before_does_not_load_pypinyin(project: Path) -> None:
    def build() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-X", "importtime", str(REPO / "build.py"), "--root", str(project)],
                              capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    # The seed names its people (a round-table's guests): the first build spells them.
    shutil.rmtree(project / ".cache" / "pinyin", ignore_errors=True)
    first = build()
    assert first.returncode == 0, first.stderr
    assert any((project / ".cache" / "pinyin").rglob("*.pickle"))
    seed = project / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + "\n\n要坚持富矿精开。\n", encoding="utf-8")
    second = build()
    assert second.returncode == 0 and "1 built" in second.stdout, second.stderr
    assert re.search(r"\|\s+pypinyin\b", first.stderr), "the first build spells with pypinyin"
    assert not re.search(r"\|\s+pypinyin\b", second.stderr), "the rebuild found every name in the memo"
