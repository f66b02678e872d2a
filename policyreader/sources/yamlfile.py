"""YAML loading that remembers line numbers, so every error can name the line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import BuildError
from ..text.chars import describe, first_illegal


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


def _checked(value: Any, node: yaml.Node) -> Any:
    """Refuse a string holding a character no page or feed may carry (a YAML escape lets
    ``"\\x07"`` or ``"\\uFFFF"`` through, which the reader itself would refuse written raw)."""
    if isinstance(value, str):
        bad = first_illegal(value)
        if bad:
            raise yaml.constructor.ConstructorError(None, None, f"{describe(bad.group())} in {value[:40]!r}",
                                                    node.start_mark)
    return value


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark)
        key = _checked(loader.construct_object(key_node, deep=True), key_node)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = _checked(loader.construct_object(value_node, deep=True), value_node)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_checked(loader.construct_object(child, deep=True), child) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date as YAML writes it; an impossible one (2026-13-45, 0000-01-01) is an error at its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a real date ({exc})",
                                                node.start_mark) from None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, path: str | Path, line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error becomes a BuildError naming file and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if not isinstance(exc, yaml.constructor.ConstructorError):
            reason = f"not valid YAML: {reason}"
        raise BuildError(path, line, reason) from None
    except yaml.YAMLError as exc:
        raise BuildError(path, None, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise BuildError(path, 1 + line_offset, "not valid YAML: lists or mappings nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # A constructor's own failure (a value no type can hold): still one line, never a traceback.
        raise BuildError(path, None, f"not valid YAML: {exc}") from None


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Read and parse a UTF-8 YAML file (BOM tolerated)."""
    shown = display or str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError(shown, data.count(b"\n", 0, exc.start) + 1, f"not UTF-8 text (byte {exc.start})") from None
    return parse_yaml(text, shown)


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml: same output, 4× faster


def dump_yaml(data: Any) -> str:
    """Deterministic, human-diffable YAML (key order kept, Chinese unescaped, no wrapping)."""
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
