"""The offline zip for training sessions: the whole site plus a short Chinese how-to, reproducible."""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from .config import Config
from .variants import Converter

HOWTO = """\
{title} · 离线版（{date}）

怎样打开
1. 先把整个压缩包解压到电脑上（Windows：右键“全部解压缩”；macOS：双击；Linux：unzip）。
   不要在压缩包里直接打开网页，否则部分功能无法使用。
2. 打开解压出的“{folder}”文件夹，双击 index.html，用浏览器（Edge、Chrome、Firefox、Safari）打开。
3. 不需要联网。所有页面、术语解释、搜索都在这个文件夹里。

怎样使用
- 文章里带下划线的词是术语：鼠标指向、用 Tab 键选中或在触屏上轻点，就会显示拼音、英文和释义；按 Esc 关闭。
- 每页右上角可以在简体和繁体之间切换，停留在同一篇文章。
- “术语表”按类别和拼音列出全部术语，并注明每个术语出现在哪篇文章的哪一段（¶）。
- “搜索”可用简体或繁体输入。
- 打印文章（Ctrl+P 或 ⌘+P）时，术语解释会作为尾注印在文末，段落编号保留，方便培训时引用“第几段”。
"""


def build_date(config: Config, newest_article: dt.date | None) -> dt.datetime:
    """The zip's date: SOURCE_DATE_EPOCH if set, else the newest article's date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    day = newest_article or dt.date(1980, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def make_zip(files: dict[str, bytes], config: Config, when: dt.datetime, converters: dict[str, Converter]) -> tuple[str, bytes]:
    """(file name, bytes) of the offline zip: sorted entries, fixed times, one top folder."""
    when = max(when, dt.datetime(1980, 1, 1))
    folder = f"{config.name}-{when:%Y-%m-%d}"
    howto = "\n".join(converters[v.lang].convert(HOWTO.format(title=config.title, date=f"{when:%Y-%m-%d}", folder=folder))
                      for v in config.variants)
    entries = dict(files)
    entries["使用说明.txt"] = ("\ufeff" + howto).replace("\n", "\r\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, entries[name], compresslevel=9)
    return f"{folder}.zip", buffer.getvalue()
