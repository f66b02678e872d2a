"""What one article's work read of the glossary, and whether a changed glossary still says it.

A glossary edit touches few articles: a new term stands in some texts only, a definition shows
on the pages of the articles using it only. So an article's work is keyed by its *slice* of the
glossary, not by the whole file:

- its reads: each entry, term name, category and form's pinyin its pages looked up (``watched`` notes
  them), and the wrong options its quiz chose, with the values they had;
- its haystack: the texts it looked for terms in, and what the matcher found there.

A later build makes an article again only when one of its reads now has another value, or when
the matcher finds something else in its texts. It looks again only in the texts where a row of
the matcher's table that changed (a form, blocker or crosser added, removed or given another
meaning) stands: elsewhere nothing it finds can have changed.
"""
from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

import ahocorasick

from ..site.study import distractors
from ..sources.glossary import Entry, Glossary
from ..text.matcher import Matcher, strip_quotes
from .cache import digest

ALL = "*"                 # a read of a whole mapping (its keys, its size)
SEPARATOR = "\x00"        # between the texts of a haystack: no form holds it

Read = tuple[str, str]    # ("entry", id), ("name", id), ("category", name), ("pinyin", form), ("quiz", term␀pool);
                          # ALL: the whole mapping


class Slice(NamedTuple):
    """One article's slice of the glossary, as its work found it."""

    reads: frozenset[Read]
    haystack: str          # the texts terms were looked for in, joined by SEPARATOR
    shown: str             # digest of the reads' values
    matched: str           # digest of what the matcher found in each of those texts


class Fingerprint(NamedTuple):
    """A glossary as the next build compares it: a short digest per row of its matcher's table
    and per read (every entry, name, category and form's pinyin, each whole, and the shape the
    quizzes choose from)."""

    rows: dict[str, str]
    reads: dict[Read, str]


class Change(NamedTuple):
    """What changed between two glossaries: an automaton finding the matcher keys whose rows
    changed (None: none did), and the reads whose values changed."""

    rows: "ahocorasick.Automaton | None"
    reads: frozenset[Read]


QUIZZES: Read = ("quiz", ALL)   # the ids, categories and related terms the quizzes choose wrong options from


class _Watched(Mapping):
    """A read-only view of one of the glossary's mappings that notes each key looked up."""

    __slots__ = ("_data", "_what", "_reads")

    def __init__(self, data: Mapping, what: str, reads: set[Read]) -> None:
        self._data, self._what, self._reads = data, what, reads

    def __getitem__(self, key: str) -> Any:
        self._reads.add((self._what, key))
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._reads.add((self._what, key))
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._what, str(key)))
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._reads.add((self._what, ALL))
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.add((self._what, ALL))
        return len(self._data)


class _WatchedList(list):
    """A list every reading of which notes a read of the whole (one article's work has no
    business going through every entry; if it does, any change of the glossary redoes it)."""

    def __init__(self, items: Iterable, what: str, reads: set[Read]) -> None:
        super().__init__(items)
        self._what, self._reads = what, reads

    def _all(self) -> None:
        self._reads.add((self._what, ALL))

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __getitem__(self, index):
        self._all()
        return super().__getitem__(index)

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def index(self, *args):
        self._all()
        return super().index(*args)

    def __contains__(self, item) -> bool:
        self._all()
        return super().__contains__(item)


def watched(glossary: Glossary, reads: set[Read]) -> Glossary:
    """A copy of the glossary that notes in ``reads`` every entry, category and form's pinyin
    looked up through it."""
    view = copy.copy(glossary)
    view.by_id = _Watched(glossary.by_id, "entry", reads)               # type: ignore[assignment]
    view.by_category = _Watched(glossary.by_category, "category", reads)  # type: ignore[assignment]
    view.form_pinyin = _Watched(glossary.form_pinyin, "pinyin", reads)    # type: ignore[assignment]
    view.names = _Watched(glossary.names, "name", reads)                  # type: ignore[assignment]
    view.entries = _WatchedList(glossary.entries, "entry", reads)
    view.categories = _WatchedList(glossary.categories, "category", reads)
    return view


def _entry_value(entry: Entry | None) -> str:
    # Where an entry stands in the file is no part of what pages show: a new entry above it
    # moves its line and its notes' lines, and must not make the articles using it again.
    if entry is None:
        return "absent"
    return repr(replace(entry, line=0, notes=tuple(replace(n, line=0) for n in entry.notes)))


def term_page_reads(entry: Entry) -> frozenset[Read]:
    """What a term's pages show of the glossary: its entry, and its related terms by name."""
    return frozenset({("entry", entry.id), *(("name", r) for r in entry.related)})


