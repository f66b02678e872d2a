"""Every feed and sitemap is well-formed XML and no page carries a character XML or HTML
forbids, whatever an editor writes in the fields that reach them."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from helpers import run_build
from policyreader.site.hosting import _xml
from policyreader.text.chars import ILLEGAL

SEED = "000_c77db80417356711"
EDGE = "<&>\"' ]]> \u00a0 \ufeff 𠀀 🙂"   # legal, and each breaks a careless writer


def test_edge_characters_in_every_field_keep_xml_and_html_well_formed(project: Path) -> None:
    sidecar = project / "seeds" / f"{SEED}.yaml"
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    data["title"] += EDGE
    data["source"] += EDGE
    data["fixes"][0]["why"] += EDGE
    data["fixes"][0]["replace"] = data["fixes"][0]["replace"].replace("。", EDGE + "\u2028。")   # a line separator: body text only
    sidecar.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "_site"
    feeds = sorted(site.rglob("*.xml"))
    assert {p.name for p in feeds} == {"feed.xml", "sitemap.xml", "sitemap-site.xml", "sitemap-2021-12.xml",
                                       "sitemap-2026-01.xml"}   # the index, the pages no month holds, each month
    for feed in feeds:
        root = ET.fromstring(feed.read_bytes())   # expat refuses any character XML forbids
        if feed.name == "feed.xml":
            titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
            assert any(EDGE.split(" ")[0] in (t or "") for t in titles), titles
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml", ".js", ".txt"):
            found = ILLEGAL.search(path.read_text(encoding="utf-8"))
            assert found is None, f"{path.relative_to(project)}: U+{ord(found.group()):04X}"
    page = (site / "articles" / "sige-dazhua.html").read_text(encoding="utf-8")
    assert "提供金融支持&lt;&amp;&gt;" in page and "🙂" in page


def test_the_last_guard_strips_what_xml_forbids() -> None:
    root = ET.Element("feed", {"title": "a\x07b"})
    ET.SubElement(root, "title").text = "标题\uffff\x01\ud800 ok"
    data = _xml(root)
    parsed = ET.fromstring(data)
    assert parsed.get("title") == "ab" and parsed.find("title").text == "标题 ok"
