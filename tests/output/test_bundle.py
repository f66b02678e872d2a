"""The offline zip: reproducible bytes, a how-to inside, and everything working from file://."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect

from helpers import run_build
from policyreader.output.bundle import MAX_ENTRIES, write_zip
from policyreader.output.store import ObjectStore


def zip_of(root: Path) -> Path:
    (archive,) = (root / "dist").glob("*.zip")
    return archive


def test_two_builds_give_the_same_zip_bytes(built_site: Path, tmp_path: Path) -> None:
    first = zip_of(built_site).read_bytes()
    other = tmp_path / "again"
    shutil.copytree(built_site, other, ignore=shutil.ignore_patterns("_site", "dist", ".cache"))
    assert run_build(other, "--clean").returncode == 0
    assert zip_of(other).name == zip_of(built_site).name
    assert zip_of(other).read_bytes() == first


def test_zip_layout_dates_and_howto(built_site: Path) -> None:
    archive = zip_of(built_site)
    assert archive.name == "guizhou-policy-reader-2026-01-20.zip"   # newest article date, no SOURCE_DATE_EPOCH
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert all(n.startswith("guizhou-policy-reader-2026-01-20/") for n in names)
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 20, 0, 0, 0)}
        site = {n.split("/", 1)[1] for n in names}
        assert {"index.html", "zh-hant/index.html", "glossary.html", "search/meta.js", "使用说明.txt"} <= site
        howto = z.read("guizhou-policy-reader-2026-01-20/使用说明.txt").decode("utf-8-sig")
        assert "index.html" in howto and "解压" in howto and "解壓" in howto and "\r\n" in howto


def test_source_date_epoch_names_and_dates_the_zip(project: Path) -> None:
    import os
    import subprocess
    import sys
    from helpers import REPO
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}   # 2026-01-01 00:00 UTC
    subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project), "-q"], env=env, check=True)
    archive = zip_of(project)
    assert archive.name == "guizhou-policy-reader-2026-01-01.zip"
    with zipfile.ZipFile(archive) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}


@pytest.mark.browser
def test_unzipped_site_works_from_file_urls(built_site: Path, tmp_path: Path, context_factory) -> None:
    with zipfile.ZipFile(zip_of(built_site)) as z:
        z.extractall(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    context = context_factory(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not (
        r.url.startswith("file://") and unquote(urlparse(r.url).path).startswith(str(folder))) else None)
    page = context.new_page()
    page.goto((folder / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.locator(".article-list a").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    term = page.locator("a.term").first
    term.hover()
    # Reader v2: one card explains the term under the pointer, filled from the term's tooltip.
    expect(page.locator("#card")).to_be_visible()
    expect(page.locator("#card")).to_contain_text(term.inner_text())
    page.locator("nav a[href$='glossary.html']").click()
    page.wait_for_load_state()
    assert page.locator("#fukuang-jingkai").is_visible()
    page.fill("#site-q", "富矿精开")              # the header's search box opens search.html?q=…
    page.press("#site-q", "Enter")
    page.wait_for_load_state()
    assert "/search.html" in page.url
    expect(page.locator(".results")).to_contain_text("富矿精开")
    assert page.locator(".results mark").count() >= 5
    page.locator(".lang-switch a[hreflang=zh-Hant]").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path.endswith("/zh-hant/search.html")      # the query goes along
    page.fill("#q", "富礦精開")
    page.press("#q", "Enter")
    expect(page.locator(".results")).to_contain_text("富礦精開")
    page.locator(".results a[href*='articles/']").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert outside == [], f"requests outside the unzipped folder: {outside}"


def test_a_zip_of_more_entries_than_the_classic_format_counts_opens_everywhere(tmp_path: Path) -> None:
    """10,000 articles make about 140,000 files: past 65,535 the ZIP64 records carry the count,
    and Python's zipfile and Info-ZIP's unzip both read every entry; the copy of the unchanged
    entries from the previous zip gives the same bytes."""
    store = ObjectStore(tmp_path / "objects")
    blobs = [store.put(f"<p>页 {n}</p>\n".encode("utf-8")) for n in range(7)]
    entries = {f"articles/a{n:06d}.html": blobs[n % 7] for n in range(MAX_ENTRIES + 10)}
    when = dt.datetime(2026, 1, 1)
    first = tmp_path / "site.zip"
    layout = write_zip(first, "site", entries, store, when)
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert len(names) == len(entries) and names[-1] == "site/articles/a065544.html"
        assert archive.read("site/articles/a065544.html").decode("utf-8") == f"<p>页 {65544 % 7}</p>\n"
    listed = subprocess.run(["unzip", "-l", str(first)], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert f"{len(entries)} files" in listed.stdout.splitlines()[-1]
    again = tmp_path / "again.zip"
    write_zip(again, "site", entries, store, when, previous=(first, layout))
    assert again.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("folder, when", [("site-2026-01-01", dt.datetime(2026, 1, 1)), ("site-2026-02-03", dt.datetime(2026, 1, 1)),
                                          ("s", dt.datetime(2026, 2, 3, 4, 5, 6))])
def test_a_zip_made_from_the_last_one_is_the_zip_made_from_nothing(tmp_path: Path, folder: str, when: dt.datetime) -> None:
    """A new article names and dates the zip anew (its folder, every entry's time): the entries
    that did not change keep their deflated data from the last zip, under new headers, and the
    zip is byte for byte the one written from nothing; the changed, added and removed entries too."""
    store = ObjectStore(tmp_path / "objects")
    entries = {f"articles/a{n:03d}.html": store.put(f"<p>第{n}页 {'内容' * n}</p>\n".encode("utf-8")) for n in range(300)}
    first = tmp_path / "first.zip"
    layout = write_zip(first, "site-2026-01-01", entries, store, dt.datetime(2026, 1, 1))
    entries["articles/a007.html"] = store.put("<p>改过的一页</p>\n".encode("utf-8"))
    entries["articles/new.html"] = store.put(b"<p>new</p>\n")
    del entries["articles/a100.html"]
    made, fresh = tmp_path / "made.zip", tmp_path / "fresh.zip"
    deflated = []
    counting = ObjectStore(tmp_path / "objects")
    counting.deflate = lambda blob: deflated.append(blob.sha) or ObjectStore.deflate(store, blob)
    write_zip(made, folder, entries, counting, when, previous=(first, layout))
    assert sorted(deflated) == sorted({entries["articles/a007.html"].sha, entries["articles/new.html"].sha})
    write_zip(fresh, folder, entries, store, when)
    assert made.read_bytes() == fresh.read_bytes()
    with zipfile.ZipFile(made) as archive:
        assert archive.testzip() is None
        assert archive.read(f"{folder}/articles/a007.html").decode("utf-8") == "<p>改过的一页</p>\n"
        assert archive.getinfo(f"{folder}/articles/a299.html").date_time == when.timetuple()[:6]
