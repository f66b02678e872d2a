"""Find many terms at once in text without word boundaries (Aho–Corasick), the way a reader would.

Rules, in order:
1. Every occurrence of every form is a candidate (one pass of the automaton: linear in the text).
2. Quotation marks are transparent when asked (``quotes=True``): “四个全面”战略 holds the form
   四个全面战略, and a form written with quotes inside (“内卷式”竞争) is found without them too.
   A match may hold a quotation only whole: it starts inside and ends inside the same quoted
   phrase, or takes in both of its marks.
3. A candidate is dropped where it would cut a longer word that means something else: a
   *blocker* is a longer word holding the form at a place its own parts do not break
   (国民生产 = 国民|生产 holds 民生 across that break), given by hand (an entry's ``not_in``) or
   found in a dictionary; where the blocker stands in the text, the form inside it is no match.
4. A candidate is dropped where the text reads otherwise across its edges: when a common word
   (a *crosser*) overlaps its start or end, the sentence around it is segmented over the
   whole dictionary (maximum probability), and the candidate stays only if its start is a word
   boundary there (坚持创新|发展理念 holds no 新发展理念; 实施|工业 keeps 工业倍增行动 against 施工)
   and its end is one too, or the word across its end grows from one of the form's own parts
   (脱贫|攻坚战 keeps 脱贫攻坚). A quotation mark at an edge settles that edge.
5. Longest first: a longer form is never split by a shorter one that overlaps it; among equal
   lengths the leftmost wins. Matches never overlap.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from .words import word_index

# Opening mark → closing mark. ASCII quotes open and close alike.
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", '"': '"'}
SYMMETRIC = frozenset(k for k, v in QUOTE_PAIRS.items() if k == v)
QUOTES = frozenset(QUOTE_PAIRS) | frozenset(QUOTE_PAIRS.values())
_STRIP = {ord(q): None for q in QUOTES}


def strip_quotes(text: str) -> str:
    """The text without quotation marks (how forms are stored when quotes are transparent)."""
    return text.translate(_STRIP)


@dataclass(frozen=True)
class Blocker:
    """A longer word and the places inside it where a form would cut it: (offset, length)."""

    word: str
    cuts: frozenset[tuple[int, int]]


class Matcher:
    """Longest-first matching of many forms, with blockers and (optionally) transparent quotes."""

    def __init__(self, forms: dict[str, str], blockers: list[Blocker] | tuple[Blocker, ...] = (),
                 quotes: bool = False, crossers: frozenset[str] | set[str] = frozenset(),
                 word_cache: Path | None = None) -> None:
        self._quotes = quotes
        self._word_cache = word_cache     # where the sorted dictionary is kept between builds
        self._automaton = ahocorasick.Automaton()
        # One value per key: (term id or None, cuts this word makes when it stands in the text,
        # whether it is a crosser). A crosser that is also a form only counts as a form.
        values: dict[str, tuple[str | None, frozenset[tuple[int, int]]]] = {}
        for form, term_id in forms.items():
            key = strip_quotes(form) if quotes else form
            if key:
                values[key] = (term_id, values.get(key, (None, frozenset()))[1])
        for blocker in blockers:
            key = strip_quotes(blocker.word) if quotes else blocker.word
            term_id, cuts = values.get(key, (None, frozenset()))
            values[key] = (term_id, cuts | blocker.cuts)
        for word in crossers:
            key = strip_quotes(word) if quotes else word
            if key not in values:
                values[key] = (None, frozenset())
        crossing = {strip_quotes(w) if quotes else w for w in crossers}
        # key → what finding it means: the matcher's whole behaviour is this table.
        self.table = {key: (term_id, len(key), cuts, term_id is None and key in crossing)
                      for key, (term_id, cuts) in values.items()}
        for key, value in self.table.items():
            self._automaton.add_word(key, value)
        self._crossers = bool(crossers)
        self._empty = not values
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches as (start, end, id) in text order (the rules above)."""
        if self._empty:
            return []
        if self._quotes and not QUOTES.isdisjoint(text):
            plain, where = _without_quotes(text)
        else:
            plain, where = text, None
        candidates, vetoed, crossing = [], set(), []
        for end, (term_id, length, cuts, crosser) in self._automaton.iter(plain):
            start = end - length + 1
            for offset, cut in cuts:
                vetoed.add((start + offset, start + offset + cut))
            if term_id is not None:
                candidates.append((-length, start, term_id))
            elif crosser:
                crossing.append((start, end + 1))
        if vetoed:
            candidates = [c for c in candidates if (c[1], c[1] - c[0]) not in vetoed]
        # A Latin form (CCER) is a whole word: no letter or digit runs on at either side.
        candidates = [c for c in candidates if not _glued(plain, c[1], c[1] - c[0])]
        if crossing:
            candidates = _read_across(plain, candidates, crossing, text if where is not None else None, where,
                                      self._word_cache)
        candidates.sort()
        taken = bytearray(len(plain))
        chosen = []
        for negative, start, term_id in candidates:
            end = start - negative
            if any(taken[start:end]):
                continue
            if where is not None:
                span = _whole_quotes(text, where[start], where[end - 1] + 1)
                if span is None:
                    continue
                chosen.append((*span, term_id))
            else:
                chosen.append((start, end, term_id))
            taken[start:end] = b"\x01" * (end - start)
        chosen.sort()
        return chosen


