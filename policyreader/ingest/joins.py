"""Column breaks: join a unit to a later one only on evidence that a break cut it.

A line without final punctuation is often complete (a heading, a key point, a dateline); it
is joined to what follows only when the line itself shows it was cut (a sentence ends inside
it, it is long and holds clauses, a quotation or bracket is left open, it stops on a word that
cannot end a phrase) and the continuation fits (it opens with punctuation, a particle, or a
pair of characters the article writes elsewhere; it is no numbered item, turn or dateline).
Weak evidence keeps the units apart and is reported, naming the seed lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..text.cjk import HAN
from .blocks import (CLAUSE, ITEM, MD_HEADING, CaptionInfo, Unit, is_terminated, parse_dateline,
                     parse_number)

# Characters a phrase, heading or key point does not end on: particles, conjunctions, prepositions.
FUNCTION_END = set("的着和与及并或而且但对把被将从向于让使给之第其各每该此这那以在为是")
# Words that end on such a character and may well end a phrase.
WORD_ENDS = {"参与", "给予", "赋予", "授予", "面对", "应对", "相对", "绝对", "反对", "核对", "比对", "共和",
             "总和", "温和", "缓和", "调和", "涉及", "普及", "危及", "顾及", "合并", "兼并", "然而", "从而",
             "进而", "继而", "因而", "反而", "并且", "而且", "况且", "所在", "存在", "现在", "实在", "内在",
             "潜在", "自在", "外在", "正在", "作为", "行为", "有为", "无为", "认为", "成为", "可为", "大有可为",
             "以为", "更为", "较为", "极为", "尤为", "最为", "颇为", "而为", "难以", "可以", "足以", "得以",
             "加以", "予以", "所以", "用以", "是以", "总是", "就是", "还是", "正是", "而是", "也是", "只是",
             "但是", "于是", "凡是", "要是", "硬是", "倒是", "更是", "实事求是", "若是", "特别是", "尤其是",
             "之际", "之后", "之前", "之间", "之中", "之下", "之上", "之外", "之内", "之一", "导向", "方向", "走向",
             "面向", "趋向", "取向", "意向", "倾向", "转向", "指向", "动向", "去向", "流向", "定向", "服从",
             "遵从", "自在", "等于", "在于", "属于", "位于", "善于", "敢于", "勇于", "便于", "利于", "处于",
             "大于", "小于", "高于", "低于", "多于", "少于", "始于", "源于", "忠于", "乐于", "急于", "陷于"}
NO_START = set("，、。；：！？）》”’」』…%％,.;:!?)]】〕")
PARTICLE_START = set("的地得着了们过")
DISCOURSE_START = re.compile(r"^(?:此外|另外|同时|与此同时|首先|其次|再次|最后|总之|总的来看|因此|为此|对此|"
                             r"据悉|据了解|据介绍|据统计|目前|当前|近年来|近日|今年以来)[，,]|^[一二三四五六七八九十]是")
SENTENCE_INSIDE = re.compile(r"[。！？；!?;]")
PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"), ("「", "」"), ("【", "】"), ("〔", "〕"), ("‘", "’"))
# Kinds a column break can jump over: the page set them between two halves of a paragraph.
SKIPPABLE = {"guests", "guest", "byline", "headline", "caption", "photo-credit", "promo", "xref", "page-number"}
BODY = {"para", "item"}
JOIN_AT = 3                       # evidence needed to join
WARN_AT = 2                       # evidence that keeps units apart but is reported
SKIP_LIMIT = 8


@dataclass
class Evidence:
    """How much a seam looks like a column break, and why (for the editor's record)."""

    score: int = 0
    reasons: list[str] = field(default_factory=list)
    veto: str = ""
    hard: int = 0            # from the text itself (punctuation, a split number), not from statistics

    def add(self, points: int, reason: str, hard: bool = True) -> None:
        """Count one piece of evidence."""
        self.score += points
        self.hard += points if hard else 0
        self.reasons.append(reason)


@dataclass
class Join:
    """A column break repaired: the unit at ``line`` continues at ``continued_at``."""

    line: int
    continued_at: int
    skipped: list[int]
    why: str


@dataclass
class KeptApart:
    """A seam with some evidence of a break, not enough to join: the editor decides."""

    line: int
    next_line: int
    why: str


def cut_evidence(text: str) -> Evidence:
    """Evidence in a unit itself that a break cut it (it cannot end where it ends)."""
    evidence = Evidence()
    if is_terminated(text):
        return evidence
    body = text.rstrip("*")
    if SENTENCE_INSIDE.search(body[:-1]):
        evidence.add(3, "a sentence ends inside it")
    clauses = any(mark in body for mark in CLAUSE)
    if len(body) >= 36 and clauses:
        evidence.add(3, f"{len(body)} characters with clauses")
    elif len(body) >= 24 and clauses:
        evidence.add(1, f"{len(body)} characters with clauses")
    for opening, closing in PAIRS:
        if body.count(opening) > body.count(closing):
            evidence.add(3, f"{opening} left open")
            break
    last = body[-1:]
    if last in FUNCTION_END and not any(body.endswith(word) for word in WORD_ENDS):
        evidence.add(2, f"stops on 「{last}」")
    return evidence


def seam_evidence(left: str, right: str, stats: TextStats) -> Evidence:
    """Evidence that ``right`` continues ``left`` mid-sentence (or that it cannot)."""
    evidence = Evidence()
    if not right:
        evidence.veto = "nothing to continue with"
        return evidence
    if parse_number(right) or ITEM.match(right) or right.startswith(("——", "－－")) or MD_HEADING.match(right):
        evidence.veto = "it opens a numbered item"
        return evidence
    if parse_dateline(right) or re.match(r"^(?:问|答)[：:]", right):
        evidence.veto = "it opens a report or a turn"
        return evidence
    right = right.lstrip("*")
    first, last = right[:1], left.rstrip("*")[-1:]
    if first in NO_START:
        evidence.add(3, f"it opens with 「{first}」")
    elif first in PARTICLE_START:
        evidence.add(2, f"it opens with 「{first}」")
    if last.isdigit() and (first.isdigit() or first in "%％万亿千百元年月日个项家倍"):
        evidence.add(3, "a number is split")
    elif re.match(r"[A-Za-z]", last) and re.match(r"[A-Za-z]", first):
        evidence.add(3, "a Latin word is split")
    elif re.match(f"[{HAN}]", last) and re.match(f"[{HAN}]", first):
        seen = stats.bigrams[last + first]
        if seen >= 2:
            evidence.add(2, f"「{last}{first}」 occurs {seen} times elsewhere", hard=False)
        elif seen == 1:
            evidence.add(1, f"「{last}{first}」 occurs elsewhere", hard=False)
        # A phrase-end at the seam: the unit's own last character is counted as an end once.
        if stats.total[last] >= 4 and stats.ends[last] <= 1:
            evidence.add(1, f"「{last}」 ends no phrase elsewhere", hard=False)
        if stats.total[first] >= 4 and stats.starts[first] <= 1:
            evidence.add(1, f"「{first}」 opens no phrase elsewhere", hard=False)
    if DISCOURSE_START.match(right):
        evidence.add(-3, "it opens like a paragraph")
    return evidence


@dataclass
class TextStats:
    """What the seed's own text says about its characters (never counting across a seam):
    which pairs it writes, and how often each character ends or opens a phrase."""

    bigrams: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    ends: Counter = field(default_factory=Counter)
    starts: Counter = field(default_factory=Counter)


def text_stats(units: list[Unit]) -> TextStats:
    """Character statistics of every unit's text, for seam evidence."""
    stats = TextStats()
    pattern = re.compile(f"[{HAN}]+")
    for unit in units:
        for run in pattern.findall(unit.text):
            stats.bigrams.update(run[i:i + 2] for i in range(len(run) - 1))
            stats.total.update(run)
            stats.ends[run[-1]] += 1
            stats.starts[run[0]] += 1
    return stats


def _candidates(units: list[Unit], index: int, labels: set[str]) -> list[tuple[int, list[int]]]:
    """Later units that could continue ``units[index]``, each with the units jumped over: the
    first paragraph (past what a page sets inside a break), and a short line right after it."""
    found: list[tuple[int, list[int]]] = []
    skipped: list[int] = []
    may_skip = units[index].kind in BODY
    for position in range(index + 1, min(len(units), index + 1 + SKIP_LIMIT)):
        unit = units[position]
        if unit.kind == "joined":
            continue
        if unit.kind == "headline" and not skipped and not found:
            found.append((position, []))
        if unit.kind == "caption" and len(unit.lines) >= 2 and unit.caption is not None and may_skip:
            found.append((position, list(skipped)))     # the line over a credit may be the continuation
        if unit.kind == "para" and not _speaker(unit.text, labels):
            found.append((position, list(skipped)))
            break
        if unit.kind in SKIPPABLE and may_skip:
            skipped.append(position)
            continue
        break
    return found


def _split_credit(units: list[Unit], position: int) -> None:
    """A continuation read as a caption's description because a photo credit followed it on the
    next line: the text becomes a paragraph of its own, the credit a caption of its own."""
    caption = units[position]
    assert caption.caption is not None
    text_lines, credit_line = caption.lines[:-1], caption.lines[-1]
    text = Unit(caption.caption.description, caption.line, text_lines, caption.block, caption.indent)
    credit = Unit(credit_line, caption.line + len(text_lines), [credit_line], caption.block, kind="caption",
                  caption=CaptionInfo("", credit_line, caption.caption.names))
    units[position:position + 1] = [text, credit]


def _speaker(text: str, labels: set[str]) -> bool:
    head, colon, _ = text.replace(":", "：", 1).partition("：")
    return bool(colon) and head in labels


def join_column_breaks(units: list[Unit], labels: set[str]) -> tuple[list[Join], list[KeptApart]]:
    """Join units cut by a column break, also across units the page set between the halves.

    ``labels`` are the speaker labels of the seed: a turn never continues a paragraph.
    Units that stay unterminated keep their cut evidence for the truncation decision.
    """
    stats = text_stats(units)
    joins: list[Join] = []
    apart: list[KeptApart] = []
    for index, unit in enumerate(units):
        if unit.kind not in ("para", "item", "headline"):
            continue
        while not is_terminated(unit.text):
            chosen = None
            candidates = _candidates(units, index, labels)
            # The candidate whose seam fits best is tried first; on a tie, a paragraph before a
            # caption's description, and either before a short line.
            rank = {"para": 0, "caption": 1, "headline": 2}

            def fit(candidate: tuple[int, list[int]]) -> tuple[int, int]:
                follower = units[candidate[0]]
                right = follower.caption.description if follower.kind == "caption" and follower.caption else follower.text
                return (-seam_evidence(unit.text, right, stats).score, rank.get(follower.kind, 3))
            for position, skipped in sorted(candidates, key=fit):
                follower = units[position]
                right = follower.caption.description if follower.kind == "caption" and follower.caption else follower.text
                cut = cut_evidence(unit.text)
                seam = seam_evidence(unit.text, right, stats)
                if seam.veto:
                    continue
                total = cut.score + seam.score
                # Statistics alone never join: the unit itself must show a cut, or the seam must
                # (a continuation opening with punctuation, a number split in two).
                least = 2 if unit.kind == "headline" else 1
                strong = ((cut.score >= JOIN_AT and seam.score >= 0) or seam.hard >= JOIN_AT
                          or (cut.score >= least and total >= JOIN_AT + 1))
                if follower.kind == "headline" and seam.hard < 2:
                    strong = False      # a short line after a cut is a heading unless the seam shows otherwise
                if unit.kind == "headline" and (skipped or " " in unit.text.strip() and seam.hard < JOIN_AT):
                    strong = False      # phrases set apart by a space are a headline
                if follower.kind == "caption":
                    # A caption dropped inside the break is common; its description is the
                    # continuation only if the seam shows it, or if no paragraph follows it.
                    later = any(units[p].kind == "para" for p, _ in candidates if p > position)
                    strong = cut.score >= JOIN_AT and (seam.score >= 2 or (not later and seam.score >= 0))
                if strong:
                    chosen = (position, skipped, "; ".join(cut.reasons + seam.reasons))
                    break
                if total >= WARN_AT and follower.kind == "para" and unit.kind != "headline" and not skipped:
                    apart.append(KeptApart(unit.end_line, follower.line, "; ".join(cut.reasons + seam.reasons)))
                    unit.kept_apart = True
            if chosen is None:
                break
            position, skipped, why = chosen
            follower = units[position]
            joins.append(Join(unit.end_line, follower.line, [units[i].line for i in skipped], why))
            if follower.kind == "caption" and follower.caption is not None:
                _split_credit(units, position)
                follower = units[position]
            # A column break cuts anywhere, inside a Latin word too (60G|Wh): no space is added.
            unit.text = unit.text + follower.text
            unit.joined.extend(follower.seed_lines)
            unit.end_line = follower.end_line
            if unit.kind == "item":
                unit.rest = unit.rest + follower.text
            if unit.kind == "headline":
                unit.kind = "para"
            for i in skipped:
                units[i].inside_break = True
            follower.kind = "joined"
    return joins, apart
