"""The one configuration object: where everything lives and what the site is called."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import BuildError
from ..text.names import SAFE_NAME
from .yamlfile import LineDict, LineList, read_yaml


# Keys site.yaml may hold, with a short description for error messages and docs.
SITE_KEYS = {
    "title": "the site's title, shown on every page",
    "name": "ASCII name used for the offline zip",
    "description": "one sentence about the site",
    "base_url": "absolute URL where the site is hosted (for canonical links, sitemap, feeds)",
    "variants": "the scripts of the site: list of {lang, label, opencc}; the first is written as is",
}
VARIANT_KEYS = {"lang", "label", "opencc", "corner_quotes"}
# Scripts written with corner brackets (「」『』) for quotation marks unless site.yaml says otherwise.
CORNER_QUOTES_BY_DEFAULT = {"zh-Hant", "zh-TW"}
LANG = re.compile(r"^zh-[A-Za-z]{2,4}$")


@dataclass(frozen=True)
class VariantSpec:
    """One script of the site, as listed in ``site.yaml``."""

    lang: str            # BCP 47: zh-Hans, zh-Hant, zh-HK
    label: str           # what the language switch shows: 简体, 繁體
    opencc: str | None   # OpenCC config (s2tw, s2hk); None for the script as written
    folder: str          # "" for the first variant, else the lowercased lang
    corner_quotes: bool = False   # “”‘’ written as 「」『』 (Taiwan)

    @property
    def converts(self) -> bool:
        return self.opencc is not None


@dataclass(frozen=True)
class Config:
    """Paths and site settings, built once from the project root and ``site_src/site.yaml``."""

    root: Path
    title: str
    name: str
    description: str
    base_url: str
    variants: tuple[VariantSpec, ...]

    @cached_property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @cached_property
    def src_dir(self) -> Path:
        return self.root / "site_src"

    @cached_property   # (read for each of thousands of seeds)
    def articles_dir(self) -> Path:
        return self.src_dir / "articles"

    @property
    def glossary_path(self) -> Path:
        return self.src_dir / "glossary.yaml"

    @property
    def site_yaml(self) -> Path:
        return self.src_dir / "site.yaml"

    @cached_property
    def site_dir(self) -> Path:
        return self.root / "_site"

    @cached_property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def conversion_path(self) -> Path:
        return self.src_dir / "conversion.yaml"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    def rel(self, path: Path) -> str:
        """A path as shown in messages: relative to the project root where possible."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def load_config(root: Path) -> Config:
    """Read ``site_src/site.yaml`` under ``root`` and validate it."""
    root = root.resolve()
    path = root / "site_src" / "site.yaml"
    shown = "site_src/site.yaml"
    if not path.is_file():
        raise BuildError(shown, None, f"missing: no site configuration under {root}")
    data = read_yaml(path, shown)
    if not isinstance(data, LineDict):
        raise BuildError(shown, None, "must be a mapping of settings")
    for key in data:
        if key not in SITE_KEYS:
            known = ", ".join(SITE_KEYS)
            raise BuildError(shown, data.line_of(key), f"unknown key {key!r} (known: {known})")
    for key in ("title", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise BuildError(shown, data.line_of(key), f"{key!r} must be a non-empty string")
    if not SAFE_NAME.match(data["name"]):
        raise BuildError(shown, data.line_of("name"),
                         f"name {data['name']!r} must be lowercase ASCII letters, digits and hyphens")
    base_url = str(data.get("base_url", "")).strip()
    if base_url and not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", base_url):
        raise BuildError(shown, data.line_of("base_url"), f"base_url {base_url!r} must be an absolute http(s) URL")
    return Config(root=root, title=data["title"].strip(), name=data["name"],
                  description=str(data.get("description", "")).strip(),
                  base_url=base_url.rstrip("/") + "/" if base_url else "",
                  variants=_variants(data, shown))


def _variants(data: LineDict, shown: str) -> tuple[VariantSpec, ...]:
    raw = data.get("variants")
    if raw is None:
        return (VariantSpec("zh-Hans", "简体", None, ""), VariantSpec("zh-Hant", "繁體", "s2tw", "zh-hant", True))
    if not isinstance(raw, LineList) or not raw:
        raise BuildError(shown, data.line_of("variants"), "variants must be a non-empty list of {lang, label, opencc}")
    specs = []
    for index, item in enumerate(raw):
        line = getattr(item, "line", raw.line)
        if not isinstance(item, LineDict) or not {"lang", "label"} <= set(item) or set(item) - VARIANT_KEYS:
            raise BuildError(shown, line, "each variant needs lang and label, and may have opencc (e.g. s2tw) "
                             "and corner_quotes (true or false)")
        lang = str(item["lang"])
        if not LANG.match(lang):
            raise BuildError(shown, item.line_of("lang"), f"lang {lang!r} must be a Chinese BCP 47 tag like zh-Hant")
        converter = item.get("opencc")
        if index == 0 and converter:
            raise BuildError(shown, item.line_of("opencc"), "the first variant is the script as written: no opencc")
        if index > 0 and not converter:
            raise BuildError(shown, line, f"variant {lang} needs an OpenCC config (s2tw, s2hk, …)")
        corner = item.get("corner_quotes", bool(converter) and lang in CORNER_QUOTES_BY_DEFAULT)
        if not isinstance(corner, bool):
            raise BuildError(shown, item.line_of("corner_quotes"), "corner_quotes must be true or false")
        if corner and not converter:
            raise BuildError(shown, item.line_of("corner_quotes"), "corner_quotes needs a converted script (opencc)")
        specs.append(VariantSpec(lang, str(item["label"]), converter, "" if index == 0 else lang.lower(), corner))
    if len({s.lang for s in specs}) != len(specs):
        raise BuildError(shown, raw.line, "each variant's lang must be different")
    return tuple(specs)
