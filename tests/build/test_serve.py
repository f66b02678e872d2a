"""``serve``: a build in a temporary folder, served on loopback, rebuilt from every input on each
change, reloads pushed as Server-Sent Events; failures are one line and the last good site stays."""
from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import REPO, add_override, run_build

SEED = "003_c2d4cca183c9bd68"


class Served:
    """``build.py serve`` running on a free port, its output collected line by line."""

    def __init__(self, root: Path, *args: str, at_serving=None) -> None:
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve",
                                         "--port", "0", "-q", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.url = ""
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("serving "):
                self.url = line.split()[1]
                if at_serving is not None:   # the moment an editor sees the line
                    at_serving()
                break
        assert self.url.startswith("http://127.0.0.1:"), self.lines
        threading.Thread(target=self._collect, daemon=True).start()
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _listen(self) -> None:
        with urllib.request.urlopen(self.url + "__events", timeout=120) as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            for raw in stream:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    self.events.put(json.loads(line[6:]))

    def next_status(self, timeout: float = 60) -> dict:
        """The next status event pushed by the server (the first is the current state)."""
        return self.events.get(timeout=timeout)

    def get(self, path: str) -> str:
        return urllib.request.urlopen(self.url + path, timeout=10).read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def served(project: Path):
    started: list[Served] = []

    def start(*args: str, at_serving=None) -> Served:
        started.append(Served(project, *args, at_serving=at_serving))
        return started[-1]
    yield start
    for server in started:
        server.stop()


def test_serve_builds_in_a_temporary_folder_and_pushes_a_reload_after_a_seed_edit(project: Path, served) -> None:
    server = served()
    page = server.get("articles/gongye-da-tupo.html")
    assert "最大的希望在工业" in page and 'new EventSource("/__events")' in page and "var built = 1;" in page
    assert server.next_status() == {"version": 1, "error": ""}
    seed = project / "seeds" / f"{SEED}.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("最大的希望在工业。", "最大的希望正在工业。"), encoding="utf-8")
    assert server.next_status() == {"version": 2, "error": ""}    # pushed, not polled
    assert "最大的希望正在工业" in server.get("articles/gongye-da-tupo.html")
    # Nothing of the site folder was written: no _site/, no zip, no articles; only the cache.
    assert sorted(p.name for p in project.iterdir()) == [".cache", "seeds", "site_src", "static", "templates"]
    assert not (project / "site_src" / "articles").exists()
    served_folders = list((project / ".cache").glob("serve-*/site-*"))
    assert len(served_folders) == 1 and (served_folders[0] / "articles" / "gongye-da-tupo.html").is_file()
    assert "EventSource" not in (served_folders[0] / "articles" / "gongye-da-tupo.html").read_text(encoding="utf-8")
    server.stop()
    assert not list((project / ".cache").glob("serve-*")), "stopping removes the temporary folder"


def test_an_edit_made_as_serving_shows_is_built(project: Path, served) -> None:
    """The watcher is up before the first build ends: an edit at once is not lost."""
    seed = project / "seeds" / f"{SEED}.txt"
    text = seed.read_text(encoding="utf-8").replace("最大的希望在工业。", "最大的希望正在工业。")
    server = served(at_serving=lambda: seed.write_text(text, encoding="utf-8"))
    versions = {server.next_status()["version"]}
    while 2 not in versions:
        versions.add(server.next_status()["version"])
    assert "最大的希望正在工业" in server.get("articles/gongye-da-tupo.html")


def test_serve_rereads_site_yaml(project: Path, served) -> None:
    server = served()
    assert server.next_status()["version"] == 1
    config = project / "site_src" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: 贵州政策读本", "title: 贵州政策读本（试刊）"),
                      encoding="utf-8")
    assert server.next_status()["version"] == 2
    assert "<title>贵州政策读本（试刊）</title>" in server.get("index.html")


