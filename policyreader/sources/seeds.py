"""Reading seeds: decode the raw text file, load and validate its optional sidecar, apply fixes."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, Report
from ..text.chars import LINE_BREAKS, describe, first_illegal, line_at
from ..text.cjk import count_han
from ..text.names import SAFE_NAME
from .config import Config
from .yamlfile import LineDict, LineList, parse_yaml

# Keys a sidecar may hold, described for the error message that lists them.
SIDECAR_KEYS = {
    "slug": "ASCII file name of the article (lowercase letters, digits, hyphens)",
    "title": "the article's title",
    "date": "publication date, YYYY-MM-DD",
    "date_note": "what is uncertain about the date, shown to readers",
    "source": "the newspaper or outlet",
    "fixes": "list of {find, replace}: exact edits for garbled spots, each must match exactly once",
    "order": "list of piece ids: the reading order of the pieces on a multi-piece page",
    "terms_off": "list of glossary ids not to mark in this article",
    "no_convert": "list of phrases that stay exactly as written in every script",
    "edition": "edition and page of the paper, as printed (e.g. 第3版)",
    "url": "address of the original text (http or https)",
    "retrieved": "day the text was retrieved, YYYY-MM-DD",
}
FIX_KEYS = {"find", "replace", "why"}
ONE_LINE_KEYS = ("slug", "title", "date_note", "source", "edition")   # they land in front matter, headings and feeds

# A newspaper page is under 100 KB; the caps keep a wrong file (a dump, /dev/zero) from eating memory.
MAX_SEED_BYTES = 8 * 1024 * 1024
MAX_SIDECAR_BYTES = 1024 * 1024
MAX_NAME_BYTES = 200      # leaves room for the temporary names a build gives beside a file (255 at most)
MAX_SLUG = 100            # a slug names files and URLs; pinyin of a long title is cut at eight words
YEARS = (1800, 2107)      # 2107 is the last year a zip file can record

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # a GB18030 reading with these is wrong
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Fix:
    """An editor's exact find → replace for one garbled spot of a seed."""

    find: str
    replace: str
    why: str
    sidecar_line: int
    seed_line: int = 0


@dataclass(frozen=True)
class Sidecar:
    """What only an editor can know about a seed. Unset fields are derived by ingest."""

    path: Path | None
    sha256: str | None
    slug: str | None = None
    title: str | None = None
    date: dt.date | None = None
    date_note: str | None = None
    source: str | None = None
    fixes: tuple[Fix, ...] = ()
    order: tuple[str, ...] = ()
    terms_off: tuple[str, ...] = ()
    no_convert: tuple[str, ...] = ()
    edition: str | None = None
    url: str | None = None
    retrieved: dt.date | None = None
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int | None:
        """Line of a key in the sidecar file, for error messages."""
        return dict(self.key_lines).get(key)


@dataclass(frozen=True)
class Seed:
    """One decoded seed: its text (line endings normalised, fixes applied) and its sidecar."""

    path: Path
    shown: str
    sidecar_shown: str
    sha256: str
    encoding: str
    text: str
    sidecar: Sidecar
    fixes: tuple[Fix, ...]

    @property
    def name(self) -> str:
        return self.path.name


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_like_chinese_text(text: str) -> bool:
    """Whether a GB18030 decoding is plausible: mostly Han, CJK punctuation and ASCII."""
    if _CONTROL.search(text):
        return False
    han = count_han(text)
    visible = sum(1 for ch in text if not ch.isspace())
    return visible > 0 and han / visible > 0.3


