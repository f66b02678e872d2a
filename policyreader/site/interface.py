"""Interface text in every script: the reader's own words, not the articles'.

Interface strings are written in Simplified, converted like everything else, and then given the
words a script's readers expect on a screen (Taiwan: 搜尋, 列印, 資料), which OpenCC's s2tw
leaves alone because it never rewrites vocabulary (it must not, in the articles: their terms
are official). Article text never goes through these words.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..text.matcher import Matcher
from ..variants.convert import Converter
from .strings import UI   # noqa: F401 - the interface strings, re-exported for their users

# Words of the screen, as each script's readers write them, applied after conversion (in the
# converted form: s2tw writes 數據, readers in Taiwan expect 資料 on a screen).
INTERFACE_WORDS: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "搜索": "搜尋", "打印": "列印", "數據": "資料", "信息": "資訊", "設置": "設定", "默認": "預設",
        "鏈接": "連結", "視頻": "影片", "屏幕": "螢幕", "用戶": "使用者", "打開": "開啟", "頂部": "頂端",
        "字號": "字級", "菜單": "選單", "複製到剪貼板": "複製到剪貼簿",
    },
}
INTERFACE_WORDS["zh-TW"] = INTERFACE_WORDS["zh-Hant"]


@dataclass
class Interface:
    """Converts interface strings into one script: OpenCC, then the script's screen words."""

    converter: Converter
    words: dict[str, str] = field(default_factory=dict)
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._matcher = Matcher(self.words)

    def text(self, simplified: str) -> str:
        """One interface string in this script."""
        cached = self._cache.get(simplified)
        if cached is None:
            converted = self.converter.convert(simplified)
            out, position = [], 0
            for start, end, replacement in self._matcher.find(converted):
                out += [converted[position:start], replacement]
                position = end
            cached = self._cache[simplified] = "".join(out) + converted[position:]
        return cached


def interface_for(converter: Converter) -> Interface:
    """The interface of the converter's script (its screen words, if the script has any)."""
    words = INTERFACE_WORDS.get(converter.spec.lang, {}) if converter.spec.converts else {}
    return Interface(converter, dict(words))
