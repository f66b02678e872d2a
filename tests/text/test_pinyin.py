"""Pinyin by word (GB/T 16159-2012), checked against a hand-written sample."""
from __future__ import annotations

import sys

import pytest

from policyreader.text.pinyin import check_syllables, pinyin_by_word, release_pypinyin, sort_key, toneless

# Written by hand from the standard's rules: a word's syllables joined, words apart, numerals
# apart from measure words, proper names capitalised, a place apart from its administrative
# unit, an apostrophe before a, o, e inside a word.
SAMPLE = {
    "消费扶贫": "xiāofèi fúpín",
    "东数西算": "dōngshù xīsuàn",
    "四个全面": "sì gè quánmiàn",
    "高质量发展": "gāozhìliàng fāzhǎn",
    "新质生产力": "xīnzhì shēngchǎnlì",
    "乡村振兴": "xiāngcūn zhènxīng",
    "精准扶贫": "jīngzhǔn fúpín",
    "脱贫攻坚": "tuōpín gōngjiān",
    "易地扶贫搬迁": "yìdì fúpín bānqiān",
    "贵州省": "Guìzhōu Shěng",
    "中国共产党": "Zhōngguó Gòngchǎndǎng",
    "中华人民共和国": "Zhōnghuá Rénmín Gònghéguó",
    "国务院": "Guówùyuàn",
    "十四五": "shísìwǔ",
    "西安": "Xī’ān",
    "贵阳贵安": "Guìyáng Guì’ān",
    "供给侧结构性改革": "gōngjǐcè jiégòuxìng gǎigé",
    "数字经济": "shùzì jīngjì",
    "营商环境": "yíngshāng huánjìng",
    "中央储备粮": "zhōngyāng chǔbèiliáng",
    "最低收购价": "zuìdī shōugòujià",
    "习近平新时代中国特色社会主义思想": "Xí Jìnpíng xīnshídài Zhōngguó tèsè shèhuì zhǔyì sīxiǎng",
    "六大产业集群": "liù dà chǎnyè jíqún",
    "河长制": "hézhǎngzhì",
    "现代化产业体系": "xiàndàihuà chǎnyè tǐxì",
    "压舱石": "yācāngshí",
    "双循环": "shuāngxúnhuán",
    "固定资产投资": "gùdìng zīchǎn tóuzī",
    "全国统一大市场": "quánguó tǒngyī dàshìchǎng",
    "电动贵州": "diàndòng Guìzhōu",
}


@pytest.mark.parametrize("term, expected", SAMPLE.items())
def test_pinyin_is_written_word_by_word(term: str, expected: str) -> None:
    assert pinyin_by_word(term) == expected


def test_the_sample_is_large_enough() -> None:
    assert len(SAMPLE) >= 20


def test_written_syllables_are_kept_and_grouped() -> None:
    # A reviewed polyphone stays as written; the grouping still comes from the words.
    assert pinyin_by_word("重庆", "Chóng qìng") == "Chóngqìng"
    assert pinyin_by_word("长江经济带", "cháng jiāng jīng jì dài") == "Chángjiāng jīngjìdài"
    # A capital written on a syllable makes its word a proper name.
    assert pinyin_by_word("毕水兴", "Bì shuǐ xīng").startswith("B")


def test_pinyin_already_written_by_word_is_kept() -> None:
    assert pinyin_by_word("消费扶贫", "xiāofèi fúpín") == "xiāofèi fúpín"
    assert pinyin_by_word("东数西算", "Dōngshù Xīsuàn") == "Dōngshù Xīsuàn"


def test_signs_and_digits_stay_as_written() -> None:
    assert pinyin_by_word("6+3现代化工业体系") == "6+3 xiàndàihuà gōngyè tǐxì"


def test_syllables_are_checked_against_pypinyin() -> None:
    assert check_syllables("消费扶贫", "xiāofèi fúpín") is None
    assert check_syllables("消费扶贫", "xiāo fèi fú pín") is None
    assert "pypinyin" in check_syllables("消费扶贫", "xiāofèi fúpìn")
    assert check_syllables("6+3现代化工业体系", "6+3 xiàndàihuà gōngyè tǐxì") is None


def test_toneless_drops_marks_for_searching() -> None:
    assert toneless("Xī’ān lǚyóu") == "xi’an luyou"


def test_pypinyin_let_go_is_loaded_again_when_needed_and_reads_the_same() -> None:
    before = sort_key("重庆银行")
    assert "pypinyin" in sys.modules
    release_pypinyin()
    assert not [name for name in sys.modules if name.partition(".")[0] == "pypinyin"]
    assert sort_key("重庆银行") == before == "chong qing yin hang"
