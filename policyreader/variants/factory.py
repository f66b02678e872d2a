"""The one converter factory: each script's override table and its OpenCC converter."""
from __future__ import annotations

from pathlib import Path

from ..sources.config import Config, VariantSpec
from ..sources.glossary import Glossary
from .convert import GENERAL, Converter, load_overrides


def override_tables(config: Config, glossary: Glossary) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Per script: the site's overrides plus the glossary's explicit Traditional forms; and the
    line of each override in conversion.yaml (for warnings)."""
    langs = [v.lang for v in config.variants]
    overrides, lines = load_overrides(config.conversion_path, config.rel(config.conversion_path), langs)
    tables = {}
    for variant in config.variants:
        table = dict(overrides.get(GENERAL, {}))
        table.update({e.term: e.zh_hant for e in glossary.entries if e.zh_hant})
        table.update(overrides.get("all", {}))
        table.update(overrides.get(variant.lang, {}))
        tables[variant.lang] = table if variant.converts else {}
    return tables, lines


def converters_for(config: Config, tables: dict[str, dict[str, str]], workdir: Path) -> dict[str, Converter]:
    """One converter per script, with that script's override table (knowing which of its
    entries are general fixes, not reported when no text uses them)."""
    langs = [v.lang for v in config.variants]
    general = load_overrides(config.conversion_path, config.rel(config.conversion_path), langs)[0].get(GENERAL, {})
    converters = {v.lang: converter_for(v, tables[v.lang], workdir) for v in config.variants}
    for converter in converters.values():
        converter.general = frozenset(general) & frozenset(converter.overrides)
    return converters


def converter_for(spec: VariantSpec, table: dict[str, str], workdir: Path) -> Converter:
    """The converter of one script with its override table (worker processes call this)."""
    return Converter(spec, table, workdir)
