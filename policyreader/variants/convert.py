"""Scripts: Simplified as written, Traditional through OpenCC with the site's own overrides.

OpenCC is driven through a generated JSON config that puts the site's override dictionary
first in a ``union`` group, both where OpenCC segments the text and in its conversion chain;
without the segmentation part an override never matches.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import opencc

from ..errors import BuildError
from ..sources.config import VariantSpec
from ..sources.yamlfile import LineDict, read_yaml
from ..text.cjk import HAN_CHAR
from ..text.matcher import Matcher

OPENCC_SHARE = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
OPENCC_DICT_TOOL = Path(opencc.__file__).resolve().parent / "clib" / "bin" / "opencc_dict"
# conversion.yaml: `general` holds fixes true of any text (kept while no article uses them),
# `all` those the site's texts need in every converted script, a lang those of one script.
GENERAL = "general"
CORNER = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
QUOTE_MARK = re.compile("[“”‘’]")
APOSTROPHE = re.compile(r"(?<=[A-Za-z])’(?=[A-Za-z])")   # Xi’s, don’t: not a quotation mark


def corner_quotes(text: str) -> str:
    """“”‘’ as Taiwan writes them, 「」『』 (same length; apostrophes inside Latin words stay)."""
    return "’".join(part.translate(CORNER) for part in APOSTROPHE.split(text))


def load_overrides(path: Path, shown: str, langs: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Read ``site_src/conversion.yaml``: ({``general``, ``all`` or a lang: {phrase: form}}, {phrase: line})."""
    if not path.exists():
        return {}, {}
    data = read_yaml(path, shown)
    if data is None:
        return {}, {}
    if not isinstance(data, LineDict):
        raise BuildError(shown, 1, "must map 'all' or a variant's lang to {phrase: form}")
    result: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for key, table in data.items():
        if key not in ("all", GENERAL) and key not in langs:
            raise BuildError(shown, data.line_of(key), f"unknown variant {key!r} (use 'general', 'all' or one of {', '.join(langs)})")
        if not isinstance(table, LineDict):
            raise BuildError(shown, data.line_of(key), f"{key!r} must map phrases to their forms")
        for phrase, form in table.items():
            if not isinstance(phrase, str) or not HAN_CHAR.search(phrase) or not isinstance(form, str) or not form:
                raise BuildError(shown, table.line_of(str(phrase)), f"override {phrase!r}: {form!r} must map Chinese text to Chinese text")
            if re.search(r"\s", phrase + form):   # OpenCC's dictionary is one "phrase<TAB>form" per line
                raise BuildError(shown, table.line_of(phrase), f"override {phrase!r}: {form!r} holds a space, tab or "
                                 "line break; a phrase and its form are single runs of text")
            lines.setdefault(phrase, table.line_of(phrase))
        result[key] = dict(table)
    return result, lines


def _absolute(node: object) -> None:
    """Point the stock dictionaries of an OpenCC config at the installed package."""
    if isinstance(node, dict):
        if node.get("type") == "ocd2":
            node["file"] = str(OPENCC_SHARE / node["file"])
        for value in node.values():
            _absolute(value)
    elif isinstance(node, list):
        for value in node:
            _absolute(value)


def _with_overrides(config: dict, dictionary: Path) -> dict:
    ours = {"type": "text", "file": str(dictionary)}
    segmentation = config["segmentation"]["dict"]
    config["segmentation"]["dict"] = {"type": "group", "match_policy": "union", "dicts": [ours, segmentation]}
    first = config["conversion_chain"][0]["dict"]
    config["conversion_chain"][0]["dict"] = {"type": "group", "match_policy": "union", "dicts": [ours, first]}
    return config


def _write_whole(path: Path, text: str) -> None:
    """Write a file other processes may be reading (every worker writes the same one): whole,
    never half-written, by a rename."""
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


CACHE_LIMIT = 50_000   # converted texts kept per converter (UI strings and terms repeat; paragraphs do not)


