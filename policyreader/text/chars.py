"""Characters no page or feed may carry: the one definition, for checking inputs and outputs.

XML 1.0 forbids C0 controls (but tab, newline, carriage return), lone surrogates and U+FFFE/U+FFFF;
HTML calls every control (C0, DEL, C1) and every noncharacter a parse error. Whatever holds one
is refused where it comes in (seed, sidecar, any YAML file) and stripped where XML goes out.
"""
from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def first_illegal(text: str) -> re.Match | None:
    """The first character of ``text`` that no page or feed may carry, if any."""
    return ILLEGAL.search(text)


def describe(char: str) -> str:
    """``control character U+0007``: what kind of character it is, for a message."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        kind = "noncharacter"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"


def line_at(text: str, index: int) -> int:
    """1-based line of a position in text."""
    return text.count("\n", 0, index) + 1


def strip_illegal(text: str) -> str:
    """``text`` without the characters a page or feed may not carry (the last guard on output)."""
    return ILLEGAL.sub("", text)
