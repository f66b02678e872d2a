"""The offline zip for training sessions: the whole site plus a short Chinese how-to, reproducible."""
from __future__ import annotations

import datetime as dt
import os
import struct
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from ..sources.config import Config
from ..variants.convert import Converter
from .store import LEVEL, Blob, ObjectStore

UTF8_NAMES = 0x0800   # general purpose flag: names are UTF-8 (使用说明.txt)

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
- 每篇文章开头有“打印讲义”（可选只印文章、首次出现处注释或每处注释，自动加页码）和“学习与测验”
  （术语卡片、选择题、填空、可打印的练习单和答案，以及 Anki 卡组）；首页有全站的术语学习页。
"""


LAST_YEAR = 2107   # a zip entry's date counts years from 1980 in seven bits


def build_date(config: Config, newest_article: dt.date | None, newest_source: str = "") -> dt.datetime:
    """The zip's date: SOURCE_DATE_EPOCH if set, else the newest article's date (reproducible).

    A date a zip cannot record is an error here, before anything is written or switched.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        value = epoch.strip()
        if not value.isdigit():
            raise BuildError("SOURCE_DATE_EPOCH", None, f"{value[:40]!r} is not a whole number of seconds since 1970")
        try:
            when = dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            when = dt.datetime.max
        if when.year > LAST_YEAR:
            raise BuildError("SOURCE_DATE_EPOCH", None, f"{value[:40]} is after {LAST_YEAR}, the last year a zip file "
                             "can record")
        return when
    day = newest_article or dt.date(1980, 1, 1)
    if day.year > LAST_YEAR:
        raise BuildError(newest_source or "seeds", None, f"date {day.isoformat()} is after {LAST_YEAR}, the last "
                         "year a zip file can record")
    return dt.datetime(day.year, day.month, day.day)


def howto(config: Config, when: dt.datetime, folder: str, converters: dict[str, Converter]) -> bytes:
    """使用说明.txt in every script, with a BOM and CRLF so Windows Notepad shows it right."""
    text = "\n".join(converters[v.lang].convert(HOWTO.format(title=config.title, date=f"{when:%Y-%m-%d}", folder=folder))
                     for v in config.variants)
    return ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8")


def zip_name(config: Config, when: dt.datetime) -> str:
    """The zip's top folder and file name: the site's name and the build date."""
    return f"{config.name}-{max(when, dt.datetime(1980, 1, 1)):%Y-%m-%d}"


@dataclass(frozen=True)
class ZipLayout:
    """Where each entry stands in a written zip, so the next zip can copy the unchanged ones."""

    folder: str
    when: dt.datetime
    entries: tuple[tuple[str, str, int, int], ...]    # name, content hash, offset, length (header and data)
    size: int
    level: int = LEVEL                                # another deflate level makes other bytes


def write_zip(target: Path, folder: str, entries: dict[str, Blob], store: ObjectStore, when: dt.datetime,
              previous: tuple[Path, ZipLayout] | None = None) -> ZipLayout:
    """Write a zip of stored files: sorted names, one fixed time, deflated at one level.

    Written by hand (the format is small) so that an entry standing unchanged in the
    ``previous`` zip (same name, content and level) is copied from it by the kernel where it
    can: whole and in runs when the folder and date are the same, else its deflated data under
    a new header (a new article names and dates the zip anew, and must not cost deflating the
    whole site again). Only the others are deflated, on every core. The bytes are the same as a
    zip written from nothing.
    """
    when = max(when, dt.datetime(1980, 1, 1))
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    dos_date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
    old: dict[str, tuple[str, int, int]] = {}
    same_frame, old_folder = False, folder
    if previous is not None and previous[1].level == LEVEL:
        old = {name: (sha, offset, length) for name, sha, offset, length in previous[1].entries}
        same_frame = (previous[1].folder, previous[1].when) == (folder, when)
        old_folder = previous[1].folder
    names = sorted(entries)
    # One test decides both which entries are deflated and which are copied, so the two agree.
    kept = {name: old[name] for name in names if name in old and old[name][0] == entries[name].sha}
    fresh = [entries[name] for name in names if name not in kept]
    central, layout, offset = [], [], 0
    with target.open("wb") as out, _Copier(previous[0] if old else None, out) as copier, \
            ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
        deflated = _in_order(pool, store.deflate, fresh)
        for name in names:
            blob = entries[name]
            raw = f"{folder}/{name}".encode("utf-8")
            before = kept.get(name)
            if before is not None:
                header = 30 + len(f"{old_folder}/{name}".encode("utf-8"))   # the old entry's header
                fields = struct.pack("<HHHHHIII", 20, UTF8_NAMES, 8, dos_time, dos_date, blob.crc,
                                     before[2] - header, blob.size)
                length = 30 + len(raw) + before[2] - header
                if same_frame:
                    copier.copy(before[1], length)
                else:
                    copier.flush()
                    out.write(struct.pack("<I", 0x04034B50) + fields + struct.pack("<HH", len(raw), 0) + raw)
                    copier.copy(before[1] + header, before[2] - header)
            else:
                data = next(deflated)
                fields = struct.pack("<HHHHHIII", 20, UTF8_NAMES, 8, dos_time, dos_date, blob.crc, len(data), blob.size)
                length = 30 + len(raw) + len(data)
                copier.flush()
                out.write(struct.pack("<I", 0x04034B50) + fields + struct.pack("<HH", len(raw), 0) + raw)
                out.write(data)
            central.append(_central_entry(fields, raw, offset))
            layout.append((name, blob.sha, offset, length))
            offset += length
        copier.flush()
        directory = b"".join(central)
        out.write(directory)
        out.write(_end_records(len(central), len(directory), offset))
        size = out.tell()
    return ZipLayout(folder, when, tuple(layout), size)