def test_a_failed_rebuild_is_one_line_and_the_last_good_site_stays(project: Path, served) -> None:
    server = served()
    assert server.next_status()["version"] == 1
    good = server.get("articles/gongye-da-tupo.html")
    (project / "seeds" / f"{SEED}.yaml").write_text("slug: ../x\n", encoding="utf-8")
    status = server.next_status()
    assert status["version"] == 1
    assert status["error"].startswith(f"seeds/{SEED}.yaml:1: error: slug '../x' is not a safe ASCII name")
    assert server.get("articles/gongye-da-tupo.html") == good
    # Not an input error at all: a folder where a seed file should be. Still one line, still serving.
    (project / "seeds" / f"{SEED}.yaml").unlink()
    assert server.next_status() == {"version": 2, "error": ""}
    (project / "seeds" / "zz.txt").mkdir()
    status = server.next_status()
    assert status["version"] == 2 and "zz.txt" in status["error"]
    assert server.get("index.html")
    time.sleep(0.5)
    assert not any("Traceback" in line for line in server.lines), server.lines
    assert status["error"] in server.lines


def test_serve_strict_counts_a_warning_as_a_failed_build(project: Path, served) -> None:
    server = served("--strict")
    assert server.next_status() == {"version": 1, "error": ""}
    add_override(project, "从未出现的词", "從未出現的詞")
    status = server.next_status()
    assert status["version"] == 1
    assert status["error"].startswith("site_src/conversion.yaml:") and "never matched" in status["error"]
    assert "var built = 1;" in server.get("index.html")


def test_serve_starts_without_a_glossary_and_builds_once_it_is_back(project: Path, served) -> None:
    glossary = project / "site_src" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.unlink()
    server = served()
    status = server.next_status()
    assert status["version"] == 0 and status["error"].startswith("site_src/glossary.yaml: error: missing")
    with pytest.raises(urllib.error.HTTPError) as waiting:
        server.get("index.html")
    assert waiting.value.code == 503 and "EventSource" in waiting.value.read().decode("utf-8")
    glossary.write_text(text, encoding="utf-8")
    assert server.next_status() == {"version": 1, "error": ""}
    assert "贵州政策读本" in server.get("index.html")


def test_a_busy_port_is_one_line(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project), "serve",
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"127.0.0.1:{port}: error: port {port} is in use (another serve?); "
                                          "give another with --port, or --port 0 for any free one"]


def test_a_missing_glossary_stops_the_build_in_one_line(project: Path) -> None:
    (project / "site_src" / "glossary.yaml").unlink()
    result = run_build(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["site_src/glossary.yaml: error: missing: every site needs its glossary "
                                          "(categories and entries; `policyreader new DIR` shows one)"]


def test_a_missing_template_names_the_template_and_line(project: Path) -> None:
    (project / "templates" / "glossary.html").write_text('{% extends "base.html" %}\n{% block main %}\n'
                                                        '{% include "terms-list.html" %}\n{% endblock %}\n',
                                                        encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["templates/glossary.html:3: error: template 'terms-list.html' is neither "
                                          "in the site's templates/ nor in the theme"]


def test_a_template_error_names_the_template_and_line(project: Path) -> None:
    (project / "templates" / "404.html").write_text('{% extends "theme/404.html" %}\n{% block main %}\n'
                                                    '{{ site.no_such_setting }}\n{% endblock %}\n', encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("templates/404.html:3: error: template: UndefinedError:") and "no_such_setting" in line


@pytest.mark.browser
def test_the_open_page_reloads_itself_and_shows_a_failed_build(project: Path, served, context_factory) -> None:
    server = served()
    page = context_factory().new_page()
    page.goto(server.url + "articles/gongye-da-tupo.html")
    assert page.locator("h1").first.inner_text() == "当好排头兵 奋力推进工业大突破"
    sidecar = project / "seeds" / f"{SEED}.yaml"
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(text.replace("title: 当好排头兵 奋力推进工业大突破", "title: 当好排头兵"), encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').textContent.trim() === '当好排头兵'", timeout=60_000)
    sidecar.write_text("slug: ../x\n", encoding="utf-8")
    bar = page.locator("#__build_error")
    bar.wait_for(state="visible", timeout=60_000)
    assert bar.inner_text().startswith(f"seeds/{SEED}.yaml:1: error: slug '../x'")
    assert page.locator("h1").first.inner_text() == "当好排头兵"    # the last good page stays
