"""The editor's loop: build into a temporary folder, serve it on 127.0.0.1, rebuild when an
input changes and tell the open pages to reload (Server-Sent Events).

Nothing of the site folder changes but the cache: not ``_site/``, ``dist/`` or
``site_src/articles/``, and no zip is made. Every rebuild reads every input again, ``site.yaml``
included. A failed rebuild, whatever it raised, is one line on the terminal and a bar on the
open page, and the last good site stays up.
"""
from __future__ import annotations

import errno
import http.server
import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from ..errors import BuildError, Report, one_line
from ..output.writer import fill
from ..site import urls
from ..sources.config import Config, load_config
from ..theme import Theme
from .pipeline import Options, build, object_store
from .progress import Progress

# Injected into every served page (never into a built file). The page knows the build it came
# from; the stream says which build is current, so a rebuild between the page's load and the
# stream's connection is not missed. EventSource reconnects by itself if the server restarts.
RELOAD = """<script>
(function () {
  var built = %d;
  var source = new EventSource("/__events");
  source.addEventListener("status", function (event) {
    var status = JSON.parse(event.data);
    if (status.version !== built) { source.close(); location.reload(); return; }
    var bar = document.getElementById("__build_error");
    if (status.error && !bar) {
      bar = document.createElement("pre"); bar.id = "__build_error";
      bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:.5rem;background:#9b1c1c;color:#fff;white-space:pre-wrap;z-index:99";
      document.body.appendChild(bar);
    }
    if (bar) { bar.textContent = status.error; bar.hidden = !status.error; }
  });
})();
</script>
"""
WAITING = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>…</title>
<p>No site built yet: the build failed. Fix the input below; this page reloads by itself.</p></html>
"""
HEARTBEAT = 15.0   # seconds between keep-alive comments, which also notice a closed page


@dataclass
class State:
    """The current build (its version and folder), the last error, and who waits for a change."""

    site: Path | None = None          # the last good site; None until a build succeeded
    version: int = 0
    error: str = ""
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def status(self) -> bytes:
        """The state as one Server-Sent Event."""
        data = json.dumps({"version": self.version, "error": self.error}, ensure_ascii=False)
        return f"event: status\ndata: {data}\n\n".encode("utf-8")


def _handler(state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def translate_path(self, path: str) -> str:
            # The served folder changes with every good build.
            self.directory = str(state.site) if state.site else tempfile.gettempdir()
            return super().translate_path(path)

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            if self.path.split("?")[0] == "/__events":
                self._events()
                return
            with state.changed:
                site, version = state.site, state.version
            if site is None:
                self._send(503, "text/html; charset=utf-8", self._inject(WAITING.encode("utf-8"), version))
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / urls.HOME
            if path.is_file() and path.suffix == ".html":
                self._send(200, "text/html; charset=utf-8", self._inject(path.read_bytes(), version))
                return
            super().do_GET()

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        @staticmethod
        def _inject(page: bytes, version: int) -> bytes:
            script = (RELOAD % version).encode("utf-8")
            return page.replace(b"</body>", script + b"</body>", 1) if b"</body>" in page else page + script

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            try:
                with state.changed:
                    while not state.closed:
                        self.wfile.write(state.status())
                        self.wfile.flush()
                        seen = (state.version, state.error)
                        while not state.closed and (state.version, state.error) == seen:
                            if not state.changed.wait(HEARTBEAT):
                                self.wfile.write(b": keep-alive\n\n")
                                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass   # the page was closed or reloaded

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class Loop:
    """Rebuilds into numbered folders under one temporary folder, keeping the last good one."""

    def __init__(self, root: Path, options: Options, strict: bool, quiet: bool, folder: Path) -> None:
        self.root = root
        self.options = options
        self.strict = strict
        self.quiet = quiet
        self.folder = folder
        self.state = State()
        self.builds = 0

    def rebuild(self) -> bool:
        """One build from every input, read afresh; True when it succeeded."""
        report = Report()
        self.builds += 1
        target = self.folder / f"site-{self.builds}"
        summary = ""
        try:
            config = load_config(self.root)
            files = build(config, self.options, report, Progress(quiet=self.quiet))
            if self.strict and report.warnings:
                more = len(report.warnings) - 1
                error = report.warnings[0].format("error") + (f" (and {more} more)" if more else "")
                summary = f"serve --strict: {len(report.warnings)} problem(s); the last good site stays up"
            else:
                target.mkdir()
                fill(target, files, object_store(config))
                error = ""
        except Exception as exc:   # noqa: BLE001 - whatever a build raises, the loop goes on
            shutil.rmtree(target, ignore_errors=True)
            error = summary = one_line(exc, self.root, "serve")
            report.warnings.clear()   # the line that stopped the build is what counts
        for problem in report.warnings:
            print(problem.format("error" if self.strict else "warning"), flush=True)
        if summary:
            print(summary, flush=True)
        old = None
        if not error:
            with self.state.changed:
                old, self.state.site = self.state.site, target
            if old is not None:   # requests from now on get the new folder
                shutil.rmtree(old, ignore_errors=True)
        with self.state.changed:   # a new version makes the open pages reload; an error only shows on them
            self.state.version += 0 if error else 1
            self.state.error = error
            self.state.changed.notify_all()
        return not error

    def close(self) -> None:
        """Let every open event stream end."""
        with self.state.changed:
            self.state.closed = True
            self.state.changed.notify_all()


def _bind(port: int, state: State) -> http.server.ThreadingHTTPServer:
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"127.0.0.1:{port}", None, f"port {port} is in use (another serve?); give another "
                             "with --port, or --port 0 for any free one") from None
        raise BuildError(f"127.0.0.1:{port}", None, exc.strerror or str(exc)) from None
    server.daemon_threads = True   # open event streams must not keep the process alive
    return server


def _watched(config: Config) -> list[Path]:
    folders = [p for p in (config.seeds_dir, config.src_dir, config.templates_dir, config.static_dir) if p.is_dir()]
    return folders + [p for p in Theme(config.templates_dir, config.static_dir).folders() if p not in folders]


def serve(root: Path, port: int, strict: bool = False, clean: bool = False, quiet: bool = False,
          stop: threading.Event | None = None) -> None:
    """Build, serve on 127.0.0.1:port, and rebuild on every change until interrupted."""
    config = load_config(root)   # not a site at all: one line, and nothing is served
    options = Options(clean=clean, zip=False, publish=False)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())   # stopped like Ctrl+C: the folder is removed
    with tempfile.TemporaryDirectory(prefix=f"serve-{os.getpid()}-", dir=_scratch(config)) as folder:
        loop = Loop(config.root, options, strict, quiet, Path(folder))
        server = _bind(port, loop.state)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        # Watching starts before the first build: an edit made while it runs, or just after
        # "serving" shows, is seen and built.
        changes = _Watcher(_watched(config), stop)
        loop.rebuild()
        print(f"serving http://127.0.0.1:{server.server_address[1]}/  (a build in a temporary folder; watching "
              "seeds, site_src, templates, static and the theme; Ctrl+C stops)", flush=True)
        articles = config.articles_dir.resolve()
        try:
            for found in changes:
                # Articles are written by a build, not by the editor: not new input.
                if all(Path(path).resolve().parent == articles for _, path in found):
                    continue
                names = sorted({Path(path).name for _, path in found})
                print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}", flush=True)
                loop.rebuild()
        except KeyboardInterrupt:   # Ctrl+C: the way to stop, not a failure
            pass
        finally:
            stop.set()
            loop.close()
            server.shutdown()
            server.server_close()
            sys.stdout.flush()


class _Watcher:
    """The inputs' changes, watched from a thread that is already watching when this returns;
    iterating yields each batch (those made during a build, together) until ``stop`` is set."""

    def __init__(self, folders: list[Path], stop: threading.Event) -> None:
        self._stop = stop
        self._error: BaseException | None = None
        self._batches: queue.Queue[set | None] = queue.Queue()
        ready = threading.Event()
        threading.Thread(target=self._watch, args=(folders, ready), daemon=True).start()
        ready.wait()

    def _watch(self, folders: list[Path], ready: threading.Event) -> None:
        try:
            # An empty batch every quarter second: the first says the watcher is up.
            for found in watchfiles.watch(*folders, stop_event=self._stop, debounce=200, raise_interrupt=False,
                                          yield_on_timeout=True, rust_timeout=250):
                ready.set()
                if found:
                    self._batches.put(found)
        except BaseException as exc:   # raised where serve can report it in one line
            self._error = exc
        finally:
            ready.set()
            self._batches.put(None)

    def __iter__(self) -> Iterator[set]:
        while True:
            try:
                found = self._batches.get(timeout=0.5)   # a timeout lets Ctrl+C through
            except queue.Empty:
                continue
            while found is not None and not self._batches.empty():   # changed during the last build: one rebuild
                more = self._batches.get()
                found = None if more is None else found | more
            if found is None:
                if self._error is not None:
                    raise self._error
                return
            yield found


def _scratch(config: Config) -> Path:
    """Beside the cache, so the served files can be hard links to the stored ones; the folders
    of earlier serves that were killed (their process is gone) are removed."""
    folder = config.root / ".cache"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("serve-*-*"):
        pid = old.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
