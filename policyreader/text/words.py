"""Known Chinese words: jieba's dictionary (word, frequency, part of speech), read directly.

Only the dictionary is used, not jieba's tokenizer: segmentation here is its maximum-probability
path over the dictionary's words (no hidden Markov model), which is deterministic, and a word the
dictionary lacks falls apart into single characters, which is itself a sign of a new term.
A ``Lexicon`` holds only the words a task asks about, so the 349,000-word file costs a scan,
not a hundred megabytes.
"""
from __future__ import annotations

import functools
import importlib.util
import marshal
import math
import os
import re
from array import array
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import ahocorasick

# jieba's word list, found without importing jieba (whose import pulls in pkg_resources: 0.08 s).
DICTIONARY = Path(importlib.util.find_spec("jieba").origin).resolve().parent / "dict.txt"
LONGEST = 12            # longer dictionary words are rare and never split a term
PROPER_TAGS = frozenset({"ns", "nr", "nt", "nz", "nrt", "nrfg"})   # place, person, organisation, other name


def jieba_version() -> str:
    """The version of the word list in use (part of every cache key made from it)."""
    try:
        return metadata.version("jieba")
    except metadata.PackageNotFoundError:
        return "?"


@functools.cache
def _dictionary_text() -> str:
    return DICTIONARY.read_text(encoding="utf-8")


@functools.cache
def _log_total() -> float:
    return math.log(sum(map(int, re.findall(r"^[^ \n]+ (\d+)", _dictionary_text(), re.MULTILINE))))


@dataclass(frozen=True)
class Word:
    """One dictionary word: how often jieba's corpus has it, and its part of speech."""

    text: str
    freq: int
    tag: str

    @property
    def proper(self) -> bool:
        """A place, person or organisation name (capitalised in pinyin)."""
        return self.tag in PROPER_TAGS


@dataclass
class Lexicon:
    """The dictionary words that occur inside some given texts, and a segmenter over them."""

    freqs: dict[str, int] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    log_total: float = 0.0

    @classmethod
    def for_texts(cls, texts: list[str] | set[str]) -> "Lexicon":
        """Every dictionary word that is a substring of one of the texts."""
        wanted = {text[i:j] for text in texts for i in range(len(text))
                  for j in range(i + 1, min(len(text), i + LONGEST) + 1)}
        return cls._read(wanted)

    @classmethod
    def full(cls) -> "Lexicon":
        """The whole dictionary (for tools run by hand, not for every build)."""
        return cls._read(None)

    @classmethod
    def _read(cls, wanted: set[str] | None) -> "Lexicon":
        freqs: dict[str, int] = {}
        tags: dict[str, str] = {}
        text = _dictionary_text()
        if wanted is None:
            lines = (line.split(" ") for line in text.split("\n") if line)
        else:
            lines = (text[start:text.index("\n", start)].split(" ") for start in _line_starts(text, wanted))
        for word, freq, tag in lines:
            freqs[word] = int(freq)
            tags[word] = tag
        return cls(freqs, tags, _log_total())

    def get(self, word: str) -> Word | None:
        """The dictionary's entry for a word, if it has one."""
        freq = self.freqs.get(word)
        return None if freq is None else Word(word, freq, self.tags[word])

    def segment(self, text: str, whole: bool = True) -> list[str]:
        """Maximum-probability segmentation (jieba's DAG without HMM); ``whole=False`` never
        takes the whole text as one word, to see how a dictionary word is built."""
        n = len(text)
        freqs = self.freqs
        log_total = self.log_total
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = []
            for j in range(i + 1, min(n, i + LONGEST) + 1):
                if not whole and i == 0 and j == n:
                    continue
                freq = freqs.get(text[i:j])
                if freq is not None or j == i + 1:
                    options.append((math.log(freq or 1) - log_total + best[j][0], j))
            best[i] = max(options)
        out, i = [], 0
        while i < n:
            j = best[i][1]
            out.append(text[i:j])
            i = j
        return out


def _line_starts(text: str, words: set[str]) -> list[int]:
    """Where the dictionary's lines for these words start (one automaton pass over the file)."""
    if not words:
        return []
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word("\n" + word + " ", len(word))
    automaton.make_automaton()
    found = [end - length - 1 for end, length in automaton.iter("\n" + text)]   # offsets in text
    return sorted(found)


