"""A session pack's zip: the files of a small site under one folder, reproducible."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

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
