"""Where every page of the site lives: the one module that spells a page's path.

Paths are keys relative to a script's folder (``articles/SLUG.html``); ``path_of`` places a key
in one script's folder (the first script at the top), ``href`` links one file to another,
always relatively and always naming a file, so the site works from ``file://`` too.
"""
from __future__ import annotations

import datetime as dt
import functools
import posixpath
from typing import Iterable

from ..sources.config import VariantSpec

HOME = "index.html"
GLOSSARY = "glossary.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
SEARCH_INDEX = "search/meta.js"   # what a search loads first; the rest of the index lies beside it
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
TERMS_DIR = "terms/"
STUDY = "study.html"          # the whole site's study kit
STUDY_DECK = "study.csv"      # and its Anki deck
ARCHIVE_DIR = "archive/"      # one page per month listing its articles (the home page lists the newest)
# The site-wide pages of every script, with the template each is made from.
SITE_PAGES = {HOME: "home.html", GLOSSARY: "glossary.html", SEARCH: "search.html", NOT_FOUND: "404.html"}


def article(slug: str) -> str:
    """An article's page."""
    return f"articles/{slug}.html"


def handout(slug: str) -> str:
    """An article's print page for trainers."""
    return f"handouts/{slug}.html"


def study(slug: str) -> str:
    """An article's study page (cards, quiz, fill-in, worksheet)."""
    return f"study/{slug}.html"


def deck(slug: str) -> str:
    """An article's Anki deck (CSV)."""
    return f"study/{slug}.csv"


def term(term_id: str, page: int = 1) -> str:
    """A glossary term's own page; its further pages of uses are ``terms/ID.2.html``, … (an id
    never holds a dot, so no page of one term is another term's page)."""
    return f"{TERMS_DIR}{term_id}.html" if page == 1 else f"{TERMS_DIR}{term_id}.{page}.html"


def archive(date: dt.date | None) -> str:
    """The page listing the articles of one month (``archive/2025-03.html``), where 上一篇 and
    下一篇 of an article dated then lead; articles without a date have ``archive/undated.html``."""
    return f"{ARCHIVE_DIR}{date:%Y-%m}.html" if date else f"{ARCHIVE_DIR}undated.html"


def sitemap_part(listing: str) -> str:
    """The sitemap of one month's page and its articles (``sitemap-2025-03.xml``), or with
    ``urls.HOME``, of the pages no month holds (``sitemap-site.xml``): ``sitemap.xml`` is their
    index, so no sitemap outgrows the protocol's 50,000 addresses as the site grows."""
    name = "site" if listing == HOME else listing[len(ARCHIVE_DIR):-len(".html")]
    return f"sitemap-{name}.xml"


def term_of(key: str) -> tuple[str, int] | None:
    """The term id and page number of a term page's key, or None for any other page."""
    if not (key.startswith(TERMS_DIR) and key.endswith(".html")):
        return None
    name = key[len(TERMS_DIR):-len(".html")]
    term_id, dot, page = name.partition(".")
    if not dot:
        return term_id, 1
    return (term_id, int(page)) if page.isdigit() and page[0] != "0" and page != "1" else None


def static(name: str) -> str:
    """A static file (shared by every script, so at the top of the site)."""
    return f"static/{name}"


def path_of(variant: VariantSpec, key: str) -> str:
    """Where a page of one script lives in the site (the first script at the top)."""
    return posixpath.join(variant.folder, key) if variant.folder else key


def key_of(variants: Iterable[VariantSpec], path: str) -> str:
    """The key of a page at ``path`` in the site (``path_of`` undone)."""
    for variant in variants:
        if variant.folder and path.startswith(variant.folder + "/"):
            return path[len(variant.folder) + 1:]
    return path


def href(from_path: str, to_path: str) -> str:
    """Relative link from one output file to another (always names a file)."""
    return _relative(posixpath.dirname(from_path) or ".", to_path)


@functools.lru_cache(maxsize=65536)
def _relative(folder: str, to_path: str) -> str:
    # Every page links the same few files from the same few folders: each pair is worked out once.
    return posixpath.relpath(to_path, folder)


def absolute(base_url: str, variant: VariantSpec, key: str) -> str:
    """A page's URL on the host, for canonical links, sitemap and feeds."""
    return base_url + path_of(variant, key)
