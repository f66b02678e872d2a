"""Check the built site: every link relative, naming a file that exists, every anchor present.

Each page is scanned once where it is made (``scan``), and what it says about itself is
checked right there (``local_problems``: links that are absolute, root-relative or name a
folder, anchors into itself, its ``lang``). What it says about other files is kept as a list of
references (target file, anchor), checked against the whole site (``reference_problems``), so
a rebuild checks only what changed: an unchanged page whose targets did not change keeps the
verdict of its last check. The scanner reads the HTML this program writes (double-quoted
attributes, as Jinja and the renderer emit them).
"""
from __future__ import annotations

import posixpath
import re
import zlib
from dataclasses import dataclass
from html import unescape
from typing import Callable, Iterator, NamedTuple
from urllib.parse import unquote

from ..errors import Problem

LINK_TAGS = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "source": "src",
             "iframe": "src"}
TAG = re.compile(r'<(a|link|script|img|form|source|iframe)\s[^>]*?\b(href|src|action)="([^"]*)"[^>]*>')
REL = re.compile(r'\srel="([^"]*)"')
ID = re.compile(r'id="([^"]*)"')   # taken only after white space (a literal start: ten times faster)
HTML_LANG = re.compile(r'<html\b[^>]*\slang="([^"]*)"')
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
WHERE = "_site"


FIELD, ROW = "\x1f", "\x1e"   # the separators of a page's packed links (percent-encoded in a URL)


@dataclass(frozen=True)
class PageLinks:
    """What the link check needs from one page: its lang, its links (with lines), its ids.

    The links are kept packed in one deflated string: a site-wide build holds the scans of
    tens of thousands of term pages until the check. Hundreds of small tuples a page filled
    hundreds of megabytes; the links of one page repeat the same few addresses, so deflating
    their text keeps a fifth of it."""

    lang: str | None
    packed: bytes        # deflated UTF-8: line FIELD tag FIELD url FIELD rel, ROW between links
    ids: frozenset[str]

    @property
    def links(self) -> Iterator[tuple[int, str, str, str]]:
        """Each distinct link: line, tag, url, rel."""
        text = zlib.decompress(self.packed).decode("utf-8") if self.packed else ""
        for row in text.split(ROW) if text else ():
            line, tag, url, rel = row.split(FIELD)
            yield int(line), tag, url, rel


def _field(text: str) -> str:
    return text.replace(FIELD, "%1F").replace(ROW, "%1E") if FIELD in text or ROW in text else text


class Reference(NamedTuple):
    """A link from a page to another file of the site: where it stands and what it needs."""

    line: int
    url: str
    target: str          # the file, relative to the site's top
    fragment: str        # the anchor it needs there ("" for none)
    site_url: bool       # written as an absolute URL of the hosted site (canonical, alternate)


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
    ids = (m.group(1) for m in ID.finditer(html) if m.start() and html[m.start() - 1].isspace())
    packed = ROW.join(f"{n}{FIELD}{tag}{FIELD}{_field(url)}{FIELD}{_field(rel)}" for (tag, url, rel), n in links.items())
    return PageLinks(lang.group(1) if lang else None, zlib.compress(packed.encode("utf-8"), 1) if packed else b"",
                     frozenset(unescape(i) if "&" in i else i for i in ids))


_RESOLVED: dict[tuple[str, str], tuple[str, str, str]] = {}   # (folder, url) → (target, fragment, resolved)


def _resolve(folder: str, url: str) -> tuple[str, str, str]:
    """A relative link's file (as written and resolved from ``folder``) and anchor; pages of one
    site repeat the same few links thousands of times, so each is worked out once."""
    found = _RESOLVED.get((folder, url))
    if found is None:
        target, _, fragment = url.partition("#")
        target = unquote(target.split("?")[0])
        resolved = posixpath.normpath(posixpath.join(folder, target)) if target else ""
        if len(_RESOLVED) > 100_000:
            _RESOLVED.clear()
        found = _RESOLVED[(folder, url)] = (target, fragment, resolved)
    return found