def _in_order(pool: ThreadPoolExecutor, work: Callable[[Blob], bytes], blobs: list[Blob],
              ahead: int = 32) -> Iterator[bytes]:
    """``work`` over the blobs in threads (zlib lets go of the interpreter while it deflates),
    yielded in order, with at most ``ahead`` results held at once."""
    queue: deque[Future[bytes]] = deque()
    for blob in blobs:
        queue.append(pool.submit(work, blob))
        if len(queue) >= ahead:
            yield queue.popleft().result()
    while queue:
        yield queue.popleft().result()


# The classic zip format counts entries in 16 bits and bytes in 32: a site of thousands of
# articles passes both, so past them the ZIP64 records say what the classic ones cannot.
MAX_ENTRIES, MAX_OFFSET = 0xFFFF, 0xFFFFFFFF


def _central_entry(fields: bytes, raw: bytes, offset: int) -> bytes:
    """One central directory entry; an offset past 4 GB goes in a ZIP64 extra field."""
    if offset < MAX_OFFSET:
        return (struct.pack("<IH", 0x02014B50, (3 << 8) | 20) + fields
                + struct.pack("<HHHHHII", len(raw), 0, 0, 0, 0, 0o100644 << 16, offset) + raw)
    extra = struct.pack("<HHQ", 0x0001, 8, offset)
    needs64 = struct.pack("<H", 45) + fields[2:]   # version needed to extract: 4.5 (ZIP64)
    return (struct.pack("<IH", 0x02014B50, (3 << 8) | 45) + needs64
            + struct.pack("<HHHHHII", len(raw), len(extra), 0, 0, 0, 0o100644 << 16, MAX_OFFSET) + raw + extra)


def _end_records(count: int, size: int, start: int) -> bytes:
    """The end of the central directory, preceded by the ZIP64 end record and its locator when
    the entries or the offsets do not fit the classic record."""
    if count < MAX_ENTRIES and size < MAX_OFFSET and start < MAX_OFFSET:
        return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0)
    end64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (3 << 8) | 45, 45, 0, 0, count, count, size, start)
    locator = struct.pack("<IIQI", 0x07064B50, 0, start + size, 1)
    classic = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, MAX_ENTRIES), min(count, MAX_ENTRIES),
                          min(size, MAX_OFFSET), min(start, MAX_OFFSET), 0)
    return end64 + locator + classic


class _Copier:
    """Copies runs of bytes from the previous zip into the one being written, joining adjacent
    runs into one kernel copy."""

    def __init__(self, source: Path | None, out) -> None:
        self.source = source
        self.out = out
        self.handle = None
        self.start = self.length = 0

    def __enter__(self) -> "_Copier":
        if self.source is not None:
            self.handle = self.source.open("rb")
        return self

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            self.handle.close()

    def copy(self, start: int, length: int) -> None:
        """Copy ``length`` bytes from ``start`` of the previous zip (after those already queued)."""
        if self.length and self.start + self.length == start:
            self.length += length
            return
        self.flush()
        self.start, self.length = start, length

    def flush(self) -> None:
        """Copy what is queued."""
        if not self.length:
            return
        assert self.handle is not None
        self.out.flush()
        source, target = self.handle.fileno(), self.out.fileno()
        position, left = self.start, self.length
        written_at = self.out.tell()
        try:
            while left:
                done = os.copy_file_range(source, target, left, position, written_at)
                if not done:
                    raise OSError("short copy")
                position, left, written_at = position + done, left - done, written_at + done
        except (OSError, AttributeError):   # another file system or system: copy through memory
            self.handle.seek(position)
            self.out.seek(written_at)
            while left:
                data = self.handle.read(min(left, 1 << 20))
                if not data:
                    raise OSError("the previous zip is shorter than its layout says")
                self.out.write(data)
                left -= len(data)
        self.out.seek(0, os.SEEK_END)
        self.length = 0
