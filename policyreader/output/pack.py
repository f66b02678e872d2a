"""A session pack's zip: the files of a small site under one folder, reproducible."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path

from ..site import urls
from ..site.search import read_script_file, script_file

PACK_HOWTO = """\
{title}（培训资料包，{date}）

本资料包只收录本次培训的 {count} 篇文章：{titles}。
每篇文章都附有打印讲义、术语学习页（卡片、选择题、填空、练习单）和 Anki 卡组（CSV）。

怎样打开
1. 先把整个压缩包解压到电脑上，再打开“{folder}”文件夹里的 index.html。
2. 不需要联网。简体、繁体都可切换；测验成绩只保存在本机浏览器中。
3. 打印讲义：在文章页点“打印讲义”，选好要印的内容，再用浏览器打印（纸张选 A4）。
"""


def pack_howto(title: str, when: dt.datetime, folder: str, titles: list[str]) -> str:
    """The pack's 使用说明.txt in Simplified (the caller converts it for other scripts)."""
    return PACK_HOWTO.format(title=title, date=f"{when:%Y-%m-%d}", folder=folder, count=len(titles),
                             titles="、".join(f"《{t}》" for t in titles))


def write_pack(target: Path, folder: str, entries: dict[str, bytes], when: dt.datetime) -> None:
    """Write the zip: sorted names under one folder, one fixed time, so the same pack gives the same bytes."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, entries[name])
    temp.replace(target)


LINK = re.compile(r'(<a\b[^>]*?\bhref=")([^"#]*)(#[^"]*)?(")')
META = "search/meta.js"


def prune_terms(entries: dict[str, bytes], used: set[str], folders: list[str]) -> dict[str, bytes]:
    """Keep the term pages of the terms the pack's articles use; send every link to another
    term's page to its entry in the glossary, and leave those terms out of the search, so
    nothing in the pack points at a page it does not hold. A search index this code cannot read
    keeps every term page instead."""
    pages = {name: (folder, found[0]) for folder in folders for name in entries
             if name.startswith(f"{folder}{urls.TERMS_DIR}") and name.count("/") == folder.count("/") + 1
             and (found := urls.term_of(name[len(folder):])) is not None}
    dropped = {path: where for path, where in pages.items() if where[1] not in used}
    metas = {f"{folder}{META}" for folder in folders} & set(entries)
    if not dropped or not all(_meta(entries[name]) for name in metas):
        return dict(entries)
    kept: dict[str, bytes] = {}
    for name, data in entries.items():
        if name in dropped:
            continue
        if name in metas:
            meta = _meta(data)
            meta["terms"] = [t for t in meta["terms"] if t[0] in used]
            data = script_file("meta", meta)
        elif name.endswith(".html"):
            data = _relink(name, data.decode("utf-8"), dropped).encode("utf-8")
        kept[name] = data
    return kept


def _meta(data: bytes) -> dict | None:
    """A search meta file's data, or None if this code cannot read it."""
    try:
        found = read_script_file(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("terms"), list) else None


def _relink(name: str, html: str, dropped: dict[str, tuple[str, str]]) -> str:
    """Links from one page to a dropped term page, sent to that term in its script's glossary."""
    folder = posixpath.dirname(name)

    def swap(match: re.Match) -> str:
        target = match.group(2)
        if not target or "://" in target:
            return match.group(0)
        where = dropped.get(posixpath.normpath(posixpath.join(folder, target)))
        if where is None:
            return match.group(0)
        glossary = posixpath.relpath(f"{where[0]}glossary.html", folder or ".")
        return f"{match.group(1)}{'' if glossary == posixpath.basename(name) else glossary}#{where[1]}{match.group(4)}"
    return LINK.sub(swap, html)