def decode(data: bytes, shown: str, report: Report) -> tuple[str, str]:
    """Decode seed bytes: UTF-8 (BOM ok), UTF-16 with BOM, else GB18030 with a warning."""
    if data.startswith(_UTF16_BOMS):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise BuildError(shown, None, f"undecodable bytes: broken UTF-16 at byte {exc.start}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        except UnicodeDecodeError as utf8_error:
            bad = data[utf8_error.start:utf8_error.start + 1].hex()
            line = _line_at(data, utf8_error.start)
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                text = ""
            if not _looks_like_chinese_text(text):
                raise BuildError(shown, line, f"undecodable bytes: byte 0x{bad} is neither UTF-8 "
                                 "nor part of GB18030 Chinese text; save the file as UTF-8") from None
            encoding = "gb18030"
            report.warn(shown, line, "not UTF-8; decoded as GB18030 (consider saving it as UTF-8)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = first_illegal(text)
    if bad:
        raise BuildError(shown, line_at(text, bad.start()), f"{describe(bad.group())} in text "
                         "(binary file or broken extraction?)")
    if not text.strip():
        raise BuildError(shown, None, "empty seed: the file has no text")
    return unicodedata.normalize("NFC", text), encoding


def _string(data: LineDict, key: str, shown: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BuildError(shown, data.line_of(key), f"{key!r} must be a non-empty string")
    if key in ONE_LINE_KEYS and LINE_BREAKS.search(value.strip()):
        raise BuildError(shown, data.line_of(key), f"{key!r} must be one line (it holds a line break)")
    return value.strip()


def _parse_fixes(data: LineDict, shown: str) -> tuple[Fix, ...]:
    raw = data.get("fixes")
    if raw is None:
        return ()
    if not isinstance(raw, LineList):
        raise BuildError(shown, data.line_of("fixes"), "'fixes' must be a list of {find, replace}")
    fixes = []
    for item in raw:
        line = getattr(item, "line", raw.line)
        if not isinstance(item, LineDict):
            raise BuildError(shown, line, "each fix must be a mapping with 'find' and 'replace'")
        unknown = set(item) - FIX_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise BuildError(shown, item.line_of(key), f"unknown key {key!r} in fix (known: find, replace, why)")
        find, replace = item.get("find"), item.get("replace")
        if not isinstance(find, str) or not find:
            raise BuildError(shown, line, "fix needs a non-empty string 'find'")
        if not isinstance(replace, str):
            raise BuildError(shown, line, "fix needs a string 'replace' (use \"\" to delete)")
        if find == replace:
            raise BuildError(shown, line, "fix does nothing: 'find' equals 'replace'")
        why = item.get("why", "")
        if not isinstance(why, str) or LINE_BREAKS.search(why.strip()):
            raise BuildError(shown, item.line_of("why"), "'why' must be one line of text (readers see it as a note)")
        fixes.append(Fix(find, replace, why.strip(), line))
    return tuple(fixes)


def load_sidecar(path: Path, shown: str) -> Sidecar:
    """Load and validate ``seeds/NAME.yaml``; a missing file gives an empty sidecar."""
    if not os.path.lexists(path):
        return Sidecar(path=None, sha256=None)
    data_bytes = read_regular(path, shown, MAX_SIDECAR_BYTES)
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError(shown, _line_at(data_bytes, exc.start), "sidecar is not UTF-8") from None
    data = parse_yaml(text, shown)
    if data is None:
        data = LineDict()
        data.key_lines = {}
    if not isinstance(data, LineDict):
        raise BuildError(shown, 1, "sidecar must be a mapping of keys (slug, title, date, …)")
    for key in data:
        if key not in SIDECAR_KEYS:
            known = ", ".join(SIDECAR_KEYS)
            raise BuildError(shown, data.line_of(key), f"unknown key {key!r} (known: {known})")
    slug = _string(data, "slug", shown)
    if slug is not None and not SAFE_NAME.match(slug):
        raise BuildError(shown, data.line_of("slug"), f"slug {slug[:60]!r} is not a safe ASCII name "
                         "(lowercase letters, digits, single hyphens; e.g. sige-dazhua)")
    if slug is not None and len(slug) > MAX_SLUG:
        raise BuildError(shown, data.line_of("slug"), f"slug is {len(slug)} characters long; at most {MAX_SLUG}")
    date = data.get("date")
    if date is not None and not isinstance(date, dt.date):
        raise BuildError(shown, data.line_of("date"), f"date {date!r} must be YYYY-MM-DD")
    if isinstance(date, dt.datetime):
        date = date.date()
    if date is not None and not YEARS[0] <= date.year <= YEARS[1]:
        raise BuildError(shown, data.line_of("date"), f"date {date.isoformat()} is not between {YEARS[0]} and "
                         f"{YEARS[1]} (the last year a zip file can record); check it")
    retrieved = data.get("retrieved")
    if retrieved is not None and not isinstance(retrieved, dt.date):
        raise BuildError(shown, data.line_of("retrieved"), f"retrieved {retrieved!r} must be YYYY-MM-DD")
    url = _string(data, "url", shown)
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise BuildError(shown, data.line_of("url"), f"url {url!r} must be an http(s) address")
    lists = {key: data.get(key) or () for key in ("order", "terms_off", "no_convert")}
    for key, value in lists.items():
        if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) and x for x in value):
            raise BuildError(shown, data.line_of(key), f"{key!r} must be a list of strings")
        twice = next((x for i, x in enumerate(value) if x in value[:i]), None)
        if twice is not None:
            raise BuildError(shown, data.line_of(key), f"{key!r} lists {twice!r} twice")
    return Sidecar(
        path=path, sha256=sha256_hex(data_bytes), slug=slug, title=_string(data, "title", shown),
        date=date, date_note=_string(data, "date_note", shown), source=_string(data, "source", shown),
        fixes=_parse_fixes(data, shown), order=tuple(lists["order"]), terms_off=tuple(lists["terms_off"]),
        no_convert=tuple(lists["no_convert"]), edition=_string(data, "edition", shown), url=url,
        retrieved=retrieved.date() if isinstance(retrieved, dt.datetime) else retrieved,
        key_lines=tuple(data.key_lines.items()))


def apply_fixes(text: str, fixes: tuple[Fix, ...], sidecar_shown: str) -> tuple[str, tuple[Fix, ...]]:
    """Apply each fix exactly once, in order; a fix matching zero or several times is an error."""
    applied = []
    for fix in fixes:
        count = text.count(fix.find)
        if count != 1:
            how = "does not match the seed" if count == 0 else f"matches {count} times (must be exactly once)"
            raise BuildError(sidecar_shown, fix.sidecar_line, f"fix {fix.find!r} {how}")
        at = text.index(fix.find)
        seed_line = text.count("\n", 0, at) + 1
        text = text.replace(fix.find, fix.replace, 1)
        applied.append(Fix(fix.find, fix.replace, fix.why, fix.sidecar_line, seed_line))
        bad = first_illegal(text)
        if bad:   # the YAML reader refuses these too; a fix must never be the way in
            raise BuildError(sidecar_shown, fix.sidecar_line, f"fix leaves a {describe(bad.group())} in the text")
    if applied and not text.strip():
        raise BuildError(sidecar_shown, applied[-1].sidecar_line, "the fixes delete the whole text of the seed")
    return text, tuple(applied)


def read_seed(path: Path, config: Config, report: Report) -> Seed:
    """Read one seed file and its sidecar, returning decoded text with fixes applied."""
    shown = config.rel(path)
    data = read_regular(path, shown, MAX_SEED_BYTES)
    text, encoding = decode(data, shown, report)
    sidecar_path = path.with_suffix(".yaml")
    sidecar_shown = config.rel(sidecar_path)
    sidecar = load_sidecar(sidecar_path, sidecar_shown)
    text, fixes = apply_fixes(text, sidecar.fixes, sidecar_shown)
    return Seed(path=path, shown=shown, sidecar_shown=sidecar_shown, sha256=sha256_hex(data), encoding=encoding, text=text,
                sidecar=sidecar, fixes=fixes)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, shown: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is one line.

    Opened without blocking and checked on the open handle, so a FIFO swapped in after the
    folder was listed cannot hang the build, and a device cannot fill the memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BuildError(shown, None, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise BuildError(shown, None, f"is {_kind(mode)}, not a text file")
        data = handle.read(limit + 1)
    if len(data) > limit:   # grew since it was listed, or a file whose size the system does not tell
        raise _too_big(shown, None, limit)
    return data


def _too_big(shown: str, size: int | None, limit: int) -> BuildError:
    advice = " (a seed is one article: split a long text into several seeds)" if limit == MAX_SEED_BYTES else ""
    measured = f"{size / (1024 * 1024):.1f} MB, larger than" if size is not None else "larger than"
    return BuildError(shown, None, f"is {measured} the {limit // (1024 * 1024)} MB allowed{advice}")


def printable_name(name: str) -> str:
    """A file name fit for a one-line message: control characters and undecodable bytes escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in name)


def _check_entry(entry: os.DirEntry, config: Config, limit: int) -> os.stat_result:
    """A seed or sidecar must be a regular file inside the project with a usable name; its stat."""
    name = entry.name

    def shown() -> str:   # only for a message: thousands of seeds need none
        return f"{config.rel(Path(entry.path).parent)}/{printable_name(name)}"
    if not name.isprintable():
        raise BuildError(shown(), None, "file name holds a line break, a control character or bytes that are not "
                         "UTF-8; rename the file")
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        raise BuildError(shown()[:80] + "…", None, f"file name is {len(os.fsencode(name))} bytes long; "
                         f"at most {MAX_NAME_BYTES}")
    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve(strict=True)
        except (OSError, RuntimeError):
            raise BuildError(shown(), None, "is a link that leads nowhere (missing target or a loop)") from None
        if not target.is_relative_to(config.root):
            raise BuildError(shown(), None, "is a link to a file outside the project; copy the text into seeds/")
    try:
        info = entry.stat()
    except OSError as exc:
        raise BuildError(shown(), None, f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise BuildError(shown(), None, f"is {_kind(info.st_mode)}, not a text file")
    if info.st_size > limit:
        raise _too_big(shown(), info.st_size, limit)
    return info


def find_seeds(config: Config, stats: dict[str, os.stat_result] | None = None) -> list[Path]:
    """All seed text files, in name order; stray sidecars, odd names and odd files are errors.
    With ``stats``, each seed's and sidecar's stat as it was checked goes there, by path."""
    folder = config.seeds_dir
    shown = config.rel(folder)
    if not folder.is_dir():
        raise BuildError(shown, None, "no seeds folder")
    if not folder.resolve().is_relative_to(config.root):
        raise BuildError(shown, None, "is a link to a folder outside the project")
    seeds, sidecars = [], []
    found = stats if stats is not None else {}
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        suffix = os.path.splitext(entry.name)[1]
        if suffix.lower() == ".txt":
            if suffix != ".txt":
                raise BuildError(f"{shown}/{printable_name(entry.name)}", None, "seeds end in .txt (lowercase); rename it")
            found[entry.path] = _check_entry(entry, config, MAX_SEED_BYTES)
            seeds.append(folder / entry.name)   # (not Path(entry.path): parsing a whole path costs more)
        elif suffix.lower() in (".yaml", ".yml"):
            sidecars.append(entry)
    known = {path.name for path in seeds}   # a set: with thousands of seeds, a list's lookups would cost seconds
    for entry in sidecars:
        stem, suffix = os.path.splitext(entry.name)
        sidecar_shown = f"{shown}/{printable_name(entry.name)}"
        if suffix != ".yaml":
            raise BuildError(sidecar_shown, None, f"sidecars are named NAME.yaml (lowercase), not {suffix}")
        if f"{stem}.txt" not in known:
            raise BuildError(sidecar_shown, None, f"sidecar without a seed: expected {printable_name(stem + '.txt')}")
        found[entry.path] = _check_entry(entry, config, MAX_SIDECAR_BYTES)
    if not seeds:
        raise BuildError(shown, None, "no seeds: the folder holds no NAME.txt file, and a build would publish "
                         "an empty site and remove every article")
    return seeds
