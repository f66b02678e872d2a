"""The one definition of which characters are Han (CJK ideographs), for every stage."""
from __future__ import annotations

import re

# Unified ideographs with Extension A, the compatibility block, and the supplementary planes
# (Extensions B–I and the compatibility supplement), so rare names and place names count too.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_CHAR = re.compile(f"[{HAN}]")


def is_han(char: str) -> bool:
    """Whether one character is a Han ideograph."""
    return bool(HAN_CHAR.match(char))


def count_han(text: str) -> int:
    """How many Han ideographs the text holds."""
    return len(HAN_CHAR.findall(text))
