"""YAML loading that remembers line numbers, so every error can name the line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import BuildError


class LineDict(dict):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from YAML that knows the line of itself."""

    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's parser where available) that builds LineDict/LineList and
    rejects duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def parse_yaml(text: str, path: str | Path, line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error becomes a BuildError naming file and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise BuildError(path, line, f"not valid YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise BuildError(path, None, f"not valid YAML: {exc}") from None


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Read and parse a UTF-8 YAML file (BOM tolerated)."""
    shown = display or str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError(shown, None, f"not UTF-8 text (byte {exc.start})") from None
    return parse_yaml(text, shown)


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml: same output, 4× faster


def dump_yaml(data: Any) -> str:
    """Deterministic, human-diffable YAML (key order kept, Chinese unescaped, no wrapping)."""
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
