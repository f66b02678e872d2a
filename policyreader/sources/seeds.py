"""Reading seeds: decode the raw text file, load and validate its optional sidecar, apply fixes."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, Report
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
}
FIX_KEYS = {"find", "replace", "why"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise BuildError(shown, line, f"control character U+{ord(control.group()):04X} in text "
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
        fixes.append(Fix(find, replace, str(item.get("why", "")).strip(), line))
    return tuple(fixes)


def load_sidecar(path: Path, shown: str) -> Sidecar:
    """Load and validate ``seeds/NAME.yaml``; a missing file gives an empty sidecar."""
    if not path.exists():
        return Sidecar(path=None, sha256=None)
    data_bytes = path.read_bytes()
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
        raise BuildError(shown, data.line_of("slug"), f"slug {slug!r} is not a safe ASCII name "
                         "(lowercase letters, digits, single hyphens; e.g. sige-dazhua)")
    date = data.get("date")
    if date is not None and not isinstance(date, dt.date):
        raise BuildError(shown, data.line_of("date"), f"date {date!r} must be YYYY-MM-DD")
    if isinstance(date, dt.datetime):
        date = date.date()
    lists = {key: data.get(key) or () for key in ("order", "terms_off", "no_convert")}
    for key, value in lists.items():
        if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) and x for x in value):
            raise BuildError(shown, data.line_of(key), f"{key!r} must be a list of strings")
    return Sidecar(
        path=path, sha256=sha256_hex(data_bytes), slug=slug, title=_string(data, "title", shown),
        date=date, date_note=_string(data, "date_note", shown), source=_string(data, "source", shown),
        fixes=_parse_fixes(data, shown), order=tuple(lists["order"]), terms_off=tuple(lists["terms_off"]),
        no_convert=tuple(lists["no_convert"]),
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
    return text, tuple(applied)


def read_seed(path: Path, config: Config, report: Report) -> Seed:
    """Read one seed file and its sidecar, returning decoded text with fixes applied."""
    shown = config.rel(path)
    data = path.read_bytes()
    text, encoding = decode(data, shown, report)
    sidecar_path = path.with_suffix(".yaml")
    sidecar_shown = config.rel(sidecar_path)
    sidecar = load_sidecar(sidecar_path, sidecar_shown)
    text, fixes = apply_fixes(text, sidecar.fixes, sidecar_shown)
    return Seed(path=path, shown=shown, sidecar_shown=sidecar_shown, sha256=sha256_hex(data), encoding=encoding, text=text,
                sidecar=sidecar, fixes=fixes)


def find_seeds(config: Config) -> list[Path]:
    """All seed text files, in name order; stray sidecars are an error."""
    if not config.seeds_dir.is_dir():
        raise BuildError(config.rel(config.seeds_dir), None, "no seeds folder")
    seeds = sorted(config.seeds_dir.glob("*.txt"))
    for sidecar in sorted(config.seeds_dir.glob("*.y*ml")):
        if sidecar.suffix == ".yml":
            raise BuildError(config.rel(sidecar), None, "sidecars are named NAME.yaml, not .yml")
        if not sidecar.with_suffix(".txt").exists():
            raise BuildError(config.rel(sidecar), None,
                             f"sidecar without a seed: expected {sidecar.with_suffix('.txt').name}")
    return seeds
