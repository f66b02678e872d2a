"""The glossary: load and validate ``site_src/glossary.yaml`` into typed entries.

Two schemas. Without a top-level ``schema: 2`` the file is read as before (every entry quotes
the seed where it is first used). With ``schema: 2`` (issue 12) every entry must say where it
applies (``scope``) and cite at least one document (``sources``); a seed quote becomes optional,
the categories are the fixed v2 list, and a definition must be true in any article: words that
point at one article (文中, 本文 …) belong in that article's ``notes``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BuildError, Problem, Report
from ..text.cjk import HAN_CHAR
from ..text.matcher import Blocker, Matcher, strip_quotes
from ..text.names import SAFE_NAME
from ..text.pinyin import check_syllables, pinyin_by_word, pypinyin_version, reference_syllables, sort_key
from ..text.words import Lexicon, crossing_words, jieba_version, words_containing
from .yamlfile import LineDict, LineList, read_yaml

CATEGORIES_V2 = ["战略与口号", "会议与文件", "扶贫与乡村振兴", "产业与数字经济", "金融与国资", "粮食与能源安全",
                 "治理与党建", "生态文明", "对外开放", "区域与平台", "工程与政策", "机构与机制", "指标"]
TOP_KEYS = ("schema", "categories", "entries")
KEYS_V1 = {"required": ("id", "term", "pinyin", "english", "definition", "category", "source"),
           "optional": ("aliases", "english_status", "related", "uncertain", "zh_hant", "pinyin_note",
                        "scope", "sources", "first_used", "notes", "not_in")}
KEYS_V2 = {"required": ("id", "term", "pinyin", "english", "definition", "category", "scope", "sources"),
           "optional": ("aliases", "english_status", "related", "uncertain", "zh_hant", "pinyin_note",
                        "first_used", "notes", "not_in", "source")}
# A definition holds for every article; these words point at one article (schema 2 rejects them).
ARTICLE_WORDS = [re.compile(p) for p in (r"文中", r"本文", r"该文", r"报道", r"文章(?:中|说|称|指出|提到|认为|介绍)")]
CROSSER_FREQ = 300    # a word rarer than this across a term's edge is not worth a second look
ACRONYM = re.compile(r"[A-Z][A-Z0-9&+-]{1,9}")   # a Latin form: CCER, GDP, REITs are not
MEETING_ENDS = ("会议", "大会", "全会", "座谈会", "推进会", "论坛", "峰会")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Source:
    """A document, meeting or article that defines or uses a term."""

    title: str
    issuer: str
    date: str | None = None          # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    number: str | None = None        # document number, e.g. 国办发〔2018〕129号

    def cite(self) -> str:
        """One line: issuer《title》（number，date）."""
        # A meeting is named as it is; a document, report or article goes in title marks.
        meeting = self.title.endswith(MEETING_ENDS)
        title = self.title if self.title.startswith("《") or meeting else f"《{self.title}》"
        extra = "，".join(x for x in (self.number, self.date) if x)
        return f"{self.issuer}{title}" + (f"（{extra}）" if extra else "")


@dataclass(frozen=True)
class SeedQuote:
    """Where a seed first uses or explains the term, word for word (checked at every build)."""

    seed: str
    quote: str


@dataclass(frozen=True)
class FirstUse:
    """When and where a term was first used, where that is firmly known."""

    year: str
    event: str


@dataclass(frozen=True)
class Note:
    """What one article says about a term: shown in that article only."""

    seed: str
    note: str
    line: int


@dataclass(frozen=True)
class Entry:
    """One glossary term with its explanation."""

    id: str
    term: str
    pinyin: str                      # by word (GB/T 16159), from the written pinyin
    english: str
    definition: str
    category: str
    line: int
    aliases: tuple[str, ...] = ()
    english_status: str = "working"
    related: tuple[str, ...] = ()
    source: SeedQuote | None = None
    uncertain: str | None = None
    zh_hant: str | None = None
    pinyin_note: str | None = None
    scope: str | None = None         # "national" or a province or city
    sources: tuple[Source, ...] = ()
    first_used: FirstUse | None = None
    notes: tuple[Note, ...] = ()
    not_in: tuple[str, ...] = ()     # longer words in which a form of this term is no match
    pinyin_written: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form that marks this entry: the term and its aliases."""
        return (self.term, *self.aliases)

    def note_for(self, seed: str) -> str | None:
        """What the article made from ``seed`` says about this term, if anything."""
        return next((n.note for n in self.notes if n.seed == seed), None)

    @property
    def national(self) -> bool:
        return self.scope in (None, "national")


