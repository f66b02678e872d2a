"""Reading generated articles back: split front matter from body, and the Markdown parser
configured with exactly the syntax ingest writes (containers, attributes, term spans)."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

import yaml

from ..errors import BuildError
from ..sources.yamlfile import parse_yaml

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # for front matter ingest just wrote

CONTAINERS = ("piece", "caption", "closing")
SPAN_ATTRS = frozenset({"term", "class", "id"})   # all ingest writes on a span: {term=ID}, {.speaker}, {#sec-1 .runin}
ATTRS_WINDOW = 512   # an attribute block is short; looking no further keeps long paragraphs linear
# What ingest writes on almost every span, read without the general attribute parser:
# ``{term=ID}`` and ``{.class}`` (the parser's own result for these, at a fraction of its cost).
_SIMPLE_ATTRS = re.compile(r"\{(?:term=([a-z0-9][a-z0-9-]*)|\.([A-Za-z][A-Za-z0-9_-]*))\}")


def _span_rule(state: StateInline, silent: bool) -> bool:
    """``[text]{attrs}`` as mdit-py-plugins parses it, but reading the attributes from a bounded
    window: the plugin copies the rest of the paragraph for every span, quadratic in its length."""
    if state.src[state.pos] != "[":
        return False
    maximum = state.posMax
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or label_end + 1 >= maximum:
        return False
    start = label_end + 1
    simple = _SIMPLE_ATTRS.match(state.src, start, maximum)
    if simple:
        length = simple.end() - start - 1
        attrs = {"term": simple.group(1)} if simple.group(1) else {"class": simple.group(2)}
    else:
        try:
            length, attrs = parse_attrs(state.src[start:min(start + ATTRS_WINDOW, maximum)])
        except ParseError:
            return False
    if not silent:
        label_start = state.pos
        state.pos, state.posMax = label_start + 1, label_end
        token = state.push("span_open", "span", 1)
        token.attrs.update({k: v for k, v in attrs.items() if k in SPAN_ATTRS})
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
    state.pos, state.posMax = start + length + 1, maximum
    return True


def make_parser(renderer: type = RendererHTML) -> MarkdownIt:
    """CommonMark without raw HTML, plus front matter, ``:::`` containers, ``{…}`` attributes
    and spans, and footnotes (the editor's notes on fixed text)."""
    md = MarkdownIt("commonmark", {"html": False}, renderer_cls=renderer)
    md.use(front_matter_plugin).use(attrs_plugin, spans=True).use(attrs_block_plugin).use(footnote_plugin)
    md.inline.ruler.at("span", _span_rule)
    for name in CONTAINERS:
        md.use(container_plugin, name)
    # Plugins register their own render rules as they are used; a renderer class's own rules
    # (methods named after token types) must win over those defaults.
    for klass in renderer.__mro__:
        if klass in (RendererHTML, object):
            break
        for name, value in vars(klass).items():
            if callable(value) and not name.startswith(("_", "render")):
                md.renderer.rules[name] = getattr(md.renderer, name)
    return md


def split_front_matter(text: str, shown: str) -> tuple[dict, str, int]:
    """Return (front matter, body, line where the body starts) of an article file."""
    if not text.startswith("---\n"):
        raise BuildError(shown, 1, "article must start with '---' front matter")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise BuildError(shown, 1, "front matter is not closed by a '---' line")
    meta = parse_yaml(text[4:end + 1], shown, line_offset=1)
    if not isinstance(meta, dict):
        raise BuildError(shown, 2, "front matter must be a mapping")
    body_line = text.count("\n", 0, end + 5) + 1
    return meta, text[end + 5:], body_line