def _glued(text: str, start: int, end: int) -> bool:
    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()
    return (latin(start) and latin(start - 1)) or (latin(end - 1) and latin(end))


def _read_across(plain: str, candidates: list, crossing: list[tuple[int, int]], text: str | None,
                 where: list[int] | None, cache: Path | None = None) -> list:
    """Rule 4: keep the candidates that a segmentation of their sentence does not cut."""
    starts_inside: dict[int, list[int]] = {}
    for start, end in crossing:
        starts_inside.setdefault(start, []).append(end)
    kept = []
    for candidate in candidates:
        negative, start, _ = candidate
        end = start - negative
        overlapped = any(s < start < e < end or start < s < end < e
                         for s in range(max(0, start - 3), end) for e in starts_inside.get(s, ()))
        if not overlapped or _reads_as_word(plain, start, end, text, where, cache):
            kept.append(candidate)
    return kept


@functools.lru_cache(maxsize=8192)
def _own_bounds(form: str, cache: Path | None) -> frozenset[int]:
    return frozenset(word_index(cache).boundaries(form))


def _reads_as_word(plain: str, start: int, end: int, text: str | None, where: list[int] | None,
                   cache: Path | None = None) -> bool:
    """Whether the best segmentation of the sentence around a candidate leaves it whole (rule 4)."""
    left_quoted = right_quoted = False
    if text is not None and where is not None:
        left_quoted = where[start] > 0 and text[where[start] - 1] in QUOTES
        right_quoted = where[end - 1] + 1 < len(text) and text[where[end - 1] + 1] in QUOTES
    low, high = max(0, start - 4), min(len(plain), end + 4)
    bounds = sorted(b + low for b in word_index(cache).boundaries(plain[low:high]))
    if not left_quoted and start not in bounds:
        word_end = min(b for b in bounds if b > start)
        if word_end < end:              # a word from before the form ends inside it
            return False
    if not right_quoted and end not in bounds:
        word_start = max(b for b in bounds if b < end)
        if start < word_start and (word_start - start) not in _own_bounds(plain[start:end], cache):
            return False                # a word from inside the form, not one of its parts, runs on
    return True


def _without_quotes(text: str) -> tuple[str, list[int]]:
    """The text without quotation marks, and where each kept character stood."""
    where = [i for i, char in enumerate(text) if char not in QUOTES]
    return "".join(text[i] for i in where), where


def _whole_quotes(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a match by the marks just outside it so every quotation inside is whole; None if
    it cannot be (the match would hold half a quotation)."""
    opened: list[str] = []
    closing = ""
    for position in range(start, end):
        char = text[position]
        if char not in QUOTES:
            continue
        if char in SYMMETRIC:
            # A straight quote closes when an odd number of them stands before it.
            is_open = (opened[-1] != char) if opened else text.count(char, 0, position) % 2 == 0
        else:
            is_open = char in QUOTE_PAIRS
        if is_open:
            opened.append(char)
        elif opened and QUOTE_PAIRS[opened[-1]] == char:
            opened.pop()
        elif not opened and not closing and position == _first_quote(text, start, end):
            closing = char
        else:
            return None
    if closing:
        opening = text[start - 1] if start > 0 else ""
        if QUOTE_PAIRS.get(opening) != closing:
            return None
        start -= 1
    if len(opened) > 1:
        return None
    if opened:
        if end >= len(text) or text[end] != QUOTE_PAIRS[opened[0]]:
            return None
        end += 1
    return start, end


def _first_quote(text: str, start: int, end: int) -> int:
    return next(i for i in range(start, end) if text[i] in QUOTES)
