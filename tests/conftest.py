"""Shared fixtures: a throwaway copy of the project to build in."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import copy_built, copy_project

# CI explores a fixed set of examples (the same 2,000 generated seeds every run), so a red CI is
# a regression, never a lucky draw; locally, hypothesis keeps searching new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# What a build keeps of the glossary as a whole (its checks, forms and blockers, sort keys, the
# word list), the pinyin of the seeds' names, the handouts' QR codes and Jinja's compiled
# templates: each keyed by what it was made from, so a copy is what the project's own first
# build would make. Tests that change the glossary or a template still make theirs; the cold
# start itself is what built_site (and each module's own fixture) pays.
WARM = ("glossary-*.pickle", "words-*.marshal", "templates/*", "pinyin/*/*.pickle", "qr/*/*.pickle")


@pytest.fixture
def project(tmp_path: Path, built_site: Path) -> Path:
    """A copy of the project's inputs (seeds, site_src without articles) in a temp folder, with
    the glossary-wide part of a build's cache (seconds of every test's first build)."""
    root = copy_project(tmp_path / "project", theme=True)
    for pattern in WARM:
        for path in (built_site / ".cache").glob(pattern):
            target = root / ".cache" / path.relative_to(built_site / ".cache")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return root


@pytest.fixture
def built_project(tmp_path: Path, built_site: Path) -> Path:
    """The project as ``built_site`` built it (articles, ``_site/``, ``dist/`` and cache), copied
    as ``cp -a`` copies it: for tests whose first build is only where they start."""
    return copy_built(built_site, tmp_path / "project")


@pytest.fixture
def empty_project(project: Path) -> Path:
    """The project copy with no seeds, for tests that write their own."""
    for path in (project / "seeds").iterdir():
        path.unlink()
    return project



@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project built once with ``python build.py`` into a temp copy; returns its root."""
    from helpers import run_build
    root = copy_project(tmp_path_factory.mktemp("site") / "project", theme=True)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def http_site(built_site: Path):
    """``_site/`` served on 127.0.0.1 by a throwaway HTTP server; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_site / "_site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, kept off the network."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Guard:
    """Records every request and console error of a browser context."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []

    def watch(self, context) -> None:
        def on_request(request) -> None:
            url = request.url
            if not (url.startswith(("file://", "data:", "about:")) or url.startswith(("http://127.0.0.1:", "http://localhost:"))):
                self.outside.append(url)
        context.on("request", on_request)
        context.on("page", lambda page: self.attach(page))

    def attach(self, page) -> None:
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


@pytest.fixture
def context_factory(browser):
    """New browser contexts whose requests and console errors are checked when the test ends."""
    guards, contexts = [], []

    def make(**options):
        context = browser.new_context(**options)
        guard = Guard()
        guard.watch(context)
        guards.append(guard)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    for guard in guards:
        assert guard.outside == [], f"requests left the site: {guard.outside}"
        assert guard.errors == [], f"console errors: {guard.errors}"