@dataclass
class Glossary:
    """All entries, in file order, with the categories they may use."""

    entries: list[Entry]
    categories: list[str]
    path: str
    schema: int = 1
    blockers: tuple[Blocker, ...] = ()
    crossers: frozenset[str] = frozenset()
    findings: list[Problem] = field(default_factory=list)   # glossary-wide, summarised once
    cache: Path | None = None       # the build's cache folder (guards, the sorted dictionary)
    form_pinyin: dict[str, str] = field(default_factory=dict)   # a written form's Han characters → pinyin

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}
        grouped: dict[str, list[str]] = {}
        for e in self.entries:
            grouped.setdefault(e.category, []).append(e.id)
        self.by_category = {c: tuple(ids) for c, ids in grouped.items()}   # category → entry ids, in glossary order
        self.names = {e.id: (e.term, e.zh_hant) for e in self.entries}      # what a page shows of a term it only names

    def matcher(self) -> Matcher:
        """A matcher over every written form of every entry (quotes transparent, blockers on)."""
        return Matcher({form: e.id for e in self.entries for form in e.forms}, self.blockers, quotes=True,
                       crossers=self.crossers, word_cache=self.cache)


def _who(item: LineDict) -> str:
    return f"entry {item.get('id', '?')!r}"


def _text(item: LineDict, key: str, path: str, who: str | None = None) -> str:
    value = item.get(key)
    if isinstance(value, (int, dt.date)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not isinstance(value, str) or not value.strip():
        raise BuildError(path, item.line_of(key), f"{who or _who(item)}: {key!r} must be a non-empty string")
    return value.strip()


def _optional(item: LineDict, key: str, path: str, who: str | None = None) -> str | None:
    return _text(item, key, path, who) if item.get(key) is not None else None


def _string_list(item: LineDict, key: str, path: str) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BuildError(path, item.line_of(key), f"{_who(item)}: {key!r} must be a list of strings")
    return tuple(v.strip() for v in value)


def _mappings(item: LineDict, key: str, path: str, keys: tuple[str, ...], required: tuple[str, ...]) -> list[LineDict]:
    """A list of mappings with known keys, each holding the required ones."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BuildError(path, item.line_of(key), f"{_who(item)}: {key!r} must be a list of mappings")
    out = []
    for element in value:
        line = getattr(element, "line", None) or item.line_of(key)
        if not isinstance(element, LineDict):
            raise BuildError(path, line, f"{_who(item)}: each of {key!r} must be a mapping ({', '.join(keys)})")
        for name in element:
            if name not in keys:
                raise BuildError(path, element.line_of(name), f"{_who(item)}: unknown key {name!r} in {key!r} "
                                 f"(use {', '.join(keys)})")
        for name in required:
            if name not in element:
                raise BuildError(path, line, f"{_who(item)}: each of {key!r} needs {name!r}")
        out.append(element)
    return out


def _date(element: LineDict, path: str, who: str) -> str | None:
    value = element.get("date")
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    match = DATE.match(text)
    valid = bool(match)
    if match and match.group(2):
        valid = 1 <= int(match.group(2)) <= 12
        if valid and match.group(3):
            try:
                dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                valid = False
    if not valid:
        raise BuildError(path, element.line_of("date"), f"{who}: source date {text!r} must be \"YYYY\", "
                         "\"YYYY-MM\" or \"YYYY-MM-DD\" (leave it out if unknown)")
    return text


def _sources(item: LineDict, path: str, schema: int) -> tuple[Source, ...]:
    elements = _mappings(item, "sources", path, ("title", "issuer", "date", "number"), ("title", "issuer"))
    if schema >= 2 and not elements:
        raise BuildError(path, item.line_of("sources"), f"{_who(item)}: 'sources' needs at least one document, "
                         "meeting or article (title, issuer, date, number)")
    who = _who(item)
    return tuple(Source(title=_text(e, "title", path, who), issuer=_text(e, "issuer", path, who),
                        date=_date(e, path, who), number=_optional(e, "number", path, who)) for e in elements)


def _seed_quote(item: LineDict, path: str, schema: int) -> SeedQuote | None:
    source = item.get("source")
    if source is None and schema >= 2:
        return None
    if (not isinstance(source, dict) or set(source) != {"seed", "quote"}
            or not all(isinstance(v, str) and v for v in source.values())):
        raise BuildError(path, item.line_of("source"),
                         f"{_who(item)}: source must be a mapping with 'seed' (a file in seeds/) and "
                         "'quote' (the exact words where the term is first used or explained)")
    return SeedQuote(source["seed"], source["quote"])


def _first_used(item: LineDict, path: str) -> FirstUse | None:
    value = item.get("first_used")
    if value is None:
        return None
    if not isinstance(value, LineDict) or set(value) != {"year", "event"}:
        raise BuildError(path, item.line_of("first_used"), f"{_who(item)}: first_used must be a mapping with "
                         "'year' and 'event' (leave it out when the first use is not firmly known)")
    year = _text(value, "year", path, _who(item))
    if not re.fullmatch(r"\d{4}", year):
        raise BuildError(path, value.line_of("year"), f"{_who(item)}: first_used year {year!r} must be four digits")
    return FirstUse(year, _text(value, "event", path, _who(item)))


def _notes(item: LineDict, path: str) -> tuple[Note, ...]:
    who = _who(item)
    notes = tuple(Note(_text(e, "seed", path, who), _text(e, "note", path, who), e.line)
                  for e in _mappings(item, "notes", path, ("seed", "note"), ("seed", "note")))
    seeds = [n.seed for n in notes]
    if len(set(seeds)) != len(seeds):
        raise BuildError(path, item.line_of("notes"), f"{who}: one note per seed")
    return notes


def _entry(item: object, path: str, categories: list[str], line: int, schema: int) -> Entry:
    if not isinstance(item, LineDict):
        raise BuildError(path, line, "each entry must be a mapping (id, term, pinyin, …)")
    keys = KEYS_V2 if schema >= 2 else KEYS_V1
    for key in item:
        if key not in keys["required"] and key not in keys["optional"]:
            raise BuildError(path, item.line_of(key), f"{_who(item)}: unknown key {key!r}")
    for key in keys["required"]:
        if key not in item:
            raise BuildError(path, item.line, f"{_who(item)}: missing {key!r}")
    entry_id = _text(item, "id", path)
    if not SAFE_NAME.match(entry_id):
        raise BuildError(path, item.line_of("id"), f"id {entry_id!r} must be lowercase ASCII words "
                         "joined by single hyphens (e.g. fukuang-jingkai)")
    term = _text(item, "term", path)
    category = _text(item, "category", path)
    if categories and category not in categories:
        raise BuildError(path, item.line_of("category"),
                         f"{_who(item)}: category {category!r} is not one of {', '.join(categories)}")
    status = item.get("english_status", "working")
    if status not in ("official", "working"):
        raise BuildError(path, item.line_of("english_status"), "english_status must be official or working")
    definition = _text(item, "definition", path)
    if schema >= 2:
        for pattern in ARTICLE_WORDS:
            found = pattern.search(definition)
            if found:
                raise BuildError(path, item.line_of("definition"),
                                 f"{_who(item)}: the definition names one article ({found.group(0)!r}); a "
                                 "definition must hold in every article: move what one article says into "
                                 "'notes' ({seed, note})")
    aliases = _string_list(item, "aliases", path)
    not_in = _string_list(item, "not_in", path)
    for word in not_in:
        if not any(strip_quotes(form) in strip_quotes(word) and strip_quotes(form) != strip_quotes(word)
                   for form in (term, *aliases)):
            raise BuildError(path, item.line_of("not_in"), f"{_who(item)}: not_in word {word!r} does not hold "
                             "the term or an alias as a part")
    written = _text(item, "pinyin", path)
    optional_text = {k: _optional(item, k, path) for k in ("uncertain", "zh_hant", "pinyin_note", "scope")}
    if "scope" in item and optional_text["scope"] is None:
        raise BuildError(path, item.line_of("scope"), f"{_who(item)}: 'scope' must be national or a place name")
    return Entry(id=entry_id, term=term, pinyin=written, english=_text(item, "english", path),
                 definition=definition, category=category, line=item.line, aliases=aliases,
                 english_status=status, related=_string_list(item, "related", path),
                 source=_seed_quote(item, path, schema), sources=_sources(item, path, schema),
                 first_used=_first_used(item, path), notes=_notes(item, path), not_in=not_in,
                 pinyin_written=written, **optional_text)


def _schema(data: LineDict, shown: str) -> int:
    value = data.get("schema", 1)
    if value not in (1, 2):
        raise BuildError(shown, data.line_of("schema"), f"schema {value!r}: this build reads schema 1 or 2")
    return value


def _categories(data: LineDict, shown: str, schema: int) -> list[str]:
    categories = data.get("categories")
    if schema >= 2 and categories is None:
        return list(CATEGORIES_V2)
    if not categories or not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise BuildError(shown, data.line_of("categories"), "'categories' must be a list of names")
    if schema >= 2 and list(categories) != CATEGORIES_V2:
        raise BuildError(shown, data.line_of("categories"), "schema 2 has these categories, in this order: "
                         + ", ".join(CATEGORIES_V2) + " (or leave 'categories' out)")
    return list(categories)


def find_blockers(entries: list[Entry], lexicon: Lexicon | None = None,
                  found: dict[str, list[tuple[int, str]]] | None = None) -> tuple[Blocker, ...]:
    """Longer words in which a form is no match: each entry's ``not_in``, and every dictionary
    word that holds a form across its own parts (国民生产 = 国民|生产 holds 民生 across the
    break). A word that is itself a glossary form needs no blocker: the longer form wins."""
    forms = {strip_quotes(f) for e in entries for f in e.forms}
    if found is None:
        found = words_containing(sorted(forms))
    found = {word: hits for word, hits in found.items() if word not in forms}
    lexicon = lexicon or Lexicon.for_texts(set(found))
    blockers: dict[str, set[tuple[int, int]]] = {}
    for word, hits in sorted(found.items()):
        bounds, at = {0}, 0
        for part in lexicon.segment(word, whole=False):
            at += len(part)
            bounds.add(at)
        # A word that ends in the form is mostly a kind of it (…开发区): Chinese compounds are
        # headed on the right, so only a form inside or at the start can be misread.
        cuts = {(offset, len(form)) for offset, form in hits
                if offset + len(form) < len(word) and (offset not in bounds or offset + len(form) not in bounds)}
        if cuts:
            blockers[word] = cuts
    for entry in entries:
        for word in entry.not_in:
            plain = strip_quotes(word)
            for form in {strip_quotes(f) for f in entry.forms}:
                at = plain.find(form)
                while at >= 0:
                    blockers.setdefault(plain, set()).add((at, len(form)))
                    at = plain.find(form, at + 1)
    return tuple(Blocker(word, frozenset(cuts)) for word, cuts in sorted(blockers.items()))


def load_glossary(path: Path, shown: str, blockers: bool = True, cache: Path | None = None) -> Glossary:
    """Load and validate the glossary; any problem stops the build with file, line and reason.
    ``cache``: a folder where the glossary, as loaded, is kept for the next build (keyed by its
    bytes and the code that reads it: reading 500 entries of YAML takes 0.2 s)."""
    if cache is None or not path.is_file():
        return _load_glossary(path, shown, blockers, cache)
    code = sorted(p for folder in ("sources", "text") for p in (PACKAGE / folder).glob("*.py"))
    key = [hashlib.sha256(path.read_bytes()).hexdigest(), shown, str(blockers), jieba_version(),
           pypinyin_version(), *(hashlib.sha256(p.read_bytes()).hexdigest() for p in code)]
    loaded = _cached(cache, "glossary-loaded", key, lambda: _load_glossary(path, shown, blockers, cache))
    # The folder is this checkout's, wherever the cached copy was made.
    return replace(loaded, cache=cache, findings=[])


def _load_glossary(path: Path, shown: str, blockers: bool, cache: Path | None) -> Glossary:
    if not path.is_file():   # a site without terms is a mistake, not an empty glossary
        raise BuildError(shown, None, "missing: every site needs its glossary (categories and entries; "
                         "`policyreader new DIR` shows one)")
    data = read_yaml(path, shown)
    if not isinstance(data, LineDict) or not isinstance(data.get("entries"), LineList):
        raise BuildError(shown, getattr(data, "line", 1), "glossary must be a mapping with 'categories' and 'entries' lists")
    for key in data:
        if key not in TOP_KEYS:
            raise BuildError(shown, data.line_of(key), f"unknown key {key!r} (use {', '.join(TOP_KEYS)})")
    schema = _schema(data, shown)
    categories = _categories(data, shown, schema)
    entries = [_entry(item, shown, categories, getattr(item, "line", data["entries"].line), schema)
               for item in data["entries"]]
    ids: dict[str, Entry] = {}
    forms: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in ids:
            raise BuildError(shown, entry.line, f"duplicate id {entry.id!r} (first at line {ids[entry.id].line})")
        ids[entry.id] = entry
        for form in entry.forms:
            if not HAN_CHAR.search(form) and not ACRONYM.fullmatch(form):
                raise BuildError(shown, entry.line, f"entry {entry.id!r}: form {form!r} has no Chinese characters "
                                 "(a Latin form must be an acronym in capitals, e.g. CCER)")
            key = strip_quotes(form)   # “内卷式”竞争 and 内卷式竞争 are one form
            if key in forms and forms[key] is not entry:
                other = forms[key]
                raise BuildError(shown, entry.line, f"form {form!r} of {entry.id!r} is already claimed by "
                                 f"{other.id!r} (line {other.line})")
            forms[key] = entry
    for entry in entries:
        for related in entry.related:
            if related not in ids:
                raise BuildError(shown, entry.line, f"entry {entry.id!r}: related id {related!r} does not exist")
    # Schema 2 pinyin is written by word by hand and shown as written; schema 1 pinyin was written
    # syllable by syllable, so its syllables are grouped into words here.
    if schema >= 2:
        entries = [replace(e, pinyin=" ".join(e.pinyin_written.split())) for e in entries]
    else:
        lexicon = Lexicon.for_texts({e.term for e in entries})
        entries = [replace(e, pinyin=pinyin_by_word(e.term, e.pinyin_written, lexicon)) for e in entries]
    if not blockers:
        return Glossary(entries, categories, shown, schema, cache=cache)
    found_blockers, crossers = _guards(entries, sorted(forms), cache)
    return Glossary(entries, categories, shown, schema, found_blockers, crossers, cache=cache,
                    form_pinyin=_form_pinyin(entries, cache))


def _form_pinyin(entries: list[Entry], cache: Path | None) -> dict[str, str]:
    """The pinyin of every written form (pages show it over a form that is not the headword as
    written), worked out once and kept in the cache folder: pypinyin takes 0.16 s to load."""
    forms = sorted({han for e in entries for form in e.forms if (han := "".join(HAN_CHAR.findall(form)))})
    return _cached(cache, "glossary-forms", [pypinyin_version(), *forms],
                   lambda: {form: " ".join(reference_syllables(form)) for form in forms})


PACKAGE = Path(__file__).resolve().parent.parent
GUARDS_VERSION = "1"     # bump when find_blockers or crossing_words change what they find


def _guards(entries: list[Entry], forms: list[str], cache: Path | None) -> tuple[tuple[Blocker, ...], frozenset[str]]:
    """The blockers and crossers of these forms: read from the cache folder when the forms,
    the not_in words and the dictionary are as before (a scan of the dictionary takes a second)."""
    key = [GUARDS_VERSION, jieba_version(), str(CROSSER_FREQ), *forms, "", *(w for e in entries for w in e.not_in)]
    return _cached(cache, "glossary-guards", key,
                   lambda: (tuple(find_blockers(entries)), frozenset(crossing_words(forms, CROSSER_FREQ))))


def _cached(cache: Path | None, prefix: str, key: list[str], make):
    """``make()``, kept in the cache folder under a hash of ``key`` (the one file of its kind:
    a new key replaces the old file). A cache that cannot be read or written is only slower."""
    digest = hashlib.sha256("\n".join(key).encode()).hexdigest()[:24]
    stored = cache / f"{prefix}-{digest}.pickle" if cache else None
    if stored and stored.is_file():
        try:
            with stored.open("rb") as handle:
                return pickle.load(handle)   # noqa: S301 - our own cache, keyed by content
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            pass
    value = make()
    if stored:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            for old in cache.glob(f"{prefix}-*.pickle"):
                old.unlink(missing_ok=True)
            temp = stored.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(pickle.dumps(value))
            os.replace(temp, stored)
        except OSError:
            pass
    return value


def check_sources(glossary: Glossary, seed_texts: dict[str, str], report: Report) -> list[Problem]:
    """Every seed quote must stand, word for word, in the seed it names (a wrong quote stops
    the build). Returns the glossary-wide findings: quotes and notes naming absent seeds."""
    findings: list[Problem] = []
    for entry in glossary.entries:
        if entry.source is not None:
            seed, quote = entry.source.seed, entry.source.quote
            if seed not in seed_texts:
                findings.append(Problem(glossary.path, entry.line,
                                        f"entry {entry.id!r}: source seed {seed!r} is not in seeds/"))
            elif quote not in seed_texts[seed]:
                raise BuildError(glossary.path, entry.line,
                                 f"entry {entry.id!r}: source quote {quote!r} is not in {seed}")
        for note in entry.notes:
            if note.seed not in seed_texts:
                findings.append(Problem(glossary.path, note.line,
                                        f"entry {entry.id!r}: note for seed {note.seed!r}, which is not in seeds/"))
    return findings


def sort_keys(glossary: Glossary) -> dict[str, str]:
    """Each entry's A–Z key (its term's toneless pinyin), kept in the cache folder: pypinyin
    takes 0.16 s to load, and the keys change only with the terms."""
    pairs = [(e.id, e.term) for e in glossary.entries]
    keys = _cached(glossary.cache, "glossary-sort", [pypinyin_version(), *(f"{i}\t{t}" for i, t in pairs)],
                   lambda: [sort_key(term) for _, term in pairs])
    return {entry_id: key for (entry_id, _), key in zip(pairs, keys)}


def pinyin_findings(glossary: Glossary) -> list[Problem]:
    """Entries whose written syllables differ from pypinyin's reading without a pinyin_note."""
    # Kept in the cache folder: pypinyin takes 0.16 s to load, and the answers change only
    # with the entries' terms and pinyin.
    pairs = [(e.term, e.pinyin_written) for e in glossary.entries]
    problems = _cached(glossary.cache, "glossary-pinyin", [pypinyin_version(), *(f"{t}\t{p}" for t, p in pairs)],
                       lambda: [check_syllables(term, written) for term, written in pairs])
    out = []
    for entry, problem in zip(glossary.entries, problems):
        if problem and not entry.pinyin_note:
            out.append(Problem(glossary.path, entry.line, f"entry {entry.id!r}: {problem} "
                               "(correct it, or add pinyin_note saying why pypinyin is wrong)"))
    return out


