"""Pinyin written by word, as GB/T 16159-2012 asks: xiāofèi fúpín, not xiāo fèi fú pín.

The syllables come from the glossary entry's written pinyin where it gives one per character
(its polyphones were reviewed), else from pypinyin; the word grouping comes from segmenting the
term over jieba's dictionary, with the standard's rules applied in order:
1. numbers up to 99 are one word (shísì), and a numeral stands apart from the measure word
   after it (sì gè quánmiàn);
2. a word the dictionary lacks falls apart into single characters; those are regrouped two by
   two (东数西算 → dōngshù xīsuàn), and a run of three stays one word;
3. a one-character suffix (化, 性, 制, 侧 …) joins the word before it, a lone one-character
   prefix (新, 双 …) the short word after it; other lone characters stand alone;
4. proper names are capitalised word by word, and a place name stands apart from its
   administrative unit (Guìzhōu Shěng).
A written pinyin that already groups syllables into words is kept as written.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from importlib import metadata

from .cjk import HAN, is_han
from .words import Lexicon

NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿")
MEASURES = frozenset("个大项条类种批位张件次点方届年轮期")
SUFFIXES = frozenset("化性式型制率者家界员们侧端")
PREFIXES = frozenset("新双大高强总副超非反多")
FUNCTION = frozenset("的地得和与及或在对为以之而了着过把被从向于是不")
NUMBER_JOINERS = frozenset("十百千万亿")   # 十四 is one number, 一二三四 four
ADMIN_UNITS = frozenset("省市县区州镇乡村")
# Province-level divisions and the places the corpus is about: names the dictionary may tag wrongly.
PLACES = frozenset("""北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南
广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 中国 中华 贵阳 遵义 六盘水 安顺 毕节
铜仁 黔东南 黔南 黔西南 贵安 雄安 浦东 深圳 粤港澳 成渝 长江 黄河 京津冀 长三角 珠三角""".split())
# People whose names stand in policy terms (毛泽东思想, 习近平新时代…): surname, given name.
PERSONS = frozenset("毛泽东 邓小平 江泽民 胡锦涛 习近平 周恩来 刘少奇 朱德".split())
TRUSTED_FREQ = 100         # below this, jieba's name tags are often guesses (双循环 nr, 陆海 ns)
ORGANISATION_ENDS = frozenset("院部委局会厅署行党社办所")
VOWEL_START = re.compile(r"^[aeoāáǎàēéěèōóǒò]", re.IGNORECASE)
APOSTROPHE = "’"


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def toneless(text: str) -> str:
    """Pinyin without tone marks (ü kept as u, as people type it)."""
    return _strip_marks(text).lower()


def reference_syllables(term: str) -> list[str]:
    """pypinyin's reading of the term's Han characters, one syllable each (tone marks)."""
    han = "".join(c for c in term if is_han(c))
    from pypinyin import Style, pinyin   # deferred: 0.16 s to load, most builds need none
    return [s[0] for s in pinyin(han, style=Style.TONE, heteronym=False)] if han else []


@functools.cache
def pypinyin_version() -> str:
    """The version of pypinyin in use (part of every cache key made from its readings)."""
    try:
        return metadata.version("pypinyin")
    except metadata.PackageNotFoundError:
        return "?"


def release_pypinyin() -> None:
    """Let go of pypinyin's dictionaries (about 50 MB) in a process done with them: the build
    loads them before forking its workers, which share them, and needs them no more after.
    A later use imports pypinyin again."""
    for name in [n for n in sys.modules if n.partition(".")[0] == "pypinyin"]:
        del sys.modules[name]


def sort_key(text: str) -> str:
    """Toneless pinyin for sorting entries A–Z."""
    from pypinyin import Style, lazy_pinyin   # deferred: 0.16 s to load, most builds need none
    return " ".join(lazy_pinyin(text, style=Style.NORMAL))


def _letters(text: str) -> str:
    """What two pinyin spellings must share: letters, digits and +, lowercased; no spaces,
    hyphens, apostrophes or punctuation (the term's own commas may be written in its pinyin)."""
    return re.sub(r"[^\w+]|_", "", unicodedata.normalize("NFC", text)).lower()


def check_syllables(term: str, written: str) -> str | None:
    """Why a written pinyin disagrees with pypinyin's syllables for the term, or None."""
    expected = []
    syllables = iter(reference_syllables(term))
    for char in term:
        if is_han(char):
            expected.append(next(syllables))
        elif char.isascii() and char.isalnum() or char in "+":
            expected.append(char)
    if _letters(written) != _letters("".join(expected)):
        return f"pinyin {written!r} has other syllables than pypinyin's {' '.join(expected)!r}"
    return None


def _is_place(word: str, lexicon: Lexicon) -> bool:
    """A place or organisation name: listed here, or tagged so by the dictionary for a word
    common enough that the tag is not a guess (single characters and people never are)."""
    if word in PLACES or word in PERSONS:
        return True
    entry = lexicon.get(word)
    if entry is None or len(word) < 2 or entry.freq < TRUSTED_FREQ or word[0] in NUMERALS:
        return False
    return entry.tag == "ns" or (entry.tag == "nt" and len(word) >= 3 and word[-1] in ORGANISATION_ENDS)


def _is_number(word: str) -> bool:
    return all(c in NUMERALS for c in word)


def _pieces(part: str, proper: bool, lexicon: Lexicon) -> list[tuple[str, bool]]:
    """A word of four or more syllables is written as the words it is made of (shèhuì zhǔyì),
    each part of a name capitalised (Zhōnghuá Rénmín Gònghéguó)."""
    if part in PERSONS:
        return [(part[0], True), (part[1:], True)]
    if len(part) < 4 or part in PLACES:
        return [(part, proper)]
    entry = lexicon.get(part)
    if len(part) == 4 and entry is not None and entry.tag == "i":
        return [(part[:2] + "-" + part[2:], proper)]      # an idiom in two halves: xiānghù-cùjìn
    inner = lexicon.segment(part, whole=False)
    if len(inner) == len(part):       # no known parts: keep the word
        return [(part, proper)]
    out: list[tuple[str, bool]] = []
    for piece in inner:
        out += _pieces(piece, proper or _is_place(piece, lexicon), lexicon)
    return out


def words(text: str, lexicon: Lexicon) -> list[tuple[str, bool]]:
    """A Han run cut into words as GB/T 16159 writes them: [(word, proper name?), …]."""
    found: list[tuple[str, bool]] = []
    for part in lexicon.segment(text):
        found += _pieces(part, _is_place(part, lexicon) or part in PERSONS, lexicon)
    # Rule 1: numbers stay whole; a numeral and its measure word part.
    split: list[tuple[str, bool]] = []
    for part, proper in found:
        if len(part) > 1 and part[0] in NUMERALS and all(c in MEASURES for c in part[1:]):
            split += [(part[0], False), (part[1:], False)]
        elif len(part) > 2 and proper and part[-1] in ADMIN_UNITS:
            split += [(part[:-1], True), (part[-1], True)]     # Guìzhōu Shěng
        else:
            split.append((part, proper))
    merged: list[tuple[str, bool]] = []
    for part, proper in split:
        if merged and _is_number(part) and _is_number(merged[-1][0]) and NUMBER_JOINERS & set(merged[-1][0] + part):
            merged[-1] = (merged[-1][0] + part, False)
        else:
            merged.append((part, proper))
    # Rule 2: regroup runs of single characters the dictionary did not join.
    grouped: list[tuple[str, bool]] = []
    run: list[str] = []

    def flush() -> None:
        while len(run) > 3:
            grouped.append((run.pop(0) + run.pop(0), False))
        if run:
            joined = "".join(run)
            grouped.append((joined, True if joined in PLACES else ("loose" if len(run) == 1 else False)))
        run.clear()

    for index, (part, proper) in enumerate(merged):
        after_numeral = index > 0 and _is_number(merged[index - 1][0])
        loose = (len(part) == 1 and not proper and not _is_number(part) and part not in FUNCTION
                 and part not in SUFFIXES and part not in ADMIN_UNITS and not (after_numeral and part in MEASURES))
        if loose and after_numeral and not run and grouped and grouped[-1][0] == merged[index - 1][0]:
            grouped[-1] = (grouped[-1][0] + part, False)     # an abbreviation: 两山 liǎngshān, 三去 sānqù
            continue
        if loose:
            run.append(part)
            continue
        flush()
        grouped.append((part, proper))
    flush()
    # Rule 3: a suffix joins the word before, a lone prefix the short word after, and a lone
    # character that ends the term the two-character word before it (a three-syllable word).
    def short(index: int, words: list | None = None) -> bool:
        words = grouped if words is None else words
        if not 0 <= index < len(words):
            return False
        part, proper = words[index]
        return (len(part) <= 2 and proper is False and not _is_number(part) and part not in FUNCTION
                and part not in SUFFIXES)

    out: list[tuple[str, bool | str]] = []
    pending = ""
    for index, (part, proper) in enumerate(grouped):
        if pending:
            part, proper, pending = pending + part, False, ""
        elif proper == "loose":
            if part in PREFIXES and short(index + 1):
                pending = part
                continue
            if index == len(grouped) - 1 and out and short(len(out) - 1, out) and len(out[-1][0]) == 2 \
                    and out[-1][1] is False:
                out[-1] = (out[-1][0] + part, False)          # a final head noun: yācāngshí
                continue
            proper = False
        elif out and out[-1][1] is True and len(part) == 1 and part in ADMIN_UNITS:
            proper = True                                     # Guìzhōu Shěng
        elif out and out[-1][1] is False and len(part) == 1 and part in SUFFIXES and not _is_number(out[-1][0]):
            out[-1] = (out[-1][0] + part, False)
            continue
        out.append((part, proper))
    if pending:
        out.append((pending, False))
    return [(part, proper is True) for part, proper in out]


def _join(syllables: list[str]) -> str:
    """Syllables of one word, with the apostrophe before a, o, e inside a word (Xī’ān)."""
    text = syllables[0] if syllables else ""
    for syllable in syllables[1:]:
        text += (APOSTROPHE if VOWEL_START.match(syllable) else "") + syllable
    return text


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def pinyin_by_word(term: str, written: str | None = None, lexicon: Lexicon | None = None) -> str:
    """The term's pinyin, word by word (see the module's rules). A written pinyin grouped by
    word already is returned as written; one written syllable by syllable gives the syllables.
    Pass a ``Lexicon.for_texts`` of many terms to spell many at once."""
    han_count = sum(1 for c in term if is_han(c))
    tokens = written.split() if written else []
    han_tokens = [t for t in tokens if re.search(r"[a-zA-Zü]", _strip_marks(t))]
    if written and len(han_tokens) != han_count:
        return " ".join(tokens)                  # grouped by hand: keep it
    syllables = han_tokens if written else reference_syllables(term)
    if len(syllables) != han_count:
        return " ".join(tokens)
    lexicon = lexicon or Lexicon.for_texts({term})
    result: list[str] = []
    position = 0
    for chunk in re.findall(rf"[{HAN}]+|[^{HAN}]+", term):
        if not is_han(chunk[0]):
            other = re.sub(r"[“”‘’\"《》「」、·\s]", "", chunk)
            if other:
                result.append(other)
            continue
        for word, proper in words(chunk, lexicon):
            halves = []
            for half in word.split("-"):      # an idiom in two halves
                spelled = syllables[position:position + len(half)]
                position += len(half)
                proper = proper or any(s[:1].isupper() for s in spelled)
                halves.append(_join([s.lower() for s in spelled]))
            text = "-".join(halves)
            result.append(_capitalised(text) if proper else text)
    return " ".join(result)
