"""Check the built site: every link relative, naming a file that exists, every anchor present."""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag

from .errors import Problem

LINK_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"),
              ("source", "src"), ("iframe", "src")}
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


class _Page(HTMLParser):
    """Collects the links, ids and <html lang> of one page, with line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str, str]] = []   # line, tag, url, rel
        self.ids: set[str] = set()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "id" in values and values["id"]:
            self.ids.add(values["id"])
        if tag == "html":
            self.lang = values.get("lang")
        for name, value in attrs:
            if (tag, name) in LINK_ATTRS and value is not None:
                self.links.append((self.getpos()[0], tag, value, values.get("rel") or ""))


def check_site(files: dict[str, bytes], base_url: str, where: str = "_site") -> list[Problem]:
    """Problems with links, anchors and ``lang`` in the built files, one per broken thing."""
    pages: dict[str, _Page] = {}
    for path, data in files.items():
        if path.endswith(".html"):
            page = _Page()
            page.feed(data.decode("utf-8"))
            pages[path] = page
    problems = []
    for path, page in sorted(pages.items()):
        shown = f"{where}/{path}"
        if page.lang not in ("zh-Hans", "zh-Hant") and not (page.lang or "").startswith("zh-"):
            problems.append(Problem(shown, 1, "page has no <html lang>"))
        for line, tag, url, rel in page.links:
            if ABSOLUTE.match(url):
                metadata = tag == "link" and set(rel.split()) & {"canonical", "alternate"}
                if not (metadata and base_url and url.startswith(base_url)):
                    problems.append(Problem(shown, line, f"link {url!r} is not relative to the site"))
                continue
            if url.startswith("/"):
                problems.append(Problem(shown, line, f"link {url!r} is root-relative; it breaks from file://"))
                continue
            target, fragment = urldefrag(url)
            target = unquote(target.split("?")[0])
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            if target and (target.endswith("/") or resolved == "."):
                problems.append(Problem(shown, line, f"link {url!r} names a folder, not a file"))
            elif resolved not in files:
                problems.append(Problem(shown, line, f"broken link {url!r}: no {resolved}"))
            elif fragment and resolved in pages and unquote(fragment) not in pages[resolved].ids:
                problems.append(Problem(shown, line, f"broken anchor {url!r}: no id {fragment!r} in {resolved}"))
    return problems
