"""ASCII names for URLs and ids, from Chinese text through pinyin."""
from __future__ import annotations

import re
from collections.abc import Callable


# Slugs, ids and file names: lowercase ASCII words joined by single hyphens.
SAFE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")



def pinyin_words(text: str) -> list[str]:
    """Toneless pinyin syllables of the Han characters, plus ASCII letter/digit runs."""
    from pypinyin import Style, lazy_pinyin   # deferred: 0.16 s to load, needed only for a slug or id
    words: list[str] = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: re.findall(r"[A-Za-z0-9]+", s)):
        word = re.sub(r"[^a-z0-9]", "", part.lower().replace("ü", "v"))
        if word:
            words.append(word)
    return words


# How text is spelt in pinyin words: pinyin_words itself, or a memo of it the build keeps.
Spell = Callable[[str], list[str]]


def slugify(text: str, max_words: int = 8, spell: Spell = pinyin_words) -> str:
    """A safe ASCII slug from a Chinese title: ``以“四个大抓”…`` → ``yi-si-ge-da-zhua-…``."""
    slug = "-".join(spell(text)[:max_words])
    return slug if SAFE_NAME.match(slug) else ""


def person_id(name: str, spell: Spell = pinyin_words) -> str:
    """Id for a person: surname, hyphen, given name (``蒋莉莉`` → ``jiang-lili``)."""
    words = spell(name)
    if len(words) < 2:
        return "".join(words)
    return f"{words[0]}-{''.join(words[1:])}"