def _split(path: str, page: PageLinks, base_url: str) -> tuple[list[Problem], list[Reference]]:
    """A page's own problems, and its references to other files."""
    shown = f"{WHERE}/{path}"
    folder = posixpath.dirname(path)
    problems: list[Problem] = []
    refs: list[Reference] = []
    if not (page.lang or "").startswith("zh-"):
        problems.append(Problem(shown, 1, "page has no <html lang>"))
    for line, tag, url, rel in page.links:
        if url.startswith("data:"):
            continue   # inline (the icon): nothing to fetch, nothing to break
        if ABSOLUTE.match(url):
            metadata = tag == "link" and set(rel.split()) & {"canonical", "alternate"}
            if not (metadata and base_url and url.startswith(base_url)):
                problems.append(Problem(shown, line, f"link {url!r} is not relative to the site"))
            else:
                refs.append(Reference(line, url, url[len(base_url):], "", True))
            continue
        if url.startswith("/"):
            problems.append(Problem(shown, line, f"link {url!r} is root-relative; it breaks from file://"))
            continue
        target, fragment, resolved = _resolve(folder, url)
        resolved = resolved or path
        if target and (target.endswith("/") or resolved == "."):
            problems.append(Problem(shown, line, f"link {url!r} names a folder, not a file"))
        elif resolved == path:
            if fragment and unquote(fragment) not in page.ids:
                problems.append(Problem(shown, line, f"broken anchor {url!r}: no id {fragment!r} in {resolved}"))
        else:
            refs.append(Reference(line, url, resolved, unquote(fragment) if "%" in fragment else fragment, False))
    return problems, refs


def local_problems(path: str, page: PageLinks, base_url: str) -> list[Problem]:
    """What is wrong with a page whatever the rest of the site holds."""
    return _split(path, page, base_url)[0]


def references(path: str, page: PageLinks, base_url: str = "") -> tuple[Reference, ...]:
    """A page's links to other files of the site."""
    return tuple(_split(path, page, base_url)[1])


def reference_problems(path: str, refs: tuple[Reference, ...], files: set[str] | frozenset[str],
                       lacks: Callable[[str, str], bool]) -> list[Problem]:
    """Which references of a page are broken: no such file, or no such anchor in it
    (``lacks(target, anchor)``: the target is a page without that id)."""
    shown = f"{WHERE}/{path}"
    problems = []
    for ref in refs:
        if ref.target not in files:
            message = f"link {ref.url!r} names no page of the site" if ref.site_url else \
                f"broken link {ref.url!r}: no {ref.target}"
            problems.append(Problem(shown, ref.line, message))
        elif ref.fragment and lacks(ref.target, ref.fragment):
            problems.append(Problem(shown, ref.line, f"broken anchor {ref.url!r}: no id {ref.fragment!r} in {ref.target}"))
    return problems


def reference_ok(target: str, fragment: str, files: set[str] | frozenset[str],
                 lacks: Callable[[str, str], bool]) -> bool:
    """Whether one (file, anchor) a page needs is there."""
    return target in files and not (fragment and lacks(target, fragment))


def check_site(pages: dict[str, PageLinks], files: set[str], base_url: str, where: str = WHERE,
               skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Problems with links, anchors and ``lang`` across a whole site, one per broken thing
    (pages in ``skip`` are known good; their ids still count as targets)."""
    problems = []
    for path, page in sorted(pages.items()):
        if path in skip:
            continue
        own, refs = _split(path, page, base_url)
        found = own + reference_problems(path, tuple(refs), files,
                                         lambda target, anchor: target in pages and anchor not in pages[target].ids)
        problems += sorted(found, key=lambda p: p.line or 0)
    if where != WHERE:
        problems = [Problem(where + p.path[len(WHERE):], p.line, p.message) for p in problems]
    return problems
