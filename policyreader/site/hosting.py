"""What only a hosted site needs: sitemap, an Atom feed per script, robots.txt."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..sources.config import Config
from ..text.chars import strip_illegal
from . import urls
from .pages import RenderedArticle, SitePages
from .urls import path_of

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
FEED_ENTRIES = 50   # a feed tells readers what is new: the newest articles, not the archive


def _xml(root: ET.Element) -> bytes:
    # Inputs holding characters XML forbids are refused where they come in; this is the last
    # guard, so a feed or sitemap stays well-formed whatever a future field lets through.
    for element in root.iter():
        element.text = strip_illegal(element.text) if element.text else element.text
        element.attrib = {key: strip_illegal(value) for key, value in element.attrib.items()}
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _date(article: RenderedArticle) -> dt.date:
    return article.meta.date or dt.date(1970, 1, 1)


def sitemap(config: Config, keys: list[str]) -> bytes:
    """sitemap.xml listing these pages (keys) in every script, with hreflang alternates."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for variant in config.variants:
        for key in keys:
            url = ET.SubElement(root, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = urls.absolute(config.base_url, variant, key)
            for other in config.variants:
                ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=other.lang,
                              href=urls.absolute(config.base_url, other, key))
    return _xml(root)


def atom_feed(config: Config, site: SitePages, variant) -> bytes:
    """An Atom feed of the newest articles in one script."""
    ET.register_namespace("", ATOM)
    convert = site.converters[variant.lang].convert
    url = lambda key: urls.absolute(config.base_url, variant, key)  # noqa: E731
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": variant.lang})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = convert(config.title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = url(urls.FEED)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=url(urls.FEED))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=url(urls.HOME))
    newest = max((_date(a) for a in site.articles), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest.isoformat()}T00:00:00Z"
    for article in site.articles[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = article.titles[variant.lang]
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url(article.key)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url(article.key))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{_date(article).isoformat()}T00:00:00Z"
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        names = article.meta.authors or [article.meta.source or config.title]
        ET.SubElement(author, f"{{{ATOM}}}name").text = convert("、".join(names))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = article.summary(variant.lang)
    return _xml(feed)


def sitemap_index(config: Config, parts: list[str]) -> bytes:
    """sitemap.xml: the index of the site's sitemaps (paths at the top of the site)."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for part in parts:
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}sitemap"), f"{{{SITEMAP}}}loc").text = config.base_url + part
    return _xml(root)


def index_files(config: Config, parts: list[str]) -> dict[str, bytes]:
    """sitemap.xml (the index of these sitemaps) and robots.txt."""
    return {urls.SITEMAP: sitemap_index(config, parts),
            urls.ROBOTS: f"User-agent: *\nAllow: /\nSitemap: {config.base_url}{urls.SITEMAP}\n".encode()}


def feed_files(config: Config, site: SitePages, variant) -> dict[str, bytes]:
    """One script's feed.xml; nothing without a base_url."""
    return {path_of(variant, urls.FEED): atom_feed(config, site, variant)} if config.base_url else {}
