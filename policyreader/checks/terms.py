"""Candidate policy terms the glossary lacks (``build.py terms``), best first.

What the text itself signals, in order of weight:
1. quoted phrases (“以购代捐”, “米袋子”省长负责制) and numbered slogans (两不愁三保障, 四个全面,
   五大发展理念: numerals interleaved with short words, or a numeral, a measure word and a noun);
2. noun phrases ending in a policy suffix (…战略, …工程, …行动, …机制, …责任制, …试点 …),
   read back from the suffix to the verb or function word before it;
3. coinages: runs of characters the dictionary cannot join into words (富矿精开, 藏粮于技);
4. repetition: a unit used again and again in one text.
A candidate the glossary already explains (a form of an entry covers it, or most of it) is left
out; so is a plain dictionary word that is common and carries no other signal.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import BuildError, Report
from ..sources.config import Config
from ..sources.glossary import load_glossary
from ..sources.seeds import find_seeds, read_seed
from ..text.cjk import HAN
from ..text.matcher import Matcher, strip_quotes
from ..text.words import Lexicon

NUMERAL = "一二两三四五六七八九十双"
MEASURE = "个大项条类种批化张"
# Suffixes that close a named policy, programme, mechanism or institution (longest first).
SUFFIXES = sorted("""战略 工程 行动 专项行动 行动方案 机制 长效机制 体系 制度 责任制 负责制 计划 改革 试点 示范区 示范县
攻坚战 规划 条例 理念 格局 模式 政策 补贴 收购价 工作法 清单 红线 底线 同责 一体化 现代化 共同体 新区 试验区 经济带
经济圈 集群 联合体 示范企业 专馆 专柜 专区 协作 帮扶 托底 储备粮 储备 监测 摘帽 衔接 振兴 产业化 扶贫 脱贫 返贫
支援 会议 全会 总基调 主线 方针 方略 国债 债券 专项债""".split(),
                  key=len, reverse=True)
WEAK_SUFFIXES = frozenset("政策 储备 帮扶 监测 衔接 振兴 模式 格局 体系 计划 规划 补贴 支援".split())
# A coinage is never a run holding these (接都接不 is speech, 藏粮于地 a coinage).
NOT_IN_COINAGE = frozenset("都不也还就了着过的得吗呢吧很")
# Words that end a noun phrase when reading back from its suffix: verbs that govern policy
# phrases, adverbs, function words.
STOPS = frozenset("""实施 推进 推动 加快 加强 深化 完善 建立 健全 建立健全 构建 落实 开展 打造 坚持 发挥 提升 强化 促进 支持
鼓励 引导 做好 抓好 深入 进一步 大力 积极 持续 不断 着力 统筹 巩固 拓展 优化 形成 提高 实现 贯彻 执行 启动
组织 印发 制定 出台 发布 召开 举行 参加 围绕 按照 根据 通过 依托 利用 加大 扩大 确保 保持 增强 培育 作为 纳入 开设 设立
建成 完成 守住 坚决 严格 认真 继续 切实 稳步 扎实 牢牢 全力 带头 采购 倡导 动员 推广 运用 实行 严厉 打击 遏制
提供 减少 反对 结合 相结合 参与 帮助 通过 离不开 转向 指出 表示 认为 介绍 了解 告知 告诉 说 是 有 为 对 在 和 与 及 及其
压紧 压实 压紧压实 来自 发生 全部 或 不 低于 高于 当 按 用 让 使 把握 抓住 服务 调动 动员 发力 托 守 管 用好 管好 守住管好 筑牢 端稳 打赢 助力
以及 等 的 了 将 把 被 由 从 向 于 以 各 该 本 这 其 我 我们 要 应 应当 需要 可以 也 还 都 又 并 并且 而 同时 其中 一些 不少
有关 相关 各地 各类 一批 一系列 今年 近年来 下一步 重要 主要 一种 一个 更加 更 最""".split())
# Frequent dictionary words below this count may still be terms (托底, 摘帽); above it, a word
# needs another signal.
COMMON = 2000
# What a known term may carry without becoming a new one (乡村振兴战略 is 乡村振兴's business).
GENERIC_TAILS = frozenset("""战略 工作 政策 建设 发展 体系 工程 行动 机制 制度 改革 领域 产业 企业 项目 问题 能力 水平 目标 任务
成果 经验 精神 要求 部署 举措 重点 方面 进程""".split())
RARE = 200           # a dictionary word of three characters or more, rarer than this, may be a term
LONGEST = 14


@dataclass
class Candidate:
    """A possible glossary term: its text, how often it occurs, where first, and why."""

    text: str
    count: int = 0
    first: tuple[str, int] = ("", 0)          # (seed, line)
    signals: set[str] = field(default_factory=set)
    score: float = 0.0


@dataclass
class Found:
    """One candidate occurrence found by a rule."""

    text: str
    signal: str
    seed: str
    line: int


def _clean(text: str) -> str:
    return text.strip("“”‘’\"'《》「」 　、，。；：！？（）()·")


def _is_phrase(text: str) -> bool:
    han = len(re.findall(f"[{HAN}]", text))
    return 2 <= han <= LONGEST and han >= len(text) - 2 and not re.search(r"[，。；！？：,;!?]", text)


def _quoted(line: str) -> list[tuple[str, str]]:
    """Quoted phrases, and a quoted phrase with the suffix word glued to it (“米袋子”省长负责制)."""
    out = []
    for match in re.finditer(r"[“「‘\"]([^“”「」‘’\"]{2,16})[”」’\"]", line):
        inner = match.group(1)
        if _is_phrase(inner):
            out.append((inner, "quoted"))
            tail = re.match(rf"[{HAN}]{{1,8}}", line[match.end():])
            if tail:
                for suffix in SUFFIXES:
                    at = tail.group(0).find(suffix)
                    if at >= 0:
                        out.append((match.group(0) + tail.group(0)[:at + len(suffix)], "quoted"))
                        break
    for match in re.finditer(r"《([^《》]{4,40})》", line):
        out.append((match.group(1), "title"))
    return out


def _numbered(line: str) -> list[str]:
    """Numbered slogans: 两不愁三保障, 三去一降一补, 六稳六保 (two numerals or more, each with a
    short word) and 四个全面, 五大发展理念 (numeral, measure word, noun)."""
    out = []
    for run in re.findall(f"[{HAN}]+", line):
        # The whole run is the slogan: numerals each followed by one to three characters.
        if 4 <= len(run) <= 8 and re.fullmatch(rf"(?:[{NUMERAL}][^{NUMERAL}]{{1,3}}){{2,4}}", run):
            out.append(run)
        for match in re.finditer(rf"(?<![{NUMERAL}])[{NUMERAL[1:-1]}][{MEASURE}][{HAN}]{{2,4}}$", run):
            out.append(match.group(0))
    return out


# Parts of speech that end a noun phrase read backwards (jieba's tags): prepositions,
# conjunctions, particles, pronouns, adverbs, numerals, time words, measure words.
STOP_TAGS = ("p", "c", "u", "r", "d", "m", "t", "q", "y", "e")


def _phrase_before(words: list[str], index: int, head: str, lexicon: Lexicon) -> str:
    """The noun phrase that ends with ``head`` (the end of words[index]), read back to a stop."""
    taken = [head]
    for word in reversed(words[max(0, index - 5):index]):
        tag = lexicon.tags.get(word, "x")
        if (word in STOPS or word[:2] in STOPS or word[-2:] in STOPS or not re.fullmatch(f"[{HAN}]+", word)
                or tag.startswith(STOP_TAGS)
                or len("".join(taken)) + len(word) > LONGEST):
            break
        taken.insert(0, word)
    return "".join(taken)


def _suffixed(words: list[str], lexicon: Lexicon) -> list[tuple[str, str]]:
    """Phrases ending in a policy suffix at a word boundary (a suffix may span words: 同|责)."""
    out = []
    ends, at = [], 0
    for word in words:
        at += len(word)
        ends.append(at)
    sentence = "".join(words)
    for suffix in SUFFIXES:
        start = sentence.find(suffix)
        while start >= 0:
            end = start + len(suffix)
            if end in ends:
                index = next(i for i, e in enumerate(ends) if e > start)    # the word holding the suffix's start
                word_start = ends[index - 1] if index else 0
                head = sentence[word_start:end]
                phrase = _phrase_before(words, index, head, lexicon)
                if len(phrase) > len(suffix) + 1:
                    out.append((phrase, "weak-suffix" if suffix in WEAK_SUFFIXES else "suffix"))
            start = sentence.find(suffix, start + 1)
    return out


def _sentences(line: str) -> list[str]:
    """Runs of Han characters: punctuation and quotation marks end them."""
    return re.findall(f"[{HAN}]+", line)


class TermFinder:
    """Finds candidate terms in seeds, against one glossary."""

    def __init__(self, glossary_forms: dict[str, str], matcher: Matcher) -> None:
        self.lexicon = Lexicon.full()
        self.forms = {strip_quotes(f) for f in glossary_forms}
        self.matcher = matcher

    def _segment(self, sentence: str) -> list[str]:
        return self.lexicon.segment(strip_quotes(sentence))

    def found_in(self, seed: str, text: str) -> list[Found]:
        """Every candidate occurrence in one seed, by rule."""
        found: list[Found] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not re.search(f"[{HAN}]{{4}}", line):
                continue
            for phrase, signal in _quoted(line):
                found.append(Found(phrase, signal, seed, number))
            for slogan in _numbered(strip_quotes(line)):
                found.append(Found(slogan, "numbered", seed, number))
            for sentence in _sentences(line):
                words = self._segment(sentence)
                found += [Found(phrase, signal, seed, number) for phrase, signal in _suffixed(words, self.lexicon)]
                found += [Found(unit, "coined", seed, number) for unit in self._coined(words)]
                found += [Found(unit, "unit", seed, number) for unit in self._units(words)]
        return found

    def _coined(self, words: list[str]) -> list[str]:
        """Runs of two or more single characters the dictionary could not join, with the word
        either side when it is short (藏粮于地 = 藏粮|于|地 → 藏粮于地)."""
        out = []
        run: list[str] = []
        for word in [*words, "。"]:
            if len(word) == 1 and re.fullmatch(f"[{HAN}]", word):
                run.append(word)
                continue
            while run and run[0] in STOPS:
                run.pop(0)
            while run and run[-1] in STOPS:
                run.pop()
            if len(run) >= 3 and not NOT_IN_COINAGE & set(run):
                out.append("".join(run))
            run = []
        return out

    def _units(self, words: list[str]) -> list[str]:
        """Two- and three-word units without stop words (counted; repetition makes them count)."""
        out = [w for w in words if len(w) >= 3 and self.lexicon.freqs.get(w, 0) < RARE]
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                part = words[i:i + size]
                if any(w in STOPS or len(w) < 2 for w in part):
                    continue
                unit = "".join(part)
                if 4 <= len(unit) <= 10:
                    out.append(unit)
        return out

    def explained(self, text: str) -> bool:
        """Whether the glossary already explains a candidate: it is a form, or its forms cover
        nearly all of it, or all but a generic word (乡村振兴 + 战略)."""
        plain = strip_quotes(text)
        if plain in self.forms:
            return True
        covered = bytearray(len(plain))
        for start, end, _ in self.matcher.find(plain):
            covered[start:end] = b"\x01" * (end - start)
        rest = "".join(c for c, marked in zip(plain, covered) if not marked)
        return sum(covered) >= 0.8 * len(plain) or (sum(covered) > 0 and rest in GENERIC_TAILS)


WEIGHTS = {"quoted": 4.0, "title": 2.5, "numbered": 3.5, "suffix": 3.0, "weak-suffix": 1.5, "coined": 2.5,
           "unit": 0.0}


def _free_uses(text: str, mask: bytearray, key: str) -> list[tuple[str, str]]:
    """The characters either side of each occurrence of ``key`` not wholly inside what the
    glossary marks ("" at the text's ends)."""
    uses, at = [], text.find(key)
    while at >= 0:
        if not all(mask[at:at + len(key)]):
            uses.append((text[at - 1] if at else "", text[at + len(key):at + len(key) + 1]))
        at = text.find(key, at + 1)
    return uses


# Signals that mark a unit by themselves: what the text sets apart is never a piece of a name.
SET_APART = frozenset({"quoted", "numbered", "coined", "title"})


def _piece_of_longer(uses: list[tuple[str, str]], signals: set[str]) -> bool:
    """Whether a candidate used more than once is always a piece of one longer name: the same
    character always follows it (国家发展改革|委, 贵州省人民政府|办公厅), or, for a bare unit
    (found by repetition alone), the same character always comes before it (…高质量|发展若干措施)."""
    if len(uses) < 2 or signals & SET_APART:
        return False
    lefts, rights = {left for left, _ in uses}, {right for _, right in uses}
    same_right = len(rights) == 1 and re.fullmatch(f"[{HAN}]", rights.pop()) is not None
    same_left = signals == {"unit"} and len(lefts) == 1 and re.fullmatch(f"[{HAN}]", lefts.pop()) is not None
    return same_right or same_left


def find_terms(seeds: list[tuple[str, str]], glossary_forms: dict[str, str], matcher: Matcher,
               limit: int | None = None) -> list[Candidate]:
    """Candidate terms of the given seeds [(name, text)], best first."""
    finder = TermFinder(glossary_forms, matcher)
    found = [f for name, text in seeds for f in finder.found_in(name, text)]
    candidates: dict[str, Candidate] = {}
    for item in found:
        text = item.text if item.text.startswith("“") else _clean(item.text)
        plain = strip_quotes(text)
        if not _is_phrase(plain):
            continue
        key = plain
        candidate = candidates.get(key)
        if candidate is None:
            candidate = candidates[key] = Candidate(text, first=(item.seed, item.line))
        candidate.signals.add(item.signal)
    # An occurrence wholly inside what the glossary already marks does not count (辨识度 inside
    # 四个辨识度 is the glossary's business); one that runs past it does (消费扶贫专馆).
    texts = [strip_quotes(text) for _, text in seeds]
    masks = []
    for text in texts:
        mask = bytearray(len(text))
        for start, end, _ in matcher.find(text):
            mask[start:end] = b"\x01" * (end - start)
        masks.append(mask)
    out = []
    for key, candidate in candidates.items():
        uses = [use for text, mask in zip(texts, masks) for use in _free_uses(text, mask, key)]
        candidate.count = len(uses)
        if candidate.count == 0 or finder.explained(key) or _piece_of_longer(uses, candidate.signals):
            continue
        signals = candidate.signals
        if signals == {"unit"} and (candidate.count < 2 or candidate.count < 3 and len(key) < 5):
            continue
        word = finder.lexicon.get(key)
        if word is not None and word.freq >= COMMON and not signals & {"quoted", "numbered"}:
            continue
        score = sum(WEIGHTS[s] for s in signals)
        score += 1.5 * math.log2(candidate.count)
        score += 0.15 * min(len(key), 8) - 0.5 * max(0, len(key) - 8)
        if word is not None and not signals & {"quoted", "numbered", "title"}:
            score -= 1.0 + math.log10(max(word.freq, 1)) / 2     # a plain dictionary word
        candidate.score = score
        out.append(candidate)
    # Of two nested candidates, the better one stays; the other only if it is used more often.
    out.sort(key=lambda c: (-c.score, -c.count, c.first, c.text))
    kept: list[Candidate] = []
    for candidate in out:
        plain = strip_quotes(candidate.text)
        if any((plain in strip_quotes(k.text) or strip_quotes(k.text) in plain) and k.count >= candidate.count
               for k in kept):
            continue
        kept.append(candidate)
    return kept[:limit] if limit else kept


def candidate_lines(config: Config, names: list[str], report: Report, limit: int | None = None) -> list[str]:
    """``build.py terms [SEED…]``: one line per candidate, best first: term, count, seed:line."""
    paths = find_seeds(config)
    if names:
        chosen = []
        for name in names:
            match = [p for p in paths if name in (p.name, p.stem, str(p), config.rel(p))]
            if not match:
                raise BuildError(name, None, "no such seed in seeds/ (give its file name, e.g. NAME.txt)")
            chosen += match
        paths = chosen
    glossary = load_glossary(config.glossary_path, config.rel(config.glossary_path))
    seeds = {config.rel(path): read_seed(path, config, report).text for path in paths}
    found = find_terms(list(seeds.items()), {f: e.id for e in glossary.entries for f in e.forms},
                       glossary.matcher(), limit)
    return [f"{c.text}\t{c.count}\t{c.first[0]}:{c.first[1]}" for c in found]