def words_containing(forms: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Dictionary words that hold a form as a proper part: {word: [(offset, form), …]}."""
    if not forms:
        return {}
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, form)
    automaton.make_automaton()
    text = _dictionary_text()
    found: dict[str, list[tuple[int, str]]] = {}
    for end, form in automaton.iter(text):
        line_start = text.rfind("\n", 0, end) + 1
        word_end = text.find(" ", line_start)
        start = end - len(form) + 1
        if end >= word_end:           # the hit is in the frequency or tag, not the word
            continue
        word = text[line_start:word_end]
        if word != form and len(word) <= LONGEST:
            found.setdefault(word, []).append((start - line_start, form))
    return found


class WordIndex:
    """The whole dictionary, sorted, read by binary search: every word's frequency for about
    ten megabytes (a Python dict of it would take a hundred). Sorting it takes most of a
    second: with a ``cache`` folder the sorted copy is kept there for the next process."""

    def __init__(self, cache: Path | None = None) -> None:
        stored = cache / f"words-{jieba_version()}-{DICTIONARY.stat().st_size}.marshal" if cache else None
        loaded = _read_sorted(stored) if stored else None
        if loaded is None:
            lines = sorted(line.split(" ", 2)[0] + " " + line.split(" ", 2)[1]
                           for line in _dictionary_text().split("\n") if line)
            blob = "\n".join(lines) + "\n"
            starts = array("I", [0])
            at = blob.find("\n")
            while at >= 0 and at + 1 < len(blob):
                starts.append(at + 1)
                at = blob.find("\n", at + 1)
            log_total = _log_total()
            if stored:
                _write_sorted(stored, blob, starts, log_total)
        else:
            blob, starts, log_total = loaded
        self._blob, self._starts, self.log_total = blob, starts, log_total
        self._known: dict[str, int] = {}      # looked up before: texts repeat their words

    def _word_at(self, index: int) -> tuple[str, int]:
        start = self._starts[index]
        space = self._blob.index(" ", start)
        return self._blob[start:space], space

    def freq(self, word: str) -> int:
        """How often the dictionary's corpus has the word (0 if it is not a word)."""
        known = self._known.get(word)
        if known is None:
            if len(self._known) > 200_000:
                self._known.clear()
            known = self._known[word] = self._search(word)
        return known

    def _search(self, word: str) -> int:
        lo, hi = 0, len(self._starts)
        while lo < hi:
            mid = (lo + hi) // 2
            key, space = self._word_at(mid)
            if key < word:
                lo = mid + 1
            elif key > word:
                hi = mid
            else:
                return int(self._blob[space + 1:self._blob.index("\n", space)])
        return 0

    def boundaries(self, text: str) -> set[int]:
        """Where the maximum-probability segmentation of the text puts word boundaries."""
        n = len(text)
        freqs = {(i, j): self.freq(text[i:j]) for i in range(n) for j in range(i + 2, min(n, i + 6) + 1)}
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = [(math.log(max(self.freq(text[i]), 1)) - self.log_total + best[i + 1][0], i + 1)]
            for j in range(i + 2, min(n, i + 6) + 1):
                if freqs[(i, j)]:
                    options.append((math.log(freqs[(i, j)]) - self.log_total + best[j][0], j))
            best[i] = max(options)
        bounds, i = {0}, 0
        while i < n:
            i = best[i][1]
            bounds.add(i)
        return bounds


def _read_sorted(path: Path) -> tuple[str, array, float] | None:
    try:
        with path.open("rb") as handle:
            blob, raw, log_total = marshal.load(handle)
        starts = array("I")
        starts.frombytes(raw)
        return blob, starts, log_total
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_sorted(path: Path, blob: str, starts: array, log_total: float) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("words-*.marshal"):
            old.unlink(missing_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(marshal.dumps((blob, starts.tobytes(), log_total)))
        os.replace(temp, path)
    except OSError:
        pass                      # a cache that cannot be written is only slower


@functools.cache
def word_index(cache: Path | None = None) -> WordIndex:
    """The sorted dictionary, made once per process when first needed (kept in ``cache``)."""
    return WordIndex(cache)


def crossing_words(forms: list[str], min_freq: int) -> set[str]:
    """Common dictionary words (two to four characters) that overlap a form's start or end
    without holding the whole form: where a reader may see another word (实施|工业 or 实|施工)."""
    starts = {f[:k] for f in forms for k in (1, 2) if len(f) > k}
    ends = {f[-k:] for f in forms for k in (1, 2) if len(f) > k}
    found = set()
    for line in _dictionary_text().split("\n"):
        space = line.find(" ")
        if not 2 <= space <= 4:
            continue
        word = line[:space]
        if (word[-1] in starts or word[0] in ends or (space > 2 and (word[-2:] in starts or word[:2] in ends))) \
                and int(line[space + 1:line.index(" ", space + 1)]) >= min_freq:
            found.add(word)
    return found
