"""Check the built site: every link relative, naming a file that exists, every anchor present.

Each page is scanned once where it is made (``scan``), and the result kept with the page, so a
rebuild checks the whole site without reading unchanged pages again. The scanner reads the
HTML this program writes (double-quoted attributes, as Jinja and the renderer emit them).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urldefrag

from ..errors import Problem

LINK_TAGS = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "source": "src",
             "iframe": "src"}
TAG = re.compile(r'<(a|link|script|img|form|source|iframe)\s[^>]*?\b(href|src|action)="([^"]*)"[^>]*>')
REL = re.compile(r'\srel="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')
HTML_LANG = re.compile(r'<html\b[^>]*\slang="([^"]*)"')
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


@dataclass(frozen=True)
class PageLinks:
    """What the link check needs from one page: its lang, its links (with lines), its ids."""

    lang: str | None
    links: tuple[tuple[int, str, str, str], ...]     # line, tag, url, rel
    ids: frozenset[str]


def scan(html: str) -> PageLinks:
    """Links, ids and ``<html lang>`` of one page; each distinct link once, at its first line."""
    links: dict[tuple[str, str, str], int] = {}
    line, position = 1, 0
    for match in TAG.finditer(html):
        tag, attr, url = match.groups()
        if LINK_TAGS[tag] != attr:
            continue
        line += html.count("\n", position, match.start())
        position = match.start()
        rel = REL.search(match.group()) if tag == "link" else None
        links.setdefault((tag, unescape(url) if "&" in url else url, rel.group(1) if rel else ""), line)
    lang = HTML_LANG.search(html)
    return PageLinks(lang.group(1) if lang else None, tuple((n, *link) for link, n in links.items()),
                     frozenset(unescape(i) for i in ID.findall(html)))


def check_site(pages: dict[str, PageLinks], files: set[str], base_url: str, where: str = "_site",
               skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Problems with links, anchors and ``lang`` across the site, one per broken thing.

    Pages in ``skip`` are known good (unchanged since a check that found nothing, in a site
    with the same files); their ids still count as targets.
    """
    problems = []
    resolved_cache: dict[tuple[str, str], tuple[str, str, str]] = {}
    for path, page in sorted(pages.items()):
        if path in skip:
            continue
        shown = f"{where}/{path}"
        folder = posixpath.dirname(path)
        if not (page.lang or "").startswith("zh-"):
            problems.append(Problem(shown, 1, "page has no <html lang>"))
        for line, tag, url, rel in page.links:
            if url.startswith("data:"):
                continue   # inline (the icon): nothing to fetch, nothing to break
            if ABSOLUTE.match(url):
                metadata = tag == "link" and set(rel.split()) & {"canonical", "alternate"}
                if not (metadata and base_url and url.startswith(base_url)):
                    problems.append(Problem(shown, line, f"link {url!r} is not relative to the site"))
                elif url[len(base_url):] not in files:
                    problems.append(Problem(shown, line, f"link {url!r} names no page of the site"))
                continue
            if url.startswith("/"):
                problems.append(Problem(shown, line, f"link {url!r} is root-relative; it breaks from file://"))
                continue
            known = resolved_cache.get((folder, url))
            if known is None:
                target, fragment = urldefrag(url)
                target = unquote(target.split("?")[0])
                resolved = posixpath.normpath(posixpath.join(folder, target)) if target else ""
                known = resolved_cache[(folder, url)] = (target, fragment, resolved)
            target, fragment, resolved = known
            resolved = resolved or path
            if target and (target.endswith("/") or resolved == "."):
                problems.append(Problem(shown, line, f"link {url!r} names a folder, not a file"))
            elif resolved not in files:
                problems.append(Problem(shown, line, f"broken link {url!r}: no {resolved}"))
            elif fragment and resolved in pages and unquote(fragment) not in pages[resolved].ids:
                problems.append(Problem(shown, line, f"broken anchor {url!r}: no id {fragment!r} in {resolved}"))
    return problems
