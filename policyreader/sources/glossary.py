"""The glossary: load and validate ``site_src/glossary.yaml``, and find terms in running text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, Report
from ..text.cjk import HAN_CHAR
from ..text.matcher import Matcher
from ..text.names import SAFE_NAME
from .yamlfile import LineDict, LineList, read_yaml

REQUIRED = ("id", "term", "pinyin", "english", "definition", "category", "source")
OPTIONAL = ("aliases", "english_status", "related", "uncertain", "zh_hant", "pinyin_note")


@dataclass(frozen=True)
class Entry:
    """One glossary term with its explanation."""

    id: str
    term: str
    pinyin: str
    english: str
    definition: str
    category: str
    line: int
    aliases: tuple[str, ...] = ()
    english_status: str = "working"
    related: tuple[str, ...] = ()
    source: dict = field(default_factory=dict)
    uncertain: str | None = None
    zh_hant: str | None = None
    pinyin_note: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form that marks this entry: the term and its aliases."""
        return (self.term, *self.aliases)


@dataclass
class Glossary:
    """All entries, in file order, with the categories they may use."""

    entries: list[Entry]
    categories: list[str]
    path: str

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}

    def matcher(self) -> "Matcher":
        """A matcher over every written form of every entry."""
        return Matcher({form: e.id for e in self.entries for form in e.forms})


def _text(item: LineDict, key: str, path: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BuildError(path, item.line_of(key), f"entry {item.get('id', '?')!r}: {key!r} must be a non-empty string")
    return value.strip()


def _string_list(item: LineDict, key: str, path: str) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BuildError(path, item.line_of(key), f"entry {item.get('id', '?')!r}: {key!r} must be a list of strings")
    return tuple(v.strip() for v in value)


def _entry(item: object, path: str, categories: list[str], line: int) -> Entry:
    if not isinstance(item, LineDict):
        raise BuildError(path, line, "each entry must be a mapping (id, term, pinyin, …)")
    for key in item:
        if key not in REQUIRED and key not in OPTIONAL:
            raise BuildError(path, item.line_of(key), f"entry {item.get('id', '?')!r}: unknown key {key!r}")
    for key in REQUIRED:
        if key not in item:
            raise BuildError(path, item.line, f"entry {item.get('id', '?')!r}: missing {key!r}")
    entry_id = _text(item, "id", path)
    if not SAFE_NAME.match(entry_id):
        raise BuildError(path, item.line_of("id"), f"id {entry_id!r} must be lowercase ASCII words "
                         "joined by single hyphens (e.g. fukuang-jingkai)")
    term = _text(item, "term", path)
    category = _text(item, "category", path)
    if categories and category not in categories:
        raise BuildError(path, item.line_of("category"),
                         f"entry {entry_id!r}: category {category!r} is not one of {', '.join(categories)}")
    status = item.get("english_status", "working")
    if status not in ("official", "working"):
        raise BuildError(path, item.line_of("english_status"), "english_status must be official or working")
    source = item.get("source")
    if (not isinstance(source, dict) or set(source) != {"seed", "quote"}
            or not all(isinstance(v, str) and v for v in source.values())):
        raise BuildError(path, item.line_of("source"),
                         f"entry {entry_id!r}: source must be a mapping with 'seed' (a file in seeds/) and "
                         "'quote' (the exact words where the term is first used or explained)")
    optional_text = {k: (_text(item, k, path) if k in item else None) for k in ("uncertain", "zh_hant", "pinyin_note")}
    return Entry(id=entry_id, term=term, pinyin=_text(item, "pinyin", path), english=_text(item, "english", path),
                 definition=_text(item, "definition", path), category=category, line=item.line,
                 aliases=_string_list(item, "aliases", path), english_status=status,
                 related=_string_list(item, "related", path), source=dict(source), **optional_text)


def load_glossary(path: Path, shown: str) -> Glossary:
    """Load and validate the glossary; any problem stops the build with file, line and reason."""
    if not path.exists():
        return Glossary([], [], shown)
    data = read_yaml(path, shown)
    if not isinstance(data, LineDict) or not isinstance(data.get("entries"), LineList):
        raise BuildError(shown, getattr(data, "line", 1), "glossary must be a mapping with 'categories' and 'entries' lists")
    categories = data.get("categories") or []
    if not categories or not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise BuildError(shown, data.line_of("categories"), "'categories' must be a list of names")
    entries = [_entry(item, shown, list(categories), getattr(item, "line", data["entries"].line))
               for item in data["entries"]]
    ids: dict[str, Entry] = {}
    forms: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in ids:
            raise BuildError(shown, entry.line, f"duplicate id {entry.id!r} (first at line {ids[entry.id].line})")
        ids[entry.id] = entry
        for form in entry.forms:
            if not HAN_CHAR.search(form):
                raise BuildError(shown, entry.line, f"entry {entry.id!r}: form {form!r} has no Chinese characters")
            if form in forms:
                other = forms[form]
                raise BuildError(shown, entry.line, f"form {form!r} of {entry.id!r} is already claimed by "
                                 f"{other.id!r} (line {other.line})")
            forms[form] = entry
    for entry in entries:
        for related in entry.related:
            if related not in ids:
                raise BuildError(shown, entry.line, f"entry {entry.id!r}: related id {related!r} does not exist")
    return Glossary(entries, list(categories), shown)


def check_sources(glossary: Glossary, seed_texts: dict[str, str], report: Report) -> None:
    """Every entry's source quote must stand, word for word, in the seed it names."""
    for entry in glossary.entries:
        seed, quote = entry.source["seed"], entry.source["quote"]
        if seed not in seed_texts:
            report.warn(glossary.path, entry.line, f"entry {entry.id!r}: source seed {seed!r} is not in seeds/")
            continue
        if quote not in seed_texts[seed]:
            raise BuildError(glossary.path, entry.line,
                             f"entry {entry.id!r}: source quote {quote!r} is not in {seed}")


def check_terms_off(glossary: Glossary, terms_off: tuple[str, ...], sidecar: str, line: int | None) -> None:
    """A sidecar may only switch off terms the glossary has."""
    for term_id in terms_off:
        if term_id not in glossary.by_id:
            raise BuildError(sidecar, line, f"terms_off names {term_id!r}, which is not in the glossary")