def quiz_read(term: str, pool: list[str]) -> Read:
    """The read of the wrong options a quiz question on ``term`` chose, among ``pool``."""
    return ("quiz", SEPARATOR.join((term, *pool)))


def _row(value: tuple) -> str:
    term_id, length, cuts, crosser = value
    return repr((term_id, length, sorted(cuts), crosser))


class Slicer:
    """One glossary, as the slices of articles' work see it (each value worked out once)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._values: dict[Read, str] = {}

    @functools.cached_property
    def matcher(self) -> Matcher:
        """The glossary's matcher (made when first needed: a page's slice needs none)."""
        return self.glossary.matcher()

    def fingerprint(self) -> Fingerprint:
        """What the next build compares its own glossary with."""
        g = self.glossary
        reads: list[Read] = [(what, ALL) for what in ("entry", "name", "category", "pinyin")]
        reads += [(what, e.id) for e in g.entries for what in ("entry", "name")]
        reads += [("category", c) for c in g.by_category] + [("pinyin", f) for f in g.form_pinyin]
        values = {read: digest(self.value(read))[:16] for read in reads}
        # distractors() reads no more than this of the glossary.
        values[QUIZZES] = digest(repr(sorted((e.id, e.category, e.related) for e in g.entries)))[:16]
        rows = {key: digest(_row(value))[:16] for key, value in self.matcher.table.items()}
        return Fingerprint(rows, values)

    def value(self, read: Read) -> str:
        """What a read finds in this glossary."""
        found = self._values.get(read)
        if found is None:
            found = self._values[read] = self._value(*read)
        return found

    def _value(self, what: str, key: str) -> str:
        g = self.glossary
        if what == "entry":
            return digest(*(_entry_value(e) for e in g.entries)) if key == ALL else _entry_value(g.by_id.get(key))
        if what == "category":
            return repr((g.categories, g.by_category)) if key == ALL else repr(g.by_category.get(key))
        if what == "pinyin":
            return repr(sorted(g.form_pinyin.items())) if key == ALL else repr(g.form_pinyin.get(key))
        if what == "name":
            return repr(g.names) if key == ALL else repr(g.names.get(key))
        if what == "quiz":
            term, *pool = key.split(SEPARATOR)
            if term not in g.by_id or not all(t in g.by_id for t in pool):
                return "absent"   # a term gone: the article's marks change anyway
            return repr(distractors(g.by_id[term], g, pool))
        raise ValueError(f"unknown glossary read {what!r}")

    def shown(self, reads: frozenset[Read]) -> str:
        """Digest of the reads' values in this glossary."""
        return digest(*(f"{what}{SEPARATOR}{key}{SEPARATOR}{self.value((what, key))}" for what, key in sorted(reads)))

    def matched(self, haystack: str) -> str:
        """Digest of what the matcher finds in each text of a haystack."""
        return _found_digest([self.matcher.find(text) for text in haystack.split(SEPARATOR)] if haystack else [])

    def slice(self, reads: set[Read], texts: list[str], found: list[list[tuple[int, int, str]]]) -> Slice:
        """The slice of one article's work: what it read, the texts it looked for terms in and
        what it found in each."""
        frozen = frozenset(reads)
        return Slice(frozen, SEPARATOR.join(texts), self.shown(frozen), _found_digest(found))

    def holds(self, found: Slice) -> bool:
        """Whether this glossary gives the article's work what it gave when the slice was taken."""
        return self.shown(found.reads) == found.shown and self.matched(found.haystack) == found.matched

    def holds_since(self, found: Slice, change: Change) -> bool:
        """The same, knowing what changed since a glossary that held the slice: it weighs again
        only the reads whose values changed, and looks again only in a text where a changed
        row of the matcher's table stands."""
        reads = change.reads
        if reads and (not reads.isdisjoint(found.reads) or
                      (QUIZZES in reads and any(what == "quiz" for what, _ in found.reads))):
            if self.shown(found.reads) != found.shown:
                return False
        if change.rows is None:
            return True
        plain = strip_quotes(found.haystack)   # the glossary's matcher sees through quotes
        if next(change.rows.iter(plain), None) is None:
            return True
        return self.matched(found.haystack) == found.matched


def _found_digest(found: list[list[tuple[int, int, str]]]) -> str:
    return digest(repr(found))


def _changed(before: Mapping, after: Mapping) -> list:
    return [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]


def changes_between(before: Fingerprint, after: Fingerprint) -> Change:
    """What changed between two glossaries, by their fingerprints."""
    rows = _changed(before.rows, after.rows)
    automaton = None
    if rows:
        automaton = ahocorasick.Automaton()
        for key in rows:
            automaton.add_word(key, key)
        automaton.make_automaton()
    return Change(automaton, frozenset(_changed(before.reads, after.reads)))