@functools.lru_cache(maxsize=8)
def _engine(path: str, config: str, table: str) -> opencc.OpenCC:
    """One OpenCC per configuration (its text and its override table) in a process: loading
    one with overrides takes a tenth of a second, and the build and a worker in its process
    each make a converter of the same script."""
    return opencc.OpenCC(path)


@dataclass
class Converter:
    """Converts human-readable text into one variant and remembers which overrides it used."""

    spec: VariantSpec
    overrides: dict[str, str]
    workdir: Path
    general: frozenset[str] = frozenset()      # overrides true of any text: never reported unused
    used: Counter = field(default_factory=Counter)
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    @cached_property
    def _opencc(self) -> opencc.OpenCC | None:
        if not self.spec.converts:
            return None
        stock = OPENCC_SHARE / f"{self.spec.opencc}.json"
        if not stock.exists():
            raise BuildError("site_src/site.yaml", None, f"OpenCC has no config {self.spec.opencc!r}")
        config = json.loads(stock.read_text(encoding="utf-8"))
        _absolute(config)
        table = "".join(f"{k}\t{v}\n" for k, v in sorted(self.overrides.items()))
        if self.overrides:
            dictionary = self.workdir / f"overrides-{self.spec.folder}.txt"
            _write_whole(dictionary, table)
            config = _with_overrides(config, dictionary)
        path = self.workdir / f"opencc-{self.spec.folder}.json"
        text = json.dumps(config, ensure_ascii=False)
        _write_whole(path, text)
        try:
            return _engine(str(path), text, table)
        except Exception as exc:   # the binding raises bare exceptions for a broken dictionary
            raise BuildError("site_src/conversion.yaml" if self.overrides else "site_src/site.yaml", None,
                             f"OpenCC cannot load {self.spec.opencc} with the overrides: "
                             f"{' '.join(str(exc).split())[:160]}") from None

    @cached_property
    def _override_matcher(self) -> Matcher:
        return Matcher({phrase: phrase for phrase in self.overrides})

    def convert(self, text: str) -> str:
        """Text in this variant's script (unchanged for the script as written)."""
        engine = self._opencc
        if engine is None or not (HAN_CHAR.search(text) or (self.spec.corner_quotes and QUOTE_MARK.search(text))):
            return text
        cached = self._cache.get(text)
        if cached is None:
            for _, _, phrase in self._override_matcher.find(text):
                self.used[phrase] += 1
            cached = engine.convert(text)
            if self.spec.corner_quotes:
                cached = corner_quotes(cached)
            if len(self._cache) >= CACHE_LIMIT:   # a worker converts thousands of articles: keep the memory flat
                self._cache.clear()
            self._cache[text] = cached
        return cached

    def convert_parts(self, parts: list[str]) -> list[str]:
        """Convert pieces of one sentence together, so phrases spanning them convert as phrases.

        OpenCC's s2t/s2tw/s2hk map phrase for phrase with equal lengths; if a result ever
        differs in length, each piece is converted on its own instead.
        """
        if self._opencc is None:
            return parts
        joined = "".join(parts)
        converted = self.convert(joined)
        if len(converted) != len(joined):
            return [self.convert(p) for p in parts]
        out, position = [], 0
        for part in parts:
            out.append(converted[position:position + len(part)])
            position += len(part)
        return out


@functools.cache
def opencc_characters() -> dict[str, tuple[str, ...]]:
    """OpenCC's own STCharacters dictionary: each Simplified character and its Traditional forms."""
    source = OPENCC_SHARE / "STCharacters.ocd2"
    result = subprocess.run([str(OPENCC_DICT_TOOL), "-i", str(source), "-o", "/dev/stdout", "-f", "ocd2", "-t", "text"],
                            capture_output=True, text=True, check=True)
    table = {}
    for line in result.stdout.splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            table[key] = tuple(values.split())
    return table


def ambiguous_characters() -> dict[str, tuple[str, ...]]:
    """Simplified characters with several Traditional forms."""
    return {k: v for k, v in opencc_characters().items() if len(v) > 1}