def unused_findings(glossary: Glossary, used: dict[str, int]) -> list[Problem]:
    """Entries that occur in no article of this build."""
    return [Problem(glossary.path, e.line, f"entry {e.id!r} ({e.term}) occurs in no article")
            for e in glossary.entries if not used.get(e.id)]


FINDING_KINDS = [("occurs in no article", "entries occur in no article"),
                 ("is not in seeds/", "seed quotes or notes name a seed not in seeds/"),
                 ("other syllables than pypinyin", "pinyin readings differ from pypinyin without a pinyin_note")]


def report_findings(findings: list[Problem], report: Report) -> None:
    """Glossary-wide findings as one line of counts (``check --all`` lists them one by one).

    They concern the glossary, not the articles being built, so they are notes, never
    warnings: a build of one new seed is not buried under the entries it does not use."""
    if not findings:
        return
    counts = []
    for marker, label in FINDING_KINDS:
        count = sum(1 for f in findings if marker in f.message)
        if count:
            counts.append(f"{count} {label}")
    other = len(findings) - sum(int(c.split()[0]) for c in counts)
    if other:
        counts.append(f"{other} other findings")
    report.note(f"glossary: {'; '.join(counts)} (python3 build.py check --all lists them)")


def check_terms_off(glossary: Glossary, terms_off: tuple[str, ...], sidecar: str, line: int | None) -> None:
    """A sidecar may only switch off terms the glossary has."""
    for term_id in terms_off:
        if term_id not in glossary.by_id:
            raise BuildError(sidecar, line, f"terms_off names {term_id!r}, which is not in the glossary")
